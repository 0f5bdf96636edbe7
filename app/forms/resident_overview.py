"""A contact person's one-page overview of a resident (issue 4 item 7): who the resident is
(with the name in their own script), room, arrival, contact persons and representative, the
current development plan's goals with their status and next review, the latest shift
observations, an open missing case and open incidents.

Always one A4 page: long lists end with "… and N more", long notes are shortened, and if the
page still overflows the lists are cut further (``render_resident_overview``)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from app.formatting import format_date, format_datetime, utcnow
from app.forms.document import DataTable, Fields, Section, Text, render_document
from app.i18n import _
from app.services.centre import CentreView
from app.services.plans import GoalView, PlanView
from app.vocab import (ACTION_STATUS_LABELS, INCIDENT_KIND_LABELS, OBSERVATION_CATEGORY_LABELS,
                       PLAN_AREA_LABELS, STATUS_LABELS, label)


@dataclass(frozen=True)
class OverviewNote:
    written_at: datetime
    author: str
    categories: tuple[str, ...]
    concern: bool
    text: str


@dataclass(frozen=True)
class OverviewIncident:
    number: str
    happened_at: datetime
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class ResidentOverview:
    id: uuid.UUID
    name: str
    name_in_own_script: str | None
    person_id: str
    date_of_birth: date
    age: int
    age_disputed: bool
    nationality: str | None
    languages: tuple[str, ...]
    status: str
    room: str | None
    arrival_date: date
    primary_contact: str | None
    secondary_contact: str | None
    representative_name: str | None
    representative_phone: str | None
    representative_email: str | None
    plan: PlanView | None
    notes: tuple[OverviewNote, ...]  # newest first
    notes_total: int
    missing_since: datetime | None
    incidents: tuple[OverviewIncident, ...]  # open: reports still waiting; newest first
    today: date


#: (goals, notes, characters per note, incidents) — tried in turn until the page fits.
LIMITS = ((8, 5, 320, 4), (6, 4, 220, 3), (5, 3, 150, 2), (4, 2, 100, 2), (3, 1, 80, 1))


def _more(count: int) -> str:
    return _("… and {count} more").format(count=count)


def _clip(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most - 1].rstrip() + "…"


def _goal_status(goal: GoalView, today: date) -> tuple[str, str]:
    """(the action plan's status, the next review) of a goal."""
    counts: dict[str, int] = {}
    for action in goal.actions:
        counts[action.status] = counts.get(action.status, 0) + 1
    status = ", ".join(f"{label(ACTION_STATUS_LABELS, s)}: {n}"
                       for s, n in counts.items()) or _("No actions yet")
    nxt = next((r.next_review_on for r in reversed(goal.reviews) if r.next_review_on), None)
    if nxt is None:
        review = _("Not reviewed yet") if not goal.reviews else ""
    else:
        review = format_date(nxt)
        if nxt < today:
            review = _("{date} (overdue)").format(date=review)
    return status, review


def _plan_blocks(plan: PlanView | None, today: date, most: int) -> list:
    if plan is None:
        return [Text(_("No development plan yet."))]
    if plan.is_signed_off:
        state = _("Version {version}, signed off {date}").format(
            version=plan.version, date=format_date(plan.signed_off_at))
    else:
        state = _("Version {version}, draft").format(version=plan.version)
    rows = []
    for goal in plan.goals[:most]:
        status, review = _goal_status(goal, today)
        rows.append([label(PLAN_AREA_LABELS, goal.area), goal.title, status, review])
    if len(plan.goals) > most:
        rows.append(["", _more(len(plan.goals) - most), "", ""])
    return [Text(state, "small"),
            DataTable([_("Area"), _("Goal"), _("Actions"), _("Next review")], rows,
                      widths=[1.6, 4.2, 2.6, 1.6], empty_text=_("The plan has no goals yet."))]


def _note_rows(overview: ResidentOverview, most: int, chars: int) -> list[list[str]]:
    rows = []
    for note in overview.notes[:most]:
        what = ", ".join(label(OBSERVATION_CATEGORY_LABELS, c) for c in note.categories)
        if note.concern:
            what = (_("Concern") + (" · " + what if what else ""))
        rows.append([format_datetime(note.written_at), note.author, what,
                     _clip(note.text, chars)])
    shown = min(most, len(overview.notes))
    if overview.notes_total > shown:
        rows.append(["", "", "", _more(overview.notes_total - shown)])
    return rows


def overview_blocks(overview: ResidentOverview, limits: tuple[int, int, int, int]) -> list:
    goals, notes, chars, incidents = limits
    age = str(overview.age) + (" " + _("(age disputed)") if overview.age_disputed else "")
    representative = " · ".join(v for v in (overview.representative_name,
                                            overview.representative_phone,
                                            overview.representative_email) if v) or None
    person = Fields([
        (_("Name"), overview.name), (_("Name in own script"), overview.name_in_own_script),
        (_("Person ID"), overview.person_id),
        (_("Date of birth"), format_date(overview.date_of_birth)),
        (_("Age"), age), (_("Nationality"), overview.nationality),
        (_("Languages"), ", ".join(overview.languages) or None),
        (_("Status"), label(STATUS_LABELS, overview.status)),
        (_("Room"), overview.room), (_("Arrived"), format_date(overview.arrival_date)),
        (_("Primary contact person"), overview.primary_contact),
        (_("Secondary contact person"), overview.secondary_contact),
    ], columns=2)
    blocks: list = [
        Section(_("The resident"), [person, Fields(
            [(_("Personal representative"), representative)], label_width=0.19)]),
        Section(_("Development plan"), _plan_blocks(overview.plan, overview.today, goals)),
        Section(_("Latest observations"), [DataTable(
            [_("Written"), _("By"), _("Categories"), _("Observation")],
            _note_rows(overview, notes, chars), widths=[1.5, 1.7, 1.5, 5.3],
            empty_text=_("No observations yet."))]),
    ]
    open_blocks: list = []
    if overview.missing_since is not None:
        open_blocks.append(Text(_("Missing since {time}: the missing case is open.").format(
            time=format_datetime(overview.missing_since)), "body"))
    rows = [[inc.number, format_datetime(inc.happened_at),
             ", ".join(label(INCIDENT_KIND_LABELS, k) for k in inc.kinds)]
            for inc in overview.incidents[:incidents]]
    if len(overview.incidents) > incidents:
        rows.append(["", "", _more(len(overview.incidents) - incidents)])
    open_blocks.append(DataTable([_("Incident"), _("Happened"), _("Kind")], rows,
                                 widths=[1.4, 1.8, 6.8],
                                 empty_text=_("No incident with reports still waiting.")))
    if overview.missing_since is None:
        open_blocks.insert(0, Text(_("No open missing case."), "small"))
    blocks.append(Section(_("Missing case and incidents"), open_blocks))
    return blocks


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def render_resident_overview(centre: CentreView, overview: ResidentOverview, *,
                             printed_at: datetime | None = None,
                             printed_by: str | None = None) -> bytes:
    pdf = b""
    for limits in LIMITS:
        pdf = render_document(
            _("Resident overview"), centre, overview_blocks(overview, limits),
            subtitle=overview.name, printed_at=printed_at or utcnow(), printed_by=printed_by,
            footer_note=_("Confidential: a minor's personal data (special category)."))
        if _pages(pdf) <= 1:
            break
    return pdf
