"""The Today page shows a contact person's own duties too (issue 4): plan reviews that are
due for their residents; a colleague does not see them."""

from __future__ import annotations

from datetime import timedelta

from app.formatting import local_today
from app.services import plans, residents
from tests.conftest import resident_input


def test_a_due_plan_review_is_on_the_contact_persons_today_page_only(qtbot, db, people, beds,
                                                                       make_window):
    today = local_today()
    ahmad = residents.register_arrival(
        db, people.coordinator, resident_input(arrival_date=today - timedelta(days=60)),
        beds[0].id, primary_contact_id=people.contact.staff_id, today=today)
    plan = plans.start_plan(db, people.contact, ahmad.id)
    goal = plans.add_goal(db, people.contact, plan.id, area="schooling", title="Dansk i skolen")
    plans.add_review(db, people.contact, goal.id, reviewed_on=today - timedelta(days=1),
                     what_happened="Går i skole hver dag.",
                     next_review_on=today + timedelta(days=2), today=today)

    def titles(actor):
        page = make_window(actor).go("today")
        page.refresh()
        return [page.tree.topLevelItem(i).text(2) for i in range(page.tree.topLevelItemCount())]

    mine = [t for t in titles(people.contact) if "development plan" in t]
    assert len(mine) == 1 and "Ahmad Karimi" in mine[0] and "Schooling" in mine[0]
    assert not [t for t in titles(people.contact2) if "development plan" in t]
