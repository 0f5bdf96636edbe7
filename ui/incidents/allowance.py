"""Cash-allowance decisions on an incident: record one, the resident's comments, cancel; and
the centre leader's list of who may decide. The rules are enforced in
``app.services.allowance``; these dialogs only mirror them."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QPushButton, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_date, format_dkk, local_today
from app.i18n import _
from app.rules.allowance import DAILY_RATES, DECISION_GROUNDS, DECISION_KINDS
from app.services import allowance, staff
from app.services.allowance import DecisionInput, DecisionView
from app.services.incidents import IncidentDetail
from app.vocab import (ALLOWANCE_LABELS, DECISION_GROUNDS_LABELS, DECISION_KIND_LABELS, label)
from ui.context import AppContext, Changes
from ui.ops import show_error
from ui.widgets import (ErrorLabel, FieldErrors, date_edit, from_qdate, run_form_call,
                        save_cancel_buttons)

#: The refusal or violence behind a decision, guessed from the incident's kinds.
_GROUNDS_BY_KIND = {"refused_tasks": "refused_tasks", "refused_move_order": "refused_move_order",
                    "violence": "violence", "threats": "threats"}


def _combo(codes: tuple[str, ...], labels: dict[str, str], name: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    for code in codes:
        combo.addItem(label(labels, code), code)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return


def decision_text(decision: DecisionView) -> str:
    """One line for the incident view: what, how much, for how long, by whom."""
    text = _("{allowance} {kind} {start}–{end} ({amount}), decided by {name}").format(
        allowance=label(ALLOWANCE_LABELS, decision.allowance),
        kind=label(DECISION_KIND_LABELS, decision.kind).lower(),
        start=format_date(decision.period_from), end=format_date(decision.period_to),
        amount=format_dkk(decision.amount), name=decision.decided_by or "–")
    if decision.cancelled_on:
        text += " – " + _("cancelled {date}").format(date=format_date(decision.cancelled_on))
    return text


class DecisionDialog(QDialog):
    """Record a decision to reduce or withhold a resident's cash allowance."""

    def __init__(self, ctx: AppContext, incident: IncidentDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.incident = ctx, incident
        self.setObjectName("allowance_decision_dialog")
        self.setWindowTitle(_("Cash-allowance decision on incident {number}").format(
            number=incident.number))
        self.resident = QComboBox(objectName="decision_resident")
        causing = [r for r in incident.residents if r[3] == "causing"]
        for rid, name, person_id, _role in causing + [r for r in incident.residents
                                                      if r not in causing]:
            self.resident.addItem(f"{name} ({person_id})", rid)
        self.kind = _combo(DECISION_KINDS, DECISION_KIND_LABELS, "decision_kind")
        self.allowance = _combo(tuple(DAILY_RATES), ALLOWANCE_LABELS, "decision_allowance")
        self.grounds = _combo(DECISION_GROUNDS, DECISION_GROUNDS_LABELS, "decision_grounds")
        for kind in incident.kinds:
            if kind in _GROUNDS_BY_KIND:
                _select(self.grounds, _GROUNDS_BY_KIND[kind])
                break
        self.reasons = QPlainTextEdit(objectName="decision_reasons")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setPlaceholderText(_("What the resident did, the warnings given, and the "
                                          "house rule broken"))
        self.reasons.setMinimumHeight(80)
        today = local_today()
        self.period_from = date_edit(today + timedelta(days=1))
        self.period_from.setObjectName("decision_from")
        self.period_to = date_edit(today + timedelta(days=7))
        self.period_to.setObjectName("decision_to")
        period = QHBoxLayout()
        period.addWidget(self.period_from)
        period.addWidget(QLabel("–"))
        period.addWidget(self.period_to)
        period.addStretch(1)
        period_box = QWidget()
        period_box.setLayout(period)
        period.setContentsMargins(0, 0, 0, 0)
        self.per_day = QLineEdit(objectName="decision_per_day")
        self.per_day.setPlaceholderText(_("DKK a day, e.g. 20,00"))
        self.rate = QLabel(objectName="decision_rate")
        self.rate.setStyleSheet("color: #555;")
        self.decided_on = date_edit(today)
        self.decided_on.setObjectName("decision_date")

        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Resident"), "resident_id", self.resident)
        self.errors.add_row(form, _("Allowance"), "allowance", self.allowance)
        self.errors.add_row(form, _("Decision"), "kind", self.kind)
        self.errors.add_row(form, _("Amount taken off"), "per_day", self.per_day)
        form.addRow("", self.rate)
        self.errors.add_row(form, _("Because of"), "grounds", self.grounds)
        self.errors.add_row(form, _("Grounds"), "reasons", self.reasons)
        self.errors.add_row(form, _("Period"), "period", period_box)
        self.errors.add_row(form, _("Date of decision"), "decided_on", self.decided_on)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        note = QLabel(_("Decided by {name}. Tell the resident what the decision is based on "
                        "and record the resident's comments; the reports it requires are "
                        "added to the incident.").format(
                            name=ctx.actor.full_name or ctx.actor.username))
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.allowance.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.resize(560, self.sizeHint().height())

    def _kind_changed(self) -> None:
        reduce = self.kind.currentData() == "reduce"
        self.per_day.setEnabled(reduce)
        rate = DAILY_RATES[self.allowance.currentData()]
        self.rate.setText(_("The full allowance is {rate} a day.").format(rate=format_dkk(rate))
                          if reduce else _("All of it: {rate} a day.").format(
                              rate=format_dkk(rate)))

    def value(self) -> DecisionInput:
        return DecisionInput(
            resident_id=self.resident.currentData(), kind=self.kind.currentData(),
            allowance=self.allowance.currentData(), grounds=self.grounds.currentData(),
            reasons=self.reasons.toPlainText(), period_from=from_qdate(self.period_from.date()),
            period_to=from_qdate(self.period_to.date()),
            per_day=self.per_day.text() if self.kind.currentData() == "reduce" else None,
            decided_on=from_qdate(self.decided_on.date()))

    def save(self) -> None:
        def call() -> None:
            allowance.record_decision(self.ctx.db, self.ctx.actor, self.incident.id,
                                      self.value())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(incidents=True))
            self.accept()


