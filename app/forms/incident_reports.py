"""The Agency's incident report forms IN8, IN9, IN10 and IN12, filled in from an incident.

We do not have the Agency's own layouts, so each form is Centre Desk's rendering of what
domain-rules §4 (and ``000_…`` "Indberetningspligt", ``001_…`` Bilag 5 §4.8, Bilag 9 §6,
Bilag 10 §2.4) says it is for, on one or two A4 pages:

* **IN8** – concern about radicalisation and/or harassment (race, religion, gender …), with
  the grounds of the harassment and whether the police and PET were told.
* **IN9** – crime and serious incidents, and the cash-allowance cases caused by violence
  or threats (the recorded decision, or room to fill it in).
* **IN10** – use of force against a minor: one section per use of force with what was done,
  when, for how long, why, who decided, injuries, the date the minor was told about the
  report and **the minor's own statement** word for word (or that the minor declined),
  and the items taken into safekeeping.
* **IN12** – reduction or withdrawal of cash allowance when a resident refuses required
  tasks or a move order, with the decision recorded in Centre Desk (who decided, under
  whose authorisation, the grounds, the period, the amount and the resident's comments);
  without a recorded decision its fields are blanks to fill in by hand.

Every form starts with a banner (form code, incident number and version, whether this
report is marked as sent), then the centre and the reporting staff member, the facts of
the incident, the residents involved (person ID, date of birth and age then, role), the
form's own section(s), the reports checklist with the police journal number, and a
signature block. A fact nobody has recorded is a blank to write on, never a dash, so the
printout can be completed by hand when the PC is down.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from app.formatting import format_date, format_datetime, format_dkk, to_local, utcnow
from app.forms.document import (ACCENT, CHECKLIST_RULES, INK, MUTED, RULE, SHADE, Block,
                                Checkboxes, DataTable, Layout, Lines, Section, form_styles,
                                label_value_style, para, render_document, table_style,
                                value_text)
from app.forms.round_sheet import TickBox
from app.i18n import _, ngettext
from app.rules.residents import age_on
from app.services.centre import CentreView
from app.services.allowance import DecisionView
from app.services.incidents import ForceView, IncidentDetail, ReportLine
from app.vocab import (ALLOWANCE_LABELS, DECISION_GROUNDS_LABELS, DECISION_KIND_LABELS,
                       IMMEDIATE_ACTION_LABELS, INCIDENT_KIND_LABELS, INCIDENT_REPORT_LABELS,
                       RESIDENT_ROLE_LABELS, label)

FORM_CODES = ("IN8", "IN9", "IN10", "IN12")

VOID_EDGE = HexColor("#b42318")
VOID_SHADE = HexColor("#fdecea")
OPEN_EDGE = HexColor("#b7791f")
OPEN_SHADE = HexColor("#fff4d6")
DONE_EDGE = HexColor("#2f6f4f")
DONE_SHADE = HexColor("#e8f3ec")
STATEMENT_SHADE = HexColor("#f7f8fa")

#: Room to write in a fact nobody recorded (one line, or more for a sentence or two).
WRITE_IN = 9 * mm
WRITE_IN_LONG = 16 * mm
#: Labels take this share of the width; values start at the same place in every section.
LABEL_SHARE = 0.27

#: The incident kinds each form is about, ticked where they apply (in this order).
FORM_KINDS: dict[str, tuple[str, ...]] = {
    "IN8": ("radicalisation", "harassment"),
    "IN9": ("violence", "threats", "sexual_offence", "vandalism", "theft", "arson",
            "self_harm", "serious_conflict", "damage_to_property", "restraint", "removal",
            "bring_back", "allowance_reduction", "other"),
    "IN10": ("physical_guidance", "restraint", "removal", "bring_back", "search_person",
             "search_room", "confiscation", "drug_test"),
    "IN12": ("refused_tasks", "refused_move_order", "allowance_reduction"),
}
#: Reports each form always lists, whether or not the incident's checklist holds them.
FORM_REPORTS: dict[str, tuple[str, ...]] = {
    "IN8": ("police", "PET"),
    "IN9": ("police",),
    "IN10": ("police", "minor_informed", "representative_informed"),
    "IN12": (),
}
#: The kinds that make IN9 the form of a cash-allowance case (violence or threats).
ALLOWANCE_KINDS = frozenset({"violence", "threats", "allowance_reduction"})


@dataclass(frozen=True)
class InvolvedResident:
    """What the forms print about a resident involved in the incident."""

    id: uuid.UUID
    name: str
    person_id: str
    date_of_birth: date
    name_in_own_script: str | None = None
    nationality: str | None = None
    age_disputed: bool = False
    room: str | None = None
    representative: str | None = None


# --- wording ---------------------------------------------------------------------------------

def form_title(code: str) -> str:
    """The form's title: its code and what it is for."""
    titles = {
        "IN8": _("IN8 – Radicalisation concern or harassment"),
        "IN9": _("IN9 – Crime and serious incidents"),
        "IN10": _("IN10 – Use of force against a minor"),
        "IN12": _("IN12 – Cash allowance reduced or withdrawn"),
    }
    return titles[code]


