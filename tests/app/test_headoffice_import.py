"""Head office: trusting installations, importing sync files into PostgreSQL (a real server
on loopback, ``postgres_server``/``pg_url``) and SQLite, gaps, receipts, conflicts and the
supervision overview (app.sync.headoffice)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app import demo
from app.db import Database, open_database, set_local_setting
from app.models import Leave, LostItem, Resident, Room, SyncChange
from app.models.residents import STATUS_IN_RESIDENCE
from app.services.incidents import outstanding_reports
from app.services.leave import cancel_leave
from app.services.lost_property import due_items
from app.services.missing import open_case_summaries
from app.sync import SyncError, SyncFormatError, centre
from app.sync import headoffice as ho_api
from app.sync.envelope import open_sync_file, write_sync_file
from app.sync.headoffice import (
    ALREADY_IMPORTED,
    IMPORTED,
    REJECTED,
    HeadOffice,
    import_file,
    list_conflicts,
    make_receipt,
    missing_ranges,
    open_headoffice,
    trust_device,
)
from app.sync.keys import DeviceKey, HeadOfficeKeys, export_device_public
from app.sync.payload import (
    SCHEMA_PATH,
    SCHEMA_VERSION,
    exported_columns,
    payload_chunks,
    synced_tables,
)
from app.unit_of_work import Actor

NOW = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[2]
LEADER = Actor(staff_id=None, username="leader", full_name="Lene Leder",
               roles=frozenset({"centre_leader"}))
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


# -- fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def _device_secret() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CENTREDESK_DEVICE_SECRET", "test-device-secret")
        yield


@pytest.fixture(scope="module")
def keys() -> HeadOfficeKeys:
    return HeadOfficeKeys.generate()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, keys: HeadOfficeKeys,
             _device_secret: None) -> Path:
    """A small demo centre (8 places, a year) that knows head office's key; tests work on
    copies of it."""
    path = tmp_path_factory.mktemp("template") / "centre.db"
    steps = list(demo.generate(path, places=8, years=1, seed=3, now=NOW))
    assert isinstance(steps[-1], demo.DemoResult)
    db = open_database(path)
    centre.set_recipient(db, keys.public_file_text())
    centre.device_key(db)  # made once: every copy is the same installation
    db.close()
    return path


def _copy_sqlite(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


@dataclass
class Centre:
    db: Database
    folder: Path
    exports: int = 0

    def export(self, since: int | None = None) -> centre.ExportResult:
        self.exports += 1
        out = self.folder / f"export-{self.exports}"
        out.mkdir()
        result = centre.export_changes(self.db, out, since_seq=since)
        assert result is not None
        return result

    def device_text(self) -> str:
        return centre.device_public_text(self.db)

    def last_seq(self) -> int:
        with self.db.read() as session:
            return session.scalar(select(func.max(SyncChange.seq))) or 0


def copy_centre(template: Path, folder: Path, *, new_device: bool = False) -> Centre:
    """A copy of the template centre: the same installation, or (``new_device``) a second
    installation made from a copy of the database, with its own device id and key."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "centre.db"
    _copy_sqlite(template, path)
    if not new_device:
        shutil.copy(template.with_name(template.name + ".device-key"),
                    path.with_name(path.name + ".device-key"))
    db = open_database(path)
    if new_device:
        set_local_setting(db, "device_id", str(uuid.uuid4()))
        db.close()
        db = open_database(path)
    return Centre(db=db, folder=folder)


@pytest.fixture
def work(template: Path, tmp_path: Path) -> Iterator[Centre]:
    copy = copy_centre(template, tmp_path / "centre")
    yield copy
    copy.db.close()


