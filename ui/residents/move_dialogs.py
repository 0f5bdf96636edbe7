"""Room change and move-out: small dialogs, each one service call."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services import residents, rooms
from app.services.residents import ResidentDetail
from app.vocab import MOVE_OUT_REASON_LABELS, label
from ui.context import AppContext, Changes
from ui.widgets import (
    ErrorLabel,
    FieldErrors,
    date_edit,
    from_qdate,
    run_form_call,
    save_cancel_buttons,
)


class _ServiceDialog(QDialog):
    def __init__(self, ctx: AppContext, detail: ResidentDetail, title: str,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(title)
        self.errors = FieldErrors()
        self.form = QFormLayout()
        self.general_error = ErrorLabel()
        buttons = save_cancel_buttons(self, self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(detail.display_name))
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def run_service(self, call) -> None:
        if not run_form_call(call, self.errors, self.general_error):
            return
        self.ctx.announce(Changes(residents=True))
        self.accept()

    def submit(self) -> None:
        raise NotImplementedError


class ChangeRoomDialog(_ServiceDialog):
    def __init__(self, ctx: AppContext, detail: ResidentDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, _("Change room"), parent)
        self.bed = QComboBox(objectName="new_bed")
        for bed in rooms.list_beds(ctx.db, ctx.actor, free_only=True):
            self.bed.addItem(bed.display, str(bed.id))
        self.on = date_edit()
        self.errors.add_row(self.form, _("New bed"), "bed", self.bed)
        self.errors.add_row(self.form, _("From"), "on", self.on)

    def submit(self) -> None:
        bed = self.bed.currentData()
        if not bed:
            self.errors.show({"bed": _("There is no free bed.")})
            return
        self.run_service(lambda: residents.change_bed(
            self.ctx.db, self.ctx.actor, self.detail.id, uuid.UUID(bed),
            on=from_qdate(self.on.date())))


class MoveOutDialog(_ServiceDialog):
    def __init__(self, ctx: AppContext, detail: ResidentDetail, parent: QWidget | None = None):
        super().__init__(ctx, detail, _("Move out"), parent)
        self.reason = QComboBox(objectName="move_out_reason")
        self.reason.addItem("", "")
        for code in MOVE_OUT_REASON_LABELS:
            self.reason.addItem(label(MOVE_OUT_REASON_LABELS, code), code)
        self.on = date_edit()
        self.note = QPlainTextEdit(objectName="move_out_note")
        self.note.setMaximumHeight(80)
        self.errors.add_row(self.form, _("Reason"), "reason", self.reason)
        self.errors.add_row(self.form, _("Date"), "on", self.on)
        self.form.addRow(_("Note"), self.note)

    def submit(self) -> None:
        self.run_service(lambda: residents.move_out(
            self.ctx.db, self.ctx.actor, self.detail.id, on=from_qdate(self.on.date()),
            reason=self.reason.currentData() or "", note=self.note.toPlainText()))