def form_purpose(code: str) -> str:
    """What the form is for, in the words of the contract (shown under the banner)."""
    purposes = {
        "IN8": _("Report to the Agency of a concern about radicalisation and/or harassment "
                 "(for example because of race, religion or gender). A radicalisation concern "
                 "is also reported to PET and to the local police without undue delay."),
        "IN9": _("Report to the Agency of any crime or suspected crime and of serious "
                 "incidents: threats, sexual offences, violence, vandalism, theft, arson, "
                 "serious self-harm, use of force and other serious conflicts. Also used in "
                 "cases of reduced or withdrawn cash allowance caused by violence or threats. "
                 "Crime is reported to the police as well."),
        "IN10": _("Report to the Agency of every use of force or other intervention in the "
                  "right to self-determination of an unaccompanied minor, in addition to IN9 "
                  "where that is required. The minor is told about the report and given the "
                  "chance to state his or her view."),
        "IN12": _("Information to the Agency in a case of reduced or withdrawn cash allowance "
                  "because the resident did not carry out required tasks or did not obey a "
                  "move order. The resident must know what information the case is based "
                  "on; the resident's comments are passed on to the Agency."),
    }
    return purposes[code]


def duration_text(started: datetime, ended: datetime | None) -> str | None:
    """How long a use of force lasted, in minutes (hours and minutes from an hour)."""
    if ended is None:
        return None
    minutes = max(0, round((ended - started) / timedelta(minutes=1)))
    if minutes < 60:
        return ngettext("{minutes} minute", "{minutes} minutes", minutes).format(
            minutes=minutes)
    hours, rest = divmod(minutes, 60)
    return _("{hours} h {minutes} min").format(hours=hours, minutes=rest)


def _born(person: InvolvedResident, on: date) -> str:
    years = age_on(person.date_of_birth, max(on, person.date_of_birth))
    text = _("{date} ({years})").format(date=format_date(person.date_of_birth, "short"),
                                        years=years)
    if person.age_disputed:
        text += "\n" + _("age disputed")
    return text


def _kinds_text(kinds: Sequence[str]) -> str:
    return ", ".join(label(INCIDENT_KIND_LABELS, kind) for kind in kinds)


# --- building blocks ----------------------------------------------------------------------------

