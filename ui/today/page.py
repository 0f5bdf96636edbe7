"""Today: everything that is due, most urgent first, from ``app.queries.due`` (the same
question ``centredesk due`` asks)."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from app.formatting import format_date, format_datetime, format_time, to_local, utcnow
from app.i18n import _, ngettext
from app.queries.due import Duty, due_duties, severity_label
from app.services.attendance import day_status, slot_label
from app.services.missing import CaseSummary, open_case_summaries
from ui.context import AppContext, Changes
from ui.rounds.missing_dialogs import countdown_text
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


class MissingBanner(QFrame):
    """One open missing case, in red at the top of the page, with its countdown."""

    clicked = Signal(object)  # case id

    def __init__(self, case: CaseSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.setObjectName("missing_banner")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.label = QLabel(objectName="missing_banner_text")
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.label.setFont(font)
        button = QPushButton(_("Open case"), objectName="missing_banner_open")
        button.clicked.connect(lambda: self.clicked.emit(self.case.case_id))
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(button)
        self.update_text()

    def update_text(self) -> None:
        case, now = self.case, utcnow()
        outstanding = len(case.outstanding)
        if outstanding:
            state = _("{count} of 5 reports outstanding, due {due} – {countdown}").format(
                count=outstanding, due=format_datetime(case.due_at),
                countdown=countdown_text(case.due_at, now))
        else:
            state = _("all reports made – record the return when the resident is back")
        self.label.setText(_("MISSING: {name} (room {room}) since {since}: {state}").format(
            name=case.name, room=case.room or "–", since=format_datetime(case.missing_since),
            state=state))
        overdue = outstanding and case.due_at <= now
        self.setStyleSheet(
            "#missing_banner { background: %s; border-radius: 4px; }"
            "#missing_banner_text { color: %s; }" % (
                ("#b00020", "white") if overdue else ("#fde0e0", "#7a0010")))

    def mousePressEvent(self, event) -> None:
        self.clicked.emit(self.case.case_id)


class TodayPage(QWidget):
    open_resident = Signal(object)  # uuid.UUID
    open_case = Signal(object)  # uuid.UUID of a missing case
    open_rounds = Signal()
    open_lost_item = Signal(object)  # uuid.UUID of a lost-property item
    open_incident = Signal(object)  # uuid.UUID of an incident

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
        note = QLabel(_("Plan reviews and handover deadlines will appear here when the contact "
                        "persons' area is added."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.banners = QVBoxLayout()
        self.banner_widgets: list[MissingBanner] = []
        self.rounds_label = QLabel(objectName="today_rounds")
        self.rounds_label.setTextFormat(Qt.TextFormat.RichText)
        self.rounds_label.linkActivated.connect(lambda _link: self.open_rounds.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.banners)
        layout.addWidget(self.rounds_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        # The countdowns move every few seconds even when nothing else changes.
        self.countdown = QTimer(self)
        self.countdown.setInterval(5_000)
        self.countdown.timeout.connect(self._tick)
        self.countdown.start()
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if (changes.residents or changes.staff or changes.attendance or changes.lost_property
                or changes.incidents):
            self.refresh()

    def _tick(self) -> None:
        for banner in self.banner_widgets:
            banner.update_text()

    def refresh(self) -> None:
        now = utcnow()
        self.title.setText(_("Today, {date}").format(date=format_date(now, "full")))
        with self.ctx.db.read() as session:
            self.duties = due_duties(session, now, self.ctx.actor if self.ctx.has_actor else None)
            self.cases = open_case_summaries(session)
            self.round_statuses = day_status(session, to_local(now).date())
        self._show_cases()
        self._show_rounds(now)
        self.tree.clear()
        for duty in self.duties:
            item = QTreeWidgetItem([severity_label(duty.severity), _due_text(duty),
                                    duty.title])
            item.setData(0, Qt.ItemDataRole.UserRole, str(duty.resident_id or ""))
            item.setData(1, Qt.ItemDataRole.UserRole, duty.params.get("case_id") or (
                "rounds" if duty.kind.startswith("round_") else ""))
            item.setData(2, Qt.ItemDataRole.UserRole, duty.params.get("item_id") or "")
            item.setData(0, Qt.ItemDataRole.UserRole + 1, duty.params.get("incident_id") or "")
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

    def _show_cases(self) -> None:
        for banner in self.banner_widgets:
            self.banners.removeWidget(banner)
            banner.hide()
            banner.setParent(None)
            banner.deleteLater()
        self.banner_widgets = []
        for case in self.cases:
            banner = MissingBanner(case)
            banner.clicked.connect(self.open_case.emit)
            self.banners.addWidget(banner)
            self.banner_widgets.append(banner)

    def _show_rounds(self, now) -> None:
        parts = []
        for status in self.round_statuses:
            name = slot_label(status.slot)
            time = format_time(status.planned_at)
            if status.complete:
                parts.append(_("{round} {time}: ✔ complete").format(round=name, time=time))
            elif status.planned_at <= now:
                parts.append("<b style='color:#b00020'>" + html.escape(_(
                    "{round} {time}: {marked} of {expected} marked").format(
                        round=name, time=time, marked=status.marked,
                        expected=status.expected)) + "</b>")
            else:
                parts.append(_("{round} {time}: planned").format(round=name, time=time))
        link = " <a href='rounds'>" + html.escape(_("Go to the rounds")) + "</a>"
        self.rounds_label.setText(" &nbsp;·&nbsp; ".join(
            p if p.startswith("<b") else html.escape(p) for p in parts) + link)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(1, Qt.ItemDataRole.UserRole)
        incident = item.data(0, Qt.ItemDataRole.UserRole + 1)
        if incident:
            self.open_incident.emit(uuid.UUID(incident))
            return
        lost_item = item.data(2, Qt.ItemDataRole.UserRole)
        if lost_item:
            self.open_lost_item.emit(uuid.UUID(lost_item))
            return
        if target == "rounds":
            self.open_rounds.emit()
            return
        if target:
            self.open_case.emit(uuid.UUID(target))
            return
        value = item.data(0, Qt.ItemDataRole.UserRole)
        if value:
            self.open_resident.emit(uuid.UUID(value))
