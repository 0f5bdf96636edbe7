"""Printed forms: the record sheet's content, fonts, right-to-left names, page numbers,
permission and audit; and the shared document blocks."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest

from app.errors import PermissionDenied
from app.forms.document import (CentreHeader, Checkboxes, DataTable, Fields, Lines, Section,
                                Signatures, Text, render_document)
from app.forms.fonts import FONT, has_rtl, markup, shape
from app.forms.record_sheet import render_record_sheet
from app.i18n import set_language
from app.services import audit, centre, residents
from app.services.audit import AuditFilter
from app.services.forms import record_sheet_pdf
from tests.conftest import resident_input

ARABIC_NAME = "احمد کریمی"
PRINTED_AT = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)  # 14:05 in Copenhagen


def _register(db, people, beds, **overrides) -> residents.ResidentDetail:
    values: dict[str, object] = {"given_names": "Søren Ahmad", "family_name": "Kærgård-Karimi",
                                 "name_in_own_script": ARABIC_NAME,
                                 "languages": ("Dari", "Dansk")}
    values.update(overrides)
    return residents.register_arrival(
        db, people.coordinator, resident_input(**values), beds[0].id,
        primary_contact_id=people.contact.staff_id, secondary_contact_id=people.contact2.staff_id,
        today=date(2026, 11, 23))


def _pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return "\n".join(_pages_text(pdf))


# --- the record sheet through the service ----------------------------------------------

def test_record_sheet_shows_the_resident(db, people, beds):
    resident = _register(db, people, beds)

    pdf = record_sheet_pdf(db, people.reception, resident.id)

    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    for expected in ("Børnecenter Test (TEST)", "Record sheet", "Søren Ahmad",
                     "Kærgård-Karimi", "12345-6", "1 May 2010", "16 years", "Male",
                     "Afghanistan", "Dari, Dansk", "Phase 1", "1 Nov 2026", "In residence",
                     "Room 101, bed A", "Karen Kontakt", "Kurt Kontakt", "Rikke Repræsentant",
                     "+45 12 34 56 78", "rikke@example.dk", "Arrived at the centre",
                     "Karen Kontakt became primary contact person",
                     "by Rasmus Reception",
                     "Page 1 of 1"):
        assert expected in text, expected
    assert "age disputed" not in text


def test_arabic_name_is_printed_joined_and_right_to_left(db, people, beds):
    resident = _register(db, people, beds)
    pdf = record_sheet_pdf(db, people.reception, resident.id)

    text = _text(pdf)
    shaped = shape(ARABIC_NAME)
    assert shaped != ARABIC_NAME
    # The PDF holds the joined letters (presentation forms), not the bare letters …
    assert ARABIC_NAME not in text
    # … in display order; pypdf reads right-to-left runs back into logical order.
    assert shaped[::-1] in text

    # Where pdfium places the letters of the first name: each one left of the one before.
    page = pdfium.PdfDocument(pdf)[0]
    textpage = page.get_textpage()
    chars = [(textpage.get_text_range(i, 1), textpage.get_charbox(i))
             for i in range(textpage.count_chars())]
    first_word = "احمد"
    for start in range(len(chars) - len(first_word) + 1):
        if "".join(c for c, _box in chars[start:start + len(first_word)]) == first_word:
            lefts = [box[0] for _c, box in chars[start:start + len(first_word)]]
            break
    else:
        raise AssertionError("the Arabic name is not on the page")
    assert lefts == sorted(lefts, reverse=True), lefts


def test_fonts_are_embedded_dejavu(db, people, beds):
    resident = _register(db, people, beds)
    pdf = record_sheet_pdf(db, people.reception, resident.id)

    fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    base_names = []
    for font in fonts.values():
        font = font.get_object()
        base_names.append(str(font["/BaseFont"]))
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]
    assert base_names and all("DejaVuSans" in name for name in base_names), base_names
    assert any(name.endswith("DejaVuSans-Bold") for name in base_names)


def test_qpdf_finds_no_errors(db, people, beds, tmp_path):
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is needed for this test: apt-get install qpdf"
    resident = _register(db, people, beds, special_needs=True,
                         special_needs_note="Needs <quiet> & calm; يحتاج إلى غرفة هادئة")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(record_sheet_pdf(db, people.reception, resident.id))

    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True,
                            check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_night_staff_may_not_print_and_nothing_is_logged(db, people, beds):
    resident = _register(db, people, beds)

    with pytest.raises(PermissionDenied):
        record_sheet_pdf(db, people.night, resident.id)

    total, _rows = audit.browse(db, people.leader, AuditFilter(entity="resident",
                                                                action="print"))
    assert total == 0


def test_printing_is_audited(db, people, beds):
    resident = _register(db, people, beds)

    record_sheet_pdf(db, people.contact, resident.id)

    total, rows = audit.browse(db, people.leader, AuditFilter(
        entity="resident", entity_id=resident.id, action="print"))
    assert total == 1
    assert rows[0].summary == "record sheet"
    assert rows[0].staff_name == "Karen Kontakt"


# --- the record sheet's details --------------------------------------------------------

def test_special_needs_note_is_escaped_and_flags_shown(db, people, beds):
    resident = _register(db, people, beds, age_disputed=True, special_needs=True,
                         street_oriented=True, special_needs_note="Needs <quiet> room & care")
    pdf = render_record_sheet(centre.get_centre(db),
                              residents.get_resident(db, people.reception, resident.id),
                              printed_at=PRINTED_AT)

    text = _text(pdf)
    assert "Needs <quiet> room & care" in text
    assert "1 May 2010 (age disputed)" in text
    assert "Street-oriented section\nYes" in text
    assert "Special needs\nYes" in text
    assert "Printed 23/11/2026, 14:05" in text  # Copenhagen time


def test_moved_out_resident_without_representative(db, people, beds):
    resident = _register(db, people, beds, representative_name=None,
                         representative_phone=None, representative_email=None)
    residents.move_out(db, people.coordinator, resident.id, on=date(2026, 11, 20),
                       reason="moved_centre", note="Til Center Ålholm")
    detail = residents.get_resident(db, people.reception, resident.id)

    text = _text(render_record_sheet(centre.get_centre(db), detail, printed_at=PRINTED_AT))

    assert "Moved to another centre" in text
    assert "20 Nov 2026" in text
    assert "Til Center Ålholm" in text
    assert "Rikke" not in text
    assert "Room 101, bed A" not in text  # no bed any more
    assert "Moved out: Moved to another centre" in text  # the history


def test_record_sheet_in_danish_uses_danish_dates(db, people, beds):
    resident = _register(db, people, beds)
    detail = residents.get_resident(db, people.reception, resident.id)
    set_language("da")

    text = _text(render_record_sheet(centre.get_centre(db), detail, printed_at=PRINTED_AT))

    assert "1. maj 2010" in text
    assert "23.11.2026" in text
    assert "Kærgård-Karimi" in text


# --- shaping ---------------------------------------------------------------------------

def test_shape_joins_arabic_and_reverses_it_for_display():
    # alef (isolated), hah (initial), meem (medial), dal (final), drawn right to left
    assert shape("احمد") == "\ufeaa\ufee4\ufea3\ufe8d"
    assert shape("Søren Ærø") == "Søren Ærø"
    assert shape("Ahmad (احمد)").startswith("Ahmad (")
    assert shape(None) == "" and not has_rtl("Søren")
    assert markup("A & <b>\nاحمد") == "A &amp; &lt;b&gt;<br/>" + shape("احمد")


def test_shape_uses_only_glyphs_the_font_has():
    from reportlab.pdfbase import pdfmetrics

    from app.forms.fonts import register_fonts

    register_fonts()
    cmap = pdfmetrics.getFont(FONT).face.charToGlyph
    shaped = shape("محمد عبد الله الهاشمي")  # the Allah ligature U+FDF2 is not in DejaVu
    assert "\ufdf2" not in shaped
    assert all(ord(char) in cmap for char in shaped)


# --- the shared document ----------------------------------------------------------------

def test_every_page_has_the_header_and_knows_the_page_count():
    rows = [(f"{day:02d}.01.2026", f"Runde {day}: alt roligt på værelse {day}")
            for day in range(1, 121)]
    pdf = render_document("Rundeark", CentreHeader("Børnecenter Østergård", "OEST"),
                          [Section("Nattevagt", [DataTable(["Dato", "Notat"], rows,
                                                           widths=[1, 4])])],
                          printed_at=PRINTED_AT)

    pages = _pages_text(pdf)
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Børnecenter Østergård (OEST)" in text
        assert "Rundeark" in text
        assert f"Page {number} of {len(pages)}" in text
        assert "Notat" in text  # the table's header row is repeated
    assert "Runde 120: alt roligt på værelse 120" in pages[-1]


def test_blocks_render_text_tables_and_signature_lines():
    pdf = render_document(
        "Hændelsesrapport", CentreHeader("Børnecenter Test"),
        lambda layout: [
            Text("Indledende bemærkning & <forklaring>"),
            Section("Oplysninger", [
                Fields([("Tidspunkt", "kl. 23.15"), ("Sted", None), ("Politi kontaktet", True)],
                       columns=2),
                Checkboxes([("Vold", True), ("Trusler", False)]),
            ]),
            Section("Vidner", [DataTable(["Navn", "Rolle"], [], empty_text="Ingen vidner.")]),
            Lines(2, caption="Supplerende oplysninger"),
            Signatures(["Medarbejder", "Leder"]),
        ], printed_at=PRINTED_AT, printed_by="Åse Ørum", footer_note="Fortroligt")

    text = _text(pdf)
    for expected in ("Børnecenter Test", "Indledende bemærkning & <forklaring>", "Oplysninger",
                     "kl. 23.15", "Yes", "Vold", "Trusler", "Ingen vidner.",
                     "Supplerende oplysninger", "Medarbejder", "Leder", "Date",
                     "by Åse Ørum", "Fortroligt", "Page 1 of 1"):
        assert expected in text, expected
    assert "Børnecenter Test (" not in text  # no code, so no "()" after the centre name
    assert "\u2612" in text and "\u2610" in text  # ticked and unticked boxes


def test_printed_at_without_timezone_is_refused():
    with pytest.raises(ValueError):
        render_document("X", CentreHeader("C"), [Text("y")], printed_at=datetime(2026, 1, 1))


def test_app_starts_without_reportlab_or_qt():
    """Importing the services must not import reportlab (slow); app/ never imports Qt."""
    root = Path(__file__).resolve().parents[2]
    code = ("import sys\n"
            "import app.services.forms, app.services.residents, app.cli\n"
            "print('reportlab' in sys.modules)\n"
            "import app.forms.record_sheet\n"
            "print('PySide6' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_geez_script_names_print_in_a_font_that_has_them(db, people, beds):
    """Tigrinya names (Eritrean minors) must not print as empty boxes."""
    import io

    from pypdf import PdfReader

    from app.services import residents
    from app.services.forms import record_sheet_pdf
    from tests.conftest import resident_input

    name = "ዮናስ ተስፋዬ"
    detail = residents.register_arrival(
        db, people.coordinator, resident_input(name_in_own_script=name, given_names="Yonas",
                                               family_name="Tesfaye", nationality="Eritrea"),
        beds[0].id, today=date(2026, 11, 23))
    pdf = record_sheet_pdf(db, people.coordinator, detail.id)
    reader = PdfReader(io.BytesIO(pdf))
    assert name in reader.pages[0].extract_text()
    fonts = {str(font["/BaseFont"]) for font in
             reader.pages[0]["/Resources"]["/Font"].get_object().values()}
    assert any("NotoSansEthiopic" in font for font in fonts), fonts
