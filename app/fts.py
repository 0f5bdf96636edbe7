"""The local full-text index over the shift observations: SQLite FTS5, on the centre PC only.

``observation_fts`` is an *external-content* FTS5 table over ``observation.text``: it holds
only the index, the words stay in ``observation``. Triggers made by migration 0007 keep it in
step on every insert, change of text and (never expected) hard delete, for every row, deleted
or not, so FTS5's own ``rebuild`` always gives the same index; soft-deleted notes are left
out when the matches are joined to ``observation`` (``app.services.observations.search``).

The tokenizer is ``unicode61 remove_diacritics 2``: it splits and folds case for every
script (Danish æ ø å, Arabic, Cyrillic …) and lets "cafe" find "café".

The index is keyed on ``observation``'s implicit rowid, which SQLite may renumber when the
table is copied (a VACUUM, an Alembic batch migration). So ``app.db.upgrade_to_head``
rebuilds the index after every upgrade; a migration that rebuilds the ``observation`` table
must also create the triggers again (copy them from 0007). It is not a model: it never
syncs, and Alembic's autogenerate leaves its tables alone (``is_search_index_table``).
On other databases (PostgreSQL at head office) there is no index and search falls back to
``LIKE``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection

FTS_TABLE = "observation_fts"
INSERT_TRIGGER = "observation_fts_insert"
#: FTS5 keeps its index in shadow tables named after the virtual table.
_SHADOW_PREFIX = FTS_TABLE + "_"
#: Words beyond this many in one search are ignored (a pasted paragraph is not a query).
MAX_TERMS = 12
#: Words this long or longer also find the words they begin.
PREFIX_FROM = 3
#: Put around the matched words in a search result's snippet.
SNIPPET_START, SNIPPET_END = "\x02", "\x03"


def is_search_index_table(name: str | None) -> bool:
    """The FTS table and its shadow tables: not models, never compared or synced."""
    return bool(name) and (name == FTS_TABLE or name.startswith(_SHADOW_PREFIX))


def search_terms(user_text: str) -> list[str]:
    """The words of what the user typed; words without a letter or digit are dropped."""
    terms = [word for word in user_text.split() if any(ch.isalnum() for ch in word)]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def match_expression(user_text: str) -> str | None:
    """An FTS5 MATCH expression for what the user typed, or None if there is nothing to find.

    Every word becomes a quoted term and all must match; a word of ``PREFIX_FROM`` letters or
    more also finds the words it begins ("skole" finds "skolen"), a shorter one only itself
    (a prefix of one or two letters would match nearly every note). Quoting makes FTS5's
    operators and punctuation (AND, OR, NOT, NEAR, ``-``, ``^``, ``:``, ``*``, parentheses,
    quotes) plain text, so nothing a user types can break or widen the query.
    """
    terms = search_terms(user_text)
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' + ("*" if len(term) >= PREFIX_FROM
                                                             else "")
                    for term in terms)


def index_exists(connection: Connection) -> bool:
    if connection.dialect.name != "sqlite":
        return False
    return connection.scalar(text(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :name"),
        {"name": FTS_TABLE}) > 0


def rebuild(connection: Connection) -> None:
    """Re-read every note into the index (after bulk loads and schema upgrades)."""
    if index_exists(connection):
        connection.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"))


@contextmanager
def index_suspended(connection: Connection) -> Iterator[None]:
    """For bulk loads (the demo generator): new notes are not indexed one by one but all at
    once at the end, which is many times faster. Use it inside one transaction: if the load
    fails, the rollback brings the trigger back too."""
    if not index_exists(connection):
        yield
        return
    trigger = connection.scalar(text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
        {"name": INSERT_TRIGGER})
    connection.execute(text(f"DROP TRIGGER {INSERT_TRIGGER}"))
    yield
    connection.execute(text(trigger))
    rebuild(connection)
