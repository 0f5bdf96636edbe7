"""Head office's database: a mirror of every synced table plus its own bookkeeping.

The mirror tables have the centre schema's table and column names and types, but every
column except ``id`` is nullable and there are no foreign keys (sync files arrive out of
order, and a row may reference one that has not arrived yet). Each mirror row also says
where it came from: ``sync_centre``, ``sync_device`` (the installation whose file delivered
it), ``sync_seq`` (that installation's sequence number of the change), ``sync_base`` (the
row version the change was based on) and ``sync_file`` (``ho_file.id``).

Head office's own tables: ``ho_meta`` (schema version), ``ho_device`` (trusted
installation keys), ``ho_file`` (imported files), ``ho_conflict`` (independent edits of
one record, kept for a person to review) and ``ho_lineage`` (which installation's data
another one was copied from, and when). See docs/sync-format.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.schema import CreateColumn

from app.db import create_db_engine, database_url
from app.i18n import _
from app.models.base import UTCDateTime
from app.sync import SyncError
from app.sync.payload import SCHEMA_VERSION, exported_columns, synced_tables

#: Bookkeeping columns of every mirror row (see the module docstring).
SYNC_COLUMNS = ("sync_centre", "sync_device", "sync_seq", "sync_base", "sync_file")
SCHEMA_VERSION_KEY = "schema_version"

# Mirror tables the status overview filters by centre or joins on.
_MIRROR_INDEXES = {
    "resident": [("sync_centre", "status")],
    "missing_case": [("sync_centre", "closed_at")],
    "missing_report": [("case_id",)],
    "incident": [("sync_centre",)],
    "incident_report": [("incident_id",)],
    "lost_item": [("sync_centre", "disposition")],
}


def _mirror_type(column_type: Any) -> Any:
    """The centre column's type; a bounded ``String(n)`` becomes unbounded, because SQLite
    at the centre does not enforce lengths and a file must never be refused for that."""
    if type(column_type) is String and column_type.length is not None:
        return String()
    return column_type


def _mirror_table(metadata: MetaData, source: Table) -> Table:
    columns = [Column(name, _mirror_type(source.c[name].type), primary_key=name == "id",
                      nullable=name != "id", autoincrement=False)
               for name in exported_columns(source)]
    columns += [Column("sync_centre", String(), nullable=True),
                Column("sync_device", Uuid, nullable=True),
                Column("sync_seq", BigInteger, nullable=True),
                Column("sync_base", Integer, nullable=True),
                Column("sync_file", Uuid, nullable=True)]
    table = Table(source.name, metadata, *columns)
    for number, names in enumerate(_MIRROR_INDEXES.get(source.name, ())):
        Index(f"ix_ho_{source.name}_{number}", *(table.c[n] for n in names))
    return table


def _headoffice_tables(metadata: MetaData) -> dict[str, Table]:
    meta = Table("ho_meta", metadata,
                 Column("key", String(100), primary_key=True),
                 Column("value", Text, nullable=False))
    device = Table("ho_device", metadata,
                   Column("device_id", Uuid, primary_key=True),
                   Column("centre_code", String(), nullable=False),
                   Column("public_key", String(), nullable=False),   # base64 Ed25519
                   Column("fingerprint", String(), nullable=False),
                   Column("trusted_at", UTCDateTime, nullable=False))
    file = Table("ho_file", metadata,
                 Column("id", Uuid, primary_key=True),
                 Column("sha256", String(64), nullable=False, unique=True),
                 Column("file_name", Text, nullable=False),
                 Column("device_id", Uuid, nullable=False),
                 Column("centre_code", String(), nullable=False),
                 Column("first_seq", BigInteger, nullable=False),
                 Column("last_seq", BigInteger, nullable=False),
                 Column("change_count", BigInteger, nullable=False),
                 Column("schema_version", Integer, nullable=False),
                 Column("created_at", Text, nullable=False),        # as the file says
                 Column("imported_at", UTCDateTime, nullable=False),
                 Column("applied", BigInteger, nullable=False, default=0),
                 Column("ignored", BigInteger, nullable=False, default=0),
                 Column("conflicts", BigInteger, nullable=False, default=0))
    Index("ix_ho_file_device", file.c.device_id, file.c.first_seq)
    Index("ix_ho_file_centre", file.c.centre_code, file.c.imported_at)
    conflict = Table("ho_conflict", metadata,
                     Column("id", Uuid, primary_key=True),
                     Column("centre_code", String(), nullable=False),
                     Column("entity", String(60), nullable=False),
                     Column("row_id", Uuid, nullable=False),
                     Column("detected_at", UTCDateTime, nullable=False),
                     Column("kept", JSON, nullable=False),
                     Column("other", JSON, nullable=False),
                     Column("kept_device", Uuid, nullable=False),
                     Column("kept_version", Integer, nullable=False),
                     Column("kept_changed_at", UTCDateTime, nullable=False),
                     Column("other_device", Uuid, nullable=False),
                     Column("other_version", Integer, nullable=False),
                     Column("other_changed_at", UTCDateTime, nullable=False),
                     Column("detected_in_file", Uuid, nullable=False),
                     Column("resolved_at", UTCDateTime, nullable=True))
    Index("ix_ho_conflict_row", conflict.c.entity, conflict.c.row_id)
    # The latest change time of the versions made by installation ``author`` that the files
    # of installation ``device_id`` have carried: ``device_id``'s database was copied from
    # ``author``'s data after that time (see the conflict rule in docs/sync-format.md).
    lineage = Table("ho_lineage", metadata,
                    Column("device_id", Uuid, primary_key=True),
                    Column("author", Uuid, primary_key=True),
                    Column("latest", UTCDateTime, nullable=False))
    return {"meta": meta, "device": device, "file": file, "conflict": conflict,
            "lineage": lineage}


@dataclass
class HeadOffice:
    """An open head office database. Use as a context manager or call ``close()``."""

    url: str
    engine: Engine
    metadata: MetaData
    mirrors: dict[str, Table]
    meta: Table
    device: Table
    file: Table
    conflict: Table
    lineage: Table
    _closed: bool = field(default=False, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def build_metadata() -> tuple[MetaData, dict[str, Table], dict[str, Table]]:
    """Head office's tables: (metadata, mirror tables by name, own tables by role)."""
    metadata = MetaData()
    mirrors = {name: _mirror_table(metadata, table) for name, table in synced_tables().items()}
    return metadata, mirrors, _headoffice_tables(metadata)


