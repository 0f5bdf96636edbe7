"""What is due: the one question the Today page, ``centredesk due`` and head office all ask.

Each area contributes a provider (a function of a read session and a moment) to
``DUTY_PROVIDERS``; ``due_duties`` runs them all and sorts the result most urgent first.
Later features (missing-child reports, incident reports, plan reviews, handover forms,
lost-property expiries) add their providers here.

Some duties belong to one person, not to the shift: a concern note waits for the resident's
primary contact person and the social coordinator, and must not be shown to everyone (the
notes are confidential, domain-rules §7). Their providers (``PERSONAL_DUTY_PROVIDERS``) also
get the actor, and run only when ``due_duties`` is given one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from app.formatting import LOCAL_TZ, format_date, format_datetime, to_local
from app.i18n import N_, _, ngettext
from app.models import ContactAssignment, Resident
from app.models.residents import CONTACT_PRIMARY, CONTACT_SECONDARY
from app.rules.observations import CONCERN_ACKNOWLEDGE_WITHIN
from app.rules.residents import ADULT_AGE
from app.rules.rounds import ROUND_GRACE
from app.unit_of_work import Actor
from app.vocab import (INCIDENT_REPORT_LABELS, INTEGRATION_TASK_LABELS, MISSING_REPORT_LABELS,
                       ROUND_SLOT_LABELS, label)

# Most urgent first.
SEVERITIES = ("overdue", "due", "upcoming", "info")

DUTY_TITLES: dict[str, str] = {
    "assign_primary_contact": N_("Assign a primary contact person to {name}"),
    "assign_secondary_contact": N_("Assign a secondary contact person to {name}"),
    "register_representative": N_("Register the personal representative of {name}"),
    "turns_adult": N_("{name} turns 18 on {date}: plan the move to an adult centre"),
    "missing_report": N_("{name} is missing: {report}"),
    "missing_open": N_("{name} is missing since {time}: all reports made; record the return"),
    "lost_item_retention": N_("Lost property {number} ({description}) kept until {date}: "
                              "destroy it or give it to charity"),
    "lost_item_search": N_("Lost property {number} ({description}): owner not found by "
                           "{date}, hand it to the police"),
    "incident_report": N_("Incident {number}: {incident_report} – not done, {age} old"),
    "round_due": N_("{round} due now: {marked} of {expected} marked"),
    "round_incomplete": N_("{round} not complete: {marked} of {expected} marked"),
    "concern_note": N_("Concern about {name} noted by {author} at {time}: read the note and "
                       "acknowledge it"),
    "plan_review": N_("Review of {name}'s development plan due {date}: {area}"),
    "integration_handover_form": N_("Handover form for {name} to {municipality} due {date}"),
    "integration_task": N_("{name}, moving to {municipality}: {task} – due {date}"),
    "integration_task_undated": N_("{name}, moving to {municipality}: {task}"),
}
# Params stored as codes, shown as translated labels.
PARAM_VOCAB: dict[str, dict[str, str]] = {"report": MISSING_REPORT_LABELS,
                                          "round": ROUND_SLOT_LABELS,
                                          "incident_report": INCIDENT_REPORT_LABELS,
                                          "task": INTEGRATION_TASK_LABELS}

#: How long before an 18th birthday it appears on the Today page.
ADULT_BIRTHDAY_NOTICE = timedelta(days=60)


@dataclass(frozen=True)
class Duty:
    kind: str
    severity: str
    due_at: datetime | None
    resident_id: uuid.UUID | None = None
    resident_name: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        template = DUTY_TITLES.get(self.kind, self.kind)
        values = {"name": self.resident_name or "", **self.params}
        if isinstance(values.get("date"), date):
            values["date"] = format_date(values["date"])
        if isinstance(values.get("time"), datetime):
            values["time"] = format_datetime(values["time"])
        for key, table in PARAM_VOCAB.items():
            if key in values:
                values[key] = label(table, values[key])
        return _(template).format(**values)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": {k: str(v) for k, v in self.params.items()}, "severity": self.severity,
                "due_at": self.due_at.isoformat() if self.due_at else None,
                "resident_id": str(self.resident_id) if self.resident_id else None,
                "resident": self.resident_name, "title": self.title}


DutyProvider = Callable[[Session, datetime], Iterable[Duty]]
PersonalDutyProvider = Callable[[Session, datetime, Actor], Iterable[Duty]]


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


def contact_person_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """Every resident has a primary and a secondary contact person (domain-rules §1)."""
    for kind, duty_kind in ((CONTACT_PRIMARY, "assign_primary_contact"),
                            (CONTACT_SECONDARY, "assign_secondary_contact")):
        assignment = aliased(ContactAssignment)
        rows = session.execute(
            select(Resident.id, Resident.given_names, Resident.family_name, Resident.arrival_date)
            .outerjoin(assignment, and_(assignment.resident_id == Resident.id,
                                        assignment.kind == kind, assignment.ended_on.is_(None),
                                        assignment.deleted_at.is_(None)))
            .where(Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None),
                   assignment.id.is_(None)))
        for rid, given, family, arrival in rows:
            due_at = _start_of_day(arrival)
            yield Duty(duty_kind, "overdue" if due_at + timedelta(days=1) <= at else "due",
                       due_at, rid, f"{given} {family}")


def representative_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """The representative must be told what parents would be told (domain-rules §1)."""
    rows = session.execute(
        select(Resident.id, Resident.given_names, Resident.family_name, Resident.arrival_date)
        .where(Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None),
               Resident.representative_name.is_(None)))
    for rid, given, family, arrival in rows:
        yield Duty("register_representative", "due", _start_of_day(arrival), rid,
                   f"{given} {family}")


def adult_birthday_duties(session: Session, at: datetime) -> Iterable[Duty]:
    today = to_local(at).date()
    rows = session.execute(
        select(Resident.id, Resident.given_names, Resident.family_name, Resident.date_of_birth)
        .where(Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None),
               # Everyone who turns 18 before the notice period ends; an 18-year-old still
               # registered here stays overdue until moved out.
               Resident.date_of_birth <= date(today.year - ADULT_AGE + 1, 12, 31)))
    for rid, given, family, born in rows:
        birthday = _birthday(born, born.year + ADULT_AGE)
        if birthday - ADULT_BIRTHDAY_NOTICE <= today:
            severity = "overdue" if birthday <= today else "upcoming"
            yield Duty("turns_adult", severity, _start_of_day(birthday), rid,
                       f"{given} {family}", {"date": birthday})


def _birthday(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date(year, 3, 1)


def missing_case_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """Every outstanding report of every open missing case, on every PC, for every role
    (domain-rules §2): overdue from the deadline on, and never dismissed, only done."""
    from app.services.missing import open_case_summaries

    for case in open_case_summaries(session):
        params = {"case_id": str(case.case_id)}
        if not case.outstanding:
            yield Duty("missing_open", "info", case.missing_since, case.resident_id, case.name,
                       {**params, "time": case.missing_since})
        for kind in case.outstanding:
            yield Duty("missing_report", case.urgency(at), case.due_at, case.resident_id,
                       case.name, {**params, "report": kind})


def round_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """Today's rounds that are planned by now and not complete."""
    from app.services.attendance import day_status

    for status in day_status(session, to_local(at).date()):
        if status.planned_at > at or status.complete:
            continue
        severity = "overdue" if status.planned_at + ROUND_GRACE <= at else "due"
        yield Duty("round_incomplete" if severity == "overdue" else "round_due", severity,
                   status.planned_at, params={"round": status.slot, "marked": status.marked,
                                              "expected": status.expected,
                                              "round_id": str(status.round_id or "")})


