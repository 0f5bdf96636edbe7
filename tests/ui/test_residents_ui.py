"""The resident list and editor as a user drives them: filter, create, and every validation
error shown next to its field with nothing saved lost."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from app.formatting import local_today
from app.services import residents
from app.services.residents import ResidentInput
from tests.conftest import resident_input
from ui.residents.editor import ResidentEditor


def _register(db, actor, bed, **overrides) -> residents.ResidentDetail:
    return residents.register_arrival(db, actor, resident_input(**overrides), bed.id,
                                      today=date(2026, 11, 23))


def _wait_filtered(qtbot, page, rows: int) -> None:
    """Wait until the debounced filter has run for what is in the box now."""
    qtbot.waitUntil(lambda: page.model.filter.text == page.filter_edit.text()
                    and page.model.rowCount() == rows, timeout=1000)


def _fill(qtbot, editor: ResidentEditor, data: ResidentInput) -> None:
    for name in ("person_id", "given_names", "family_name", "nationality"):
        widget = getattr(editor, name)
        widget.clear()
        qtbot.keyClicks(widget, getattr(data, name))
    editor.name_in_own_script.setText(data.name_in_own_script or "")
    editor.date_of_birth.setDate(QDate(data.date_of_birth.year, data.date_of_birth.month,
                                       data.date_of_birth.day))
    editor.arrival_date.setDate(QDate(data.arrival_date.year, data.arrival_date.month,
                                      data.arrival_date.day))
    editor.sex.setCurrentIndex(editor.sex.findData(data.sex))
    editor.representative_name.setText(data.representative_name or "")


def test_resident_list_filters_as_you_type(qtbot, make_window, people, beds):
    window = make_window(people.reception)
    window.activateWindow()
    qtbot.waitActive(window)
    db = window.ctx.db
    _register(db, people.coordinator, beds[0], person_id="1-1", given_names="Ahmad",
              family_name="Karimi")
    _register(db, people.coordinator, beds[1], person_id="2-2", given_names="Yonas",
              family_name="Tesfaye", name_in_own_script=None, nationality="Eritrea")
    _register(db, people.coordinator, beds[2], person_id="3-3", given_names="Mohammed",
              family_name="Al-Hassan", name_in_own_script="محمد الحسن", nationality="Syria")
    page = window.go("residents")
    page.apply_filter()
    assert page.model.rowCount() == 3
    assert page.count_label.text() == "3 residents"

    window.findChild(type(window.actions()[0]), "action_find").trigger()
    qtbot.waitUntil(page.filter_edit.hasFocus, timeout=1000)
    qtbot.keyClicks(page.filter_edit, "tes")
    _wait_filtered(qtbot, page, 1)
    assert page.model.row_at(0).family_name == "Tesfaye"
    assert page.count_label.text() == "1 resident"

    page.filter_edit.clear()
    # Arabic arrives through the input method, not as key codes QTest can synthesise.
    page.filter_edit.insert("الحسن")
    _wait_filtered(qtbot, page, 1)
    assert page.model.row_at(0).given_names == "Mohammed"
    index = page.model.index(0, 1)
    assert page.model.data(index) == "محمد الحسن"

    page.filter_edit.clear()
    _wait_filtered(qtbot, page, 3)
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [page.model.row_at(i).person_id for i in range(3)] == ["3-3", "2-2", "1-1"]


def test_create_resident_in_the_editor(qtbot, make_window, people, beds):
    window = make_window(people.coordinator)
    page = window.go("residents")
    editor = ResidentEditor(window.ctx, None, page)
    qtbot.addWidget(editor)
    data = resident_input(arrival_date=local_today() - timedelta(days=2))
    _fill(qtbot, editor, data)
    editor.bed.setCurrentIndex(editor.bed.findText("102 / A"))
    editor.primary.setCurrentIndex(editor.primary.findText("Karen Kontakt"))
    editor.secondary.setCurrentIndex(editor.secondary.findText("Kurt Kontakt"))
    editor.submit()
    assert editor.saved is not None, editor.general_error.text()
    assert editor.result() == editor.DialogCode.Accepted
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=1000)
    row = page.model.row_at(0)
    assert (row.person_id, row.room_name, row.bed_label) == ("12345-6", "102", "A")
    assert row.primary_contact == "Karen Kontakt"
    page.select(row.id)
    assert page.detail.detail.secondary_contact_name == "Kurt Kontakt"


def _submit_expecting(qtbot, window, data: ResidentInput, field: str, text: str) -> ResidentEditor:
    editor = ResidentEditor(window.ctx, None, window)
    qtbot.addWidget(editor)
    _fill(qtbot, editor, data)
    editor.submit()
    assert editor.saved is None
    label = editor.errors.labels[field]
    assert label.isVisibleTo(editor), f"no error under {field}"
    assert text in label.text()
    return editor


def test_each_validation_error_is_shown_under_its_field(qtbot, make_window, people, beds):
    window = make_window(people.coordinator)
    db = window.ctx.db
    today = local_today()
    existing = _register(db, people.coordinator, beds[0], person_id="555-5",
                         arrival_date=today - timedelta(days=30))

    _submit_expecting(qtbot, window, resident_input(person_id="555-5", arrival_date=today),
                      "person_id", "already belongs to a current resident, Ahmad Karimi")
    _submit_expecting(qtbot, window, resident_input(
        person_id="9-9", arrival_date=today, date_of_birth=today.replace(year=today.year - 18)),
        "date_of_birth", "was 18 on the arrival date")
    _submit_expecting(qtbot, window, resident_input(
        person_id="9-9", arrival_date=today + timedelta(days=3)),
        "arrival_date", "is in the future")
    _submit_expecting(qtbot, window, resident_input(person_id="9-9", given_names="",
                                                    arrival_date=today),
                      "given_names", "given name")

    # The bed was free when the editor opened, and a colleague took it meanwhile.
    editor = ResidentEditor(window.ctx, None, window)
    qtbot.addWidget(editor)
    _fill(qtbot, editor, resident_input(person_id="9-9", arrival_date=today))
    editor.bed.setCurrentIndex(editor.bed.findText("101 / B"))
    _register(db, people.coordinator, beds[1], person_id="8-8", given_names="Yonas",
              family_name="Tesfaye", arrival_date=today - timedelta(days=1))
    editor.submit()
    assert editor.saved is None
    assert "already taken by Yonas Tesfaye" in editor.errors.labels["bed"].text()
    # What the user typed is still there to correct, and nothing saved was lost.
    assert editor.person_id.text() == "9-9"
    assert residents.get_resident(db, people.coordinator, existing.id).data.person_id == "555-5"


def test_night_staff_cannot_register_or_edit_the_representative(qtbot, make_window, people, beds):
    window = make_window(people.night)
    detail = _register(window.ctx.db, people.coordinator, beds[0])
    page = window.go("residents")
    page.apply_filter()
    page.select(detail.id)
    assert not page.new_button.isEnabled()
    assert not page.edit_button.isEnabled()
    assert not page.move_out_button.isEnabled()
    assert not page.print_button.isEnabled()

    contact_window = make_window(people.contact)
    editor = ResidentEditor(contact_window.ctx, detail, contact_window)
    qtbot.addWidget(editor)
    assert editor.representative_name.isEnabled()
    reception_editor = ResidentEditor(make_window(people.reception).ctx, detail, window)
    qtbot.addWidget(reception_editor)
    assert not reception_editor.representative_name.isEnabled()


def test_moving_out_keeps_the_resident_as_former(qtbot, make_window, people, beds):
    from ui.residents.move_dialogs import MoveOutDialog

    window = make_window(people.coordinator)
    detail = _register(window.ctx.db, people.coordinator, beds[0],
                       arrival_date=local_today() - timedelta(days=40))
    dialog = MoveOutDialog(window.ctx, detail, window)
    qtbot.addWidget(dialog)
    dialog.submit()
    assert "Choose why" in dialog.errors.labels["reason"].text()
    dialog.reason.setCurrentIndex(dialog.reason.findData("integration_municipality"))
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    page = window.go("residents")
    page.apply_filter()
    assert page.model.rowCount() == 0
    page.include_former.setChecked(True)
    assert page.model.rowCount() == 1
    assert page.model.row_at(0).moved_out_on == local_today()


def test_record_sheet_is_rendered_off_the_gui_thread_and_previewed(qtbot, make_window, people,
                                                                   beds, monkeypatch):
    from pypdf import PdfReader

    from app.services import audit
    from ui.forms.pdf_preview import PdfPreviewDialog

    shown: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window = make_window(people.coordinator)
    detail = _register(window.ctx.db, people.coordinator, beds[0])
    page = window.go("residents")
    page.apply_filter()
    page.select(detail.id)
    window.findChild(type(window.actions()[0]), "action_print_record_sheet").trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    dialog = shown[0]
    qtbot.addWidget(dialog)
    assert dialog.page_count() >= 1
    target = page.ctx.db.path.parent / "sheet.pdf"
    dialog.save_to(target)
    text = "".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "12345-6" in text and "Karimi" in text
    _total, rows = audit.browse(window.ctx.db, people.leader, audit.AuditFilter(action="print"))
    assert [(row.entity_id, row.staff_name) for row in rows] == [(detail.id, "Sofie Koordinator")]
