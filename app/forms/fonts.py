"""Embedded Unicode fonts and right-to-left text for the PDFs.

reportlab's built-in fonts know neither Arabic nor every Latin letter, so every form uses
DejaVu Sans, shipped in ``resources/fonts`` and embedded (as a subset) in each PDF.

reportlab neither joins Arabic letters nor reorders right-to-left text: ``shape`` turns a
string into the joined glyphs (Arabic presentation forms) in display order, which is what
reportlab draws left to right. Text without right-to-left characters is left untouched.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from xml.sax.saxutils import escape

from app.paths import FONTS_DIR

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
# DejaVu has no Ge'ez script: Tigrinya and Amharic names (Eritrean and Ethiopian minors)
# are set in Noto Sans Ethiopic instead.
ETHIOPIC = "NotoSansEthiopic"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf",
               ETHIOPIC: "NotoSansEthiopic-Regular.ttf",
               ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf"}
_FALLBACK = {FONT: ETHIOPIC, FONT_BOLD: ETHIOPIC_BOLD}
_ETHIOPIC_RUN = re.compile("[\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f]+")

_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the embedded fonts with reportlab once per process (thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, filename in _FONT_FILES.items():
            path = FONTS_DIR / filename
            if not path.is_file():
                raise FileNotFoundError(f"font file missing: {path}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> in Paragraph markup picks the bold face.
        for bold, italic, face in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT),
                                   (1, 1, FONT_BOLD)):
            addMapping(FONT, bold, italic, face)
        _registered = True


def _is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def has_rtl(text: str | None) -> bool:
    """Whether ``text`` holds right-to-left letters (Arabic, Persian, Hebrew …)."""
    return bool(text) and any(_is_rtl_char(char) for char in text)


def base_is_rtl(text: str | None) -> bool:
    """Whether the first strongly directional letter of ``text`` is right-to-left."""
    for char in text or "":
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


@lru_cache(maxsize=1)
def _font_coverage() -> frozenset[int]:
    """Code points that both embedded faces have glyphs for."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    regular = pdfmetrics.getFont(FONT).face.charToGlyph
    bold = pdfmetrics.getFont(FONT_BOLD).face.charToGlyph
    return frozenset(regular) & frozenset(bold)


@lru_cache(maxsize=1)
def _reshaper():
    """An Arabic reshaper that only produces glyphs DejaVu Sans has.

    The default reshaper also forms ligatures such as "Allah" (U+FDF2) that DejaVu Sans
    lacks and would print as empty boxes; only ligatures the font has are enabled.
    """
    import arabic_reshaper
    from arabic_reshaper.ligatures import LIGATURES

    coverage = _font_coverage()
    configuration = {name: all(ord(form) in coverage for form in forms if form)
                     for name, (_match, forms) in LIGATURES}
    return arabic_reshaper.ArabicReshaper(configuration=configuration)


@lru_cache(maxsize=1)
def _unshaped_fallback() -> dict[str, str]:
    """Presentation forms the font lacks, mapped back to their plain letter."""
    from arabic_reshaper.letters import LETTERS_ARABIC

    coverage = _font_coverage()
    return {form: letter for letter, forms in LETTERS_ARABIC.items() for form in forms
            if form and len(form) == 1 and ord(form) not in coverage and ord(letter) in coverage}


def _reshape(text: str) -> str:
    fallback = _unshaped_fallback()
    return "".join(fallback.get(char, char) for char in _reshaper().reshape(text))


@lru_cache(maxsize=2048)
def _shape_line(line: str, base_dir: str | None) -> str:
    from bidi.algorithm import get_display

    return get_display(_reshape(line), base_dir=base_dir)


def shape(text: str | None, base_dir: str | None = None) -> str:
    """``text`` as reportlab must draw it: Arabic joined, right-to-left runs in display order.

    Each line is shaped on its own; its direction follows its first strong letter unless
    ``base_dir`` ("L" or "R") says otherwise. Returns plain text: escape it (``markup``)
    before using it in Paragraph markup.
    """
    if not text:
        return ""
    if not has_rtl(text):
        return text
    return "\n".join(_shape_line(line, base_dir) if has_rtl(line) else line
                     for line in text.split("\n"))


def reshape_only(text: str) -> str:
    """Arabic letters joined but kept in logical order: for measuring widths while wrapping."""
    return _reshape(text) if has_rtl(text) else text


def with_fallback_fonts(markup_text: str, font: str = FONT) -> str:
    """Paragraph markup with runs of scripts the main font lacks set in a font that has them."""
    fallback = _FALLBACK.get(font, ETHIOPIC)
    return _ETHIOPIC_RUN.sub(lambda run: f'<font name="{fallback}">{run.group(0)}</font>',
                             markup_text)


def markup(text: str | None) -> str:
    """``text`` shaped and escaped for Paragraph markup; line breaks become ``<br/>``."""
    if not text:
        return ""
    return with_fallback_fonts("<br/>".join(escape(line) for line in shape(text).split("\n")))
