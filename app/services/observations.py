"""Shift observations ("notes"): writing them for one or several residents, correcting and
deleting them, reading them under the confidentiality rule, concerns, and full-text search
(domain-rules §3 and §7, issue 4).

Who reads what (domain-rules §7: the notes are special-category data; share only what a
role needs) — enforced here, the UI only mirrors it:

- a resident's notes are read by the resident's *current* contact persons (primary and
  secondary) and by those allowed to read every resident's notes (the social coordinator and
  the centre leader, ``Permission.READ_ALL_OBSERVATIONS``);
- everyone else who may see the resident register sees *that* notes exist — how many, when,
  by whom (``list_notes``) — but not their words, except the notes they wrote themselves.
  **Decision:** night staff and reception write notes on their shift and may read back what
  they wrote, nothing more; ``read_notes`` refuses them with a ``PermissionDenied`` that says
  who may read;
- whenever note text is shown (``read_notes``, ``list_notes`` with text in it, ``get_note``,
  ``search``), the same transaction adds an audit entry ``read`` / ``observation`` / resident
  id: who, when, which resident — a data-protection requirement. The audit trail never holds
  the words themselves (``Observation.__audit_redacted__``).

Concerns: a note marked concern waits for the resident's primary contact person and for the
social coordinators until each audience has acknowledged it (``waiting_concerns``); the
author's own audiences count as acknowledged at once (they know). Editing rules are in
``app.rules.observations``: only the author edits; an edit more than 24 hours after the note
was written keeps the earlier version.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, column, false, func, literal_column, or_, select, table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from app import fts
from app.db import Database
from app.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.formatting import format_date, local_today, utcnow
from app.i18n import _
from app.models import (
    ContactAssignment,
    Observation,
    ObservationAcknowledgement,
    ObservationVersion,
    Resident,
    Staff,
)
from app.models.observations import (
    AUDIENCE_COORDINATOR,
    AUDIENCE_PRIMARY_CONTACT,
    OBSERVATION_CATEGORIES,
)
from app.models.residents import CONTACT_PRIMARY
from app.permissions import Permission, Role, can, require
from app.queries.residents import escape_like
from app.rules.observations import (
    CONCERN_ACKNOWLEDGE_WITHIN,
    MAX_NOTE_LENGTH,
    keeps_earlier_version,
)
from app.unit_of_work import Actor, audit_entry

#: Search results shown at most (newest first); ``SearchResult.truncated`` says there are more.
SEARCH_LIMIT = 200
#: Words of context around the match in a search result's snippet.
SNIPPET_WORDS = 16


# -- what comes in and goes out ---------------------------------------------------------------

@dataclass(frozen=True)
class ObservationInput:
    """One resident's box on the entry form. ``shift_date`` defaults to today (Copenhagen)."""

    resident_id: uuid.UUID
    text: str
    categories: tuple[str, ...] = ()
    concern: bool = False
    shift_date: date | None = None

    @property
    def is_blank(self) -> bool:
        """Nothing typed, ticked or marked: a box left empty, skipped when saving."""
        return not self.text.strip() and not self.categories and not self.concern


@dataclass(frozen=True)
class NoteVersionView:
    """Words a note had before a late edit replaced them."""

    version: int
    text: str
    categories: tuple[str, ...]
    concern: bool
    written_at: datetime
    replaced_at: datetime


@dataclass(frozen=True)
class NoteView:
    """One note as the reader may see it: ``readable`` False leaves only that it exists
    (when, by whom): ``text`` is None, no categories, no concern flag, no versions."""

    id: uuid.UUID
    resident_id: uuid.UUID
    author_id: uuid.UUID
    author_name: str
    shift_date: date
    written_at: datetime
    edited_at: datetime | None
    version: int
    readable: bool
    text: str | None
    categories: tuple[str, ...] = ()
    concern: bool = False
    earlier_versions: tuple[NoteVersionView, ...] = field(default_factory=tuple)

    @property
    def edited(self) -> bool:
        return self.edited_at is not None


