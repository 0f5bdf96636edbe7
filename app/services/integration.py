"""Transfer to an integration municipality (domain-rules §3, issue 4 item 6).

Recording that a residence permit was notified (the date and the municipality) opens an
integration case and starts its checklist: handover conversation, dialogue with the
municipality, handover form, statement for the Agency and planning of the move, each with
the due date from ``app.rules.integration.task_due_dates`` (the handover form: 14 calendar
days after the notification). The open tasks are on the Today page for everyone
(``open_tasks`` feeds ``app.queries.due.integration_duties``) until they are marked done or
the case is closed.

Who may do what: recording a permit, marking tasks done and closing the case need
``Permission.EDIT_RESIDENT`` (reception, contact persons, the social coordinator and the
centre leader keep the resident's facts right); seeing the case needs
``Permission.VIEW_RESIDENTS``. The case holds no special-category data (no notes), so its
reads are not audited; the changes are (the unit of work writes the audit trail).

**Decisions:** a resident has at most one open case: a second permit is refused until the
first case is closed. A case may be closed with tasks still open (the resident may leave
the centre's responsibility another way); they then stop showing on the Today page and the
printed form shows them as not done. A resident who moved out no longer has duties shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, ValidationError
from app.formatting import format_date, local_today
from app.i18n import _
from app.models import IntegrationCase, IntegrationTask, Resident, Staff
from app.models.integration import INTEGRATION_TASKS
from app.permissions import Permission, require
from app.rules.integration import handover_form_due, task_due_dates
from app.unit_of_work import Actor
from app.vocab import INTEGRATION_TASK_LABELS, label

MUNICIPALITY_MAX = 120
NOTE_MAX = 2000


@dataclass(frozen=True)
class TaskView:
    id: uuid.UUID
    code: str
    due_on: date | None
    done_on: date | None
    done_by: str | None
    note: str | None

    @property
    def label(self) -> str:
        return label(INTEGRATION_TASK_LABELS, self.code)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


@dataclass(frozen=True)
class CaseView:
    id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    permit_notified_on: date
    municipality: str
    closed_on: date | None
    tasks: tuple[TaskView, ...]

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def handover_form_due(self) -> date:
        return handover_form_due(self.permit_notified_on)

    def task(self, code: str) -> TaskView:
        return next(t for t in self.tasks if t.code == code)


@dataclass(frozen=True)
class OpenTask:
    """One task of an open case not done yet: a line on the Today page."""

    task_id: uuid.UUID
    case_id: uuid.UUID
    resident_id: uuid.UUID
    resident_name: str
    municipality: str
    code: str
    due_on: date | None


# --- reading ------------------------------------------------------------------------------

def _view(session: Session, case: IntegrationCase) -> CaseView:
    resident = session.get(Resident, case.resident_id)
    name = f"{resident.given_names} {resident.family_name}" if resident else ""
    tasks = list(session.scalars(select(IntegrationTask).where(
        IntegrationTask.case_id == case.id, IntegrationTask.deleted_at.is_(None))))
    order = {code: i for i, code in enumerate(INTEGRATION_TASKS)}
    tasks.sort(key=lambda t: order.get(t.code, len(order)))
    staff_ids = {t.done_by for t in tasks if t.done_by}
    staff = dict(session.execute(select(Staff.id, Staff.full_name).where(
        Staff.id.in_(staff_ids))).all()) if staff_ids else {}
    return CaseView(case.id, case.resident_id, name, case.permit_notified_on, case.municipality,
                    case.closed_on, tuple(TaskView(t.id, t.code, t.due_on, t.done_on,
                                                   staff.get(t.done_by), t.note)
                                          for t in tasks))


def _open_case(session: Session, resident_id: uuid.UUID) -> IntegrationCase | None:
    return session.scalar(select(IntegrationCase).where(
        IntegrationCase.resident_id == resident_id, IntegrationCase.closed_on.is_(None),
        IntegrationCase.deleted_at.is_(None)))


def integration_case(db: Database, actor: Actor, resident_id: uuid.UUID) -> CaseView | None:
    """The resident's open case, else the latest closed one, else ``None``."""
    require(actor, Permission.VIEW_RESIDENTS)
    with db.read() as session:
        case = _open_case(session, resident_id) or session.scalar(
            select(IntegrationCase).where(IntegrationCase.resident_id == resident_id,
                                          IntegrationCase.deleted_at.is_(None))
            .order_by(IntegrationCase.closed_on.desc(), IntegrationCase.created_at.desc())
            .limit(1))
        return _view(session, case) if case else None


def open_tasks(session: Session, at: date) -> list[OpenTask]:
    """Every task not done of every open case of a resident still living here, soonest due
    first (undated last). ``at`` is the day asked about; tasks are listed whatever their due
    date, the caller decides how urgent each is."""
    if not isinstance(at, date):
        raise TypeError("give the day as a date")
    rows = session.execute(
        select(IntegrationTask.id, IntegrationCase.id, Resident.id, Resident.given_names,
               Resident.family_name, IntegrationCase.municipality, IntegrationTask.code,
               IntegrationTask.due_on)
        .join(IntegrationCase, IntegrationCase.id == IntegrationTask.case_id)
        .join(Resident, Resident.id == IntegrationCase.resident_id)
        .where(IntegrationTask.done_on.is_(None), IntegrationTask.deleted_at.is_(None),
               IntegrationCase.closed_on.is_(None), IntegrationCase.deleted_at.is_(None),
               Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None)))
    tasks = [OpenTask(tid, cid, rid, f"{given} {family}", municipality, code, due)
             for tid, cid, rid, given, family, municipality, code, due in rows]
    return sorted(tasks, key=lambda t: (t.due_on is None, t.due_on or date.max,
                                        t.resident_name, t.code))


