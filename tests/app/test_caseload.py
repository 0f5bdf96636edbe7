"""Caseload: "My residents" for a contact person, the leader's balance across staff, and the
history of who was whose contact person."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.errors import PermissionDenied
from app.services import caseload, incidents, missing, staff
from app.services import observations as obs
from app.services.incidents import IncidentInput
from app.services.residents import assign_contact_persons, move_out
from tests.app._core_support import cheap_hashing  # noqa: F401
from tests.app._notes_support import ARRIVAL, NOW, TODAY, Kids, make_kids, write

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def kids(db, people, beds) -> Kids:
    return make_kids(db, people, beds)


def test_my_residents_shows_each_of_my_residents_with_what_needs_attention(db, people, kids):
    write(db, people.night, kids.ahmad, "Sov uroligt.", now=NOW - timedelta(hours=10))
    write(db, people.contact2, kids.ahmad, "Glad for skolen.", now=NOW)
    write(db, people.night, kids.ahmad, "Bekymret for sin familie.", concern=True, now=NOW)
    missing.report_missing(db, people.night, kids.leila.id, missing_since=NOW, now=NOW)
    incidents.log_incident(db, people.night, IncidentInput(
        happened_at=NOW - timedelta(hours=3), noticed_at=NOW - timedelta(hours=3),
        place="Fællesrummet", kinds=("violence",), description="Slagsmål om fjernbetjeningen.",
        residents=((kids.ahmad.id, "causing"), (kids.omar.id, "affected"))), now=NOW)

    mine = caseload.my_residents(db, people.contact, TODAY)

    assert [(r.name, r.role) for r in mine] == [("Ahmad Karimi", "primary"),
                                                ("Leila Haddad", "secondary")]
    ahmad, leila = mine
    assert ahmad.room == "101" and ahmad.person_id == "12345-6"
    assert ahmad.name_in_own_script == "احمد کریمی"
    assert ahmad.since == ARRIVAL and ahmad.other_contact == "Kurt Kontakt"
    assert ahmad.last_observation_at == NOW
    assert ahmad.open_incidents == 1 and not ahmad.missing
    assert ahmad.concerns_waiting == 1
    # Development plans come later: no plan yet, nothing to review.
    assert ahmad.plan_status is None and ahmad.next_review_on is None
    assert leila.missing and leila.open_incidents == 0
    assert leila.last_observation_at is None and leila.other_contact is None
    assert leila.room == "102"


def test_done_reports_and_acknowledged_concerns_no_longer_count(db, people, kids):
    note = write(db, people.night, kids.ahmad, "Bekymring.", concern=True)
    obs.acknowledge_concern(db, people.contact, note.id)
    logged = incidents.log_incident(db, people.night, IncidentInput(
        happened_at=NOW - timedelta(hours=3), noticed_at=NOW - timedelta(hours=3),
        place="Køkkenet", kinds=("serious_conflict",), description="Råben og skubben.",
        residents=((kids.ahmad.id, "causing"),)), now=NOW)
    for line in logged.reports:
        incidents.mark_report_done(db, people.night, logged.id, line.code, now=NOW)

    (ahmad, _leila) = caseload.my_residents(db, people.contact)
    assert ahmad.open_incidents == 0 and ahmad.concerns_waiting == 0


def test_a_changed_contact_person_moves_the_resident_and_the_history_is_kept(db, people, kids):
    assign_contact_persons(db, people.coordinator, kids.ahmad.id, people.contact2.staff_id,
                           people.contact.staff_id, on=TODAY, today=TODAY)
    assert {(r.name, r.role) for r in caseload.my_residents(db, people.contact)} == {
        ("Ahmad Karimi", "secondary"), ("Leila Haddad", "secondary")}
    assert [(r.name, r.role) for r in caseload.my_residents(db, people.contact2)] == [
        ("Ahmad Karimi", "primary"), ("Omar Al-Hashimi", "primary")]

    history = caseload.contact_history(db, people.night, kids.ahmad.id)
    assert [(p.kind, p.staff_name, p.started_on, p.ended_on) for p in history] == [
        ("primary", "Karen Kontakt", ARRIVAL, TODAY),
        ("secondary", "Kurt Kontakt", ARRIVAL, TODAY),
        ("primary", "Kurt Kontakt", TODAY, None),
        ("secondary", "Karen Kontakt", TODAY, None)]


def test_former_residents_leave_my_list(db, people, kids):
    move_out(db, people.coordinator, kids.leila.id, on=TODAY, reason="moved_centre",
             today=TODAY)
    assert [r.name for r in caseload.my_residents(db, people.contact)] == ["Ahmad Karimi"]
    # The list as it was the day before she moved out.
    assert [r.name for r in caseload.my_residents(db, people.contact, TODAY - timedelta(1))
            ] == ["Ahmad Karimi", "Leila Haddad"]


def test_staff_without_residents_have_an_empty_list(db, people, kids):
    assert caseload.my_residents(db, people.night) == []
    assert caseload.my_residents(db, people.admin) == []


def test_the_leader_and_the_coordinator_see_anyones_list_others_do_not(db, people, kids):
    for boss in (people.leader, people.coordinator):
        assert [r.name for r in caseload.my_residents(
            db, boss, staff_id=people.contact2.staff_id)] == ["Omar Al-Hashimi", "Ahmad Karimi"]
    with pytest.raises(PermissionDenied):
        caseload.my_residents(db, people.contact, staff_id=people.contact2.staff_id)


def test_caseload_balance_counts_primary_and_secondary_per_contact_person(db, people, kids,
                                                                         admin):
    staff.create_staff(db, admin, username="kim", full_name="Kim Ny", password="password-123",
                       roles=["contact_person"])
    balance = caseload.caseload_balance(db, people.leader)

    assert [(r.name, r.primary, r.secondary, r.total, r.available) for r in balance.rows] == [
        ("Karen Kontakt", 1, 1, 2, True), ("Kim Ny", 0, 0, 0, True),
        ("Kurt Kontakt", 1, 1, 2, True)]
    assert not any(r.above_typical for r in balance.rows)
    assert (balance.residents, balance.without_primary, balance.without_secondary) == (3, 1, 1)
    assert caseload.caseload_balance(db, people.coordinator) == balance


def test_a_contact_person_who_left_still_shows_with_residents_to_hand_over(db, people, kids,
                                                                          admin):
    staff.update_staff(db, admin, people.contact2.staff_id, active=False)
    rows = {r.name: r for r in caseload.caseload_balance(db, people.leader).rows}
    assert rows["Kurt Kontakt"].available is False and rows["Kurt Kontakt"].total == 2


def test_only_the_leader_and_the_coordinator_see_the_balance(db, people):
    for actor in (people.contact, people.night, people.reception, people.admin):
        with pytest.raises(PermissionDenied) as caught:
            caseload.caseload_balance(db, actor)
        assert "how many residents each contact person has" in str(caught.value)


def test_my_residents_shows_the_plan_version_and_the_next_review(db, people, kids):
    from app.services import plans

    assert caseload.my_residents(db, people.contact, TODAY)[0].plan_status is None
    plan = plans.start_plan(db, people.contact, kids.ahmad.id)
    goal = plans.add_goal(db, people.contact, plan.id, area="schooling", title="Dansk i 8. klasse")
    plans.add_review(db, people.contact, goal.id, reviewed_on=TODAY, what_happened="Godt i gang",
                     next_review_on=TODAY + timedelta(days=30), today=TODAY)
    ahmad = caseload.my_residents(db, people.contact, TODAY)[0]
    assert (ahmad.plan_status, ahmad.plan_version) == ("draft", 1)
    assert ahmad.next_review_on == TODAY + timedelta(days=30)
