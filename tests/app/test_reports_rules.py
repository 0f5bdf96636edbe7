"""``required_reports`` follows the decision table of domain-rules §4 exactly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.reports import INCIDENT_KINDS, REPORT_CODES, required_reports

TOLD = {"minor_informed", "representative_informed"}


@pytest.mark.parametrize("kind", ["violence", "threats", "vandalism", "theft", "arson"])
def test_crimes_go_to_the_police_and_the_agency(kind):
    assert required_reports([kind]) == {"police", "IN9"}
    assert required_reports([kind], minor_involved=False) == {"police", "IN9"}


def test_a_sexual_offence_involving_a_minor_is_also_notified_to_the_municipality():
    assert required_reports(["sexual_offence"]) == {"police", "IN9", "municipality_notification"}
    assert required_reports(["sexual_offence"], minor_involved=False) == {"police", "IN9"}


def test_serious_self_harm():
    assert required_reports(["self_harm"]) == {"IN9", "municipality_notification"}
    assert required_reports(["self_harm"], minor_involved=False) == {"IN9"}


@pytest.mark.parametrize("kind", ["serious_conflict", "damage_to_property"])
def test_serious_incidents_go_on_in9(kind):
    assert required_reports([kind]) == {"IN9"}


def test_radicalisation_concern_goes_to_the_agency_the_police_and_pet():
    assert required_reports(["radicalisation"]) == {"IN8", "police", "PET"}


def test_harassment_is_in8():
    assert required_reports(["harassment"]) == {"IN8"}


@pytest.mark.parametrize("kind", ["restraint", "removal", "bring_back"])
def test_use_of_force_on_a_minor(kind):
    assert required_reports([kind]) == {"IN9", "IN10"} | TOLD
    assert required_reports([kind], minor_involved=False) == {"IN9"}


@pytest.mark.parametrize("kind", ["search_person", "search_room", "confiscation", "drug_test"])
def test_searches_confiscation_and_drug_tests_on_a_minor(kind):
    assert required_reports([kind]) == {"IN10"} | TOLD
    assert required_reports([kind], minor_involved=False) == set()


def test_allowance_reduction():
    assert required_reports(["allowance_reduction"]) == {"IN12"} | TOLD
    assert required_reports(["allowance_reduction"], minor_involved=False) == {"IN12"}


@pytest.mark.parametrize("kind", ["refused_tasks", "refused_move_order"])
def test_refusals_are_in12(kind):
    assert required_reports([kind]) == {"IN12"}


@pytest.mark.parametrize("kind", ["physical_guidance", "other"])
def test_logged_only(kind):
    assert required_reports([kind]) == set()
    assert required_reports([kind], minor_involved=False) == set()


def test_violence_causing_an_allowance_reduction_gives_in9_and_the_decision():
    assert required_reports(["violence", "allowance_reduction"]) == (
        {"police", "IN9", "IN12"} | TOLD)


def test_restraint_during_violence_is_the_union():
    assert required_reports(["violence", "restraint"]) == {"police", "IN9", "IN10"} | TOLD


def test_no_kinds_no_reports():
    assert required_reports([]) == set()


def test_an_unknown_kind_is_named():
    with pytest.raises(ValueError, match="'fight'"):
        required_reports(["violence", "fight"])


def test_any_iterable_works():
    assert required_reports(kind for kind in ("theft",)) == {"police", "IN9"}


@given(st.lists(st.sampled_from(INCIDENT_KINDS), max_size=6), st.booleans())
def test_the_result_is_the_union_of_each_kind(kinds, minor):
    result = required_reports(kinds, minor_involved=minor)
    assert result <= set(REPORT_CODES)
    union = set().union(*(required_reports([k], minor_involved=minor) for k in kinds))
    assert result == union