def _fill_in(rows: Sequence[tuple[str, object]], layout: Layout, *, columns: int = 1,
             long: Sequence[str] = (), emphasise: Sequence[str] = (),
             muted: Sequence[str] = ()) -> Table:
    """Label/value pairs; a value nobody recorded is a ruled blank to write on.

    Values line up at ``LABEL_SHARE`` of the width in every section; labels in ``long``
    get room for a sentence or two, those in ``emphasise`` a bold value, those in
    ``muted`` a grey one (a remark rather than a fact).
    """
    styles = form_styles()
    label_width = layout.width * LABEL_SHARE
    pair = layout.width / columns
    # The first pair's value starts at LABEL_SHARE like everywhere; later pairs have a
    # narrower label (their labels are short: "Ended", "Decided by", "Noticed").
    second_label = label_width * 0.62
    widths = [label_width, pair - label_width] + [second_label, pair - second_label] * (columns - 1)
    muted_style = ParagraphStyle("fill-muted", parent=styles.value, textColor=MUTED)
    cells: list[list[object]] = []
    for start in range(0, len(rows), columns):
        line: list[object] = []
        for name, value in rows[start:start + columns]:
            text = value_text(value)
            if text is None:
                shown: object = Spacer(0, (WRITE_IN_LONG if name in long else WRITE_IN) - 7)
            else:
                shown = para(text, muted_style if name in muted else styles.value,
                             bold=name in emphasise)
            line += [para(name, styles.label), shown]
        line += [""] * (2 * columns - len(line))
        cells.append(line)
    return Table(cells, colWidths=widths, hAlign="LEFT", style=label_value_style(columns))


