"""Shared fixtures. Qt runs offscreen; every test gets its own upgraded SQLite file."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.db import Database, open_database
from app.i18n import set_language
from app.services import auth, centre, rooms, staff
from app.services.residents import ResidentInput
from app.unit_of_work import Actor

PASSWORD = "password-123"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Tests assert on English messages unless they switch language themselves."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _device_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Device signing keys are encrypted with a machine secret: never the tester's own."""
    monkeypatch.setenv("CENTREDESK_DEVICE_SECRET", "test-device-secret")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "centre.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    centre.initialise_centre(database, centre_name="Børnecenter Test", centre_code="TEST",
                             admin_username="admin", admin_full_name="Ada Admin",
                             admin_password=PASSWORD)
    yield database
    database.close()


@pytest.fixture
def admin(db: Database) -> Actor:
    return auth.login(db, "admin", PASSWORD)


@dataclasses.dataclass
class Staffing:
    """One logged-in actor per role, plus two contact persons."""

    admin: Actor
    leader: Actor
    coordinator: Actor
    reception: Actor
    night: Actor
    contact: Actor
    contact2: Actor


@pytest.fixture
def people(db: Database, admin: Actor) -> Staffing:
    def make(username: str, name: str, roles: list[str]) -> Actor:
        staff.create_staff(db, admin, username=username, full_name=name, password=PASSWORD,
                           roles=roles)
        return auth.login(db, username, PASSWORD)

    return Staffing(
        admin=admin,
        leader=make("leader", "Lene Leder", ["centre_leader"]),
        coordinator=make("coord", "Sofie Koordinator", ["social_coordinator"]),
        reception=make("reception", "Rasmus Reception", ["reception"]),
        night=make("night", "Nina Nattevagt", ["night_staff"]),
        contact=make("karen", "Karen Kontakt", ["contact_person"]),
        contact2=make("kurt", "Kurt Kontakt", ["contact_person"]),
    )


@pytest.fixture
def beds(db: Database, admin: Actor) -> list:
    """Two rooms with two beds each: 101/A, 101/B, 102/A, 102/B."""
    return (rooms.create_room(db, admin, "101", ["A", "B"])
            + rooms.create_room(db, admin, "102", ["A", "B"], section="street_oriented"))


def resident_input(**overrides: object) -> ResidentInput:
    values: dict[str, object] = dict(
        person_id="12345-6", given_names="Ahmad", family_name="Karimi",
        date_of_birth=date(2010, 5, 1), sex="male", nationality="Afghanistan",
        arrival_date=date(2026, 11, 1), name_in_own_script="احمد کریمی", languages=("Dari",),
        representative_name="Rikke Repræsentant", representative_phone="+45 12 34 56 78",
        representative_email="rikke@example.dk")
    values.update(overrides)
    return ResidentInput(**values)  # type: ignore[arg-type]
