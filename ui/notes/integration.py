"""Transfer to integration: record the residence permit, follow the checklist (the handover
form's due date in front), mark tasks done and print the handover form (issue 4 item 6).

``IntegrationTab(ctx)`` is a plain QWidget; the notes page adds it as a tab.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QMessageBox, QPushButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_date, local_today
from app.i18n import _
from app.permissions import Permission
from app.services import integration
from app.services.integration import CaseView
from ui.context import AppContext, Changes
from ui.notes.shift_notes import all_residents
from ui.ops import Operation, show_error
from ui.widgets import ErrorLabel, FieldErrors, date_edit, from_qdate, heading, run_form_call

ID_ROLE = Qt.ItemDataRole.UserRole
OVERDUE_COLOUR, DUE_COLOUR = "#fde0e0", "#fff4d6"


class IntegrationTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("integration_tab")
        self.case: CaseView | None = None
        self.print_op: Operation | None = None

        self.resident_pick = QComboBox(objectName="integration_resident")
        self.resident_pick.setEditable(True)
        self.resident_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.resident_pick.lineEdit().setPlaceholderText(_("Choose a resident"))
        self.resident_pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.resident_pick.setMinimumContentsLength(28)
        self.resident_pick.activated.connect(lambda _i: self.show_case())
        pick_row = QHBoxLayout()
        pick_row.addWidget(QLabel(_("Resident")))
        pick_row.addWidget(self.resident_pick, 1)

        # Recording the permit.
        self.permit_group = QGroupBox(_("Record the residence permit"))
        self.permit_date = date_edit()
        self.permit_date.setObjectName("permit_date")
        self.municipality = QLineEdit(objectName="permit_municipality")
        self.municipality.setPlaceholderText(_("The integration municipality, e.g. Aarhus"))
        self.permit_errors = FieldErrors()
        form = QFormLayout()
        self.permit_errors.add_row(form, _("Permit notified on"), "notified_on",
                                   self.permit_date)
        self.permit_errors.add_row(form, _("Municipality"), "municipality", self.municipality)
        self.permit_error = ErrorLabel()
        self.record_button = QPushButton(_("Record permit and start the checklist"),
                                         objectName="record_permit_button")
        self.record_button.clicked.connect(self.record_permit)
        permit_layout = QVBoxLayout(self.permit_group)
        permit_layout.addLayout(form)
        permit_layout.addWidget(self.permit_error)
        permit_layout.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignLeft)

        # The case and its checklist.
        self.case_group = QGroupBox(_("Integration checklist"))
        self.due_label = heading("")
        self.due_label.setObjectName("handover_due")
        self.due_label.setWordWrap(True)
        self.case_label = QLabel(objectName="integration_case_summary")
        self.case_label.setWordWrap(True)
        self.tasks = QTreeWidget(objectName="integration_tasks")
        self.tasks.setRootIsDecorated(False)
        self.tasks.setHeaderLabels([_("Task"), _("Due"), _("Done"), _("By"), _("Note")])
        self.tasks.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tasks.header().setStretchLastSection(True)
        self.tasks.currentItemChanged.connect(lambda *_a: self._update_buttons())
        self.done_date = date_edit()
        self.done_date.setObjectName("task_done_date")
        self.done_note = QLineEdit(objectName="task_done_note")
        self.done_note.setPlaceholderText(_("Note (optional)"))
        self.done_button = QPushButton(_("Mark done"), objectName="mark_done_button")
        self.done_button.clicked.connect(self.mark_done)
        self.task_error = ErrorLabel()
        done_row = QHBoxLayout()
        done_row.addWidget(QLabel(_("Done on")))
        done_row.addWidget(self.done_date)
        done_row.addWidget(self.done_note, 1)
        done_row.addWidget(self.done_button)
        self.print_button = QPushButton(_("Print the handover form…"),
                                        objectName="print_handover_button")
        self.print_button.clicked.connect(self.print_form)
        self.close_button = QPushButton(_("Close the case"), objectName="close_case_button")
        self.close_button.setToolTip(_("The resident has moved to the municipality, or the "
                                       "case ends another way."))
        self.close_button.clicked.connect(self.close_case)
        action_row = QHBoxLayout()
        action_row.addWidget(self.print_button)
        action_row.addStretch(1)
        action_row.addWidget(self.close_button)
        case_layout = QVBoxLayout(self.case_group)
        case_layout.addWidget(self.due_label)
        case_layout.addWidget(self.case_label)
        case_layout.addWidget(self.tasks, 1)
        case_layout.addLayout(done_row)
        case_layout.addWidget(self.task_error)
        case_layout.addLayout(action_row)

        self.empty_label = QLabel(_("Choose a resident to see or start the transfer to an "
                                    "integration municipality."), objectName="integration_empty")
        self.empty_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(pick_row)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.permit_group)
        layout.addWidget(self.case_group, 1)
        layout.addStretch(0)
        self.reload_residents()
        self.show_case()

    # --- choosing ---------------------------------------------------------------------------
    def reload_residents(self) -> None:
        current = self.resident_pick.currentData()
        self.resident_pick.clear()
        for rid, name in all_residents(self.ctx):
            self.resident_pick.addItem(name, rid)
        self.resident_pick.setCurrentIndex(self._index_of(current))

    def _index_of(self, resident_id: uuid.UUID | None) -> int:
        # findData does not compare Python objects: look for the id itself.
        return next((i for i in range(self.resident_pick.count())
                     if resident_id is not None
                     and self.resident_pick.itemData(i) == resident_id), -1)

    def resident_id(self) -> uuid.UUID | None:
        return self.resident_pick.currentData()

    def select_resident(self, resident_id: uuid.UUID) -> None:
        self.resident_pick.setCurrentIndex(self._index_of(resident_id))
        self.show_case()

    def show_case(self) -> None:
        rid = self.resident_id()
        self.case = None
        if rid is not None:
            try:
                self.case = integration.integration_case(self.ctx.db, self.ctx.actor, rid)
            except DomainError as error:
                show_error(self, error)
        editable = self.ctx.can(Permission.EDIT_RESIDENT)
        open_case = self.case is not None and self.case.is_open
        self.empty_label.setVisible(rid is None)
        self.permit_group.setVisible(rid is not None and not open_case and editable)
        self.case_group.setVisible(self.case is not None)
        self.permit_error.show_error(None)
        self.permit_errors.clear()
        self.task_error.show_error(None)
        self._fill_case()
        self._update_buttons()

    def _fill_case(self) -> None:
        self.tasks.clear()
        case = self.case
        if case is None:
            return
        today = local_today()
        form = case.task("handover_form")
        if form.is_done:
            due = _("Handover form done on {done} (due {due})").format(
                done=format_date(form.done_on), due=format_date(case.handover_form_due))
        else:
            due = _("Handover form due {date}").format(date=format_date(case.handover_form_due))
        self.due_label.setText(due)
        overdue = case.is_open and not form.is_done and case.handover_form_due < today
        self.due_label.setStyleSheet("color: #b00020;" if overdue else "")
        summary = _("Residence permit notified on {date} · municipality: {municipality}").format(
            date=format_date(case.permit_notified_on), municipality=case.municipality)
        if case.closed_on is not None:
            summary += " · " + _("case closed on {date}").format(date=format_date(case.closed_on))
        self.case_label.setText(summary)
        for task in case.tasks:
            item = QTreeWidgetItem([
                task.label, format_date(task.due_on) if task.due_on else _("No due date"),
                format_date(task.done_on) if task.done_on else "", task.done_by or "",
                task.note or ""])
            item.setData(0, ID_ROLE, task.id)
            if task.code == "handover_form":
                font = item.font(0)
                font.setBold(True)
                for column in range(5):
                    item.setFont(column, font)
            if case.is_open and not task.is_done and task.due_on is not None:
                colour = (OVERDUE_COLOUR if task.due_on < today
                          else DUE_COLOUR if task.due_on == today else None)
                if colour:
                    for column in range(5):
                        item.setBackground(column, QBrush(QColor(colour)))
            self.tasks.addTopLevelItem(item)
        first_open = next((i for i in range(self.tasks.topLevelItemCount())
                           if not case.tasks[i].is_done), -1)
        if first_open >= 0:
            self.tasks.setCurrentItem(self.tasks.topLevelItem(first_open))

    def _current_task(self):
        item = self.tasks.currentItem()
        if item is None or self.case is None:
            return None
        task_id = item.data(0, ID_ROLE)
        return next((t for t in self.case.tasks if t.id == task_id), None)

    def _update_buttons(self) -> None:
        editable = self.ctx.can(Permission.EDIT_RESIDENT)
        open_case = self.case is not None and self.case.is_open
        task = self._current_task()
        for widget in (self.done_date, self.done_note, self.done_button):
            widget.setEnabled(editable and open_case and task is not None and not task.is_done)
        self.close_button.setEnabled(editable and open_case)
        self.print_button.setEnabled(self.case is not None
                                     and self.ctx.can(Permission.PRINT_RECORD_SHEET))

    # --- changing ---------------------------------------------------------------------------
    def _changed(self, case: CaseView) -> None:
        self.case = case
        self.ctx.announce(Changes(residents=True))
        self.show_case()

    def record_permit(self) -> None:
        rid = self.resident_id()
        if rid is None:
            self.permit_error.show_error(_("Choose a resident first."))
            return
        result: list[CaseView] = []
        if run_form_call(lambda: result.append(integration.record_permit(
                self.ctx.db, self.ctx.actor, rid, notified_on=from_qdate(self.permit_date.date()),
                municipality=self.municipality.text())), self.permit_errors, self.permit_error):
            self.municipality.clear()
            self._changed(result[0])

    def mark_done(self) -> None:
        task = self._current_task()
        if task is None:
            return
        try:
            case = integration.mark_task_done(self.ctx.db, self.ctx.actor, task.id,
                                              done_on=from_qdate(self.done_date.date()),
                                              note=self.done_note.text())
        except DomainError as error:
            self.task_error.show_error(error.message)
            return
        self.done_note.clear()
        self._changed(case)

    def close_case(self) -> None:
        if self.case is None:
            return
        answer = QMessageBox.question(
            self, _("Close the case"),
            _("Close the integration case of {name} today? Open tasks leave the Today "
              "page.").format(name=self.case.resident_name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            case = integration.close_case(self.ctx.db, self.ctx.actor, self.case.id,
                                          on=local_today())
        except DomainError as error:
            self.task_error.show_error(error.message)
            return
        self._changed(case)

    def print_form(self) -> None:
        if self.case is None:
            return
        from app.services.forms import handover_form_pdf

        db, actor, rid, name = self.ctx.db, self.ctx.actor, self.case.resident_id, \
            self.case.resident_name

        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            PdfPreviewDialog(pdf, _("Handover form – {name}").format(name=name), self,
                             suggested_name=_("handover-form")).exec()

        self.print_op = Operation(self, lambda _c, _r: handover_form_pdf(db, actor, rid),
                                  title=_("Preparing the form…"), on_success=show)
        self.print_op.start()
