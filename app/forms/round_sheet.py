"""The round sheet: the paper fallback for an attendance round when the PC is down.

One A4 portrait table of every resident expected in the round, sorted by room and bed:
a tick box per mark, the time the resident was seen, the initials of whoever saw them and
a note. Marks already made in Centre Desk are printed (ticked, with their time and
initials, on a shaded row) so a half-done round can be finished on paper, and residents
on approved leave appear as such. Every mark written on the sheet is typed in afterwards
with the time written on it (``mark_resident(..., source="paper")``). Portrait fits more
rows per page than landscape: 80 residents take three pages.
"""

from __future__ import annotations

import re
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from app.formatting import format_date, format_datetime, format_number, format_time, utcnow
from app.forms.document import (ACCENT, INK, MUTED, RULE, SHADE, Block, Layout, form_styles,
                                para, render_document, table_style)
from app.forms.fonts import FONT_BOLD, shape, with_fallback_fonts
from app.i18n import _
from app.rules.absence import MARK_HOSPITAL, MARK_LEAVE, MARKS
from app.services.attendance import RoundRow, RoundView
from app.services.centre import CentreView
from app.vocab import LEAVE_KIND_LABELS, MARK_LABELS, ROUND_SLOT_LABELS, label

# Least column widths (portrait A4 gives 174 mm); a column grows to fit its heading in
# the current language or its widest value, and the note column takes what is left.
ROOM_WIDTH = 10 * mm
BED_WIDTH = 8 * mm
NAME_WIDTH = 52 * mm
AGE_WIDTH = 8 * mm
TICK_WIDTH = 6.5 * mm
TIME_WIDTH = 12 * mm
INITIALS_WIDTH = 12 * mm
NOTE_MIN_WIDTH = 28 * mm
CELL_PADDING = 6  # points, left and right together
BOX_SIZE = 3.4 * mm
NAME_SIZE, NAME_MIN_SIZE = 8.5, 7  # a long name is set smaller before it is wrapped

DONE = HexColor("#e4e9ef")      # the shade of a row already marked in Centre Desk
WARNING = HexColor("#fff4d6")   # the notice at the top
WARNING_EDGE = HexColor("#b7791f")
CHECK = "\u2714"                # heavy check mark (DejaVu Sans has it)


# --- small flowables --------------------------------------------------------------------------

class TickBox(Flowable):
    """A square to tick by hand, or a printed tick for a mark already made."""

    def __init__(self, checked: bool = False, size: float = BOX_SIZE) -> None:
        super().__init__()
        self.checked, self.size = checked, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = self.height = self.size
        return self.size, self.size

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.6)
        canvas.setStrokeColor(INK if self.checked else MUTED)
        canvas.setFillColor(HexColor("#ffffff"))
        canvas.rect(0, 0, self.size, self.size, fill=1)
        if self.checked:
            canvas.setFillColor(INK)
            canvas.setFont(FONT_BOLD, self.size * 1.25)
            canvas.drawCentredString(self.size / 2, self.size * 0.13, CHECK)
        canvas.restoreState()


def _best_split(text: str, font: str, size: float) -> list[str]:
    """``text`` on one line or broken into two lines as even in length as possible.

    Breaks fall at spaces and after slashes ("At school/" "activity").
    """
    pieces = [p for p in re.split(r"(?<=/)|(?<= )", text) if p]
    best = [text]
    best_width = stringWidth(text, font, size)
    for cut in range(1, len(pieces)):
        lines = ["".join(pieces[:cut]).strip(), "".join(pieces[cut:]).strip()]
        width = max(stringWidth(line, font, size) for line in lines)
        if width < best_width:
            best, best_width = lines, width
    return best


class RotatedLabel(Flowable):
    """A column heading printed bottom-to-top, so narrow tick columns can carry full words."""

    def __init__(self, text: str, font: str = FONT_BOLD, size: float = 7,
                 leading: float = 8) -> None:
        super().__init__()
        self.font, self.size, self.leading = font, size, leading
        self.lines = [shape(line) for line in _best_split(text, font, size)]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = len(self.lines) * self.leading
        self.height = max(stringWidth(line, self.font, self.size) for line in self.lines)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.setFont(self.font, self.size)
        canvas.rotate(90)
        # After rotating, x runs up the page and y runs to the left: lines go left to right.
        for index, line in enumerate(self.lines):
            baseline = -(index + 1) * self.leading + (self.leading - self.size) + 1
            canvas.drawString(0, baseline, line)
        canvas.restoreState()


# --- content ---------------------------------------------------------------------------------

