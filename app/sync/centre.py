"""The centre's side of sync: its signing key, head office's public key, exporting sync files
and reading head office's receipts.

Keys: each installation makes its own Ed25519 signing key the first time it is needed and
keeps it in ``<database>.device-key``, encrypted (PKCS #8) with a machine secret kept outside
the database and its backups: ``$CENTREDESK_DEVICE_SECRET`` if set, else a random secret in
the user's configuration folder (``centredesk/device-secret``, readable by the user only).
A copied database, or a backup of it, therefore holds no usable key.

What is exported: every change line after the highest sequence number head office has
acknowledged (or after ``since_seq``), one change per record holding the record as it is
now, its sequence number being that of its latest change line.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from app.db import DEVICE_ID_KEY, Database, get_local_setting, set_local_setting
from app.formatting import utcnow
from app.i18n import _
from app.models import Centre, SyncChange
from app.sync import SyncError
from app.sync.envelope import verify_document, write_sync_file
from app.sync.keys import (DeviceKey, HeadOfficePublic, export_device_public,
                           load_headoffice_public)
from app.sync.payload import (FORMAT_VERSION, SCHEMA_VERSION, column_kinds, payload_chunks,
                              synced_tables)
from app.sync.readahead import prefetched

RECIPIENT_KEY = "sync.recipient"
ACKED_KEY = "sync.acked_seq"
LAST_EXPORT_KEY = "sync.last_export"          # "<iso time>|<last seq>|<file name>"
LAST_RECEIPT_KEY = "sync.last_receipt"        # "<iso time>|<acked seq>"
SCHEDULE_FOLDER_KEY = "sync.schedule_folder"
SCHEDULE_HOURS_KEY = "sync.schedule_hours"
FILE_SUFFIX = ".cdsync"
RECEIPT_KIND = "centredesk-receipt"

Progress = Callable[[int, int], None]


class ExportCancelled(SyncError):
    pass


# -- keys ------------------------------------------------------------------------------------

def _config_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "centredesk"


def device_secret() -> bytes:
    """The machine secret that encrypts this installation's signing key."""
    if os.environ.get("CENTREDESK_DEVICE_SECRET"):
        return os.environ["CENTREDESK_DEVICE_SECRET"].encode()
    path = _config_dir() / "device-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def device_key_path(db: Database) -> Path:
    if db.path is None:
        raise SyncError(_("Only a centre database file has a device key."))
    return db.path.with_name(db.path.name + ".device-key")


def device_key(db: Database) -> DeviceKey:
    """This installation's signing key, made on first use.

    A database that has sent files before but has no key file (copied to another PC, or
    restored from a backup) becomes a new installation: a new device id with a new key,
    so head office never sees two keys for one device. Head office must trust it anew.
    """
    path = device_key_path(db)
    if path.exists():
        try:
            return DeviceKey.from_encrypted_pem(path.read_bytes(), device_secret())
        except SyncError:
            raise SyncError(_(
                "This PC cannot open the database's signing key {path}: the database was "
                "probably copied from another PC. Move the key file away to give this PC a "
                "key of its own; head office must then trust the new key.").format(
                    path=path)) from None
    if get_local_setting(db, LAST_EXPORT_KEY):
        _become_new_installation(db)
    key = DeviceKey.generate()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.to_encrypted_pem(device_secret()))
    return key


def centre_code(db: Database) -> str:
    with db.read() as session:
        code = session.scalar(select(Centre.code).where(Centre.deleted_at.is_(None)))
    if not code:
        raise SyncError(_("The database has no centre yet."))
    return code


def device_public_text(db: Database) -> str:
    """This installation's public key file, for head office to trust."""
    return export_device_public(db.device_id, centre_code(db), device_key(db))


def set_recipient(db: Database, text: str) -> HeadOfficePublic:
    """Store head office's public key (``headoffice.pub``); a bad file is refused whole."""
    public = load_headoffice_public(text)
    set_local_setting(db, RECIPIENT_KEY, text)
    return public


def recipient(db: Database) -> HeadOfficePublic | None:
    text = get_local_setting(db, RECIPIENT_KEY)
    return load_headoffice_public(text) if text else None


# -- state -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SyncState:
    device_id: uuid.UUID
    centre_code: str
    device_fingerprint: str
    recipient_key_id: str | None
    acked_seq: int
    last_seq: int
    waiting: int                          # change lines not yet acknowledged
    last_export_at: datetime | None
    last_export_seq: int | None
    last_export_file: str | None
    last_receipt_at: datetime | None


def acked_seq(db: Database) -> int:
    """What head office confirmed for this installation ("<device id>|<seq>": a copy of the
    database with a new device id starts again from 0)."""
    device, _sep, seq = (get_local_setting(db, ACKED_KEY, "") or "").rpartition("|")
    return int(seq) if seq and device == str(db.device_id) else 0


def _become_new_installation(db: Database) -> None:
    set_local_setting(db, DEVICE_ID_KEY, str(uuid.uuid4()))
    db._device_id = None  # noqa: SLF001 - the cached id is now stale
    for key in (ACKED_KEY, LAST_EXPORT_KEY, LAST_RECEIPT_KEY):
        set_local_setting(db, key, "")


