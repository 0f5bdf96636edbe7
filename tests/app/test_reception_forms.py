"""The printed forms of the reception desk: the lost-property register (the Agency's
inspection copy), labels, the return receipt and the police handover list (domain-rules §5),
and the list of visitors in the building for a fire alarm (§6). What they show, languages,
right-to-left names, permissions, the audit of printing and PDF validity."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pypdf
import pytest

from app.errors import DomainError, PermissionDenied, ValidationError
from app.formatting import utcnow
from app.forms.document import CentreHeader
from app.forms.fonts import shape
from app.forms.lost_property import render_labels, render_register
from app.i18n import set_language
from app.services import audit, lost_property, residents, visitors
from app.services.audit import AuditFilter
from app.services.forms import (lost_item_label_pdf, lost_property_register_pdf,
                                police_handover_pdf, return_receipt_pdf,
                                visitors_in_building_pdf)
from app.services.lost_property import ItemInput, ItemView
from app.services.visitors import VisitorInput
from tests.conftest import resident_input

ARRIVED = date(2026, 6, 1)
LEFT = date(2026, 8, 2)          # Ahmad and Yonas left without notice (a Sunday)
CLEARED = date(2026, 8, 3)       # room 101 cleared on the Monday
PERIOD = (date(2026, 8, 1), date(2026, 8, 31))
POLICE_REFERENCE = "0900-80152-04711-26"
ARABIC_VISITOR = "فاطمة حسن"
CENTRE = CentreHeader("Børnecenter Test", "TEST")


def _pages_text(pdf: bytes) -> list[str]:
    """The text of each page, lines joined: wrapped cells read as one line."""
    return [" ".join(page.extract_text().split())
            for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def _text(pdf: bytes) -> str:
    return " ".join(_pages_text(pdf))


def _plain(text: str) -> str:
    """Babel puts no-break spaces in amounts; compare with ordinary ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@dataclass
class Register:
    food: ItemView
    jacket: ItemView
    phone: ItemView
    scarf: ItemView
    umbrella: ItemView
    later: ItemView   # found after the period

    @property
    def in_period(self) -> list[ItemView]:
        return [self.food, self.jacket, self.phone, self.scarf, self.umbrella]


@pytest.fixture
def register(db, people, beds) -> Register:
    """Room 101 cleared after two residents left: a perishable, a cheap and a valuable item.
    The cheap jacket was destroyed, then corrected to given to charity; the phone went back
    to its owner; a scarf from the TV room went to the police; an umbrella is still kept."""
    coordinator = people.coordinator
    ahmad = residents.register_arrival(
        db, coordinator, resident_input(arrival_date=ARRIVED), beds[0].id, today=ARRIVED)
    yonas = residents.register_arrival(
        db, coordinator, resident_input(person_id="22222-2", given_names="Yonas",
                                        family_name="Tesfaye", name_in_own_script=None,
                                        arrival_date=ARRIVED), beds[1].id, today=ARRIVED)
    for resident in (ahmad, yonas):
        residents.move_out(db, people.leader, resident.id, on=LEFT, reason="departed",
                           today=LEFT)
    room = beds[0].room_id
    occupants = lost_property.occupants(db, people.reception, room, CLEARED)
    person_ids = sorted(o.person_id for o in occupants)
    assert person_ids == ["12345-6", "22222-2"]

    reception = people.reception
    food, jacket, phone = lost_property.log_items(
        db, reception, origin="vacated_room", found_on=CLEARED, room_id=room,
        person_ids=person_ids, today=CLEARED, items=[
            ItemInput("Opened bag of dates", "food", "20", perishable=True),
            ItemInput("Black Adidas jacket, size M", "clothing", "250,00",
                      storage_location="Shelf B, bag 3"),
            ItemInput("Samsung Galaxy A14, cracked screen", "phone", "1.200",
                      storage_location="Safe, box 1")])
    scarf, = lost_property.log_items(
        db, reception, origin="common_area", found_on=date(2026, 8, 4), place="TV room",
        today=date(2026, 8, 4), items=[ItemInput("Grey wool scarf", "clothing", "80",
                                                 storage_location="Shelf A")])
    umbrella, = lost_property.log_items(
        db, reception, origin="common_area", found_on=date(2026, 8, 25), place="Dining hall",
        today=date(2026, 8, 25), items=[ItemInput("Blue umbrella", "other", "60",
                                                  storage_location="Shelf A")])
    later, = lost_property.log_items(
        db, reception, origin="common_area", found_on=date(2026, 9, 15), place="Laundry",
        today=date(2026, 9, 15), items=[ItemInput("Red football", "sports", "100")])

    lost_property.dispose(db, people.leader, jacket.id, "destroyed", on=date(2026, 9, 4),
                          today=date(2026, 9, 4))
    lost_property.correct_disposition(
        db, people.leader, jacket.id, "charity", reason="Went to the charity shop, not burnt",
        on=date(2026, 9, 4), organisation="Røde Kors Genbrug", today=date(2026, 9, 5))
    lost_property.dispose(db, reception, phone.id, "returned", on=date(2026, 8, 20),
                          recipient_person_id="12345-6", today=date(2026, 8, 20))
    lost_property.dispose(db, reception, scarf.id, "police", on=date(2026, 8, 10),
                          police_reference=POLICE_REFERENCE, today=date(2026, 8, 10))
    return Register(*(lost_property.get_item(db, reception, item.id)
                      for item in (food, jacket, phone, scarf, umbrella, later)))


