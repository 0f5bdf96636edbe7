"""Caseload: the residents a contact person carries ("My residents") and how the residents
are spread over the contact persons (domain-rules §1: typically 7 primary and 7 secondary).

Assigning and changing a resident's contact persons is
``app.services.residents.assign_contact_persons``: every change ends the open
``ContactAssignment`` and starts a new one, so the history is kept; ``contact_history`` reads
it back as periods.

``MyResident.plan_status`` is "draft" or "signed_off" for the resident's latest development
plan version (``plan_version``), None when there is no plan yet; ``next_review_on`` is the
soonest next review its goals' latest reviews set.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.db import Database
from app.errors import NotFound
from app.formatting import as_utc, local_today
from app.i18n import _
from app.models import (
    ContactAssignment,
    Incident,
    IncidentReport,
    IncidentResident,
    MissingCase,
    Observation,
    ObservationAcknowledgement,
    Resident,
    Staff,
)
from app.models.observations import AUDIENCE_PRIMARY_CONTACT
from app.models.residents import CONTACT_PRIMARY, CONTACT_SECONDARY
from app.permissions import Permission, Role, require
from app.queries.residents import room_names
from app.unit_of_work import Actor

#: Residents a contact person typically carries in each role (``004_…`` §3.1.1).
TYPICAL_CASELOAD = 7


@dataclass(frozen=True)
class MyResident:
    """One line of "My residents". ``open_incidents`` counts the incidents involving the
    resident that still wait for a report; ``concerns_waiting`` the concern notes the
    primary contact person has not acknowledged yet. ``plan_status`` and ``next_review_on``
    are None: no development plan yet (plans come later)."""

    resident_id: uuid.UUID
    name: str
    name_in_own_script: str | None
    person_id: str
    room: str | None
    role: str  # primary / secondary
    since: date
    other_contact: str | None
    last_observation_at: datetime | None
    missing: bool
    open_incidents: int
    concerns_waiting: int
    plan_status: str | None = None
    next_review_on: date | None = None
    plan_version: int | None = None


@dataclass(frozen=True)
class CaseloadRow:
    staff_id: uuid.UUID
    name: str
    primary: int
    secondary: int
    # False for a user who is inactive or no longer has the contact-person role but still
    # has residents: they need a new contact person.
    available: bool

    @property
    def total(self) -> int:
        return self.primary + self.secondary

    @property
    def above_typical(self) -> bool:
        return self.primary > TYPICAL_CASELOAD or self.secondary > TYPICAL_CASELOAD


@dataclass(frozen=True)
class CaseloadBalance:
    rows: tuple[CaseloadRow, ...]
    residents: int
    without_primary: int
    without_secondary: int


@dataclass(frozen=True)
class ContactPeriod:
    kind: str
    staff_id: uuid.UUID
    staff_name: str
    started_on: date
    ended_on: date | None


def _open(model: type[ContactAssignment] = ContactAssignment):
    return and_(model.ended_on.is_(None), model.deleted_at.is_(None))


def _current_resident():
    return and_(Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None))


def my_residents(db: Database, actor: Actor, today: date | None = None, *,
                 staff_id: uuid.UUID | None = None) -> list[MyResident]:
    """The residents the actor (or, for the leader and the coordinator, the staff member
    ``staff_id``) is primary or secondary contact person of on ``today`` (default: today in
    Copenhagen), primary ones first. The facts shown (notes, missing, incidents, concerns)
    are as they stand now."""
    require(actor, Permission.VIEW_RESIDENTS)
    if staff_id is not None and staff_id != actor.staff_id:
        require(actor, Permission.VIEW_CASELOAD)
    staff_id = staff_id or actor.staff_id
    if staff_id is None:
        return []
    today = today or local_today()
    with db.read() as session:
        rows = session.execute(
            select(Resident.id, Resident.given_names, Resident.family_name,
                   Resident.name_in_own_script, Resident.person_id, ContactAssignment.kind,
                   ContactAssignment.started_on)
            .join(ContactAssignment, ContactAssignment.resident_id == Resident.id)
            .where(ContactAssignment.staff_id == staff_id, ContactAssignment.deleted_at.is_(None),
                   ContactAssignment.started_on <= today,
                   or_(ContactAssignment.ended_on.is_(None), ContactAssignment.ended_on > today),
                   Resident.deleted_at.is_(None), Resident.arrival_date <= today,
                   or_(Resident.moved_out_on.is_(None), Resident.moved_out_on > today))).all()
        ids = [row.id for row in rows]
        facts = _facts(session, ids, staff_id)
        plans = _plan_facts(session, ids)
    result = [MyResident(
        resident_id=row.id, name=f"{row.given_names} {row.family_name}",
        name_in_own_script=row.name_in_own_script, person_id=row.person_id,
        room=facts["rooms"].get(row.id), role=row.kind, since=row.started_on,
        other_contact=facts["others"].get(row.id),
        last_observation_at=as_utc(facts["last_notes"].get(row.id)),
        missing=row.id in facts["missing"], open_incidents=facts["incidents"].get(row.id, 0),
        concerns_waiting=facts["concerns"].get(row.id, 0),
        **plans.get(row.id, {})) for row in rows]
    order = {CONTACT_PRIMARY: 0, CONTACT_SECONDARY: 1}
    return sorted(result, key=lambda r: (order.get(r.role, 2), r.name.casefold()))


def _facts(session: Session, ids: list[uuid.UUID], staff_id: uuid.UUID) -> dict:
    """What "My residents" shows of each resident, one query per column."""
    if not ids:
        return {"rooms": {}, "others": {}, "last_notes": {}, "missing": set(),
                "incidents": {}, "concerns": {}}
    others = dict(session.execute(
        select(ContactAssignment.resident_id, Staff.full_name)
        .join(Staff, Staff.id == ContactAssignment.staff_id)
        .where(ContactAssignment.resident_id.in_(ids), ContactAssignment.staff_id != staff_id,
               _open())).all())
    last_notes = dict(session.execute(
        select(Observation.resident_id, func.max(Observation.written_at))
        .where(Observation.resident_id.in_(ids), Observation.deleted_at.is_(None))
        .group_by(Observation.resident_id)).all())
    missing = set(session.scalars(select(MissingCase.resident_id).where(
        MissingCase.resident_id.in_(ids), MissingCase.closed_at.is_(None),
        MissingCase.deleted_at.is_(None))))
    waiting = (select(IncidentReport.incident_id)
               .where(IncidentReport.done_at.is_(None), IncidentReport.deleted_at.is_(None)))
    incidents = dict(session.execute(
        select(IncidentResident.resident_id, func.count(func.distinct(Incident.id)))
        .join(Incident, Incident.id == IncidentResident.incident_id)
        .where(IncidentResident.resident_id.in_(ids), IncidentResident.deleted_at.is_(None),
               Incident.voided_at.is_(None), Incident.deleted_at.is_(None),
               Incident.id.in_(waiting))
        .group_by(IncidentResident.resident_id)).all())
    ack = aliased(ObservationAcknowledgement)
    concerns = dict(session.execute(
        select(Observation.resident_id, func.count())
        .outerjoin(ack, and_(ack.observation_id == Observation.id,
                             ack.audience == AUDIENCE_PRIMARY_CONTACT, ack.deleted_at.is_(None)))
        .where(Observation.resident_id.in_(ids), Observation.concern.is_(True),
               Observation.deleted_at.is_(None), ack.id.is_(None))
        .group_by(Observation.resident_id)).all())
    return {"rooms": room_names(session, ids), "others": others, "last_notes": last_notes,
            "missing": missing, "incidents": incidents, "concerns": concerns}


def caseload_balance(db: Database, actor: Actor) -> CaseloadBalance:
    """Per contact person the number of current residents they are primary and secondary
    contact person of, and how many residents lack one (for the leader and the coordinator)."""
    require(actor, Permission.VIEW_CASELOAD)
    with db.read() as session:
        counts: dict[uuid.UUID, dict[str, int]] = {}
        for staff_id, kind, count in session.execute(
                select(ContactAssignment.staff_id, ContactAssignment.kind, func.count())
                .join(Resident, Resident.id == ContactAssignment.resident_id)
                .where(_open(), _current_resident())
                .group_by(ContactAssignment.staff_id, ContactAssignment.kind)):
            counts.setdefault(staff_id, {})[kind] = count
        staff = session.scalars(select(Staff).where(Staff.deleted_at.is_(None)))
        rows = []
        for member in staff:
            available = member.active and Role.CONTACT_PERSON.value in (member.roles or ())
            if not available and member.id not in counts:
                continue
            mine = counts.get(member.id, {})
            rows.append(CaseloadRow(member.id, member.full_name, mine.get(CONTACT_PRIMARY, 0),
                                    mine.get(CONTACT_SECONDARY, 0), available))
        residents = session.scalar(select(func.count()).select_from(Resident)
                                   .where(_current_resident())) or 0
        covered = {kind: session.scalar(
            select(func.count(func.distinct(ContactAssignment.resident_id)))
            .join(Resident, Resident.id == ContactAssignment.resident_id)
            .where(ContactAssignment.kind == kind, _open(), _current_resident())) or 0
            for kind in (CONTACT_PRIMARY, CONTACT_SECONDARY)}
    rows.sort(key=lambda row: row.name.casefold())
    return CaseloadBalance(tuple(rows), residents, residents - covered[CONTACT_PRIMARY],
                           residents - covered[CONTACT_SECONDARY])


def contact_history(db: Database, actor: Actor, resident_id: uuid.UUID) -> list[ContactPeriod]:
    """Who was the resident's primary and secondary contact person, from when to when."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.read() as session:
        resident = session.get(Resident, resident_id)
        if resident is None or resident.deleted_at is not None:
            raise NotFound(_("The resident does not exist (any more)."))
        rows = session.execute(
            select(ContactAssignment, Staff.full_name)
            .join(Staff, Staff.id == ContactAssignment.staff_id)
            .where(ContactAssignment.resident_id == resident_id,
                   ContactAssignment.deleted_at.is_(None))
            .order_by(ContactAssignment.started_on, ContactAssignment.created_at)).all()
    return [ContactPeriod(a.kind, a.staff_id, name, a.started_on, a.ended_on)
            for a, name in rows]


