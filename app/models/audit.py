"""The audit trail: who did what to which record, and who read confidential records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base

# Actions recorded. Reads of confidential records (notes, plans) use "read".
AUDIT_ACTIONS = ("create", "update", "delete", "read", "login", "login_failed", "logout",
                 "lock", "unlock", "print", "export")


class AuditEntry(Base):
    """Append-only. Travels to head office like other records, but is never changed."""

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_staff_id", "staff_id", "at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime]
    device_id: Mapped[uuid.UUID]
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[uuid.UUID | None]
    # {field: [old, new]} for writes; free context for reads and logins.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str | None] = mapped_column(String(300))
