"""The demo centre generator: consistent, plausible and deterministic data."""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app import demo
from app.cli import main
from app.db import Database, open_database
from app.formatting import LOCAL_TZ
from app.models import (
    AttendanceMark,
    AttendanceRound,
    AuditEntry,
    Bed,
    BedAssignment,
    ConfiscatedItem,
    ContactAssignment,
    Incident,
    IncidentReport,
    IncidentResident,
    IncidentStaff,
    IncidentVersion,
    Leave,
    LostItem,
    LostItemDisposition,
    MissingCase,
    MissingReport,
    Resident,
    Room,
    Staff,
    UseOfForce,
    Visit,
)
from app.models.attendance import MISSING_REPORT_KINDS
from app.models.reception import ID_DOCUMENT_TYPES
from app.models.residents import MOVE_OUT_REASONS
from app.queries.due import due_duties
from app.rules.absence import report_due
from app.rules.lost_property import owner_search_ends, retention_ends
from app.rules.reports import INCIDENT_KINDS, USE_OF_FORCE_KINDS, required_reports
from app.rules.residents import ADULT_AGE, age_on
from app.rules.rounds import DEFAULT_ROUND_TIMES, ROUND_SLOTS
from app.services import auth, incidents, lost_property, visitors
from app.services.attendance import day_status
from app.services.visitors import visitor_key

TODAY = date(2026, 11, 23)
# The end of TODAY, so the demo does not depend on the clock (not even on that day).
NOW = datetime.combine(TODAY, time(23, 59), tzinfo=LOCAL_TZ)
PLACES = 20
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF]")


def build(path: Path, **options: object) -> demo.DemoResult:
    steps = list(demo.generate(path, **options))  # type: ignore[arg-type]
    assert steps, "the generator yielded nothing"
    assert all(isinstance(step, demo.Progress) for step in steps[:-1])
    assert isinstance(steps[-1], demo.DemoResult)
    return steps[-1]


@dataclass
class Built:
    path: Path
    result: demo.DemoResult
    db: Database
    staff: dict
    rooms: dict
    beds: dict
    residents: list
    bed_assignments: list
    contacts: list
    rounds: dict
    marks: list
    leaves: list
    cases: list
    reports: list
    items: list
    dispositions: list
    visits: list
    incidents: dict
    incident_residents: list   # every row, those deleted by a correction too
    incident_staff: list
    forces: list
    seized: list
    incident_reports: list
    versions: list


def load(path: Path, result: demo.DemoResult, *, marks: bool = True) -> Built:
    db = open_database(path)
    with db.read() as session:
        data = Built(
            path=path, result=result, db=db,
            staff={s.id: s for s in session.scalars(select(Staff))},
            rooms={r.id: r for r in session.scalars(select(Room))},
            beds={b.id: b for b in session.scalars(select(Bed))},
            residents=list(session.scalars(select(Resident))),
            bed_assignments=list(session.scalars(select(BedAssignment))),
            contacts=list(session.scalars(select(ContactAssignment))),
            rounds={r.id: r for r in session.scalars(select(AttendanceRound))},
            marks=list(session.scalars(select(AttendanceMark))) if marks else [],
            leaves=list(session.scalars(select(Leave))),
            cases=list(session.scalars(select(MissingCase))),
            reports=list(session.scalars(select(MissingReport))),
            items=list(session.scalars(select(LostItem))),
            dispositions=list(session.scalars(select(LostItemDisposition))),
            visits=list(session.scalars(select(Visit))),
            incidents={i.id: i for i in session.scalars(select(Incident))},
            incident_residents=list(session.scalars(select(IncidentResident))),
            incident_staff=list(session.scalars(select(IncidentStaff))),
            forces=list(session.scalars(select(UseOfForce))),
            seized=list(session.scalars(select(ConfiscatedItem))),
            incident_reports=list(session.scalars(select(IncidentReport))),
            versions=list(session.scalars(select(IncidentVersion))))
    return data


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    data = load(path, build(path, places=PLACES, years=1, seed=3, now=NOW))
    yield data
    data.db.close()


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """A year at the real scale (78 places; the street-oriented section has ~12 beds)."""
    path = tmp_path_factory.mktemp("full") / "full.db"
    data = load(path, build(path, places=78, years=1, seed=3, now=NOW), marks=False)
    yield data
    data.db.close()


@pytest.fixture(params=["built", "full"])
def centre(request: pytest.FixtureRequest) -> Built:
    """The incident tests run on the small centre and on one at the real scale."""
    return request.getfixturevalue(request.param)


def current(built: Built) -> list[Resident]:
    return [r for r in built.residents if r.moved_out_on is None]


def test_counts_match_the_result(built: Built) -> None:
    result = built.result
    assert result.centre_name == "Børnecenter Sandholm"
    assert result.centre_code == "SANDHOLM"
    assert result.beds == len(built.beds) == PLACES
    assert result.rooms == len(built.rooms)
    assert all(2 <= sum(b.room_id == room_id for b in built.beds.values()) <= 4
               for room_id in built.rooms)
    assert {r.section for r in built.rooms.values()} == {"general", "street_oriented"}
    assert result.residents_current == len(current(built))
    assert result.residents_former == len(built.residents) - len(current(built))
    active = [s for s in built.staff.values() if s.active]
    assert result.staff == len(active)
    assert result.former_staff == len(built.staff) - len(active)
    contact_persons = [s for s in active if "contact_person" in s.roles]
    assert len(contact_persons) == math.ceil(PLACES / 7)
    # High turnover at ~85–95 % occupancy.
    assert 0.8 * PLACES <= result.residents_current <= PLACES
    assert result.arrivals >= 2 * PLACES
    assert result.departures == result.residents_former


def test_every_current_resident_has_a_bed_and_two_contact_persons(built: Built) -> None:
    for resident in current(built):
        assert resident.status in ("in_residence", "missing")
        beds = [a for a in built.bed_assignments
                if a.resident_id == resident.id and a.ended_on is None]
        assert len(beds) == 1, resident.person_id
        open_contacts = {c.kind: c.staff_id for c in built.contacts
                         if c.resident_id == resident.id and c.ended_on is None}
        assert set(open_contacts) == {"primary", "secondary"}, resident.person_id
        assert open_contacts["primary"] != open_contacts["secondary"]
        for staff_id in open_contacts.values():
            staff = built.staff[staff_id]
            assert staff.active
            assert "contact_person" in staff.roles


def test_former_residents_left_with_everything_closed(built: Built) -> None:
    former = [r for r in built.residents if r.moved_out_on is not None]
    assert former
    for resident in former:
        assert resident.move_out_reason in MOVE_OUT_REASONS
        assert resident.status == resident.move_out_reason
        assert resident.moved_out_on > resident.arrival_date
        spells = sorted((a for a in built.bed_assignments if a.resident_id == resident.id),
                        key=lambda a: a.started_on)
        assert spells[-1].ended_on == resident.moved_out_on
        assert spells[-1].end_reason == "move_out"
        for contact in (c for c in built.contacts if c.resident_id == resident.id):
            assert contact.ended_on is not None
            assert contact.ended_on <= resident.moved_out_on