@dataclass(frozen=True)
class ResidentNotes:
    """A resident's notes, newest first; ``may_read`` says whether all of them are readable."""

    resident_id: uuid.UUID
    resident_name: str
    may_read: bool
    notes: tuple[NoteView, ...]

    @property
    def count(self) -> int:
        return len(self.notes)


@dataclass(frozen=True)
class ConcernView:
    """A concern waiting for the reader: which resident, when, by whom — not the words (they
    are read, and audited, with ``get_note``)."""

    note_id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    author_name: str
    written_at: datetime
    shift_date: date
    audiences: tuple[str, ...]  # the reader's audiences it waits for

    def overdue(self, at: datetime) -> bool:
        return at - self.written_at > CONCERN_ACKNOWLEDGE_WITHIN


@dataclass(frozen=True)
class SearchHit:
    note_id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    author_name: str
    written_at: datetime
    shift_date: date
    concern: bool
    # The words around the match; the matched words between ``fts.SNIPPET_START`` and
    # ``fts.SNIPPET_END``.
    snippet: str


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    truncated: bool


# -- who may read -------------------------------------------------------------------------------

def _current_contact_residents(actor: Actor):
    """The residents the actor is a current contact person of (a subquery)."""
    return select(ContactAssignment.resident_id).where(
        ContactAssignment.staff_id == actor.staff_id, ContactAssignment.ended_on.is_(None),
        ContactAssignment.deleted_at.is_(None))


def _may_read(session: Session, actor: Actor, resident_id: uuid.UUID) -> bool:
    if can(actor, Permission.READ_ALL_OBSERVATIONS):
        return True
    if actor.staff_id is None:
        return False
    return session.scalar(select(func.count()).select_from(ContactAssignment).where(
        ContactAssignment.resident_id == resident_id,
        ContactAssignment.staff_id == actor.staff_id, ContactAssignment.ended_on.is_(None),
        ContactAssignment.deleted_at.is_(None))) > 0


def _readable_clause(actor: Actor) -> ColumnElement[bool] | None:
    """SQL for "the actor may read this note"; None when every note is readable."""
    if can(actor, Permission.READ_ALL_OBSERVATIONS):
        return None
    if actor.staff_id is None:
        return false()
    return or_(Observation.author_id == actor.staff_id,
               Observation.resident_id.in_(_current_contact_residents(actor)))


def _refusal(name: str) -> PermissionDenied:
    return PermissionDenied(_(
        "The notes about {name} are confidential: only {name}'s contact persons, the social "
        "coordinator and the centre leader may read them. You can see that notes exist and "
        "read the ones you wrote yourself.").format(name=name))


def may_read_notes(db: Database, actor: Actor, resident_id: uuid.UUID) -> bool:
    """Whether ``read_notes`` would show the actor this resident's notes (for the UI)."""
    with db.read() as session:
        return _may_read(session, actor, resident_id)


# -- reading ------------------------------------------------------------------------------------

def _name(resident: Resident) -> str:
    return f"{resident.given_names} {resident.family_name}"


def _resident(session: Session, resident_id: uuid.UUID) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None:
        raise NotFound(_("The resident does not exist (any more)."))
    return resident


def _note(session: Session, note_id: uuid.UUID) -> Observation:
    note = session.get(Observation, note_id)
    if note is None or note.deleted_at is not None:
        raise NotFound(_("The note does not exist (any more)."))
    return note


def _staff_names(session: Session) -> dict[uuid.UUID, str]:
    return dict(session.execute(select(Staff.id, Staff.full_name)).all())


def _earlier_versions(session: Session, note_ids: Sequence[uuid.UUID]
                      ) -> dict[uuid.UUID, list[NoteVersionView]]:
    versions: dict[uuid.UUID, list[NoteVersionView]] = {}
    if not note_ids:
        return versions
    for row in session.scalars(select(ObservationVersion).where(
            ObservationVersion.observation_id.in_(note_ids),
            ObservationVersion.deleted_at.is_(None)).order_by(ObservationVersion.version)):
        versions.setdefault(row.observation_id, []).append(NoteVersionView(
            row.version, row.text, tuple(row.categories or ()), row.concern, row.written_at,
            row.replaced_at))
    return versions


