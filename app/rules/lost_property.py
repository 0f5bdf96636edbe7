"""How long lost property and belongings left behind are kept (domain-rules §5,
``001_…`` Bilag 13 §4).

Belongings left in a vacated room or bed:

* perishables are discarded at once (and still logged);
* an item worth under DKK 500 is kept one month;
* an item worth DKK 500 or more is kept three months (**Decision:** exactly 500 counts as
  "over");

a month being a calendar month clamped to the month's last day (31 January + 1 month is
28 or 29 February). Things found in common areas whose owner is not found within 2–3
working days go to the police; **Decision:** 3 Danish working days, weekends and Danish
public holidays excluded.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta

#: From this value (DKK, per item) the longer retention applies.
HIGH_VALUE_DKK = Decimal("500")
LOW_VALUE_MONTHS = 1
HIGH_VALUE_MONTHS = 3
#: Working days staff look for the owner of something found in a common area.
OWNER_SEARCH_WORKING_DAYS = 3
# Days the `holidays` package files as "optional" in Denmark on which public offices, the
# police's lost-property office included, are closed. Workers' Day is not among them.
_CLOSED_OPTIONAL_DAYS = frozenset({"Constitution Day", "Christmas Eve", "New Year's Eve"})


def _as_decimal(value_dkk: Decimal | int | str) -> Decimal:
    if isinstance(value_dkk, float):
        # 499.99 as a float is not 499.99: amounts of money are given exactly.
        raise TypeError("give the value as a Decimal (or int), not a float")
    try:
        value = Decimal(value_dkk)
    except (InvalidOperation, ValueError, TypeError):
        raise ValueError(f"{value_dkk!r} is not an amount in DKK") from None
    if not value.is_finite():
        raise ValueError(f"{value_dkk!r} is not an amount in DKK")
    return value


def retention_ends(found_on: date, value_dkk: Decimal, *, perishable: bool = False) -> date:
    """The last day an item found in a vacated room or bed is kept for its owner.

    Perishables end the day they are found (discarded at once); under DKK 500 one calendar
    month later; DKK 500 or more three calendar months later, clamped to the end of a
    shorter month. A negative or non-numeric value raises ``ValueError``.
    """
    value = _as_decimal(value_dkk)
    if value < 0:
        raise ValueError(f"the value of an item cannot be negative (DKK {value})")
    if perishable:
        return found_on
    months = HIGH_VALUE_MONTHS if value >= HIGH_VALUE_DKK else LOW_VALUE_MONTHS
    return found_on + relativedelta(months=months)


@lru_cache(maxsize=64)
def _closed_days(year: int) -> frozenset[date]:
    public = holidays.country_holidays("DK", years=year, language="en_US")
    optional = holidays.country_holidays("DK", years=year, categories=("optional",),
                                         language="en_US")
    return frozenset(public) | frozenset(day for day, name in optional.items()
                                         if name in _CLOSED_OPTIONAL_DAYS)


def is_danish_working_day(day: date) -> bool:
    """Monday to Friday and not a Danish public holiday (nor Constitution Day, Christmas
    Eve or New Year's Eve, when public offices are closed)."""
    return day.weekday() < 5 and day not in _closed_days(day.year)


def owner_search_ends(found_on: date) -> date:
    """The day the search for the owner of an item found in a common area ends: the third
    Danish working day after the day it was found. After it the item goes to the police."""
    day, counted = found_on, 0
    while counted < OWNER_SEARCH_WORKING_DAYS:
        day += timedelta(days=1)
        if is_danish_working_day(day):
            counted += 1
    return day
