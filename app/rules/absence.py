"""When a missing resident must be reported (domain-rules §2, ``000_…`` "Registrering af
udebleven UMI").

The centre must register a missing minor in IBS and report it to the police, the
municipality and the Agency:

* at once when it is known that the minor is not staying at the centre;
* at once when there is special concern;
* after 12 hours for a child under 15;
* after 24 hours from the 15th birthday.

The clock starts when the resident was first found missing (the first absent mark
without leave, or a time staff enter). The deadline is elapsed time: a daylight-saving
change in Copenhagen during the absence does not move it by an hour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.formatting import LOCAL_TZ
from app.rules.residents import age_on

#: From this age the longer deadline applies.
OLDER_CHILD_AGE = 15
UNDER_15_DELAY = timedelta(hours=12)
FROM_15_DELAY = timedelta(hours=24)
#: A report due within this time is shown as due soon, not merely upcoming.
SOON = timedelta(hours=2)


def report_due(birth_date: date, missing_since: datetime, *, special_concern: bool = False,
               known_not_staying: bool = False) -> datetime:
    """The moment the missing-resident reports are due, as an aware Copenhagen datetime.

    ``missing_since`` may carry any timezone; it must carry one. The age is the age on the
    Copenhagen calendar day of ``missing_since``, so a child who turns 15 during the
    absence keeps the 12-hour deadline. Special concern or the knowledge that the minor is
    not staying make the reports due at ``missing_since`` itself ("immediately").

    Raises ``ValueError`` for a naive ``missing_since`` or a birth date after it.
    """
    if missing_since.tzinfo is None or missing_since.utcoffset() is None:
        raise ValueError("missing_since is a naive datetime: give the time with its timezone")
    local_since = missing_since.astimezone(LOCAL_TZ)
    if birth_date > local_since.date():
        raise ValueError(f"the birth date {birth_date.isoformat()} is after the time the "
                         f"resident went missing ({local_since.isoformat()})")
    if special_concern or known_not_staying:
        return local_since
    age = age_on(birth_date, local_since.date())
    delay = UNDER_15_DELAY if age < OLDER_CHILD_AGE else FROM_15_DELAY
    # Aware arithmetic in a zoneinfo zone is wall-clock arithmetic; elapsed time is UTC.
    return (local_since.astimezone(UTC) + delay).astimezone(LOCAL_TZ)


def report_urgency(due_at: datetime, now: datetime) -> str:
    """``overdue`` once the deadline has come, ``due`` within ``SOON`` of it, else ``upcoming``."""
    # In UTC: two Copenhagen times would compare on the wall clock (PEP 495), wrong by an
    # hour in the repeated hour of the night summer time ends.
    due_at, now = due_at.astimezone(UTC), now.astimezone(UTC)
    if due_at <= now:
        return "overdue"
    if due_at - now <= SOON:
        return "due"
    return "upcoming"


#: Marks a round can give a resident (domain-rules §2).
MARK_PRESENT = "present"
MARK_ABSENT = "absent"
MARK_LEAVE = "leave"
MARK_SCHOOL = "school"
MARK_HOSPITAL = "hospital"
MARK_OTHER = "other"
MARKS = (MARK_PRESENT, MARK_ABSENT, MARK_LEAVE, MARK_SCHOOL, MARK_HOSPITAL, MARK_OTHER)


def opens_missing_case(mark: str, *, on_leave: bool, case_open: bool) -> bool:
    """Whether a round mark opens a missing case.

    **Decision** (domain-rules §2): an absent mark without approved leave opens a case at
    once, with the time of the mark as the time first missed; a second absent round then
    finds the case already open. A resident on approved leave is never missing because of
    a round, and a resident already reported missing does not get a second case.
    """
    if mark not in MARKS:
        raise ValueError(f"unknown attendance mark {mark!r}")
    return mark == MARK_ABSENT and not on_leave and not case_open
