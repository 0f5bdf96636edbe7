"""The incident log: what happened, who was involved, use of force, and the reports checklist.

The reports an incident needs come from ``app.rules.reports.required_reports``; staff may
add reports but never remove one the rule asks for. A submitted incident is corrected, not
rewritten: the earlier version is kept (``IncidentVersion``); only the centre leader voids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.formatting import format_date, format_datetime, local_today, to_local, utcnow
from app.i18n import _
from app.models import (ConfiscatedItem, ContactAssignment, Incident, IncidentReport,
                        IncidentResident, IncidentStaff, IncidentVersion, Resident, Staff,
                        UseOfForce)
from app.models.incidents import IMMEDIATE_ACTIONS, RESIDENT_ROLES
from app.permissions import Permission, can, require
from app.rules.reports import INCIDENT_KINDS, REPORT_CODES, USE_OF_FORCE_KINDS, required_reports
from app.rules.residents import is_minor_on
from app.unit_of_work import Actor, jsonable

CLOCK_SKEW = timedelta(minutes=5)
#: Reports staff may add beyond the rule's (domain-rules §4): the codes of the rule, and
#: contacting the Agency's booking team when a move may be needed.
EXTRA_REPORT_CODES = (*REPORT_CODES, "agency_booking")
#: Reports whose reference is the police journal number.
POLICE_CODES = frozenset({"police"})


@dataclass(frozen=True)
class ForceInput:
    resident_id: uuid.UUID | None
    kind: str
    started_at: datetime | None
    ended_at: datetime | None
    reason: str
    decided_by: uuid.UUID | None = None
    injuries: str | None = None
    minor_informed_on: date | None = None
    minor_statement: str | None = None
    minor_declined: bool = False
    statement_on: date | None = None


@dataclass(frozen=True)
class ConfiscatedInput:
    description: str
    resident_id: uuid.UUID | None = None
    kept_where: str | None = None


@dataclass(frozen=True)
class IncidentInput:
    happened_at: datetime | None
    noticed_at: datetime | None
    place: str
    kinds: tuple[str, ...]
    description: str
    residents: tuple[tuple[uuid.UUID, str], ...] = ()
    staff_ids: tuple[uuid.UUID, ...] = ()
    other_persons: str | None = None
    immediate_actions: tuple[str, ...] = ()
    harassment_grounds: str | None = None
    uses_of_force: tuple[ForceInput, ...] = ()
    confiscated: tuple[ConfiscatedInput, ...] = ()
    extra_reports: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReportLine:
    code: str
    required: bool
    added_reason: str | None
    done_at: datetime | None
    done_by: str | None
    reference: str | None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class ForceView:
    id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    kind: str
    started_at: datetime
    ended_at: datetime | None
    reason: str
    decided_by: str | None
    injuries: str | None
    minor_informed_on: date | None
    minor_statement: str | None
    minor_declined: bool
    statement_on: date | None


@dataclass(frozen=True)
class ConfiscatedView:
    id: uuid.UUID
    description: str
    resident_name: str | None
    kept_where: str | None
    returned_on: date | None
    returned_by: str | None
    handed_to_police: bool


@dataclass(frozen=True)
class IncidentDetail:
    id: uuid.UUID
    number: str
    happened_at: datetime
    noticed_at: datetime
    place: str
    kinds: tuple[str, ...]
    harassment_grounds: str | None
    description: str
    immediate_actions: tuple[str, ...]
    other_persons: str | None
    reported_by: str | None
    reported_at: datetime
    minor_involved: bool
    version: int
    voided_at: datetime | None
    void_reason: str | None
    residents: tuple[tuple[uuid.UUID, str, str, str], ...]  # id, name, person id, role
    staff: tuple[str, ...]
    uses_of_force: tuple[ForceView, ...]
    confiscated: tuple[ConfiscatedView, ...]
    reports: tuple[ReportLine, ...]
    versions: tuple[tuple[int, datetime, str | None, str], ...] = field(default_factory=tuple)

    @property
    def outstanding(self) -> tuple[ReportLine, ...]:
        return tuple(r for r in self.reports if not r.done)


@dataclass(frozen=True)
class IncidentSummary:
    id: uuid.UUID
    number: str
    happened_at: datetime
    place: str
    kinds: tuple[str, ...]
    residents: tuple[str, ...]
    outstanding: int
    voided: bool
    readable: bool


# -- validation ------------------------------------------------------------------------------

def _clean(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _validate(session: Session, data: IncidentInput, now: datetime) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.happened_at is None:
        problems["happened_at"] = _("Give the time it happened.")
    elif data.happened_at > now + CLOCK_SKEW:
        problems["happened_at"] = _("The time it happened ({time}) is in the future.").format(
            time=format_datetime(data.happened_at))
    if data.noticed_at is None:
        problems["noticed_at"] = _("Give the time staff noticed it.")
    elif data.noticed_at > now + CLOCK_SKEW:
        problems["noticed_at"] = _("The time noticed ({time}) is in the future.").format(
            time=format_datetime(data.noticed_at))
    elif data.happened_at is not None and data.noticed_at < data.happened_at:
        problems["noticed_at"] = _("It cannot be noticed before it happened.")
    if not data.place.strip():
        problems["place"] = _("Write where it happened.")
    if not data.kinds:
        problems["kinds"] = _("Choose at least one kind of incident.")
    unknown = [k for k in data.kinds if k not in INCIDENT_KINDS]
    if unknown:
        problems["kinds"] = _("Unknown kind of incident: {kinds}.").format(kinds=", ".join(unknown))
    if "harassment" in data.kinds and not _clean(data.harassment_grounds):
        problems["harassment_grounds"] = _("Write what the harassment was about (race, "
                                           "religion, gender …).")
    if not data.description.strip():
        problems["description"] = _("Describe what happened.")
    bad_actions = [a for a in data.immediate_actions if a not in IMMEDIATE_ACTIONS]
    if bad_actions:
        problems["immediate_actions"] = _("Unknown action: {actions}.").format(
            actions=", ".join(bad_actions))
    for resident_id, role in data.residents:
        if role not in RESIDENT_ROLES:
            problems["residents"] = _("Choose each resident's role: affected, causing or "
                                      "witness.")
        resident = session.get(Resident, resident_id)
        if resident is None or resident.deleted_at is not None:
            problems["residents"] = _("A chosen resident does not exist (any more).")
    force_kinds = [k for k in data.kinds if k in USE_OF_FORCE_KINDS]
    if force_kinds and not data.uses_of_force:
        problems["uses_of_force"] = _(
            "Use of force was chosen: record what was done, to whom, when and why.")
    for index, force in enumerate(data.uses_of_force):
        number = index + 1
        if force.resident_id is None:
            problems[f"force.{index}.resident"] = _(
                "Use of force {number}: choose the resident.").format(number=number)
        if force.kind not in USE_OF_FORCE_KINDS:
            problems[f"force.{index}.kind"] = _(
                "Use of force {number}: choose what was done.").format(number=number)
        if force.started_at is None:
            problems[f"force.{index}.started_at"] = _(
                "Use of force {number}: give the time it started.").format(number=number)
        elif force.ended_at is not None and force.ended_at < force.started_at:
            problems[f"force.{index}.ended_at"] = _(
                "Use of force {number}: it ends before it starts.").format(number=number)
        if not force.reason.strip():
            problems[f"force.{index}.reason"] = _(
                "Use of force {number}: write why it was necessary.").format(number=number)
        if force.minor_statement and force.minor_declined:
            problems[f"force.{index}.minor_statement"] = _(
                "Use of force {number}: either the minor's statement or that the minor "
                "declined, not both.").format(number=number)
    for index, item in enumerate(data.confiscated):
        if not item.description.strip():
            problems[f"confiscated.{index}"] = _(
                "Confiscated item {number}: describe it.").format(number=index + 1)
    for code, reason in data.extra_reports:
        if code not in EXTRA_REPORT_CODES:
            problems["extra_reports"] = _("Unknown report: {code}.").format(code=code)
        elif not reason.strip():
            problems["extra_reports"] = _("Write why the extra report is made.")
    return problems


def _minor_involved(session: Session, data: IncidentInput) -> bool:
    """A resident under 18 was affected, or was the one a power was used on."""
    if data.happened_at is None:
        return True
    day = to_local(data.happened_at).date()
    ids = {rid for rid, role in data.residents if role == "affected"}
    ids |= {f.resident_id for f in data.uses_of_force if f.resident_id}
    if not ids:
        ids = {rid for rid, _role in data.residents}
    births = session.scalars(select(Resident.date_of_birth).where(Resident.id.in_(ids)))
    return any(is_minor_on(born, max(day, born)) for born in births)


# -- reading ---------------------------------------------------------------------------------

def _can_read(session: Session, actor: Actor, incident: Incident) -> bool:
    if can(actor, Permission.READ_ALL_INCIDENTS) or incident.reported_by == actor.staff_id:
        return True
    if actor.staff_id is None:
        return False
    residents = select(IncidentResident.resident_id).where(
        IncidentResident.incident_id == incident.id, IncidentResident.deleted_at.is_(None))
    return session.scalar(select(func.count()).select_from(ContactAssignment).where(
        ContactAssignment.staff_id == actor.staff_id, ContactAssignment.ended_on.is_(None),
        ContactAssignment.deleted_at.is_(None),
        ContactAssignment.resident_id.in_(residents))) > 0


def _incident(session: Session, incident_id: uuid.UUID) -> Incident:
    incident = session.get(Incident, incident_id)
    if incident is None or incident.deleted_at is not None:
        raise NotFound(_("The incident does not exist (any more)."))
    return incident


def _detail(session: Session, incident: Incident) -> IncidentDetail:
    staff = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    residents = session.execute(
        select(Resident.id, Resident.given_names, Resident.family_name, Resident.person_id,
               IncidentResident.role)
        .join(IncidentResident, IncidentResident.resident_id == Resident.id)
        .where(IncidentResident.incident_id == incident.id,
               IncidentResident.deleted_at.is_(None))
        .order_by(IncidentResident.created_at)).all()
    names = {rid: f"{given} {family}" for rid, given, family, _p, _r in residents}
    forces = list(session.scalars(select(UseOfForce).where(
        UseOfForce.incident_id == incident.id, UseOfForce.deleted_at.is_(None))
        .order_by(UseOfForce.started_at)))
    for force in forces:
        if force.resident_id not in names:
            r = session.get(Resident, force.resident_id)
            names[force.resident_id] = f"{r.given_names} {r.family_name}" if r else ""
    items = list(session.scalars(select(ConfiscatedItem).where(
        ConfiscatedItem.incident_id == incident.id, ConfiscatedItem.deleted_at.is_(None))
        .order_by(ConfiscatedItem.created_at)))
    reports = list(session.scalars(select(IncidentReport).where(
        IncidentReport.incident_id == incident.id, IncidentReport.deleted_at.is_(None))))
    order = {code: i for i, code in enumerate(EXTRA_REPORT_CODES)}
    reports.sort(key=lambda r: order.get(r.code, 99))
    involved_staff = session.scalars(select(IncidentStaff.staff_id).where(
        IncidentStaff.incident_id == incident.id, IncidentStaff.deleted_at.is_(None)))
    versions = session.execute(
        select(IncidentVersion.version, IncidentVersion.created_at, IncidentVersion.corrected_by,
               IncidentVersion.reason)
        .where(IncidentVersion.incident_id == incident.id)
        .order_by(IncidentVersion.version)).all()
    return IncidentDetail(
        id=incident.id, number=incident.number, happened_at=incident.happened_at,
        noticed_at=incident.noticed_at, place=incident.place, kinds=tuple(incident.kinds),
        harassment_grounds=incident.harassment_grounds, description=incident.description,
        immediate_actions=tuple(incident.immediate_actions or ()),
        other_persons=incident.other_persons, reported_by=staff.get(incident.reported_by),
        reported_at=incident.created_at, minor_involved=incident.minor_involved,
        version=incident.version, voided_at=incident.voided_at,
        void_reason=incident.void_reason,
        residents=tuple((rid, names[rid], person_id, role)
                        for rid, _g, _f, person_id, role in residents),
        staff=tuple(staff.get(s, "") for s in involved_staff),
        uses_of_force=tuple(ForceView(
            f.id, f.resident_id, names.get(f.resident_id, ""), f.kind, f.started_at, f.ended_at,
            f.reason, staff.get(f.decided_by), f.injuries, f.minor_informed_on,
            f.minor_statement, f.minor_declined, f.statement_on) for f in forces),
        confiscated=tuple(ConfiscatedView(
            i.id, i.description, names.get(i.resident_id) if i.resident_id else None,
            i.kept_where, i.returned_on, staff.get(i.returned_by), i.handed_to_police)
            for i in items),
        reports=tuple(ReportLine(r.code, r.required, r.added_reason, r.done_at,
                                 staff.get(r.done_by), r.reference) for r in reports),
        versions=tuple((v, at, staff.get(by), reason) for v, at, by, reason in versions))


def get_incident(db: Database, actor: Actor, incident_id: uuid.UUID) -> IncidentDetail:
    """The whole incident, for those allowed to read it (domain-rules §7: share only what a
    role needs)."""
    require(actor, Permission.LOG_INCIDENTS)
    with db.read() as session:
        incident = _incident(session, incident_id)
        if not _can_read(session, actor, incident):
            raise PermissionDenied(_(
                "Incident {number} involves residents you are not a contact person for: its "
                "details are for the staff on duty, their contact persons, the social "
                "coordinator and the centre leader.").format(number=incident.number))
        return _detail(session, incident)


def incident_as_input(db: Database, actor: Actor, incident_id: uuid.UUID) -> IncidentInput:
    """The incident as it stands, as the input a correction starts from (ids, not names)."""
    require(actor, Permission.LOG_INCIDENTS)
    with db.read() as session:
        incident = _incident(session, incident_id)
        if not _can_read(session, actor, incident):
            raise PermissionDenied(_("You may not correct incident {number}.").format(
                number=incident.number))

        def live(model: type) -> list:
            return list(session.scalars(select(model).where(
                model.incident_id == incident.id, model.deleted_at.is_(None))
                .order_by(model.created_at)))

        forces = sorted(live(UseOfForce), key=lambda f: f.started_at)
        return IncidentInput(
            happened_at=incident.happened_at, noticed_at=incident.noticed_at,
            place=incident.place, kinds=tuple(incident.kinds),
            description=incident.description,
            residents=tuple((r.resident_id, r.role) for r in live(IncidentResident)),
            staff_ids=tuple(s.staff_id for s in live(IncidentStaff)),
            other_persons=incident.other_persons,
            immediate_actions=tuple(incident.immediate_actions or ()),
            harassment_grounds=incident.harassment_grounds,
            uses_of_force=tuple(ForceInput(
                f.resident_id, f.kind, f.started_at, f.ended_at, f.reason, f.decided_by,
                f.injuries, f.minor_informed_on, f.minor_statement, f.minor_declined,
                f.statement_on) for f in forces),
            confiscated=tuple(ConfiscatedInput(i.description, i.resident_id, i.kept_where)
                              for i in live(ConfiscatedItem)))


def list_incidents(db: Database, actor: Actor, *, since: datetime | None = None,
                   include_voided: bool = False, limit: int = 500) -> list[IncidentSummary]:
    """Recent incidents, newest first; those the actor may not read show no names."""
    require(actor, Permission.LOG_INCIDENTS)
    with db.read() as session:
        query = select(Incident).where(Incident.deleted_at.is_(None))
        if since is not None:
            query = query.where(Incident.happened_at >= since)
        if not include_voided:
            query = query.where(Incident.voided_at.is_(None))
        incidents = list(session.scalars(query.order_by(Incident.happened_at.desc())
                                         .limit(limit)))
        ids = [i.id for i in incidents]
        names: dict[uuid.UUID, list[str]] = {}
        for iid, given, family in session.execute(
                select(IncidentResident.incident_id, Resident.given_names, Resident.family_name)
                .join(Resident, Resident.id == IncidentResident.resident_id)
                .where(IncidentResident.incident_id.in_(ids),
                       IncidentResident.deleted_at.is_(None))):
            names.setdefault(iid, []).append(f"{given} {family}")
        open_counts = dict(session.execute(
            select(IncidentReport.incident_id, func.count())
            .where(IncidentReport.incident_id.in_(ids), IncidentReport.done_at.is_(None),
                   IncidentReport.deleted_at.is_(None))
            .group_by(IncidentReport.incident_id)).all())
        result = []
        for incident in incidents:
            readable = _can_read(session, actor, incident)
            result.append(IncidentSummary(
                incident.id, incident.number, incident.happened_at,
                incident.place if readable else "", tuple(incident.kinds),
                tuple(names.get(incident.id, ())) if readable else (),
                open_counts.get(incident.id, 0), incident.voided_at is not None, readable))
        return result


@dataclass(frozen=True)
class OutstandingReport:
    incident_id: uuid.UUID
    number: str
    code: str
    happened_at: datetime
    reported_at: datetime


def outstanding_reports(session: Session) -> list[OutstandingReport]:
    """Every report not yet done, of every incident not voided, oldest first."""
    rows = session.execute(
        select(Incident.id, Incident.number, IncidentReport.code, Incident.happened_at,
               Incident.created_at)
        .join(IncidentReport, IncidentReport.incident_id == Incident.id)
        .where(IncidentReport.done_at.is_(None), IncidentReport.deleted_at.is_(None),
               Incident.voided_at.is_(None), Incident.deleted_at.is_(None))
        .order_by(Incident.created_at)).all()
    return [OutstandingReport(*row) for row in rows]


# -- writing ---------------------------------------------------------------------------------

def _next_number(session: Session, year: int) -> str:
    prefix = f"{year}-"
    last = session.scalar(select(func.max(Incident.number)).where(
        Incident.number.like(prefix + "%")))
    return f"{prefix}{(int(last.split('-')[1]) + 1) if last else 1:04d}"


def _write_parts(session: Session, incident: Incident, data: IncidentInput,
                 before: tuple[list[UseOfForce], list[ConfiscatedItem]] = ([], [])) -> None:
    """Write the people, uses of force and items; ``before`` are the parts a correction
    replaces, whose recorded facts the input does not carry (see ``correct_incident``)."""
    old_forces, old_items = list(before[0]), list(before[1])
    for resident_id, role in dict.fromkeys(data.residents):
        session.add(IncidentResident(incident_id=incident.id, resident_id=resident_id,
                                     role=role))
    for staff_id in dict.fromkeys(data.staff_ids):
        session.add(IncidentStaff(incident_id=incident.id, staff_id=staff_id))
    for force in data.uses_of_force:
        row = UseOfForce(
            incident_id=incident.id, resident_id=force.resident_id, kind=force.kind,
            started_at=force.started_at, ended_at=force.ended_at, reason=force.reason.strip(),
            decided_by=force.decided_by, injuries=_clean(force.injuries),
            minor_informed_on=force.minor_informed_on,
            minor_statement=_clean(force.minor_statement), minor_declined=force.minor_declined,
            statement_on=force.statement_on)
        heard = (row.minor_informed_on is not None or row.minor_statement is not None
                 or row.minor_declined)
        old = next((f for f in old_forces if f.resident_id == force.resident_id
                    and f.kind == force.kind), None)
        if old is not None:
            old_forces.remove(old)
            if not heard:
                # The minor's view is recorded after the incident (``record_statement``); a
                # correction that does not carry it keeps it.
                row.minor_informed_on, row.minor_statement = (old.minor_informed_on,
                                                              old.minor_statement)
                row.minor_declined, row.statement_on = old.minor_declined, old.statement_on
        session.add(row)
    for item in data.confiscated:
        row = ConfiscatedItem(incident_id=incident.id, resident_id=item.resident_id,
                              description=item.description.strip(),
                              kept_where=_clean(item.kept_where))
        old_item = next((i for i in old_items if i.description == row.description
                         and i.resident_id == row.resident_id), None)
        if old_item is not None:
            # Still listed: whether and when it was given back stays recorded.
            old_items.remove(old_item)
            row.returned_on, row.returned_by = old_item.returned_on, old_item.returned_by
            row.handed_to_police = old_item.handed_to_police
        session.add(row)


def _apply_fields(incident: Incident, data: IncidentInput, minor: bool) -> None:
    incident.happened_at, incident.noticed_at = data.happened_at, data.noticed_at
    incident.place = data.place.strip()
    incident.kinds = list(dict.fromkeys(data.kinds))
    incident.harassment_grounds = _clean(data.harassment_grounds)
    incident.description = data.description.strip()
    incident.immediate_actions = list(dict.fromkeys(data.immediate_actions))
    incident.other_persons = _clean(data.other_persons)
    incident.minor_involved = minor


def _sync_reports(session: Session, incident: Incident,
                  extra: Iterable[tuple[str, str]] = ()) -> None:
    """Add every report the rule now requires and every extra one; never remove any."""
    existing = {r.code: r for r in session.scalars(select(IncidentReport).where(
        IncidentReport.incident_id == incident.id, IncidentReport.deleted_at.is_(None)))}
    for code in sorted(required_reports(incident.kinds, minor_involved=incident.minor_involved)):
        if code in existing:
            existing[code].required = True
        else:
            session.add(IncidentReport(incident_id=incident.id, code=code, required=True))
            existing[code] = None  # type: ignore[assignment]
    for code, reason in extra:
        if code not in existing:
            session.add(IncidentReport(incident_id=incident.id, code=code, required=False,
                                       added_reason=reason.strip()))
            existing[code] = None  # type: ignore[assignment]


def log_incident(db: Database, actor: Actor, data: IncidentInput, *,
                 now: datetime | None = None) -> IncidentDetail:
    """Submit an incident: the record, the people, use of force, and its reports checklist."""
    require(actor, Permission.LOG_INCIDENTS)
    now = now or utcnow()
    with db.unit(actor) as session:
        problems = _validate(session, data, now)
        if problems:
            raise ValidationError(problems)
        incident = Incident(number=_next_number(session, to_local(data.happened_at).year),
                            reported_by=actor.staff_id)
        _apply_fields(incident, data, _minor_involved(session, data))
        session.add(incident)
        session.flush()
        _write_parts(session, incident, data)
        _sync_reports(session, incident, data.extra_reports)
        session.flush()
        return _detail(session, incident)


def correct_incident(db: Database, actor: Actor, incident_id: uuid.UUID, data: IncidentInput,
                     *, reason: str, now: datetime | None = None) -> IncidentDetail:
    """Correct a submitted incident; the version before is kept, reports are only added.

    The parts are rewritten from ``data``; facts recorded after the incident that the input
    does not carry are kept: whether a confiscated item still listed (same description and
    resident) was given back, and the minor's view of a use of force still listed (same
    resident and kind) when the input has none.
    """
    require(actor, Permission.LOG_INCIDENTS)
    now = now or utcnow()
    with db.unit(actor) as session:
        incident = _incident(session, incident_id)
        if not _can_read(session, actor, incident):
            raise PermissionDenied(_("You may not correct incident {number}.").format(
                number=incident.number))
        if incident.voided_at is not None:
            raise DomainError(_("Incident {number} is void.").format(number=incident.number))
        problems = _validate(session, data, now)
        if not reason.strip():
            problems["reason"] = _("Write why the incident is corrected.")
        if problems:
            raise ValidationError(problems)
        session.add(IncidentVersion(incident_id=incident.id, version=incident.version,
                                    snapshot=jsonable(asdict(_detail(session, incident))),
                                    corrected_by=actor.staff_id, reason=reason.strip()))
        replaced: dict[type, list] = {}
        for model in (IncidentResident, IncidentStaff, UseOfForce, ConfiscatedItem):
            replaced[model] = list(session.scalars(
                select(model).where(model.incident_id == incident.id, model.deleted_at.is_(None))
                .order_by(model.created_at)))
            for row in replaced[model]:
                row.deleted_at = now
        session.flush()
        _apply_fields(incident, data, _minor_involved(session, data))
        incident.version += 1
        _write_parts(session, incident, data, (replaced[UseOfForce], replaced[ConfiscatedItem]))
        _sync_reports(session, incident, data.extra_reports)
        session.flush()
        return _detail(session, incident)


def add_report(db: Database, actor: Actor, incident_id: uuid.UUID, code: str, *,
               reason: str) -> IncidentDetail:
    """A report the rule did not ask for (a municipality notification, the booking team …)."""
    require(actor, Permission.LOG_INCIDENTS)
    problems: dict[str, str] = {}
    if code not in EXTRA_REPORT_CODES:
        problems["code"] = _("Unknown report: {code}.").format(code=code)
    if not reason.strip():
        problems["reason"] = _("Write why the extra report is made.")
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        incident = _incident(session, incident_id)
        _sync_reports(session, incident, [(code, reason)])
        session.flush()
        return _detail(session, incident)


def mark_report_done(db: Database, actor: Actor, incident_id: uuid.UUID, code: str, *,
                     done_at: datetime | None = None, reference: str | None = None,
                     now: datetime | None = None) -> IncidentDetail:
    require(actor, Permission.LOG_INCIDENTS)
    now = now or utcnow()
    done_at = done_at or now
    reference = _clean(reference)
    problems: dict[str, str] = {}
    if done_at > now + CLOCK_SKEW:
        problems["done_at"] = _("The time {time} is in the future.").format(
            time=format_datetime(done_at))
    if code in POLICE_CODES and not reference:
        problems["reference"] = _("Write the police journal number.")
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        incident = _incident(session, incident_id)
        report = session.scalar(select(IncidentReport).where(
            IncidentReport.incident_id == incident.id, IncidentReport.code == code,
            IncidentReport.deleted_at.is_(None)))
        if report is None:
            raise NotFound(_("Incident {number} has no report {code}.").format(
                number=incident.number, code=code))
        if done_at < incident.happened_at.replace(second=0, microsecond=0):
            raise ValidationError({"done_at": _("The report cannot be made before the incident "
                                                "happened.")})
        report.done_at, report.done_by, report.reference = done_at, actor.staff_id, reference
        session.flush()
        return _detail(session, incident)


def record_statement(db: Database, actor: Actor, force_id: uuid.UUID, *,
                     informed_on: date | None, statement: str | None, declined: bool,
                     statement_on: date | None) -> IncidentDetail:
    """The minor was told of the report and gave a view (or declined): often the day after."""
    require(actor, Permission.LOG_INCIDENTS)
    statement = _clean(statement)
    problems: dict[str, str] = {}
    if informed_on is None:
        problems["informed_on"] = _("Give the date the minor was told about the report.")
    if statement and declined:
        problems["statement"] = _("Either the minor's statement or that the minor declined, "
                                  "not both.")
    if not statement and not declined:
        problems["statement"] = _("Write the minor's own view, or tick that the minor "
                                  "declined to give one.")
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        force = session.get(UseOfForce, force_id)
        if force is None or force.deleted_at is not None:
            raise NotFound(_("The use of force does not exist (any more)."))
        force.minor_informed_on, force.minor_statement = informed_on, statement
        force.minor_declined, force.statement_on = declined, statement_on or informed_on
        session.flush()
        return _detail(session, _incident(session, force.incident_id))


def return_confiscated(db: Database, actor: Actor, item_id: uuid.UUID, *, on: date | None,
                       to_police: bool = False, today: date | None = None) -> IncidentDetail:
    """An item taken into safekeeping is given back (or handed to the police) on ``on``:
    not in the future, not before the incident happened."""
    require(actor, Permission.LOG_INCIDENTS)
    today = today or local_today()
    if on is None:
        raise ValidationError({"on": _("Give the date the item was given back.")})
    if on > today:
        raise ValidationError({"on": _("The date {date} is in the future.").format(
            date=format_date(on))})
    with db.unit(actor) as session:
        item = session.get(ConfiscatedItem, item_id)
        if item is None or item.deleted_at is not None:
            raise NotFound(_("The item does not exist (any more)."))
        incident = _incident(session, item.incident_id)
        happened = to_local(incident.happened_at).date()
        if on < happened:
            raise ValidationError({"on": _(
                "The date {date} is before the incident happened ({happened}).").format(
                date=format_date(on), happened=format_date(happened))})
        item.returned_on, item.returned_by, item.handed_to_police = on, actor.staff_id, to_police
        session.flush()
        return _detail(session, _incident(session, item.incident_id))


def void_incident(db: Database, actor: Actor, incident_id: uuid.UUID, *, reason: str,
                  now: datetime | None = None) -> IncidentDetail:
    """Only the centre leader voids an incident, with a reason; it is never deleted."""
    require(actor, Permission.VOID_INCIDENTS)
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the incident is void.")})
    with db.unit(actor) as session:
        incident = _incident(session, incident_id)
        if incident.voided_at is not None:
            raise DomainError(_("Incident {number} is void already.").format(
                number=incident.number))
        incident.voided_at, incident.voided_by = now or utcnow(), actor.staff_id
        incident.void_reason = reason.strip()
        session.flush()
        return _detail(session, incident)
