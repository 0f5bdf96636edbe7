"""The printed forms of the lost-property register (domain-rules §5, ``001_…`` Bilag 13 §4).

* **The register for a period** (the Agency's inspection copy), landscape A4: one row per
  item with every field §5 asks for — the person IDs of who lived in the room, the date
  found, the date the retention (or the owner search) ends, what the item is — and what
  happened to it, when and by whom. Corrected records stay on the page, struck through,
  with when and why they were corrected. Totals at the top.
* **Labels** for the bag or box, four to an A4 sheet (each an A6 quarter, cut along the
  dashed lines): the item number and the date it is kept until are big enough to read
  from a metre away.
* **The return receipt** the resident signs when getting things back.
* **The police handover list** for things nobody claimed (common areas, and any other item
  handed to the police), signed by the staff member and the police officer.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, FrameBreak, KeepInFrame,
                                KeepTogether, PageTemplate, Paragraph, Spacer, Table)

from app.formatting import (format_date, format_datetime, format_dkk, format_number, to_local,
                            utcnow)
from app.forms.document import (ACCENT, EMPTY, INK, MUTED, RULE, SHADE, Block, CentreHeader,
                                Fields, Layout, Signatures, form_styles, para, render_document,
                                table_style, to_flowables)
from app.forms.fonts import FONT, FONT_BOLD, register_fonts, shape, with_fallback_fonts
from app.i18n import _, current_language, ngettext
from app.models.reception import (DISPOSITION_CHARITY, DISPOSITION_DESTROYED,
                                  DISPOSITION_DISCARDED, DISPOSITION_POLICE,
                                  DISPOSITION_RETURNED, ORIGIN_COMMON, ORIGIN_VACATED)
from app.rules.lost_property import (HIGH_VALUE_DKK, HIGH_VALUE_MONTHS, LOW_VALUE_MONTHS,
                                     OWNER_SEARCH_WORKING_DAYS)
from app.services.lost_property import DispositionView, ItemView
from app.vocab import DISPOSITION_LABELS, ITEM_CATEGORY_LABELS, ORIGIN_LABELS, label

DUE = HexColor("#b42318")           # retention or owner search over, nothing done yet
DUE_SHADE = HexColor("#fdecea")
NOTICE_EDGE = HexColor("#b7791f")
NOTICE_SHADE = HexColor("#fff4d6")
WHITE = HexColor("#ffffff")
STRUCK = HexColor("#3d4650")        # a corrected record: still readable under its line


# --- shared wording -----------------------------------------------------------------------------

def where_found(item: ItemView) -> str:
    """The room (vacated rooms) or the place in the common areas."""
    if item.origin == ORIGIN_VACATED:
        return _("Room {room}").format(room=item.room) if item.room else label(
            ORIGIN_LABELS, item.origin)
    return item.place or label(ORIGIN_LABELS, item.origin)


def deadline_caption(item: ItemView) -> str:
    """What the deadline date means for this item."""
    if item.origin == ORIGIN_COMMON:
        return _("Owner search until")
    if item.perishable:
        return _("Discarded at once")
    return _("Kept until")


def deadline_rule(item: ItemView) -> str:
    """Which rule gave the deadline: 1 or 3 months, perishable, or the owner search."""
    if item.origin == ORIGIN_COMMON:
        return ngettext("{days} working day, then to the police",
                        "{days} working days, then to the police",
                        OWNER_SEARCH_WORKING_DAYS).format(days=OWNER_SEARCH_WORKING_DAYS)
    if item.perishable:
        return _("perishable")
    months = HIGH_VALUE_MONTHS if item.value_dkk >= HIGH_VALUE_DKK else LOW_VALUE_MONTHS
    return ngettext("{months} month", "{months} months", months).format(months=months)


def disposition_details(record: DispositionView) -> list[str]:
    """The reference, organisation or recipient of a disposition, and its note."""
    details = []
    if record.recipient_person_id:
        details.append(_("Recipient: {person_id}").format(person_id=record.recipient_person_id))
    if record.police_reference:
        details.append(_("Police reference: {reference}").format(
            reference=record.police_reference))
    if record.organisation:
        details.append(_("Organisation: {organisation}").format(
            organisation=record.organisation))
    if record.note:
        details.append(record.note)
    return details


def _when_by(record: DispositionView) -> str:
    when = format_date(record.on)
    return _("{date} by {name}").format(date=when, name=record.by) if record.by else when


def _person_ids(item: ItemView) -> str:
    return "\n".join(item.person_ids)


def _markup(text: str) -> str:
    """Plain ``text`` shaped and escaped for Paragraph markup (line breaks kept)."""
    return "<br/>".join(escape(shape(line)) for line in text.split("\n"))


def _rich(parts: Sequence[tuple[str, str]], style: ParagraphStyle) -> Paragraph:
    """A paragraph of runs; each run is (text, kind) with kind one of "", "b", "strike",
    "muted", "due"; runs are joined as they are (put the spaces and breaks in the text)."""
    out = []
    for text, kind in parts:
        if text == "\n":
            out.append("<br/>")
            continue
        run = _markup(text)
        if kind == "b":
            run = f"<b>{run}</b>"
        elif kind == "strike":
            run = f'<font color="{STRUCK.hexval()}"><strike>{run}</strike></font>'
        elif kind == "muted":
            run = f'<font color="{MUTED.hexval()}">{run}</font>'
        elif kind == "due":
            run = f'<font color="{DUE.hexval()}"><b>{run}</b></font>'
        out.append(run)
    return Paragraph(with_fallback_fonts("".join(out), style.fontName), style)


def _printed_day(printed_at: datetime) -> date:
    return to_local(printed_at).date()


# --- the register (inspection copy) -------------------------------------------------------------

def _register_styles() -> dict[str, ParagraphStyle]:
    styles = form_styles()
    cell = ParagraphStyle("lp-cell", parent=styles.table_cell, fontSize=8, leading=10)
    return {
        "cell": cell,
        "bold": ParagraphStyle("lp-bold", parent=cell, fontName=FONT_BOLD),
        "number": ParagraphStyle("lp-number", parent=cell, fontName=FONT_BOLD, fontSize=8.5),
        "small": ParagraphStyle("lp-small", parent=cell, fontSize=7, leading=8.5,
                                textColor=MUTED),
        "value": ParagraphStyle("lp-value", parent=cell, alignment=TA_RIGHT),
        "header": ParagraphStyle("lp-header", parent=styles.table_header, fontSize=7.5,
                                 leading=9),
        "total": ParagraphStyle("lp-total", parent=styles.body, fontSize=8, leading=10,
                                textColor=MUTED, alignment=TA_CENTER),
        "total-figure": ParagraphStyle("lp-total-figure", parent=styles.body,
                                       fontName=FONT_BOLD, fontSize=15, leading=18,
                                       alignment=TA_CENTER),
        "legend": ParagraphStyle("lp-legend", parent=styles.body, fontSize=7.5, leading=9.5,
                                 textColor=INK),
    }


def register_totals(items: Sequence[ItemView]) -> list[tuple[str, int]]:
    """(caption, count): all items, those still kept, and each disposition in force."""
    counts = Counter(item.disposition for item in items)
    return [
        (_("Items"), len(items)),
        (_("Still kept"), counts[None]),
        (label(DISPOSITION_LABELS, DISPOSITION_RETURNED), counts[DISPOSITION_RETURNED]),
        (label(DISPOSITION_LABELS, DISPOSITION_POLICE), counts[DISPOSITION_POLICE]),
        (label(DISPOSITION_LABELS, DISPOSITION_DESTROYED), counts[DISPOSITION_DESTROYED]),
        (label(DISPOSITION_LABELS, DISPOSITION_CHARITY), counts[DISPOSITION_CHARITY]),
        (label(DISPOSITION_LABELS, DISPOSITION_DISCARDED), counts[DISPOSITION_DISCARDED]),
    ]


def _totals_strip(items: Sequence[ItemView], layout: Layout) -> Table:
    styles = _register_styles()
    totals = register_totals(items)
    figures = [para(format_number(count), styles["total-figure"]) for _c, count in totals]
    captions = [para(caption, styles["total"]) for caption, _n in totals]
    width = layout.width / len(totals)
    return Table([figures, captions], colWidths=[width] * len(totals), hAlign="LEFT",
                 style=table_style([
                     ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                     ("BACKGROUND", (0, 0), (0, -1), HexColor("#dfe6ee")),
                     ("LINEBEFORE", (1, 0), (-1, -1), 0.6, WHITE),
                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("TOPPADDING", (0, 0), (-1, 0), 5),
                     ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
                     ("TOPPADDING", (0, 1), (-1, 1), 1),
                     ("BOTTOMPADDING", (0, 1), (-1, 1), 5)]))


def _legend(layout: Layout) -> Paragraph:
    styles = _register_styles()
    text = _(
        "Items from a vacated room or bed are kept {low} month if worth under {limit}, "
        "{high} months if worth {limit} or more; perishables are discarded at once. Items "
        "from common areas go to the police if the owner is not found within {days} working "
        "days. Struck-through records were corrected; the correction and why are shown under "
        "them.").format(low=LOW_VALUE_MONTHS, high=HIGH_VALUE_MONTHS,
                        limit=format_dkk(HIGH_VALUE_DKK), days=OWNER_SEARCH_WORKING_DAYS)
    return para(text, styles["legend"])


def _disposition_cell(item: ItemView, styles: dict[str, ParagraphStyle],
                      today: date) -> list[Flowable]:
    cell: list[Flowable] = []
    for record in item.history:
        if record.superseded_at is not None:
            text = f"{label(DISPOSITION_LABELS, record.kind)}, {_when_by(record)}"
            details = disposition_details(record)
            if details:
                text += " (" + "; ".join(details) + ")"
            corrected = _("Corrected {date}: {reason}").format(
                date=format_date(record.superseded_at), reason=record.superseded_reason or EMPTY)
            cell.append(_rich([(text, "strike"), ("\n", ""), (corrected, "muted")],
                              styles["small"]))
            cell.append(Spacer(0, 1.2 * mm))
            continue
        cell.append(_rich([(label(DISPOSITION_LABELS, record.kind), "b")], styles["cell"]))
        cell.append(para(_when_by(record), styles["cell"]))
        for detail in disposition_details(record):
            cell.append(para(detail, styles["cell"]))
    if item.disposition is None:
        if item.is_due(today):
            action = (_("Due: hand to the police") if item.origin == ORIGIN_COMMON
                      else _("Due: destroy or give to charity"))
            cell.append(_rich([(_("Still kept"), "b"), ("\n", ""), (action, "due")],
                              styles["cell"]))
        else:
            cell.append(_rich([(_("Still kept"), "b")], styles["cell"]))
    return cell


def _register_row(item: ItemView, styles: dict[str, ParagraphStyle],
                  today: date) -> list[object]:
    found = [para(format_date(item.found_on), styles["cell"])]
    if item.found_by:
        found.append(para(_("by {name}").format(name=item.found_by), styles["small"]))
    where = [para(where_found(item), styles["cell"]),
             para(label(ORIGIN_LABELS, item.origin), styles["small"])]
    what = [para(item.description, styles["bold"]),
            para(label(ITEM_CATEGORY_LABELS, item.category), styles["small"])]
    persons = (para(_person_ids(item), styles["cell"]) if item.person_ids
               else para(EMPTY, styles["small"]))
    deadline = item.deadline
    until = [para(deadline_caption(item), styles["small"]),
             para(format_date(deadline) if deadline else EMPTY, styles["bold"]),
             para(deadline_rule(item), styles["small"])]
    return [para(item.number, styles["number"]), found, where, persons, what,
            para(format_dkk(item.value_dkk), styles["value"]),
            para(item.storage_location or EMPTY, styles["cell"]), until,
            _disposition_cell(item, styles, today)]


#: Relative widths of the register's flexible columns on landscape A4 (261 mm); the item
#: number, the date found and the value get the width of their widest entry.
REGISTER_WEIGHTS = (29, 21, 49, 23, 26, 56)
CELL_PADDING = 8 + 2  # points: the cell padding left and right, and a little air


def _widest(texts: Sequence[str], style: ParagraphStyle) -> float:
    return max((stringWidth(text, style.fontName, style.fontSize) for text in texts),
               default=0) + CELL_PADDING


def _share(width: float, columns: Sequence[float],
           minimums: Sequence[float] | None = None) -> list[float]:
    """Column widths in points. A negative entry is a fixed width (its absolute value); a
    positive one is a weight in the share of what the fixed columns leave, but never less
    than its entry in ``minimums`` (a heading's longest word, which must not be split)."""
    minimums = list(minimums or [0.0] * len(columns))
    widths: dict[int, float] = {i: -c for i, c in enumerate(columns) if c < 0}
    while True:
        flexible = [i for i in range(len(columns)) if i not in widths]
        left = width - sum(widths.values())
        weights = sum(columns[i] for i in flexible)
        too_narrow = [i for i in flexible if left * columns[i] / weights < minimums[i]]
        if not too_narrow or len(too_narrow) == len(flexible):
            break
        for i in too_narrow:
            widths[i] = minimums[i]
    for i in flexible:
        widths[i] = max(left * columns[i] / weights, minimums[i])
    return [widths[i] for i in range(len(columns))]


def _header_minimums(headers: Sequence[str], style: ParagraphStyle) -> list[float]:
    return [_widest(text.split(), style) for text in headers]


def _register_widths(items: Sequence[ItemView], headers: Sequence[str], layout: Layout,
                     styles: dict[str, ParagraphStyle]) -> list[float]:
    header = styles["header"]
    minimums = _header_minimums(headers, header)
    number = max(_widest([i.number for i in items] or ["0000-0000"], styles["number"]),
                 minimums[0], 15 * mm)
    found = max(_widest([format_date(i.found_on) for i in items], styles["cell"]),
                minimums[1], 20 * mm)
    value = max(_widest([format_dkk(i.value_dkk) for i in items] or [format_dkk(0)],
                        styles["value"]), minimums[5], 15 * mm)
    minimums[3] = max(minimums[3], _widest([p for i in items for p in i.person_ids],
                                           styles["cell"]))
    weights = REGISTER_WEIGHTS
    return _share(layout.width, (-number, -found, *weights[:3], -value, *weights[3:]),
                  minimums)


def register_table(items: Sequence[ItemView], layout: Layout, today: date) -> Table:
    styles = _register_styles()
    headers = [_("Item no."), _("Found (date, by)"), _("Where found"),
               _("Person IDs of who lived in the room"), _("Item and category"),
               _("Value"), _("Storage location"), _("Kept until / owner search until"),
               _("What happened, when, by whom")]
    widths = _register_widths(items, headers, layout, styles)
    header_row = [para(text, styles["header"]) for text in headers]
    header_row[5] = para(headers[5], ParagraphStyle("lp-header-right", parent=styles["header"],
                                                     alignment=TA_RIGHT))
    rows: list[list[object]] = [header_row]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBEFORE", (8, 0), (8, -1), 0.6, ACCENT),
    ]
    for index, item in enumerate(items, start=1):
        rows.append(_register_row(item, styles, today))
        if item.disposition is None and item.is_due(today):
            commands.append(("BACKGROUND", (7, index), (8, index), DUE_SHADE))
    if not items:
        rows.append([para(_("No items were found in this period."), styles["small"])]
                    + [""] * (len(headers) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    commands.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT))
    return Table(rows, colWidths=widths, repeatRows=1, style=table_style(commands),
                 hAlign="LEFT")


