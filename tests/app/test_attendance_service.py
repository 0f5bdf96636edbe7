"""Attendance rounds, leave and missing-resident cases through the services (issue 3).

Every call gets its moment (``now=``, ``today=``, ``at``): nothing here depends on the wall
clock. The Friday 20 November 2026 is the test day; rounds are planned at 08:00, 15:00 and
22:00 Copenhagen time (winter time, UTC+1).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.db import Database, open_database
from app.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.formatting import LOCAL_TZ
from app.models import (
    AttendanceMark,
    AttendanceRound,
    AuditEntry,
    Centre,
    Leave,
    MissingCase,
    MissingReport,
    Resident,
)
from app.queries.due import due_duties
from app.rules.absence import report_due
from app.services import attendance, auth, centre, leave, missing, rooms, staff
from app.services.missing import CaseFacts
from app.services.residents import move_out, register_arrival
from app.unit_of_work import Actor
from tests.app._core_support import CHEAP_HASHER, audit_entries, cheap_hashing, count_rows, row  # noqa: F401
from tests.conftest import PASSWORD, Staffing, resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")

TODAY = date(2026, 11, 20)
REPORT_KINDS = ["ibs", "police", "municipality", "agency", "representative"]


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    """A Copenhagen moment on the test day (or ``day``)."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


@dataclass
class Centre4:
    """Four residents in rooms 9, 10, 101 and 102, and one who moved out before the day."""

    db: Database
    people: Staffing
    ahmad: uuid.UUID   # 101 / A, born 2010-05-01: 16
    hamid: uuid.UUID   # 10 / A, born 2011-11-21: 14, turns 15 tomorrow
    yonas: uuid.UUID   # 102 / B, born 2013-03-03: 13
    bilal: uuid.UUID   # 9 / A, born 2012-01-15: 14
    former: uuid.UUID  # 101 / B until 15 November

    @property
    def current(self) -> list[uuid.UUID]:
        return [self.bilal, self.hamid, self.ahmad, self.yonas]  # room order


@pytest.fixture
def town(db: Database, people: Staffing, beds: list) -> Centre4:
    admin = people.admin
    rooms.create_room(db, admin, "9", ["A"])
    rooms.create_room(db, admin, "10", ["A"])
    bed = {b.display: b.id for b in rooms.list_beds(db, admin)}

    def arrive(bed_name: str, **overrides: object) -> uuid.UUID:
        return register_arrival(db, people.coordinator, resident_input(**overrides),
                                bed[bed_name], today=TODAY).id

    former = arrive("101 / B", person_id="FO-4", given_names="Farid", family_name="Faraway",
                    arrival_date=date(2026, 11, 2))
    move_out(db, people.coordinator, former, on=date(2026, 11, 15), reason="departed",
             today=TODAY)
    return Centre4(
        db, people,
        ahmad=arrive("101 / A"),
        hamid=arrive("10 / A", person_id="HA-1", given_names="Hamid", family_name="Rahimi",
                     date_of_birth=date(2011, 11, 21)),
        yonas=arrive("102 / B", person_id="YO-2", given_names="Yonas", family_name="Tesfay",
                     date_of_birth=date(2013, 3, 3)),
        bilal=arrive("9 / A", person_id="BI-3", given_names="Bilal", family_name="Noori",
                     date_of_birth=date(2012, 1, 15)),
        former=former)


def marks_in_db(db: Database, round_id: uuid.UUID) -> dict[uuid.UUID, AttendanceMark]:
    with db.read() as session:
        return {m.resident_id: m for m in session.scalars(select(AttendanceMark).where(
            AttendanceMark.round_id == round_id, AttendanceMark.deleted_at.is_(None)))}


def open_cases_of(db: Database) -> list[MissingCase]:
    with db.read() as session:
        return list(session.scalars(select(MissingCase).where(
            MissingCase.closed_at.is_(None), MissingCase.deleted_at.is_(None))))


def status_of(db: Database, resident_id: uuid.UUID) -> str:
    return row(db, Resident, resident_id).status


def duties(db: Database, moment: datetime, prefix: str) -> list:
    with db.read() as session:
        return [d for d in due_duties(session, moment) if d.kind.startswith(prefix)]


# --- opening a round ------------------------------------------------------------------------

def test_open_round_lists_residents_in_residence_sorted_by_room(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 2))
    assert [r.resident_id for r in view.rows] == town.current
    assert [(r.name, r.room, r.bed, r.age) for r in view.rows] == [
        ("Bilal Noori", "9", "A", 14), ("Hamid Rahimi", "10", "A", 14),
        ("Ahmad Karimi", "101", "A", 16), ("Yonas Tesfay", "102", "B", 13)]
    assert town.former not in {r.resident_id for r in view.rows}
    assert view.rows[2].name_in_own_script == "احمد کریمی" and view.rows[2].person_id == "12345-6"
    assert all(r.mark is None for r in view.rows)
    assert (view.day, view.slot, view.expected, view.marked) == (TODAY, "morning", 4, 0)
    assert view.planned_at == at(8, 0) and view.completed_at is None
    with db.read() as session:
        round_ = session.get(AttendanceRound, view.round_id)
    assert (round_.started_by, utc(round_.started_at)) == (reception.staff_id, utc(at(8, 2)))
    # Opening it again continues the same round.
    again = attendance.open_round(db, town.people.night, TODAY, "morning", now=at(8, 30))
    assert again.round_id == view.round_id
    assert count_rows(db, AttendanceRound) == {"AttendanceRound": 1}


