"""The three daily attendance rounds and their planned times (domain-rules §2).

**Decision:** three named rounds a day, planned by default at 08:00, 15:00 and 22:00
Copenhagen time; the centre leader may move them. A round is complete when every
resident in residence at that moment has a mark.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

from app.formatting import LOCAL_TZ

ROUND_SLOTS = ("morning", "afternoon", "evening")
DEFAULT_ROUND_TIMES: dict[str, str] = {"morning": "08:00", "afternoon": "15:00",
                                       "evening": "22:00"}
#: A round not complete this long after its planned time is overdue on the Today page.
ROUND_GRACE = timedelta(hours=1)


def parse_round_times(times: dict[str, str]) -> dict[str, time]:
    """``{"morning": "08:00", …}`` as times, in slot order; ``ValueError`` names what is wrong.

    The three times must be given and strictly increase through the day.
    """
    parsed: dict[str, time] = {}
    for slot in ROUND_SLOTS:
        try:
            parsed[slot] = parse_time_of_day(times.get(slot))
        except ValueError as error:
            raise ValueError(f"{slot}: {error}") from None
    ordered = list(parsed.values())
    if any(a >= b for a, b in pairwise(ordered)):
        raise ValueError("the rounds must come in the order morning, afternoon, evening")
    return parsed


def parse_time_of_day(text: str | None) -> time:
    """``"08:00"`` (or ``"8:00"``) as a time; ``ValueError`` if it is not HH:MM."""
    text = (text or "").strip()
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{text!r} is not a time of day (HH:MM)") from None


def planned_at(day: date, at: time) -> datetime:
    """The planned moment of a round on ``day`` (aware, Copenhagen; valid across DST)."""
    return datetime.combine(day, at, tzinfo=LOCAL_TZ)


def current_slot(times: dict[str, time], now: datetime) -> tuple[date, str]:
    """The round staff should be taking at ``now``: the latest one planned by now today,
    or, before the first round of the day, yesterday's evening round."""
    local = now.astimezone(LOCAL_TZ)
    started = [slot for slot in ROUND_SLOTS if planned_at(local.date(), times[slot]) <= local]
    if started:
        return local.date(), started[-1]
    return local.date() - timedelta(days=1), ROUND_SLOTS[-1]


def next_slot(times: dict[str, time], now: datetime) -> tuple[date, str]:
    """The next round planned after ``now``."""
    local = now.astimezone(LOCAL_TZ)
    for slot in ROUND_SLOTS:
        if planned_at(local.date(), times[slot]) > local:
            return local.date(), slot
    return local.date() + timedelta(days=1), ROUND_SLOTS[0]
