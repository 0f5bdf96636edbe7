"""The shared page template and building blocks of every printed form.

A form is a title, the centre it belongs to and a list of blocks::

    pdf = render_document(_("Round sheet"), centre, [
        Section(_("Night round"), [
            Fields([(_("Staff member"), name), (_("Started"), started)], columns=2),
            DataTable([_("Time"), _("Room"), _("Observation")], rows, widths=[1, 1, 4]),
        ]),
        Signatures([_("Staff member"), _("Shift leader")]),
    ])

Every page gets the same header (centre name and code, form title, when it was printed)
and a footer with "Page x of y". Blocks are plain data (``Text``, ``Fields``,
``DataTable``, ``Checkboxes``, ``Lines``, ``Signatures``, ``Section``, ``Space``); any
reportlab ``Flowable`` may be mixed in, and ``content`` may be a function that receives
the ``Layout`` (styles and usable width) to build custom flowables. All text goes through
``fonts.shape`` so Arabic and other right-to-left scripts print joined and in the right
order; every user-visible string is translated by the caller or here with ``_``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph,
                                Spacer, Table, TableStyle)

from app.formatting import format_datetime, utcnow
from app.forms.fonts import (FONT, FONT_BOLD, base_is_rtl, has_rtl, register_fonts,
                             reshape_only, shape, with_fallback_fonts)
from app.i18n import _, current_language

# --- page geometry and colours ----------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 18 * mm
CONTENT_TOP = PAGE_HEIGHT - 30 * mm   # below the header
CONTENT_BOTTOM = 20 * mm              # above the footer
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5c6773")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#c3cad3")
SHADE = colors.HexColor("#eef1f5")

EMPTY = "–"  # shown for a value nobody has filled in


# --- styles -----------------------------------------------------------------------------

@dataclass(frozen=True)
class FormStyles:
    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    empty: ParagraphStyle
    heading: ParagraphStyle
    table_header: ParagraphStyle
    table_cell: ParagraphStyle
    caption: ParagraphStyle
    large: ParagraphStyle
    title: ParagraphStyle


@lru_cache(maxsize=1)
def form_styles() -> FormStyles:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=INK)

    def derive(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return FormStyles(
        body=base,
        small=derive("small", fontSize=8, leading=10),
        note=derive("note", fontSize=8, leading=10, textColor=MUTED),
        label=derive("label", fontSize=8, leading=10.5, textColor=MUTED),
        value=derive("value"),
        empty=derive("empty", textColor=MUTED),
        heading=derive("heading", fontName=FONT_BOLD, fontSize=10.5, leading=13,
                       textColor=ACCENT),
        table_header=derive("table_header", fontName=FONT_BOLD, fontSize=8, leading=10,
                            textColor=INK),
        table_cell=derive("table_cell", fontSize=9, leading=11.5),
        caption=derive("caption", fontSize=7.5, leading=9, textColor=MUTED),
        large=derive("large", fontName=FONT_BOLD, fontSize=15, leading=19),
        title=derive("title", fontSize=13, leading=17),
    )


@dataclass(frozen=True)
class Layout:
    """What a story builder needs: the styles and the usable width in points."""

    styles: FormStyles
    width: float = CONTENT_WIDTH


# --- right-to-left aware paragraphs ------------------------------------------------------

def _wrap_logical(line: str, font: str, size: float, width: float) -> list[str]:
    """Break ``line`` (logical order) into lines no wider than ``width`` once shaped."""
    space = stringWidth(" ", font, size)
    lines: list[str] = []
    current: list[str] = []
    current_width = 0.0
    for word in line.split(" "):
        word_width = stringWidth(reshape_only(word), font, size)
        if current and current_width + space + word_width > width:
            lines.append(" ".join(current))
            current, current_width = [word], word_width
        else:
            current_width += (space if current else 0) + word_width
            current.append(word)
    lines.append(" ".join(current))
    return lines


class BidiParagraph(Flowable):
    """A paragraph holding right-to-left text.

    Bidi reordering must happen per printed line, so the text is wrapped in logical order
    first and each line is then shaped. Text that starts right-to-left and runs over more
    than one line is right-aligned (a left-aligned style would leave its start ragged).
    """

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._paragraph: Paragraph | None = None
        self._built_for: float | None = None

    def _build(self, avail_width: float) -> Paragraph:
        if self._paragraph is not None and self._built_for == avail_width:
            return self._paragraph
        style = self.style
        width = max(avail_width - style.leftIndent - style.rightIndent, 1)
        printed: list[str] = []
        for logical in self.text.split("\n"):
            # Every printed line of a paragraph keeps the paragraph's direction.
            base_dir = "R" if base_is_rtl(logical) else "L"
            printed.extend(escape(shape(line, base_dir=base_dir)) for line in
                           _wrap_logical(logical, style.fontName, style.fontSize, width))
        if base_is_rtl(self.text) and len(printed) > 1 and style.alignment == TA_LEFT:
            style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
        text = with_fallback_fonts("<br/>".join(printed), style.fontName)
        self._paragraph = Paragraph(text, style)
        self._built_for = avail_width
        return self._paragraph

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self._build(avail_width).wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return self._build(avail_width).split(avail_width, avail_height)

    def draw(self) -> None:
        assert self._paragraph is not None
        self._paragraph.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self) -> float:
        return self.style.spaceBefore

    def getSpaceAfter(self) -> float:
        return self.style.spaceAfter


def para(text: str | None, style: ParagraphStyle, *, bold: bool = False) -> Flowable:
    """A paragraph of plain ``text`` (escaped; right-to-left text shaped; ``\\n`` breaks)."""
    text = text or ""
    if bold:
        style = ParagraphStyle(f"{style.name}-bold", parent=style, fontName=FONT_BOLD)
    if has_rtl(text):
        return BidiParagraph(text, style)
    return Paragraph(with_fallback_fonts("<br/>".join(escape(line) for line in text.split("\n")),
                                         style.fontName), style)


def value_text(value: object) -> str | None:
    """A field's value as text: booleans as Yes/No, empty as ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    text = str(value).strip()
    return text or None


