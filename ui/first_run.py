"""First start on an empty database: the centre and its first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.services import centre
from app.services.centre import CentreView
from ui.widgets import ErrorLabel


class _CentrePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("The centre"))
        self.setSubTitle(_("Which children's centre is this database for?"))
        self.name = QLineEdit()
        self.name.setObjectName("centre_name")
        self.code = QLineEdit()
        self.code.setObjectName("centre_code")
        self.code.setPlaceholderText(_("e.g. SANDHOLM"))
        self.name.textEdited.connect(self._suggest)
        self._code_edited = False
        self.code.textEdited.connect(lambda _text: setattr(self, "_code_edited", True))
        form = QFormLayout(self)
        form.addRow(_("Centre name"), self.name)
        form.addRow(_("Centre code"), self.code)
        self.registerField("centre_name*", self.name)
        self.registerField("centre_code*", self.code)

    def _suggest(self, text: str) -> None:
        if not self._code_edited:
            self.code.setText(centre.suggest_code(text) if text.strip() else "")


class _AdminPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wizard_ref = wizard
        self.setTitle(_("The first administrator"))
        self.setSubTitle(_("This user creates the other staff users. Choose a strong password."))
        self.username = QLineEdit()
        self.username.setObjectName("admin_username")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("admin_full_name")
        self.password = QLineEdit()
        self.password.setObjectName("admin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("admin_password_repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.error.setObjectName("wizard_error")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        form.addRow(_("Full name"), self.full_name)
        form.addRow(_("Password"), self.password)
        form.addRow(_("Repeat password"), self.repeat)
        layout.addLayout(form)
        layout.addWidget(self.error)
        self.registerField("admin_username*", self.username)
        self.registerField("admin_full_name*", self.full_name)

    def validatePage(self) -> bool:
        if self.password.text() != self.repeat.text():
            self.error.show_error(_("The two passwords differ."))
            return False
        try:
            self.wizard_ref.result_centre = centre.initialise_centre(
                self.wizard_ref.db, centre_name=self.field("centre_name"),
                centre_code=self.field("centre_code"), admin_username=self.username.text(),
                admin_full_name=self.full_name.text(), admin_password=self.password.text())
        except ValidationError as problems:
            self.error.show_error(problems.message)
            return False
        return True


class FirstRunWizard(QWizard):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result_centre: CentreView | None = None
        self.setWindowTitle(_("Centre Desk – first start"))
        intro = QWizardPage()
        intro.setTitle(_("Welcome to Centre Desk"))
        text = QLabel(_("This PC has no centre database yet. In two steps you name the centre "
                        "and create the first administrator, who then creates the staff users."))
        text.setWordWrap(True)
        QVBoxLayout(intro).addWidget(text)
        self.addPage(intro)
        self.centre_page = _CentrePage()
        self.admin_page = _AdminPage(self)
        self.addPage(self.centre_page)
        self.addPage(self.admin_page)
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Create centre"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
