"""Transfer to integration: recording the permit, the checklist, the Today page duties and
the printed handover form (issue 4 items 6 and 7)."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta

import pypdf
import pytest

from app.errors import DomainError, PermissionDenied, ValidationError
from app.formatting import LOCAL_TZ
from app.forms.fonts import shape
from app.models import AuditEntry
from app.queries.due import due_duties
from app.services import integration, residents
from app.services.forms import handover_form_pdf
from tests.conftest import resident_input

ARRIVAL = date(2026, 11, 1)
TODAY = date(2026, 11, 23)
ARABIC = "عمر الهاشمي"


@pytest.fixture
def omar(db, people, beds):
    return residents.register_arrival(
        db, people.coordinator, resident_input(given_names="Omar", family_name="Søgård-Æbelø",
                                               name_in_own_script=ARABIC, nationality="Syria",
                                               languages=("Arabic", "English")),
        beds[0].id, primary_contact_id=people.contact.staff_id, today=ARRIVAL)


def _record(db, actor, resident_id, notified_on=date(2026, 11, 20), municipality="Aarhus"):
    return integration.record_permit(db, actor, resident_id, notified_on=notified_on,
                                     municipality=municipality, today=TODAY)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ)


def test_recording_a_permit_starts_the_checklist(db, people, omar):
    case = _record(db, people.contact, omar.id, municipality="  Høje-Taastrup  ")
    assert case.municipality == "Høje-Taastrup"
    assert case.is_open and case.resident_name == "Omar Søgård-Æbelø"
    assert case.handover_form_due == date(2026, 12, 4)
    assert [(t.code, t.due_on, t.done_on) for t in case.tasks] == [
        ("handover_conversation", date(2026, 11, 27), None),
        ("municipality_dialogue", date(2026, 11, 27), None),
        ("handover_form", date(2026, 12, 4), None),
        ("agency_statement", date(2026, 12, 4), None),
        ("move_planning", None, None)]
    assert integration.integration_case(db, people.night, omar.id) == case
    with db.read() as session:
        assert session.query(AuditEntry).filter_by(entity="integration_case").count() >= 1


def test_refusals_name_what_is_wrong(db, people, omar):
    with pytest.raises(ValidationError) as error:
        _record(db, people.contact, omar.id, notified_on=TODAY + timedelta(days=1),
                municipality=" ")
    assert error.value.problems == {
        "municipality": "Write the integration municipality the resident moves to.",
        "notified_on": "The date 24 Nov 2026 is in the future."}
    with pytest.raises(ValidationError) as error:
        _record(db, people.contact, omar.id, notified_on=date(2026, 10, 31))
    assert error.value.problems["notified_on"] == (
        "The permit cannot be notified on 31 Oct 2026, before the resident arrived "
        "(1 Nov 2026).")
    with pytest.raises(PermissionDenied):
        _record(db, people.night, omar.id)
    _record(db, people.contact, omar.id)
    with pytest.raises(DomainError) as error:
        _record(db, people.coordinator, omar.id, municipality="Odense")
    assert error.value.message == (
        "Omar Søgård-Æbelø already has an open integration case: permit notified on "
        "20 Nov 2026, municipality Aarhus. Close it before recording another permit.")


def test_marking_tasks_done_and_closing(db, people, omar):
    case = _record(db, people.contact, omar.id)
    task = case.task("handover_conversation")
    with pytest.raises(ValidationError) as error:
        integration.mark_task_done(db, people.contact, task.id, done_on=date(2026, 11, 19),
                                   today=TODAY)
    assert "before the permit was notified (20 Nov 2026)" in error.value.problems["done_on"]
    case = integration.mark_task_done(db, people.contact, task.id, done_on=TODAY,
                                      note=" Talked with an interpreter ", today=TODAY)
    done = case.task("handover_conversation")
    assert (done.done_on, done.done_by, done.note) == (TODAY, "Karen Kontakt",
                                                       "Talked with an interpreter")
    with pytest.raises(DomainError, match="already marked done on 23 Nov 2026"):
        integration.mark_task_done(db, people.contact, task.id, done_on=TODAY, today=TODAY)
    with db.read() as session:
        codes = [t.code for t in integration.open_tasks(session, TODAY)]
    assert codes == ["municipality_dialogue", "agency_statement", "handover_form",
                     "move_planning"]
    closed = integration.close_case(db, people.coordinator, case.id, on=TODAY, today=TODAY)
    assert closed.closed_on == TODAY
    with pytest.raises(DomainError, match="closed on 23 Nov 2026"):
        integration.mark_task_done(db, people.contact, case.task("handover_form").id,
                                   done_on=TODAY, today=TODAY)
    with db.read() as session:
        assert integration.open_tasks(session, TODAY) == []
    # A new permit may be recorded once the case is closed.
    assert _record(db, people.contact, omar.id, municipality="Odense").is_open


def test_today_page_duties_by_urgency(db, people, omar):
    _record(db, people.contact, omar.id)   # form due 4 December, conversation 27 November

    def duties(day):
        with db.read() as session:
            return {d.params["task"]: d for d in due_duties(session, _at(day))
                    if d.kind.startswith("integration_")}

    now = duties(TODAY)
    form = now["handover_form"]
    assert form.kind == "integration_handover_form" and form.severity == "info"
    assert form.title == "Handover form for Omar Søgård-Æbelø to Aarhus due 4 Dec 2026"
    assert form.due_at == _at(date(2026, 12, 4), 0)
    assert form.resident_id == omar.id
    assert now["handover_conversation"].severity == "info"   # due in 4 days
    assert now["move_planning"].severity == "info" and now["move_planning"].due_at is None
    assert now["move_planning"].title == ("Omar Søgård-Æbelø, moving to Aarhus: Planning of "
                                          "the move")
    assert duties(date(2026, 11, 24))["handover_conversation"].severity == "upcoming"
    assert duties(date(2026, 11, 30))["handover_form"].severity == "info"
    assert duties(date(2026, 12, 1))["handover_form"].severity == "upcoming"
    assert duties(date(2026, 12, 4))["handover_form"].severity == "due"
    assert duties(date(2026, 12, 5))["handover_form"].severity == "overdue"
    assert duties(date(2026, 11, 28))["handover_conversation"].title == (
        "Omar Søgård-Æbelø, moving to Aarhus: Handover conversation with the resident – due "
        "27 Nov 2026")


def test_handover_pdf_has_the_text(db, people, omar):
    with pytest.raises(DomainError, match="No residence permit is recorded for Omar"):
        handover_form_pdf(db, people.contact, omar.id)
    case = _record(db, people.contact, omar.id, municipality="Københavns Kommune")
    integration.mark_task_done(db, people.contact, case.task("municipality_dialogue").id,
                               done_on=TODAY, note="Møde med sagsbehandler", today=TODAY)
    pdf = handover_form_pdf(db, people.contact, omar.id)
    text = " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("Handover form to the integration municipality", "Københavns Kommune",
                     "Omar Søgård-Æbelø", "12345-6", "Syria", "Arabic, English",
                     "Rikke Repræsentant", "Karen Kontakt", "Handover form due",
                     "4 Dec 2026", "Møde med sagsbehandler", "Dialogue with the municipality",
                     "Planning of the move", "The resident's own wishes"):
        assert expected in text, expected
    assert shape(ARABIC)[::-1] in text
    with db.read() as session:
        assert session.query(AuditEntry).filter_by(entity="integration_case",
                                                   action="print").count() == 1
    with pytest.raises(PermissionDenied):
        handover_form_pdf(db, people.night, omar.id)