class CommentsDialog(QDialog):
    """The resident was told what the decision is based on and commented, or declined."""

    def __init__(self, ctx: AppContext, decision: DecisionView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.decision = ctx, decision
        self.setObjectName("allowance_comments_dialog")
        self.setWindowTitle(_("The resident's comments"))
        self.told_on = date_edit(decision.resident_told_on or local_today())
        self.told_on.setObjectName("comments_told_on")
        self.comments = QPlainTextEdit(decision.resident_comments or "",
                                       objectName="comments_text")
        self.comments.setTabChangesFocus(True)
        self.declined = QCheckBox(_("The resident declined to comment"),
                                  objectName="comments_declined")
        self.declined.setChecked(decision.resident_declined)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Told on"), "told_on", self.told_on)
        self.errors.add_row(form, _("The resident's own words"), "comments", self.comments)
        form.addRow("", self.declined)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(decision_text(decision), wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.comments.setFocus()

    def save(self) -> None:
        def call() -> None:
            allowance.record_resident_comments(
                self.ctx.db, self.ctx.actor, self.decision.id,
                told_on=from_qdate(self.told_on.date()), comments=self.comments.toPlainText(),
                declined=self.declined.isChecked())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(incidents=True))
            self.accept()


class AuthorisationsDialog(QDialog):
    """The centre leader's list of staff authorised to decide on cash allowances."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("allowance_authorisations_dialog")
        self.setWindowTitle(_("Who may decide on cash allowances"))
        self.list = QListWidget(objectName="authorised_list")
        self.staff = QComboBox(objectName="authorise_staff")
        add = QPushButton(_("Authorise"), objectName="authorise_button")
        add.clicked.connect(self.authorise)
        revoke = QPushButton(_("Revoke"), objectName="revoke_button")
        revoke.clicked.connect(self.revoke)
        row = QHBoxLayout()
        row.addWidget(self.staff, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        explain = QLabel(_("The centre leader decides on reductions of cash allowances and may "
                           "authorise others to. Authorised now:"))
        explain.setWordWrap(True)
        layout.addWidget(explain)
        layout.addWidget(self.list)
        layout.addWidget(revoke)
        layout.addLayout(row)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        granted = allowance.list_authorisations(self.ctx.db, self.ctx.actor)
        for grant in granted:
            item = QListWidgetItem(_("{name} – since {date}, by {leader}").format(
                name=grant.staff_name, date=format_date(grant.granted_on),
                leader=grant.granted_by or "–"))
            item.setData(256, grant.id)
            self.list.addItem(item)
        taken = {g.staff_id for g in granted}
        self.staff.clear()
        for member in staff.list_staff(self.ctx.db, self.ctx.actor):
            if member.active and member.id not in taken and member.id != self.ctx.actor.staff_id:
                self.staff.addItem(member.full_name, member.id)

    def authorise(self) -> None:
        staff_id: uuid.UUID | None = self.staff.currentData()
        if staff_id is None:
            return
        try:
            allowance.authorise(self.ctx.db, self.ctx.actor, staff_id)
        except DomainError as error:
            show_error(self, error)
            return
        self.refresh()

    def revoke(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        try:
            allowance.revoke(self.ctx.db, self.ctx.actor, item.data(256))
        except DomainError as error:
            show_error(self, error)
            return
        self.refresh()
