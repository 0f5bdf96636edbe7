"""A resident's development plan (goals, action plans, reviews, versions) and social report.

Two tabs for the notes page: ``PlansTab`` and ``SocialReportTab``. The rules (who may read,
frozen versions, what is required) live in ``app.services.plans``; errors it raises are shown
in a line under the buttons, and a form's problems under its fields.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QPushButton, QTextBrowser,
                               QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_date, format_datetime
from app.i18n import _
from app.models.plans import ACTION_STATUSES, PLAN_AREAS
from app.services import plans
from app.services.plans import PlanView, SocialReportInput, SocialReportView
from app.vocab import ACTION_STATUS_LABELS, PLAN_AREA_LABELS, label
from ui.context import AppContext
from ui.notes.shift_notes import all_residents
from ui.ops import Operation
from ui.widgets import (ErrorLabel, FieldErrors, date_edit, from_qdate, run_form_call,
                        save_cancel_buttons)


def _resident_picker(ctx: AppContext, name: str) -> QComboBox:
    pick = QComboBox(objectName=name)
    pick.setEditable(True)
    pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    for rid, text in all_residents(ctx):
        pick.addItem(text, rid)
    pick.setCurrentIndex(-1)
    pick.lineEdit().setPlaceholderText(_("Choose a resident"))
    pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    pick.setMinimumContentsLength(24)
    return pick


def _select(pick: QComboBox, resident_id: uuid.UUID) -> None:
    for index in range(pick.count()):
        if pick.itemData(index) == resident_id:
            pick.setCurrentIndex(index)
            return


def _show_pdf(parent: QWidget, make: Callable[[], bytes], title: str, name: str) -> Operation:
    def show(pdf: bytes) -> None:
        from ui.forms.pdf_preview import PdfPreviewDialog

        PdfPreviewDialog(pdf, title, parent, suggested_name=name).exec()

    return Operation(parent, lambda _c, _r: make(), title=_("Preparing the form…"),
                     on_success=show).start()


# --- the small forms ---------------------------------------------------------------------------

class PlanFormDialog(QDialog):
    """A form whose Save runs ``call(values)``; closes on success, else shows the problems."""

    def __init__(self, title: str, parent: QWidget, call: Callable[[PlanFormDialog], object],
                 on_saved: Callable[[], None]) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.call, self.on_saved = call, on_saved
        self.form = QFormLayout()
        self.errors = FieldErrors()
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.setMinimumWidth(460)

    def add(self, text: str, field: str, widget: QWidget) -> QWidget:
        widget.setObjectName(field)
        self.errors.add_row(self.form, text, field, widget)
        return widget

    def save(self) -> bool:
        if run_form_call(lambda: self.call(self), self.errors, self.general_error):
            self.accept()
            self.on_saved()
            return True
        return False


def _area_combo() -> QComboBox:
    combo = QComboBox()
    for area in PLAN_AREAS:
        combo.addItem(label(PLAN_AREA_LABELS, area), area)
    return combo


def _status_combo() -> QComboBox:
    combo = QComboBox()
    for status in ACTION_STATUSES:
        combo.addItem(label(ACTION_STATUS_LABELS, status), status)
    return combo


def _text_edit(height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(height)
    return edit


# --- the plan ------------------------------------------------------------------------------------

def plan_html(plan: PlanView | None, resident_name: str) -> str:
    e = html.escape
    if plan is None:
        return (f"<h3>{e(resident_name)}</h3><p>"
                + e(_("No development plan yet. Start one, together with the resident."))
                + "</p>")
    if plan.is_signed_off:
        state = _("Signed off {time} by {name}. Frozen: start the next version to change "
                  "it.").format(time=format_datetime(plan.signed_off_at),
                                name=plan.signed_off_by or "")
    else:
        state = _("Draft – not signed off")
    if plan.made_with_resident_on:
        made = _("Made together with the resident on {date}").format(
            date=format_date(plan.made_with_resident_on))
        if plan.interpreter_used:
            made += " · " + _("with an interpreter")
        if plan.language:
            made += " · " + _("language: {language}").format(language=plan.language)
    else:
        made = _("Not yet recorded as made together with the resident.")
    parts = [f"<h3>{e(plan.resident.name)} – "
             f"{e(_('version {version}').format(version=plan.version))}</h3>",
             f"<p><b>{e(state)}</b><br/>{e(made)}</p>"]
    if not plan.goals:
        parts.append(f"<p>{e(_('The plan has no goals yet.'))}</p>")
    for number, goal in enumerate(plan.goals, start=1):
        parts.append(f"<h4>{number}. {e(label(PLAN_AREA_LABELS, goal.area))}: "
                     f"{e(goal.title)}</h4>")
        if goal.description:
            parts.append(f"<p>{e(goal.description)}</p>")
        if goal.actions:
            rows = "".join(
                f"<tr><td>{e(a.action)}</td><td>{e(a.responsible or '')}</td>"
                f"<td>{e(format_date(a.due_on) if a.due_on else '')}</td>"
                f"<td>{e(label(ACTION_STATUS_LABELS, a.status))}</td></tr>" for a in goal.actions)
            parts.append(
                "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"
                f"<tr><th>{e(_('Action'))}</th><th>{e(_('Responsible'))}</th>"
                f"<th>{e(_('By'))}</th><th>{e(_('Status'))}</th></tr>{rows}</table>")
        else:
            parts.append(f"<p><i>{e(_('No actions yet.'))}</i></p>")
        for review in goal.reviews:
            line = _("Review {date}: {what}").format(date=format_date(review.reviewed_on),
                                                     what=review.what_happened)
            extra = []
            if review.residents_words:
                extra.append(_("In the resident's own words: “{words}”").format(
                    words=review.residents_words))
            if review.next_steps:
                extra.append(_("Next steps: {steps}").format(steps=review.next_steps))
            if review.next_review_on:
                extra.append(_("Next review: {date}").format(
                    date=format_date(review.next_review_on)))
            parts.append(f"<p>{e(line)}" + "".join(f"<br/>{e(x)}" for x in extra) + "</p>")
    return "".join(parts)


def _lay_out(tab: QWidget, pick_row: QHBoxLayout, body: QWidget | QFormLayout,
             actions: tuple[QPushButton, ...], print_button: QPushButton,
             error_name: str) -> ErrorLabel:
    """The tabs' common layout: the resident picker, the body, the action buttons with
    printing at the right, and the line that shows what went wrong (returned)."""
    buttons = QHBoxLayout()
    for button in actions:
        buttons.addWidget(button)
    buttons.addStretch(1)
    buttons.addWidget(print_button)
    error = ErrorLabel()
    error.setObjectName(error_name)
    layout = QVBoxLayout(tab)
    layout.addLayout(pick_row)
    if isinstance(body, QFormLayout):
        layout.addLayout(body, 1)
    else:
        layout.addWidget(body, 1)
    layout.addLayout(buttons)
    layout.addWidget(error)
    return error


class PlansTab(QWidget):
    """Pick a resident; see and work on their development plan."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("plans_tab")
        self.plan: PlanView | None = None
        self.resident_id: uuid.UUID | None = None
        self.dialog: PlanFormDialog | None = None
        self.print_op: Operation | None = None

        self.resident_pick = _resident_picker(ctx, "plan_resident")
        self.resident_pick.activated.connect(lambda _i: self._picked())
        self.goal_pick = QComboBox(objectName="plan_goal")
        self.goal_pick.setMinimumContentsLength(24)
        pick_row = QHBoxLayout()
        pick_row.addWidget(QLabel(_("Resident")))
        pick_row.addWidget(self.resident_pick, 1)
        pick_row.addWidget(QLabel(_("Goal")))
        pick_row.addWidget(self.goal_pick, 1)

        self.view = QTextBrowser(objectName="plan_view")
        self.view.setPlaceholderText(_("Choose a resident to see their development plan."))

        self.start_button = QPushButton(_("Start plan"), objectName="start_plan_button")
        self.start_button.clicked.connect(self.start_plan)
        self.goal_button = QPushButton(_("Add goal…"), objectName="add_goal_button")
        self.goal_button.clicked.connect(self.add_goal)
        self.action_button = QPushButton(_("Add action…"), objectName="add_action_button")
        self.action_button.clicked.connect(self.add_action)
        self.review_button = QPushButton(_("Add review…"), objectName="add_review_button")
        self.review_button.clicked.connect(self.add_review)
        self.made_button = QPushButton(_("Made with the resident…"),
                                       objectName="made_with_resident_button")
        self.made_button.clicked.connect(self.record_made_with_resident)
        self.sign_button = QPushButton(_("Sign off"), objectName="sign_off_button")
        self.sign_button.clicked.connect(self.sign_off)
        self.print_button = QPushButton(_("Print plan"), objectName="print_plan_button")
        self.print_button.clicked.connect(self.print_plan)
        self.error = _lay_out(self, pick_row, self.view,
                              (self.start_button, self.goal_button, self.action_button,
                               self.review_button, self.made_button, self.sign_button),
                              self.print_button, "plan_error")
        self._enable()

    # --- showing ---------------------------------------------------------------------------
    def _picked(self) -> None:
        rid = self.resident_pick.currentData()
        if rid is not None:
            self.show_resident(rid)

    def show_resident(self, resident_id: uuid.UUID) -> None:
        _select(self.resident_pick, resident_id)
        self.resident_id = resident_id
        self.reload()

    def reload(self) -> None:
        self.plan = None
        self.error.show_error(None)
        if self.resident_id is not None:
            try:
                self.plan = plans.current_plan(self.ctx.db, self.ctx.actor, self.resident_id)
            except DomainError as error:
                self.view.clear()
                self.error.show_error(error.message)
                self.resident_id = None
                self._enable()
                return
            self.view.setHtml(plan_html(self.plan, self.resident_pick.currentText()))
        current = self.goal_pick.currentData()
        self.goal_pick.clear()
        for goal in self.plan.goals if self.plan else ():
            self.goal_pick.addItem(f"{label(PLAN_AREA_LABELS, goal.area)}: {goal.title}",
                                   goal.id)
        if current is not None:
            index = self.goal_pick.findData(current)
            if index >= 0:
                self.goal_pick.setCurrentIndex(index)
        self._enable()

    def _enable(self) -> None:
        chosen = self.resident_id is not None
        draft = self.plan is not None and not self.plan.is_signed_off
        self.start_button.setEnabled(chosen and not draft)
        self.start_button.setText(_("Start next version") if self.plan is not None
                                  else _("Start plan"))
        for button in (self.goal_button, self.made_button, self.sign_button):
            button.setEnabled(draft)
        has_goal = draft and bool(self.plan.goals)
        self.action_button.setEnabled(has_goal)
        self.review_button.setEnabled(has_goal)
        self.print_button.setEnabled(self.plan is not None)

    def _run(self, call: Callable[[], object]) -> bool:
        self.error.show_error(None)
        try:
            call()
        except DomainError as error:
            self.error.show_error(error.message)
            return False
        self.reload()
        return True

    def _open(self, dialog: PlanFormDialog) -> PlanFormDialog:
        self.dialog = dialog
        dialog.open()
        return dialog

    # --- the actions -----------------------------------------------------------------------
    def start_plan(self) -> bool:
        if self.resident_id is None:
            return False
        rid = self.resident_id
        return self._run(lambda: plans.start_plan(self.ctx.db, self.ctx.actor, rid))

    def sign_off(self) -> bool:
        if self.plan is None:
            return False
        plan_id = self.plan.id
        return self._run(lambda: plans.sign_off(self.ctx.db, self.ctx.actor, plan_id))

    def add_goal(self) -> PlanFormDialog | None:
        if self.plan is None:
            return None
        plan_id = self.plan.id

        def save(d: PlanFormDialog) -> object:
            return plans.add_goal(self.ctx.db, self.ctx.actor, plan_id,
                                  area=d.area.currentData(), title=d.title.text(),
                                  description=d.description.toPlainText())

        dialog = PlanFormDialog(_("Add goal"), self, save, self.reload)
        dialog.area = dialog.add(_("Area"), "area", _area_combo())
        dialog.title = dialog.add(_("Goal"), "title", QLineEdit())
        dialog.description = dialog.add(_("Description"), "description", _text_edit(90))
        return self._open(dialog)

    def add_action(self) -> PlanFormDialog | None:
        goal_id = self.goal_pick.currentData()
        if goal_id is None:
            return None

        def save(d: PlanFormDialog) -> object:
            return plans.add_action(self.ctx.db, self.ctx.actor, goal_id,
                                    action=d.action.toPlainText(),
                                    responsible=d.responsible.text(),
                                    due_on=from_qdate(d.due_on.date()) if d.has_due.isChecked()
                                    else None, status=d.status.currentData())

        dialog = PlanFormDialog(_("Add action to: {goal}").format(
            goal=self.goal_pick.currentText()), self, save, self.reload)
        dialog.action = dialog.add(_("Action"), "action", _text_edit())
        dialog.responsible = dialog.add(_("Responsible"), "responsible", QLineEdit())
        dialog.has_due = dialog.add(_("Has a deadline"), "has_due", QCheckBox())
        dialog.has_due.setChecked(True)
        dialog.due_on = dialog.add(_("By"), "due_on", date_edit())
        dialog.status = dialog.add(_("Status"), "status", _status_combo())
        return self._open(dialog)

    def add_review(self) -> PlanFormDialog | None:
        goal_id = self.goal_pick.currentData()
        if goal_id is None:
            return None

        def save(d: PlanFormDialog) -> object:
            return plans.add_review(
                self.ctx.db, self.ctx.actor, goal_id,
                reviewed_on=from_qdate(d.reviewed_on.date()),
                what_happened=d.what_happened.toPlainText(),
                residents_words=d.residents_words.toPlainText(),
                next_steps=d.next_steps.toPlainText(),
                next_review_on=from_qdate(d.next_review_on.date()) if d.has_next.isChecked()
                else None)

        dialog = PlanFormDialog(_("Review of: {goal}").format(goal=self.goal_pick.currentText()),
                                self, save, self.reload)
        dialog.reviewed_on = dialog.add(_("Date"), "reviewed_on", date_edit())
        dialog.what_happened = dialog.add(_("What happened"), "what_happened", _text_edit())
        dialog.residents_words = dialog.add(_("In the resident's own words"),
                                            "residents_words", _text_edit())
        dialog.next_steps = dialog.add(_("Next steps"), "next_steps", _text_edit())
        dialog.has_next = dialog.add(_("Plan a next review"), "has_next", QCheckBox())
        dialog.has_next.setChecked(True)
        dialog.next_review_on = dialog.add(_("Next review"), "next_review_on", date_edit())
        dialog.next_review_on.setDate(dialog.reviewed_on.date().addMonths(1))
        return self._open(dialog)

    def record_made_with_resident(self) -> PlanFormDialog | None:
        if self.plan is None:
            return None
        plan_id, plan = self.plan.id, self.plan

        def save(d: PlanFormDialog) -> object:
            return plans.record_made_with_resident(
                self.ctx.db, self.ctx.actor, plan_id, on=from_qdate(d.on.date()),
                interpreter_used=d.interpreter.isChecked(), language=d.language.text())

        dialog = PlanFormDialog(_("Made together with the resident"), self, save, self.reload)
        dialog.on = dialog.add(_("Date"), "made_with_resident_on",
                               date_edit(plan.made_with_resident_on))
        dialog.interpreter = dialog.add(_("Interpreter used"), "interpreter_used", QCheckBox())
        dialog.interpreter.setChecked(plan.interpreter_used)
        dialog.language = dialog.add(_("Language"), "language", QLineEdit(plan.language or ""))
        return self._open(dialog)

    def print_plan(self) -> None:
        if self.plan is None:
            return
        from app.services.forms import development_plan_pdf

        db, actor, rid = self.ctx.db, self.ctx.actor, self.plan.resident.id
        title = _("Development plan – {name}").format(name=self.plan.resident.name)
        self.print_op = _show_pdf(self, lambda: development_plan_pdf(db, actor, rid), title,
                                  f"development-plan-{self.plan.resident.person_id}-"
                                  f"v{self.plan.version}")


