"""The resident register: arrival, corrections, room changes, contact persons and move-out."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, ValidationError
from app.formatting import format_date, local_today
from app.i18n import _
from app.models import Bed, BedAssignment, ContactAssignment, Resident, Room, Staff
from app.models.residents import (
    CONTACT_PRIMARY,
    CONTACT_SECONDARY,
    MOVE_OUT_REASONS,
    SEXES,
    STATUS_IN_RESIDENCE,
    STATUSES,
)
from app.permissions import Permission, Role, require
from app.rules.residents import ADULT_AGE, age_on
from app.unit_of_work import Actor

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
REPRESENTATIVE_FIELDS = frozenset({"representative_name", "representative_phone",
                                   "representative_email"})


@dataclass(frozen=True)
class ResidentInput:
    """What staff type in about a resident; validated by ``validate_resident_input``."""

    person_id: str
    given_names: str
    family_name: str
    date_of_birth: date | None
    sex: str
    nationality: str
    arrival_date: date | None
    phase: int = 1
    name_in_own_script: str | None = None
    age_disputed: bool = False
    languages: tuple[str, ...] = ()
    representative_name: str | None = None
    representative_phone: str | None = None
    representative_email: str | None = None
    street_oriented: bool = False
    special_needs: bool = False
    special_needs_note: str | None = None

    def cleaned(self) -> ResidentInput:
        def strip(value: str | None) -> str | None:
            value = (value or "").strip()
            return value or None

        return replace(
            self, person_id=self.person_id.strip(), given_names=self.given_names.strip(),
            family_name=self.family_name.strip(), nationality=self.nationality.strip(),
            name_in_own_script=strip(self.name_in_own_script),
            languages=tuple(lang.strip() for lang in self.languages if lang.strip()),
            representative_name=strip(self.representative_name),
            representative_phone=strip(self.representative_phone),
            representative_email=strip(self.representative_email),
            special_needs_note=strip(self.special_needs_note))


@dataclass(frozen=True)
class HistoryEvent:
    on: date
    text: str


@dataclass(frozen=True)
class ResidentDetail:
    id: uuid.UUID
    data: ResidentInput
    status: str
    moved_out_on: date | None
    move_out_reason: str | None
    move_out_note: str | None
    room_name: str | None
    bed_id: uuid.UUID | None
    bed_label: str | None
    primary_contact_id: uuid.UUID | None
    primary_contact_name: str | None
    secondary_contact_id: uuid.UUID | None
    secondary_contact_name: str | None
    history: tuple[HistoryEvent, ...] = field(default_factory=tuple)

    @property
    def display_name(self) -> str:
        return f"{self.data.given_names} {self.data.family_name}"

    @property
    def is_current(self) -> bool:
        return self.moved_out_on is None

    def age_on(self, day: date) -> int:
        return age_on(self.data.date_of_birth, day)


_INPUT_FIELDS = tuple(f.name for f in fields(ResidentInput))


def validate_resident_input(session: Session, data: ResidentInput, *, today: date,
                            exclude_id: uuid.UUID | None = None,
                            current_stay: bool = True) -> ResidentInput:
    """All that is wrong with ``data`` at once, as a ``ValidationError``; else the cleaned input."""
    data = data.cleaned()
    problems: dict[str, str] = {}
    if not data.person_id:
        problems["person_id"] = _("Write the person ID the Agency issued.")
    if not data.given_names:
        problems["given_names"] = _("Write the resident's given name(s).")
    if not data.family_name:
        problems["family_name"] = _("Write the resident's family name.")
    if data.sex not in SEXES:
        problems["sex"] = _("Choose the resident's sex.")
    if not data.nationality:
        problems["nationality"] = _("Write the resident's nationality.")
    if data.phase not in (1, 2, 3):
        problems["phase"] = _("The asylum phase is 1, 2 or 3.")
    if data.arrival_date is None:
        problems["arrival_date"] = _("Give the arrival date.")
    elif data.arrival_date > today:
        problems["arrival_date"] = _("The arrival date {date} is in the future.").format(
            date=format_date(data.arrival_date))
    if data.date_of_birth is None:
        problems["date_of_birth"] = _("Give the date of birth.")
    elif data.date_of_birth > today:
        problems["date_of_birth"] = _("The date of birth {date} is in the future.").format(
            date=format_date(data.date_of_birth))
    elif data.arrival_date is not None and data.arrival_date >= data.date_of_birth:
        age = age_on(data.date_of_birth, data.arrival_date)
        if age >= ADULT_AGE:
            problems["date_of_birth"] = _(
                "With this date of birth the resident was {age} on the arrival date: a children's "
                "centre only houses minors under 18.").format(age=age)
    elif data.arrival_date is not None:
        problems["date_of_birth"] = _("The date of birth is after the arrival date.")
    if data.representative_email and not EMAIL_PATTERN.match(data.representative_email):
        problems["representative_email"] = _(
            "The representative's e-mail address {email} is not valid.").format(
                email=data.representative_email)
    # Person IDs are unique among current residents only: a former stay of someone who came
    # back keeps its person ID and can still be corrected.
    if data.person_id and current_stay:
        query = select(Resident).where(Resident.person_id == data.person_id,
                                       Resident.moved_out_on.is_(None),
                                       Resident.deleted_at.is_(None))
        if exclude_id is not None:
            query = query.where(Resident.id != exclude_id)
        other = session.scalar(query)
        if other is not None:
            problems["person_id"] = _(
                "Person ID {person_id} already belongs to a current resident, {name}.").format(
                    person_id=data.person_id, name=f"{other.given_names} {other.family_name}")
    if problems:
        raise ValidationError(problems)
    return data


def _check_bed_free(session: Session, bed_id: uuid.UUID, resident_id: uuid.UUID | None) -> Bed:
    bed = session.get(Bed, bed_id)
    if bed is None or bed.deleted_at is not None:
        raise ValidationError({"bed": _("Choose a bed.")})
    occupant = session.execute(
        select(Resident.given_names, Resident.family_name, Resident.id)
        .join(BedAssignment, BedAssignment.resident_id == Resident.id)
        .where(BedAssignment.bed_id == bed_id, BedAssignment.ended_on.is_(None),
               BedAssignment.deleted_at.is_(None))).first()
    if occupant is not None and occupant.id != resident_id:
        room = session.get(Room, bed.room_id)
        raise ValidationError({"bed": _(
            "Bed {bed} in room {room} is already taken by {name}.").format(
                bed=bed.label, room=room.name if room else "?",
                name=f"{occupant.given_names} {occupant.family_name}")})
    return bed


def _check_contact(session: Session, staff_id: uuid.UUID | None, kind_field: str) -> None:
    if staff_id is None:
        return
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active or staff.deleted_at is not None:
        raise ValidationError({kind_field: _("The chosen contact person is not an active user.")})
    if Role.CONTACT_PERSON.value not in staff.roles:
        raise ValidationError({kind_field: _(
            "{name} does not have the contact person role.").format(name=staff.full_name)})


def _open_contact(session: Session, resident_id: uuid.UUID, kind: str) -> ContactAssignment | None:
    return session.scalar(select(ContactAssignment).where(
        ContactAssignment.resident_id == resident_id, ContactAssignment.kind == kind,
        ContactAssignment.ended_on.is_(None), ContactAssignment.deleted_at.is_(None)))


def _open_bed(session: Session, resident_id: uuid.UUID) -> BedAssignment | None:
    return session.scalar(select(BedAssignment).where(
        BedAssignment.resident_id == resident_id, BedAssignment.ended_on.is_(None),
        BedAssignment.deleted_at.is_(None)))


def _set_contacts(session: Session, resident: Resident, primary_id: uuid.UUID | None,
                  secondary_id: uuid.UUID | None, on: date) -> None:
    if primary_id is not None and primary_id == secondary_id:
        raise ValidationError({"secondary_contact": _(
            "The primary and the secondary contact person must be two different people.")})
    _check_contact(session, primary_id, "primary_contact")
    _check_contact(session, secondary_id, "secondary_contact")
    for kind, staff_id in ((CONTACT_PRIMARY, primary_id), (CONTACT_SECONDARY, secondary_id)):
        current = _open_contact(session, resident.id, kind)
        if current is not None and current.staff_id == staff_id:
            continue
        if current is not None:
            current.ended_on = on
        if staff_id is not None:
            session.flush()  # the open-assignment index allows one open row per kind
            session.add(ContactAssignment(resident_id=resident.id, staff_id=staff_id, kind=kind,
                                          started_on=on))


def _load(session: Session, resident_id: uuid.UUID) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None:
        raise NotFound(_("The resident does not exist (any more)."))
    return resident


def _detail(session: Session, resident: Resident) -> ResidentDetail:
    from app.vocab import MOVE_OUT_REASON_LABELS, label

    data = ResidentInput(**{name: getattr(resident, name) for name in _INPUT_FIELDS
                            if name != "languages"}, languages=tuple(resident.languages or ()))
    beds = session.execute(
        select(BedAssignment, Bed.label, Room.name)
        .join(Bed, Bed.id == BedAssignment.bed_id).join(Room, Room.id == Bed.room_id)
        .where(BedAssignment.resident_id == resident.id, BedAssignment.deleted_at.is_(None))
        .order_by(BedAssignment.started_on, BedAssignment.created_at)).all()
    contacts = session.execute(
        select(ContactAssignment, Staff.full_name)
        .join(Staff, Staff.id == ContactAssignment.staff_id)
        .where(ContactAssignment.resident_id == resident.id,
               ContactAssignment.deleted_at.is_(None))
        .order_by(ContactAssignment.started_on, ContactAssignment.created_at)).all()
    history = [HistoryEvent(resident.arrival_date, _("Arrived at the centre"))]
    for index, (assignment, bed_label, room_name) in enumerate(beds):
        if index:
            history.append(HistoryEvent(assignment.started_on, _(
                "Moved to room {room}, bed {bed}").format(room=room_name, bed=bed_label)))
        else:
            history.append(HistoryEvent(assignment.started_on, _(
                "Moved in: room {room}, bed {bed}").format(room=room_name, bed=bed_label)))
    for assignment, name in contacts:
        text = (_("{name} became primary contact person") if assignment.kind == CONTACT_PRIMARY
                else _("{name} became secondary contact person")).format(name=name)
        history.append(HistoryEvent(assignment.started_on, text))
    if resident.moved_out_on is not None:
        history.append(HistoryEvent(resident.moved_out_on, _("Moved out: {reason}").format(
            reason=label(MOVE_OUT_REASON_LABELS, resident.move_out_reason))))
    history.sort(key=lambda event: event.on)

    open_bed = next(((a, bl, rn) for a, bl, rn in beds if a.ended_on is None), None)
    open_contacts = {a.kind: (a.staff_id, name) for a, name in contacts if a.ended_on is None}
    primary = open_contacts.get(CONTACT_PRIMARY, (None, None))
    secondary = open_contacts.get(CONTACT_SECONDARY, (None, None))
    return ResidentDetail(
        id=resident.id, data=data, status=resident.status, moved_out_on=resident.moved_out_on,
        move_out_reason=resident.move_out_reason, move_out_note=resident.move_out_note,
        room_name=open_bed[2] if open_bed else None,
        bed_id=open_bed[0].bed_id if open_bed else None,
        bed_label=open_bed[1] if open_bed else None,
        primary_contact_id=primary[0], primary_contact_name=primary[1],
        secondary_contact_id=secondary[0], secondary_contact_name=secondary[1],
        history=tuple(history))


def register_arrival(db: Database, actor: Actor, data: ResidentInput, bed_id: uuid.UUID, *,
                     primary_contact_id: uuid.UUID | None = None,
                     secondary_contact_id: uuid.UUID | None = None,
                     today: date | None = None) -> ResidentDetail:
    """Move a new resident in: the record, the first bed and the contact persons, at once."""
    require(actor, Permission.REGISTER_ARRIVAL)
    if primary_contact_id is not None or secondary_contact_id is not None:
        require(actor, Permission.ASSIGN_CONTACT_PERSONS)
    today = today or local_today()
    with db.unit(actor) as session:
        data = validate_resident_input(session, data, today=today)
        _check_bed_free(session, bed_id, None)
        values = {name: getattr(data, name) for name in _INPUT_FIELDS}
        values["languages"] = list(data.languages)
        resident = Resident(**values, status=STATUS_IN_RESIDENCE)
        session.add(resident)
        session.flush()
        session.add(BedAssignment(resident_id=resident.id, bed_id=bed_id,
                                  started_on=data.arrival_date))
        _set_contacts(session, resident, primary_contact_id, secondary_contact_id,
                      data.arrival_date)
        session.flush()
        return _detail(session, resident)


def update_resident(db: Database, actor: Actor, resident_id: uuid.UUID, data: ResidentInput, *,
                    today: date | None = None) -> ResidentDetail:
    """Correct a resident's details. Only the fields that change are checked against the roles."""
    today = today or local_today()
    with db.unit(actor) as session:
        resident = _load(session, resident_id)
        # Check the roles against what would change before saying what is wrong with it.
        changed = _changed_fields(resident, data.cleaned())
        if changed & REPRESENTATIVE_FIELDS:
            require(actor, Permission.EDIT_REPRESENTATIVE)
        if changed - REPRESENTATIVE_FIELDS:
            require(actor, Permission.EDIT_RESIDENT)
        data = validate_resident_input(session, data, today=today, exclude_id=resident.id,
                                       current_stay=resident.moved_out_on is None)
        if data.arrival_date != resident.arrival_date:
            _move_arrival(session, resident, data.arrival_date)
        for name in changed:
            value = getattr(data, name)
            setattr(resident, name, list(value) if name == "languages" else value)
        session.flush()
        return _detail(session, resident)


