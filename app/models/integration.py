"""Transfer to an integration municipality after a residence permit (domain-rules §3)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

INTEGRATION_TASKS = ("handover_conversation", "municipality_dialogue", "handover_form",
                     "agency_statement", "move_planning")


class IntegrationCase(Synced, Base):
    """A residence permit was notified: the integration checklist runs from that date."""

    __tablename__ = "integration_case"
    __table_args__ = (Index("ix_integration_case_resident", "resident_id"),)

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    permit_notified_on: Mapped[date]
    municipality: Mapped[str] = mapped_column(String(120))
    closed_on: Mapped[date | None]


class IntegrationTask(Synced, Base):
    """One line of the integration checklist with its due date and when it was done."""

    __tablename__ = "integration_task"
    __table_args__ = (Index("ix_integration_task_case", "case_id"),
                      Index("ix_integration_task_open", "done_on", "due_on"))

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("integration_case.id"))
    code: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date | None]
    done_on: Mapped[date | None]
    done_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str | None] = mapped_column(Text)