def value_para(value: object, styles: FormStyles, style: ParagraphStyle | None = None) -> Flowable:
    text = value_text(value)
    if text is None:
        return Paragraph(EMPTY, styles.empty)
    return para(text, style or styles.value)


# --- blocks -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """A paragraph; ``style`` names a ``FormStyles`` field (body, small, note, …)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Fields:
    """Label/value pairs, ``columns`` pairs side by side. Values: text, numbers, booleans."""

    rows: Sequence[tuple[str, object]]
    columns: int = 1
    label_width: float = 0.38  # share of each pair's width that goes to the label


@dataclass(frozen=True)
class DataTable:
    """A table with a header row repeated on every page; ``widths`` are relative."""

    headers: Sequence[str]
    rows: Sequence[Sequence[object]]
    widths: Sequence[float] | None = None
    empty_text: str | None = None  # one row saying so when there are no rows


@dataclass(frozen=True)
class Checkboxes:
    """Tick boxes, ticked where the value is true (e.g. what kind of incident it was)."""

    items: Sequence[tuple[str, bool]]
    columns: int = 2


@dataclass(frozen=True)
class Lines:
    """Empty ruled lines to write on by hand, with an optional caption above them."""

    count: int = 3
    caption: str | None = None


@dataclass(frozen=True)
class Signatures:
    """A date line and a signature line for each signer (the caption under the line)."""

    signers: Sequence[str]
    date_line: bool = True


@dataclass(frozen=True)
class Space:
    height_mm: float = 4


@dataclass(frozen=True)
class Section:
    """A heading with a thin rule, kept on the same page as the start of its blocks."""

    title: str
    blocks: Sequence[Block] = field(default_factory=tuple)