def test_open_round_prefills_approved_leave_and_hospital(town: Centre4) -> None:
    db, contact, reception = town.db, town.people.contact, town.people.reception
    weekend = leave.add_leave(db, contact, town.yonas, kind="family_visit",
                              starts_at=at(18, 0, date(2026, 11, 19)),
                              ends_at=at(18, 0, date(2026, 11, 22)), note="Uncle in Odense")
    leave.add_leave(db, contact, town.bilal, kind="hospital", starts_at=at(10, 0, date(2026, 11, 18)),
                    ends_at=at(10, 0, date(2026, 11, 25)))
    # Leave that ended before the round, and leave withdrawn, pre-fill nothing.
    leave.add_leave(db, contact, town.ahmad, kind="school_trip", starts_at=at(8, 0, date(2026, 11, 17)),
                    ends_at=at(7, 59))
    cancelled = leave.add_leave(db, contact, town.hamid, kind="family_visit",
                                starts_at=at(6, 0), ends_at=at(20, 0))
    leave.cancel_leave(db, contact, cancelled.id)

    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 5))
    rows = {r.resident_id: r for r in view.rows}
    assert (rows[town.yonas].mark, rows[town.yonas].source, rows[town.yonas].leave_kind) == (
        "leave", "leave", "family_visit")
    assert (rows[town.bilal].mark, rows[town.bilal].source, rows[town.bilal].leave_kind) == (
        "hospital", "leave", "hospital")
    assert rows[town.yonas].marked_by == "Rasmus Reception"
    assert utc(rows[town.yonas].marked_at) == utc(at(8, 0))  # the planned time of the round
    assert rows[town.ahmad].mark is None and rows[town.ahmad].leave_kind is None
    assert rows[town.hamid].mark is None and rows[town.hamid].leave_kind is None
    assert (view.marked, view.expected) == (2, 4)

    # Continuing the round does not mark the leave twice.
    attendance.open_round(db, reception, TODAY, "morning", now=at(8, 10))
    assert len(marks_in_db(db, view.round_id)) == 2
    # An absent mark for a resident on approved leave opens no case.
    result = attendance.mark_resident(db, reception, view.round_id, town.yonas, "absent",
                                      now=at(8, 11))
    assert result.case_opened is None and open_cases_of(db) == []
    assert status_of(db, town.yonas) == "in_residence"
    # After the leave ends the resident is expected back.
    sunday = attendance.open_round(db, reception, date(2026, 11, 22), "evening",
                                   now=at(22, 0, date(2026, 11, 22)))
    assert {r.resident_id: r.mark for r in sunday.rows}[town.yonas] is None
    assert weekend.approved_by == "Karen Kontakt"


def test_open_round_validation(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    with pytest.raises(ValidationError) as error:
        attendance.open_round(db, reception, TODAY, "night", now=at(8, 0))
    assert error.value.problems == {"slot": "Choose the morning, afternoon or evening round."}
    with pytest.raises(ValidationError) as error:
        attendance.open_round(db, reception, TODAY + timedelta(days=2), "morning", now=at(8, 0))
    assert "future" in error.value.problems["day"]
    assert count_rows(db, AttendanceRound) == {"AttendanceRound": 0}
    with pytest.raises(NotFound):
        attendance.get_round(db, reception, uuid.uuid4())


# --- taking a round -----------------------------------------------------------------------

def test_marking_everyone_completes_the_round(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    results = []
    for minute, resident_id in enumerate(town.current, start=1):
        results.append(attendance.mark_resident(db, reception, view.round_id, resident_id,
                                                "present", now=at(8, minute)))
    assert [(r.marked, r.expected, r.completed) for r in results] == [
        (1, 4, False), (2, 4, False), (3, 4, False), (4, 4, True)]
    done = attendance.get_round(db, reception, view.round_id)
    assert done.completed_at is not None and utc(done.completed_at) == utc(at(8, 4))
    assert [r.mark for r in done.rows] == ["present"] * 4
    assert all(r.source == "screen" for r in done.rows)
    status = {s.slot: s for s in attendance.rounds_of_day(db, reception, TODAY)}
    assert status["morning"].complete and (status["morning"].marked, status["morning"].expected) == (4, 4)
    assert not status["afternoon"].started and not status["afternoon"].complete
    assert status["afternoon"].expected == 4 and status["afternoon"].planned_at == at(15, 0)
    # Correcting a mark keeps one mark per resident and the round complete.
    fixed = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "school",
                                     now=at(8, 30))
    assert (fixed.marked, fixed.expected, fixed.completed) == (4, 4, True)
    assert len(marks_in_db(db, view.round_id)) == 4


def test_a_half_done_round_is_finished_by_another_user(town: Centre4) -> None:
    db, reception, night = town.db, town.people.reception, town.people.night
    view = attendance.open_round(db, reception, TODAY, "evening", now=at(22, 0))
    attendance.mark_resident(db, reception, view.round_id, town.bilal, "present", now=at(22, 1))
    attendance.mark_resident(db, reception, view.round_id, town.hamid, "school",
                             now=at(22, 2))
    # The window closes; night staff log in on another PC and continue the same round.
    later = attendance.open_round(db, night, TODAY, "evening", now=at(22, 40))
    assert later.round_id == view.round_id
    assert (later.marked, later.expected, later.completed_at) == (2, 4, None)
    rows = {r.resident_id: r for r in later.rows}
    assert (rows[town.bilal].mark, rows[town.bilal].marked_by) == ("present", "Rasmus Reception")
    assert utc(rows[town.bilal].marked_at) == utc(at(22, 1))
    attendance.mark_resident(db, night, view.round_id, town.ahmad, "present", now=at(22, 41))
    last = attendance.mark_resident(db, night, view.round_id, town.yonas, "present",
                                    now=at(22, 42))
    assert last.completed
    stored = marks_in_db(db, view.round_id)
    assert {rid: (m.marked_by, utc(m.marked_at)) for rid, m in stored.items()} == {
        town.bilal: (reception.staff_id, utc(at(22, 1))),
        town.hamid: (reception.staff_id, utc(at(22, 2))),
        town.ahmad: (night.staff_id, utc(at(22, 41))),
        town.yonas: (night.staff_id, utc(at(22, 42))),
    }
    final = {r.resident_id: r.marked_by for r in attendance.get_round(db, night, view.round_id).rows}
    assert final[town.yonas] == "Nina Nattevagt" and final[town.hamid] == "Rasmus Reception"


def test_paper_marks_keep_their_real_time(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    # The PC was down: the morning round was taken on paper, typed in at 13:00.
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(13, 0))
    result = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "present",
                                      marked_at=at(8, 10), source="paper", now=at(13, 0))
    mark = marks_in_db(db, view.round_id)[town.ahmad]
    assert (mark.source, utc(mark.marked_at), mark.marked_by) == (
        "paper", utc(at(8, 10)), reception.staff_id)
    assert result.mark_id == mark.id
    other = attendance.mark_resident(db, reception, view.round_id, town.bilal, "other",
                                     note="  At the dentist with Karen  ", marked_at=at(8, 12),
                                     source="paper", now=at(13, 1))
    assert not other.completed
    row_ = {r.resident_id: r for r in attendance.get_round(db, reception, view.round_id).rows}
    assert (row_[town.bilal].mark, row_[town.bilal].note, row_[town.bilal].source) == (
        "other", "At the dentist with Karen", "paper")
    history = attendance.attendance_history(db, reception, town.ahmad)
    assert [(h.day, h.slot, h.mark, h.source, h.marked_by) for h in history] == [
        (TODAY, "morning", "present", "paper", "Rasmus Reception")]
    assert utc(history[0].marked_at) == utc(at(8, 10))
    # A paper mark of an absent resident opens the case from the time on the sheet.
    absent = attendance.mark_resident(db, reception, view.round_id, town.hamid, "absent",
                                      marked_at=at(8, 14), source="paper", now=at(13, 2))
    case = row(db, MissingCase, absent.case_opened)
    assert utc(case.missing_since) == utc(at(8, 14))


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"mark": "present", "marked_at": at(8, 20)}, "marked_at", "is in the future"),
    ({"mark": "present", "marked_at": datetime(2026, 11, 20, 8, 0)}, "marked_at",
     "The time of the mark has no timezone."),
    ({"mark": "present", "marked_at": at(19, 0, date(2026, 11, 19))}, "marked_at",
     "long before the round was planned"),
    ({"mark": "other"}, "note", "Write a note saying where the resident is."),
    ({"mark": "other", "note": "   "}, "note", "Write a note saying where the resident is."),
    ({"mark": "away"}, "mark", "Unknown mark: away."),
    ({"mark": "present", "source": "fax"}, "source", "Unknown source of a mark: fax."),
    ({"mark": "present", "source": "leave"}, "source", "Unknown source of a mark: leave."),
])
def test_mark_validation_errors(town: Centre4, kwargs: dict, field: str, message: str) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    kwargs = dict(kwargs)
    mark = kwargs.pop("mark")
    with pytest.raises(ValidationError) as error:
        attendance.mark_resident(db, reception, view.round_id, town.ahmad, mark,
                                 now=at(8, 10), **kwargs)
    assert list(error.value.problems) == [field]
    assert message in error.value.problems[field]
    assert message in str(error.value)
    assert marks_in_db(db, view.round_id) == {}


