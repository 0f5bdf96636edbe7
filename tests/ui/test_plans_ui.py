"""The development plan and social report tabs: creating a plan with goals and actions,
freezing it and starting version 2 (issue 4 acceptance criterion)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from app.services import plans
from tests.app._notes_support import make_kids
from ui.notes.plans import PlansTab, SocialReportTab


@pytest.fixture
def kids(db, people, beds):
    return make_kids(db, people, beds)


def _goal(tab, area, title, description=""):
    dialog = tab.add_goal()
    dialog.area.setCurrentIndex(dialog.area.findData(area))
    dialog.title.setText(title)
    dialog.description.setPlainText(description)
    assert dialog.save(), dialog.general_error.text()


def _action(tab, text, responsible):
    dialog = tab.add_action()
    dialog.action.setPlainText(text)
    dialog.responsible.setText(responsible)
    dialog.due_on.setDate(QDate(2026, 12, 15))
    assert dialog.save(), dialog.general_error.text()


def test_create_a_plan_freeze_it_and_start_version_2(qtbot, make_ctx, people, kids, db):
    tab = PlansTab(make_ctx(people.contact))
    qtbot.addWidget(tab)
    tab.show_resident(kids.ahmad.id)
    assert "No development plan yet" in tab.view.toPlainText()
    assert not tab.goal_button.isEnabled()
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.plan is not None and tab.plan.version == 1

    # A goal without a title is refused under its field.
    dialog = tab.add_goal()
    assert not dialog.save()
    assert "Write the goal." in dialog.errors.labels["title"].text()
    dialog.reject()

    _goal(tab, "schooling", "Gå i skole hver dag", "Sprogskolen på Nørregade")
    _goal(tab, "everyday_skills", "Lave mad én gang om ugen")
    tab.goal_pick.setCurrentIndex(0)
    _action(tab, "Følg Ahmad til skolen den første uge", "Karen")
    tab.goal_pick.setCurrentIndex(1)
    _action(tab, "Handle ind sammen", "Kurt")
    assert [len(g.actions) for g in tab.plan.goals] == [1, 1]
    assert "Følg Ahmad til skolen" in tab.view.toPlainText()

    review = tab.add_review()
    review.reviewed_on.setDate(QDate(2026, 11, 20))
    review.what_happened.setPlainText("Har lavet pasta to gange")
    review.residents_words.setPlainText("Det er sjovt")
    assert review.save(), review.general_error.text()

    # Signing off needs the made-with-resident record: the refusal says so.
    assert not tab.sign_off()
    assert "together with Ahmad Karimi" in tab.error.text()
    made = tab.record_made_with_resident()
    made.on.setDate(QDate(2026, 11, 20))
    made.interpreter.setChecked(True)
    made.language.setText("Dari")
    assert made.save(), made.general_error.text()
    qtbot.mouseClick(tab.sign_button, Qt.MouseButton.LeftButton)
    assert tab.plan.is_signed_off
    assert "Signed off" in tab.view.toPlainText()
    # Frozen: the editing buttons are off; the plan can be printed; version 2 can start.
    assert not tab.goal_button.isEnabled() and not tab.action_button.isEnabled()
    assert tab.print_button.isEnabled()
    assert tab.start_button.text() == "Start next version"

    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.plan.version == 2 and not tab.plan.is_signed_off
    assert [g.title for g in tab.plan.goals] == ["Gå i skole hver dag",
                                                  "Lave mad én gang om ugen"]
    assert tab.plan.goals[0].actions[0].action == "Følg Ahmad til skolen den første uge"
    assert all(g.reviews == () for g in tab.plan.goals)
    assert "version 2" in tab.view.toPlainText()
    assert tab.goal_button.isEnabled()
    versions = plans.plan_versions(db, people.contact, kids.ahmad.id)
    assert [v for v, _at in versions] == [2, 1] and versions[1][1] is not None


def test_night_staff_see_the_refusal(qtbot, make_ctx, people, kids):
    tab = PlansTab(make_ctx(people.night))
    qtbot.addWidget(tab)
    tab.show_resident(kids.ahmad.id)
    assert "confidential" in tab.error.text()
    assert not tab.start_button.isEnabled()
    report = SocialReportTab(make_ctx(people.night))
    qtbot.addWidget(report)
    report.show_resident(kids.ahmad.id)
    assert "confidential" in report.error.text()


def test_social_report_prefill_edit_save_freeze(qtbot, make_ctx, people, kids, db):
    me = people.contact
    plan = plans.start_plan(db, me, kids.ahmad.id)
    goal = plans.add_goal(db, me, plan.id, area="leisure", title="Spille fodbold i klubben")
    plans.add_review(db, me, goal.id, reviewed_on=date(2026, 11, 20), what_happened="Træner",
                     residents_words="Jeg vil være fodboldspiller", today=date(2026, 11, 20))
    tab = SocialReportTab(make_ctx(me))
    qtbot.addWidget(tab)
    tab.show_resident(kids.ahmad.id)
    assert not tab.freeze_button.isEnabled()
    assert tab.prefill()
    assert "Spille fodbold" in tab.fields["leisure_interests"].toPlainText()
    assert "fodboldspiller" in tab.fields["wishes"].toPlainText()
    assert tab.save()
    assert not tab.freeze()  # development and schooling are still empty
    assert "Development" in tab.errors.labels["development"].text()
    tab.fields["development"].setPlainText("Trives og har fået venner")
    tab.fields["schooling"].setPlainText("Går på sprogskolen")
    assert tab.freeze()
    assert tab.report.is_frozen and tab.fields["wishes"].isReadOnly()
    assert not tab.save_button.isEnabled() and tab.print_button.isEnabled()
    assert "Frozen" in tab.state.text()

