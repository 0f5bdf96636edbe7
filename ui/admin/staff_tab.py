"""Staff users: create, roles, deactivate, reset password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.formatting import format_datetime
from app.i18n import _
from app.permissions import Role, role_label
from app.services import staff
from app.services.staff import StaffView
from ui.context import AppContext, Changes
from ui.ops import show_error
from ui.widgets import ErrorLabel, FieldErrors, run_form_call, save_cancel_buttons


class StaffDialog(QDialog):
    """New user (``existing`` None) or roles/name/active of an existing one."""

    def __init__(self, ctx: AppContext, existing: StaffView | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.existing = ctx, existing
        self.setWindowTitle(_("Edit user") if existing else _("New user"))
        self.errors = FieldErrors()
        form = QFormLayout()
        self.username = QLineEdit(objectName="staff_username")
        self.full_name = QLineEdit(objectName="staff_full_name")
        self.password = QLineEdit(objectName="staff_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.phone = QLineEdit(objectName="staff_phone")
        self.active = QCheckBox(_("Active (may log in)"), objectName="staff_active")
        self.active.setChecked(True)
        self.role_boxes = {role.value: QCheckBox(role_label(role.value)) for role in Role}
        roles = QWidget()
        roles_layout = QVBoxLayout(roles)
        roles_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.role_boxes.values():
            roles_layout.addWidget(box)
        self.errors.add_row(form, _("User name"), "username", self.username)
        self.errors.add_row(form, _("Full name"), "full_name", self.full_name)
        self.errors.add_row(form, _("Password") if existing is None
                            else _("New password (leave empty to keep)"), "password", self.password)
        self.errors.add_row(form, _("Phone"), "phone", self.phone)
        self.errors.add_row(form, _("Roles"), "roles", roles)
        form.addRow("", self.active)
        if existing is not None:
            self.username.setText(existing.username)
            self.username.setReadOnly(True)
            self.full_name.setText(existing.full_name)
            self.phone.setText(existing.phone or "")
            self.active.setChecked(existing.active)
            for code in existing.roles:
                if code in self.role_boxes:
                    self.role_boxes[code].setChecked(True)
        self.general_error = ErrorLabel()
        buttons = save_cancel_buttons(self, self.submit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if run_form_call(self._save, self.errors, self.general_error):
            self.ctx.announce(Changes(staff=True))
            self.accept()

    def _save(self) -> None:
        roles = [code for code, box in self.role_boxes.items() if box.isChecked()]
        if self.existing is None:
            staff.create_staff(self.ctx.db, self.ctx.actor, username=self.username.text(),
                               full_name=self.full_name.text(), password=self.password.text(),
                               roles=roles, phone=self.phone.text() or None)
            return
        staff.update_staff(self.ctx.db, self.ctx.actor, self.existing.id,
                           full_name=self.full_name.text(), roles=roles,
                           active=self.active.isChecked(), phone=self.phone.text())
        if self.password.text():
            staff.reset_password(self.ctx.db, self.ctx.actor, self.existing.id,
                                 self.password.text())


class StaffTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.people: list[StaffView] = []
        self.table = QTableWidget(0, 5, objectName="staff_table")
        self.table.setHorizontalHeaderLabels([_("Name"), _("User name"), _("Roles"), _("Active"),
                                              _("Last login")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        new = QPushButton(_("New user"), objectName="new_staff_button")
        new.clicked.connect(self.new_user)
        edit = QPushButton(_("Edit user"), objectName="edit_staff_button")
        edit.clicked.connect(self.edit_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(edit)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        ctx.changed.connect(lambda changes: changes.staff and self.refresh())
        self.refresh()

    def refresh(self) -> None:
        try:
            self.people = staff.list_staff(self.ctx.db, self.ctx.actor, include_inactive=True)
        except DomainError as error:
            show_error(self, error)
            return
        self.table.setRowCount(len(self.people))
        for row, person in enumerate(self.people):
            values = [person.full_name, person.username,
                      ", ".join(role_label(code) for code in person.roles),
                      _("Yes") if person.active else _("No"),
                      format_datetime(person.last_login_at)]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def new_user(self) -> None:
        StaffDialog(self.ctx, None, self).exec()

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.people):
            StaffDialog(self.ctx, self.people[row], self).exec()
