"""Half-typed input kept per user and form, so a lock, a switch of user or a crash loses nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from app.db import Database
from app.formatting import utcnow
from app.models import Draft
from app.unit_of_work import Actor


@dataclass(frozen=True)
class DraftView:
    form_key: str
    payload: dict[str, Any]
    saved_at: datetime


def save_draft(db: Database, actor: Actor, form_key: str, payload: dict[str, Any]) -> None:
    # Drafts are local scratch space, not records: no audit entry for every keystroke.
    with db.sessions.begin() as session:
        session.merge(Draft(staff_id=actor.staff_id, form_key=form_key, payload=payload,
                            saved_at=utcnow()))


def load_draft(db: Database, actor: Actor, form_key: str) -> DraftView | None:
    with db.read() as session:
        draft = session.get(Draft, (actor.staff_id, form_key))
        return DraftView(draft.form_key, dict(draft.payload), draft.saved_at) if draft else None


def discard_draft(db: Database, actor: Actor, form_key: str) -> None:
    with db.sessions.begin() as session:
        session.execute(delete(Draft).where(Draft.staff_id == actor.staff_id,
                                            Draft.form_key == form_key))


def list_drafts(db: Database, actor: Actor) -> list[DraftView]:
    with db.read() as session:
        rows = session.scalars(select(Draft).where(Draft.staff_id == actor.staff_id)
                               .order_by(Draft.saved_at.desc()))
        return [DraftView(d.form_key, dict(d.payload), d.saved_at) for d in rows]