# --- the social report ---------------------------------------------------------------------------

class SocialReportTab(QWidget):
    """Pick a resident; prefill, edit, save, freeze and print their social report."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("social_report_tab")
        self.resident_id: uuid.UUID | None = None
        self.report: SocialReportView | None = None
        self.print_op: Operation | None = None

        self.resident_pick = _resident_picker(ctx, "report_resident")
        self.resident_pick.activated.connect(lambda _i: self._picked())
        self.state = QLabel(objectName="report_state")
        pick_row = QHBoxLayout()
        pick_row.addWidget(QLabel(_("Resident")))
        pick_row.addWidget(self.resident_pick, 1)
        pick_row.addWidget(self.state, 1)

        self.form = QFormLayout()
        self.errors = FieldErrors()
        self.fields: dict[str, QPlainTextEdit] = {}
        for name, text in plans.social_report_labels().items():
            edit = _text_edit(110)
            edit.setObjectName(f"report_{name}")
            self.fields[name] = edit
            self.errors.add_row(self.form, text, name, edit)

        self.prefill_button = QPushButton(_("Prefill from plan and notes"),
                                          objectName="prefill_button")
        self.prefill_button.setToolTip(_("Replaces the text in the fields with a starting text "
                                         "from the development plan and the notes."))
        self.prefill_button.clicked.connect(self.prefill)
        self.save_button = QPushButton(_("Save"), objectName="save_report_button")
        self.save_button.clicked.connect(self.save)
        self.freeze_button = QPushButton(_("Freeze"), objectName="freeze_report_button")
        self.freeze_button.clicked.connect(self.freeze)
        self.print_button = QPushButton(_("Print report"), objectName="print_report_button")
        self.print_button.clicked.connect(self.print_report)
        self.error = _lay_out(self, pick_row, self.form,
                              (self.prefill_button, self.save_button, self.freeze_button),
                              self.print_button, "report_error")
        self._enable()

    def _picked(self) -> None:
        rid = self.resident_pick.currentData()
        if rid is not None:
            self.show_resident(rid)

    def show_resident(self, resident_id: uuid.UUID) -> None:
        _select(self.resident_pick, resident_id)
        self.resident_id = resident_id
        self.error.show_error(None)
        self.errors.clear()
        try:
            self.report = plans.social_report(self.ctx.db, self.ctx.actor, resident_id)
        except DomainError as error:
            self.resident_id, self.report = None, None
            self._fill(None)
            self.error.show_error(error.message)
            self._enable()
            return
        self._fill(self.report)
        self._enable()

    def _fill(self, report: SocialReportView | None) -> None:
        for name, edit in self.fields.items():
            edit.setPlainText(getattr(report, name) if report else "")

    def _enable(self) -> None:
        chosen = self.resident_id is not None
        frozen = self.report is not None and self.report.is_frozen
        for edit in self.fields.values():
            edit.setReadOnly(frozen or not chosen)
        self.prefill_button.setEnabled(chosen and not frozen)
        self.save_button.setEnabled(chosen and not frozen)
        self.freeze_button.setEnabled(chosen and not frozen and self.report is not None)
        self.print_button.setEnabled(self.report is not None)
        if frozen:
            self.state.setText(_("Frozen {time} by {name}: read-only.").format(
                time=format_datetime(self.report.frozen_at), name=self.report.frozen_by or ""))
        elif self.report is not None:
            self.state.setText(_("Saved; not frozen yet."))
        else:
            self.state.setText(_("Not saved yet.") if chosen else "")

    def _input(self) -> SocialReportInput:
        return SocialReportInput(**{name: edit.toPlainText()
                                    for name, edit in self.fields.items()})

    def _call(self, call: Callable[[], SocialReportView]) -> bool:
        result: list[SocialReportView] = []
        if run_form_call(lambda: result.append(call()), self.errors, self.error):
            self.report = result[0]
            self._fill(self.report)
            self._enable()
            return True
        return False

    def prefill(self) -> bool:
        if self.resident_id is None:
            return False
        rid = self.resident_id
        try:
            self._fill(plans.prefill_social_report(self.ctx.db, self.ctx.actor, rid))
        except DomainError as error:
            self.error.show_error(error.message)
            return False
        return True

    def save(self) -> bool:
        if self.resident_id is None:
            return False
        rid, data = self.resident_id, self._input()
        return self._call(lambda: plans.save_social_report(self.ctx.db, self.ctx.actor, rid,
                                                           data))

    def freeze(self) -> bool:
        if self.resident_id is None or not self.save():
            return False
        rid = self.resident_id
        return self._call(lambda: plans.freeze_social_report(self.ctx.db, self.ctx.actor, rid))

    def print_report(self) -> None:
        if self.report is None:
            return
        from app.services.forms import social_report_pdf

        db, actor, rid = self.ctx.db, self.ctx.actor, self.report.resident.id
        title = _("Social report – {name}").format(name=self.report.resident.name)
        self.print_op = _show_pdf(self, lambda: social_report_pdf(db, actor, rid), title,
                                  f"social-report-{self.report.resident.person_id}")
