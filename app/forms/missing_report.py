"""The missing-resident report: what the police, the municipality and the Agency ask for.

One case on one or two A4 pages: when the reports are due and why (domain-rules §2), who
the child is (with a box for a photo), the description, when and where last seen, who to
call, and the checklist of reports with time, staff member and reference. Facts nobody
has recorded yet are left as space to write in, so the sheet can go with the staff member
to the police station or be filled in by hand when the PC is down.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from app.formatting import format_date, format_datetime, to_local, utcnow
from app.forms.document import (ACCENT, CHECKLIST_RULES, INK, SHADE, Block, Layout,
                                PlaceholderBox, Section, Signatures, form_styles,
                                label_value_style, para, render_document, table_style,
                                value_para, value_text)
from app.forms.round_sheet import TickBox
from app.i18n import _, ngettext
from app.models.attendance import MISSING_REPORT_KINDS
from app.rules.absence import FROM_15_DELAY, OLDER_CHILD_AGE, SOON, UNDER_15_DELAY
from app.rules.residents import age_on
from app.services.centre import CentreView
from app.services.missing import CaseSummary
from app.vocab import CASE_CLOSE_LABELS, MISSING_REPORT_LABELS, SEX_LABELS, label

PHOTO_WIDTH, PHOTO_HEIGHT = 35 * mm, 45 * mm  # a passport photo
OVERDUE = HexColor("#b42318")
OVERDUE_SHADE = HexColor("#fdecea")
DUE_EDGE = HexColor("#b7791f")
DUE_SHADE = HexColor("#fff4d6")
DONE_EDGE = HexColor("#2f6f4f")
DONE_SHADE = HexColor("#e8f3ec")
#: Space left to write in a fact nobody has recorded yet (one line, or two for the
#: facts that take a sentence or more).
WRITE_IN = 9 * mm
WRITE_IN_LONG = 16 * mm
#: Labels take this share of the width; values start at the same place in every section.
LABEL_SHARE = 0.27


# --- the deadline -----------------------------------------------------------------------------

def age_when_missed(case: CaseSummary) -> int:
    """The age on the Copenhagen day the resident was first missed (what the rule uses)."""
    return age_on(case.date_of_birth, max(case.date_of_birth, to_local(case.missing_since).date()))


def _hours(delay: timedelta) -> int:
    return int(delay.total_seconds() // 3600)


def deadline_reason(case: CaseSummary) -> str:
    """Why the reports are due when they are, in the words of domain-rules §2."""
    if case.facts.special_concern:
        return _("Special concern: the reports are due at once.")
    if case.facts.known_not_staying:
        return _("Known not to be staying at the centre: the reports are due at once.")
    age = age_when_missed(case)
    if age < OLDER_CHILD_AGE:
        return _("{age} years old when first missed (under {limit}): the reports are due "
                 "{hours} hours after the time first missed.").format(
                     age=age, limit=OLDER_CHILD_AGE, hours=_hours(UNDER_15_DELAY))
    return _("{age} years old when first missed ({limit} or older): the reports are due "
             "{hours} hours after the time first missed.").format(
                 age=age, limit=OLDER_CHILD_AGE, hours=_hours(FROM_15_DELAY))


def _state(case: CaseSummary, printed_at: datetime) -> tuple[str, HexColor, HexColor]:
    """The case's state when printed, with the banner's edge and background colours."""
    outstanding = len(case.outstanding)
    if not case.is_open:
        return (_("Case closed {time}: {outcome}.").format(
            time=format_datetime(case.closed_at),
            outcome=label(CASE_CLOSE_LABELS, case.close_reason)), ACCENT, SHADE)
    if not outstanding:
        return _("All reports are made."), DONE_EDGE, DONE_SHADE
    missing_reports = ngettext("{count} report not made yet.", "{count} reports not made yet.",
                               outstanding).format(count=outstanding)
    urgency = case.urgency(printed_at)
    if urgency == "overdue":
        return (_("OVERDUE when printed: {reports}").format(reports=missing_reports),
                OVERDUE, OVERDUE_SHADE)
    if urgency == "due":
        return (_("Due within {hours} hours: {reports}").format(
            hours=_hours(SOON), reports=missing_reports), DUE_EDGE, DUE_SHADE)
    return missing_reports, DUE_EDGE, DUE_SHADE


def _deadline_banner(case: CaseSummary, layout: Layout, printed_at: datetime) -> Table:
    styles = form_styles()
    state, edge, shade = _state(case, printed_at)
    big = ParagraphStyle("due-big", parent=styles.large, fontSize=16, leading=19)
    state_style = ParagraphStyle("due-state", parent=styles.body, fontName=styles.heading.fontName,
                                 textColor=edge if edge is OVERDUE else INK)
    left = [para(_("Reports due"), styles.label),
            para(format_datetime(case.due_at), big)]
    right = [para(state, state_style), Spacer(0, 1 * mm),
             para(deadline_reason(case), styles.small)]
    split = 68 * mm
    return Table([[left, right]], colWidths=[split, layout.width - split], hAlign="LEFT",
                 style=table_style([
                     ("BACKGROUND", (0, 0), (-1, -1), shade),
                     ("LINEBEFORE", (0, 0), (0, -1), 3.5, edge),
                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 8),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                     ("TOPPADDING", (0, 0), (-1, -1), 5),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))


# --- who the child is ---------------------------------------------------------------------------

def _date_of_birth(case: CaseSummary, today: date) -> str:
    years = age_on(case.date_of_birth, max(today, case.date_of_birth))
    return _("{date} ({age})").format(
        date=format_date(case.date_of_birth),
        age=ngettext("{years} year", "{years} years", years).format(years=years))


def _identity(case: CaseSummary, layout: Layout, today: date) -> Table:
    """Photo box on the left; name, name in own script and the identifying facts beside it."""
    styles = form_styles()
    lines: list[Flowable] = [para(case.name, styles.large)]
    if case.name_in_own_script:
        lines.append(para(case.name_in_own_script, styles.title))
    lines.append(Spacer(0, 2 * mm))
    facts = [(_("Person ID"), case.person_id),
             (_("Date of birth"), _date_of_birth(case, today)),
             (_("Sex"), label(SEX_LABELS, case.sex) or None),
             (_("Nationality"), case.nationality or None),
             (_("Languages"), ", ".join(case.languages) or None),
             (_("Room"), case.room or None)]
    width = layout.width - PHOTO_WIDTH - 8 * mm
    rows = [[para(name, styles.label), value_para(value, styles)] for name, value in facts]
    rows[0][1] = para(case.person_id, styles.value, bold=True)
    lines.append(Table(rows, colWidths=[30 * mm, width - 30 * mm], hAlign="LEFT",
                       style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                                          ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("TOPPADDING", (0, 0), (0, -1), 3)])))
    photo = PlaceholderBox(PHOTO_WIDTH, PHOTO_HEIGHT, _("Recent photo"))
    return Table([[photo, lines]], colWidths=[PHOTO_WIDTH + 8 * mm, width], hAlign="LEFT",
                 style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))


# --- facts with room to write -------------------------------------------------------------------

def _fill_in(rows: list[tuple[str, object]], layout: Layout, *, columns: int = 1,
             emphasise: tuple[str, ...] = (), long: tuple[str, ...] = ()) -> Table:
    """Label/value pairs like ``Fields``, but a value nobody recorded is a line to write on.

    Values line up at ``LABEL_SHARE`` of the width whatever the number of columns; the
    labels in ``long`` get two lines' room, those in ``emphasise`` a bold value.
    """
    styles = form_styles()
    label_width = layout.width * LABEL_SHARE
    pair = layout.width / columns
    widths = [label_width, pair - label_width] * columns
    cells: list[list[object]] = []
    for start in range(0, len(rows), columns):
        line: list[object] = []
        for name, value in rows[start:start + columns]:
            text = value_text(value)
            line += [para(name, styles.label),
                     para(text, styles.value, bold=name in emphasise) if text
                     else Spacer(0, (WRITE_IN_LONG if name in long else WRITE_IN) - 7)]
        line += [""] * (2 * columns - len(line))
        cells.append(line)
    return Table(cells, colWidths=widths, hAlign="LEFT", style=label_value_style(columns))


def _reason(case: CaseSummary) -> str:
    texts = {"absent_mark": _("Absent in an attendance round"),
             "reported": _("Reported missing by staff")}
    how = texts.get(case.reason, case.reason)
    if case.opened_by:
        return _("{how}, by {name}").format(how=how, name=case.opened_by)
    return how


def _absence(case: CaseSummary, layout: Layout) -> list[Block]:
    facts = case.facts
    where = _("Last seen (where, with whom)")
    return [
        _fill_in([(_("Missing since"), format_datetime(case.missing_since)),
                  (_("Case opened"), _reason(case))], layout, emphasise=(_("Missing since"),)),
        _fill_in([(_("Special concern"), facts.special_concern),
                  (_("Known not to be staying"), facts.known_not_staying)], layout, columns=2),
        _fill_in([(_("Last seen (time)"), format_datetime(facts.last_seen_at) or None),
                  (where, facts.last_seen_place)], layout, long=(where,)),
    ]


def _description(case: CaseSummary, layout: Layout) -> list[Block]:
    facts = case.facts
    clothing = _("Clothing")
    description = _("Description (build, hair, marks, what was carried)")
    return [_fill_in([(_("Height"), facts.height), (clothing, facts.clothing),
                      (description, facts.description)], layout,
                     long=(clothing, description))]


def _contacts(case: CaseSummary, layout: Layout) -> list[Block]:
    name, phone, email = case.representative
    known = _("Known contacts, where the resident may be")
    return [
        _fill_in([(known, case.facts.contacts), (_("Personal representative"), name)], layout,
                 long=(known,)),
        _fill_in([(_("Phone"), phone), (_("E-mail"), email)], layout, columns=2),
        _fill_in([(_("Contact persons at the centre"),
                   ", ".join(p for p in case.contact_persons if p) or None)], layout),
    ]


# --- the checklist -------------------------------------------------------------------------------

def _checklist(case: CaseSummary, layout: Layout) -> Table:
    styles = form_styles()
    header_style = styles.table_header
    hint = ParagraphStyle("hint", parent=styles.caption)
    widths_mm = [7, 56, 33]
    widths = [w * mm for w in widths_mm]
    reference_width = 38 * mm
    widths += [layout.width - sum(widths) - reference_width, reference_width]
    cell = ParagraphStyle("checklist-cell", parent=styles.table_cell, fontSize=8.5)
    rows: list[list[object]] = [[
        "", para(_("Report"), header_style), para(_("Done at"), header_style),
        para(_("By"), header_style), para(_("Reference / journal number"), header_style)]]
    heights: list[float | None] = [None]
    for kind in MISSING_REPORT_KINDS:
        done = case.reports.get(kind)
        cells: list[object] = [TickBox(done is not None, size=3.8 * mm),
                               para(label(MISSING_REPORT_LABELS, kind), styles.table_cell,
                                    bold=kind == "police")]
        if done is None:
            reference_hint = (_("Police journal number") if kind == "police" else "")
            cells += ["", "", para(reference_hint, hint)]
            heights.append(WRITE_IN + 1 * mm)
        else:
            done_at: list[Flowable] = [para(format_datetime(done.done_at), cell)]
            if done.done_at > case.due_at:
                done_at.append(para(_("after the deadline"), hint))
            cells += [done_at,
                      value_para(done.done_by, styles, cell),
                      value_para(done.reference, styles, cell)]
            heights.append(None)
        rows.append(cells)
    return Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT",
                 style=table_style([
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                     *CHECKLIST_RULES]))


def _return(case: CaseSummary, layout: Layout) -> list[Block]:
    if case.is_open:
        how = _("Where the resident was, how the return happened")
        return [_fill_in([(_("Returned (time)"), None), (how, None)], layout, long=(how,))]
    return [_fill_in([
        (_("Closed"), format_datetime(case.closed_at)),
        (_("Outcome"), label(CASE_CLOSE_LABELS, case.close_reason)),
        (_("Closed by"), case.closed_by),
        (_("Note"), case.close_note),
    ], layout)]


# --- the report -----------------------------------------------------------------------------------

def missing_report_blocks(case: CaseSummary, layout: Layout, *,
                          printed_at: datetime) -> list[Block]:
    today = to_local(printed_at).date()
    return [
        _deadline_banner(case, layout, printed_at),
        Spacer(0, 5 * mm),
        _identity(case, layout, today),
        Section(_("The absence"), _absence(case, layout)),
        Section(_("Description"), _description(case, layout)),
        Section(_("Contacts"), _contacts(case, layout)),
        Section(_("Reports"), [_checklist(case, layout)]),
        Section(_("Return") if case.is_open else _("Case closed"), _return(case, layout)),
        Section(_("Report made by"), [Signatures([_("Staff member (name and signature)")])]),
    ]


def render_missing_report(centre: CentreView, case: CaseSummary, *,
                          printed_at: datetime | None = None,
                          printed_by: str | None = None) -> bytes:
    """The missing-resident report of ``case`` as PDF bytes."""
    printed_at = printed_at or utcnow()
    return render_document(
        _("Missing-resident report"), centre,
        lambda layout: missing_report_blocks(case, layout, printed_at=printed_at),
        subtitle=f"{case.name} · {case.person_id}", printed_at=printed_at,
        printed_by=printed_by,
        footer_note=_("Confidential: a minor's personal data. Share only with the authorities "
                      "and the personal representative."))
