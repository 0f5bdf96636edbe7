"""Log in (at start and to switch user on a shared PC)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import AuthenticationFailed
from app.i18n import LANGUAGE_NAMES, _, current_language
from app.services import auth
from app.unit_of_work import Actor
from ui.widgets import ErrorLabel, heading


class LoginDialog(QDialog):
    def __init__(self, db: Database, centre_name: str, parent: QWidget | None = None, *,
                 switching: bool = False) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.chosen_language = current_language()
        self.setWindowTitle(_("Centre Desk – log in"))
        self.setMinimumWidth(380)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(current_language()))
        self.error = ErrorLabel()
        self.error.setObjectName("login_error")

        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Language"), self.language)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Log in"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAutoDefault(False)
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading(centre_name))
        subtitle = QLabel(_("Switch user: the other user's screen is saved and closed.")
                          if switching else _("Log in with your own user name."))
        subtitle.setWordWrap(True)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Enter moves on from the user name and logs in from the password, as people expect.
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.try_login)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_login(self) -> None:
        if not self.username.text().strip():
            self.error.show_error(_("Write your user name."))
            self.username.setFocus()
            return
        try:
            self.actor = auth.login(self.db, self.username.text(), self.password.text())
        except AuthenticationFailed as failure:
            self.error.show_error(failure.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.chosen_language = self.language.currentData()
        self.accept()