def test_bed_history_is_consistent(built: Built) -> None:
    by_resident = defaultdict(list)
    for assignment in built.bed_assignments:
        by_resident[assignment.resident_id].append(assignment)
    arrival = {r.id: r.arrival_date for r in built.residents}
    changes = 0
    for resident_id, spells in by_resident.items():
        spells.sort(key=lambda a: a.started_on)
        assert spells[0].started_on == arrival[resident_id]
        for before, after in itertools.pairwise(spells):
            assert before.end_reason == "room_change"
            assert before.ended_on == after.started_on
            assert built.beds[before.bed_id].room_id != built.beds[after.bed_id].room_id
            changes += 1
    assert changes == built.result.room_changes > 0


def test_no_bed_ever_holds_two_residents(built: Built) -> None:
    open_beds = Counter(a.bed_id for a in built.bed_assignments if a.ended_on is None)
    assert max(open_beds.values()) == 1
    by_bed = defaultdict(list)
    for assignment in built.bed_assignments:
        by_bed[assignment.bed_id].append(assignment)
    for spells in by_bed.values():
        spells.sort(key=lambda a: a.started_on)
        assert all(a.ended_on is None or a.started_on < a.ended_on for a in spells)
        for before, after in itertools.pairwise(spells):
            assert before.ended_on is not None
            assert before.ended_on <= after.started_on  # [started_on, ended_on)


def test_rooms_do_not_mix_boys_and_girls(built: Built) -> None:
    sexes = defaultdict(set)
    by_id = {r.id: r for r in built.residents}
    for assignment in built.bed_assignments:
        if assignment.ended_on is None:
            room_id = built.beds[assignment.bed_id].room_id
            sexes[room_id].add(by_id[assignment.resident_id].sex)
    assert all(len(s) == 1 for s in sexes.values())


def test_residents_are_minors_and_leave_by_their_18th_birthday(built: Built) -> None:
    for resident in built.residents:
        age = age_on(resident.date_of_birth, resident.arrival_date)
        assert 12 <= age < ADULT_AGE, resident.person_id
        last_day = resident.moved_out_on or TODAY
        assert age_on(resident.date_of_birth, last_day) < ADULT_AGE or (
            resident.moved_out_on is not None
            and age_on(resident.date_of_birth, resident.moved_out_on) == ADULT_AGE
            and resident.move_out_reason == "moved_centre"), resident.person_id
    assert sum(r.sex == "male" for r in built.residents) > 0.7 * len(built.residents)


def test_person_ids_names_and_details_are_plausible(built: Built) -> None:
    ids = [r.person_id for r in current(built)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d{6}-\d", r.person_id) for r in built.residents)
    assert any(ARABIC_SCRIPT.search(r.name_in_own_script or "") for r in built.residents)
    for resident in built.residents:
        if resident.languages[0] in ("Arabic", "Dari", "Pashto", "Farsi"):
            assert ARABIC_SCRIPT.search(resident.name_in_own_script or ""), resident.given_names
        assert resident.phase in (1, 2, 3)
        assert resident.languages
    nationalities = Counter(r.nationality for r in built.residents)
    assert len(nationalities) >= 5
    with_representative = sum(r.representative_name is not None for r in built.residents)
    assert with_representative >= 0.7 * len(built.residents)
    street_beds = {b.id for b in built.beds.values()
                   if built.rooms[b.room_id].section == "street_oriented"}
    by_id = {r.id: r for r in built.residents}
    for assignment in built.bed_assignments:
        if assignment.bed_id in street_beds:
            assert by_id[assignment.resident_id].street_oriented


def test_sync_columns_and_audit_are_filled(built: Built) -> None:
    device = built.db.device_id
    for row in [*built.residents, *built.bed_assignments, *built.contacts,
                *built.staff.values(), *built.rooms.values(), *built.beds.values(),
                *built.rounds.values(), *built.marks, *built.leaves, *built.cases,
                *built.reports, *built.items, *built.dispositions, *built.visits]:
        assert row.updated_by_device == device
        assert row.created_at is not None and row.created_at.tzinfo is not None
        assert row.updated_at >= row.created_at
        assert row.row_version >= 1
        assert row.deleted_at is None
    for row in [*built.incidents.values(), *built.incident_residents, *built.incident_staff,
                *built.forces, *built.seized, *built.incident_reports, *built.versions]:
        assert row.updated_by_device == device
        assert row.created_at.tzinfo is not None and row.updated_at >= row.created_at
        assert (row.row_version > 1) == (row.updated_at > row.created_at)
        assert row.deleted_at is None or row.deleted_at == row.updated_at
    with built.db.read() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.entity == "demo")))
    assert [e.summary for e in entries] == ["demo centre generated"]


def test_the_today_page_has_work_to_show(built: Built) -> None:
    with built.db.read() as session:
        duties = due_duties(session, datetime.combine(TODAY, time(12), tzinfo=LOCAL_TZ))
    kinds = {d.kind for d in duties}
    # The newest arrivals wait for Familieretshuset to appoint their representative.
    assert "register_representative" in kinds
    assert "assign_primary_contact" not in kinds
    assert "assign_secondary_contact" not in kinds


def test_login_with_a_printed_credential(built: Built) -> None:
    text = demo.describe(built.result, built.path)
    assert str(built.path) in text
    leader = next(c for c in built.result.credentials if "centre_leader" in c[2])
    assert leader[0] in text and leader[1] in text
    actor = auth.login(built.db, leader[0], leader[1])
    assert "centre_leader" in actor.roles
    usernames = [c[0] for c in built.result.credentials]
    assert "admin" in usernames
    assert len(usernames) == len(set(usernames)) == built.result.staff


def test_the_same_seed_gives_the_same_centre(built: Built, tmp_path: Path) -> None:
    again = build(tmp_path / "again.db", places=PLACES, years=1, seed=3, now=NOW)
    db = open_database(tmp_path / "again.db")
    try:
        with db.read() as session:
            rows = sorted(session.execute(select(Resident.id, Resident.person_id)).all())
    finally:
        db.close()
    assert rows == sorted((r.id, r.person_id) for r in built.residents)
    assert again == built.result
    db = open_database(tmp_path / "again.db")
    try:
        with db.read() as session:
            marks = sorted(session.execute(select(
                AttendanceMark.id, AttendanceMark.resident_id, AttendanceMark.mark,
                AttendanceMark.marked_at, AttendanceMark.marked_by)).all())
            cases = sorted(session.execute(select(
                MissingCase.id, MissingCase.mark_id, MissingCase.missing_since,
                MissingCase.closed_at)).all())
            leaves = sorted(session.execute(select(Leave.id, Leave.starts_at, Leave.ends_at)).all())
            items = sorted(session.execute(select(
                LostItem.id, LostItem.number, LostItem.batch_id, LostItem.person_ids,
                LostItem.value_dkk, LostItem.retention_ends, LostItem.disposition)).all())
            dispositions = sorted(session.execute(select(
                LostItemDisposition.id, LostItemDisposition.kind, LostItemDisposition.on,
                LostItemDisposition.created_at, LostItemDisposition.superseded_at)).all())
            visits = sorted(session.execute(select(
                Visit.id, Visit.visitor_key, Visit.resident_id, Visit.arrived_at,
                Visit.left_at, Visit.signed_in_by, Visit.turned_away)).all())
            logged = sorted(session.execute(select(
                Incident.id, Incident.number, Incident.happened_at, Incident.kinds,
                Incident.description, Incident.reported_by, Incident.voided_at)).all())
            checklist = sorted(session.execute(select(
                IncidentReport.id, IncidentReport.incident_id, IncidentReport.code,
                IncidentReport.done_at, IncidentReport.done_by)).all())
            forces = sorted(session.execute(select(
                UseOfForce.id, UseOfForce.kind, UseOfForce.resident_id, UseOfForce.started_at,
                UseOfForce.minor_statement, UseOfForce.deleted_at)).all())
    finally:
        db.close()
    assert logged == sorted((i.id, i.number, i.happened_at, i.kinds, i.description,
                             i.reported_by, i.voided_at) for i in built.incidents.values())
    assert checklist == sorted((r.id, r.incident_id, r.code, r.done_at, r.done_by)
                               for r in built.incident_reports)
    assert forces == sorted((f.id, f.kind, f.resident_id, f.started_at, f.minor_statement,
                             f.deleted_at) for f in built.forces)
    assert items == sorted((i.id, i.number, i.batch_id, i.person_ids, i.value_dkk,
                            i.retention_ends, i.disposition) for i in built.items)
    assert dispositions == sorted((d.id, d.kind, d.on, d.created_at, d.superseded_at)
                                  for d in built.dispositions)
    assert visits == sorted((v.id, v.visitor_key, v.resident_id, v.arrived_at, v.left_at,
                             v.signed_in_by, v.turned_away) for v in built.visits)
    assert marks == sorted((m.id, m.resident_id, m.mark, m.marked_at, m.marked_by)
                           for m in built.marks)
    assert cases == sorted((c.id, c.mark_id, c.missing_since, c.closed_at) for c in built.cases)
    assert leaves == sorted((leave.id, leave.starts_at, leave.ends_at) for leave in built.leaves)

    other = build(tmp_path / "other.db", places=PLACES, years=1, seed=4, now=NOW)
    assert other.arrivals != again.arrivals or other.residents != again.residents or (
        other.credentials != again.credentials)