Block = Text | Fields | DataTable | Checkboxes | Lines | Signatures | Space | Section | Flowable
Content = Sequence[Block] | Callable[[Layout], Sequence[Block]]


class PlaceholderBox(Flowable):
    """A dashed box with a caption in the middle: where to glue a photo, a stamp …"""

    def __init__(self, width: float, height: float, caption: str = "") -> None:
        super().__init__()
        self.width, self.height, self.caption = width, height, caption

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        canvas.setDash(3, 2)
        canvas.rect(0, 0, self.width, self.height)
        if self.caption:
            canvas.setFillColor(MUTED)
            canvas.setFont(FONT, 8)
            canvas.drawCentredString(self.width / 2, self.height / 2 - 3, shape(self.caption))
        canvas.restoreState()


# The ruled look of the checklists on the missing-resident report and the IN forms: shaded
# header, hairlines between rows, a line closing the table, a rule before the third column.
CHECKLIST_RULES: tuple[tuple, ...] = (
    ("BACKGROUND", (0, 0), (-1, 0), SHADE),
    ("LINEABOVE", (0, 0), (-1, 0), 0.6, ACCENT),
    ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
    ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
    ("LINEBELOW", (0, -1), (-1, -1), 0.6, ACCENT),
    ("LINEBEFORE", (2, 1), (-1, -1), 0.25, RULE),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ("LEFTPADDING", (0, 0), (0, -1), 1),
)


def table_style(commands: Sequence[tuple]) -> TableStyle:
    """A ``TableStyle`` whose plain-string cells use the embedded font, not Helvetica."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9), *commands])


def label_value_style(columns: int) -> TableStyle:
    """The style of label/value tables (``columns`` pairs side by side): values top-aligned,
    a hairline under each row, a gap between the pairs, and labels moved down onto the
    value's baseline although they are smaller."""
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (0, -1), 5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    for column in range(2, 2 * columns, 2):
        commands += [("LEFTPADDING", (column, 0), (column, -1), 10),
                     ("TOPPADDING", (column, 0), (column, -1), 5)]
    return table_style(commands)


def _fields_table(block: Fields, layout: Layout) -> Table:
    styles = layout.styles
    columns = max(1, block.columns)
    pair_width = layout.width / columns
    label_width = pair_width * block.label_width
    widths = [label_width, pair_width - label_width] * columns
    rows: list[list[Flowable | str]] = []
    items = list(block.rows)
    for start in range(0, len(items), columns):
        row: list[Flowable | str] = []
        for label, value in items[start:start + columns]:
            row += [para(label, styles.label), value_para(value, styles)]
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    if not rows:
        rows.append([""] * (2 * columns))
    return Table(rows, colWidths=widths, style=label_value_style(columns), hAlign="LEFT")


def _relative_widths(weights: Sequence[float] | None, count: int, width: float) -> list[float]:
    weights = list(weights) if weights else [1.0] * count
    if len(weights) != count:
        raise ValueError(f"{len(weights)} widths for {count} columns")
    total = sum(weights)
    return [width * weight / total for weight in weights]


