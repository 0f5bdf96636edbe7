"""One translation catalog system for app/ and ui/: gettext catalogs managed with Babel.

Source strings are English; ``translations/<lang>/LC_MESSAGES/centredesk.po`` hold the
Danish and English catalogs, compiled to ``.mo`` next to them. ``_`` looks the message
up in the catalog of the current language at call time, so code that builds text late
(widgets re-translating themselves, PDFs, CLI output) always speaks the chosen language.
Placeholders use ``str.format`` names: ``_("Bed {bed} is taken").format(bed=...)``.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable

from app.paths import TRANSLATIONS_DIR

DOMAIN = "centredesk"
DEFAULT_LANGUAGE = "da"
# Babel locale used for dates, numbers and money for each UI language.
LANGUAGES: dict[str, str] = {"da": "da_DK", "en": "en_GB"}
LANGUAGE_NAMES: dict[str, str] = {"da": "Dansk", "en": "English"}

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language: str = "en"
_listeners: list[Callable[[str], None]] = []


def load_catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog for ``language``; raises ``FileNotFoundError`` if it is missing."""
    return gettext.translation(DOMAIN, localedir=str(TRANSLATIONS_DIR), languages=[language])


def set_language(language: str) -> None:
    """Switch every later ``_()`` call to ``language`` and tell the listeners."""
    global _translation, _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {sorted(LANGUAGES)}")
    _translation = load_catalog(language)
    _language = language
    for listener in list(_listeners):
        listener(language)


def install_translation(translation: gettext.NullTranslations, language: str = "en") -> None:
    """Install an arbitrary translation (the tests' pseudo-locale uses this)."""
    global _translation, _language
    _translation = translation
    _language = language
    for listener in list(_listeners):
        listener(language)


def current_language() -> str:
    return _language


def current_locale() -> str:
    return LANGUAGES.get(_language, LANGUAGES["en"])


def on_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Register ``listener``; returns a function that unregisters it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message
