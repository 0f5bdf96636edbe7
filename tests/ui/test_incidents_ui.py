"""A night-staff user logs a restraint alone at night with the keyboard; the day staff see the
outstanding reports on the Today page and clear them by doing them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.formatting import local_today
from app.models import Incident, IncidentReport, UseOfForce
from app.services import drafts, incidents, residents
from tests.conftest import resident_input
from ui.incidents.editor import DRAFT_KEY, IncidentEditor
from ui.incidents.page import ReportDoneDialog

RESTRAINT_REPORTS = {"IN9", "IN10", "minor_informed", "representative_informed"}


@pytest.fixture
def omar(db, people, beds):
    return residents.register_arrival(db, people.coordinator, resident_input(
        person_id="55555-5", given_names="Omar", family_name="Haidari",
        arrival_date=local_today() - timedelta(days=30),
        date_of_birth=local_today() - timedelta(days=15 * 365 + 100)), beds[0].id)


def _check_kind_by_keyboard(qtbot, editor, text: str) -> None:
    editor.kinds.setFocus()
    qtbot.keyClicks(editor.kinds, text)  # type-ahead moves to the kind
    qtbot.keyClick(editor.kinds, Qt.Key.Key_Space)


def _log_restraint(qtbot, editor) -> None:
    qtbot.keyClicks(editor.place, "Gangen ved værelse 104")
    _check_kind_by_keyboard(qtbot, editor, "Short")
    assert editor.checked_kinds() == ["restraint"]
    assert "IN10" in editor.reports_preview.text()
    editor.resident_pick.setFocus()
    qtbot.keyClicks(editor.role_pick, "Aff")
    qtbot.keyClicks(editor.resident_pick.lineEdit(), "Omar Haid")
    qtbot.keyClick(editor.resident_pick.lineEdit(), Qt.Key.Key_Return)
    assert [role for _rid, _name, role in editor.involved_residents()] == ["affected"]
    qtbot.keyClicks(editor.description, "Omar slog ud efter en anden beboer og blev holdt fast "
                                        "i to minutter, til han faldt til ro.")
    force = editor.force_rows[0]
    qtbot.keyClicks(force.reason, "Fare for at han ville skade den anden beboer")
    qtbot.keyClicks(force.injuries, "Ingen")


def test_night_staff_logs_a_restraint_with_the_keyboard_and_day_staff_clear_the_reports(
        qtbot, db, people, omar, make_ctx, make_window):
    editor = IncidentEditor(make_ctx(people.night))
    qtbot.addWidget(editor)
    editor.show()
    _log_restraint(qtbot, editor)
    qtbot.keyClick(editor.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert editor.saved is not None, editor.general_error.text()
    saved = editor.saved
    assert {r.code for r in saved.reports} == RESTRAINT_REPORTS
    assert saved.reported_by == "Nina Nattevagt"
    assert saved.uses_of_force[0].resident_name == "Omar Haidari"
    assert drafts.load_draft(db, people.night, DRAFT_KEY) is None

    # The day shift sees every outstanding report on the Today page.
    window = make_window(people.reception)
    today = window.go("today")
    titles = [today.tree.topLevelItem(i).text(2) for i in range(today.tree.topLevelItemCount())]
    mine = [t for t in titles if t.startswith(f"Incident {saved.number}:")]
    assert len(mine) == 4 and all("not done" in t for t in mine)

    page = window.go("incidents")
    page.show_incident(saved.id)
    log = page.log
    assert log.detail is not None and log.detail.id == saved.id
    for code in sorted(RESTRAINT_REPORTS):
        dialog = ReportDoneDialog(window.ctx, log.detail, code, log)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.reference, f"sent {code}")
        dialog.findChild(QPushButton, "save_button").click()
        assert dialog.result() == dialog.DialogCode.Accepted, dialog.general_error.text()
    today.refresh()
    titles = [today.tree.topLevelItem(i).text(2) for i in range(today.tree.topLevelItemCount())]
    assert not any(t.startswith(f"Incident {saved.number}:") for t in titles)
    with db.read() as session:
        reports = session.query(IncidentReport).filter_by(incident_id=saved.id).all()
        assert all(r.done_by == people.reception.staff_id for r in reports)


def test_a_half_written_incident_survives_closing_and_comes_back(qtbot, db, people, omar,
                                                                 make_ctx):
    ctx = make_ctx(people.night)
    editor = IncidentEditor(ctx)
    qtbot.addWidget(editor)
    _log_restraint(qtbot, editor)
    editor.save_draft()  # what the timer does after each keystroke
    editor.close()
    again = IncidentEditor(ctx)
    qtbot.addWidget(again)
    assert again.draft_notice.text().startswith("The incident you began at")
    assert again.place.text() == "Gangen ved værelse 104"
    assert again.checked_kinds() == ["restraint"]
    assert [name for _rid, name, _role in again.involved_residents()][0].startswith("Omar")
    assert again.force_rows[0].reason.text().startswith("Fare for")
    again.findChild(QPushButton, "save_button").click()
    assert again.saved is not None, again.general_error.text()
    with db.read() as session:
        assert session.query(Incident).count() == 1
        assert session.query(UseOfForce).count() == 1


def test_missing_facts_are_named_and_nothing_is_lost(qtbot, db, people, omar, make_ctx):
    editor = IncidentEditor(make_ctx(people.night))
    qtbot.addWidget(editor)
    _check_kind_by_keyboard(qtbot, editor, "Short")
    editor.findChild(QPushButton, "save_button").click()
    assert editor.saved is None
    assert editor.errors.labels["place"].text() == "Write where it happened."
    assert editor.errors.labels["description"].text() == "Describe what happened."
    assert "write why it was necessary" in editor.force_error.text()
    assert editor.checked_kinds() == ["restraint"]


def test_the_minors_view_is_recorded_the_next_day(qtbot, db, people, omar, make_ctx):
    editor = IncidentEditor(make_ctx(people.night))
    qtbot.addWidget(editor)
    _log_restraint(qtbot, editor)
    editor.findChild(QPushButton, "save_button").click()
    force = editor.saved.uses_of_force[0]
    assert force.minor_statement is None
    detail = incidents.record_statement(
        db, people.contact, force.id, informed_on=local_today(),
        statement="Jeg var vred, fordi han tog min telefon.", declined=False,
        statement_on=local_today())
    assert detail.uses_of_force[0].minor_statement == "Jeg var vred, fordi han tog min telefon."
