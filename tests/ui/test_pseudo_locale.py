"""No user-visible string in ui/ escapes translation.

Every message is wrapped in ⟦…⟧ by a pseudo-locale; then every text a user can see in the
main window, its menus, pages, tabs and dialogs must carry the marker (data such as names
and numbers excepted: this runs on a centre without residents).
"""

from __future__ import annotations

import gettext
import re

import pytest
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel,
                               QLineEdit, QTabWidget, QWidget)

from app.i18n import LANGUAGE_NAMES, install_translation
from ui.residents.editor import ResidentEditor


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"


# Shown as they are on purpose: language names in their own language, the centre's and
# users' names, numbers, dates and keyboard keys.
ALLOWED = re.compile(r"^(|[\d\s.,:/–-]+|A, B|" + "|".join(LANGUAGE_NAMES.values()) + r")$")


def _visible_texts(widget: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if not child.isVisibleTo(widget) and child is not widget:
            continue
        kind = type(child).__name__
        if isinstance(child, QLabel):
            found.append((kind, child.text()))
        if isinstance(child, QAbstractButton):
            found.append((kind, child.text()))
        if isinstance(child, QGroupBox):
            found.append((kind, child.title()))
        if isinstance(child, QLineEdit):
            found.append((kind + ".placeholder", child.placeholderText()))
        if isinstance(child, QComboBox):
            found.extend((kind, child.itemText(i)) for i in range(child.count()))
        if isinstance(child, QTabWidget):
            found.extend((kind, child.tabText(i)) for i in range(child.count()))
        if isinstance(child, QAbstractItemView) and child.model() is not None:
            model = child.model()
            found.extend((kind + ".header", str(model.headerData(c, _horizontal()) or ""))
                         for c in range(model.columnCount()))
        if child.isWindow():
            found.append((kind + ".title", child.windowTitle()))
    return found


def _horizontal():
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _untranslated(texts: list[tuple[str, str]], data: set[str]) -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in texts
            if "⟦" not in text and not ALLOWED.match(text.strip()) and text not in data]


@pytest.fixture
def pseudo():
    install_translation(PseudoTranslations(), "en")
    yield
    install_translation(gettext.NullTranslations(), "en")


def test_every_visible_text_is_translated(qtbot, pseudo, make_window, people, beds):
    window = make_window(people.leader)
    data = {"Børnecenter Test", "TEST", str(window.ctx.db.device_id), "min"}
    data |= {"Lene Leder", "Ada Admin", "Sofie Koordinator", "Rasmus Reception",
             "Nina Nattevagt", "Karen Kontakt", "Kurt Kontakt"}
    data |= {"admin", "leader", "coord", "reception", "night", "karen", "kurt"}
    data |= {"101 / A", "101 / B", "102 / A", "102 / B"}
    problems: list[tuple[str, str]] = []
    for action in window.menuBar().actions():
        problems += _untranslated([("menu", action.text())], data)
        for item in action.menu().actions():
            if item.menu() is not None:
                problems += _untranslated([("submenu", item.text())], data)
            elif not item.isSeparator():
                problems += _untranslated([("menu item", item.text())], data)
    for index in range(window.nav.count()):
        problems += _untranslated([("navigation", window.nav.item(index).text())], data)
    for key in ("today", "residents", "rounds", "notes", "incidents", "lost_property",
                "visitors", "sync", "admin"):
        page = window.go(key)
        if key == "admin":
            for tab in range(page.tabs.count()):
                page.tabs.setCurrentIndex(tab)
                problems += _untranslated(_visible_texts(page.tabs.currentWidget()), data)
        problems += _untranslated(_visible_texts(page), data)
    problems += _untranslated([("window", window.windowTitle())], data)
    editor = ResidentEditor(window.ctx, None, window)
    qtbot.addWidget(editor)
    editor.submit()  # also the validation messages
    problems += _untranslated(_visible_texts(editor), data)
    window.lock()
    problems += _untranslated(_visible_texts(window.overlay), data)
    assert problems == []