def _banner(code: str, incident: IncidentDetail, layout: Layout) -> Table:
    """Form code and incident number on the left; whether this report is sent on the right."""
    styles = form_styles()
    line = _report_line(incident, code)
    big = ParagraphStyle("banner-big", parent=styles.large, fontSize=17, leading=20)
    state_style = ParagraphStyle("banner-state", parent=styles.body,
                                 fontName=styles.heading.fontName)
    if incident.voided_at is not None:
        edge, shade = VOID_EDGE, VOID_SHADE
        state_style = ParagraphStyle("banner-void", parent=state_style, textColor=VOID_EDGE)
        state = _("VOID since {time}: this incident is not to be reported.").format(
            time=format_datetime(incident.voided_at))
        detail = incident.void_reason or ""
    elif line is not None and line.done:
        edge, shade = DONE_EDGE, DONE_SHADE
        state = _("Marked as sent to the Agency {time} by {name}.").format(
            time=format_datetime(line.done_at), name=line.done_by or "–")
        detail = (_("Reference: {reference}").format(reference=line.reference)
                  if line.reference else "")
    else:
        edge, shade = OPEN_EDGE, OPEN_SHADE
        state = _("Not marked as sent yet: send it to the Agency by e-mail without undue "
                  "delay, then mark it done on the incident.")
        detail = ""
    if line is not None and not line.required and line.added_reason:
        detail = "\n".join(filter(None, [detail, _("Added by staff: {reason}").format(
            reason=line.added_reason)]))
    version = (_("Version {version} (corrected)").format(version=incident.version)
               if incident.version > 1 else _("Version {version}").format(
                   version=incident.version))
    left = [para(_("Incident"), styles.label), para(incident.number, big),
            para(version, styles.small)]
    right: list[Flowable] = [para(state, state_style)]
    if detail:
        right += [Spacer(0, 1 * mm), para(detail, styles.small)]
    split = 52 * mm
    return Table([[left, right]], colWidths=[split, layout.width - split], hAlign="LEFT",
                 style=table_style([
                     ("BACKGROUND", (0, 0), (-1, -1), shade),
                     ("LINEBEFORE", (0, 0), (0, -1), 3.5, edge),
                     ("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 8),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                     ("TOPPADDING", (0, 0), (-1, -1), 5),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))


def _report_line(incident: IncidentDetail, code: str) -> ReportLine | None:
    return next((r for r in incident.reports if r.code == code), None)


def _sender(incident: IncidentDetail, centre: CentreView, layout: Layout) -> list[Block]:
    rows: list[tuple[str, object]] = [
        (_("Centre"), centre.name),
        (_("Centre code"), centre.code or None),
        (_("Reported by"), incident.reported_by),
        (_("Logged"), format_datetime(incident.reported_at)),
    ]
    blocks: list[Block] = [_fill_in(rows, layout, columns=2, emphasise=(_("Reported by"),))]
    if incident.version > 1 and incident.versions:
        _version, at, by, reason = incident.versions[-1]
        blocks.append(_fill_in([(_("Last corrected"), _("{time} by {name}: {reason}").format(
            time=format_datetime(at), name=by or "–", reason=reason))], layout))
    return blocks


def _facts(code: str, incident: IncidentDetail, layout: Layout) -> list[Block]:
    """When, where, what kind, what happened, who else, what was done at once."""
    mine = FORM_KINDS[code]
    others = [k for k in incident.kinds if k not in mine]
    description = _("What happened")
    blocks: list[Block] = [
        _fill_in([(_("Happened"), format_datetime(incident.happened_at)),
                  (_("Noticed"), format_datetime(incident.noticed_at))], layout, columns=2,
                 emphasise=(_("Happened"),)),
        _fill_in([(_("Place"), incident.place)], layout),
        Spacer(0, 2 * mm),
        para(_("Kind of incident"), form_styles().label),
        Spacer(0, 1 * mm),
        Checkboxes([(label(INCIDENT_KIND_LABELS, k), k in incident.kinds) for k in mine],
                   columns=3 if len(mine) > 4 else 2),
    ]
    rows: list[tuple[str, object]] = []
    if others:
        rows.append((_("Also recorded"), _kinds_text(others)))
    rows += [
        (description, incident.description),
        (_("Immediate actions"), ", ".join(label(IMMEDIATE_ACTION_LABELS, a)
                                           for a in incident.immediate_actions) or None),
        (_("Staff involved"), ", ".join(s for s in incident.staff if s) or None),
        (_("Other persons"), incident.other_persons),
    ]
    blocks.append(Spacer(0, 1 * mm))
    blocks.append(_fill_in(rows, layout, long=(description,)))
    return blocks


def _residents(incident: IncidentDetail, people: Mapping[uuid.UUID, InvolvedResident],
               layout: Layout) -> Table:
    styles = form_styles()
    day = to_local(incident.happened_at).date()
    cell = styles.table_cell
    note = ParagraphStyle("resident-note", parent=styles.caption)
    headers = [_("Name"), _("Person ID"), _("Date of birth (age then)"), _("Nationality"),
               _("Room"), _("Role")]
    weights = [3.3, 1.4, 1.85, 1.35, 1.1, 1.2]
    total = sum(weights)
    widths = [layout.width * w / total for w in weights]
    rows: list[list[object]] = [[para(h, styles.table_header) for h in headers]]
    seen: set[uuid.UUID] = set()
    entries = [(rid, name, person_id, label(RESIDENT_ROLE_LABELS, role))
               for rid, name, person_id, role in incident.residents]
    for force in incident.uses_of_force:  # a minor a power was used on but not listed
        if force.resident_id not in {rid for rid, *_rest in entries}:
            person = people.get(force.resident_id)
            entries.append((force.resident_id, force.resident_name,
                            person.person_id if person else "", _("Use of force")))
    for rid, name, person_id, role in entries:
        if rid in seen:
            continue
        seen.add(rid)
        person = people.get(rid)
        name_cell: list[Flowable] = [para(name, cell, bold=True)]
        if person and person.name_in_own_script:
            name_cell.append(para(person.name_in_own_script, cell))
        if person and person.representative:
            name_cell.append(para(_("Representative: {name}").format(
                name=person.representative), note))
        rows.append([name_cell, para(person_id, cell),
                     para(_born(person, day), cell) if person else "",
                     para(person.nationality or "", cell) if person else "",
                     para(person.room or "", cell) if person else "",
                     para(role, cell)])
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, ACCENT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
    heights: list[float | None] = [None] * len(rows)
    if len(rows) == 1:  # nobody recorded: two blank rows to write in
        rows += [[""] * len(headers), [""] * len(headers)]
        heights += [WRITE_IN, WRITE_IN]
    return Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT",
                 style=table_style(commands))


def _checklist(code: str, incident: IncidentDetail, layout: Layout) -> Table:
    """The incident's reports (and the ones this form always asks about) with who and when."""
    styles = form_styles()
    header = styles.table_header
    hint = ParagraphStyle("report-hint", parent=styles.caption)
    cell = ParagraphStyle("report-cell", parent=styles.table_cell, fontSize=8.5)
    widths = [7 * mm, 62 * mm, 31 * mm]
    reference_width = 42 * mm
    widths += [layout.width - sum(widths) - reference_width, reference_width]
    rows: list[list[object]] = [["", para(_("Report"), header), para(_("Done at"), header),
                                 para(_("By"), header),
                                 para(_("Reference / journal number"), header)]]
    heights: list[float | None] = [None]
    spans: list[tuple] = []
    lines = {r.code: r for r in incident.reports}
    codes = list(lines)
    for extra in FORM_REPORTS[code]:
        if extra not in lines:
            codes.append(extra)
    for report_code in codes:
        line = lines.get(report_code)
        name = para(label(INCIDENT_REPORT_LABELS, report_code), styles.table_cell,
                    bold=report_code in ("police", code))
        if line is None:
            spans.append(("SPAN", (2, len(rows)), (-1, len(rows))))
            rows.append([TickBox(False, size=3.8 * mm), name,
                         para(_("Not required for this incident. If it was made anyway: "
                                "tick, and write when, by whom and the reference."), hint),
                         "", ""])
            heights.append(WRITE_IN)
        elif not line.done:
            reference = _("Police journal number") if report_code == "police" else ""
            rows.append([TickBox(False, size=3.8 * mm), name, "", "", para(reference, hint)])
            heights.append(WRITE_IN)
        else:
            rows.append([TickBox(True, size=3.8 * mm), name,
                         para(format_datetime(line.done_at), cell),
                         para(line.done_by or "", cell),
                         para(line.reference or "", cell, bold=report_code == "police")])
            heights.append(None)
    return Table(rows, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="LEFT",
                 style=table_style([
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                     ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                     *spans,
                     *CHECKLIST_RULES]))


def _statement_box(force: ForceView, layout: Layout) -> list[Flowable]:
    """The minor's own view, word for word, in a box; or that the minor declined; or room."""
    styles = form_styles()
    quote = ParagraphStyle("statement", parent=styles.body, fontSize=10, leading=14)
    name = force.resident_name
    if force.minor_statement:
        caption = _("The minor's own statement, word for word: {name}").format(name=name)
        if force.statement_on:
            caption = _("The minor's own statement, word for word: {name}, given {date}").format(
                name=name, date=format_date(force.statement_on, "short"))
        content: list[Flowable] = [para(force.minor_statement, quote)]
    elif force.minor_declined:
        caption = _("The minor's own statement: {name}").format(name=name)
        declined = _("The minor declined to give a statement.")
        if force.statement_on:
            declined = _("The minor declined to give a statement ({date}).").format(
                date=format_date(force.statement_on, "short"))
        content = [para(declined, quote, bold=True)]
    else:
        caption = _("The minor's own statement, word for word (or that the minor declined): "
                    "{name}").format(name=name)
        content = [Spacer(0, 20 * mm)]
    box = Table([[content]], colWidths=[layout.width], hAlign="LEFT",
                style=table_style([("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
                                   ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                                   ("BACKGROUND", (0, 0), (-1, -1), STATEMENT_SHADE),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 9),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                                   ("TOPPADDING", (0, 0), (-1, -1), 6),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return [Spacer(0, 2.5 * mm), para(caption, styles.label), Spacer(0, 1 * mm), box]


def _force_section(index: int, count: int, force: ForceView,
                   people: Mapping[uuid.UUID, InvolvedResident],
                   layout: Layout) -> list[Block]:
    """One use of force: the heading stays with who, when and who decided; the rest may
    flow on to the next page, the statement box always whole under its caption."""
    person = people.get(force.resident_id)
    kind = label(INCIDENT_KIND_LABELS, force.kind)
    title = (_("Use of force {number} of {count}: {kind}").format(number=index, count=count,
                                                                   kind=kind)
             if count > 1 else _("Use of force: {kind}").format(kind=kind))
    reason = _("Why it was necessary")
    head = _fill_in([(_("Minor"), force.resident_name),
                     (_("Person ID"), person.person_id if person else None),
                     (_("Started"), format_datetime(force.started_at)),
                     (_("Ended"), format_datetime(force.ended_at) or None),
                     (_("Duration"), duration_text(force.started_at, force.ended_at)),
                     (_("Decided by"), force.decided_by)], layout, columns=2,
                    emphasise=(_("Minor"),))
    rest = _fill_in([(reason, force.reason),
                     (_("Injuries"), force.injuries or _("None recorded")),
                     (_("Minor told about the report on"),
                      format_date(force.minor_informed_on, "short") or None)], layout,
                    long=(reason,), muted=() if force.injuries else (_("Injuries"),))
    return [Section(title, [head]), rest, KeepTogether(_statement_box(force, layout))]


def _confiscated(incident: IncidentDetail) -> DataTable:
    rows = []
    for item in incident.confiscated:
        returned_on = format_date(item.returned_on, "short")
        if item.handed_to_police:
            outcome = _("Handed to the police {date}").format(date=returned_on)
        elif item.returned_on:
            outcome = _("Returned {date} by {name}").format(date=returned_on,
                                                            name=item.returned_by or "–")
        else:
            outcome = _("Still kept")
        rows.append([item.description, item.resident_name, item.kept_where, outcome])
    return DataTable([_("Item"), _("Taken from"), _("Kept where"), _("Returned")], rows,
                     widths=[3, 2, 2, 2], empty_text=_("No items were taken into safekeeping."))


def _force_summary(incident: IncidentDetail) -> DataTable:
    rows = [[force.resident_name, label(INCIDENT_KIND_LABELS, force.kind),
             format_datetime(force.started_at),
             duration_text(force.started_at, force.ended_at), force.decided_by]
            for force in incident.uses_of_force]
    return DataTable([_("Minor"), _("What was done"), _("Started"), _("Duration"),
                      _("Decided by")], rows, widths=[3, 3, 2, 1.5, 2])


def _allowance_fill_in(layout: Layout, *, reduction: bool, refusal: bool) -> list[Block]:
    """Labelled blanks for the allowance decision (recorded in Centre Desk later)."""
    styles = form_styles()
    blocks: list[Block] = []
    if refusal:
        blocks += [Checkboxes([(_("Reduction of the cash allowance"), False),
                               (_("Withdrawal of the cash allowance"), False)], columns=2),
                   Spacer(0, 1 * mm)]
    else:
        blocks += [Checkboxes([(_("The incident may lead to a reduction or withdrawal of "
                                  "cash allowance"), reduction)], columns=1),
                   Spacer(0, 1 * mm)]
    blocks += [
        _fill_in([(_("Amount or share"), None), (_("Period"), None)], layout, columns=2),
        _fill_in([(_("Decided by"), None), (_("Date of decision"), None)], layout, columns=2),
        _fill_in([(_("Resident told what the case is based on (date)"), None)], layout),
        Spacer(0, 2.5 * mm),
        Lines(3, _("The resident's comments (passed on to the Agency)")),
        Spacer(0, 1 * mm),
        para(_("No decision is recorded in Centre Desk yet: fill in by hand, or record the "
               "decision on the incident and print the form again."),
             styles.note),
    ]
    return blocks


def _decision_blocks(decision: DecisionView, layout: Layout) -> list[Block]:
    """A recorded allowance decision: what, why, for how long, how much, who decided."""
    styles = form_styles()
    period = _("{start} – {end}").format(start=format_date(decision.period_from),
                                        end=format_date(decision.period_to))
    if decision.kind == "reduce":
        amount = _("{per_day} a day, {total} in all").format(
            per_day=format_dkk(decision.per_day), total=format_dkk(decision.amount))
    else:
        amount = _("All of it ({per_day} a day), {total} in all").format(
            per_day=format_dkk(decision.per_day), total=format_dkk(decision.amount))
    decided_by = decision.decided_by or "–"
    if decision.authorised_by:
        decided_by = _("{name}, authorised by {leader}").format(name=decided_by,
                                                               leader=decision.authorised_by)
    if decision.resident_declined:
        comments: object = _("The resident declined to comment.")
    else:
        comments = decision.resident_comments
    grounds = _("Grounds")
    comments_label = _("The resident's comments (passed on to the Agency)")
    blocks: list[Block] = [
        _fill_in([(_("Resident"), decision.resident_name),
                  (_("Cash allowance"), "{what}: {kind}".format(
                      what=label(ALLOWANCE_LABELS, decision.allowance),
                      kind=label(DECISION_KIND_LABELS, decision.kind))),
                  (_("Because of"), label(DECISION_GROUNDS_LABELS, decision.grounds)),
                  (grounds, decision.reasons),
                  (_("Period"), period), (_("Amount"), amount),
                  (_("Decided by"), decided_by),
                  (_("Date of decision"), format_date(decision.decided_on)),
                  (_("Resident told what the case is based on (date)"),
                   format_date(decision.resident_told_on) or None),
                  (comments_label, comments)], layout, long=(grounds, comments_label),
                 emphasise=(_("Cash allowance"), _("Amount"))),
    ]
    if decision.cancelled_on:
        blocks.append(para(_("Cancelled {date}: {reason}").format(
            date=format_date(decision.cancelled_on), reason=decision.cancel_reason or ""),
            styles.note, bold=True))
    return blocks


def _decisions_section(code: str, decisions: Sequence[DecisionView], layout: Layout,
                       *, title: str, reduction: bool, refusal: bool) -> list[Block]:
    mine = [d for d in decisions if d.form == code]
    if not mine:
        return [Section(title + " " + _("(to be filled in)"),
                        _allowance_fill_in(layout, reduction=reduction, refusal=refusal))]
    blocks: list[Block] = []
    for index, decision in enumerate(mine, start=1):
        heading = title if len(mine) == 1 else _("{title} ({index} of {count})").format(
            title=title, index=index, count=len(mine))
        blocks.append(Section(heading, _decision_blocks(decision, layout)))
    return blocks


def _refusal(incident: IncidentDetail, layout: Layout) -> list[Block]:
    what = _("What the resident was told to do, when, and how the resident refused")
    refused = [k for k in ("refused_tasks", "refused_move_order") if k in incident.kinds]
    return [_fill_in([(_("Refused"), _kinds_text(refused) or None), (what, None),
                      (_("Earlier warnings"), None)], layout, long=(what,),
                     emphasise=(_("Refused"),))]


def _told(incident: IncidentDetail, code: str) -> str | None:
    """Whether the police or PET were told, as the checklist has it (``None``: write in)."""
    line = _report_line(incident, code)
    if line is None:
        return None
    if not line.done:
        return _("Not yet (required)") if line.required else _("Not yet")
    text = _("Yes, {time} by {name}").format(time=format_datetime(line.done_at),
                                             name=line.done_by or "–")
    if line.reference:
        text += "\n" + _("Reference: {reference}").format(reference=line.reference)
    return text


def _in8(incident: IncidentDetail, layout: Layout) -> list[Block]:
    grounds = _("Grounds of the harassment (race, religion, gender, sexuality …)")
    police, pet = _("Police told"), _("PET told")
    rows: list[tuple[str, object]] = []
    if "harassment" in incident.kinds or incident.harassment_grounds:
        rows.append((grounds, incident.harassment_grounds))
    rows += [(police, _told(incident, "police")), (pet, _told(incident, "PET"))]
    return [_fill_in(rows, layout, long=(grounds,), emphasise=(grounds,))]


def _signatures(incident: IncidentDetail, layout: Layout) -> Table:
    """Two signature lines side by side: the reporting staff member and the centre leader."""
    styles = form_styles()
    gap = 10 * mm
    half = (layout.width - gap) / 2
    reporter = (_("Date and signature: reporting staff member ({name})").format(
        name=incident.reported_by) if incident.reported_by
        else _("Date and signature: reporting staff member"))
    leader = _("Date and signature: centre leader or authorised person")
    return Table([["", "", ""], [para(reporter, styles.caption), "", para(leader, styles.caption)]],
                 colWidths=[half, gap, half], rowHeights=[15 * mm, None], hAlign="LEFT",
                 style=table_style([("LINEABOVE", (0, 1), (0, 1), 0.6, INK),
                                    ("LINEABOVE", (2, 1), (2, 1), 0.6, INK),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))


# --- the form -------------------------------------------------------------------------------------

def incident_form_blocks(code: str, centre: CentreView, incident: IncidentDetail,
                         people: Mapping[uuid.UUID, InvolvedResident],
                         layout: Layout,
                         decisions: Sequence[DecisionView] = ()) -> list[Block]:
    styles = form_styles()
    blocks: list[Block] = [
        _banner(code, incident, layout),
        Spacer(0, 2 * mm),
        para(form_purpose(code), styles.note),
        Section(_("Centre and reporting staff member"), _sender(incident, centre, layout)),
        Section(_("The incident"), _facts(code, incident, layout)),
        Section(_("Residents involved"), [_residents(incident, people, layout)]),
    ]
    if code == "IN8":
        blocks.append(Section(_("Radicalisation concern and harassment"), _in8(incident, layout)))
    elif code == "IN9":
        if incident.uses_of_force:
            blocks.append(Section(_("Use of force (details on IN10)"),
                                  [_force_summary(incident)]))
        if ALLOWANCE_KINDS & set(incident.kinds) or any(d.form == "IN9" for d in decisions):
            blocks += _decisions_section(
                "IN9", decisions, layout,
                title=_("Cash allowance (cases caused by violence or threats)"),
                reduction="allowance_reduction" in incident.kinds, refusal=False)
    elif code == "IN10":
        forces = incident.uses_of_force
        for index, force in enumerate(forces, start=1):
            blocks += _force_section(index, len(forces), force, people, layout)
        if not forces:
            blocks.append(Section(_("Use of force"), [para(
                _("No use of force is recorded on this incident: describe it above."),
                styles.note)]))
        if incident.confiscated or "confiscation" in incident.kinds:
            blocks.append(Section(_("Items taken into safekeeping"), [_confiscated(incident)]))
    elif code == "IN12":
        blocks.append(Section(_("The refusal"), _refusal(incident, layout)))
        blocks += _decisions_section("IN12", decisions, layout,
                                     title=_("Decision on the cash allowance"),
                                     reduction=True, refusal=True)
    blocks += [
        Section(_("Reports and notifications"), [_checklist(code, incident, layout)]),
        KeepTogether([Spacer(0, 9 * mm), _signatures(incident, layout)]),
    ]
    return blocks


def render_incident_form(code: str, centre: CentreView, incident: IncidentDetail,
                         people: Mapping[uuid.UUID, InvolvedResident] | None = None, *,
                         printed_at: datetime | None = None,
                         printed_by: str | None = None,
                         decisions: Sequence[DecisionView] = ()) -> bytes:
    """Form ``code`` (IN8, IN9, IN10 or IN12) filled in from ``incident`` as PDF bytes.

    ``centre`` has ``name`` and ``code``; ``people`` holds the details of the residents
    involved by resident id (those missing print with name and person ID only);
    ``decisions`` the incident's cash-allowance decisions (IN9 and IN12 print theirs).
    """
    if code not in FORM_CODES:
        raise ValueError(f"unknown incident form {code!r}; the forms are: "
                         + ", ".join(FORM_CODES))
    people = people or {}
    printed_at = printed_at or utcnow()
    return render_document(
        form_title(code), centre,
        lambda layout: incident_form_blocks(code, centre, incident, people, layout, decisions),
        subtitle=_("Incident {number}").format(number=incident.number),
        printed_at=printed_at, printed_by=printed_by,
        subject=_("Report {code} on incident {number}").format(code=code,
                                                               number=incident.number),
        footer_note=_("Confidential: minors' personal data; send by secure e-mail only. "
                      "Form {code}, Centre Desk layout.").format(code=code))