def _data_table(block: DataTable, layout: Layout) -> Table:
    styles = layout.styles
    count = len(block.headers)
    widths = _relative_widths(block.widths, count, layout.width)
    rows: list[list[Flowable | str]] = [[para(h, styles.table_header) for h in block.headers]]
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for values in block.rows:
        if len(values) != count:
            raise ValueError(f"a row of {len(values)} cells in a table of {count} columns")
        rows.append([value_para(value, styles, styles.table_cell) for value in values])
    if not block.rows:
        rows.append([para(block.empty_text or EMPTY, styles.note)] + [""] * (count - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    return Table(rows, colWidths=widths, repeatRows=1, style=table_style(commands),
                 hAlign="LEFT")


def _checkboxes(block: Checkboxes, layout: Layout) -> Table:
    styles = layout.styles
    columns = max(1, block.columns)
    box_style = ParagraphStyle("box", parent=styles.value, fontSize=11, leading=12.5)
    cells: list[list[Flowable | str]] = []
    items = list(block.items)
    for start in range(0, len(items), columns):
        row: list[Flowable | str] = []
        for text, checked in items[start:start + columns]:
            row += [Paragraph("\u2612" if checked else "\u2610", box_style),
                    para(text, styles.value)]
        row += [""] * (2 * columns - len(row))
        cells.append(row)
    if not cells:
        return Spacer(0, 0)  # type: ignore[return-value]
    box_width = 6 * mm
    text_width = layout.width / columns - box_width
    return Table(cells, colWidths=[box_width, text_width] * columns, hAlign="LEFT",
                 style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))


def _lines(block: Lines, layout: Layout) -> list[Flowable]:
    out: list[Flowable] = []
    if block.caption:
        out.append(para(block.caption, layout.styles.label))
    rows = [[""] for _row in range(max(1, block.count))]
    out.append(Table(rows, colWidths=[layout.width], rowHeights=[8 * mm] * len(rows),
                     hAlign="LEFT", style=table_style([
                         ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)])))
    return out