def _row_texts(text: str, items: list[ItemView]) -> dict[str, str]:
    """Each item's row: from its number to the next item's number (rows print in order)."""
    found = sorted((text.index(item.number), item.number) for item in items)
    rows = {}
    for (start, number), (end, _n) in zip(found, [*found[1:], (len(text), "")], strict=True):
        rows[number] = text[start:end]
    return rows


# --- the register ---------------------------------------------------------------------------------

def test_register_holds_every_field_of_domain_rules_5_for_each_item(db, people, register):
    pdf = lost_property_register_pdf(db, people.reception, found_from=PERIOD[0],
                                     found_to=PERIOD[1])

    text = _plain(_text(pdf))
    assert register.later.number not in text  # found after the period
    rows = _row_texts(text, register.in_period)
    assert len(rows) == 5
    # The person IDs of who lived in the room, the date found, the date the retention ends,
    # what the item is, and what happened to it, when and by whom.
    expected = {
        register.food.number: ["12345-6", "22222-2", "3 Aug 2026", "Room 101",
                               "Opened bag of dates", "Food", "Discarded at once 3 Aug 2026",
                               "Discarded (perishable)", "3 Aug 2026 by Rasmus Reception"],
        register.jacket.number: ["12345-6", "22222-2", "3 Aug 2026", "Room 101",
                                 "Black Adidas jacket, size M", "Clothing", "250.00",
                                 "Shelf B, bag 3", "Kept until 3 Sept 2026", "1 month",
                                 "Given to charity", "4 Sept 2026 by Lene Leder",
                                 "Organisation: Røde Kors Genbrug",
                                 # the corrected record is still there, with why
                                 "Destroyed, 4 Sept 2026 by Lene Leder",
                                 "Went to the charity shop, not burnt"],
        register.phone.number: ["12345-6", "22222-2", "3 Aug 2026",
                                "Samsung Galaxy A14, cracked screen", "Mobile phone",
                                "1,200.00", "Safe, box 1", "Kept until 3 Nov 2026", "3 months",
                                "Returned to the owner", "20 Aug 2026 by Rasmus Reception",
                                "Recipient: 12345-6"],
        register.scarf.number: ["4 Aug 2026", "TV room", "Common area", "Grey wool scarf",
                                "Owner search until 7 Aug 2026", "Handed to the police",
                                "10 Aug 2026 by Rasmus Reception",
                                f"Police reference: {POLICE_REFERENCE}"],
        register.umbrella.number: ["25 Aug 2026", "Dining hall", "Blue umbrella",
                                   "Owner search until 28 Aug 2026", "Still kept",
                                   "Due: hand to the police"],
    }
    for number, fields in expected.items():
        for field in fields:
            assert field in rows[number], (number, field, rows[number])
    for item in register.in_period:
        assert "by Rasmus Reception" in rows[item.number]  # who found/logged it
    for heading in ("Lost-property register", "Found 1 Aug 2026 – 31 Aug 2026",
                    "Børnecenter Test (TEST)", "Printed", "by Rasmus Reception", "Page 1 of 1",
                    "Person IDs of who lived in the room", "Storage location"):
        assert heading in text, heading