def _views(session: Session, notes: Sequence[Observation], readable: Iterable[bool]
           ) -> list[NoteView]:
    names = _staff_names(session)
    readable = list(readable)
    versions = _earlier_versions(session, [n.id for n, ok in zip(notes, readable, strict=True)
                                           if ok and n.version > 1])
    views = []
    for note, ok in zip(notes, readable, strict=True):
        base = (note.id, note.resident_id, note.author_id, names.get(note.author_id, ""),
                note.shift_date, note.written_at, note.edited_at, note.version, ok)
        if ok:
            views.append(NoteView(*base, text=note.text, categories=tuple(note.categories or ()),
                                  concern=note.concern,
                                  earlier_versions=tuple(versions.get(note.id, ()))))
        else:
            views.append(NoteView(*base, text=None))
    return views


def _resident_notes(session: Session, resident_id: uuid.UUID) -> list[Observation]:
    return list(session.scalars(select(Observation).where(
        Observation.resident_id == resident_id, Observation.deleted_at.is_(None))
        .order_by(Observation.written_at.desc(), Observation.id)))


def _audit_read(session: Session, resident: Resident, summary: str, **context: object) -> None:
    audit_entry(session, "read", "observation", resident.id,
                changes={"person_id": resident.person_id, **context}, summary=summary)


def read_notes(db: Database, actor: Actor, resident_id: uuid.UUID) -> ResidentNotes:
    """A resident's whole note history with the earlier versions, newest first — for the
    contact persons, the social coordinator and the centre leader; audited."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.unit(actor) as session:
        resident = _resident(session, resident_id)
        if not _may_read(session, actor, resident.id):
            raise _refusal(_name(resident))
        notes = _resident_notes(session, resident.id)
        _audit_read(session, resident, "notes", notes=len(notes))
        return ResidentNotes(resident.id, _name(resident), True,
                             tuple(_views(session, notes, [True] * len(notes))))


def list_notes(db: Database, actor: Actor, resident_id: uuid.UUID) -> ResidentNotes:
    """A resident's notes as the actor may see them: all in full for those who may read them,
    else when and by whom each was written, with the words of the actor's own notes only.
    Audited when any words are shown."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.unit(actor) as session:
        resident = _resident(session, resident_id)
        may_read = _may_read(session, actor, resident.id)
        notes = _resident_notes(session, resident.id)
        readable = [may_read or (actor.staff_id is not None and n.author_id == actor.staff_id)
                    for n in notes]
        shown = sum(readable)
        if shown:
            _audit_read(session, resident, "notes" if may_read else "own notes", notes=shown)
        return ResidentNotes(resident.id, _name(resident), may_read,
                             tuple(_views(session, notes, readable)))