def _signatures(block: Signatures, layout: Layout) -> Table:
    styles = layout.styles
    gap = 8 * mm
    date_width = 45 * mm if block.date_line else 0
    signature_width = layout.width - date_width - (gap if block.date_line else 0)
    widths = [date_width, gap, signature_width] if block.date_line else [signature_width]
    rows: list[list[Flowable | str]] = []
    commands: list[tuple] = [("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    heights: list[float | None] = []
    for signer in block.signers:
        line_row = len(rows) + 1
        rows.append([""] * len(widths))
        heights.append(13 * mm)
        if block.date_line:
            rows.append([para(_("Date"), styles.caption), "", para(signer, styles.caption)])
            commands += [("LINEABOVE", (0, line_row), (0, line_row), 0.6, INK),
                         ("LINEABOVE", (2, line_row), (2, line_row), 0.6, INK)]
        else:
            rows.append([para(signer, styles.caption)])
            commands.append(("LINEABOVE", (0, line_row), (0, line_row), 0.6, INK))
        heights.append(None)
    table = Table(rows, colWidths=widths, rowHeights=heights, style=table_style(commands),
                  hAlign="LEFT")
    return table


def _section_heading(title: str, layout: Layout) -> Table:
    return Table([[para(title, layout.styles.heading)]], colWidths=[layout.width],
                 hAlign="LEFT", style=table_style([
                     ("LINEBELOW", (0, 0), (-1, -1), 0.6, ACCENT),
                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                     ("TOPPADDING", (0, 0), (-1, -1), 0),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))


class SectionGroup(Flowable):
    """A section's heading and content, laid out so that a heading never ends a page.

    A short section (up to ``SHORT`` of a page) moves whole to the next page when it does
    not fit; a long one starts where at least ``MIN_START`` is left and then flows on.
    The space before it is dropped at the top of a page.
    """

    SHORT = 0.4
    MIN_START = 35 * mm

    def __init__(self, content: list[Flowable], space_before: float = 5 * mm) -> None:
        super().__init__()
        self._content = content
        self._space_before = space_before
        self._sizes: list[tuple[float, float]] = []

    def getSpaceBefore(self) -> float:
        return self._space_before

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._sizes = [f.wrapOn(self.canv, avail_width, 0xFFFFFFF) for f in self._content]
        height = sum(h for _w, h in self._sizes)
        height += sum(f.getSpaceBefore() for f in self._content[1:])
        height += sum(f.getSpaceAfter() for f in self._content[:-1])
        self.width, self.height = avail_width, height
        return avail_width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        page_height = frame._height if frame is not None else CONTENT_TOP - CONTENT_BOTTOM
        at_top = bool(getattr(frame, "_atTop", False))
        if not at_top and (self.height <= self.SHORT * page_height
                           or avail_height < self.MIN_START):
            return []  # start on the next page
        gap = [] if at_top else [Spacer(0, self._space_before)]
        return [*gap, *self._content]

    def draw(self) -> None:
        y = self.height
        for index, (flowable, (_w, h)) in enumerate(zip(self._content, self._sizes, strict=True)):
            if index:
                y -= flowable.getSpaceBefore()
            y -= h
            flowable.drawOn(self.canv, 0, y)
            y -= flowable.getSpaceAfter()


def to_flowables(blocks: Sequence[Block], layout: Layout) -> list[Flowable]:
    """Turn blocks into reportlab flowables (for forms that compose their own story)."""
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Section):
            out.append(SectionGroup([_section_heading(block.title, layout),
                                     Spacer(0, 1.5 * mm),
                                     *to_flowables(block.blocks, layout)]))
        elif isinstance(block, Text):
            out.append(para(block.text, getattr(layout.styles, block.style)))
            out.append(Spacer(0, 2 * mm))
        elif isinstance(block, Fields):
            out.append(_fields_table(block, layout))
        elif isinstance(block, DataTable):
            out.append(_data_table(block, layout))
        elif isinstance(block, Checkboxes):
            out.append(_checkboxes(block, layout))
        elif isinstance(block, Lines):
            out.extend(_lines(block, layout))
        elif isinstance(block, Signatures):
            out.append(_signatures(block, layout))
        elif isinstance(block, Space):
            out.append(Spacer(0, block.height_mm * mm))
        elif isinstance(block, Flowable):
            out.append(block)
        else:
            raise TypeError(f"not a form block: {block!r}")
    return out


# --- the page template ------------------------------------------------------------------

@dataclass(frozen=True)
class CentreHeader:
    """The centre as the page header shows it (``CentreView`` has the same attributes)."""

    name: str
    code: str = ""


@dataclass(frozen=True)
class _PageTexts:
    centre: str
    title: str
    subtitle: str
    printed: str
    footer_note: str


def _fit(canvas: Canvas, text: str, font: str, size: float, max_width: float,
         min_size: float = 7) -> tuple[str, float]:
    """``text`` (shaped) and a font size at which it fits ``max_width``, shortened if need be."""
    text = shape(text)
    while size > min_size and canvas.stringWidth(text, font, size) > max_width:
        size -= 0.5
    if canvas.stringWidth(text, font, size) > max_width:
        while text and canvas.stringWidth(text + "…", font, size) > max_width:
            text = text[:-1]
        text += "…"
    return text, size


def _page_geometry(canvas: Canvas) -> tuple[float, float, float]:
    """The page's width, height and content width (portrait or landscape A4)."""
    width, height = canvas._pagesize
    return width, height, width - MARGIN_LEFT - MARGIN_RIGHT


def _draw_header(canvas: Canvas, texts: _PageTexts) -> None:
    canvas.saveState()
    page_width, page_height, content_width = _page_geometry(canvas)
    left, right = MARGIN_LEFT, page_width - MARGIN_RIGHT
    top = page_height - 13 * mm
    printed, printed_size = _fit(canvas, texts.printed, FONT, 7.5, content_width * 0.45)
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, printed_size)
    canvas.drawRightString(right, top, printed)
    printed_width = canvas.stringWidth(printed, FONT, printed_size)
    centre, centre_size = _fit(canvas, texts.centre, FONT_BOLD, 8.5,
                               content_width - printed_width - 8 * mm)
    canvas.setFillColor(ACCENT)
    canvas.setFont(FONT_BOLD, centre_size)
    canvas.drawString(left, top, centre)

    baseline = page_height - 21.5 * mm
    title, title_size = _fit(canvas, texts.title, FONT_BOLD, 15, content_width, min_size=10)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, title_size)
    canvas.drawString(left, baseline, title)
    if texts.subtitle:
        x = left + canvas.stringWidth(title, FONT_BOLD, title_size) + 4 * mm
        if right - x > 20 * mm:
            subtitle, subtitle_size = _fit(canvas, texts.subtitle, FONT, 11, right - x)
            canvas.setFillColor(MUTED)
            canvas.setFont(FONT, subtitle_size)
            canvas.drawString(x, baseline, subtitle)

    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.9)
    canvas.line(left, page_height - 25 * mm, right, page_height - 25 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, texts: _PageTexts, page: int, pages: int) -> None:
    canvas.saveState()
    page_width, _page_height, content_width = _page_geometry(canvas)
    left, right = MARGIN_LEFT, page_width - MARGIN_RIGHT
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(left, 14 * mm, right, 14 * mm)
    canvas.setFillColor(MUTED)
    number = _("Page {page} of {pages}").format(page=page, pages=pages)
    canvas.setFont(FONT, 8)
    canvas.drawRightString(right, 10 * mm, shape(number))
    if texts.footer_note:
        note, size = _fit(canvas, texts.footer_note, FONT, 7.5,
                          content_width - canvas.stringWidth(number, FONT, 8) - 10 * mm)
        canvas.setFont(FONT, size)
        canvas.drawString(left, 10 * mm, note)
    canvas.restoreState()