def _plan_facts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """Per resident: the latest plan version, whether it is signed off, and the soonest next
    review its goals' latest reviews set."""
    if not ids:
        return {}
    from app.models import DevelopmentPlan, PlanGoal, PlanReview

    latest = (select(DevelopmentPlan.resident_id, func.max(DevelopmentPlan.version).label("v"))
              .where(DevelopmentPlan.resident_id.in_(ids), DevelopmentPlan.deleted_at.is_(None))
              .group_by(DevelopmentPlan.resident_id).subquery())
    plans = session.execute(
        select(DevelopmentPlan.resident_id, DevelopmentPlan.id, DevelopmentPlan.version,
               DevelopmentPlan.signed_off_at)
        .join(latest, and_(latest.c.resident_id == DevelopmentPlan.resident_id,
                           latest.c.v == DevelopmentPlan.version))
        .where(DevelopmentPlan.deleted_at.is_(None))).all()
    facts: dict[uuid.UUID, dict] = {}
    by_plan: dict[uuid.UUID, uuid.UUID] = {}
    for resident_id, plan_id, version, signed_off_at in plans:
        facts[resident_id] = {"plan_version": version,
                              "plan_status": "signed_off" if signed_off_at else "draft"}
        by_plan[plan_id] = resident_id
    if by_plan:
        reviews = session.execute(
            select(PlanGoal.plan_id, PlanGoal.id, PlanReview.next_review_on)
            .join(PlanReview, PlanReview.goal_id == PlanGoal.id)
            .where(PlanGoal.plan_id.in_(list(by_plan)), PlanGoal.deleted_at.is_(None),
                   PlanReview.deleted_at.is_(None))
            .order_by(PlanReview.reviewed_on, PlanReview.created_at)).all()
        next_by_goal: dict[uuid.UUID, tuple[uuid.UUID, date | None]] = {}
        for plan_id, goal_id, next_on in reviews:  # oldest first: the latest review wins
            next_by_goal[goal_id] = (plan_id, next_on)
        for plan_id, next_on in next_by_goal.values():
            if next_on is None:
                continue
            resident_id = by_plan[plan_id]
            current = facts[resident_id].get("next_review_on")
            if current is None or next_on < current:
                facts[resident_id]["next_review_on"] = next_on
    return facts
