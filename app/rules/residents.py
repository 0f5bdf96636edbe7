"""Rules about who can be registered as a resident of a children's centre (domain-rules §1)."""

from __future__ import annotations

from datetime import date

#: A children's centre houses minors: a resident must be under this age on arrival.
ADULT_AGE = 18


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on the day ``on``.

    Someone born on 29 February turns a year older on 1 March in years without a leap day.
    Raises ``ValueError`` if ``on`` is before ``birth_date``.
    """
    if on < birth_date:
        raise ValueError(f"{on.isoformat()} is before the birth date {birth_date.isoformat()}")
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_minor_on(birth_date: date, on: date) -> bool:
    """True if the person is under 18 on ``on`` (the 18th birthday itself is adult)."""
    return age_on(birth_date, on) < ADULT_AGE
