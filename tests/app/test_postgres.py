"""The same models, migrations, services and queries on PostgreSQL (the head office database).

Every test gets a fresh database on a real throwaway PostgreSQL server (``pg_url``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from app.db import HEAD_REVISION, Database, current_revision, open_database, upgrade_to_head
from app.formatting import local_today, utcnow
from app.models import (
    AuditEntry,
    Base,
    BedAssignment,
    ContactAssignment,
    Draft,
    Resident,
    Staff,
    UTCDateTime,
)
from app.queries import due
from app.queries import residents as resident_queries
from app.queries.residents import ResidentFilter
from app.services import audit, auth, centre, residents, rooms, staff
from app.services.residents import ResidentInput
from app.unit_of_work import Actor

PASSWORD = "password-123"
ARABIC_NAME = "محمد العلي"
DANISH_NAME = "Bjørn Ærø Ågesen"


# --- fixtures -------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at production cost takes ~0.15 s a hash; these tests are about the database."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                        parallelism=1))


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.close()


@pytest.fixture
def pg_leader(pg_db: Database) -> Actor:
    """A centre leader (may do everything) of a freshly initialised centre."""
    centre.initialise_centre(pg_db, centre_name="Børnecenter Østerå", centre_code="OESTERAA",
                             admin_username="admin", admin_full_name="Åse Ødegård",
                             admin_password=PASSWORD)
    admin = auth.login(pg_db, "admin", PASSWORD)
    staff.create_staff(pg_db, admin, username="leder", full_name="Lærke Leder",
                       password=PASSWORD, roles=["centre_leader"])
    return auth.login(pg_db, "leder", PASSWORD)


def arrival(person_id: str, *, given: str = "Mohammed", family: str = "Al-Ali",
            own_script: str | None = ARABIC_NAME, arrived: date | None = None,
            born: date | None = None, nationality: str = "Syrien",
            representative: str | None = DANISH_NAME) -> ResidentInput:
    arrived = arrived or local_today() - timedelta(days=10)
    return ResidentInput(
        person_id=person_id, given_names=given, family_name=family,
        date_of_birth=born or date(arrived.year - 15, 3, 14), sex="male",
        nationality=nationality, arrival_date=arrived, name_in_own_script=own_script,
        languages=("Arabisk", "Dansk"), representative_name=representative,
        representative_phone="+45 12 34 56 78" if representative else None,
        representative_email="bjoern@example.dk" if representative else None)


def _column_types(db: Database, table: str) -> dict[str, str]:
    with db.engine.connect() as conn:
        return dict(conn.execute(text(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name = :table"), {"table": table}).all())


# --- schema ---------------------------------------------------------------------------

def test_migrations_run_on_postgres_to_head(pg_url: str) -> None:
    db = open_database(pg_url)
    try:
        assert db.engine.dialect.name == "postgresql"
        assert not db.is_sqlite and db.path is None
        assert current_revision(db) == HEAD_REVISION
        with db.engine.connect() as conn:
            tables = set(conn.scalars(text(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")))
            encoding = conn.scalar(text("SELECT pg_encoding_to_char(encoding) FROM pg_database "
                                        "WHERE datname = current_database()"))
        assert tables == {*Base.metadata.tables, "alembic_version"}
        assert encoding == "UTF8"
        # Opening again is a no-op: nothing to upgrade, no SQLite backup attempted.
        assert upgrade_to_head(db) is None
    finally:
        db.close()
    reopened = open_database(pg_url)
    try:
        assert current_revision(reopened) == HEAD_REVISION
    finally:
        reopened.close()


def test_empty_postgres_database_has_no_revision(pg_url: str) -> None:
    db = open_database(pg_url, upgrade=False)
    try:
        assert current_revision(db) is None
    finally:
        db.close()


def test_migrated_postgres_schema_matches_the_models(pg_db: Database) -> None:
    with pg_db.engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True,
                                                   "compare_server_default": True}),
            Base.metadata)
    assert differences == []


def test_postgres_column_types_are_native(pg_db: Database) -> None:
    assert _column_types(pg_db, "resident")["id"] == "uuid"
    for table in Base.metadata.sorted_tables:
        actual = _column_types(pg_db, table.name)
        for column in table.columns:
            type_name = type(column.type).__name__
            if type_name == "Uuid":
                assert actual[column.name] == "uuid", (table.name, column.name)
            elif isinstance(column.type, UTCDateTime):
                assert actual[column.name] == "timestamp with time zone", (table.name, column.name)
            elif type_name == "JSON":
                assert actual[column.name] == "json", (table.name, column.name)
            elif type_name == "Boolean":
                assert actual[column.name] == "boolean", (table.name, column.name)


def test_partial_unique_indexes_exist_on_postgres(pg_db: Database) -> None:
    with pg_db.engine.connect() as conn:
        definitions = dict(conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'")).all())
    open_rows = "WHERE ((ended_on IS NULL) AND (deleted_at IS NULL))"
    expected = {
        "uq_bed_assignment_open_bed": ("(bed_id)", open_rows),
        "uq_contact_assignment_open": ("(resident_id, kind)", open_rows),
        "uq_resident_current_person_id": (
            "(person_id)", "WHERE ((moved_out_on IS NULL) AND (deleted_at IS NULL))"),
    }
    for name, (columns, where) in expected.items():
        definition = definitions[name]
        assert definition.startswith(f"CREATE UNIQUE INDEX {name} ON public.")
        assert columns in definition and definition.endswith(where), definition
    assert definitions["ix_staff_username"].startswith("CREATE UNIQUE INDEX")


def _unique_violation(excinfo: pytest.ExceptionInfo[IntegrityError]) -> str:
    import psycopg.errors

    assert isinstance(excinfo.value.orig, psycopg.errors.UniqueViolation)
    return excinfo.value.orig.diag.constraint_name or ""


def _audit_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_partial_unique_indexes_are_enforced_on_postgres(pg_db: Database, pg_leader: Actor) -> None:
    bed_a, bed_b = rooms.create_room(pg_db, pg_leader, "101", ["A", "B"])
    first = residents.register_arrival(pg_db, pg_leader, arrival("11111-1"), bed_a.id)
    second = residents.register_arrival(pg_db, pg_leader, arrival("22222-2", given="Omar"),
                                        bed_b.id)
    today = local_today()

    # Two open assignments for one bed: refused by the database itself.
    audited = _audit_count(pg_db)
    with pytest.raises(IntegrityError) as excinfo, pg_db.unit(pg_leader) as session:
        session.add(BedAssignment(resident_id=second.id, bed_id=bed_a.id, started_on=today))
    assert _unique_violation(excinfo) == "uq_bed_assignment_open_bed"
    assert _audit_count(pg_db) == audited  # the audit entry was rolled back with it

    # Ended and soft-deleted assignments of the same bed are outside the index.
    with pg_db.unit(pg_leader) as session:
        session.add(BedAssignment(resident_id=second.id, bed_id=bed_a.id, started_on=today,
                                  ended_on=today, end_reason="room_change"))
        session.add(BedAssignment(resident_id=second.id, bed_id=bed_a.id, started_on=today,
                                  deleted_at=utcnow()))

    # One open primary contact per resident.
    with pytest.raises(IntegrityError) as excinfo, pg_db.unit(pg_leader) as session:
        for _ in range(2):
            session.add(ContactAssignment(resident_id=first.id, staff_id=pg_leader.staff_id,
                                          kind="primary", started_on=today))
    assert _unique_violation(excinfo) == "uq_contact_assignment_open"

    # A person ID is unique among current residents ...
    with pytest.raises(IntegrityError) as excinfo, pg_db.unit(pg_leader) as session:
        data = arrival("11111-1", given="Dublet")
        session.add(Resident(**{k: getattr(data, k) for k in (
            "person_id", "given_names", "family_name", "date_of_birth", "sex",
            "nationality", "arrival_date")}, languages=[]))
    assert _unique_violation(excinfo) == "uq_resident_current_person_id"

    # ... but a former resident who comes back gets a new stay with the same person ID.
    residents.move_out(pg_db, pg_leader, first.id, on=today, reason="departed")
    again = residents.register_arrival(pg_db, pg_leader, arrival("11111-1", arrived=today),
                                       bed_a.id)
    assert again.id != first.id
    with pg_db.read() as session:
        stays = session.scalars(select(Resident.moved_out_on)
                                .where(Resident.person_id == "11111-1")).all()
    assert sorted(stays, key=lambda d: d is None) == [today, None]


# --- use cases ------------------------------------------------------------------------

def test_core_use_cases_on_postgres(pg_db: Database) -> None:
    view = centre.initialise_centre(
        pg_db, centre_name="Børnecenter Østerå", centre_code="oesteraa",
        admin_username="admin", admin_full_name="Åse Ødegård", admin_password=PASSWORD)
    assert isinstance(view.id, uuid.UUID)
    assert centre.get_centre(pg_db).name == "Børnecenter Østerå"
    assert centre.get_centre(pg_db).code == "OESTERAA"

    admin = auth.login(pg_db, "ADMIN", PASSWORD)  # user names are case-insensitive
    assert admin.full_name == "Åse Ødegård" and not admin.is_system
    staff.create_staff(pg_db, admin, username="sofie", full_name="Sofie Koordinator",
                       password=PASSWORD, roles=["social_coordinator"])
    coordinator = auth.login(pg_db, "sofie", PASSWORD)
    beds = rooms.create_room(pg_db, admin, "101", ["A", "B"])
    beds += rooms.create_room(pg_db, admin, "102", ["Ø"], section="street_oriented")
    assert [b.display for b in beds] == ["101 / A", "101 / B", "102 / Ø"]

    arrived = local_today() - timedelta(days=10)
    detail = residents.register_arrival(pg_db, coordinator, arrival("12345-6", arrived=arrived),
                                        beds[0].id)
    assert detail.data.name_in_own_script == ARABIC_NAME
    assert detail.data.representative_name == DANISH_NAME
    assert detail.data.languages == ("Arabisk", "Dansk")
    assert (detail.room_name, detail.bed_label, detail.status) == ("101", "A", "in_residence")

    corrected = ResidentInput(**{**arrival("12345-6", arrived=arrived).__dict__,
                                 "given_names": "Mohamed", "name_in_own_script": "محمد علي",
                                 "family_name": "Al-Ali Ærø"})
    detail = residents.update_resident(pg_db, coordinator, detail.id, corrected)
    assert (detail.data.given_names, detail.data.family_name) == ("Mohamed", "Al-Ali Ærø")

    detail = residents.change_bed(pg_db, coordinator, detail.id, beds[2].id, on=local_today())
    assert (detail.room_name, detail.bed_label) == ("102", "Ø")
    free = {b.display for b in rooms.list_beds(pg_db, admin, free_only=True)}
    assert free == {"101 / A", "101 / B"}

    detail = residents.move_out(pg_db, coordinator, detail.id, on=local_today(), reason="departed",
                                note="Rejst til familie i Århus")
    assert detail.status == "departed" and detail.moved_out_on == local_today()
    assert detail.bed_id is None and detail.move_out_note == "Rejst til familie i Århus"
    assert len(rooms.list_beds(pg_db, admin, free_only=True)) == 3

    fetched = residents.get_resident(pg_db, admin, detail.id)
    assert fetched.data.name_in_own_script == "محمد علي"
    assert fetched.data.representative_name == DANISH_NAME
    assert [e.text for e in fetched.history][:3] == [
        "Arrived at the centre", "Moved in: room 101, bed A", "Moved to room 102, bed Ø"]
    with pg_db.read() as session:
        assignments = session.scalars(select(BedAssignment).where(
            BedAssignment.resident_id == detail.id).order_by(BedAssignment.started_on,
                                                            BedAssignment.created_at)).all()
    assert [(a.end_reason, a.ended_on) for a in assignments] == [
        ("room_change", local_today()), ("move_out", local_today())]
    assert all(a.row_version == 2 for a in assignments)

    # The audit trail: JSON changes, Unicode intact, password hashes redacted.
    with pg_db.read() as session:
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "resident", AuditEntry.entity_id == detail.id)).all()
        staff_creates = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "staff", AuditEntry.action == "create")).all()
        logins = session.scalars(select(AuditEntry.staff_id)
                                 .where(AuditEntry.action == "login")).all()
    assert sorted(e.action for e in entries) == ["create", "update", "update"]
    created = next(e for e in entries if e.action == "create")
    assert created.changes["name_in_own_script"] == [None, ARABIC_NAME]
    assert created.changes["representative_name"] == [None, DANISH_NAME]
    assert created.changes["languages"] == [None, ["Arabisk", "Dansk"]]
    assert created.changes["arrival_date"] == [None, arrived.isoformat()]
    assert created.staff_id == coordinator.staff_id and created.device_id == pg_db.device_id
    updates = [e.changes for e in entries if e.action == "update"]
    correction = next(c for c in updates if "given_names" in c)
    assert correction == {"given_names": ["Mohammed", "Mohamed"],
                          "family_name": ["Al-Ali", "Al-Ali Ærø"],
                          "name_in_own_script": [ARABIC_NAME, "محمد علي"]}
    moving_out = next(c for c in updates if "moved_out_on" in c)
    assert moving_out["status"] == ["in_residence", "departed"]
    assert moving_out["moved_out_on"] == [None, local_today().isoformat()]
    assert [e.changes["password_hash"] for e in staff_creates] == [[None, "***"]] * 2
    assert sorted(map(str, logins)) == sorted([str(admin.staff_id), str(coordinator.staff_id)])

    # Stored as real JSON that PostgreSQL itself can read (head office reports).
    with pg_db.engine.connect() as conn:
        own_script = conn.scalar(text(
            "SELECT changes -> 'name_in_own_script' ->> 1 FROM audit_entry "
            "WHERE entity = 'resident' AND action = 'create' AND entity_id = :id"),
            {"id": detail.id})
        kinds = set(conn.scalars(text("SELECT DISTINCT json_typeof(changes) FROM audit_entry")))
    assert own_script == ARABIC_NAME
    assert kinds == {"object"}

    total, rows = audit.browse(pg_db, admin, audit.AuditFilter(entity="resident",
                                                               entity_id=detail.id))
    assert total == 3 and all(row.at.tzinfo is UTC for row in rows)


# --- time -----------------------------------------------------------------------------

def test_utc_datetimes_round_trip_as_aware_utc(pg_db: Database, pg_leader: Actor) -> None:
    assert _column_types(pg_db, "draft")["saved_at"] == "timestamp with time zone"
    copenhagen = datetime(2026, 7, 1, 14, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Copenhagen"))
    with pg_db.unit(pg_leader) as session:
        session.add(Draft(staff_id=pg_leader.staff_id, form_key="resident:new",
                          payload={"given_names": "Søren", "own": ARABIC_NAME},
                          saved_at=copenhagen))

    # A session in another time zone than the server's must not shift anything.
    tokyo = Database(pg_db.url + "?options=-c%20TimeZone%3DAsia/Tokyo")
    try:
        with tokyo.engine.connect() as conn:
            assert conn.scalar(text("SHOW TimeZone")) == "Asia/Tokyo"
        for db in (pg_db, tokyo):
            with db.read() as session:
                draft = session.get(Draft, (pg_leader.staff_id, "resident:new"))
                staff_row = session.get(Staff, pg_leader.staff_id)
            assert draft is not None and staff_row is not None
            assert draft.saved_at == datetime(2026, 7, 1, 12, 30, 15, 123456, tzinfo=UTC)
            assert draft.saved_at.tzinfo is UTC
            assert draft.payload == {"given_names": "Søren", "own": ARABIC_NAME}
            for moment in (staff_row.created_at, staff_row.updated_at, staff_row.last_login_at):
                assert moment is not None and moment.tzinfo is UTC
                assert abs(utcnow() - moment) < timedelta(minutes=5)
        with tokyo.engine.connect() as conn:
            stored = conn.scalar(text("SELECT saved_at AT TIME ZONE 'UTC' FROM draft"))
        assert stored == datetime(2026, 7, 1, 12, 30, 15, 123456)
        # Comparisons with aware parameters happen in absolute time.
        with tokyo.read() as session:
            found = session.scalars(select(Draft.form_key).where(
                Draft.saved_at >= datetime(2026, 7, 1, 21, 30, 15, tzinfo=ZoneInfo("Asia/Tokyo")),
                Draft.saved_at < datetime(2026, 7, 1, 12, 30, 16, tzinfo=UTC))).all()
        assert found == ["resident:new"]
    finally:
        tokyo.close()


def test_uuid_columns_are_native_on_postgres(pg_db: Database, pg_leader: Actor) -> None:
    bed = rooms.create_room(pg_db, pg_leader, "7", ["1"])[0]
    detail = residents.register_arrival(pg_db, pg_leader, arrival("33333-3"), bed.id)
    types = _column_types(pg_db, "resident")
    assert types["id"] == "uuid" and types["updated_by_device"] == "uuid"
    assert _column_types(pg_db, "bed_assignment")["resident_id"] == "uuid"
    with pg_db.engine.connect() as conn:
        raw = conn.scalar(text("SELECT id FROM resident WHERE id = CAST(:id AS uuid)"),
                          {"id": str(detail.id)})
        device = conn.scalar(text("SELECT updated_by_device FROM resident"))
    assert raw == detail.id and isinstance(raw, uuid.UUID)
    assert device == pg_db.device_id
    with pg_db.read() as session:
        resident = session.get(Resident, detail.id)
    assert resident is not None and isinstance(resident.id, uuid.UUID)


# --- queries --------------------------------------------------------------------------

@dataclass
class Register:
    admin: Actor
    contact: uuid.UUID
    ahmad: uuid.UUID
    soeren: uuid.UUID
    fatima: uuid.UUID
    turning_adult: uuid.UUID
    adult_birthday: date


def _born_18_years_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        return date(day.year - 18, 2, 28)


@pytest.fixture
def register(pg_db: Database, pg_leader: Actor) -> Register:
    contact = staff.create_staff(pg_db, pg_leader, username="karen", full_name="Karen Kontakt",
                                 password=PASSWORD, roles=["contact_person"])
    beds = (rooms.create_room(pg_db, pg_leader, "101", ["A", "B"])
            + rooms.create_room(pg_db, pg_leader, "102", ["A", "B"]))
    today = local_today()
    ahmad = residents.register_arrival(
        pg_db, pg_leader, arrival("AF-1001", given="Ahmad", family="Karimi",
                                 own_script="احمد کریمی", nationality="Afghanistan"),
        beds[0].id, primary_contact_id=contact.id)
    soeren = residents.register_arrival(
        pg_db, pg_leader, arrival("DK-2002", given="Søren", family="ØSTERGÅRD", own_script=None,
                                 nationality="Danmark", representative=None), beds[2].id)
    fatima = residents.register_arrival(
        pg_db, pg_leader, arrival("ER-3003", given="Fatima", family="Al-Zahra",
                                 own_script="فاطمة الزهراء", nationality="Eritrea"), beds[3].id)
    residents.move_out(pg_db, pg_leader, fatima.id, on=today, reason="integration_municipality")
    born = _born_18_years_before(today + timedelta(days=30))
    adult = residents.register_arrival(
        pg_db, pg_leader, arrival("SO-4004", given="Yusuf", family="Warsame", own_script=None,
                                 nationality="Somalia", arrived=today - timedelta(days=100),
                                 born=born), beds[1].id)
    return Register(pg_leader, contact.id, ahmad.id, soeren.id, fatima.id, adult.id,
                    due._birthday(born, born.year + 18))


def test_resident_list_queries_on_postgres(pg_db: Database, register: Register) -> None:
    def ids(flt: ResidentFilter, **kwargs: object) -> list[uuid.UUID]:
        with pg_db.read() as session:
            rows = resident_queries.page(session, flt, **kwargs)  # type: ignore[arg-type]
            assert resident_queries.count(session, flt) == len(rows)
        return [row.id for row in rows]

    r = register
    assert ids(ResidentFilter(), sort="name") == [r.ahmad, r.turning_adult, r.soeren]
    assert ids(ResidentFilter(), sort="name", descending=True) == [r.soeren, r.turning_adult,
                                                                    r.ahmad]
    assert ids(ResidentFilter(), sort="room") == [r.ahmad, r.turning_adult, r.soeren]
    assert set(ids(ResidentFilter(include_former=True))) == {r.ahmad, r.soeren, r.fatima,
                                                            r.turning_adult}
    # Case-insensitive through lower(), beyond ASCII on PostgreSQL.
    assert ids(ResidentFilter("østergård")) == [r.soeren]
    assert ids(ResidentFilter("ØSTERGÅRD")) == [r.soeren]
    assert ids(ResidentFilter("SØR øst")) == [r.soeren]
    assert ids(ResidentFilter("KARIMI")) == [r.ahmad]
    assert ids(ResidentFilter("af-10")) == [r.ahmad]
    assert ids(ResidentFilter("afghan")) == [r.ahmad]
    assert ids(ResidentFilter("102")) == [r.soeren]
    # Arabic script matches, and a former resident only with include_former.
    assert ids(ResidentFilter("کریمی")) == [r.ahmad]
    assert ids(ResidentFilter("الزهراء")) == []
    assert ids(ResidentFilter("الزهراء", include_former=True)) == [r.fatima]
    # LIKE wildcards typed by the user are literal.
    assert ids(ResidentFilter("%")) == []
    assert ids(ResidentFilter("_")) == []
    assert ids(ResidentFilter(contact_person_id=r.contact)) == [r.ahmad]

    with pg_db.read() as session:
        rows = resident_queries.page(session, ResidentFilter("احمد"))
        assert resident_queries.page(session, ResidentFilter(), offset=1, limit=1)[0].id == \
            r.turning_adult
    assert len(rows) == 1
    row = rows[0]
    assert (row.room_name, row.bed_label, row.primary_contact) == ("101", "A", "Karen Kontakt")
    assert row.name_in_own_script == "احمد کریمی" and row.display_name == "Ahmad Karimi"


def test_due_duties_on_postgres(pg_db: Database, register: Register) -> None:
    r = register
    with pg_db.read() as session:
        duties = due.due_duties(session, utcnow())
    by_resident: dict[uuid.UUID | None, set[str]] = {}
    # Today's attendance rounds depend on the hour this runs; they are tested with the rounds.
    duties = [duty for duty in duties if not duty.kind.startswith("round_")]
    for duty in duties:
        by_resident.setdefault(duty.resident_id, set()).add(duty.kind)
        assert duty.due_at is not None and duty.due_at.tzinfo is not None
    assert by_resident == {
        r.ahmad: {"assign_secondary_contact"},
        r.soeren: {"assign_primary_contact", "assign_secondary_contact",
                   "register_representative"},
        r.turning_adult: {"assign_primary_contact", "assign_secondary_contact", "turns_adult"},
    }
    severities = [due.SEVERITIES.index(d.severity) for d in duties]
    assert severities == sorted(severities)
    adult = next(d for d in duties if d.kind == "turns_adult")
    assert adult.severity == "upcoming"
    assert adult.params["date"] == r.adult_birthday
    assert adult.due_at is not None and adult.due_at.date() == r.adult_birthday
    assert "Yusuf Warsame turns 18" in adult.title
