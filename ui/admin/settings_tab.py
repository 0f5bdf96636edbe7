"""The centre's settings: name, idle time before the screen locks, visitor data retention."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from app.errors import DomainError, ValidationError
from app.i18n import _
from app.services import centre
from app.services.centre import MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES
from ui.context import AppContext, Changes
from ui.widgets import ErrorLabel


class SettingsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        current = centre.get_centre(ctx.db)
        self.name = QLineEdit(current.name, objectName="settings_centre_name")
        self.idle = QSpinBox(objectName="settings_idle_minutes")
        self.idle.setRange(MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES)
        self.idle.setValue(current.idle_lock_minutes)
        self.idle.setSuffix(" " + _("min"))
        self.retention = QSpinBox(objectName="settings_visitor_retention")
        self.retention.setRange(1, 60)
        self.retention.setValue(current.visitor_retention_months)
        self.retention.setSuffix(" " + _("months"))
        self.error = ErrorLabel()
        self.saved_label = QLabel()
        save = QPushButton(_("Save settings"), objectName="save_settings_button")
        save.clicked.connect(self.save)
        form = QFormLayout(self)
        form.addRow(_("Centre name"), self.name)
        form.addRow(_("Centre code"), QLabel(current.code))
        form.addRow(_("Lock the screen after"), self.idle)
        form.addRow(_("Erase visitor identity after"), self.retention)
        form.addRow(_("Device id of this PC"), QLabel(str(ctx.db.device_id)))
        form.addRow("", save)
        form.addRow("", self.error)
        form.addRow("", self.saved_label)

    def save(self) -> None:
        self.error.show_error(None)
        try:
            self.ctx.centre = centre.update_settings(self.ctx.db, self.ctx.actor,
                                                     name=self.name.text(),
                                                     idle_lock_minutes=self.idle.value(),
                                                     visitor_retention_months=(
                                                         self.retention.value()))
        except (ValidationError, DomainError) as error:
            self.error.show_error(error.message)
            return
        self.saved_label.setText(_("Saved."))
        self.ctx.announce(Changes(centre=True))