def test_a_mark_a_few_minutes_ahead_is_clock_skew_not_an_error(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    attendance.mark_resident(db, reception, view.round_id, town.ahmad, "present",
                             marked_at=at(8, 14), now=at(8, 10))
    with pytest.raises(ValidationError):
        attendance.mark_resident(db, reception, view.round_id, town.ahmad, "present",
                                 marked_at=at(8, 16), now=at(8, 10))
    assert utc(marks_in_db(db, view.round_id)[town.ahmad].marked_at) == utc(at(8, 14))


def test_a_resident_not_living_there_cannot_be_marked(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    with pytest.raises(ValidationError) as error:
        attendance.mark_resident(db, reception, view.round_id, town.former, "present",
                                 now=at(8, 5))
    assert list(error.value.problems) == ["resident"]
    assert error.value.problems["resident"].startswith(
        "Farid Faraway did not live at the centre on 20 Nov 2026")
    # Before the move-out the same resident was expected.
    old = attendance.open_round(db, reception, date(2026, 11, 10), "morning",
                                now=at(9, 0, date(2026, 11, 10)))
    assert town.former in {r.resident_id for r in old.rows}
    attendance.mark_resident(db, reception, old.round_id, town.former, "present",
                             now=at(9, 1, date(2026, 11, 10)))
    with pytest.raises(NotFound):
        attendance.mark_resident(db, reception, view.round_id, uuid.uuid4(), "present",
                                 now=at(8, 5))
    with pytest.raises(NotFound):
        attendance.mark_resident(db, reception, uuid.uuid4(), town.ahmad, "present",
                                 now=at(8, 5))
    assert marks_in_db(db, view.round_id) == {}


# --- marks and missing cases --------------------------------------------------------------------

def test_an_absent_mark_opens_a_case_once_and_present_closes_it(town: Centre4) -> None:
    db, reception, night = town.db, town.people.reception, town.people.night
    morning = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    result = attendance.mark_resident(db, reception, morning.round_id, town.hamid, "absent",
                                      now=at(8, 3))
    assert result.case_opened is not None
    case = row(db, MissingCase, result.case_opened)
    assert (case.resident_id, case.reason, case.mark_id, case.opened_by) == (
        town.hamid, "absent_mark", result.mark_id, reception.staff_id)
    assert utc(case.missing_since) == utc(at(8, 3)) and case.closed_at is None
    assert status_of(db, town.hamid) == "missing"
    shown = {r.resident_id: r for r in attendance.get_round(db, reception, morning.round_id).rows}
    assert utc(shown[town.hamid].missing_since) == utc(at(8, 3))

    # Absent again in the afternoon: the same case, not a second one.
    afternoon = attendance.open_round(db, reception, TODAY, "afternoon", now=at(15, 0))
    again = attendance.mark_resident(db, reception, afternoon.round_id, town.hamid, "absent",
                                     now=at(15, 2))
    assert again.case_opened is None and again.case_closed is None
    assert [c.id for c in open_cases_of(db)] == [case.id]
    # Somewhere else is no return either.
    attendance.mark_resident(db, reception, afternoon.round_id, town.hamid, "school",
                             now=at(15, 10))
    assert [c.id for c in open_cases_of(db)] == [case.id]

    # Back for the evening round: the case closes as returned.
    evening = attendance.open_round(db, night, TODAY, "evening", now=at(22, 0))
    back = attendance.mark_resident(db, night, evening.round_id, town.hamid, "present",
                                    now=at(22, 5))
    assert back.case_closed == case.id and back.case_withdrawn is None
    closed = row(db, MissingCase, case.id)
    assert (closed.close_reason, closed.closed_by, utc(closed.closed_at)) == (
        "returned", night.staff_id, utc(at(22, 5)))
    assert "Nina Nattevagt" in closed.close_note and closed.deleted_at is None
    assert status_of(db, town.hamid) == "in_residence"
    assert open_cases_of(db) == []
    assert [c.case_id for c in missing.cases_of_resident(db, night, town.hamid)] == [case.id]


def test_correcting_an_absent_mark_at_once_withdraws_the_case(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    slip = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "absent",
                                    now=at(8, 1))
    assert status_of(db, town.ahmad) == "missing"
    fixed = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "present",
                                     now=at(8, 1))
    assert fixed.case_withdrawn == slip.case_opened and fixed.case_closed is None
    assert fixed.mark_id == slip.mark_id
    withdrawn = row(db, MissingCase, slip.case_opened)
    assert withdrawn.deleted_at is not None and "Withdrawn" in withdrawn.close_note
    assert status_of(db, town.ahmad) == "in_residence"
    assert missing.open_cases(db, reception) == []
    assert duties(db, at(23, 0), "missing_") == []
    assert missing.cases_of_resident(db, reception, town.ahmad) == []
    # The slip and its correction stay in the audit trail.
    changes = [e.changes for e in audit_entries(db, entity="attendance_mark",
                                                entity_id=slip.mark_id)]
    assert changes[0]["mark"] == [None, "absent"]
    assert changes[1]["mark"] == ["absent", "present"]
    # A later absent mark opens a new case.
    again = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "absent",
                                     now=at(8, 2))
    assert again.case_opened not in (None, slip.case_opened)


