"""Rounds as staff take them: a whole round by keyboard, a round finished by a colleague, an
absent mark that becomes a missing case on the Today page, and the case closed on return."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from app.formatting import format_datetime, local_today
from app.models import AttendanceMark, MissingCase
from app.rules.absence import report_due
from app.services import attendance, missing, residents, rooms
from tests.conftest import resident_input
from ui.rounds.missing_dialogs import CloseCaseDialog, MissingCaseDialog, ReportDoneDialog
from ui.rounds.round_screen import RoundScreen, open_round_screen
from ui.today.page import MissingBanner


def _populate(db, people, count: int) -> list[residents.ResidentDetail]:
    today = local_today()
    actor = people.coordinator
    beds = []
    for number in range((count + 3) // 4):
        beds += rooms.create_room(db, people.admin, f"{200 + number}", ["A", "B", "C", "D"])
    made = []
    for index in range(count):
        made.append(residents.register_arrival(db, actor, resident_input(
            person_id=f"P-{index:03d}", given_names=f"Name{index:03d}",
            date_of_birth=today - timedelta(days=365 * 16 - index),
            arrival_date=today - timedelta(days=20)), beds[index].id))
    return made


def _open_screen(window) -> RoundScreen:
    page = window.go("rounds")
    page.tabs.setCurrentWidget(page.rounds)
    page.rounds.take_button.click()
    screen = page.rounds.screen
    assert isinstance(screen, RoundScreen) and screen.isVisible()
    return screen


def _marks(db, round_id) -> list[AttendanceMark]:
    with db.read() as session:
        return list(session.query(AttendanceMark).filter_by(round_id=round_id,
                                                            deleted_at=None))


@pytest.fixture
def centre78(db, people):
    return _populate(db, people, 78)


def test_a_whole_round_of_78_is_taken_with_the_keyboard_alone(qtbot, db, people, centre78,
                                                             make_window):
    window = make_window(people.reception)
    screen = _open_screen(window)
    assert screen.progress_label.text() == "0 of 78 marked"
    keys = [Qt.Key.Key_Space] * 70 + [Qt.Key.Key_S] * 4 + [Qt.Key.Key_H, Qt.Key.Key_L] \
        + [Qt.Key.Key_P] * 2
    started = time.perf_counter()
    for key in keys:
        qtbot.keyClick(screen.table, key)
    elapsed = time.perf_counter() - started
    assert screen.progress_label.text() == "Complete: 78 of 78 marked"
    marks = _marks(db, screen.round_id)
    assert len(marks) == 78
    counts = {mark: sum(1 for m in marks if m.mark == mark) for mark in
              ("present", "school", "hospital", "leave")}
    assert counts == {"present": 72, "school": 4, "hospital": 1, "leave": 1}
    assert {m.marked_by for m in marks} == {people.reception.staff_id}
    assert all(m.source == "screen" for m in marks)
    # Well under a minute for the whole round, saving each mark as it is made.
    assert elapsed < 30
    statuses = attendance.rounds_of_day(db, people.reception, local_today())
    assert any(s.round_id == screen.round_id and s.complete for s in statuses)


def test_a_round_left_half_done_is_finished_by_a_colleague(qtbot, db, people, make_window):
    _populate(db, people, 12)
    first = make_window(people.reception)
    screen = _open_screen(first)
    for _ in range(5):
        qtbot.keyClick(screen.table, Qt.Key.Key_Space)
    round_id = screen.round_id
    screen.findChild(QPushButton, "close_round_button").click()
    assert not screen.isVisible()
    first.close()

    second = make_window(people.night)
    screen = _open_screen(second)
    assert screen.round_id == round_id
    assert screen.progress_label.text() == "5 of 12 marked"
    # The cursor starts on the first resident without a mark.
    assert screen.model.rows[screen.current_row()].mark is None
    for _ in range(7):
        qtbot.keyClick(screen.table, Qt.Key.Key_P)
    assert screen.progress_label.text() == "Complete: 12 of 12 marked"
    by = [m.marked_by for m in _marks(db, round_id)]
    assert by.count(people.reception.staff_id) == 5 and by.count(people.night.staff_id) == 7


def test_an_absent_mark_opens_a_case_shown_on_today_and_closed_on_return(
        qtbot, db, people, make_window):
    made = _populate(db, people, 3)
    window = make_window(people.night)
    screen = _open_screen(window)
    absent_row = screen.current_row()
    absent = screen.model.rows[absent_row]
    qtbot.keyClick(screen.table, Qt.Key.Key_A)
    assert screen.notice.isVisible() and absent.name in screen.notice.text()
    cases = missing.open_cases(db, people.night)
    assert [c.resident_id for c in cases] == [absent.resident_id]
    case = cases[0]
    resident = next(r for r in made if r.id == absent.resident_id)
    expected_due = report_due(resident.data.date_of_birth, case.missing_since)
    assert case.due_at == expected_due
    assert expected_due - case.missing_since == timedelta(hours=24)  # 15 or older

    today = window.go("today")
    banners = today.findChildren(MissingBanner)
    assert len(banners) == 1
    assert absent.name in banners[0].label.text()
    assert format_datetime(expected_due) in banners[0].label.text()
    titles = [today.tree.topLevelItem(i).text(2) for i in range(today.tree.topLevelItemCount())]
    assert f"{absent.name} is missing: Reported to the police" in titles
    # The missing reports come first.
    assert titles[0].startswith(f"{absent.name} is missing")

    dialog = MissingCaseDialog(window.ctx, case.case_id, window)
    qtbot.addWidget(dialog)
    assert "Not done" in dialog.report_labels["police"].text()
    done = ReportDoneDialog(window.ctx, dialog.case, "police", dialog)
    qtbot.addWidget(done)
    done.findChild(QPushButton, "save_button").click()
    assert "Write the police report or journal number." in done.errors.labels[
        "reference"].text()
    qtbot.keyClicks(done.reference, "4600-12345-00123-26")
    done.findChild(QPushButton, "save_button").click()
    dialog.reload()
    assert "4600-12345-00123-26" in dialog.report_labels["police"].text()

    close = CloseCaseDialog(window.ctx, dialog.case, dialog)
    qtbot.addWidget(close)
    close.findChild(QPushButton, "save_button").click()
    assert close.errors.labels["note"].text().startswith("Write a note")
    close.note.setPlainText("Came back by train from Copenhagen, talked to the contact person.")
    close.findChild(QPushButton, "save_button").click()
    dialog.reload()
    assert dialog.case is not None and not dialog.case.is_open
    assert not dialog.close_button.isEnabled()
    with db.read() as session:
        stored = session.get(MissingCase, case.case_id)
        assert stored.close_reason == "returned" and stored.closed_by == people.night.staff_id
    today.refresh()
    assert today.findChildren(MissingBanner) == []
    assert residents.get_resident(db, people.night, absent.resident_id).status == "in_residence"


def test_a_mistaken_absent_mark_corrected_at_once_withdraws_the_case(qtbot, db, people,
                                                                     make_window):
    _populate(db, people, 2)
    window = make_window(people.reception)
    screen = _open_screen(window)
    row = screen.current_row()
    qtbot.keyClick(screen.table, Qt.Key.Key_A)
    assert len(missing.open_cases(db, people.reception)) == 1
    screen.table.selectRow(row)
    qtbot.keyClick(screen.table, Qt.Key.Key_Space)
    assert missing.open_cases(db, people.reception) == []
    assert "withdrawn" in screen.notice.text()


def test_paper_marks_are_typed_in_with_their_real_time(qtbot, db, people, make_ctx):
    _populate(db, people, 2)
    ctx = make_ctx(people.reception)
    day = local_today() - timedelta(days=1)
    screen = open_round_screen(ctx, day, "evening", paper=True)
    qtbot.addWidget(screen)
    screen.show()
    from ui.widgets import set_datetime

    set_datetime(screen.time_edit, screen.view.planned_at + timedelta(minutes=12))
    qtbot.keyClick(screen.table, Qt.Key.Key_P)
    qtbot.keyClick(screen.table, Qt.Key.Key_P)
    marks = _marks(db, screen.round_id)
    assert {m.source for m in marks} == {"paper"}
    assert {m.marked_at for m in marks} == {screen.view.planned_at + timedelta(minutes=12)}


def test_a_night_staff_user_sees_the_rounds_and_an_administrator_does_not(db, people,
                                                                          make_window):
    night = make_window(people.night).go("rounds")
    assert night.objectName() == "rounds_page"
    admin = make_window(people.admin).go("rounds")
    assert admin.objectName() == "not_yet_page"
