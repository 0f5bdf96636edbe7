"""Correcting a submitted incident keeps what was recorded after it (items given back, the
minor's view), keeps the earlier version and only ever adds reports; items are given back
on a date that is neither in the future nor before the incident."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from app.errors import PermissionDenied, ValidationError
from app.models import ConfiscatedItem, IncidentVersion, UseOfForce
from app.services import incidents
from app.services.incidents import ConfiscatedInput, ForceInput, IncidentInput
from app.services.residents import register_arrival
from tests.conftest import resident_input

DAY = date(2026, 11, 1)
HAPPENED = datetime(2026, 11, 20, 2, 40, tzinfo=UTC)      # 03:40 in Copenhagen
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
STATEMENT = "They held me too hard."


@pytest.fixture
def kids(db, people, beds):
    """Ahmad and Omar, both with Karen Kontakt as primary contact person."""
    ahmad = register_arrival(db, people.coordinator, resident_input(), beds[0].id,
                             primary_contact_id=people.contact.staff_id, today=DAY)
    omar = register_arrival(db, people.coordinator, resident_input(
        person_id="44444-4", given_names="Omar", family_name="Al-Hashimi",
        date_of_birth=date(2012, 8, 9)), beds[2].id,
        primary_contact_id=people.contact.staff_id, today=DAY)
    return ahmad, omar


def _input(people, kids, **changes) -> IncidentInput:
    ahmad, omar = kids
    data = IncidentInput(
        happened_at=HAPPENED, noticed_at=HAPPENED + timedelta(minutes=2),
        place="Kitchen", kinds=("violence", "removal", "confiscation"),
        description="Omar threw a chair at Ahmad.",
        residents=((omar.id, "causing"), (ahmad.id, "affected")),
        staff_ids=(people.night.staff_id,),
        uses_of_force=(ForceInput(
            omar.id, "removal", HAPPENED + timedelta(minutes=3),
            HAPPENED + timedelta(minutes=15), "A danger to Ahmad.",
            decided_by=people.night.staff_id),),
        confiscated=(ConfiscatedInput("Kitchen knife", omar.id, "Office safe"),
                     ConfiscatedInput("Mobile phone", omar.id, "Office safe"),
                     ConfiscatedInput("Lighter", omar.id, "Office safe")))
    return replace(data, **changes)


@pytest.fixture
def logged(db, people, kids):
    return incidents.log_incident(db, people.night, _input(people, kids), now=NOW)


def _items(detail) -> dict[str, incidents.ConfiscatedView]:
    return {i.description: i for i in detail.confiscated}


def test_a_correction_keeps_whether_items_still_listed_were_given_back(db, people, kids,
                                                                       logged):
    items = _items(logged)
    incidents.return_confiscated(db, people.contact, items["Mobile phone"].id,
                                 on=date(2026, 11, 21), today=TODAY)
    incidents.return_confiscated(db, people.night, items["Kitchen knife"].id,
                                 on=date(2026, 11, 20), to_police=True, today=TODAY)
    incidents.return_confiscated(db, people.night, items["Lighter"].id,
                                 on=date(2026, 11, 22), today=TODAY)
    _ahmad, omar = kids

    corrected = incidents.correct_incident(db, people.leader, logged.id, _input(
        people, kids, description="Omar threw a chair at Ahmad and hit his arm.",
        confiscated=(ConfiscatedInput("Kitchen knife", omar.id, "Office safe"),
                     ConfiscatedInput("Mobile phone", omar.id, "Locker 3"),
                     # Named differently: another item, as far as the record can tell.
                     ConfiscatedInput("Lighter (blue)", omar.id, "Office safe"),
                     ConfiscatedInput("Charger", omar.id, "Office safe"))),
        reason="The injury was left out", now=NOW)

    items = _items(corrected)
    assert corrected.version == 2
    phone, knife = items["Mobile phone"], items["Kitchen knife"]
    assert (phone.returned_on, phone.returned_by, phone.handed_to_police) == (
        date(2026, 11, 21), "Karen Kontakt", False)
    assert phone.kept_where == "Locker 3"
    assert (knife.returned_on, knife.returned_by, knife.handed_to_police) == (
        date(2026, 11, 20), "Nina Nattevagt", True)
    assert items["Lighter (blue)"].returned_on is None
    assert items["Charger"].returned_on is None
    with db.read() as session:
        gone = session.query(ConfiscatedItem).filter(
            ConfiscatedItem.incident_id == logged.id,
            ConfiscatedItem.deleted_at.is_not(None)).all()
        assert {i.description for i in gone} == {"Kitchen knife", "Mobile phone", "Lighter"}


def test_an_item_of_another_resident_is_another_item(db, people, kids, logged):
    ahmad, _omar = kids
    incidents.return_confiscated(db, people.night, _items(logged)["Mobile phone"].id,
                                 on=date(2026, 11, 21), today=TODAY)
    corrected = incidents.correct_incident(db, people.leader, logged.id, _input(
        people, kids, confiscated=(ConfiscatedInput("Mobile phone", ahmad.id, "Office safe"),)),
        reason="It was Ahmad's phone", now=NOW)
    assert _items(corrected)["Mobile phone"].returned_on is None


def test_a_correction_without_the_minors_view_keeps_the_one_recorded(db, people, kids,
                                                                     logged):
    force = logged.uses_of_force[0]
    incidents.record_statement(db, people.contact, force.id, informed_on=date(2026, 11, 20),
                               statement=STATEMENT, declined=False,
                               statement_on=date(2026, 11, 21))

    corrected = incidents.correct_incident(db, people.leader, logged.id, _input(
        people, kids, place="Kitchen, first floor"), reason="Wrong floor", now=NOW)

    view = corrected.uses_of_force[0]
    assert (view.minor_informed_on, view.minor_statement, view.minor_declined,
            view.statement_on) == (date(2026, 11, 20), STATEMENT, False, date(2026, 11, 21))
    assert corrected.place == "Kitchen, first floor"
    with db.read() as session:
        assert session.query(UseOfForce).filter_by(incident_id=logged.id).count() == 2


def test_a_correction_carrying_the_minors_view_changes_it(db, people, kids, logged):
    force = logged.uses_of_force[0]
    incidents.record_statement(db, people.contact, force.id, informed_on=date(2026, 11, 20),
                               statement="Typo in the stament.", declined=False,
                               statement_on=date(2026, 11, 21))
    data = _input(people, kids)
    data = replace(data, uses_of_force=(replace(
        data.uses_of_force[0], minor_informed_on=date(2026, 11, 20),
        minor_statement=STATEMENT, statement_on=date(2026, 11, 21)),))

    corrected = incidents.correct_incident(db, people.leader, logged.id, data,
                                           reason="Typing error in the minor's view", now=NOW)

    view = corrected.uses_of_force[0]
    assert (view.minor_statement, view.statement_on) == (STATEMENT, date(2026, 11, 21))


def test_another_kind_of_force_does_not_inherit_the_view(db, people, kids, logged):
    force = logged.uses_of_force[0]
    incidents.record_statement(db, people.contact, force.id, informed_on=date(2026, 11, 20),
                               statement=STATEMENT, declined=False, statement_on=None)
    data = _input(people, kids, kinds=("violence", "restraint", "confiscation"))
    data = replace(data, uses_of_force=(replace(data.uses_of_force[0], kind="restraint"),))

    corrected = incidents.correct_incident(db, people.leader, logged.id, data,
                                           reason="It was a short restraint", now=NOW)

    assert corrected.uses_of_force[0].minor_statement is None


def test_the_earlier_version_is_kept_and_reports_are_only_added(db, people, kids, logged):
    incidents.mark_report_done(db, people.night, logged.id, "police", reference="0900-1",
                               done_at=NOW - timedelta(hours=2), now=NOW)
    data = _input(people, kids, kinds=("violence", "removal", "confiscation", "threats",
                                       "harassment"), harassment_grounds="Religion")

    corrected = incidents.correct_incident(db, people.leader, logged.id, data,
                                           reason="He also threatened Ahmad", now=NOW)

    reports = {r.code: r for r in corrected.reports}
    assert reports["police"].done and reports["police"].reference == "0900-1"
    assert "IN8" in reports and not reports["IN8"].done
    assert {"IN9", "IN10"} <= set(reports)
    assert [(v, by, reason) for v, _at, by, reason in corrected.versions] == [
        (1, "Lene Leder", "He also threatened Ahmad")]
    with db.read() as session:
        kept = session.query(IncidentVersion).filter_by(incident_id=logged.id).one()
        assert kept.snapshot["kinds"] == ["violence", "removal", "confiscation"]


def test_a_missing_reason_is_named_with_the_other_problems(db, people, kids, logged):
    with pytest.raises(ValidationError) as raised:
        incidents.correct_incident(db, people.leader, logged.id,
                                   _input(people, kids, place=" "), reason=" ", now=NOW)
    assert set(raised.value.problems) == {"reason", "place"}
    assert raised.value.problems["reason"] == "Write why the incident is corrected."


def test_the_incident_as_input_corrects_to_the_same_incident(db, people, kids, logged):
    force = logged.uses_of_force[0]
    incidents.record_statement(db, people.contact, force.id, informed_on=date(2026, 11, 20),
                               statement=None, declined=True, statement_on=None)
    incidents.return_confiscated(db, people.night, _items(logged)["Lighter"].id,
                                 on=date(2026, 11, 22), today=TODAY)
    before = incidents.get_incident(db, people.leader, logged.id)

    data = incidents.incident_as_input(db, people.leader, logged.id)
    assert data.residents == _input(people, kids).residents
    assert data.uses_of_force[0].minor_declined is True
    after = incidents.correct_incident(db, people.leader, logged.id, data,
                                       reason="Nothing changed", now=NOW)

    def facts(detail):
        return (detail.place, detail.kinds, detail.description, detail.residents, detail.staff,
                [replace(f, id=None) for f in detail.uses_of_force],
                [replace(i, id=None) for i in detail.confiscated])

    assert facts(after) == facts(before)


def test_only_those_who_may_read_the_incident_get_it_to_correct(db, people, kids, logged):
    with pytest.raises(PermissionDenied):
        incidents.incident_as_input(db, people.contact2, logged.id)


# --- giving items back ----------------------------------------------------------------------

def test_an_item_cannot_be_given_back_in_the_future(db, people, logged):
    item = _items(logged)["Mobile phone"]
    with pytest.raises(ValidationError) as raised:
        incidents.return_confiscated(db, people.night, item.id, on=date(2026, 11, 24),
                                     today=TODAY)
    assert raised.value.problems == {"on": "The date 24 Nov 2026 is in the future."}
    assert _items(incidents.get_incident(db, people.night, logged.id))[
        "Mobile phone"].returned_on is None


def test_an_item_cannot_be_given_back_before_the_incident(db, people, logged):
    item = _items(logged)["Mobile phone"]
    with pytest.raises(ValidationError) as raised:
        incidents.return_confiscated(db, people.night, item.id, on=date(2026, 11, 19),
                                     today=TODAY)
    assert raised.value.problems == {
        "on": "The date 19 Nov 2026 is before the incident happened (20 Nov 2026)."}


def test_an_item_can_be_given_back_the_day_it_was_taken_and_today(db, people, logged):
    items = _items(logged)
    incidents.return_confiscated(db, people.night, items["Mobile phone"].id,
                                 on=date(2026, 11, 20), today=TODAY)
    detail = incidents.return_confiscated(db, people.night, items["Lighter"].id, on=TODAY,
                                          to_police=True, today=TODAY)
    items = _items(detail)
    assert items["Mobile phone"].returned_on == date(2026, 11, 20)
    assert (items["Lighter"].returned_on, items["Lighter"].handed_to_police) == (TODAY, True)
    assert items["Lighter"].returned_by == "Nina Nattevagt"


def test_a_return_needs_a_date(db, people, logged):
    with pytest.raises(ValidationError) as raised:
        incidents.return_confiscated(db, people.night, _items(logged)["Lighter"].id, on=None)
    assert set(raised.value.problems) == {"on"}
