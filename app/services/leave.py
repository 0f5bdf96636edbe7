"""Approved leave: a weekend with family, a private-accommodation trial, a hospital stay.

A resident on leave is pre-marked in the rounds and is never missing because of them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select

from app.db import Database
from app.errors import NotFound, ValidationError
from app.formatting import format_datetime, utcnow
from app.i18n import _
from app.models import Leave, Resident, Staff
from app.models.attendance import LEAVE_KINDS
from app.permissions import Permission, require
from app.unit_of_work import Actor


@dataclass(frozen=True)
class LeaveView:
    id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    note: str | None
    approved_by: str | None


def add_leave(db: Database, actor: Actor, resident_id: uuid.UUID, *, kind: str,
              starts_at: datetime | None, ends_at: datetime | None,
              note: str | None = None) -> LeaveView:
    require(actor, Permission.MANAGE_LEAVE)
    problems: dict[str, str] = {}
    if kind not in LEAVE_KINDS:
        problems["kind"] = _("Choose the kind of leave.")
    if starts_at is None:
        problems["starts_at"] = _("Give the time the leave starts.")
    if ends_at is None:
        problems["ends_at"] = _("Give the time the resident is back.")
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        problems["ends_at"] = _("The leave must end after it starts.")
    note = (note or "").strip() or None
    if kind == "other" and not note:
        problems["note"] = _("Write what the leave is for.")
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        resident = session.get(Resident, resident_id)
        if resident is None or resident.deleted_at is not None:
            raise NotFound(_("The resident does not exist (any more)."))
        if resident.moved_out_on is not None:
            raise ValidationError({"resident": _("{name} no longer lives at the centre.").format(
                name=f"{resident.given_names} {resident.family_name}")})
        overlapping = session.scalar(select(Leave).where(
            Leave.resident_id == resident_id, Leave.deleted_at.is_(None),
            Leave.starts_at < ends_at, Leave.ends_at > starts_at))
        if overlapping is not None:
            raise ValidationError({"starts_at": _(
                "{name} already has leave from {start} to {end}.").format(
                    name=f"{resident.given_names} {resident.family_name}",
                    start=format_datetime(overlapping.starts_at),
                    end=format_datetime(overlapping.ends_at))})
        leave = Leave(resident_id=resident_id, kind=kind, starts_at=starts_at, ends_at=ends_at,
                      note=note, approved_by=actor.staff_id)
        session.add(leave)
        session.flush()
        return LeaveView(leave.id, resident_id, f"{resident.given_names} {resident.family_name}",
                         kind, starts_at, ends_at, note, actor.full_name or actor.username)


def cancel_leave(db: Database, actor: Actor, leave_id: uuid.UUID) -> None:
    """Withdraw leave registered by mistake (kept in the audit trail, never deleted)."""
    require(actor, Permission.MANAGE_LEAVE)
    with db.unit(actor) as session:
        leave = session.get(Leave, leave_id)
        if leave is None or leave.deleted_at is not None:
            raise NotFound(_("The leave does not exist (any more)."))
        leave.deleted_at = utcnow()


def end_leave(db: Database, actor: Actor, leave_id: uuid.UUID, *, at: datetime | None = None) -> None:
    """The resident came back early: the leave ends now."""
    require(actor, Permission.MANAGE_LEAVE)
    at = at or utcnow()
    with db.unit(actor) as session:
        leave = session.get(Leave, leave_id)
        if leave is None or leave.deleted_at is not None:
            raise NotFound(_("The leave does not exist (any more)."))
        if at <= leave.starts_at:
            leave.deleted_at = at
        elif at < leave.ends_at:
            leave.ends_at = at


def current_and_planned_leave(db: Database, actor: Actor, *, now: datetime | None = None,
                              resident_id: uuid.UUID | None = None) -> list[LeaveView]:
    """Leave that has not ended yet (or a resident's whole leave history), soonest first."""
    require(actor, Permission.TAKE_ROUNDS)
    now = now or utcnow()
    with db.read() as session:
        query = (select(Leave, Resident.given_names, Resident.family_name, Staff.full_name)
                 .join(Resident, Resident.id == Leave.resident_id)
                 .outerjoin(Staff, Staff.id == Leave.approved_by)
                 .where(Leave.deleted_at.is_(None)))
        if resident_id is not None:
            query = query.where(Leave.resident_id == resident_id)
        else:
            query = query.where(or_(Leave.ends_at > now), Resident.moved_out_on.is_(None))
        rows = session.execute(query.order_by(Leave.starts_at)).all()
    return [LeaveView(leave.id, leave.resident_id, f"{given} {family}", leave.kind,
                      leave.starts_at, leave.ends_at, leave.note, approver)
            for leave, given, family, approver in rows]
