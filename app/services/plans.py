"""Development plans (goals, action plans, reviews) and the social report (domain-rules §3,
issue 4 items 4, 5 and 7).

Confidentiality (domain-rules §7): a resident's plan and social report are special-category
data like the notes. They are read and written by the resident's *current* contact persons,
the social coordinator and the centre leader — the same rule as ``observations.read_notes``
(``observations._may_read``); everyone else gets a ``PermissionDenied`` that says who may.
Every opening of a plan or a social report adds an audit entry ``read`` /
``development_plan`` (or ``social_report``) / resident id in the same transaction.

Versions: a resident has at most one draft. ``sign_off`` freezes a version (it needs at least
one goal and the date it was made together with the resident); every later change to it —
goals, actions, reviews, the made-with-resident record — is refused. ``start_plan`` then
starts the next version from it: its goals and open actions (planned, in progress) are
copied, its reviews stay with it. **Decision:** reviews are part of the version too, so a
review after sign-off is written on the next version (whose goals are the same).

The social report is one per resident: prefilled from the current plan and selected notes
(``prefill_social_report``, nothing saved), edited and saved, then frozen (read-only).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.errors import DomainError, NotFound, PermissionDenied, ValidationError
from app.formatting import format_date, local_today, utcnow
from app.i18n import _
from app.models import ContactAssignment, Observation, Resident, Staff
from app.models.plans import (ACTION_STATUSES, PLAN_AREAS, DevelopmentPlan, PlanAction,
                              PlanGoal, PlanReview, SocialReport)
from app.permissions import Permission, require
from app.services.observations import _may_read
from app.unit_of_work import Actor, audit_entry
from app.vocab import PLAN_AREA_LABELS, label

#: Reviews due within this many days appear on the contact persons' Today page.
REVIEW_NOTICE = timedelta(days=7)
#: Actions still open: copied to the next version.
OPEN_STATUSES = ("planned", "in_progress")
#: Notes of these categories (without concern) are offered for the social report.
REPORT_NOTE_CATEGORIES = {"schooling": "school", "leisure_interests": "leisure"}
#: Notes offered per field of the social report (the newest).
REPORT_NOTES_PER_FIELD = 3
MAX_TITLE = 300
MAX_LANGUAGE = 60
MAX_RESPONSIBLE = 200
SOCIAL_REPORT_FIELDS = ("background", "development", "schooling", "leisure_interests", "wishes")


# -- what comes in and goes out ---------------------------------------------------------------

@dataclass(frozen=True)
class ResidentHeader:
    id: uuid.UUID
    name: str
    name_in_own_script: str | None
    person_id: str
    date_of_birth: date
    nationality: str | None
    languages: tuple[str, ...]
    arrival_date: date


@dataclass(frozen=True)
class ActionView:
    id: uuid.UUID
    goal_id: uuid.UUID
    action: str
    responsible: str | None
    due_on: date | None
    status: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class ReviewView:
    id: uuid.UUID
    goal_id: uuid.UUID
    reviewed_on: date
    what_happened: str
    residents_words: str | None
    next_steps: str | None
    next_review_on: date | None


@dataclass(frozen=True)
class GoalView:
    id: uuid.UUID
    area: str
    title: str
    description: str | None
    position: int
    actions: tuple[ActionView, ...]
    reviews: tuple[ReviewView, ...]  # oldest first


@dataclass(frozen=True)
class PlanView:
    id: uuid.UUID
    resident: ResidentHeader
    version: int
    based_on_id: uuid.UUID | None
    made_with_resident_on: date | None
    interpreter_used: bool
    language: str | None
    signed_off_at: datetime | None
    signed_off_by: str | None
    goals: tuple[GoalView, ...]

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


@dataclass(frozen=True)
class ReviewDue:
    resident_id: uuid.UUID
    resident_name: str
    plan_id: uuid.UUID
    goal_id: uuid.UUID
    area: str
    goal_title: str
    next_review_on: date

    def overdue(self, today: date) -> bool:
        return self.next_review_on < today


@dataclass(frozen=True)
class SocialReportInput:
    background: str = ""
    development: str = ""
    schooling: str = ""
    leisure_interests: str = ""
    wishes: str = ""


@dataclass(frozen=True)
class SocialReportView:
    id: uuid.UUID | None  # None: not saved yet (a prefill)
    resident: ResidentHeader
    background: str
    development: str
    schooling: str
    leisure_interests: str
    wishes: str
    frozen_at: datetime | None
    frozen_by: str | None

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def as_input(self) -> SocialReportInput:
        return SocialReportInput(self.background, self.development, self.schooling,
                                 self.leisure_interests, self.wishes)


# -- who may, and loading ---------------------------------------------------------------------

def _name(resident: Resident) -> str:
    return f"{resident.given_names} {resident.family_name}"


def _header(resident: Resident) -> ResidentHeader:
    return ResidentHeader(resident.id, _name(resident), resident.name_in_own_script,
                          resident.person_id, resident.date_of_birth,
                          resident.nationality or None, tuple(resident.languages or ()),
                          resident.arrival_date)


def _resident(session: Session, actor: Actor, resident_id: uuid.UUID) -> Resident:
    """The resident, if the actor may read and write their plan; else a clear refusal."""
    resident = session.get(Resident, resident_id)
    if resident is None or resident.deleted_at is not None:
        raise NotFound(_("The resident does not exist (any more)."))
    if not _may_read(session, actor, resident.id):
        raise PermissionDenied(_(
            "The development plan and social report of {name} are confidential: only {name}'s "
            "contact persons, the social coordinator and the centre leader may read and write "
            "them.").format(name=_name(resident)))
    return resident


def may_work_on_plan(db: Database, actor: Actor, resident_id: uuid.UUID) -> bool:
    """Whether the actor may read and write this resident's plan (for the UI)."""
    with db.read() as session:
        return _may_read(session, actor, resident_id)


