"""The main window's areas, Today page, honest placeholders, language switch and self-test."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from PySide6.QtWidgets import QLabel

from app.i18n import set_language
from app.services import residents
from tests.conftest import resident_input
from ui.main_window import AREAS


def test_every_area_opens_and_unbuilt_ones_say_so(make_window, people):
    window = make_window(people.leader)
    for key, _text, explanation in AREAS:
        page = window.go(key)
        assert window.stack.currentWidget() is page
        if explanation is not None:
            text = page.findChild(QLabel, "not_yet_text").text()
            assert "not available in this version yet" in text


def test_today_page_lists_duties_and_opens_the_resident(qtbot, make_window, people, beds):
    window = make_window(people.coordinator)
    detail = residents.register_arrival(window.ctx.db, people.coordinator,
                                        resident_input(representative_name=None), beds[0].id,
                                        today=date(2026, 11, 23))
    today = window.go("today")
    today.refresh()
    titles = [today.tree.topLevelItem(i).text(2) for i in range(today.tree.topLevelItemCount())]
    assert "Assign a primary contact person to Ahmad Karimi" in titles
    assert "Register the personal representative of Ahmad Karimi" in titles
    today.tree.itemActivated.emit(today.tree.topLevelItem(0), 0)
    assert window.current_area() == "residents"
    assert window.pages["residents"].detail.detail.id == detail.id


def test_language_switch_rebuilds_the_window_in_danish(make_window, people):
    window = make_window(people.leader)
    window.on_language = set_language
    window.change_language("da")
    try:
        assert window.nav.item(1).text() == "Beboere"
        assert window.menuBar().actions()[0].text() == "&Filer"
    finally:
        set_language("en")


def test_self_test_command_opens_the_main_window(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "ui.launcher", "--db", str(tmp_path / "st.db"),
                             "--self-test"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "self-test: ok" in result.stdout
