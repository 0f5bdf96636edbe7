"""Role rules, enforced by the services (the UI only mirrors them)."""

from __future__ import annotations

from datetime import date

import pytest

from app.errors import PermissionDenied
from app.models import AuditEntry, BedAssignment, ContactAssignment, Resident, Staff
from app.permissions import ROLE_PERMISSIONS, Permission, Role, can, permissions_of
from app.services import audit, auth, rooms, staff
from app.services.residents import (
    assign_contact_persons,
    change_bed,
    get_resident,
    move_out,
    register_arrival,
    update_resident,
)
from tests.app._core_support import cheap_hashing, count_rows  # noqa: F401
from tests.conftest import PASSWORD, resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")

TODAY = date(2026, 11, 20)
TABLES = (Resident, BedAssignment, ContactAssignment, AuditEntry, Staff)


@pytest.fixture
def ahmad(db, people, beds):
    return register_arrival(db, people.coordinator, resident_input(), beds[0].id, today=TODAY)


def _new_representative():
    return resident_input(representative_name="Peter Ny", representative_email="peter@example.dk")


def _user(db, admin, username, roles):
    staff.create_staff(db, admin, username=username, full_name=username.title(),
                       password=PASSWORD, roles=roles)
    return auth.login(db, username, PASSWORD)


# --- night staff ----------------------------------------------------------------------------

def test_night_staff_cannot_edit_the_representative(db, people, ahmad):
    before = count_rows(db, *TABLES)
    with pytest.raises(PermissionDenied) as caught:
        update_resident(db, people.night, ahmad.id, _new_representative(), today=TODAY)
    assert "personal representative" in str(caught.value)
    assert count_rows(db, *TABLES) == before
    assert get_resident(db, people.night, ahmad.id).data.representative_name == \
        "Rikke Repræsentant"


def test_night_staff_cannot_edit_other_details_either(db, people, ahmad):
    with pytest.raises(PermissionDenied):
        update_resident(db, people.night, ahmad.id, resident_input(nationality="Syria"),
                        today=TODAY)


def test_night_staff_cannot_register_arrivals(db, people, beds):
    with pytest.raises(PermissionDenied) as caught:
        register_arrival(db, people.night, resident_input(), beds[0].id, today=TODAY)
    assert "register a new resident" in str(caught.value)
    assert count_rows(db, Resident)["Resident"] == 0


def test_night_staff_cannot_change_rooms(db, people, beds, ahmad):
    with pytest.raises(PermissionDenied):
        change_bed(db, people.night, ahmad.id, beds[1].id, on=TODAY)
    assert get_resident(db, people.night, ahmad.id).bed_id == beds[0].id


def test_night_staff_can_see_the_register(db, people, ahmad):
    assert get_resident(db, people.night, ahmad.id).id == ahmad.id
    assert len(rooms.list_beds(db, people.night)) == 4


# --- reception ------------------------------------------------------------------------------

def test_reception_registers_arrivals_but_not_contact_persons(db, people, beds):
    detail = register_arrival(db, people.reception, resident_input(), beds[0].id, today=TODAY)
    assert detail.is_current
    with pytest.raises(PermissionDenied):
        register_arrival(db, people.reception, resident_input(person_id="2"), beds[1].id,
                         primary_contact_id=people.contact.staff_id, today=TODAY)
    assert count_rows(db, Resident)["Resident"] == 1


def test_reception_cannot_move_out(db, people, ahmad):
    with pytest.raises(PermissionDenied) as caught:
        move_out(db, people.reception, ahmad.id, on=TODAY, reason="departed")
    assert "move a resident out" in str(caught.value)
    assert get_resident(db, people.reception, ahmad.id).is_current


def test_reception_cannot_edit_the_representative_but_can_correct_other_details(
        db, people, ahmad):
    with pytest.raises(PermissionDenied):
        update_resident(db, people.reception, ahmad.id, _new_representative(), today=TODAY)
    detail = update_resident(db, people.reception, ahmad.id,
                             resident_input(nationality="Syria"), today=TODAY)
    assert detail.data.nationality == "Syria"
    # Both at once: refused as a whole.
    with pytest.raises(PermissionDenied):
        update_resident(db, people.reception, ahmad.id,
                        resident_input(nationality="Iraq", representative_phone="+45 1"),
                        today=TODAY)
    assert get_resident(db, people.reception, ahmad.id).data.nationality == "Syria"


def test_reception_can_change_rooms(db, people, beds, ahmad):
    assert change_bed(db, people.reception, ahmad.id, beds[1].id, on=TODAY).bed_id == beds[1].id


# --- contact persons ------------------------------------------------------------------------