def get_note(db: Database, actor: Actor, note_id: uuid.UUID) -> NoteView:
    """One note with its earlier versions, for those who may read it and its author; audited."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.unit(actor) as session:
        note = _note(session, note_id)
        resident = _resident(session, note.resident_id)
        if note.author_id != actor.staff_id and not _may_read(session, actor, resident.id):
            raise _refusal(_name(resident))
        _audit_read(session, resident, "note", note_id=str(note.id))
        return _views(session, [note], [True])[0]


# -- writing ------------------------------------------------------------------------------------

def _clean_categories(categories: Iterable[str]) -> tuple[list[str], list[str]]:
    """(known categories in the form's order, unknown ones)."""
    given = set(categories)
    return ([c for c in OBSERVATION_CATEGORIES if c in given],
            sorted(c for c in given if c not in OBSERVATION_CATEGORIES))


def _check_text(text: str, name: str) -> str | None:
    if not text:
        return _("{name}: write what you observed.").format(name=name)
    if len(text) > MAX_NOTE_LENGTH:
        return _("{name}: the note is {length} characters long; it may be at most {most}.").format(
            name=name, length=len(text), most=MAX_NOTE_LENGTH)
    return None


def _check_shift_date(shift: date, resident: Resident, today: date) -> str | None:
    name = _name(resident)
    if shift > today:
        return _("{name}: the shift date {date} is in the future.").format(
            name=name, date=format_date(shift))
    if shift < resident.arrival_date:
        return _("{name}: the shift date {date} is before {name} arrived ({arrival}).").format(
            name=name, date=format_date(shift), arrival=format_date(resident.arrival_date))
    if resident.moved_out_on is not None and shift > resident.moved_out_on:
        return _("{name}: the shift date {date} is after {name} moved out ({moved}).").format(
            name=name, date=format_date(shift), moved=format_date(resident.moved_out_on))
    return None


def _audiences_of(session: Session, actor: Actor, resident_id: uuid.UUID) -> list[str]:
    """The concern audiences the actor belongs to for this resident."""
    audiences = []
    if actor.staff_id is not None and session.scalar(select(func.count()).select_from(
            ContactAssignment).where(
            ContactAssignment.resident_id == resident_id,
            ContactAssignment.staff_id == actor.staff_id,
            ContactAssignment.kind == CONTACT_PRIMARY, ContactAssignment.ended_on.is_(None),
            ContactAssignment.deleted_at.is_(None))) > 0:
        audiences.append(AUDIENCE_PRIMARY_CONTACT)
    if Role.SOCIAL_COORDINATOR.value in actor.roles:
        audiences.append(AUDIENCE_COORDINATOR)
    return audiences


def _acknowledge(session: Session, actor: Actor, note: Observation, audiences: Iterable[str],
                 now: datetime) -> list[str]:
    done = set(session.scalars(select(ObservationAcknowledgement.audience).where(
        ObservationAcknowledgement.observation_id == note.id,
        ObservationAcknowledgement.deleted_at.is_(None))))
    added = [a for a in audiences if a not in done]
    for audience in added:
        session.add(ObservationAcknowledgement(observation_id=note.id, audience=audience,
                                               staff_id=actor.staff_id, acknowledged_at=now))
    return added


def _author(actor: Actor) -> uuid.UUID:
    require(actor, Permission.WRITE_OBSERVATIONS)
    if actor.staff_id is None:
        raise PermissionDenied(_("Only a staff member can write observations."))
    return actor.staff_id


def write_observations(db: Database, actor: Actor, entries: Sequence[ObservationInput], *,
                       now: datetime | None = None) -> list[NoteView]:
    """Save the notes of one shift for one or several residents: all or none.

    Boxes left blank are skipped; anything wrong with any entry stops the whole save with a
    ``ValidationError`` whose messages name the resident (keys ``entries.<index>.<field>``).
    """
    author = _author(actor)
    now = now or utcnow()
    today = local_today(now)
    wanted = [(index, entry) for index, entry in enumerate(entries) if not entry.is_blank]
    if not wanted:
        raise ValidationError({"entries": _("Write an observation for at least one resident.")})
    with db.unit(actor) as session:
        residents = {r.id: r for r in session.scalars(select(Resident).where(
            Resident.id.in_({e.resident_id for _i, e in wanted}),
            Resident.deleted_at.is_(None)))}
        problems: dict[str, str] = {}
        checked = []
        for index, entry in wanted:
            resident = residents.get(entry.resident_id)
            if resident is None:
                problems[f"entries.{index}.resident"] = _(
                    "Observation {number}: the resident does not exist (any more).").format(
                        number=index + 1)
                continue
            name = _name(resident)
            text = entry.text.strip()
            categories, unknown = _clean_categories(entry.categories)
            shift = entry.shift_date or today
            if (problem := _check_text(text, name)) is not None:
                problems[f"entries.{index}.text"] = problem
            if unknown:
                problems[f"entries.{index}.categories"] = _(
                    "{name}: unknown category {categories}.").format(
                        name=name, categories=", ".join(unknown))
            if (problem := _check_shift_date(shift, resident, today)) is not None:
                problems[f"entries.{index}.shift_date"] = problem
            checked.append((entry, resident, text, categories, shift))
        if problems:
            raise ValidationError(problems)
        notes = []
        for entry, resident, text, categories, shift in checked:
            note = Observation(resident_id=resident.id, author_id=author, shift_date=shift,
                               written_at=now, text=text, categories=categories,
                               concern=entry.concern, version=1)
            session.add(note)
            notes.append(note)
        session.flush()
        for note in notes:
            if note.concern:
                _acknowledge(session, actor, note, _audiences_of(session, actor, note.resident_id),
                             now)
        session.flush()
        return _views(session, notes, [True] * len(notes))


def edit_observation(db: Database, actor: Actor, note_id: uuid.UUID, *, text: str,
                     categories: Sequence[str] | None = None, concern: bool | None = None,
                     now: datetime | None = None) -> NoteView:
    """Correct one's own note (``categories`` and ``concern`` left None stay as they are).
    Within 24 hours of writing it just changes; later, the words as they were are kept as an
    earlier version (``app.rules.observations``)."""
    author = _author(actor)
    now = now or utcnow()
    with db.unit(actor) as session:
        note = _note(session, note_id)
        resident = _resident(session, note.resident_id)
        if note.author_id != author:
            writer = session.get(Staff, note.author_id)
            raise PermissionDenied(_(
                "Only the author, {author}, can change this note. Write a new note to add "
                "what you know.").format(author=writer.full_name if writer else "?"))
        name = _name(resident)
        text = text.strip()
        known, unknown = _clean_categories(note.categories or () if categories is None
                                           else categories)
        concern = note.concern if concern is None else concern
        problems: dict[str, str] = {}
        if (problem := _check_text(text, name)) is not None:
            problems["text"] = problem
        if unknown:
            problems["categories"] = _("{name}: unknown category {categories}.").format(
                name=name, categories=", ".join(unknown))
        if problems:
            raise ValidationError(problems)
        if (text, known, concern) == (note.text, list(note.categories or ()), note.concern):
            return _views(session, [note], [True])[0]
        if keeps_earlier_version(note.written_at, now):
            session.add(ObservationVersion(
                observation_id=note.id, version=note.version, text=note.text,
                categories=list(note.categories or ()), concern=note.concern,
                written_at=note.edited_at or note.written_at, replaced_at=now))
            note.version += 1
        if concern and not note.concern:
            # Marked as a concern now: it is news to its audiences, whatever they saw before.
            for ack in session.scalars(select(ObservationAcknowledgement).where(
                    ObservationAcknowledgement.observation_id == note.id,
                    ObservationAcknowledgement.deleted_at.is_(None))):
                ack.deleted_at = now
            session.flush()
            _acknowledge(session, actor, note, _audiences_of(session, actor, resident.id), now)
        note.text, note.categories, note.concern = text, known, concern
        note.edited_at = now
        session.flush()
        return _views(session, [note], [True])[0]


def delete_observation(db: Database, actor: Actor, note_id: uuid.UUID, *, reason: str,
                       now: datetime | None = None) -> None:
    """Withdraw a note (e.g. written about the wrong resident): its author, or the centre
    leader. It is kept as deleted, never erased, and no longer shown or found."""
    require(actor, Permission.VIEW_RESIDENTS)
    now = now or utcnow()
    reason = reason.strip()
    with db.unit(actor) as session:
        note = _note(session, note_id)
        own = actor.staff_id is not None and note.author_id == actor.staff_id
        if own:
            require(actor, Permission.WRITE_OBSERVATIONS)
        else:
            require(actor, Permission.DELETE_OBSERVATIONS)
        if not reason:
            raise ValidationError({"reason": _("Write why the note is deleted.")})
        note.deleted_at, note.deleted_by, note.delete_reason = now, actor.staff_id, reason


# -- concerns -----------------------------------------------------------------------------------

def waiting_concerns(session: Session, actor: Actor) -> list[ConcernView]:
    """Concern notes about current residents that wait for one of the actor's audiences (as
    their primary contact person, as a social coordinator), oldest first."""
    if actor.staff_id is None:
        return []
    coordinator = Role.SOCIAL_COORDINATOR.value in actor.roles
    primary_of = select(ContactAssignment.resident_id).where(
        ContactAssignment.staff_id == actor.staff_id, ContactAssignment.kind == CONTACT_PRIMARY,
        ContactAssignment.ended_on.is_(None), ContactAssignment.deleted_at.is_(None))
    query = (select(Observation, Resident.given_names, Resident.family_name)
             .join(Resident, Resident.id == Observation.resident_id)
             .where(Observation.concern.is_(True), Observation.deleted_at.is_(None),
                    Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None)))
    if not coordinator:
        query = query.where(Observation.resident_id.in_(primary_of))
    rows = session.execute(query.order_by(Observation.written_at)).all()
    if not rows:
        return []
    acknowledged: dict[uuid.UUID, set[str]] = {}
    for note_id, audience in session.execute(
            select(ObservationAcknowledgement.observation_id, ObservationAcknowledgement.audience)
            .where(ObservationAcknowledgement.observation_id.in_([r[0].id for r in rows]),
                   ObservationAcknowledgement.deleted_at.is_(None))):
        acknowledged.setdefault(note_id, set()).add(audience)
    primary = set(session.scalars(primary_of))
    names = _staff_names(session)
    concerns = []
    for note, given, family in rows:
        done = acknowledged.get(note.id, set())
        audiences = []
        if note.resident_id in primary and AUDIENCE_PRIMARY_CONTACT not in done:
            audiences.append(AUDIENCE_PRIMARY_CONTACT)
        if coordinator and AUDIENCE_COORDINATOR not in done:
            audiences.append(AUDIENCE_COORDINATOR)
        if audiences:
            concerns.append(ConcernView(note.id, note.resident_id, f"{given} {family}",
                                        names.get(note.author_id, ""), note.written_at,
                                        note.shift_date, tuple(audiences)))
    return concerns


