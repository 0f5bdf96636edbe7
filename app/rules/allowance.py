"""Decisions to reduce or withhold a resident's cash allowance (domain-rules §4 and §6).

* A resident who does not carry out required tasks or does not obey a move order may
  have the cash allowance reduced or withdrawn: reported on **IN12**.
* A reduction caused by violence or threats is reported on **IN9** (the catch-all form).
* Withholding a minor's **supplementary allowance** is a power that must be registered
  and reported like the other powers (Bilag 5 §4.8): the minor and the personal
  representative are told, and the minor may give his or her view.
* Only the centre leader, or someone the leader has authorised, decides.

The daily rates are those of ``000_…`` "Kontante ydelser": basic allowance DKK 58.41 a day
(not for residents on free meals), supplement phase 1 DKK 9.75, phase 2 DKK 34.08 a day.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

#: Daily rates in DKK by allowance code.
DAILY_RATES: dict[str, Decimal] = {
    "basic": Decimal("58.41"),
    "supplement_1": Decimal("9.75"),
    "supplement_2": Decimal("34.08"),
}
ALLOWANCES = tuple(DAILY_RATES)
SUPPLEMENTS = frozenset({"supplement_1", "supplement_2"})
DECISION_KINDS = ("reduce", "withhold")
#: Why the allowance is reduced: the refusals (IN12) and violence or threats (IN9).
DECISION_GROUNDS = ("refused_tasks", "refused_move_order", "violence", "threats")
_IN9_GROUNDS = frozenset({"violence", "threats"})


def decision_reports(grounds: str, allowance: str, *, minor: bool) -> set[str]:
    """The reports an allowance decision requires (codes as ``required_reports`` uses).

    IN9 when the decision is caused by violence or threats, IN12 for a refusal of required
    tasks or of a move order. A decision on a minor's supplementary allowance is a
    registered power: the minor and the personal representative must also be told
    (``minor_informed``, ``representative_informed``). Unknown codes raise ``ValueError``
    naming them.
    """
    if grounds not in DECISION_GROUNDS:
        raise ValueError(f"unknown grounds for an allowance decision: {grounds!r}")
    if allowance not in DAILY_RATES:
        raise ValueError(f"unknown cash allowance: {allowance!r}")
    reports = {"IN9" if grounds in _IN9_GROUNDS else "IN12"}
    if minor and allowance in SUPPLEMENTS:
        reports |= {"minor_informed", "representative_informed"}
    return reports


def decision_days(period_from: date, period_to: date) -> int:
    """Days the decision covers, both ends included. ``ValueError`` if the period runs
    backwards."""
    if period_to < period_from:
        raise ValueError(f"the period ends ({period_to}) before it starts ({period_from})")
    return (period_to - period_from).days + 1


def withheld_amount(allowance: str, per_day: Decimal | None, period_from: date,
                    period_to: date) -> Decimal:
    """DKK withheld over the period: ``per_day`` (a reduction) or the whole daily rate
    (``None``: withdrawn), days counted with both ends included.

    ``ValueError`` for an unknown allowance, a negative amount, or an amount above the
    daily rate – a reduction cannot take more than the allowance is.
    """
    if allowance not in DAILY_RATES:
        raise ValueError(f"unknown cash allowance: {allowance!r}")
    rate = DAILY_RATES[allowance]
    if per_day is None:
        per_day = rate
    if isinstance(per_day, float):
        raise TypeError("give the amount as a Decimal, not a float")
    if per_day <= 0:
        raise ValueError(f"the reduction must be more than DKK 0 a day, not {per_day}")
    if per_day > rate:
        raise ValueError(f"DKK {per_day} a day is more than the {allowance} allowance "
                         f"of DKK {rate} a day")
    return (per_day * decision_days(period_from, period_to)).quantize(Decimal("0.01"))
