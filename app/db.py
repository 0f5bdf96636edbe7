"""The database: engine (SQLite in WAL mode, foreign keys on, busy timeout), sessions,
units of work, and upgrading an older file to the current schema after a backup copy.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.models import LocalSetting
from app.unit_of_work import SYSTEM, Actor, before_flush

# The newest migration. tests/migrations checks it against app/migrations/versions, so the
# start-up check can compare revisions without importing Alembic (which costs start time).
HEAD_REVISION = "0008_plans"

DEVICE_ID_KEY = "device_id"


def database_url(path_or_url: str | os.PathLike[str]) -> str:
    """A SQLAlchemy URL for a file path or an URL given as is."""
    value = str(path_or_url)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _unicode_lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit that returned is on disk, so a power cut loses no saved data.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    # SQLite's own lower() folds ASCII only; searching "østergård" must find "ØSTERGÅRD"
    # (and Cyrillic, Greek …) as it does on PostgreSQL.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def create_db_engine(url: str) -> Engine:
    url_obj = make_url(url)
    if url_obj.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Database:
    """An open database with its session factory and this installation's device id."""

    def __init__(self, url: str) -> None:
        self.url = database_url(url)
        self.engine = create_db_engine(self.url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self.sessions, "before_flush", before_flush)
        self._device_id: uuid.UUID | None = None

    @property
    def path(self) -> Path | None:
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database:
            return Path(url.database)
        return None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closing it ends the transaction without expiring
        what was loaded, so results can be used after the block."""
        with self.sessions() as session:
            yield session

    @contextmanager
    def unit(self, actor: Actor = SYSTEM, *, audit: bool = True) -> Iterator[Session]:
        """One unit of work = one transaction, committed at the end or rolled back on error."""
        device_id = self.device_id
        with self.sessions.begin() as session:
            session.info.update(actor=actor, device_id=device_id, audit=audit)
            yield session

    @property
    def device_id(self) -> uuid.UUID:
        if self._device_id is None:
            self._device_id = ensure_device_id(self)
        return self._device_id


def ensure_device_id(db: Database) -> uuid.UUID:
    """This installation's stable id, created the first time the database is opened."""
    with db.sessions.begin() as session:
        setting = session.get(LocalSetting, DEVICE_ID_KEY)
        if setting is None:
            setting = LocalSetting(key=DEVICE_ID_KEY, value=str(uuid.uuid4()))
            session.add(setting)
        return uuid.UUID(setting.value)


def get_local_setting(db: Database, key: str, default: str | None = None) -> str | None:
    with db.read() as session:
        value = session.scalar(select(LocalSetting.value).where(LocalSetting.key == key))
    return default if value is None else value


def set_local_setting(db: Database, key: str, value: str) -> None:
    with db.sessions.begin() as session:
        session.merge(LocalSetting(key=key, value=value))


# --- schema version -------------------------------------------------------------------

def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        if db.is_sqlite:
            exists = conn.scalar(text(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'"))
        else:
            exists = conn.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
        if not exists:
            return None
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def alembic_config(db: Database) -> Any:
    from alembic.config import Config

    from app.paths import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return config


def backup_sqlite(db: Database, label: str) -> Path | None:
    """A consistent copy of the SQLite file next to it (WAL included); None if nothing to copy."""
    path = db.path
    if path is None or not path.exists() or path.stat().st_size == 0:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}.{stamp}.bak{path.suffix}")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def upgrade_to_head(db: Database) -> Path | None:
    """Bring the schema to the newest revision; an existing file is copied aside first.

    Returns the backup path when an upgrade of an existing database took place.
    """
    revision = current_revision(db)
    if revision == HEAD_REVISION:
        return None
    backup = backup_sqlite(db, f"before-upgrade-from-{revision or 'empty'}") if revision else None
    from alembic import command

    command.upgrade(alembic_config(db), "head")
    # A migration that copied the notes table may have renumbered the rowids the full-text
    # index is keyed on (app.fts): re-reading the notes costs little once per upgrade.
    from app import fts

    with db.engine.begin() as connection:
        fts.rebuild(connection)
    return backup


def open_database(path_or_url: str | os.PathLike[str], *, upgrade: bool = True) -> Database:
    db = Database(str(path_or_url))
    if upgrade:
        upgrade_to_head(db)
    return db
