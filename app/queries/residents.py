"""The resident list: filtered and sorted in SQL, fetched a page at a time.

Filter-as-you-type must stay instant with thousands of current and former residents,
so the list never loads everything: ``count`` and ``page`` run one indexed query each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
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


def _searchable() -> ColumnElement[str]:
    """Everything a filter word may match, as one string: one comparison per row and word."""
    parts = [Resident.given_names, Resident.family_name, Resident.person_id,
             func.coalesce(Resident.name_in_own_script, ""), Resident.nationality,
             func.coalesce(Room.name, "")]
    expression = parts[0]
    for part in parts[1:]:
        expression = expression + "\x1f" + part
    return expression


def _base(flt: ResidentFilter, dialect: str = "sqlite") -> Select:
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
    searchable = _searchable()
    for word in flt.text.split():
        pattern = f"%{escape_like(word.lower())}%"
        if dialect == "sqlite" and word.isascii():
            # SQLite's LIKE ignores case for ASCII by itself: no function call per row.
            query = query.where(searchable.like(pattern, escape="\\"))
        else:
            query = query.where(func.lower(searchable).like(pattern, escape="\\"))
    return query


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def count(session: Session, flt: ResidentFilter) -> int:
    query = _base(flt, _dialect(session))
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def _order(sort: str, descending: bool, dialect: str) -> list:
    def folded(column: ColumnElement[str]) -> ColumnElement[str]:
        # NOCASE is SQLite's built-in case folding: no Python call per row when sorting.
        return column.collate("NOCASE") if dialect == "sqlite" else func.lower(column)

    columns = {
        "name": [folded(Resident.family_name), folded(Resident.given_names)],
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
    return page_with_total(session, flt, sort=sort, descending=descending, offset=offset,
                           limit=limit)[1]


def page_with_total(session: Session, flt: ResidentFilter, *, sort: str = "name",
                    descending: bool = False, offset: int = 0,
                    limit: int = 200) -> tuple[int, list[ResidentRow]]:
    """(number of matching residents, one page of them) from a single scan."""
    query = (_base(flt, _dialect(session))
             .with_only_columns(
                 Resident.id, Resident.person_id, Resident.family_name, Resident.given_names,
                 Resident.name_in_own_script, Resident.date_of_birth, Resident.age_disputed,
                 Resident.nationality, Resident.phase, Resident.status, Resident.arrival_date,
                 Resident.moved_out_on, Room.name, Bed.label, _primary_staff.full_name,
                 func.count().over(), maintain_column_froms=True)
             .order_by(*_order(sort, descending, _dialect(session))).offset(offset).limit(limit))
    rows = session.execute(query).all()
    if not rows and offset:
        return count(session, flt), []
    return (rows[0][-1] if rows else 0), [ResidentRow(*row[:-1]) for row in rows]


def room_names(session: Session, resident_ids: Iterable[uuid.UUID], *,
               on: date | None = None) -> dict[uuid.UUID, str]:
    """The room each resident lived in on ``on`` (or last lived in), for lists and forms."""
    ids = set(resident_ids)
    if not ids:
        return {}
    query = (select(BedAssignment.resident_id, Room.name)
             .join(Bed, Bed.id == BedAssignment.bed_id).join(Room, Room.id == Bed.room_id)
             .where(BedAssignment.resident_id.in_(ids), BedAssignment.deleted_at.is_(None)))
    if on is not None:
        query = query.where(BedAssignment.started_on <= on,
                            or_(BedAssignment.ended_on.is_(None), BedAssignment.ended_on >= on))
    # The latest assignment wins.
    return dict(session.execute(query.order_by(BedAssignment.started_on,
                                               BedAssignment.created_at)).all())
