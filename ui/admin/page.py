"""The Admin area: staff users, rooms, audit trail and settings, each shown to the roles
allowed to use it (the services enforce the same rules)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from app.permissions import Permission
from ui.admin.audit_tab import AuditTab
from ui.admin.rooms_tab import RoomsTab
from ui.admin.settings_tab import SettingsTab
from ui.admin.staff_tab import StaffTab
from ui.context import AppContext


class AdminPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin_page")
        self.tabs = QTabWidget(objectName="admin_tabs")
        if ctx.can(Permission.MANAGE_STAFF):
            self.tabs.addTab(StaffTab(ctx), _("Staff users"))
        if ctx.can(Permission.VIEW_RESIDENTS):
            self.tabs.addTab(RoomsTab(ctx), _("Rooms and beds"))
        if ctx.can(Permission.VIEW_AUDIT):
            self.tabs.addTab(AuditTab(ctx), _("Audit trail"))
        if ctx.can(Permission.CONFIGURE_CENTRE):
            self.tabs.addTab(SettingsTab(ctx), _("Centre settings"))
        layout = QVBoxLayout(self)
        if self.tabs.count() == 0:
            layout.addWidget(QLabel(_("Your role has no administration tasks.")))
        layout.addWidget(self.tabs)