def initials(name: str | None) -> str:
    """The initials of a staff member: Rasmus Reception → RR, at most three letters."""
    if not name:
        return ""
    letters = [word[0] for word in name.split() if word and word[0].isalpha()]
    if len(letters) > 3:
        letters = letters[:2] + letters[-1:]
    return "".join(letters).upper()


def _styles() -> dict[str, ParagraphStyle]:
    styles = form_styles()
    cell = ParagraphStyle("round-cell", parent=styles.body, fontSize=8.5, leading=9)
    return {
        "cell": cell,
        "name": ParagraphStyle("round-name", parent=cell, fontName=FONT_BOLD),
        "sub": ParagraphStyle("round-sub", parent=cell, fontSize=7.5, leading=8,
                              textColor=MUTED),
        "note": ParagraphStyle("round-note", parent=cell, fontSize=7, leading=8.5),
        "note-bold": ParagraphStyle("round-note-bold", parent=cell, fontSize=7, leading=8.5,
                                    fontName=FONT_BOLD),
        "header": ParagraphStyle("round-header", parent=styles.table_header, fontSize=7,
                                 leading=8.5),
        "room": ParagraphStyle("round-room", parent=cell, fontName=FONT_BOLD, fontSize=9.5,
                               leading=11),
        "notice": ParagraphStyle("round-notice", parent=styles.body, fontName=FONT_BOLD,
                                 fontSize=9.5, leading=12),
        "notice-small": ParagraphStyle("round-notice-small", parent=styles.body, fontSize=8,
                                       leading=10),
        "legend": ParagraphStyle("round-legend", parent=styles.body, fontSize=7.5,
                                 leading=9.5),
    }


def _name_cell(row: RoundRow, styles: dict[str, ParagraphStyle], width: float) -> list[Flowable]:
    """The name on the first line; the person ID and the name in own script under it."""
    name_style = styles["name"]
    size = NAME_SIZE
    while size > NAME_MIN_SIZE and stringWidth(row.name, name_style.fontName, size) > width:
        size -= 0.5
    if size != name_style.fontSize:
        name_style = ParagraphStyle(f"round-name-{size}", parent=name_style, fontSize=size)
    cell: list[Flowable] = [para(row.name, name_style)]
    sub = styles["sub"]
    own = (row.name_in_own_script or "").strip()
    if not own:
        cell.append(para(row.person_id, sub))
        return cell
    # The person ID first, then the own-script name shaped on its own, so a right-to-left
    # name does not pull the ID to the other end of the line.
    line_width = (stringWidth(row.person_id + "   ", sub.fontName, sub.fontSize)
                  + stringWidth(shape(own), sub.fontName, sub.fontSize))
    if line_width <= width and "\n" not in own:
        markup = (f"{escape(row.person_id)}&nbsp;&nbsp;&nbsp;"
                  f'<font color="{INK.hexval()}">{escape(shape(own))}</font>')
        cell.append(Paragraph(with_fallback_fonts(markup, sub.fontName), sub))
    else:
        cell += [para(row.person_id, sub),
                 para(own, ParagraphStyle("round-own", parent=sub, textColor=INK))]
    return cell


def _ticked(row: RoundRow) -> str | None:
    """The mark to print ticked: the mark made, or approved leave not yet marked."""
    if row.mark:
        return row.mark
    if row.leave_kind:
        return MARK_HOSPITAL if row.leave_kind == "hospital" else MARK_LEAVE
    return None


