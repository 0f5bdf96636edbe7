"""Property: whatever a centre does to its records, and however its changes travel to head
office — exported in random splits, re-sent from earlier points, acknowledged by receipts
now and then, imported in any order and more than once — head office ends up holding
exactly the centre's records (app.sync.centre → app.sync.headoffice)."""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.db import Database, open_database
from app.formatting import utcnow
from app.models import Room, SyncChange
from app.services.centre import initialise_centre
from app.sync import centre
from app.sync.headoffice import (
    ALREADY_IMPORTED,
    IMPORTED,
    import_file,
    list_conflicts,
    make_receipt,
    missing_ranges,
    open_headoffice,
    trust_device,
)
from app.sync.keys import HeadOfficeKeys
from app.sync.payload import exported_columns, synced_tables

Op = tuple[Any, ...]
#: (order of the files to import, given as indexes, duplicates allowed; batch bytes)
Plan = Callable[[int], tuple[list[int], int]]


@pytest.fixture(scope="module", autouse=True)
def _device_secret() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CENTREDESK_DEVICE_SECRET", "property-device-secret")
        yield


@pytest.fixture(scope="module")
def keys() -> HeadOfficeKeys:
    return HeadOfficeKeys.generate()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, keys: HeadOfficeKeys,
             _device_secret: None) -> Path:
    """An initialised centre that knows head office's key; every example starts from a copy
    (the same installation)."""
    path = tmp_path_factory.mktemp("property") / "centre.db"
    db = open_database(path)
    initialise_centre(db, centre_name="Børnecenter Egå", centre_code="EGAA",
                      admin_username="admin", admin_full_name="Ada Admin",
                      admin_password="password-123")
    centre.set_recipient(db, keys.public_file_text())
    centre.device_key(db)
    db.close()
    return path


def _copy(template: Path, folder: Path) -> Database:
    path = folder / "centre.db"
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    shutil.copy(template.with_name(template.name + ".device-key"),
                path.with_name(path.name + ".device-key"))
    return open_database(path)


def _state(rows: Any) -> dict[str, dict[Any, tuple]]:
    return {name: {row[0]: tuple(row) for row in result} for name, result in rows}


def centre_state(db: Database) -> dict[str, dict[Any, tuple]]:
    with db.engine.connect() as conn:
        return _state((name, conn.execute(select(*(table.c[c] for c in _columns(table)))))
                      for name, table in synced_tables().items())


def mirror_state(ho: Any) -> dict[str, dict[Any, tuple]]:
    with ho.engine.connect() as conn:
        return _state((name, conn.execute(select(*(ho.mirrors[name].c[c]
                                                   for c in _columns(table)))))
                      for name, table in synced_tables().items())


def _columns(table: Any) -> list[str]:
    return ["id", *(c for c in exported_columns(table) if c != "id")]


# -- the scenario ------------------------------------------------------------------------

def _apply(db: Database, op: Op, rooms: list) -> None:
    kind = op[0]
    if kind == "create":
        with db.unit() as session:
            room = Room(name=op[1], section="general", floor=None)
            session.add(room)
            session.flush()
            rooms.append(room.id)
        return
    if not rooms:
        return
    room_id = rooms[op[1] % len(rooms)]
    with db.unit() as session:
        room = session.get(Room, room_id)
        if kind == "update":
            room.floor = op[2]
        elif kind == "rename":
            room.name = op[2]
        elif kind == "delete" and room.deleted_at is None:
            room.deleted_at = utcnow()
        elif kind == "restore" and room.deleted_at is not None:
            room.deleted_at = None