def period_text(found_from: date | None, found_to: date | None) -> str:
    if found_from and found_to:
        return _("Found {start} – {end}").format(start=format_date(found_from),
                                                   end=format_date(found_to))
    if found_from:
        return _("Found from {start}").format(start=format_date(found_from))
    if found_to:
        return _("Found until {end}").format(end=format_date(found_to))
    return _("All items")


def render_register(centre: CentreHeader, items: Sequence[ItemView], *,
                    found_from: date | None, found_to: date | None,
                    printed_at: datetime | None = None, printed_by: str | None = None) -> bytes:
    """The register of the items found in the period (oldest first) as landscape PDF bytes."""
    printed_at = printed_at or utcnow()
    today = _printed_day(printed_at)
    items = sorted(items, key=lambda i: (i.found_on, i.number))

    def content(layout: Layout) -> list[Block]:
        return [_totals_strip(items, layout), Spacer(0, 2.5 * mm), _legend(layout),
                Spacer(0, 3 * mm), register_table(items, layout, today)]

    return render_document(
        _("Lost-property register"), centre, content, subtitle=period_text(found_from, found_to),
        printed_at=printed_at, printed_by=printed_by, landscape=True,
        footer_note=_("Inspection copy. Confidential: holds person IDs."))


# --- labels ---------------------------------------------------------------------------------------

