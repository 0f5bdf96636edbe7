"""Missing-resident cases: the deadline, the reports checklist, the facts for the police, the return.

A case opens from an absent round mark (``app.services.attendance``) or when staff report
a resident missing; its deadline is ``app.rules.absence.report_due``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, ValidationError
from app.formatting import format_datetime, to_local, utcnow
from app.i18n import _
from app.models import (
    ContactAssignment,
    MissingCase,
    MissingReport,
    Resident,
    Staff,
)
from app.models.attendance import CLOSE_REASONS, MISSING_REPORT_KINDS
from app.models.residents import STATUS_IN_RESIDENCE, STATUS_MISSING
from app.queries.residents import room_names
from app.permissions import Permission, require
from app.rules.absence import report_due, report_urgency
from app.unit_of_work import Actor

CLOCK_SKEW = timedelta(minutes=5)
#: The police need the journal number to find the report again.
REFERENCE_REQUIRED = frozenset({"police"})


@dataclass(frozen=True)
class ReportDone:
    kind: str
    done_at: datetime
    done_by: str | None
    reference: str | None


@dataclass(frozen=True)
class CaseFacts:
    """What staff can say about the absence: the police and the municipality ask for it."""

    special_concern: bool = False
    known_not_staying: bool = False
    last_seen_at: datetime | None = None
    last_seen_place: str | None = None
    height: str | None = None
    clothing: str | None = None
    description: str | None = None
    contacts: str | None = None


@dataclass(frozen=True)
class CaseSummary:
    case_id: uuid.UUID
    resident_id: uuid.UUID
    name: str
    name_in_own_script: str | None
    person_id: str
    date_of_birth: date
    room: str
    missing_since: datetime
    due_at: datetime
    facts: CaseFacts
    reports: dict[str, ReportDone]
    opened_by: str | None
    reason: str
    closed_at: datetime | None = None
    close_reason: str | None = None
    close_note: str | None = None
    closed_by: str | None = None
    nationality: str = ""
    sex: str = ""
    languages: tuple[str, ...] = ()
    representative: tuple[str | None, str | None, str | None] = (None, None, None)
    contact_persons: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def outstanding(self) -> tuple[str, ...]:
        return tuple(kind for kind in MISSING_REPORT_KINDS if kind not in self.reports)

    def urgency(self, now: datetime) -> str:
        """The case's state: overdue/due/upcoming while reports are outstanding, else info."""
        return report_urgency(self.due_at, now) if self.outstanding else "info"


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _case(session: Session, case_id: uuid.UUID) -> MissingCase:
    case = session.get(MissingCase, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound(_("The missing case does not exist (any more)."))
    return case


def _check_moment(field_name: str, moment: datetime | None, now: datetime,
                  problems: dict[str, str]) -> None:
    if moment is None:
        return
    if moment.tzinfo is None:
        problems[field_name] = _("The time has no timezone.")
    elif moment > now + CLOCK_SKEW:
        problems[field_name] = _("The time {time} is in the future.").format(
            time=format_datetime(moment))


def _summaries(session: Session, cases: list[MissingCase]) -> list[CaseSummary]:
    if not cases:
        return []
    resident_ids = {case.resident_id for case in cases}
    residents = {r.id: r for r in session.scalars(
        select(Resident).where(Resident.id.in_(resident_ids)))}
    rooms = room_names(session, resident_ids)
    staff = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    reports: dict[uuid.UUID, dict[str, ReportDone]] = {}
    for report in session.scalars(select(MissingReport).where(
            MissingReport.case_id.in_([c.id for c in cases]),
            MissingReport.deleted_at.is_(None))):
        reports.setdefault(report.case_id, {})[report.kind] = ReportDone(
            report.kind, report.done_at, staff.get(report.done_by), report.reference)
    contacts: dict[uuid.UUID, list[str]] = {}
    for rid, staff_id in session.execute(
            select(ContactAssignment.resident_id, ContactAssignment.staff_id)
            .where(ContactAssignment.resident_id.in_(resident_ids),
                   ContactAssignment.ended_on.is_(None), ContactAssignment.deleted_at.is_(None))
            .order_by(ContactAssignment.kind)):  # primary before secondary
        contacts.setdefault(rid, []).append(staff.get(staff_id, ""))
    result = []
    for case in cases:
        r = residents[case.resident_id]
        result.append(CaseSummary(
            case_id=case.id, resident_id=r.id, name=f"{r.given_names} {r.family_name}",
            name_in_own_script=r.name_in_own_script, person_id=r.person_id,
            date_of_birth=r.date_of_birth, room=rooms.get(r.id, ""),
            missing_since=case.missing_since,
            due_at=report_due(r.date_of_birth, case.missing_since,
                              special_concern=case.special_concern,
                              known_not_staying=case.known_not_staying),
            facts=CaseFacts(case.special_concern, case.known_not_staying, case.last_seen_at,
                            case.last_seen_place, case.height, case.clothing, case.description,
                            case.contacts),
            reports=reports.get(case.id, {}), opened_by=staff.get(case.opened_by),
            reason=case.reason, closed_at=case.closed_at, close_reason=case.close_reason,
            close_note=case.close_note, closed_by=staff.get(case.closed_by),
            nationality=r.nationality, sex=r.sex, languages=tuple(r.languages or ()),
            representative=(r.representative_name, r.representative_phone,
                            r.representative_email),
            contact_persons=tuple(contacts.get(r.id, ()))))
    return result


def open_case_summaries(session: Session) -> list[CaseSummary]:
    """Every open case, the earliest deadline first (used by the Today page on every PC)."""
    cases = list(session.scalars(select(MissingCase).where(
        MissingCase.closed_at.is_(None), MissingCase.deleted_at.is_(None))))
    return sorted(_summaries(session, cases), key=lambda c: (c.due_at, c.name))


def open_cases(db: Database, actor: Actor) -> list[CaseSummary]:
    require(actor, Permission.HANDLE_MISSING)
    with db.read() as session:
        return open_case_summaries(session)


def get_case(db: Database, actor: Actor, case_id: uuid.UUID) -> CaseSummary:
    require(actor, Permission.HANDLE_MISSING)
    with db.read() as session:
        return _summaries(session, [_case(session, case_id)])[0]


def cases_of_resident(db: Database, actor: Actor, resident_id: uuid.UUID) -> list[CaseSummary]:
    require(actor, Permission.HANDLE_MISSING)
    with db.read() as session:
        cases = list(session.scalars(select(MissingCase).where(
            MissingCase.resident_id == resident_id, MissingCase.deleted_at.is_(None))
            .order_by(MissingCase.missing_since.desc())))
        return _summaries(session, cases)


def report_missing(db: Database, actor: Actor, resident_id: uuid.UUID, *,
                   missing_since: datetime, facts: CaseFacts = CaseFacts(),
                   now: datetime | None = None) -> CaseSummary:
    """Staff report a resident missing without waiting for a round."""
    require(actor, Permission.HANDLE_MISSING)
    now = now or utcnow()
    problems: dict[str, str] = {}
    _check_moment("missing_since", missing_since, now, problems)
    _check_moment("last_seen_at", facts.last_seen_at, now, problems)
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        resident = session.get(Resident, resident_id)
        if resident is None or resident.deleted_at is not None:
            raise NotFound(_("The resident does not exist (any more)."))
        if resident.moved_out_on is not None:
            raise DomainError(_("{name} no longer lives at the centre.").format(
                name=f"{resident.given_names} {resident.family_name}"))
        if resident.date_of_birth > to_local(missing_since).date():
            raise ValidationError({"missing_since": _(
                "The time missing is before the resident's date of birth.")})
        existing = session.scalar(select(MissingCase).where(
            MissingCase.resident_id == resident_id, MissingCase.closed_at.is_(None),
            MissingCase.deleted_at.is_(None)))
        if existing is not None:
            raise DomainError(_("{name} is already reported missing since {time}.").format(
                name=f"{resident.given_names} {resident.family_name}",
                time=format_datetime(existing.missing_since)))
        case = MissingCase(resident_id=resident_id, missing_since=missing_since,
                           reason="reported", opened_by=actor.staff_id)
        _apply_facts(case, facts)
        session.add(case)
        resident.status = STATUS_MISSING
        session.flush()
        return _summaries(session, [case])[0]


def _apply_facts(case: MissingCase, facts: CaseFacts) -> None:
    case.special_concern = facts.special_concern
    case.known_not_staying = facts.known_not_staying
    case.last_seen_at = facts.last_seen_at
    for name in ("last_seen_place", "height", "clothing", "description", "contacts"):
        setattr(case, name, _clean(getattr(facts, name)))


def update_case(db: Database, actor: Actor, case_id: uuid.UUID, facts: CaseFacts, *,
                missing_since: datetime | None = None,
                now: datetime | None = None) -> CaseSummary:
    """Flags (special concern, known not staying) and the description; the audit trail keeps
    every earlier value."""
    require(actor, Permission.HANDLE_MISSING)
    now = now or utcnow()
    problems: dict[str, str] = {}
    _check_moment("last_seen_at", facts.last_seen_at, now, problems)
    _check_moment("missing_since", missing_since, now, problems)
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        case = _case(session, case_id)
        if missing_since is not None:
            resident = session.get(Resident, case.resident_id)
            # report_due would raise a bare ValueError for it (and the case would not load).
            if resident is not None and resident.date_of_birth > to_local(missing_since).date():
                raise ValidationError({"missing_since": _(
                    "The time missing is before the resident's date of birth.")})
            case.missing_since = missing_since
        _apply_facts(case, facts)
        session.flush()
        return _summaries(session, [case])[0]


def record_report(db: Database, actor: Actor, case_id: uuid.UUID, kind: str, *,
                  done_at: datetime | None = None, reference: str | None = None,
                  now: datetime | None = None) -> CaseSummary:
    """Tick one item of the checklist: done when, by whom, reference. Recording it again
    corrects it (the audit trail keeps the earlier values). Reports are never undone."""
    require(actor, Permission.HANDLE_MISSING)
    now = now or utcnow()
    done_at = done_at or now
    reference = _clean(reference)
    problems: dict[str, str] = {}
    if kind not in MISSING_REPORT_KINDS:
        problems["kind"] = _("Unknown report: {kind}.").format(kind=kind)
    if kind in REFERENCE_REQUIRED and not reference:
        problems["reference"] = _("Write the police report or journal number.")
    _check_moment("done_at", done_at, now, problems)
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        case = _case(session, case_id)
        report = session.scalar(select(MissingReport).where(
            MissingReport.case_id == case.id, MissingReport.kind == kind,
            MissingReport.deleted_at.is_(None)))
        if report is None:
            report = MissingReport(case_id=case.id, kind=kind)
            session.add(report)
        report.done_at, report.done_by, report.reference = done_at, actor.staff_id, reference
        session.flush()
        return _summaries(session, [case])[0]


def close_case(db: Database, actor: Actor, case_id: uuid.UUID, *, closed_at: datetime,
               reason: str, note: str | None, now: datetime | None = None) -> CaseSummary:
    """The resident came back (or left the centre's responsibility): the case closes."""
    require(actor, Permission.HANDLE_MISSING)
    now = now or utcnow()
    note = _clean(note)
    problems: dict[str, str] = {}
    if reason not in CLOSE_REASONS:
        problems["reason"] = _("Choose whether the resident returned or left the centre's "
                               "responsibility.")
    if not note:
        problems["note"] = _("Write a note: where the resident was, how the return happened.")
    _check_moment("closed_at", closed_at, now, problems)
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        case = _case(session, case_id)
        if case.closed_at is not None:
            raise DomainError(_("The case was closed on {time} already.").format(
                time=format_datetime(case.closed_at)))
        # Times are typed to the minute: the minute the case opened is not "before" it.
        if closed_at < case.missing_since.replace(second=0, microsecond=0):
            raise ValidationError({"closed_at": _(
                "The time of return is before the resident went missing ({time}).").format(
                    time=format_datetime(case.missing_since))})
        closed_at = max(closed_at, case.missing_since)
        case.closed_at, case.close_reason, case.close_note = closed_at, reason, note
        case.closed_by = actor.staff_id
        resident = session.get(Resident, case.resident_id)
        if reason == "returned" and resident is not None and resident.moved_out_on is None:
            resident.status = STATUS_IN_RESIDENCE
        session.flush()
        return _summaries(session, [case])[0]


def recent_cases(db: Database, actor: Actor, *, since: datetime) -> list[CaseSummary]:
    """Open cases and cases closed since ``since``, the most recent first."""
    require(actor, Permission.HANDLE_MISSING)
    with db.read() as session:
        cases = list(session.scalars(select(MissingCase).where(
            MissingCase.deleted_at.is_(None),
            (MissingCase.closed_at.is_(None)) | (MissingCase.closed_at >= since))))
        return sorted(_summaries(session, cases),
                      key=lambda c: (c.is_open is False, -c.missing_since.timestamp()))
