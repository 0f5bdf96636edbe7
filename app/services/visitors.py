"""The visitor log: who came to see whom, signed in and out at reception, or turned away.

Visitor identity is personal data kept only as long as the centre's retention setting
(default 12 months); ``erase_expired_identities`` blanks it and logs that it did.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, ValidationError
from app.formatting import as_utc, format_datetime, utcnow
from app.i18n import _
from app.models import Centre, Resident, Staff, Visit
from app.models.centre import DEFAULT_VISITOR_RETENTION_MONTHS
from app.models.reception import ID_DOCUMENT_TYPES
from app.queries.residents import room_names
from app.permissions import Permission, require
from app.queries.residents import escape_like
from app.sync.capture import capture_rows
from app.unit_of_work import SYSTEM, Actor, audit_entry

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class VisitorInput:
    name: str
    id_document_type: str
    id_document_number: str | None
    relation: str | None


@dataclass(frozen=True)
class VisitView:
    id: uuid.UUID
    visitor_name: str | None
    id_document_type: str | None
    id_document_number: str | None
    relation: str | None
    visitor_key: str | None
    resident_id: uuid.UUID | None
    resident_name: str | None
    room: str | None
    arrived_at: datetime
    left_at: datetime | None
    signed_in_by: str | None
    signed_out_by: str | None
    turned_away: bool
    turned_away_reason: str | None
    identity_erased: bool

    @property
    def in_building(self) -> bool:
        return not self.turned_away and self.left_at is None


def visitor_key(name: str, document_number: str | None) -> str:
    """The same visitor on another day: name and document number, case and space folded."""
    folded = " ".join(name.casefold().split())
    number = "".join((document_number or "").casefold().split())
    return f"{folded}|{number}"


def _check(visitor: VisitorInput, problems: dict[str, str]) -> VisitorInput:
    name = " ".join(visitor.name.split())
    number = (visitor.id_document_number or "").strip() or None
    if not name:
        problems["name"] = _("Write the visitor's name.")
    if visitor.id_document_type not in ID_DOCUMENT_TYPES:
        problems["id_document_type"] = _("Choose the ID document the visitor showed.")
    elif visitor.id_document_type != "none" and not number:
        problems["id_document_number"] = _("Write the number of the ID document.")
    return VisitorInput(name, visitor.id_document_type,
                        number if visitor.id_document_type != "none" else None,
                        (visitor.relation or "").strip() or None)


def _moment(field: str, moment: datetime | None, now: datetime, problems: dict[str, str]
            ) -> datetime:
    moment = moment or now
    if moment.tzinfo is None:
        problems[field] = _("The time has no timezone.")
    elif moment > now + CLOCK_SKEW:
        problems[field] = _("The time {time} is in the future.").format(
            time=format_datetime(moment))
    return moment


def _resident(session: Session, resident_id: uuid.UUID | None, problems: dict[str, str]
              ) -> Resident | None:
    if resident_id is None:
        problems["resident"] = _("Choose the resident the visitor came to see.")
        return None
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None:
        problems["resident"] = _("The resident does not exist (any more).")
    elif resident.moved_out_on is not None:
        problems["resident"] = _("{name} no longer lives at the centre.").format(
            name=f"{resident.given_names} {resident.family_name}")
    return resident


def sign_in(db: Database, actor: Actor, visitor: VisitorInput, resident_id: uuid.UUID | None,
            *, arrived_at: datetime | None = None, now: datetime | None = None) -> VisitView:
    require(actor, Permission.LOG_VISITORS)
    return _record(db, actor, visitor, resident_id, arrived_at=arrived_at, now=now,
                   turned_away_reason=None)


def turn_away(db: Database, actor: Actor, visitor: VisitorInput, resident_id: uuid.UUID | None,
              *, reason: str, at: datetime | None = None,
              now: datetime | None = None) -> VisitView:
    """Staff may refuse a visit (``001_…`` Bilag 5 §4.8); the refusal and why are logged."""
    require(actor, Permission.LOG_VISITORS)
    return _record(db, actor, visitor, resident_id, arrived_at=at, now=now,
                   turned_away_reason=(reason or "").strip() or "")


def _record(db: Database, actor: Actor, visitor: VisitorInput, resident_id: uuid.UUID | None,
            *, arrived_at: datetime | None, now: datetime | None,
            turned_away_reason: str | None) -> VisitView:
    now = now or utcnow()
    problems: dict[str, str] = {}
    visitor = _check(visitor, problems)
    arrived_at = _moment("arrived_at", arrived_at, now, problems)
    if turned_away_reason == "":
        problems["reason"] = _("Write why the visitor was turned away.")
    with db.unit(actor) as session:
        _resident(session, resident_id, problems)
        if problems:
            raise ValidationError(problems)
        key = visitor_key(visitor.name, visitor.id_document_number)
        if turned_away_reason is None:
            inside = session.scalar(select(Visit).where(
                Visit.visitor_key == key, Visit.left_at.is_(None), Visit.turned_away.is_(False),
                Visit.deleted_at.is_(None)))
            if inside is not None:
                raise DomainError(_("{name} is already signed in (since {time}).").format(
                    name=visitor.name, time=format_datetime(inside.arrived_at)))
        visit = Visit(visitor_name=visitor.name, id_document_type=visitor.id_document_type,
                      id_document_number=visitor.id_document_number, relation=visitor.relation,
                      visitor_key=key, resident_id=resident_id, arrived_at=arrived_at,
                      signed_in_by=actor.staff_id, turned_away=turned_away_reason is not None,
                      turned_away_reason=turned_away_reason)
        session.add(visit)
        session.flush()
        return _views(session, [visit])[0]


def sign_out(db: Database, actor: Actor, visit_id: uuid.UUID, *, left_at: datetime | None = None,
             now: datetime | None = None) -> VisitView:
    require(actor, Permission.LOG_VISITORS)
    now = now or utcnow()
    problems: dict[str, str] = {}
    left_at = _moment("left_at", left_at, now, problems)
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.deleted_at is not None:
            raise NotFound(_("The visit does not exist (any more)."))
        if visit.turned_away:
            raise DomainError(_("The visitor was turned away and never signed in."))
        if visit.left_at is not None:
            raise DomainError(_("The visitor was signed out at {time} already.").format(
                time=format_datetime(visit.left_at)))
        if left_at < visit.arrived_at.replace(second=0, microsecond=0):
            raise ValidationError({"left_at": _(
                "The time of leaving is before the visitor arrived ({time}).").format(
                    time=format_datetime(visit.arrived_at))})
        visit.left_at = max(left_at, visit.arrived_at)
        visit.signed_out_by = actor.staff_id
        session.flush()
        return _views(session, [visit])[0]


def _views(session: Session, visits: list[Visit]) -> list[VisitView]:
    if not visits:
        return []

    resident_ids = {v.resident_id for v in visits if v.resident_id}
    names = {r.id: f"{r.given_names} {r.family_name}" for r in session.execute(
        select(Resident.id, Resident.given_names, Resident.family_name)
        .where(Resident.id.in_(resident_ids)))}
    rooms = room_names(session, resident_ids)
    staff = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    return [VisitView(v.id, v.visitor_name, v.id_document_type, v.id_document_number, v.relation,
                      v.visitor_key, v.resident_id, names.get(v.resident_id),
                      rooms.get(v.resident_id), v.arrived_at, v.left_at,
                      staff.get(v.signed_in_by), staff.get(v.signed_out_by), v.turned_away,
                      v.turned_away_reason, v.identity_erased_at is not None) for v in visits]


def in_building(db: Database, actor: Actor) -> list[VisitView]:
    """Visitors signed in and not out: the list for a fire alarm."""
    require(actor, Permission.LOG_VISITORS)
    with db.read() as session:
        return _views(session, list(session.scalars(select(Visit).where(
            Visit.deleted_at.is_(None), Visit.left_at.is_(None), Visit.turned_away.is_(False))
            .order_by(Visit.arrived_at))))


def visits_on(db: Database, actor: Actor, since: datetime, until: datetime) -> list[VisitView]:
    require(actor, Permission.LOG_VISITORS)
    with db.read() as session:
        return _views(session, list(session.scalars(select(Visit).where(
            Visit.deleted_at.is_(None), Visit.arrived_at >= since, Visit.arrived_at < until)
            .order_by(Visit.arrived_at.desc()))))


def visits_of_resident(db: Database, actor: Actor, resident_id: uuid.UUID) -> list[VisitView]:
    """A resident's visitors, newest first: for the contact persons."""
    require(actor, Permission.LOG_VISITORS)
    with db.read() as session:
        return _views(session, list(session.scalars(select(Visit).where(
            Visit.deleted_at.is_(None), Visit.resident_id == resident_id)
            .order_by(Visit.arrived_at.desc()))))


