"""Fixtures of the core tests."""

from __future__ import annotations

import importlib.util
import itertools
from collections.abc import Iterator

import pytest

from tests.postgres import PostgresServer, PostgresUnavailable

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on loopback for the whole test session.

    Missing PostgreSQL is a failure, not a skip: CI must run these tests.
    """
    if importlib.util.find_spec("psycopg") is None:
        pytest.fail("the PostgreSQL driver is missing: pip install 'psycopg[binary]>=3.1' "
                    "(it is in the dev extras)", pytrace=False)
    problem = None
    try:
        server = PostgresServer()
    except PostgresUnavailable as exc:
        problem = str(exc)
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh, empty database on the session's PostgreSQL server."""
    return postgres_server.create_database(f"centredesk_test_{next(_database_numbers)}")
