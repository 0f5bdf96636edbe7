"""Development plans and the social report: confidentiality, audit, versions, validation and
the printed PDFs (issue 4 items 4, 5 and 7)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdf
import pytest
from sqlalchemy import select

from app.errors import DomainError, PermissionDenied, ValidationError
from app.formatting import format_date
from app.forms.fonts import shape
from app.i18n import set_language
from app.models import AuditEntry
from app.services import forms, plans
from app.services.plans import SocialReportInput
from tests.app._notes_support import LEILA_OWN_SCRIPT, TODAY, make_kids, write


@pytest.fixture
def kids(db, people, beds):
    return make_kids(db, people, beds)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _reads(db, entity):
    with db.read() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "read", AuditEntry.entity == entity)))


def _plan_with_goal(db, actor, resident, **goal):
    plan = plans.start_plan(db, actor, resident.id)
    values = dict(area="schooling", title="Gå i skole hver dag",
                  description="Mødepligt på sprogskolen")
    values.update(goal)
    goal_view = plans.add_goal(db, actor, plan.id, **values)
    return plan, goal_view


# -- confidentiality ------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["night", "reception", "contact2_for_leila"])
def test_others_get_a_clear_refusal(db, people, kids, who):
    actor = people.contact2 if who == "contact2_for_leila" else getattr(people, who)
    with pytest.raises(PermissionDenied, match="contact persons, the social coordinator and "
                                               "the centre leader"):
        plans.current_plan(db, actor, kids.leila.id)
    with pytest.raises(PermissionDenied):
        plans.start_plan(db, actor, kids.leila.id)
    with pytest.raises(PermissionDenied):
        plans.social_report(db, actor, kids.leila.id)
    with pytest.raises(PermissionDenied):
        forms.development_plan_pdf(db, actor, kids.leila.id)
    assert _reads(db, "development_plan") == []


def test_a_refused_writer_cannot_touch_a_goal_either(db, people, kids):
    _plan, goal = _plan_with_goal(db, people.contact, kids.leila)
    with pytest.raises(PermissionDenied):
        plans.add_action(db, people.night, goal.id, action="Køb skoletaske")


@pytest.mark.parametrize("who", ["contact", "coordinator", "leader"])
def test_the_read_is_audited_when_allowed(db, people, kids, who):
    actor = getattr(people, who)
    assert plans.current_plan(db, actor, kids.leila.id) is None
    plans.start_plan(db, actor, kids.leila.id)
    view = plans.current_plan(db, actor, kids.leila.id)
    assert view.version == 1
    reads = _reads(db, "development_plan")
    assert len(reads) == 2
    assert all(r.entity_id == kids.leila.id and r.staff_id == actor.staff_id for r in reads)
    plans.social_report(db, actor, kids.leila.id)
    assert [r.entity_id for r in _reads(db, "social_report")] == [kids.leila.id]


# -- versions -------------------------------------------------------------------------------

def test_sign_off_freezes_and_the_next_version_starts_from_it(db, people, kids):
    me = people.contact
    plan, goal = _plan_with_goal(db, me, kids.ahmad)
    open_action = plans.add_action(db, me, goal.id, action="Følg Ahmad til skolen",
                                   responsible="Karen", due_on=TODAY + timedelta(days=14))
    done = plans.add_action(db, me, goal.id, action="Skaf cykel", status="in_progress")
    plans.update_action(db, me, done.id, status="done")
    plans.add_review(db, me, goal.id, reviewed_on=TODAY, what_happened="Kom hver dag",
                     residents_words="Jeg kan lide matematik", next_review_on=TODAY
                     + timedelta(days=30), today=TODAY)
    plans.record_made_with_resident(db, me, plan.id, on=TODAY, interpreter_used=True,
                                    language="Dari", today=TODAY)
    signed = plans.sign_off(db, me, plan.id)
    assert signed.is_signed_off and signed.signed_off_by == "Karen Kontakt"

    # Frozen: every change to version 1 is refused, saying why and what to do.
    frozen = "version 1 of Ahmad Karimi's development plan was signed off"
    for change in (lambda: plans.add_goal(db, me, plan.id, area="leisure", title="Fodbold"),
                   lambda: plans.edit_goal(db, me, goal.id, area="schooling", title="x"),
                   lambda: plans.remove_goal(db, me, goal.id),
                   lambda: plans.add_action(db, me, goal.id, action="x"),
                   lambda: plans.update_action(db, me, open_action.id, status="done"),
                   lambda: plans.add_review(db, me, goal.id, reviewed_on=TODAY,
                                            what_happened="x", today=TODAY),
                   lambda: plans.record_made_with_resident(db, me, plan.id, on=TODAY,
                                                           interpreter_used=False, today=TODAY),
                   lambda: plans.sign_off(db, me, plan.id)):
        with pytest.raises(DomainError, match=f"(?i){frozen}.*Start the next version"):
            change()

    second = plans.start_plan(db, me, kids.ahmad.id)
    assert (second.version, second.based_on_id) == (2, plan.id)
    assert not second.is_signed_off and second.made_with_resident_on is None
    [copied] = second.goals
    assert (copied.area, copied.title, copied.description) == (
        "schooling", "Gå i skole hver dag", "Mødepligt på sprogskolen")
    assert copied.id != goal.id
    assert [a.action for a in copied.actions] == ["Følg Ahmad til skolen"]  # open ones only
    assert copied.reviews == ()
    # The new version is the current plan; the old one is unchanged.
    assert plans.current_plan(db, me, kids.ahmad.id).id == second.id
    assert [v for v, _at in plans.plan_versions(db, me, kids.ahmad.id)] == [2, 1]
    plans.add_goal(db, me, second.id, area="leisure", title="Fodbold")
    with pytest.raises(DomainError, match="already has a draft development plan"):
        plans.start_plan(db, me, kids.ahmad.id)


def test_remove_goal_is_a_soft_delete(db, people, kids):
    plan, goal = _plan_with_goal(db, people.contact, kids.ahmad)
    plans.remove_goal(db, people.contact, goal.id)
    assert plans.current_plan(db, people.contact, kids.ahmad.id).goals == ()
    from app.models.plans import PlanGoal
    with db.read() as session:
        assert session.get(PlanGoal, goal.id).deleted_at is not None


# -- validation -----------------------------------------------------------------------------

def test_validation_messages_name_what_is_wrong(db, people, kids):
    me = people.contact
    plan = plans.start_plan(db, me, kids.ahmad.id)
    with pytest.raises(ValidationError) as error:
        plans.add_goal(db, me, plan.id, area="astrology", title="  ")
    assert set(error.value.problems) == {"area", "title"}
    assert "Write the goal." in error.value.problems["title"]
    with pytest.raises(ValidationError) as error:
        plans.sign_off(db, me, plan.id)
    assert set(error.value.problems) == {"goals", "made_with_resident_on"}
    assert "Ahmad Karimi" in error.value.problems["made_with_resident_on"]
    goal = plans.add_goal(db, me, plan.id, area="relatives", title="Ring til mor")
    with pytest.raises(ValidationError) as error:
        plans.add_action(db, me, goal.id, action="", status="maybe")
    assert set(error.value.problems) == {"action", "status"}
    with pytest.raises(ValidationError) as error:
        plans.add_review(db, me, goal.id, reviewed_on=TODAY + timedelta(days=1),
                         what_happened="", next_review_on=TODAY, today=TODAY)
    assert set(error.value.problems) == {"what_happened", "reviewed_on", "next_review_on"}
    with pytest.raises(ValidationError) as error:
        plans.record_made_with_resident(db, me, plan.id, on=date(2026, 10, 1),
                                        interpreter_used=True, today=TODAY)
    assert set(error.value.problems) == {"made_with_resident_on", "language"}
    assert "before Ahmad Karimi arrived" in error.value.problems["made_with_resident_on"]


# -- reviews due ----------------------------------------------------------------------------

def test_reviews_due_for_my_residents(db, people, kids):
    me = people.contact
    _plan, goal = _plan_with_goal(db, me, kids.ahmad)
    plans.add_review(db, me, goal.id, reviewed_on=TODAY - timedelta(days=20),
                     what_happened="Første opfølgning", next_review_on=TODAY - timedelta(days=2),
                     today=TODAY)
    _plan2, far = _plan_with_goal(db, me, kids.leila, title="Svømning", area="leisure")
    plans.add_review(db, me, far.id, reviewed_on=TODAY, what_happened="Godt",
                     next_review_on=TODAY + timedelta(days=30), today=TODAY)
    [due] = plans.reviews_due(db, me, TODAY)
    assert (due.resident_name, due.goal_title, due.overdue(TODAY)) == (
        "Ahmad Karimi", "Gå i skole hver dag", True)
    # Kurt is Ahmad's secondary contact person: he sees it too; night staff see nothing.
    assert len(plans.reviews_due(db, people.contact2, TODAY)) == 1
    assert plans.reviews_due(db, people.night, TODAY) == []
    # A newer review moves the date on.
    plans.add_review(db, me, goal.id, reviewed_on=TODAY, what_happened="Anden",
                     next_review_on=TODAY + timedelta(days=8), today=TODAY)
    assert plans.reviews_due(db, me, TODAY) == []


def test_a_due_review_is_on_the_contact_persons_today_page(db, people, kids):
    from app.queries.due import due_duties
    from tests.app._notes_support import NOW

    _plan, goal = _plan_with_goal(db, people.contact, kids.ahmad)
    plans.add_review(db, people.contact, goal.id, reviewed_on=TODAY - timedelta(days=20),
                     what_happened="Første", next_review_on=TODAY + timedelta(days=3),
                     today=TODAY)
    with db.read() as session:
        mine = [d for d in due_duties(session, NOW, people.contact) if d.kind == "plan_review"]
        night = [d for d in due_duties(session, NOW, people.night) if d.kind == "plan_review"]
        shift = [d for d in due_duties(session, NOW) if d.kind == "plan_review"]
    [duty] = mine
    assert duty.severity == "upcoming"
    assert duty.title == (f"Review of Ahmad Karimi's development plan due "
                          f"{format_date(TODAY + timedelta(days=3))}: Schooling")
    assert night == [] and shift == []


# -- social report --------------------------------------------------------------------------

def test_social_report_prefill_save_freeze(db, people, kids):
    me = people.contact
    plan, goal = _plan_with_goal(db, me, kids.ahmad)
    plans.add_review(db, me, goal.id, reviewed_on=TODAY, what_happened="Møder op hver dag",
                     residents_words="Jeg vil være læge", today=TODAY)
    write(db, me, kids.ahmad, "Fik ros af læreren", categories=("school",))
    write(db, me, kids.ahmad, "Bekymret for skolen", categories=("school",), concern=True)
    write(db, me, kids.ahmad, "Spillede fodbold", categories=("leisure",))
    prefill = plans.prefill_social_report(db, me, kids.ahmad.id)
    assert prefill.id is None
    assert "Gå i skole hver dag" in prefill.schooling and "Møder op" in prefill.schooling
    assert "Fik ros af læreren" in prefill.schooling
    assert "Bekymret" not in prefill.schooling  # concerns are not offered
    assert "Spillede fodbold" in prefill.leisure_interests
    assert "Jeg vil være læge" in prefill.wishes
    assert "Afghanistan" in prefill.background
    assert plans.social_report(db, me, kids.ahmad.id) is None  # nothing saved by a prefill

    saved = plans.save_social_report(db, me, kids.ahmad.id, prefill.as_input())
    with pytest.raises(ValidationError) as error:
        plans.freeze_social_report(db, me, kids.ahmad.id)
    assert set(error.value.problems) == {"development"}  # no goal in those areas
    data = SocialReportInput(**{**vars(saved.as_input()), "development": "Trives godt"})
    plans.save_social_report(db, me, kids.ahmad.id, data)
    frozen = plans.freeze_social_report(db, me, kids.ahmad.id)
    assert frozen.is_frozen and frozen.frozen_by == "Karen Kontakt"
    with pytest.raises(DomainError, match="was frozen on .* can no longer be changed"):
        plans.save_social_report(db, me, kids.ahmad.id, data)
    assert plans.social_report(db, me, kids.ahmad.id).development == "Trives godt"
    with pytest.raises(ValidationError):
        plans.save_social_report(db, me, kids.leila.id, SocialReportInput())


# -- printing -------------------------------------------------------------------------------

def test_plan_pdf_prints_the_goals_danish_letters_and_arabic_script(db, people, kids):
    me = people.contact
    plan, goal = _plan_with_goal(db, me, kids.leila, title="Lære at cykle på æblevej",
                                 area="everyday_skills")
    plans.add_action(db, me, goal.id, action="Øve på gården hver søndag", responsible="Karen",
                     due_on=date(2026, 12, 24))
    plans.add_review(db, me, goal.id, reviewed_on=TODAY, what_happened="Går fremad",
                     residents_words="Jeg er glad for at cykle", today=TODAY)
    plans.record_made_with_resident(db, me, plan.id, on=TODAY, interpreter_used=True,
                                    language="Arabisk", today=TODAY)
    text = _text(forms.development_plan_pdf(db, me, kids.leila.id))
    for expected in ("Development plan", "Leila Haddad", "Lære at cykle på æblevej",
                     "Øve på gården hver søndag", format_date(date(2026, 12, 24)),
                     "Jeg er glad for at cykle",
                     "Arabisk", "Draft – not signed off", "Everyday skills"):
        assert expected in text, expected
    # The name in Arabic script prints joined, right to left (as on the other forms).
    assert shape(LEILA_OWN_SCRIPT)[::-1] in text or shape(LEILA_OWN_SCRIPT) in text
    with db.read() as session:
        prints = list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "print", AuditEntry.entity == "development_plan")))
    assert [p.entity_id for p in prints] == [plan.id]

    set_language("da")
    plans.sign_off(db, me, plan.id)
    danish = _text(forms.development_plan_pdf(db, me, kids.leila.id))
    assert "Lære at cykle på æblevej" in danish
    assert format_date(date(2026, 12, 24)) in danish


def test_social_report_pdf(db, people, kids):
    me = people.contact
    plans.save_social_report(db, me, kids.leila.id, SocialReportInput(
        background="Kom fra Syrien med sin bror", development="Åben og nysgerrig",
        schooling="Går i 7. klasse", leisure_interests="Tegning", wishes="At blive sygeplejerske"))
    text = _text(forms.social_report_pdf(db, me, kids.leila.id))
    for expected in ("Social report", "Leila Haddad", "Kom fra Syrien med sin bror",
                     "Åben og nysgerrig", "At blive sygeplejerske", "Wishes for the future"):
        assert expected in text, expected
    assert shape(LEILA_OWN_SCRIPT)[::-1] in text or shape(LEILA_OWN_SCRIPT) in text
    with pytest.raises(PermissionDenied):
        forms.social_report_pdf(db, people.night, kids.leila.id)
