"""The headless ``centredesk`` commands, run in-process through ``app.cli.main``."""

from __future__ import annotations

import io
import json
import sys
from datetime import date

import pytest

from app import cli
from app.db import HEAD_REVISION, current_revision, open_database
from app.services import auth, centre
from app.services.residents import register_arrival
from tests.app._core_support import cheap_hashing  # noqa: F401
from tests.conftest import resident_input

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture(autouse=True)
def _english_cli(monkeypatch):
    monkeypatch.setenv("CENTREDESK_LANG", "en")
    monkeypatch.delenv("CENTREDESK_DB", raising=False)


def _init_args(path, *extra):
    return ["init", "--db", str(path), "--lang", "en", "--centre-name", "Børnecenter Tønder",
            "--admin", "boss", "--admin-name", "Bo Boss", *extra]


def _can_log_in(path, username, password) -> bool:
    db = open_database(path)
    try:
        return auth.login(db, username, password).username == username
    finally:
        db.close()


# --- init -----------------------------------------------------------------------------------

def test_init_with_password_file(tmp_path, capsys):
    path = tmp_path / "new" / "centre.db"
    password_file = tmp_path / "pw.txt"
    password_file.write_text("file-password-1\nsecond line ignored\n", encoding="utf-8")

    assert cli.main(_init_args(path, "--password-file", str(password_file))) == 0
    out = capsys.readouterr().out
    assert "Børnecenter Tønder" in out and "(BT)" in out and str(path) in out

    db = open_database(path)
    try:
        view = centre.get_centre(db)
        assert (view.name, view.code) == ("Børnecenter Tønder", "BT")
        assert current_revision(db) == HEAD_REVISION
        actor = auth.login(db, "boss", "file-password-1")
        assert actor.full_name == "Bo Boss" and actor.roles == frozenset({"administrator"})
    finally:
        db.close()


def test_init_reads_the_password_from_standard_input(tmp_path, capsys, monkeypatch):
    path = tmp_path / "centre.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO("stdin-password-1\r\n"))
    assert cli.main(_init_args(path, "--centre-code", "TOENDER")) == 0
    assert "(TOENDER)" in capsys.readouterr().out
    assert _can_log_in(path, "boss", "stdin-password-1")


def test_init_refuses_an_existing_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "centre.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO("stdin-password-1\n"))
    assert cli.main(_init_args(path)) == 0
    capsys.readouterr()
    size = path.stat().st_size

    monkeypatch.setattr(sys, "stdin", io.StringIO("other-password-1\n"))
    assert cli.main(_init_args(path)) == 2
    captured = capsys.readouterr()
    assert "exists already" in captured.err and str(path) in captured.err
    assert captured.out == ""
    assert path.stat().st_size == size
    assert _can_log_in(path, "boss", "stdin-password-1")


def test_init_with_a_missing_password_file_fails_cleanly(tmp_path, capsys):
    path = tmp_path / "centre.db"
    code = cli.main(_init_args(path, "--password-file", str(tmp_path / "nope.txt")))
    assert code == 2
    assert "could not read the password" in capsys.readouterr().err
    assert not path.exists()


def test_init_with_a_too_short_password_fails_cleanly_and_can_be_retried(tmp_path, capsys,
                                                                         monkeypatch):
    """A rejected password is a message and an exit code, not a traceback, and it must not
    leave a half-made centre behind (a centre without administrator nobody can log into)."""
    path = tmp_path / "centre.db"
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert cli.main(_init_args(path)) != 0
    assert "at least 8 characters" in capsys.readouterr().err

    monkeypatch.setattr(sys, "stdin", io.StringIO("long-enough-1\n"))
    if path.exists():
        # Whatever the first attempt left must not block the next one.
        db = open_database(path)
        try:
            assert not centre.is_initialised(db)
        finally:
            db.close()
        path.unlink()
    assert cli.main(_init_args(path)) == 0
    assert _can_log_in(path, "boss", "long-enough-1")


def test_initialise_centre_is_all_or_nothing(tmp_path):
    db = open_database(tmp_path / "centre.db")
    try:
        with pytest.raises(Exception, match="at least 8 characters"):
            centre.initialise_centre(db, centre_name="Børnecenter Sandholm",
                                     centre_code="SANDHOLM", admin_username="boss",
                                     admin_full_name="Bo Boss", admin_password="short")
        assert not centre.is_initialised(db)
        assert centre.staff_count(db) == 0
    finally:
        db.close()


