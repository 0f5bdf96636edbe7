"""GUI fixtures: an AppContext for a logged-in user and a main window without idle lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.db import Database
from app.services import centre
from app.unit_of_work import Actor
from ui.context import AppContext
from ui.main_window import MainWindow


@pytest.fixture
def make_ctx(db: Database) -> Callable[[Actor], AppContext]:
    def make(actor: Actor) -> AppContext:
        return AppContext(db, centre.get_centre(db), actor)

    return make


@pytest.fixture
def make_window(qtbot, make_ctx) -> Iterator[Callable[[Actor], MainWindow]]:
    windows: list[MainWindow] = []

    def make(actor: Actor) -> MainWindow:
        window = MainWindow(make_ctx(actor), lock_enabled=False)
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
