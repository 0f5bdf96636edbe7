"""Who may read a resident's notes (domain-rules §7), enforced by the services: the current
contact persons, the social coordinator and the centre leader; others see that notes exist
and read only what they wrote. Every opening of notes is in the audit trail."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import PermissionDenied
from app.formatting import utcnow
from app.models import AuditEntry
from app.services import observations as obs
from app.services.audit import AuditFilter, browse
from app.services.residents import assign_contact_persons
from tests.app._core_support import audit_entries, cheap_hashing  # noqa: F401
from tests.app._notes_support import NOW, TODAY, Kids, make_kids, write

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def kids(db, people, beds) -> Kids:
    return make_kids(db, people, beds)

SECRET = "Ahmad fortalte om mareridt fra flugten gennem Libyen."


@pytest.fixture
def ahmads_note(db, people, kids):
    return write(db, people.contact, kids.ahmad, SECRET, categories=("sleep",))


def _reads(db, resident_id=None):
    return audit_entries(db, action="read", entity="observation", entity_id=resident_id)


# --- refusals -------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["night", "reception", "contact2_of_other", "admin"])
def test_staff_who_are_not_entitled_get_a_clear_refusal(db, people, kids, ahmads_note, who):
    if who == "contact2_of_other":
        # Kurt is Omar's primary contact person, not Leila's: Leila's notes are not his.
        write(db, people.contact, kids.leila, "Leila savner sin bror.")
        actor, resident = people.contact2, kids.leila
    else:
        actor, resident = getattr(people, who), kids.ahmad
    before = len(_reads(db))
    with pytest.raises(PermissionDenied) as caught:
        obs.read_notes(db, actor, resident.id)
    message = str(caught.value)
    name = f"{resident.data.given_names} {resident.data.family_name}"
    assert f"The notes about {name} are confidential" in message
    assert "contact persons, the social coordinator and the centre leader" in message
    assert not obs.may_read_notes(db, actor, resident.id)
    assert len(_reads(db)) == before  # nothing was read


def test_a_contact_person_of_another_resident_is_refused_a_single_note(db, people, kids,
                                                                      ahmads_note):
    with pytest.raises(PermissionDenied):
        obs.get_note(db, people.night, ahmads_note.id)
    write(db, people.contact2, kids.omar, "Omar var rolig.")
    with pytest.raises(PermissionDenied):
        obs.read_notes(db, people.contact, kids.omar.id)  # Karen is not Omar's


# --- allowed reads, audited -------------------------------------------------------------------

@pytest.mark.parametrize("who", ["contact", "contact2", "coordinator", "leader"])
def test_contact_persons_coordinator_and_leader_read_and_each_read_is_audited(
        db, people, kids, ahmads_note, who):
    actor = getattr(people, who)
    before = utcnow()
    notes = obs.read_notes(db, actor, kids.ahmad.id)
    assert notes.may_read and [n.text for n in notes.notes] == [SECRET]
    assert notes.notes[0].categories == ("sleep",)
    (entry,) = _reads(db, kids.ahmad.id)
    assert entry.staff_id == actor.staff_id                        # who
    assert before - timedelta(seconds=1) <= entry.at <= utcnow()   # when
    assert entry.entity_id == kids.ahmad.id                        # which resident
    assert entry.changes["person_id"] == "12345-6"
    assert SECRET not in json.dumps(entry.changes) + (entry.summary or "")

    obs.read_notes(db, actor, kids.ahmad.id)
    assert len(_reads(db, kids.ahmad.id)) == 2  # every opening, not just the first


def test_reads_appear_in_the_audit_trail_for_the_leader(db, people, kids, ahmads_note):
    obs.read_notes(db, people.coordinator, kids.ahmad.id)
    total, rows = browse(db, people.leader, AuditFilter(entity="observation", action="read",
                                                        entity_id=kids.ahmad.id))
    assert total == 1 and rows[0].staff_name == "Sofie Koordinator"


def test_access_follows_the_current_contact_persons(db, people, kids, ahmads_note):
    assign_contact_persons(db, people.coordinator, kids.ahmad.id, people.contact2.staff_id,
                           None, on=TODAY, today=TODAY)
    with pytest.raises(PermissionDenied):
        obs.read_notes(db, people.contact, kids.ahmad.id)  # no longer Ahmad's
    # ... but her own note stays hers to read.
    (own,) = obs.list_notes(db, people.contact, kids.ahmad.id).notes
    assert own.readable and own.text == SECRET
    assert obs.read_notes(db, people.contact2, kids.ahmad.id).notes[0].text == SECRET


# --- the rest see that notes exist --------------------------------------------------------------

def test_others_see_that_notes_exist_and_read_only_their_own(db, people, kids, ahmads_note):
    mine = write(db, people.night, kids.ahmad, "Nat: Ahmad vågnede kl. 03 og kunne ikke sove.",
                 now=NOW + timedelta(hours=12))
    before = len(_reads(db))
    listed = obs.list_notes(db, people.night, kids.ahmad.id)

    assert not listed.may_read and listed.count == 2
    newest, older = listed.notes
    assert (newest.id, newest.readable, newest.text) == (mine.id, True, mine.text)
    assert mine.text.startswith("Nat: Ahmad vågnede")
    # Karen's note: when and by whom, not what.
    assert (older.readable, older.text, older.categories, older.concern) == (False, None, (),
                                                                             False)
    assert older.author_name == "Karen Kontakt" and older.written_at == NOW
    (entry,) = _reads(db)[before:]
    assert entry.staff_id == people.night.staff_id and entry.summary == "own notes"

    assert obs.get_note(db, people.night, mine.id).text.startswith("Nat:")
    with pytest.raises(PermissionDenied):
        obs.get_note(db, people.night, ahmads_note.id)


def test_listing_without_any_words_shown_is_not_a_read(db, people, kids, ahmads_note):
    before = len(_reads(db))
    listed = obs.list_notes(db, people.reception, kids.ahmad.id)
    assert listed.count == 1 and listed.notes[0].text is None
    assert len(_reads(db)) == before


def test_the_audit_trail_never_holds_the_words(db, people, kids, ahmads_note):
    obs.edit_observation(db, people.contact, ahmads_note.id, text=SECRET + " Tilføjet: tolk.",
                         now=NOW + timedelta(days=2))
    with db.read() as session:
        trail = list(session.scalars(select(AuditEntry).where(
            AuditEntry.entity.in_(("observation", "observation_version")))))
    assert {e.action for e in trail} >= {"create", "update"}
    for entry in trail:
        assert "Libyen" not in json.dumps(entry.changes, ensure_ascii=False)
    update = next(e for e in trail if e.action == "update")
    assert update.changes["text"] == ["***", "***"]


# --- search ---------------------------------------------------------------------------------

@pytest.fixture
def football(db, people, kids):
    """A note with "fodbold" about each child, by the contact persons and the night staff."""
    write(db, people.contact, kids.ahmad, "Ahmad spillede fodbold.")
    write(db, people.contact2, kids.omar, "Omar spillede fodbold.")
    write(db, people.night, kids.omar, "Omar talte om fodbold hele aftenen.")
    write(db, people.contact, kids.leila, "Leila så fodbold i fællesrummet.")


@pytest.mark.parametrize(("who", "found"), [
    ("contact", {"Ahmad Karimi", "Leila Haddad"}),            # her residents
    ("contact2", {"Ahmad Karimi", "Omar Al-Hashimi"}),        # his residents
    ("night", {"Omar Al-Hashimi"}),                           # only what she wrote
    ("reception", set()),
    ("coordinator", {"Ahmad Karimi", "Omar Al-Hashimi", "Leila Haddad"}),
    ("leader", {"Ahmad Karimi", "Omar Al-Hashimi", "Leila Haddad"}),
])
def test_search_finds_only_notes_the_actor_may_read(db, people, football, who, found):
    result = obs.search(db, getattr(people, who), "fodbold")
    assert {hit.resident_name for hit in result.hits} == found
    if who == "night":
        assert len(result.hits) == 1 and result.hits[0].author_name == "Nina Nattevagt"


def test_search_is_audited_per_resident_found(db, people, kids, football):
    before = len(_reads(db))
    result = obs.search(db, people.contact, "fodbold")
    entries = _reads(db)[before:]
    assert {e.entity_id for e in entries} == {hit.resident_id for hit in result.hits}
    assert all(e.summary == "search" and e.changes["query"] == "fodbold"
               and e.staff_id == people.contact.staff_id for e in entries)
    # A search that finds nothing is recorded too (what was looked for, by whom).
    obs.search(db, people.reception, "fodbold")
    (nothing,) = _reads(db)[before + len(entries):]
    assert nothing.entity_id is None and nothing.changes["notes"] == 0
