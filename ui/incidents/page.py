"""The Incidents area: the log, one incident with its reports checklist, and the trends."""

from __future__ import annotations

import html
import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QSplitter, QTabWidget, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_date, format_datetime, local_today, utcnow
from app.i18n import _
from app.permissions import Permission
from app.services import incidents
from app.services.incidents import EXTRA_REPORT_CODES, IncidentDetail
from app.vocab import (IMMEDIATE_ACTION_LABELS, INCIDENT_KIND_LABELS, INCIDENT_REPORT_LABELS,
                       RESIDENT_ROLE_LABELS, label)
from ui.context import AppContext, Changes
from ui.ops import Operation, show_error
from ui.widgets import (ErrorLabel, FieldErrors, date_edit, datetime_edit, edit_datetime,
                        from_qdate, heading, run_form_call, save_cancel_buttons)

FORM_CODES = ("IN8", "IN9", "IN10", "IN12")


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


def incident_html(detail: IncidentDetail) -> str:
    e = html.escape
    lines = [f"<h3>{e(_('Incident {number}').format(number=detail.number))}</h3>"]
    if detail.voided_at:
        lines.append("<p style='color:#b00020'><b>" + e(_("VOID {time}: {reason}").format(
            time=format_datetime(detail.voided_at), reason=detail.void_reason or "")) + "</b></p>")
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
            reason=force.reason, name=force.decided_by or "–")))
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
        state = (_("returned {date}").format(date=format_date(item.returned_on))
                 if item.returned_on else _("kept: {where}").format(where=item.kept_where or "–"))
        lines.append("<br>" + e(_("Taken into safekeeping: {item} ({state})").format(
            item=item.description, state=state)))
    lines.append("<p>" + e(_("Reported by {name} at {time}; version {version}.").format(
        name=detail.reported_by or "", time=format_datetime(detail.reported_at),
        version=detail.version)) + "</p>")
    for version, at, by, reason in detail.versions:
        lines.append(e(_("Version {version} corrected {time} by {name}: {reason}").format(
            version=version, time=format_datetime(at), name=by or "", reason=reason)) + "<br>")
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
        self.tree.setHeaderLabels([_("Number"), _("Happened"), _("Kinds"), _("Residents"),
                                   _("Reports not done")])
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_current())
        self.text = QLabel(objectName="incident_detail")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checklist = QTreeWidget(objectName="incident_reports")
        self.checklist.setRootIsDecorated(False)
        self.checklist.setHeaderLabels([_("Report"), _("Status"), _("Reference")])
        self.checklist.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.checklist.itemActivated.connect(lambda *_a: self.mark_done())

        new = QPushButton(_("Log an incident… (Ctrl+I)"), objectName="new_incident_button")
        new.clicked.connect(self.new_incident)
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

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.text, 2)
        right_layout.addWidget(QLabel(_("Reports (required ones cannot be removed):")))
        right_layout.addWidget(self.checklist, 1)
        row = QHBoxLayout()
        for widget in (self.done_button, self.add_button, self.statement_button,
                       self.form_combo, self.print_button, self.void_button):
            row.addWidget(widget)
        row.addStretch(1)
        right_layout.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        top = QHBoxLayout()
        top.addWidget(new)
        top.addStretch(1)
        top.addWidget(self.show_void)
        top.addWidget(self.period)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        note = QLabel(_("Correcting a submitted incident and the allowance decisions (IN12) are "
                        "not available on screen in this version yet; the centre leader can "
                        "void an incident logged by mistake."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.refresh()

    def refresh(self) -> None:
        days = self.period.currentData()
        since = utcnow() - timedelta(days=days) if days else None
        selected = self.detail.id if self.detail else None
        summaries = incidents.list_incidents(self.ctx.db, self.ctx.actor, since=since,
                                             include_voided=self.show_void.isChecked())
        self.tree.clear()
        for s in summaries:
            kinds = ", ".join(label(INCIDENT_KIND_LABELS, k) for k in s.kinds)
            who = ", ".join(s.residents) if s.readable else _("(not yours to read)")
            item = QTreeWidgetItem([s.number, format_datetime(s.happened_at), kinds, who,
                                    str(s.outstanding) if s.outstanding else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, str(s.id))
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
        self._show_current()

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
            if not report.done:
                for column in range(3):
                    row.setBackground(column, QBrush(QColor("#fde0e0")))
            self.checklist.addTopLevelItem(row)
        self.checklist.resizeColumnToContents(0)
        for report in self.detail.reports:
            if report.code in FORM_CODES:
                self.form_combo.addItem(report.code, report.code)
        self._enable(self.detail.voided_at is None)

    def _enable(self, on: bool) -> None:
        for widget in (self.done_button, self.add_button, self.void_button):
            widget.setEnabled(on)
        self.statement_button.setEnabled(on and bool(self.detail and self.detail.uses_of_force))
        self.print_button.setEnabled(bool(self.detail) and self.form_combo.count() > 0)

    def new_incident(self) -> None:
        from ui.incidents.editor import IncidentEditor

        editor = IncidentEditor(self.ctx, self)
        if editor.exec() and editor.saved is not None:
            self.refresh()
            self.select(editor.saved.id)

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
