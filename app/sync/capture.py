"""Change capture: every change to a synced record gets a line in ``sync_change`` in the
same transaction as the change itself, numbered by this installation (``seq``).

The unit of work's ``before_flush`` hook calls ``capture_flush`` for ORM changes; code that
changes rows with a bulk ``UPDATE`` calls ``capture_rows`` itself; ``backfill`` enqueues
every existing row once (databases made before change capture, the demo generator's bulk
inserts).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, SyncChange, Synced


def capture_flush(session: Session, objects: Iterable[object]) -> None:
    """Add a change line for each synced object written or audit entry added by this flush."""
    rows = []
    for obj in objects:
        if isinstance(obj, Synced):
            rows.append(SyncChange(entity=obj.__tablename__, row_id=obj.id,
                                   row_version=obj.row_version, changed_at=obj.updated_at))
        elif isinstance(obj, AuditEntry):
            rows.append(SyncChange(entity="audit_entry", row_id=obj.id, row_version=1,
                                   changed_at=obj.at))
    session.add_all(rows)


def capture_rows(session: Session, model: type[Synced], ids: Iterable[uuid.UUID],
                 changed_at: datetime) -> None:
    """Change lines for rows changed by a bulk UPDATE (which the flush hook does not see)."""
    ids = list(ids)
    for start in range(0, len(ids), 500):
        session.execute(insert(SyncChange).from_select(
            ["entity", "row_id", "row_version", "changed_at"],
            select(func.cast(model.__tablename__, SyncChange.entity.type), model.id,
                   model.row_version, func.coalesce(model.updated_at, changed_at))
            .where(model.id.in_(ids[start:start + 500]))))


def backfill(session: Session) -> int:
    """Enqueue every synced row that has no change line yet, oldest first. Returns how many."""
    from app.sync.payload import synced_tables

    total = 0
    for name, table in synced_tables().items():
        stamp = table.c.at if name == "audit_entry" else table.c.updated_at
        version = (table.c.row_version if "row_version" in table.c
                   else func.cast(1, SyncChange.row_version.type))
        known = select(SyncChange.row_id).where(SyncChange.entity == name)
        result = session.execute(insert(SyncChange).from_select(
            ["entity", "row_id", "row_version", "changed_at"],
            select(func.cast(name, SyncChange.entity.type), table.c.id, version, stamp)
            .where(table.c.id.not_in(known)).order_by(stamp)))
        total += result.rowcount or 0
    return total