def concerns_for(db: Database, actor: Actor) -> list[ConcernView]:
    """The concerns waiting for the actor (see ``waiting_concerns``)."""
    with db.read() as session:
        return waiting_concerns(session, actor)


def acknowledge_concern(db: Database, actor: Actor, note_id: uuid.UUID, *,
                        now: datetime | None = None) -> tuple[str, ...]:
    """The actor has seen the concern; returns the audiences acknowledged for (the primary
    contact person, the social coordinators or both)."""
    now = now or utcnow()
    with db.unit(actor) as session:
        note = _note(session, note_id)
        if not note.concern:
            raise DomainError(_("This note is not marked as a concern."))
        audiences = _audiences_of(session, actor, note.resident_id)
        if not audiences:
            raise PermissionDenied(_(
                "A concern is acknowledged by the resident's primary contact person or a "
                "social coordinator."))
        added = _acknowledge(session, actor, note, audiences, now)
        if not added:
            raise DomainError(_("This concern has been acknowledged already."))
        return tuple(added)


# -- search -------------------------------------------------------------------------------------

_FTS = table(fts.FTS_TABLE, column("rowid"))


def _matching_ids(session: Session, actor: Actor, user_text: str, limit: int
                  ) -> tuple[list[uuid.UUID], dict[uuid.UUID, str]]:
    """Ids of the readable, live notes matching ``user_text``, newest first (``limit`` + 1 at
    most), and a snippet for each."""
    readable = _readable_clause(actor)
    if fts.index_exists(session.connection()):
        expression = fts.match_expression(user_text)
        if expression is None:
            return [], {}
        observation_rowid = literal_column("observation.rowid")
        query = (select(Observation.id, observation_rowid)
                 .join(_FTS, _FTS.c.rowid == observation_rowid)
                 .where(sql_text(f"{fts.FTS_TABLE} MATCH :expression")
                        .bindparams(expression=expression),
                        Observation.deleted_at.is_(None)))
        if readable is not None:
            query = query.where(readable)
        # Newest first = the order saved: FTS5 walks its rowids backwards and stops at the
        # limit, instead of sorting every match by time (a common word matches thousands).
        rows = session.execute(query.order_by(_FTS.c.rowid.desc()).limit(limit + 1)).all()
        if not rows:
            return [], {}
        # Snippets only for the rows shown: making one reads and tokenises the note again.
        # FTS5 takes the rowid range as its own constraint (a cheap walk over the matches);
        # the "+" keeps the list of rowids out of it (as a constraint it is far slower).
        shown = [rowid for _id, rowid in rows[:limit]]
        snippet = func.snippet(literal_column(fts.FTS_TABLE), 0, fts.SNIPPET_START,
                               fts.SNIPPET_END, "…", SNIPPET_WORDS)
        snippets = dict(session.execute(
            select(_FTS.c.rowid, snippet).where(
                sql_text(f"{fts.FTS_TABLE} MATCH :expression").bindparams(expression=expression),
                _FTS.c.rowid.between(min(shown), max(shown)),
                literal_column(f"+{fts.FTS_TABLE}.rowid").in_(shown))).all())
        return [note_id for note_id, _rowid in rows], {
            note_id: snippets.get(rowid, "") for note_id, rowid in rows}
    # No index (PostgreSQL at head office): every word somewhere in the text.
    terms = fts.search_terms(user_text)
    if not terms:
        return [], {}
    query = select(Observation.id, Observation.text).where(Observation.deleted_at.is_(None))
    for term in terms:
        query = query.where(func.lower(Observation.text).like(
            f"%{escape_like(term.lower())}%", escape="\\"))
    if readable is not None:
        query = query.where(readable)
    rows = session.execute(query.order_by(Observation.written_at.desc(), Observation.id)
                           .limit(limit + 1)).all()
    return [note_id for note_id, _text in rows], {
        note_id: body[:200] + ("…" if len(body) > 200 else "") for note_id, body in rows}


