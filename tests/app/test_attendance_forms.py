"""The printed round sheet (the paper fallback of a round) and the missing-resident report:
what they show, where the printed ticks sit, page count for a full centre, languages,
permissions and the audit of printing."""

from __future__ import annotations

import io
import shutil
import subprocess
import uuid
from datetime import UTC, date, datetime, timedelta

import pypdf
import pypdfium2 as pdfium
import pytest

from app.errors import PermissionDenied
from app.forms.document import CentreHeader
from app.forms.fonts import shape
from app.forms.missing_report import render_missing_report
from app.forms.round_sheet import TICK_WIDTH, initials, render_round_sheet
from app.i18n import set_language
from app.rules.absence import MARKS
from app.services import attendance, audit, leave, missing, rooms
from app.services.attendance import RoundView
from app.services.audit import AuditFilter
from app.services.forms import missing_report_pdf, round_sheet_pdf, round_sheet_pdf_for
from app.services.missing import CaseFacts
from app.services.residents import register_arrival
from tests.conftest import resident_input

DAY = date(2026, 11, 20)  # a Friday, in the past, so every printed deadline has passed
# The afternoon round is planned at 15:00 Copenhagen time (14:00 UTC).
PLANNED = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ARABIC_NAME = "احمد کریمی"
TIGRINYA_NAME = "ዮናስ ተስፋዬ"
POLICE_REFERENCE = "0900-80152-01234-26"


def _pages_text(pdf: bytes) -> list[str]:
    """The text of each page, lines joined: wrapped cells read as one line."""
    return [" ".join(page.extract_text().split())
            for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages_text(pdf))


def _arrive(db, people, bed, **overrides):
    return register_arrival(db, people.coordinator, resident_input(**overrides), bed.id,
                            primary_contact_id=people.contact.staff_id,
                            secondary_contact_id=people.contact2.staff_id, today=DAY)


@pytest.fixture
def centre_of_four(db, people, beds):
    """Four residents in 101/A, 101/B, 102/A, 102/B; the one in 102/A is on family leave."""
    ahmad = _arrive(db, people, beds[0])  # born 1 May 2010: 16 years old
    yonas = _arrive(db, people, beds[1], person_id="22222-2", given_names="Yonas",
                    family_name="Tesfaye", name_in_own_script=TIGRINYA_NAME,
                    nationality="Eritrea", date_of_birth=date(2013, 2, 3))
    sara = _arrive(db, people, beds[2], person_id="33333-3", given_names="Sara",
                   family_name="Haile", name_in_own_script=None, sex="female",
                   date_of_birth=date(2011, 6, 7))
    omar = _arrive(db, people, beds[3], person_id="44444-4", given_names="Omar",
                   family_name="Al-Hashimi", name_in_own_script="عمر الهاشمي",
                   date_of_birth=date(2012, 8, 9))
    leave.add_leave(db, people.coordinator, sara.id, kind="family_visit",
                    starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=2),
                    note="Uncle in Odense")
    return {"ahmad": ahmad, "yonas": yonas, "sara": sara, "omar": omar}


def _half_done_round(db, people, residents) -> RoundView:
    """The afternoon round with Yonas present (15:05), Ahmad absent (15:10), Omar not yet."""
    view = attendance.open_round(db, people.reception, DAY, "afternoon", now=NOW)
    attendance.mark_resident(db, people.reception, view.round_id, residents["yonas"].id,
                             "present", marked_at=PLANNED + timedelta(minutes=5), now=NOW)
    attendance.mark_resident(db, people.reception, view.round_id, residents["ahmad"].id,
                             "absent", marked_at=PLANNED + timedelta(minutes=10), now=NOW)
    return view


def _case_of(db, people, resident_id: uuid.UUID):
    (case,) = [c for c in missing.open_cases(db, people.night) if c.resident_id == resident_id]
    return case


# --- the round sheet ----------------------------------------------------------------------------

