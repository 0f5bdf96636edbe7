"""The demo centre generator: consistent, plausible and deterministic data."""

from __future__ import annotations

import itertools
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from app import demo
from app.cli import main
from app.db import Database, open_database
from app.formatting import LOCAL_TZ
from app.models import AuditEntry, Bed, BedAssignment, ContactAssignment, Resident, Room, Staff
from app.models.residents import MOVE_OUT_REASONS
from app.queries.due import due_duties
from app.rules.residents import ADULT_AGE, age_on
from app.services import auth

TODAY = date(2026, 11, 23)
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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = build(path, places=PLACES, years=1, seed=3, today=TODAY)
    db = open_database(path)
    with db.read() as session:
        data = Built(
            path=path, result=result, db=db,
            staff={s.id: s for s in session.scalars(select(Staff))},
            rooms={r.id: r for r in session.scalars(select(Room))},
            beds={b.id: b for b in session.scalars(select(Bed))},
            residents=list(session.scalars(select(Resident))),
            bed_assignments=list(session.scalars(select(BedAssignment))),
            contacts=list(session.scalars(select(ContactAssignment))))
    yield data
    db.close()


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
        assert resident.status == "in_residence"
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
                *built.staff.values(), *built.rooms.values(), *built.beds.values()]:
        assert row.updated_by_device == device
        assert row.created_at is not None and row.created_at.tzinfo is not None
        assert row.updated_at >= row.created_at
        assert row.row_version >= 1
        assert row.deleted_at is None
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
    again = build(tmp_path / "again.db", places=PLACES, years=1, seed=3, today=TODAY)
    db = open_database(tmp_path / "again.db")
    try:
        with db.read() as session:
            rows = sorted(session.execute(select(Resident.id, Resident.person_id)).all())
    finally:
        db.close()
    assert rows == sorted((r.id, r.person_id) for r in built.residents)
    assert again == built.result

    other = build(tmp_path / "other.db", places=PLACES, years=1, seed=4, today=TODAY)
    assert other.arrivals != again.arrivals or other.residents != again.residents or (
        other.credentials != again.credentials)


@pytest.mark.parametrize("stop_when", ["first progress", "saving"])
def test_cancel_stops_without_a_result_or_a_file(tmp_path: Path, stop_when: str) -> None:
    path = tmp_path / "cancelled.db"
    cancel = threading.Event()
    steps = []
    for step in demo.generate(path, places=PLACES, years=1, seed=3, cancel=cancel, today=TODAY):
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
