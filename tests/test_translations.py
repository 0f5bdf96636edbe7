"""The gettext catalogs (Danish and English) and locale-aware formatting."""

from __future__ import annotations

import gettext
import io
import string
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import formatting, i18n
from app.i18n import LANGUAGES, set_language

REPO_ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = REPO_ROOT / "translations"
PO_FILES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/centredesk.po"))


def _catalog(po: Path):
    with po.open("rb") as handle:
        return read_po(handle, locale=po.parent.parent.name, abort_invalid=True)


def _forms(value) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _placeholders(text: str) -> set[str]:
    return {field for _literal, field, _spec, _conv in string.Formatter().parse(text)
            if field is not None}


def _messages(po: Path):
    return [m for m in _catalog(po) if m.id]


def test_both_languages_have_a_catalog():
    assert {po.parent.parent.name for po in PO_FILES} == set(LANGUAGES)
    for po in PO_FILES:
        assert po.with_suffix(".mo").exists(), po


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_catalog_compiles_without_errors(po):
    catalog = _catalog(po)
    assert len(catalog) > 50
    problems = [(message.id, errors) for message, errors in catalog.check()]
    assert problems == []
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    for message in catalog:
        if message.id and not message.pluralizable and message.string and not message.fuzzy:
            assert compiled.gettext(message.id) == message.string


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_placeholders_of_translations_equal_those_of_the_source(po):
    wrong = []
    for message in _messages(po):
        source = set().union(*(_placeholders(form) for form in _forms(message.id)))
        for translated in _forms(message.string):
            if not translated:
                continue
            try:
                found = _placeholders(translated)
            except ValueError as error:  # an unbalanced brace crashes .format() at run time
                wrong.append((message.id, translated, str(error)))
                continue
            if found != source:
                wrong.append((message.id, translated, sorted(found ^ source)))
    assert wrong == []


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_source_messages_have_valid_placeholders(po):
    for message in _messages(po):
        for form in _forms(message.id):
            _placeholders(form)  # raises on a stray brace


def test_english_catalog_is_complete():
    english = TRANSLATIONS / "en" / "LC_MESSAGES" / "centredesk.po"
    missing = [m.id for m in _messages(english) if not all(_forms(m.string))]
    fuzzy = [m.id for m in _messages(english) if m.fuzzy]
    assert missing == [] and fuzzy == []


def test_catalogs_cover_the_template():
    with (TRANSLATIONS / "centredesk.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    for po in PO_FILES:
        ids = {m.id for m in _messages(po)}
        assert template - ids == set(), po


@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_committed_mo_is_up_to_date(po):
    buffer = io.BytesIO()
    write_mo(buffer, _catalog(po))
    buffer.seek(0)
    fresh = gettext.GNUTranslations(buffer)
    with po.with_suffix(".mo").open("rb") as handle:
        committed = gettext.GNUTranslations(handle)
    # "" is the header (dates of compilation); compare the messages
    fresh_messages = {k: v for k, v in fresh._catalog.items() if k != ""}
    committed_messages = {k: v for k, v in committed._catalog.items() if k != ""}
    assert committed_messages == fresh_messages


# --- switching language ---------------------------------------------------------------------

@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_set_language_loads_the_catalog(language):
    heard = []
    unregister = i18n.on_language_changed(heard.append)
    try:
        set_language(language)
    finally:
        unregister()
    assert heard == [language]
    assert i18n.current_language() == language
    assert i18n.current_locale() == LANGUAGES[language]
    po = TRANSLATIONS / language / "LC_MESSAGES" / "centredesk.po"
    for message in _messages(po):
        if message.pluralizable or message.context:
            continue
        expected = message.string if message.string and not message.fuzzy else message.id
        assert i18n._(message.id) == expected


def test_unknown_language_is_refused():
    set_language("en")
    with pytest.raises(ValueError):
        set_language("fr")
    assert i18n.current_language() == "en"


def test_unregistered_listener_is_not_called():
    heard = []
    unregister = i18n.on_language_changed(heard.append)
    unregister()
    set_language("da")
    assert heard == []


# --- formatting -----------------------------------------------------------------------------

def _plain(text: str) -> str:
    """Babel uses no-break spaces; compare with ordinary ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_dkk_in_danish():
    set_language("da")
    assert _plain(formatting.format_dkk(1234567.891)) == "1.234.567,89 kr."
    assert _plain(formatting.format_dkk(Decimal("0.5"))) == "0,50 kr."
    assert formatting.format_number(1234.5) == "1.234,5"


def test_dkk_in_english():
    set_language("en")
    text = _plain(formatting.format_dkk(1234567.891))
    assert "1,234,567.89" in text and "DKK" in text
    assert formatting.format_number(1234.5) == "1,234.5"


def test_dates_per_language():
    set_language("da")
    assert formatting.format_date(date(2026, 11, 1)) == "1. nov. 2026"
    set_language("en")
    assert formatting.format_date(date(2026, 11, 1)) == "1 Nov 2026"
    assert formatting.format_date(None) == ""


@pytest.mark.parametrize(("utc", "danish", "english"), [
    # winter: CET, UTC+1
    (datetime(2026, 1, 15, 10, 0, tzinfo=UTC), "15.01.2026 11.00", "15/01/2026, 11:00"),
    # summer: CEST, UTC+2
    (datetime(2026, 7, 1, 10, 0, tzinfo=UTC), "01.07.2026 12.00", "01/07/2026, 12:00"),
    # the spring change, 29 March 2026 at 02:00 local time
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29.03.2026 01.59", "29/03/2026, 01:59"),
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29.03.2026 03.00", "29/03/2026, 03:00"),
    # the autumn change, 25 October 2026: 02:30 local time happens twice
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25.10.2026 02.30", "25/10/2026, 02:30"),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25.10.2026 02.30", "25/10/2026, 02:30"),
    (datetime(2026, 10, 25, 2, 30, tzinfo=UTC), "25.10.2026 03.30", "25/10/2026, 03:30"),
    # late evening UTC is already the next day in Copenhagen
    (datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "01.01.2027 00.30", "01/01/2027, 00:30"),
])
def test_datetimes_are_shown_in_copenhagen_time(utc, danish, english):
    set_language("da")
    assert formatting.format_datetime(utc) == danish
    assert formatting.format_time(utc) == danish.split()[1]
    set_language("en")
    assert formatting.format_datetime(utc) == english


def test_datetime_in_another_zone_is_converted_too():
    set_language("en")
    new_york = datetime(2026, 7, 1, 6, 0, tzinfo=ZoneInfo("America/New_York"))
    assert formatting.format_datetime(new_york) == "01/07/2026, 12:00"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        formatting.format_datetime(datetime(2026, 7, 1, 10, 0))
    with pytest.raises(ValueError):
        formatting.to_local(datetime(2026, 7, 1, 10, 0))


def test_local_today_uses_copenhagen_dates():
    assert formatting.local_today(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == date(2026, 11, 23)
    assert formatting.local_today(datetime(2026, 11, 22, 22, 30, tzinfo=UTC)) == date(2026, 11, 22)
    set_language("en")
    assert formatting.format_date(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == "23 Nov 2026"
