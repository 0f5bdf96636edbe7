"""The resident register service: arrival, validation, room changes, contact persons, move-out."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.errors import DomainError, ValidationError
from app.formatting import local_today
from app.models import AuditEntry, BedAssignment, ContactAssignment, Resident
from app.services import rooms, staff
from app.services.residents import (
    assign_contact_persons,
    change_bed,
    get_resident,
    move_out,
    register_arrival,
    update_resident,
)
from tests.app._core_support import audit_entries, cheap_hashing, count_rows, row  # noqa: F401
from tests.conftest import resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")

ARRIVAL = date(2026, 11, 1)  # resident_input()'s arrival date
TODAY = date(2026, 11, 20)
ALL_TABLES = (Resident, BedAssignment, ContactAssignment, AuditEntry)


def _bed(beds, room: str, label: str):
    return next(b for b in beds if b.room_name == room and b.label == label)


def _arrive(db, actor, beds, room="101", label="A", **overrides):
    return register_arrival(db, actor, resident_input(**overrides), _bed(beds, room, label).id,
                            today=TODAY)


# --- arrival ------------------------------------------------------------------------------

def test_register_arrival_saves_resident_bed_contacts_history_and_audit(db, people, beds):
    bed = _bed(beds, "101", "B")
    detail = register_arrival(db, people.coordinator, resident_input(), bed.id,
                              primary_contact_id=people.contact.staff_id,
                              secondary_contact_id=people.contact2.staff_id, today=TODAY)

    assert (detail.room_name, detail.bed_label, detail.bed_id) == ("101", "B", bed.id)
    assert detail.status == "in_residence" and detail.is_current
    assert detail.data == resident_input().cleaned()
    assert (detail.primary_contact_id, detail.primary_contact_name) == (
        people.contact.staff_id, "Karen Kontakt")
    assert (detail.secondary_contact_id, detail.secondary_contact_name) == (
        people.contact2.staff_id, "Kurt Kontakt")
    assert [(e.on, e.text) for e in detail.history] == [
        (ARRIVAL, "Arrived at the centre"),
        (ARRIVAL, "Moved in: room 101, bed B"),
        (ARRIVAL, "Karen Kontakt became primary contact person"),
        (ARRIVAL, "Kurt Kontakt became secondary contact person"),
    ]
    # Read back from the database, not only the returned view.
    assert get_resident(db, people.night, detail.id) == detail
    occupied = {b.display: b.occupant_name for b in rooms.list_beds(db, people.night)}
    assert occupied["101 / B"] == "Ahmad Karimi"
    assert occupied["101 / A"] is None

    created = audit_entries(db, action="create", entity="resident", entity_id=detail.id)
    assert len(created) == 1
    entry = created[0]
    assert entry.staff_id == people.coordinator.staff_id
    assert entry.changes["person_id"] == [None, "12345-6"]
    assert entry.changes["family_name"] == [None, "Karimi"]
    assert entry.changes["date_of_birth"] == [None, "2010-05-01"]
    assert entry.changes["languages"] == [None, ["Dari"]]
    assert entry.changes["representative_email"] == [None, "rikke@example.dk"]
    assert "moved_out_on" not in entry.changes  # only fields with a value
    bed_created = audit_entries(db, action="create", entity="bed_assignment")
    assert [e.changes["bed_id"][1] for e in bed_created] == [str(bed.id)]
    contacts_created = audit_entries(db, action="create", entity="contact_assignment")
    assert sorted((e.changes["kind"][1], e.changes["staff_id"][1]) for e in contacts_created) == \
        sorted([("primary", str(people.contact.staff_id)),
                ("secondary", str(people.contact2.staff_id))])
    assert {e.staff_id for e in contacts_created} == {people.coordinator.staff_id}


def test_register_arrival_keeps_person_id_as_typed_but_trims_it(db, people, beds):
    detail = _arrive(db, people.coordinator, beds, person_id="  AB-0012/3 ")
    assert row(db, Resident, detail.id).person_id == "AB-0012/3"


# --- validation -----------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"given_names": "   "}, "given_names", ["given name"]),
    ({"family_name": ""}, "family_name", ["family name"]),
    ({"person_id": " "}, "person_id", ["person ID"]),
    ({"arrival_date": TODAY + timedelta(days=1)}, "arrival_date", ["arrival date", "21 Nov 2026",
                                                                   "future"]),
    ({"date_of_birth": TODAY + timedelta(days=1)}, "date_of_birth", ["birth", "21 Nov 2026",
                                                                     "future"]),
    ({"date_of_birth": ARRIVAL + timedelta(days=3)}, "date_of_birth", ["birth", "after the arrival"]),
    ({"date_of_birth": date(2008, 11, 1)}, "date_of_birth", ["18", "minors"]),
    ({"date_of_birth": date(1990, 1, 1)}, "date_of_birth", ["36", "minors"]),
    ({"representative_email": "rikke-at-example.dk"}, "representative_email",
     ["e-mail", "rikke-at-example.dk"]),
    ({"representative_email": "rikke@example"}, "representative_email", ["rikke@example"]),
    ({"sex": "unknown"}, "sex", ["sex"]),
    ({"phase": 4}, "phase", ["phase"]),
    ({"nationality": " "}, "nationality", ["nationality"]),
])
def test_register_arrival_rejects_invalid_input_naming_the_problem(db, people, beds, overrides,
                                                                   field, words):
    with pytest.raises(ValidationError) as caught:
        _arrive(db, people.coordinator, beds, **overrides)
    assert set(caught.value.problems) == {field}
    message = caught.value.problems[field]
    for word in words:
        assert word in message
    assert message in str(caught.value)
    assert count_rows(db, Resident)["Resident"] == 0


def test_all_problems_are_reported_at_once(db, people, beds):
    with pytest.raises(ValidationError) as caught:
        _arrive(db, people.coordinator, beds, given_names="", family_name="",
                representative_email="not an address")
    assert set(caught.value.problems) == {"given_names", "family_name", "representative_email"}


def test_arrival_on_the_18th_birthday_is_refused_and_the_day_before_allowed(db, people, beds):
    with pytest.raises(ValidationError) as caught:
        _arrive(db, people.coordinator, beds, date_of_birth=date(2008, 11, 1))
    assert "was 18 on the arrival date" in caught.value.problems["date_of_birth"]

    detail = _arrive(db, people.coordinator, beds, date_of_birth=date(2008, 11, 2))
    assert detail.age_on(ARRIVAL) == 17


def test_leap_day_birth_turns_18_on_1_march(db, people, beds):
    born = date(2008, 2, 29)
    with pytest.raises(ValidationError):
        _arrive(db, people.coordinator, beds, date_of_birth=born, arrival_date=date(2026, 3, 1))
    detail = _arrive(db, people.coordinator, beds, date_of_birth=born,
                     arrival_date=date(2026, 2, 28))
    assert detail.age_on(date(2026, 2, 28)) == 17


def test_duplicate_person_id_among_current_residents_is_refused(db, people, beds):
    _arrive(db, people.coordinator, beds, room="101", label="A")
    with pytest.raises(ValidationError) as caught:
        _arrive(db, people.coordinator, beds, room="101", label="B", person_id=" 12345-6 ",
                given_names="Other", family_name="Boy")
    message = caught.value.problems["person_id"]
    assert "12345-6" in message and "Ahmad Karimi" in message
    assert count_rows(db, Resident)["Resident"] == 1


def test_former_residents_person_id_may_be_reused(db, people, beds):
    first = _arrive(db, people.coordinator, beds, room="101", label="A")
    move_out(db, people.coordinator, first.id, on=date(2026, 11, 5), reason="moved_centre")

    again = register_arrival(db, people.coordinator,
                             resident_input(arrival_date=date(2026, 11, 10)),
                             _bed(beds, "101", "A").id, today=TODAY)
    assert again.id != first.id
    assert again.data.person_id == first.data.person_id == "12345-6"
    assert get_resident(db, people.coordinator, first.id).moved_out_on == date(2026, 11, 5)


def test_occupied_bed_is_refused_naming_the_occupant(db, people, beds):
    _arrive(db, people.coordinator, beds, room="102", label="B")
    with pytest.raises(ValidationError) as caught:
        _arrive(db, people.coordinator, beds, room="102", label="B", person_id="999",
                given_names="Yonas", family_name="Tesfay")
    message = caught.value.problems["bed"]
    assert "Ahmad Karimi" in message
    assert "102" in message and "B" in message


def test_failed_registration_changes_nothing_already_saved(db, people, beds):
    first = register_arrival(db, people.coordinator, resident_input(), _bed(beds, "101", "A").id,
                             primary_contact_id=people.contact.staff_id, today=TODAY)
    before = count_rows(db, *ALL_TABLES)
    first_before = get_resident(db, people.coordinator, first.id)
    version_before = row(db, Resident, first.id).row_version

    karen, night = people.contact.staff_id, people.night.staff_id
    attempts = [  # (input, bed, primary, secondary)
        # invalid input
        (resident_input(person_id="2", given_names=""), "101/B", None, None),
        # duplicate person ID
        (resident_input(), "101/B", None, None),
        # occupied bed
        (resident_input(person_id="2"), "101/A", None, None),
        # fails only after the resident and the bed were flushed: contact without the role
        (resident_input(person_id="2"), "101/B", night, None),
        # ... or the same person twice
        (resident_input(person_id="2"), "101/B", karen, karen),
    ]
    for data, bed, primary, secondary in attempts:
        room, label = bed.split("/")
        with pytest.raises(ValidationError):
            register_arrival(db, people.coordinator, data, _bed(beds, room, label).id,
                             primary_contact_id=primary, secondary_contact_id=secondary,
                             today=TODAY)
        assert count_rows(db, *ALL_TABLES) == before

    assert get_resident(db, people.coordinator, first.id) == first_before
    assert row(db, Resident, first.id).row_version == version_before
    free = {b.display for b in rooms.list_beds(db, people.coordinator, free_only=True)}
    assert free == {"101 / B", "102 / A", "102 / B"}


# --- room changes ---------------------------------------------------------------------------

def test_change_bed_keeps_history_and_frees_the_old_bed(db, people, beds):
    resident = _arrive(db, people.reception, beds, room="101", label="A")
    moved_on = date(2026, 11, 6)
    detail = change_bed(db, people.reception, resident.id, _bed(beds, "102", "B").id, on=moved_on)

    assert (detail.room_name, detail.bed_label) == ("102", "B")
    assert (moved_on, "Moved to room 102, bed B") in [(e.on, e.text) for e in detail.history]
    assert (ARRIVAL, "Moved in: room 101, bed A") in [(e.on, e.text) for e in detail.history]
    with db.read() as session:
        assignments = session.query(BedAssignment).order_by(BedAssignment.started_on).all()
    assert [(a.bed_id, a.started_on, a.ended_on, a.end_reason) for a in assignments] == [
        (_bed(beds, "101", "A").id, ARRIVAL, moved_on, "room_change"),
        (_bed(beds, "102", "B").id, moved_on, None, None),
    ]
    occupants = {b.display: b.occupant_id for b in rooms.list_beds(db, people.reception)}
    assert occupants["101 / A"] is None
    assert occupants["102 / B"] == resident.id
    # The freed bed can be given to somebody else.
    other = _arrive(db, people.reception, beds, room="101", label="A", person_id="777")
    assert other.bed_label == "A"


def test_change_bed_refuses_an_occupied_bed(db, people, beds):
    ahmad = _arrive(db, people.reception, beds, room="101", label="A")
    _arrive(db, people.reception, beds, room="102", label="A", person_id="888",
            given_names="Yonas", family_name="Tesfay")
    before = count_rows(db, *ALL_TABLES)
    with pytest.raises(ValidationError) as caught:
        change_bed(db, people.reception, ahmad.id, _bed(beds, "102", "A").id, on=TODAY)
    assert "Yonas Tesfay" in caught.value.problems["bed"]
    assert count_rows(db, *ALL_TABLES) == before
    assert get_resident(db, people.reception, ahmad.id).bed_label == "A"
    assert get_resident(db, people.reception, ahmad.id).room_name == "101"


def test_change_bed_refuses_the_same_bed(db, people, beds):
    ahmad = _arrive(db, people.reception, beds, room="101", label="A")
    with pytest.raises(ValidationError) as caught:
        change_bed(db, people.reception, ahmad.id, _bed(beds, "101", "A").id, on=TODAY)
    assert "already sleeps" in caught.value.problems["bed"]


def test_change_bed_cannot_be_dated_in_the_future_or_before_the_current_bed(db, people, beds):
    ahmad = _arrive(db, people.reception, beds, room="101", label="A")
    target = _bed(beds, "101", "B").id
    with pytest.raises(ValidationError) as caught:
        change_bed(db, people.reception, ahmad.id, target, on=local_today() + timedelta(days=1))
    assert "future" in caught.value.problems["on"]
    with pytest.raises(ValidationError) as caught:
        change_bed(db, people.reception, ahmad.id, target, on=ARRIVAL - timedelta(days=1))
    assert "before" in caught.value.problems["on"]
    change_bed(db, people.reception, ahmad.id, target, on=date(2026, 11, 10))
    with pytest.raises(ValidationError):  # before the current bed's start
        change_bed(db, people.reception, ahmad.id, _bed(beds, "102", "A").id,
                   on=date(2026, 11, 9))
    assert count_rows(db, BedAssignment)["BedAssignment"] == 2


def test_change_bed_of_a_former_resident_is_refused(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    move_out(db, people.coordinator, ahmad.id, on=date(2026, 11, 5), reason="departed")
    with pytest.raises(DomainError, match="moved out"):
        change_bed(db, people.coordinator, ahmad.id, _bed(beds, "102", "A").id, on=TODAY)


# --- move-out -------------------------------------------------------------------------------

@pytest.mark.parametrize("reason", ["", "holiday", "in_residence", "missing"])
def test_move_out_reason_is_validated(db, people, beds, reason):
    ahmad = _arrive(db, people.coordinator, beds)
    with pytest.raises(ValidationError) as caught:
        move_out(db, people.coordinator, ahmad.id, on=TODAY, reason=reason)
    assert "moves out" in caught.value.problems["reason"]
    assert get_resident(db, people.coordinator, ahmad.id).is_current


@pytest.mark.parametrize("reason", ["moved_centre", "integration_municipality", "departed",
                                    "private_accommodation"])
def test_move_out_closes_bed_and_contacts_and_sets_status(db, people, beds, reason):
    ahmad = register_arrival(db, people.coordinator, resident_input(), _bed(beds, "101", "A").id,
                             primary_contact_id=people.contact.staff_id,
                             secondary_contact_id=people.contact2.staff_id, today=TODAY)
    left = date(2026, 11, 15)
    detail = move_out(db, people.coordinator, ahmad.id, on=left, reason=reason,
                      note="  Went to Tønder  ")

    assert detail.status == reason and detail.move_out_reason == reason
    assert detail.moved_out_on == left and not detail.is_current
    assert detail.move_out_note == "Went to Tønder"
    assert detail.bed_id is None and detail.room_name is None
    assert detail.primary_contact_id is None and detail.secondary_contact_id is None
    assert detail.history[-1].on == left
    assert detail.history[-1].text.startswith("Moved out: ")
    with db.read() as session:
        assert [(a.ended_on, a.end_reason) for a in session.query(BedAssignment)] == [
            (left, "move_out")]
        assert sorted(c.ended_on for c in session.query(ContactAssignment)) == [left, left]
    assert _bed(beds, "101", "A").id in {
        b.id for b in rooms.list_beds(db, people.coordinator, free_only=True)}
    # the history still has the stay
    texts = [e.text for e in detail.history]
    assert "Moved in: room 101, bed A" in texts
    assert "Karen Kontakt became primary contact person" in texts


def test_move_out_reason_is_shown_translated_in_history(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    detail = move_out(db, people.coordinator, ahmad.id, on=TODAY, reason="departed")
    assert detail.history[-1].text == "Moved out: Departed the country"


def test_cannot_move_out_twice(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    move_out(db, people.coordinator, ahmad.id, on=date(2026, 11, 5), reason="departed")
    before = count_rows(db, *ALL_TABLES)
    with pytest.raises(DomainError) as caught:
        move_out(db, people.coordinator, ahmad.id, on=TODAY, reason="moved_centre")
    assert "Ahmad Karimi" in str(caught.value) and "5 Nov 2026" in str(caught.value)
    assert count_rows(db, *ALL_TABLES) == before
    assert get_resident(db, people.coordinator, ahmad.id).status == "departed"


def test_move_out_date_must_be_between_arrival_and_today(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    with pytest.raises(ValidationError) as caught:
        move_out(db, people.coordinator, ahmad.id, on=ARRIVAL - timedelta(days=1),
                 reason="departed")
    assert "before the arrival" in caught.value.problems["on"]
    with pytest.raises(ValidationError) as caught:
        move_out(db, people.coordinator, ahmad.id, on=local_today() + timedelta(days=1),
                 reason="departed")
    assert "future" in caught.value.problems["on"]
    assert get_resident(db, people.coordinator, ahmad.id).is_current


# --- contact persons ------------------------------------------------------------------------

def test_contact_persons_must_be_two_different_people(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    with pytest.raises(ValidationError) as caught:
        assign_contact_persons(db, people.coordinator, ahmad.id, people.contact.staff_id,
                               people.contact.staff_id, on=TODAY)
    assert "different" in caught.value.problems["secondary_contact"]
    assert count_rows(db, ContactAssignment)["ContactAssignment"] == 0


def test_contact_person_must_hold_the_contact_person_role(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    with pytest.raises(ValidationError) as caught:
        assign_contact_persons(db, people.coordinator, ahmad.id, people.night.staff_id, None,
                               on=TODAY)
    assert "Nina Nattevagt" in caught.value.problems["primary_contact"]
    with pytest.raises(ValidationError) as caught:
        assign_contact_persons(db, people.coordinator, ahmad.id, people.contact.staff_id,
                               people.reception.staff_id, on=TODAY)
    assert "Rasmus Reception" in caught.value.problems["secondary_contact"]
    assert count_rows(db, ContactAssignment)["ContactAssignment"] == 0


def test_inactive_contact_person_is_refused(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    staff.update_staff(db, people.admin, people.contact.staff_id, active=False)
    with pytest.raises(ValidationError) as caught:
        assign_contact_persons(db, people.coordinator, ahmad.id, people.contact.staff_id, None,
                               on=TODAY)
    assert "not an active user" in caught.value.problems["primary_contact"]


def test_contact_person_history_is_kept_in_assignments(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    karen, kurt = people.contact.staff_id, people.contact2.staff_id
    assign_contact_persons(db, people.coordinator, ahmad.id, karen, None, on=date(2026, 11, 2))
    detail = assign_contact_persons(db, people.coordinator, ahmad.id, kurt, karen,
                                    on=date(2026, 11, 10))
    assert (detail.primary_contact_id, detail.secondary_contact_id) == (kurt, karen)

    with db.read() as session:
        rows = session.query(ContactAssignment).order_by(ContactAssignment.started_on,
                                                         ContactAssignment.kind).all()
    assert [(r.staff_id, r.kind, r.started_on, r.ended_on) for r in rows] == [
        (karen, "primary", date(2026, 11, 2), date(2026, 11, 10)),
        (kurt, "primary", date(2026, 11, 10), None),
        (karen, "secondary", date(2026, 11, 10), None),
    ]
    events = [(e.on, e.text) for e in detail.history]
    assert (date(2026, 11, 2), "Karen Kontakt became primary contact person") in events
    assert (date(2026, 11, 10), "Kurt Kontakt became primary contact person") in events
    assert (date(2026, 11, 10), "Karen Kontakt became secondary contact person") in events

    # Assigning the same people again changes nothing.
    again = assign_contact_persons(db, people.coordinator, ahmad.id, kurt, karen, on=TODAY)
    assert count_rows(db, ContactAssignment)["ContactAssignment"] == 3
    assert again.history == detail.history

    # Clearing the secondary ends that assignment.
    cleared = assign_contact_persons(db, people.coordinator, ahmad.id, kurt, None, on=TODAY)
    assert cleared.secondary_contact_id is None
    with db.read() as session:
        secondary = session.query(ContactAssignment).filter_by(kind="secondary").one()
    assert secondary.ended_on == TODAY


def test_contact_persons_only_for_current_residents(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    move_out(db, people.coordinator, ahmad.id, on=TODAY, reason="departed")
    with pytest.raises(DomainError, match="current residents"):
        assign_contact_persons(db, people.coordinator, ahmad.id, people.contact.staff_id, None,
                               on=TODAY)


# --- corrections ----------------------------------------------------------------------------

def test_update_resident_changes_only_changed_fields_and_audits_the_diff(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    before = row(db, Resident, ahmad.id)
    detail = update_resident(db, people.coordinator, ahmad.id,
                             resident_input(family_name="Karimi-Noori", phase=2,
                                            languages=("Dari", "Pashto")), today=TODAY)
    assert detail.data.family_name == "Karimi-Noori"
    assert detail.data.phase == 2 and detail.data.languages == ("Dari", "Pashto")

    updates = audit_entries(db, action="update", entity="resident", entity_id=ahmad.id)
    assert len(updates) == 1
    assert updates[0].staff_id == people.coordinator.staff_id
    assert updates[0].changes == {"family_name": ["Karimi", "Karimi-Noori"],
                                  "phase": [1, 2],
                                  "languages": [["Dari"], ["Dari", "Pashto"]]}
    after = row(db, Resident, ahmad.id)
    assert after.row_version == before.row_version + 1
    assert after.given_names == before.given_names
    assert after.date_of_birth == before.date_of_birth


def test_update_resident_without_changes_writes_nothing(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds)
    before = count_rows(db, AuditEntry)
    # Extra spaces are cleaned away, so this is the same data.
    update_resident(db, people.coordinator, ahmad.id,
                    resident_input(family_name="  Karimi ", representative_email=" rikke@example.dk"),
                    today=TODAY)
    assert count_rows(db, AuditEntry) == before
    assert row(db, Resident, ahmad.id).row_version == 1


def test_update_resident_is_validated(db, people, beds):
    ahmad = _arrive(db, people.coordinator, beds, room="101", label="A")
    _arrive(db, people.coordinator, beds, room="101", label="B", person_id="555",
            given_names="Yonas", family_name="Tesfay")
    with pytest.raises(ValidationError) as caught:
        update_resident(db, people.coordinator, ahmad.id, resident_input(person_id="555"),
                        today=TODAY)
    assert "Yonas Tesfay" in caught.value.problems["person_id"]
    with pytest.raises(ValidationError) as caught:
        update_resident(db, people.coordinator, ahmad.id,
                        resident_input(date_of_birth=date(2008, 10, 1)), today=TODAY)
    assert "date_of_birth" in caught.value.problems
    assert row(db, Resident, ahmad.id).person_id == "12345-6"
    assert row(db, Resident, ahmad.id).row_version == 1


def test_former_stay_can_be_corrected_after_the_resident_came_back(db, people, beds):
    """A returning resident's new stay shares the person ID with the old one (domain-rules §1);
    correcting the old, closed stay must not trip over the uniqueness among *current* residents."""
    old = _arrive(db, people.coordinator, beds, room="101", label="A")
    move_out(db, people.coordinator, old.id, on=date(2026, 11, 5), reason="moved_centre")
    register_arrival(db, people.coordinator, resident_input(arrival_date=date(2026, 11, 10)),
                     _bed(beds, "101", "B").id, today=TODAY)

    detail = update_resident(db, people.coordinator, old.id,
                             resident_input(special_needs=True, special_needs_note="Diabetes"),
                             today=TODAY)
    assert detail.data.special_needs_note == "Diabetes"
