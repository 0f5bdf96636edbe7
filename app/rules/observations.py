"""Shift observations: when an edit keeps the earlier words, and when a concern is overdue.

**Decision (issue 4):** a note may be corrected freely for 24 hours after it was written — a
typo fixed on the same shift is no new version. An edit *more* than 24 hours after it was
written (24:00:00 exactly still counts as within) keeps the earlier version visible: others
may have read and acted on it.

**Decision:** a note marked "concern" waits for the resident's primary contact person and
the social coordinator until each has acknowledged it; after ``CONCERN_ACKNOWLEDGE_WITHIN``
it is shown as overdue on their Today page.
"""

from __future__ import annotations

from datetime import datetime, timedelta

#: How long after writing a note can be changed without keeping the earlier version.
FREE_EDIT_WINDOW = timedelta(hours=24)
#: How soon a concern should be acknowledged by each of its audiences.
CONCERN_ACKNOWLEDGE_WITHIN = timedelta(hours=24)
#: Longest note accepted (a shift note is a few lines; this stops a pasted document).
MAX_NOTE_LENGTH = 10_000


def keeps_earlier_version(written_at: datetime, edited_at: datetime) -> bool:
    """Whether an edit at ``edited_at`` of a note written at ``written_at`` keeps the words
    as they were (more than ``FREE_EDIT_WINDOW`` later)."""
    if written_at.tzinfo is None or edited_at.tzinfo is None:
        raise ValueError("naive datetime: give moments with their timezone")
    return edited_at - written_at > FREE_EDIT_WINDOW