def test_an_absent_mark_with_reports_made_is_not_withdrawn(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    opened = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "absent",
                                      now=at(8, 1))
    missing.record_report(db, reception, opened.case_opened, "ibs", now=at(8, 20))
    # Found in his room after the IBS registration: the case is kept, closed as returned.
    fixed = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "present",
                                     now=at(8, 30))
    assert fixed.case_withdrawn is None and fixed.case_closed == opened.case_opened
    case = row(db, MissingCase, opened.case_opened)
    assert case.deleted_at is None and case.close_reason == "returned"
    assert [c.case_id for c in missing.cases_of_resident(db, reception, town.ahmad)] == [case.id]


def test_correcting_the_first_absent_mark_keeps_a_later_absence(town: Centre4) -> None:
    """Absent by a slip of the key in the morning, really absent in the afternoon: correcting
    the morning mark must not make the missing child disappear."""
    db, reception = town.db, town.people.reception
    morning = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    slip = attendance.mark_resident(db, reception, morning.round_id, town.hamid, "absent",
                                    now=at(8, 1))
    afternoon = attendance.open_round(db, reception, TODAY, "afternoon", now=at(15, 0))
    really = attendance.mark_resident(db, reception, afternoon.round_id, town.hamid, "absent",
                                      now=at(15, 5))
    fixed = attendance.mark_resident(db, reception, morning.round_id, town.hamid, "present",
                                     marked_at=at(8, 1), source="paper", now=at(15, 30))
    assert fixed.case_withdrawn is None and fixed.case_closed is None
    [case] = open_cases_of(db)
    assert case.id == slip.case_opened
    # The time first missed is now the afternoon round's, and so is the deadline.
    assert case.mark_id == really.mark_id and utc(case.missing_since) == utc(at(15, 5))
    assert status_of(db, town.hamid) == "missing"
    [summary] = missing.open_cases(db, reception)
    assert summary.due_at == report_due(date(2011, 11, 21), at(15, 5)) == at(3, 5, date(2026, 11, 21))


def test_an_absent_mark_of_a_resident_already_reported_missing_opens_no_second_case(
        town: Centre4) -> None:
    db, night = town.db, town.people.night
    reported = missing.report_missing(db, night, town.yonas, missing_since=at(6, 30),
                                      now=at(7, 0))
    view = attendance.open_round(db, night, TODAY, "morning", now=at(8, 0))
    result = attendance.mark_resident(db, night, view.round_id, town.yonas, "absent",
                                      now=at(8, 1))
    assert result.case_opened is None
    assert [c.id for c in open_cases_of(db)] == [reported.case_id]
    # Correcting that mark does not withdraw a case staff reported themselves.
    corrected = attendance.mark_resident(db, night, view.round_id, town.yonas, "leave",
                                         now=at(8, 2))
    assert corrected.case_withdrawn is None
    assert [c.id for c in open_cases_of(db)] == [reported.case_id]


# --- missing cases: reports, closing, reporting missing -----------------------------------------------

def test_report_missing_and_the_checklist(town: Centre4) -> None:
    db, night = town.db, town.people.night
    facts = CaseFacts(last_seen_at=at(5, 50), last_seen_place="  Kitchen  ", height="172 cm",
                      clothing="Black jacket", contacts="Cousin in Aarhus")
    summary = missing.report_missing(db, night, town.ahmad, missing_since=at(6, 0), facts=facts,
                                     now=at(6, 30))
    assert (summary.name, summary.room, summary.reason, summary.opened_by) == (
        "Ahmad Karimi", "101", "reported", "Nina Nattevagt")
    assert summary.facts.last_seen_place == "Kitchen" and summary.facts.height == "172 cm"
    assert summary.representative[0] == "Rikke Repræsentant"
    assert summary.due_at == at(6, 0) + timedelta(hours=24)
    assert summary.outstanding == tuple(REPORT_KINDS)
    assert status_of(db, town.ahmad) == "missing"

    with pytest.raises(ValidationError) as error:
        missing.record_report(db, night, summary.case_id, "police", now=at(7, 0))
    assert error.value.problems == {"reference": "Write the police report or journal number."}
    with pytest.raises(ValidationError) as error:
        missing.record_report(db, night, summary.case_id, "police", reference="   ", now=at(7, 0))
    assert "reference" in error.value.problems
    with pytest.raises(ValidationError) as error:
        missing.record_report(db, night, summary.case_id, "newspaper", now=at(7, 0))
    assert error.value.problems == {"kind": "Unknown report: newspaper."}
    with pytest.raises(ValidationError) as error:
        missing.record_report(db, night, summary.case_id, "ibs", done_at=at(9, 0), now=at(7, 0))
    assert "future" in error.value.problems["done_at"]
    assert count_rows(db, MissingReport) == {"MissingReport": 0}

    after = missing.record_report(db, night, summary.case_id, "police",
                                  reference=" 3700-80123-00456-26 ", done_at=at(6, 40),
                                  now=at(7, 0))
    police = after.reports["police"]
    assert (police.reference, police.done_by, police.done_at) == (
        "3700-80123-00456-26", "Nina Nattevagt", utc(at(6, 40)))
    assert after.outstanding == ("ibs", "municipality", "agency", "representative")
    # Recording it again corrects it: still one report of that kind.
    corrected = missing.record_report(db, town.people.reception, summary.case_id, "police",
                                      reference="3700-80123-00457-26", now=at(7, 5))
    assert corrected.reports["police"].reference == "3700-80123-00457-26"
    assert corrected.reports["police"].done_by == "Rasmus Reception"
    assert count_rows(db, MissingReport) == {"MissingReport": 1}
    with pytest.raises(NotFound):
        missing.record_report(db, night, uuid.uuid4(), "ibs", now=at(7, 0))


def test_report_missing_for_a_resident_already_missing_is_refused(town: Centre4) -> None:
    db, night = town.db, town.people.night
    missing.report_missing(db, night, town.hamid, missing_since=at(6, 0), now=at(6, 30))
    with pytest.raises(DomainError) as error:
        missing.report_missing(db, night, town.hamid, missing_since=at(7, 0), now=at(7, 5))
    assert "Hamid Rahimi is already reported missing since" in str(error.value)
    assert not isinstance(error.value, ValidationError)
    assert len(open_cases_of(db)) == 1


