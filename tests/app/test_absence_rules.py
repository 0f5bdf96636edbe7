"""The pure rules of issue 3: when a missing resident must be reported (``report_due``), how
urgent a report is, which marks open a missing case, and the schedule of the three rounds.

Aware datetimes with the *same* tzinfo compare and subtract on the wall clock (PEP 495), so
every elapsed-time assertion here converts to UTC first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.formatting import LOCAL_TZ
from app.rules.absence import (
    FROM_15_DELAY,
    MARKS,
    SOON,
    UNDER_15_DELAY,
    opens_missing_case,
    report_due,
    report_urgency,
)
from app.rules.residents import age_on
from app.rules.rounds import (
    DEFAULT_ROUND_TIMES,
    ROUND_SLOTS,
    current_slot,
    next_slot,
    parse_round_times,
    parse_time_of_day,
    planned_at,
)

CPH = ZoneInfo("Europe/Copenhagen")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
HOURS_12 = timedelta(hours=12)
HOURS_24 = timedelta(hours=24)


def cph(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=CPH, fold=fold)  # type: ignore[misc]


def elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two aware moments (not the wall-clock difference)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def same_instant(a: datetime, b: datetime) -> bool:
    return a.astimezone(UTC) == b.astimezone(UTC)


# --- report_due: age --------------------------------------------------------------------

def test_the_constants_are_those_of_the_domain_rules() -> None:
    assert UNDER_15_DELAY == HOURS_12
    assert FROM_15_DELAY == HOURS_24


def test_14_years_364_days_old_gets_12_hours() -> None:
    born = date(2011, 11, 21)
    since = cph(2026, 11, 20, 8, 0)
    assert (since.date() - date(2025, 11, 21)).days == 364  # 364 days after the 14th birthday
    assert age_on(born, since.date()) == 14
    due = report_due(born, since)
    assert elapsed(since, due) == HOURS_12
    assert due == cph(2026, 11, 20, 20, 0)


def test_one_minute_before_midnight_on_the_day_before_the_15th_birthday_is_still_12_hours() -> None:
    since = cph(2026, 11, 20, 23, 59)
    assert elapsed(since, report_due(date(2011, 11, 21), since)) == HOURS_12


def test_turning_15_during_the_absence_keeps_the_12_hour_deadline() -> None:
    born = date(2011, 11, 21)
    since = cph(2026, 11, 20, 22, 0)
    due = report_due(born, since)
    # The deadline falls on the 15th birthday, but the age when missed decides.
    assert due.date() == date(2026, 11, 21)
    assert age_on(born, due.date()) == 15
    assert due == cph(2026, 11, 21, 10, 0)
    assert elapsed(since, due) == HOURS_12


def test_exactly_15_on_the_day_gets_24_hours() -> None:
    born = date(2011, 11, 21)
    for since in (cph(2026, 11, 21, 0, 0), cph(2026, 11, 21, 12, 0), cph(2026, 11, 21, 23, 59)):
        due = report_due(born, since)
        assert elapsed(since, due) == HOURS_24, since
        assert due == since + HOURS_24  # no DST change in November


def test_age_is_taken_on_the_copenhagen_calendar_day() -> None:
    born = date(2011, 11, 21)
    # 23:30 UTC on the 20th is already 00:30 on the 21st (the 15th birthday) in Copenhagen.
    since_utc = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert elapsed(since_utc, report_due(born, since_utc)) == HOURS_24
    # 18:30 in New York on the 20th is also 00:30 in Copenhagen on the 21st.
    since_ny = datetime(2026, 11, 20, 18, 30, tzinfo=NEW_YORK)
    assert same_instant(since_ny, since_utc)
    assert elapsed(since_ny, report_due(born, since_ny)) == HOURS_24
    # 07:59 in Tokyo on the 21st is 23:59 on the 20th in Copenhagen: still 14, 12 hours.
    since_tokyo = datetime(2026, 11, 21, 7, 59, tzinfo=TOKYO)
    assert since_tokyo.astimezone(CPH).date() == date(2026, 11, 20)
    assert elapsed(since_tokyo, report_due(born, since_tokyo)) == HOURS_12


def test_older_residents_get_24_hours() -> None:
    since = cph(2026, 11, 20, 9, 15)
    for born in (date(2009, 1, 1), date(2008, 11, 21), date(2011, 11, 20)):
        assert elapsed(since, report_due(born, since)) == HOURS_24, born


def test_young_children_get_12_hours() -> None:
    since = cph(2026, 11, 20, 9, 15)
    for born in (date(2026, 11, 20), date(2020, 1, 1), date(2012, 6, 30)):
        assert elapsed(since, report_due(born, since)) == HOURS_12, born


# --- report_due: immediately ----------------------------------------------------------------

@pytest.mark.parametrize("flags", [{"special_concern": True}, {"known_not_staying": True},
                                   {"special_concern": True, "known_not_staying": True}])
@pytest.mark.parametrize("born", [date(2016, 3, 3), date(2011, 11, 21), date(2009, 1, 1)])
def test_special_concern_or_known_not_staying_is_due_at_once(flags: dict[str, bool],
                                                             born: date) -> None:
    since = datetime(2026, 11, 20, 16, 45, tzinfo=NEW_YORK)
    due = report_due(born, since, **flags)
    assert same_instant(due, since)
    assert due.tzinfo is LOCAL_TZ
    assert due == cph(2026, 11, 20, 22, 45)


def test_flags_off_are_not_immediate() -> None:
    since = cph(2026, 11, 20, 10, 0)
    due = report_due(date(2012, 1, 1), since, special_concern=False, known_not_staying=False)
    assert elapsed(since, due) == HOURS_12


# --- report_due: daylight saving time -----------------------------------------------------------

def test_dst_start_weekend_12_hours_are_12_real_hours() -> None:
    # Sunday 29 March 2026, 02:00 CET -> 03:00 CEST.
    since = cph(2026, 3, 28, 20, 0)  # CET, 19:00 UTC
    due = report_due(date(2014, 5, 5), since)
    assert elapsed(since, due) == HOURS_12
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    # On the wall clock that is 13 hours later: 09:00 summer time, not 08:00.
    assert (due.replace(tzinfo=None), due.utcoffset()) == (datetime(2026, 3, 29, 9, 0),
                                                          timedelta(hours=2))


def test_dst_start_weekend_24_hours_are_24_real_hours() -> None:
    since = cph(2026, 3, 28, 12, 0)  # 11:00 UTC
    due = report_due(date(2010, 5, 5), since)
    assert elapsed(since, due) == HOURS_24
    assert due.replace(tzinfo=None) == datetime(2026, 3, 29, 13, 0)
    assert due.utcoffset() == timedelta(hours=2)


def test_dst_end_weekend_12_hours_are_12_real_hours() -> None:
    # Sunday 25 October 2026, 03:00 CEST -> 02:00 CET.
    since = cph(2026, 10, 24, 20, 0)  # CEST, 18:00 UTC
    due = report_due(date(2014, 5, 5), since)
    assert elapsed(since, due) == HOURS_12
    assert due.astimezone(UTC) == datetime(2026, 10, 25, 6, 0, tzinfo=UTC)
    # On the wall clock only 11 hours later: 07:00 winter time, not 08:00.
    assert (due.replace(tzinfo=None), due.utcoffset()) == (datetime(2026, 10, 25, 7, 0),
                                                          timedelta(hours=1))


def test_dst_end_weekend_24_hours_are_24_real_hours() -> None:
    since = cph(2026, 10, 24, 12, 0)  # 10:00 UTC
    due = report_due(date(2010, 5, 5), since)
    assert elapsed(since, due) == HOURS_24
    assert due.replace(tzinfo=None) == datetime(2026, 10, 25, 11, 0)
    assert due.utcoffset() == timedelta(hours=1)


def test_missing_in_the_repeated_hour_of_the_dst_end_night() -> None:
    """02:30 happens twice on 25 October; ``fold`` says which, an hour apart in real time."""
    first = cph(2026, 10, 25, 2, 30, fold=0)   # 00:30 UTC, summer time
    second = cph(2026, 10, 25, 2, 30, fold=1)  # 01:30 UTC, winter time
    assert elapsed(first, second) == timedelta(hours=1)
    born = date(2014, 5, 5)
    assert report_due(born, first).astimezone(UTC) == datetime(2026, 10, 25, 12, 30, tzinfo=UTC)
    assert report_due(born, second).astimezone(UTC) == datetime(2026, 10, 25, 13, 30,
                                                                tzinfo=UTC)
    immediate = report_due(born, second, special_concern=True)
    assert immediate.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_a_deadline_landing_in_the_repeated_hour_is_the_right_instant() -> None:
    since = datetime(2026, 10, 24, 13, 30, tzinfo=UTC)  # 15:30 CEST
    due = report_due(date(2014, 5, 5), since)
    assert due.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    # Shown as the second 02:30 (winter time), not the first.
    assert (due.hour, due.minute, due.fold, due.utcoffset()) == (2, 30, 1, timedelta(hours=1))


def test_the_deadline_does_not_move_in_a_week_without_dst_change() -> None:
    since = cph(2026, 7, 1, 22, 0)
    assert report_due(date(2014, 5, 5), since) == cph(2026, 7, 2, 10, 0)
    assert report_due(date(2010, 5, 5), since) == cph(2026, 7, 2, 22, 0)


# --- report_due: timezones and bad input ----------------------------------------------------------

@pytest.mark.parametrize("zone", [UTC, NEW_YORK, TOKYO, timezone(timedelta(hours=5, minutes=30)),
                                  timezone(timedelta(hours=-3)), ZoneInfo("Australia/Lord_Howe")])
@pytest.mark.parametrize("born", [date(2014, 5, 5), date(2010, 5, 5)])
def test_any_timezone_gives_the_same_instant_in_copenhagen(zone: tzinfo, born: date) -> None:
    for since_cph in (cph(2026, 11, 20, 23, 30), cph(2026, 3, 28, 21, 0),
                      cph(2026, 10, 24, 15, 0)):
        expected = report_due(born, since_cph)
        since = since_cph.astimezone(zone)
        due = report_due(born, since)
        assert same_instant(due, expected)
        assert due.tzinfo is LOCAL_TZ
        assert due.utcoffset() == expected.utcoffset()
        assert due.fold == expected.fold


def test_a_naive_datetime_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="naive"):
        report_due(date(2012, 1, 1), datetime(2026, 11, 20, 8, 0))
    with pytest.raises(ValueError, match="naive"):
        report_due(date(2012, 1, 1), datetime(2026, 11, 20, 8, 0), special_concern=True)


def test_a_tzinfo_without_an_offset_counts_as_naive() -> None:
    class NoOffset(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta | None:
            return None

        def dst(self, dt: datetime | None) -> timedelta | None:
            return None

        def tzname(self, dt: datetime | None) -> str | None:
            return None

    with pytest.raises(ValueError, match="naive"):
        report_due(date(2012, 1, 1), datetime(2026, 11, 20, 8, 0, tzinfo=NoOffset()))


def test_a_birth_date_after_missing_since_is_refused() -> None:
    with pytest.raises(ValueError, match="birth date 2026-11-21 is after"):
        report_due(date(2026, 11, 21), cph(2026, 11, 20, 23, 59))
    with pytest.raises(ValueError, match="after"):
        report_due(date(2030, 1, 1), cph(2026, 11, 20, 8, 0), known_not_staying=True)
    # 22:30 UTC on the 20th is 23:30 in Copenhagen: before a birth on the 21st, even though it
    # is already the 21st in Tokyo.
    with pytest.raises(ValueError):
        report_due(date(2026, 11, 21), datetime(2026, 11, 20, 22, 30, tzinfo=UTC).astimezone(TOKYO))


def test_born_on_the_day_missing_is_allowed() -> None:
    since = cph(2026, 11, 20, 0, 0)
    assert elapsed(since, report_due(date(2026, 11, 20), since)) == HOURS_12
    # 23:30 UTC on the 20th is the 21st in Copenhagen: a birth on the 21st is not "after" it.
    since_utc = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert elapsed(since_utc, report_due(date(2026, 11, 21), since_utc)) == HOURS_12


# --- report_due: 29 February ------------------------------------------------------------------

def test_29_february_birthday_turns_15_on_1_march_in_a_common_year() -> None:
    born = date(2012, 2, 29)
    assert elapsed(cph(2027, 2, 28, 22, 0), report_due(born, cph(2027, 2, 28, 22, 0))) == HOURS_12
    assert elapsed(cph(2027, 3, 1, 0, 0), report_due(born, cph(2027, 3, 1, 0, 0))) == HOURS_24


def test_29_february_and_28_february_birthdays_around_leap_years() -> None:
    born = date(2013, 2, 28)  # 15 on 28 February 2028 (a leap year), not a day later
    assert elapsed(cph(2028, 2, 27, 12, 0), report_due(born, cph(2028, 2, 27, 12, 0))) == HOURS_12
    assert elapsed(cph(2028, 2, 28, 12, 0), report_due(born, cph(2028, 2, 28, 12, 0))) == HOURS_24
    born = date(2008, 2, 29)  # 15 on 1 March 2023; 20 on 29 February 2028
    assert elapsed(cph(2023, 2, 28, 12, 0), report_due(born, cph(2023, 2, 28, 12, 0))) == HOURS_12
    assert elapsed(cph(2023, 3, 1, 12, 0), report_due(born, cph(2023, 3, 1, 12, 0))) == HOURS_24
    born = date(2016, 2, 29)  # 15 on 1 March 2031 (common year), born on a leap day
    since = cph(2031, 2, 28, 23, 59)
    assert elapsed(since, report_due(born, since)) == HOURS_12
    assert report_due(born, cph(2016, 2, 29, 12, 0)) == cph(2016, 3, 1, 0, 0)


# --- report_due: properties ---------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2200, 12, 31),
                       timezones=st.timezones())


@st.composite
def absences(draw: st.DrawFn) -> tuple[date, datetime, bool, bool]:
    since = draw(moments)
    local_day = since.astimezone(CPH).date()
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=local_day))
    return born, since, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=400, deadline=None)
@given(absences())
def test_property_the_deadline_is_within_24_hours_of_missing_since(
        case: tuple[date, datetime, bool, bool]) -> None:
    born, since, concern, not_staying = case
    due = report_due(born, since, special_concern=concern, known_not_staying=not_staying)
    assert due.tzinfo is LOCAL_TZ
    delay = elapsed(since, due)
    assert timedelta(0) <= delay <= HOURS_24
    # Exactly one of the three deadlines of domain-rules §2, never anything in between.
    if concern or not_staying:
        assert delay == timedelta(0)
    elif age_on(born, since.astimezone(CPH).date()) < 15:
        assert delay == HOURS_12
    else:
        assert delay == HOURS_24


@settings(max_examples=200, deadline=None)
@given(absences(), st.timezones())
def test_property_the_timezone_of_the_input_does_not_matter(
        case: tuple[date, datetime, bool, bool], zone: tzinfo) -> None:
    born, since, concern, not_staying = case
    a = report_due(born, since, special_concern=concern, known_not_staying=not_staying)
    b = report_due(born, since.astimezone(zone), special_concern=concern,
                   known_not_staying=not_staying)
    assert same_instant(a, b)


@settings(max_examples=100, deadline=None)
@given(moments, st.integers(min_value=1, max_value=5000))
def test_property_a_birth_date_after_missing_since_always_raises(since: datetime,
                                                                 days_after: int) -> None:
    born = since.astimezone(CPH).date() + timedelta(days=days_after)
    with pytest.raises(ValueError):
        report_due(born, since)


@settings(max_examples=100, deadline=None)
@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2200, 12, 31)),
       st.dates(max_value=date(1950, 1, 1)))
def test_property_naive_datetimes_always_raise(since: datetime, born: date) -> None:
    with pytest.raises(ValueError, match="naive"):
        report_due(born, since)


# --- report_urgency -------------------------------------------------------------------------------

def test_report_urgency_edges() -> None:
    due = cph(2026, 11, 20, 20, 0)
    assert report_urgency(due, due) == "overdue"  # due now: overdue, not merely due
    assert report_urgency(due, due + timedelta(seconds=1)) == "overdue"
    assert report_urgency(due, due - timedelta(seconds=1)) == "due"
    assert report_urgency(due, due - SOON) == "due"
    assert report_urgency(due, due - SOON - timedelta(seconds=1)) == "upcoming"
    assert SOON == timedelta(hours=2)


def test_report_urgency_compares_instants_whatever_the_timezone_of_now() -> None:
    due = cph(2026, 11, 20, 20, 0)  # 19:00 UTC
    assert report_urgency(due, datetime(2026, 11, 20, 19, 0, tzinfo=UTC)) == "overdue"
    assert report_urgency(due, datetime(2026, 11, 20, 18, 59, tzinfo=UTC)) == "due"
    assert report_urgency(due, datetime(2026, 11, 20, 11, 0, tzinfo=NEW_YORK)) == "upcoming"
    assert report_urgency(due, datetime(2026, 11, 20, 13, 30, tzinfo=NEW_YORK)) == "due"


def test_report_urgency_in_the_repeated_hour_of_the_dst_end_night() -> None:
    """Both moments in Copenhagen time: the comparison must be of instants, not wall clocks."""
    due = report_due(date(2014, 5, 5), datetime(2026, 10, 24, 13, 30, tzinfo=UTC))
    assert due.fold == 1  # the second 02:30, 01:30 UTC
    first_0245 = cph(2026, 10, 25, 2, 45, fold=0)   # 00:45 UTC: 45 minutes before the deadline
    assert report_urgency(due, first_0245) == "due"
    assert report_urgency(due, cph(2026, 10, 25, 2, 29, fold=1)) == "due"
    assert report_urgency(due, cph(2026, 10, 25, 2, 30, fold=1)) == "overdue"
    early = report_due(date(2014, 5, 5), cph(2026, 10, 24, 14, 30))  # 02:30 CEST, fold 0
    assert report_urgency(early, cph(2026, 10, 25, 2, 15, fold=1)) == "overdue"


# --- opens_missing_case ----------------------------------------------------------------------------

def test_only_an_absent_mark_without_leave_or_open_case_opens_a_case() -> None:
    assert opens_missing_case("absent", on_leave=False, case_open=False) is True
    assert opens_missing_case("absent", on_leave=True, case_open=False) is False
    assert opens_missing_case("absent", on_leave=False, case_open=True) is False
    assert opens_missing_case("absent", on_leave=True, case_open=True) is False
    for mark in MARKS:
        if mark == "absent":
            continue
        for on_leave in (False, True):
            for case_open in (False, True):
                assert opens_missing_case(mark, on_leave=on_leave, case_open=case_open) is False


def test_the_marks_of_domain_rules() -> None:
    assert set(MARKS) == {"present", "absent", "leave", "school", "hospital", "other"}


@pytest.mark.parametrize("mark", ["", "Absent", "missing", "away"])
def test_an_unknown_mark_is_refused(mark: str) -> None:
    with pytest.raises(ValueError, match="unknown attendance mark"):
        opens_missing_case(mark, on_leave=False, case_open=False)


# --- rounds ----------------------------------------------------------------------------------------

TIMES = parse_round_times(DEFAULT_ROUND_TIMES)


def test_default_round_times() -> None:
    assert ROUND_SLOTS == ("morning", "afternoon", "evening")
    assert TIMES == {"morning": time(8, 0), "afternoon": time(15, 0), "evening": time(22, 0)}
    assert list(TIMES) == list(ROUND_SLOTS)


def test_parse_round_times_accepts_spaces_and_any_key_order() -> None:
    parsed = parse_round_times({"evening": " 21:30 ", "morning": "7:05", "afternoon": "14:00"})
    assert list(parsed.items()) == [("morning", time(7, 5)), ("afternoon", time(14, 0)),
                                    ("evening", time(21, 30))]


@pytest.mark.parametrize(("times", "message"), [
    ({"morning": "08:00", "afternoon": "15:00"}, "evening: '' is not a time of day"),
    ({"morning": None, "afternoon": "15:00", "evening": "22:00"}, "morning: ''"),
    ({"morning": "8", "afternoon": "15:00", "evening": "22:00"}, "morning: '8' is not a time"),
    ({"morning": "08:00", "afternoon": "25:00", "evening": "22:00"}, "afternoon: '25:00'"),
    ({"morning": "08:00", "afternoon": "15:60", "evening": "22:00"}, "afternoon: '15:60'"),
    ({"morning": "08:00", "afternoon": "15:00", "evening": "22:00:00"}, "evening: '22:00:00'"),
    ({"morning": "ab:cd", "afternoon": "15:00", "evening": "22:00"}, "morning: 'ab:cd'"),
    ({"morning": "08.00", "afternoon": "15:00", "evening": "22:00"}, "morning: '08.00'"),
    ({"morning": "15:00", "afternoon": "08:00", "evening": "22:00"}, "order"),
    ({"morning": "08:00", "afternoon": "22:00", "evening": "15:00"}, "order"),
    ({"morning": "08:00", "afternoon": "08:00", "evening": "22:00"}, "order"),
])
def test_parse_round_times_errors(times: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_round_times(times)


def test_parse_time_of_day() -> None:
    assert parse_time_of_day("08:00") == time(8, 0)
    assert parse_time_of_day(" 7:05 ") == time(7, 5)
    assert parse_time_of_day("23:59") == time(23, 59)
    for text in (None, "", "8", "24:00", "12:60", "ab:cd", "8:00:00", "08.00"):
        with pytest.raises(ValueError, match="is not a time of day"):
            parse_time_of_day(text)


def test_current_slot_before_the_morning_round_is_yesterdays_evening() -> None:
    assert current_slot(TIMES, cph(2026, 11, 20, 7, 59)) == (date(2026, 11, 19), "evening")
    assert current_slot(TIMES, cph(2026, 11, 20, 0, 0)) == (date(2026, 11, 19), "evening")
    # The first of the month: yesterday is in the previous month.
    assert current_slot(TIMES, cph(2026, 12, 1, 3, 0)) == (date(2026, 11, 30), "evening")


def test_current_slot_during_the_day() -> None:
    assert current_slot(TIMES, cph(2026, 11, 20, 8, 0)) == (date(2026, 11, 20), "morning")
    assert current_slot(TIMES, cph(2026, 11, 20, 14, 59)) == (date(2026, 11, 20), "morning")
    assert current_slot(TIMES, cph(2026, 11, 20, 15, 0)) == (date(2026, 11, 20), "afternoon")
    assert current_slot(TIMES, cph(2026, 11, 20, 21, 59)) == (date(2026, 11, 20), "afternoon")
    assert current_slot(TIMES, cph(2026, 11, 20, 22, 0)) == (date(2026, 11, 20), "evening")
    assert current_slot(TIMES, cph(2026, 11, 20, 23, 59)) == (date(2026, 11, 20), "evening")


def test_current_slot_uses_the_copenhagen_day_of_any_timezone() -> None:
    # 23:30 UTC on the 20th is 00:30 on the 21st in Copenhagen: before the morning round.
    assert current_slot(TIMES, datetime(2026, 11, 20, 23, 30, tzinfo=UTC)) == (
        date(2026, 11, 20), "evening")
    assert current_slot(TIMES, datetime(2026, 11, 20, 7, 30, tzinfo=UTC)) == (
        date(2026, 11, 20), "morning")
    assert current_slot(TIMES, datetime(2026, 11, 20, 9, 0, tzinfo=NEW_YORK)) == (
        date(2026, 11, 20), "afternoon")


def test_current_slot_follows_the_leaders_times() -> None:
    times = parse_round_times({"morning": "06:30", "afternoon": "12:00", "evening": "20:00"})
    assert current_slot(times, cph(2026, 11, 20, 7, 0)) == (date(2026, 11, 20), "morning")
    assert current_slot(times, cph(2026, 11, 20, 6, 29)) == (date(2026, 11, 19), "evening")
    assert current_slot(times, cph(2026, 11, 20, 20, 30)) == (date(2026, 11, 20), "evening")


def test_next_slot() -> None:
    assert next_slot(TIMES, cph(2026, 11, 20, 7, 59)) == (date(2026, 11, 20), "morning")
    assert next_slot(TIMES, cph(2026, 11, 20, 8, 0)) == (date(2026, 11, 20), "afternoon")
    assert next_slot(TIMES, cph(2026, 11, 20, 15, 0)) == (date(2026, 11, 20), "evening")
    assert next_slot(TIMES, cph(2026, 11, 20, 21, 59)) == (date(2026, 11, 20), "evening")
    assert next_slot(TIMES, cph(2026, 11, 20, 22, 0)) == (date(2026, 11, 21), "morning")
    assert next_slot(TIMES, cph(2026, 12, 31, 23, 0)) == (date(2027, 1, 1), "morning")
    assert next_slot(TIMES, datetime(2026, 11, 20, 23, 30, tzinfo=UTC)) == (
        date(2026, 11, 21), "morning")


def test_planned_at_across_dst_start() -> None:
    saturday = planned_at(date(2026, 3, 28), TIMES["evening"])
    sunday = planned_at(date(2026, 3, 29), TIMES["morning"])
    assert saturday.astimezone(UTC) == datetime(2026, 3, 28, 21, 0, tzinfo=UTC)
    assert sunday.astimezone(UTC) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert (saturday.utcoffset(), sunday.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    # The wall clock still says 08:00; the night between was an hour shorter.
    assert (sunday.hour, sunday.minute) == (8, 0)
    assert elapsed(saturday, sunday) == timedelta(hours=9)


def test_planned_at_across_dst_end() -> None:
    saturday = planned_at(date(2026, 10, 24), TIMES["evening"])
    sunday = planned_at(date(2026, 10, 25), TIMES["morning"])
    assert saturday.astimezone(UTC) == datetime(2026, 10, 24, 20, 0, tzinfo=UTC)
    assert sunday.astimezone(UTC) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    assert elapsed(saturday, sunday) == timedelta(hours=11)
    assert planned_at(date(2026, 10, 25), TIMES["afternoon"]).utcoffset() == timedelta(hours=1)


def test_current_slot_on_the_dst_start_morning() -> None:
    # 05:30 UTC is 07:30 summer time (before the round); 06:00 UTC is 08:00 summer time.
    assert current_slot(TIMES, datetime(2026, 3, 29, 5, 30, tzinfo=UTC)) == (
        date(2026, 3, 28), "evening")
    assert current_slot(TIMES, datetime(2026, 3, 29, 6, 0, tzinfo=UTC)) == (
        date(2026, 3, 29), "morning")
    assert next_slot(TIMES, datetime(2026, 3, 29, 5, 59, tzinfo=UTC)) == (
        date(2026, 3, 29), "morning")
    # The day before, 06:00 UTC is 07:00 winter time: still before the morning round.
    assert current_slot(TIMES, datetime(2026, 3, 28, 6, 0, tzinfo=UTC)) == (
        date(2026, 3, 27), "evening")
