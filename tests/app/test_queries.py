"""Read-only queries: the resident list (filter, sort, page) and what is due."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from app.db import open_database
from app.formatting import LOCAL_TZ
from app.i18n import set_language
from app.queries import residents as q
from app.queries.due import ADULT_BIRTHDAY_NOTICE, SEVERITIES, Duty, due_duties
from app.services import auth, centre, rooms, staff
from app.services.residents import assign_contact_persons, move_out, register_arrival, set_status
from tests.app._core_support import CHEAP_HASHER, cheap_hashing  # noqa: F401
from tests.conftest import PASSWORD, resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")

TODAY = date(2026, 11, 20)


def _bed_id(db, actor, display):
    return next(b.id for b in rooms.list_beds(db, actor) if b.display == display)


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    """The list of a small centre: four current residents and one former.

    Built once for the read-only list tests of this module.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "_hasher", CHEAP_HASHER)
        set_language("en")
        db = open_database(tmp_path_factory.mktemp("listed") / "centre.db")
        centre.initialise_centre(db, centre_name="Børnecenter Test", centre_code="TEST",
                                 admin_username="admin", admin_full_name="Ada Admin",
                                 admin_password=PASSWORD)
        admin = auth.login(db, "admin", PASSWORD)
        rooms.create_room(db, admin, "101", ["A", "B"])
        rooms.create_room(db, admin, "102", ["A", "B"])
        rooms.create_room(db, admin, "9", ["A"])

        def contact(username, name):
            return staff.create_staff(db, admin, username=username, full_name=name,
                                      password=PASSWORD, roles=["contact_person"]).id

        karen, kurt, anna = (contact("karen", "Karen Kontakt"), contact("kurt", "Kurt Kontakt"),
                             contact("anna", "Anna Andersen"))
        staff.create_staff(db, admin, username="coord", full_name="Sofie Koordinator",
                           password=PASSWORD, roles=["social_coordinator"])
        actor = auth.login(db, "coord", PASSWORD)

        def arrive(bed, primary=None, secondary=None, **overrides):
            return register_arrival(db, actor, resident_input(**overrides),
                                    _bed_id(db, actor, bed), primary_contact_id=primary,
                                    secondary_contact_id=secondary, today=TODAY).id

        ids = {
            "ahmad": arrive("101 / A", karen, kurt),
            "yonas": arrive("102 / B", kurt, None, person_id="AB_77", given_names="Yonas",
                            family_name="Tesfay", name_in_own_script="ዮናስ ተስፋይ",
                            nationality="Eritrea", date_of_birth=date(2009, 3, 3), phase=2,
                            arrival_date=date(2026, 10, 15)),
            "mohammad": arrive("9 / A", anna, karen, person_id="ABX77", given_names="Mohammad",
                               family_name="Özdemir", name_in_own_script="محمد اوزدمیر",
                               nationality="Syria", date_of_birth=date(2011, 7, 7), phase=3,
                               arrival_date=date(2026, 9, 20)),
            "bilal": arrive("101 / B", person_id="50%20", given_names="Bilal",
                            family_name="noori", name_in_own_script=None, nationality="Iraq",
                            date_of_birth=date(2012, 1, 15), phase=2,
                            arrival_date=date(2026, 11, 10)),
            "hamid": arrive("102 / A", person_id="7777", given_names="Hamid",
                            family_name="Rahimi", name_in_own_script="حمید رحیمی",
                            arrival_date=date(2026, 8, 1)),
        }
        set_status(db, actor, ids["bilal"], "missing")
        move_out(db, actor, ids["hamid"], on=date(2026, 10, 1), reason="moved_centre")
    yield {"db": db, "ids": ids, "karen": karen}
    db.close()


@pytest.fixture
def db_listed(listed):
    return listed["db"]


@pytest.fixture
def register(listed):
    return listed["ids"]


def _find(db, register, text="", include_former=False, **kwargs):
    ids = {v: k for k, v in register.items()}
    flt = q.ResidentFilter(text=text, include_former=include_former, **kwargs)
    with db.read() as session:
        rows = q.page(session, flt)
        total = q.count(session, flt)
    assert total == len(rows)
    return {ids[r.id] for r in rows}


# --- filtering ------------------------------------------------------------------------------

def test_current_residents_by_default_former_on_request(db_listed, register):
    assert _find(db_listed, register) == {"ahmad", "yonas", "mohammad", "bilal"}
    assert _find(db_listed, register, include_former=True) == set(register)
    assert _find(db_listed, register, "rahimi") == set()
    assert _find(db_listed, register, "rahimi", include_former=True) == {"hamid"}


