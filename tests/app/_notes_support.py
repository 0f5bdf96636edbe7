"""Residents and notes the observation, caseload and confidentiality tests share.

Ahmad: Karen Kontakt primary, Kurt Kontakt secondary. Omar: Kurt primary, no secondary.
Leila (her name in Arabic script): Karen secondary, no primary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.services.observations import ObservationInput, write_observations
from app.services.residents import ResidentDetail, register_arrival
from tests.conftest import resident_input

ARRIVAL = date(2026, 11, 1)
#: 15:00 in Copenhagen on 20 November 2026: the end of a day shift.
NOW = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 20)
LEILA_OWN_SCRIPT = "ليلى حداد"


@dataclass
class Kids:
    ahmad: ResidentDetail
    omar: ResidentDetail
    leila: ResidentDetail


def make_kids(db, people, beds) -> Kids:
    """Register the three children (each test module wraps this in its ``kids`` fixture)."""
    ahmad = register_arrival(db, people.coordinator, resident_input(arrival_date=ARRIVAL),
                             beds[0].id, primary_contact_id=people.contact.staff_id,
                             secondary_contact_id=people.contact2.staff_id, today=TODAY)
    omar = register_arrival(db, people.coordinator, resident_input(
        person_id="44444-4", given_names="Omar", family_name="Al-Hashimi",
        date_of_birth=date(2012, 8, 9), arrival_date=ARRIVAL), beds[1].id,
        primary_contact_id=people.contact2.staff_id, today=TODAY)
    leila = register_arrival(db, people.coordinator, resident_input(
        person_id="55555-5", given_names="Leila", family_name="Haddad", sex="female",
        nationality="Syria", name_in_own_script=LEILA_OWN_SCRIPT, languages=("Arabic",),
        date_of_birth=date(2011, 2, 3), arrival_date=ARRIVAL), beds[2].id,
        secondary_contact_id=people.contact.staff_id, today=TODAY)
    return Kids(ahmad, omar, leila)


def write(db, actor, resident, text, *, now=NOW, **options):
    """One note, as the entry form saves it; returns its view."""
    return write_observations(db, actor, [ObservationInput(resident.id, text, **options)],
                              now=now)[0]