def lost_property_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """Lost property whose retention or owner search ended (domain-rules §5)."""
    from app.services.lost_property import due_items

    today = to_local(at).date()
    for item in due_items(session, today):
        deadline = item.deadline
        kind = "lost_item_retention" if item.origin == "vacated_room" else "lost_item_search"
        yield Duty(kind, "overdue" if deadline < today else "due", _start_of_day(deadline),
                   params={"number": item.number, "description": item.description,
                           "date": deadline, "item_id": str(item.id)})


def _age(span: timedelta) -> str:
    hours = int(span.total_seconds() // 3600)
    if hours < 48:
        return ngettext("{count} hour", "{count} hours", hours).format(count=hours)
    return ngettext("{count} day", "{count} days", hours // 24).format(count=hours // 24)


def incident_report_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """Every report an incident still needs, on every PC for every shift until done, with
    its age (domain-rules §4: without undue delay). Overdue from the next morning."""
    from app.services.incidents import outstanding_reports

    for report in outstanding_reports(session):
        age = at - report.reported_at
        severity = "overdue" if age >= timedelta(hours=12) else "due"
        yield Duty("incident_report", severity, report.reported_at,
                   params={"number": report.number, "incident_report": report.code,
                           "age": _age(max(age, timedelta(0))),
                           "incident_id": str(report.incident_id)})


#: How many days before its due date an integration task counts as upcoming.
INTEGRATION_UPCOMING_DAYS = 3


def integration_duties(session: Session, at: datetime) -> Iterable[Duty]:
    """Every open task of the integration checklist (domain-rules §3): the handover form due
    14 days after the permit was notified, and the others (app.services.integration).
    Overdue after the due day, due on it, upcoming within 3 days; shown as a note from the
    day the permit is recorded, so the date is known in good time."""
    from app.services.integration import open_tasks

    today = to_local(at).date()
    for task in open_tasks(session, today):
        params: dict[str, Any] = {"municipality": task.municipality, "task": task.code,
                                  "integration_case_id": str(task.case_id)}
        if task.due_on is None:
            yield Duty("integration_task_undated", "info", None, task.resident_id,
                       task.resident_name, params)
            continue
        if task.due_on < today:
            severity = "overdue"
        elif task.due_on == today:
            severity = "due"
        elif task.due_on - today <= timedelta(days=INTEGRATION_UPCOMING_DAYS):
            severity = "upcoming"
        else:
            severity = "info"
        kind = "integration_handover_form" if task.code == "handover_form" else "integration_task"
        yield Duty(kind, severity, _start_of_day(task.due_on), task.resident_id,
                   task.resident_name, {**params, "date": task.due_on})


def concern_duties(session: Session, at: datetime, actor: Actor) -> Iterable[Duty]:
    """Concern notes waiting for the actor as primary contact person or social coordinator
    (app.services.observations); overdue when not acknowledged within a day. The title says
    who and when, never the words of the note."""
    from app.services.observations import waiting_concerns

    for concern in waiting_concerns(session, actor):
        due_at = concern.written_at + CONCERN_ACKNOWLEDGE_WITHIN
        yield Duty("concern_note", "overdue" if due_at <= at else "due", due_at,
                   concern.resident_id, concern.resident_name,
                   {"author": concern.author_name, "time": concern.written_at,
                    "note_id": str(concern.note_id)})


def plan_review_duties(session: Session, at: datetime, actor: Actor) -> Iterable[Duty]:
    """Development-plan reviews due within 7 days for the residents the actor is a contact
    person of (app.services.plans); overdue after the day. The title names the goal's area,
    never the plan's words."""
    from app.services.plans import reviews_due_in
    from app.vocab import PLAN_AREA_LABELS

    today = to_local(at).date()
    for due in reviews_due_in(session, actor, today):
        severity = ("overdue" if due.next_review_on < today
                    else "due" if due.next_review_on == today else "upcoming")
        yield Duty("plan_review", severity, _start_of_day(due.next_review_on), due.resident_id,
                   due.resident_name, {"date": due.next_review_on,
                                       "area": label(PLAN_AREA_LABELS, due.area),
                                       "goal_id": str(due.goal_id)})


DUTY_PROVIDERS: list[DutyProvider] = [missing_case_duties, round_duties, incident_report_duties,
                                      contact_person_duties, representative_duties,
                                      adult_birthday_duties, lost_property_duties,
                                      integration_duties]
PERSONAL_DUTY_PROVIDERS: list[PersonalDutyProvider] = [concern_duties, plan_review_duties]


def due_duties(session: Session, at: datetime, actor: Actor | None = None) -> list[Duty]:
    """All duties at the moment ``at`` (aware): missing residents first, then most urgent.
    With ``actor``, also the duties that are that person's own (``PERSONAL_DUTY_PROVIDERS``)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: give the moment with its timezone")
    duties = [duty for provider in DUTY_PROVIDERS for duty in provider(session, at)]
    if actor is not None:
        duties += [duty for provider in PERSONAL_DUTY_PROVIDERS
                   for duty in provider(session, at, actor)]
    far_future = datetime.max.replace(tzinfo=LOCAL_TZ)
    # A missing child comes before anything else (domain-rules §2: the reports must not be
    # overlooked), then the rest by urgency.
    return sorted(duties, key=lambda d: (not d.kind.startswith("missing_"),
                                         SEVERITIES.index(d.severity),
                                         d.due_at or far_future, d.resident_name or ""))


SEVERITY_LABELS = {"overdue": N_("Overdue"), "due": N_("Due"), "upcoming": N_("Upcoming"),
                   "info": N_("Note")}


def severity_label(severity: str) -> str:
    return _(SEVERITY_LABELS.get(severity, severity))