def test_contact_person_can_edit_the_representative(db, people, ahmad):
    detail = update_resident(db, people.contact, ahmad.id, _new_representative(), today=TODAY)
    assert detail.data.representative_name == "Peter Ny"
    assert detail.data.representative_email == "peter@example.dk"


def test_contact_person_cannot_register_arrivals_or_assign_contacts(db, people, beds, ahmad):
    with pytest.raises(PermissionDenied):
        register_arrival(db, people.contact, resident_input(person_id="2"), beds[1].id,
                         today=TODAY)
    with pytest.raises(PermissionDenied):
        assign_contact_persons(db, people.contact, ahmad.id, people.contact.staff_id, None,
                               on=TODAY)


# --- staff and audit ------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "allowed"), [
    ("admin", True), ("leader", True), ("coordinator", False), ("reception", False),
    ("night", False), ("contact", False)])
def test_only_staff_managers_can_create_staff(db, people, who, allowed):
    actor = getattr(people, who)
    before = count_rows(db, Staff)["Staff"]
    if allowed:
        view = staff.create_staff(db, actor, username="newbie", full_name="New Bie",
                                  password=PASSWORD, roles=["reception"])
        assert view.username == "newbie"
        assert count_rows(db, Staff)["Staff"] == before + 1
    else:
        with pytest.raises(PermissionDenied):
            staff.create_staff(db, actor, username="newbie", full_name="New Bie",
                               password=PASSWORD, roles=["administrator"])
        assert count_rows(db, Staff)["Staff"] == before


@pytest.mark.parametrize("who", ["coordinator", "reception", "night", "contact"])
def test_others_cannot_change_staff(db, people, who):
    with pytest.raises(PermissionDenied):
        staff.update_staff(db, getattr(people, who), getattr(people, who).staff_id,
                           roles=["administrator"])
    with pytest.raises(PermissionDenied):
        staff.reset_password(db, getattr(people, who), people.admin.staff_id, "hijacked-123")


@pytest.mark.parametrize(("who", "allowed"), [
    ("admin", True), ("leader", True), ("coordinator", False), ("reception", False),
    ("night", False), ("contact", False)])
def test_audit_browsing_only_for_administrator_and_centre_leader(db, people, who, allowed):
    actor = getattr(people, who)
    if allowed:
        total, rows = audit.browse(db, actor)
        assert total > 0 and len(rows) == min(total, 200)
        assert {"login", "create"} <= {r.action for r in rows}
    else:
        with pytest.raises(PermissionDenied):
            audit.browse(db, actor)


# --- several roles --------------------------------------------------------------------------

def test_two_roles_grant_the_union(db, people, beds, ahmad):
    night_contact = _user(db, people.admin, "nightcontact", ["night_staff", "contact_person"])
    # from contact_person
    update_resident(db, night_contact, ahmad.id, _new_representative(), today=TODAY)
    # neither role registers arrivals
    with pytest.raises(PermissionDenied):
        register_arrival(db, night_contact, resident_input(person_id="2"), beds[1].id,
                         today=TODAY)

    desk = _user(db, people.admin, "desk", ["reception", "contact_person"])
    # from reception
    register_arrival(db, desk, resident_input(person_id="3"), beds[2].id, today=TODAY)
    # from contact_person
    detail = update_resident(db, desk, ahmad.id,
                             resident_input(representative_name="Third Rep"), today=TODAY)
    assert detail.data.representative_name == "Third Rep"
    # from neither
    with pytest.raises(PermissionDenied):
        move_out(db, desk, ahmad.id, on=TODAY, reason="departed")


def test_permissions_of_is_the_union_of_the_roles():
    for first in Role:
        for second in Role:
            assert permissions_of([first.value, second.value]) == (
                ROLE_PERMISSIONS[first] | ROLE_PERMISSIONS[second])
    assert permissions_of(["no_such_role"]) == frozenset()
    assert permissions_of(["no_such_role", "night_staff"]) == ROLE_PERMISSIONS[Role.NIGHT_STAFF]


def test_role_table_matches_the_rules(people):
    assert not can(people.night, Permission.EDIT_REPRESENTATIVE)
    assert not can(people.night, Permission.CHANGE_ROOM)
    assert can(people.reception, Permission.REGISTER_ARRIVAL)
    assert not can(people.reception, Permission.MOVE_OUT)
    assert can(people.contact, Permission.EDIT_REPRESENTATIVE)
    managers = {role for role, perms in ROLE_PERMISSIONS.items() if Permission.MANAGE_STAFF in perms}
    auditors = {role for role, perms in ROLE_PERMISSIONS.items() if Permission.VIEW_AUDIT in perms}
    assert managers == auditors == {Role.ADMINISTRATOR, Role.CENTRE_LEADER}
