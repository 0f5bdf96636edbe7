"""Small widgets and helpers shared by the pages and dialogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTimeZone
from PySide6.QtWidgets import (
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from app.errors import DomainError, ValidationError
from app.formatting import local_today
from app.i18n import _, current_language


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date | None = None, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd.MM.yyyy" if current_language() == "da" else "dd/MM/yyyy")
    edit.setMinimumDate(QDate(1990, 1, 1))
    edit.setDate(to_qdate(value or local_today()))
    return edit


class ErrorLabel(QLabel):
    """Red text under a field saying what is wrong with it; hidden when nothing is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("color: #b00020;")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


class FieldErrors:
    """One ``ErrorLabel`` per field of a form, filled from a ``ValidationError``."""

    def __init__(self) -> None:
        self.labels: dict[str, ErrorLabel] = {}

    def add_row(self, layout: QFormLayout, label: str, field_name: str, widget: QWidget) -> None:
        layout.addRow(label, widget)
        error = ErrorLabel()
        self.labels[field_name] = error
        layout.addRow("", error)

    def show(self, problems: dict[str, str]) -> list[str]:
        """Show each problem under its field; return those without a field of their own."""
        for name, label in self.labels.items():
            label.show_error(problems.get(name))
        return [text for name, text in problems.items() if name not in self.labels]

    def clear(self) -> None:
        self.show({})


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def save_cancel_buttons(dialog: QDialog, on_save: Callable[[], None],
                        on_cancel: Callable[[], None] | None = None) -> QDialogButtonBox:
    """Translated Save and Cancel buttons; Save runs ``on_save``, which closes on success."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                               | QDialogButtonBox.StandardButton.Cancel)
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setText(_("Save"))
    save.setObjectName("save_button")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(on_cancel or dialog.reject)
    return buttons


def run_form_call(call: Callable[[], object], errors: FieldErrors, general_error: ErrorLabel,
                  *, summary: str | None = None) -> bool:
    """Run a form's service call; show each problem under its field, the rest below the form.

    ``summary`` is shown below the form when every problem has a field of its own.
    Returns whether the call succeeded.
    """
    errors.clear()
    general_error.show_error(None)
    try:
        call()
    except ValidationError as problems:
        rest = errors.show(problems.problems)
        general_error.show_error("\n".join(rest) if rest else summary)
        return False
    except DomainError as error:
        general_error.show_error(error.message)
        return False
    return True


_COPENHAGEN = b"Europe/Copenhagen"


def datetime_edit(value: datetime | None = None, parent: QWidget | None = None) -> QDateTimeEdit:
    """A date-and-time field in Copenhagen time, whatever the PC's own zone is set to."""
    from app.formatting import utcnow

    edit = QDateTimeEdit(parent)
    edit.setCalendarPopup(True)
    edit.setTimeZone(QTimeZone(_COPENHAGEN))
    edit.setDisplayFormat("dd.MM.yyyy HH:mm" if current_language() == "da" else "dd/MM/yyyy HH:mm")
    set_datetime(edit, value or utcnow())
    return edit


def set_datetime(edit: QDateTimeEdit, value: datetime) -> None:
    edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone(_COPENHAGEN)))


def edit_datetime(edit: QDateTimeEdit) -> datetime:
    """The aware moment in the field (seconds dropped)."""
    from app.formatting import LOCAL_TZ

    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), LOCAL_TZ)
