"""A missing case on screen: the deadline counting down, the reports checklist, the return."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.formatting import format_date, format_datetime, utcnow
from app.i18n import _, ngettext
from app.models.attendance import CLOSE_REASONS, MISSING_REPORT_KINDS
from app.services import missing
from app.services.missing import CaseFacts, CaseSummary
from app.vocab import CASE_CLOSE_LABELS, MISSING_REPORT_LABELS, label
from ui.context import AppContext, Changes
from ui.ops import Operation, show_error
from ui.widgets import (
    ErrorLabel,
    FieldErrors,
    datetime_edit,
    edit_datetime,
    heading,
    run_form_call,
    save_cancel_buttons,
)


def countdown_text(due_at: datetime, now: datetime) -> str:
    """"in 3 h 12 min" or "overdue by 1 h 5 min": what a tired person reads at a glance."""
    seconds = int((due_at - now).total_seconds())
    minutes = abs(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        span = _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    else:
        span = ngettext("{count} minute", "{count} minutes", minutes).format(count=minutes)
    if seconds <= 0:
        return _("OVERDUE by {span}").format(span=span)
    return _("due in {span}").format(span=span)


class ReportMissingDialog(QDialog):
    """Report a resident missing now, without waiting for the next round."""

    def __init__(self, ctx: AppContext, resident_id: uuid.UUID, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.resident_id = ctx, resident_id
        self.case: CaseSummary | None = None
        self.setObjectName("report_missing_dialog")
        self.setWindowTitle(_("Report {name} missing").format(name=name))
        self.since = datetime_edit()
        self.since.setObjectName("missing_since")
        self.place = QLineEdit(objectName="last_seen_place")
        self.special = QCheckBox(_("Special concern (the reports are due at once)"),
                                 objectName="special_concern")
        self.not_staying = QCheckBox(_("It is known that the resident is not staying at the "
                                       "centre (the reports are due at once)"),
                                     objectName="known_not_staying")
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Missing since"), "missing_since", self.since)
        self.errors.add_row(form, _("Last seen where"), "last_seen_place", self.place)
        form.addRow("", self.special)
        form.addRow("", self.not_staying)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The time the resident was first missed starts the clock for "
                                  "the reports to the police, the municipality and the Agency.")))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        def call() -> None:
            since = edit_datetime(self.since)
            self.case = missing.report_missing(
                self.ctx.db, self.ctx.actor, self.resident_id, missing_since=since,
                facts=CaseFacts(special_concern=self.special.isChecked(),
                                known_not_staying=self.not_staying.isChecked(),
                                last_seen_at=since, last_seen_place=self.place.text()))

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(residents=True, attendance=True))
            self.accept()


class ReportDoneDialog(QDialog):
    """Tick one report: when, and the reference (the police journal number)."""

    def __init__(self, ctx: AppContext, case: CaseSummary, kind: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case, self.kind = ctx, case, kind
        self.setObjectName("report_done_dialog")
        self.setWindowTitle(label(MISSING_REPORT_LABELS, kind))
        done = case.reports.get(kind)
        self.done_at = datetime_edit(done.done_at if done else None)
        self.done_at.setObjectName("done_at")
        self.reference = QLineEdit(done.reference if done and done.reference else "",
                                   objectName="reference")
        self.reference.setPlaceholderText(_("Police journal number") if kind == "police"
                                          else _("E-mail sent, phone call, IBS note …"))
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Done at"), "done_at", self.done_at)
        self.errors.add_row(form, _("Reference"), "reference", self.reference)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{report} for {name}").format(
            report=label(MISSING_REPORT_LABELS, kind), name=case.name)))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.reference.setFocus()

    def save(self) -> None:
        def call() -> None:
            missing.record_report(self.ctx.db, self.ctx.actor, self.case.case_id, self.kind,
                                  done_at=edit_datetime(self.done_at),
                                  reference=self.reference.text())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(attendance=True))
            self.accept()


class CloseCaseDialog(QDialog):
    def __init__(self, ctx: AppContext, case: CaseSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case = ctx, case
        self.setObjectName("close_case_dialog")
        self.setWindowTitle(_("Close the missing case of {name}").format(name=case.name))
        self.closed_at = datetime_edit()
        self.closed_at.setObjectName("closed_at")
        self.reason = QComboBox(objectName="close_reason")
        for code in CLOSE_REASONS:
            self.reason.addItem(label(CASE_CLOSE_LABELS, code), code)
        self.note = QPlainTextEdit(objectName="close_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(_("Where the resident was, how the return happened, who "
                                       "was told."))
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Time"), "closed_at", self.closed_at)
        self.errors.add_row(form, _("What happened"), "reason", self.reason)
        self.errors.add_row(form, _("Note"), "note", self.note)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Remember to tell the police, the municipality, the Agency and "
                                  "the representative that the resident is back.")))
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        def call() -> None:
            missing.close_case(self.ctx.db, self.ctx.actor, self.case.case_id,
                               closed_at=edit_datetime(self.closed_at),
                               reason=self.reason.currentData(),
                               note=self.note.toPlainText())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(residents=True, attendance=True))
            if self.reason.currentData() == "returned":
                from ui.lost_property.dialogs import prompt_waiting_items

                prompt_waiting_items(self.ctx, self.case.person_id, self.case.name,
                                     self.parentWidget())
            self.accept()


class MissingCaseDialog(QDialog):
    """The whole case: deadline and countdown, flags, checklist, description, return."""

    def __init__(self, ctx: AppContext, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.case_id = ctx, case_id
        self.setObjectName("missing_case_dialog")
        self.resize(820, 720)
        self.title = heading("")
        self.identity = QLabel(objectName="case_identity")
        self.identity.setWordWrap(True)
        self.deadline = QLabel(objectName="case_deadline")
        font = self.deadline.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.deadline.setFont(font)
        self.deadline.setWordWrap(True)

        self.special = QCheckBox(_("Special concern – the reports are due at once"),
                                 objectName="special_concern")
        self.not_staying = QCheckBox(_("Known not to be staying at the centre – the reports are "
                                       "due at once"), objectName="known_not_staying")
        self.special.toggled.connect(self._save_facts)
        self.not_staying.toggled.connect(self._save_facts)

        checklist_box = QGroupBox(_("Reports"))
        self.checklist = QGridLayout(checklist_box)
        self.report_labels: dict[str, QLabel] = {}
        self.report_buttons: dict[str, QPushButton] = {}
        for row, kind in enumerate(MISSING_REPORT_KINDS):
            name = QLabel(label(MISSING_REPORT_LABELS, kind))
            status = QLabel(objectName=f"report_status_{kind}")
            status.setWordWrap(True)
            button = QPushButton(_("Done…"), objectName=f"report_done_{kind}")
            button.clicked.connect(lambda _checked=False, kind=kind: self.tick(kind))
            self.checklist.addWidget(name, row, 0)
            self.checklist.addWidget(status, row, 1)
            self.checklist.addWidget(button, row, 2)
            self.report_labels[kind], self.report_buttons[kind] = status, button
        self.checklist.setColumnStretch(1, 1)

        facts_box = QGroupBox(_("Description for the police and the municipality"))
        facts = QFormLayout(facts_box)
        self.last_seen_at = datetime_edit()
        self.last_seen_at.setObjectName("last_seen_at")
        self.last_seen_place = QLineEdit(objectName="last_seen_place")
        self.height_edit = QLineEdit(objectName="height")
        self.clothing = QLineEdit(objectName="clothing")
        self.description = QPlainTextEdit(objectName="description")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(70)
        self.contacts = QPlainTextEdit(objectName="contacts")
        self.contacts.setTabChangesFocus(True)
        self.contacts.setMaximumHeight(70)
        self.contacts.setPlaceholderText(_("Friends, family, places the resident may go"))
        facts.addRow(_("Last seen"), self.last_seen_at)
        facts.addRow(_("Where"), self.last_seen_place)
        facts.addRow(_("Height"), self.height_edit)
        facts.addRow(_("Clothing"), self.clothing)
        facts.addRow(_("Description"), self.description)
        facts.addRow(_("Contacts"), self.contacts)
        self.facts_error = ErrorLabel()
        facts.addRow("", self.facts_error)
        save_facts = QPushButton(_("Save description"), objectName="save_facts_button")
        save_facts.clicked.connect(self._save_facts)
        facts.addRow("", save_facts)

        self.close_info = QLabel(objectName="case_closed_info")
        self.close_info.setWordWrap(True)
        self.print_button = QPushButton(_("Print missing-resident report"),
                                        objectName="print_missing_report")
        self.print_button.clicked.connect(self.print_report)
        self.close_button = QPushButton(_("Resident returned / close case…"),
                                        objectName="close_case_button")
        self.close_button.clicked.connect(self.close_case)
        done = QPushButton(_("Close window"))
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(done)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.identity)
        layout.addWidget(self.deadline)
        layout.addWidget(self.special)
        layout.addWidget(self.not_staying)
        layout.addWidget(checklist_box)
        layout.addWidget(facts_box, 1)
        layout.addWidget(self.close_info)
        layout.addLayout(buttons)

        self.case: CaseSummary | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick_countdown)
        self.timer.start()
        self.reload()

    def reload(self) -> None:
        try:
            self.case = case = missing.get_case(self.ctx.db, self.ctx.actor, self.case_id)
        except DomainError as error:
            show_error(self, error)
            self.reject()
            return
        self.setWindowTitle(_("Missing: {name}").format(name=case.name))
        own = f" ({case.name_in_own_script})" if case.name_in_own_script else ""
        self.title.setText(_("Missing: {name}").format(name=case.name) + own)
        self.identity.setText(_(
            "Person ID {person_id} · born {born} · room {room} · missing since {since} "
            "(opened by {by})").format(
                person_id=case.person_id, born=format_date(case.date_of_birth),
                room=case.room or "–", since=format_datetime(case.missing_since),
                by=case.opened_by or _("the system")))
        for box, value in ((self.special, case.facts.special_concern),
                           (self.not_staying, case.facts.known_not_staying)):
            box.blockSignals(True)
            box.setChecked(value)
            box.setEnabled(case.is_open)
            box.blockSignals(False)
        for kind in MISSING_REPORT_KINDS:
            done = case.reports.get(kind)
            if done is None:
                text = _("Not done")
                style = "color: #b00020; font-weight: bold;"
            else:
                text = _("Done {time} by {name}").format(time=format_datetime(done.done_at),
                                                          name=done.done_by or "")
                if done.reference:
                    text += " · " + _("ref. {reference}").format(reference=done.reference)
                style = "color: #1b6e20;"
            self.report_labels[kind].setText(text)
            self.report_labels[kind].setStyleSheet(style)
            self.report_buttons[kind].setText(_("Correct…") if done else _("Done…"))
        facts = case.facts
        if facts.last_seen_at is not None:
            from ui.widgets import set_datetime

            set_datetime(self.last_seen_at, facts.last_seen_at)
        self.last_seen_place.setText(facts.last_seen_place or "")
        self.height_edit.setText(facts.height or "")
        self.clothing.setText(facts.clothing or "")
        self.description.setPlainText(facts.description or "")
        self.contacts.setPlainText(facts.contacts or "")
        self.close_button.setEnabled(case.is_open)
        if case.is_open:
            self.close_info.hide()
        else:
            self.close_info.setText(_("Closed {time} by {name}: {reason}. {note}").format(
                time=format_datetime(case.closed_at), name=case.closed_by or "",
                reason=label(CASE_CLOSE_LABELS, case.close_reason), note=case.close_note or ""))
            self.close_info.show()
        self._tick_countdown()

    def _tick_countdown(self) -> None:
        case = self.case
        if case is None:
            return
        due = format_datetime(case.due_at)
        if not case.is_open:
            self.deadline.setText(_("Reports were due {due}.").format(due=due))
            self.deadline.setStyleSheet("")
            return
        if not case.outstanding:
            self.deadline.setText(_("All reports are made. Record the return when the resident "
                                    "is back."))
            self.deadline.setStyleSheet("color: #1b6e20;")
            return
        now = utcnow()
        self.deadline.setText(_("Reports due {due} – {countdown}").format(
            due=due, countdown=countdown_text(case.due_at, now)))
        overdue = case.due_at <= now
        self.deadline.setStyleSheet("background: #b00020; color: white; padding: 6px;" if overdue
                                    else "background: #fff4d6; color: #5a3d00; padding: 6px;")

    def _facts(self) -> CaseFacts:
        return CaseFacts(special_concern=self.special.isChecked(),
                         known_not_staying=self.not_staying.isChecked(),
                         last_seen_at=edit_datetime(self.last_seen_at),
                         last_seen_place=self.last_seen_place.text(),
                         height=self.height_edit.text(), clothing=self.clothing.text(),
                         description=self.description.toPlainText(),
                         contacts=self.contacts.toPlainText())

    def _save_facts(self) -> None:
        self.facts_error.show_error(None)
        try:
            missing.update_case(self.ctx.db, self.ctx.actor, self.case_id, self._facts())
        except DomainError as error:
            self.facts_error.show_error(error.message)
            return
        self.ctx.announce(Changes(attendance=True))
        self.reload()

    def tick(self, kind: str) -> None:
        if self.case is None:
            return
        if ReportDoneDialog(self.ctx, self.case, kind, self).exec():
            self.reload()

    def close_case(self) -> None:
        if self.case is not None and CloseCaseDialog(self.ctx, self.case, self).exec():
            self.reload()

    def print_report(self) -> None:
        from app.services.forms import missing_report_pdf

        db, actor, case_id = self.ctx.db, self.ctx.actor, self.case_id
        name = self.case.name if self.case else ""
        person_id = self.case.person_id if self.case else ""

        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            PdfPreviewDialog(pdf, _("Missing-resident report – {name}").format(name=name), self,
                             suggested_name=f"efterlysning-{person_id}").exec()

        self.print_op = Operation(self, lambda _cancel, _report: missing_report_pdf(
            db, actor, case_id), title=_("Preparing the report…"), on_success=show)
        self.print_op.start()

