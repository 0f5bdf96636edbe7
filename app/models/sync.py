"""The change log behind sync files: one line per change to a synced record, numbered per
installation, written in the same transaction as the change (``app.sync.capture``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SyncChange(Base):
    """A change to be sent to head office; pruned once head office has acknowledged it.

    ``seq`` never repeats, even after pruning (SQLite AUTOINCREMENT), so head office can
    tell a gap from a re-send.
    """

    __tablename__ = "sync_change"
    __table_args__ = (Index("ix_sync_change_row", "entity", "row_id"),
                      {"sqlite_autoincrement": True})

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[uuid.UUID]
    row_version: Mapped[int]
    changed_at: Mapped[datetime]
