"""Deadlines of the transfer to an integration municipality (domain-rules §3, ``000_…``
"Tjekliste ved integration").

When a residence permit is notified, the contact person works through a checklist: a
handover conversation with the resident, a dialogue with the municipality, the handover
form — **no later than 14 days after the residence permit is notified** —, a statement for
the Agency's placement, and the planning of the move.

**Decision:** the 14 days are *calendar* days (the source does not say working days, and a
child's move does not wait for weekends); the notification day is day 0 and the 14th day
after it is the last day on which the form is in time. Permit notified on Monday 2 March
⇒ handover form due Monday 16 March; overdue from 17 March.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.models.integration import INTEGRATION_TASKS

#: Calendar days from the permit notification to the last day for the handover form.
HANDOVER_FORM_DAYS = 14
#: **Decision:** calendar days for the handover conversation and the dialogue with the
#: municipality: both feed the handover form, so they come in its first half.
EARLY_TASK_DAYS = 7


def _check_date(value: object) -> date:
    # ``datetime`` is a subclass of ``date``: a moment is not a day, and which day it is
    # depends on the timezone, so the caller decides.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"give the day the permit was notified as a date, not {value!r}")
    return value


def handover_form_due(permit_notified_on: date) -> date:
    """The last day for the handover form: ``permit_notified_on`` + 14 calendar days.

    The 14th day itself is still in time. A ``datetime`` (or anything not a ``date``)
    raises ``TypeError``.
    """
    return _check_date(permit_notified_on) + timedelta(days=HANDOVER_FORM_DAYS)


def task_due_dates(permit_notified_on: date) -> dict[str, date | None]:
    """The due date of every task of the integration checklist, in checklist order.

    - ``handover_form``: the rule, ``handover_form_due`` (14 calendar days);
    - ``handover_conversation`` and ``municipality_dialogue``: **Decision:** 7 calendar
      days after the notification, so what they bring out is in the form;
    - ``agency_statement``: **Decision:** with the form (the Agency places the resident
      from the same facts, and the source sets no date of its own);
    - ``move_planning``: **Decision:** no due date: the move's date is the municipality's,
      and planning goes on until the case is closed.
    """
    notified = _check_date(permit_notified_on)
    early = notified + timedelta(days=EARLY_TASK_DAYS)
    form = handover_form_due(notified)
    dates: dict[str, date | None] = {"handover_conversation": early,
                                     "municipality_dialogue": early,
                                     "handover_form": form,
                                     "agency_statement": form,
                                     "move_planning": None}
    return {code: dates[code] for code in INTEGRATION_TASKS}
