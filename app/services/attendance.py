"""Attendance rounds: the schedule, opening a round, one mark at a time, and what a round shows.

Each mark is its own unit of work, so a half-done round survives a closed window, a
lock, a crash or a power cut, and anyone on shift can finish it. Marks drive missing
cases (``app.services.missing``): an absent mark without leave opens one, a present mark
closes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import NotFound, ValidationError
from app.formatting import as_utc, format_date, format_datetime, format_time, local_today, utcnow
from app.i18n import _
from app.models import (
    AttendanceMark,
    AttendanceRound,
    Bed,
    BedAssignment,
    Centre,
    Leave,
    MissingCase,
    MissingReport,
    Resident,
    Room,
    Staff,
)
from app.models.residents import STATUS_IN_RESIDENCE, STATUS_MISSING
from app.queries.residents import room_names
from app.permissions import Permission, require
from app.rules.absence import (
    MARK_ABSENT,
    MARK_HOSPITAL,
    MARK_LEAVE,
    MARK_OTHER,
    MARK_PRESENT,
    MARKS,
    opens_missing_case,
)
from app.rules.residents import age_on
from app.services.rooms import natural_key
from app.rules.rounds import (
    DEFAULT_ROUND_TIMES,
    ROUND_SLOTS,
    parse_round_times,
    parse_time_of_day,
    planned_at,
)
from app.unit_of_work import Actor
from app.vocab import ROUND_SLOT_LABELS, label

#: Clocks on shift PCs drift; a mark a few minutes "in the future" is not an error.
CLOCK_SKEW = timedelta(minutes=5)
#: A mark cannot be made this long before its round was planned.
EARLIEST_BEFORE_PLANNED = timedelta(hours=12)


# -- schedule ---------------------------------------------------------------------------------

def round_times(session: Session) -> dict[str, time]:
    centre = session.scalar(select(Centre).where(Centre.deleted_at.is_(None)))
    try:
        return parse_round_times((centre.round_times if centre else None) or DEFAULT_ROUND_TIMES)
    except ValueError:
        return parse_round_times(DEFAULT_ROUND_TIMES)


def set_round_times(db: Database, actor: Actor, times: dict[str, str]) -> dict[str, time]:
    """The centre leader moves the planned times of the three rounds."""
    require(actor, Permission.PLAN_ROUNDS)
    try:
        parsed = parse_round_times(times)
    except ValueError:
        problems = {}
        for slot in ROUND_SLOTS:
            try:
                # The format of each time alone: 15:00 is a good time even if out of order.
                parse_time_of_day(times.get(slot))
            except ValueError:
                problems[slot] = _("Write the time as HH:MM, for example 08:00.")
        if not problems:
            problems[ROUND_SLOTS[-1]] = _(
                "The rounds must come in the order morning, afternoon, evening.")
        raise ValidationError(problems) from None
    with db.unit(actor) as session:
        centre = session.scalar(select(Centre).where(Centre.deleted_at.is_(None)))
        if centre is None:
            raise NotFound(_("The centre has not been set up."))
        centre.round_times = {slot: value.strftime("%H:%M") for slot, value in parsed.items()}
    return parsed


def slot_label(slot: str) -> str:
    return label(ROUND_SLOT_LABELS, slot)


# -- what a round shows -----------------------------------------------------------------------

@dataclass(frozen=True)
class RoundRow:
    resident_id: uuid.UUID
    name: str
    name_in_own_script: str | None
    person_id: str
    room: str
    bed: str
    age: int
    mark: str | None = None
    note: str | None = None
    marked_at: datetime | None = None
    marked_by: str | None = None
    source: str | None = None
    leave_kind: str | None = None
    missing_since: datetime | None = None


@dataclass(frozen=True)
class RoundView:
    round_id: uuid.UUID
    day: date
    slot: str
    planned_at: datetime
    completed_at: datetime | None
    rows: tuple[RoundRow, ...]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def marked(self) -> int:
        return sum(1 for row in self.rows if row.mark is not None)

    @property
    def title(self) -> str:
        return _("{round}, {date} {time}").format(
            round=slot_label(self.slot), date=format_date(self.planned_at),
            time=format_time(self.planned_at))


@dataclass(frozen=True)
class RoundStatus:
    day: date
    slot: str
    planned_at: datetime
    round_id: uuid.UUID | None
    marked: int
    expected: int
    completed_at: datetime | None

    @property
    def started(self) -> bool:
        return self.round_id is not None

    @property
    def complete(self) -> bool:
        """Every resident has a mark; a day with nobody in residence has nothing to check."""
        return self.expected == 0 or (self.round_id is not None and self.marked >= self.expected)


def _in_residence_on(day: date):
    """Residents living here on ``day``: arrived by then and not moved out before the end."""
    return and_(Resident.deleted_at.is_(None), Resident.arrival_date <= day,
                or_(Resident.moved_out_on.is_(None), Resident.moved_out_on > day))


def _expected_ids(session: Session, round_: AttendanceRound) -> set[uuid.UUID]:
    ids = set(session.scalars(select(Resident.id).where(_in_residence_on(round_.round_date))))
    ids |= set(session.scalars(select(AttendanceMark.resident_id).where(
        AttendanceMark.round_id == round_.id, AttendanceMark.deleted_at.is_(None))))
    return ids


def _leave_at(session: Session, at: datetime,
              resident_ids: set[uuid.UUID] | None = None) -> dict[uuid.UUID, str]:
    query = select(Leave.resident_id, Leave.kind).where(
        Leave.deleted_at.is_(None), Leave.starts_at <= at, Leave.ends_at > at)
    if resident_ids is not None:
        query = query.where(Leave.resident_id.in_(resident_ids))
    return dict(session.execute(query).all())


def _round(session: Session, round_id: uuid.UUID) -> AttendanceRound:
    round_ = session.get(AttendanceRound, round_id)
    if round_ is None or round_.deleted_at is not None:
        raise NotFound(_("The round does not exist (any more)."))
    return round_


def _view(session: Session, round_: AttendanceRound) -> RoundView:
    day = round_.round_date
    residents = session.execute(
        select(Resident.id, Resident.given_names, Resident.family_name,
               Resident.name_in_own_script, Resident.person_id, Resident.date_of_birth)
        .where(or_(_in_residence_on(day), Resident.id.in_(
            select(AttendanceMark.resident_id).where(AttendanceMark.round_id == round_.id,
                                                     AttendanceMark.deleted_at.is_(None)))))
    ).all()
    ids = {row.id for row in residents}
    # The bed each resident had on the round's day (the latest if they moved that day).
    beds: dict[uuid.UUID, tuple[str, str]] = {}
    for resident_id, room, bed in session.execute(
            select(BedAssignment.resident_id, Room.name, Bed.label)
            .join(Bed, Bed.id == BedAssignment.bed_id).join(Room, Room.id == Bed.room_id)
            .where(BedAssignment.resident_id.in_(ids), BedAssignment.deleted_at.is_(None),
                   BedAssignment.started_on <= day,
                   or_(BedAssignment.ended_on.is_(None), BedAssignment.ended_on >= day))
            .order_by(BedAssignment.started_on, BedAssignment.created_at)):
        beds[resident_id] = (room, bed)
    marks = {mark.resident_id: (mark, name) for mark, name in session.execute(
        select(AttendanceMark, Staff.full_name)
        .outerjoin(Staff, Staff.id == AttendanceMark.marked_by)
        .where(AttendanceMark.round_id == round_.id, AttendanceMark.deleted_at.is_(None)))}
    leave = _leave_at(session, round_.planned_at, ids)
    missing = dict(session.execute(
        select(MissingCase.resident_id, MissingCase.missing_since)
        .where(MissingCase.resident_id.in_(ids), MissingCase.closed_at.is_(None),
               MissingCase.deleted_at.is_(None))).all())
    rows = []
    for r in residents:
        room, bed = beds.get(r.id, ("", ""))
        mark, marked_by = marks.get(r.id, (None, None))
        rows.append(RoundRow(
            resident_id=r.id, name=f"{r.given_names} {r.family_name}",
            name_in_own_script=r.name_in_own_script, person_id=r.person_id, room=room, bed=bed,
            age=age_on(r.date_of_birth, max(day, r.date_of_birth)),
            mark=mark.mark if mark else None, note=mark.note if mark else None,
            marked_at=mark.marked_at if mark else None, marked_by=marked_by,
            source=mark.source if mark else None, leave_kind=leave.get(r.id),
            missing_since=missing.get(r.id)))
    rows.sort(key=lambda row: (row.room == "", natural_key(row.room), natural_key(row.bed),
                               row.name.casefold()))
    return RoundView(round_.id, day, round_.slot, round_.planned_at, round_.completed_at,
                     tuple(rows))


def get_round(db: Database, actor: Actor, round_id: uuid.UUID) -> RoundView:
    require(actor, Permission.TAKE_ROUNDS)
    with db.read() as session:
        return _view(session, _round(session, round_id))


def day_status(session: Session, day: date) -> list[RoundStatus]:
    """The three rounds of ``day``: planned time, whether started, marked of expected."""
    times = round_times(session)
    rounds = {r.slot: r for r in session.scalars(select(AttendanceRound).where(
        AttendanceRound.round_date == day, AttendanceRound.deleted_at.is_(None)))}
    in_residence = session.scalar(select(func.count()).select_from(Resident)
                                  .where(_in_residence_on(day))) or 0
    result = []
    for slot in ROUND_SLOTS:
        round_ = rounds.get(slot)
        if round_ is None:
            result.append(RoundStatus(day, slot, planned_at(day, times[slot]), None, 0,
                                      in_residence, None))
            continue
        marked = session.scalar(select(func.count()).select_from(AttendanceMark).where(
            AttendanceMark.round_id == round_.id, AttendanceMark.deleted_at.is_(None))) or 0
        expected = len(_expected_ids(session, round_))
        result.append(RoundStatus(day, slot, round_.planned_at, round_.id, marked, expected,
                                  round_.completed_at))
    return result


def rounds_of_day(db: Database, actor: Actor, day: date) -> list[RoundStatus]:
    require(actor, Permission.TAKE_ROUNDS)
    with db.read() as session:
        return day_status(session, day)


# -- taking a round ---------------------------------------------------------------------------

def open_round(db: Database, actor: Actor, day: date, slot: str, *,
               now: datetime | None = None) -> RoundView:
    """Start the round (or continue it): residents on approved leave get their mark at once."""
    require(actor, Permission.TAKE_ROUNDS)
    if slot not in ROUND_SLOTS:
        raise ValidationError({"slot": _("Choose the morning, afternoon or evening round.")})
    now = now or utcnow()
    if day > (local_today(now) + timedelta(days=1)):
        raise ValidationError({"day": _("A round cannot be taken for a day in the future.")})
    with db.unit(actor) as session:
        round_ = session.scalar(select(AttendanceRound).where(
            AttendanceRound.round_date == day, AttendanceRound.slot == slot,
            AttendanceRound.deleted_at.is_(None)))
        if round_ is None:
            round_ = AttendanceRound(round_date=day, slot=slot,
                                     planned_at=planned_at(day, round_times(session)[slot]),
                                     started_at=now, started_by=actor.staff_id)
            session.add(round_)
            session.flush()
        marked = set(session.scalars(select(AttendanceMark.resident_id).where(
            AttendanceMark.round_id == round_.id, AttendanceMark.deleted_at.is_(None))))
        expected = _expected_ids(session, round_)
        for resident_id, kind in _leave_at(session, round_.planned_at, expected - marked).items():
            session.add(AttendanceMark(
                round_id=round_.id, resident_id=resident_id,
                mark=MARK_HOSPITAL if kind == "hospital" else MARK_LEAVE,
                marked_at=min(now, max(round_.planned_at, now - timedelta(hours=24))),
                marked_by=actor.staff_id, source="leave"))
        session.flush()
        _update_completion(session, round_, now)
        return _view(session, round_)


@dataclass(frozen=True)
class MarkResult:
    mark_id: uuid.UUID
    marked: int
    expected: int
    completed: bool
    case_opened: uuid.UUID | None = None
    case_closed: uuid.UUID | None = None
    case_withdrawn: uuid.UUID | None = None


def _update_completion(session: Session, round_: AttendanceRound, now: datetime) -> tuple[int, int]:
    expected = len(_expected_ids(session, round_))
    marked = session.scalar(select(func.count()).select_from(AttendanceMark).where(
        AttendanceMark.round_id == round_.id, AttendanceMark.deleted_at.is_(None))) or 0
    if marked >= expected and round_.completed_at is None:
        round_.completed_at = now
    elif marked < expected and round_.completed_at is not None:
        round_.completed_at = None  # someone moved in since: the round is open again
    return marked, expected


def mark_resident(db: Database, actor: Actor, round_id: uuid.UUID, resident_id: uuid.UUID,
                  mark: str, *, note: str | None = None, marked_at: datetime | None = None,
                  source: str = "screen", now: datetime | None = None) -> MarkResult:
    """Give (or correct) one resident's mark in one round: one transaction, saved at once.

    ``marked_at`` is when the resident was really seen: now on the round screen, the
    time written on the paper sheet when typed in afterwards (``source="paper"``).
    """
    require(actor, Permission.TAKE_ROUNDS)
    now = now or utcnow()
    marked_at = marked_at or now
    note = (note or "").strip() or None
    if mark not in MARKS:
        raise ValidationError({"mark": _("Unknown mark: {mark}.").format(mark=mark)})
    if mark == MARK_OTHER and not note:
        raise ValidationError({"note": _("Write a note saying where the resident is.")})
    if source not in ("screen", "paper"):
        raise ValidationError({"source": _("Unknown source of a mark: {source}.").format(
            source=source)})
    if marked_at.tzinfo is None:
        raise ValidationError({"marked_at": _("The time of the mark has no timezone.")})
    if marked_at > now + CLOCK_SKEW:
        raise ValidationError({"marked_at": _("The time of the mark {time} is in the future.")
                               .format(time=format_datetime(marked_at))})
    with db.unit(actor) as session:
        round_ = _round(session, round_id)
        if marked_at < round_.planned_at - EARLIEST_BEFORE_PLANNED:
            raise ValidationError({"marked_at": _(
                "The time of the mark {time} is long before the round was planned ({planned})."
            ).format(time=format_datetime(marked_at), planned=format_datetime(round_.planned_at))})
        resident = session.get(Resident, resident_id)
        if resident is None or resident.deleted_at is not None:
            raise NotFound(_("The resident does not exist (any more)."))
        existing = session.scalar(select(AttendanceMark).where(
            AttendanceMark.round_id == round_.id, AttendanceMark.resident_id == resident_id,
            AttendanceMark.deleted_at.is_(None)))
        if existing is None and resident_id not in _expected_ids(session, round_):
            raise ValidationError({"resident": _(
                "{name} did not live at the centre on {date}.").format(
                    name=f"{resident.given_names} {resident.family_name}",
                    date=format_date(round_.round_date))})
        if existing is None:
            record = AttendanceMark(round_id=round_.id, resident_id=resident_id)
            session.add(record)
        else:
            record = existing
        record.mark, record.note, record.marked_at = mark, note, marked_at
        record.marked_by, record.source = actor.staff_id, source
        session.flush()
        result = _follow_up_case(session, actor, resident, record, now)
        marked, expected = _update_completion(session, round_, now)
        return MarkResult(record.id, marked, expected, round_.completed_at is not None, **result)


def _follow_up_case(session: Session, actor: Actor, resident: Resident, record: AttendanceMark,
                    now: datetime) -> dict[str, uuid.UUID]:
    """Open, close or withdraw a missing case as the new mark says (domain-rules §2)."""
    case = session.scalar(select(MissingCase).where(
        MissingCase.resident_id == resident.id, MissingCase.closed_at.is_(None),
        MissingCase.deleted_at.is_(None)))
    on_leave = bool(_leave_at(session, record.marked_at, {resident.id}))
    if opens_missing_case(record.mark, on_leave=on_leave, case_open=case is not None):
        if resident.moved_out_on is not None:
            return {}
        case = MissingCase(resident_id=resident.id, missing_since=record.marked_at,
                           reason="absent_mark", mark_id=record.id, opened_by=actor.staff_id)
        session.add(case)
        resident.status = STATUS_MISSING
        session.flush()
        return {"case_opened": case.id}
    if case is None or record.mark == MARK_ABSENT:
        return {}
    reports = session.scalar(select(func.count()).select_from(MissingReport).where(
        MissingReport.case_id == case.id, MissingReport.deleted_at.is_(None))) or 0
    if case.mark_id == record.id and not reports:
        later = session.scalar(select(AttendanceMark).where(
            AttendanceMark.resident_id == resident.id, AttendanceMark.id != record.id,
            AttendanceMark.mark == MARK_ABSENT, AttendanceMark.deleted_at.is_(None),
            AttendanceMark.marked_at >= case.missing_since)
            .order_by(AttendanceMark.marked_at).limit(1))
        if later is not None:
            # Absent in a later round too: the case stays, from the first real absence.
            case.missing_since, case.mark_id = later.marked_at, later.id
            return {}
        # The absent mark that opened the case was a slip of the key, corrected at once.
        case.deleted_at = now
        case.close_note = _("Withdrawn: the absent mark was corrected to “{mark}”.").format(
            mark=record.mark)
        _back_in_residence(resident)
        return {"case_withdrawn": case.id}
    if record.mark == MARK_PRESENT and record.marked_at > case.missing_since:
        case.closed_at, case.close_reason = record.marked_at, "returned"
        case.closed_by = actor.staff_id
        case.close_note = _("Marked present in the round by {name}.").format(
            name=actor.full_name or actor.username)
        _back_in_residence(resident)
        return {"case_closed": case.id}
    return {}


def _back_in_residence(resident: Resident) -> None:
    if resident.status == STATUS_MISSING and resident.moved_out_on is None:
        resident.status = STATUS_IN_RESIDENCE


# -- history ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryMark:
    day: date
    slot: str
    mark: str
    note: str | None
    marked_at: datetime
    marked_by: str | None
    source: str


def attendance_history(db: Database, actor: Actor, resident_id: uuid.UUID) -> list[HistoryMark]:
    """Every mark of one resident's stay, oldest first."""
    require(actor, Permission.TAKE_ROUNDS)
    with db.read() as session:
        rows = session.execute(
            select(AttendanceRound.round_date, AttendanceRound.slot, AttendanceMark.mark,
                   AttendanceMark.note, AttendanceMark.marked_at, Staff.full_name,
                   AttendanceMark.source)
            .join(AttendanceRound, AttendanceRound.id == AttendanceMark.round_id)
            .outerjoin(Staff, Staff.id == AttendanceMark.marked_by)
            .where(AttendanceMark.resident_id == resident_id,
                   AttendanceMark.deleted_at.is_(None))
            .order_by(AttendanceMark.marked_at)).all()
    return [HistoryMark(*row) for row in rows]


