"""Attendance rounds and their marks, approved leave, and missing-resident cases."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

LEAVE_KINDS = ("family_visit", "private_accommodation_trial", "hospital", "school_trip", "other")
# Where a mark came from: typed on the round screen, from a paper sheet afterwards, or
# pre-filled from approved leave when the round was opened.
MARK_SOURCES = ("screen", "paper", "leave")
CASE_REASONS = ("absent_mark", "reported")
CLOSE_REASONS = ("returned", "left_responsibility")
# The checklist of a missing case (domain-rules §2), in the order staff work through it.
MISSING_REPORT_KINDS = ("ibs", "police", "municipality", "agency", "representative")

_OPEN = "deleted_at IS NULL"


class AttendanceRound(Synced, Base):
    """One of the three daily rounds on one day."""

    __tablename__ = "attendance_round"
    __table_args__ = (
        Index("uq_attendance_round_day_slot", "round_date", "slot", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )

    round_date: Mapped[date]
    slot: Mapped[str] = mapped_column(String(20))
    planned_at: Mapped[datetime]
    started_at: Mapped[datetime]
    started_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    completed_at: Mapped[datetime | None]


class AttendanceMark(Synced, Base):
    """A resident's mark in one round: who marked it, and when it was really seen."""

    __tablename__ = "attendance_mark"
    __table_args__ = (
        Index("uq_attendance_mark_round_resident", "round_id", "resident_id", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
        Index("ix_attendance_mark_resident", "resident_id", "marked_at"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance_round.id"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    mark: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    marked_at: Mapped[datetime]
    marked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    source: Mapped[str] = mapped_column(String(10), default="screen")


class Leave(Synced, Base):
    """Approved absence: the resident is away with permission and is not missing."""

    __tablename__ = "leave"
    __table_args__ = (Index("ix_leave_resident", "resident_id", "starts_at"),
                      Index("ix_leave_ends", "ends_at"))

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    kind: Mapped[str] = mapped_column(String(40))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))


class MissingCase(Synced, Base):
    """A resident found missing, from the time first missed to the return."""

    __tablename__ = "missing_case"
    __table_args__ = (
        # One open case per resident at a time.
        Index("uq_missing_case_open", "resident_id", unique=True,
              sqlite_where=text("closed_at IS NULL AND deleted_at IS NULL"),
              postgresql_where=text("closed_at IS NULL AND deleted_at IS NULL")),
        Index("ix_missing_case_closed", "closed_at"),
    )

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    missing_since: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(20))
    mark_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attendance_mark.id"))
    opened_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    special_concern: Mapped[bool] = mapped_column(default=False)
    known_not_staying: Mapped[bool] = mapped_column(default=False)
    # What the police and the municipality ask for (the missing-resident report).
    last_seen_at: Mapped[datetime | None]
    last_seen_place: Mapped[str | None] = mapped_column(Text)
    height: Mapped[str | None] = mapped_column(String(40))
    clothing: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    contacts: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(30))
    close_note: Mapped[str | None] = mapped_column(Text)
    closed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))


class MissingReport(Synced, Base):
    """One item of a case's checklist, done: to whom, when, by whom, reference."""

    __tablename__ = "missing_report"
    __table_args__ = (
        Index("uq_missing_report_case_kind", "case_id", "kind", unique=True,
              sqlite_where=text(_OPEN), postgresql_where=text(_OPEN)),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("missing_case.id"))
    kind: Mapped[str] = mapped_column(String(20))
    done_at: Mapped[datetime]
    done_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    reference: Mapped[str | None] = mapped_column(String(100))