def test_report_missing_validation(town: Centre4) -> None:
    db, night = town.db, town.people.night
    with pytest.raises(ValidationError) as error:
        missing.report_missing(db, night, town.hamid, missing_since=at(9, 0), now=at(8, 0))
    assert "future" in error.value.problems["missing_since"]
    with pytest.raises(ValidationError) as error:
        missing.report_missing(db, night, town.hamid, missing_since=datetime(2026, 11, 20, 7, 0),
                               now=at(8, 0))
    assert error.value.problems["missing_since"] == "The time has no timezone."
    with pytest.raises(ValidationError) as error:
        missing.report_missing(db, night, town.hamid, missing_since=at(7, 0, date(2011, 11, 20)),
                               now=at(8, 0))
    assert "before the resident's date of birth" in error.value.problems["missing_since"]
    with pytest.raises(DomainError, match="no longer lives at the centre"):
        missing.report_missing(db, night, town.former, missing_since=at(7, 0), now=at(8, 0))
    with pytest.raises(NotFound):
        missing.report_missing(db, night, uuid.uuid4(), missing_since=at(7, 0), now=at(8, 0))
    assert count_rows(db, MissingCase) == {"MissingCase": 0}
    assert status_of(db, town.hamid) == "in_residence"


def test_update_case_flags_make_the_reports_due_at_once(town: Centre4) -> None:
    db, night = town.db, town.people.night
    summary = missing.report_missing(db, night, town.hamid, missing_since=at(6, 0), now=at(6, 5))
    assert summary.due_at == at(18, 0)
    assert summary.urgency(at(6, 5)) == "upcoming"
    flagged = missing.update_case(db, night, summary.case_id, CaseFacts(special_concern=True),
                                  now=at(6, 10))
    assert flagged.due_at == at(6, 0) and flagged.urgency(at(6, 10)) == "overdue"
    not_staying = missing.update_case(db, night, summary.case_id,
                                      CaseFacts(known_not_staying=True), now=at(6, 11))
    assert not_staying.due_at == at(6, 0)
    moved = missing.update_case(db, night, summary.case_id, CaseFacts(),
                                missing_since=at(5, 0), now=at(6, 12))
    assert moved.due_at == at(17, 0)
    history = [e.changes for e in audit_entries(db, entity="missing_case",
                                                entity_id=summary.case_id, action="update")]
    assert history[0]["special_concern"] == [False, True]
    assert [h for h in history if "missing_since" in h]


def test_update_case_refuses_a_time_before_the_date_of_birth(town: Centre4) -> None:
    db, night = town.db, town.people.night
    summary = missing.report_missing(db, night, town.yonas, missing_since=at(6, 0), now=at(6, 5))
    with pytest.raises(ValidationError) as error:
        missing.update_case(db, night, summary.case_id, CaseFacts(),
                            missing_since=at(6, 0, date(2012, 11, 20)), now=at(6, 10))
    assert "before the resident's date of birth" in error.value.problems["missing_since"]
    assert missing.get_case(db, night, summary.case_id).due_at == at(18, 0)


def test_close_case_validation_and_return(town: Centre4) -> None:
    db, night = town.db, town.people.night
    summary = missing.report_missing(db, night, town.hamid, missing_since=at(6, 0), now=at(6, 5))
    with pytest.raises(ValidationError) as error:
        missing.close_case(db, night, summary.case_id, closed_at=at(5, 59), reason="returned",
                           note="Came back", now=at(9, 0))
    assert list(error.value.problems) == ["closed_at"]
    assert "before the resident went missing" in error.value.problems["closed_at"]
    with pytest.raises(ValidationError) as error:
        missing.close_case(db, night, summary.case_id, closed_at=at(8, 0), reason="returned",
                           note="  ", now=at(9, 0))
    assert list(error.value.problems) == ["note"]
    with pytest.raises(ValidationError) as error:
        missing.close_case(db, night, summary.case_id, closed_at=at(8, 0), reason="found",
                           note=None, now=at(9, 0))
    assert set(error.value.problems) == {"reason", "note"}
    with pytest.raises(ValidationError) as error:
        missing.close_case(db, night, summary.case_id, closed_at=at(9, 30), reason="returned",
                           note="Came back", now=at(9, 0))
    assert "future" in error.value.problems["closed_at"]
    assert missing.get_case(db, night, summary.case_id).is_open

    closed = missing.close_case(db, night, summary.case_id, closed_at=at(8, 15), reason="returned",
                                note=" Came back by bus from Vejle ", now=at(9, 0))
    assert not closed.is_open
    assert (closed.close_reason, closed.close_note, closed.closed_by) == (
        "returned", "Came back by bus from Vejle", "Nina Nattevagt")
    assert utc(closed.closed_at) == utc(at(8, 15))
    assert status_of(db, town.hamid) == "in_residence"
    assert missing.open_cases(db, night) == []
    with pytest.raises(DomainError, match="closed on .* already"):
        missing.close_case(db, night, summary.case_id, closed_at=at(8, 30), reason="returned",
                           note="Again", now=at(9, 0))
    # A new absence after the return is a new case.
    again = missing.report_missing(db, night, town.hamid, missing_since=at(9, 0), now=at(9, 5))
    assert again.case_id != summary.case_id


# --- what is due ------------------------------------------------------------------------------

