"""Passwords (argon2), logging in and unlocking."""

from __future__ import annotations

import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from app.db import Database
from app.errors import AuthenticationFailed, ValidationError
from app.formatting import utcnow
from app.i18n import _
from app.models import Staff
from app.unit_of_work import SYSTEM, Actor, audit_entry

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError({"password": _(
            "The password must be at least {count} characters long.").format(
                count=MIN_PASSWORD_LENGTH)})


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_of(staff: Staff) -> Actor:
    return Actor(staff_id=staff.id, username=staff.username, full_name=staff.full_name,
                 roles=frozenset(staff.roles))


def login(db: Database, username: str, password: str) -> Actor:
    """The actor for valid credentials of an active user; every attempt is audited."""
    username = username.strip()
    with db.unit(SYSTEM) as session:
        staff = session.scalar(select(Staff).where(func.lower(Staff.username) == username.lower(),
                                                   Staff.deleted_at.is_(None)))
        if staff is None or not staff.active or not _verify(staff.password_hash, password):
            audit_entry(session, "login_failed", "staff", staff.id if staff else None,
                        {"username": username})
            failed = True
        else:
            failed = False
            actor = actor_of(staff)
            session.info["actor"] = actor
            staff.last_login_at = utcnow()
            audit_entry(session, "login", "staff", staff.id)
            if _hasher.check_needs_rehash(staff.password_hash):
                staff.password_hash = hash_password(password)
    if failed:
        raise AuthenticationFailed(_("Wrong user name or password, or the user is not active."))
    return actor


def verify_unlock(db: Database, actor: Actor, password: str) -> bool:
    """Unlock a locked screen for the same user; a wrong password is audited."""
    with db.unit(actor) as session:
        staff = session.get(Staff, actor.staff_id)
        ok = staff is not None and staff.active and _verify(staff.password_hash, password)
        audit_entry(session, "unlock" if ok else "login_failed", "staff", actor.staff_id)
    return ok


def record_lock(db: Database, actor: Actor) -> None:
    with db.unit(actor) as session:
        audit_entry(session, "lock", "staff", actor.staff_id)


def record_logout(db: Database, actor: Actor) -> None:
    with db.unit(actor) as session:
        audit_entry(session, "logout", "staff", actor.staff_id)


def change_password(db: Database, actor: Actor, old_password: str, new_password: str) -> None:
    check_password_rules(new_password)
    with db.unit(actor) as session:
        staff = session.get(Staff, actor.staff_id)
        if staff is None or not _verify(staff.password_hash, old_password):
            raise ValidationError({"old_password": _("The current password is wrong.")})
        staff.password_hash = hash_password(new_password)


def staff_exists(db: Database, staff_id: uuid.UUID) -> bool:
    with db.read() as session:
        return session.get(Staff, staff_id) is not None