@pytest.fixture(scope="module")
def base(template: Path, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[tuple[Centre, Path]]:
    """A copy that is never changed, and its first sync file (every change)."""
    copy = copy_centre(template, tmp_path_factory.mktemp("base"))
    result = copy.export()
    assert result.first_seq == 1 and result.change_count > 5000
    yield copy, result.path
    copy.db.close()


def _open(url: str, *devices: Centre) -> HeadOffice:
    ho = open_headoffice(url)
    for device in devices:
        trust_device(ho, device.device_text())
    return ho


@pytest.fixture
def ho_pg(pg_url: str, base: tuple[Centre, Path]) -> Iterator[HeadOffice]:
    ho = _open(pg_url, base[0])
    yield ho
    ho.close()


@pytest.fixture(params=["postgresql", "sqlite"])
def any_ho(request: pytest.FixtureRequest, tmp_path: Path, base: tuple[Centre, Path]
           ) -> Iterator[HeadOffice]:
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = str(tmp_path / "headoffice.db")
    ho = _open(url, base[0])
    yield ho
    ho.close()


_database_numbers = iter(range(1, 10_000))


def second_pg(postgres_server: Any) -> str:
    return postgres_server.create_database(f"centredesk_ho_extra_{next(_database_numbers)}")


# -- comparing ---------------------------------------------------------------------------

def centre_state(db: Database) -> dict[str, dict[uuid.UUID, tuple]]:
    """Every synced row at the centre, exported columns only."""
    state = {}
    with db.engine.connect() as conn:
        for name, table in synced_tables().items():
            columns = exported_columns(table)
            state[name] = {row[0]: tuple(row) for row in conn.execute(
                select(*(table.c[c] for c in ["id", *[c for c in columns if c != "id"]])))}
    return state


def mirror_state(ho: HeadOffice, *, bookkeeping: bool = False
                 ) -> dict[str, dict[uuid.UUID, tuple]]:
    """Every mirror row, in the same shape as ``centre_state`` (plus the sync columns)."""
    state = {}
    with ho.engine.connect() as conn:
        for name, table in synced_tables().items():
            mirror = ho.mirrors[name]
            columns = ["id", *[c for c in exported_columns(table) if c != "id"]]
            if bookkeeping:
                columns += list(ho_api.SYNC_COLUMNS)
            state[name] = {row[0]: tuple(row) for row in conn.execute(
                select(*(mirror.c[c] for c in columns)))}
    return state


def everything(ho: HeadOffice) -> dict[str, Any]:
    """The whole head office database, to show that nothing changed (on PostgreSQL a
    digest of each table's rows in id order, else the rows themselves)."""
    tables = [*ho.mirrors.values(), ho.file, ho.device, ho.conflict, ho.lineage]
    with ho.engine.connect() as conn:
        if ho.is_postgresql:
            return {t.name: conn.scalar(text(
                f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' "
                f"ORDER BY t::text)), '') FROM {t.name} t")) for t in tables}
        return {t.name: sorted(tuple(str(v) for v in row) for row in conn.execute(select(t)))
                for t in tables}


def assert_same_state(expected: dict, actual: dict) -> None:
    assert expected.keys() == actual.keys()
    for name, rows in expected.items():
        assert rows.keys() == actual[name].keys(), name
        for row_id, row in rows.items():
            assert actual[name][row_id] == row, (name, row_id)


def read_payload(path: Path, db: Database, keys: HeadOfficeKeys) -> dict[str, Any]:
    with open_sync_file(path, verify_key=centre.device_key(db).public_bytes(),
                        headoffice=keys) as sync:
        return json.loads(b"".join(sync))


def forge(path: Path, doc: dict[str, Any], db: Database, keys: HeadOfficeKeys, *,
          header: dict[str, Any] | None = None) -> Path:
    """A file signed with the centre's real device key holding ``doc`` as its payload;
    its header is the payload's meta unless ``header`` is given."""
    head = {"format_version": 1, **(header if header is not None else doc["meta"])}
    write_sync_file(path, head, payload_chunks(doc["meta"], doc["changes"]),
                    recipient=keys.public(), device_key=centre.device_key(db))
    return path


def edit_resident(db: Database, given_names: str) -> uuid.UUID:
    """Change the first current resident's given names; returns the resident id."""
    with db.unit() as session:
        resident = session.scalars(select(Resident).where(
            Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None))
            .order_by(Resident.person_id)).first()
        resident.given_names = given_names
        return resident.id


# -- round trip --------------------------------------------------------------------------

def test_import_mirrors_every_synced_table(any_ho: HeadOffice, base: tuple[Centre, Path],
                                           keys: HeadOfficeKeys) -> None:
    centre_copy, path = base
    result = import_file(any_ho, keys, path, batch_bytes=1 << 20)
    assert result.status == IMPORTED, result.reason
    assert result.ok and result.applied == result.change_count and result.ignored == 0
    assert result.conflicts == 0 and result.missing == ()
    expected = centre_state(centre_copy.db)
    assert sum(len(rows) for rows in expected.values()) == result.change_count
    assert {name for name, rows in expected.items() if rows} >= {
        "resident", "attendance_mark", "incident", "incident_report", "lost_item", "visit",
        "missing_case", "staff", "centre", "audit_entry"}
    assert_same_state(expected, mirror_state(any_ho))
    # every mirror row says where it came from
    with any_ho.engine.connect() as conn:
        resident = any_ho.mirrors["resident"]
        row = conn.execute(select(resident).limit(1)).first()
        assert row.sync_centre == "SANDHOLM" and row.sync_device == centre_copy.db.device_id
        assert row.sync_file == result.file_id and 1 <= row.sync_seq <= result.last_seq
        assert "password_hash" not in any_ho.mirrors["staff"].c

    before = everything(any_ho)
    again = import_file(any_ho, keys, path)
    assert again.status == ALREADY_IMPORTED and again.ok
    assert "already imported" in again.describe()
    assert everything(any_ho) == before