def _numbered_canvas(texts: _PageTexts) -> type[Canvas]:
    """A canvas that holds back each page until the end, so the footer knows the page count."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self._page_states: list[dict] = []

        def showPage(self) -> None:
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            pages = len(self._page_states)
            for state in self._page_states:
                self.__dict__.update(state)
                _draw_footer(self, texts, self.getPageNumber(), pages)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def render_document(title: str, centre: CentreHeader, content: Content, *,
                    subtitle: str | None = None, printed_at: datetime | None = None,
                    printed_by: str | None = None, footer_note: str | None = None,
                    subject: str | None = None, landscape: bool = False) -> bytes:
    """Render a form to PDF bytes (A4, embedded DejaVu fonts).

    ``centre`` is anything with ``name`` and ``code`` (``CentreHeader``, ``CentreView``).
    ``content`` is a list of blocks or a function ``(Layout) -> blocks``. ``printed_at``
    must carry a timezone (default: now); it is shown in Copenhagen time. ``landscape``
    turns the page for wide tables (``Layout.width`` is then the landscape width).
    """
    register_fonts()
    printed_at = printed_at or utcnow()
    page_width, page_height = (A4[1], A4[0]) if landscape else A4
    content_width = page_width - MARGIN_LEFT - MARGIN_RIGHT
    content_top = page_height - (PAGE_HEIGHT - CONTENT_TOP)
    layout = Layout(form_styles(), content_width)
    blocks = content(layout) if callable(content) else content
    story = to_flowables(blocks, layout)
    if not story:
        story = [Spacer(0, 0)]

    code = getattr(centre, "code", "") or ""
    centre_text = (_("{centre} ({code})").format(centre=centre.name, code=code) if code
                   else centre.name)
    when = format_datetime(printed_at)
    printed = (_("Printed {when} by {name}").format(when=when, name=printed_by) if printed_by
               else _("Printed {when}").format(when=when))
    texts = _PageTexts(centre=centre_text, title=title, subtitle=subtitle or "",
                       printed=printed, footer_note=footer_note or "")

    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer, pagesize=(page_width, page_height), leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT, topMargin=page_height - content_top,
        bottomMargin=CONTENT_BOTTOM,
        title=f"{title} – {subtitle}" if subtitle else title, author=centre.name,
        subject=subject or title, creator="Centre Desk", lang=current_language(),
        initialFontName=FONT)
    frame = Frame(MARGIN_LEFT, CONTENT_BOTTOM, content_width, content_top - CONTENT_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    document.addPageTemplates([PageTemplate(
        id="form", frames=[frame], onPage=lambda canvas, _doc: _draw_header(canvas, texts))])
    document.build(story, canvasmaker=_numbered_canvas(texts))
    return buffer.getvalue()