@pytest.mark.parametrize("text", ["karimi", "KARIMI", "kArImI", "arim", "Ahmad", "hmad"])
def test_filter_by_part_of_a_name_ignoring_case(db_listed, register, text):
    assert _find(db_listed, register, text) == {"ahmad"}


@pytest.mark.parametrize("text", ["Özdemir", "özdemir", "ÖZDEMIR", "zdemir"])
def test_filter_by_a_name_with_non_ascii_letters_ignoring_case(db_listed, register, text):
    """Danish, Turkish, Kurdish … names: "Özdemir" typed exactly as saved must be found."""
    assert _find(db_listed, register, text) == {"mohammad"}


@pytest.mark.parametrize(("text", "expected"), [
    ("12345-6", {"ahmad"}), ("2345", {"ahmad"}), ("ab_77", {"yonas"}), ("ABX", {"mohammad"})])
def test_filter_by_person_id(db_listed, register, text, expected):
    assert _find(db_listed, register, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("کریمی", {"ahmad"}), ("محمد", {"mohammad"}), ("ዮናስ", {"yonas"})])
def test_filter_by_name_in_own_script(db_listed, register, text, expected):
    assert _find(db_listed, register, text) == expected


def test_filter_words_are_and_ed(db_listed, register):
    assert _find(db_listed, register, "ahmad karimi") == {"ahmad"}
    assert _find(db_listed, register, "  kar   afghan ") == {"ahmad"}
    assert _find(db_listed, register, "ahmad eritrea") == set()
    assert _find(db_listed, register, "ab") == {"yonas", "mohammad"}
    assert _find(db_listed, register, "ab 77 tesfay") == {"yonas"}


def test_filter_by_nationality_and_room(db_listed, register):
    assert _find(db_listed, register, "eritrea") == {"yonas"}
    assert _find(db_listed, register, "101") == {"ahmad", "bilal"}


def test_like_special_characters_are_literal(db_listed, register):
    assert _find(db_listed, register, "%") == {"bilal"}
    assert _find(db_listed, register, "0%2") == {"bilal"}
    assert _find(db_listed, register, "_") == {"yonas"}
    assert _find(db_listed, register, "b_7") == {"yonas"}  # not "ABX77"
    assert _find(db_listed, register, "\\") == set()


def test_blank_filter_finds_everybody(db_listed, register):
    assert _find(db_listed, register, "   ") == {"ahmad", "yonas", "mohammad", "bilal"}


def test_filter_by_contact_person(db_listed, register, listed):
    karen = listed["karen"]
    assert _find(db_listed, register, contact_person_id=karen) == {"ahmad", "mohammad"}
    assert _find(db_listed, register, "ahmad", contact_person_id=karen) == {"ahmad"}
    assert _find(db_listed, register, contact_person_id=uuid.uuid4()) == set()


def test_rows_carry_room_bed_and_primary_contact(db_listed, register):
    with db_listed.read() as session:
        rows = {r.id: r for r in q.page(session, q.ResidentFilter(include_former=True))}
    ahmad = rows[register["ahmad"]]
    assert (ahmad.room_name, ahmad.bed_label, ahmad.primary_contact) == ("101", "A",
                                                                         "Karen Kontakt")
    assert ahmad.display_name == "Ahmad Karimi"
    hamid = rows[register["hamid"]]
    assert (hamid.room_name, hamid.bed_label, hamid.primary_contact) == (None, None, None)
    assert hamid.moved_out_on == date(2026, 10, 1) and hamid.status == "moved_centre"
    assert rows[register["bilal"]].status == "missing"


# --- sorting and paging ---------------------------------------------------------------------

SORT_KEYS = {
    "name": lambda r: (r.family_name.lower(), r.given_names.lower()),
    "person_id": lambda r: r.person_id,
    "room": lambda r: (len(r.room_name), r.room_name, r.bed_label),
    "date_of_birth": lambda r: r.date_of_birth,
    "nationality": lambda r: r.nationality,
    "phase": lambda r: r.phase,
    "status": lambda r: r.status,
    "arrival_date": lambda r: r.arrival_date,
    "primary_contact": lambda r: r.primary_contact or "",  # no contact: first, as SQL's NULL
}


def test_every_sort_key_is_covered():
    assert set(SORT_KEYS) == set(q.SORT_KEYS)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", sorted(SORT_KEYS))