LABEL_WIDTH, LABEL_HEIGHT = A4[0] / 2, A4[1] / 2   # an A6 quarter of the sheet
LABEL_PADDING = 8 * mm                              # printers cannot print to the edge
NUMBER_SIZE, NUMBER_MIN_SIZE = 54, 24
DATE_SIZE, DATE_MIN_SIZE = 34, 16
DESCRIPTION_HEIGHT = 24 * mm   # four lines at full size


class FitLine(Flowable):
    """One line of text set as large as ``size`` allows and no wider than the frame."""

    def __init__(self, text: str, font: str, size: float, min_size: float,
                 color: object = INK, align: str = "left") -> None:
        super().__init__()
        self.text, self.font, self.max_size, self.min_size = shape(text), font, size, min_size
        self.color, self.align = color, align
        self.size = size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        size = self.max_size
        while size > self.min_size and stringWidth(self.text, self.font, size) > avail_width:
            size -= 1
        self.size = size
        self.width = avail_width
        self.height = size * 1.05
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.color)
        canvas.setFont(self.font, self.size)
        baseline = self.size * 0.2
        if self.align == "center":
            canvas.drawCentredString(self.width / 2, baseline, self.text)
        else:
            canvas.drawString(0, baseline, self.text)
        canvas.restoreState()