def test_register_totals_and_landscape_page(db, people, register):
    pdf = lost_property_register_pdf(db, people.reception, found_from=PERIOD[0],
                                     found_to=PERIOD[1])

    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = _text(pdf)
    # 5 items; 1 still kept; returned, police, destroyed (corrected away), charity, discarded
    assert re.search(r"5 1 1 1 0 1 1 Items Still kept Returned to the owner Handed to the "
                     r"police Destroyed Given to charity Discarded \(perishable\)", text), text


def test_superseded_disposition_is_struck_through():
    """The corrected record keeps its place on the page, drawn with a line through it."""
    item = ItemView(
        id=None, number="2026-0001", batch_id=None, description="Jacket", category="clothing",
        value_dkk=Decimal(250), perishable=False, origin="vacated_room", room="101",
        room_id=None, place=None, found_on=date(2026, 8, 3), found_by="Rasmus Reception",
        storage_location=None, person_ids=("12345-6",), retention_ends=date(2026, 9, 3),
        owner_search_ends=None, disposition="charity", history=(
            lost_property.DispositionView("destroyed", date(2026, 9, 4), "Lene Leder", None,
                                          None, None, None, datetime(2026, 9, 4, tzinfo=UTC),
                                          datetime(2026, 9, 5, tzinfo=UTC), "Wrong"),
            lost_property.DispositionView("charity", date(2026, 9, 4), "Lene Leder", None,
                                          "Røde Kors", None, None,
                                          datetime(2026, 9, 5, tzinfo=UTC), None, None)))
    pdf = render_register(CENTRE, [item], found_from=None, found_to=None,
                          printed_at=datetime(2026, 11, 23, 12, tzinfo=UTC))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    # reportlab draws <strike> as a line segment ("m … l S") in the muted colour.
    assert re.search(r"\d+(\.\d+)? \d+(\.\d+)? m \d+(\.\d+)? \d+(\.\d+)? l S", content)
    text = _text(pdf)
    assert "Corrected 5 Sept 2026: Wrong" in text and "All items" in text


def test_empty_period_says_so(db, people, register):
    text = _text(lost_property_register_pdf(db, people.reception, found_from=date(2025, 1, 1),
                                            found_to=date(2025, 1, 31)))
    assert "No items were found in this period." in text
    assert "0 0 0 0 0 0 0" in text


def test_period_that_ends_before_it_starts_is_refused(db, people):
    with pytest.raises(ValidationError):
        lost_property_register_pdf(db, people.reception, found_from=date(2026, 9, 1),
                                   found_to=date(2026, 8, 1))


def test_long_register_runs_over_pages_with_the_heading_repeated(db, people, beds):
    items = [ItemInput(f"Item {n} with a rather long description to wrap", "other", str(n * 37))
             for n in range(1, 61)]
    lost_property.log_items(db, people.reception, origin="common_area", found_on=CLEARED,
                            place="Hall", items=items, today=CLEARED)

    pages = _pages_text(lost_property_register_pdf(db, people.reception, found_from=CLEARED,
                                                   found_to=CLEARED))

    assert len(pages) >= 3
    for page in pages:
        assert "Item no." in page and f"of {len(pages)}" in page
    assert "60 60 0 0 0 0 0" in pages[0]


