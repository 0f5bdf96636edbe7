"""Shift observations: several residents in one save (all or none), the 24-hour edit rule at
its edges, deleting, concerns reaching the primary contact person and the social coordinator
until acknowledged, and full-text search (Danish letters, Arabic, hostile input)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app import fts
from app.errors import DomainError, PermissionDenied, ValidationError
from app.models import AuditEntry, Observation, ObservationAcknowledgement, ObservationVersion
from app.queries.due import due_duties
from app.rules.observations import FREE_EDIT_WINDOW, keeps_earlier_version
from app.services import observations as obs
from app.services.observations import ObservationInput
from app.services.residents import assign_contact_persons
from tests.app._core_support import audit_entries, cheap_hashing, count_rows  # noqa: F401
from tests.app._notes_support import NOW, TODAY, Kids, make_kids, write

pytestmark = pytest.mark.usefixtures("cheap_hashing")


@pytest.fixture
def kids(db, people, beds) -> Kids:
    return make_kids(db, people, beds)

ONE_MINUTE = timedelta(minutes=1)


# --- writing several at once ---------------------------------------------------------------

def test_notes_for_several_residents_are_saved_in_one_go(db, people, kids):
    saved = obs.write_observations(db, people.contact, [
        ObservationInput(kids.ahmad.id, "  Spillede fodbold med de andre.  ",
                         categories=("leisure", "social")),
        ObservationInput(kids.omar.id, ""),  # a box left empty is skipped
        ObservationInput(kids.leila.id, "Træt efter skolen, sov tidligt.",
                         categories=("sleep", "school"), shift_date=TODAY - timedelta(days=1)),
    ], now=NOW)

    assert [n.resident_id for n in saved] == [kids.ahmad.id, kids.leila.id]
    ahmad, leila = saved
    assert ahmad.text == "Spillede fodbold med de andre."
    assert ahmad.categories == ("leisure", "social")
    assert ahmad.shift_date == TODAY and ahmad.written_at == NOW
    assert ahmad.author_name == "Karen Kontakt" and ahmad.version == 1 and not ahmad.edited
    # Categories come back in the form's order, whatever order they were ticked in.
    assert leila.categories == ("school", "sleep")
    assert leila.shift_date == TODAY - timedelta(days=1)
    with db.read() as session:
        assert session.scalar(select(Observation.concern).where(
            Observation.id == ahmad.id)) is False


def test_one_bad_entry_saves_nothing_and_names_the_resident(db, people, kids):
    before = count_rows(db, Observation, AuditEntry)
    with pytest.raises(ValidationError) as caught:
        obs.write_observations(db, people.contact, [
            ObservationInput(kids.ahmad.id, "Glad og rolig i dag."),
            ObservationInput(kids.omar.id, "   ", concern=True),
            ObservationInput(kids.leila.id, "Hjemmearbejde.", categories=("homework",)),
        ], now=NOW)
    problems = caught.value.problems
    assert set(problems) == {"entries.1.text", "entries.2.categories"}
    assert "Omar Al-Hashimi" in problems["entries.1.text"]
    assert "Leila Haddad" in problems["entries.2.categories"]
    assert "homework" in problems["entries.2.categories"]
    assert count_rows(db, Observation, AuditEntry) == before


@pytest.mark.parametrize(("shift", "words"), [
    (TODAY + timedelta(days=1), "in the future"),
    (date(2026, 10, 31), "before Omar Al-Hashimi arrived"),
])
def test_the_shift_date_lies_within_the_stay(db, people, kids, shift, words):
    with pytest.raises(ValidationError) as caught:
        obs.write_observations(db, people.contact, [
            ObservationInput(kids.ahmad.id, "Fint."),
            ObservationInput(kids.omar.id, "Fint.", shift_date=shift)], now=NOW)
    assert list(caught.value.problems) == ["entries.1.shift_date"]
    assert words in caught.value.problems["entries.1.shift_date"]
    assert count_rows(db, Observation)["Observation"] == 0


def test_all_boxes_empty_is_refused(db, people, kids):
    with pytest.raises(ValidationError) as caught:
        obs.write_observations(db, people.contact, [ObservationInput(kids.ahmad.id, " ")],
                               now=NOW)
    assert "at least one resident" in str(caught.value)


def test_a_very_long_note_is_refused(db, people, kids):
    with pytest.raises(ValidationError) as caught:
        write(db, people.contact, kids.ahmad, "x" * 10_001)
    assert "10001 characters" in str(caught.value)


def test_the_administrator_does_not_write_notes(db, people, kids):
    with pytest.raises(PermissionDenied) as caught:
        write(db, people.admin, kids.ahmad, "Hej.")
    assert "write shift observations" in str(caught.value)


# --- the 24-hour rule -------------------------------------------------------------------------

def test_rule_function_edges():
    assert not keeps_earlier_version(NOW, NOW + FREE_EDIT_WINDOW - ONE_MINUTE)
    assert not keeps_earlier_version(NOW, NOW + FREE_EDIT_WINDOW)
    assert keeps_earlier_version(NOW, NOW + FREE_EDIT_WINDOW + timedelta(seconds=1))
    with pytest.raises(ValueError):
        keeps_earlier_version(NOW.replace(tzinfo=None), NOW)


def test_an_edit_at_23_59_just_changes_the_note(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Ahmad spiste ikke aftensmad.")
    edited = obs.edit_observation(db, people.contact, note.id,
                                  text="Ahmad spiste ikke aftensmad; tilbød ham en sandwich.",
                                  categories=("wellbeing",),
                                  now=NOW + timedelta(hours=23, minutes=59))
    assert edited.version == 1 and edited.earlier_versions == ()
    assert edited.text.endswith("sandwich.") and edited.categories == ("wellbeing",)
    assert edited.edited_at == NOW + timedelta(hours=23, minutes=59)
    assert count_rows(db, ObservationVersion)["ObservationVersion"] == 0


def test_an_edit_at_24_00_01_keeps_the_earlier_version_visible(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Ahmad var ked af det.",
                 categories=("wellbeing",))
    later = NOW + timedelta(hours=24, seconds=1)
    obs.edit_observation(db, people.contact, note.id,
                         text="Ahmad var ked af det efter en telefonsamtale med sin mor.",
                         categories=("wellbeing", "family_contact"), now=later)
    latest = NOW + timedelta(days=3)
    obs.edit_observation(db, people.contact, note.id, text="Ahmad var ked af det (rettet).",
                         categories=("wellbeing",), now=latest)

    shown = obs.read_notes(db, people.coordinator, kids.ahmad.id).notes[0]
    assert shown.version == 3 and shown.text == "Ahmad var ked af det (rettet)."
    assert [(v.version, v.text, v.categories, v.written_at, v.replaced_at)
            for v in shown.earlier_versions] == [
        (1, "Ahmad var ked af det.", ("wellbeing",), NOW, later),
        (2, "Ahmad var ked af det efter en telefonsamtale med sin mor.",
         ("wellbeing", "family_contact"), later, latest)]


def test_an_edit_that_changes_nothing_is_no_version(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Rolig aften.")
    same = obs.edit_observation(db, people.contact, note.id, text=" Rolig aften. ",
                                now=NOW + timedelta(days=2))
    assert same.version == 1 and not same.edited


def test_an_edit_of_the_words_only_keeps_categories_and_concern(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Ville ikke spise.",
                 categories=("wellbeing", "daily_skills"), concern=True)
    edited = obs.edit_observation(db, people.contact, note.id, text="Ville ikke spise morgenmad.",
                                  now=NOW + timedelta(minutes=5))
    assert (edited.categories, edited.concern) == (("wellbeing", "daily_skills"), True)


def test_only_the_author_edits_a_note(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Rolig aften.")
    with pytest.raises(PermissionDenied) as caught:
        obs.edit_observation(db, people.contact2, note.id, text="Noget andet.", now=NOW)
    assert "Only the author, Karen Kontakt" in str(caught.value)


def test_an_edited_note_needs_words(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Rolig aften.")
    with pytest.raises(ValidationError) as caught:
        obs.edit_observation(db, people.contact, note.id, text="  ", now=NOW)
    assert set(caught.value.problems) == {"text"}


# --- deleting -------------------------------------------------------------------------------

def test_the_author_deletes_a_note_with_a_reason_and_it_is_kept_as_deleted(db, people, kids):
    note = write(db, people.night, kids.ahmad, "Skrevet på den forkerte beboer: larm kl. 2.")
    with pytest.raises(ValidationError):
        obs.delete_observation(db, people.night, note.id, reason=" ", now=NOW)
    with pytest.raises(PermissionDenied):
        obs.delete_observation(db, people.contact, note.id, reason="Forkert beboer.", now=NOW)
    obs.delete_observation(db, people.night, note.id, reason="Forkert beboer.", now=NOW)

    assert obs.read_notes(db, people.leader, kids.ahmad.id).notes == ()
    assert obs.search(db, people.leader, "larm").hits == ()
    with db.read() as session:
        row = session.get(Observation, note.id)
    assert row.deleted_at == NOW and row.delete_reason == "Forkert beboer."
    assert row.deleted_by == people.night.staff_id
    deleted = audit_entries(db, action="delete", entity="observation", entity_id=note.id)
    assert len(deleted) == 1


def test_the_leader_deletes_anyones_note(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Dobbelt registreret.")
    obs.delete_observation(db, people.leader, note.id, reason="Dobbelt.", now=NOW)
    assert obs.read_notes(db, people.contact, kids.ahmad.id).notes == ()


# --- concerns -------------------------------------------------------------------------------

def _kinds(db, actor, at):
    with db.read() as session:
        return [d for d in due_duties(session, at, actor) if d.kind == "concern_note"]


def test_a_concern_waits_for_the_primary_contact_and_the_coordinator_until_acknowledged(
        db, people, kids):
    note = write(db, people.night, kids.ahmad, "Ahmad sagde, at han ikke kan se nogen mening "
                 "med noget. Græd længe.", categories=("wellbeing",), concern=True)

    for reader in (people.contact, people.coordinator):
        (concern,) = obs.concerns_for(db, reader)
        assert concern.note_id == note.id and concern.resident_name == "Ahmad Karimi"
        assert concern.author_name == "Nina Nattevagt"
        assert not hasattr(concern, "text")  # the words are read (and audited) with get_note
    # Not for the secondary contact person, the leader, or the one who wrote it.
    for other in (people.contact2, people.leader, people.night, people.reception):
        assert obs.concerns_for(db, other) == []

    # On their Today page only: a duty for the reader, never on everyone's list.
    (duty,) = _kinds(db, people.contact, NOW + timedelta(hours=1))
    assert duty.severity == "due" and duty.resident_id == kids.ahmad.id
    assert "Concern about Ahmad Karimi noted by Nina Nattevagt" in duty.title
    assert "mening" not in duty.title
    assert _kinds(db, people.contact, NOW + timedelta(hours=25))[0].severity == "overdue"
    assert _kinds(db, people.reception, NOW) == []
    with db.read() as session:
        assert not [d for d in due_duties(session, NOW) if d.kind == "concern_note"]

    assert obs.acknowledge_concern(db, people.contact, note.id,
                                   now=NOW + timedelta(hours=2)) == ("primary_contact",)
    assert obs.concerns_for(db, people.contact) == []
    assert [c.audiences for c in obs.concerns_for(db, people.coordinator)] == [("coordinator",)]
    with pytest.raises(DomainError):
        obs.acknowledge_concern(db, people.contact, note.id)
    with pytest.raises(PermissionDenied):
        obs.acknowledge_concern(db, people.contact2, note.id)
    obs.acknowledge_concern(db, people.coordinator, note.id)
    assert obs.concerns_for(db, people.coordinator) == []
    assert _kinds(db, people.coordinator, NOW) == []


def test_the_new_primary_contact_person_inherits_an_unacknowledged_concern(db, people, kids):
    write(db, people.reception, kids.ahmad, "Fik et brev og virkede bange.", concern=True)
    assign_contact_persons(db, people.coordinator, kids.ahmad.id, people.contact2.staff_id,
                           None, on=TODAY, today=TODAY)
    assert obs.concerns_for(db, people.contact) == []
    assert [c.resident_id for c in obs.concerns_for(db, people.contact2)] == [kids.ahmad.id]


def test_the_authors_own_audience_needs_no_acknowledgement(db, people, kids):
    write(db, people.contact, kids.ahmad, "Bekymret for Ahmads vægttab.", concern=True)
    assert obs.concerns_for(db, people.contact) == []
    assert len(obs.concerns_for(db, people.coordinator)) == 1
    with db.read() as session:
        acks = list(session.scalars(select(ObservationAcknowledgement)))
    assert [(a.audience, a.staff_id) for a in acks] == [("primary_contact",
                                                         people.contact.staff_id)]


def test_marking_a_note_as_concern_later_puts_it_in_front_again(db, people, kids):
    note = write(db, people.night, kids.ahmad, "Kom hjem kl. 01 og var påvirket.")
    assert obs.concerns_for(db, people.contact) == []
    obs.edit_observation(db, people.night, note.id, text=note.text, concern=True,
                         now=NOW + timedelta(hours=1))
    assert len(obs.concerns_for(db, people.contact)) == 1
    with pytest.raises(DomainError):
        obs.acknowledge_concern(db, people.contact,
                                write(db, people.night, kids.ahmad, "Alt roligt.").id)


def test_concerns_about_former_residents_no_longer_wait(db, people, kids):
    from app.services.residents import move_out

    write(db, people.night, kids.ahmad, "Bekymring.", concern=True)
    move_out(db, people.coordinator, kids.ahmad.id, on=TODAY, reason="moved_centre",
             today=TODAY)
    assert obs.concerns_for(db, people.coordinator) == []


# --- full-text search -------------------------------------------------------------------------

@pytest.fixture
def notes(db, people, kids):
    return obs.write_observations(db, people.contact, [
        ObservationInput(kids.ahmad.id, "Ahmad hjalp med at lave rødgrød med fløde; ærlig "
                         "og glad. Var på Åbenrå Skole om formiddagen."),
        ObservationInput(kids.leila.id, "Leila talte med sin mor i telefonen og sagde: "
                         "«أنا بخير يا أمي». Hun var glad bagefter."),
        ObservationInput(kids.ahmad.id, 'He said "I want to play football" AND went to '
                         "practice (NEAR the school)."),
    ], now=NOW)


# One database for all the queries: each is checked on its own, with the query in the message.
FOUND = {
    "rødgrød": 1, "RØDGRØD": 1, "ærlig": 1, "fløde": 1, "ÅBENRÅ": 1,
    "skole": 1,           # a word finds the words it starts: Skole
    "glad": 2,            # two notes
    "glad rødgrød": 1,    # every word must match
    "بخير": 1, "أمي": 1,  # Arabic script
    "mor telefonen": 1,
    "kaffe": 0,
}
HOSTILE = ['"', '""', "'", '"football', 'football"', "AND", "OR NOT", "NEAR(",
           "NEAR(play football)", "*", "-", "^school", "text:glad", "glad)", "(glad", "{glad}",
           "glad OR kaffe", "glad NOT rødgrød", 'play" OR "kaffe', "\\", "%", "_",
           "; DROP TABLE observation; --"]


def test_search_finds_danish_and_arabic_words(db, people, notes):
    found = {query: len(obs.search(db, people.coordinator, query).hits) for query in FOUND}
    assert found == FOUND


def test_operators_and_quotes_in_user_input_are_plain_text(db, people, notes):
    for query in HOSTILE:
        expression = fts.match_expression(query)
        assert expression is None or expression.startswith('"'), query
        result = obs.search(db, people.coordinator, query)  # never an FTS syntax error
        assert isinstance(result, obs.SearchResult), query
    assert count_rows(db, Observation)["Observation"] == 3


def test_operators_do_not_widen_the_search(db, people, notes):
    # "OR" is a word here, not an operator: no note contains it, so nothing is found.
    assert obs.search(db, people.coordinator, "glad OR kaffe").hits == ()
    assert len(obs.search(db, people.coordinator, '"I want to play"').hits) == 1
    assert len(obs.search(db, people.coordinator, "NEAR school").hits) == 1
    assert obs.search(db, people.coordinator, "   ").hits == ()


def test_search_results_are_newest_first_with_a_marked_snippet(db, people, kids, notes):
    write(db, people.contact2, kids.omar, "Omar var glad for sin nye cykel.",
          now=NOW + timedelta(hours=2))
    result = obs.search(db, people.coordinator, "glad")
    assert result.hits[0].resident_name == "Omar Al-Hashimi"
    assert {hit.resident_name for hit in result.hits[1:]} == {"Ahmad Karimi", "Leila Haddad"}
    assert result.hits[0].written_at == NOW + timedelta(hours=2)
    assert f"{fts.SNIPPET_START}glad{fts.SNIPPET_END}" in result.hits[0].snippet
    assert result.hits[0].author_name == "Kurt Kontakt"


def test_search_says_when_there_are_more_than_the_limit(db, people, kids):
    obs.write_observations(db, people.contact, [
        ObservationInput(kids.ahmad.id, f"Lektiehjælp nummer {n}.") for n in range(5)], now=NOW)
    result = obs.search(db, people.coordinator, "lektiehjælp", limit=3)
    assert len(result.hits) == 3 and result.truncated


def test_edits_and_deletes_keep_the_index_in_step(db, people, kids):
    note = write(db, people.contact, kids.ahmad, "Spillede skak med Omar.")
    obs.edit_observation(db, people.contact, note.id, text="Spillede backgammon med Omar.",
                         now=NOW + timedelta(hours=1))
    assert obs.search(db, people.coordinator, "skak").hits == ()
    assert len(obs.search(db, people.coordinator, "backgammon").hits) == 1
    obs.delete_observation(db, people.contact, note.id, reason="Fejl.", now=NOW)
    assert obs.search(db, people.coordinator, "backgammon").hits == ()
    with db.engine.begin() as connection:
        # FTS5 checks the index against the notes table; raises if they differ.
        connection.execute(text("INSERT INTO observation_fts(observation_fts, rank) "
                                "VALUES ('integrity-check', 1)"))
        fts.rebuild(connection)
    assert obs.search(db, people.coordinator, "backgammon").hits == ()


# --- the same on PostgreSQL (head office): no FTS index, search falls back to LIKE ----------

def test_notes_on_postgres(pg_url):
    from app.db import open_database
    from app.services import auth, centre, rooms, staff
    from app.services.residents import register_arrival
    from tests.conftest import PASSWORD, resident_input

    db = open_database(pg_url)
    try:
        centre.initialise_centre(db, centre_name="Børnecenter Østerå", centre_code="OESTERAA",
                                 admin_username="admin", admin_full_name="Åse Ødegård",
                                 admin_password=PASSWORD)
        admin = auth.login(db, "admin", PASSWORD)
        for username, roles in (("karen", ["contact_person"]), ("nina", ["night_staff"]),
                                ("sofie", ["social_coordinator"])):
            staff.create_staff(db, admin, username=username, full_name=username.title(),
                               password=PASSWORD, roles=roles)
        karen, nina, sofie = (auth.login(db, name, PASSWORD)
                              for name in ("karen", "nina", "sofie"))
        bed = rooms.create_room(db, admin, "101", ["A"])[0]
        ahmad = register_arrival(db, sofie, resident_input(arrival_date=date(2026, 11, 1)),
                                 bed.id, primary_contact_id=karen.staff_id, today=TODAY)
        first = write(db, karen, ahmad, "Ahmad lavede rødgrød og sagde «أنا بخير».")
        concern = write(db, nina, ahmad, "Nat: ÆBLER og uro.", concern=True,
                        now=NOW + timedelta(hours=1))

        assert [n.id for n in obs.read_notes(db, karen, ahmad.id).notes] == [concern.id,
                                                                              first.id]
        assert [h.note_id for h in obs.search(db, karen, "RØDGRØD").hits] == [first.id]
        assert [h.note_id for h in obs.search(db, karen, "بخير").hits] == [first.id]
        assert [h.note_id for h in obs.search(db, karen, "æbler uro").hits] == [concern.id]
        assert obs.search(db, karen, '50%_"').hits == ()
        assert [h.note_id for h in obs.search(db, nina, "ahmad").hits] == []  # not hers
        assert [c.note_id for c in obs.concerns_for(db, karen)] == [concern.id]
        with pytest.raises(PermissionDenied):
            obs.read_notes(db, nina, ahmad.id)
    finally:
        db.close()