def _label_styles() -> dict[str, ParagraphStyle]:
    styles = form_styles()
    return {
        "top": ParagraphStyle("label-top", parent=styles.body, fontSize=8.5, leading=10.5,
                              textColor=MUTED),
        "caption": ParagraphStyle("label-caption", parent=styles.body, fontName=FONT_BOLD,
                                  fontSize=10, leading=12, textColor=INK),
        "rule": ParagraphStyle("label-rule", parent=styles.body, fontSize=9, leading=11,
                               textColor=INK),
        "description": ParagraphStyle("label-description", parent=styles.body,
                                      fontName=FONT_BOLD, fontSize=18, leading=22),
        "category": ParagraphStyle("label-category", parent=styles.body, fontSize=11,
                                   leading=14, textColor=MUTED),
        "field-label": ParagraphStyle("label-field-label", parent=styles.body, fontSize=9.5,
                                      leading=12, textColor=MUTED),
        "field": ParagraphStyle("label-field", parent=styles.body, fontSize=13, leading=16),
        "field-bold": ParagraphStyle("label-field-bold", parent=styles.body,
                                     fontName=FONT_BOLD, fontSize=15, leading=18),
        "status": ParagraphStyle("label-status", parent=styles.body, fontName=FONT_BOLD,
                                 fontSize=12, leading=15, textColor=DUE),
    }


