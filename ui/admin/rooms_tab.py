"""Rooms and beds, with who sleeps where now."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.models.residents import SECTIONS
from app.permissions import Permission
from app.services import rooms
from app.vocab import SECTION_LABELS, label
from ui.context import AppContext, Changes
from ui.widgets import ErrorLabel, FieldErrors, run_form_call


class RoomsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = QTableWidget(0, 3, objectName="beds_table")
        self.table.setHorizontalHeaderLabels([_("Room / bed"), _("Section"), _("Occupant")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        box = QGroupBox(_("New room"))
        self.errors = FieldErrors()
        form = QFormLayout(box)
        self.name = QLineEdit(objectName="room_name")
        self.beds = QLineEdit(objectName="room_beds")
        self.beds.setText("A, B")
        self.beds.setToolTip(_("Bed labels separated by commas"))
        self.section = QComboBox(objectName="room_section")
        for code in SECTIONS:
            self.section.addItem(label(SECTION_LABELS, code), code)
        self.errors.add_row(form, _("Room name or number"), "name", self.name)
        self.errors.add_row(form, _("Beds"), "beds", self.beds)
        self.errors.add_row(form, _("Section"), "section", self.section)
        self.general_error = ErrorLabel()
        add = QPushButton(_("Add room"), objectName="add_room_button")
        add.clicked.connect(self.add_room)
        form.addRow("", add)
        form.addRow("", self.general_error)
        box.setEnabled(ctx.can(Permission.MANAGE_ROOMS))

        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 2)
        side = QVBoxLayout()
        side.addWidget(box)
        side.addStretch(1)
        layout.addLayout(side, 1)
        ctx.changed.connect(lambda changes: (changes.rooms or changes.residents) and self.refresh())
        self.refresh()

    def refresh(self) -> None:
        beds = rooms.list_beds(self.ctx.db, self.ctx.actor)
        self.table.setRowCount(len(beds))
        for row, bed in enumerate(beds):
            for column, value in enumerate([bed.display, label(SECTION_LABELS, bed.section),
                                            bed.occupant_name or _("free")]):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def add_room(self) -> None:
        if not run_form_call(lambda: rooms.create_room(
                self.ctx.db, self.ctx.actor, self.name.text(), self.beds.text().split(","),
                section=self.section.currentData()), self.errors, self.general_error):
            return
        self.name.clear()
        self.ctx.announce(Changes(rooms=True))
