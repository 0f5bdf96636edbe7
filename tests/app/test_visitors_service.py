"""The visitor log service (domain-rules §6, ``001_…`` Bilag 5 §4.8): signing in and out,
turning away, who is in the building, histories, and erasing visitor identity after the
retention period without ever copying it into the audit trail."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from app.db import Database, open_database
from app.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.formatting import LOCAL_TZ, format_datetime
from app.models import AuditEntry, Visit
from app.services import auth, centre, residents, rooms, staff, visitors
from app.services.visitors import VisitorInput
from app.unit_of_work import SYSTEM, Actor
from tests.app._core_support import audit_entries, cheap_hashing, count_rows  # noqa: F401
from tests.conftest import PASSWORD, resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=LOCAL_TZ)
MARIAM = VisitorInput("  Mariam   Haidari ", "passport", " P 123 4567 ", " Aunt ")
HASSAN = VisitorInput("Hassan Jafari", "national_id", "DK-998877", "Brother")
LEILA = VisitorInput("Leila Sultani", "none", None, "Friend from school")
# What must never reach the audit trail in clear text.
IDENTITY_TEXTS = ("Mariam", "mariam", "Haidari", "haidari", "1234567", "123 4567", "Aunt",
                  "Hassan", "Jafari", "998877")


@dataclass
class House:
    ahmad: uuid.UUID
    fatima: uuid.UUID
    omid: uuid.UUID  # moved out


def _arrive(db: Database, actor: Actor, bed: uuid.UUID, person_id: str, given: str,
            family: str, sex: str = "male"):
    return residents.register_arrival(
        db, actor, resident_input(person_id=person_id, given_names=given, family_name=family,
                                  sex=sex, arrival_date=date(2024, 6, 1),
                                  name_in_own_script=None),
        bed, today=TODAY)


def _house(db: Database, actor: Actor, beds) -> House:
    bed = {b.display: b.id for b in beds}
    ahmad = _arrive(db, actor, bed["101 / A"], "AF-1001", "Ahmad", "Karimi")
    fatima = _arrive(db, actor, bed["102 / A"], "ER-3003", "Fatima", "Ahmadi", "female")
    omid = _arrive(db, actor, bed["101 / B"], "OM-0001", "Omid", "Rahimi")
    residents.move_out(db, actor, omid.id, on=date(2026, 10, 1), reason="moved_centre",
                       today=TODAY)
    return House(ahmad.id, fatima.id, omid.id)


@pytest.fixture
def house(db: Database, people, beds) -> House:
    return _house(db, people.coordinator, beds)


def _visit(db: Database, actor: Actor, visitor: VisitorInput, resident: uuid.UUID,
           arrived: datetime, hours: float | None = 1.0):
    """A visit at ``arrived`` (recorded then), signed out ``hours`` later unless None."""
    view = visitors.sign_in(db, actor, visitor, resident, arrived_at=arrived, now=arrived)
    if hours is not None:
        left = arrived + timedelta(hours=hours)
        view = visitors.sign_out(db, actor, view.id, left_at=left, now=left)
    return view


# --- signing in and out ------------------------------------------------------------------

def test_signing_a_visitor_in_and_out(db, people, house):
    arrived = NOW - timedelta(hours=2)
    visit = visitors.sign_in(db, people.reception, MARIAM, house.ahmad, arrived_at=arrived,
                             now=NOW)
    assert (visit.visitor_name, visit.id_document_type, visit.id_document_number,
            visit.relation) == ("Mariam Haidari", "passport", "P 123 4567", "Aunt")
    assert visit.visitor_key == visitors.visitor_key("Mariam Haidari", "P 123 4567") == \
        "mariam haidari|p1234567"
    assert (visit.resident_id, visit.resident_name, visit.room) == (house.ahmad,
                                                                    "Ahmad Karimi", "101")
    assert (visit.arrived_at, visit.left_at, visit.signed_in_by) == (arrived, None,
                                                                     "Rasmus Reception")
    assert visit.in_building and not visit.turned_away and not visit.identity_erased
    assert visitors.in_building(db, people.night) == [visit]

    out = visitors.sign_out(db, people.night, visit.id, left_at=NOW, now=NOW)
    assert (out.left_at, out.signed_out_by, out.in_building) == (NOW, "Nina Nattevagt", False)
    assert visitors.in_building(db, people.reception) == []
    # Read back from the database, as the contact person sees it.
    assert visitors.visits_of_resident(db, people.contact, house.ahmad) == [out]
    assert visitors.visits_on(db, people.reception, NOW - timedelta(hours=3), NOW) == [out]
    assert visitors.visits_on(db, people.reception, NOW - timedelta(hours=1), NOW) == []

    with pytest.raises(DomainError) as refused:
        visitors.sign_out(db, people.night, visit.id, now=NOW + timedelta(minutes=1))
    assert str(refused.value) == (f"The visitor was signed out at {format_datetime(NOW)} "
                                  "already.")
    with pytest.raises(NotFound):
        visitors.sign_out(db, people.night, uuid.uuid4(), now=NOW)
    # Signed out, the same visitor may come again the same day.
    again = visitors.sign_in(db, people.reception, MARIAM, house.fatima, now=NOW)
    assert again.arrived_at == NOW and visitors.in_building(db, people.reception) == [again]


def test_a_visitor_already_in_the_building_cannot_be_signed_in_again(db, people, house):
    first = visitors.sign_in(db, people.reception, MARIAM, house.ahmad,
                             arrived_at=NOW - timedelta(minutes=30), now=NOW)
    before = count_rows(db, Visit, AuditEntry)
    # The same name and document, typed differently, to see another resident.
    same = VisitorInput("MARIAM haidari", "passport", "p1234567", "Aunt")
    with pytest.raises(DomainError) as refused:
        visitors.sign_in(db, people.night, same, house.fatima, now=NOW)
    assert type(refused.value) is DomainError
    assert str(refused.value) == (
        f"MARIAM haidari is already signed in (since {format_datetime(first.arrived_at)}).")
    assert count_rows(db, Visit, AuditEntry) == before
    # Someone else of the same name, with another passport, is another visitor.
    namesake = visitors.sign_in(db, people.night, VisitorInput("Mariam Haidari", "passport",
                                                               "Q7654321", None),
                                house.fatima, now=NOW)
    assert [v.id for v in visitors.in_building(db, people.night)] == [first.id, namesake.id]


def test_a_visitor_turned_away_is_logged_with_the_reason(db, people, house):
    before = count_rows(db, Visit, AuditEntry)
    for reason in ("", "   ", None):
        with pytest.raises(ValidationError) as refused:
            visitors.turn_away(db, people.reception, HASSAN, house.ahmad, reason=reason,
                               now=NOW)
        assert refused.value.problems == {"reason": "Write why the visitor was turned away."}
    assert count_rows(db, Visit, AuditEntry) == before

    away = visitors.turn_away(db, people.reception, HASSAN, house.ahmad,
                              reason=" Not on the list agreed with the representative ",
                              at=NOW - timedelta(minutes=5), now=NOW)
    assert away.turned_away and not away.in_building and away.left_at is None
    assert away.turned_away_reason == "Not on the list agreed with the representative"
    assert (away.visitor_name, away.signed_in_by) == ("Hassan Jafari", "Rasmus Reception")
    assert visitors.in_building(db, people.reception) == []
    with pytest.raises(DomainError, match="turned away and never signed in"):
        visitors.sign_out(db, people.reception, away.id, now=NOW)
    # Turning away is not being inside: a later, approved visit can be signed in.
    later = visitors.sign_in(db, people.reception, HASSAN, house.ahmad, now=NOW)
    assert visitors.in_building(db, people.reception) == [later]
    assert visitors.visits_of_resident(db, people.contact, house.ahmad) == [later, away]


def test_identity_is_required_unless_no_document_was_shown(db, people, house):
    before = count_rows(db, Visit, AuditEntry)
    with pytest.raises(ValidationError) as refused:
        visitors.sign_in(db, people.reception, VisitorInput("  ", "passport", "  ", None),
                         None, now=NOW)
    assert refused.value.problems == {
        "name": "Write the visitor's name.",
        "id_document_number": "Write the number of the ID document.",
        "resident": "Choose the resident the visitor came to see."}
    with pytest.raises(ValidationError) as refused:
        visitors.sign_in(db, people.reception, VisitorInput("Ali", "library_card", "1", None),
                         house.ahmad, now=NOW)
    assert refused.value.problems == {
        "id_document_type": "Choose the ID document the visitor showed."}
    with pytest.raises(ValidationError) as refused:
        visitors.turn_away(db, people.reception, VisitorInput("Ali", "driving_licence", None,
                                                              None),
                           house.ahmad, reason="Drunk", now=NOW)
    assert set(refused.value.problems) == {"id_document_number"}
    assert count_rows(db, Visit, AuditEntry) == before

    # "No ID shown" needs no number, and a number typed anyway is not kept.
    leila = visitors.sign_in(db, people.reception, LEILA, house.fatima, now=NOW)
    assert (leila.id_document_type, leila.id_document_number, leila.visitor_key) == (
        "none", None, "leila sultani|")
    ali = visitors.sign_in(db, people.reception, VisitorInput("Ali", "none", "123", None),
                           house.fatima, now=NOW)
    assert (ali.id_document_number, ali.visitor_key, ali.relation) == (None, "ali|", None)


def test_the_resident_must_live_at_the_centre(db, people, house):
    cases = [(house.omid, "Omid Rahimi no longer lives at the centre."),
             (uuid.uuid4(), "The resident does not exist (any more)."),
             (None, "Choose the resident the visitor came to see.")]
    for resident, message in cases:
        with pytest.raises(ValidationError) as refused:
            visitors.sign_in(db, people.reception, MARIAM, resident, now=NOW)
        assert refused.value.problems == {"resident": message}
        with pytest.raises(ValidationError):
            visitors.turn_away(db, people.reception, MARIAM, resident, reason="x", now=NOW)
    assert count_rows(db, Visit) == {"Visit": 0}


def test_times_must_be_aware_not_in_the_future_and_leaving_after_arriving(db, people, house):
    with pytest.raises(ValidationError) as refused:
        visitors.sign_in(db, people.reception, MARIAM, house.ahmad,
                         arrived_at=datetime(2026, 11, 20, 14, 0), now=NOW)
    assert refused.value.problems == {"arrived_at": "The time has no timezone."}
    with pytest.raises(ValidationError) as refused:
        visitors.sign_in(db, people.reception, MARIAM, house.ahmad,
                         arrived_at=NOW + timedelta(minutes=10), now=NOW)
    assert set(refused.value.problems) == {"arrived_at"}
    assert "in the future" in refused.value.problems["arrived_at"]
    # A PC clock a little behind is tolerated.
    ahead = visitors.sign_in(db, people.reception, MARIAM, house.ahmad,
                             arrived_at=NOW + timedelta(minutes=4), now=NOW)
    visitors.sign_out(db, people.reception, ahead.id, now=NOW + timedelta(minutes=30))

    arrived = datetime(2026, 11, 20, 14, 0, 30, tzinfo=LOCAL_TZ)
    visit = visitors.sign_in(db, people.reception, HASSAN, house.ahmad, arrived_at=arrived,
                             now=NOW)
    before = count_rows(db, Visit, AuditEntry)
    with pytest.raises(ValidationError) as refused:
        visitors.sign_out(db, people.reception, visit.id,
                          left_at=arrived - timedelta(minutes=1), now=NOW)
    assert refused.value.problems == {"left_at": (
        "The time of leaving is before the visitor arrived "
        f"({format_datetime(arrived)}).")}
    with pytest.raises(ValidationError) as refused:
        visitors.sign_out(db, people.reception, visit.id,
                          left_at=NOW + timedelta(hours=1), now=NOW)
    assert set(refused.value.problems) == {"left_at"}
    with pytest.raises(ValidationError):
        visitors.sign_out(db, people.reception, visit.id,
                          left_at=datetime(2026, 11, 20, 14, 30), now=NOW)
    assert count_rows(db, Visit, AuditEntry) == before
    assert visitors.in_building(db, people.reception)[0].id == visit.id
    # Leaving "at 14:00" (the minute shown) is accepted, never before the arrival.
    out = visitors.sign_out(db, people.reception, visit.id,
                            left_at=datetime(2026, 11, 20, 14, 0, tzinfo=LOCAL_TZ), now=NOW)
    assert out.left_at == arrived


# --- lists and histories ------------------------------------------------------------------

def test_in_building_lists_who_is_inside_by_arrival(db, people, house):
    leila = visitors.sign_in(db, people.reception, LEILA, house.fatima,
                             arrived_at=NOW - timedelta(minutes=10), now=NOW)
    mariam = visitors.sign_in(db, people.reception, MARIAM, house.ahmad,
                              arrived_at=NOW - timedelta(hours=1), now=NOW)
    gone = visitors.sign_in(db, people.reception, HASSAN, house.ahmad,
                            arrived_at=NOW - timedelta(hours=2), now=NOW)
    visitors.sign_out(db, people.reception, gone.id, now=NOW)
    visitors.turn_away(db, people.reception, VisitorInput("Rahim Noori", "none", None, None),
                       house.fatima, reason="No appointment", now=NOW)
    inside = visitors.in_building(db, people.night)
    assert [(v.visitor_name, v.resident_name, v.room) for v in inside] == [
        ("Mariam Haidari", "Ahmad Karimi", "101"), ("Leila Sultani", "Fatima Ahmadi", "102")]
    assert inside == [mariam, leila]


def test_a_residents_visitor_history_newest_first(db, people, house):
    old = _visit(db, people.reception, MARIAM, house.ahmad, NOW - timedelta(days=30))
    other = _visit(db, people.reception, LEILA, house.fatima, NOW - timedelta(days=20))
    away = visitors.turn_away(db, people.reception, HASSAN, house.ahmad, reason="Drunk",
                              at=NOW - timedelta(days=3), now=NOW)
    recent = _visit(db, people.reception, HASSAN, house.ahmad, NOW - timedelta(hours=3))
    assert visitors.visits_of_resident(db, people.contact, house.ahmad) == [recent, away, old]
    assert visitors.visits_of_resident(db, people.contact2, house.fatima) == [other]
    assert visitors.visits_of_resident(db, people.contact, house.omid) == []


def test_find_visitors_counts_visits_and_refusals_per_visitor_and_whom(db, people, house):
    first = _visit(db, people.reception, MARIAM, house.ahmad, NOW - timedelta(days=40))
    second = _visit(db, people.reception, VisitorInput("mariam HAIDARI", "passport",
                                                       "P1234567", "aunt"),
                    house.ahmad, NOW - timedelta(days=10))
    away = visitors.turn_away(db, people.reception, MARIAM, house.fatima, reason="Too late",
                              at=NOW - timedelta(days=5), now=NOW)
    last = _visit(db, people.reception, MARIAM, house.fatima, NOW - timedelta(hours=4),
                  hours=None)
    namesake = _visit(db, people.reception, VisitorInput("Mariam Haidari", "passport",
                                                         "Q7654321", None),
                      house.fatima, NOW - timedelta(days=60))
    _visit(db, people.reception, HASSAN, house.ahmad, NOW - timedelta(days=2))

    found = visitors.find_visitors(db, people.contact, "  MARIAM  ")
    assert [(s.key, s.visits, s.turned_away, s.residents) for s in found] == [
        ("mariam haidari|p1234567", 4, 1, ("Ahmad Karimi", "Fatima Ahmadi")),
        ("mariam haidari|q7654321", 1, 0, ("Fatima Ahmadi",)),
    ]
    # The name as one of the visits spelled it.
    assert found[0].name in {"Mariam Haidari", "mariam HAIDARI"}
    assert found[1].name == "Mariam Haidari"
    assert found[0].last_visit == last.arrived_at and found[0].last_visit.tzinfo is not None
    assert found[1].last_visit == namesake.arrived_at
    # By document number, as it is printed on the document or without the spaces.
    for typed in ("1234567", "p 123 4567", "P1234567"):
        assert [s.key for s in visitors.find_visitors(db, people.reception, typed)] == [
            "mariam haidari|p1234567"], typed
    assert [s.visits for s in visitors.find_visitors(db, people.reception, "jafari")] == [1]
    assert visitors.find_visitors(db, people.reception, "nobody") == []

    history = visitors.visits_of_visitor(db, people.contact, found[0].key)
    assert [v.id for v in history] == [last.id, away.id, second.id, first.id]
    assert visitors.visits_of_visitor(db, people.contact, "nobody|") == []


# --- retention ---------------------------------------------------------------------------

def _identity(view) -> tuple:
    return (view.visitor_name, view.id_document_number, view.relation, view.visitor_key)


def test_erasing_expired_identities_keeps_the_visit_and_only_what_is_older(db, people, house):
    year_and_a_day = _visit(db, people.reception, MARIAM, house.ahmad,
                            datetime(2025, 11, 19, 15, 0, tzinfo=LOCAL_TZ))
    exactly_a_year = _visit(db, people.reception, HASSAN, house.ahmad,
                            datetime(2025, 11, 20, 15, 0, tzinfo=LOCAL_TZ))
    seven_months = visitors.turn_away(
        db, people.reception, LEILA, house.fatima, reason="Not on the list",
        at=datetime(2026, 4, 15, 10, 0, tzinfo=LOCAL_TZ),
        now=datetime(2026, 4, 15, 10, 0, tzinfo=LOCAL_TZ))
    five_months = _visit(db, people.reception, HASSAN, house.fatima,
                         datetime(2026, 6, 1, 10, 0, tzinfo=LOCAL_TZ))
    today = _visit(db, people.reception, MARIAM, house.ahmad, NOW - timedelta(hours=1),
                   hours=None)

    def by_id() -> dict:
        views = (visitors.visits_of_resident(db, people.leader, house.ahmad)
                 + visitors.visits_of_resident(db, people.leader, house.fatima))
        return {v.id: v for v in views}

    assert visitors.erase_expired_identities(db, now=NOW) == 1
    after = by_id()
    erased = after[year_and_a_day.id]
    assert _identity(erased) == (None, None, None, None) and erased.identity_erased
    # What is not identity stays: the visit happened, whom it was for, when, and the document
    # type.
    assert (erased.id_document_type, erased.resident_id, erased.arrived_at, erased.left_at,
            erased.signed_in_by) == ("passport", house.ahmad, year_and_a_day.arrived_at,
                                     year_and_a_day.left_at, "Rasmus Reception")
    for kept in (exactly_a_year, seven_months, five_months, today):
        assert after[kept.id] == kept
    with db.read() as session:
        row = session.get(Visit, year_and_a_day.id)
        assert row.identity_erased_at == NOW and row.row_version == 3
    # The erased visit no longer counts for the visitor.
    (summary,) = visitors.find_visitors(db, people.reception, "mariam")
    assert summary.visits == 1

    (entry,) = audit_entries(db, action="erase", entity="visit")
    assert entry.staff_id is None and entry.entity_id is None
    assert set(entry.changes) == {"count", "before"} and entry.changes["count"] == 1
    assert datetime.fromisoformat(entry.changes["before"]) == exactly_a_year.arrived_at
    assert entry.summary.startswith("Visitor identity erased for 1 visits before")
    assert "(retention 12 months)" in entry.summary

    # Running again erases nothing and logs nothing.
    before = count_rows(db, Visit, AuditEntry)
    assert visitors.erase_expired_identities(db, now=NOW) == 0
    assert visitors.erase_expired_identities(db, now=NOW - timedelta(days=1)) == 0
    assert count_rows(db, Visit, AuditEntry) == before
    assert by_id() == after

    # A shorter retention: everything before 20 May 2026.
    visitors.set_retention_months(db, people.admin, 6)
    assert visitors.erase_expired_identities(db, people.leader, now=NOW) == 2
    shorter = by_id()
    for gone in (exactly_a_year, seven_months):
        assert _identity(shorter[gone.id]) == (None, None, None, None)
    # The reason may name the visitor: it is erased with the identity; the refusal stays.
    assert shorter[seven_months.id].turned_away_reason is None
    assert shorter[seven_months.id].turned_away
    assert shorter[five_months.id] == five_months and shorter[today.id] == today
    entries = audit_entries(db, action="erase", entity="visit")
    assert len(entries) == 2
    assert entries[1].staff_id == people.leader.staff_id
    assert entries[1].changes["count"] == 2
    assert datetime.fromisoformat(entries[1].changes["before"]) == datetime(
        2026, 5, 20, 15, 0, tzinfo=LOCAL_TZ)
    assert "(retention 6 months)" in entries[1].summary
    assert visitors.erase_expired_identities(db, SYSTEM, now=NOW) == 0


def test_the_retention_setting_is_checked_and_for_the_centre_settings_only(db, people, house):
    for months in (0, 61):
        with pytest.raises(ValidationError) as refused:
            visitors.set_retention_months(db, people.admin, months)
        assert set(refused.value.problems) == {"visitor_retention_months"}
    for actor in (people.reception, people.contact, people.coordinator):
        with pytest.raises(PermissionDenied):
            visitors.set_retention_months(db, actor, 6)
    visitors.set_retention_months(db, people.leader, 60)
    old = _visit(db, people.reception, MARIAM, house.ahmad,
                 datetime(2022, 12, 1, 10, 0, tzinfo=LOCAL_TZ))
    assert visitors.erase_expired_identities(db, now=NOW) == 0
    visitors.set_retention_months(db, people.admin, 1)
    assert visitors.erase_expired_identities(db, now=NOW) == 1
    assert visitors.visits_of_visitor(db, people.reception, old.visitor_key) == []
    (entry,) = audit_entries(db, action="update", entity="centre")[-1:]
    assert entry.changes["visitor_retention_months"] == [60, 1]


def test_the_audit_trail_never_holds_the_visitors_identity(db, people, house):
    visit = visitors.sign_in(db, people.reception, MARIAM, house.ahmad,
                             arrived_at=datetime(2025, 10, 1, 14, 0, tzinfo=LOCAL_TZ), now=NOW)
    visitors.sign_out(db, people.reception, visit.id, now=NOW)
    visitors.turn_away(db, people.reception, HASSAN, house.fatima, reason="No appointment",
                       now=NOW)
    assert visitors.erase_expired_identities(db, now=NOW) == 1

    (created,) = audit_entries(db, action="create", entity="visit", entity_id=visit.id)
    assert created.staff_id == people.reception.staff_id
    for name in ("visitor_name", "id_document_number", "visitor_key", "relation"):
        assert created.changes[name] == [None, "***"], name
    assert created.changes["id_document_type"] == [None, "passport"]
    assert created.changes["resident_id"] == [None, str(house.ahmad)]
    (signed_out,) = audit_entries(db, action="update", entity="visit", entity_id=visit.id)
    assert set(signed_out.changes) == {"left_at", "signed_out_by"}
    assert len(audit_entries(db, entity="visit")) == 4  # 2 created, 1 signed out, 1 erased

    with db.read() as session:
        trail = [json.dumps(e.changes, ensure_ascii=False) + (e.summary or "")
                 for e in session.query(AuditEntry)]
    leaks = [(text, entry) for entry in trail for text in IDENTITY_TEXTS if text in entry]
    assert leaks == []


# --- permissions -------------------------------------------------------------------------

def test_only_staff_on_shift_use_the_visitor_log(db, people, house):
    for actor in (people.reception, people.night, people.contact, people.coordinator,
                  people.leader):
        visit = visitors.sign_in(db, actor, LEILA, house.fatima, now=NOW)
        assert visitors.in_building(db, actor) == [visit]
        visitors.sign_out(db, actor, visit.id, now=NOW)
    visit = visitors.sign_in(db, people.reception, MARIAM, house.ahmad, now=NOW)
    before = count_rows(db, Visit, AuditEntry)
    admin = people.admin
    calls = [
        lambda: visitors.sign_in(db, admin, HASSAN, house.ahmad, now=NOW),
        lambda: visitors.turn_away(db, admin, HASSAN, house.ahmad, reason="x", now=NOW),
        lambda: visitors.sign_out(db, admin, visit.id, now=NOW),
        lambda: visitors.in_building(db, admin),
        lambda: visitors.visits_on(db, admin, NOW - timedelta(days=1), NOW),
        lambda: visitors.visits_of_resident(db, admin, house.ahmad),
        lambda: visitors.find_visitors(db, admin, "mariam"),
        lambda: visitors.visits_of_visitor(db, admin, visit.visitor_key),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="sign visitors in and out"):
            call()
    assert count_rows(db, Visit, AuditEntry) == before


# --- PostgreSQL --------------------------------------------------------------------------

@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.close()


def test_visitor_log_on_postgres(pg_db: Database) -> None:
    db = pg_db
    centre.initialise_centre(db, centre_name="Børnecenter Østerå", centre_code="OESTERAA",
                             admin_username="admin", admin_full_name="Åse Ødegård",
                             admin_password=PASSWORD)
    admin = auth.login(db, "admin", PASSWORD)
    staff.create_staff(db, admin, username="desk", full_name="Rasmus Reception",
                       password=PASSWORD, roles=["social_coordinator"])
    desk = auth.login(db, "desk", PASSWORD)
    house = _house(db, desk, rooms.create_room(db, admin, "101", ["A", "B"])
                   + rooms.create_room(db, admin, "102", ["A"]))

    old = _visit(db, desk, MARIAM, house.ahmad, datetime(2025, 6, 1, 10, 0, tzinfo=UTC))
    visitors.turn_away(db, desk, MARIAM, house.fatima, reason="Too late",
                       at=NOW - timedelta(days=2), now=NOW)
    inside = visitors.sign_in(db, desk, MARIAM, house.fatima, now=NOW)
    with pytest.raises(DomainError, match="already signed in"):
        visitors.sign_in(db, desk, MARIAM, house.ahmad, now=NOW)
    assert visitors.in_building(db, desk) == [inside]

    (summary,) = visitors.find_visitors(db, desk, "MARIAM")
    assert (summary.visits, summary.turned_away, summary.residents) == (
        3, 1, ("Ahmad Karimi", "Fatima Ahmadi"))
    assert summary.last_visit == NOW
    assert visitors.erase_expired_identities(db, now=NOW) == 1
    assert visitors.erase_expired_identities(db, now=NOW) == 0
    erased = visitors.visits_of_resident(db, desk, house.ahmad)
    assert [(_identity(v), v.identity_erased) for v in erased] == [
        ((None, None, None, None), True)]
    assert erased[0].arrived_at == old.arrived_at
    (summary,) = visitors.find_visitors(db, desk, "p 123 4567")
    assert (summary.visits, summary.residents) == (2, ("Fatima Ahmadi",))
    assert len(audit_entries(db, action="erase", entity="visit")) == 1