def test_missing_reports_are_due_duties_with_the_report_due_deadline(town: Centre4) -> None:
    db, reception, night = town.db, town.people.reception, town.people.night
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    young = attendance.mark_resident(db, reception, view.round_id, town.hamid, "absent",
                                     now=at(8, 3))
    older = attendance.mark_resident(db, reception, view.round_id, town.ahmad, "absent",
                                     now=at(8, 4))
    young_due = report_due(date(2011, 11, 21), at(8, 3))
    older_due = report_due(date(2010, 5, 1), at(8, 4))
    assert (young_due, older_due) == (at(20, 3), at(8, 4, date(2026, 11, 21)))

    shown = duties(db, at(9, 0), "missing_")
    assert [(d.kind, d.resident_id, d.params["report"]) for d in shown] == (
        [("missing_report", town.hamid, kind) for kind in REPORT_KINDS]
        + [("missing_report", town.ahmad, kind) for kind in REPORT_KINDS])
    assert {d.due_at for d in shown if d.resident_id == town.hamid} == {young_due}
    assert {d.due_at for d in shown if d.resident_id == town.ahmad} == {older_due}
    assert {d.severity for d in shown} == {"upcoming"}
    assert {d.params["case_id"] for d in shown if d.resident_id == town.hamid} == {
        str(young.case_opened)}
    assert {d.params["case_id"] for d in shown if d.resident_id == town.ahmad} == {
        str(older.case_opened)}
    assert shown[1].title == "Hamid Rahimi is missing: Reported to the police"

    def severity(moment: datetime, resident_id: uuid.UUID) -> set[str]:
        return {d.severity for d in duties(db, moment, "missing_") if d.resident_id == resident_id}

    assert severity(young_due - timedelta(hours=2, seconds=1), town.hamid) == {"upcoming"}
    assert severity(young_due - timedelta(hours=2), town.hamid) == {"due"}
    assert severity(young_due - timedelta(seconds=1), town.hamid) == {"due"}
    assert severity(young_due, town.hamid) == {"overdue"}
    assert severity(young_due + timedelta(days=3), town.hamid) == {"overdue"}
    assert severity(young_due + timedelta(days=3), town.ahmad) == {"overdue"}
    assert severity(at(23, 0), town.ahmad) == {"upcoming"}
    # A missing child comes before every other duty of the same urgency (an overdue round too).
    with db.read() as session:
        everything = due_duties(session, at(21, 0))
    assert everything[0].kind == "missing_report" and everything[0].resident_id == town.hamid
    assert any(d.kind == "round_incomplete" for d in everything)

    # Reports done disappear; an overdue one can only be done, never dismissed.
    for n, kind in enumerate(REPORT_KINDS, start=1):
        missing.record_report(db, night, young.case_opened, kind,
                              reference="PJ-1" if kind == "police" else None, now=at(21, n))
        left = [d.params["report"] for d in duties(db, at(21, 30), "missing_report")
                if d.resident_id == town.hamid]
        assert left == REPORT_KINDS[n:]
    open_note = [d for d in duties(db, at(21, 30), "missing_") if d.resident_id == town.hamid]
    assert [(d.kind, d.severity) for d in open_note] == [("missing_open", "info")]
    assert "all reports made" in open_note[0].title
    missing.close_case(db, night, young.case_opened, closed_at=at(21, 40), reason="returned",
                       note="Back", now=at(21, 45))
    assert [d for d in duties(db, at(21, 50), "missing_") if d.resident_id == town.hamid] == []
    assert len(duties(db, at(21, 50), "missing_report")) == 5  # Ahmad's are still there