@dataclass(frozen=True)
class VisitorSummary:
    key: str
    name: str
    visits: int
    turned_away: int
    last_visit: datetime
    residents: tuple[str, ...]


def find_visitors(db: Database, actor: Actor, text: str, *, limit: int = 200
                  ) -> list[VisitorSummary]:
    """Visitors whose name or document number contains ``text``: how often, whom."""
    require(actor, Permission.LOG_VISITORS)
    words = text.casefold().split()
    pattern = f"%{escape_like(' '.join(words))}%"
    # The key holds the document number without spaces (``visitor_key``): "P 123 4567" as
    # printed on the document is found as "p1234567".
    number_pattern = f"%|%{escape_like(''.join(words))}%"
    with db.read() as session:
        rows = session.execute(
            select(Visit.visitor_key, func.max(Visit.visitor_name), func.count(),
                   func.sum(case((Visit.turned_away.is_(True), 1), else_=0)),
                   func.max(Visit.arrived_at))
            .where(Visit.deleted_at.is_(None), Visit.visitor_key.is_not(None),
                   or_(Visit.visitor_key.like(pattern, escape="\\"),
                       Visit.visitor_key.like(number_pattern, escape="\\")))
            .group_by(Visit.visitor_key).order_by(func.max(Visit.arrived_at).desc())
            .limit(limit)).all()
        whom: dict[str, set[str]] = {}
        for key, given, family in session.execute(
                select(Visit.visitor_key, Resident.given_names, Resident.family_name)
                .join(Resident, Resident.id == Visit.resident_id)
                .where(Visit.deleted_at.is_(None),
                       Visit.visitor_key.in_([r[0] for r in rows]))):
            whom.setdefault(key, set()).add(f"{given} {family}")
    return [VisitorSummary(key, name or "", count, int(away or 0), as_utc(last),
                           tuple(sorted(whom.get(key, ())))) for key, name, count, away, last
            in rows]


