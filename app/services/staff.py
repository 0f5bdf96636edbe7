"""Staff users: create, change roles, deactivate, reset passwords."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import NotFound, ValidationError
from app.i18n import _
from app.models import Staff
from app.permissions import Permission, Role, require
from app.services.auth import check_password_rules, hash_password
from app.unit_of_work import Actor

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{2,64}$")


@dataclass(frozen=True)
class StaffView:
    id: uuid.UUID
    username: str
    full_name: str
    roles: tuple[str, ...]
    active: bool
    phone: str | None
    last_login_at: datetime | None


def _view(staff: Staff) -> StaffView:
    return StaffView(staff.id, staff.username, staff.full_name, tuple(sorted(staff.roles)),
                     staff.active, staff.phone, staff.last_login_at)


def _check_roles(roles: list[str] | tuple[str, ...]) -> list[str]:
    valid = {r.value for r in Role}
    unknown = [r for r in roles if r not in valid]
    if unknown:
        raise ValidationError({"roles": _("Unknown role: {role}.").format(role=", ".join(unknown))})
    if not roles:
        raise ValidationError({"roles": _("Give the user at least one role.")})
    return sorted(set(roles))


def _check_username(session: Session, username: str, exclude: uuid.UUID | None = None) -> str:
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise ValidationError({"username": _(
            "A user name has 2 to 64 letters (a–z), digits, dots, dashes or underscores.")})
    query = select(Staff.id).where(func.lower(Staff.username) == username.lower())
    if exclude is not None:
        query = query.where(Staff.id != exclude)
    if session.scalar(query) is not None:
        raise ValidationError({"username": _("The user name {username} is taken.").format(
            username=username)})
    return username


def create_staff(db: Database, actor: Actor, *, username: str, full_name: str, password: str,
                 roles: list[str] | tuple[str, ...], phone: str | None = None,
                 language: str | None = None) -> StaffView:
    require(actor, Permission.MANAGE_STAFF)
    with db.unit(actor) as session:
        return add_staff(session, username=username, full_name=full_name, password=password,
                         roles=roles, phone=phone, language=language)


def add_staff(session: Session, *, username: str, full_name: str, password: str,
              roles: list[str] | tuple[str, ...], phone: str | None = None,
              language: str | None = None) -> StaffView:
    """Validate and add a user inside the caller's unit of work (permission checked there)."""
    problems: dict[str, str] = {}
    if not full_name.strip():
        problems["full_name"] = _("Write the user's full name.")
    for check in (lambda: check_password_rules(password), lambda: _check_roles(roles),
                  lambda: _check_username(session, username)):
        try:
            check()
        except ValidationError as error:
            problems.update(error.problems)
    if problems:
        raise ValidationError(problems)
    staff = Staff(username=username.strip(), full_name=full_name.strip(),
                  password_hash=hash_password(password), roles=_check_roles(roles), active=True,
                  phone=phone, language=language)
    session.add(staff)
    session.flush()
    return _view(staff)


def _active_admins(session: Session) -> list[Staff]:
    rows = session.scalars(select(Staff).where(Staff.active.is_(True), Staff.deleted_at.is_(None)))
    return [s for s in rows if Role.ADMINISTRATOR.value in s.roles]


def update_staff(db: Database, actor: Actor, staff_id: uuid.UUID, *, full_name: str | None = None,
                 roles: list[str] | tuple[str, ...] | None = None, active: bool | None = None,
                 phone: str | None = None) -> StaffView:
    require(actor, Permission.MANAGE_STAFF)
    with db.unit(actor) as session:
        staff = session.get(Staff, staff_id)
        if staff is None or staff.deleted_at is not None:
            raise NotFound(_("The user does not exist."))
        if full_name is not None:
            if not full_name.strip():
                raise ValidationError({"full_name": _("Write the user's full name.")})
            staff.full_name = full_name.strip()
        if roles is not None:
            staff.roles = _check_roles(roles)
        if active is not None:
            staff.active = active
        if phone is not None:
            staff.phone = phone or None
        session.flush()
        if not _active_admins(session):
            raise ValidationError({"roles": _(
                "At least one active administrator must remain, or nobody can manage users.")})
        return _view(staff)


def reset_password(db: Database, actor: Actor, staff_id: uuid.UUID, new_password: str) -> None:
    require(actor, Permission.MANAGE_STAFF)
    check_password_rules(new_password)
    with db.unit(actor) as session:
        staff = session.get(Staff, staff_id)
        if staff is None:
            raise NotFound(_("The user does not exist."))
        staff.password_hash = hash_password(new_password)


def list_staff(db: Database, actor: Actor, *, include_inactive: bool = False,
               role: str | None = None) -> list[StaffView]:
    """Staff names are needed to pick contact persons; every logged-in user may list them."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.read() as session:
        query = select(Staff).where(Staff.deleted_at.is_(None)).order_by(Staff.full_name)
        if not include_inactive:
            query = query.where(Staff.active.is_(True))
        views = [_view(s) for s in session.scalars(query)]
    if role is not None:
        views = [v for v in views if role in v.roles]
    return views


def set_language(db: Database, actor: Actor, language: str) -> None:
    """A user's own UI language; anybody may set their own."""
    with db.unit(actor) as session:
        staff = session.get(Staff, actor.staff_id)
        if staff is not None:
            staff.language = language
