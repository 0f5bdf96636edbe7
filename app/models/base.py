"""Declarative base, column types and the mixin every synced record carries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, TypeDecorator, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as UTC; SQLite keeps it naive, PostgreSQL as timestamptz."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC time is stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, uuid.UUID: Uuid}


class Synced:
    """Columns of every record that travels to head office.

    The id is a UUID made where the record is created; ``updated_by_device`` is the
    installation that last changed it; ``deleted_at`` is the tombstone (records that
    sync are never hard-deleted); ``row_version`` counts changes, so a later sync can
    tell which version of a row a change was based on. The unit of work fills all of
    these in (``app.unit_of_work``); services never set them by hand.
    """

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    updated_by_device: Mapped[uuid.UUID]
    deleted_at: Mapped[datetime | None]
    row_version: Mapped[int] = mapped_column(Integer, default=1)

    # Fields the audit trail must never copy in clear text.
    __audit_redacted__: frozenset[str] = frozenset()
    # Fields whose change another audit entry already records (e.g. the login itself).
    __audit_ignored__: frozenset[str] = frozenset()