def _label(item: ItemView, centre: CentreHeader, width: float) -> list[Flowable]:
    styles = _label_styles()
    centre_text = centre.name + (f" ({centre.code})" if centre.code else "")
    story: list[Flowable] = [
        _rich([(_("Lost property"), "b"), ("  ·  " + centre_text, "")], styles["top"]),
        Spacer(0, 1.5 * mm),
        FitLine(item.number, FONT_BOLD, NUMBER_SIZE, NUMBER_MIN_SIZE),
        Spacer(0, 2.5 * mm),
    ]
    deadline = item.deadline
    box = [para(deadline_caption(item).upper(), styles["caption"]),
           FitLine(format_date(deadline) if deadline else EMPTY, FONT_BOLD, DATE_SIZE,
                   DATE_MIN_SIZE),
           para(deadline_rule(item), styles["rule"])]
    story.append(Table([[box]], colWidths=[width], hAlign="LEFT", style=table_style([
        ("BOX", (0, 0), (-1, -1), 1.6, INK),
        ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm)])))
    # A long description is set smaller rather than pushing the number and date off the label.
    story += [Spacer(0, 3 * mm),
              KeepInFrame(width, DESCRIPTION_HEIGHT, [para(item.description,
                                                           styles["description"])],
                          mode="shrink"),
              para(label(ITEM_CATEGORY_LABELS, item.category), styles["category"]),
              Spacer(0, 4 * mm)]
    fields = []
    if item.origin == ORIGIN_VACATED:
        fields.append((_("Person IDs"), _person_ids(item) or EMPTY, True))
    fields += [(_("Found"), f"{format_date(item.found_on)}, {where_found(item)}", False),
               (_("Storage location"), item.storage_location or EMPTY, True)]
    label_width = 30 * mm
    rows = [[para(name, styles["field-label"]),
             para(value, styles["field-bold"] if bold else styles["field"])]
            for name, value, bold in fields]
    story.append(Table(rows, colWidths=[label_width, width - label_width], hAlign="LEFT",
                       style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                          ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                                          ("TOPPADDING", (0, 0), (0, -1), 5),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                                          ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE)])))
    current = item.current
    if current is not None:
        story += [Spacer(0, 4 * mm), para(f"{label(DISPOSITION_LABELS, current.kind)}, "
                                          f"{format_date(current.on)}", styles["status"])]
    return story


