"""The retention rules for lost property at their edges (domain-rules §5)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.lost_property import (is_danish_working_day, owner_search_ends,
                                     retention_ends)

FOUND = date(2026, 11, 23)


@pytest.mark.parametrize(("value", "ends"), [
    (Decimal("0"), date(2026, 12, 23)),
    (Decimal("499.99"), date(2026, 12, 23)),
    (Decimal("500"), date(2027, 2, 23)),
    (Decimal("500.00"), date(2027, 2, 23)),
    (Decimal("500.01"), date(2027, 2, 23)),
    (12000, date(2027, 2, 23)),
])
def test_value_decides_one_or_three_months(value, ends):
    assert retention_ends(FOUND, value) == ends


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("499.99"), Decimal("5000")])
def test_perishables_are_discarded_the_day_they_are_found(value):
    assert retention_ends(FOUND, value, perishable=True) == FOUND


@pytest.mark.parametrize(("found", "value", "ends"), [
    (date(2027, 1, 31), Decimal("100"), date(2027, 2, 28)),   # not a leap year
    (date(2028, 1, 31), Decimal("100"), date(2028, 2, 29)),   # leap year
    (date(2026, 11, 30), Decimal("100"), date(2026, 12, 30)),
    (date(2026, 11, 30), Decimal("500"), date(2027, 2, 28)),
    (date(2027, 11, 30), Decimal("500"), date(2028, 2, 29)),
    (date(2026, 8, 31), Decimal("500"), date(2026, 11, 30)),
    (date(2026, 12, 31), Decimal("100"), date(2027, 1, 31)),
    (date(2026, 10, 31), Decimal("100"), date(2026, 11, 30)),
])
def test_months_are_calendar_months_clamped_to_the_month_end(found, value, ends):
    assert retention_ends(found, value) == ends


@pytest.mark.parametrize("value", [Decimal("-0.01"), -1, Decimal("NaN"), Decimal("Infinity"),
                                   "many"])
def test_invalid_values_are_refused(value):
    with pytest.raises(ValueError):
        retention_ends(FOUND, value)


def test_a_float_is_refused_because_money_is_exact():
    with pytest.raises(TypeError):
        retention_ends(FOUND, 499.99)  # type: ignore[arg-type]


@pytest.mark.parametrize(("found", "ends"), [
    (date(2026, 11, 23), date(2026, 11, 26)),  # Monday -> Thursday
    (date(2026, 11, 20), date(2026, 11, 25)),  # Friday -> Wednesday
    (date(2026, 11, 21), date(2026, 11, 25)),  # Saturday -> Wednesday
    (date(2026, 11, 22), date(2026, 11, 25)),  # Sunday -> Wednesday
    # Easter 2026: Maundy Thursday 2/4, Good Friday 3/4, Easter Monday 6/4.
    (date(2026, 4, 1), date(2026, 4, 9)),
    (date(2026, 3, 31), date(2026, 4, 8)),
    # Christmas 2026: Christmas Eve (Thu), Christmas Day (Fri), New Year's Eve and Day.
    (date(2026, 12, 23), date(2026, 12, 30)),
    (date(2026, 12, 28), date(2027, 1, 4)),
    # Constitution Day, Friday 5 June 2026, makes a long weekend.
    (date(2026, 6, 4), date(2026, 6, 10)),
    # Whit Monday 25 May 2026 and Ascension Day 14 May 2026.
    (date(2026, 5, 22), date(2026, 5, 28)),
    (date(2026, 5, 13), date(2026, 5, 19)),
])
def test_owner_search_lasts_three_danish_working_days(found, ends):
    assert owner_search_ends(found) == ends


def test_working_days():
    assert is_danish_working_day(date(2026, 11, 23))
    assert not is_danish_working_day(date(2026, 11, 22))  # Sunday
    assert not is_danish_working_day(date(2026, 6, 5))  # Constitution Day
    assert not is_danish_working_day(date(2026, 12, 24))
    assert is_danish_working_day(date(2026, 5, 1))  # Workers' Day is not a day off for all
    # Great Prayer Day was abolished from 2024.
    assert not is_danish_working_day(date(2023, 5, 5))
    assert is_danish_working_day(date(2024, 4, 26))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_owner_search_ends_on_a_working_day_within_two_weeks(found):
    ends = owner_search_ends(found)
    assert found < ends <= found + timedelta(days=14)
    assert is_danish_working_day(ends)
    between = [found + timedelta(days=n) for n in range(1, (ends - found).days + 1)]
    assert sum(is_danish_working_day(day) for day in between) == 3


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       st.decimals(min_value=0, max_value=100000, places=2))
def test_retention_is_one_or_three_months_and_never_before_the_find(found, value):
    ends = retention_ends(found, value)
    assert found + timedelta(days=28) <= ends <= found + timedelta(days=92)
    assert (ends - found).days >= (89 if value >= 500 else 28)
