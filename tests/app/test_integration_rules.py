"""The handover form deadline and the integration checklist's due dates (domain-rules §3)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.models.integration import INTEGRATION_TASKS
from app.rules.integration import handover_form_due, task_due_dates


@pytest.mark.parametrize(("notified", "due"), [
    (date(2026, 3, 2), date(2026, 3, 16)),     # a plain fortnight: the 14th day is the last
    (date(2026, 1, 20), date(2026, 2, 3)),     # across a month end
    (date(2026, 2, 20), date(2026, 3, 6)),     # across a short February
    (date(2028, 2, 15), date(2028, 2, 29)),    # leap year: lands on 29 February
    (date(2028, 2, 20), date(2028, 3, 5)),     # across 29 February
    (date(2026, 12, 25), date(2027, 1, 8)),    # across the year end
    (date(2026, 12, 31), date(2027, 1, 14)),
    (date(2026, 11, 21), date(2026, 12, 5)),   # a Saturday stays a Saturday: calendar days
])
def test_handover_form_due_is_fourteen_calendar_days_later(notified, due):
    assert handover_form_due(notified) == due


@pytest.mark.parametrize("bad", [datetime(2026, 3, 2, 10, 0),
                                 datetime(2026, 3, 2, tzinfo=timezone.utc), "2026-03-02", None])
def test_a_moment_or_text_is_refused(bad):
    with pytest.raises(TypeError):
        handover_form_due(bad)
    with pytest.raises(TypeError):
        task_due_dates(bad)


def test_checklist_due_dates():
    dates = task_due_dates(date(2028, 2, 15))
    assert list(dates) == list(INTEGRATION_TASKS)
    assert dates == {"handover_conversation": date(2028, 2, 22),
                     "municipality_dialogue": date(2028, 2, 22),
                     "handover_form": date(2028, 2, 29),
                     "agency_statement": date(2028, 2, 29),
                     "move_planning": None}