def open_headoffice(url_or_path: str | os.PathLike[str]) -> HeadOffice:
    """Open (and create or extend, idempotently) the head office database: a PostgreSQL URL
    (``postgresql+psycopg://…``) or the path of a SQLite file for small setups."""
    url = database_url(url_or_path)
    backend = make_url(url).get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise SyncError(_("Head office keeps its data in PostgreSQL or SQLite, not {backend}."
                          ).format(backend=backend))
    metadata, mirrors, own = build_metadata()
    engine = create_db_engine(url)
    ho = HeadOffice(url=url, engine=engine, metadata=metadata, mirrors=mirrors, **own)
    try:
        _create_or_upgrade(ho)
    except BaseException:
        ho.close()
        raise
    return ho


def _create_or_upgrade(ho: HeadOffice) -> None:
    with ho.engine.begin() as conn:
        if ho.is_postgresql:  # two processes opening a new database at once
            conn.execute(text("SELECT pg_advisory_xact_lock(4342535901)"))
        existing = set(inspect(conn).get_table_names())
        if "ho_meta" in existing:
            stored = conn.scalar(select(ho.meta.c.value).where(
                ho.meta.c.key == SCHEMA_VERSION_KEY))
            if stored is not None and int(stored) > SCHEMA_VERSION:
                raise SyncError(_(
                    "The head office database was written by a newer Centre Desk (schema "
                    "{found}; this one knows {known}): upgrade head office first.").format(
                        found=stored, known=SCHEMA_VERSION))
        ho.metadata.create_all(conn)
        # Columns the centre schema gained since the mirror was made (all nullable).
        for name, table in ho.mirrors.items():
            if name not in existing:
                continue
            present = {c["name"] for c in inspect(conn).get_columns(name)}
            for column in table.columns:
                if column.name not in present:
                    ddl = CreateColumn(column).compile(dialect=conn.dialect)
                    conn.execute(text(f"ALTER TABLE {conn.dialect.identifier_preparer.quote(name)} "
                                      f"ADD COLUMN {ddl}"))
        current = conn.scalar(select(ho.meta.c.value).where(
            ho.meta.c.key == SCHEMA_VERSION_KEY))
        if current is None:
            conn.execute(ho.meta.insert().values(key=SCHEMA_VERSION_KEY,
                                                 value=str(SCHEMA_VERSION)))
        elif int(current) < SCHEMA_VERSION:
            conn.execute(ho.meta.update().where(ho.meta.c.key == SCHEMA_VERSION_KEY)
                         .values(value=str(SCHEMA_VERSION)))
