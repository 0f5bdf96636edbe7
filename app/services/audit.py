"""Browsing the audit trail (administrators and the centre leader)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEntry, Staff
from app.permissions import Permission, require
from app.unit_of_work import Actor, audit_entry


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    entity_id: uuid.UUID | None = None
    staff_id: uuid.UUID | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class AuditRow:
    id: uuid.UUID
    at: datetime
    staff_name: str | None
    action: str
    entity: str
    entity_id: uuid.UUID | None
    changes: dict[str, Any]
    summary: str | None


def _query(flt: AuditFilter):
    query = select(AuditEntry, Staff.full_name).outerjoin(Staff, Staff.id == AuditEntry.staff_id)
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity)
    if flt.entity_id:
        query = query.where(AuditEntry.entity_id == flt.entity_id)
    if flt.staff_id:
        query = query.where(AuditEntry.staff_id == flt.staff_id)
    if flt.action:
        query = query.where(AuditEntry.action == flt.action)
    if flt.since:
        query = query.where(AuditEntry.at >= flt.since)
    if flt.until:
        query = query.where(AuditEntry.at < flt.until)
    return query


def browse(db: Database, actor: Actor, flt: AuditFilter = AuditFilter(), *, offset: int = 0,
           limit: int = 200) -> tuple[int, list[AuditRow]]:
    """(total matching, one page newest first)."""
    require(actor, Permission.VIEW_AUDIT)
    query = _query(flt)
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(query.order_by(AuditEntry.at.desc(), AuditEntry.id)
                               .offset(offset).limit(limit)).all()
    return total, [AuditRow(e.id, e.at, name, e.action, e.entity, e.entity_id, dict(e.changes),
                            e.summary) for e, name in rows]


def record_read(db: Database, actor: Actor, entity: str, entity_id: uuid.UUID,
                summary: str | None = None) -> None:
    """Log that ``actor`` opened a confidential record (notes, plans)."""
    with db.unit(actor) as session:
        audit_entry(session, "read", entity, entity_id, summary=summary)


def record_print(db: Database, actor: Actor, entity: str, entity_id: uuid.UUID | None,
                 summary: str) -> None:
    with db.unit(actor) as session:
        audit_entry(session, "print", entity, entity_id, summary=summary)