def test_register_in_danish(db, people, register):
    set_language("da")
    text = _plain(_text(lost_property_register_pdf(db, people.reception, found_from=PERIOD[0],
                                                   found_to=PERIOD[1])))
    for expected in ("3. aug. 2026", "3. sep. 2026", "1.200,00 kr.", "250,00 kr.",
                     "Side 1 af 1", "Udskrevet", "af Rasmus Reception", "12345-6",
                     POLICE_REFERENCE):
        assert expected in text, expected
    labels = _plain(_text(lost_item_label_pdf(db, people.reception, [register.phone.id])))
    for expected in ("Hittegods", "3. nov. 2026", "Udskrevet"):
        assert expected in labels, expected


# --- labels, receipt, police list ----------------------------------------------------------------

def test_labels_show_number_deadline_and_where_it_is(db, people, register):
    items = [register.jacket, register.phone, register.scarf, register.umbrella,
             register.later]

    pdf = lost_item_label_pdf(db, people.night, [i.id for i in items])

    pages = _pages_text(pdf)
    assert len(pages) == 2  # four labels to a sheet
    text = _plain(" ".join(pages))
    for expected in (register.jacket.number, "KEPT UNTIL", "3 Sept 2026", "1 month",
                     "Black Adidas jacket, size M", "Shelf B, bag 3", "12345-6", "22222-2",
                     "3 Aug 2026, Room 101", register.phone.number, "3 Nov 2026", "3 months",
                     register.scarf.number, "OWNER SEARCH UNTIL", "7 Aug 2026", "TV room",
                     "Handed to the police, 10 Aug 2026", register.later.number):
        assert expected in text, expected
    # the number is printed large: find its font size in the content stream
    content = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].get_contents().get_data().decode(
        "latin-1")
    sizes = [float(size) for size in re.findall(r"/F[\w+]+ ([\d.]+) Tf", content)]
    assert max(sizes) >= 36


def test_return_receipt(db, people, register):
    pdf = return_receipt_pdf(db, people.reception, [register.phone.id],
                             "Ahmad Karimi", "12345-6")

    text = _text(pdf)
    for expected in ("Return receipt", register.phone.number,
                     "Samsung Galaxy A14, cracked screen", "Ahmad Karimi", "12345-6",
                     "20 August 2026", "Rasmus Reception",
                     ("I, Ahmad Karimi (person ID 12345-6), have today, 20 August 2026, got "
                      "back the item listed above from Børnecenter Test. It is mine."),
                     "Resident's signature", "Staff member's signature (Rasmus Reception)",
                     "Page 1 of 1"):
        assert expected in text, expected


def test_return_receipt_before_the_return_is_recorded_is_dated_today(db, people, register):
    pdf = return_receipt_pdf(db, people.night, [register.umbrella.id, register.umbrella.id],
                             "Yonas  Tesfaye", "22222-2", today=date(2026, 11, 23))
    text = _text(pdf)
    assert "23 November 2026" in text and "Nina Nattevagt" in text
    assert "got back the item listed above" in text  # the duplicate id counts once


def test_return_receipt_refuses_what_cannot_be_handed_back(db, people, register):
    with pytest.raises(DomainError):
        return_receipt_pdf(db, people.reception, [register.scarf.id], "Ahmad Karimi", "12345-6")
    with pytest.raises(ValidationError):
        return_receipt_pdf(db, people.reception, [register.phone.id], " ", "")
    with pytest.raises(ValidationError):
        return_receipt_pdf(db, people.reception, [], "Ahmad Karimi", "12345-6")