def test_open_is_idempotent_and_refuses_a_newer_database(tmp_path: Path) -> None:
    path = tmp_path / "ho.db"
    open_headoffice(path).close()
    with sqlite3.connect(path) as conn:        # a column the mirror lost comes back
        conn.execute("ALTER TABLE room DROP COLUMN floor")
    ho = open_headoffice(path)
    with ho.engine.connect() as conn:
        assert "floor" in {c[1] for c in conn.execute(text("PRAGMA table_info(room)"))}
        conn.execute(ho.meta.update().values(value=str(SCHEMA_VERSION + 1)))
        conn.commit()
    ho.close()
    with pytest.raises(SyncError, match="newer Centre Desk"):
        open_headoffice(path)


def test_mirror_columns_are_nullable_without_foreign_keys(ho_pg: HeadOffice) -> None:
    for name, table in ho_pg.mirrors.items():
        assert not table.foreign_keys, name
        assert [c.name for c in table.columns if not c.nullable] == ["id"], name
        assert set(ho_api.SYNC_COLUMNS) <= set(table.c.keys())
    with ho_pg.engine.connect() as conn:
        foreign = conn.scalar(text("SELECT count(*) FROM information_schema.table_constraints "
                                   "WHERE constraint_type = 'FOREIGN KEY'"))
    assert foreign == 0


def test_later_edit_and_soft_delete_arrive_and_win(work: Centre, postgres_server: Any,
                                                   keys: HeadOfficeKeys) -> None:
    first = work.export()
    resident_id = edit_resident(work.db, "Edited After Export")
    with work.db.read() as session:
        leave_id = session.scalars(select(Leave.id).where(Leave.deleted_at.is_(None))).first()
    cancel_leave(work.db, LEADER, leave_id)
    resent = work.export()                      # not acknowledged: re-sends from 1
    assert resent.first_seq == 1 and resent.last_seq > first.last_seq
    forward = _open(second_pg(postgres_server), work)
    backward = _open(second_pg(postgres_server), work)
    try:
        for path in (first.path, resent.path):
            assert import_file(forward, keys, path).status == IMPORTED
        for path in (resent.path, first.path):
            result = import_file(backward, keys, path)
            assert result.status == IMPORTED
        assert result.ignored == result.change_count and result.applied == 0
        expected = centre_state(work.db)
        assert_same_state(expected, mirror_state(forward))
        assert_same_state(expected, mirror_state(backward))
        with forward.engine.connect() as conn:
            mirror = forward.mirrors["resident"]
            row = conn.execute(select(mirror).where(mirror.c.id == resident_id)).one()
            assert row.given_names == "Edited After Export" and row.row_version > 1
            leave = forward.mirrors["leave"]
            tomb = conn.execute(select(leave).where(leave.c.id == leave_id)).one()
            assert tomb.deleted_at is not None       # a tombstone, not a missing row
        assert list_conflicts(forward) == [] and list_conflicts(backward) == []
    finally:
        forward.close()
        backward.close()


def test_two_files_in_either_order_give_the_same_state(work: Centre, postgres_server: Any,
                                                       tmp_path: Path,
                                                       keys: HeadOfficeKeys) -> None:
    first = work.export()
    edit_resident(work.db, "Second File")
    second = work.export(since=first.last_seq)
    assert second.first_seq == first.last_seq + 1 and second.change_count >= 2
    states = []
    for url, order in ((second_pg(postgres_server), (first, second)),
                       (second_pg(postgres_server), (second, first)),
                       (str(tmp_path / "ho.db"), (second, first))):
        with _open(url, work) as ho:
            results = [import_file(ho, keys, r.path) for r in order]
            assert all(r.status == IMPORTED for r in results)
            states.append(mirror_state(ho))
            assert missing_ranges(ho) == {work.db.device_id: []}
    assert states[0] == states[1] == states[2]
    assert_same_state(centre_state(work.db), states[0])


# -- rejected files ----------------------------------------------------------------------

@pytest.fixture
def imported(ho_pg: HeadOffice, base: tuple[Centre, Path], keys: HeadOfficeKeys
             ) -> HeadOffice:
    assert import_file(ho_pg, keys, base[1]).status == IMPORTED
    return ho_pg


def _assert_rejected(ho: HeadOffice, keys: HeadOfficeKeys, path: Path, match: str,
                     **options: Any) -> None:
    before = everything(ho)
    result = import_file(ho, keys, path, **options)
    assert result.status == REJECTED and not result.ok, result.describe()
    assert match in result.reason, result.reason
    assert "\n" not in result.describe() and "rejected" in result.describe()
    assert everything(ho) == before