def _changed_fields(resident: Resident, data: ResidentInput) -> set[str]:
    return {name for name in _INPUT_FIELDS
            if (list(getattr(data, name)) if name == "languages" else getattr(data, name))
            != getattr(resident, name)}


def _move_arrival(session: Session, resident: Resident, arrival: date) -> None:
    """A corrected arrival date moves the first bed with it; it cannot pass later events."""
    if resident.moved_out_on is not None and arrival > resident.moved_out_on:
        raise ValidationError({"arrival_date": _(
            "The arrival date cannot be after the move-out date {date}.").format(
                date=format_date(resident.moved_out_on))})
    first = session.scalar(select(BedAssignment).where(
        BedAssignment.resident_id == resident.id, BedAssignment.deleted_at.is_(None))
        .order_by(BedAssignment.started_on, BedAssignment.created_at).limit(1))
    if first is None:
        return
    if first.ended_on is not None and arrival > first.ended_on:
        raise ValidationError({"arrival_date": _(
            "The arrival date cannot be after the first room change on {date}.").format(
                date=format_date(first.ended_on))})
    if first.started_on == resident.arrival_date:
        first.started_on = arrival


def change_bed(db: Database, actor: Actor, resident_id: uuid.UUID, bed_id: uuid.UUID, *,
               on: date | None = None, today: date | None = None) -> ResidentDetail:
    require(actor, Permission.CHANGE_ROOM)
    today = today or local_today()
    on = on or today
    with db.unit(actor) as session:
        resident = _load(session, resident_id)
        if resident.moved_out_on is not None:
            raise DomainError(_("{name} has moved out and has no bed here.").format(
                name=f"{resident.given_names} {resident.family_name}"))
        current = _open_bed(session, resident.id)
        if current is not None and current.bed_id == bed_id:
            raise ValidationError({"bed": _("The resident already sleeps in that bed.")})
        if on < resident.arrival_date or (current is not None and on < current.started_on):
            raise ValidationError({"on": _(
                "A room change cannot be dated before the resident moved into the current bed.")})
        if on > today:
            raise ValidationError({"on": _("A room change cannot be dated in the future.")})
        _check_bed_free(session, bed_id, resident.id)
        if current is not None:
            current.ended_on = on
            current.end_reason = "room_change"
            session.flush()
        session.add(BedAssignment(resident_id=resident.id, bed_id=bed_id, started_on=on))
        session.flush()
        return _detail(session, resident)


