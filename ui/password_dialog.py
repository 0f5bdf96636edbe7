"""Change one's own password."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from app.errors import ValidationError
from app.i18n import _
from app.services import auth
from ui.context import AppContext
from ui.widgets import ErrorLabel, save_cancel_buttons


class ChangePasswordDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_("Change my password"))
        self.old, self.new, self.repeat = QLineEdit(), QLineEdit(), QLineEdit()
        for edit in (self.old, self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(_("Current password"), self.old)
        form.addRow(_("New password"), self.new)
        form.addRow(_("Repeat new password"), self.repeat)
        self.error = ErrorLabel()
        buttons = save_cancel_buttons(self, self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new.text() != self.repeat.text():
            self.error.show_error(_("The two new passwords differ."))
            return
        try:
            auth.change_password(self.ctx.db, self.ctx.actor, self.old.text(), self.new.text())
        except ValidationError as problems:
            self.error.show_error(problems.message)
            return
        self.accept()