def run_scenario(template: Path, folder: Path, keys: HeadOfficeKeys, ops: list[Op],
                 plan: Plan, headoffice_url: str) -> None:
    db = _copy(template, folder)
    live = open_headoffice(folder / "live-headoffice.db")   # the one that sends receipts
    ho = open_headoffice(headoffice_url)
    try:
        trust_device(live, centre.device_public_text(db))
        trust_device(ho, centre.device_public_text(db))
        files: list[Path] = []
        exports = iter(range(1_000))
        covered = 0      # every sequence number up to here is in some file
        rooms: list = []

        def export(since_fraction: float | None) -> None:
            nonlocal covered
            out = folder / f"export-{next(exports)}"
            out.mkdir()
            since = None if since_fraction is None else int(covered * since_fraction)
            result = centre.export_changes(db, out, since_seq=since)
            if result is not None:
                assert result.first_seq <= covered + 1
                files.append(result.path)
                covered = max(covered, result.last_seq)

        for op in ops:
            if op[0] == "export":
                export(op[1])
            elif op[0] == "receipt":
                for path in files:
                    assert import_file(live, keys, path).ok
                if files:
                    centre.import_receipt(db, make_receipt(live, keys, "EGAA"))
            else:
                _apply(db, op, rooms)
        with db.read() as session:
            last = session.scalar(select(func.max(SyncChange.seq))) or 0
        if last > covered:
            export(0.0 if covered == 0 else None)
        assert files

        order, batch_bytes = plan(len(files))
        seen = set()
        for index in order:
            result = import_file(ho, keys, files[index], batch_bytes=batch_bytes)
            expected = ALREADY_IMPORTED if index in seen else IMPORTED
            assert result.status == expected, result.describe()
            seen.add(index)
        assert mirror_state(ho) == centre_state(db)
        assert list_conflicts(ho) == []
        assert missing_ranges(ho) == {db.device_id: []}
    finally:
        ho.close()
        live.close()
        db.close()


# -- strategies --------------------------------------------------------------------------

_names = st.text(alphabet="AB12Øé", min_size=1, max_size=4)
_ops = st.one_of(
    st.tuples(st.just("create"), _names),
    st.tuples(st.just("update"), st.integers(0, 20), st.one_of(st.none(), _names)),
    st.tuples(st.just("rename"), st.integers(0, 20), _names),
    st.tuples(st.just("delete"), st.integers(0, 20)),
    st.tuples(st.just("restore"), st.integers(0, 20)),
    st.tuples(st.just("export"), st.one_of(st.none(), st.floats(0, 1))),
    st.tuples(st.just("receipt")),
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(ops=st.lists(_ops, min_size=1, max_size=14), data=st.data())
def test_head_office_ends_with_the_centres_records(template: Path, keys: HeadOfficeKeys,
                                                   ops: list[Op], data: Any) -> None:
    def plan(count: int) -> tuple[list[int], int]:
        extra = data.draw(st.lists(st.integers(0, count - 1), max_size=3), label="again")
        order = data.draw(st.permutations([*range(count), *extra]), label="order")
        return order, data.draw(st.sampled_from([1, 700, 3000, 1 << 22]), label="batch bytes")

    with tempfile.TemporaryDirectory() as folder:
        run_scenario(template, Path(folder), keys, ops, plan, str(Path(folder) / "ho.db"))


def test_one_random_scenario_on_postgresql(template: Path, keys: HeadOfficeKeys,
                                           tmp_path: Path, pg_url: str) -> None:
    rng = random.Random(7)
    ops: list[Op] = [("create", "101"), ("create", "102"), ("export", None)]
    for _ in range(30):
        kind = rng.choice(["create", "update", "rename", "delete", "restore", "export",
                           "receipt"])
        if kind == "create":
            ops.append((kind, f"R{rng.randrange(1000)}"))
        elif kind in ("update", "rename"):
            ops.append((kind, rng.randrange(20), f"F{rng.randrange(100)}"))
        elif kind == "export":
            ops.append((kind, rng.choice([None, rng.random()])))
        elif kind == "receipt":
            ops.append((kind,))
        else:
            ops.append((kind, rng.randrange(20)))

    def plan(count: int) -> tuple[list[int], int]:
        order = [*range(count), *rng.choices(range(count), k=3)]
        rng.shuffle(order)
        return order, 2000

    run_scenario(template, tmp_path, keys, ops, plan, pg_url)
