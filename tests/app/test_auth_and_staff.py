"""Passwords, logging in, unlocking, and managing staff users."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from app.errors import AuthenticationFailed, ValidationError
from app.models import AuditEntry, Staff
from app.services import auth, staff
from tests.app._core_support import audit_entries, cheap_hashing, count_rows, row  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _staff_row(db, username):
    with db.read() as session:
        return session.scalar(select(Staff).where(Staff.username == username))


def _make(db, admin, username="karen", roles=("contact_person",), password=PASSWORD):
    return staff.create_staff(db, admin, username=username, full_name="Karen Kontakt",
                              password=password, roles=list(roles))


# --- passwords ------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2_hashes(db, admin):
    _make(db, admin, password="Secret-pass-1")
    stored = _staff_row(db, "karen").password_hash
    assert stored.startswith("$argon2id$")
    assert "Secret-pass-1" not in stored
    assert PasswordHasher().verify(stored, "Secret-pass-1")
    with db.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT password_hash FROM staff").scalars().all()
    assert all(value.startswith("$argon2") for value in raw)
    assert "Secret-pass-1" not in raw and PASSWORD not in raw


def test_production_hasher_is_argon2id(monkeypatch):
    monkeypatch.undo()  # the real hasher, not the cheap one of these tests
    hashed = auth.hash_password("Secret-pass-1")
    assert hashed.startswith("$argon2id$")
    assert PasswordHasher().verify(hashed, "Secret-pass-1")
    assert hashed != auth.hash_password("Secret-pass-1")  # salted
    # at least argon2-cffi's recommended strength
    params, default = extract_parameters(hashed), PasswordHasher()
    assert params.time_cost >= default.time_cost
    assert params.memory_cost >= default.memory_cost


def test_login_with_an_old_cheap_hash_rehashes_with_current_parameters(db, admin, monkeypatch):
    _make(db, admin)
    old_hash = _staff_row(db, "karen").password_hash
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=2, memory_cost=2048,
                                                        parallelism=1))
    auth.login(db, "karen", PASSWORD)
    new_hash = _staff_row(db, "karen").password_hash
    assert new_hash != old_hash and "t=2" in new_hash
    auth.login(db, "karen", PASSWORD)  # still works


# --- logging in -----------------------------------------------------------------------------

def test_successful_login_is_audited(db):
    actor = auth.login(db, "admin", PASSWORD)
    admin_row = _staff_row(db, "admin")
    assert actor.staff_id == admin_row.id
    assert actor.roles == frozenset({"administrator"})
    assert actor.full_name == "Ada Admin"
    assert admin_row.last_login_at is not None and admin_row.last_login_at.tzinfo is not None
    logins = audit_entries(db, action="login")
    assert [(e.entity, e.entity_id, e.staff_id) for e in logins] == [
        ("staff", admin_row.id, admin_row.id)]


def test_wrong_password_fails_and_is_audited(db):
    with pytest.raises(AuthenticationFailed) as caught:
        auth.login(db, "admin", "wrong-password")
    assert "Wrong user name or password" in str(caught.value)
    failed = audit_entries(db, action="login_failed")
    assert len(failed) == 1
    assert failed[0].entity_id == _staff_row(db, "admin").id
    assert failed[0].changes == {"username": "admin"}
    assert audit_entries(db, action="login") == []
    assert _staff_row(db, "admin").last_login_at is None


def test_unknown_user_fails_and_is_audited(db):
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "nobody", PASSWORD)
    failed = audit_entries(db, action="login_failed")
    assert [(e.entity_id, e.staff_id, e.changes) for e in failed] == [
        (None, None, {"username": "nobody"})]


def test_inactive_user_cannot_log_in(db, admin):
    view = _make(db, admin)
    assert auth.login(db, "karen", PASSWORD).staff_id == view.id
    staff.update_staff(db, admin, view.id, active=False)
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "karen", PASSWORD)
    assert audit_entries(db, action="login_failed")[-1].entity_id == view.id
    staff.update_staff(db, admin, view.id, active=True)
    assert auth.login(db, "karen", PASSWORD).staff_id == view.id


@pytest.mark.parametrize("typed", ["ADMIN", "Admin", "  admin  "])
def test_user_name_is_case_insensitive(db, typed):
    actor = auth.login(db, typed, PASSWORD)
    assert actor.username == "admin"


def test_password_is_case_sensitive(db):
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "admin", PASSWORD.upper())


# --- unlocking and changing passwords -------------------------------------------------------

def test_verify_unlock(db, admin):
    assert auth.verify_unlock(db, admin, PASSWORD) is True
    assert auth.verify_unlock(db, admin, "not-it") is False
    actions = [e.action for e in audit_entries(db, entity_id=admin.staff_id)
               if e.action in ("unlock", "login_failed")]
    assert actions == ["unlock", "login_failed"]
    assert {e.staff_id for e in audit_entries(db, action="unlock")} == {admin.staff_id}


def test_verify_unlock_refuses_a_deactivated_user(db, admin):
    view = _make(db, admin)
    karen = auth.login(db, "karen", PASSWORD)
    staff.update_staff(db, admin, view.id, active=False)
    assert auth.verify_unlock(db, karen, PASSWORD) is False


def test_change_password(db, admin):
    auth.change_password(db, admin, PASSWORD, "brand-new-pass")
    assert auth.login(db, "admin", "brand-new-pass").staff_id == admin.staff_id
    with pytest.raises(AuthenticationFailed):
        auth.login(db, "admin", PASSWORD)


def test_change_password_needs_a_long_enough_password(db, admin):
    before = _staff_row(db, "admin").password_hash
    with pytest.raises(ValidationError) as caught:
        auth.change_password(db, admin, PASSWORD, "short")
    assert "at least 8 characters" in caught.value.problems["password"]
    assert _staff_row(db, "admin").password_hash == before
    auth.change_password(db, admin, PASSWORD, "x" * auth.MIN_PASSWORD_LENGTH)  # exactly enough


def test_change_password_needs_the_current_password(db, admin):
    before = count_rows(db, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        auth.change_password(db, admin, "wrong-old-password", "brand-new-pass")
    assert "current password is wrong" in caught.value.problems["old_password"]
    assert count_rows(db, AuditEntry) == before
    assert auth.login(db, "admin", PASSWORD).staff_id == admin.staff_id


# --- staff users ----------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["a", "with space", "østergaard", "x" * 65, "", "ab/c"])
def test_user_name_must_be_valid(db, admin, username):
    with pytest.raises(ValidationError) as caught:
        _make(db, admin, username=username)
    assert "user name" in caught.value.problems["username"].lower()
    assert count_rows(db, Staff)["Staff"] == 1


@pytest.mark.parametrize("username", ["admin", "ADMIN", " Admin "])
def test_user_name_must_be_unique_ignoring_case(db, admin, username):
    with pytest.raises(ValidationError) as caught:
        _make(db, admin, username=username)
    assert "taken" in caught.value.problems["username"]
    assert count_rows(db, Staff)["Staff"] == 1


def test_user_name_is_trimmed_and_kept_as_typed(db, admin):
    view = _make(db, admin, username="  Karen.K-2_x ")
    assert view.username == "Karen.K-2_x"
    assert auth.login(db, "karen.k-2_x", PASSWORD).staff_id == view.id


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"roles": []}, "roles"),
    ({"roles": ["janitor"]}, "roles"),
    ({"full_name": "  "}, "full_name"),
    ({"password": "1234567"}, "password"),
])
def test_create_staff_is_validated(db, admin, kwargs, field):
    values = {"username": "karen", "full_name": "Karen Kontakt", "password": PASSWORD,
              "roles": ["contact_person"]}
    values.update(kwargs)
    with pytest.raises(ValidationError) as caught:
        staff.create_staff(db, admin, **values)
    assert field in caught.value.problems
    assert count_rows(db, Staff)["Staff"] == 1


def test_roles_are_deduplicated_and_listed(db, admin):
    view = _make(db, admin, roles=("reception", "contact_person", "reception"))
    assert view.roles == ("contact_person", "reception")
    contacts = staff.list_staff(db, admin, role="contact_person")
    assert [v.username for v in contacts] == ["karen"]


def test_the_last_active_administrator_cannot_be_removed(db, admin):
    with pytest.raises(ValidationError) as caught:
        staff.update_staff(db, admin, admin.staff_id, active=False)
    assert "administrator" in caught.value.problems["roles"]
    with pytest.raises(ValidationError):
        staff.update_staff(db, admin, admin.staff_id, roles=["centre_leader"])
    row_ = _staff_row(db, "admin")
    assert row_.active and row_.roles == ["administrator"]

    second = _make(db, admin, username="bo", roles=("administrator",))
    staff.update_staff(db, admin, admin.staff_id, active=False)
    assert not _staff_row(db, "admin").active
    bo = auth.login(db, "bo", PASSWORD)
    with pytest.raises(ValidationError):
        staff.update_staff(db, bo, second.id, roles=["reception"])


def test_an_inactive_administrator_does_not_count(db, admin):
    other = _make(db, admin, username="bo", roles=("administrator",))
    staff.update_staff(db, admin, other.id, active=False)
    with pytest.raises(ValidationError):
        staff.update_staff(db, admin, admin.staff_id, roles=["centre_leader"])


def test_password_hash_is_redacted_in_the_audit_trail(db, admin):
    view = _make(db, admin)
    created = audit_entries(db, action="create", entity="staff", entity_id=view.id)
    assert created[0].changes["password_hash"] == [None, "***"]
    assert created[0].changes["username"] == [None, "karen"]

    karen = auth.login(db, "karen", PASSWORD)
    auth.change_password(db, karen, PASSWORD, "another-pass-1")
    staff.reset_password(db, admin, view.id, "reset-pass-12")
    updates = [e for e in audit_entries(db, action="update", entity="staff", entity_id=view.id)
               if "password_hash" in e.changes]
    assert len(updates) == 2
    assert all(e.changes["password_hash"] == ["***", "***"] for e in updates)
    assert updates[0].staff_id == karen.staff_id and updates[1].staff_id == admin.staff_id

    with db.read() as session:
        everything = json.dumps([e.changes for e in session.scalars(select(AuditEntry))])
    assert "$argon2" not in everything
    assert PASSWORD not in everything and "another-pass-1" not in everything
    assert auth.login(db, "karen", "reset-pass-12").staff_id == view.id


def test_user_sets_own_language(db, admin):
    staff.set_language(db, admin, "da")
    assert row(db, Staff, admin.staff_id).language == "da"


def test_a_login_is_one_audit_entry_not_also_a_change_of_the_user(db, admin):
    from app.services import audit

    auth.login(db, "admin", PASSWORD)
    _total, rows = audit.browse(db, admin, audit.AuditFilter(entity="staff",
                                                             entity_id=admin.staff_id))
    assert [row.action for row in rows if row.action in ("login", "update")] == ["login", "login"]
