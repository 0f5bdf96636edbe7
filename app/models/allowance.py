"""Cash-allowance decisions (domain-rules §4, §6) and who the leader authorised to make them."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class AllowanceAuthorisation(Synced, Base):
    """The centre leader authorised a staff member to decide on cash allowances."""

    __tablename__ = "allowance_authorisation"
    __table_args__ = (Index("ix_allowance_authorisation_staff", "staff_id"),)

    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    granted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    granted_on: Mapped[date]
    revoked_on: Mapped[date | None]
    revoked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))


class AllowanceDecision(Synced, Base):
    """A decision to reduce or withhold a resident's cash allowance, made on an incident."""

    __tablename__ = "allowance_decision"
    __table_args__ = (Index("ix_allowance_decision_incident", "incident_id"),
                      Index("ix_allowance_decision_resident", "resident_id"))

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incident.id"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    kind: Mapped[str] = mapped_column(String(20))           # reduce | withhold
    allowance: Mapped[str] = mapped_column(String(20))      # basic | supplement_1 | supplement_2
    grounds: Mapped[str] = mapped_column(String(30))        # refused_tasks | … | threats
    reasons: Mapped[str] = mapped_column(Text)
    period_from: Mapped[date]
    period_to: Mapped[date]
    # DKK a day taken off; None when the allowance is withheld altogether.
    per_day_dkk: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    decided_on: Mapped[date]
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    # Set when the decision was made under an authorisation rather than as centre leader.
    authorisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("allowance_authorisation.id"))
    resident_told_on: Mapped[date | None]
    resident_comments: Mapped[str | None] = mapped_column(Text)
    resident_declined: Mapped[bool] = mapped_column(default=False)
    cancelled_on: Mapped[date | None]
    cancel_reason: Mapped[str | None] = mapped_column(Text)
