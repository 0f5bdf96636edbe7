"""The lost-property register service (domain-rules §5): clearing a vacated room, retention,
the due lists, dispositions and their corrections, permissions and the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.db import Database, open_database
from app.errors import DomainError, PermissionDenied, ValidationError
from app.formatting import LOCAL_TZ, format_date
from app.models import AuditEntry, LostItem, LostItemDisposition
from app.models.reception import ORIGIN_COMMON, ORIGIN_VACATED
from app.queries.due import due_duties
from app.services import auth, centre, lost_property, residents, rooms, staff
from app.services.lost_property import ItemInput, RegisterFilter
from app.unit_of_work import Actor
from tests.app._core_support import audit_entries, cheap_hashing, count_rows  # noqa: F401
from tests.conftest import PASSWORD, resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")

FOUND = date(2026, 3, 30)            # a Monday; Easter 2026 is 5 April
CHEAP_ENDS = date(2026, 4, 30)       # 499.99 DKK: one calendar month
VALUABLE_ENDS = date(2026, 6, 30)    # 500 DKK: three calendar months
SEARCH_ENDS = date(2026, 4, 7)       # 3 working days: Maundy Thursday, Good Friday and
#                                      Easter Monday are not working days
WRITE_TABLES = (LostItem, LostItemDisposition, AuditEntry)


# --- the scene: room 101 cleared after Ahmad left without notice --------------------------

@dataclass
class Scene:
    room: uuid.UUID          # 101: Ahmad's room
    other_room: uuid.UUID    # 102
    beds: dict[str, uuid.UUID]


def _arrive(db: Database, actor: Actor, bed: uuid.UUID, person_id: str, given: str,
            family: str, arrived: date):
    return residents.register_arrival(
        db, actor, resident_input(person_id=person_id, given_names=given, family_name=family,
                                  arrival_date=arrived, name_in_own_script=None),
        bed, today=arrived)


@pytest.fixture
def scene(db: Database, people, beds) -> Scene:
    bed = {b.display: b.id for b in beds}
    c = people.coordinator
    # Omid shared the room long ago; Bilal moved out ten days before the room was cleared;
    # Samir still lives there; Nabil lives next door; Ahmad left on 27 March.
    omid = _arrive(db, c, bed["101 / B"], "OM-0001", "Omid", "Rahimi", date(2026, 1, 5))
    ahmad = _arrive(db, c, bed["101 / A"], "AF-1001", "Ahmad", "Karimi", date(2026, 1, 5))
    residents.move_out(db, c, omid.id, on=date(2026, 2, 1), reason="moved_centre",
                       today=FOUND)
    bilal = _arrive(db, c, bed["101 / B"], "BI-2002", "Bilal", "Haidari", date(2026, 2, 10))
    residents.move_out(db, c, bilal.id, on=date(2026, 3, 20), reason="moved_centre",
                       today=FOUND)
    _arrive(db, c, bed["101 / B"], "SA-3003", "Samir", "Nouri", date(2026, 3, 25))
    _arrive(db, c, bed["102 / A"], "NA-4004", "Nabil", "Saleh", date(2026, 1, 5))
    residents.move_out(db, c, ahmad.id, on=date(2026, 3, 27), reason="departed", today=FOUND)
    room = next(b.room_id for b in beds if b.room_name == "101")
    other = next(b.room_id for b in beds if b.room_name == "102")
    return Scene(room, other, bed)


THREE_ITEMS = [
    ItemInput("Half a loaf of bread and a carton of milk", "food", "0", perishable=True),
    ItemInput("Black winter jacket", "clothing", "499,99", storage_location="Shelf 2, bag 14"),
    ItemInput("Samsung phone with charger", "phone", Decimal(500),
              storage_location=" Safe, box 3 "),
]


def _clear_room(db: Database, actor: Actor, scene: Scene, **overrides):
    values = {"origin": ORIGIN_VACATED, "found_on": FOUND, "items": THREE_ITEMS,
              "room_id": scene.room, "person_ids": ["AF-1001", " BI-2002 ", "AF-1001", ""],
              "today": FOUND}
    values.update(overrides)
    return lost_property.log_items(db, actor, **values)


@pytest.fixture
def cleared(db: Database, people, scene: Scene):
    """The three items from room 101 and a scarf from the dining room, logged by reception."""
    bread, jacket, phone = _clear_room(db, people.reception, scene)
    (scarf,) = lost_property.log_items(
        db, people.reception, origin=ORIGIN_COMMON, found_on=FOUND, place="Dining room",
        items=[ItemInput("Blue scarf", "clothing", "50")], today=FOUND)
    return bread, jacket, phone, scarf


def _numbers(views) -> list[str]:
    return sorted(v.number for v in views)


# --- occupants ---------------------------------------------------------------------------

def test_occupants_are_who_lived_in_the_room_then_those_who_moved_out_first(db, people, scene):
    found = lost_property.occupants(db, people.reception, scene.room, FOUND)
    assert [(o.person_id, o.name, o.moved_out_on) for o in found] == [
        ("AF-1001", "Ahmad Karimi", date(2026, 3, 27)),
        ("BI-2002", "Bilal Haidari", date(2026, 3, 20)),
        ("SA-3003", "Samir Nouri", None),
    ]
    # Omid left two months before, Nabil lives in the other room.
    assert [o.person_id for o in lost_property.occupants(db, people.reception,
                                                         scene.other_room, FOUND)] == ["NA-4004"]


def test_occupants_look_back_fourteen_days_and_not_at_who_came_later(db, people, scene):
    # Bilal moved out on 20 March: still a likely owner 14 days later, not 15 days later.
    at_14 = lost_property.occupants(db, people.reception, scene.room, date(2026, 4, 3))
    at_15 = lost_property.occupants(db, people.reception, scene.room, date(2026, 4, 4))
    assert "BI-2002" in [o.person_id for o in at_14]
    assert "BI-2002" not in [o.person_id for o in at_15]
    # Someone moving into Ahmad's empty bed after the room was cleared is no owner.
    _arrive(db, people.coordinator, scene.beds["101 / A"], "LA-5005", "Layla", "Amini",
            date(2026, 4, 2))
    assert [o.person_id for o in lost_property.occupants(db, people.reception, scene.room,
                                                         FOUND)] == [
        "AF-1001", "BI-2002", "SA-3003"]
    assert "LA-5005" in [o.person_id for o in lost_property.occupants(
        db, people.reception, scene.room, date(2026, 4, 2))]
    # Before anybody lived there: nobody.
    assert lost_property.occupants(db, people.reception, scene.room, date(2025, 12, 1)) == []


# --- logging a batch ---------------------------------------------------------------------

def test_clearing_a_vacated_room_logs_three_items_with_their_own_retention(db, people, scene):
    bread, jacket, phone = _clear_room(db, people.reception, scene)

    assert [i.number for i in (bread, jacket, phone)] == ["2026-0001", "2026-0002", "2026-0003"]
    assert bread.batch_id == jacket.batch_id == phone.batch_id
    assert [i.value_dkk for i in (bread, jacket, phone)] == [
        Decimal("0.00"), Decimal("499.99"), Decimal("500.00")]
    assert [i.retention_ends for i in (bread, jacket, phone)] == [FOUND, CHEAP_ENDS,
                                                                   VALUABLE_ENDS]
    assert [i.deadline for i in (bread, jacket, phone)] == [FOUND, CHEAP_ENDS, VALUABLE_ENDS]
    for item in (bread, jacket, phone):
        assert item.origin == ORIGIN_VACATED and item.owner_search_ends is None
        assert (item.room, item.room_id, item.place) == ("101", scene.room, None)
        assert item.found_on == FOUND and item.found_by == "Rasmus Reception"
        # Cleaned and de-duplicated, in the order staff gave them.
        assert item.person_ids == ("AF-1001", "BI-2002")
    assert (jacket.storage_location, phone.storage_location) == ("Shelf 2, bag 14",
                                                                 "Safe, box 3")
    # The perishable is logged and recorded as thrown out at once; the others are kept.
    assert bread.perishable and bread.disposition == "discarded_perishable"
    assert [(d.kind, d.on, d.by, d.superseded_at) for d in bread.history] == [
        ("discarded_perishable", FOUND, "Rasmus Reception", None)]
    assert bread.current == bread.history[0]
    assert not bread.is_due(FOUND)
    assert (jacket.disposition, jacket.history, phone.disposition, phone.history) == (
        None, (), None, ())

    # What was returned is what the register reads back.
    everything = lost_property.register(db, people.contact, RegisterFilter(view="all"),
                                        today=FOUND)
    assert sorted(everything, key=lambda v: v.number) == [bread, jacket, phone]
    kept = lost_property.register(db, people.contact, RegisterFilter(view="kept"), today=FOUND)
    assert _numbers(kept) == ["2026-0002", "2026-0003"]
    assert lost_property.get_item(db, people.night, phone.id) == phone


def test_item_numbers_run_on_per_year_of_finding(db, people, scene):
    first = _clear_room(db, people.reception, scene)
    december = lost_property.log_items(
        db, people.reception, origin=ORIGIN_COMMON, found_on=date(2025, 12, 30),
        place="Hall", items=[ItemInput("Gloves", "clothing", "20")], today=FOUND)
    # A refused batch uses no numbers.
    with pytest.raises(ValidationError):
        lost_property.log_items(db, people.reception, origin=ORIGIN_COMMON, found_on=FOUND,
                                place="Hall", items=[ItemInput("", "other", "1")],
                                today=FOUND)
    later = lost_property.log_items(
        db, people.reception, origin=ORIGIN_COMMON, found_on=FOUND, place="Gym",
        items=[ItemInput("Football", "sports", "80"), ItemInput("Book", "books", "30")],
        today=FOUND)
    assert [i.number for i in first] == ["2026-0001", "2026-0002", "2026-0003"]
    assert [i.number for i in december] == ["2025-0001"]
    assert [i.number for i in later] == ["2026-0004", "2026-0005"]
    assert later[0].batch_id == later[1].batch_id != first[0].batch_id


def test_common_area_items_need_a_place_and_get_an_owner_search_end(db, people, scene):
    with pytest.raises(ValidationError) as refused:
        lost_property.log_items(db, people.reception, origin=ORIGIN_COMMON, found_on=FOUND,
                                place="   ", items=[ItemInput("Scarf", "clothing", "50")],
                                today=FOUND)
    assert refused.value.problems == {
        "place": "Write where in the common areas the items were found."}

    (scarf,) = lost_property.log_items(
        db, people.night, origin=ORIGIN_COMMON, found_on=FOUND, place=" Dining room ",
        room_id=scene.room, person_ids=["AF-1001"],
        items=[ItemInput("Blue scarf", "clothing", "50", perishable=True)], today=FOUND)
    assert (scarf.origin, scarf.place, scarf.room_id, scarf.person_ids) == (
        ORIGIN_COMMON, "Dining room", None, ())
    assert (scarf.owner_search_ends, scarf.retention_ends, scarf.deadline) == (
        SEARCH_ENDS, None, SEARCH_ENDS)
    # Only perishables from a vacated room are thrown out at once.
    assert scarf.disposition is None and scarf.history == ()
    assert scarf.found_by == "Nina Nattevagt"


def test_invalid_items_are_named_by_number_and_field_and_nothing_is_saved(db, people, scene):
    before = count_rows(db, *WRITE_TABLES)
    items = [
        ItemInput("Jeans", "clothing", "200"),
        ItemInput("   ", "clothing", "100"),
        ItemInput("Watch", "jewellery", "abc"),
        ItemInput("Shoes", "shoes", "-5"),
        ItemInput("Bag", "treasure", "1.250,50"),
        ItemInput("Book", "books", None),
        ItemInput("Cap", "clothing", "  "),
        ItemInput("Ring", "jewellery", "NaN"),
        ItemInput("Gold bar", "jewellery", "Infinity"),
        ItemInput("Necklace", "jewellery", Decimal("-0.01")),
    ]
    with pytest.raises(ValidationError) as refused:
        _clear_room(db, people.reception, scene, items=items, found_on=date(2026, 3, 31))
    assert refused.value.problems == {
        "items.1.description": "Item 2: describe the item.",
        "items.2.value_dkk": "Item 3: “abc” is not an amount in kroner.",
        "items.3.value_dkk": "Item 4: the value cannot be negative.",
        "items.4.category": "Item 5: choose a category.",
        "items.5.value_dkk": "Item 6: estimate the value in kroner (0 if it has none).",
        "items.6.value_dkk": "Item 7: estimate the value in kroner (0 if it has none).",
        "items.7.value_dkk": "Item 8: “NaN” is not an amount in kroner.",
        "items.8.value_dkk": "Item 9: “Infinity” is not an amount in kroner.",
        "items.9.value_dkk": "Item 10: the value cannot be negative.",
        "found_on": f"The date found {format_date(date(2026, 3, 31))} is in the future.",
    }
    with pytest.raises(ValidationError) as refused:
        lost_property.log_items(db, people.reception, origin=ORIGIN_VACATED, found_on=None,
                                items=[], today=FOUND)
    assert refused.value.problems == {"items": "Log at least one item.",
                                      "found_on": "Give the date the items were found.",
                                      "room": "Choose the room that was cleared."}
    with pytest.raises(ValidationError) as refused:
        lost_property.log_items(db, people.reception, origin="attic", found_on=FOUND,
                                items=[ItemInput("Jeans", "clothing", "1")], today=FOUND)
    assert set(refused.value.problems) == {"origin"}
    with pytest.raises(ValidationError) as refused:
        _clear_room(db, people.reception, scene, room_id=uuid.uuid4())
    assert refused.value.problems == {"room": "The room does not exist (any more)."}
    assert count_rows(db, *WRITE_TABLES) == before


def test_danish_amounts_are_understood_and_decide_the_retention(db, people, scene):
    typed = ["1.250,50", "1250,5", "1250.50", "1 250,50 kr.", "kr. 300", "499,99", "499.99",
             "1.250", "12.500", "0,5", "500", Decimal("500.004")]
    logged = _clear_room(db, people.reception, scene,
                         items=[ItemInput(f"Item {n}", "other", value)
                                for n, value in enumerate(typed)])
    assert [(i.value_dkk, i.retention_ends) for i in logged] == [
        (Decimal("1250.50"), VALUABLE_ENDS),
        (Decimal("1250.50"), VALUABLE_ENDS),
        (Decimal("1250.50"), VALUABLE_ENDS),
        (Decimal("1250.50"), VALUABLE_ENDS),
        (Decimal("300.00"), CHEAP_ENDS),
        (Decimal("499.99"), CHEAP_ENDS),
        (Decimal("499.99"), CHEAP_ENDS),
        # A dot before three digits is the Danish thousands separator, not øre.
        (Decimal("1250.00"), VALUABLE_ENDS),
        (Decimal("12500.00"), VALUABLE_ENDS),
        (Decimal("0.50"), CHEAP_ENDS),
        (Decimal("500.00"), VALUABLE_ENDS),
        (Decimal("500.00"), VALUABLE_ENDS),
    ]
    # Stored as exact money, read back the same.
    with db.read() as session:
        assert sorted(session.scalars(select(LostItem.value_dkk))) == sorted(
            i.value_dkk for i in logged)


def test_correcting_an_item_moves_its_retention_and_keeps_the_old_values_in_the_audit(
        db, people, cleared):
    _bread, jacket, _phone, scarf = cleared
    corrected = lost_property.correct_item(
        db, people.reception, jacket.id,
        ItemInput("Black winter jacket (Canada Goose)", "clothing", "1.250,50",
                  storage_location="Shelf 3"),
        found_on=FOUND, person_ids=["AF-1001"], today=FOUND)
    assert (corrected.value_dkk, corrected.retention_ends, corrected.person_ids) == (
        Decimal("1250.50"), VALUABLE_ENDS, ("AF-1001",))
    assert corrected.number == jacket.number and corrected.storage_location == "Shelf 3"
    assert lost_property.get_item(db, people.contact, jacket.id) == corrected
    (entry,) = audit_entries(db, action="update", entity="lost_item", entity_id=jacket.id)
    assert entry.staff_id == people.reception.staff_id
    assert entry.changes["value_dkk"] == ["499.99", "1250.50"]
    assert entry.changes["retention_ends"] == ["2026-04-30", "2026-06-30"]
    assert entry.changes["person_ids"] == [["AF-1001", "BI-2002"], ["AF-1001"]]

    # A common-area item found a day later: its owner search moves; it has no person IDs.
    moved = lost_property.correct_item(db, people.reception, scarf.id,
                                       ItemInput("Blue scarf", "clothing", "50"),
                                       found_on=date(2026, 3, 31), person_ids=["X"],
                                       today=date(2026, 4, 1))
    assert (moved.owner_search_ends, moved.person_ids) == (date(2026, 4, 8), ())

    before = count_rows(db, *WRITE_TABLES)
    with pytest.raises(ValidationError) as refused:
        lost_property.correct_item(db, people.reception, jacket.id,
                                   ItemInput("", "clothing", "-1"), found_on=date(2026, 4, 1),
                                   person_ids=[], today=FOUND)
    assert set(refused.value.problems) == {"description", "value_dkk", "found_on"}
    assert refused.value.problems["description"] == "Item 1: describe the item."
    assert count_rows(db, *WRITE_TABLES) == before


# --- the due lists -----------------------------------------------------------------------

def _lost_duties(db: Database, day: date, hour: int = 9):
    with db.read() as session:
        return [d for d in due_duties(session, datetime.combine(day, time(hour),
                                                                tzinfo=LOCAL_TZ))
                if d.kind.startswith("lost_item_")]


def _due_numbers(db: Database, actor: Actor, day: date) -> list[str]:
    listed = _numbers(lost_property.register(db, actor, RegisterFilter(view="due"), today=day))
    with db.read() as session:
        assert _numbers(lost_property.due_items(session, day)) == listed
    return listed


def test_the_due_lists_on_the_day_the_cheap_item_expires(db, people, cleared):
    bread, jacket, phone, scarf = cleared
    assert _due_numbers(db, people.contact, FOUND) == []
    assert _due_numbers(db, people.contact, date(2026, 4, 6)) == []
    assert _due_numbers(db, people.contact, SEARCH_ENDS) == [scarf.number]
    assert _due_numbers(db, people.contact, date(2026, 4, 29)) == [scarf.number]
    assert _due_numbers(db, people.contact, CHEAP_ENDS) == [jacket.number, scarf.number]
    assert _due_numbers(db, people.contact, date(2026, 6, 29)) == [jacket.number, scarf.number]
    assert _due_numbers(db, people.contact, VALUABLE_ENDS) == [jacket.number, phone.number,
                                                               scarf.number]
    assert bread.number not in _due_numbers(db, people.contact, date(2027, 1, 1))

    duties = _lost_duties(db, CHEAP_ENDS)
    assert [(d.kind, d.severity, d.params["number"], d.params["date"]) for d in duties] == [
        ("lost_item_search", "overdue", scarf.number, SEARCH_ENDS),
        ("lost_item_retention", "due", jacket.number, CHEAP_ENDS),
    ]
    search, retention = duties
    assert retention.due_at == datetime.combine(CHEAP_ENDS, time(0), tzinfo=LOCAL_TZ)
    assert retention.params["item_id"] == str(jacket.id)
    assert retention.title == (f"Lost property {jacket.number} (Black winter jacket) kept "
                               f"until {format_date(CHEAP_ENDS)}: destroy it or give it to "
                               "charity")
    assert search.title == (f"Lost property {scarf.number} (Blue scarf): owner not found by "
                            f"{format_date(SEARCH_ENDS)}, hand it to the police")
    assert [d.params["number"] for d in _lost_duties(db, date(2026, 4, 29), 23)] == [
        scarf.number]

    # Once something is done about them they leave the lists.
    lost_property.dispose(db, people.reception, jacket.id, "destroyed", on=CHEAP_ENDS,
                          today=CHEAP_ENDS)
    lost_property.dispose(db, people.reception, scarf.id, "police", on=CHEAP_ENDS,
                          police_reference="1200-76543-00123-26", today=CHEAP_ENDS)
    assert _due_numbers(db, people.contact, CHEAP_ENDS) == []
    assert _lost_duties(db, CHEAP_ENDS) == []
    assert _due_numbers(db, people.contact, VALUABLE_ENDS) == [phone.number]


def test_the_register_filters_by_text_and_date_found(db, people, cleared):
    _bread, jacket, phone, scarf = cleared
    (old,) = lost_property.log_items(
        db, people.reception, origin=ORIGIN_COMMON, found_on=date(2026, 2, 2), place="Hall",
        items=[ItemInput("Old umbrella", "other", "10")], today=FOUND)

    def numbers(**kwargs) -> list[str]:
        return [v.number for v in lost_property.register(
            db, people.contact, RegisterFilter(**kwargs), today=FOUND)]

    assert numbers(view="all", text="JACKET") == [jacket.number]
    assert numbers(view="all", text="bi-2002") == [phone.number, jacket.number, "2026-0001"]
    assert numbers(view="all", text="safe, box") == [phone.number]
    assert numbers(view="all", text=" 2026-0004 ") == [scarf.number]
    assert numbers(view="kept", found_to=date(2026, 3, 1)) == [old.number]
    assert numbers(view="kept", found_from=FOUND) == [scarf.number, phone.number,
                                                      jacket.number]


# --- dispositions ------------------------------------------------------------------------

def test_destroying_or_donating_before_the_retention_end_is_refused(db, people, cleared):
    _bread, jacket, phone, scarf = cleared
    before = count_rows(db, *WRITE_TABLES)
    day_before = date(2026, 4, 29)
    with pytest.raises(DomainError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "destroyed", on=day_before,
                              today=day_before)
    assert type(refused.value) is DomainError
    assert str(refused.value).startswith(
        f"Item {jacket.number} must be kept until {format_date(CHEAP_ENDS)}")
    assert "not destroyed or given away" in str(refused.value)
    with pytest.raises(DomainError) as refused:
        lost_property.dispose(db, people.reception, phone.id, "charity", on=CHEAP_ENDS,
                              organisation="Røde Kors", today=CHEAP_ENDS)
    assert type(refused.value) is DomainError
    assert f"must be kept until {format_date(VALUABLE_ENDS)}" in str(refused.value)
    # Dated back before the end while recorded after it: still refused.
    with pytest.raises(DomainError):
        lost_property.dispose(db, people.reception, phone.id, "destroyed", on=date(2026, 6, 1),
                              today=date(2026, 7, 15))
    # Common-area items go to the police, never destroyed or given away.
    with pytest.raises(DomainError) as refused:
        lost_property.dispose(db, people.reception, scarf.id, "destroyed", on=CHEAP_ENDS,
                              today=CHEAP_ENDS)
    assert type(refused.value) is DomainError
    assert "found in a common area" in str(refused.value)

    assert count_rows(db, *WRITE_TABLES) == before
    assert lost_property.get_item(db, people.reception, jacket.id) == jacket
    assert lost_property.get_item(db, people.reception, phone.id) == phone

    # On the last day of the retention it may go.
    destroyed = lost_property.dispose(db, people.reception, jacket.id, "destroyed",
                                      on=CHEAP_ENDS, today=CHEAP_ENDS)
    assert destroyed.disposition == "destroyed"
    given = lost_property.dispose(db, people.night, phone.id, "charity", on=VALUABLE_ENDS,
                                  organisation=" Røde Kors ", today=date(2026, 7, 1))
    assert (given.disposition, given.current.organisation, given.current.by) == (
        "charity", "Røde Kors", "Nina Nattevagt")


def test_returning_early_is_allowed_and_needs_the_recipient(db, people, cleared):
    _bread, _jacket, phone, _scarf = cleared
    back = date(2026, 4, 10)
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, phone.id, "returned", on=back,
                              recipient_person_id="  ", today=back)
    assert refused.value.problems == {
        "recipient_person_id": "Write the person ID of the resident who got it back."}
    returned = lost_property.dispose(db, people.reception, phone.id, "returned", on=back,
                                     recipient_person_id=" AF-1001 ",
                                     note="Receipt signed", today=back)
    assert returned.disposition == "returned"
    assert [(d.kind, d.on, d.by, d.recipient_person_id, d.note, d.superseded_at)
            for d in returned.history] == [
        ("returned", back, "Rasmus Reception", "AF-1001", "Receipt signed", None)]
    assert not returned.is_due(VALUABLE_ENDS)
    assert phone.number not in _due_numbers(db, people.reception, VALUABLE_ENDS)


def test_police_needs_a_reference_and_charity_an_organisation(db, people, cleared):
    _bread, jacket, _phone, scarf = cleared
    before = count_rows(db, *WRITE_TABLES)
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, scarf.id, "police", on=SEARCH_ENDS,
                              police_reference=" ", today=SEARCH_ENDS)
    assert refused.value.problems == {
        "police_reference": "Write the police's reference (receipt or case number)."}
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "charity", on=CHEAP_ENDS,
                              today=CHEAP_ENDS)
    assert refused.value.problems == {
        "organisation": "Write which organisation received the item."}
    # Only perishables are "discarded"; unknown kinds, future dates and dates before the
    # item was found are refused.
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "discarded_perishable",
                              on=CHEAP_ENDS, today=CHEAP_ENDS)
    assert set(refused.value.problems) == {"kind"}
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "sold", on=CHEAP_ENDS,
                              today=CHEAP_ENDS)
    assert set(refused.value.problems) == {"kind"}
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "returned", on=date(2026, 5, 1),
                              recipient_person_id="AF-1001", today=CHEAP_ENDS)
    assert set(refused.value.problems) == {"on"}
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "returned", on=date(2026, 3, 29),
                              recipient_person_id="AF-1001", today=CHEAP_ENDS)
    assert refused.value.problems == {
        "on": f"The date is before the item was found ({format_date(FOUND)})."}
    with pytest.raises(ValidationError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "destroyed", on=None,
                              today=CHEAP_ENDS)
    assert refused.value.problems == {"on": "Give the date."}
    assert count_rows(db, *WRITE_TABLES) == before

    police = lost_property.dispose(db, people.reception, scarf.id, "police", on=SEARCH_ENDS,
                                   police_reference="1200-76543-00123-26", today=SEARCH_ENDS)
    assert (police.disposition, police.current.police_reference) == (
        "police", "1200-76543-00123-26")
    charity = lost_property.dispose(db, people.reception, jacket.id, "charity", on=CHEAP_ENDS,
                                    organisation="Dansk Folkehjælp", today=CHEAP_ENDS)
    assert charity.current.organisation == "Dansk Folkehjælp"


def test_a_second_disposition_is_refused_correct_the_first_instead(db, people, cleared):
    bread, jacket, _phone, _scarf = cleared
    lost_property.dispose(db, people.reception, jacket.id, "charity", on=CHEAP_ENDS,
                          organisation="Røde Kors", today=CHEAP_ENDS)
    before = count_rows(db, *WRITE_TABLES)
    with pytest.raises(DomainError) as refused:
        lost_property.dispose(db, people.reception, jacket.id, "destroyed", on=CHEAP_ENDS,
                              today=CHEAP_ENDS)
    assert str(refused.value) == (f"Item {jacket.number} is already recorded as “Given to "
                                  "charity”; correct that record instead.")
    with pytest.raises(DomainError, match="correct that record instead"):
        lost_property.dispose(db, people.reception, bread.id, "destroyed", on=FOUND,
                              today=FOUND)
    assert count_rows(db, *WRITE_TABLES) == before


def test_correcting_a_disposition_keeps_the_earlier_one_visible(db, people, cleared):
    _bread, jacket, phone, _scarf = cleared
    lost_property.dispose(db, people.reception, jacket.id, "charity", on=CHEAP_ENDS,
                          organisation="Røde Kors", today=CHEAP_ENDS)
    with pytest.raises(DomainError, match="has no record to correct"):
        lost_property.correct_disposition(db, people.reception, phone.id, "destroyed",
                                          reason="typo", on=VALUABLE_ENDS, today=VALUABLE_ENDS)
    before = count_rows(db, *WRITE_TABLES)
    with pytest.raises(ValidationError) as refused:
        lost_property.correct_disposition(db, people.leader, jacket.id, "destroyed",
                                          reason="  ", on=CHEAP_ENDS, today=CHEAP_ENDS)
    assert refused.value.problems == {"reason": "Write why the record is corrected."}
    # The correction is checked like a first record: no destruction before the end either.
    with pytest.raises(DomainError, match="must be kept until"):
        lost_property.correct_disposition(db, people.leader, jacket.id, "destroyed",
                                          reason="wrong date", on=date(2026, 4, 20),
                                          today=CHEAP_ENDS)
    assert count_rows(db, *WRITE_TABLES) == before
    assert lost_property.get_item(db, people.leader, jacket.id).disposition == "charity"

    corrected = lost_property.correct_disposition(
        db, people.leader, jacket.id, "destroyed", reason="The charity did not take it",
        on=date(2026, 5, 2), today=date(2026, 5, 2))
    assert corrected.disposition == "destroyed"
    assert [(d.kind, d.organisation, d.superseded_at is not None, d.superseded_reason, d.by)
            for d in corrected.history] == [
        ("charity", "Røde Kors", True, "The charity did not take it", "Rasmus Reception"),
        ("destroyed", None, False, None, "Lene Leder")]
    assert corrected.current.kind == "destroyed"
    assert lost_property.get_item(db, people.contact, jacket.id) == corrected

    # Undone altogether: back in storage and due again, both records still visible.
    undone = lost_property.correct_disposition(db, people.leader, jacket.id, None,
                                               reason="It is still on the shelf",
                                               today=date(2026, 5, 2))
    assert undone.disposition is None and undone.current is None
    assert [(d.kind, d.superseded_reason) for d in undone.history] == [
        ("charity", "The charity did not take it"), ("destroyed", "It is still on the shelf")]
    assert jacket.number in _due_numbers(db, people.contact, date(2026, 5, 2))
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(LostItemDisposition).where(
            LostItemDisposition.item_id == jacket.id)) == 2


def test_waiting_for_lists_what_is_kept_for_a_returning_resident(db, people, scene, cleared):
    _bread, jacket, phone, _scarf = cleared
    assert lost_property.waiting_for(db, people.reception, "SA-3003") == []
    assert lost_property.waiting_for(db, people.reception, "  ") == []
    assert _numbers(lost_property.waiting_for(db, people.night, " BI-2002 ")) == [
        jacket.number, phone.number]
    # Ahmad comes back and is found by his person ID; the phone is handed back.
    back = date(2026, 4, 10)
    returned = _arrive(db, people.coordinator, scene.beds["101 / A"], "AF-1001", "Ahmad",
                       "Karimi", back)
    waiting = lost_property.waiting_for(db, people.reception, returned.data.person_id)
    assert _numbers(waiting) == [jacket.number, phone.number]
    assert {v.id: v for v in waiting}[phone.id] == phone
    lost_property.dispose(db, people.reception, phone.id, "returned", on=back,
                          recipient_person_id="AF-1001", today=back)
    assert _numbers(lost_property.waiting_for(db, people.reception, "AF-1001")) == [
        jacket.number]


# --- permissions and the audit trail -----------------------------------------------------

def test_contact_persons_may_look_but_not_change_and_the_administrator_may_not_look(
        db, people, scene, cleared):
    _bread, jacket, _phone, _scarf = cleared
    contact, admin = people.contact, people.admin
    # A contact person sees the register.
    assert lost_property.occupants(db, contact, scene.room, FOUND)
    assert lost_property.get_item(db, contact, jacket.id) == jacket
    assert lost_property.waiting_for(db, contact, "AF-1001")
    before = count_rows(db, *WRITE_TABLES)
    writes = [
        lambda actor: _clear_room(db, actor, scene),
        lambda actor: lost_property.correct_item(db, actor, jacket.id, THREE_ITEMS[1],
                                                 found_on=FOUND, person_ids=[], today=FOUND),
        lambda actor: lost_property.dispose(db, actor, jacket.id, "destroyed", on=CHEAP_ENDS,
                                            today=CHEAP_ENDS),
        lambda actor: lost_property.correct_disposition(db, actor, jacket.id, None,
                                                        reason="x", today=CHEAP_ENDS),
    ]
    for write in writes:
        for actor in (contact, admin):
            with pytest.raises(PermissionDenied):
                write(actor)
    reads = [
        lambda: lost_property.occupants(db, admin, scene.room, FOUND),
        lambda: lost_property.register(db, admin, today=FOUND),
        lambda: lost_property.get_item(db, admin, jacket.id),
        lambda: lost_property.waiting_for(db, admin, "AF-1001"),
    ]
    for read in reads:
        with pytest.raises(PermissionDenied, match="see the lost-property register"):
            read()
    assert count_rows(db, *WRITE_TABLES) == before


def test_every_write_is_audited_with_who_did_it(db, people, scene):
    bread, jacket, _phone = _clear_room(db, people.reception, scene)
    created = audit_entries(db, action="create", entity="lost_item")
    assert len(created) == 3
    assert {e.staff_id for e in created} == {people.reception.staff_id}
    assert [e.changes["number"][1] for e in created] == ["2026-0001", "2026-0002", "2026-0003"]
    assert created[1].changes["retention_ends"] == [None, "2026-04-30"]
    assert created[1].changes["person_ids"] == [None, ["AF-1001", "BI-2002"]]
    (discarded,) = audit_entries(db, action="create", entity="lost_item_disposition")
    assert discarded.changes["item_id"] == [None, str(bread.id)]
    assert discarded.changes["kind"] == [None, "discarded_perishable"]

    lost_property.dispose(db, people.night, jacket.id, "charity", on=CHEAP_ENDS,
                          organisation="Røde Kors", today=CHEAP_ENDS)
    new = audit_entries(db, action="create", entity="lost_item_disposition")[-1]
    assert new.staff_id == people.night.staff_id
    assert new.changes["organisation"] == [None, "Røde Kors"]
    (updated,) = audit_entries(db, action="update", entity="lost_item", entity_id=jacket.id)
    assert updated.changes["disposition"] == [None, "charity"]

    lost_property.correct_disposition(db, people.leader, jacket.id, "destroyed",
                                      reason="Not taken", on=CHEAP_ENDS, today=CHEAP_ENDS)
    (superseded,) = audit_entries(db, action="update", entity="lost_item_disposition")
    assert superseded.staff_id == people.leader.staff_id
    assert superseded.changes["superseded_reason"] == [None, "Not taken"]
    assert superseded.changes["superseded_at"][0] is None
    assert audit_entries(db, action="update", entity="lost_item",
                         entity_id=jacket.id)[-1].changes["disposition"] == [
        "charity", "destroyed"]
    assert len(audit_entries(db, action="create", entity="lost_item_disposition")) == 3


# --- PostgreSQL --------------------------------------------------------------------------

@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.close()


def test_register_and_dispositions_on_postgres(pg_db: Database) -> None:
    db = pg_db
    centre.initialise_centre(db, centre_name="Børnecenter Østerå", centre_code="OESTERAA",
                             admin_username="admin", admin_full_name="Åse Ødegård",
                             admin_password=PASSWORD)
    admin = auth.login(db, "admin", PASSWORD)
    for username, name, role in (("leder", "Lærke Leder", "centre_leader"),
                                 ("desk", "Rasmus Reception", "reception")):
        staff.create_staff(db, admin, username=username, full_name=name, password=PASSWORD,
                           roles=[role])
    leader, desk = auth.login(db, "leder", PASSWORD), auth.login(db, "desk", PASSWORD)
    beds = rooms.create_room(db, admin, "101", ["A", "B"])
    ahmad = _arrive(db, leader, beds[0].id, "AF-1001", "Ahmad", "Karimi", date(2026, 1, 5))
    _arrive(db, leader, beds[1].id, "SA-3003", "Samir", "Nouri", date(2026, 1, 5))
    residents.move_out(db, leader, ahmad.id, on=date(2026, 3, 27), reason="departed",
                       today=FOUND)
    scene = Scene(beds[0].room_id, beds[0].room_id, {})

    assert [(o.person_id, o.moved_out_on) for o in lost_property.occupants(
        db, desk, scene.room, FOUND)] == [("AF-1001", date(2026, 3, 27)), ("SA-3003", None)]
    bread, jacket, phone = _clear_room(db, desk, scene, person_ids=["AF-1001"])
    assert [(i.number, i.value_dkk, i.retention_ends, i.disposition)
            for i in (bread, jacket, phone)] == [
        ("2026-0001", Decimal("0.00"), FOUND, "discarded_perishable"),
        ("2026-0002", Decimal("499.99"), CHEAP_ENDS, None),
        ("2026-0003", Decimal("500.00"), VALUABLE_ENDS, None)]
    assert _due_numbers(db, desk, date(2026, 4, 29)) == []
    assert _due_numbers(db, desk, CHEAP_ENDS) == [jacket.number]
    assert [d.params["number"] for d in _lost_duties(db, CHEAP_ENDS)] == [jacket.number]
    assert [v.number for v in lost_property.register(
        db, desk, RegisterFilter(view="all", text="af-1001"), today=FOUND)] == [
        "2026-0003", "2026-0002", "2026-0001"]

    with pytest.raises(DomainError, match="must be kept until"):
        lost_property.dispose(db, desk, jacket.id, "destroyed", on=date(2026, 4, 29),
                              today=date(2026, 4, 29))
    lost_property.dispose(db, desk, jacket.id, "destroyed", on=CHEAP_ENDS, today=CHEAP_ENDS)
    lost_property.dispose(db, desk, phone.id, "returned", on=date(2026, 4, 2),
                          recipient_person_id="AF-1001", today=date(2026, 4, 2))
    corrected = lost_property.correct_disposition(db, leader, phone.id, "returned",
                                                  reason="Wrong day", on=date(2026, 4, 3),
                                                  recipient_person_id="AF-1001",
                                                  today=date(2026, 4, 3))
    assert [(d.kind, d.on, d.superseded_reason) for d in corrected.history] == [
        ("returned", date(2026, 4, 2), "Wrong day"), ("returned", date(2026, 4, 3), None)]
    assert _due_numbers(db, desk, VALUABLE_ENDS) == []
    assert lost_property.waiting_for(db, desk, "AF-1001") == []
    assert len(audit_entries(db, entity="lost_item_disposition")) == 5
