"""Today: everything that is due, most urgent first, from ``app.queries.due`` (the same
question ``centredesk due`` asks)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from app.formatting import format_date, format_datetime, to_local, utcnow
from app.i18n import _, ngettext
from app.queries.due import Duty, due_duties, severity_label
from ui.context import AppContext, Changes
from ui.widgets import heading

SEVERITY_COLOURS = {"overdue": "#fde0e0", "due": "#fff4d6", "upcoming": "#e8f1fb", "info": None}
REFRESH_MS = 60_000


def _due_text(duty: Duty) -> str:
    """A deadline at midnight is a day, not a time of day."""
    if duty.due_at is None:
        return ""
    local = to_local(duty.due_at)
    if (local.hour, local.minute) == (0, 0):
        return format_date(local)
    return format_datetime(duty.due_at)


class TodayPage(QWidget):
    open_resident = Signal(object)  # uuid.UUID

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("today_page")
        self.duties: list[Duty] = []
        self.title = heading("")
        self.summary = QLabel(objectName="today_summary")
        self.tree = QTreeWidget(objectName="duty_list")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([_("Urgency"), _("Deadline"), _("What to do")])
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._activated)
        note = QLabel(_("Attendance rounds, missing-child reports, incident reports, plan reviews "
                        "and lost-property deadlines will appear here as those areas are added."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.residents or changes.staff:
            self.refresh()

    def refresh(self) -> None:
        now = utcnow()
        self.title.setText(_("Today, {date}").format(date=format_date(now, "full")))
        with self.ctx.db.read() as session:
            self.duties = due_duties(session, now)
        self.tree.clear()
        for duty in self.duties:
            item = QTreeWidgetItem([severity_label(duty.severity), _due_text(duty),
                                    duty.title])
            item.setData(0, Qt.ItemDataRole.UserRole, str(duty.resident_id or ""))
            colour = SEVERITY_COLOURS.get(duty.severity)
            if colour:
                for column in range(3):
                    item.setBackground(column, QBrush(QColor(colour)))
            self.tree.addTopLevelItem(item)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        overdue = sum(1 for d in self.duties if d.severity == "overdue")
        if not self.duties:
            self.summary.setText(_("Nothing is due right now."))
        else:
            self.summary.setText(
                ngettext("{count} thing to do", "{count} things to do", len(self.duties)).format(
                    count=len(self.duties)) + " – " +
                ngettext("{count} overdue", "{count} overdue", overdue).format(count=overdue))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        value = item.data(0, Qt.ItemDataRole.UserRole)
        if value:
            self.open_resident.emit(uuid.UUID(value))