def render_labels(centre: CentreHeader, items: Sequence[ItemView], *,
                  printed_at: datetime | None = None) -> bytes:
    """One label per item, four to an A4 sheet (A6 quarters with dashed cut lines)."""
    register_fonts()
    printed_at = printed_at or utcnow()
    printed = _("Printed {when}").format(when=format_datetime(printed_at))
    inner_width = LABEL_WIDTH - 2 * LABEL_PADDING
    inner_height = LABEL_HEIGHT - 2 * LABEL_PADDING

    frames = []
    for row, column in ((0, 0), (0, 1), (1, 0), (1, 1)):  # left to right, top to bottom
        frames.append(Frame(column * LABEL_WIDTH + LABEL_PADDING,
                            (1 - row) * LABEL_HEIGHT + LABEL_PADDING, inner_width,
                            inner_height, leftPadding=0, rightPadding=0, topPadding=0,
                            bottomPadding=0, id=f"label-{row}-{column}"))

    def on_page(canvas, _doc) -> None:
        canvas.saveState()
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.5)
        canvas.setDash(4, 3)
        canvas.line(LABEL_WIDTH, 0, LABEL_WIDTH, A4[1])
        canvas.line(0, LABEL_HEIGHT, A4[0], LABEL_HEIGHT)
        canvas.setDash()
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 6.5)
        for x in (0, LABEL_WIDTH):
            for y in (0, LABEL_HEIGHT):
                canvas.drawString(x + LABEL_PADDING, y + 4.5 * mm, shape(printed))
        canvas.restoreState()

    story: list[Flowable] = []
    for index, item in enumerate(items):
        if index:
            story.append(FrameBreak())
        story.append(KeepInFrame(inner_width, inner_height - 3 * mm,
                                 _label(item, centre, inner_width), mode="shrink"))
    if not story:
        story.append(Spacer(0, 0))

    buffer = io.BytesIO()
    title = _("Lost-property labels")
    document = BaseDocTemplate(buffer, pagesize=A4, leftMargin=0, rightMargin=0, topMargin=0,
                               bottomMargin=0, title=title, author=centre.name, subject=title,
                               creator="Centre Desk", lang=current_language(),
                               initialFontName=FONT)
    document.addPageTemplates([PageTemplate(id="labels", frames=frames, onPage=on_page)])
    document.build(story)
    return buffer.getvalue()


