"""Cash-allowance decisions (issue 5 item 5): only the centre leader or a person the leader
authorised decides; the grounds, the period, the resident's comments; the reports the
decision requires join the incident's checklist."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.errors import DomainError, PermissionDenied, ValidationError
from app.models import AllowanceDecision
from app.services import allowance, incidents
from app.services.allowance import DecisionInput
from app.services.incidents import IncidentInput
from app.services.residents import register_arrival
from tests.conftest import resident_input

HAPPENED = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)


@pytest.fixture
def refusal(db, people, beds):
    """Ahmad (16) refused to clean the kitchen three times; logged by reception."""
    ahmad = register_arrival(db, people.coordinator, resident_input(), beds[0].id,
                             primary_contact_id=people.contact.staff_id, today=date(2026, 11, 1))
    detail = incidents.log_incident(db, people.reception, IncidentInput(
        happened_at=HAPPENED, noticed_at=HAPPENED, place="Kitchen", kinds=("refused_tasks",),
        description="Ahmad refused his kitchen duty for the third time this week.",
        residents=((ahmad.id, "causing"),)), now=HAPPENED + timedelta(hours=1))
    return detail, ahmad


def _input(resident, **changes) -> DecisionInput:
    values = dict(resident_id=resident, kind="withhold", allowance="supplement_2",
                  grounds="refused_tasks", reasons="Refused kitchen duty three times after "
                  "two warnings (house rules §4).", period_from=date(2026, 11, 23),
                  period_to=date(2026, 12, 6), decided_on=TODAY)
    values.update(changes)
    return DecisionInput(**values)


@pytest.mark.parametrize("who", ["night", "reception", "coordinator", "contact"])
def test_only_the_leader_or_an_authorised_person_decides(db, people, refusal, who):
    detail, ahmad = refusal
    with pytest.raises(PermissionDenied, match="centre leader"):
        allowance.record_decision(db, getattr(people, who), detail.id, _input(ahmad.id),
                                  today=TODAY)
    with db.read() as session:
        assert session.query(AllowanceDecision).count() == 0


def test_the_leader_decides_and_the_reports_join_the_checklist(db, people, refusal):
    detail, ahmad = refusal
    view = allowance.record_decision(db, people.leader, detail.id, _input(ahmad.id),
                                     today=TODAY)
    assert view.decided_by == "Lene Leder" and view.authorised_by is None
    assert view.amount == Decimal("477.12") and view.form == "IN12"
    reports = {r.code: r for r in incidents.get_incident(db, people.leader, detail.id).reports}
    assert {"IN12", "minor_informed", "representative_informed"} <= set(reports)
    assert all(reports[c].required for c in ("IN12", "minor_informed"))


def test_an_authorised_coordinator_decides_until_the_authorisation_is_revoked(db, people,
                                                                             refusal):
    detail, ahmad = refusal
    with pytest.raises(PermissionDenied):
        allowance.authorise(db, people.coordinator, people.coordinator.staff_id)
    grant = allowance.authorise(db, people.leader, people.coordinator.staff_id, today=TODAY)
    assert allowance.may_decide(db, people.coordinator)
    with pytest.raises(DomainError, match="authorised already"):
        allowance.authorise(db, people.leader, people.coordinator.staff_id)
    view = allowance.record_decision(db, people.coordinator, detail.id, _input(ahmad.id),
                                     today=TODAY)
    assert view.decided_by == "Sofie Koordinator" and view.authorised_by == "Lene Leder"
    allowance.revoke(db, people.leader, grant.id, today=TODAY)
    assert not allowance.may_decide(db, people.coordinator)
    with pytest.raises(PermissionDenied):
        allowance.record_decision(db, people.coordinator, detail.id, _input(ahmad.id),
                                  today=TODAY)


def test_violence_behind_a_reduction_gives_in9(db, people, beds, refusal):
    detail, ahmad = refusal
    view = allowance.record_decision(db, people.leader, detail.id, _input(
        ahmad.id, grounds="violence", kind="reduce", allowance="basic", per_day="20,50"),
        today=TODAY)
    assert view.form == "IN9" and view.per_day == Decimal("20.50")
    assert view.amount == Decimal("287.00")      # 14 days
    codes = {r.code for r in incidents.get_incident(db, people.leader, detail.id).reports}
    assert "IN9" in codes and "minor_informed" not in codes   # the basic allowance


def test_bad_input_is_named_and_nothing_is_saved(db, people, refusal, beds):
    detail, ahmad = refusal
    other = register_arrival(db, people.coordinator, resident_input(person_id="99999-9"),
                             beds[1].id, today=date(2026, 11, 1))
    cases = [
        (dict(reasons="  "), "reasons"),
        (dict(period_to=date(2026, 11, 22)), "period"),
        (dict(decided_on=TODAY + timedelta(days=1)), "decided_on"),
        (dict(decided_on=date(2026, 11, 19)), "decided_on"),
        (dict(kind="reduce", allowance="basic", per_day="60"), "per_day"),
        (dict(kind="reduce", allowance="basic", per_day="ti kroner"), "per_day"),
        (dict(kind="reduce", allowance="basic", per_day=""), "per_day"),
        (dict(resident_id=other.id), "resident_id"),
        (dict(grounds="rudeness"), "grounds"),
    ]
    messages = {}
    for changes, field in cases:
        with pytest.raises(ValidationError) as caught:
            allowance.record_decision(db, people.leader, detail.id,
                                      _input(ahmad.id, **changes), today=TODAY)
        assert field in caught.value.problems, changes
        messages[str(changes.get("per_day"))] = caught.value.problems.get("per_day")
    assert "more than the allowance itself" in messages["60"]
    assert "ti kroner" in messages["ti kroner"]
    with db.read() as session:
        assert session.query(AllowanceDecision).count() == 0


def test_the_residents_comments_and_cancelling(db, people, refusal):
    detail, ahmad = refusal
    view = allowance.record_decision(db, people.leader, detail.id, _input(ahmad.id),
                                     today=TODAY)
    with pytest.raises(ValidationError):
        allowance.record_resident_comments(db, people.contact, view.id, told_on=TODAY,
                                           comments=None, declined=False, today=TODAY)
    view = allowance.record_resident_comments(
        db, people.contact, view.id, told_on=TODAY, comments="أنا آسف. I will do it.",
        declined=False, today=TODAY)
    assert view.resident_comments == "أنا آسف. I will do it."
    with pytest.raises(PermissionDenied):
        allowance.cancel_decision(db, people.contact, view.id, reason="Appeal")
    view = allowance.cancel_decision(db, people.leader, view.id, reason="Appeal upheld",
                                     today=TODAY)
    assert view.cancelled_on == TODAY
    assert [d.id for d in allowance.decisions_for_incident(db, people.leader, detail.id)] == [
        view.id]


def test_in12_prints_the_recorded_decision(db, people, refusal):
    import io

    import pypdf

    from app.services.forms import incident_form_pdf

    detail, ahmad = refusal
    blank = incident_form_pdf(db, people.leader, detail.id, "IN12")
    text = " ".join(" ".join(p.extract_text().split())
                    for p in pypdf.PdfReader(io.BytesIO(blank)).pages)
    assert "fill in by hand" in text
    view = allowance.record_decision(db, people.leader, detail.id, _input(ahmad.id),
                                     today=TODAY)
    allowance.record_resident_comments(db, people.contact, view.id, told_on=TODAY,
                                       comments="Jeg gør det i morgen, undskyld.",
                                       declined=False, today=TODAY)
    pdf = incident_form_pdf(db, people.leader, detail.id, "IN12")
    text = " ".join(" ".join(p.extract_text().split())
                    for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Refused kitchen duty three times" in text
    assert "Jeg gør det i morgen, undskyld." in text
    assert "Lene Leder" in text and "477.12" in text
    assert "fill in by hand" not in text
