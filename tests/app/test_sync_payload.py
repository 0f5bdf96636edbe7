"""The sync payload's JSON Schema is generated from the models and committed; change capture
writes a change line in the same transaction as every change."""

from __future__ import annotations

import json

import pytest

from app.models import SyncChange
from app.services import rooms
from app.sync.payload import SCHEMA_PATH, build_schema, exported_columns, synced_tables


def test_the_committed_schema_is_current():
    committed = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert committed == build_schema(), (
        "the models changed: regenerate with python -m app.sync.payload and commit")


def test_password_hashes_never_leave_the_centre():
    assert "password_hash" not in exported_columns(synced_tables()["staff"])
    assert "password_hash" not in json.dumps(build_schema()["definitions"]["row_staff"])


def test_every_change_gets_a_numbered_line_in_the_same_transaction(db, admin):
    with db.read() as session:
        before = session.query(SyncChange).count()
    created = rooms.create_room(db, admin, "301", ["A"])
    with db.read() as session:
        lines = session.query(SyncChange).filter(SyncChange.seq > before).all()
    entities = {line.entity for line in lines}
    assert {"room", "bed", "audit_entry"} <= entities
    assert [line.seq for line in lines] == sorted(line.seq for line in lines)
    bed = next(line for line in lines if line.entity == "bed")
    assert bed.row_id == created[0].id and bed.row_version == 1


def test_a_failed_transaction_leaves_no_change_line(db, admin):
    with db.read() as session:
        before = session.query(SyncChange).count()
    with pytest.raises(RuntimeError), db.unit(admin) as session:
        from app.models import Room

        session.add(Room(name="999", section="general"))
        session.flush()
        raise RuntimeError("power cut")
    with db.read() as session:
        assert session.query(SyncChange).count() == before


def test_upgrading_an_older_centre_enqueues_every_existing_record_once(tmp_path):
    """Change capture starts with schema 0006: the records made before it travel in the
    first sync file, each once."""
    import shutil
    import sqlite3
    from pathlib import Path

    from app.db import Database, upgrade_to_head

    fixture = Path(__file__).parents[1] / "migrations" / "fixtures" / "schema_0005_allowance.db"
    path = tmp_path / "old.db"
    shutil.copy(fixture, path)
    db = Database(str(path))
    try:
        upgrade_to_head(db)
    finally:
        db.close()
    with sqlite3.connect(path) as connection:
        for name in synced_tables():
            rows = connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            lines = connection.execute(
                "SELECT count(*), count(DISTINCT row_id) FROM sync_change WHERE entity = ?",
                (name,)).fetchone()
            assert lines[1] == rows, name
            assert lines[0] >= rows, name
        assert connection.execute("SELECT count(*) FROM sync_change").fetchone()[0] > 1000


def test_head_office_decoders_are_compiled_from_the_committed_schema() -> None:
    """Every synced table has a change decoder whose row holds exactly the exported
    columns, in order; schema constructs the compiler does not know are refused, not
    skipped."""
    import msgspec

    from app.sync.ho_decode import SchemaNotCompilable, _value_type, change_types
    from app.sync.payload import column_kinds

    types = change_types()
    assert list(types) == list(synced_tables())
    for entity, change in types.items():
        fields = {f.name: f.type for f in msgspec.structs.fields(change)}
        assert list(fields) == ["seq", "id", "op", "row_version", "base_version", "changed_at",
                                "device_id", "row"]
        row = [f.name for f in msgspec.structs.fields(fields["row"])]
        assert row == list(column_kinds(entity)), entity
    for unknown in ({"type": "number"}, {"type": "string", "format": "email"},
                    {"type": "string", "maxLength": 3},
                    {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    {"type": "boolean", "minimum": 1}, {"type": ["string", "null"]},
                    {"enum": ["a"], "type": "string"}, {"const": "x"}):
        with pytest.raises(SchemaNotCompilable):
            _value_type(unknown)
    decode = msgspec.json.Decoder(_value_type({"type": "string", "pattern": "^a+$"})).decode
    assert decode(b'"aaa"') == "aaa"
    with pytest.raises(msgspec.ValidationError):
        decode(b'"ab"')
    at_least_one = msgspec.json.Decoder(_value_type({"type": "integer", "minimum": 1})).decode
    assert at_least_one(b"1") == 1
    with pytest.raises(msgspec.ValidationError):
        at_least_one(b"0")
