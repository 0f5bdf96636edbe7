"""Cash-allowance decisions: reduce or withhold, decided by the leader or an authorised person.

A decision is made on an incident (the refusal, the violence or threats behind it) about one
of the residents involved. It adds the reports the decision requires
(``app.rules.allowance.decision_reports``) to the incident's checklist, where they stay until
done like any other report. Authorisation is checked here, not in the GUI: the centre
leader decides (``Permission.DECIDE_ALLOWANCE``), or a staff member the leader authorised
(an ``AllowanceAuthorisation`` not revoked).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.formatting import format_date, format_dkk, local_today, parse_dkk, to_local
from app.i18n import _
from app.models import (AllowanceAuthorisation, AllowanceDecision, Incident, IncidentReport,
                        IncidentResident, Resident, Staff)
from app.permissions import Permission, can, require
from app.rules.allowance import (DAILY_RATES, DECISION_GROUNDS, DECISION_KINDS,
                                 decision_reports, withheld_amount)
from app.rules.residents import is_minor_on
from app.services.incidents import _can_read, _incident
from app.unit_of_work import Actor


@dataclass(frozen=True)
class DecisionInput:
    resident_id: uuid.UUID | None
    kind: str                      # reduce | withhold
    allowance: str                 # basic | supplement_1 | supplement_2
    grounds: str                   # refused_tasks | refused_move_order | violence | threats
    reasons: str
    period_from: date | None
    period_to: date | None
    per_day: Decimal | str | None = None
    decided_on: date | None = None


@dataclass(frozen=True)
class DecisionView:
    id: uuid.UUID
    incident_id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    kind: str
    allowance: str
    grounds: str
    reasons: str
    period_from: date
    period_to: date
    per_day: Decimal
    amount: Decimal
    decided_on: date
    decided_by: str | None
    authorised_by: str | None      # the leader who authorised the decider, if not the leader
    resident_told_on: date | None
    resident_comments: str | None
    resident_declined: bool
    cancelled_on: date | None
    cancel_reason: str | None
    reports: tuple[str, ...]

    @property
    def form(self) -> str:
        return "IN9" if "IN9" in self.reports else "IN12"


@dataclass(frozen=True)
class AuthorisationView:
    id: uuid.UUID
    staff_id: uuid.UUID
    staff_name: str
    granted_on: date
    granted_by: str | None


# -- who may decide --------------------------------------------------------------------------

def _active_authorisation(session: Session, actor: Actor) -> AllowanceAuthorisation | None:
    if actor.staff_id is None:
        return None
    return session.scalar(select(AllowanceAuthorisation).where(
        AllowanceAuthorisation.staff_id == actor.staff_id,
        AllowanceAuthorisation.revoked_on.is_(None),
        AllowanceAuthorisation.deleted_at.is_(None)))


def _require_decider(session: Session, actor: Actor) -> AllowanceAuthorisation | None:
    """``None`` for the leader; the authorisation for an authorised person; refuse others."""
    if can(actor, Permission.DECIDE_ALLOWANCE):
        return None
    authorisation = _active_authorisation(session, actor)
    if authorisation is None:
        raise PermissionDenied(_(
            "Only the centre leader, or a staff member the centre leader has authorised, "
            "may decide to reduce or withhold a cash allowance."))
    return authorisation


def may_decide(db: Database, actor: Actor) -> bool:
    """Whether ``actor`` may record allowance decisions (for the GUI to mirror)."""
    if can(actor, Permission.DECIDE_ALLOWANCE):
        return True
    with db.read() as session:
        return _active_authorisation(session, actor) is not None


def list_authorisations(db: Database, actor: Actor) -> list[AuthorisationView]:
    require(actor, Permission.AUTHORISE_ALLOWANCE)
    with db.read() as session:
        names = dict(session.execute(select(Staff.id, Staff.full_name)).all())
        rows = session.scalars(select(AllowanceAuthorisation).where(
            AllowanceAuthorisation.revoked_on.is_(None),
            AllowanceAuthorisation.deleted_at.is_(None))
            .order_by(AllowanceAuthorisation.granted_on))
        return [AuthorisationView(a.id, a.staff_id, names.get(a.staff_id, ""), a.granted_on,
                                  names.get(a.granted_by)) for a in rows]


def authorise(db: Database, actor: Actor, staff_id: uuid.UUID, *,
              today: date | None = None) -> AuthorisationView:
    """The centre leader authorises a staff member to decide on cash allowances."""
    require(actor, Permission.AUTHORISE_ALLOWANCE)
    today = today or local_today()
    with db.unit(actor) as session:
        staff = session.get(Staff, staff_id)
        if staff is None or staff.deleted_at is not None or not staff.active:
            raise NotFound(_("The staff member does not exist or is not active."))
        if session.scalar(select(AllowanceAuthorisation).where(
                AllowanceAuthorisation.staff_id == staff_id,
                AllowanceAuthorisation.revoked_on.is_(None),
                AllowanceAuthorisation.deleted_at.is_(None))) is not None:
            raise DomainError(_("{name} is authorised already.").format(name=staff.full_name))
        authorisation = AllowanceAuthorisation(staff_id=staff_id, granted_by=actor.staff_id,
                                               granted_on=today)
        session.add(authorisation)
        session.flush()
        return AuthorisationView(authorisation.id, staff_id, staff.full_name, today,
                                 actor.full_name or actor.username)


def revoke(db: Database, actor: Actor, authorisation_id: uuid.UUID, *,
           today: date | None = None) -> None:
    require(actor, Permission.AUTHORISE_ALLOWANCE)
    with db.unit(actor) as session:
        authorisation = session.get(AllowanceAuthorisation, authorisation_id)
        if authorisation is None or authorisation.revoked_on is not None:
            raise NotFound(_("The authorisation does not exist or was revoked already."))
        authorisation.revoked_on, authorisation.revoked_by = today or local_today(), actor.staff_id


# -- decisions -------------------------------------------------------------------------------

def _view(session: Session, decision: AllowanceDecision) -> DecisionView:
    resident = session.get(Resident, decision.resident_id)
    names = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    authorised_by = None
    if decision.authorisation_id is not None:
        authorisation = session.get(AllowanceAuthorisation, decision.authorisation_id)
        authorised_by = names.get(authorisation.granted_by) if authorisation else None
    incident = session.get(Incident, decision.incident_id)
    minor = is_minor_on(resident.date_of_birth, decision.decided_on)
    rate = DAILY_RATES[decision.allowance]
    per_day = decision.per_day_dkk if decision.per_day_dkk is not None else rate
    return DecisionView(
        id=decision.id, incident_id=incident.id, resident_id=resident.id,
        resident_name=f"{resident.given_names} {resident.family_name}", kind=decision.kind,
        allowance=decision.allowance, grounds=decision.grounds, reasons=decision.reasons,
        period_from=decision.period_from, period_to=decision.period_to, per_day=per_day,
        amount=withheld_amount(decision.allowance, per_day, decision.period_from,
                               decision.period_to),
        decided_on=decision.decided_on, decided_by=names.get(decision.decided_by),
        authorised_by=authorised_by, resident_told_on=decision.resident_told_on,
        resident_comments=decision.resident_comments,
        resident_declined=decision.resident_declined, cancelled_on=decision.cancelled_on,
        cancel_reason=decision.cancel_reason,
        reports=tuple(sorted(decision_reports(decision.grounds, decision.allowance,
                                              minor=minor))))


def _validate(session: Session, incident: Incident, data: DecisionInput,
              today: date) -> tuple[dict[str, str], Decimal | None]:
    problems: dict[str, str] = {}
    per_day: Decimal | None = None
    if data.kind not in DECISION_KINDS:
        problems["kind"] = _("Choose whether the allowance is reduced or withheld.")
    if data.allowance not in DAILY_RATES:
        problems["allowance"] = _("Choose which cash allowance the decision is about.")
    if data.grounds not in DECISION_GROUNDS:
        problems["grounds"] = _("Choose what the decision is based on.")
    if not data.reasons.strip():
        problems["reasons"] = _("Write the grounds for the decision: what happened and which "
                                "rule the resident broke.")
    if data.period_from is None or data.period_to is None:
        problems["period"] = _("Give the first and the last day of the period.")
    elif data.period_to < data.period_from:
        problems["period"] = _("The period ends {end} before it starts {start}.").format(
            end=format_date(data.period_to), start=format_date(data.period_from))
    decided_on = data.decided_on or today
    if decided_on > today:
        problems["decided_on"] = _("The decision date {date} is in the future.").format(
            date=format_date(decided_on))
    elif decided_on < to_local(incident.happened_at).date():
        problems["decided_on"] = _("The decision date {date} is before the incident.").format(
            date=format_date(decided_on))
    if data.kind == "reduce" and data.allowance in DAILY_RATES:
        try:
            per_day = parse_dkk(data.per_day)
        except ValueError:
            problems["per_day"] = _("“{text}” is not an amount in kroner.").format(
                text=data.per_day)
        else:
            rate = DAILY_RATES[data.allowance]
            if per_day is None or per_day <= 0:
                problems["per_day"] = _("Give the amount taken off each day.")
            elif per_day > rate:
                problems["per_day"] = _(
                    "{amount} a day is more than the allowance itself ({rate} a day); "
                    "withhold it instead.").format(amount=format_dkk(per_day),
                                                   rate=format_dkk(rate))
    if data.resident_id is None:
        problems["resident_id"] = _("Choose the resident the decision is about.")
    elif session.scalar(select(IncidentResident.id).where(
            IncidentResident.incident_id == incident.id,
            IncidentResident.resident_id == data.resident_id,
            IncidentResident.deleted_at.is_(None))) is None:
        problems["resident_id"] = _("The resident is not among those involved in incident "
                                    "{number}.").format(number=incident.number)
    return problems, per_day


def _add_reports(session: Session, incident: Incident, codes: set[str]) -> None:
    existing = {r.code: r for r in session.scalars(select(IncidentReport).where(
        IncidentReport.incident_id == incident.id, IncidentReport.deleted_at.is_(None)))}
    for code in sorted(codes):
        if code in existing:
            existing[code].required = True
        else:
            session.add(IncidentReport(incident_id=incident.id, code=code, required=True,
                                       added_reason=_("Cash-allowance decision")))


def record_decision(db: Database, actor: Actor, incident_id: uuid.UUID, data: DecisionInput,
                    *, today: date | None = None) -> DecisionView:
    """Record a decision to reduce or withhold a resident's cash allowance on an incident.

    Refused unless ``actor`` is the centre leader or authorised by the leader. The reports
    the decision requires join the incident's checklist (never removed).
    """
    require(actor, Permission.LOG_INCIDENTS)
    today = today or local_today()
    with db.unit(actor) as session:
        authorisation = _require_decider(session, actor)
        incident = _incident(session, incident_id)
        if not _can_read(session, actor, incident):
            raise PermissionDenied(_("You may not read incident {number}.").format(
                number=incident.number))
        if incident.voided_at is not None:
            raise DomainError(_("Incident {number} is void.").format(number=incident.number))
        problems, per_day = _validate(session, incident, data, today)
        if problems:
            raise ValidationError(problems)
        decision = AllowanceDecision(
            incident_id=incident.id, resident_id=data.resident_id, kind=data.kind,
            allowance=data.allowance, grounds=data.grounds, reasons=data.reasons.strip(),
            period_from=data.period_from, period_to=data.period_to,
            per_day_dkk=per_day if data.kind == "reduce" else None,
            decided_on=data.decided_on or today, decided_by=actor.staff_id,
            authorisation_id=authorisation.id if authorisation else None)
        session.add(decision)
        session.flush()
        view = _view(session, decision)
        _add_reports(session, incident, set(view.reports))
        session.flush()
        return view


def record_resident_comments(db: Database, actor: Actor, decision_id: uuid.UUID, *,
                             told_on: date | None, comments: str | None, declined: bool,
                             today: date | None = None) -> DecisionView:
    """The resident was told what the decision is based on and commented (or declined)."""
    require(actor, Permission.LOG_INCIDENTS)
    today = today or local_today()
    comments = (comments or "").strip() or None
    problems: dict[str, str] = {}
    if told_on is None:
        problems["told_on"] = _("Give the date the resident was told about the decision.")
    elif told_on > today:
        problems["told_on"] = _("The date {date} is in the future.").format(
            date=format_date(told_on))
    if comments and declined:
        problems["comments"] = _("Either the resident's comments or that the resident "
                                 "declined, not both.")
    if not comments and not declined:
        problems["comments"] = _("Write the resident's comments, or tick that the resident "
                                 "declined to comment.")
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        decision = _decision(session, actor, decision_id)
        decision.resident_told_on, decision.resident_comments = told_on, comments
        decision.resident_declined = declined
        session.flush()
        return _view(session, decision)


def cancel_decision(db: Database, actor: Actor, decision_id: uuid.UUID, *, reason: str,
                    today: date | None = None) -> DecisionView:
    """Cancel a decision (an appeal, a mistake): kept and shown as cancelled, never deleted."""
    require(actor, Permission.LOG_INCIDENTS)
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the decision is cancelled.")})
    with db.unit(actor) as session:
        _require_decider(session, actor)
        decision = _decision(session, actor, decision_id)
        if decision.cancelled_on is not None:
            raise DomainError(_("The decision is cancelled already."))
        decision.cancelled_on, decision.cancel_reason = today or local_today(), reason.strip()
        session.flush()
        return _view(session, decision)


def _decision(session: Session, actor: Actor, decision_id: uuid.UUID) -> AllowanceDecision:
    decision = session.get(AllowanceDecision, decision_id)
    if decision is None or decision.deleted_at is not None:
        raise NotFound(_("The decision does not exist (any more)."))
    incident = _incident(session, decision.incident_id)
    if not _can_read(session, actor, incident):
        raise PermissionDenied(_("You may not read incident {number}.").format(
            number=incident.number))
    return decision


def decisions_for_incident(db: Database, actor: Actor,
                           incident_id: uuid.UUID) -> list[DecisionView]:
    """The allowance decisions on an incident, for those who may read the incident."""
    require(actor, Permission.LOG_INCIDENTS)
    with db.read() as session:
        incident = _incident(session, incident_id)
        if not _can_read(session, actor, incident):
            raise PermissionDenied(_("You may not read incident {number}.").format(
                number=incident.number))
        rows = session.scalars(select(AllowanceDecision).where(
            AllowanceDecision.incident_id == incident_id,
            AllowanceDecision.deleted_at.is_(None)).order_by(AllowanceDecision.created_at))
        return [_view(session, d) for d in rows]
