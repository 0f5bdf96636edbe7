"""The centre: first-run set-up and the centre's settings."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from app.db import Database
from app.errors import DomainError, NotFound, ValidationError
from app.i18n import _
from app.models import Centre, Staff
from app.permissions import Permission, Role, require
from app.services import staff as staff_service
from app.unit_of_work import SYSTEM, Actor

CENTRE_CODE_PATTERN = re.compile(r"^[A-Z0-9-]{2,20}$")
MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES = 1, 120


@dataclass(frozen=True)
class CentreView:
    id: uuid.UUID
    name: str
    code: str
    idle_lock_minutes: int
    visitor_retention_months: int = 12


def _view(centre: Centre) -> CentreView:
    return CentreView(centre.id, centre.name, centre.code, centre.idle_lock_minutes,
                      centre.visitor_retention_months)


def is_initialised(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(Centre.id).limit(1)) is not None


def get_centre(db: Database) -> CentreView:
    with db.read() as session:
        centre = session.scalar(select(Centre).where(Centre.deleted_at.is_(None)))
        if centre is None:
            raise NotFound(_("This database has no centre yet: run the first-run set-up."))
        return _view(centre)


def suggest_code(name: str) -> str:
    words = re.findall(r"[A-Za-zÆØÅæøå0-9]+", name)
    letters = "".join(w[0] for w in words).upper() or "BC"
    return re.sub(r"[^A-Z0-9]", "X", letters.replace("Æ", "AE").replace("Ø", "OE")
                  .replace("Å", "AA"))[:20].ljust(2, "X")


def _check_centre(name: str, code: str) -> tuple[str, str]:
    problems = {}
    name, code = name.strip(), code.strip().upper()
    if not name:
        problems["centre_name"] = _("Write the centre's name.")
    if not CENTRE_CODE_PATTERN.match(code):
        problems["centre_code"] = _(
            "The centre code has 2 to 20 capital letters, digits or dashes, e.g. SANDHOLM.")
    if problems:
        raise ValidationError(problems)
    return name, code


def initialise_centre(db: Database, *, centre_name: str, centre_code: str, admin_username: str,
                      admin_full_name: str, admin_password: str) -> CentreView:
    """Create the centre and its first administrator, all or nothing (wizard and ``init``)."""
    problems: dict[str, str] = {}
    try:
        name, code = _check_centre(centre_name, centre_code)
    except ValidationError as error:
        problems.update(error.problems)
    if is_initialised(db):
        raise DomainError(_("This database already belongs to a centre."))
    with db.unit(SYSTEM) as session:
        try:
            staff_service.add_staff(session, username=admin_username, full_name=admin_full_name,
                                    password=admin_password, roles=[Role.ADMINISTRATOR.value])
        except ValidationError as error:
            problems.update(error.problems)
        if problems:
            raise ValidationError(problems)
        centre = Centre(name=name, code=code)
        session.add(centre)
        session.flush()
        return _view(centre)


def update_settings(db: Database, actor: Actor, *, name: str | None = None,
                    idle_lock_minutes: int | None = None,
                    visitor_retention_months: int | None = None) -> CentreView:
    require(actor, Permission.CONFIGURE_CENTRE)
    with db.unit(actor) as session:
        centre = session.scalar(select(Centre).where(Centre.deleted_at.is_(None)))
        if centre is None:
            raise NotFound(_("This database has no centre yet: run the first-run set-up."))
        if name is not None:
            centre.name, _code = _check_centre(name, centre.code)
        if idle_lock_minutes is not None:
            if not MIN_IDLE_LOCK_MINUTES <= idle_lock_minutes <= MAX_IDLE_LOCK_MINUTES:
                raise ValidationError({"idle_lock_minutes": _(
                    "The screen locks after {low} to {high} idle minutes.").format(
                        low=MIN_IDLE_LOCK_MINUTES, high=MAX_IDLE_LOCK_MINUTES)})
            centre.idle_lock_minutes = idle_lock_minutes
        if visitor_retention_months is not None:
            if not 1 <= visitor_retention_months <= 60:
                raise ValidationError({"visitor_retention_months": _(
                    "Keep visitor identity between 1 and 60 months.")})
            centre.visitor_retention_months = visitor_retention_months
        return _view(centre)


def staff_count(db: Database) -> int:
    with db.read() as session:
        return len(session.scalars(select(Staff.id)).all())
