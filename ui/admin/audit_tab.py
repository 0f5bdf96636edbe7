"""The audit trail, newest first, a page at a time."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.formatting import format_datetime
from app.i18n import N_, _
from app.services import audit
from app.services.audit import AuditFilter
from ui.context import AppContext

PAGE = 200
ACTION_LABELS = {
    "create": N_("Created"), "update": N_("Changed"), "delete": N_("Deleted"),
    "read": N_("Opened"), "login": N_("Logged in"), "login_failed": N_("Failed login"),
    "logout": N_("Logged out"), "lock": N_("Locked the screen"), "unlock": N_("Unlocked"),
    "print": N_("Printed"), "export": N_("Exported"),
}
ENTITY_LABELS = {
    "resident": N_("Resident"), "staff": N_("Staff user"), "room": N_("Room"), "bed": N_("Bed"),
    "bed_assignment": N_("Bed assignment"), "contact_assignment": N_("Contact person"),
    "centre": N_("Centre"), "demo": N_("Demo data"),
}


class AuditTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.offset = 0
        self.total = 0
        self.action = QComboBox(objectName="audit_action")
        self.action.addItem(_("All actions"), "")
        for code, text in ACTION_LABELS.items():
            self.action.addItem(_(text), code)
        self.entity = QComboBox(objectName="audit_entity")
        self.entity.addItem(_("All records"), "")
        for code, text in ENTITY_LABELS.items():
            self.entity.addItem(_(text), code)
        self.action.currentIndexChanged.connect(lambda _i: self.refresh(reset=True))
        self.entity.currentIndexChanged.connect(lambda _i: self.refresh(reset=True))
        self.position = QLabel()
        newer = QPushButton(_("Newer"))
        older = QPushButton(_("Older"))
        newer.clicked.connect(lambda: self.page(-1))
        older.clicked.connect(lambda: self.page(1))
        self.table = QTableWidget(0, 5, objectName="audit_table")
        self.table.setHorizontalHeaderLabels([_("When"), _("Who"), _("Action"), _("Record"),
                                              _("Fields changed")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        bar = QHBoxLayout()
        for widget in (self.action, self.entity):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.position, newer, older):
            bar.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.refresh(reset=True)

    def page(self, direction: int) -> None:
        new_offset = self.offset + direction * PAGE
        if 0 <= new_offset < max(self.total, 1):
            self.offset = new_offset
            self.refresh()

    def refresh(self, reset: bool = False) -> None:
        if reset:
            self.offset = 0
        flt = AuditFilter(action=self.action.currentData() or None,
                          entity=self.entity.currentData() or None)
        self.total, rows = audit.browse(self.ctx.db, self.ctx.actor, flt, offset=self.offset,
                                        limit=PAGE)
        self.position.setText(_("{first}–{last} of {total}").format(
            first=self.offset + 1 if rows else 0, last=self.offset + len(rows), total=self.total))
        self.table.setRowCount(len(rows))
        for number, row in enumerate(rows):
            changes = ", ".join(row.changes) if row.action in ("create", "update", "delete") \
                else json.dumps(row.changes, ensure_ascii=False) if row.changes else ""
            values = [format_datetime(row.at, "medium"), row.staff_name or _("System"),
                      _(ACTION_LABELS.get(row.action, row.action)),
                      _(ENTITY_LABELS[row.entity]) if row.entity in ENTITY_LABELS else row.entity,
                      row.summary or changes]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 4 and row.changes:
                    item.setToolTip(json.dumps(row.changes, ensure_ascii=False, indent=1))
                self.table.setItem(number, column, item)
        self.table.resizeColumnsToContents()
