"""Which reports an incident requires (domain-rules §4, ``000_…`` "Indberetningspligt",
``001_…`` Bilag 5 §4.8, Bilag 10 §2.4).

The decision table, per incident kind ("minor" = a resident under 18 is the one the power
was used on or who was affected):

==============================================================  =============================
violence, threats, sexual_offence, vandalism, theft, arson      police, IN9
self_harm (serious), serious_conflict, damage_to_property       IN9
radicalisation                                                  IN8, police, PET
harassment (race, religion, gender, sexuality …)                IN8
restraint, removal, bring_back (use of force on a minor)        IN9, IN10, minor_informed,
                                                                representative_informed
search_person, search_room, confiscation, drug_test on a minor  IN10, minor_informed,
                                                                representative_informed
allowance_reduction (minor's supplementary allowance)           IN12, minor_informed,
                                                                representative_informed
refused_tasks, refused_move_order                               IN12
physical_guidance, other                                        none (logged only)
sexual_offence or self_harm involving a minor                   also municipality_notification
==============================================================  =============================

Without a minor: use of force → IN9; searches, confiscation, drug test → nothing;
allowance_reduction → IN12. Several kinds give the union. Staff may add reports but never
remove one the table requires.
"""

from __future__ import annotations

from collections.abc import Iterable

INCIDENT_KINDS = (
    "violence", "threats", "sexual_offence", "vandalism", "theft", "arson", "self_harm",
    "radicalisation", "harassment", "serious_conflict", "damage_to_property",
    "physical_guidance", "restraint", "removal", "bring_back", "search_person", "search_room",
    "confiscation", "drug_test", "refused_tasks", "refused_move_order", "allowance_reduction",
    "other",
)
REPORT_CODES = ("police", "IN8", "IN9", "IN10", "IN12", "PET", "minor_informed",
                "representative_informed", "municipality_notification")
#: Kinds that are a use of force or another power over a minor (domain-rules §4).
USE_OF_FORCE_KINDS = frozenset({"physical_guidance", "restraint", "removal", "bring_back",
                                "search_person", "search_room", "confiscation", "drug_test"})

_MINOR_TOLD = frozenset({"minor_informed", "representative_informed"})
_ALWAYS: dict[str, frozenset[str]] = {
    **{kind: frozenset({"police", "IN9"}) for kind in
       ("violence", "threats", "sexual_offence", "vandalism", "theft", "arson")},
    **{kind: frozenset({"IN9"}) for kind in
       ("self_harm", "serious_conflict", "damage_to_property")},
    "radicalisation": frozenset({"IN8", "police", "PET"}),
    "harassment": frozenset({"IN8"}),
    "refused_tasks": frozenset({"IN12"}),
    "refused_move_order": frozenset({"IN12"}),
    "physical_guidance": frozenset(),
    "other": frozenset(),
}
_WITH_MINOR: dict[str, frozenset[str]] = {
    **{kind: frozenset({"IN9", "IN10"}) | _MINOR_TOLD
       for kind in ("restraint", "removal", "bring_back")},
    **{kind: frozenset({"IN10"}) | _MINOR_TOLD
       for kind in ("search_person", "search_room", "confiscation", "drug_test")},
    "allowance_reduction": frozenset({"IN12"}) | _MINOR_TOLD,
}
_WITHOUT_MINOR: dict[str, frozenset[str]] = {
    **{kind: frozenset({"IN9"}) for kind in ("restraint", "removal", "bring_back")},
    **{kind: frozenset() for kind in ("search_person", "search_room", "confiscation",
                                      "drug_test")},
    "allowance_reduction": frozenset({"IN12"}),
}
#: With a minor involved these kinds also call for a notification to the municipality.
_MUNICIPALITY_WITH_MINOR = frozenset({"sexual_offence", "self_harm"})


def required_reports(kinds: Iterable[str], *, minor_involved: bool = True) -> set[str]:
    """The reports the incident kinds require together (the union of the table's rows).

    ``kinds`` are codes from ``INCIDENT_KINDS``; an unknown code raises ``ValueError``
    naming it. ``minor_involved`` says whether a resident under 18 is the one the power was
    used on or who was affected.
    """
    required: set[str] = set()
    for kind in kinds:
        if kind in _ALWAYS:
            required |= _ALWAYS[kind]
        elif kind in _WITH_MINOR:
            required |= (_WITH_MINOR if minor_involved else _WITHOUT_MINOR)[kind]
        else:
            raise ValueError(f"unknown incident kind {kind!r}; the kinds are: "
                             + ", ".join(INCIDENT_KINDS))
        if minor_involved and kind in _MUNICIPALITY_WITH_MINOR:
            required.add("municipality_notification")
    return required
