"""Development plans with goals, action plans and reviews, and the social report
(domain-rules §3). A signed-off plan version is frozen; the next version starts from it."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Synced

PLAN_AREAS = ("schooling", "leisure", "everyday_skills", "relatives", "wellbeing", "language",
              "other")
ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")


class DevelopmentPlan(Synced, Base):
    """One version of a resident's development plan: a draft, or signed off (frozen)."""

    __tablename__ = "development_plan"
    __table_args__ = (Index("ix_development_plan_resident", "resident_id", "version"),)

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    version: Mapped[int]
    based_on_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("development_plan.id"))
    # Made together with the resident (domain-rules §3): when, with an interpreter, language.
    made_with_resident_on: Mapped[date | None]
    interpreter_used: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(String(60))
    signed_off_at: Mapped[datetime | None]
    signed_off_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))


class PlanGoal(Synced, Base):
    __tablename__ = "plan_goal"
    __table_args__ = (Index("ix_plan_goal_plan", "plan_id"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("development_plan.id"))
    area: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)


class PlanAction(Synced, Base):
    """One line of a goal's action plan: what, who is responsible, by when, status."""

    __tablename__ = "plan_action"
    __table_args__ = (Index("ix_plan_action_goal", "goal_id"),)

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goal.id"))
    action: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(20), default="planned")


class PlanReview(Synced, Base):
    """A follow-up of a goal: what happened, the resident's own words, next steps."""

    __tablename__ = "plan_review"
    __table_args__ = (Index("ix_plan_review_goal", "goal_id"),
                      Index("ix_plan_review_next", "next_review_on"))

    goal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plan_goal.id"))
    reviewed_on: Mapped[date]
    what_happened: Mapped[str] = mapped_column(Text)
    residents_words: Mapped[str | None] = mapped_column(Text)
    next_steps: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[date | None]


class SocialReport(Synced, Base):
    """The social report (Bilag 5 §4.4), sent to the integration municipality on transfer."""

    __tablename__ = "social_report"
    __table_args__ = (Index("ix_social_report_resident", "resident_id"),)

    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("resident.id"))
    background: Mapped[str | None] = mapped_column(Text)
    development: Mapped[str | None] = mapped_column(Text)
    schooling: Mapped[str | None] = mapped_column(Text)
    leisure_interests: Mapped[str | None] = mapped_column(Text)
    wishes: Mapped[str | None] = mapped_column(Text)
    frozen_at: Mapped[datetime | None]
    frozen_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff.id"))
