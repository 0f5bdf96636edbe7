"""The reception desk as staff use it: clearing a vacated room into the lost-property register,
the due list, a refused early destruction, a return with its receipt, and the visitor log."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.formatting import local_today
from app.models import Bed
from app.services import lost_property, residents, visitors
from tests.conftest import resident_input
from ui.forms import pdf_preview
from ui.lost_property.dialogs import DispositionDialog, LogItemsDialog
from ui.lost_property.page import LostPropertyPage, RecipientDialog
from ui.visitors.page import SignInDialog, VisitorsPage
from ui.widgets import to_qdate


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def captured_pdfs(monkeypatch) -> list[bytes]:
    """PDF previews are captured instead of shown."""
    shown: list[bytes] = []

    def fake_exec(self) -> int:
        shown.append(self.pdf)
        return 0

    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec", fake_exec)
    return shown


@pytest.fixture
def vacated(db, people, beds):
    """Room 101: Ahmad left a month ago (moved out the day before the room was cleared);
    his roommate Bilal still lives there."""
    today = local_today()
    found_on = today - relativedelta(months=1)
    ahmad = residents.register_arrival(db, people.coordinator, resident_input(
        person_id="11111-1", arrival_date=found_on - timedelta(days=60),
        date_of_birth=today - timedelta(days=16 * 365)), beds[0].id)
    bilal = residents.register_arrival(db, people.coordinator, resident_input(
        person_id="22222-2", given_names="Bilal", arrival_date=found_on - timedelta(days=60),
        date_of_birth=today - timedelta(days=15 * 365)), beds[1].id)
    residents.move_out(db, people.coordinator, ahmad.id, on=found_on - timedelta(days=1),
                       reason="departed")
    with db.read() as session:
        room_id = session.get(Bed, beds[0].id).room_id
    return found_on, room_id, ahmad, bilal


def _clear_room(qtbot, ctx, found_on, room_id) -> list[lost_property.ItemView]:
    dialog = LogItemsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.found_on.setDate(to_qdate(found_on))
    dialog.select_room(room_id)
    occupants = {dialog.occupants.item(i).data(Qt.ItemDataRole.UserRole):
                 dialog.occupants.item(i).checkState() for i in range(dialog.occupants.count())}
    # The resident who left is ticked; the roommate who still lives there is listed, unticked.
    assert occupants == {"11111-1": Qt.CheckState.Checked, "22222-2": Qt.CheckState.Unchecked}
    rows = dialog.rows
    qtbot.keyClicks(rows[0].description, "Half a loaf of bread")
    rows[0].category.setCurrentIndex(rows[0].category.findData("food"))
    qtbot.keyClicks(rows[0].value, "0")
    rows[0].perishable.setChecked(True)
    qtbot.keyClicks(rows[1].description, "Grey hoodie")
    qtbot.keyClicks(rows[1].value, "150")
    qtbot.keyClicks(rows[1].storage, "Reol 1, pose 3")
    qtbot.keyClicks(rows[2].description, "Samsung phone, black")
    rows[2].category.setCurrentIndex(rows[2].category.findData("phone"))
    qtbot.keyClicks(rows[2].value, "1.200,00")
    qtbot.keyClicks(rows[2].storage, "Skab A")
    dialog.findChild(QPushButton, "save_button").click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.general_error.text()
    return dialog.saved


def test_clearing_a_vacated_room_logs_three_items_with_the_occupants(qtbot, db, people,
                                                                      vacated, make_ctx):
    found_on, room_id, _ahmad, _bilal = vacated
    saved = _clear_room(qtbot, make_ctx(people.reception), found_on, room_id)
    bread, hoodie, phone = saved
    assert all(item.person_ids == ("11111-1",) for item in saved)
    assert bread.disposition == "discarded_perishable" and bread.retention_ends == found_on
    assert hoodie.retention_ends == found_on + relativedelta(months=1) == local_today()
    assert phone.retention_ends == found_on + relativedelta(months=3)
    assert str(phone.value_dkk) == "1200.00"


def test_bad_values_are_shown_and_nothing_typed_is_lost(qtbot, db, people, vacated, make_ctx):
    found_on, room_id, _ahmad, _bilal = vacated
    dialog = LogItemsDialog(make_ctx(people.reception))
    qtbot.addWidget(dialog)
    dialog.select_room(room_id)
    qtbot.keyClicks(dialog.rows[0].description, "Jacket")
    qtbot.keyClicks(dialog.rows[0].value, "a lot")
    dialog.findChild(QPushButton, "save_button").click()
    assert "Item 1: “a lot” is not an amount in kroner." in dialog.general_error.text()
    assert dialog.rows[0].description.text() == "Jacket"
    assert dialog.rows[0].value.styleSheet()  # the field is marked
    assert lost_property.register(db, people.reception) == []


def test_the_due_list_early_destruction_refused_and_a_return_with_receipt(
        qtbot, db, people, vacated, make_ctx, captured_pdfs, monkeypatch):
    found_on, room_id, _ahmad, _bilal = vacated
    ctx = make_ctx(people.reception)
    _bread, hoodie, phone = _clear_room(qtbot, ctx, found_on, room_id)
    page = LostPropertyPage(ctx)
    qtbot.addWidget(page)
    page.show()
    # The cheap hoodie's month ends today: it is due; the phone is kept for three months.
    page.set_view("due")
    numbers = [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]
    assert numbers == [hoodie.number]
    assert "destroy it or give it to charity" in page.tree.topLevelItem(0).text(8)

    # Destroying the phone now is refused with the date it must be kept until.
    page.set_view("kept")
    page.select_item(phone.id)
    dialog = DispositionDialog(ctx, page.current(), page)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("destroyed"))
    dialog.findChild(QPushButton, "save_button").click()
    assert "must be kept until" in dialog.general_error.text()
    assert lost_property.get_item(db, people.reception, phone.id).disposition is None

    # Ahmad comes back for his phone: returning early is always allowed.
    dialog = DispositionDialog(ctx, page.current(), page)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("returned"))
    assert dialog.recipient.text() == "11111-1"
    dialog.findChild(QPushButton, "save_button").click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.general_error.text()
    page.set_view("all")
    page.select_item(phone.id)
    assert "Returned to the owner" in page.detail.text()

    def fake_recipient(self) -> int:
        self.name.setText("Ahmad Karimi")
        return 1

    monkeypatch.setattr(RecipientDialog, "exec", fake_recipient)
    page.receipt_button.click()
    qtbot.waitUntil(lambda: len(captured_pdfs) == 1, timeout=10_000)
    text = _text(captured_pdfs[0])
    assert phone.number in text and "11111-1" in text and "Ahmad Karimi" in text


def test_a_visitor_is_signed_in_and_out_and_the_in_building_list_printed(
        qtbot, db, people, beds, make_ctx, captured_pdfs):
    resident = residents.register_arrival(db, people.coordinator, resident_input(
        arrival_date=local_today() - timedelta(days=5),
        date_of_birth=local_today() - timedelta(days=16 * 365)), beds[0].id)
    ctx = make_ctx(people.reception)
    page = VisitorsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    dialog = SignInDialog(ctx, page)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Omar Haidari")
    dialog.document.setCurrentIndex(dialog.document.findData("passport"))
    qtbot.keyClicks(dialog.number, "P9988776")
    qtbot.keyClicks(dialog.relation, "Uncle")
    dialog.resident.setCurrentIndex(next(
        i for i in range(dialog.resident.count())
        if dialog.resident.itemData(i)[0] == resident.id))
    dialog.findChild(QPushButton, "sign_in_button").click()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.general_error.text()
    assert page.inside.topLevelItemCount() == 1
    assert page.inside.topLevelItem(0).text(1) == "Omar Haidari"
    assert page.inside_count.text() == "1 visitors in the building now"

    page.findChild(QPushButton, "print_inside_button").click()
    qtbot.waitUntil(lambda: len(captured_pdfs) == 1, timeout=10_000)
    assert "Omar Haidari" in _text(captured_pdfs[0])

    page.inside.setCurrentItem(page.inside.topLevelItem(0))
    page.findChild(QPushButton, "sign_out_button").click()
    assert page.inside.topLevelItemCount() == 0
    assert page.today_list.topLevelItem(0).text(6).startswith("Left ")
    visit = visitors.visits_of_resident(db, people.reception, resident.id)[0]
    assert visit.left_at is not None and visit.signed_out_by == "Rasmus Reception"


def test_turning_a_visitor_away_needs_a_reason(qtbot, db, people, beds, make_ctx):
    residents.register_arrival(db, people.coordinator, resident_input(
        arrival_date=local_today() - timedelta(days=5),
        date_of_birth=local_today() - timedelta(days=16 * 365)), beds[0].id)
    dialog = SignInDialog(make_ctx(people.night))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Unknown man")
    dialog.document.setCurrentIndex(dialog.document.findData("none"))
    dialog.findChild(QPushButton, "turn_away_button").click()
    assert dialog.errors.labels["reason"].text() == "Write why the visitor was turned away."
    qtbot.keyClicks(dialog.reason, "Would not say whom he visits, 23:40")
    dialog.findChild(QPushButton, "turn_away_button").click()
    assert dialog.visit is not None and dialog.visit.turned_away