# --- due ------------------------------------------------------------------------------------

@pytest.fixture
def centre_with_duties(db, db_path, people, beds):
    resident = register_arrival(db, people.coordinator, resident_input(representative_name=None),
                                beds[0].id, today=date(2026, 11, 20))
    db.close()
    return db_path, resident


def test_due_json(centre_with_duties, capsys):
    path, resident = centre_with_duties
    code = cli.main(["due", "--db", str(path), "--lang", "en", "--json",
                     "--at", "2026-11-20T12:00:00+01:00"])
    assert code == 0
    duties = json.loads(capsys.readouterr().out)
    mine = {d["kind"]: d for d in duties if d["resident_id"] == str(resident.id)}
    assert set(mine) == {"assign_primary_contact", "assign_secondary_contact",
                         "register_representative"}
    assert mine["assign_primary_contact"]["severity"] == "overdue"
    assert mine["assign_primary_contact"]["title"] == \
        "Assign a primary contact person to Ahmad Karimi"
    assert all(set(d) == {"kind", "severity", "due_at", "resident_id", "resident", "title",
                          "params"}
               for d in duties)


def test_due_at_naive_time_is_local(centre_with_duties, capsys):
    path, _resident = centre_with_duties
    # Arrival day, 23:30 in Copenhagen: not overdue yet.
    assert cli.main(["due", "--db", str(path), "--lang", "en", "--json",
                     "--at", "2026-11-01T23:30"]) == 0
    duties = json.loads(capsys.readouterr().out)
    primary = next(d for d in duties if d["kind"] == "assign_primary_contact")
    assert primary["severity"] == "due"


def test_due_as_text(centre_with_duties, capsys):
    path, _resident = centre_with_duties
    assert cli.main(["due", "--db", str(path), "--lang", "en",
                     "--at", "2026-11-20T12:00:00+01:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    # Three duties about the resident, and the morning round nobody has taken.
    assert len(lines) == 4
    assert any("[Overdue]" in line and "Morning round not complete: 0 of 1 marked" in line
               for line in lines)
    assert any("[Overdue]" in line and "Assign a primary contact person to Ahmad Karimi" in line
               for line in lines)


def test_due_with_nothing_due(db, db_path, capsys):
    db.close()
    assert cli.main(["due", "--db", str(db_path), "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "Nothing is due."


@pytest.mark.parametrize("value", ["tomorrow", "2026-13-01", "20/11/2026"])
def test_due_at_with_a_bad_value(centre_with_duties, capsys, value):
    path, _resident = centre_with_duties
    assert cli.main(["due", "--db", str(path), "--lang", "en", "--at", value]) == 2
    captured = capsys.readouterr()
    assert value in captured.err and "ISO 8601" in captured.err
    assert captured.out == ""


def test_due_on_a_missing_file(tmp_path, capsys):
    path = tmp_path / "nowhere.db"
    assert cli.main(["due", "--db", str(path), "--lang", "en"]) == 2
    captured = capsys.readouterr()
    assert "there is no database at" in captured.err and str(path) in captured.err
    assert not path.exists()


# --- upgrade --------------------------------------------------------------------------------

def test_upgrade_of_an_up_to_date_database(db, db_path, tmp_path, capsys):
    db.close()
    assert cli.main(["upgrade", "--db", str(db_path), "--lang", "en"]) == 0
    assert capsys.readouterr().out.strip() == "The database is up to date."
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []  # no backup needed


def test_upgrade_on_a_missing_file(tmp_path, capsys):
    assert cli.main(["upgrade", "--db", str(tmp_path / "x.db"), "--lang", "en"]) == 2
    assert "there is no database" in capsys.readouterr().err


def test_unknown_language_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["due", "--db", str(tmp_path / "x.db"), "--lang", "fr"])
    assert caught.value.code == 2
    assert "fr" in capsys.readouterr().err


def test_without_a_gui_plugged_in_the_bare_command_says_so(capsys, tmp_path):
    from app.cli import main

    assert main(["--db", str(tmp_path / "x.db")]) == 2
    assert "desktop program is not part of this installation" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_options_before_the_bare_command_reach_the_gui_starter(tmp_path):
    from app.cli import main

    calls = []
    assert main(["--lang", "en", "--db", str(tmp_path / "y.db"), "--self-test"],
                start_gui=lambda *args: calls.append(args) or 0) == 0
    assert calls == [(tmp_path / "y.db", True, "en")]
