"""The Alembic migrations: head revision, schema equal to the models, up/down, backups."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex

import app.db as app_db
import app.paths
from app import cli
from app.db import (
    HEAD_REVISION,
    Database,
    alembic_config,
    backup_sqlite,
    current_revision,
    open_database,
    upgrade_to_head,
)
from app.fts import is_search_index_table
from app.models import Base
from app.services import auth, centre, rooms
from tests.conftest import PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_db(tmp_path):
    db = Database(str(tmp_path / "empty.db"))
    yield db
    db.close()


def _script(db: Database) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(db))


def _not_search_index(name, type_, _parents) -> bool:
    return not (type_ == "table" and is_search_index_table(name))


def _diffs(db: Database) -> list:
    with db.engine.connect() as conn:
        # As env.py: the full-text index is raw SQL, not a model (app.fts).
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True,
                                                         "include_name": _not_search_index})
        return compare_metadata(context, Base.metadata)


def _tables(db: Database) -> set[str]:
    return {name for name in inspect(db.engine).get_table_names()
            if not is_search_index_table(name)}


def _fill(db: Database) -> None:
    centre.initialise_centre(db, centre_name="Børnecenter Test", centre_code="TEST",
                             admin_username="admin", admin_full_name="Ada Admin",
                             admin_password=PASSWORD)
    rooms.create_room(db, auth.login(db, "admin", PASSWORD), "101", ["A", "B"])


def test_head_revision_constant_is_the_script_directorys_head(empty_db):
    assert _script(empty_db).get_heads() == [HEAD_REVISION]


def test_revisions_form_one_line(empty_db):
    revisions = list(_script(empty_db).walk_revisions())  # head first
    assert revisions[0].revision == HEAD_REVISION
    assert revisions[-1].down_revision is None
    for newer, older in itertools.pairwise(revisions):
        assert newer.down_revision == older.revision


def test_upgrade_an_empty_file_revision_by_revision(empty_db):
    config = alembic_config(empty_db)
    assert current_revision(empty_db) is None
    for revision in reversed(list(_script(empty_db).walk_revisions())):
        command.upgrade(config, revision.revision)
        assert current_revision(empty_db) == revision.revision
    assert current_revision(empty_db) == HEAD_REVISION
    assert {t.name for t in Base.metadata.sorted_tables} | {"alembic_version"} == \
        _tables(empty_db)


def test_migrated_schema_matches_the_models(empty_db):
    command.upgrade(alembic_config(empty_db), "head")
    assert _diffs(empty_db) == []


def test_migrated_indexes_match_the_models_including_partial_ones(empty_db):
    """compare_metadata ignores the WHERE of partial indexes; the uniqueness rules live there."""
    command.upgrade(alembic_config(empty_db), "head")
    with empty_db.engine.connect() as conn:
        actual = {name: sql for name, sql in conn.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL"))}

    def norm(sql: str) -> str:
        return re.sub(r"\s+", " ", sql.replace('"', "")).strip().lower()

    expected = {index.name: str(CreateIndex(index).compile(dialect=sqlite_dialect.dialect()))
                for table in Base.metadata.sorted_tables for index in table.indexes}
    assert set(actual) == set(expected)
    for name, sql in expected.items():
        assert norm(actual[name]) == norm(sql), name
    assert "where moved_out_on is null and deleted_at is null" in \
        norm(actual["uq_resident_current_person_id"])


def test_downgrade_to_base_and_upgrade_again(empty_db):
    config = alembic_config(empty_db)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    assert current_revision(empty_db) is None
    assert _tables(empty_db) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert current_revision(empty_db) == HEAD_REVISION
    assert _diffs(empty_db) == []
    _fill(empty_db)  # and it works
    assert centre.get_centre(empty_db).code == "TEST"


def test_upgrading_a_new_file_takes_no_backup(tmp_path):
    db = Database(str(tmp_path / "fresh.db"))
    try:
        assert upgrade_to_head(db) is None
        assert current_revision(db) == HEAD_REVISION
    finally:
        db.close()
    assert [p for p in tmp_path.iterdir() if ".bak" in p.name] == []


def test_open_database_without_upgrade_leaves_the_file_alone(tmp_path):
    db = open_database(tmp_path / "raw.db", upgrade=False)
    try:
        assert current_revision(db) is None
        assert _tables(db) == set()
    finally:
        db.close()


def test_upgrade_to_head_does_nothing_when_already_at_head(db, tmp_path):
    assert current_revision(db) == HEAD_REVISION
    assert upgrade_to_head(db) is None
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []
    assert current_revision(db) == HEAD_REVISION


def test_backup_sqlite_makes_a_consistent_copy(db, db_path, admin):
    rooms.create_room(db, admin, "101", ["A", "B"])  # recent writes sit in the WAL
    backup = backup_sqlite(db, "test")
    assert backup is not None and backup.exists()
    assert backup.parent == db_path.parent
    assert backup.name.startswith("centre.test.") and backup.name.endswith(".bak.db")

    copy = sqlite3.connect(str(backup))
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)
        assert copy.execute("SELECT name, code FROM centre").fetchall() == [
            ("Børnecenter Test", "TEST")]
        assert copy.execute("SELECT count(*) FROM bed").fetchone() == (2,)
        assert copy.execute("SELECT username FROM staff").fetchall() == [("admin",)]
    finally:
        copy.close()


def test_backup_sqlite_of_nothing_is_none(tmp_path):
    assert backup_sqlite(Database(str(tmp_path / "missing.db")), "x") is None
    (tmp_path / "empty.db").touch()
    assert backup_sqlite(Database(str(tmp_path / "empty.db")), "x") is None


@pytest.fixture
def newer_code(tmp_path, monkeypatch):
    """The program one release later: a second migration on top of the current head."""
    scripts = tmp_path / "migrations"
    shutil.copytree(app.paths.MIGRATIONS_DIR, scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0002_test_newer.py").write_text(f'''
"""a newer revision, for the upgrade test"""
import sqlalchemy as sa
from alembic import op

revision = "0002_test_newer"
down_revision = {HEAD_REVISION!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("newer_thing", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("newer_thing")
''', encoding="utf-8")
    monkeypatch.setattr(app.paths, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(app_db, "HEAD_REVISION", "0002_test_newer")
    return "0002_test_newer"


def test_upgrade_of_an_older_file_takes_a_backup_first(db, db_path, admin, newer_code):
    rooms.create_room(db, admin, "101", ["A"])
    backup = upgrade_to_head(db)

    assert backup is not None and backup.exists()
    assert "before-upgrade-from-" + HEAD_REVISION in backup.name
    assert current_revision(db) == newer_code
    assert "newer_thing" in _tables(db)
    copy = sqlite3.connect(str(backup))
    try:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)
        tables = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "newer_thing" not in tables
        assert copy.execute("SELECT count(*) FROM room").fetchone() == (1,)
    finally:
        copy.close()
    # the data survived the upgrade itself
    assert [b.display for b in rooms.list_beds(db, admin)] == ["101 / A"]
    # and the next start does nothing
    assert upgrade_to_head(db) is None


def test_cli_upgrade_of_an_older_file(db, db_path, newer_code, capsys, monkeypatch):
    monkeypatch.setenv("CENTREDESK_LANG", "en")
    db.close()
    assert cli.main(["upgrade", "--db", str(db_path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Upgraded; the old file was copied to ")
    backup = Path(out.strip().removeprefix("Upgraded; the old file was copied to ").rstrip("."))
    assert backup.exists()


def test_alembic_command_line_upgrades_an_empty_file(tmp_path):
    path = tmp_path / "cmdline.db"
    env = {k: v for k, v in os.environ.items() if k != "CENTREDESK_DB"}
    result = subprocess.run([sys.executable, "-m", "alembic", "-x", f"db={path}", "upgrade",
                             "head"], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    db = Database(str(path))
    try:
        assert current_revision(db) == HEAD_REVISION
        assert _diffs(db) == []
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar().lower() == "wal"
    finally:
        db.close()


def _sqlite_objects(db: Database, like: str) -> set[tuple[str, str]]:
    with db.engine.connect() as conn:
        return {(kind, name) for kind, name in conn.execute(text(
            "SELECT type, name FROM sqlite_master WHERE name LIKE :like"), {"like": like})}


def test_0007_makes_the_full_text_index_and_its_downgrade_removes_it(empty_db):
    config = alembic_config(empty_db)
    command.upgrade(config, "0007_notes")
    objects = _sqlite_objects(empty_db, "observation_fts%")
    assert ("table", "observation_fts") in objects
    assert {name for kind, name in objects if kind == "trigger"} == {
        "observation_fts_insert", "observation_fts_update", "observation_fts_delete"}
    command.downgrade(config, "0006_sync")
    assert _sqlite_objects(empty_db, "observation%") == set()
