"""Staff users and their roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced


class Staff(Synced, Base):
    __tablename__ = "staff"
    __table_args__ = (Index("ix_staff_username", "username", unique=True),)
    __audit_redacted__ = frozenset({"password_hash"})
    __audit_ignored__ = frozenset({"last_login_at"})

    username: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    # Role codes (app.permissions.Role); a user can hold several.
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(40))
    last_login_at: Mapped[datetime | None]
