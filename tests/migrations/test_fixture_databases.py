"""Databases made by released versions upgrade to the current schema with their data intact.

``fixtures/schema_<revision>.db`` is a small demo centre made at that revision; add one for
every schema version that is released (``centredesk demo --residents 8 --years 1``; from
0002 on, rounds older than 91 days are deleted and the file vacuumed to keep it under 2 MB).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.db import HEAD_REVISION, Database, current_revision, upgrade_to_head
from app.queries.residents import ResidentFilter, count
from app.services import auth

FIXTURES = sorted((Path(__file__).parent / "fixtures").glob("schema_*.db"))
ROOT = Path(__file__).resolve().parents[2]


def test_there_is_a_fixture_for_the_first_revision():
    assert any(path.stem == "schema_0001_foundation" for path in FIXTURES)


def _rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_fixture_database_upgrades_to_head_keeping_its_data(fixture, tmp_path):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    residents_before = _rows(path, "resident")
    assert residents_before > 0
    db = Database(str(path))
    try:
        upgrade_to_head(db)
        assert current_revision(db) == HEAD_REVISION
        with db.read() as session:
            assert count(session, ResidentFilter(include_former=True)) == residents_before
        assert auth.login(db, "admin", "demo1234").username == "admin"
    finally:
        db.close()
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda path: path.stem)
def test_alembic_command_line_upgrades_a_demo_database(fixture, tmp_path):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    result = subprocess.run([sys.executable, "-m", "alembic", "-x", f"db={path}", "upgrade",
                             "head"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    db = Database(str(path))
    try:
        assert current_revision(db) == HEAD_REVISION
    finally:
        db.close()
