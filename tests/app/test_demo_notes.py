"""The demo centre's shift observations: plausible notes by staff on shift about residents
living here, the 24-hour rule and the concerns kept, the full-text index filled."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import demo
from app.db import Database, open_database
from app.formatting import LOCAL_TZ
from app.models import (
    ContactAssignment,
    Observation,
    ObservationAcknowledgement,
    ObservationVersion,
    Resident,
    Staff,
    SyncChange,
)
from app.rules.observations import keeps_earlier_version
from app.services import auth
from app.services import observations as obs

TODAY = date(2026, 11, 23)
NOW = datetime.combine(TODAY, time(23, 59), tzinfo=LOCAL_TZ)


@dataclass
class Built:
    path: Path
    result: demo.DemoResult
    db: Database
    staff: dict
    residents: dict
    contacts: list
    notes: list
    versions: list
    acks: list


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    path = tmp_path_factory.mktemp("notes") / "demo.db"
    *_progress, result = demo.generate(path, places=24, years=1, seed=7, now=NOW)
    db = open_database(path)
    with db.read() as session:
        data = Built(path, result, db,
                     staff={s.id: s for s in session.scalars(select(Staff))},
                     residents={r.id: r for r in session.scalars(select(Resident))},
                     contacts=list(session.scalars(select(ContactAssignment))),
                     notes=list(session.scalars(select(Observation))),
                     versions=list(session.scalars(select(ObservationVersion))),
                     acks=list(session.scalars(select(ObservationAcknowledgement))))
    yield data
    db.close()


def _day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def _contacts_on(built: Built, resident_id, day: date) -> dict[str, object]:
    return {a.kind: a.staff_id for a in built.contacts
            if a.resident_id == resident_id and a.started_on <= day
            and (a.ended_on is None or day < a.ended_on)}


def test_counts_match_the_result(built: Built) -> None:
    live = [n for n in built.notes if n.deleted_at is None]
    assert built.result.observations == len(live) > 0
    assert built.result.observation_concerns == sum(1 for n in live if n.concern) > 0
    assert built.result.observations_revised == len(built.versions) > 0
    assert str(built.result.observations) in demo.describe(built.result, built.path)


def test_several_notes_per_resident_per_week(built: Built) -> None:
    weeks = 0.0
    first = TODAY - timedelta(days=364)
    for resident in built.residents.values():
        start = max(resident.arrival_date, first)
        end = resident.moved_out_on or TODAY
        weeks += max(0, (end - start).days) / 7
    per_week = len(built.notes) / weeks
    assert 2.0 <= per_week <= 4.5, per_week


def test_notes_are_about_residents_living_here_by_staff_at_work(built: Built) -> None:
    authors = Counter()
    for note in built.notes:
        resident = built.residents[note.resident_id]
        assert resident.arrival_date <= note.shift_date, note.id
        assert resident.moved_out_on is None or note.shift_date < resident.moved_out_on
        assert note.written_at <= NOW and note.shift_date <= _day(note.written_at)
        assert _day(note.written_at) - note.shift_date <= timedelta(days=1)
        author = built.staff[note.author_id]
        assert author.created_at <= note.written_at
        assert author.active or note.written_at <= author.updated_at
        contacts = _contacts_on(built, note.resident_id, note.shift_date)
        if note.author_id == contacts.get("primary"):
            authors["primary"] += 1
        elif note.author_id == contacts.get("secondary"):
            authors["secondary"] += 1
        elif "night_staff" in author.roles:
            authors["night"] += 1
        else:
            authors["other"] += 1
        assert note.categories and set(note.categories) <= {
            "wellbeing", "school", "leisure", "social", "sleep", "daily_skills",
            "family_contact"}
    total = sum(authors.values())
    assert authors["primary"] > authors["secondary"] > authors["night"] > 0
    assert (authors["primary"] + authors["secondary"]) / total > 0.6


def test_mostly_danish_some_english(built: Built) -> None:
    english = sum(1 for n in built.notes if " the " in n.text or n.text.startswith("Addition"))
    assert 0 < english < len(built.notes) * 0.2
    assert any("æ" in n.text or "ø" in n.text or "å" in n.text for n in built.notes)


def test_late_edits_keep_the_earlier_version_and_early_ones_do_not(built: Built) -> None:
    by_note = {v.observation_id: v for v in built.versions}
    edited = [n for n in built.notes if n.edited_at is not None and n.deleted_at is None]
    assert edited
    for note in edited:
        late = keeps_earlier_version(note.written_at, note.edited_at)
        assert (note.id in by_note) == late == (note.version == 2), note.id
        if late:
            version = by_note[note.id]
            assert version.replaced_at == note.edited_at == version.created_at
            assert note.text.startswith(version.text) and note.text != version.text
        assert note.row_version == 2 and note.updated_at == note.edited_at
    deleted = [n for n in built.notes if n.deleted_at is not None]
    for note in deleted:
        assert note.delete_reason and note.deleted_by == note.author_id
        assert note.updated_at == note.deleted_at


def test_concerns_are_acknowledged_by_their_audiences_a_couple_wait_today(built: Built) -> None:
    acks = defaultdict(dict)
    for ack in built.acks:
        acks[ack.observation_id][ack.audience] = ack
    for note in built.notes:
        if not note.concern:
            assert note.id not in acks
            continue
        for audience, ack in acks[note.id].items():
            assert ack.acknowledged_at >= note.written_at and ack.acknowledged_at <= NOW
            member = built.staff[ack.staff_id]
            if audience == "coordinator":
                assert "social_coordinator" in member.roles
            elif ack.staff_id != note.author_id:
                assert ack.staff_id == _contacts_on(built, note.resident_id,
                                                    note.shift_date)["primary"]
    coordinator = next(s for s in built.staff.values()
                       if "social_coordinator" in s.roles and s.active)
    actor = auth.login(built.db, coordinator.username, demo.DEMO_PASSWORD)
    waiting = obs.concerns_for(built.db, actor)
    assert 2 <= len(waiting) <= 10
    assert all(TODAY - _day(c.written_at) <= timedelta(days=2) for c in waiting)


def test_the_full_text_index_holds_every_note(built: Built) -> None:
    with built.db.engine.begin() as connection:
        connection.execute(text("INSERT INTO observation_fts(observation_fts, rank) "
                                "VALUES ('integrity-check', 1)"))
        indexed = connection.scalar(text("SELECT count(*) FROM observation_fts_docsize"))
        triggers = connection.scalar(text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'observation_fts_%'"))
    assert indexed == len(built.notes) and triggers == 3
    leader = next(s for s in built.staff.values() if "centre_leader" in s.roles and s.active)
    actor = auth.login(built.db, leader.username, demo.DEMO_PASSWORD)
    found = obs.search(built.db, actor, "skole")
    assert found.hits and all("skole" in h.snippet.lower() for h in found.hits)


def test_every_note_is_queued_for_head_office(built: Built) -> None:
    with built.db.read() as session:
        queued = dict(session.execute(
            select(SyncChange.entity, func.count()).where(SyncChange.entity.in_(
                ("observation", "observation_version", "observation_acknowledgement")))
            .group_by(SyncChange.entity)).all())
    assert queued == {"observation": len(built.notes),
                      "observation_version": len(built.versions),
                      "observation_acknowledgement": len(built.acks)}


def test_the_same_seed_gives_the_same_notes(built: Built, tmp_path: Path) -> None:
    *_progress, again = demo.generate(tmp_path / "again.db", places=24, years=1, seed=7,
                                      now=NOW)
    assert again == built.result
    db = open_database(tmp_path / "again.db")
    try:
        with db.read() as session:
            notes = sorted(session.execute(select(
                Observation.id, Observation.author_id, Observation.written_at,
                Observation.text)).all())
    finally:
        db.close()
    assert notes == sorted((n.id, n.author_id, n.written_at, n.text) for n in built.notes)
