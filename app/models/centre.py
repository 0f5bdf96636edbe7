"""The centre this database belongs to, and settings local to this installation."""

from __future__ import annotations

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced
from app.rules.rounds import DEFAULT_ROUND_TIMES

DEFAULT_IDLE_LOCK_MINUTES = 10
DEFAULT_VISITOR_RETENTION_MONTHS = 12


class Centre(Synced, Base):
    __tablename__ = "centre"

    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(20))
    idle_lock_minutes: Mapped[int] = mapped_column(default=DEFAULT_IDLE_LOCK_MINUTES)
    # Visitor identity is erased this many months after the visit (data minimisation).
    visitor_retention_months: Mapped[int] = mapped_column(default=DEFAULT_VISITOR_RETENTION_MONTHS)
    # {"morning": "08:00", "afternoon": "15:00", "evening": "22:00"}, Copenhagen time.
    round_times: Mapped[dict[str, str]] = mapped_column(
        JSON, default=lambda: dict(DEFAULT_ROUND_TIMES))


class LocalSetting(Base):
    """Key/value settings of this installation only (device id, UI language); never synced."""

    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
