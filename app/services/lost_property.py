"""The lost-property register: logging what was found, its retention, and what happened to it.

Retention dates come from ``app.rules.lost_property``; they are stored on the item when it is
logged or corrected so the due lists are one indexed query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, ValidationError
from app.formatting import format_date, format_dkk, local_today, parse_dkk, utcnow
from app.i18n import _
from app.models import Bed, BedAssignment, LostItem, LostItemDisposition, Resident, Room, Staff
from app.models.reception import (DISPOSITION_CHARITY, DISPOSITION_DESTROYED,
                                  DISPOSITION_DISCARDED, DISPOSITION_POLICE,
                                  DISPOSITION_RETURNED, DISPOSITIONS, ITEM_CATEGORIES,
                                  ORIGIN_COMMON, ORIGIN_VACATED, ORIGINS)
from app.permissions import Permission, require
from app.queries.residents import escape_like
from app.rules.lost_property import owner_search_ends, retention_ends
from app.unit_of_work import Actor

#: Residents who moved out of the room this many days before the find count as its occupants.
OCCUPANT_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class ItemInput:
    description: str
    category: str
    value_dkk: Decimal | str | None
    perishable: bool = False
    storage_location: str | None = None


@dataclass(frozen=True)
class Occupant:
    person_id: str
    name: str
    moved_out_on: date | None


@dataclass(frozen=True)
class DispositionView:
    kind: str
    on: date
    by: str | None
    police_reference: str | None
    organisation: str | None
    recipient_person_id: str | None
    note: str | None
    recorded_at: object
    superseded_at: object | None
    superseded_reason: str | None


@dataclass(frozen=True)
class ItemView:
    id: uuid.UUID
    number: str
    batch_id: uuid.UUID
    description: str
    category: str
    value_dkk: Decimal
    perishable: bool
    origin: str
    room: str | None
    room_id: uuid.UUID | None
    place: str | None
    found_on: date
    found_by: str | None
    storage_location: str | None
    person_ids: tuple[str, ...]
    retention_ends: date | None
    owner_search_ends: date | None
    disposition: str | None
    history: tuple[DispositionView, ...] = field(default_factory=tuple)

    @property
    def deadline(self) -> date | None:
        """The day something must be done: retention end or end of the owner search."""
        return self.retention_ends if self.origin == ORIGIN_VACATED else self.owner_search_ends

    def is_due(self, today: date) -> bool:
        return self.disposition is None and self.deadline is not None and self.deadline <= today

    @property
    def current(self) -> DispositionView | None:
        return next((d for d in reversed(self.history) if d.superseded_at is None), None)


# -- reading -------------------------------------------------------------------------------

def occupants(db: Database, actor: Actor, room_id: uuid.UUID, found_on: date) -> list[Occupant]:
    """Who lived in the room on the day or in the fortnight before: the likely owners."""
    require(actor, Permission.VIEW_LOST_PROPERTY)
    since = found_on - timedelta(days=OCCUPANT_LOOKBACK_DAYS)
    with db.read() as session:
        rows = session.execute(
            select(Resident.person_id, Resident.given_names, Resident.family_name,
                   Resident.moved_out_on)
            .join(BedAssignment, BedAssignment.resident_id == Resident.id)
            .join(Bed, Bed.id == BedAssignment.bed_id)
            .where(Bed.room_id == room_id, BedAssignment.deleted_at.is_(None),
                   Resident.deleted_at.is_(None), BedAssignment.started_on <= found_on,
                   or_(BedAssignment.ended_on.is_(None), BedAssignment.ended_on >= since))
            .order_by(Resident.moved_out_on.desc().nulls_last(), Resident.family_name)).all()
    seen: dict[str, Occupant] = {}
    for person_id, given, family, moved_out in rows:
        seen.setdefault(person_id, Occupant(person_id, f"{given} {family}", moved_out))
    # Those who moved out (whose room was vacated) first: they are why the room is cleared.
    return sorted(seen.values(), key=lambda o: (o.moved_out_on is None, o.name))


def _views(session: Session, items: list[LostItem], *, history: bool = True) -> list[ItemView]:
    if not items:
        return []
    rooms = dict(session.execute(select(Room.id, Room.name).where(
        Room.id.in_({i.room_id for i in items if i.room_id}))).all())
    staff = dict(session.execute(select(Staff.id, Staff.full_name)).all())
    dispositions: dict[uuid.UUID, list[DispositionView]] = {}
    if history:
        for d in session.scalars(select(LostItemDisposition).where(
                LostItemDisposition.item_id.in_([i.id for i in items]),
                LostItemDisposition.deleted_at.is_(None))
                .order_by(LostItemDisposition.created_at)):
            dispositions.setdefault(d.item_id, []).append(DispositionView(
                d.kind, d.on, staff.get(d.by_staff), d.police_reference, d.organisation,
                d.recipient_person_id, d.note, d.created_at, d.superseded_at,
                d.superseded_reason))
    return [ItemView(
        id=i.id, number=i.number, batch_id=i.batch_id, description=i.description,
        category=i.category, value_dkk=Decimal(i.value_dkk), perishable=i.perishable,
        origin=i.origin, room=rooms.get(i.room_id), room_id=i.room_id, place=i.place,
        found_on=i.found_on, found_by=staff.get(i.found_by), storage_location=i.storage_location,
        person_ids=tuple(i.person_ids or ()), retention_ends=i.retention_ends,
        owner_search_ends=i.owner_search_ends, disposition=i.disposition,
        history=tuple(dispositions.get(i.id, ()))) for i in items]


def _due_clause(today: date):
    return and_(LostItem.disposition.is_(None), or_(
        and_(LostItem.origin == ORIGIN_VACATED, LostItem.retention_ends <= today),
        and_(LostItem.origin == ORIGIN_COMMON, LostItem.owner_search_ends <= today)))


@dataclass(frozen=True)
class RegisterFilter:
    """``view``: ``due`` (something to do today), ``kept`` (still in storage) or ``all``."""

    view: str = "kept"
    text: str = ""
    found_from: date | None = None
    found_to: date | None = None


def register(db: Database, actor: Actor, flt: RegisterFilter = RegisterFilter(), *,
             today: date | None = None, limit: int = 2000,
             history: bool = True) -> list[ItemView]:
    """The register filtered; ``history=False`` leaves out each item's dispositions (the
    on-screen list loads them for the chosen item only)."""
    require(actor, Permission.VIEW_LOST_PROPERTY)
    today = today or local_today()
    query = select(LostItem).where(LostItem.deleted_at.is_(None))
    if flt.view == "due":
        query = query.where(_due_clause(today))
    elif flt.view == "kept":
        query = query.where(LostItem.disposition.is_(None))
    if flt.found_from is not None:
        query = query.where(LostItem.found_on >= flt.found_from)
    if flt.found_to is not None:
        query = query.where(LostItem.found_on <= flt.found_to)
    text = flt.text.strip().lower()
    if text:
        pattern = f"%{escape_like(text)}%"
        query = query.where(or_(func.lower(LostItem.description).like(pattern, escape="\\"),
                                func.lower(LostItem.number).like(pattern, escape="\\"),
                                func.lower(LostItem.storage_location).like(pattern, escape="\\"),
                                func.lower(cast(LostItem.person_ids, String))
                                .like(pattern, escape="\\")))
    query = query.order_by(LostItem.found_on.desc(), LostItem.number.desc()).limit(limit)
    with db.read() as session:
        return _views(session, list(session.scalars(query)), history=history)


def get_item(db: Database, actor: Actor, item_id: uuid.UUID) -> ItemView:
    require(actor, Permission.VIEW_LOST_PROPERTY)
    with db.read() as session:
        return _views(session, [_item(session, item_id)])[0]


def due_items(session: Session, today: date) -> list[ItemView]:
    """Items whose retention or owner search has ended and that are still here."""
    items = list(session.scalars(select(LostItem).where(
        LostItem.deleted_at.is_(None), _due_clause(today)).order_by(LostItem.found_on)))
    return _views(session, items, history=False)


def waiting_for(db: Database, actor: Actor, person_id: str) -> list[ItemView]:
    """Items still kept that were found where this person lived: to hand back on return."""
    require(actor, Permission.VIEW_LOST_PROPERTY)
    person_id = person_id.strip()
    if not person_id:
        return []
    with db.read() as session:
        kept = session.scalars(select(LostItem).where(
            LostItem.deleted_at.is_(None), LostItem.disposition.is_(None),
            LostItem.origin == ORIGIN_VACATED))
        return _views(session, [i for i in kept if person_id in (i.person_ids or ())])


# -- writing -------------------------------------------------------------------------------

def _item(session: Session, item_id: uuid.UUID) -> LostItem:
    item = session.get(LostItem, item_id)
    if item is None or item.deleted_at is not None:
        raise NotFound(_("The item does not exist in the register (any more)."))
    return item


_value = parse_dkk


def _check_items(items: list[ItemInput]) -> tuple[list[tuple[ItemInput, Decimal]], dict]:
    problems: dict[str, str] = {}
    checked = []
    if not items:
        problems["items"] = _("Log at least one item.")
    for index, item in enumerate(items):
        number = index + 1
        if not item.description.strip():
            problems[f"items.{index}.description"] = _(
                "Item {number}: describe the item.").format(number=number)
        if item.category not in ITEM_CATEGORIES:
            problems[f"items.{index}.category"] = _(
                "Item {number}: choose a category.").format(number=number)
        try:
            value = _value(item.value_dkk)
        except ValueError:
            problems[f"items.{index}.value_dkk"] = _(
                "Item {number}: “{value}” is not an amount in kroner.").format(
                    number=number, value=item.value_dkk)
            continue
        if value is None:
            problems[f"items.{index}.value_dkk"] = _(
                "Item {number}: estimate the value in kroner (0 if it has none).").format(
                    number=number)
        elif value < 0 or not value.is_finite():
            problems[f"items.{index}.value_dkk"] = _(
                "Item {number}: the value cannot be negative.").format(number=number)
        elif value >= Decimal("100000000"):
            problems[f"items.{index}.value_dkk"] = _(
                "Item {number}: the value {value} is too large.").format(
                    number=number, value=format_dkk(value))
        else:
            checked.append((item, value.quantize(Decimal("0.01"))))
    return checked, problems


def _next_numbers(session: Session, year: int, count: int) -> list[str]:
    prefix = f"{year}-"
    last = session.scalar(select(func.max(LostItem.number)).where(
        LostItem.number.like(prefix + "%")))
    start = int(last.split("-")[1]) + 1 if last else 1
    return [f"{prefix}{n:04d}" for n in range(start, start + count)]


def _dates(origin: str, found_on: date, value: Decimal, perishable: bool
           ) -> tuple[date | None, date | None]:
    if origin == ORIGIN_VACATED:
        return retention_ends(found_on, value, perishable=perishable), None
    return None, owner_search_ends(found_on)


def log_items(db: Database, actor: Actor, *, origin: str, found_on: date | None,
              items: list[ItemInput], room_id: uuid.UUID | None = None,
              place: str | None = None, person_ids: list[str] | tuple[str, ...] = (),
              today: date | None = None) -> list[ItemView]:
    """Log one or several items found together (one batch, one retention date each).

    Perishables from a vacated room are logged and recorded as discarded at once.
    """
    require(actor, Permission.MANAGE_LOST_PROPERTY)
    today = today or local_today()
    checked, problems = _check_items(items)
    if origin not in ORIGINS:
        problems["origin"] = _("Choose where the items were found.")
    if found_on is None:
        problems["found_on"] = _("Give the date the items were found.")
    elif found_on > today:
        problems["found_on"] = _("The date found {date} is in the future.").format(
            date=format_date(found_on))
    if origin == ORIGIN_VACATED and room_id is None:
        problems["room"] = _("Choose the room that was cleared.")
    place = (place or "").strip() or None
    if origin == ORIGIN_COMMON and not place:
        problems["place"] = _("Write where in the common areas the items were found.")
    if problems:
        raise ValidationError(problems)
    person_ids = tuple(dict.fromkeys(p.strip() for p in person_ids if p.strip()))
    batch = uuid.uuid4()
    with db.unit(actor) as session:
        if room_id is not None and session.get(Room, room_id) is None:
            raise ValidationError({"room": _("The room does not exist (any more).")})
        made = []
        for (item, value), number in zip(checked, _next_numbers(session, found_on.year,
                                                                 len(checked)), strict=True):
            perishable = item.perishable and origin == ORIGIN_VACATED
            kept_until, search_until = _dates(origin, found_on, value, perishable)
            record = LostItem(
                number=number, batch_id=batch, description=item.description.strip(),
                category=item.category, value_dkk=value, perishable=item.perishable,
                origin=origin, room_id=room_id if origin == ORIGIN_VACATED else None,
                place=place, found_on=found_on, found_by=actor.staff_id,
                storage_location=(item.storage_location or "").strip() or None,
                person_ids=list(person_ids) if origin == ORIGIN_VACATED else [],
                retention_ends=kept_until, owner_search_ends=search_until)
            session.add(record)
            session.flush()
            if perishable:
                _add_disposition(session, actor, record, DISPOSITION_DISCARDED, found_on,
                                 note=_("Perishable: discarded when the room was cleared."))
            made.append(record)
        session.flush()
        return _views(session, made)


def correct_item(db: Database, actor: Actor, item_id: uuid.UUID, item: ItemInput, *,
                 found_on: date, person_ids: list[str] | tuple[str, ...],
                 today: date | None = None) -> ItemView:
    """Correct what was logged; the retention dates follow, the audit trail keeps the old."""
    require(actor, Permission.MANAGE_LOST_PROPERTY)
    today = today or local_today()
    checked, problems = _check_items([item])
    if found_on > today:
        problems["found_on"] = _("The date found {date} is in the future.").format(
            date=format_date(found_on))
    if problems:
        raise ValidationError({key.replace("items.0.", ""): text
                               for key, text in problems.items()})
    _input, value = checked[0]
    with db.unit(actor) as session:
        record = _item(session, item_id)
        record.description = item.description.strip()
        record.category = item.category
        record.value_dkk = value
        record.storage_location = (item.storage_location or "").strip() or None
        record.found_on = found_on
        if record.origin == ORIGIN_VACATED:
            record.person_ids = list(dict.fromkeys(p.strip() for p in person_ids if p.strip()))
        record.retention_ends, record.owner_search_ends = _dates(
            record.origin, found_on, value, record.perishable)
        session.flush()
        return _views(session, [record])[0]


def _add_disposition(session: Session, actor: Actor, item: LostItem, kind: str, on: date, *,
                     police_reference: str | None = None, organisation: str | None = None,
                     recipient_person_id: str | None = None, note: str | None = None) -> None:
    session.add(LostItemDisposition(
        item_id=item.id, kind=kind, on=on, by_staff=actor.staff_id,
        police_reference=police_reference, organisation=organisation,
        recipient_person_id=recipient_person_id, note=note))
    item.disposition = kind


def _check_disposition(item: LostItem, kind: str, on: date | None, today: date, *,
                       police_reference: str | None, organisation: str | None,
                       recipient_person_id: str | None) -> None:
    problems: dict[str, str] = {}
    if kind not in DISPOSITIONS:
        problems["kind"] = _("Choose what happened to the item.")
    if on is None:
        problems["on"] = _("Give the date.")
    elif on > today:
        problems["on"] = _("The date {date} is in the future.").format(date=format_date(on))
    elif on < item.found_on:
        problems["on"] = _("The date is before the item was found ({date}).").format(
            date=format_date(item.found_on))
    if kind == DISPOSITION_POLICE and not police_reference:
        problems["police_reference"] = _("Write the police's reference (receipt or case number).")
    if kind == DISPOSITION_CHARITY and not organisation:
        problems["organisation"] = _("Write which organisation received the item.")
    if kind == DISPOSITION_RETURNED and not recipient_person_id:
        problems["recipient_person_id"] = _("Write the person ID of the resident who got it back.")
    if kind == DISPOSITION_DISCARDED and not item.perishable:
        problems["kind"] = _("Only perishables are discarded; choose destroyed instead.")
    if problems:
        raise ValidationError(problems)
    if kind in (DISPOSITION_DESTROYED, DISPOSITION_CHARITY):
        if item.origin == ORIGIN_COMMON:
            raise DomainError(_(
                "Item {number} was found in a common area: if the owner is not found, it goes "
                "to the police, not to be destroyed or given away.").format(number=item.number))
        if item.retention_ends is not None and on < item.retention_ends:
            raise DomainError(_(
                "Item {number} must be kept until {date} (worth {value}). It may be returned "
                "to its owner before then, but not destroyed or given away.").format(
                    number=item.number, date=format_date(item.retention_ends),
                    value=format_dkk(item.value_dkk)))


def dispose(db: Database, actor: Actor, item_id: uuid.UUID, kind: str, *, on: date | None,
            police_reference: str | None = None, organisation: str | None = None,
            recipient_person_id: str | None = None, note: str | None = None,
            today: date | None = None) -> ItemView:
    """Record what happened to an item: returned, to the police, destroyed, to charity."""
    require(actor, Permission.MANAGE_LOST_PROPERTY)
    today = today or local_today()
    police_reference = (police_reference or "").strip() or None
    organisation = (organisation or "").strip() or None
    recipient_person_id = (recipient_person_id or "").strip() or None
    with db.unit(actor) as session:
        item = _item(session, item_id)
        if item.disposition is not None:
            raise DomainError(_("Item {number} is already recorded as “{kind}”; correct that "
                                "record instead.").format(number=item.number,
                                                          kind=disposition_label(item.disposition)))
        _check_disposition(item, kind, on, today, police_reference=police_reference,
                           organisation=organisation, recipient_person_id=recipient_person_id)
        _add_disposition(session, actor, item, kind, on, police_reference=police_reference,
                         organisation=organisation, recipient_person_id=recipient_person_id,
                         note=(note or "").strip() or None)
        session.flush()
        return _views(session, [item])[0]


def correct_disposition(db: Database, actor: Actor, item_id: uuid.UUID, kind: str | None, *,
                        reason: str, on: date | None = None, police_reference: str | None = None,
                        organisation: str | None = None, recipient_person_id: str | None = None,
                        note: str | None = None, today: date | None = None) -> ItemView:
    """Replace the disposition in force; the earlier one stays visible as superseded.
    ``kind=None`` undoes it (the item is back in storage)."""
    require(actor, Permission.MANAGE_LOST_PROPERTY)
    today = today or local_today()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the record is corrected.")})
    with db.unit(actor) as session:
        item = _item(session, item_id)
        current = session.scalar(select(LostItemDisposition).where(
            LostItemDisposition.item_id == item.id, LostItemDisposition.deleted_at.is_(None),
            LostItemDisposition.superseded_at.is_(None)))
        if current is None:
            raise DomainError(_("Item {number} has no record to correct.").format(
                number=item.number))
        if kind is not None:
            police_reference = (police_reference or "").strip() or None
            organisation = (organisation or "").strip() or None
            recipient_person_id = (recipient_person_id or "").strip() or None
            _check_disposition(item, kind, on, today, police_reference=police_reference,
                               organisation=organisation,
                               recipient_person_id=recipient_person_id)
        current.superseded_at = utcnow()
        current.superseded_reason = reason
        item.disposition = None
        if kind is not None:
            _add_disposition(session, actor, item, kind, on, police_reference=police_reference,
                             organisation=organisation, recipient_person_id=recipient_person_id,
                             note=(note or "").strip() or None)
        session.flush()
        return _views(session, [item])[0]


def disposition_label(kind: str | None) -> str:
    from app.vocab import DISPOSITION_LABELS, label

    return label(DISPOSITION_LABELS, kind)

