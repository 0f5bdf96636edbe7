"""What every write goes through: sync columns, audit trail, no hard deletes; SQLite set-up."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from app.db import open_database
from app.formatting import utcnow
from app.models import AuditEntry, Bed, BedAssignment, Room
from app.unit_of_work import SYSTEM, Actor
from tests.app._core_support import audit_entries, cheap_hashing, count_rows, row  # noqa: F401

pytestmark = pytest.mark.usefixtures("cheap_hashing")


def _add_room(db, actor=SYSTEM, name="301", **kwargs) -> uuid.UUID:
    with db.unit(actor, **kwargs) as session:
        room = Room(name=name, section="general")
        session.add(room)
        session.flush()
        return room.id


def test_new_records_get_sync_columns(db, admin):
    before = utcnow()
    room_id = _add_room(db, admin)
    after = utcnow()
    room = row(db, Room, room_id)
    assert isinstance(room.id, uuid.UUID) and room.id.version == 4
    for moment in (room.created_at, room.updated_at):
        assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
        # SQLite keeps microseconds, so the stored time lies within the call
        assert before <= moment <= after
    assert room.created_at == room.updated_at
    assert room.updated_by_device == db.device_id
    assert room.row_version == 1
    assert room.deleted_at is None


def test_ids_are_unique(db):
    ids = {_add_room(db, name=str(n)) for n in range(5)}
    assert len(ids) == 5


def test_update_increments_row_version_and_audits_the_change(db, admin):
    room_id = _add_room(db, admin)
    created = row(db, Room, room_id)
    with db.unit(admin) as session:
        session.get(Room, room_id).floor = "3rd"
    with db.unit(admin) as session:
        session.get(Room, room_id).floor = "2nd"
    room = row(db, Room, room_id)
    assert room.row_version == 3
    assert room.created_at == created.created_at
    assert room.updated_at >= created.updated_at
    updates = audit_entries(db, action="update", entity="room", entity_id=room_id)
    assert [e.changes for e in updates] == [{"floor": [None, "3rd"]}, {"floor": ["3rd", "2nd"]}]
    assert {e.staff_id for e in updates} == {admin.staff_id}
    assert {e.device_id for e in updates} == {db.device_id}


def test_setting_a_value_to_itself_is_no_change(db, admin):
    room_id = _add_room(db, admin)
    before = count_rows(db, AuditEntry)
    with db.unit(admin) as session:
        session.get(Room, room_id).name = "301"
    assert row(db, Room, room_id).row_version == 1
    assert count_rows(db, AuditEntry) == before


def test_create_is_audited_with_the_actor(db, admin):
    room_id = _add_room(db, admin)
    entries = audit_entries(db, entity="room", entity_id=room_id)
    assert [(e.action, e.staff_id) for e in entries] == [("create", admin.staff_id)]
    assert entries[0].changes["name"] == [None, "301"]
    assert entries[0].at.tzinfo is not None


def test_system_actor_is_audited_without_a_staff_id(db):
    room_id = _add_room(db, SYSTEM)
    assert [e.staff_id for e in audit_entries(db, entity_id=room_id)] == [None]


def test_unit_without_audit_writes_no_entries(db):
    before = count_rows(db, AuditEntry)
    room_id = _add_room(db, SYSTEM, audit=False)
    assert row(db, Room, room_id).row_version == 1
    assert count_rows(db, AuditEntry) == before


def test_hard_delete_of_a_synced_record_raises(db, admin):
    room_id = _add_room(db, admin)
    with pytest.raises(RuntimeError, match="soft-delete"), db.unit(admin) as session:
        session.delete(session.get(Room, room_id))
    assert row(db, Room, room_id) is not None


def test_soft_delete_is_audited_as_delete(db, admin):
    room_id = _add_room(db, admin)
    with db.unit(admin) as session:
        session.get(Room, room_id).deleted_at = utcnow()
    entries = audit_entries(db, entity="room", entity_id=room_id)
    assert [e.action for e in entries] == ["create", "delete"]
    assert set(entries[-1].changes) == {"deleted_at"}
    assert row(db, Room, room_id).row_version == 2


@pytest.mark.parametrize("opener", ["sessions", "read"])
def test_writing_outside_a_unit_of_work_raises(db, opener):
    before = count_rows(db, Room, AuditEntry)
    session_cm = db.sessions() if opener == "sessions" else db.read()
    with session_cm as session:
        session.add(Room(name="999", section="general"))
        with pytest.raises(RuntimeError, match="Database.unit"):
            session.flush()
        session.rollback()
    assert count_rows(db, Room, AuditEntry) == before


def test_unit_rolls_back_on_error(db, admin):
    before = count_rows(db, Room, AuditEntry)
    with pytest.raises(ZeroDivisionError), db.unit(admin) as session:
        session.add(Room(name="999", section="general"))
        session.flush()
        1 / 0  # noqa: B018
    assert count_rows(db, Room, AuditEntry) == before


def test_naive_datetimes_are_refused(db):
    room_id = _add_room(db)
    with pytest.raises(StatementError) as caught, db.unit(SYSTEM) as session:
        session.get(Room, room_id).deleted_at = datetime(2026, 11, 1, 12, 0)
    assert isinstance(caught.value.orig, ValueError)


def test_aware_datetimes_are_stored_as_utc(db):
    room_id = _add_room(db)
    local = datetime(2026, 7, 1, 14, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with db.unit(SYSTEM) as session:
        session.get(Room, room_id).deleted_at = local
    stored = row(db, Room, room_id).deleted_at
    assert stored == datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    assert stored.tzinfo == UTC


def test_device_id_is_stable_across_reopening(db, db_path, tmp_path):
    device = db.device_id
    assert isinstance(device, uuid.UUID)
    db.close()
    again = open_database(db_path)
    try:
        assert again.device_id == device
    finally:
        again.close()
    other = open_database(tmp_path / "other.db")
    try:
        assert other.device_id != device
    finally:
        other.close()


def test_sqlite_pragmas(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar().lower() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() > 0
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_foreign_keys_are_enforced(db):
    with pytest.raises(IntegrityError), db.unit(SYSTEM) as session:
        session.add(Bed(room_id=uuid.uuid4(), label="X"))


def test_database_refuses_two_open_assignments_of_one_bed(db, people, beds):
    from app.services.residents import register_arrival
    from tests.conftest import resident_input

    first = register_arrival(db, people.coordinator, resident_input(), beds[0].id,
                             today=date(2026, 11, 20))
    second = register_arrival(db, people.coordinator, resident_input(person_id="2"), beds[1].id,
                              today=date(2026, 11, 20))
    with pytest.raises(IntegrityError), db.unit(SYSTEM) as session:
        session.add(BedAssignment(resident_id=second.id, bed_id=first.bed_id,
                                  started_on=date(2026, 11, 2)))


def test_actor_is_the_system_by_default(db):
    assert SYSTEM.is_system
    assert not Actor(staff_id=uuid.uuid4(), username="x").is_system
    room_id = _add_room(db)
    with db.read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity_id == room_id))
    assert entry.staff_id is None and entry.device_id == db.device_id
