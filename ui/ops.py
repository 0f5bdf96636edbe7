"""Background operations: long work runs on a worker thread with progress and cancel.

Core functions that take long are generators yielding ``app.progress``-like objects with
``done``/``total``/``message`` and accept a ``cancel`` event; they know nothing of Qt.
Results come back to the GUI thread only through signals.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from app.errors import DomainError
from app.i18n import _


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, work: Callable[[threading.Event, Callable[[int, int, str], None]], Any],
                 signals: _Signals, cancel: threading.Event) -> None:
        super().__init__()
        self.work, self.signals, self.cancel = work, signals, cancel

    def run(self) -> None:
        try:
            result = self.work(self.cancel, self.signals.progress.emit)
        except BaseException as error:  # reported on the GUI thread
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)


class Operation(QObject):
    """Run ``work(cancel, report)`` off the GUI thread; show progress if ``title`` is given."""

    def __init__(self, parent: QWidget, work: Callable[..., Any], *, title: str | None = None,
                 on_success: Callable[[Any], None] | None = None,
                 on_failure: Callable[[BaseException], None] | None = None) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.cancel_event = threading.Event()
        self.signals = _Signals()
        self.on_success, self.on_failure = on_success, on_failure
        self.progress_dialog: QProgressDialog | None = None
        if title:
            dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.canceled.connect(self.cancel_event.set)
            self.progress_dialog = dialog
        self.signals.progress.connect(self._on_progress)
        self.signals.finished.connect(self._on_finished)
        self.signals.failed.connect(self._on_failed)
        self._runnable = _Runnable(work, self.signals, self.cancel_event)
        self._runnable.setAutoDelete(False)
        self.done = False

    def start(self) -> Operation:
        QThreadPool.globalInstance().start(self._runnable)
        return self

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(max(total, 0))
            self.progress_dialog.setValue(done)
            if message:
                self.progress_dialog.setLabelText(message)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.close()

    def _on_finished(self, result: Any) -> None:
        self.done = True
        self._close_progress()
        if self.on_success is not None:
            self.on_success(result)
        self.deleteLater()

    def _on_failed(self, error: BaseException) -> None:
        self.done = True
        self._close_progress()
        if self.on_failure is not None:
            self.on_failure(error)
        else:
            show_error(self.parent_widget, error)
        self.deleteLater()


def run_generator(generator_factory: Callable[[threading.Event], Iterator[Any]],
                  ) -> Callable[[threading.Event, Callable[[int, int, str], None]], Any]:
    """Adapt a core generator (yielding progress, finally a result) to ``Operation``."""

    def work(cancel: threading.Event, report: Callable[[int, int, str], None]) -> Any:
        result = None
        for step in generator_factory(cancel):
            if hasattr(step, "done") and hasattr(step, "total"):
                report(int(step.done), int(step.total), str(getattr(step, "message", "")))
            else:
                result = step
        return result

    return work


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """A domain error shows its own (translated) message; anything else says it is a fault."""
    if isinstance(error, DomainError):
        QMessageBox.warning(parent, _("Cannot do that"), error.message)
    else:
        detail = getattr(error, "__traceback_text__", "") or "".join(
            traceback.format_exception(error))
        box = QMessageBox(QMessageBox.Icon.Critical, _("Something went wrong"),
                          _("The program ran into an error. Nothing that was saved is lost.\n"
                            "{error}").format(error=error), QMessageBox.StandardButton.Ok, parent)
        box.setDetailedText(detail)
        box.exec()