def _live(query, model):
    return query.where(model.deleted_at.is_(None))


def _latest_plan(session: Session, resident_id: uuid.UUID) -> DevelopmentPlan | None:
    return session.scalar(_live(select(DevelopmentPlan), DevelopmentPlan).where(
        DevelopmentPlan.resident_id == resident_id).order_by(DevelopmentPlan.version.desc())
        .limit(1))


def _frozen_refusal(plan: DevelopmentPlan, resident: Resident) -> DomainError:
    return DomainError(_(
        "Version {version} of {name}'s development plan was signed off on {date} and can no "
        "longer be changed. Start the next version to change the plan.").format(
            version=plan.version, name=_name(resident), date=format_date(plan.signed_off_at)))


def _plan(session: Session, actor: Actor, plan_id: uuid.UUID, *, draft: bool = True
          ) -> tuple[DevelopmentPlan, Resident]:
    plan = session.get(DevelopmentPlan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise NotFound(_("The development plan does not exist (any more)."))
    resident = _resident(session, actor, plan.resident_id)
    if draft and plan.signed_off_at is not None:
        raise _frozen_refusal(plan, resident)
    return plan, resident


def _goal(session: Session, actor: Actor, goal_id: uuid.UUID
          ) -> tuple[PlanGoal, DevelopmentPlan, Resident]:
    goal = session.get(PlanGoal, goal_id)
    if goal is None or goal.deleted_at is not None:
        raise NotFound(_("The goal does not exist (any more)."))
    plan, resident = _plan(session, actor, goal.plan_id)
    return goal, plan, resident


def _writer(actor: Actor) -> None:
    require(actor, Permission.VIEW_RESIDENTS)


def _view(session: Session, plan: DevelopmentPlan, resident: Resident) -> PlanView:
    goals = list(session.scalars(_live(select(PlanGoal), PlanGoal).where(
        PlanGoal.plan_id == plan.id).order_by(PlanGoal.position, PlanGoal.title)))
    ids = [g.id for g in goals]
    actions: dict[uuid.UUID, list[ActionView]] = {}
    reviews: dict[uuid.UUID, list[ReviewView]] = {}
    if ids:
        for a in session.scalars(_live(select(PlanAction), PlanAction).where(
                PlanAction.goal_id.in_(ids)).order_by(PlanAction.due_on.is_(None),
                                                      PlanAction.due_on, PlanAction.action)):
            actions.setdefault(a.goal_id, []).append(ActionView(
                a.id, a.goal_id, a.action, a.responsible, a.due_on, a.status))
        for r in session.scalars(_live(select(PlanReview), PlanReview).where(
                PlanReview.goal_id.in_(ids)).order_by(PlanReview.reviewed_on)):
            reviews.setdefault(r.goal_id, []).append(ReviewView(
                r.id, r.goal_id, r.reviewed_on, r.what_happened, r.residents_words,
                r.next_steps, r.next_review_on))
    signer = session.get(Staff, plan.signed_off_by) if plan.signed_off_by else None
    return PlanView(
        plan.id, _header(resident), plan.version, plan.based_on_id, plan.made_with_resident_on,
        bool(plan.interpreter_used), plan.language, plan.signed_off_at,
        signer.full_name if signer else None,
        tuple(GoalView(g.id, g.area, g.title, g.description, g.position,
                       tuple(actions.get(g.id, ())), tuple(reviews.get(g.id, ())))
              for g in goals))


# -- reading ----------------------------------------------------------------------------------

def current_plan(db: Database, actor: Actor, resident_id: uuid.UUID) -> PlanView | None:
    """The resident's draft, or else the latest signed-off version, with goals, actions and
    reviews; None when no plan is started. Audited."""
    _writer(actor)
    with db.unit(actor) as session:
        resident = _resident(session, actor, resident_id)
        plan = _latest_plan(session, resident.id)
        audit_entry(session, "read", "development_plan", resident.id,
                    changes={"person_id": resident.person_id,
                             "version": plan.version if plan else None},
                    summary="development plan")
        return _view(session, plan, resident) if plan is not None else None


def plan_versions(db: Database, actor: Actor, resident_id: uuid.UUID
                  ) -> list[tuple[int, datetime | None]]:
    """(version, signed off at) of every version, newest first (no content: not audited)."""
    _writer(actor)
    with db.read() as session:
        resident = _resident(session, actor, resident_id)
        return [tuple(row) for row in session.execute(_live(select(
            DevelopmentPlan.version, DevelopmentPlan.signed_off_at), DevelopmentPlan).where(
            DevelopmentPlan.resident_id == resident.id)
            .order_by(DevelopmentPlan.version.desc()))]


# -- writing the plan -------------------------------------------------------------------------

def start_plan(db: Database, actor: Actor, resident_id: uuid.UUID) -> PlanView:
    """Start version 1, or the next version from the latest signed-off one (its goals and open
    actions are copied; its reviews stay with it). Refused while a draft exists."""
    _writer(actor)
    with db.unit(actor) as session:
        resident = _resident(session, actor, resident_id)
        latest = _latest_plan(session, resident.id)
        if latest is not None and latest.signed_off_at is None:
            raise DomainError(_(
                "{name} already has a draft development plan (version {version}): finish and "
                "sign it off first.").format(name=_name(resident), version=latest.version))
        plan = DevelopmentPlan(resident_id=resident.id,
                               version=(latest.version + 1) if latest else 1,
                               based_on_id=latest.id if latest else None,
                               interpreter_used=False)
        session.add(plan)
        session.flush()
        if latest is not None:
            for goal in session.scalars(_live(select(PlanGoal), PlanGoal).where(
                    PlanGoal.plan_id == latest.id).order_by(PlanGoal.position)):
                copy = PlanGoal(plan_id=plan.id, area=goal.area, title=goal.title,
                                description=goal.description, position=goal.position)
                session.add(copy)
                session.flush()
                for action in session.scalars(_live(select(PlanAction), PlanAction).where(
                        PlanAction.goal_id == goal.id, PlanAction.status.in_(OPEN_STATUSES))):
                    session.add(PlanAction(goal_id=copy.id, action=action.action,
                                           responsible=action.responsible,
                                           due_on=action.due_on, status=action.status))
            session.flush()
        return _view(session, plan, resident)


def _goal_problems(area: str, title: str) -> dict[str, str]:
    problems = {}
    if area not in PLAN_AREAS:
        problems["area"] = _("Choose the area of the goal ({areas}).").format(
            areas=", ".join(label(PLAN_AREA_LABELS, a) for a in PLAN_AREAS))
    if not title:
        problems["title"] = _("Write the goal.")
    elif len(title) > MAX_TITLE:
        problems["title"] = _("The goal is {length} characters long; it may be at most "
                              "{most}: put the rest in the description.").format(
                                  length=len(title), most=MAX_TITLE)
    return problems


def add_goal(db: Database, actor: Actor, plan_id: uuid.UUID, *, area: str, title: str,
             description: str = "") -> GoalView:
    _writer(actor)
    title, description = title.strip(), (description or "").strip()
    with db.unit(actor) as session:
        plan, resident = _plan(session, actor, plan_id)
        if problems := _goal_problems(area, title):
            raise ValidationError(problems)
        position = session.scalar(select(func.coalesce(func.max(PlanGoal.position), -1)).where(
            PlanGoal.plan_id == plan.id, PlanGoal.deleted_at.is_(None))) + 1
        goal = PlanGoal(plan_id=plan.id, area=area, title=title,
                        description=description or None, position=position)
        session.add(goal)
        session.flush()
        return GoalView(goal.id, area, title, goal.description, position, (), ())


def edit_goal(db: Database, actor: Actor, goal_id: uuid.UUID, *, area: str, title: str,
              description: str = "") -> None:
    _writer(actor)
    title, description = title.strip(), (description or "").strip()
    with db.unit(actor) as session:
        goal, _plan_row, _resident_row = _goal(session, actor, goal_id)
        if problems := _goal_problems(area, title):
            raise ValidationError(problems)
        goal.area, goal.title, goal.description = area, title, description or None


def remove_goal(db: Database, actor: Actor, goal_id: uuid.UUID, *,
                now: datetime | None = None) -> None:
    """Soft-delete a goal of a draft with its actions and reviews."""
    _writer(actor)
    now = now or utcnow()
    with db.unit(actor) as session:
        goal, _plan_row, _resident_row = _goal(session, actor, goal_id)
        goal.deleted_at = now
        for model in (PlanAction, PlanReview):
            for row in session.scalars(_live(select(model), model).where(
                    model.goal_id == goal.id)):
                row.deleted_at = now


def _action_problems(action: str, responsible: str, status: str) -> dict[str, str]:
    problems = {}
    if not action:
        problems["action"] = _("Write what is to be done.")
    if len(responsible) > MAX_RESPONSIBLE:
        problems["responsible"] = _("Who is responsible: at most {most} characters.").format(
            most=MAX_RESPONSIBLE)
    if status not in ACTION_STATUSES:
        problems["status"] = _("Unknown status {status}.").format(status=status)
    return problems


def add_action(db: Database, actor: Actor, goal_id: uuid.UUID, *, action: str,
               responsible: str = "", due_on: date | None = None,
               status: str = "planned") -> ActionView:
    _writer(actor)
    action, responsible = action.strip(), (responsible or "").strip()
    with db.unit(actor) as session:
        goal, _plan_row, _resident_row = _goal(session, actor, goal_id)
        if problems := _action_problems(action, responsible, status):
            raise ValidationError(problems)
        row = PlanAction(goal_id=goal.id, action=action, responsible=responsible or None,
                         due_on=due_on, status=status)
        session.add(row)
        session.flush()
        return ActionView(row.id, goal.id, action, row.responsible, due_on, status)


def update_action(db: Database, actor: Actor, action_id: uuid.UUID, *,
                  action: str | None = None, responsible: str | None = None,
                  due_on: date | None = None, status: str | None = None) -> ActionView:
    """Change an action of a draft (arguments left None stay as they are)."""
    _writer(actor)
    with db.unit(actor) as session:
        row = session.get(PlanAction, action_id)
        if row is None or row.deleted_at is not None:
            raise NotFound(_("The action does not exist (any more)."))
        _goal(session, actor, row.goal_id)
        new_action = row.action if action is None else action.strip()
        new_responsible = (row.responsible or "") if responsible is None else responsible.strip()
        new_status = row.status if status is None else status
        if problems := _action_problems(new_action, new_responsible, new_status):
            raise ValidationError(problems)
        row.action, row.responsible, row.status = new_action, new_responsible or None, new_status
        if due_on is not None:
            row.due_on = due_on
        return ActionView(row.id, row.goal_id, row.action, row.responsible, row.due_on,
                          row.status)


def add_review(db: Database, actor: Actor, goal_id: uuid.UUID, *, reviewed_on: date,
               what_happened: str, residents_words: str = "", next_steps: str = "",
               next_review_on: date | None = None, today: date | None = None) -> ReviewView:
    _writer(actor)
    today = today or local_today()
    what_happened = what_happened.strip()
    residents_words, next_steps = (residents_words or "").strip(), (next_steps or "").strip()
    with db.unit(actor) as session:
        goal, _plan_row, _resident_row = _goal(session, actor, goal_id)
        problems = {}
        if not what_happened:
            problems["what_happened"] = _("Write what happened since the goal was set or last "
                                          "reviewed.")
        if reviewed_on > today:
            problems["reviewed_on"] = _("The review date {date} is in the future.").format(
                date=format_date(reviewed_on))
        if next_review_on is not None and next_review_on <= reviewed_on:
            problems["next_review_on"] = _("The next review ({next}) must come after this one "
                                           "({date}).").format(next=format_date(next_review_on),
                                                               date=format_date(reviewed_on))
        if problems:
            raise ValidationError(problems)
        row = PlanReview(goal_id=goal.id, reviewed_on=reviewed_on, what_happened=what_happened,
                         residents_words=residents_words or None, next_steps=next_steps or None,
                         next_review_on=next_review_on)
        session.add(row)
        session.flush()
        return ReviewView(row.id, goal.id, reviewed_on, what_happened, row.residents_words,
                          row.next_steps, next_review_on)


def record_made_with_resident(db: Database, actor: Actor, plan_id: uuid.UUID, *, on: date,
                              interpreter_used: bool, language: str = "",
                              today: date | None = None) -> None:
    """Record that the plan was made together with the resident: when, whether with an
    interpreter, in which language."""
    _writer(actor)
    today = today or local_today()
    language = (language or "").strip()
    with db.unit(actor) as session:
        plan, resident = _plan(session, actor, plan_id)
        problems = {}
        if on > today:
            problems["made_with_resident_on"] = _("The date {date} is in the future.").format(
                date=format_date(on))
        elif on < resident.arrival_date:
            problems["made_with_resident_on"] = _(
                "The date {date} is before {name} arrived ({arrival}).").format(
                    date=format_date(on), name=_name(resident),
                    arrival=format_date(resident.arrival_date))
        if interpreter_used and not language:
            problems["language"] = _("Write the language the interpreter used.")
        if len(language) > MAX_LANGUAGE:
            problems["language"] = _("The language: at most {most} characters.").format(
                most=MAX_LANGUAGE)
        if problems:
            raise ValidationError(problems)
        plan.made_with_resident_on, plan.interpreter_used = on, interpreter_used
        plan.language = language or None


def sign_off(db: Database, actor: Actor, plan_id: uuid.UUID, *,
             now: datetime | None = None) -> PlanView:
    """Sign off (freeze) a draft: it needs at least one goal and the date it was made
    together with the resident."""
    _writer(actor)
    now = now or utcnow()
    with db.unit(actor) as session:
        plan, resident = _plan(session, actor, plan_id)
        problems = {}
        goals = session.scalar(select(func.count()).select_from(PlanGoal).where(
            PlanGoal.plan_id == plan.id, PlanGoal.deleted_at.is_(None)))
        if not goals:
            problems["goals"] = _("Add at least one goal before signing off the plan.")
        if plan.made_with_resident_on is None:
            problems["made_with_resident_on"] = _(
                "Record when the plan was made together with {name} before signing it "
                "off.").format(name=_name(resident))
        if problems:
            raise ValidationError(problems)
        plan.signed_off_at, plan.signed_off_by = now, actor.staff_id
        session.flush()
        return _view(session, plan, resident)


# -- reviews due ------------------------------------------------------------------------------

def reviews_due_in(session: Session, actor: Actor, today: date) -> list[ReviewDue]:
    """Reviews due by ``today`` + 7 days on the current plans of the residents the actor is a
    current contact person of: per goal, the next review date set by its latest review.
    Soonest first. Not audited: a reminder shows the area and the goal, not its review."""
    if actor.staff_id is None:
        return []
    mine = select(ContactAssignment.resident_id).where(
        ContactAssignment.staff_id == actor.staff_id, ContactAssignment.ended_on.is_(None),
        ContactAssignment.deleted_at.is_(None))
    latest_version = (select(DevelopmentPlan.resident_id,
                             func.max(DevelopmentPlan.version).label("version"))
                      .where(DevelopmentPlan.deleted_at.is_(None),
                             DevelopmentPlan.resident_id.in_(mine))
                      .group_by(DevelopmentPlan.resident_id).subquery())
    rows = session.execute(
        select(Resident.id, Resident.given_names, Resident.family_name, DevelopmentPlan.id,
               PlanGoal.id, PlanGoal.area, PlanGoal.title, PlanReview.next_review_on,
               PlanReview.reviewed_on)
        .join(DevelopmentPlan, DevelopmentPlan.resident_id == Resident.id)
        .join(latest_version, (latest_version.c.resident_id == DevelopmentPlan.resident_id)
              & (latest_version.c.version == DevelopmentPlan.version))
        .join(PlanGoal, PlanGoal.plan_id == DevelopmentPlan.id)
        .join(PlanReview, PlanReview.goal_id == PlanGoal.id)
        .where(Resident.moved_out_on.is_(None), Resident.deleted_at.is_(None),
               DevelopmentPlan.deleted_at.is_(None), PlanGoal.deleted_at.is_(None),
               PlanReview.deleted_at.is_(None))
        .order_by(PlanReview.reviewed_on, PlanReview.created_at)).all()
    latest: dict[uuid.UUID, tuple] = {}
    for row in rows:  # oldest first: the last one per goal wins
        latest[row[4]] = row
    horizon = today + REVIEW_NOTICE
    due = [ReviewDue(r[0], f"{r[1]} {r[2]}", r[3], r[4], r[5], r[6], r[7])
           for r in latest.values() if r[7] is not None and r[7] <= horizon]
    return sorted(due, key=lambda d: (d.next_review_on, d.resident_name))


def reviews_due(db: Database, actor: Actor, today: date | None = None) -> list[ReviewDue]:
    with db.read() as session:
        return reviews_due_in(session, actor, today or local_today())


# -- the social report ------------------------------------------------------------------------

def _report(session: Session, resident_id: uuid.UUID) -> SocialReport | None:
    return session.scalar(_live(select(SocialReport), SocialReport).where(
        SocialReport.resident_id == resident_id).limit(1))


def _report_view(session: Session, report: SocialReport, resident: Resident
                 ) -> SocialReportView:
    freezer = session.get(Staff, report.frozen_by) if report.frozen_by else None
    return SocialReportView(report.id, _header(resident), report.background or "",
                            report.development or "", report.schooling or "",
                            report.leisure_interests or "", report.wishes or "",
                            report.frozen_at, freezer.full_name if freezer else None)


def _audit_report(session: Session, resident: Resident, summary: str) -> None:
    audit_entry(session, "read", "social_report", resident.id,
                changes={"person_id": resident.person_id}, summary=summary)


def social_report(db: Database, actor: Actor, resident_id: uuid.UUID
                  ) -> SocialReportView | None:
    """The resident's saved social report, None if none is saved yet. Audited."""
    _writer(actor)
    with db.unit(actor) as session:
        resident = _resident(session, actor, resident_id)
        report = _report(session, resident.id)
        _audit_report(session, resident, "social report")
        return _report_view(session, report, resident) if report is not None else None


def _goal_lines(plan: PlanView | None, areas: Iterable[str]) -> list[str]:
    lines = []
    wanted = set(areas)
    for goal in plan.goals if plan else ():
        if goal.area not in wanted:
            continue
        line = _("{area}: {goal}").format(area=label(PLAN_AREA_LABELS, goal.area),
                                          goal=goal.title)
        if goal.reviews:
            last = goal.reviews[-1]
            line += " – " + _("{date}: {what}").format(date=format_date(last.reviewed_on),
                                                        what=last.what_happened)
        lines.append(line)
    return lines


def prefill_social_report(db: Database, actor: Actor, resident_id: uuid.UUID
                          ) -> SocialReportView:
    """A starting text for the five fields (nothing is saved): the current plan's goals with
    their latest review per area, the resident's own words from the reviews, and the newest
    concern-free notes about school and leisure. Audited (it reads the plan and notes)."""
    _writer(actor)
    with db.unit(actor) as session:
        resident = _resident(session, actor, resident_id)
        latest = _latest_plan(session, resident.id)
        plan = _view(session, latest, resident) if latest is not None else None
        audit_entry(session, "read", "development_plan", resident.id,
                    changes={"person_id": resident.person_id, "via": "social report"},
                    summary="social report prefill")
        notes: dict[str, list[str]] = {}
        for report_field, category in REPORT_NOTE_CATEGORIES.items():
            rows = session.execute(select(
                Observation.shift_date, Observation.text, Observation.categories).where(
                Observation.resident_id == resident.id, Observation.deleted_at.is_(None),
                Observation.concern.is_(False)).order_by(Observation.written_at.desc())
                .limit(200)).all()
            picked = [(day, text) for day, text, categories in rows
                      if category in (categories or ())][:REPORT_NOTES_PER_FIELD]
            notes[report_field] = [_("{date}: {text}").format(date=format_date(day), text=text)
                                   for day, text in reversed(picked)]
        if any(notes.values()):
            _audit_notes = sum(len(v) for v in notes.values())
            audit_entry(session, "read", "observation", resident.id,
                        changes={"person_id": resident.person_id, "notes": _audit_notes,
                                 "via": "social report"}, summary="social report prefill")
        languages = ", ".join(resident.languages or ())
        background = [_("Arrived at the centre on {date}.").format(
            date=format_date(resident.arrival_date))]
        if resident.nationality:
            background.append(_("Nationality: {nationality}.").format(
                nationality=resident.nationality))
        if languages:
            background.append(_("Languages: {languages}.").format(languages=languages))
        words = [f"“{r.residents_words}”" for g in (plan.goals if plan else ())
                 for r in g.reviews if r.residents_words]
        wishes = words[-REPORT_NOTES_PER_FIELD:]
        return SocialReportView(
            None, _header(resident), " ".join(background),
            "\n".join(_goal_lines(plan, ("wellbeing", "everyday_skills", "relatives",
                                         "language", "other"))),
            "\n".join(_goal_lines(plan, ("schooling",)) + notes["schooling"]),
            "\n".join(_goal_lines(plan, ("leisure",)) + notes["leisure_interests"]),
            "\n".join(wishes), None, None)


def _report_for_writing(session: Session, actor: Actor, resident_id: uuid.UUID
                        ) -> tuple[SocialReport | None, Resident]:
    resident = _resident(session, actor, resident_id)
    report = _report(session, resident.id)
    if report is not None and report.frozen_at is not None:
        raise DomainError(_("The social report of {name} was frozen on {date} and can no "
                            "longer be changed.").format(name=_name(resident),
                                                         date=format_date(report.frozen_at)))
    return report, resident


def save_social_report(db: Database, actor: Actor, resident_id: uuid.UUID,
                       data: SocialReportInput) -> SocialReportView:
    _writer(actor)
    values = {name: (getattr(data, name) or "").strip() for name in SOCIAL_REPORT_FIELDS}
    with db.unit(actor) as session:
        report, resident = _report_for_writing(session, actor, resident_id)
        if not any(values.values()):
            raise ValidationError({"background": _("Write at least one part of the social "
                                                   "report before saving it.")})
        if report is None:
            report = SocialReport(resident_id=resident.id)
            session.add(report)
        for name, value in values.items():
            setattr(report, name, value or None)
        session.flush()
        return _report_view(session, report, resident)


def freeze_social_report(db: Database, actor: Actor, resident_id: uuid.UUID, *,
                         now: datetime | None = None) -> SocialReportView:
    """Freeze the saved report (then it is read-only); every part must be written."""
    _writer(actor)
    now = now or utcnow()
    with db.unit(actor) as session:
        report, resident = _report_for_writing(session, actor, resident_id)
        if report is None:
            raise DomainError(_("Save the social report before freezing it."))
        labels = social_report_labels()
        problems = {name: _("Write the part “{part}” before freezing the report.").format(
            part=labels[name]) for name in SOCIAL_REPORT_FIELDS if not getattr(report, name)}
        if problems:
            raise ValidationError(problems)
        report.frozen_at, report.frozen_by = now, actor.staff_id
        session.flush()
        return _report_view(session, report, resident)


def social_report_labels() -> dict[str, str]:
    """The five parts' headings (Bilag 5 §4.4), translated."""
    return {"background": _("Background"), "development": _("Development"),
            "schooling": _("Schooling"), "leisure_interests": _("Leisure interests"),
            "wishes": _("Wishes for the future")}

