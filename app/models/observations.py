"""Shift observations ("notes") about residents, their earlier versions and who has seen a
concern (domain-rules §3: contact persons record what they observed after every shift).

The concern flag is a column of its own (``concern``), not a member of ``categories``: it
starts a workflow (the note waits for the primary contact person and the social coordinator
until each has acknowledged it), and a boolean can be indexed and filtered on every database,
a member of a JSON list cannot. ``categories`` holds only the areas in ``OBSERVATION_CATEGORIES``.

The note text is special-category data (domain-rules §7): the audit trail records *that* a
note was written or changed, never its words (``__audit_redacted__``); who may read it is
decided in ``app.services.observations``. The local full-text index over ``text`` is an
SQLite FTS5 table kept in step by triggers (``app.fts``); it is not a model and never syncs.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

#: The areas a note can be filed under (issue 4), in the order the entry form shows them.
OBSERVATION_CATEGORIES = ("wellbeing", "school", "leisure", "social", "sleep", "daily_skills",
                          "family_contact")

#: Who a concern waits for: the resident's primary contact person and the social coordinators.
AUDIENCE_PRIMARY_CONTACT = "primary_contact"
AUDIENCE_COORDINATOR = "coordinator"
CONCERN_AUDIENCES = (AUDIENCE_PRIMARY_CONTACT, AUDIENCE_COORDINATOR)

_LIVE = "deleted_at IS NULL"
_CONTENT = frozenset({"text", "categories", "concern"})


class Observation(Synced, Base):
    """What one staff member observed about one resident on one shift."""

    __tablename__ = "observation"
    __table_args__ = (
        Index("ix_observation_resident", "resident_id", "written_at"),
        Index("ix_observation_author", "author_id", "written_at"),
        # The concerns still waiting are found without reading every note.
        Index("ix_observation_concern", "resident_id",
              sqlite_where=text("concern = 1 AND deleted_at IS NULL"),
              postgresql_where=text("concern AND deleted_at IS NULL")),
    )
    __audit_redacted__ = _CONTENT

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    # The day the shift began (a night shift's note written at 06:30 belongs to the evening
    # before); ``written_at`` is when the note was saved and starts the 24-hour edit window.
    shift_date: Mapped[date]
    written_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    concern: Mapped[bool] = mapped_column(default=False)
    # 1 + the number of earlier versions kept (``ObservationVersion``).
    version: Mapped[int] = mapped_column(default=1)
    edited_at: Mapped[datetime | None]
    deleted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    delete_reason: Mapped[str | None] = mapped_column(Text)


class ObservationVersion(Synced, Base):
    """A note as it was before an edit made more than 24 hours after it was written
    (``app.rules.observations``): the earlier words stay visible to those who may read them."""

    __tablename__ = "observation_version"
    __table_args__ = (Index("ix_observation_version_observation", "observation_id", "version"),)
    __audit_redacted__ = _CONTENT

    observation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("observation.id"))
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    concern: Mapped[bool] = mapped_column(default=False)
    # When this version was written (the note's ``written_at`` or the edit before), and when
    # the edit replaced it.
    written_at: Mapped[datetime]
    replaced_at: Mapped[datetime]


class ObservationAcknowledgement(Synced, Base):
    """A concern seen by its audience: the primary contact person, or one of the social
    coordinators on behalf of all of them. One per note and audience."""

    __tablename__ = "observation_acknowledgement"
    __table_args__ = (
        Index("uq_observation_acknowledgement_audience", "observation_id", "audience",
              unique=True, sqlite_where=text(_LIVE), postgresql_where=text(_LIVE)),
    )

    observation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("observation.id"))
    audience: Mapped[str] = mapped_column(String(20))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("staff.id"))
    acknowledged_at: Mapped[datetime]
