"""Helpers shared by the core tests (not a conftest, so other test modules are unaffected)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from app.db import Database
from app.models import AuditEntry
from app.services import auth

# Real argon2id, with the cheapest parameters: the production hasher costs ~120 ms a call
# here, and the ``people`` fixture alone hashes thirteen times.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(auth, "_hasher", CHEAP_HASHER)
    yield


def count_rows(db: Database, *models: type) -> dict[str, int]:
    with db.read() as session:
        return {model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in models}


def audit_entries(db: Database, *, action: str | None = None, entity: str | None = None,
                  entity_id: uuid.UUID | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    with db.read() as session:
        return list(session.scalars(query))


def row(db: Database, model: type, ident: Any) -> Any:
    with db.read() as session:
        return session.get(model, ident)
