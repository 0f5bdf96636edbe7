"""Residents, rooms and beds, and the history of who lived where and who is their contact person."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

# Status codes (domain-rules §1). Translated labels live in app.residents_vocab.
STATUS_IN_RESIDENCE = "in_residence"
STATUS_PRIVATE_ACCOMMODATION = "private_accommodation"
STATUS_MOVED_CENTRE = "moved_centre"
STATUS_INTEGRATION = "integration_municipality"
STATUS_DEPARTED = "departed"
STATUS_MISSING = "missing"
STATUSES = (STATUS_IN_RESIDENCE, STATUS_PRIVATE_ACCOMMODATION, STATUS_MOVED_CENTRE,
            STATUS_INTEGRATION, STATUS_DEPARTED, STATUS_MISSING)
# A move-out reason becomes the resident's status.
MOVE_OUT_REASONS = (STATUS_MOVED_CENTRE, STATUS_INTEGRATION, STATUS_DEPARTED,
                    STATUS_PRIVATE_ACCOMMODATION)
SEXES = ("female", "male", "other")
SECTIONS = ("general", "street_oriented")

CONTACT_PRIMARY = "primary"
CONTACT_SECONDARY = "secondary"


class Room(Synced, Base):
    __tablename__ = "room"
    __table_args__ = (Index("ix_room_name", "name"),)

    name: Mapped[str] = mapped_column(String(40))
    section: Mapped[str] = mapped_column(String(30), default="general")
    floor: Mapped[str | None] = mapped_column(String(20))


class Bed(Synced, Base):
    __tablename__ = "bed"
    __table_args__ = (Index("ix_bed_room_id", "room_id"),)

    room_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("room.id"))
    label: Mapped[str] = mapped_column(String(20))


class Resident(Synced, Base):
    """One stay of one minor at the centre: from arrival to move-out."""

    __tablename__ = "resident"
    __table_args__ = (
        # Person IDs are unique among current residents; a former resident who comes
        # back gets a new stay with the same person ID.
        Index("uq_resident_current_person_id", "person_id", unique=True,
              sqlite_where=text("moved_out_on IS NULL AND deleted_at IS NULL"),
              postgresql_where=text("moved_out_on IS NULL AND deleted_at IS NULL")),
        Index("ix_resident_person_id", "person_id"),
        Index("ix_resident_current", "moved_out_on", "family_name"),
    )

    person_id: Mapped[str] = mapped_column(String(40))
    given_names: Mapped[str] = mapped_column(String(200))
    family_name: Mapped[str] = mapped_column(String(200))
    # The name as the resident writes it (Arabic, Dari, Tigrinya … script).
    name_in_own_script: Mapped[str | None] = mapped_column(String(200))
    date_of_birth: Mapped[date]
    age_disputed: Mapped[bool] = mapped_column(default=False)
    sex: Mapped[str] = mapped_column(String(10))
    nationality: Mapped[str] = mapped_column(String(80))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    phase: Mapped[int] = mapped_column(default=1)
    arrival_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(30), default=STATUS_IN_RESIDENCE)
    moved_out_on: Mapped[date | None]
    move_out_reason: Mapped[str | None] = mapped_column(String(30))
    move_out_note: Mapped[str | None] = mapped_column(Text)
    representative_name: Mapped[str | None] = mapped_column(String(200))
    representative_phone: Mapped[str | None] = mapped_column(String(40))
    representative_email: Mapped[str | None] = mapped_column(String(200))
    street_oriented: Mapped[bool] = mapped_column(default=False)
    special_needs: Mapped[bool] = mapped_column(default=False)
    special_needs_note: Mapped[str | None] = mapped_column(Text)


class BedAssignment(Synced, Base):
    """Who slept in which bed from when to when: move-in, room changes, move-out."""

    __tablename__ = "bed_assignment"
    __table_args__ = (
        # A bed holds one current resident: enforced by the database as well.
        Index("uq_bed_assignment_open_bed", "bed_id", unique=True,
              sqlite_where=text("ended_on IS NULL AND deleted_at IS NULL"),
              postgresql_where=text("ended_on IS NULL AND deleted_at IS NULL")),
        Index("ix_bed_assignment_resident", "resident_id", "started_on"),
    )

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    bed_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("bed.id"))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    # move_in, room_change, move_out
    end_reason: Mapped[str | None] = mapped_column(String(30))


class ContactAssignment(Synced, Base):
    """A resident's primary or secondary contact person for a period."""

    __tablename__ = "contact_assignment"
    __table_args__ = (
        Index("uq_contact_assignment_open", "resident_id", "kind", unique=True,
              sqlite_where=text("ended_on IS NULL AND deleted_at IS NULL"),
              postgresql_where=text("ended_on IS NULL AND deleted_at IS NULL")),
        Index("ix_contact_assignment_staff", "staff_id", "ended_on"),
    )

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(10))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]


class Draft(Base):
    """Half-typed input of one user in one form, kept on this PC until saved or discarded.

    Local only (never synced): survives a lock, a switch of user, a crash or a power cut.
    """

    __tablename__ = "draft"

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    form_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    payload: Mapped[dict] = mapped_column(JSON)
    saved_at: Mapped[datetime]