# --- the return receipt ---------------------------------------------------------------------------

def _items_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                 widths: Sequence[float], *, right: Sequence[int] = (),
                 total: Sequence[object] | None = None, extra: Sequence[tuple] = ()) -> Table:
    """A table of items with the register's look; ``widths`` in points."""
    styles = _register_styles()
    header_cells = []
    for index, text in enumerate(headers):
        style = styles["header"]
        if index in right:
            style = ParagraphStyle(f"{style.name}-r", parent=style, alignment=TA_RIGHT)
        header_cells.append(para(text, style))
    data: list[list[object]] = [header_cells, *[list(row) for row in rows]]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        *extra,
    ]
    if total is not None:
        data.append(list(total))
        commands += [("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
                     ("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT)]
    else:
        commands.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT))
    return Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT",
                 style=table_style(commands))


def _statement(text: str, layout: Layout) -> Table:
    """A sentence in a shaded box with a thick edge: what the signatures confirm."""
    styles = form_styles()
    style = ParagraphStyle("lp-statement", parent=styles.body, fontSize=11.5, leading=15.5)
    return Table([[para(text, style)]], colWidths=[layout.width], hAlign="LEFT",
                 style=table_style([("BACKGROUND", (0, 0), (-1, -1), NOTICE_SHADE),
                                    ("LINEBEFORE", (0, 0), (0, -1), 3.5, NOTICE_EDGE),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))


def _item_cell(item: ItemView, styles: dict[str, ParagraphStyle],
               style: ParagraphStyle | None = None) -> list[Flowable]:
    bold = styles["bold"]
    if style is not None:
        bold = ParagraphStyle(f"{style.name}-bold", parent=style, fontName=FONT_BOLD)
    return [para(item.description, bold),
            para(label(ITEM_CATEGORY_LABELS, item.category), styles["small"])]


def receipt_statement(count: int, recipient_name: str, recipient_person_id: str,
                      centre_name: str, on: date) -> str:
    # Two sentences, not a plural form: the one-item sentence has no number in it.
    text = _("I, {name} (person ID {person_id}), have today, {date}, got back the item listed "
             "above from {centre}. It is mine.") if count == 1 else _(
        "I, {name} (person ID {person_id}), have today, {date}, got back the {count} items "
        "listed above from {centre}. They are mine.")
    return text.format(
            name=recipient_name, person_id=recipient_person_id, date=format_date(on, "long"),
            centre=centre_name, count=count)


def render_return_receipt(centre: CentreHeader, items: Sequence[ItemView], *,
                          recipient_name: str, recipient_person_id: str, handed_over_on: date,
                          handed_over_by: str, printed_at: datetime | None = None,
                          printed_by: str | None = None) -> bytes:
    """The receipt the resident signs on getting the items back (one copy for each side)."""
    items = sorted(items, key=lambda i: i.number)

    def content(layout: Layout) -> list[Block]:
        styles = _register_styles()
        big = ParagraphStyle("lp-receipt-cell", parent=styles["cell"], fontSize=9.5,
                             leading=12)
        rows = [[para(item.number, styles["number"]), _item_cell(item, styles, big),
                 [para(format_date(item.found_on), big),
                  para(where_found(item), styles["small"])],
                 para(item.storage_location or EMPTY, big)] for item in items]
        headers = [_("Item no."), _("Item"), _("Found"), _("Storage location")]
        number = max(_widest([i.number for i in items], styles["number"]),
                     _widest(headers[0].split(), styles["header"]))
        return [
            Fields([(_("Resident"), recipient_name), (_("Person ID"), recipient_person_id),
                    (_("Date handed over"), format_date(handed_over_on, "long")),
                    (_("Handed over by"), handed_over_by)], columns=2, label_width=0.36),
            Spacer(0, 5 * mm),
            _items_table(headers, rows, _share(layout.width, (-number, 80, 36, 34),
                                               _header_minimums(headers, styles["header"]))),
            Spacer(0, 6 * mm),
            KeepTogether([
                _statement(receipt_statement(len(items), recipient_name, recipient_person_id,
                                             centre.name, handed_over_on), layout),
                Spacer(0, 9 * mm),
                *_signature_flowables([_("Resident's signature"),
                                       _("Staff member's signature ({name})").format(
                                           name=handed_over_by)], layout)]),
        ]

    return render_document(
        _("Return receipt"), centre, content, subtitle=format_date(handed_over_on),
        printed_at=printed_at, printed_by=printed_by,
        footer_note=_("One copy for the resident, one for the lost-property register."))


def _signature_flowables(signers: Sequence[str], layout: Layout) -> list[Flowable]:
    return to_flowables([Signatures(signers)], layout)


# --- the police handover list -------------------------------------------------------------------

def render_police_handover(centre: CentreHeader, items: Sequence[ItemView], *,
                           handed_over_on: date, handed_over_by: str,
                           printed_at: datetime | None = None,
                           printed_by: str | None = None) -> bytes:
    """The list of items handed to the police, for the officer to sign."""
    items = sorted(items, key=lambda i: (i.found_on, i.number))

    def reference(item: ItemView) -> str:
        current = item.current
        if current is not None and current.kind == DISPOSITION_POLICE:
            return current.police_reference or ""
        return ""

    def content(layout: Layout) -> list[Block]:
        styles = _register_styles()
        rows = []
        for item in items:
            rows.append([para(item.number, styles["number"]),
                         para(format_date(item.found_on), styles["cell"]),
                         [para(where_found(item), styles["cell"]),
                          para(label(ORIGIN_LABELS, item.origin), styles["small"])],
                         _item_cell(item, styles),
                         para(format_dkk(item.value_dkk), styles["value"]),
                         para(reference(item), styles["cell"])])
        total_value = sum((item.value_dkk for item in items), Decimal(0))
        count = ngettext("{count} item", "{count} items", len(items)).format(count=len(items))
        total = [para(_("Total"), styles["bold"]), "", "", para(count, styles["bold"]),
                 para(format_dkk(total_value), ParagraphStyle(
                     "lp-total-value", parent=styles["value"], fontName=FONT_BOLD)), ""]
        headers = [_("Item no."), _("Found"), _("Where found"), _("Item"), _("Value"),
                   _("Police reference (write in if none)")]
        number = max(_widest([i.number for i in items], styles["number"]),
                     _widest(headers[0].split(), styles["header"]))
        value = max(_widest([format_dkk(total_value)], styles["bold"]),
                    _widest(headers[4].split(), styles["header"]))
        found = max(_widest([format_date(i.found_on) for i in items], styles["cell"]),
                    _widest(headers[1].split(), styles["header"]))
        table = _items_table(
            headers, rows, _share(layout.width, (-number, -found, 32, 52, -value, 40),
                                  _header_minimums(headers, styles["header"])),
            right=(4,), total=total,
            extra=[("LINEBEFORE", (5, 1), (5, -2), 0.3, RULE),
                   ("BOTTOMPADDING", (0, 1), (-1, -2), 8)])
        statement = (_(
            "The police received the item listed above from {centre} on {date}: found at the "
            "centre, owner not found.") if len(items) == 1 else _(
            "The police received the {count} items listed above from {centre} on {date}: "
            "found at the centre, owners not found.")).format(
                count=len(items), centre=centre.name, date=format_date(handed_over_on, "long"))
        return [
            Fields([(_("Handed over by"), handed_over_by),
                    (_("Date"), format_date(handed_over_on, "long"))],
                   columns=2, label_width=0.36),
            Spacer(0, 5 * mm),
            table,
            Spacer(0, 6 * mm),
            KeepTogether([
                _statement(statement, layout),
                Spacer(0, 9 * mm),
                *_signature_flowables(
                    [_("Staff member (name and signature)"),
                     _("Police officer (name, ID number, police station and signature)")],
                    layout)]),
        ]

    return render_document(
        _("Handover to the police"), centre, content, subtitle=format_date(handed_over_on),
        printed_at=printed_at, printed_by=printed_by,
        footer_note=_("Found property handed to the police. Write the police reference "
                      "into the register."))
