"""The demo centre's development plans: goals, action plans, reviews and versions that the
plan services can read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app import demo
from app.db import Database, open_database
from app.formatting import LOCAL_TZ
from app.models import (DevelopmentPlan, PlanAction, PlanGoal, PlanReview, Resident, Staff)
from app.services import auth, plans

TODAY = date(2026, 11, 23)
NOW = datetime.combine(TODAY, time(23, 59), tzinfo=LOCAL_TZ)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("plans") / "demo.db"
    *_progress, _result = demo.generate(path, places=24, years=1, seed=7, now=NOW)
    database = open_database(path)
    yield database
    database.close()


def _all(db: Database, model) -> list:
    with db.read() as session:
        return list(session.scalars(select(model)))


def test_plans_have_goals_actions_and_reviews(db: Database) -> None:
    plans_, goals = _all(db, DevelopmentPlan), _all(db, PlanGoal)
    actions, reviews = _all(db, PlanAction), _all(db, PlanReview)
    assert plans_ and goals and actions and reviews
    assert {p.id for p in plans_} == {g.plan_id for g in goals}  # every version has goals
    assert {g.area for g in goals} >= {"schooling", "language", "everyday_skills"}
    assert all(r.next_review_on is None or r.next_review_on > r.reviewed_on for r in reviews)
    assert all(r.reviewed_on <= TODAY for r in reviews)
    assert any(r.residents_words for r in reviews)
    assert {a.status for a in actions} >= {"planned", "in_progress", "done"}


def test_versions_follow_the_services_rules(db: Database) -> None:
    by_resident: dict = {}
    for plan in _all(db, DevelopmentPlan):
        by_resident.setdefault(plan.resident_id, []).append(plan)
    assert any(len(versions) >= 2 for versions in by_resident.values())
    for versions in by_resident.values():
        versions.sort(key=lambda p: p.version)
        assert [p.version for p in versions] == list(range(1, len(versions) + 1))
        # Only the latest may be a draft; every signed version was made with the resident.
        assert all(p.signed_off_at is not None for p in versions[:-1])
        assert all(p.made_with_resident_on is not None for p in versions)
        assert all(later.based_on_id == earlier.id
                   for earlier, later in zip(versions, versions[1:]))
        assert all(p.signed_off_by is not None for p in versions if p.signed_off_at)


def test_teenagers_get_everyday_skills_goals(db: Database) -> None:
    with db.read() as session:
        rows = session.execute(select(Resident.date_of_birth, DevelopmentPlan.made_with_resident_on,
                                      PlanGoal.area)
                               .join(DevelopmentPlan, DevelopmentPlan.resident_id == Resident.id)
                               .join(PlanGoal, PlanGoal.plan_id == DevelopmentPlan.id)
                               .where(DevelopmentPlan.version == 1)).all()
    skills: dict = {}
    for born, made, area in rows:
        age = made.year - born.year - ((made.month, made.day) < (born.month, born.day))
        skills.setdefault(13 <= age <= 17, set()).add(area == "everyday_skills")
    assert True in skills.get(True, set())
    assert True not in skills.get(False, set())


def test_current_residents_of_six_weeks_have_a_plan(db: Database) -> None:
    planned = {p.resident_id for p in _all(db, DevelopmentPlan)}
    current = [r for r in _all(db, Resident) if r.moved_out_on is None
               and r.arrival_date <= TODAY - timedelta(weeks=6)]
    assert current
    assert [r.id for r in current if r.id not in planned] == []


def test_current_plan_reads_a_demo_plan(db: Database) -> None:
    leader = next(s for s in _all(db, Staff) if "centre_leader" in s.roles and s.active)
    actor = auth.login(db, leader.username, demo.DEMO_PASSWORD)
    reviewed = {g.plan_id for g in _all(db, PlanGoal)
                if g.id in {r.goal_id for r in _all(db, PlanReview)}}
    latest: dict = {}
    for plan in _all(db, DevelopmentPlan):
        if plan.resident_id not in latest or plan.version > latest[plan.resident_id].version:
            latest[plan.resident_id] = plan
    plan = next(p for p in latest.values() if p.id in reviewed)
    view = plans.current_plan(db, actor, plan.resident_id)
    assert view is not None and view.id == plan.id and view.version == plan.version
    assert view.goals and any(goal.reviews for goal in view.goals)
    assert any(goal.actions for goal in view.goals)