def test_round_sheet_lists_every_resident_with_the_marks_made_so_far(db, people,
                                                                     centre_of_four):
    view = _half_done_round(db, people, centre_of_four)

    pdf = round_sheet_pdf(db, people.reception, view.round_id)

    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for expected in ("Børnecenter Test (TEST)", "Round sheet", "Afternoon round",
                     "Friday, 20 November 2026", "15:00",
                     "Type every mark into Centre Desk afterwards, with the time the "
                     "resident was really seen.",
                     "Ahmad Karimi", "12345-6", "Yonas Tesfaye", "22222-2", TIGRINYA_NAME,
                     "Sara Haile", "33333-3", "Omar Al-Hashimi", "44444-4",
                     "101", "102",
                     "15:05", "15:10", initials("Rasmus Reception"),  # who marked, when
                     "Weekend/visit with family",  # Sara's leave, pre-printed
                     "Missing since 20/11/2026, 15:10",  # Ahmad's absent mark opened a case
                     "Round taken by", "Typed into Centre Desk by", "The marks",
                     "by Rasmus Reception", "Page 1 of 1"):
        assert expected in text, expected
    assert shape("احمد کریمی")[::-1] in text  # the own-script name, joined
    # Yonas, Ahmad and Sara (leave) are marked; Omar is not: three printed ticks.
    assert text.count("\u2714") == 3


def _tick_positions(pdf: bytes) -> list[tuple[float, float]]:
    """(x, y) of the centre of every printed tick on the first page."""
    page = pdfium.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    ticks = []
    for index in range(textpage.count_chars()):
        if textpage.get_text_range(index, 1) == "\u2714":
            left, bottom, right, top = textpage.get_charbox(index)
            ticks.append(((left + right) / 2, (bottom + top) / 2))
    return ticks


def _line_y(pdf: bytes, text: str) -> float:
    page = pdfium.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    searcher = textpage.search(text)
    found = searcher.get_next()
    assert found, text
    _left, bottom, _right, top = textpage.get_charbox(found[0])
    return (bottom + top) / 2


def test_printed_ticks_sit_in_the_column_of_their_mark(db, people, centre_of_four):
    residents = centre_of_four
    view = attendance.open_round(db, people.reception, DAY, "afternoon", now=NOW)
    marks = {"yonas": "present", "ahmad": "other", "omar": "school"}  # Sara: leave
    for key, mark in marks.items():
        attendance.mark_resident(db, people.reception, view.round_id, residents[key].id, mark,
                                 note="At the dentist" if mark == "other" else None,
                                 marked_at=PLANNED, now=NOW)
    marks["sara"] = "leave"
    names = {"yonas": "Yonas Tesfaye", "ahmad": "Ahmad Karimi", "omar": "Omar Al-Hashimi",
             "sara": "Sara Haile"}

    pdf = round_sheet_pdf(db, people.reception, view.round_id)

    ticks = _tick_positions(pdf)
    assert len(ticks) == 4
    column_of: dict[str, float] = {}
    for key, name in names.items():
        y = _line_y(pdf, name)
        x, _y = min(ticks, key=lambda tick: abs(tick[1] - y))  # the tick on the name's row
        column_of[marks[key]] = x
    present_x = column_of["present"]
    for mark, x in column_of.items():
        assert (x - present_x) / TICK_WIDTH == pytest.approx(MARKS.index(mark), abs=0.05), mark
    assert "At the dentist" in _text(pdf)


def test_eighty_residents_fit_on_three_pages(db, people):
    beds = []
    for number in range(1, 41):
        beds += rooms.create_room(db, people.admin, str(number), ["A", "B"])
    for index, bed in enumerate(beds):
        _arrive(db, people, bed, person_id=f"{50000 + index}-{index % 10}",
                given_names=f"Resident{index:02d}", family_name="Testesen",
                date_of_birth=date(2010 + index % 5, 1 + index % 12, 1 + index % 28))
    view = attendance.open_round(db, people.reception, DAY, "morning", now=NOW)
    assert view.expected == 80

    pdf = round_sheet_pdf(db, people.night, view.round_id)

    pages = _pages_text(pdf)
    assert len(pages) == 3
    text = " ".join(pages)
    for index in range(80):
        assert f"{50000 + index}-{index % 10}" in text
    for number, page in enumerate(pages, start=1):
        assert "Round sheet" in page and "Morning round" in page
        assert "Initials" in page  # the table's heading is repeated on every page
        assert f"Page {number} of 3" in page
    assert "Round taken by" in pages[-1]  # the sign-off is on the last page


def test_round_sheet_for_a_round_not_started_opens_it(db, people, centre_of_four):
    assert attendance.rounds_of_day(db, people.night, DAY)[2].round_id is None

    pdf = round_sheet_pdf_for(db, people.night, DAY, "evening",
                              now=datetime(2026, 11, 20, 20, 40, tzinfo=UTC))

    evening = attendance.rounds_of_day(db, people.night, DAY)[2]
    assert evening.started and evening.marked == 1  # Sara's leave, pre-marked
    text = _text(pdf)
    assert "Evening round" in text and "22:00" in text
    assert "Weekend/visit with family" in text
    assert text.count("\u2714") == 1
    total, rows = audit.browse(db, people.leader, AuditFilter(
        entity="attendance_round", entity_id=evening.round_id, action="print"))
    assert total == 1 and rows[0].staff_name == "Nina Nattevagt"


