"""What every write goes through: sync columns filled in, audit trail written, no hard deletes.

A ``before_flush`` hook on the application's sessions does this for every synced
record, so no service can forget it: whoever changes a record inside
``Database.unit(actor)`` is recorded with the fields that changed.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.formatting import utcnow
from app.models import AuditEntry, Synced
from app.sync.capture import capture_flush

_SYNC_COLUMNS = frozenset({"id", "created_at", "updated_at", "updated_by_device", "row_version"})


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in staff member, or the system (CLI set-up, demo, migrations)."""

    staff_id: uuid.UUID | None
    username: str
    full_name: str = ""
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_system(self) -> bool:
        return self.staff_id is None


SYSTEM = Actor(staff_id=None, username="system", full_name="System",
               roles=frozenset({"administrator"}))


def jsonable(value: Any) -> Any:
    """A value as it is stored in the audit trail's JSON."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def _redact(obj: Synced, name: str, value: Any) -> Any:
    return "***" if name in obj.__audit_redacted__ and value is not None else jsonable(value)


def _changed_fields(obj: Synced) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SYNC_COLUMNS or attr.key in obj.__audit_ignored__:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        changes[attr.key] = [_redact(obj, attr.key, old), _redact(obj, attr.key, new)]
    return changes


def _created_fields(obj: Synced) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SYNC_COLUMNS:
            continue
        value = getattr(obj, attr.key)
        if value is not None:
            changes[attr.key] = [None, _redact(obj, attr.key, value)]
    return changes


def audit_entry(session: Session, action: str, entity: str, entity_id: uuid.UUID | None,
                changes: dict[str, Any] | None = None, summary: str | None = None) -> AuditEntry:
    """Add an audit entry for the session's actor (reads, logins and the like)."""
    actor: Actor = session.info["actor"]
    entry = AuditEntry(id=uuid.uuid4(), at=utcnow(), device_id=session.info["device_id"],
                       staff_id=actor.staff_id, action=action, entity=entity,
                       entity_id=entity_id, changes=changes or {}, summary=summary)
    session.add(entry)
    return entry


def before_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    if "actor" not in session.info:
        if any(isinstance(o, Synced) for o in (*session.new, *session.dirty, *session.deleted)):
            raise RuntimeError("synced records may only be changed inside Database.unit(actor)")
        capture_flush(session, [o for o in session.new if isinstance(o, AuditEntry)])
        return
    now = utcnow()
    device_id = session.info["device_id"]
    audited = session.info.get("audit", True)
    for obj in list(session.deleted):
        if isinstance(obj, Synced):
            raise RuntimeError(f"{type(obj).__name__} syncs: soft-delete it (deleted_at), never delete")
    for obj in list(session.new):
        if not isinstance(obj, Synced):
            continue
        if obj.id is None:
            obj.id = uuid.uuid4()
        obj.created_at = obj.created_at or now
        obj.updated_at = now
        obj.updated_by_device = device_id
        obj.row_version = 1
        if audited:
            audit_entry(session, "create", obj.__tablename__, obj.id, _created_fields(obj))
    written = [o for o in session.new if isinstance(o, Synced)]
    for obj in list(session.dirty):
        if not isinstance(obj, Synced) or not session.is_modified(obj, include_collections=False):
            continue
        written.append(obj)
        changes = _changed_fields(obj)
        obj.updated_at = now
        obj.updated_by_device = device_id
        obj.row_version = (obj.row_version or 0) + 1
        if audited and changes:
            action = "delete" if "deleted_at" in changes and obj.deleted_at is not None else "update"
            audit_entry(session, action, obj.__tablename__, obj.id, changes)
    # In the same transaction as the change: an export never misses one (app.sync.capture).
    capture_flush(session, [*written, *(o for o in session.new if isinstance(o, AuditEntry))])
