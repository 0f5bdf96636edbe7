"""The visitor log at reception: sign in, sign out, turn away; who is in the building now;
a resident's visitors and a visitor's visits."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTabWidget, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_datetime, format_time, utcnow
from app.i18n import N_, _
from app.models.reception import ID_DOCUMENT_TYPES
from app.permissions import Permission
from app.services import visitors
from app.services.visitors import VisitorInput, VisitView
from app.vocab import ID_DOCUMENT_LABELS, label
from ui.context import AppContext, Changes
from ui.ops import Operation, show_error
from ui.rounds.page import ResidentChooser
from ui.widgets import ErrorLabel, FieldErrors, heading, run_form_call


def _tree(headers: list[str], name: str, stretch: int) -> QTreeWidget:
    tree = QTreeWidget(objectName=name)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setHeaderLabels(headers)
    tree.header().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return tree


def _visit_row(visit: VisitView) -> list[str]:
    name = visit.visitor_name if not visit.identity_erased else _("(erased)")
    document = label(ID_DOCUMENT_LABELS, visit.id_document_type)
    if visit.id_document_number:
        document += f" {visit.id_document_number}"
    if visit.turned_away:
        status = _("Turned away: {reason}").format(reason=visit.turned_away_reason or "")
    elif visit.left_at is None:
        status = _("In the building")
    else:
        status = _("Left {time}").format(time=format_time(visit.left_at))
    return [format_datetime(visit.arrived_at), name or "", document, visit.relation or "",
            visit.resident_name or "", visit.room or "", status, visit.signed_in_by or ""]


VISIT_HEADERS = (N_("Arrived"), N_("Visitor"), N_("ID document"), N_("Relation"),
                 N_("Visiting"), N_("Room"), N_("Status"), N_("Signed in by"))


class SignInDialog(QDialog):
    """Sign a visitor in, or turn the visitor away with a reason."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.visit: VisitView | None = None
        self.setObjectName("sign_in_dialog")
        self.setWindowTitle(_("Visitor"))
        self.name = QLineEdit(objectName="visitor_name")
        self.document = QComboBox(objectName="id_document_type")
        for code in ID_DOCUMENT_TYPES:
            self.document.addItem(label(ID_DOCUMENT_LABELS, code), code)
        self.number = QLineEdit(objectName="id_document_number")
        self.relation = QLineEdit(objectName="relation")
        self.relation.setPlaceholderText(_("Uncle, friend, teacher, representative …"))
        self.resident = ResidentChooser(ctx, "", self).combo
        self.reason = QLineEdit(objectName="turned_away_reason")
        self.reason.setPlaceholderText(_("Only when turning the visitor away"))
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Name"), "name", self.name)
        self.errors.add_row(form, _("ID document"), "id_document_type", self.document)
        self.errors.add_row(form, _("Document number"), "id_document_number", self.number)
        self.errors.add_row(form, _("Relation to the resident"), "relation", self.relation)
        self.errors.add_row(form, _("Visiting"), "resident", self.resident)
        self.errors.add_row(form, _("Reason for turning away"), "reason", self.reason)
        self.general_error = ErrorLabel()
        sign_in = QPushButton(_("Sign in"), objectName="sign_in_button")
        sign_in.setDefault(True)
        sign_in.clicked.connect(self.sign_in)
        away = QPushButton(_("Turn away"), objectName="turn_away_button")
        away.clicked.connect(self.turn_away)
        cancel = QPushButton(_("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(away)
        buttons.addWidget(cancel)
        buttons.addWidget(sign_in)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Visitor identity is kept for the period the centre has set "
                                  "and then erased.")))
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)

    def _input(self) -> VisitorInput:
        return VisitorInput(self.name.text(), self.document.currentData(), self.number.text(),
                            self.relation.text())

    def _resident_id(self) -> uuid.UUID | None:
        data = self.resident.currentData()
        return data[0] if data else None

    def sign_in(self) -> None:
        def call() -> None:
            self.visit = visitors.sign_in(self.ctx.db, self.ctx.actor, self._input(),
                                          self._resident_id())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(visitors=True))
            self.accept()

    def turn_away(self) -> None:
        def call() -> None:
            self.visit = visitors.turn_away(self.ctx.db, self.ctx.actor, self._input(),
                                            self._resident_id(), reason=self.reason.text())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(visitors=True))
            self.accept()


class VisitorsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("visitors_page")
        # Identity older than the retention period goes before anyone reads the log.
        visitors.erase_expired_identities(ctx.db)
        headers = [_(h) for h in VISIT_HEADERS]
        self.inside = _tree(headers, "visitors_inside", 1)
        self.today_list = _tree(headers, "visitors_today", 1)
        self.resident_list = _tree(headers, "resident_visits", 1)
        self.visitor_list = _tree([_("Visitor"), _("Visits"), _("Turned away"), _("Last visit"),
                                   _("Visited")], "visitor_search_results", 4)
        self.visitor_list.itemActivated.connect(self._visitor_chosen)
        self.visitor_visits = _tree(headers, "visitor_visits", 1)
        self.inside_count = QLabel(objectName="inside_count")
        font = self.inside_count.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.inside_count.setFont(font)

        sign_in = QPushButton(_("Sign a visitor in…"), objectName="new_visit_button")
        sign_in.clicked.connect(self.sign_in)
        sign_out = QPushButton(_("Sign out"), objectName="sign_out_button")
        sign_out.clicked.connect(self.sign_out)
        print_list = QPushButton(_("Print who is in the building"),
                                 objectName="print_inside_button")
        print_list.clicked.connect(self.print_inside)
        can_log = ctx.can(Permission.LOG_VISITORS)
        for button in (sign_in, sign_out, print_list):
            button.setEnabled(can_log)

        inside_tab = QWidget()
        inside_layout = QVBoxLayout(inside_tab)
        inside_layout.addWidget(self.inside_count)
        inside_layout.addWidget(self.inside, 2)
        buttons = QHBoxLayout()
        for button in (sign_in, sign_out, print_list):
            buttons.addWidget(button)
        buttons.addStretch(1)
        inside_layout.addLayout(buttons)
        inside_layout.addWidget(QLabel(_("Today's visits:")))
        inside_layout.addWidget(self.today_list, 1)

        resident_tab = QWidget()
        resident_layout = QVBoxLayout(resident_tab)
        choose = QPushButton(_("Choose resident…"), objectName="choose_resident_button")
        choose.clicked.connect(self.choose_resident)
        self.resident_title = QLabel(_("Choose a resident to see who visited."))
        row = QHBoxLayout()
        row.addWidget(choose)
        row.addWidget(self.resident_title, 1)
        resident_layout.addLayout(row)
        resident_layout.addWidget(self.resident_list, 1)

        visitor_tab = QWidget()
        visitor_layout = QVBoxLayout(visitor_tab)
        self.search = QLineEdit(objectName="visitor_search")
        self.search.setPlaceholderText(_("Visitor's name or document number"))
        self.search.returnPressed.connect(self.find_visitor)
        find = QPushButton(_("Find"))
        find.clicked.connect(self.find_visitor)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(find)
        visitor_layout.addLayout(row)
        visitor_layout.addWidget(self.visitor_list, 1)
        visitor_layout.addWidget(self.visitor_visits, 1)

        self.tabs = QTabWidget(objectName="visitor_tabs")
        self.tabs.addTab(inside_tab, _("In the building"))
        self.tabs.addTab(resident_tab, _("A resident's visitors"))
        self.tabs.addTab(visitor_tab, _("A visitor's visits"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Visitors")))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        if changes.visitors or changes.residents:
            self.refresh()

    @staticmethod
    def _fill(tree: QTreeWidget, visits: list[VisitView]) -> None:
        tree.clear()
        for visit in visits:
            item = QTreeWidgetItem(_visit_row(visit))
            item.setData(0, Qt.ItemDataRole.UserRole, str(visit.id))
            tree.addTopLevelItem(item)
        for column in (0, 2, 3, 4, 5, 6, 7):
            tree.resizeColumnToContents(column)

    def refresh(self) -> None:
        try:
            inside = visitors.in_building(self.ctx.db, self.ctx.actor)
            now = utcnow()
            from app.formatting import to_local

            start = to_local(now).replace(hour=0, minute=0, second=0, microsecond=0)
            today = visitors.visits_on(self.ctx.db, self.ctx.actor, start,
                                       start + timedelta(days=1, hours=1))
        except DomainError as error:
            show_error(self, error)
            return
        self._fill(self.inside, inside)
        self._fill(self.today_list, today)
        self.inside_count.setText(_("{count} visitors in the building now").format(
            count=len(inside)))

    def sign_in(self) -> None:
        SignInDialog(self.ctx, self).exec()

    def sign_out(self) -> None:
        item = self.inside.currentItem()
        if item is None:
            return
        try:
            visitors.sign_out(self.ctx.db, self.ctx.actor,
                              uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole)))
        except DomainError as error:
            show_error(self, error)
        self.ctx.announce(Changes(visitors=True))

    def print_inside(self) -> None:
        from app.services.forms import visitors_in_building_pdf

        db, actor = self.ctx.db, self.ctx.actor

        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            PdfPreviewDialog(pdf, _("Visitors in the building"), self,
                             suggested_name="besoegende-i-huset").exec()

        self.print_op = Operation(self, lambda _c, _r: visitors_in_building_pdf(db, actor),
                                  title=_("Preparing the list…"), on_success=show)
        self.print_op.start()

    def choose_resident(self) -> None:
        chooser = ResidentChooser(self.ctx, _("A resident's visitors"), self)
        if not chooser.exec() or chooser.resident_id is None:
            return
        self.resident_title.setText(chooser.resident_name)
        self._fill(self.resident_list, visitors.visits_of_resident(
            self.ctx.db, self.ctx.actor, chooser.resident_id))

    def find_visitor(self) -> None:
        found = visitors.find_visitors(self.ctx.db, self.ctx.actor, self.search.text())
        self.visitor_list.clear()
        self.visitor_visits.clear()
        for summary in found:
            item = QTreeWidgetItem([summary.name, str(summary.visits), str(summary.turned_away),
                                    format_datetime(summary.last_visit),
                                    ", ".join(summary.residents)])
            item.setData(0, Qt.ItemDataRole.UserRole, summary.key)
            self.visitor_list.addTopLevelItem(item)
        for column in range(4):
            self.visitor_list.resizeColumnToContents(column)

    def _visitor_chosen(self, item: QTreeWidgetItem, _column: int) -> None:
        self._fill(self.visitor_visits, visitors.visits_of_visitor(
            self.ctx.db, self.ctx.actor, item.data(0, Qt.ItemDataRole.UserRole)))
