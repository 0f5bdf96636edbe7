"""The reception desk: the lost-property register and the visitor log."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

# Where an item was found (domain-rules §5): the room or bed of a resident who left, or a
# common area.
ORIGIN_VACATED = "vacated_room"
ORIGIN_COMMON = "common_area"
ORIGINS = (ORIGIN_VACATED, ORIGIN_COMMON)
ITEM_CATEGORIES = ("clothing", "shoes", "electronics", "phone", "documents", "money",
                   "jewellery", "bag", "toiletries", "food", "books", "sports", "other")
DISPOSITION_RETURNED = "returned"
DISPOSITION_POLICE = "police"
DISPOSITION_DESTROYED = "destroyed"
DISPOSITION_CHARITY = "charity"
DISPOSITION_DISCARDED = "discarded_perishable"
DISPOSITIONS = (DISPOSITION_RETURNED, DISPOSITION_POLICE, DISPOSITION_DESTROYED,
                DISPOSITION_CHARITY, DISPOSITION_DISCARDED)
ID_DOCUMENT_TYPES = ("passport", "national_id", "driving_licence", "residence_card",
                     "health_card", "staff_card", "other", "none")

_LIVE = "deleted_at IS NULL"


class LostItem(Synced, Base):
    """One item in the register; items found together share a ``batch_id``."""

    __tablename__ = "lost_item"
    __table_args__ = (
        Index("ix_lost_item_retention", "retention_ends"),
        Index("ix_lost_item_search", "owner_search_ends"),
        Index("ix_lost_item_found", "found_on"),
        Index("uq_lost_item_number", "number", unique=True, sqlite_where=text(_LIVE),
              postgresql_where=text(_LIVE)),
    )

    number: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[uuid.UUID]
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(20))
    value_dkk: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    perishable: Mapped[bool] = mapped_column(default=False)
    origin: Mapped[str] = mapped_column(String(20))
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("room.id"))
    place: Mapped[str | None] = mapped_column(String(200))
    found_on: Mapped[date]
    found_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    storage_location: Mapped[str | None] = mapped_column(String(100))
    # The person IDs of who lived in the room when it was found (as staff confirmed them).
    person_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Computed by app.rules.lost_property when the item is logged or corrected.
    retention_ends: Mapped[date | None]
    owner_search_ends: Mapped[date | None]
    # The disposition in force (a copy of the latest LostItemDisposition), for the due lists.
    disposition: Mapped[str | None] = mapped_column(String(30))


class LostItemDisposition(Synced, Base):
    """What happened to an item. A correction supersedes the earlier one, which stays."""

    __tablename__ = "lost_item_disposition"
    __table_args__ = (Index("ix_lost_item_disposition_item", "item_id", "created_at"),)

    item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("lost_item.id"))
    kind: Mapped[str] = mapped_column(String(30))
    on: Mapped[date]
    by_staff: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    police_reference: Mapped[str | None] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(200))
    recipient_person_id: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)
    superseded_at: Mapped[datetime | None]
    superseded_reason: Mapped[str | None] = mapped_column(Text)


class Visit(Synced, Base):
    """A visitor signed in (and out), or turned away at the door."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_arrived", "arrived_at"),
        Index("ix_visit_in_building", "left_at", "turned_away"),
        Index("ix_visit_resident", "resident_id", "arrived_at"),
        Index("ix_visit_visitor", "visitor_key"),
    )

    visitor_name: Mapped[str | None] = mapped_column(String(200))
    id_document_type: Mapped[str | None] = mapped_column(String(30))
    id_document_number: Mapped[str | None] = mapped_column(String(60))
    relation: Mapped[str | None] = mapped_column(String(100))
    # Name and document number folded, to find the same visitor again; erased with them.
    visitor_key: Mapped[str | None] = mapped_column(String(300))
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("resident.id"))
    arrived_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    signed_in_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    signed_out_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
    turned_away: Mapped[bool] = mapped_column(default=False)
    turned_away_reason: Mapped[str | None] = mapped_column(Text)
    # When the retention cleanup erased the identity fields.
    identity_erased_at: Mapped[datetime | None]

    # The audit trail is kept longer than visitor data may be: it never copies the identity.
    __audit_redacted__ = frozenset({"visitor_name", "id_document_number", "visitor_key",
                                    "relation", "turned_away_reason"})
