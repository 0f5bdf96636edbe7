"""The Agency's report forms IN8, IN9, IN10 and IN12 printed from an incident: the form code
in the title, the facts, the centre, the reporting staff member, the minor's own statement
on IN10 (an acceptance criterion of issue 5), Danish, page count, permissions, refusal of
a form the incident does not call for, the audit of printing and a clean PDF."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta

import pypdf
import pytest

from app.errors import DomainError, PermissionDenied
from app.forms.fonts import shape
from app.forms.incident_reports import duration_text, form_title
from app.i18n import _, set_language
from app.services import audit, incidents
from app.services.audit import AuditFilter
from app.services.forms import INCIDENT_FORM_CODES, incident_form_pdf
from app.services.incidents import ConfiscatedInput, ForceInput, IncidentInput
from app.services.residents import register_arrival
from app.vocab import INCIDENT_KIND_LABELS, label
from tests.conftest import resident_input

DAY = date(2026, 11, 1)
HAPPENED = datetime(2026, 11, 20, 2, 40, tzinfo=UTC)      # 03:40 in Copenhagen
NOTICED = HAPPENED + timedelta(minutes=2)
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)           # 10:00 in Copenhagen
JOURNAL = "0900-80152-01234-26"
OMAR_SCRIPT = "عمر الهاشمي"
STATEMENT = ("I was angry because Ahmad laughed at me. I did not want to hurt anybody, "
             "but they held my arms too hard and it hurt for an hour afterwards.")
DESCRIPTION = ("Omar threw a chair at Ahmad after an argument about the television. Ahmad "
               "was hit on the arm. Omar picked up a kitchen knife; staff took him to the "
               "quiet room, where he calmed down.")


def _pages_text(pdf: bytes) -> list[str]:
    """The text of each page, whitespace collapsed: wrapped lines read as one."""
    return [" ".join(page.extract_text().split())
            for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages_text(pdf))


@pytest.fixture
def residents(db, people, beds):
    """Ahmad (16) and Omar (14, name also in Arabic script), both with Karen Kontakt as
    primary contact person; Kurt Kontakt is contact person of neither."""
    ahmad = register_arrival(db, people.coordinator, resident_input(), beds[0].id,
                             primary_contact_id=people.contact.staff_id, today=DAY)
    omar = register_arrival(db, people.coordinator, resident_input(
        person_id="44444-4", given_names="Omar", family_name="Al-Hashimi",
        name_in_own_script=OMAR_SCRIPT, nationality="Syria", date_of_birth=date(2012, 8, 9)),
        beds[2].id, primary_contact_id=people.contact.staff_id, today=DAY)
    return {"ahmad": ahmad, "omar": omar}


def _restraint(db, people, residents, **changes):
    """Night staff log a fight in the kitchen: violence, removal of Omar to another room and
    his knife taken into safekeeping (police, IN9, IN10, informing the minor and the
    representative)."""
    ahmad, omar = residents["ahmad"], residents["omar"]
    values = dict(
        happened_at=HAPPENED, noticed_at=NOTICED, place="Kitchen, ground floor",
        kinds=("violence", "removal", "confiscation"), description=DESCRIPTION,
        residents=((omar.id, "causing"), (ahmad.id, "affected")),
        staff_ids=(people.night.staff_id,),
        other_persons="Security guard Jens Hansen",
        immediate_actions=("first_aid", "police_called", "separated"),
        uses_of_force=(ForceInput(
            resident_id=omar.id, kind="removal", started_at=HAPPENED + timedelta(minutes=3),
            ended_at=HAPPENED + timedelta(minutes=15),
            reason="He held a kitchen knife and was a danger to Ahmad and the staff.",
            decided_by=people.night.staff_id, injuries="A scratch on his left hand."),),
        confiscated=(ConfiscatedInput("Kitchen knife (20 cm)", omar.id, "Office safe"),))
    values.update(changes)
    return incidents.log_incident(db, people.night, IncidentInput(**values), now=NOW)


def _with_statement(db, people, residents):
    incident = _restraint(db, people, residents)
    force = incident.uses_of_force[0]
    incidents.record_statement(db, people.night, force.id, informed_on=date(2026, 11, 20),
                               statement=STATEMENT, declined=False,
                               statement_on=date(2026, 11, 21))
    incidents.mark_report_done(db, people.night, incident.id, "police", reference=JOURNAL,
                               done_at=NOW - timedelta(hours=1), now=NOW)
    return incident


# --- IN10: the acceptance criterion ----------------------------------------------------------

def test_in10_holds_the_facts_and_the_minors_own_statement(db, people, residents):
    incident = _with_statement(db, people, residents)

    pdf = incident_form_pdf(db, people.night, incident.id, "IN10")

    assert pdf.startswith(b"%PDF-")
    pages = _pages_text(pdf)
    assert 1 <= len(pages) <= 2
    assert "Børnecenter Test (TEST)" in pages[0]
    assert "IN10 – Use of force against a minor" in pages[0]
    text = _text(pdf)
    for expected in (
            f"Incident {incident.number}", "Version 1",
            # the centre and the reporting staff member
            "Centre Børnecenter Test", "Centre code TEST", "Reported by Nina Nattevagt",
            # the facts
            "Happened 20/11/2026, 03:40", "Noticed 20/11/2026, 03:42",
            "Place Kitchen, ground floor", DESCRIPTION,
            "Also recorded Violence",
            "First aid, Police called, Residents separated",
            "Staff involved Nina Nattevagt", "Other persons Security guard Jens Hansen",
            # the residents: person ID, date of birth and age then, role
            # (the name cell has more lines: text extraction reads the row after it)
            "Omar Al-Hashimi", "44444-4 09/08/2012 (14) Syria 102 Causing",
            "Ahmad Karimi", "12345-6 01/05/2010 (16) Afghanistan 101 Affected",
            "Representative: Rikke Repræsentant",
            # the use of force
            "Use of force: Restraint/removal to another room",
            "Minor Omar Al-Hashimi Person ID 44444-4",
            "Started 20/11/2026, 03:43 Ended 20/11/2026, 03:55",
            "Duration 12 minutes Decided by Nina Nattevagt",
            "Why it was necessary He held a kitchen knife and was a danger to Ahmad and the "
            "staff.",
            "Injuries A scratch on his left hand.",
            "Minor told about the report on 20/11/2026",
            "The minor's own statement, word for word: Omar Al-Hashimi, given 21/11/2026",
            STATEMENT,
            # confiscated items
            "Kitchen knife (20 cm) Omar Al-Hashimi Office safe Still kept",
            # the reports, with the police journal number
            f"Report to the police 21/11/2026, 09:00 Nina Nattevagt {JOURNAL}",
            "IN10 to the Agency (use of force)", "Minor told about the report and heard",
            "Personal representative informed",
            "Date and signature: reporting staff member (Nina Nattevagt)",
            "Date and signature: centre leader or authorised person",
            "Printed", "by Nina Nattevagt"):
        assert expected in text, expected
    # The name in Arabic script is printed joined (contextual forms, right to left); the
    # text layer reads it back in logical order.
    assert shape(OMAR_SCRIPT)[::-1] in text
    # Not sent yet: the banner says so.
    assert "Not marked as sent yet" in text


def test_in10_says_when_the_minor_declined_and_leaves_room_when_not_yet_heard(
        db, people, residents):
    ahmad, omar = residents["ahmad"], residents["omar"]
    incident = _restraint(db, people, residents, kinds=("bring_back", "search_room"),
                          confiscated=(), uses_of_force=(
        ForceInput(resident_id=ahmad.id, kind="bring_back", started_at=HAPPENED,
                   ended_at=HAPPENED + timedelta(minutes=75),
                   reason="He ran towards the motorway at night.", minor_declined=True,
                   minor_informed_on=date(2026, 11, 20), statement_on=date(2026, 11, 20)),
        ForceInput(resident_id=omar.id, kind="search_room",
                   started_at=HAPPENED + timedelta(hours=2), ended_at=None,
                   reason="Reason to believe he kept a lighter in his room.")))

    text = _text(incident_form_pdf(db, people.night, incident.id, "IN10"))

    assert "Use of force 1 of 2: Bringing back a runaway" in text
    assert "Duration 1 h 15 min" in text
    assert "The minor declined to give a statement (20/11/2026)." in text
    assert "Use of force 2 of 2: Search of room" in text
    assert ("The minor's own statement, word for word (or that the minor declined): "
            "Omar Al-Hashimi") in text
    assert "None recorded" in text  # no injuries were recorded


# --- IN9, IN8, IN12 ----------------------------------------------------------------------------

def test_in9_holds_the_facts_the_police_journal_number_and_room_for_an_allowance_case(
        db, people, residents):
    incident = _with_statement(db, people, residents)
    incidents.mark_report_done(db, people.leader, incident.id, "IN9", reference="Sent by e-mail",
                               now=NOW)

    pdf = incident_form_pdf(db, people.leader, incident.id, "IN9")

    pages = _pages_text(pdf)
    assert len(pages) <= 2
    assert "IN9 – Crime and serious incidents" in pages[0]
    text = _text(pdf)
    for expected in ("Marked as sent to the Agency 21/11/2026, 10:00 by Lene Leder.",
                     "Reference: Sent by e-mail", "Reported by Nina Nattevagt",
                     "Place Kitchen, ground floor", DESCRIPTION,
                     "44444-4 09/08/2012 (14) Syria 102 Causing",
                     "12345-6 01/05/2010 (16) Afghanistan 101 Affected",
                     "Use of force (details on IN10)",
                     "Cash allowance (cases caused by violence or threats)",
                     "Amount or share", "The resident's comments (passed on to the Agency)",
                     f"Report to the police 21/11/2026, 09:00 Nina Nattevagt {JOURNAL}",
                     "Printed", "by Lene Leder"):
        assert expected in text, expected
    assert STATEMENT not in text  # the minor's statement belongs on IN10


def test_in8_has_the_harassment_grounds_and_whether_police_and_pet_were_told(
        db, people, residents):
    ahmad, omar = residents["ahmad"], residents["omar"]
    incident = incidents.log_incident(db, people.night, IncidentInput(
        happened_at=HAPPENED, noticed_at=NOTICED, place="Common room",
        kinds=("radicalisation", "harassment"),
        harassment_grounds="Religion: called Ahmad an infidel",
        description="Omar showed younger residents videos glorifying an armed group.",
        residents=((omar.id, "causing"), (ahmad.id, "affected"))), now=NOW)
    incidents.mark_report_done(db, people.night, incident.id, "police", reference=JOURNAL,
                               now=NOW)

    text = _text(incident_form_pdf(db, people.night, incident.id, "IN8"))

    assert "IN8 – Radicalisation concern or harassment" in text
    for expected in ("Grounds of the harassment (race, religion, gender, sexuality …) "
                     "Religion: called Ahmad an infidel",
                     f"Police told Yes, 21/11/2026, 10:00 by Nina Nattevagt Reference: {JOURNAL}",
                     "PET told Not yet (required)", "Report to PET",
                     "Omar showed younger residents videos glorifying an armed group."):
        assert expected in text, expected


def test_in12_names_the_refusal_and_leaves_the_decision_to_fill_in(db, people, residents):
    incident = incidents.log_incident(db, people.leader, IncidentInput(
        happened_at=HAPPENED, noticed_at=HAPPENED, place="Room 101",
        kinds=("refused_tasks",), description="Ahmad refused to clean the kitchen on his "
        "rota day for the third week running.",
        residents=((residents["ahmad"].id, "causing"),)), now=NOW)

    pdf = incident_form_pdf(db, people.leader, incident.id, "IN12")

    assert len(_pages_text(pdf)) <= 2
    text = _text(pdf)
    for expected in ("IN12 – Cash allowance reduced or withdrawn",
                     "Reported by Lene Leder", "Refused Refused required tasks",
                     "Decision on the cash allowance (to be filled in)",
                     "Reduction of the cash allowance", "Withdrawal of the cash allowance",
                     "Amount or share", "Period", "Date of decision",
                     "Resident told what the case is based on (date)",
                     "The resident's comments (passed on to the Agency)",
                     "No decision is recorded in Centre Desk yet: fill in by hand",
                     "IN12 to the Agency (allowance)"):
        assert expected in text, expected


def test_every_form_has_its_code_in_the_title_and_fits_two_pages(db, people, residents):
    """One incident calling for all four forms: each prints with its own title."""
    incident = _restraint(
        db, people, residents, kinds=("violence", "removal", "harassment", "refused_tasks"),
        harassment_grounds="Gender")

    for code in INCIDENT_FORM_CODES:
        pdf = incident_form_pdf(db, people.night, incident.id, code)
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) <= 2, code
        first = " ".join(reader.pages[0].extract_text().split())
        assert form_title(code) in first, code
        assert code in reader.metadata.title
        assert f"Form {code}, Centre Desk layout." in first


def test_a_corrected_and_a_voided_incident_say_so(db, people, residents):
    incident = _restraint(db, people, residents)
    data = IncidentInput(
        happened_at=HAPPENED, noticed_at=NOTICED, place="Kitchen, first floor",
        kinds=("violence",), description=DESCRIPTION,
        residents=((residents["omar"].id, "causing"), (residents["ahmad"].id, "affected")))
    incidents.correct_incident(db, people.leader, incident.id, data,
                               reason="It was the first floor", now=NOW)
    incidents.void_incident(db, people.leader, incident.id, reason="Logged twice", now=NOW)

    text = _text(incident_form_pdf(db, people.leader, incident.id, "IN9"))

    assert "Version 2 (corrected)" in text
    assert "by Lene Leder: It was the first floor" in text
    assert "Place Kitchen, first floor" in text
    assert "VOID since 21/11/2026, 10:00: this incident is not to be reported." in text
    assert "Logged twice" in text


# --- Danish --------------------------------------------------------------------------------------

def test_in10_in_danish(db, people, residents):
    incident = _with_statement(db, people, residents)
    set_language("da")

    pdf = incident_form_pdf(db, people.night, incident.id, "IN10")

    text = _text(pdf)
    assert form_title("IN10") in text and "IN10" in form_title("IN10")
    assert _("Incident {number}").format(number=incident.number) in text
    assert label(INCIDENT_KIND_LABELS, "removal") in text
    assert "Side 1 af 2" in text and "Page 1 of" not in text
    assert "Udskrevet" in text and "af Nina Nattevagt" in text
    assert "20.11.2026 03.40" in text  # Danish date and time
    assert "09.08.2012 (14)" in text
    assert "Person-id" in text
    assert f"{JOURNAL}" in text
    assert STATEMENT in text  # the statement is printed word for word, never translated


# --- refusals ------------------------------------------------------------------------------------

def test_only_those_who_may_read_the_incident_may_print_its_forms(db, people, residents):
    incident = _with_statement(db, people, residents)

    with pytest.raises(PermissionDenied):  # a contact person of neither resident
        incident_form_pdf(db, people.contact2, incident.id, "IN10")
    with pytest.raises(PermissionDenied):  # the administrator keeps the system, not incidents
        incident_form_pdf(db, people.admin, incident.id, "IN10")
    total, _rows = audit.browse(db, people.leader, AuditFilter(entity="incident",
                                                                action="print"))
    assert total == 0

    # The residents' contact person, the coordinator and the reporter may.
    for actor in (people.contact, people.coordinator, people.night):
        assert incident_form_pdf(db, actor, incident.id, "IN9").startswith(b"%PDF-")


def test_a_form_the_incident_does_not_call_for_is_refused(db, people, residents):
    incident = _restraint(db, people, residents)

    with pytest.raises(DomainError, match=rf"Incident {incident.number} does not call for "
                                          r"form IN8; its forms are IN9, IN10\."):
        incident_form_pdf(db, people.night, incident.id, "IN8")
    with pytest.raises(DomainError, match="IN11 is not a report form"):
        incident_form_pdf(db, people.night, incident.id, "IN11")

    guidance = incidents.log_incident(db, people.night, IncidentInput(
        happened_at=HAPPENED, noticed_at=HAPPENED, place="Hall", kinds=("physical_guidance",),
        description="Guided Omar by the arm back to his room.",
        residents=((residents["omar"].id, "causing"),),
        uses_of_force=(ForceInput(resident_id=residents["omar"].id, kind="physical_guidance",
                                  started_at=HAPPENED, ended_at=HAPPENED,
                                  reason="He would not leave the hall at bedtime."),)),
        now=NOW)
    with pytest.raises(DomainError, match="it needs no report form"):
        incident_form_pdf(db, people.night, guidance.id, "IN10")

    # A report staff add is printable.
    incidents.add_report(db, people.night, guidance.id, "IN10", reason="Asked by the leader")
    text = _text(incident_form_pdf(db, people.night, guidance.id, "IN10"))
    assert "Added by staff: Asked by the leader" in text
    assert "Use of force: Physical guidance" in text


# --- audit, PDF validity, helpers ----------------------------------------------------------------

def test_printing_is_audited_with_the_form_and_version(db, people, residents):
    incident = _restraint(db, people, residents)

    incident_form_pdf(db, people.night, incident.id, "IN10")
    incident_form_pdf(db, people.leader, incident.id, "IN9")

    total, rows = audit.browse(db, people.leader, AuditFilter(
        entity="incident", entity_id=incident.id, action="print"))
    assert total == 2
    by_form = {row.summary: row for row in rows}
    assert by_form["IN10 form"].staff_name == "Nina Nattevagt"
    assert by_form["IN10 form"].changes == {"code": "IN10", "version": 1}
    assert by_form["IN9 form"].staff_name == "Lene Leder"


def test_qpdf_finds_no_errors(db, people, residents, tmp_path):
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is needed for this test: apt-get install qpdf"
    incident = _with_statement(db, people, residents)
    for code in ("IN9", "IN10"):
        path = tmp_path / f"{code}.pdf"
        path.write_bytes(incident_form_pdf(db, people.night, incident.id, code))

        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True,
                                check=False)

        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.parametrize(("minutes", "expected"), [
    (0, "0 minutes"), (1, "1 minute"), (59, "59 minutes"), (60, "1 h 0 min"),
    (75, "1 h 15 min"), (None, None)])
def test_duration_text(minutes, expected):
    ended = None if minutes is None else HAPPENED + timedelta(minutes=minutes)
    assert duration_text(HAPPENED, ended) == expected