def test_round_duties(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    assert duties(db, at(7, 59), "round_") == []  # nothing planned yet today
    [due] = duties(db, at(8, 30), "round_")
    assert (due.kind, due.severity, due.due_at) == ("round_due", "due", at(8, 0))
    assert (due.params["round"], due.params["marked"], due.params["expected"]) == ("morning", 0, 4)
    assert due.title == "Morning round due now: 0 of 4 marked"
    [late] = duties(db, at(9, 0), "round_")
    assert (late.kind, late.severity) == ("round_incomplete", "overdue")

    view = attendance.open_round(db, reception, TODAY, "morning", now=at(9, 1))
    for resident_id in town.current[:3]:
        attendance.mark_resident(db, reception, view.round_id, resident_id, "present",
                                 now=at(9, 2))
    [late] = duties(db, at(9, 5), "round_")
    assert (late.params["marked"], late.params["expected"]) == (3, 4)
    assert late.params["round_id"] == str(view.round_id)
    assert late.title == "Morning round not complete: 3 of 4 marked"
    attendance.mark_resident(db, reception, view.round_id, town.current[3], "present",
                             now=at(9, 6))
    assert duties(db, at(9, 7), "round_") == []
    assert duties(db, at(14, 59), "round_") == []
    assert [(d.params["round"], d.severity) for d in duties(db, at(22, 30), "round_")] == [
        ("afternoon", "overdue"), ("evening", "due")]


# --- permissions ---------------------------------------------------------------------------------------

def test_the_administrator_cannot_take_rounds_or_act_on_missing_residents(town: Centre4) -> None:
    db, admin, reception = town.db, town.people.admin, town.people.reception
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    case = missing.report_missing(db, reception, town.hamid, missing_since=at(7, 0), now=at(8, 0))
    calls = [
        lambda: attendance.open_round(db, admin, TODAY, "afternoon", now=at(15, 0)),
        lambda: attendance.mark_resident(db, admin, view.round_id, town.ahmad, "present",
                                         now=at(8, 5)),
        lambda: attendance.get_round(db, admin, view.round_id),
        lambda: attendance.rounds_of_day(db, admin, TODAY),
        lambda: attendance.attendance_history(db, admin, town.ahmad),
        lambda: attendance.absence_patterns(db, admin, today=TODAY),
        lambda: attendance.set_round_times(db, admin, {"morning": "07:00", "afternoon": "15:00",
                                                       "evening": "22:00"}),
        lambda: missing.record_report(db, admin, case.case_id, "ibs", now=at(8, 0)),
        lambda: missing.report_missing(db, admin, town.ahmad, missing_since=at(7, 0),
                                       now=at(8, 0)),
        lambda: missing.open_cases(db, admin),
        lambda: missing.close_case(db, admin, case.case_id, closed_at=at(8, 0),
                                   reason="returned", note="Back", now=at(8, 0)),
        lambda: leave.add_leave(db, admin, town.ahmad, kind="family_visit", starts_at=at(9, 0),
                                ends_at=at(20, 0)),
    ]
    before = count_rows(db, AttendanceRound, AttendanceMark, MissingCase, MissingReport, Leave,
                        AuditEntry)
    for call in calls:
        with pytest.raises(PermissionDenied, match="You are not allowed to"):
            call()
    assert count_rows(db, AttendanceRound, AttendanceMark, MissingCase, MissingReport, Leave,
                      AuditEntry) == before


def test_night_staff_take_rounds_and_record_reports_but_do_not_plan_or_grant_leave(
        town: Centre4) -> None:
    db, night = town.db, town.people.night
    view = attendance.open_round(db, night, TODAY, "evening", now=at(22, 0))
    opened = attendance.mark_resident(db, night, view.round_id, town.bilal, "absent",
                                      now=at(22, 5))
    done = missing.record_report(db, night, opened.case_opened, "police", reference="PJ-77",
                                 now=at(22, 30))
    assert done.reports["police"].done_by == "Nina Nattevagt"
    assert [c.case_id for c in missing.open_cases(db, night)] == [opened.case_opened]
    with pytest.raises(PermissionDenied, match="change the times of the attendance rounds"):
        attendance.set_round_times(db, night, {"morning": "07:00", "afternoon": "15:00",
                                               "evening": "22:00"})
    with pytest.raises(PermissionDenied, match="register approved leave"):
        leave.add_leave(db, night, town.ahmad, kind="family_visit", starts_at=at(23, 0),
                        ends_at=at(23, 30))


def test_only_the_centre_leader_sets_the_round_times(town: Centre4) -> None:
    db, people = town.db, town.people
    times = {"morning": "07:30", "afternoon": "14:00", "evening": "21:00"}
    for actor in (people.admin, people.coordinator, people.reception, people.night,
                  people.contact):
        with pytest.raises(PermissionDenied):
            attendance.set_round_times(db, actor, times)
    parsed = attendance.set_round_times(db, people.leader, times)
    assert parsed == {"morning": time(7, 30), "afternoon": time(14, 0), "evening": time(21, 0)}
    with db.read() as session:
        assert session.scalar(select(Centre.round_times)) == times
        assert attendance.round_times(session) == parsed
    # New rounds and the schedule follow; the Today page asks for the round from 07:30.
    view = attendance.open_round(db, people.reception, TODAY, "morning", now=at(7, 35))
    assert view.planned_at == at(7, 30)
    planned = [s.planned_at for s in attendance.rounds_of_day(db, people.reception, TODAY)]
    assert planned == [at(7, 30), at(14, 0), at(21, 0)]
    assert [d.params["round"] for d in duties(db, at(7, 40), "round_")] == ["morning"]
    [entry] = audit_entries(db, entity="centre", action="update")
    assert entry.staff_id == people.leader.staff_id
    assert entry.changes["round_times"][1] == times


@pytest.mark.parametrize(("times", "problems"), [
    ({"morning": "7.30", "afternoon": "14:00", "evening": "21:00"},
     {"morning": "Write the time as HH:MM, for example 08:00."}),
    ({"morning": "07:30", "afternoon": "", "evening": "24:00"},
     {"afternoon": "Write the time as HH:MM, for example 08:00.",
      "evening": "Write the time as HH:MM, for example 08:00."}),
    ({"morning": "07:30", "afternoon": "14:00"},
     {"evening": "Write the time as HH:MM, for example 08:00."}),
    ({"morning": "15:00", "afternoon": "14:00", "evening": "21:00"},
     {"evening": "The rounds must come in the order morning, afternoon, evening."}),
    ({"morning": "08:00", "afternoon": "08:00", "evening": "22:00"},
     {"evening": "The rounds must come in the order morning, afternoon, evening."}),
])
def test_set_round_times_validation(town: Centre4, times: dict, problems: dict) -> None:
    db, leader = town.db, town.people.leader
    with pytest.raises(ValidationError) as error:
        attendance.set_round_times(db, leader, times)
    assert error.value.problems == problems
    with db.read() as session:
        assert session.scalar(select(Centre.round_times)) == {
            "morning": "08:00", "afternoon": "15:00", "evening": "22:00"}
    assert audit_entries(db, entity="centre", action="update") == []


# --- audit -------------------------------------------------------------------------------------------

def test_every_write_is_audited(town: Centre4) -> None:
    db, people = town.db, town.people
    reception, night, contact = people.reception, people.night, people.contact
    holiday = leave.add_leave(db, contact, town.yonas, kind="family_visit", starts_at=at(7, 0),
                              ends_at=at(20, 0), note="Aunt")
    view = attendance.open_round(db, reception, TODAY, "morning", now=at(8, 0))
    present = attendance.mark_resident(db, reception, view.round_id, town.bilal, "present",
                                       now=at(8, 1))
    absent = attendance.mark_resident(db, reception, view.round_id, town.hamid, "absent",
                                      now=at(8, 2))
    missing.record_report(db, night, absent.case_opened, "ibs", now=at(8, 30))
    missing.update_case(db, night, absent.case_opened, CaseFacts(clothing="Red cap"),
                        now=at(8, 31))
    missing.close_case(db, night, absent.case_opened, closed_at=at(9, 0), reason="returned",
                       note="Back from the station", now=at(9, 5))
    leave.end_leave(db, contact, holiday.id, at=at(12, 0))

    def entries(entity: str) -> list[tuple[str, uuid.UUID | None]]:
        return [(e.action, e.staff_id) for e in audit_entries(db, entity=entity)]

    assert entries("leave") == [("create", contact.staff_id), ("update", contact.staff_id)]
    assert entries("attendance_round") == [("create", reception.staff_id)]  # not complete yet
    marks = audit_entries(db, entity="attendance_mark")
    assert {(e.entity_id, e.action) for e in marks} >= {(present.mark_id, "create"),
                                                        (absent.mark_id, "create")}
    assert len([e for e in marks if e.action == "create"]) == 3  # two marks and the leave
    [created] = audit_entries(db, entity="attendance_mark", entity_id=absent.mark_id)
    assert created.changes["mark"] == [None, "absent"]
    assert created.changes["marked_by"] == [None, str(reception.staff_id)]
    case_entries = audit_entries(db, entity="missing_case", entity_id=absent.case_opened)
    assert [(e.action, e.staff_id) for e in case_entries] == [
        ("create", reception.staff_id), ("update", night.staff_id), ("update", night.staff_id)]
    assert case_entries[1].changes["clothing"] == [None, "Red cap"]
    assert case_entries[2].changes["close_reason"] == [None, "returned"]
    assert entries("missing_report") == [("create", night.staff_id)]
    resident_updates = [e.changes["status"] for e in audit_entries(
        db, entity="resident", entity_id=town.hamid, action="update")]
    assert resident_updates == [["in_residence", "missing"], ["missing", "in_residence"]]
    assert all(e.device_id == db.device_id for e in audit_entries(db, entity="attendance_mark"))


# --- history and patterns -------------------------------------------------------------------------------

def _take(db: Database, actor: Actor, day: date, slot: str, marks: dict[uuid.UUID, str]) -> None:
    hour = {"morning": 8, "afternoon": 15, "evening": 22}[slot]
    view = attendance.open_round(db, actor, day, slot, now=at(hour, 0, day))
    for minute, (resident_id, mark) in enumerate(marks.items(), start=1):
        attendance.mark_resident(db, actor, view.round_id, resident_id, mark,
                                 note="Football" if mark == "other" else None,
                                 now=at(hour, minute, day))


def test_attendance_history_and_absence_patterns(town: Centre4) -> None:
    db, reception = town.db, town.people.reception
    d17, d18, d19 = date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19)
    t = town
    _take(db, reception, d17, "morning", {t.bilal: "present", t.hamid: "absent",
                                         t.ahmad: "present", t.yonas: "present"})
    _take(db, reception, d17, "evening", {t.bilal: "present", t.hamid: "present",
                                         t.ahmad: "other", t.yonas: "present"})
    _take(db, reception, d18, "morning", {t.bilal: "school", t.hamid: "absent",
                                         t.ahmad: "present", t.yonas: "absent"})
    _take(db, reception, d19, "afternoon", {t.bilal: "present", t.hamid: "absent",
                                           t.ahmad: "other", t.yonas: "leave"})
    # Long ago: outside the window of the last 14 days.
    _take(db, reception, date(2026, 11, 2), "morning", {t.bilal: "absent", t.hamid: "present",
                                                       t.ahmad: "present", t.yonas: "present"})
    _take(db, reception, date(2026, 11, 3), "morning", {t.bilal: "absent", t.hamid: "present",
                                                       t.ahmad: "present", t.yonas: "present"})

    patterns, days = attendance.absence_patterns(db, reception, today=TODAY)
    assert [(p.resident_id, p.name, p.room, p.absent, p.other, p.rounds) for p in patterns] == [
        (t.hamid, "Hamid Rahimi", "10", 3, 0, 4),
        (t.ahmad, "Ahmad Karimi", "101", 0, 2, 4),
    ]
    assert patterns[0].last_absent is not None and utc(patterns[0].last_absent) == utc(
        at(15, 2, d19))
    assert patterns[1].last_absent is None
    assert [d.day for d in days] == [TODAY - timedelta(days=13 - i) for i in range(14)]
    by_day = {d.day: (d.absent, d.leave, d.present) for d in days}
    assert by_day[d17] == (2, 0, 6)
    assert by_day[d18] == (2, 0, 2)
    assert by_day[d19] == (2, 1, 1)
    assert by_day[TODAY] == (0, 0, 0)
    assert date(2026, 11, 3) not in by_day
    # A wider window and a higher threshold.
    wide, _ = attendance.absence_patterns(db, reception, days=30, minimum=2, today=TODAY)
    assert [p.resident_id for p in wide] == [t.hamid, t.ahmad, t.bilal]
    strict, _ = attendance.absence_patterns(db, reception, minimum=3, today=TODAY)
    assert [p.resident_id for p in strict] == [t.hamid]

    history = attendance.attendance_history(db, reception, t.hamid)
    assert [(h.day, h.slot, h.mark) for h in history] == [
        (date(2026, 11, 2), "morning", "present"), (date(2026, 11, 3), "morning", "present"),
        (d17, "morning", "absent"), (d17, "evening", "present"), (d18, "morning", "absent"),
        (d19, "afternoon", "absent")]
    assert {h.marked_by for h in history} == {"Rasmus Reception"}
    assert [utc(h.marked_at) for h in history] == sorted(utc(h.marked_at) for h in history)
    assert attendance.attendance_history(db, reception, uuid.uuid4()) == []
    # The absences drove the cases: closed on the evening of the 17th, open since the 18th.
    cases = missing.cases_of_resident(db, reception, t.hamid)
    assert [(c.is_open, utc(c.missing_since)) for c in cases] == [
        (True, utc(at(8, 2, d18))), (False, utc(at(8, 2, d17)))]