def test_police_handover_list(db, people, register):
    pdf = police_handover_pdf(db, people.reception, [register.scarf.id, register.umbrella.id],
                              today=date(2026, 11, 23))

    text = _plain(_text(pdf))
    for expected in ("Handover to the police", register.scarf.number, register.umbrella.number,
                     "4 Aug 2026", "TV room", "Grey wool scarf", "80.00", POLICE_REFERENCE,
                     "25 Aug 2026", "Dining hall", "Blue umbrella", "60.00", "2 items",
                     "140.00", "23 November 2026",
                     "The police received the 2 items listed above from Børnecenter Test",
                     "Staff member (name and signature)",
                     "Police officer (name, ID number, police station and signature)"):
        assert expected in text, expected
    with pytest.raises(DomainError):
        police_handover_pdf(db, people.reception, [register.phone.id])


# --- the visitors in the building ---------------------------------------------------------------

@pytest.fixture
def visits(db, people, beds):
    now = utcnow()
    ahmad = residents.register_arrival(db, people.coordinator, resident_input(),
                                       beds[0].id, today=date(2026, 11, 1))
    yonas = residents.register_arrival(
        db, people.coordinator, resident_input(person_id="22222-2", given_names="Yonas",
                                               family_name="Tesfaye", name_in_own_script=None),
        beds[2].id, today=date(2026, 11, 1))
    fatima = visitors.sign_in(db, people.reception,
                              VisitorInput(ARABIC_VISITOR, "passport", "P1234567", "Aunt"),
                              ahmad.id, arrived_at=now - timedelta(minutes=50), now=now)
    mads = visitors.sign_in(db, people.night,
                            VisitorInput("Mads Madsen", "driving_licence", "DK998877",
                                         "Football coach"),
                            yonas.id, arrived_at=now - timedelta(minutes=20), now=now)
    gone = visitors.sign_in(db, people.reception,
                            VisitorInput("Signe Ud", "none", None, None), yonas.id,
                            arrived_at=now - timedelta(minutes=40), now=now)
    visitors.sign_out(db, people.reception, gone.id, left_at=now - timedelta(minutes=5), now=now)
    visitors.turn_away(db, people.reception, VisitorInput("Kim Afvist", "none", None, None),
                       yonas.id, reason="Drunk", at=now - timedelta(minutes=10), now=now)
    return {"fatima": fatima, "mads": mads}


def test_visitors_in_building_list(db, people, visits):
    pdf = visitors_in_building_pdf(db, people.reception)

    text = _text(pdf)
    for expected in ("Visitors in the building", "2 visitors in the building",
                     "List printed at", "Mads Madsen", "Football coach", "Driving licence",
                     "DK998877", "Passport", "P1234567", "Aunt", "Ahmad Karimi", "Yonas Tesfaye",
                     "101", "102", "Rasmus Reception", "Nina Nattevagt",
                     "Roll call taken by (name)", "Page 1 of 1"):
        assert expected in text, expected
    for absent in ("Signe Ud", "Kim Afvist"):
        assert absent not in text
    # the Arabic name is printed joined (presentation forms) and right to left
    assert ARABIC_VISITOR not in text and shape(ARABIC_VISITOR)[::-1] in text
    # in the order they arrived
    assert text.index("P1234567") < text.index("DK998877")


def test_empty_building_says_so():
    from app.forms.visitors import render_visitors_in_building

    text = _text(render_visitors_in_building(CENTRE, [], printed_at=datetime(
        2026, 11, 23, 13, 5, tzinfo=UTC)))
    assert "0 visitors in the building" in text and "No visitors are signed in." in text
    assert "14:05" in text and "Monday, 23 November 2026" in text


def test_visitors_list_in_danish(db, people, visits):
    set_language("da")
    text = _text(visitors_in_building_pdf(db, people.reception))
    # Danish headings are longer: the narrow columns widen so that no word is split.
    for expected in ("Side 1 af 1", "Udskrevet", "Mads Madsen", "DK998877", "Værelse",
                     "Ankommet", "Yonas Tesfaye"):
        assert expected in text, expected
    assert re.search(r"\b\d\d\.\d\d\b", text)  # Danish times: 14.05


