"""Patterns and trends in the incident log: counted in Copenhagen time, voided left out."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from app.errors import PermissionDenied, ValidationError
from app.i18n import set_language
from app.services import incident_trends as trends
from app.services import incidents, residents
from app.services.incidents import ForceInput, IncidentInput
from tests.conftest import resident_input

NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
MARCH_TO_OCTOBER = {"since": date(2025, 3, 1), "until": date(2025, 10, 31)}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def kids(db, people, beds):
    """Three minors living at the centre since January 2025."""
    made = []
    for i, (given, family) in enumerate((("Omar", "Haidari"), ("Bilal", "Noori"),
                                         ("Samir", "Ahmadi"))):
        made.append(residents.register_arrival(db, people.coordinator, resident_input(
            person_id=f"1000{i}-1", given_names=given, family_name=family,
            date_of_birth=date(2010, 3, 1), arrival_date=date(2025, 1, 6)), beds[i].id))
    return made


def log(db, actor, happened_at: datetime, kinds: tuple[str, ...], involved=(), force_on=None,
        force_at: datetime | None = None):
    forces = ()
    if force_on is not None:
        start = force_at or happened_at + timedelta(minutes=5)
        forces = tuple(ForceInput(force_on, kind, start, start + timedelta(minutes=3),
                                  "Danger to others") for kind in kinds
                       if kind in {"restraint", "removal", "search_room"})
    return incidents.log_incident(db, actor, IncidentInput(
        happened_at=happened_at, noticed_at=happened_at + timedelta(minutes=1),
        place="Fællesrummet", kinds=kinds, description="Skete.",
        residents=tuple(involved), uses_of_force=forces), now=NOW)


@pytest.fixture
def logged(db, people, kids):
    """Incidents around the switches to and from summer time, at month ends, one voided."""
    omar, bilal, samir = (k.id for k in kids)
    night = people.night
    made = {
        # 30 March 2025: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
        "before_switch": log(db, night, utc(2025, 3, 30, 0, 30), ("violence", "restraint"),
                             [(omar, "causing"), (bilal, "affected")], force_on=omar),
        "after_switch": log(db, night, utc(2025, 3, 30, 1, 30), ("restraint",),
                            [(omar, "affected")], force_on=omar),
        # UTC still 31 March; Copenhagen already Tuesday 1 April, 00:30.
        "april_fool": log(db, night, utc(2025, 3, 31, 22, 30), ("other",),
                          [(omar, "witness"), (samir, "causing")]),
        # UTC 28 February; Copenhagen Saturday 1 March, 00:15.
        "first_of_march": log(db, night, utc(2025, 2, 28, 23, 15), ("threats",),
                              [(samir, "causing")]),
        # 26 October 2025: 02:30 happens twice (CEST, then CET after 01:00 UTC).
        "first_0230": log(db, night, utc(2025, 10, 26, 0, 30), ("theft",)),
        "second_0230": log(db, night, utc(2025, 10, 26, 1, 30), ("search_room",),
                           [(bilal, "affected")], force_on=bilal,
                           # the search began after midnight of 1 November, local time
                           force_at=utc(2025, 10, 31, 23, 10)),
        # Outside the period in local time, inside it in UTC (and the other way round).
        "late_february": log(db, night, utc(2025, 2, 28, 22, 30), ("violence",),
                             [(bilal, "causing")]),
        "early_november": log(db, night, utc(2025, 10, 31, 23, 30), ("violence",),
                              [(bilal, "causing")]),
        # Voided: counts nowhere, not even for Bilal's involvement or the use of force.
        "voided": log(db, night, utc(2025, 5, 10, 12, 0), ("violence", "removal"),
                      [(bilal, "causing")], force_on=bilal),
    }
    incidents.void_incident(db, people.leader, made["voided"].id, reason="Logged twice.",
                            now=NOW)
    return made


def test_months_hours_and_weekdays_are_counted_in_copenhagen_time(db, people, logged):
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    assert t.total == 6
    assert [m.month for m in t.months] == [date(2025, month, 1) for month in range(3, 11)]
    assert [m.incidents for m in t.months] == [3, 1, 0, 0, 0, 0, 0, 2]
    hours = dict(enumerate(t.by_hour))
    assert {h: n for h, n in hours.items() if n} == {0: 2, 1: 1, 2: 2, 3: 1}
    # Monday first: Tuesday 1 April, Saturday 1 March, four on Sundays.
    assert t.by_weekday == (0, 1, 0, 0, 0, 1, 4)


def test_kinds_and_kind_groups(db, people, logged):
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    assert {k: n for k, n in t.by_kind.items() if n} == {
        "violence": 1, "restraint": 2, "other": 1, "threats": 1, "theft": 1, "search_room": 1}
    assert list(t.by_kind) == list(trends.INCIDENT_KINDS)  # every kind, in order
    march, april, *_rest, october = t.months
    # violence + restraint is a crime first; the restraint alone is a use of force.
    assert march.by_group == {"crime": 2, "use_of_force": 1, "other": 0}
    assert march.by_kind == {"violence": 1, "restraint": 2, "threats": 1}
    assert april.by_group == {"crime": 0, "use_of_force": 0, "other": 1}
    assert october.by_group == {"crime": 1, "use_of_force": 1, "other": 0}
    assert trends.kind_group(["other", "search_person"]) == "use_of_force"
    assert trends.kind_group(["arson", "search_person"]) == "crime"


def test_uses_of_force_per_month_by_their_start(db, people, logged):
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    # Two restraints on 30 March; the search began on 1 November local time; the voided
    # removal in May does not count.
    assert t.force_by_month == (2, 0, 0, 0, 0, 0, 0, 0)
    assert t.uses_of_force == 2
    november = trends.incident_trends(db, people.leader, since=date(2025, 11, 1),
                                      until=date(2025, 11, 30))
    assert november.force_by_month == (1,)
    assert november.total == 1  # early_november


def test_residents_involved_again_and_again(db, people, kids, logged):
    omar = kids[0]
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    assert t.residents_involved == 3
    listed = {r.name: r for r in t.residents}
    # Bilal: before_switch and second_0230 in the period; the voided and the two just
    # outside the period do not count.
    assert list(listed) == ["Omar Haidari", "Bilal Noori", "Samir Ahmadi"]
    o = listed["Omar Haidari"]
    assert (o.resident_id, o.person_id, o.incidents) == (omar.id, "10000-1", 3)
    assert o.roles == {"affected": 1, "causing": 1, "witness": 1}
    assert o.kinds == {"restraint": 2, "violence": 1, "other": 1}
    assert o.last_at == utc(2025, 3, 31, 22, 30)
    assert listed["Bilal Noori"].roles == {"affected": 2}
    assert listed["Samir Ahmadi"].roles == {"causing": 2}
    march_only = trends.incident_trends(db, people.leader, since=date(2025, 3, 1),
                                        until=date(2025, 3, 31))
    # Samir's second incident is on 1 April local time (31 March UTC).
    assert [r.name for r in march_only.residents] == ["Omar Haidari"]


def test_a_corrected_incident_counts_as_it_is_now(db, people, kids, logged):
    omar, _bilal, samir = kids
    incident = logged["april_fool"]
    incidents.correct_incident(db, people.leader, incident.id, IncidentInput(
        happened_at=incident.happened_at, noticed_at=incident.noticed_at, place="Køkkenet",
        kinds=("vandalism",), description="Skete.", residents=((samir.id, "causing"),)),
        reason="Omar was not there.", now=NOW)
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    assert t.by_kind["other"] == 0 and t.by_kind["vandalism"] == 1
    assert t.months[1].by_group == {"crime": 1, "use_of_force": 0, "other": 0}
    omar_row = next(r for r in t.residents if r.resident_id == omar.id)
    assert omar_row.incidents == 2 and "witness" not in omar_row.roles


def test_an_empty_period_is_all_zeros(db, people, logged):
    t = trends.incident_trends(db, people.leader, since=date(2024, 11, 15),
                               until=date(2025, 1, 10))
    assert t.total == 0 and t.uses_of_force == 0 and t.residents == ()
    assert [m.month for m in t.months] == [date(2024, 11, 1), date(2024, 12, 1),
                                           date(2025, 1, 1)]
    assert t.by_hour == (0,) * 24 and t.by_weekday == (0,) * 7
    assert trends.first_incident_day(db, people.leader) == date(2025, 2, 28)


def test_csv_has_the_month_by_kind_table_and_the_residents(db, people, logged):
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    rows = list(csv.reader(io.StringIO(trends.trends_csv(t)), delimiter=";"))
    header = rows[0]
    assert header[:5] == ["Month", "Incidents", "Crime (reported to the police)",
                          "Use of force", "Other"]
    assert header[-1] == "Uses of force"
    assert "Short restraint/holding" in header and "Violence" in header
    assert len(rows[1:9]) == 8 and all(len(r) == len(header) for r in rows[1:10])
    march = dict(zip(header, rows[1], strict=True))
    assert (march["Month"], march["Incidents"], march["Violence"],
            march["Short restraint/holding"], march["Uses of force"]) == (
        "2025-03", "3", "1", "2", "2")
    assert [r[0] for r in rows[1:9]] == [f"2025-{m:02d}" for m in range(3, 11)]
    total = dict(zip(header, rows[9], strict=True))
    assert (total["Month"], total["Incidents"], total["Uses of force"]) == ("Total", "6", "2")
    assert rows[10] == []
    assert rows[11] == ["Resident", "Person ID", "Incidents", "Affected", "Causing",
                        "Witness", "Kinds", "Last incident"]
    assert rows[12] == ["Omar Haidari", "10000-1", "3", "1", "1", "1",
                        "Short restraint/holding (2), Violence (1), Other (1)",
                        "2025-04-01 00:30"]
    assert [r[0] for r in rows[12:]] == ["Omar Haidari", "Bilal Noori", "Samir Ahmadi"]


def test_csv_file_is_utf8_with_bom_and_translated(db, people, logged, tmp_path):
    set_language("da")
    t = trends.incident_trends(db, people.leader, **MARCH_TO_OCTOBER)
    path = trends.write_trends_csv(t, tmp_path / "mønstre.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][1] == "Hændelser"
    assert rows[9][0] == "I alt"
    assert rows[11][0] == "Beboer"


def test_reception_may_not_see_the_trends(db, people, logged):
    with pytest.raises(PermissionDenied):
        trends.incident_trends(db, people.reception, **MARCH_TO_OCTOBER)
    with pytest.raises(PermissionDenied):
        trends.first_incident_day(db, people.night)
    assert trends.incident_trends(db, people.coordinator, **MARCH_TO_OCTOBER).total == 6


def test_a_period_must_not_end_before_it_begins(db, people):
    with pytest.raises(ValidationError):
        trends.incident_trends(db, people.leader, since=date(2025, 3, 2),
                               until=date(2025, 3, 1))
