"""Rooms and beds, and which beds are free."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.db import Database
from app.errors import ValidationError
from app.i18n import _
from app.models import Bed, BedAssignment, Resident, Room
from app.models.residents import SECTIONS
from app.permissions import Permission, require
from app.unit_of_work import Actor


@dataclass(frozen=True)
class BedView:
    id: uuid.UUID
    room_id: uuid.UUID
    room_name: str
    label: str
    section: str
    occupant_id: uuid.UUID | None
    occupant_name: str | None

    @property
    def display(self) -> str:
        return f"{self.room_name} / {self.label}"


def create_room(db: Database, actor: Actor, name: str, bed_labels: list[str],
                section: str = "general", floor: str | None = None) -> list[BedView]:
    require(actor, Permission.MANAGE_ROOMS)
    name = name.strip()
    problems = {}
    if not name:
        problems["name"] = _("Write the room's name or number.")
    if section not in SECTIONS:
        problems["section"] = _("Unknown section: {section}.").format(section=section)
    labels = [label.strip() for label in bed_labels if label.strip()]
    if not labels:
        problems["beds"] = _("A room needs at least one bed.")
    elif len(set(labels)) != len(labels):
        problems["beds"] = _("Two beds in the room have the same label.")
    if problems:
        raise ValidationError(problems)
    with db.unit(actor) as session:
        taken = session.scalar(select(Room.id).where(Room.name == name,
                                                     Room.deleted_at.is_(None)))
        if taken is not None:
            raise ValidationError({"name": _("There is already a room {room}.").format(room=name)})
        room = Room(name=name, section=section, floor=floor)
        session.add(room)
        session.flush()
        session.add_all(Bed(room_id=room.id, label=label) for label in labels)
    return [b for b in list_beds(db, actor) if b.room_id == room.id]


def list_beds(db: Database, actor: Actor, *, free_only: bool = False) -> list[BedView]:
    """Every bed with its current occupant, in room order."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.read() as session:
        open_assignment = (select(BedAssignment.bed_id, Resident.id.label("rid"),
                                  (Resident.given_names + " " + Resident.family_name).label("name"))
                           .join(Resident, Resident.id == BedAssignment.resident_id)
                           .where(BedAssignment.ended_on.is_(None),
                                  BedAssignment.deleted_at.is_(None))
                           .subquery())
        rows = session.execute(
            select(Bed.id, Room.id, Room.name, Bed.label, Room.section, open_assignment.c.rid,
                   open_assignment.c.name)
            .join(Room, Room.id == Bed.room_id)
            .outerjoin(open_assignment, open_assignment.c.bed_id == Bed.id)
            .where(Bed.deleted_at.is_(None), Room.deleted_at.is_(None))
        ).all()
    beds = [BedView(*row) for row in rows]
    if free_only:
        beds = [b for b in beds if b.occupant_id is None]
    return sorted(beds, key=lambda b: (natural_key(b.room_name), natural_key(b.label)))


def natural_key(text: str) -> tuple:
    """Sort "2" before "10" (room and bed names)."""
    import re

    return tuple(int(part) if part.isdigit() else part.casefold()
                 for part in re.split(r"(\d+)", text))


def occupancy_on(db: Database, day: date) -> int:
    with db.read() as session:
        rows = session.scalars(select(BedAssignment.id).where(
            BedAssignment.started_on <= day,
            (BedAssignment.ended_on.is_(None)) | (BedAssignment.ended_on > day),
            BedAssignment.deleted_at.is_(None))).all()
    return len(rows)