def state(db: Database) -> SyncState:
    acked = acked_seq(db)
    with db.read() as session:
        last = session.scalar(select(func.max(SyncChange.seq))) or 0
        waiting = session.scalar(select(func.count()).select_from(SyncChange)
                                 .where(SyncChange.seq > acked)) or 0
    export = (get_local_setting(db, LAST_EXPORT_KEY) or "").split("|")
    receipt = (get_local_setting(db, LAST_RECEIPT_KEY) or "").split("|")
    target = recipient(db)
    return SyncState(
        device_id=db.device_id, centre_code=centre_code(db),
        device_fingerprint=device_key(db).fingerprint,
        recipient_key_id=target.key_id if target else None, acked_seq=acked, last_seq=last,
        waiting=waiting,
        last_export_at=datetime.fromisoformat(export[0]) if export[0] else None,
        last_export_seq=int(export[1]) if len(export) > 1 else None,
        last_export_file=export[2] if len(export) > 2 else None,
        last_receipt_at=datetime.fromisoformat(receipt[0]) if receipt[0] else None)


# -- export ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportResult:
    path: Path
    first_seq: int
    last_seq: int
    change_count: int


def file_name(code: str, device_id: uuid.UUID, first: int, last: int) -> str:
    """Sorts in order: centre, device, then sequence range (zero-padded)."""
    return f"{code}_{device_id}_{first:012d}-{last:012d}{FILE_SUFFIX}"


def _uuid_sql(column: str) -> str:
    # Uuid columns hold 32 hex digits in SQLite; the payload has the canonical 8-4-4-4-12.
    return (f"CASE WHEN {column} IS NULL THEN NULL ELSE substr({column},1,8)||'-'||"
            f"substr({column},9,4)||'-'||substr({column},13,4)||'-'||substr({column},17,4)"
            f"||'-'||substr({column},21) END")


def _timestamp_sql(column: str) -> str:
    # "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) written as Python's datetime.isoformat() writes it.
    return (f"CASE WHEN {column} IS NULL THEN NULL "
            f"WHEN substr({column},21,6) IN ('', '000000') "
            f"THEN substr({column},1,10)||'T'||substr({column},12,8)||'+00:00' "
            f"ELSE substr({column},1,10)||'T'||substr({column},12,8)||'.'||"
            f"substr({column},21,6)||'+00:00' END")


def _value_sql(table: Any, name: str, kind: str) -> str:
    column = f't."{name}"'
    if kind == "uuid":
        return _uuid_sql(column)
    if kind == "timestamp":
        return _timestamp_sql(column)
    if kind == "bool":
        return (f"CASE WHEN {column} IS NULL THEN NULL WHEN {column} THEN json('true') "
                f"ELSE json('false') END")
    if kind == "json":
        return f"json({column})"
    if kind == "decimal":
        scale = table.c[name].type.scale or 0
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE printf('%.{scale}f', {column}) END"
    return column  # int, str, date (ISO text already)


def _entity_sql(name: str, table: Any, *, scan_table: bool) -> str:
    """One query per synced table that has SQLite build each change's JSON text: the export
    does no per-value work in Python (target: 50,000 changes/s). ``scan_table``: read the
    table in its stored order and look its changes up (most of it changed: a first export),
    instead of looking each changed record up (a few changes)."""
    kinds = column_kinds(name)
    row = "json_object(" + ", ".join(f"'{c}', {_value_sql(table, c, k)}"
                                     for c, k in kinds.items()) + ")"
    audit = name == "audit_entry"
    version = "1" if audit else "t.row_version"
    changed = _timestamp_sql("t.at" if audit else "t.updated_at")
    device = _uuid_sql("t.device_id" if audit else "t.updated_by_device")
    deleted = "0" if audit else "t.deleted_at IS NOT NULL"
    # CROSS JOIN fixes the loop order in SQLite: its left side is the outer loop.
    tables = (f'"{name}" AS t CROSS JOIN temp.export_lines AS l' if scan_table
              else f'temp.export_lines AS l CROSS JOIN "{name}" AS t')
    return (f"SELECT json_object('seq', l.seq, 'entity', '{name}', 'id', {_uuid_sql('t.id')}, "
            f"'op', CASE WHEN {deleted} THEN 'delete' ELSE 'upsert' END, "
            f"'row_version', {version}, 'base_version', max(l.first_version - 1, 0), "
            f"'changed_at', {changed}, 'device_id', {device}, 'row', {row}) "
            f"FROM {tables} ON l.entity = ? AND l.row_id = t.id")


