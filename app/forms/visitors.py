"""The list of visitors in the building, printed when the fire alarm goes (domain-rules §6).

Staff grab it on the way out and take the roll call at the assembly point, so it is big
and plain: the time it was printed and the count in a banner at the top (a list printed an
hour ago is an hour old), then one row per visitor with a box to tick, the name in large
type, the ID document, whom they came to see and the room, when they arrived and who signed
them in. Names in Arabic and other right-to-left scripts are printed joined and in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from app.formatting import format_date, format_datetime, format_time, to_local, utcnow
from app.forms.document import (ACCENT, EMPTY, INK, MUTED, RULE, SHADE, Block, CentreHeader,
                                Layout, Signatures, form_styles, para, render_document,
                                table_style, to_flowables)
from app.forms.round_sheet import TickBox
from app.i18n import _, ngettext
from app.services.visitors import VisitView
from app.vocab import ID_DOCUMENT_LABELS, label

ALARM = HexColor("#b42318")
ALARM_SHADE = HexColor("#fdecea")
BOX_SIZE = 6 * mm


def _styles() -> dict[str, ParagraphStyle]:
    styles = form_styles()
    cell = ParagraphStyle("visit-cell", parent=styles.body, fontSize=10.5, leading=13)
    return {
        "cell": cell,
        "name": ParagraphStyle("visit-name", parent=cell, fontName=styles.heading.fontName,
                               fontSize=13, leading=16),
        "bold": ParagraphStyle("visit-bold", parent=cell, fontName=styles.heading.fontName),
        "room": ParagraphStyle("visit-room", parent=cell, fontName=styles.heading.fontName,
                               fontSize=13, leading=16),
        "small": ParagraphStyle("visit-small", parent=cell, fontSize=8.5, leading=10.5,
                                textColor=MUTED),
        "header": ParagraphStyle("visit-header", parent=styles.table_header, fontSize=8.5,
                                 leading=10.5),
        "banner-label": ParagraphStyle("visit-banner-label", parent=styles.body, fontSize=10,
                                       leading=12, textColor=ALARM),
        "banner-time": ParagraphStyle("visit-banner-time", parent=styles.body,
                                      fontName=styles.heading.fontName, fontSize=34,
                                      leading=38, textColor=INK),
        "banner-date": ParagraphStyle("visit-banner-date", parent=styles.body, fontSize=11,
                                      leading=14),
        "banner-count": ParagraphStyle("visit-banner-count", parent=styles.body,
                                       fontName=styles.heading.fontName, fontSize=21,
                                       leading=25, textColor=ALARM),
        "instruction": ParagraphStyle("visit-instruction", parent=styles.body, fontSize=10,
                                      leading=13),
        "empty": ParagraphStyle("visit-empty", parent=styles.body, fontSize=13, leading=17,
                                textColor=MUTED),
    }


def visitor_count(count: int) -> str:
    return ngettext("{count} visitor in the building", "{count} visitors in the building",
                    count).format(count=count)


def _banner(visits: Sequence[VisitView], printed_at: datetime, layout: Layout) -> Table:
    styles = _styles()
    left = [para(_("List printed at"), styles["banner-label"]),
            para(format_time(printed_at), styles["banner-time"]),
            para(format_date(printed_at, "full"), styles["banner-date"])]
    right = [para(visitor_count(len(visits)), styles["banner-count"]),
             Spacer(0, 2 * mm),
             para(_("Anyone who signed in or out after this time is not on the list, or "
                    "listed wrongly: ask reception."), styles["instruction"])]
    date_style = styles["banner-date"]
    split = max(62 * mm, stringWidth(format_date(printed_at, "full"), date_style.fontName,
                                     date_style.fontSize) + 16 * mm)
    return Table([[left, right]], colWidths=[split, layout.width - split], hAlign="LEFT",
                 style=table_style([("BACKGROUND", (0, 0), (-1, -1), ALARM_SHADE),
                                    ("LINEBEFORE", (0, 0), (0, -1), 5, ALARM),
                                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                                    ("TOPPADDING", (0, 0), (-1, -1), 7),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 9)]))


def _arrived(visit: VisitView, printed_at: datetime) -> str:
    if to_local(visit.arrived_at).date() == to_local(printed_at).date():
        return format_time(visit.arrived_at)
    return format_datetime(visit.arrived_at)


def _row(visit: VisitView, styles: dict[str, ParagraphStyle],
         printed_at: datetime) -> list[object]:
    name: list[Flowable] = [para(visit.visitor_name or _("(identity erased)"), styles["name"])]
    if visit.relation:
        name.append(para(visit.relation, styles["small"]))
    document: list[Flowable] = [para(label(ID_DOCUMENT_LABELS, visit.id_document_type)
                                     or EMPTY, styles["cell"])]
    if visit.id_document_number:
        document.append(para(visit.id_document_number, styles["small"]))
    return [TickBox(size=BOX_SIZE), name, document,
            para(visit.resident_name or EMPTY, styles["bold"]),
            para(visit.room or EMPTY, styles["room"]),
            para(_arrived(visit, printed_at), styles["cell"]),
            para(visit.signed_in_by or EMPTY, styles["cell"])]


#: Relative widths of the columns that share what the fixed ones leave (portrait A4).
WEIGHTS = {"visitor": 44, "document": 30, "visiting": 34}
TICK_COLUMN = 11 * mm
CELL_PADDING = 8 + 2  # points: the cell padding left and right, and a little air


def _widest(texts: Sequence[str], style: ParagraphStyle) -> float:
    return max((stringWidth(text, style.fontName, style.fontSize) for text in texts),
               default=0) + CELL_PADDING


def _column_widths(visits: Sequence[VisitView], headers: Sequence[str], layout: Layout,
                   printed_at: datetime) -> list[float]:
    """The room, arrival and staff columns as wide as their heading's longest word (Danish
    headings are longer) or their widest entry (a staff name's longest word: names wrap
    between words, never inside one); the rest shared out by ``WEIGHTS``."""
    styles = _styles()
    header = styles["header"]
    room = max(_widest(headers[4].split(), header),
               _widest([v.room or EMPTY for v in visits], styles["room"]), 14 * mm)
    arrived = max(_widest(headers[5].split(), header),
                  _widest([_arrived(v, printed_at) for v in visits] or ["00:00"],
                          styles["cell"]), 14 * mm)
    staff_words = [word for v in visits for word in (v.signed_in_by or "").split()]
    signed_in_by = max(_widest(headers[6].split(), header),
                       _widest(staff_words, styles["cell"]), 24 * mm)
    rest = layout.width - TICK_COLUMN - room - arrived - signed_in_by
    total = sum(WEIGHTS.values())
    share = {key: rest * weight / total for key, weight in WEIGHTS.items()}
    return [TICK_COLUMN, share["visitor"], share["document"], share["visiting"], room,
            arrived, signed_in_by]


def visitors_table(visits: Sequence[VisitView], layout: Layout,
                   printed_at: datetime) -> Table:
    styles = _styles()
    headers = [_("Here"), _("Visitor"), _("ID document"), _("Visiting"), _("Room"),
               _("Arrived"), _("Signed in by")]
    widths = _column_widths(visits, headers, layout, printed_at)
    rows: list[list[object]] = [[para(text, styles["header"]) for text in headers]]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.9, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, ACCENT),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
        ("TOPPADDING", (0, 1), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for visit in visits:
        rows.append(_row(visit, styles, printed_at))
    if not visits:
        rows.append([para(_("No visitors are signed in."), styles["empty"])]
                    + [""] * (len(headers) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    return Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT",
                 style=table_style(commands))


def render_visitors_in_building(centre: CentreHeader, visits: Sequence[VisitView], *,
                                printed_at: datetime | None = None,
                                printed_by: str | None = None) -> bytes:
    """Visitors signed in and not out, in the order they arrived, as PDF bytes."""
    printed_at = printed_at or utcnow()
    visits = [v for v in visits if v.in_building]
    visits.sort(key=lambda v: v.arrived_at)

    def content(layout: Layout) -> list[Block]:
        styles = _styles()
        return [
            _banner(visits, printed_at, layout),
            Spacer(0, 4 * mm),
            para(_("Take this list to the assembly point. Tick each visitor who is there; "
                   "tell the fire service at once about anyone missing."),
                 styles["instruction"]),
            Spacer(0, 4 * mm),
            visitors_table(visits, layout, printed_at),
            Spacer(0, 10 * mm),
            KeepTogether(to_flowables([Signatures([_("Roll call taken by (name)")])],
                                      layout)),
        ]

    return render_document(
        _("Visitors in the building"), centre, content,
        subtitle=format_datetime(printed_at), printed_at=printed_at, printed_by=printed_by,
        footer_note=_("Fire alarm list. Confidential: shred after use."))
