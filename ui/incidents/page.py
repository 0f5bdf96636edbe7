"""The Incidents area: the log, one incident with its reports checklist, and the trends."""

from __future__ import annotations

import html
import uuid
from datetime import timedelta

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QFormLayout,
                               QFrame, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QListWidget, QPlainTextEdit, QPushButton, QScrollArea, QSplitter,
                               QStyledItemDelegate, QStyleOptionViewItem, QTabWidget,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_date, format_datetime, local_today, utcnow
from app.i18n import _
from app.permissions import Permission
from app.services import allowance, incidents
from app.services.incidents import EXTRA_REPORT_CODES, ConfiscatedView, IncidentDetail
from app.vocab import (IMMEDIATE_ACTION_LABELS, INCIDENT_KIND_LABELS, INCIDENT_REPORT_LABELS,
                       RESIDENT_ROLE_LABELS, label)
from ui.context import AppContext, Changes
from ui.incidents.allowance import (AuthorisationsDialog, CommentsDialog, DecisionDialog,
                                    decision_text)
from ui.ops import Operation, show_error
from ui.widgets import (ErrorLabel, FieldErrors, date_edit, datetime_edit, edit_datetime,
                        from_qdate, heading, run_form_call, save_cancel_buttons)

FORM_CODES = ("IN8", "IN9", "IN10", "IN12")
#: The list's kinds column: at most as wide as its longest kind, at most this share of the
#: room left by number, time and count (the residents get the rest), at least MIN_KINDS_WIDTH;
#: a kind that does not fit wraps.
KINDS_SHARE, MIN_KINDS_WIDTH = 0.6, 120
#: The widest the reports checklist's name and reference columns start.
REPORT_WIDTH, REFERENCE_WIDTH = 180, 120