def test_round_sheet_in_danish(db, people, centre_of_four):
    view = _half_done_round(db, people, centre_of_four)
    set_language("da")

    text = _text(round_sheet_pdf(db, people.reception, view.round_id))

    for expected in ("fredag den 20. november 2026", "20. nov. 2026", "15.00", "15.05",
                     "Side 1 af 1", "Udskrevet", "Værelse", "Alder", "Ahmad Karimi",
                     "12345-6"):
        assert expected in text, expected


def test_round_sheet_of_an_empty_centre_says_so():
    view = RoundView(uuid.uuid4(), DAY, "morning", PLANNED, None, ())

    text = _text(render_round_sheet(CentreHeader("Børnecenter Test", "TEST"), view,
                                    printed_at=NOW))

    assert "Nobody lives at the centre on this day." in text
    assert "Page 1 of 1" in text


def test_initials_of_staff():
    assert initials("Rasmus Reception") == "RR"
    assert initials("Åse Marie Bach Ørum") == "ÅMØ"
    assert initials(None) == "" and initials("") == ""


# --- the missing-resident report ---------------------------------------------------------------

def _describe(db, people, case_id, **changes) -> None:
    facts = dict(last_seen_at=PLANNED - timedelta(hours=3),
                 last_seen_place="Sandholm station, platform 2, with two older boys",
                 height="172 cm", clothing="Black hoodie, grey jogging trousers, white sneakers",
                 description="Slim, short black hair, scar over the left eyebrow",
                 contacts="Cousin in Nørrebro, phone +45 22 33 44 55")
    facts.update(changes)
    missing.update_case(db, people.night, case_id, CaseFacts(**facts), now=NOW)


def test_missing_report_has_what_the_police_ask_for(db, people, centre_of_four):
    _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)
    _describe(db, people, case.case_id)
    missing.record_report(db, people.night, case.case_id, "police",
                          done_at=NOW, reference=POLICE_REFERENCE, now=NOW)

    pdf = missing_report_pdf(db, people.night, case.case_id)

    pages = _pages_text(pdf)
    assert 1 <= len(pages) <= 2
    text = " ".join(pages)
    for expected in (
            "Missing-resident report", "Ahmad Karimi", "12345-6", "1 May 2010", "Male",
            "Afghanistan", "Dari", "101", "Recent photo",
            # when first missed (the absent mark at 15:10) and the deadline: 16 years old,
            # so 24 hours later
            "Missing since", "20/11/2026, 15:10", "Reports due", "21/11/2026, 15:10",
            "16 years old when first missed (15 or older): the reports are due 24 hours "
            "after the time first missed.",
            "Absent in an attendance round, by Rasmus Reception",
            "Last seen (time)", "20/11/2026, 12:00", "Sandholm station, platform 2",
            "172 cm", "Black hoodie, grey jogging trousers", "scar over the left eyebrow",
            "Cousin in Nørrebro, phone +45 22 33 44 55",
            "Rikke Repræsentant", "+45 12 34 56 78", "rikke@example.dk",
            "Karen Kontakt", "Kurt Kontakt",
            "Registered as missing in IBS", "Reported to the police", POLICE_REFERENCE,
            "20/11/2026, 15:30", "Nina Nattevagt", "Reported to the municipality",
            "Reported to the Agency", "Personal representative informed",
            "Staff member (name and signature)", f"Page {len(pages)} of {len(pages)}"):
        assert expected in text, expected
    assert ARABIC_NAME not in text and shape(ARABIC_NAME)[::-1] in text
    assert "Special concern: the reports are due at once." not in text


def test_special_concern_makes_the_report_due_at_once_and_overdue(db, people,
                                                                  centre_of_four):
    _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)
    _describe(db, people, case.case_id, special_concern=True)
    case = missing.get_case(db, people.night, case.case_id)
    assert case.due_at == case.missing_since

    text = _text(render_missing_report(CentreHeader("Børnecenter Test", "TEST"), case,
                                       printed_at=NOW + timedelta(hours=1)))

    assert "Reports due 20/11/2026, 15:10" in text
    assert "Special concern: the reports are due at once." in text
    assert "OVERDUE when printed: 5 reports not made yet." in text


