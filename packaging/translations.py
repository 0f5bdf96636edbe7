"""Extract, update and compile the gettext catalogs in translations/ (``make translations``).

English is the source language; its catalog is kept complete by copying each message
into its own translation, so a missing Danish string shows in English, never blank.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "centredesk.pot"
LANGUAGES = ("da", "en")
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "ngettext:1,2", "-k", "pgettext:1c,2"]


def _babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "centredesk.po"


def extract() -> None:
    _babel("extract", "-F", str(TRANSLATIONS / "babel.cfg"), *KEYWORDS, "--no-location",
           "--sort-output", "--project=centredesk", "--copyright-holder=Centre Desk",
           "-o", str(POT), str(ROOT / "app"), str(ROOT / "ui"))


def update() -> None:
    for language in LANGUAGES:
        if po_path(language).exists():
            _babel("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-D", "centredesk",
                   "-l", language, "--no-fuzzy-matching", "--ignore-obsolete")
        else:
            _babel("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-D", "centredesk",
                   "-l", language)
    _fill_english()


def _fill_english() -> None:
    path = po_path("en")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not all(message.string):
                message.string = tuple(message.id)
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True)


def compile_catalogs() -> None:
    _babel("compile", "-d", str(TRANSLATIONS), "-D", "centredesk", "--statistics")


if __name__ == "__main__":
    steps = sys.argv[1:] or ["extract", "update", "compile"]
    for step in steps:
        {"extract": extract, "update": update, "compile": compile_catalogs}[step]()