def _collect_lines(cursor: Any, after: int, last: int) -> dict[str, int]:
    """Per changed record: its latest sequence number and the version its first change in
    the range was based on, in a temporary table; returns the count per entity."""
    cursor.execute("DROP TABLE IF EXISTS temp.export_lines")
    cursor.execute("CREATE TEMP TABLE export_lines AS SELECT entity, row_id, max(seq) AS seq, "
                   "min(row_version) AS first_version FROM sync_change "
                   "WHERE seq > ? AND seq <= ? GROUP BY entity, row_id", (after, last))
    cursor.execute("CREATE UNIQUE INDEX temp.ix_export_lines ON export_lines (entity, row_id)")
    return dict(cursor.execute("SELECT entity, count(*) FROM temp.export_lines "
                               "GROUP BY entity").fetchall())


def _change_rows(cursor: Any, counts: dict[str, int]) -> Iterator[list[tuple[str]]]:
    """Each change as its JSON text, table by table, in lists of up to 5,000."""
    for name, table in synced_tables().items():
        if not counts.get(name):
            continue
        size = cursor.execute(f'SELECT max(rowid) FROM "{name}"').fetchone()[0] or 0
        cursor.execute(_entity_sql(name, table, scan_table=counts[name] * 4 > size), (name,))
        while rows := cursor.fetchmany(5000):
            yield rows


def _changes(rows: Iterator[list[tuple[str]]], total: int, progress: Progress | None,
             cancel: threading.Event | None) -> Iterator[str]:
    done = 0
    for batch in rows:
        for (text,) in batch:
            yield text
        done += len(batch)
        if progress is not None:
            progress(done, total)
        if cancel is not None and cancel.is_set():
            raise ExportCancelled(_("The export was cancelled; no file was written."))


def export_changes(db: Database, out_dir: Path, *, since_seq: int | None = None,
                   progress: Progress | None = None, cancel: threading.Event | None = None,
                   now: datetime | None = None) -> ExportResult | None:
    """Write one sync file with every change not yet acknowledged (or after ``since_seq``)
    into ``out_dir``; ``None`` when there is nothing to export."""
    target = recipient(db)
    if target is None:
        raise SyncError(_("Head office's public key is not set: import headoffice.pub first "
                          "(centredesk sync set-recipient)."))
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        raise SyncError(_("The folder {folder} does not exist.").format(folder=out_dir))
    after = acked_seq(db) if since_seq is None else since_seq
    key = device_key(db)
    code = centre_code(db)
    now = now or utcnow()
    if not db.is_sqlite:
        raise SyncError(_("Sync files are exported from a centre's SQLite database."))
    with db.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        # One read transaction: the counts in the header and the changes are one snapshot,
        # however busy the PC is meanwhile (WAL: writers go on).
        cursor.execute("BEGIN")
        try:
            last = cursor.execute("SELECT max(seq) FROM sync_change").fetchone()[0] or 0
            if last <= after:
                return None
            counts = _collect_lines(cursor, after, last)
            total = sum(counts.values())
            meta = {"centre_code": code, "device_id": str(db.device_id),
                    "first_seq": after + 1, "last_seq": last, "schema_version": SCHEMA_VERSION,
                    "change_count": total, "created_at": now.isoformat()}
            header = {"format_version": FORMAT_VERSION, **meta}
            path = out_dir / file_name(code, db.device_id, after + 1, last)
            # SQLite builds the JSON on another core (it releases the GIL) while this
            # thread compresses, encrypts and writes
            rows = prefetched(_change_rows(cursor, counts), depth=4)
            try:
                write_sync_file(path, header,
                                payload_chunks(meta, _changes(rows, total, progress, cancel)),
                                recipient=target, device_key=key)
            finally:
                rows.close()
        finally:
            cursor.execute("ROLLBACK")
            cursor.execute("DROP TABLE IF EXISTS temp.export_lines")
            cursor.close()
    set_local_setting(db, LAST_EXPORT_KEY, f"{now.isoformat()}|{last}|{path.name}")
    return ExportResult(path, after + 1, last, total)


# -- receipts --------------------------------------------------------------------------------

def import_receipt(db: Database, doc: dict[str, Any], *, now: datetime | None = None) -> int:
    """Check head office's signed receipt and prune what it confirms. Returns the highest
    sequence number head office now holds without a gap."""
    target = recipient(db)
    if target is None:
        raise SyncError(_("Head office's public key is not set, so the receipt cannot be "
                          "checked."))
    body = verify_document(doc, target.ed25519)
    if body.get("kind") != RECEIPT_KIND:
        raise SyncError(_("This is not a Centre Desk receipt."))
    code = centre_code(db)
    if body.get("centre_code") != code:
        raise SyncError(_("The receipt is for centre {other}, not {code}.").format(
            other=body.get("centre_code"), code=code))
    devices = body.get("devices") or {}
    confirmed = devices.get(str(db.device_id))
    if not isinstance(confirmed, int):
        raise SyncError(_("The receipt says nothing about this installation: head office "
                          "has not imported a file from it yet."))
    acked = max(acked_seq(db), confirmed)
    with db.sessions.begin() as session:
        session.execute(delete(SyncChange).where(SyncChange.seq <= acked))
    set_local_setting(db, ACKED_KEY, f"{db.device_id}|{acked}")
    set_local_setting(db, LAST_RECEIPT_KEY, f"{(now or utcnow()).isoformat()}|{acked}")
    return acked
