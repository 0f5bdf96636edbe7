"""What the open windows share: the database, who is logged in, and change notifications."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from app.db import Database
from app.permissions import Permission, can
from app.services.centre import CentreView
from app.unit_of_work import Actor


@dataclass(frozen=True)
class Changes:
    """What a finished operation changed, so open views can decide whether to refresh."""

    residents: bool = False
    staff: bool = False
    rooms: bool = False
    centre: bool = False
    attendance: bool = False
    lost_property: bool = False
    visitors: bool = False
    incidents: bool = False
    audit: bool = True


class AppContext(QObject):
    """One per running program. Views listen to ``changed`` instead of poking each other."""

    changed = Signal(object)  # Changes
    actor_changed = Signal(object)  # Actor | None
    language_changed = Signal(str)

    def __init__(self, db: Database, centre: CentreView | None, actor: Actor | None = None) -> None:
        super().__init__()
        self.db = db
        self.centre = centre
        self._actor = actor

    @property
    def actor(self) -> Actor:
        if self._actor is None:
            raise RuntimeError("nobody is logged in")
        return self._actor

    @property
    def has_actor(self) -> bool:
        return self._actor is not None

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.actor_changed.emit(actor)

    def can(self, permission: Permission) -> bool:
        return self._actor is not None and can(self._actor, permission)

    def announce(self, changes: Changes) -> None:
        self.changed.emit(changes)
