"""Incidents, the people involved, use of force, confiscated items and the reports checklist."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

RESIDENT_ROLES = ("affected", "causing", "witness")
IMMEDIATE_ACTIONS = ("first_aid", "ambulance", "police_called", "fire_service",
                     "emergency_doctor", "separated", "other")

_LIVE = "deleted_at IS NULL"


class Incident(Synced, Base):
    __tablename__ = "incident"
    __table_args__ = (
        Index("ix_incident_happened", "happened_at"),
        Index("uq_incident_number", "number", unique=True, sqlite_where=text(_LIVE),
              postgresql_where=text(_LIVE)),
    )

    number: Mapped[str] = mapped_column(String(20))
    happened_at: Mapped[datetime]
    noticed_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(String(200))
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    harassment_grounds: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    immediate_actions: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_persons: Mapped[str | None] = mapped_column(Text)
    reported_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    # Whether a resident under 18 was involved when it happened (drives the reports).
    minor_involved: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)
    voided_at: Mapped[datetime | None]
    voided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)


class IncidentVersion(Synced, Base):
    """The incident as it was before a correction: submitted reports are never rewritten."""

    __tablename__ = "incident_version"
    __table_args__ = (Index("ix_incident_version_incident", "incident_id", "version"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    version: Mapped[int]
    snapshot: Mapped[dict] = mapped_column(JSON)
    corrected_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(Text)


class IncidentResident(Synced, Base):
    __tablename__ = "incident_resident"
    __table_args__ = (Index("ix_incident_resident_incident", "incident_id"),
                      Index("ix_incident_resident_resident", "resident_id"))

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    role: Mapped[str] = mapped_column(String(20))


class IncidentStaff(Synced, Base):
    __tablename__ = "incident_staff"
    __table_args__ = (Index("ix_incident_staff_incident", "incident_id"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))


class UseOfForce(Synced, Base):
    """A power used on a minor (domain-rules §4): what, when, why, who decided, and the
    minor's own view of it."""

    __tablename__ = "use_of_force"
    __table_args__ = (Index("ix_use_of_force_incident", "incident_id"),
                      Index("ix_use_of_force_started", "started_at"))

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    kind: Mapped[str] = mapped_column(String(30))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    injuries: Mapped[str | None] = mapped_column(Text)
    minor_informed_on: Mapped[date | None]
    minor_statement: Mapped[str | None] = mapped_column(Text)
    minor_declined: Mapped[bool] = mapped_column(default=False)
    statement_on: Mapped[date | None]


class ConfiscatedItem(Synced, Base):
    __tablename__ = "confiscated_item"
    __table_args__ = (Index("ix_confiscated_item_incident", "incident_id"),)

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resident.id"))
    description: Mapped[str] = mapped_column(Text)
    kept_where: Mapped[str | None] = mapped_column(String(200))
    returned_on: Mapped[date | None]
    returned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    handed_to_police: Mapped[bool] = mapped_column(default=False)


class IncidentReport(Synced, Base):
    """One line of the incident's reports checklist: required by the rule or added by staff."""

    __tablename__ = "incident_report"
    __table_args__ = (
        Index("uq_incident_report_code", "incident_id", "code", unique=True,
              sqlite_where=text(_LIVE), postgresql_where=text(_LIVE)),
        Index("ix_incident_report_open", "done_at"),
    )

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    code: Mapped[str] = mapped_column(String(40))
    required: Mapped[bool] = mapped_column(default=True)
    added_reason: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None]
    done_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    reference: Mapped[str | None] = mapped_column(String(200))