def test_damaged_files_are_rejected_whole(imported: HeadOffice, work: Centre, tmp_path: Path,
                                          keys: HeadOfficeKeys) -> None:
    edit_resident(work.db, "Never Arrives")
    good = work.export().path
    data = good.read_bytes()
    truncated = tmp_path / "truncated.cdsync"
    truncated.write_bytes(data[:len(data) // 2])
    _assert_rejected(imported, keys, truncated, "truncated")
    flipped = tmp_path / "flipped.cdsync"
    damaged = bytearray(data)
    damaged[len(damaged) // 2] ^= 0x10
    flipped.write_bytes(bytes(damaged))
    _assert_rejected(imported, keys, flipped, "signature is not valid")
    garbage = tmp_path / "garbage.cdsync"
    garbage.write_bytes(b"not a sync file at all")
    _assert_rejected(imported, keys, garbage, "not a Centre Desk sync file")
    _assert_rejected(imported, keys, tmp_path / "absent.cdsync", "cannot be read")
    # and the genuine file still imports afterwards
    assert import_file(imported, keys, good).status == IMPORTED


def test_a_file_for_another_head_office_key_is_rejected(imported: HeadOffice, work: Centre,
                                                        keys: HeadOfficeKeys) -> None:
    other = HeadOfficeKeys.generate()
    centre.set_recipient(work.db, other.public_file_text())
    path = work.export().path
    _assert_rejected(imported, keys, path, "not to this head office key")


def test_unknown_device_and_trust_on_first_import(imported: HeadOffice, template: Path,
                                                  tmp_path: Path, keys: HeadOfficeKeys,
                                                  base: tuple[Centre, Path]) -> None:
    second = copy_centre(template, tmp_path / "second", new_device=True)
    try:
        path = second.export().path
        _assert_rejected(imported, keys, path, "unknown device")
        _assert_rejected(imported, keys, path, "unknown device")
        assert "centredesk headoffice trust" in import_file(imported, keys, path).reason
        _assert_rejected(imported, keys, path, "--device-key", trust_on_first_import=True)
        # a key file of another installation is refused, and not trusted
        _assert_rejected(imported, keys, path, "the key file given is for",
                         trust_on_first_import=True, device_key_text=base[0].device_text())
        # a key with the right id that did not sign the file: refused, not trusted
        impostor = export_device_public(second.db.device_id, "SANDHOLM", DeviceKey.generate())
        _assert_rejected(imported, keys, path, "signed by device key",
                         trust_on_first_import=True, device_key_text=impostor)
        # without the flag a key file is not used
        _assert_rejected(imported, keys, path, "unknown device",
                         device_key_text=second.device_text())
        result = import_file(imported, keys, path, trust_on_first_import=True,
                             device_key_text=second.device_text())
        assert result.status == IMPORTED and result.newly_trusted
        assert second.db.device_id in {d.device_id for d in ho_api.list_devices(imported)}
    finally:
        second.db.close()


def test_trust_is_idempotent_and_never_replaces_a_key(ho_pg: HeadOffice,
                                                      base: tuple[Centre, Path]) -> None:
    db = base[0].db
    again = trust_device(ho_pg, base[0].device_text())
    assert not again.newly_trusted and again.device_id == db.device_id
    other_key = export_device_public(db.device_id, "SANDHOLM", DeviceKey.generate())
    with pytest.raises(SyncError, match="already trusted with another key"):
        trust_device(ho_pg, other_key)
    moved = export_device_public(db.device_id, "OTHER", centre.device_key(db))
    with pytest.raises(SyncError, match="trusted for centre SANDHOLM"):
        trust_device(ho_pg, moved)
    assert len(ho_api.list_devices(ho_pg)) == 1


def test_forged_payloads_are_rejected_whole(imported: HeadOffice, work: Centre,
                                            tmp_path: Path, keys: HeadOfficeKeys) -> None:
    resident_id = edit_resident(work.db, "Forged Edit")
    genuine = work.export()                                  # every change, from seq 1
    doc = read_payload(genuine.path, work.db, keys)
    meta = doc["meta"]
    counter = iter(range(100))

    def file(doc: dict[str, Any], **header: Any) -> Path:
        return forge(tmp_path / f"forged-{next(counter)}.cdsync", doc, work.db, keys,
                     header={**doc["meta"], **header} if header else None)

    _assert_rejected(imported, keys, file(doc, centre_code="OTHER"),
                     "trusted for centre SANDHOLM")
    _assert_rejected(imported, keys, file(doc, last_seq=meta["last_seq"] + 1),
                     "does not match the header (last_seq)")
    _assert_rejected(imported, keys, file(doc, created_at="2020-01-01T00:00:00+00:00"),
                     "does not match the header (created_at)")
    fewer = {**doc, "changes": doc["changes"][:-1]}
    _assert_rejected(imported, keys, file(fewer), "the header says")
    more = {**doc, "meta": {**meta, "change_count": meta["change_count"] - 1}}
    _assert_rejected(imported, keys, file(more), "more changes than the header")
    outside = json.loads(json.dumps(doc))
    outside["changes"][5]["seq"] = meta["last_seq"] + 10
    _assert_rejected(imported, keys, file(outside), "outside the file's range")
    disagree = json.loads(json.dumps(doc))
    disagree["changes"][7]["row_version"] += 1
    _assert_rejected(imported, keys, file(disagree), "does not agree with its row")
    newer = {**doc, "meta": {**meta, "schema_version": SCHEMA_VERSION + 1}}
    _assert_rejected(imported, keys, file(newer), "newer Centre Desk (schema")
    # invalid against the schema in the very last change: earlier batches, the edited
    # resident among them, were written before the error and are rolled back
    bad = json.loads(json.dumps(doc))
    assert bad["changes"][-1]["entity"] > "resident"
    bad["changes"][-1]["row"]["id"] = 42
    _assert_rejected(imported, keys, file(bad), "does not match the payload schema",
                     batch_bytes=50_000)
    unknown = json.loads(json.dumps(doc))
    unknown["changes"][0]["entity"] = "password_vault"
    _assert_rejected(imported, keys, file(unknown), "does not match the payload schema")
    extra = {"format": doc["format"], "format_version": 1, "meta": meta, "secret": 1,
             "changes": doc["changes"]}
    path = tmp_path / "extra.cdsync"
    chunks = [json.dumps(extra).encode()]
    write_sync_file(path, {"format_version": 1, **meta}, chunks, recipient=keys.public(),
                    device_key=centre.device_key(work.db))
    _assert_rejected(imported, keys, path, "unexpected or repeated member 'secret'")
    not_json = tmp_path / "not-json.cdsync"
    write_sync_file(not_json, {"format_version": 1, **meta}, [b'{"format": "centredesk-s'],
                    recipient=keys.public(), device_key=centre.device_key(work.db))
    _assert_rejected(imported, keys, not_json, "not valid JSON")
    with imported.engine.connect() as conn:
        mirror = imported.mirrors["resident"]
        assert conn.scalar(select(mirror.c.given_names).where(
            mirror.c.id == resident_id)) != "Forged Edit"
    # the genuine file is fine
    assert import_file(imported, keys, genuine.path).status == IMPORTED
    assert_same_state(centre_state(work.db), mirror_state(imported))


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each attempt at importing a file: True when its rows were copied in as new."""
    from app.sync import ho_import

    made: list[bool] = []
    real = ho_import._import_once

    def spy(*args: Any, fresh: bool) -> Any:
        made.append(fresh)
        return real(*args, fresh=fresh)

    monkeypatch.setattr(ho_import, "_import_once", spy)
    return made


def test_a_first_file_is_copied_in_and_rejected_whole_when_its_last_change_is_bad(
        ho_pg: HeadOffice, base: tuple[Centre, Path], tmp_path: Path,
        keys: HeadOfficeKeys, attempts: list[bool]) -> None:
    """An installation's first file is copied straight into the mirrors, on a second
    thread, batch after batch: an error in its very last change still leaves nothing."""
    doc = read_payload(base[1], base[0].db, keys)
    bad = json.loads(json.dumps(doc))
    bad["changes"][-1]["row"]["id"] = 42
    path = forge(tmp_path / "bad.cdsync", bad, base[0].db, keys)
    _assert_rejected(ho_pg, keys, path, "does not match the payload schema",
                     batch_bytes=50_000)
    assert attempts == [True]
    late = json.loads(json.dumps(doc))
    late["changes"][-1]["row_version"] += 1
    path = forge(tmp_path / "late.cdsync", late, base[0].db, keys)
    _assert_rejected(ho_pg, keys, path, "does not agree with its row", batch_bytes=50_000)
    with ho_pg.engine.connect() as conn:
        assert all(conn.scalar(select(func.count()).select_from(table)) == 0
                   for table in ho_pg.mirrors.values())
    attempts.clear()
    assert import_file(ho_pg, keys, base[1], batch_bytes=50_000).status == IMPORTED
    assert attempts == [True]
    assert_same_state(centre_state(base[0].db), mirror_state(ho_pg))


def test_a_first_file_with_rows_head_office_holds_is_imported_the_careful_way(
        template: Path, tmp_path: Path, pg_url: str, keys: HeadOfficeKeys,
        attempts: list[bool]) -> None:
    """A copied installation's first file carries rows head office has already: copying
    them in as new fails on the first one, and the file is imported again row by row,
    in the same single transaction's place (the first attempt leaves nothing)."""
    first = copy_centre(template, tmp_path / "first")
    second = copy_centre(template, tmp_path / "second", new_device=True)
    try:
        edit_resident(second.db, "Edited At Second")
        with _open(pg_url, first, second) as ho:
            assert import_file(ho, keys, first.export().path).status == IMPORTED
            assert attempts == [True]
            result = import_file(ho, keys, second.export().path)
            assert result.status == IMPORTED, result.reason
            assert attempts == [True, True, False]
            assert result.applied >= 1 and result.applied + result.ignored == \
                result.change_count
            with ho.engine.connect() as conn:
                assert conn.scalar(select(func.count()).select_from(ho.file)) == 2
            assert_same_state(centre_state(second.db), mirror_state(ho))
    finally:
        first.db.close()
        second.db.close()


def test_a_file_from_a_newer_schema_says_to_upgrade(imported: HeadOffice, work: Centre,
                                                    tmp_path: Path,
                                                    keys: HeadOfficeKeys) -> None:
    meta = {"centre_code": "SANDHOLM", "device_id": str(work.db.device_id), "first_seq": 1,
            "last_seq": 1, "schema_version": SCHEMA_VERSION + 1, "change_count": 0,
            "created_at": "2026-11-23T10:00:00+00:00"}
    path = forge(tmp_path / "newer.cdsync", {"meta": meta, "changes": []}, work.db, keys)
    _assert_rejected(imported, keys, path,
                     f"the file is from a newer Centre Desk (schema {SCHEMA_VERSION + 1}); "
                     "upgrade head office first")


# -- conflicts ---------------------------------------------------------------------------

def test_independent_edits_at_two_installations_are_recorded(
        template: Path, tmp_path: Path, postgres_server: Any, keys: HeadOfficeKeys) -> None:
    first = copy_centre(template, tmp_path / "first")
    second = copy_centre(template, tmp_path / "second", new_device=True)
    try:
        assert first.db.device_id != second.db.device_id
        resident_id = edit_resident(first.db, "Edited At First")
        edit_resident(second.db, "Edited At Second")      # later: the rule keeps it
        with second.db.unit() as session:                  # a record only the copy changed
            room = session.scalars(select(Room).order_by(Room.name)).first()
            room.floor = "2nd"
        file_a, file_b = first.export().path, second.export().path
        resent_a = first.export().path
        outcomes = []
        for url, order in ((second_pg(postgres_server), (file_a, file_b)),
                           (second_pg(postgres_server), (file_b, file_a)),
                           (str(tmp_path / "ho.db"), (file_b, file_a))):
            with _open(url, first, second) as ho:
                results = [import_file(ho, keys, path) for path in order]
                assert [r.status for r in results] == [IMPORTED, IMPORTED]
                assert [r.conflicts for r in results] == [0, 1]
                assert import_file(ho, keys, order[1]).status == ALREADY_IMPORTED
                again = import_file(ho, keys, resent_a)       # the same versions again
                assert again.status == IMPORTED and again.conflicts == 0
                conflicts = list_conflicts(ho)
                assert len(conflicts) == 1
                conflict = conflicts[0]
                assert conflict.entity == "resident" and conflict.row_id == resident_id
                assert conflict.kept_device == second.db.device_id
                assert conflict.other_device == first.db.device_id
                assert conflict.kept["row"]["given_names"] == "Edited At Second"
                assert conflict.other["row"]["given_names"] == "Edited At First"
                assert ("given_names", "Edited At Second", "Edited At First") in conflict.diff
                assert conflict.kept_changed_at > conflict.other_changed_at
                text_view = ho_api.format_conflicts(conflicts)
                assert "Edited At First" in text_view and "given_names" in text_view
                with ho.engine.connect() as conn:
                    mirror = ho.mirrors["resident"]
                    assert conn.scalar(select(mirror.c.given_names).where(
                        mirror.c.id == resident_id)) == "Edited At Second"
                outcomes.append(mirror_state(ho))
                assert ho_api.status(ho, today=TODAY, now=NOW)[0].open_conflicts == 1
                ho_api.resolve_conflict(ho, conflict.id)
                assert list_conflicts(ho) == []
                assert len(list_conflicts(ho, include_resolved=True)) == 1
        assert outcomes[0] == outcomes[1] == outcomes[2]
    finally:
        first.db.close()
        second.db.close()


# -- gaps and receipts -------------------------------------------------------------------

def test_missing_ranges_and_receipt_round_trip(work: Centre, tmp_path: Path,
                                               keys: HeadOfficeKeys) -> None:
    one = work.export()
    edit_resident(work.db, "Two")
    two = work.export(since=one.last_seq)
    edit_resident(work.db, "Three")
    three = work.export(since=two.last_seq)
    device = work.db.device_id
    with _open(str(tmp_path / "ho.db"), work) as ho:
        assert missing_ranges(ho) == {}
        with pytest.raises(SyncError, match="No file from centre"):
            make_receipt(ho, keys, "SANDHOLM")
        import_file(ho, keys, three.path)
        assert missing_ranges(ho) == {device: [(1, two.last_seq)]}
        assert make_receipt(ho, keys, "SANDHOLM")["devices"] == {}
        assert import_file(ho, keys, one.path).missing == ((two.first_seq, two.last_seq),)
        assert missing_ranges(ho) == {device: [(two.first_seq, two.last_seq)]}
        status = ho_api.status(ho, today=TODAY, now=NOW)[0]
        assert status.missing == {device: [(two.first_seq, two.last_seq)]}
        assert f"{two.first_seq}–{two.last_seq}" in ho_api.format_status([status])
        receipt = make_receipt(ho, keys, "SANDHOLM")
        assert receipt["devices"] == {str(device): one.last_seq}
        assert receipt["kind"] == "centredesk-receipt" and receipt["version"] == 1

        # the centre checks it, prunes what it confirms and exports from there on
        assert centre.import_receipt(work.db, receipt) == one.last_seq
        with work.db.read() as session:
            assert session.scalar(select(func.min(SyncChange.seq))) == two.first_seq
        next_file = work.export()
        assert (next_file.first_seq, next_file.last_seq) == (two.first_seq, three.last_seq)
        forged = {**receipt, "devices": {str(device): three.last_seq + 100}}
        with pytest.raises(SyncError):
            centre.import_receipt(work.db, forged)

        assert import_file(ho, keys, next_file.path).missing == ()
        assert missing_ranges(ho) == {device: []}
        receipt = make_receipt(ho, keys, "SANDHOLM")
        assert receipt["devices"] == {str(device): three.last_seq}
        assert centre.import_receipt(work.db, receipt) == three.last_seq
        assert centre.export_changes(work.db, tmp_path) is None   # nothing waits
        assert_same_state(centre_state(work.db), mirror_state(ho))


# -- status ------------------------------------------------------------------------------

def test_status_matches_the_centre(work: Centre, tmp_path: Path, keys: HeadOfficeKeys) -> None:
    with work.db.unit() as session:     # an item kept past its retention, not disposed of
        session.add(LostItem(number="2026-9999", batch_id=uuid.uuid4(), description="jacket",
                             category="clothing", value_dkk=Decimal("120.00"),
                             origin="vacated_room", found_on=TODAY - timedelta(days=60),
                             retention_ends=TODAY - timedelta(days=29), person_ids=[]))
    with work.db.read() as session:
        residents = session.scalar(select(func.count()).select_from(Resident).where(
            Resident.status == STATUS_IN_RESIDENCE, Resident.deleted_at.is_(None)))
        overdue = sum(1 for case in open_case_summaries(session)
                      if case.outstanding and case.due_at <= NOW)
        unreported = len({r.incident_id for r in outstanding_reports(session)})
        lost = len(due_items(session, TODAY - timedelta(days=1)))
    assert residents and unreported and lost
    with _open(str(tmp_path / "ho.db"), work) as ho:
        assert ho_api.format_status(ho_api.status(ho, today=TODAY, now=NOW)).startswith(
            "SANDHOLM")   # trusted, nothing imported yet
        result = import_file(ho, keys, work.export().path, now=NOW)
        [status] = ho_api.status(ho, today=TODAY, now=NOW)
    assert status.centre_code == "SANDHOLM" and status.centre_name
    assert status.last_import_at == NOW and status.files == 1 and status.devices == 1
    assert status.residents_in_residence == residents
    assert status.missing_overdue == overdue
    assert status.unreported_incidents == unreported
    assert status.lost_items_overdue == lost
    assert status.open_conflicts == 0 and status.missing == {}
    text_view = ho_api.format_status([status])
    assert f"residents in residence: {residents}" in text_view
    assert f"incidents with reports not done: {unreported}" in text_view
    assert result.ok


# -- an independent validator ------------------------------------------------------------

def test_check_jsonschema_accepts_a_real_payload_and_refuses_a_tampered_one(
        work: Centre, tmp_path: Path, keys: HeadOfficeKeys) -> None:
    first = work.export()
    edit_resident(work.db, "Validated")
    with work.db.read() as session:
        leave_id = session.scalars(select(Leave.id).where(Leave.deleted_at.is_(None))).first()
    cancel_leave(work.db, LEADER, leave_id)
    path = work.export(since=first.last_seq).path
    with open_sync_file(path, verify_key=centre.device_key(work.db).public_bytes(),
                        headoffice=keys) as sync:
        data = b"".join(sync)
    doc = json.loads(data)
    assert {c["entity"] for c in doc["changes"]} >= {"resident", "leave", "audit_entry"}
    assert "delete" in {c["op"] for c in doc["changes"]}

    def check(payload: bytes) -> subprocess.CompletedProcess[str]:
        target = tmp_path / "payload.json"
        target.write_bytes(payload)
        return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(SCHEMA_PATH),
                               str(target)], capture_output=True, text=True, timeout=120,
                              check=False, cwd=ROOT)

    accepted = check(data)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    doc["changes"][0]["row"]["row_version"] = "two"
    refused = check(json.dumps(doc).encode())
    assert refused.returncode != 0
    doc = json.loads(data)
    doc["changes"][0]["op"] = "erase"
    assert check(json.dumps(doc).encode()).returncode != 0


def test_compiled_change_decoder_agrees_with_the_schema(base: tuple[Centre, Path],
                                                        keys: HeadOfficeKeys) -> None:
    """The importer checks changes with decoders compiled from the committed schema
    (``app.sync.ho_decode``): they accept what the schema's full ``change`` definition
    accepts and refuse what it refuses, apart from the three documented value checks (a
    UUID in capitals or a timestamp with another offset is accepted; an impossible date is
    refused)."""
    from app.sync.ho_decode import decode_changes
    from app.sync.payload import column_kinds, validators

    full = validators()[1]

    def by_schema(change: Any) -> bool:
        try:
            full(change)
        except Exception:  # noqa: BLE001 - fastjsonschema.JsonSchemaException
            return False
        return True

    def by_decoder(change: Any) -> bool:
        try:
            decode_changes(json.dumps(change).encode())
        except SyncFormatError:
            return False
        return True

    doc = read_payload(base[1], base[0].db, keys)
    samples: dict[str, dict] = {}
    for change in doc["changes"]:
        samples.setdefault(change["entity"], change)
    values = (None, 42, -1, 1.5, "x", "", True, {}, [], [1, "a"], "2025-01-02",
              "2025-01-02T03:04:05+00:00", "2025-01-02T03:04:05.123456+00:00",
              str(uuid.uuid4()), "-12.50", "12.")
    checked = 0
    for entity, sample in samples.items():
        variants = [sample]
        for column in sample["row"]:
            for value in values:
                variant = json.loads(json.dumps(sample))
                variant["row"][column] = value
                variants.append(variant)
        for name in ("seq", "op", "id", "base_version", "changed_at", "device_id",
                     "row_version"):
            for value in (None, 0, -1, "x", "upsert", "delete", "erase", str(uuid.uuid4())):
                variants.append({**sample, name: value})
        variants += [{**sample, "extra": 1}, {k: v for k, v in sample.items() if k != "row"},
                     {**sample, "entity": "password_vault"}, {**sample, "row": []},
                     {**sample, "entity": next(e for e in samples if e != entity)},
                     {**sample, "row": {**sample["row"], "extra": 1}}, [sample], "change"]
        for variant in variants:
            assert by_decoder(variant) == by_schema(variant), (entity, variant)
            checked += 1
        # the documented differences: values checked as what they mean
        for column, kind in column_kinds(entity).items():
            variant = json.loads(json.dumps(sample))
            if kind == "uuid":
                variant["row"][column] = str(uuid.uuid4()).upper()
                assert by_decoder(variant) and not by_schema(variant)
            elif kind == "timestamp":
                variant["row"][column] = "2025-01-02T05:04:05+02:00"
                assert by_decoder(variant) and not by_schema(variant)
                variant["row"][column] = "2025-01-02T05:04:05"          # no offset
                assert not by_decoder(variant) and not by_schema(variant)
            elif kind == "date":
                variant["row"][column] = "2025-13-01"
                assert not by_decoder(variant) and by_schema(variant)
    assert by_decoder(samples["resident"]) and checked > 5000


def test_the_decoder_names_the_change_and_what_is_wrong() -> None:
    from app.sync.ho_decode import decode_changes

    with pytest.raises(SyncFormatError, match=r"change 12 does not match the payload schema: "
                                              r"Object missing required field `entity`"):
        decode_changes(b'{"seq": 1}', first_number=12)
    with pytest.raises(SyncFormatError, match="not valid JSON"):
        decode_changes(b'{"seq": 1,}', first_number=12)


def test_a_signed_file_that_fails_to_decrypt_late_is_rolled_back(
        imported: HeadOffice, work: Centre, tmp_path: Path, keys: HeadOfficeKeys) -> None:
    """The signature is right but a late chunk does not decrypt (the installation wrote a
    broken file): the error surfaces while the payload is read, after earlier batches were
    written, and the whole file is rolled back."""
    import hashlib
    import struct

    resident_id = edit_resident(work.db, "Broken Late")
    doc = read_payload(work.export().path, work.db, keys)
    path = tmp_path / "late.cdsync"
    write_sync_file(path, {"format_version": 1, **doc["meta"]},
                    payload_chunks(doc["meta"], doc["changes"]), recipient=keys.public(),
                    device_key=centre.device_key(work.db), chunk_size=4096)
    data = bytearray(path.read_bytes()[:-64])
    (hlen,) = struct.unpack(">I", data[8:12])
    position, chunks = 12 + hlen, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        chunks.append(position + 4)
        position += 4 + length
    assert len(chunks) > 20
    data[chunks[-2] + 10] ^= 0x01                    # a chunk near the end
    signature = centre.device_key(work.db).sign(
        b"centredesk-sync v1 signature" + hashlib.sha512(bytes(data)).digest())
    path.write_bytes(bytes(data) + signature)
    _assert_rejected(imported, keys, path, "is damaged or out of order", batch_bytes=4000)
    with imported.engine.connect() as conn:
        mirror = imported.mirrors["resident"]
        assert conn.scalar(select(mirror.c.given_names).where(
            mirror.c.id == resident_id)) != "Broken Late"
