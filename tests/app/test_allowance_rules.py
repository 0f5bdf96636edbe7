"""``app.rules.allowance``: which reports a cash-allowance decision needs and how much is
withheld, at the edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.rules.allowance import DAILY_RATES, decision_days, decision_reports, withheld_amount


@pytest.mark.parametrize("grounds", ["refused_tasks", "refused_move_order"])
def test_a_refusal_is_reported_on_in12(grounds):
    assert decision_reports(grounds, "basic", minor=False) == {"IN12"}


@pytest.mark.parametrize("grounds", ["violence", "threats"])
def test_violence_or_threats_behind_a_reduction_is_reported_on_in9(grounds):
    assert decision_reports(grounds, "basic", minor=True) == {"IN9"}


def test_withholding_a_minors_supplement_is_a_registered_power():
    assert decision_reports("refused_tasks", "supplement_2", minor=True) == {
        "IN12", "minor_informed", "representative_informed"}
    assert decision_reports("violence", "supplement_1", minor=True) == {
        "IN9", "minor_informed", "representative_informed"}
    # An adult's supplement, or a minor's basic allowance: the form alone.
    assert decision_reports("refused_tasks", "supplement_2", minor=False) == {"IN12"}


def test_unknown_codes_are_named():
    with pytest.raises(ValueError, match="'fighting'"):
        decision_reports("fighting", "basic", minor=True)
    with pytest.raises(ValueError, match="'pocket_money'"):
        decision_reports("threats", "pocket_money", minor=True)


def test_days_include_both_ends():
    assert decision_days(date(2026, 11, 1), date(2026, 11, 1)) == 1
    assert decision_days(date(2026, 11, 1), date(2026, 11, 14)) == 14
    with pytest.raises(ValueError, match="before it starts"):
        decision_days(date(2026, 11, 2), date(2026, 11, 1))


def test_withheld_amount_of_a_withdrawal_is_the_daily_rate_times_days():
    # 14 days of the phase 2 supplement is the DKK 477.12 of a payout (domain-rules §6).
    assert withheld_amount("supplement_2", None, date(2026, 11, 1),
                           date(2026, 11, 14)) == Decimal("477.12")
    assert withheld_amount("supplement_1", None, date(2026, 11, 1),
                           date(2026, 11, 14)) == Decimal("136.50")


def test_reduction_up_to_the_rate_and_not_beyond():
    rate = DAILY_RATES["basic"]
    assert withheld_amount("basic", rate, date(2026, 11, 1), date(2026, 11, 2)) == rate * 2
    assert withheld_amount("basic", Decimal("10"), date(2026, 11, 1),
                           date(2026, 11, 3)) == Decimal("30.00")
    with pytest.raises(ValueError, match="more than the basic allowance"):
        withheld_amount("basic", rate + Decimal("0.01"), date(2026, 11, 1), date(2026, 11, 1))
    with pytest.raises(ValueError, match="more than DKK 0"):
        withheld_amount("basic", Decimal("0"), date(2026, 11, 1), date(2026, 11, 1))
    with pytest.raises(TypeError):
        withheld_amount("basic", 10.5, date(2026, 11, 1), date(2026, 11, 1))