# --- PostgreSQL -------------------------------------------------------------------------------------------

@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.close()


def test_rounds_and_cases_on_postgres(pg_db: Database) -> None:
    db = pg_db
    centre.initialise_centre(db, centre_name="Børnecenter Østerå", centre_code="OESTERAA",
                             admin_username="admin", admin_full_name="Åse Ødegård",
                             admin_password=PASSWORD)
    admin = auth.login(db, "admin", PASSWORD)
    staff.create_staff(db, admin, username="leder", full_name="Lærke Leder", password=PASSWORD,
                       roles=["centre_leader"])
    leader = auth.login(db, "leder", PASSWORD)
    beds = rooms.create_room(db, admin, "10", ["A"]) + rooms.create_room(db, admin, "9", ["Ø"])
    soeren = register_arrival(db, leader, resident_input(
        person_id="DK-1", given_names="Søren", family_name="Østergård",
        date_of_birth=date(2011, 11, 21)), beds[0].id, today=TODAY).id
    omar = register_arrival(db, leader, resident_input(
        person_id="SY-2", given_names="Omar", family_name="Al-Ali"), beds[1].id, today=TODAY).id

    for day, mark in ((date(2026, 11, 19), "present"), (TODAY, "absent")):
        view = attendance.open_round(db, leader, day, "morning", now=at(8, 0, day))
        assert [r.resident_id for r in view.rows] == [omar, soeren]  # room 9 before room 10
        attendance.mark_resident(db, leader, view.round_id, omar, "absent", now=at(8, 1, day))
        result = attendance.mark_resident(db, leader, view.round_id, soeren, mark,
                                          now=at(8, 2, day))
        assert result.completed
    assert result.case_opened is not None
    round_view = attendance.get_round(db, leader, view.round_id)
    assert [r.mark for r in round_view.rows] == ["absent", "absent"]
    assert round_view.planned_at.astimezone(UTC) == datetime(2026, 11, 20, 7, 0, tzinfo=UTC)

    patterns, days = attendance.absence_patterns(db, leader, today=TODAY)
    assert [(p.resident_id, p.name, p.room, p.absent, p.rounds) for p in patterns] == [
        (omar, "Omar Al-Ali", "9", 2, 2)]
    assert patterns[0].last_absent == at(8, 1)
    assert patterns[0].last_absent.tzinfo is not None
    assert {d.day: d.absent for d in days}[TODAY] == 2

    with db.read() as session:
        summaries = missing.open_case_summaries(session)
        shown = [d for d in due_duties(session, at(19, 0)) if d.kind == "missing_report"]
    # Omar's case opened on the 19th (24 h, overdue), Søren's today (14: 12 h, due at 20:02).
    assert [(s.name, s.due_at) for s in summaries] == [
        ("Omar Al-Ali", at(8, 1, date(2026, 11, 19)) + timedelta(hours=24)),
        ("Søren Østergård", at(20, 2))]
    assert summaries[1].room == "10" and summaries[1].missing_since == at(8, 2)
    assert {(d.resident_id, d.severity) for d in shown} == {(omar, "overdue"), (soeren, "due")}
    with db.read() as session:
        stored = session.scalar(select(func.count()).select_from(AttendanceMark))
    assert stored == 4
