"""Correcting a submitted incident on screen (the earlier version kept, reports only added, a
half-typed correction kept as a draft) and giving back items taken into safekeeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from app.formatting import format_date, local_today, utcnow
from app.models import IncidentReport, IncidentVersion
from app.services import drafts, incidents, residents
from app.services.incidents import ConfiscatedInput, ForceInput, IncidentInput
from tests.conftest import resident_input
from ui.incidents.editor import DRAFT_KEY, IncidentEditor, correction_draft_key
from ui.incidents.page import ReturnItemDialog
from ui.widgets import to_qdate

DESCRIPTION = "Omar slog ud efter Ahmad og blev ført til stillerummet."
STATEMENT = "Jeg ville ikke slå ham."


@pytest.fixture
def kids(db, people, beds):
    omar = residents.register_arrival(db, people.coordinator, resident_input(
        person_id="55555-5", given_names="Omar", family_name="Haidari",
        arrival_date=local_today() - timedelta(days=30),
        date_of_birth=local_today() - timedelta(days=15 * 365 + 100)), beds[0].id,
        primary_contact_id=people.contact.staff_id)
    ahmad = residents.register_arrival(db, people.coordinator, resident_input(
        arrival_date=local_today() - timedelta(days=30)), beds[1].id)
    return omar, ahmad


@pytest.fixture
def incident(db, people, kids):
    """Night staff logged a removal with a knife taken into safekeeping two days ago; the
    minor has given his view and IN9 has been sent."""
    omar, ahmad = kids
    happened = utcnow() - timedelta(days=2)
    logged = incidents.log_incident(db, people.night, IncidentInput(
        happened_at=happened, noticed_at=happened + timedelta(minutes=2),
        place="Køkkenet", kinds=("removal", "confiscation"), description=DESCRIPTION,
        residents=((omar.id, "causing"), (ahmad.id, "affected")),
        staff_ids=(people.night.staff_id,),
        uses_of_force=(ForceInput(omar.id, "removal", happened + timedelta(minutes=3),
                                  happened + timedelta(minutes=10), "Fare for Ahmad",
                                  decided_by=people.night.staff_id),),
        confiscated=(ConfiscatedInput("Kniv", omar.id, "Kontorets skab"),
                     ConfiscatedInput("Mobiltelefon", omar.id, "Kontorets skab"))))
    incidents.record_statement(db, people.contact, logged.uses_of_force[0].id,
                               informed_on=local_today() - timedelta(days=1),
                               statement=STATEMENT, declined=False,
                               statement_on=local_today() - timedelta(days=1))
    incidents.mark_report_done(db, people.night, logged.id, "IN9", reference="sendt")
    return incidents.get_incident(db, people.leader, logged.id)


def _when_dialog_opens(qtbot, handle: Callable[[QDialog], None]) -> list[BaseException]:
    """Run ``handle`` on the modal dialog about to open; a failure closes it (and is kept)."""
    failures: list[BaseException] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, run)
            return
        try:
            handle(dialog)
        except BaseException as error:  # noqa: BLE001 - the test reports it
            failures.append(error)
            dialog.reject()

    QTimer.singleShot(0, run)
    return failures


def _open_log(make_window, actor, incident_id, *, show_void: bool = False):
    window = make_window(actor)
    window.resize(1280, 800)
    page = window.go("incidents")
    page.log.show_void.setChecked(show_void)
    page.show_incident(incident_id)
    assert page.log.detail is not None and page.log.detail.id == incident_id
    return page.log


def _replace_text(qtbot, widget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def test_an_incident_is_corrected_from_the_log_and_the_earlier_version_is_kept(
        qtbot, db, people, incident, make_window):
    log = _open_log(make_window, people.leader, incident.id)
    button = log.findChild(QPushButton, "correct_button")
    assert button.isEnabled()

    def correct(editor: IncidentEditor) -> None:
        assert editor.windowTitle() == f"Correct incident {incident.number}"
        # Every fact of the incident is there to correct.
        assert editor.place.text() == "Køkkenet"
        assert editor.checked_kinds() == ["removal", "confiscation"]
        assert [(n.split(" (")[0], role) for _r, n, role in editor.involved_residents()] == [
            ("Omar Haidari", "causing"), ("Ahmad Karimi", "affected")]
        assert editor.confiscated.toPlainText() == "Kniv\nMobiltelefon"
        assert editor.force_rows[0].statement.toPlainText() == STATEMENT
        assert editor.force_rows[0].reason.text() == "Fare for Ahmad"
        assert editor.focusWidget() is editor.reason
        qtbot.keyClicks(editor.reason, "Truslen manglede")
        _replace_text(qtbot, editor.description, DESCRIPTION + " Han truede Ahmad først.")
        editor.kinds.setFocus()
        qtbot.keyClicks(editor.kinds, "Thr")
        qtbot.keyClick(editor.kinds, Qt.Key.Key_Space)
        assert "Report to the police" in editor.reports_preview.text()
        qtbot.keyClick(editor.description, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier)
        assert editor.saved is not None, editor.general_error.text()

    failures = _when_dialog_opens(qtbot, correct)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not failures, failures

    detail = incidents.get_incident(db, people.leader, incident.id)
    assert detail.version == 2
    assert set(detail.kinds) == {"removal", "confiscation", "threats"}
    assert detail.description.endswith("Han truede Ahmad først.")
    assert detail.uses_of_force[0].minor_statement == STATEMENT
    assert detail.uses_of_force[0].statement_on == local_today() - timedelta(days=1)
    assert {i.description: i.kept_where for i in detail.confiscated} == {
        "Kniv": "Kontorets skab", "Mobiltelefon": "Kontorets skab"}
    reports = {r.code: r for r in detail.reports}
    assert reports["IN9"].done and reports["IN9"].reference == "sendt"
    assert "police" in reports and not reports["police"].done
    assert set(reports) >= {"IN10", "minor_informed", "representative_informed"}
    with db.read() as session:
        kept = session.query(IncidentVersion).filter_by(incident_id=incident.id).one()
        assert (kept.version, kept.reason) == (1, "Truslen manglede")
        assert kept.corrected_by == people.leader.staff_id
        assert kept.snapshot["kinds"] == ["removal", "confiscation"]
        assert session.query(IncidentReport).filter_by(incident_id=incident.id,
                                                       deleted_at=None).count() == 5
    assert drafts.load_draft(db, people.leader, correction_draft_key(incident.id)) is None

    # The log shows the corrected incident and who corrected it, when and why.
    assert log.detail is not None and log.detail.version == 2
    shown = log.text.text()
    assert "version 2." in shown
    assert "Version 1 corrected" in shown and "by Lene Leder: Truslen manglede" in shown
    assert "Han truede Ahmad først." in shown


def test_a_correction_needs_a_reason_and_says_so(qtbot, db, people, incident, make_ctx):
    editor = IncidentEditor(make_ctx(people.leader), correcting=incident)
    qtbot.addWidget(editor)
    _replace_text(qtbot, editor.place, " ")
    editor.findChild(QPushButton, "save_button").click()
    assert editor.saved is None
    assert editor.errors.labels["reason"].text() == "Write why the incident is corrected."
    assert editor.errors.labels["place"].text() == "Write where it happened."
    assert editor.general_error.text() == "Please correct the fields marked in red."
    assert incidents.get_incident(db, people.leader, incident.id).version == 1


def test_a_half_typed_correction_comes_back_after_the_dialog_is_closed(
        qtbot, db, people, incident, make_ctx, monkeypatch):
    ctx = make_ctx(people.night)
    editor = IncidentEditor(ctx, correcting=incident)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.reason, "Forkert rum")
    _replace_text(qtbot, editor.place, "Stillerummet")
    # Closed at once (Esc), before the draft timer ran: the last keystrokes are kept too.
    qtbot.keyClick(editor.place, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert drafts.load_draft(db, people.night, DRAFT_KEY) is None  # not the new-incident draft

    again = IncidentEditor(ctx, correcting=incident)
    qtbot.addWidget(again)
    assert again.draft_notice.text().startswith("The correction you began at")
    assert again.place.text() == "Stillerummet"
    assert again.reason.text() == "Forkert rum"
    assert again.force_rows[0].statement.toPlainText() == STATEMENT
    # Another user's corrections and a new incident start clean.
    fresh = IncidentEditor(make_ctx(people.leader), correcting=incident)
    qtbot.addWidget(fresh)
    assert fresh.draft_notice.isHidden() and fresh.place.text() == "Køkkenet"
    new = IncidentEditor(ctx)
    qtbot.addWidget(new)
    assert new.draft_notice.isHidden() and new.place.text() == ""

    # Cancel (confirmed) throws the draft away; nothing was corrected.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    again.findChild(QPushButton, "cancel_button").click()
    assert drafts.load_draft(db, people.night, correction_draft_key(incident.id)) is None
    assert incidents.get_incident(db, people.night, incident.id).version == 1


def test_a_void_incident_cannot_be_corrected(qtbot, db, people, incident, make_window):
    incidents.void_incident(db, people.leader, incident.id, reason="Logget to gange")
    log = _open_log(make_window, people.leader, incident.id, show_void=True)
    assert log.detail.voided_at is not None
    assert not log.correct_button.isEnabled()
    assert not log.return_button.isEnabled()


def test_only_those_who_may_read_the_incident_may_correct_it(qtbot, people, incident,
                                                             make_window):
    window = make_window(people.contact2)
    page = window.go("incidents")
    page.show_incident(incident.id)
    assert page.log.detail is None
    assert not page.log.correct_button.isEnabled()
    assert not page.log.items_box.isVisibleTo(page.log)


def test_an_item_is_given_back_from_the_incident(qtbot, db, people, incident, make_window):
    log = _open_log(make_window, people.contact, incident.id)
    assert log.items.topLevelItemCount() == 2
    assert log.items.currentItem().text(0) == "Kniv"
    phone = log.items.topLevelItem(1)
    log.items.setCurrentItem(phone)
    button = log.findChild(QPushButton, "return_item_button")
    assert button.isEnabled()

    def give_back(dialog: ReturnItemDialog) -> None:
        assert dialog.on.date() == to_qdate(local_today())
        dialog.on.setDate(to_qdate(local_today() - timedelta(days=1)))
        dialog.findChild(QPushButton, "save_button").click()
        assert dialog.result() == QDialog.DialogCode.Accepted, dialog.general_error.text()

    failures = _when_dialog_opens(qtbot, give_back)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not failures, failures

    detail = incidents.get_incident(db, people.contact, incident.id)
    items = {i.description: i for i in detail.confiscated}
    assert items["Mobiltelefon"].returned_on == local_today() - timedelta(days=1)
    assert items["Mobiltelefon"].returned_by == "Karen Kontakt"
    assert not items["Mobiltelefon"].handed_to_police
    assert items["Kniv"].returned_on is None
    yesterday = format_date(local_today() - timedelta(days=1))
    assert f"Mobiltelefon (given back {yesterday} by Karen Kontakt)" in log.text.text()
    # The phone is back: it cannot be given back twice; the knife still can.
    log.items.setCurrentItem(log.items.topLevelItem(1))
    assert log.items.currentItem().text(2) == f"given back {yesterday} by Karen Kontakt"
    assert not button.isEnabled()
    log.items.setCurrentItem(log.items.topLevelItem(0))
    assert button.isEnabled()


def test_an_item_handed_to_the_police_says_so(qtbot, db, people, incident, make_ctx):
    knife = next(i for i in incident.confiscated if i.description == "Kniv")
    dialog = ReturnItemDialog(make_ctx(people.night), incident, knife)
    qtbot.addWidget(dialog)
    dialog.to_police.setChecked(True)
    dialog.findChild(QPushButton, "save_button").click()
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.general_error.text()
    detail = incidents.get_incident(db, people.night, incident.id)
    knife = next(i for i in detail.confiscated if i.description == "Kniv")
    assert (knife.returned_on, knife.handed_to_police) == (local_today(), True)


def test_a_future_date_is_refused_with_a_message(qtbot, db, people, incident, make_ctx):
    knife = next(i for i in incident.confiscated if i.description == "Kniv")
    dialog = ReturnItemDialog(make_ctx(people.night), incident, knife)
    qtbot.addWidget(dialog)
    tomorrow = local_today() + timedelta(days=1)
    dialog.on.setDate(to_qdate(tomorrow))
    dialog.findChild(QPushButton, "save_button").click()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.errors.labels["on"].text() == (
        f"The date {format_date(tomorrow)} is in the future.")
    assert not dialog.errors.labels["on"].isHidden()
    # A date before the incident is refused too.
    dialog.on.setDate(to_qdate(local_today() - timedelta(days=5)))
    dialog.findChild(QPushButton, "save_button").click()
    assert "before the incident happened" in dialog.errors.labels["on"].text()
    detail = incidents.get_incident(db, people.night, incident.id)
    assert all(i.returned_on is None for i in detail.confiscated)
