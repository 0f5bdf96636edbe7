"""The scheduled export: every N hours to the configured folder while the program runs.

Kept apart from the Sync page and importing the sync code only when it first looks (five
minutes after start): encryption libraries cost start-up time nobody should wait for."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from app.errors import DomainError
from app.formatting import utcnow
from app.unit_of_work import SYSTEM
from ui.context import AppContext
from ui.ops import Operation

#: How often the scheduler looks whether a scheduled export is due.
CHECK_EVERY_MS = 5 * 60 * 1000


class SyncScheduler(QObject):
    """Exports to the configured folder every N hours while the program runs (changes only);
    runs as the system, so a locked screen does not stop it."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.parent_widget = ctx, parent
        self.running: Operation | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def due(self) -> Path | None:
        from app.services import sync

        folder, hours = sync.schedule(self.ctx.db)
        if not hours or folder is None or not folder.is_dir():
            return None
        state = sync.centre.state(self.ctx.db)
        if not state.waiting or state.recipient_key_id is None:
            return None
        if state.last_export_at and (utcnow() - state.last_export_at).total_seconds() \
                < hours * 3600:
            return None
        return folder

    def check(self) -> None:
        if self.running is not None and not self.running.done:
            return
        try:
            folder = self.due()
        except DomainError:
            return
        if folder is None:
            return
        from app.services import sync

        db = self.ctx.db

        def work(cancel, report):  # type: ignore[no-untyped-def]
            return sync.export_now(db, SYSTEM, folder, cancel=cancel)

        # A failed scheduled export must not interrupt whoever is at the PC: it is retried
        # at the next check, and the Sync page shows the last export.
        self.running = Operation(self.parent_widget, work, on_failure=lambda _error: None)
        self.running.start()