def test_sort_keys_in_both_directions(db_listed, register, sort, descending):
    with db_listed.read() as session:
        rows = q.page(session, q.ResidentFilter(), sort=sort, descending=descending)
    assert len(rows) == 4
    key = SORT_KEYS[sort]
    # ties are broken by id, ascending in both directions
    expected = sorted(sorted(rows, key=lambda r: r.id), key=key, reverse=descending)
    assert [r.id for r in rows] == [r.id for r in expected]
    keys = [key(r) for r in rows]
    assert len(set(keys)) >= (2 if sort == "status" else 3)  # the order says something


def test_room_sort_is_natural(db_listed, register):
    with db_listed.read() as session:
        rows = q.page(session, q.ResidentFilter(), sort="room")
    assert [(r.room_name, r.bed_label) for r in rows] == [("9", "A"), ("101", "A"),
                                                           ("101", "B"), ("102", "B")]


def test_unknown_sort_key_raises(db_listed, register):
    with db_listed.read() as session, pytest.raises(ValueError):
        q.page(session, q.ResidentFilter(), sort="shoe_size")


@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_paging(db_listed, register, limit):
    flt = q.ResidentFilter(include_former=True)
    with db_listed.read() as session:
        everything = q.page(session, flt, sort="name")
        total = q.count(session, flt)
        pages = [q.page(session, flt, sort="name", offset=offset, limit=limit)
                 for offset in range(0, total + limit, limit)]
    assert total == 5 == len(everything)
    assert all(len(p) <= limit for p in pages)
    assert pages[-1] == []
    assert [r.id for p in pages for r in p] == [r.id for r in everything]


# --- what is due ----------------------------------------------------------------------------

def _at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def _duties(db, at):
    """The resident duties; the attendance rounds' own duties are tested with the rounds."""
    with db.read() as session:
        return [d for d in due_duties(session, at) if not d.kind.startswith("round_")]


def _kinds(duties, resident_id):
    return {d.kind: d for d in duties if d.resident_id == resident_id}


def test_missing_contact_persons_and_representative_are_due(db, people, beds):
    ahmad = register_arrival(db, people.coordinator, resident_input(representative_name=None),
                             beds[0].id, today=TODAY)
    duties = _kinds(_duties(db, _at(TODAY)), ahmad.id)
    assert set(duties) == {"assign_primary_contact", "assign_secondary_contact",
                           "register_representative"}
    primary = duties["assign_primary_contact"]
    assert primary.severity == "overdue"
    assert primary.due_at == datetime(2026, 11, 1, tzinfo=LOCAL_TZ)
    assert primary.resident_name == "Ahmad Karimi"
    assert primary.title == "Assign a primary contact person to Ahmad Karimi"
    assert duties["register_representative"].title == \
        "Register the personal representative of Ahmad Karimi"

    assign_contact_persons(db, people.coordinator, ahmad.id, people.contact.staff_id, None,
                           on=TODAY)
    assert set(_kinds(_duties(db, _at(TODAY)), ahmad.id)) == {"assign_secondary_contact",
                                                              "register_representative"}
    assign_contact_persons(db, people.coordinator, ahmad.id, people.contact.staff_id,
                           people.contact2.staff_id, on=TODAY)
    assert set(_kinds(_duties(db, _at(TODAY)), ahmad.id)) == {"register_representative"}


def test_contact_duty_is_due_on_the_arrival_day_and_overdue_the_next(db, people, beds):
    ahmad = register_arrival(db, people.coordinator, resident_input(), beds[0].id, today=TODAY)
    arrival = date(2026, 11, 1)
    same_day = _kinds(_duties(db, _at(arrival, 23)), ahmad.id)
    assert same_day["assign_primary_contact"].severity == "due"
    next_day = _kinds(_duties(db, _at(arrival + timedelta(days=1), 0)), ahmad.id)
    assert next_day["assign_primary_contact"].severity == "overdue"


def test_registered_representative_and_contacts_mean_nothing_is_due(db, people, beds):
    register_arrival(db, people.coordinator, resident_input(), beds[0].id,
                     primary_contact_id=people.contact.staff_id,
                     secondary_contact_id=people.contact2.staff_id, today=TODAY)
    assert _duties(db, _at(TODAY)) == []


def test_former_residents_have_no_duties(db, people, beds):
    ahmad = register_arrival(db, people.coordinator,
                             resident_input(representative_name=None,
                                            date_of_birth=date(2008, 12, 1)),
                             beds[0].id, today=TODAY)
    assert _kinds(_duties(db, _at(TODAY)), ahmad.id)
    move_out(db, people.coordinator, ahmad.id, on=TODAY, reason="departed")
    assert _duties(db, _at(TODAY)) == []