def search(db: Database, actor: Actor, user_text: str, *,
           limit: int = SEARCH_LIMIT) -> SearchResult:
    """Notes holding every word typed (a word of three letters or more also finds the words
    it begins: ``app.fts.match_expression``), among the notes the actor may read (their
    residents' notes, every note for the coordinator and the leader, their own), newest first.
    Deleted notes are never found. Audited per resident found."""
    require(actor, Permission.VIEW_RESIDENTS)
    user_text = user_text.strip()
    with db.unit(actor) as session:
        ids, snippets = _matching_ids(session, actor, user_text, limit)
        truncated = len(ids) > limit
        ids = ids[:limit]
        rows = session.execute(
            select(Observation.id, Observation.resident_id, Observation.author_id,
                   Observation.written_at, Observation.shift_date, Observation.concern,
                   Resident.given_names, Resident.family_name, Resident.person_id)
            .join(Resident, Resident.id == Observation.resident_id)
            .where(Observation.id.in_(ids))).all() if ids else []
        rows.sort(key=lambda row: row.written_at, reverse=True)
        names = _staff_names(session)
        hits = tuple(SearchHit(row.id, row.resident_id, f"{row.given_names} {row.family_name}",
                               names.get(row.author_id, ""), row.written_at, row.shift_date,
                               row.concern, snippets.get(row.id, "")) for row in rows)
        if user_text:
            per_resident = Counter(row.resident_id for row in rows)
            person_ids = {row.resident_id: row.person_id for row in rows}
            for resident_id, count in per_resident.items():
                audit_entry(session, "read", "observation", resident_id, changes={
                    "person_id": person_ids[resident_id], "via": "search", "notes": count,
                    "query": user_text[:200]}, summary="search")
            if not per_resident:
                audit_entry(session, "read", "observation", None, changes={
                    "via": "search", "notes": 0, "query": user_text[:200]}, summary="search")
        return SearchResult(user_text, hits, truncated)