# --- changing -----------------------------------------------------------------------------

def _day_problem(day: object, *, today: date, not_before: date | None,
                 before_text: str) -> str | None:
    if not isinstance(day, date):
        return _("Give the date.")
    if day > today:
        return _("The date {date} is in the future.").format(date=format_date(day))
    if not_before is not None and day < not_before:
        return before_text.format(date=format_date(day), earliest=format_date(not_before))
    return None


def _resident(session: Session, resident_id: uuid.UUID) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None:
        raise NotFound(_("The resident was not found."))
    return resident


def record_permit(db: Database, actor: Actor, resident_id: uuid.UUID, *, notified_on: date,
                  municipality: str, today: date | None = None) -> CaseView:
    """Record that the resident's residence permit was notified on ``notified_on`` and which
    municipality the resident moves to; starts the checklist with its due dates."""
    require(actor, Permission.EDIT_RESIDENT)
    today = today or local_today()
    municipality = " ".join((municipality or "").split())
    with db.unit(actor) as session:
        resident = _resident(session, resident_id)
        name = f"{resident.given_names} {resident.family_name}"
        if resident.moved_out_on is not None:
            raise DomainError(_("{name} moved out on {date}: a residence permit is recorded "
                                "only for a resident living here.").format(
                                    name=name, date=format_date(resident.moved_out_on)))
        problems: dict[str, str] = {}
        if not municipality:
            problems["municipality"] = _("Write the integration municipality the resident "
                                         "moves to.")
        elif len(municipality) > MUNICIPALITY_MAX:
            problems["municipality"] = _("The municipality's name is longer than {count} "
                                         "characters.").format(count=MUNICIPALITY_MAX)
        problem = _day_problem(
            notified_on, today=today, not_before=resident.arrival_date,
            before_text=_("The permit cannot be notified on {date}, before the resident "
                          "arrived ({earliest})."))
        if problem:
            problems["notified_on"] = problem
        if problems:
            raise ValidationError(problems)
        existing = _open_case(session, resident_id)
        if existing is not None:
            raise DomainError(_("{name} already has an open integration case: permit notified "
                                "on {date}, municipality {municipality}. Close it before "
                                "recording another permit.").format(
                                    name=name, date=format_date(existing.permit_notified_on),
                                    municipality=existing.municipality))
        case = IntegrationCase(resident_id=resident_id, permit_notified_on=notified_on,
                               municipality=municipality)
        session.add(case)
        session.flush()
        for code, due in task_due_dates(notified_on).items():
            session.add(IntegrationTask(case_id=case.id, code=code, due_on=due))
        session.flush()
        return _view(session, case)


def _task_and_case(session: Session, task_id: uuid.UUID) -> tuple[IntegrationTask,
                                                                   IntegrationCase]:
    task = session.get(IntegrationTask, task_id)
    if task is None or task.deleted_at is not None:
        raise NotFound(_("The task was not found."))
    return task, session.get(IntegrationCase, task.case_id)


def mark_task_done(db: Database, actor: Actor, task_id: uuid.UUID, *, done_on: date,
                   note: str | None = None, today: date | None = None) -> CaseView:
    """Mark one task of the checklist done on ``done_on`` (by the actor), with a note."""
    require(actor, Permission.EDIT_RESIDENT)
    today = today or local_today()
    note = (note or "").strip() or None
    with db.unit(actor) as session:
        task, case = _task_and_case(session, task_id)
        what = label(INTEGRATION_TASK_LABELS, task.code)
        if case.closed_on is not None:
            raise DomainError(_("The integration case was closed on {date}: its tasks cannot "
                                "change.").format(date=format_date(case.closed_on)))
        if task.done_on is not None:
            raise DomainError(_("“{task}” is already marked done on {date}.").format(
                task=what, date=format_date(task.done_on)))
        problems: dict[str, str] = {}
        problem = _day_problem(
            done_on, today=today, not_before=case.permit_notified_on,
            before_text=_("The task cannot be done on {date}, before the permit was notified "
                          "({earliest})."))
        if problem:
            problems["done_on"] = problem
        if note is not None and len(note) > NOTE_MAX:
            problems["note"] = _("The note is longer than {count} characters.").format(
                count=NOTE_MAX)
        if problems:
            raise ValidationError(problems)
        task.done_on = done_on
        task.done_by = actor.staff_id
        task.note = note
        session.flush()
        return _view(session, case)


def close_case(db: Database, actor: Actor, case_id: uuid.UUID, *, on: date,
               today: date | None = None) -> CaseView:
    """Close the integration case on ``on`` (the resident moved to the municipality, or the
    case ends another way); its open tasks leave the Today page."""
    require(actor, Permission.EDIT_RESIDENT)
    today = today or local_today()
    with db.unit(actor) as session:
        case = session.get(IntegrationCase, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound(_("The integration case was not found."))
        if case.closed_on is not None:
            raise DomainError(_("The integration case is already closed (on {date}).").format(
                date=format_date(case.closed_on)))
        problem = _day_problem(
            on, today=today, not_before=case.permit_notified_on,
            before_text=_("The case cannot close on {date}, before the permit was notified "
                          "({earliest})."))
        if problem:
            raise ValidationError({"on": problem})
        case.closed_on = on
        session.flush()
        return _view(session, case)