def visits_of_visitor(db: Database, actor: Actor, key: str) -> list[VisitView]:
    require(actor, Permission.LOG_VISITORS)
    with db.read() as session:
        return _views(session, list(session.scalars(select(Visit).where(
            Visit.deleted_at.is_(None), Visit.visitor_key == key)
            .order_by(Visit.arrived_at.desc()))))


def retention_months(session: Session) -> int:
    centre = session.scalar(select(Centre).where(Centre.deleted_at.is_(None)))
    return centre.visitor_retention_months if centre else DEFAULT_VISITOR_RETENTION_MONTHS


def set_retention_months(db: Database, actor: Actor, months: int) -> None:
    require(actor, Permission.CONFIGURE_CENTRE)
    if not 1 <= months <= 60:
        raise ValidationError({"visitor_retention_months": _(
            "Keep visitor identity between 1 and 60 months.")})
    with db.unit(actor) as session:
        centre = session.scalar(select(Centre).where(Centre.deleted_at.is_(None)))
        if centre is None:
            raise NotFound(_("The centre has not been set up."))
        centre.visitor_retention_months = months


def erase_expired_identities(db: Database, actor: Actor = SYSTEM, *,
                             now: datetime | None = None) -> int:
    """Blank the identity of visits older than the retention period; one audit entry says
    how many and up to when. Safe to run any number of times."""
    now = now or utcnow()
    with db.unit(actor, audit=False) as session:
        cutoff = now - relativedelta(months=retention_months(session))
        ids = list(session.scalars(select(Visit.id).where(
            Visit.identity_erased_at.is_(None), Visit.arrived_at < cutoff)))
        if not ids:
            return 0
        for start in range(0, len(ids), 500):
            session.execute(update(Visit).where(Visit.id.in_(ids[start:start + 500])).values(
                visitor_name=None, id_document_number=None, relation=None, visitor_key=None,
                # Staff may have written who it was into the reason.
                turned_away_reason=None,
                identity_erased_at=now, updated_at=now, row_version=Visit.row_version + 1,
                updated_by_device=db.device_id))
        capture_rows(session, Visit, ids, now)
        audit_entry(session, "erase", "visit", None, {"count": len(ids),
                                                      "before": cutoff.isoformat()},
                    _("Visitor identity erased for {count} visits before {time} "
                      "(retention {months} months).").format(
                          count=len(ids), time=format_datetime(cutoff),
                          months=retention_months(session)))
        return len(ids)
