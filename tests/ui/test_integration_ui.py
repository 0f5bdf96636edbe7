"""The integration tab: recording a permit through the widget puts the handover form's due
date on the Today page; marking tasks done; printing the handover form."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdf
import pytest

from app.formatting import format_date, local_today
from app.services import residents
from tests.conftest import resident_input
from ui.forms import pdf_preview
from ui.notes.integration import IntegrationTab
from ui.widgets import to_qdate

ARABIC = "عمر الهاشمي"


@pytest.fixture
def omar(db, people, beds):
    today = local_today()
    return residents.register_arrival(
        db, people.coordinator, resident_input(
            given_names="Omar", family_name="Ærøskøbing", name_in_own_script=ARABIC,
            arrival_date=today - timedelta(days=30)),
        beds[0].id, primary_contact_id=people.contact.staff_id, today=today)


def _tab(qtbot, ctx) -> IntegrationTab:
    tab = IntegrationTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(900, 700)
    tab.show()
    return tab


def _titles(today_page) -> list[tuple[str, str]]:
    tree = today_page.tree
    return [(tree.topLevelItem(i).text(1), tree.topLevelItem(i).text(2))
            for i in range(tree.topLevelItemCount())]


def test_recording_a_permit_shows_the_handover_due_date_on_today(qtbot, make_window, people,
                                                                 omar):
    window = make_window(people.contact)
    today_page = window.go("today")
    today_page.refresh()
    assert not [t for _d, t in _titles(today_page) if "Handover form" in t]

    tab = _tab(qtbot, window.ctx)
    assert tab.permit_group.isHidden() and tab.case_group.isHidden()
    tab.select_resident(omar.id)
    assert tab.permit_group.isVisibleTo(tab) and not tab.case_group.isVisibleTo(tab)
    # Nothing written: the form says what is missing, under the field.
    tab.record_button.click()
    assert tab.permit_errors.labels["municipality"].text() == (
        "Write the integration municipality the resident moves to.")

    notified = local_today() - timedelta(days=2)
    due = notified + timedelta(days=14)
    tab.permit_date.setDate(to_qdate(notified))
    qtbot.keyClicks(tab.municipality, "Aarhus")
    tab.record_button.click()
    assert tab.case is not None and tab.case.municipality == "Aarhus"
    assert tab.due_label.text() == f"Handover form due {format_date(due)}"
    assert tab.tasks.topLevelItemCount() == 5
    assert tab.tasks.topLevelItem(2).text(1) == format_date(due)
    assert not tab.permit_group.isVisibleTo(tab)

    # The Today page refreshed on the announcement: the due date shows as the page shows it.
    rows = _titles(today_page)
    form_rows = [(d, t) for d, t in rows if t.startswith("Handover form for")]
    assert form_rows == [(format_date(due),
                          f"Handover form for Omar Ærøskøbing to Aarhus due {format_date(due)}")]
    assert any(t == "Omar Ærøskøbing, moving to Aarhus: Planning of the move" for _d, t in rows)

    # Marking the handover conversation done takes it off the Today page.
    tab.tasks.setCurrentItem(tab.tasks.topLevelItem(0))
    qtbot.keyClicks(tab.done_note, "Med tolk")
    tab.done_button.click()
    conversation = tab.case.task("handover_conversation")
    assert conversation.done_on == local_today() and conversation.done_by == "Karen Kontakt"
    assert tab.tasks.topLevelItem(0).text(4) == "Med tolk"
    assert not [t for _d, t in _titles(today_page) if "Handover conversation" in t]


def test_printing_the_handover_form(qtbot, make_ctx, people, omar, monkeypatch):
    shown: list[bytes] = []
    monkeypatch.setattr(pdf_preview.PdfPreviewDialog, "exec",
                        lambda dialog: shown.append(dialog.pdf) or 0)
    tab = _tab(qtbot, make_ctx(people.contact))
    tab.select_resident(omar.id)
    tab.municipality.setText("Københavns Kommune")
    tab.record_button.click()
    assert tab.print_button.isEnabled()
    tab.print_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=15000)
    text = " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(io.BytesIO(shown[0])).pages)
    assert "Københavns Kommune" in text and "Omar Ærøskøbing" in text


def test_night_staff_see_the_checklist_but_change_nothing(qtbot, make_ctx, people, omar):
    from app.services import integration

    integration.record_permit(make_ctx(people.contact).db, people.contact, omar.id,
                              notified_on=local_today(), municipality="Odense")
    tab = _tab(qtbot, make_ctx(people.night))
    tab.select_resident(omar.id)
    assert tab.case_group.isVisibleTo(tab) and not tab.permit_group.isVisibleTo(tab)
    assert not tab.done_button.isEnabled() and not tab.close_button.isEnabled()
    assert not tab.print_button.isEnabled()
