"""The Notes area: a contact person writes the shift notes for several residents with one Save,
a half-written set of notes survives a lock and a closed window, night staff see that notes
exist but not their words, and search finds a note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.formatting import local_today
from app.models import AuditEntry, Observation
from app.services import drafts, observations, residents
from app.services.observations import ObservationInput
from tests.conftest import PASSWORD, resident_input
from ui.notes.page import NotesPage
from ui.notes.shift_notes import DRAFT_KEY


@dataclass
class Kids:
    ahmad: residents.ResidentDetail
    omar: residents.ResidentDetail
    leila: residents.ResidentDetail


@pytest.fixture
def kids(db, people, beds) -> Kids:
    """Ahmad and Leila: Karen Kontakt primary and secondary; Omar: Kurt Kontakt primary."""
    arrival = local_today() - timedelta(days=30)

    def arrive(bed, primary, secondary, **values):
        return residents.register_arrival(
            db, people.coordinator, resident_input(arrival_date=arrival, **values), bed.id,
            primary_contact_id=primary, secondary_contact_id=secondary)

    return Kids(
        arrive(beds[0], people.contact.staff_id, people.contact2.staff_id),
        arrive(beds[1], people.contact2.staff_id, None, person_id="44444-4",
               given_names="Omar", family_name="Al-Hashimi", date_of_birth=date(2012, 8, 9)),
        arrive(beds[2], None, people.contact.staff_id, person_id="55555-5",
               given_names="Leila", family_name="Haddad", sex="female",
               date_of_birth=date(2011, 2, 3)))


def _notes_page(window) -> NotesPage:
    page = window.go("notes")
    assert isinstance(page, NotesPage)
    return page


def test_notes_for_several_residents_are_saved_with_one_save(qtbot, db, people, kids,
                                                             make_window):
    window = make_window(people.contact)
    page = _notes_page(window)
    mine = page.my_residents.tree
    assert [mine.topLevelItem(i).text(0) for i in range(mine.topLevelItemCount())] == [
        "Ahmad Karimi", "Leila Haddad"]
    assert mine.topLevelItem(0).text(8) == "No plan yet"

    tab = page.shift_notes
    page.tabs.setCurrentWidget(tab)
    assert [b.resident_id for b in tab.boxes] == [kids.ahmad.id, kids.leila.id]
    ahmad, leila = tab.boxes
    qtbot.keyClicks(ahmad.text, "Spillede fodbold med de andre.")
    ahmad.categories["leisure"].setChecked(True)
    # Leila's box ticked as a concern but left without words: nothing is saved, she is named.
    leila.concern.setChecked(True)
    tab.save_button.click()
    assert "Leila Haddad" in leila.error.text()
    assert ahmad.error.text() == ""
    with db.read() as session:
        assert session.query(Observation).count() == 0

    qtbot.keyClicks(leila.text, "Bekymret for hende: sover dårligt og spiser ikke.")
    leila.categories["sleep"].setChecked(True)
    tab.save_button.click()
    assert tab.general_error.text() == "" and leila.error.text() == ""
    with db.read() as session:
        notes = {n.resident_id: n for n in session.scalars(select(Observation))}
    assert set(notes) == {kids.ahmad.id, kids.leila.id}
    assert notes[kids.ahmad.id].categories == ["leisure"]
    assert notes[kids.leila.id].concern and notes[kids.leila.id].categories == ["sleep"]
    assert all(n.author_id == people.contact.staff_id for n in notes.values())
    # The boxes are empty again, no draft is left, and My residents shows the new notes.
    assert all(b.is_blank() for b in tab.boxes)
    assert drafts.load_draft(db, people.contact, DRAFT_KEY) is None
    assert mine.topLevelItem(0).text(4) != "None yet"


def test_night_staff_add_a_resident_by_name(qtbot, db, people, kids, make_window):
    window = make_window(people.night)
    tab = _notes_page(window).shift_notes
    assert tab.boxes == []
    qtbot.keyClicks(tab.pick.lineEdit(), "Omar Al")
    tab.add_picked()
    assert [b.resident_id for b in tab.boxes] == [kids.omar.id]
    qtbot.keyClicks(tab.boxes[0].text, "Vågnede kl. 3 og kunne ikke sove igen.")
    tab.save_button.click()
    with db.read() as session:
        note = session.scalars(select(Observation)).one()
    assert note.resident_id == kids.omar.id and note.author_id == people.night.staff_id
    assert tab.boxes == []


def test_half_written_notes_survive_a_lock_and_a_closed_window(qtbot, db, people, kids,
                                                              make_window):
    window = make_window(people.contact)
    tab = _notes_page(window).shift_notes
    ahmad = tab.box_for(kids.ahmad.id)
    qtbot.keyClicks(ahmad.text, "Halvt skrevet om Ahmad")
    ahmad.categories["school"].setChecked(True)
    window.lock()
    # The lock put the words somewhere safe at once, before any timer.
    saved = drafts.load_draft(db, people.contact, DRAFT_KEY)
    assert saved is not None
    assert saved.payload["boxes"][str(kids.ahmad.id)]["text"] == "Halvt skrevet om Ahmad"
    window.unlock(PASSWORD)
    assert not window.locked
    assert ahmad.text.toPlainText() == "Halvt skrevet om Ahmad"

    qtbot.keyClicks(ahmad.text, " i skolen")
    window.close()
    again = make_window(people.contact)
    tab = _notes_page(again).shift_notes
    ahmad = tab.box_for(kids.ahmad.id)
    assert ahmad.text.toPlainText() == "Halvt skrevet om Ahmad i skolen"
    assert ahmad.categories["school"].isChecked()
    assert tab.draft_notice.text().startswith("The notes you began at")
    # Another user does not get Karen's draft.
    other = make_window(people.contact2)
    assert all(b.is_blank() for b in _notes_page(other).shift_notes.boxes)


def test_night_staff_see_that_notes_exist_but_not_their_words(qtbot, db, people, kids,
                                                               make_window):
    observations.write_observations(db, people.contact, [
        ObservationInput(kids.ahmad.id, "Hemmelig bekymring om familien"),
        ObservationInput(kids.ahmad.id, "Glad efter fodbold")])
    window = make_window(people.night)
    page = _notes_page(window)
    page.show_resident(kids.ahmad.id)
    assert page.tabs.currentWidget() is page.history
    shown = page.history.history.toPlainText()
    assert "2 notes exist" in shown
    assert "contact persons, the social coordinator and the centre leader" in shown
    assert "Karen Kontakt" in shown
    assert "Hemmelig" not in shown and "fodbold" not in shown

    # The contact person reads them, and the reading is in the audit trail.
    window = make_window(people.contact)
    page = _notes_page(window)
    page.show_resident(kids.ahmad.id)
    shown = page.history.history.toPlainText()
    assert "Hemmelig bekymring om familien" in shown and "Glad efter fodbold" in shown
    with db.read() as session:
        assert session.scalars(select(AuditEntry).where(
            AuditEntry.staff_id == people.contact.staff_id,
            AuditEntry.entity == "observation", AuditEntry.action == "read",
            AuditEntry.entity_id == kids.ahmad.id)).first() is not None


def test_search_finds_a_note_and_a_concern_is_acknowledged(qtbot, db, people, kids,
                                                           make_window):
    observations.write_observations(db, people.night, [
        ObservationInput(kids.ahmad.id, "Ahmad græd om natten og ville ringe hjem.",
                         concern=True)])
    window = make_window(people.contact)
    history = _notes_page(window).history
    qtbot.keyClicks(history.search_edit, "græd")
    history.run_search()
    assert history.hits.topLevelItemCount() == 1
    hit = history.hits.topLevelItem(0)
    assert hit.text(1) == "Ahmad Karimi" and "græd" in hit.text(2)

    assert history.concerns.topLevelItemCount() == 1
    assert history.concerns.topLevelItem(0).text(1) == "Ahmad Karimi"
    history.acknowledge_button.click()
    assert history.concerns.topLevelItemCount() == 0
    assert observations.concerns_for(db, people.contact) == []


def test_the_leader_sees_the_caseload_balance(qtbot, people, kids, make_window):
    page = _notes_page(make_window(people.leader))
    balance = page.my_residents.balance
    assert balance is not None
    rows = {balance.topLevelItem(i).text(0): balance.topLevelItem(i).text(3)
            for i in range(balance.topLevelItemCount())}
    assert rows["Karen Kontakt"] == "2" and rows["Kurt Kontakt"] == "2"
    assert "without a primary contact person: 1" in page.my_residents.balance_summary.text()


def test_correcting_ones_own_note_after_24_hours_keeps_the_earlier_words(qtbot, db, people,
                                                                          kids, make_window):
    from app.formatting import utcnow

    [note] = observations.write_observations(db, people.contact, [
        ObservationInput(kids.ahmad.id, "Sov dårligt i nat.")],
        now=utcnow() - timedelta(hours=30))
    observations.write_observations(db, people.contact2, [
        ObservationInput(kids.ahmad.id, "Spiste morgenmad.")])
    page = _notes_page(make_window(people.contact))
    page.show_resident(kids.ahmad.id)
    html_text = page.history.history.toHtml()
    assert html_text.count("edit:") == 1 and f"edit:{note.id}" in html_text   # only her own
    page.history.correct_note(note.id, "Sov dårligt i nat; faldt i søvn kl. 3.")
    shown = page.history.history.toPlainText()
    assert "Sov dårligt i nat; faldt i søvn kl. 3." in shown
    assert "Earlier version 1" in shown and "Sov dårligt i nat." in shown