def _note_cell(row: RoundRow, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    cell: list[Flowable] = []
    if row.missing_since is not None:
        cell.append(para(_("Missing since {time}").format(time=format_datetime(row.missing_since)),
                         styles["note-bold"]))
    if row.leave_kind and row.leave_kind != "hospital":  # the ticked box says hospital
        cell.append(para(label(LEAVE_KIND_LABELS, row.leave_kind), styles["note"]))
    if row.note:
        cell.append(para(row.note, styles["note"]))
    return cell


def _fit_width(minimum: float, header: str, values: list[str], header_style: ParagraphStyle,
               value_style: ParagraphStyle, maximum: float) -> float:
    """A column as wide as its heading (one word to a line) and its widest value."""
    widest = max([stringWidth(word, header_style.fontName, header_style.fontSize)
                  for word in header.split()]
                 + [stringWidth(value, value_style.fontName, value_style.fontSize)
                    for value in values] + [0])
    return min(max(minimum, widest + CELL_PADDING + 1), maximum)


def _column_widths(view: RoundView, layout: Layout,
                   headings: dict[str, str]) -> list[float]:
    styles = _styles()
    header = styles["header"]
    room = _fit_width(ROOM_WIDTH, headings["room"], [r.room for r in view.rows], header,
                      styles["room"], 20 * mm)
    bed = _fit_width(BED_WIDTH, headings["bed"], [r.bed for r in view.rows], header,
                     styles["cell"], 14 * mm)
    age = _fit_width(AGE_WIDTH, headings["age"], ["00"], header, styles["cell"], 14 * mm)
    time = _fit_width(TIME_WIDTH, headings["time"], ["00:00"], header, styles["cell"], 18 * mm)
    initials_width = _fit_width(INITIALS_WIDTH, headings["initials"], [], header,
                                styles["cell"], 20 * mm)
    fixed = room + bed + age + TICK_WIDTH * len(MARKS) + time + initials_width
    name = min(NAME_WIDTH, layout.width - fixed - NOTE_MIN_WIDTH)
    note = layout.width - fixed - name
    return [room, bed, name, age, *[TICK_WIDTH] * len(MARKS), time, initials_width, note]


def _round_table(view: RoundView, layout: Layout) -> Table:
    styles = _styles()
    headings = {"room": _("Room"), "bed": _("Bed"), "age": _("Age"), "time": _("Time"),
                "initials": _("Initials")}
    widths = _column_widths(view, layout, headings)
    header_style = styles["header"]
    header: list[object] = [para(headings["room"], header_style),
                            para(headings["bed"], header_style),
                            para(_("Name · person ID · name in own script"), header_style),
                            para(headings["age"], header_style)]
    header += [RotatedLabel(label(MARK_LABELS, mark)) for mark in MARKS]
    header += [para(headings["time"], header_style), para(headings["initials"], header_style),
               para(_("Note"), header_style)]
    first_tick, last_tick = 4, 3 + len(MARKS)
    time_column = last_tick + 1

    rows: list[list[object]] = [header]
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("VALIGN", (0, 1), (1, -1), "TOP"),
        ("ALIGN", (first_tick, 0), (last_tick, -1), "CENTER"),
        ("ALIGN", (3, 1), (3, -1), "CENTER"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), 3),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
        ("LEFTPADDING", (first_tick, 0), (last_tick, -1), 0),
        ("RIGHTPADDING", (first_tick, 0), (last_tick, -1), 0),
        # Vertical rules fence off the tick columns and the handwriting columns.
        ("LINEBEFORE", (first_tick, 0), (first_tick, -1), 0.6, ACCENT),
        ("LINEBEFORE", (first_tick + 1, 1), (last_tick, -1), 0.25, RULE),
        ("LINEBEFORE", (time_column, 0), (time_column, -1), 0.6, ACCENT),
        ("LINEBEFORE", (time_column + 1, 1), (-1, -1), 0.25, RULE),
    ]
    previous_room: str | None = None
    for index, row in enumerate(view.rows, start=1):
        ticked = _ticked(row)
        new_room = row.room != previous_room
        previous_room = row.room
        cells: list[object] = [
            para(row.room if new_room else "", styles["room"]),
            para(row.bed, styles["cell"]),
            _name_cell(row, styles, widths[2] - CELL_PADDING - 1),
            para(str(row.age), styles["cell"]),
        ]
        cells += [TickBox(mark == ticked) for mark in MARKS]
        cells += [para(format_time(row.marked_at) if row.marked_at else "", styles["cell"]),
                  para(initials(row.marked_by), styles["cell"]),
                  _note_cell(row, styles)]
        rows.append(cells)
        if new_room and index > 1:
            commands.append(("LINEABOVE", (0, index), (-1, index), 0.8, MUTED))
        else:
            commands.append(("LINEABOVE", (0, index), (-1, index), 0.25, RULE))
        if row.mark is not None:
            commands.append(("BACKGROUND", (0, index), (-1, index), DONE))
    if not view.rows:
        rows.append([para(_("Nobody lives at the centre on this day."), styles["note"])]
                    + [""] * (len(widths) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    commands.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, ACCENT))

    # The name cell always holds two lines, which leaves room to write the time and a note.
    return Table(rows, colWidths=widths, repeatRows=1, style=table_style(commands),
                 hAlign="LEFT")


