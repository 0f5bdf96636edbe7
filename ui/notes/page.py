"""The Notes area: my residents (and the caseload balance for the leader and the coordinator),
writing the shift notes, and the notes about one resident with search and concerns."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QTabWidget,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from app.formatting import format_date, format_datetime
from app.i18n import N_, _
from app.permissions import Permission
from app.services import caseload
from app.vocab import CONTACT_KIND_LABELS, label
from ui.notes.integration import IntegrationTab
from ui.notes.plans import PlansTab, SocialReportTab, _show_pdf
from ui.context import AppContext, Changes
from ui.notes.history import HistoryTab
from ui.notes.shift_notes import ShiftNotesTab
from ui.widgets import heading

MY_COLUMNS = (N_("Name"), N_("Room"), N_("Contact role"), N_("Other contact person"),
              N_("Last observation"), N_("Missing"), N_("Open incident reports"),
              N_("Concerns"), N_("Plan"))
BALANCE_COLUMNS = (N_("Contact person"), N_("Primary"), N_("Secondary"), N_("Total"),
                   N_("Note"))
ID_ROLE = Qt.ItemDataRole.UserRole


class MyResidentsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("my_residents_tab")
        self.tree = QTreeWidget(objectName="my_residents")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels([_(c) for c in MY_COLUMNS])
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setToolTip(_("Double-click a resident to read the notes about them."))
        self.count = QLabel(objectName="my_residents_count")
        self.print_op = None
        self.print_button = QPushButton(_("Print overview"), objectName="print_overview_button")
        self.print_button.setToolTip(_("A one-page overview of the selected resident."))
        self.print_button.clicked.connect(self.print_overview)
        self.tree.currentItemChanged.connect(lambda *_a: self._update_print())
        top = QHBoxLayout()
        top.addWidget(self.count, 1)
        top.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 2)
        self.balance: QTreeWidget | None = None
        if ctx.can(Permission.VIEW_CASELOAD):
            self.balance = QTreeWidget(objectName="caseload_balance")
            self.balance.setRootIsDecorated(False)
            self.balance.setAlternatingRowColors(True)
            self.balance.setHeaderLabels([_(c) for c in BALANCE_COLUMNS])
            self.balance.header().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents)
            self.balance_summary = QLabel(objectName="caseload_summary")
            self.balance_summary.setWordWrap(True)
            title = QLabel(_("Caseload balance"))
            font = title.font()
            font.setBold(True)
            title.setFont(font)
            layout.addWidget(title)
            layout.addWidget(self.balance_summary)
            layout.addWidget(self.balance, 3)
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        rows = caseload.my_residents(self.ctx.db, self.ctx.actor)
        for row in rows:
            reports = str(row.open_incidents) if row.open_incidents else ""
            item = QTreeWidgetItem([
                row.name, row.room or "–", label(CONTACT_KIND_LABELS, row.role),
                row.other_contact or "–",
                format_datetime(row.last_observation_at) if row.last_observation_at
                else _("None yet"),
                _("Missing") if row.missing else "", reports,
                str(row.concerns_waiting) if row.concerns_waiting else "",
                plan_text(row)])
            item.setToolTip(8, plan_text(row))
            item.setData(0, ID_ROLE, row.resident_id)
            if row.missing:
                item.setForeground(5, QColor("#b00020"))
            if row.concerns_waiting:
                item.setForeground(7, QColor("#b00020"))
            self.tree.addTopLevelItem(item)
        if rows:
            self.count.setText(_("You are contact person for {count} residents.").format(
                count=len(rows)))
        else:
            self.count.setText(_("You are not contact person for any resident."))
        if self.balance is not None:
            self._refresh_balance()
        self._update_print()

    def _update_print(self) -> None:
        self.print_button.setEnabled(self.tree.currentItem() is not None)

    def print_overview(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        from app.services.forms import resident_overview_pdf

        db, actor, rid = self.ctx.db, self.ctx.actor, item.data(0, ID_ROLE)
        name = item.text(0)
        title = _("Resident overview – {name}").format(name=name)
        self.print_op = _show_pdf(self, lambda: resident_overview_pdf(db, actor, rid), title,
                                  "resident-overview-" + "-".join(name.lower().split()))

    def _refresh_balance(self) -> None:
        self.balance.clear()
        result = caseload.caseload_balance(self.ctx.db, self.ctx.actor)
        for row in result.rows:
            notes = []
            if not row.available:
                notes.append(_("No longer a contact person: move the residents"))
            if row.above_typical:
                notes.append(_("More than {typical} in one role").format(
                    typical=caseload.TYPICAL_CASELOAD))
            item = QTreeWidgetItem([row.name, str(row.primary), str(row.secondary),
                                    str(row.total), "; ".join(notes)])
            for column in (1, 2, 3):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            if notes:
                item.setForeground(4, QColor("#b00020"))
            self.balance.addTopLevelItem(item)
        self.balance_summary.setText(_(
            "{residents} residents; without a primary contact person: {primary}; without a "
            "secondary contact person: {secondary}.").format(
                residents=result.residents, primary=result.without_primary,
                secondary=result.without_secondary))


def plan_text(row: caseload.MyResident) -> str:
    if row.plan_status is None:
        return _("No plan yet")
    text = (_("Version {version}, signed off") if row.plan_status == "signed_off"
            else _("Version {version}, draft")).format(version=row.plan_version)
    if row.next_review_on is not None:
        text += "; " + _("review {date}").format(date=format_date(row.next_review_on))
    return text


class NotesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("notes_page")
        self.tabs = QTabWidget(objectName="notes_tabs")
        self.my_residents = MyResidentsTab(ctx)
        self.shift_notes = ShiftNotesTab(ctx)
        self.history = HistoryTab(ctx)
        self.tabs.addTab(self.my_residents, _("My residents"))
        self.tabs.addTab(self.shift_notes, _("Write shift notes"))
        self.tabs.addTab(self.history, _("Notes about a resident"))
        self.plans = PlansTab(ctx)
        self.social_report = SocialReportTab(ctx)
        self.integration = IntegrationTab(ctx)
        self.tabs.addTab(self.plans, _("Development plan"))
        self.tabs.addTab(self.social_report, _("Social report"))
        self.tabs.addTab(self.integration, _("Transfer to integration"))
        self.my_residents.tree.itemActivated.connect(
            lambda item, _c: self.show_resident(item.data(0, ID_ROLE)))
        self.shift_notes.saved.connect(lambda _n: self.my_residents.refresh())
        ctx.changed.connect(self._on_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Notes & plans")))
        layout.addWidget(self.tabs, 1)

    def show_resident(self, resident_id: uuid.UUID) -> None:
        self.tabs.setCurrentWidget(self.history)
        self.history.show_resident(resident_id)

    def _on_changed(self, changes: Changes) -> None:
        # Only what costs nothing to read again: a resident's history is read (and audited)
        # when asked for, not on every change elsewhere.
        if not self.ctx.has_actor:
            return
        self.my_residents.refresh()
        self.history.refresh_concerns()

    def save_draft(self) -> None:
        self.shift_notes.save_draft()

    def stash_for_switch(self) -> None:
        self.shift_notes.stash_for_switch()