# --- validity, permissions, audit -----------------------------------------------------------------

def test_qpdf_finds_no_errors(db, people, register, visits, tmp_path):
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is needed for this test: apt-get install qpdf"
    pdfs = {
        "register.pdf": lost_property_register_pdf(db, people.reception, found_from=PERIOD[0],
                                                   found_to=PERIOD[1]),
        "labels.pdf": lost_item_label_pdf(db, people.reception, [register.jacket.id]),
        "receipt.pdf": return_receipt_pdf(db, people.reception, [register.phone.id],
                                          "Ahmad Karimi", "12345-6"),
        "police.pdf": police_handover_pdf(db, people.reception, [register.scarf.id]),
        "visitors.pdf": visitors_in_building_pdf(db, people.reception),
    }
    for name, pdf in pdfs.items():
        path = tmp_path / name
        path.write_bytes(pdf)
        result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True,
                                check=False)
        assert result.returncode == 0, name + result.stdout + result.stderr
        assert "No syntax or stream encoding errors" in result.stdout, name


def test_administrator_may_print_none_and_nothing_is_logged(db, people, register, visits):
    admin = people.admin
    for call in (
            lambda: lost_property_register_pdf(db, admin, found_from=PERIOD[0],
                                               found_to=PERIOD[1]),
            lambda: lost_item_label_pdf(db, admin, [register.jacket.id]),
            lambda: return_receipt_pdf(db, admin, [register.phone.id], "Ahmad Karimi",
                                       "12345-6"),
            lambda: police_handover_pdf(db, admin, [register.scarf.id]),
            lambda: visitors_in_building_pdf(db, admin)):
        with pytest.raises(PermissionDenied):
            call()
    total, _rows = audit.browse(db, people.leader, AuditFilter(action="print"))
    assert total == 0


def test_contact_person_may_not_print_receipts_or_police_lists(db, people, register):
    with pytest.raises(PermissionDenied):
        return_receipt_pdf(db, people.contact, [register.phone.id], "Ahmad Karimi", "12345-6")
    with pytest.raises(PermissionDenied):
        police_handover_pdf(db, people.contact, [register.scarf.id])


def test_printing_is_audited(db, people, register, visits):
    lost_property_register_pdf(db, people.leader, found_from=PERIOD[0], found_to=PERIOD[1])
    lost_item_label_pdf(db, people.night, [register.jacket.id, register.phone.id])
    return_receipt_pdf(db, people.reception, [register.phone.id], "Ahmad Karimi", "12345-6")
    police_handover_pdf(db, people.reception, [register.scarf.id])
    visitors_in_building_pdf(db, people.night)

    def prints(**filters):
        return audit.browse(db, people.leader, AuditFilter(action="print", **filters))[1]

    (row,) = [r for r in prints(entity="lost_item") if r.summary == "lost-property register"]
    assert row.staff_name == "Lene Leder" and row.entity_id is None
    assert row.changes == {"found_from": "2026-08-01", "found_to": "2026-08-31", "items": 5}
    summaries = sorted((r.summary, r.staff_name) for r in prints(entity_id=register.phone.id))
    assert summaries == [("lost-property label", "Nina Nattevagt"),
                         ("return receipt", "Rasmus Reception")]
    (row,) = [r for r in prints(entity_id=register.scarf.id)]
    assert row.summary == "police handover list"
    (row,) = prints(entity="visit")
    assert row.summary == "visitors in the building" and row.changes == {"count": 2}
    assert row.staff_name == "Nina Nattevagt"
    assert "Mads" not in str(row.changes)  # visitor identity never goes into the audit trail


def test_labels_render_without_a_database():
    pdf = render_labels(CENTRE, [], printed_at=datetime(2026, 11, 23, 12, tzinfo=UTC))
    assert pdf.startswith(b"%PDF-")