@pytest.mark.parametrize("stop_when", ["first progress", "saving"])
def test_cancel_stops_without_a_result_or_a_file(tmp_path: Path, stop_when: str) -> None:
    path = tmp_path / "cancelled.db"
    cancel = threading.Event()
    steps = []
    for step in demo.generate(path, places=PLACES, years=1, seed=3, cancel=cancel, now=NOW):
        steps.append(step)
        if stop_when == "first progress" or "Saving" in getattr(step, "message", ""):
            cancel.set()
    assert steps
    assert not any(isinstance(step, demo.DemoResult) for step in steps)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_generate_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "taken.db"
    path.write_bytes(b"something")
    with pytest.raises(FileExistsError):
        next(demo.generate(path, places=PLACES))


def test_cli_demo_prints_the_credentials(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "cli.db"
    assert main(["demo", "--db", str(path), "--residents", "20", "--years", "1"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    assert "demo1234" in out
    assert "leder1" in out and "kontakt1" in out and "admin" in out
    assert path.exists()
    assert not Path(f"{path}.partial").exists()
    assert main(["demo", "--db", str(path), "--residents", "20"]) == 2


# --- attendance: rounds, marks, leave, missing cases ----------------------------------

def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def lives_here(resident: Resident, day: date) -> bool:
    return resident.arrival_date <= day and (resident.moved_out_on is None
                                             or day < resident.moved_out_on)


def employed_on(staff: Staff, day: date) -> bool:
    """Hired by ``day`` and, for former staff, not yet left (they leave on the day the row
    was last changed)."""
    return local_day(staff.created_at) <= day and (staff.active
                                                   or day < local_day(staff.updated_at))


def test_three_rounds_a_day_complete_on_every_past_day(built: Built) -> None:
    by_day = defaultdict(dict)
    for round_ in built.rounds.values():
        assert round_.slot not in by_day[round_.round_date]
        by_day[round_.round_date][round_.slot] = round_
    days = (TODAY - built.result.first_day).days + 1
    assert sorted(by_day) == [built.result.first_day + timedelta(days=i) for i in range(days)]
    assert built.result.rounds == len(built.rounds) == 3 * days
    marked = defaultdict(set)
    for mark in built.marks:
        assert mark.resident_id not in marked[mark.round_id], "two marks in one round"
        marked[mark.round_id].add(mark.resident_id)
    assert built.result.marks == len(built.marks)
    for day, rounds in by_day.items():
        assert set(rounds) == set(ROUND_SLOTS)
        expected = {r.id for r in built.residents if lives_here(r, day)}
        for slot, round_ in rounds.items():
            local = round_.planned_at.astimezone(LOCAL_TZ)
            assert (local.date(), local.strftime("%H:%M")) == (day, DEFAULT_ROUND_TIMES[slot])
            assert round_.started_by in built.staff
            assert round_.started_at >= round_.planned_at - timedelta(minutes=10)
            assert marked[round_.id] == expected, (day, slot)
            assert round_.completed_at is not None, (day, slot)
            assert round_.completed_at >= round_.started_at


def test_every_mark_is_for_a_resident_living_here_by_staff_on_shift(built: Built) -> None:
    residents = {r.id: r for r in built.residents}
    counts = Counter()
    for mark in built.marks:
        round_ = built.rounds[mark.round_id]
        assert lives_here(residents[mark.resident_id], round_.round_date)
        staff = built.staff[mark.marked_by]
        assert employed_on(staff, local_day(mark.created_at)), (staff.full_name, mark.created_at)
        assert not set(staff.roles) <= {"administrator"}
        assert mark.marked_at >= round_.planned_at - timedelta(minutes=10)
        assert mark.created_at >= mark.marked_at
        if round_.slot == "evening" and mark.source in ("screen", "leave"):
            assert "night_staff" in staff.roles, staff.username
        if mark.mark == "other":
            assert mark.note
        counts[mark.mark] += 1
    # Mostly present; school on weekday afternoons; leave, hospital and absences are rare.
    assert counts["present"] > 0.8 * len(built.marks)
    assert counts["school"] > 0.03 * len(built.marks)
    assert counts["leave"] > 0 and counts["absent"] > 0
    assert counts["absent"] < 0.03 * len(built.marks)
    school_rounds = {built.rounds[m.round_id].slot for m in built.marks if m.mark == "school"}
    assert school_rounds == {"afternoon"}


def test_leave_never_overlaps_and_the_rounds_mark_it(built: Built) -> None:
    residents = {r.id: r for r in built.residents}
    by_resident = defaultdict(list)
    for leave in built.leaves:
        assert leave.ends_at > leave.starts_at
        assert leave.approved_by in built.staff
        resident = residents[leave.resident_id]
        assert local_day(leave.starts_at) > resident.arrival_date
        if resident.moved_out_on is not None:
            assert local_day(leave.ends_at) < resident.moved_out_on
        by_resident[leave.resident_id].append(leave)
    assert {leave.kind for leave in built.leaves} >= {"family_visit", "school_trip"}
    for leaves in by_resident.values():
        leaves.sort(key=lambda leave: leave.starts_at)
        for before, after in itertools.pairwise(leaves):
            assert before.ends_at <= after.starts_at
    on_leave = 0
    for mark in built.marks:
        planned = built.rounds[mark.round_id].planned_at
        leave = next((leave for leave in by_resident.get(mark.resident_id, ())
                      if leave.starts_at <= planned < leave.ends_at), None)
        if leave is None:
            assert mark.source != "leave"
            continue
        on_leave += 1
        assert mark.source == "leave"
        assert mark.mark == ("hospital" if leave.kind == "hospital" else "leave")
    assert on_leave > 0


def test_missing_cases_follow_the_absent_marks(built: Built) -> None:
    residents = {r.id: r for r in built.residents}
    marks = {m.id: m for m in built.marks}
    marks_of = defaultdict(list)
    for mark in built.marks:
        marks_of[mark.resident_id].append(mark)
    cases_of = defaultdict(list)
    leave_of = defaultdict(list)
    for leave in built.leaves:
        leave_of[leave.resident_id].append(leave)
    assert built.cases
    for case in built.cases:
        cases_of[case.resident_id].append(case)
        mark = marks[case.mark_id]
        assert case.reason == "absent_mark"
        assert (mark.mark, mark.resident_id) == ("absent", case.resident_id)
        assert case.missing_since == mark.marked_at
        assert case.opened_by == mark.marked_by
        assert not any(leave.starts_at <= case.missing_since < leave.ends_at
                       for leave in leave_of[case.resident_id])
        resident = residents[case.resident_id]
        if case.closed_at is None:
            assert resident.moved_out_on is None
            continue
        assert case.closed_at > case.missing_since
        assert case.close_note and case.closed_by in built.staff
        if case.close_reason == "left_responsibility":
            assert resident.move_out_reason == "departed"
            assert local_day(case.closed_at) == resident.moved_out_on
        else:
            assert case.close_reason == "returned"
            after = [m for m in marks_of[case.resident_id] if m.marked_at > case.closed_at]
            assert after and min(after, key=lambda m: m.marked_at).mark != "absent"
    for cases in cases_of.values():
        cases.sort(key=lambda c: c.missing_since)
        assert sum(c.closed_at is None for c in cases) <= 1
        for before, after in itertools.pairwise(cases):
            assert before.closed_at is not None and before.closed_at < after.missing_since
    # Every absent mark belongs to the case it opened or continued.
    for mark in built.marks:
        if mark.mark == "absent":
            assert any(c.missing_since <= mark.marked_at
                       and (c.closed_at is None or mark.marked_at < c.closed_at)
                       for c in cases_of[mark.resident_id]), mark.marked_at
    # Both endings occur; departures mostly follow a missing case.
    assert {c.close_reason for c in built.cases} >= {"returned", "left_responsibility"}
    departed = [r for r in built.residents if r.move_out_reason == "departed"]
    vanished = {c.resident_id for c in built.cases if c.close_reason == "left_responsibility"}
    assert 0.3 * len(departed) <= len(vanished) <= len(departed)


def test_missing_cases_are_a_few_a_month_more_in_the_street_section(full: Built) -> None:
    with full.db.read() as session:
        residents = {r.id: r for r in session.scalars(select(Resident))}
        cases = list(session.scalars(select(MissingCase)))
        first_day = session.scalar(select(AttendanceRound.round_date)
                                   .order_by(AttendanceRound.round_date).limit(1))
    per_month = len(cases) / ((TODAY - first_day).days / 30.4)
    assert 2 <= per_month <= 10
    days = Counter()
    for resident in residents.values():
        end = resident.moved_out_on or TODAY + timedelta(days=1)
        days[resident.street_oriented] += (end - max(resident.arrival_date, first_day)).days
    per_day = Counter(residents[c.resident_id].street_oriented for c in cases)
    assert per_day[True] / days[True] > 2 * per_day[False] / days[False]
    returned = Counter(residents[c.resident_id].street_oriented for c in cases
                       if c.close_reason == "returned")
    assert returned[True] > returned[False]


def test_missing_reports_are_made_mostly_in_time(built: Built) -> None:
    residents = {r.id: r for r in built.residents}
    cases = {c.id: c for c in built.cases}
    kinds = defaultdict(list)
    in_time = 0
    for report in built.reports:
        case = cases[report.case_id]
        kinds[case.id].append(report.kind)
        assert report.kind in MISSING_REPORT_KINDS
        assert report.done_by in built.staff
        assert report.done_at > case.missing_since
        assert case.closed_at is None or report.done_at < case.closed_at
        if report.kind == "police":
            assert re.fullmatch(r"\d{4}-\d{5}-\d{5}-\d{2}", report.reference or "")
        due = report_due(residents[case.resident_id].date_of_birth, case.missing_since,
                         special_concern=case.special_concern,
                         known_not_staying=case.known_not_staying)
        in_time += report.done_at <= due or due == case.missing_since
    assert all(len(k) == len(set(k)) for k in kinds.values())
    assert built.reports and in_time >= 0.8 * len(built.reports)
    # A case that lasted well past its deadline has every report (unless open today).
    for case in built.cases:
        if case.closed_at is None:
            continue
        due = report_due(residents[case.resident_id].date_of_birth, case.missing_since,
                         special_concern=case.special_concern,
                         known_not_staying=case.known_not_staying)
        if case.closed_at > due + timedelta(hours=8):
            assert sorted(kinds[case.id]) == sorted(MISSING_REPORT_KINDS), case.missing_since
            assert case.height and case.clothing


def test_open_cases_are_missing_residents_on_the_today_page(built: Built) -> None:
    open_cases = [c for c in built.cases if c.closed_at is None]
    assert open_cases
    assert {r.id for r in built.residents if r.status == "missing"} == {
        c.resident_id for c in open_cases}
    assert built.result.missing_open == len(open_cases)
    end_of_day = datetime.combine(TODAY, time(23, 59), tzinfo=LOCAL_TZ)
    with built.db.read() as session:
        duties = due_duties(session, end_of_day)
        rounds = day_status(session, TODAY)
    reports = [d for d in duties if d.kind == "missing_report"]
    assert "overdue" in {d.severity for d in reports}
    assert any(d.severity != "overdue" and d.due_at > end_of_day for d in reports)
    assert all(status.complete for status in rounds)


def test_todays_later_rounds_are_not_taken_yet(tmp_path: Path) -> None:
    now = datetime.combine(TODAY, time(15, 4), tzinfo=LOCAL_TZ)
    result = build(tmp_path / "afternoon.db", places=8, years=1, seed=5, now=now)
    assert result.last_day == TODAY
    db = open_database(tmp_path / "afternoon.db")
    try:
        with db.read() as session:
            today = {s.slot: s for s in day_status(session, TODAY)}
            yesterday = day_status(session, TODAY - timedelta(days=1))
            newest = session.scalar(select(AttendanceMark.created_at)
                                    .order_by(AttendanceMark.created_at.desc()).limit(1))
            cases = list(session.scalars(select(MissingCase)))
    finally:
        db.close()
    assert all(status.complete for status in yesterday)
    assert today["morning"].complete
    assert not today["evening"].started
    assert newest is not None and newest <= now.astimezone(UTC)
    assert all(c.missing_since <= now for c in cases)


# --- reception: the lost-property register and the visitor log ------------------------

def test_reception_counts_match_the_result(built: Built) -> None:
    result = built.result
    assert result.lost_items == len(built.items) > 0
    assert result.lost_batches == len({i.batch_id for i in built.items})
    assert result.lost_kept == sum(1 for i in built.items if i.disposition is None)
    with built.db.read() as session:
        assert result.lost_due == len(lost_property.due_items(session, TODAY)) > 0
    visits = [v for v in built.visits if not v.turned_away]
    assert result.visits == len(visits) > 0
    assert result.visits_turned_away == len(built.visits) - len(visits) > 0
    assert result.visitors_in_building == sum(1 for v in visits if v.left_at is None)
    assert result.visits_erased == 0  # one year of history: nothing is older than 12 months
    text = demo.describe(result, built.path)
    assert str(result.lost_items) in text and str(result.visits) in text


def test_register_numbers_count_per_year_in_the_order_logged(built: Built) -> None:
    numbers = [i.number for i in built.items]
    assert len(numbers) == len(set(numbers))
    by_year = defaultdict(list)
    for item in sorted(built.items, key=lambda i: (i.created_at, i.number)):
        assert re.fullmatch(r"\d{4}-\d{4}", item.number)
        assert item.number.startswith(f"{item.found_on.year}-")
        by_year[item.found_on.year].append(int(item.number[5:]))
    for year, sequence in by_year.items():
        assert sequence == list(range(1, len(sequence) + 1)), year


def test_retention_dates_are_the_rule_functions(built: Built) -> None:
    origins = Counter(i.origin for i in built.items)
    assert origins["vacated_room"] and origins["common_area"]
    assert any(i.value_dkk >= 500 for i in built.items if i.origin == "vacated_room")
    for item in built.items:
        assert item.found_on <= TODAY
        if item.origin == "vacated_room":
            assert item.retention_ends == retention_ends(item.found_on, item.value_dkk,
                                                         perishable=item.perishable)
            assert item.owner_search_ends is None
            assert item.room_id in built.rooms and item.place is None
        else:
            assert item.owner_search_ends == owner_search_ends(item.found_on)
            assert item.retention_ends is None
            assert item.room_id is None and item.place and item.person_ids == []
            assert not item.perishable
        assert (item.storage_location is None) == item.perishable
        assert item.found_by in built.staff
        assert employed_on(built.staff[item.found_by], item.found_on)


def test_items_found_together_are_one_batch(built: Built) -> None:
    batches = defaultdict(list)
    for item in built.items:
        batches[item.batch_id].append(item)
    assert any(len(items) > 1 for items in batches.values())
    for items in batches.values():
        assert len(items) <= 6
        first = items[0]
        for item in items:
            assert (item.found_on, item.origin, item.room_id, item.person_ids, item.found_by) == (
                first.found_on, first.origin, first.room_id, first.person_ids, first.found_by)
        numbers = sorted(int(i.number[5:]) for i in items)
        assert numbers == list(range(numbers[0], numbers[0] + len(items)))


def test_rooms_are_cleared_after_unannounced_departures_with_the_occupants(built: Built) -> None:
    actor = auth.login(built.db, "reception1", demo.DEMO_PASSWORD)
    room_of = {a.resident_id: built.beds[a.bed_id].room_id for a in built.bed_assignments
               if a.end_reason == "move_out"}
    departed = [r for r in built.residents if r.move_out_reason == "departed"
                and r.moved_out_on is not None]
    batches = {i.batch_id: i for i in built.items if i.origin == "vacated_room"}
    assert batches
    for item in batches.values():
        occupants = {o.person_id for o in lost_property.occupants(built.db, actor, item.room_id,
                                                                  item.found_on)}
        assert item.person_ids and set(item.person_ids) <= occupants, item.number
        # The first is the resident who left the room without notice 1–3 days before.
        leaver = next(r for r in departed if r.person_id == item.person_ids[0]
                      and room_of.get(r.id) == item.room_id
                      and 1 <= (item.found_on - r.moved_out_on).days <= 3)
        assert leaver.status == "departed"
    # Every departure after a missing case is followed by clearing the room.
    vanished = {c.resident_id for c in built.cases if c.close_reason == "left_responsibility"}
    cleared = {(i.person_ids[0], i.room_id) for i in batches.values()}
    for resident in departed:
        if resident.id in vanished and resident.moved_out_on + timedelta(days=3) <= TODAY:
            assert (resident.person_id, room_of[resident.id]) in cleared


def test_dispositions_follow_the_rules(built: Built) -> None:
    items = {i.id: i for i in built.items}
    history = defaultdict(list)
    for disposition in sorted(built.dispositions, key=lambda d: d.created_at):
        history[disposition.item_id].append(disposition)
    kinds = Counter(d.kind for d in built.dispositions if d.superseded_at is None)
    assert {"returned", "destroyed", "charity", "police", "discarded_perishable"} <= set(kinds)
    assert any(d.superseded_at is not None for d in built.dispositions)
    for item_id, records in history.items():
        item = items[item_id]
        in_force = [d for d in records if d.superseded_at is None]
        assert len(in_force) == 1 and records[-1] is in_force[0]
        assert item.disposition == in_force[0].kind
        for earlier in records[:-1]:
            assert earlier.superseded_reason and earlier.superseded_at >= earlier.created_at
            assert earlier.superseded_at <= records[-1].created_at
        for d in records:
            assert item.found_on <= d.on <= TODAY
            assert d.created_at >= item.created_at and local_day(d.created_at) >= d.on
            assert d.by_staff in built.staff
            if d.kind in ("destroyed", "charity"):
                assert item.origin == "vacated_room" and d.on >= item.retention_ends
            if d.kind == "charity":
                assert d.organisation in ("Røde Kors", "Kirkens Korshær", "Red Barnet")
            if d.kind == "police":
                assert item.origin == "common_area" and d.on >= item.owner_search_ends
                assert d.police_reference
            if d.kind == "returned":
                assert d.recipient_person_id
            if d.kind == "discarded_perishable":
                assert item.perishable
        current = in_force[0]
        if current.kind == "returned" and item.origin == "vacated_room":
            assert current.recipient_person_id in item.person_ids
        if current.kind == "returned" and item.origin == "common_area":
            assert current.recipient_person_id in {r.person_id for r in built.residents
                                                   if lives_here(r, current.on)}
            assert current.on <= item.owner_search_ends
    for item in items.values():
        assert (item.disposition is None) == (item.id not in history)
        assert item.row_version == 1 + len(history[item.id])
        if item.perishable:  # discarded the day it was found, when it was logged
            (record,) = history[item.id]
            assert record.kind == "discarded_perishable" and record.on == item.found_on
            assert record.by_staff == item.found_by


def test_the_register_has_items_due_and_kept(built: Built) -> None:
    actor = auth.login(built.db, "reception1", demo.DEMO_PASSWORD)
    due = lost_property.register(built.db, actor, lost_property.RegisterFilter(view="due"),
                                 today=TODAY)
    assert due
    expected = {i.id for i in built.items if i.disposition is None and (
        (i.origin == "vacated_room" and i.retention_ends <= TODAY)
        or (i.origin == "common_area" and i.owner_search_ends <= TODAY))}
    assert {v.id for v in due} == expected
    with built.db.read() as session:
        assert {v.id for v in lost_property.due_items(session, TODAY)} == expected
    kept = lost_property.register(built.db, actor, lost_property.RegisterFilter(view="kept"),
                                  today=TODAY)
    assert {v.id for v in kept} == {i.id for i in built.items if i.disposition is None}
    # Not overdue for long: the register is kept up to date.
    assert all((TODAY - v.deadline).days <= 14 for v in due)


def test_visits_are_to_residents_living_here_signed_in_by_staff_on_shift(built: Built) -> None:
    residents = {r.id: r for r in built.residents}
    for visit in built.visits:
        resident = residents[visit.resident_id]
        day = local_day(visit.arrived_at)
        assert visit.arrived_at <= NOW
        assert lives_here(resident, day) and visit.arrived_at > resident.created_at
        assert employed_on(built.staff[visit.signed_in_by], day)
        assert visit.created_at == visit.arrived_at
        assert visit.id_document_type in ID_DOCUMENT_TYPES
        assert (visit.id_document_number is None) == (visit.id_document_type == "none")
        assert visit.visitor_key == visitor_key(visit.visitor_name, visit.id_document_number)
        assert visit.visitor_name == " ".join(visit.visitor_name.split()) and visit.relation
        if visit.turned_away:
            assert visit.turned_away_reason and visit.left_at is None
            assert visit.signed_out_by is None
        elif visit.left_at is not None:
            assert visit.arrived_at < visit.left_at <= NOW
            assert local_day(visit.left_at) == day
            assert employed_on(built.staff[visit.signed_out_by], day)
    weeks = (TODAY - built.result.first_day).days / 7
    per_week = sum(1 for v in built.visits if not v.turned_away) / weeks
    assert 0.1 * PLACES <= per_week <= 0.8 * PLACES
    relations = Counter(v.relation for v in built.visits)
    assert relations["Personlig repræsentant"] and any("Frivillig" in r for r in relations)
    assert any(ARABIC_SCRIPT.search(v.visitor_name) for v in built.visits)


def test_visitors_come_when_the_resident_is_at_home_and_never_twice_at_once(built: Built) -> None:
    for visit in built.visits:
        if visit.turned_away:
            continue
        for leave in built.leaves:
            if leave.resident_id == visit.resident_id:
                assert not leave.starts_at <= visit.arrived_at < leave.ends_at
        for case in built.cases:
            if case.resident_id == visit.resident_id:
                assert not (case.missing_since <= visit.arrived_at
                            and (case.closed_at is None or visit.arrived_at < case.closed_at))
    by_visitor = defaultdict(list)
    for visit in built.visits:
        if not visit.turned_away:
            by_visitor[visit.visitor_key].append(visit)
    far = datetime.max.replace(tzinfo=UTC)
    for visits in by_visitor.values():
        visits.sort(key=lambda v: v.arrived_at)
        for before, after in itertools.pairwise(visits):
            assert (before.left_at or far) <= after.arrived_at
    assert any(len(visits) > 3 for visits in by_visitor.values())


def test_visitors_in_the_building_have_not_left(built: Built) -> None:
    inside = [v for v in built.visits if not v.turned_away and v.left_at is None]
    assert 0 <= len(inside) <= 3
    actor = auth.login(built.db, "reception1", demo.DEMO_PASSWORD)
    listed = visitors.in_building(built.db, actor)
    assert {v.id for v in listed} == {v.id for v in inside}
    residents = {r.id: r for r in built.residents}
    for visit in inside:
        assert local_day(visit.arrived_at) == TODAY and visit.signed_out_by is None
        assert residents[visit.resident_id].moved_out_on is None


def test_zero_to_three_visitors_are_in_the_building_in_the_afternoon(tmp_path: Path) -> None:
    when = datetime.combine(TODAY, time(16, 30), tzinfo=LOCAL_TZ)
    counts = set()
    for seed in range(1, 4):
        path = tmp_path / f"{seed}.db"
        result = build(path, places=8, years=1, seed=seed, now=when)
        counts.add(result.visitors_in_building)
        db = open_database(path)
        try:
            with db.read() as session:
                inside = list(session.scalars(select(Visit).where(
                    Visit.left_at.is_(None), Visit.turned_away.is_(False))))
        finally:
            db.close()
        assert len(inside) == result.visitors_in_building
        assert all(v.arrived_at <= when and v.signed_out_by is None for v in inside)
    assert counts <= {0, 1, 2, 3} and counts != {0}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[demo.DemoResult,
                                                                            Database]]:
    path = tmp_path_factory.mktemp("demo2") / "demo.db"
    result = build(path, places=PLACES, years=2, seed=5, now=NOW)
    db = open_database(path)
    yield result, db
    db.close()


def test_visitor_identity_is_erased_after_the_retention(two_years) -> None:
    result, db = two_years
    cutoff = NOW - relativedelta(months=12)
    with db.read() as session:
        visits = list(session.scalars(select(Visit)))
        audit = list(session.scalars(select(AuditEntry).where(AuditEntry.entity == "visit")))
    old = [v for v in visits if v.arrived_at < cutoff]
    new = [v for v in visits if v.arrived_at >= cutoff]
    assert old and new
    assert result.visits_erased == len(old)
    for visit in old:
        assert (visit.visitor_name, visit.id_document_number, visit.relation,
                visit.visitor_key, visit.turned_away_reason) == (None, None, None, None, None)
        assert visit.identity_erased_at == NOW
        assert visit.id_document_type is not None  # what kind of ID was shown is no identity
        assert visit.resident_id is not None and visit.updated_at == NOW
    assert any(v.turned_away for v in old) and any(v.turned_away for v in new)
    for visit in new:
        assert visit.visitor_name and visit.visitor_key and visit.identity_erased_at is None
        assert bool(visit.turned_away_reason) == visit.turned_away
    assert [a.action for a in audit] == ["erase"]
    # The cleanup job finds nothing more to erase.
    assert visitors.erase_expired_identities(db, now=NOW) == 0


def test_two_years_of_register_keep_the_rules(two_years) -> None:
    _result, db = two_years
    with db.read() as session:
        items = list(session.scalars(select(LostItem)))
        records = list(session.scalars(select(LostItemDisposition)))
    found = {i.id: i for i in items}
    assert {i.found_on.year for i in items} == {TODAY.year - 2, TODAY.year - 1, TODAY.year}
    assert len({i.number for i in items}) == len(items)
    for record in records:
        item = found[record.item_id]
        if record.kind in ("destroyed", "charity"):
            assert record.on >= item.retention_ends
        if record.kind == "police":
            assert record.on >= item.owner_search_ends
    for item in items:
        if item.origin == "vacated_room":
            assert item.retention_ends == retention_ends(item.found_on, item.value_dkk,
                                                         perishable=item.perishable)


# --- incidents: the log, use of force and the reports checklist -----------------------

POLICE_JOURNAL = re.compile(r"\d{4}-\d{5}-\d{5}-\d{2}")


def live(rows: list) -> list:
    return [row for row in rows if row.deleted_at is None]


def parts_of(built: Built, rows: list) -> dict:
    by_incident = defaultdict(list)
    for row in live(rows):
        by_incident[row.incident_id].append(row)
    return by_incident


def first_logged(built: Built, incident: Incident) -> datetime:
    """When it happened as first logged (a correction may move the time; not the number)."""
    version = next((v for v in built.versions if v.incident_id == incident.id), None)
    return (datetime.fromisoformat(version.snapshot["happened_at"]) if version
            else incident.happened_at)


def incident_input(built: Built, incident: Incident) -> incidents.IncidentInput:
    """The incident as the editor would submit it (``log_incident``'s input)."""
    residents = parts_of(built, built.incident_residents)[incident.id]
    staff = parts_of(built, built.incident_staff)[incident.id]
    forces = parts_of(built, built.forces)[incident.id]
    seized = parts_of(built, built.seized)[incident.id]
    return incidents.IncidentInput(
        happened_at=incident.happened_at, noticed_at=incident.noticed_at, place=incident.place,
        kinds=tuple(incident.kinds), description=incident.description,
        residents=tuple((r.resident_id, r.role) for r in residents),
        staff_ids=tuple(s.staff_id for s in staff), other_persons=incident.other_persons,
        immediate_actions=tuple(incident.immediate_actions),
        harassment_grounds=incident.harassment_grounds,
        uses_of_force=tuple(incidents.ForceInput(
            f.resident_id, f.kind, f.started_at, f.ended_at, f.reason, f.decided_by, f.injuries,
            f.minor_informed_on, f.minor_statement, f.minor_declined, f.statement_on)
            for f in forces),
        confiscated=tuple(incidents.ConfiscatedInput(i.description, i.resident_id, i.kept_where)
                          for i in seized))


def test_incident_counts_match_the_result(centre: Built) -> None:
    result = centre.result
    logged = [i for i in centre.incidents.values() if i.voided_at is None]
    assert result.incidents == len(logged) > 0
    assert result.incidents_voided == len(centre.incidents) - len(logged) >= 1
    assert result.incidents_corrected == len(centre.versions) >= 1
    ids = {i.id for i in logged}
    reports = [r for r in centre.incident_reports if r.incident_id in ids]
    assert result.incident_reports == len(reports)
    assert result.incident_reports_open == sum(1 for r in reports if r.done_at is None) > 0
    assert result.uses_of_force == sum(1 for f in live(centre.forces) if f.incident_id in ids) > 0
    residents = {r.id: r for r in centre.residents}
    assert result.incidents_street == sum(
        1 for i in logged if any(residents[p.resident_id].street_oriented
                                 for p in parts_of(centre, centre.incident_residents)[i.id]))
    text = demo.describe(result, centre.path)
    assert str(result.incidents) in text and str(result.uses_of_force) in text


def test_incidents_pass_the_services_validation(centre: Built) -> None:
    """Every incident is one ``log_incident`` would have accepted, with the same minor flag."""
    with centre.db.read() as session:
        for incident in centre.incidents.values():
            data = incident_input(centre, incident)
            assert incidents._validate(session, data, NOW) == {}, incident.number
            assert incidents._minor_involved(session, data) == incident.minor_involved
    assert set().union(*(i.kinds for i in centre.incidents.values())) <= set(INCIDENT_KINDS)
    assert all(i.reported_by in centre.staff for i in centre.incidents.values())


def test_reports_are_those_required_reports_asks_for(centre: Built) -> None:
    checklist = defaultdict(list)
    for report in centre.incident_reports:
        assert report.deleted_at is None
        checklist[report.incident_id].append(report)
    added = 0
    for incident in centre.incidents.values():
        lines = checklist[incident.id]
        codes = [r.code for r in lines]
        assert len(codes) == len(set(codes)), incident.number
        required = {r.code for r in lines if r.required}
        assert required == required_reports(incident.kinds,
                                            minor_involved=incident.minor_involved)
        for line in lines:
            if not line.required:
                added += 1
                assert line.code in incidents.EXTRA_REPORT_CODES and line.added_reason
            assert line.created_at >= incident.created_at
    assert added < 0.2 * len(centre.incidents)


def test_incident_numbers_count_per_year_in_the_order_logged(centre: Built) -> None:
    numbers = [i.number for i in centre.incidents.values()]
    assert len(numbers) == len(set(numbers))
    by_year = defaultdict(list)
    for incident in sorted(centre.incidents.values(), key=lambda i: i.created_at):
        assert re.fullmatch(r"\d{4}-\d{4}", incident.number)
        year = local_day(first_logged(centre, incident)).year
        assert incident.number.startswith(f"{year}-"), incident.number
        by_year[year].append(int(incident.number[5:]))
    assert by_year
    for year, sequence in by_year.items():
        assert sequence == list(range(1, len(sequence) + 1)), year


def test_reporters_and_staff_were_employed_and_on_shift(centre: Built) -> None:
    staff_of = parts_of(centre, centre.incident_staff)
    night = 0
    for incident in centre.incidents.values():
        assert incident.happened_at <= incident.noticed_at <= incident.created_at <= NOW
        assert incident.created_at - incident.noticed_at < timedelta(hours=3)
        local = incident.noticed_at.astimezone(LOCAL_TZ)
        reporter = centre.staff[incident.reported_by]
        assert employed_on(reporter, local.date()), incident.number
        assert incident.reported_by in {s.staff_id for s in staff_of[incident.id]}
        for part in staff_of[incident.id]:
            member = centre.staff[part.staff_id]
            assert employed_on(member, local.date())
            if 7 <= local.hour < 21:
                assert {"reception", "contact_person", "social_coordinator"} & set(member.roles)
            else:
                assert "night_staff" in member.roles, (incident.number, member.username)
                night += 1
    assert night > 0
    for report in centre.incident_reports:
        if report.done_at is not None:
            member = centre.staff[report.done_by]
            assert employed_on(member, local_day(report.done_at))
            assert not set(member.roles) <= {"administrator"}


def test_residents_involved_lived_here_and_were_at_home(centre: Built) -> None:
    residents = {r.id: r for r in centre.residents}
    leaves, cases = defaultdict(list), defaultdict(list)
    for leave in centre.leaves:
        leaves[leave.resident_id].append(leave)
    for case in centre.cases:
        cases[case.resident_id].append(case)
    far = datetime.max.replace(tzinfo=UTC)
    brought_back = 0
    for incident_id, parts in parts_of(centre, centre.incident_residents).items():
        incident = centre.incidents[incident_id]
        at = incident.happened_at
        assert len({p.resident_id for p in parts}) == len(parts)
        for part in parts:
            assert part.role in ("affected", "causing", "witness")
            resident = residents[part.resident_id]
            assert lives_here(resident, local_day(at)) and resident.created_at < at
            assert not any(leave.starts_at <= at < leave.ends_at
                           for leave in leaves[resident.id])
            missing = [c for c in cases[resident.id]
                       if c.missing_since <= at < (c.closed_at or far)]
            if "bring_back" in incident.kinds and part.role == "affected":
                # Found while missing and brought back: the case closes on the return.
                assert len(missing) == 1 and missing[0].closed_at - at < timedelta(hours=2)
                brought_back += 1
            else:
                assert not missing, incident.number
    assert brought_back == sum("bring_back" in i.kinds for i in centre.incidents.values())


def test_uses_of_force_are_recorded_for_the_force_kinds(centre: Built) -> None:
    forces = parts_of(centre, centre.forces)
    residents = parts_of(centre, centre.incident_residents)
    for incident in centre.incidents.values():
        rows = forces[incident.id]
        assert {f.kind for f in rows} == set(incident.kinds) & USE_OF_FORCE_KINDS
        involved = {p.resident_id for p in residents[incident.id]}
        day = local_day(incident.happened_at)
        for force in rows:
            assert force.resident_id in involved
            assert force.started_at >= incident.happened_at - timedelta(minutes=1)
            assert force.ended_at is None or force.ended_at >= force.started_at
            assert force.reason and force.decided_by in centre.staff
            assert force.created_at == incident.updated_at if incident.version == 2 else (
                force.created_at == incident.created_at)
            if force.minor_informed_on is None:
                assert force.minor_statement is None and not force.minor_declined
                continue
            # Told about the report and heard a day or two later (``record_statement``).
            assert day <= force.minor_informed_on <= day + timedelta(days=6)
            assert force.statement_on == force.minor_informed_on
            assert bool(force.minor_statement) != force.minor_declined
            assert force.updated_at > force.created_at


def test_minor_informed_reports_match_the_statements(centre: Built) -> None:
    forces = parts_of(centre, centre.forces)
    for report in centre.incident_reports:
        if report.code != "minor_informed" or report.done_at is None:
            continue
        told = [f.minor_informed_on for f in forces[report.incident_id]
                if f.minor_informed_on is not None]
        if told:
            assert local_day(report.done_at) == min(told)


def test_confiscated_items_are_returned_or_handed_to_the_police(centre: Built) -> None:
    for item in live(centre.seized):
        incident = centre.incidents[item.incident_id]
        assert "confiscation" in incident.kinds and item.description and item.kept_where
        assert (item.returned_on is None) == (item.returned_by is None)
        if item.returned_on is not None:
            assert item.returned_on >= local_day(incident.happened_at)
            assert employed_on(centre.staff[item.returned_by], item.returned_on)
            assert item.updated_at > item.created_at
        else:
            assert not item.handed_to_police


def test_reports_are_done_within_hours_or_a_day_a_few_wait_today(centre: Built) -> None:
    done = [r for r in centre.incident_reports if r.done_at is not None]
    quick = 0
    for report in done:
        incident = centre.incidents[report.incident_id]
        assert report.done_at >= incident.happened_at.replace(second=0, microsecond=0)
        assert report.updated_at >= report.created_at
        quick += report.done_at - incident.created_at <= timedelta(hours=30)
        if report.code == "police":
            assert POLICE_JOURNAL.fullmatch(report.reference or ""), report.reference
    assert quick >= 0.8 * len(done)
    with centre.db.read() as session:
        waiting = incidents.outstanding_reports(session)
        duties = [d for d in due_duties(session, NOW) if d.kind == "incident_report"]
    voided = {i.id for i in centre.incidents.values() if i.voided_at is not None}
    open_lines = [r for r in centre.incident_reports
                  if r.done_at is None and r.incident_id not in voided]
    assert {(w.incident_id, w.code) for w in waiting} == {(r.incident_id, r.code)
                                                          for r in open_lines}
    # A few, some overdue: the Today page has work, and the centre is not years behind.
    assert {"due", "overdue"} <= {d.severity for d in duties}
    assert all(NOW - w.reported_at < timedelta(days=8) for w in waiting)


def test_corrections_keep_the_first_version(centre: Built) -> None:
    assert centre.versions
    for version in centre.versions:
        incident = centre.incidents[version.incident_id]
        assert incident.version == 2 and version.version == 1 and version.reason
        assert version.created_at == incident.updated_at or incident.voided_at is not None
        assert employed_on(centre.staff[version.corrected_by], local_day(version.created_at))
        snapshot = version.snapshot
        assert snapshot["number"] == incident.number and snapshot["version"] == 1
        assert snapshot["id"] == str(incident.id)
        old_parts = [p for p in centre.incident_residents if p.incident_id == incident.id
                     and p.deleted_at is not None]
        assert all(p.deleted_at == version.created_at for p in old_parts)
        assert {(str(p.resident_id), p.role) for p in old_parts} == {
            (r[0], r[3]) for r in snapshot["residents"]}
        new_parts = [p for p in centre.incident_residents if p.incident_id == incident.id
                     and p.deleted_at is None]
        assert all(p.created_at == version.created_at for p in new_parts)
        assert {r["code"] for r in snapshot["reports"]} <= {
            r.code for r in centre.incident_reports if r.incident_id == incident.id}
        changed = (snapshot["description"] != incident.description
                   or len(new_parts) > len(old_parts)
                   or datetime.fromisoformat(snapshot["happened_at"]) != incident.happened_at
                   or snapshot["kinds"] != incident.kinds)
        assert changed, incident.number
    actor = auth.login(centre.db, "leder1", demo.DEMO_PASSWORD)
    detail = incidents.get_incident(centre.db, actor, centre.versions[0].incident_id)
    assert detail.version == 2 and [v[0] for v in detail.versions] == [1]


def test_voided_incidents_are_copies_voided_by_the_leader(centre: Built) -> None:
    numbers = {i.number for i in centre.incidents.values()}
    voided = [i for i in centre.incidents.values() if i.voided_at is not None]
    assert voided
    for incident in voided:
        leader = centre.staff[incident.voided_by]
        assert "centre_leader" in leader.roles
        assert incident.voided_at > incident.created_at
        assert employed_on(leader, local_day(incident.voided_at))
        referred = re.search(r"\d{4}-\d{4}", incident.void_reason or "")
        assert referred and referred.group() in numbers - {incident.number}
    actor = auth.login(centre.db, "leder1", demo.DEMO_PASSWORD)
    listed = incidents.list_incidents(centre.db, actor, include_voided=True, limit=10_000)
    assert {i.id for i in listed} == set(centre.incidents)
    assert sum(i.voided for i in listed) == len(voided)


def test_incidents_a_few_a_week_more_in_the_street_section(full: Built) -> None:
    """At the real scale: a few a week, far more per resident in the street-oriented
    section, in the evening and at night, the same few residents again and again."""
    residents = {r.id: r for r in full.residents}
    logged = [i for i in full.incidents.values() if i.voided_at is None]
    parts = [p for p in live(full.incident_residents) if p.role != "witness"]
    first_day = min(r.round_date for r in full.rounds.values())
    weeks = (TODAY - first_day).days / 7
    assert 2 <= len(logged) / weeks <= 8
    assert {i.number[:4] for i in logged} == {str(TODAY.year - 1), str(TODAY.year)}
    days = Counter()
    for resident in residents.values():
        end = resident.moved_out_on or TODAY + timedelta(days=1)
        days[resident.street_oriented] += (end - max(resident.arrival_date, first_day)).days
    involved = Counter(residents[p.resident_id].street_oriented for p in parts)
    assert involved[True] / days[True] > 2.5 * involved[False] / days[False]
    hours = Counter(i.happened_at.astimezone(LOCAL_TZ).hour for i in logged)
    evening_and_night = sum(n for hour, n in hours.items() if hour >= 17 or hour < 7)
    assert evening_and_night > 0.55 * len(logged)
    weekdays = Counter(i.happened_at.astimezone(LOCAL_TZ).weekday() for i in logged)
    assert weekdays[4] + weekdays[5] > weekdays[1] + weekdays[2]
    # Repeated involvement: the tenth of the residents most often involved account for a
    # quarter of all involvement.
    per_resident = Counter(residents[p.resident_id].person_id for p in parts)
    ranked = [n for _person, n in per_resident.most_common()]
    assert ranked[0] >= 6
    assert sum(ranked[:max(1, len(ranked) // 10)]) >= 0.25 * sum(ranked)
    kinds = Counter(k for i in logged for k in i.kinds)
    for kind in ("violence", "threats", "theft", "vandalism", "self_harm", "restraint",
                 "search_room", "confiscation", "refused_tasks", "serious_conflict"):
        assert kinds[kind] > 0, kind
    assert {"removal", "bring_back"} & set(kinds)
    assert sum(1 for i in logged if {"search_room", "search_person"} & set(i.kinds)) >= 10
    assert any(not i.minor_involved for i in logged)  # by someone unknown: no minor involved
    forces = live(full.forces)
    statements = sum(1 for f in forces if f.minor_statement)
    declined = sum(1 for f in forces if f.minor_declined)
    assert statements > declined > 0
    seized = live(full.seized)
    assert any(i.handed_to_police for i in seized)
    assert any(i.returned_on and not i.handed_to_police for i in seized)