class _WrapDelegate(QStyledItemDelegate):
    """Measures a cell at its column's width, so a wrapped cell gets the lines it needs."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self.tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        # The natural width (for "resize to contents"), the height at the column's width.
        unbounded = QStyleOptionViewItem(option)
        unbounded.rect = QRect()
        natural = super().sizeHint(unbounded, index)
        measured = QStyleOptionViewItem(option)
        measured.rect = QRect(0, 0, self.tree.header().sectionSize(index.column()), 1)
        return QSize(natural.width(), super().sizeHint(measured, index).height())


def wrap_rows(tree: QTreeWidget) -> None:
    """Wrap long cells onto more lines, and fit the rows again when a column changes width
    (a tree view otherwise measures rows as if every column were wide enough)."""
    tree.setWordWrap(True)
    tree.setItemDelegate(_WrapDelegate(tree))
    timer = QTimer(tree)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(tree.doItemsLayout)
    tree.header().sectionResized.connect(lambda *_args: timer.start())


class ReportDoneDialog(QDialog):
    def __init__(self, ctx: AppContext, incident: IncidentDetail, code: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.incident, self.code = ctx, incident, code
        self.setObjectName("incident_report_done")
        self.setWindowTitle(label(INCIDENT_REPORT_LABELS, code))
        self.done_at = datetime_edit()
        self.done_at.setObjectName("done_at")
        self.reference = QLineEdit(objectName="reference")
        self.reference.setPlaceholderText(_("Police journal number") if code == "police"
                                          else _("E-mail sent, phone call …"))
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Done at"), "done_at", self.done_at)
        self.errors.add_row(form, _("Reference"), "reference", self.reference)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Incident {number}: {report}").format(
            number=incident.number, report=label(INCIDENT_REPORT_LABELS, code))))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.reference.setFocus()

    def save(self) -> None:
        def call() -> None:
            incidents.mark_report_done(self.ctx.db, self.ctx.actor, self.incident.id, self.code,
                                       done_at=edit_datetime(self.done_at),
                                       reference=self.reference.text())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(incidents=True))
            self.accept()


class StatementDialog(QDialog):
    """The minor was told about the report and gave a view (or declined)."""

    def __init__(self, ctx: AppContext, force_id: uuid.UUID, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.force_id = ctx, force_id
        self.setObjectName("statement_dialog")
        self.setWindowTitle(_("{name}'s view").format(name=name))
        self.informed_on = date_edit(local_today())
        self.informed_on.setObjectName("informed_on")
        self.statement = QPlainTextEdit(objectName="statement")
        self.statement.setTabChangesFocus(True)
        self.declined = QCheckBox(_("The minor declined to give a view"), objectName="declined")
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Told about the report on"), "informed_on", self.informed_on)
        self.errors.add_row(form, _("The minor's own words"), "statement", self.statement)
        form.addRow("", self.declined)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        def call() -> None:
            day = from_qdate(self.informed_on.date())
            incidents.record_statement(self.ctx.db, self.ctx.actor, self.force_id,
                                       informed_on=day, statement=self.statement.toPlainText(),
                                       declined=self.declined.isChecked(), statement_on=day)

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(incidents=True))
            self.accept()


class ReturnItemDialog(QDialog):
    """An item taken into safekeeping is given back to the resident, or handed to the police."""

    def __init__(self, ctx: AppContext, incident: IncidentDetail, item: ConfiscatedView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.incident, self.item = ctx, incident, item
        self.setObjectName("return_item_dialog")
        self.setWindowTitle(_("Return item"))
        self.on = date_edit(local_today())
        self.on.setObjectName("returned_on")
        self.to_police = QCheckBox(_("Handed to the police instead of given back"),
                                   objectName="to_police")
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Returned on"), "on", self.on)
        form.addRow("", self.to_police)
        self.general_error = ErrorLabel()
        heading_text = QLabel(_("Incident {number}: {item}").format(
            number=incident.number, item=item.description))
        heading_text.setWordWrap(True)
        details = [_("Resident: {name}").format(name=item.resident_name)
                   if item.resident_name else "",
                   _("Kept: {where}").format(where=item.kept_where) if item.kept_where else ""]
        layout = QVBoxLayout(self)
        layout.addWidget(heading_text)
        if any(details):
            layout.addWidget(QLabel("\n".join(text for text in details if text)))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.setMinimumWidth(420)
        self.on.setFocus()

    def save(self) -> None:
        def call() -> None:
            incidents.return_confiscated(self.ctx.db, self.ctx.actor, self.item.id,
                                         on=from_qdate(self.on.date()),
                                         to_police=self.to_police.isChecked())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(incidents=True))
            self.accept()


def item_state(item: ConfiscatedView) -> str:
    if item.returned_on is None:
        return _("kept: {where}").format(where=item.kept_where or "–")
    if item.handed_to_police:
        return _("handed to the police {date} by {name}").format(
            date=format_date(item.returned_on), name=item.returned_by or "–")
    return _("given back {date} by {name}").format(date=format_date(item.returned_on),
                                                   name=item.returned_by or "–")


def incident_html(detail: IncidentDetail) -> str:
    e = html.escape
    lines = [f"<h3>{e(_('Incident {number}').format(number=detail.number))}</h3>"]
    if detail.voided_at:
        lines.append("<p style='color:#b00020'><b>" + e(_("VOID {time}: {reason}").format(
            time=format_datetime(detail.voided_at), reason=detail.void_reason or "")) + "</b></p>")
    # Who reported it and every correction come first: a corrected record says so at once.
    lines.append("<p style='color:#555'>" + e(_(
        "Reported by {name} at {time}; version {version}.").format(
        name=detail.reported_by or "", time=format_datetime(detail.reported_at),
        version=detail.version)))
    for version, at, by, reason in detail.versions:
        lines.append("<br>" + e(_("Version {version} corrected {time} by {name}: {reason}")
                                .format(version=version, time=format_datetime(at),
                                        name=by or "", reason=reason)))
    lines.append("</p>")
    lines.append(e(_("Happened {happened}, noticed {noticed}, at {place}").format(
        happened=format_datetime(detail.happened_at), noticed=format_datetime(detail.noticed_at),
        place=detail.place)))
    lines.append("<br><b>" + e(", ".join(label(INCIDENT_KIND_LABELS, k) for k in detail.kinds))
                 + "</b>")
    if detail.harassment_grounds:
        lines.append("<br>" + e(_("Harassment because of: {grounds}").format(
            grounds=detail.harassment_grounds)))
    lines.append("<p>" + e(detail.description).replace("\n", "<br>") + "</p>")
    if detail.residents:
        lines.append(e(_("Residents: {list}").format(list="; ".join(
            f"{name} ({person_id}) – {label(RESIDENT_ROLE_LABELS, role)}"
            for _rid, name, person_id, role in detail.residents))))
    if detail.staff:
        lines.append("<br>" + e(_("Staff: {list}").format(list=", ".join(detail.staff))))
    if detail.other_persons:
        lines.append("<br>" + e(_("Others: {list}").format(list=detail.other_persons)))
    if detail.immediate_actions:
        lines.append("<br>" + e(_("Done at once: {list}").format(list=", ".join(
            label(IMMEDIATE_ACTION_LABELS, a) for a in detail.immediate_actions))))
    for force in detail.uses_of_force:
        lines.append("<p><b>" + e(_("{kind} – {name}, {start}").format(
            kind=label(INCIDENT_KIND_LABELS, force.kind), name=force.resident_name,
            start=format_datetime(force.started_at))) + "</b><br>")
        lines.append(e(_("Reason: {reason}. Decided by {name}.").format(
            reason=force.reason.rstrip("."), name=force.decided_by or "–")))
        if force.minor_statement:
            lines.append("<br>" + e(_("The minor's view ({date}): “{text}”").format(
                date=format_date(force.statement_on), text=force.minor_statement)))
        elif force.minor_declined:
            lines.append("<br>" + e(_("The minor declined to give a view ({date}).").format(
                date=format_date(force.statement_on))))
        else:
            lines.append("<br><span style='color:#b00020'>" + e(_(
                "The minor has not yet been told about the report and heard.")) + "</span>")
        lines.append("</p>")
    for item in detail.confiscated:
        lines.append("<br>" + e(_("Taken into safekeeping: {item} ({state})").format(
            item=item.description, state=item_state(item))))
    return "".join(lines)


class IncidentLogTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: IncidentDetail | None = None
        self.period = QComboBox(objectName="incident_period")
        for days, text in ((30, _("Last 30 days")), (365, _("Last 12 months")),
                           (0, _("Everything"))):
            self.period.addItem(text, days)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.show_void = QCheckBox(_("Show void incidents"), objectName="show_void")
        self.show_void.toggled.connect(lambda _on: self.refresh())
        self.tree = QTreeWidget(objectName="incident_list")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        # The count's header on two lines keeps the column narrow.
        self.tree.setHeaderLabels([_("Number"), _("Happened"), _("Kinds"), _("Residents"),
                                   _("Reports not done").replace(" ", "\n", 1)])
        # One kind and one resident a line, so the (translated) kinds are read whole in a
        # column no wider than the longest kind; the residents take the rest.
        wrap_rows(self.tree)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setMinimumSectionSize(40)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_current())
        self.tree.viewport().installEventFilter(self)
        self.text = QLabel(objectName="incident_detail")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text_scroll = QScrollArea()
        text_scroll.setWidgetResizable(True)
        text_scroll.setFrameShape(QFrame.Shape.NoFrame)
        text_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        text_scroll.setWidget(self.text)
        self.items = QTreeWidget(objectName="confiscated_items")
        self.items.setRootIsDecorated(False)
        self.items.setHeaderLabels([_("Item"), _("Resident"), _("Where / returned")])
        self.items.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        wrap_rows(self.items)
        self.items.setMaximumHeight(110)
        self.items.currentItemChanged.connect(lambda *_a: self._enable_return())
        self.items.itemActivated.connect(lambda *_a: self.return_item())
        self.checklist = QTreeWidget(objectName="incident_reports")
        self.checklist.setRootIsDecorated(False)
        self.checklist.setHeaderLabels([_("Report"), _("Status"), _("Reference")])
        self.checklist.header().setStretchLastSection(False)
        self.checklist.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        wrap_rows(self.checklist)
        self.checklist.itemActivated.connect(lambda *_a: self.mark_done())

        new = QPushButton(_("Log an incident… (Ctrl+I)"), objectName="new_incident_button")
        new.clicked.connect(self.new_incident)
        self.correct_button = QPushButton(_("Correct…"), objectName="correct_button")
        self.correct_button.setToolTip(_("Correct the incident; the version before is kept."))
        self.correct_button.clicked.connect(self.correct)
        self.return_button = QPushButton(_("Return item…"), objectName="return_item_button")
        self.return_button.clicked.connect(self.return_item)
        self.done_button = QPushButton(_("Report done…"), objectName="report_done_button")
        self.done_button.clicked.connect(self.mark_done)
        self.add_button = QPushButton(_("Add a report…"), objectName="add_report_button")
        self.add_button.clicked.connect(self.add_report)
        self.statement_button = QPushButton(_("Minor's view…"), objectName="statement_button")
        self.statement_button.clicked.connect(self.record_statement)
        self.form_combo = QComboBox(objectName="form_code")
        self.print_button = QPushButton(_("Print form"), objectName="print_form_button")
        self.print_button.clicked.connect(self.print_form)
        self.void_button = QPushButton(_("Void…"), objectName="void_button")
        self.void_button.clicked.connect(self.void)
        self.void_button.setVisible(ctx.can(Permission.VOID_INCIDENTS))
        self.decision_button = QPushButton(_("Allowance decision…"),
                                           objectName="decision_button")
        self.decision_button.setToolTip(_("Reduce or withhold a resident's cash allowance "
                                          "(centre leader or authorised person)"))
        self.decision_button.clicked.connect(self.decide_allowance)
        self.decision_button.setVisible(allowance.may_decide(ctx.db, ctx.actor))
        self.comments_button = QPushButton(_("Resident's comments…"),
                                           objectName="decision_comments_button")
        self.comments_button.clicked.connect(self.decision_comments)
        self.decisions = QListWidget(objectName="decision_list")
        self.decisions.setWordWrap(True)
        self.decisions.setMaximumHeight(70)
        self.decisions.currentRowChanged.connect(lambda *_a: self._enable_comments())

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.addWidget(text_scroll, 2)
        incident_row = QHBoxLayout()
        for widget in (self.correct_button, self.statement_button, self.decision_button,
                       self.void_button):
            incident_row.addWidget(widget)
        incident_row.addStretch(1)
        right_layout.addLayout(incident_row)
        self.items_box = QWidget()
        items_layout = QVBoxLayout(self.items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_head = QHBoxLayout()
        items_head.addWidget(QLabel(_("Items taken into safekeeping:")))
        items_head.addStretch(1)
        items_head.addWidget(self.return_button)
        items_layout.addLayout(items_head)
        items_layout.addWidget(self.items)
        self.items_box.hide()
        right_layout.addWidget(self.items_box)
        self.decisions_box = QWidget()
        decisions_layout = QVBoxLayout(self.decisions_box)
        decisions_layout.setContentsMargins(0, 0, 0, 0)
        decisions_head = QHBoxLayout()
        decisions_head.addWidget(QLabel(_("Cash-allowance decisions:")))
        decisions_head.addStretch(1)
        decisions_head.addWidget(self.comments_button)
        decisions_layout.addLayout(decisions_head)
        decisions_layout.addWidget(self.decisions)
        self.decisions_box.hide()
        right_layout.addWidget(self.decisions_box)
        right_layout.addWidget(QLabel(_("Reports (required ones cannot be removed):")))
        right_layout.addWidget(self.checklist, 2)
        row = QHBoxLayout()
        for widget in (self.done_button, self.add_button, self.form_combo, self.print_button):
            row.addWidget(widget)
        row.addStretch(1)
        right_layout.addLayout(row)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 480])
        top = QHBoxLayout()
        top.addWidget(new)
        if ctx.can(Permission.AUTHORISE_ALLOWANCE):
            authorised = QPushButton(_("Who may decide on allowances…"),
                                     objectName="authorisations_button")
            authorised.clicked.connect(lambda: AuthorisationsDialog(self.ctx, self).exec())
            top.addWidget(authorised)
        top.addStretch(1)
        top.addWidget(self.show_void)
        top.addWidget(self.period)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.refresh()

    def refresh(self) -> None:
        days = self.period.currentData()
        since = utcnow() - timedelta(days=days) if days else None
        selected = self.detail.id if self.detail else None
        summaries = incidents.list_incidents(self.ctx.db, self.ctx.actor, since=since,
                                             include_voided=self.show_void.isChecked())
        self.tree.clear()
        for s in summaries:
            kinds = "\n".join(label(INCIDENT_KIND_LABELS, k) for k in s.kinds)
            who = "\n".join(s.residents) if s.readable else _("(not yours to read)")
            item = QTreeWidgetItem([s.number, format_datetime(s.happened_at), kinds, who,
                                    str(s.outstanding) if s.outstanding else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, str(s.id))
            item.setToolTip(2, kinds)
            item.setToolTip(3, who)
            for column in range(4):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignLeft
                                      | Qt.AlignmentFlag.AlignTop)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            if s.voided:
                for column in range(5):
                    item.setForeground(column, QBrush(QColor("#999")))
            elif s.outstanding:
                item.setBackground(4, QBrush(QColor("#fde0e0")))
            self.tree.addTopLevelItem(item)
            if selected is not None and s.id == selected:
                self.tree.setCurrentItem(item)
        for column in (0, 1, 4):
            self.tree.resizeColumnToContents(column)
        self._fit_kinds()
        self._show_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_kinds()
        return super().eventFilter(watched, event)

    def _fit_kinds(self) -> None:
        """Share the list's width between the kinds and the residents (see KINDS_SHARE)."""
        fixed = sum(self.tree.columnWidth(column) for column in (0, 1, 4))
        room = self.tree.viewport().width() - fixed
        natural = max(self.tree.sizeHintForColumn(2),
                      self.tree.header().sectionSizeHint(2))
        self.tree.setColumnWidth(2, max(min(natural, int(room * KINDS_SHARE)),
                                        MIN_KINDS_WIDTH))

    def select(self, incident_id: uuid.UUID) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == str(incident_id):
                self.tree.setCurrentItem(item)
                return
        self.period.setCurrentIndex(self.period.findData(0))
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == str(incident_id):
                self.tree.setCurrentItem(item)

    def _show_current(self) -> None:
        item = self.tree.currentItem()
        self.detail = None
        self.checklist.clear()
        self.form_combo.clear()
        self.items.clear()
        self.items_box.hide()
        self.decisions.clear()
        self.decisions_box.hide()
        self.decision_views: list = []
        if item is None:
            self.text.setText(_("Choose an incident."))
            self._enable(False)
            return
        try:
            self.detail = incidents.get_incident(
                self.ctx.db, self.ctx.actor, uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole)))
        except DomainError as error:
            self.text.setText(html.escape(error.message))
            self._enable(False)
            return
        self.text.setText(incident_html(self.detail))
        now = utcnow()
        for report in self.detail.reports:
            if report.done:
                status = _("Done {time} by {name}").format(time=format_datetime(report.done_at),
                                                           name=report.done_by or "")
            else:
                age = now - self.detail.reported_at
                status = _("NOT DONE – {hours} h since the incident was logged").format(
                    hours=int(age.total_seconds() // 3600))
            name = label(INCIDENT_REPORT_LABELS, report.code)
            if not report.required:
                name += " " + _("(added: {reason})").format(reason=report.added_reason or "")
            row = QTreeWidgetItem([name, status, report.reference or ""])
            row.setData(0, Qt.ItemDataRole.UserRole, report.code)
            row.setToolTip(1, status)
            if not report.done:
                for column in range(3):
                    row.setBackground(column, QBrush(QColor("#fde0e0")))
            self.checklist.addTopLevelItem(row)
        # The report's name and its reference share the width with the status, which wraps.
        for column, widest in ((0, REPORT_WIDTH), (2, REFERENCE_WIDTH)):
            self.checklist.resizeColumnToContents(column)
            self.checklist.setColumnWidth(column, min(self.checklist.columnWidth(column),
                                                      widest))
        for report in self.detail.reports:
            if report.code in FORM_CODES:
                self.form_combo.addItem(report.code, report.code)
        first_kept = None
        for thing in self.detail.confiscated:
            row = QTreeWidgetItem([thing.description, thing.resident_name or "",
                                   item_state(thing)])
            row.setData(0, Qt.ItemDataRole.UserRole, str(thing.id))
            row.setToolTip(0, thing.description)
            row.setToolTip(2, item_state(thing))
            if thing.returned_on is not None:
                for column in range(3):
                    row.setForeground(column, QBrush(QColor("#666")))
            elif first_kept is None:
                first_kept = row
            self.items.addTopLevelItem(row)
        self.items_box.setVisible(bool(self.detail.confiscated))
        self.decision_views = allowance.decisions_for_incident(self.ctx.db, self.ctx.actor,
                                                               self.detail.id)
        for decision in self.decision_views:
            self.decisions.addItem(decision_text(decision))
        self.decisions_box.setVisible(bool(self.decision_views))
        if self.decision_views:
            self.decisions.setCurrentRow(len(self.decision_views) - 1)
        self.items.resizeColumnToContents(0)
        self.items.resizeColumnToContents(1)
        if first_kept is not None:
            self.items.setCurrentItem(first_kept)
        self._enable(self.detail.voided_at is None)

    def _enable(self, on: bool) -> None:
        for widget in (self.done_button, self.add_button, self.void_button,
                       self.correct_button, self.decision_button):
            widget.setEnabled(on)
        self._enable_comments()
        self.statement_button.setEnabled(on and bool(self.detail and self.detail.uses_of_force))
        self.print_button.setEnabled(bool(self.detail) and self.form_combo.count() > 0)
        self._enable_return()

    def _enable_comments(self) -> None:
        row = self.decisions.currentRow()
        views = getattr(self, "decision_views", [])
        self.comments_button.setEnabled(0 <= row < len(views)
                                        and views[row].cancelled_on is None)

    def decide_allowance(self) -> None:
        if self.detail is None:
            return
        if DecisionDialog(self.ctx, self.detail, self).exec():
            self._show_current()

    def decision_comments(self) -> None:
        row = self.decisions.currentRow()
        if not 0 <= row < len(self.decision_views):
            return
        if CommentsDialog(self.ctx, self.decision_views[row], self).exec():
            self._show_current()

    def current_item(self) -> ConfiscatedView | None:
        """The confiscated item chosen in the detail, if the incident is shown."""
        row = self.items.currentItem()
        if self.detail is None or row is None:
            return None
        chosen = row.data(0, Qt.ItemDataRole.UserRole)
        return next((i for i in self.detail.confiscated if str(i.id) == chosen), None)

    def _enable_return(self) -> None:
        chosen = self.current_item()
        self.return_button.setEnabled(
            chosen is not None and chosen.returned_on is None and self.detail is not None
            and self.detail.voided_at is None)

    def new_incident(self) -> None:
        from ui.incidents.editor import IncidentEditor

        editor = IncidentEditor(self.ctx, self)
        if editor.exec() and editor.saved is not None:
            self.refresh()
            self.select(editor.saved.id)

    def correct(self) -> None:
        if self.detail is None or self.detail.voided_at is not None:
            return
        from ui.incidents.editor import IncidentEditor

        try:
            editor = IncidentEditor(self.ctx, self, correcting=self.detail)
        except DomainError as error:
            show_error(self, error)
            return
        if editor.exec() and editor.saved is not None:
            self.refresh()
            self.select(editor.saved.id)

    def return_item(self) -> None:
        chosen = self.current_item()
        if self.detail is None or chosen is None or chosen.returned_on is not None \
                or self.detail.voided_at is not None:
            return
        if ReturnItemDialog(self.ctx, self.detail, chosen, self).exec():
            self.refresh()

    def mark_done(self) -> None:
        item = self.checklist.currentItem()
        if self.detail is None or item is None:
            return
        if ReportDoneDialog(self.ctx, self.detail, item.data(0, Qt.ItemDataRole.UserRole),
                            self).exec():
            self.refresh()

    def add_report(self) -> None:
        if self.detail is None:
            return
        present = {r.code for r in self.detail.reports}
        choices = [c for c in EXTRA_REPORT_CODES if c not in present]
        if not choices:
            return
        labels = [label(INCIDENT_REPORT_LABELS, c) for c in choices]
        chosen, ok = QInputDialog.getItem(self, _("Add a report"), _("Report"), labels, 0, False)
        if not ok:
            return
        reason, ok = QInputDialog.getText(self, _("Add a report"), _("Why is it made?"))
        if not ok:
            return
        try:
            incidents.add_report(self.ctx.db, self.ctx.actor, self.detail.id,
                                 choices[labels.index(chosen)], reason=reason)
        except DomainError as error:
            show_error(self, error)
            return
        self.ctx.announce(Changes(incidents=True))
        self.refresh()

    def record_statement(self) -> None:
        if self.detail is None or not self.detail.uses_of_force:
            return
        force = next((f for f in self.detail.uses_of_force
                      if not f.minor_statement and not f.minor_declined),
                     self.detail.uses_of_force[0])
        if StatementDialog(self.ctx, force.id, force.resident_name, self).exec():
            self.refresh()

    def void(self) -> None:
        if self.detail is None:
            return
        reason, ok = QInputDialog.getText(self, _("Void incident {number}").format(
            number=self.detail.number), _("Why is the incident void? (it is kept, never "
                                           "deleted)"))
        if not ok:
            return
        try:
            incidents.void_incident(self.ctx.db, self.ctx.actor, self.detail.id, reason=reason)
        except DomainError as error:
            show_error(self, error)
            return
        self.ctx.announce(Changes(incidents=True))
        self.refresh()

    def print_form(self) -> None:
        if self.detail is None or self.form_combo.count() == 0:
            return
        from app.services.forms import incident_form_pdf

        code = self.form_combo.currentData()
        db, actor, incident_id, number = self.ctx.db, self.ctx.actor, self.detail.id, \
            self.detail.number

        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            PdfPreviewDialog(pdf, f"{code} – {number}", self,
                             suggested_name=f"{code}-{number}").exec()

        self.print_op = Operation(self, lambda _c, _r: incident_form_pdf(
            db, actor, incident_id, code), title=_("Preparing the form…"), on_success=show)
        self.print_op.start()


class IncidentsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("incidents_page")
        self.tabs = QTabWidget(objectName="incident_tabs")
        self.log = IncidentLogTab(ctx)
        self.tabs.addTab(self.log, _("Incident log"))
        self.trends = None
        if ctx.can(Permission.VIEW_INCIDENT_TRENDS):
            from ui.incidents.trends import TrendsView

            self.trends = TrendsView(ctx)
            self.tabs.addTab(self.trends, _("Patterns and trends"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Incidents")))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.incidents or changes.residents:
            self.log.refresh()

    def new_incident(self) -> None:
        self.tabs.setCurrentWidget(self.log)
        self.log.new_incident()

    def show_incident(self, incident_id: uuid.UUID) -> None:
        self.tabs.setCurrentWidget(self.log)
        self.log.select(incident_id)