def test_under_fifteen_gets_twelve_hours_and_empty_facts_leave_room_to_write(
        db, people, centre_of_four):
    omar = centre_of_four["omar"]  # 14 years old
    case = missing.report_missing(db, people.night, omar.id, missing_since=PLANNED, now=NOW)

    text = _text(render_missing_report(CentreHeader("Børnecenter Test", "TEST"), case,
                                       printed_at=PLANNED + timedelta(hours=1)))

    assert "21/11/2026, 03:00" in text  # 15:00 + 12 hours
    assert "14 years old when first missed (under 15)" in text
    assert "12 hours" in text
    assert "5 reports not made yet." in text and "OVERDUE" not in text
    assert "Reported missing by staff, by Nina Nattevagt" in text
    assert "Police journal number" in text  # a hint where to write it
    for label in ("Height", "Clothing", "Last seen (where, with whom)",
                  "Returned (time)"):
        assert label in text


def test_report_of_a_closed_case_shows_the_return_and_late_reports(db, people,
                                                                   centre_of_four):
    _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)
    late = case.due_at + timedelta(hours=2)
    later = late + timedelta(hours=1)
    missing.record_report(db, people.night, case.case_id, "agency", done_at=late, now=later)
    missing.close_case(db, people.night, case.case_id, closed_at=later, reason="returned",
                       note="Came back by train from Padborg", now=later)

    text = _text(missing_report_pdf(db, people.night, case.case_id))

    assert "Case closed 21/11/2026, 18:10: Returned to the centre." in text
    assert "Came back by train from Padborg" in text
    assert "after the deadline" in text


def test_missing_report_in_danish(db, people, centre_of_four):
    _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)
    set_language("da")

    text = _text(missing_report_pdf(db, people.night, case.case_id))

    for expected in ("1. maj 2010", "20.11.2026 15.10", "21.11.2026 15.10", "Person-id",
                     "Fødselsdato", "Personlig repræsentant", "Side 1 af", "Udskrevet"):
        assert expected in text, expected


def test_geez_names_print_in_the_ethiopic_font(db, people, centre_of_four):
    view = _half_done_round(db, people, centre_of_four)
    reader = pypdf.PdfReader(io.BytesIO(round_sheet_pdf(db, people.reception, view.round_id)))
    fonts = {str(font["/BaseFont"]) for font in
             reader.pages[0]["/Resources"]["/Font"].get_object().values()}
    assert any("NotoSansEthiopic" in font for font in fonts), fonts


def test_qpdf_finds_no_errors(db, people, centre_of_four, tmp_path):
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is needed for this test: apt-get install qpdf"
    view = _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)
    for name, pdf in (("round.pdf", round_sheet_pdf(db, people.reception, view.round_id)),
                      ("missing.pdf", missing_report_pdf(db, people.reception, case.case_id))):
        path = tmp_path / name
        path.write_bytes(pdf)
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr


# --- permissions and audit ----------------------------------------------------------------------

def test_administrator_may_print_neither_and_nothing_is_logged(db, people, centre_of_four):
    view = _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)

    with pytest.raises(PermissionDenied):
        round_sheet_pdf(db, people.admin, view.round_id)
    with pytest.raises(PermissionDenied):
        round_sheet_pdf_for(db, people.admin, DAY, "evening", now=NOW)
    with pytest.raises(PermissionDenied):
        missing_report_pdf(db, people.admin, case.case_id)

    total, _rows = audit.browse(db, people.leader, AuditFilter(action="print"))
    assert total == 0
    assert attendance.rounds_of_day(db, people.leader, DAY)[2].round_id is None


def test_printing_is_audited(db, people, centre_of_four):
    view = _half_done_round(db, people, centre_of_four)
    case = _case_of(db, people, centre_of_four["ahmad"].id)

    round_sheet_pdf(db, people.contact, view.round_id)
    missing_report_pdf(db, people.night, case.case_id)

    total, rows = audit.browse(db, people.leader, AuditFilter(
        entity="attendance_round", entity_id=view.round_id, action="print"))
    assert total == 1
    assert rows[0].summary == "round sheet" and rows[0].staff_name == "Karen Kontakt"
    total, rows = audit.browse(db, people.leader, AuditFilter(
        entity="missing_case", entity_id=case.case_id, action="print"))
    assert total == 1
    assert rows[0].summary == "missing-resident report"
    assert rows[0].staff_name == "Nina Nattevagt"