def _notice(layout: Layout) -> Table:
    styles = _styles()
    text = [para(_("Type every mark into Centre Desk afterwards, with the time the resident "
                   "was really seen."), styles["notice"]),
            para(_("Tick one box per resident, write the time and your initials. Shaded rows "
                   "are already marked in Centre Desk. Absent without approved leave: report "
                   "missing at once."), styles["notice-small"])]
    return Table([[text]], colWidths=[layout.width], hAlign="LEFT", style=table_style([
        ("BACKGROUND", (0, 0), (-1, -1), WARNING),
        ("LINEBEFORE", (0, 0), (0, -1), 3, WARNING_EDGE),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))


def _explanation(mark: str) -> str:
    texts = {
        "present": _("Seen at the centre."),
        "absent": _("Not found and no approved leave: report missing at once."),
        "leave": _("Away on approved leave (printed from the leave register)."),
        "school": _("Known to be at school, work or an activity."),
        "hospital": _("Admitted to hospital."),
        "other": _("Somewhere else that is known: write where in the note."),
    }
    return texts.get(mark, "")


def _legend(layout: Layout) -> Table:
    styles = _styles()
    cells = []
    for mark in MARKS:
        name, text = escape(shape(label(MARK_LABELS, mark))), escape(shape(_explanation(mark)))
        cells.append(Paragraph(f"<b>{name}</b>: {text}", styles["legend"]))
    columns = 3
    rows = [cells[start:start + columns] for start in range(0, len(cells), columns)]
    column_width = layout.width / columns
    heading = para(_("The marks"), form_styles().heading)
    table = Table(rows, colWidths=[column_width] * columns, hAlign="LEFT", style=table_style([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
    return Table([[heading], [table]], colWidths=[layout.width], hAlign="LEFT",
                 style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                    ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT)]))


def _sign_off(layout: Layout) -> Table:
    """Who took the round on paper and who typed it in, each with a time and a signature."""
    styles = form_styles()
    gap = 6 * mm
    name_width = (layout.width - 2 * gap) * 0.42
    time_width = (layout.width - 2 * gap) * 0.18
    signature_width = layout.width - 2 * gap - name_width - time_width
    widths = [name_width, gap, time_width, gap, signature_width]
    rows: list[list[object]] = []
    commands: list[tuple] = [("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    heights: list[float | None] = []
    for who, when in ((_("Round taken by (name in capitals)"), _("Round finished at")),
                      (_("Typed into Centre Desk by"), _("Typed in at"))):
        line_row = len(rows) + 1
        rows.append([""] * 5)
        heights.append(9 * mm)
        rows.append([para(who, styles.caption), "", para(when, styles.caption), "",
                     para(_("Signature"), styles.caption)])
        heights.append(None)
        for column in (0, 2, 4):
            commands.append(("LINEABOVE", (column, line_row), (column, line_row), 0.6, INK))
    return Table(rows, colWidths=widths, rowHeights=heights, hAlign="LEFT",
                 style=table_style(commands))


def _planned(view: RoundView) -> str:
    return format_time(view.planned_at)


def _summary(view: RoundView, layout: Layout) -> Table:
    """Two lines under the notice: the round and its planned time, and how far it had got."""
    styles = form_styles()
    style = ParagraphStyle("round-summary", parent=styles.value, fontSize=9.5, leading=12)
    parts = [
        (_("Round"), label(ROUND_SLOT_LABELS, view.slot)),
        (_("Date"), format_date(view.day, "full")),
        (_("Planned time"), _planned(view)),
        (_("Residents"), format_number(view.expected)),
        (_("Marked when printed"), format_number(view.marked)),
        (_("Still to mark"), format_number(view.expected - view.marked)),
    ]
    cells = [Paragraph(f'<font size="8" color="{MUTED.hexval()}">{escape(shape(name))}</font>'
                       f"&nbsp;&nbsp;<b>{escape(shape(value))}</b>", style)
             for name, value in parts]
    widths = [layout.width * share for share in (0.3, 0.46, 0.24)]
    return Table([cells[:3], cells[3:]], colWidths=widths, hAlign="LEFT",
                 style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))


def round_sheet_blocks(view: RoundView, layout: Layout) -> list[Block]:
    return [
        _notice(layout),
        Spacer(0, 2.5 * mm),
        _summary(view, layout),
        Spacer(0, 3 * mm),
        _round_table(view, layout),
        Spacer(0, 6 * mm),
        KeepTogether([_legend(layout), Spacer(0, 5 * mm), _sign_off(layout)]),
    ]


def render_round_sheet(centre: CentreView, view: RoundView, *,
                       printed_at: datetime | None = None,
                       printed_by: str | None = None) -> bytes:
    """The round sheet of one round as PDF bytes."""
    printed_at = printed_at or utcnow()
    subtitle = f"{label(ROUND_SLOT_LABELS, view.slot)} · {format_date(view.day)} · {_planned(view)}"
    return render_document(
        _("Round sheet"), centre, lambda layout: round_sheet_blocks(view, layout),
        subtitle=subtitle, printed_at=printed_at, printed_by=printed_by,
        footer_note=_("Type every mark into Centre Desk afterwards with the time written "
                      "here. Confidential: shred once typed in."))
