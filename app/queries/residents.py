"""The resident list: filtered and sorted in SQL, fetched a page at a time.

Filter-as-you-type must stay instant with thousands of current and former residents,
so the list never loads everything: ``count`` and ``page`` run one indexed query each.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import Bed, BedAssignment, ContactAssignment, Resident, Room, Staff
from app.models.residents import CONTACT_PRIMARY


@dataclass(frozen=True)
class ResidentFilter:
    text: str = ""
    include_former: bool = False
    contact_person_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ResidentRow:
    id: uuid.UUID
    person_id: str
    family_name: str
    given_names: str
    name_in_own_script: str | None
    date_of_birth: date
    age_disputed: bool
    nationality: str
    phase: int
    status: str
    arrival_date: date
    moved_out_on: date | None
    room_name: str | None
    bed_label: str | None
    primary_contact: str | None

    @property
    def display_name(self) -> str:
        return f"{self.given_names} {self.family_name}"


SORT_KEYS = ("name", "person_id", "room", "date_of_birth", "nationality", "phase", "status",
             "arrival_date", "primary_contact")

_open_bed = aliased(BedAssignment)
_primary = aliased(ContactAssignment)
_primary_staff = aliased(Staff)


def _base(flt: ResidentFilter) -> Select:
    query = (select(Resident.id)
             .outerjoin(_open_bed, and_(_open_bed.resident_id == Resident.id,
                                        _open_bed.ended_on.is_(None),
                                        _open_bed.deleted_at.is_(None)))
             .outerjoin(Bed, Bed.id == _open_bed.bed_id)
             .outerjoin(Room, Room.id == Bed.room_id)
             .outerjoin(_primary, and_(_primary.resident_id == Resident.id,
                                       _primary.kind == CONTACT_PRIMARY,
                                       _primary.ended_on.is_(None),
                                       _primary.deleted_at.is_(None)))
             .outerjoin(_primary_staff, _primary_staff.id == _primary.staff_id)
             .where(Resident.deleted_at.is_(None)))
    if not flt.include_former:
        query = query.where(Resident.moved_out_on.is_(None))
    if flt.contact_person_id is not None:
        query = query.where(Resident.id.in_(
            select(ContactAssignment.resident_id).where(
                ContactAssignment.staff_id == flt.contact_person_id,
                ContactAssignment.ended_on.is_(None), ContactAssignment.deleted_at.is_(None))))
    for word in flt.text.split():
        pattern = f"%{_escape_like(word.lower())}%"
        query = query.where(or_(
            func.lower(Resident.given_names).like(pattern, escape="\\"),
            func.lower(Resident.family_name).like(pattern, escape="\\"),
            func.lower(Resident.person_id).like(pattern, escape="\\"),
            func.lower(Resident.name_in_own_script).like(pattern, escape="\\"),
            func.lower(Resident.nationality).like(pattern, escape="\\"),
            func.lower(Room.name).like(pattern, escape="\\"),
        ))
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def count(session: Session, flt: ResidentFilter) -> int:
    return session.scalar(select(func.count()).select_from(_base(flt).subquery())) or 0


def _order(sort: str, descending: bool) -> list:
    columns = {
        "name": [func.lower(Resident.family_name), func.lower(Resident.given_names)],
        "person_id": [Resident.person_id],
        "room": [func.length(Room.name), Room.name, Bed.label],
        "date_of_birth": [Resident.date_of_birth],
        "nationality": [Resident.nationality],
        "phase": [Resident.phase],
        "status": [Resident.status],
        "arrival_date": [Resident.arrival_date],
        "primary_contact": [_primary_staff.full_name],
    }.get(sort)
    if columns is None:
        raise ValueError(f"unknown sort key {sort!r}; use one of {SORT_KEYS}")
    ordered = [c.desc() if descending else c.asc() for c in columns]
    return [*ordered, Resident.id]


def page(session: Session, flt: ResidentFilter, *, sort: str = "name", descending: bool = False,
         offset: int = 0, limit: int = 200) -> list[ResidentRow]:
    query = (_base(flt)
             .with_only_columns(
                 Resident.id, Resident.person_id, Resident.family_name, Resident.given_names,
                 Resident.name_in_own_script, Resident.date_of_birth, Resident.age_disputed,
                 Resident.nationality, Resident.phase, Resident.status, Resident.arrival_date,
                 Resident.moved_out_on, Room.name, Bed.label, _primary_staff.full_name,
                 maintain_column_froms=True)
             .order_by(*_order(sort, descending)).offset(offset).limit(limit))
    return [ResidentRow(*row) for row in session.execute(query)]
