"""Cash-allowance decisions on screen (issue 5 item 5): the leader, or a person the leader
authorised, records a decision on an incident; the resident's comments; others do not get
the button (and the service refuses them anyway)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.formatting import local_today
from app.models import AllowanceDecision
from app.services import allowance, incidents, residents
from app.services.incidents import IncidentInput
from tests.conftest import resident_input
from ui.incidents.allowance import AuthorisationsDialog, CommentsDialog, DecisionDialog


@pytest.fixture
def refusal(db, people, beds):
    ahmad = residents.register_arrival(db, people.coordinator, resident_input(
        arrival_date=local_today() - timedelta(days=30),
        date_of_birth=local_today() - timedelta(days=16 * 365)), beds[0].id)
    happened = datetime.now(UTC) - timedelta(hours=3)
    return incidents.log_incident(db, people.reception, IncidentInput(
        happened_at=happened, noticed_at=happened, place="Køkkenet", kinds=("refused_tasks",),
        description="Ahmad nægtede køkkentjansen for tredje gang.",
        residents=((ahmad.id, "causing"),)))


def _log_tab(window, detail):
    page = window.go("incidents")
    page.show_incident(detail.id)
    return page.log


def test_the_leader_records_a_decision_and_the_residents_comments(qtbot, db, people, refusal,
                                                                   make_window, monkeypatch):
    tab = _log_tab(make_window(people.leader), refusal)
    assert tab.decision_button.isVisible() and tab.decision_button.isEnabled()
    assert not tab.decisions_box.isVisible()
    opened = []

    def fill(dialog):
        opened.append(dialog)
        assert dialog.grounds.currentData() == "refused_tasks"   # from the incident's kind
        for index in range(dialog.allowance.count()):
            if dialog.allowance.itemData(index) == "supplement_2":
                dialog.allowance.setCurrentIndex(index)
        for index in range(dialog.kind.count()):
            if dialog.kind.itemData(index) == "withhold":
                dialog.kind.setCurrentIndex(index)
        assert not dialog.per_day.isEnabled()
        qtbot.keyClicks(dialog.reasons, "Nægtede køkkentjansen tre gange efter to advarsler.")
        dialog.save()
        assert dialog.result(), [e.text() for e in dialog.errors.labels.values()] + [
            dialog.general_error.text()]
        return dialog.result()

    monkeypatch.setattr(DecisionDialog, "exec", fill)
    tab.decide_allowance()
    with db.read() as session:
        decision = session.query(AllowanceDecision).one()
    assert decision.kind == "withhold" and decision.allowance == "supplement_2"
    assert tab.decisions_box.isVisible() and tab.decisions.count() == 1
    assert "IN12" in [r.code for r in tab.detail.reports]

    def comment(dialog):
        qtbot.keyClicks(dialog.comments, "Jeg gør det i morgen.")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(CommentsDialog, "exec", comment)
    tab.decision_comments()
    [view] = allowance.decisions_for_incident(db, people.leader, refusal.id)
    assert view.resident_comments == "Jeg gør det i morgen."


def test_bad_input_is_named_in_the_dialog_and_nothing_is_saved(qtbot, db, people, refusal,
                                                              make_ctx):
    dialog = DecisionDialog(make_ctx(people.leader), refusal)
    qtbot.addWidget(dialog)
    for index in range(dialog.kind.count()):
        if dialog.kind.itemData(index) == "reduce":
            dialog.kind.setCurrentIndex(index)
    assert dialog.per_day.isEnabled()
    dialog.per_day.setText("100")
    dialog.save()
    assert "more than the allowance itself" in dialog.errors.labels["per_day"].text()
    assert "grounds for the decision" in dialog.errors.labels["reasons"].text()
    with db.read() as session:
        assert session.query(AllowanceDecision).count() == 0


def test_others_get_no_button_until_the_leader_authorises_them(qtbot, db, people, refusal,
                                                              make_window, make_ctx):
    assert not _log_tab(make_window(people.night), refusal).decision_button.isVisible()
    dialog = AuthorisationsDialog(make_ctx(people.leader))
    qtbot.addWidget(dialog)
    for index in range(dialog.staff.count()):
        if dialog.staff.itemData(index) == people.coordinator.staff_id:
            dialog.staff.setCurrentIndex(index)
    dialog.authorise()
    assert dialog.list.count() == 1 and "Sofie Koordinator" in dialog.list.item(0).text()
    assert _log_tab(make_window(people.coordinator), refusal).decision_button.isVisible()
    dialog.list.setCurrentRow(0)
    dialog.revoke()
    assert dialog.list.count() == 0
    assert not allowance.may_decide(db, people.coordinator)
