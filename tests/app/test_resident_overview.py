"""The contact person's one-page overview of a resident (issue 4 item 7): the text printed,
one page however much there is, the confidentiality rule and the audit."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pypdf
import pytest
from sqlalchemy import select

from app.errors import PermissionDenied
from app.forms.fonts import shape
from app.models import AuditEntry
from app.services import forms, plans
from tests.app._notes_support import LEILA_OWN_SCRIPT, NOW, make_kids, write

NOTE = "Leila hjalp med at dække bord og fortalte om sin søster i Århus."


@pytest.fixture
def kids(db, people, beds):
    return make_kids(db, people, beds)


def _pdf(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _plan(db, actor, resident, goals=1):
    plan = plans.start_plan(db, actor, resident.id)
    for number in range(goals):
        plans.add_goal(db, actor, plan.id, area="everyday_skills",
                       title=f"Lære at vaske sit tøj selv {number + 1}" if number
                       else "Lære at vaske sit tøj selv")
    return plan


def test_the_overview_prints_the_resident_plan_and_notes(db, people, kids):
    actor = people.contact  # Leila's secondary contact person
    _plan(db, actor, kids.leila)
    write(db, actor, kids.leila, NOTE)
    reader = _pdf(forms.resident_overview_pdf(db, actor, kids.leila.id))
    text = _text(reader)
    assert len(reader.pages) == 1
    assert "Leila Haddad" in text and "55555-5" in text
    assert shape(LEILA_OWN_SCRIPT)[::-1] in text or shape(LEILA_OWN_SCRIPT) in text
    assert "Lære at vaske sit tøj selv" in text
    assert "dække bord" in text and "Århus" in text
    assert "Karen" in text  # the contact person


def test_long_lists_stay_on_one_page(db, people, kids):
    actor = people.contact
    _plan(db, actor, kids.leila, goals=14)
    for day in range(12):
        write(db, actor, kids.leila, (NOTE + " ") * 6, now=NOW - timedelta(days=day))
    reader = _pdf(forms.resident_overview_pdf(db, actor, kids.leila.id))
    text = _text(reader)
    assert len(reader.pages) == 1
    goals, notes = text.split("Latest observations")
    assert re.search(r"… and \d+ more", goals)  # 14 goals do not fit
    assert re.search(r"… and ([7-9]|1[01]) more", notes)  # 5 of 12 notes at most


def test_night_staff_and_other_contact_persons_are_refused(db, people, kids):
    for actor in (people.night, people.contact2):  # Kurt is no contact person of Leila
        with pytest.raises(PermissionDenied):
            forms.resident_overview_pdf(db, actor, kids.leila.id)


def test_the_reads_and_the_print_are_audited(db, people, kids):
    actor = people.contact
    write(db, actor, kids.leila, NOTE)
    forms.resident_overview_pdf(db, actor, kids.leila.id)
    with db.read() as session:
        entries = {(e.action, e.entity) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.entity_id == kids.leila.id, AuditEntry.staff_id == actor.staff_id))}
    assert {("read", "observation"), ("read", "development_plan"),
            ("print", "resident")} <= entries