@dataclass(frozen=True)
class AbsencePattern:
    resident_id: uuid.UUID
    name: str
    room: str
    absent: int
    other: int
    rounds: int
    last_absent: datetime | None


@dataclass(frozen=True)
class DayCounts:
    day: date
    absent: int
    leave: int
    present: int


def absence_patterns(db: Database, actor: Actor, *, days: int = 14, minimum: int = 2,
                     today: date | None = None) -> tuple[list[AbsencePattern], list[DayCounts]]:
    """Residents absent (or somewhere "other") in at least ``minimum`` of the rounds of the
    last ``days`` days, most absent first, and absences per day for the chart.

    Repeated absence is one of the signs that a resident no longer really lives at the
    centre (domain-rules §2)."""
    require(actor, Permission.TAKE_ROUNDS)
    today = today or local_today()
    since = today - timedelta(days=days - 1)
    with db.read() as session:
        absent = func.sum(case((AttendanceMark.mark == MARK_ABSENT, 1), else_=0))
        other = func.sum(case((AttendanceMark.mark == MARK_OTHER, 1), else_=0))
        last_absent = func.max(case((AttendanceMark.mark == MARK_ABSENT,
                                     AttendanceMark.marked_at)))
        per_resident = session.execute(
            select(AttendanceMark.resident_id, absent, other, func.count(), last_absent)
            .join(AttendanceRound, AttendanceRound.id == AttendanceMark.round_id)
            .where(AttendanceRound.round_date >= since, AttendanceRound.round_date <= today,
                   AttendanceMark.deleted_at.is_(None), AttendanceRound.deleted_at.is_(None))
            .group_by(AttendanceMark.resident_id)).all()
        flagged = {rid: (a or 0, o or 0, n, last) for rid, a, o, n, last in per_resident
                   if (a or 0) + (o or 0) >= minimum}
        names = {r.id: (f"{r.given_names} {r.family_name}") for r in session.execute(
            select(Resident.id, Resident.given_names, Resident.family_name)
            .where(Resident.id.in_(flagged)))}
        rooms = room_names(session, flagged)
        daily = session.execute(
            select(AttendanceRound.round_date, AttendanceMark.mark, func.count())
            .join(AttendanceRound, AttendanceRound.id == AttendanceMark.round_id)
            .where(AttendanceRound.round_date >= since, AttendanceRound.round_date <= today,
                   AttendanceMark.deleted_at.is_(None), AttendanceRound.deleted_at.is_(None))
            .group_by(AttendanceRound.round_date, AttendanceMark.mark)).all()
    patterns = [AbsencePattern(rid, names.get(rid, ""), rooms.get(rid, ""), a, o, n,
                               as_utc(last)) for rid, (a, o, n, last) in flagged.items()]
    patterns.sort(key=lambda p: (-(p.absent + p.other), p.name.casefold()))
    counts: dict[date, dict[str, int]] = {since + timedelta(days=i): {} for i in range(days)}
    for day, mark, n in daily:
        counts.setdefault(day, {})[mark] = n
    return patterns, [DayCounts(day, c.get(MARK_ABSENT, 0) + c.get(MARK_OTHER, 0),
                                c.get(MARK_LEAVE, 0) + c.get(MARK_HOSPITAL, 0),
                                c.get(MARK_PRESENT, 0) + c.get("school", 0))
                      for day, c in sorted(counts.items())]