def test_turning_18_is_due_within_60_days_and_not_earlier(db, people, beds):
    born = date(2008, 12, 31)
    birthday = date(2026, 12, 31)
    ahmad = register_arrival(db, people.coordinator, resident_input(date_of_birth=born),
                             beds[0].id, primary_contact_id=people.contact.staff_id,
                             secondary_contact_id=people.contact2.staff_id, today=TODAY)
    assert ADULT_BIRTHDAY_NOTICE == timedelta(days=60)

    assert _duties(db, _at(birthday - timedelta(days=61), 23)) == []
    first_day = _duties(db, _at(birthday - timedelta(days=60), 0))
    assert [(d.kind, d.severity, d.resident_id) for d in first_day] == [
        ("turns_adult", "upcoming", ahmad.id)]
    duty = first_day[0]
    assert duty.due_at == datetime(2026, 12, 31, tzinfo=LOCAL_TZ)
    assert duty.params == {"date": birthday}
    assert duty.title == "Ahmad Karimi turns 18 on 31 Dec 2026: plan the move to an adult centre"
    assert _duties(db, _at(birthday - timedelta(days=1), 23))[0].severity == "upcoming"
    assert _duties(db, _at(birthday, 0))[0].severity == "overdue"
    # The local date counts: 23:30 UTC on 30 December is already the 31st in Copenhagen.
    assert _duties(db, datetime(2026, 12, 30, 23, 30, tzinfo=UTC))[0].severity == "overdue"
    assert _duties(db, datetime(2026, 12, 30, 22, 30, tzinfo=UTC))[0].severity == "upcoming"


def test_turned_18_stays_overdue_while_the_resident_lives_here(db, people, beds):
    """An overdue duty must not vanish on its own: somebody who turned 18 more than a year
    ago and is still registered as living here is exactly what the Today page must show."""
    ahmad = register_arrival(db, people.coordinator,
                             resident_input(date_of_birth=date(2008, 12, 31)), beds[0].id,
                             primary_contact_id=people.contact.staff_id,
                             secondary_contact_id=people.contact2.staff_id, today=TODAY)
    for at in (_at(date(2027, 12, 31)), _at(date(2028, 1, 2)), _at(date(2029, 6, 1))):
        duties = _duties(db, at)
        assert [(d.kind, d.severity, d.resident_id) for d in duties] == [
            ("turns_adult", "overdue", ahmad.id)], at


def test_young_residents_do_not_turn_18_soon(db, people, beds):
    register_arrival(db, people.coordinator, resident_input(date_of_birth=date(2010, 1, 1)),
                     beds[0].id, primary_contact_id=people.contact.staff_id,
                     secondary_contact_id=people.contact2.staff_id, today=TODAY)
    assert _duties(db, _at(TODAY)) == []


def test_duties_are_sorted_most_urgent_first(db, people, beds):
    register_arrival(db, people.coordinator,
                     resident_input(date_of_birth=date(2009, 1, 10), representative_name=None),
                     beds[0].id, today=TODAY)
    duties = _duties(db, _at(TODAY))
    assert {d.severity for d in duties} == {"overdue", "due", "upcoming"}
    ranks = [(SEVERITIES.index(d.severity), d.due_at) for d in duties]
    assert ranks == sorted(ranks)


def test_naive_moment_is_refused(db):
    with db.read() as session, pytest.raises(ValueError):
        due_duties(session, datetime(2026, 11, 20, 12, 0))


def test_duty_as_json(db, people, beds):
    ahmad = register_arrival(db, people.coordinator, resident_input(), beds[0].id, today=TODAY)
    data = _kinds(_duties(db, _at(TODAY)), ahmad.id)["assign_primary_contact"].as_json()
    assert set(data) == {"kind", "severity", "due_at", "resident_id", "resident", "title",
                         "params"}
    assert data["kind"] == "assign_primary_contact"
    assert data["severity"] == "overdue"
    assert datetime.fromisoformat(data["due_at"]) == datetime(2026, 11, 1, tzinfo=LOCAL_TZ)
    assert uuid.UUID(data["resident_id"]) == ahmad.id
    assert data["resident"] == "Ahmad Karimi"
    assert data["title"] == "Assign a primary contact person to Ahmad Karimi"
    bare = Duty("custom", "info", None).as_json()
    assert bare["due_at"] is None and bare["resident_id"] is None and bare["title"] == "custom"