def assign_contact_persons(db: Database, actor: Actor, resident_id: uuid.UUID,
                           primary_id: uuid.UUID | None, secondary_id: uuid.UUID | None, *,
                           on: date | None = None, today: date | None = None) -> ResidentDetail:
    require(actor, Permission.ASSIGN_CONTACT_PERSONS)
    today = today or local_today()
    on = on or today
    with db.unit(actor) as session:
        resident = _load(session, resident_id)
        if resident.moved_out_on is not None:
            raise DomainError(_("Contact persons are assigned to current residents only."))
        if on > today:
            raise ValidationError({"on": _("A change of contact person cannot be dated in the "
                                           "future.")})
        if on < resident.arrival_date:
            raise ValidationError({"on": _("A change of contact person cannot be dated before "
                                           "the arrival date.")})
        _set_contacts(session, resident, primary_id, secondary_id, on)
        session.flush()
        return _detail(session, resident)


def move_out(db: Database, actor: Actor, resident_id: uuid.UUID, *, on: date, reason: str,
             note: str | None = None, today: date | None = None) -> ResidentDetail:
    require(actor, Permission.MOVE_OUT)
    if reason not in MOVE_OUT_REASONS:
        raise ValidationError({"reason": _("Choose why the resident moves out.")})
    with db.unit(actor) as session:
        resident = _load(session, resident_id)
        if resident.moved_out_on is not None:
            raise DomainError(_("{name} moved out on {date} already.").format(
                name=f"{resident.given_names} {resident.family_name}",
                date=format_date(resident.moved_out_on)))
        if on < resident.arrival_date:
            raise ValidationError({"on": _("The move-out date is before the arrival date.")})
        if on > (today or local_today()):
            raise ValidationError({"on": _("The move-out date cannot be in the future.")})
        bed = _open_bed(session, resident.id)
        if bed is not None:
            bed.ended_on = on
            bed.end_reason = "move_out"
        for kind in (CONTACT_PRIMARY, CONTACT_SECONDARY):
            contact = _open_contact(session, resident.id, kind)
            if contact is not None:
                contact.ended_on = on
        resident.moved_out_on = on
        resident.move_out_reason = reason
        resident.move_out_note = (note or "").strip() or None
        resident.status = reason
        session.flush()
        return _detail(session, resident)


def set_status(db: Database, actor: Actor, resident_id: uuid.UUID, status: str) -> ResidentDetail:
    """Status of a current resident (in residence / missing); later issues drive it."""
    require(actor, Permission.EDIT_RESIDENT)
    if status not in STATUSES:
        raise ValidationError({"status": _("Unknown status: {status}.").format(status=status)})
    with db.unit(actor) as session:
        resident = _load(session, resident_id)
        resident.status = status
        session.flush()
        return _detail(session, resident)


def get_resident(db: Database, actor: Actor, resident_id: uuid.UUID) -> ResidentDetail:
    require(actor, Permission.VIEW_RESIDENTS)
    with db.read() as session:
        return _detail(session, _load(session, resident_id))


def find_current_by_person_id(db: Database, actor: Actor, person_id: str) -> ResidentDetail | None:
    require(actor, Permission.VIEW_RESIDENTS)
    with db.read() as session:
        resident = session.scalar(select(Resident).where(
            Resident.person_id == person_id.strip(), Resident.moved_out_on.is_(None),
            Resident.deleted_at.is_(None)))
        return _detail(session, resident) if resident else None
