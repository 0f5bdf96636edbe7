"""Head office's import of sync files: trusted device keys, the import itself (one
transaction per file), the sequence ranges still missing per installation, and receipts.

An import streams: the file is verified (``app.sync.envelope.open_sync_file``), then its
payload is decrypted and decompressed (read ahead in a thread), parsed and checked against
the schema a batch of lines at a time (``app.sync.ho_decode``) and applied batch by batch,
so memory stays bounded whatever the size of the file. The conflict rule and every
check are documented in docs/sync-format.md ("Payload and head-office import").
"""

from __future__ import annotations

import gc
import hashlib
import queue
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import msgspec
from sqlalchemy import Uuid, and_, any_, bindparam, func, or_, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.formatting import utcnow
from app.i18n import _, ngettext
from app.sync import SyncError, SyncFormatError
from app.sync.envelope import open_sync_file, read_header, sign_document
from app.sync.ho_decode import BATCH_BYTES, change_batches, change_types, entity_of, read_head
from app.sync.ho_schema import SYNC_COLUMNS, HeadOffice
from app.sync.keys import HeadOfficeKeys, b64decode, b64encode, load_device_public
from app.sync.payload import (
    FORMAT,
    FORMAT_VERSION,
    META_FIELDS,
    SCHEMA_VERSION,
    column_kinds,
    encode_value,
    meta_validator,
)
from app.sync.readahead import prefetched

IMPORTED = "imported"
ALREADY_IMPORTED = "already imported"
REJECTED = "rejected"
RECEIPT_KIND = "centredesk-receipt"     # as app.sync.centre.RECEIPT_KIND
RECEIPT_VERSION = 1

_IMPORT_LOCK = 4342535902               # pg_advisory_xact_lock key: one import at a time
_COLLECT_EVERY = 16                     # batches between garbage collections
_SQLITE_IN_CHUNK = 900                  # bind variables per IN (…) on SQLite
_PG_IN_CHUNK = 10000
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


def _driver_errors() -> tuple[type[BaseException], ...]:
    """Errors of the database drivers used directly (COPY runs on the psycopg cursor)."""
    errors: list[type[BaseException]] = [DBAPIError, sqlite3.Error]
    try:
        import psycopg
    except ImportError:
        pass
    else:
        errors.append(psycopg.Error)
    return tuple(errors)


def _reject(path: Path, reason: str) -> SyncFormatError:
    return SyncFormatError(_("{file}: {reason}").format(file=Path(path).name, reason=reason))


# -- trusted installations ---------------------------------------------------------------

@dataclass(frozen=True)
class TrustedDevice:
    """A centre installation whose signing key head office trusts."""

    device_id: uuid.UUID
    centre_code: str
    fingerprint: str
    trusted_at: datetime
    newly_trusted: bool = False


def trust_device(ho: HeadOffice, public_key_text: str | bytes, *,
                 now: datetime | None = None) -> TrustedDevice:
    """Register an installation's public key file (``centredesk sync device-key``).

    Trusting the same key again changes nothing; another key for a known installation, or
    the same installation for another centre, is refused: a key is never replaced.
    """
    public = load_device_public(public_key_text)
    encoded = b64encode(public.public_key)
    with ho.engine.begin() as conn:
        _lock(conn, ho)
        row = conn.execute(select(ho.device).where(
            ho.device.c.device_id == public.device_id)).first()
        if row is not None:
            if row.public_key != encoded:
                raise SyncError(_(
                    "Installation {device} of centre {code} is already trusted with another "
                    "key ({old}); the key file has {new}. A trusted key is never replaced: "
                    "an installation with a new key needs a new device id.").format(
                        device=public.device_id, code=row.centre_code, old=row.fingerprint,
                        new=public.fingerprint))
            if row.centre_code != public.centre_code:
                raise SyncError(_(
                    "Installation {device} is trusted for centre {old}, but the key file says "
                    "centre {new}.").format(device=public.device_id, old=row.centre_code,
                                            new=public.centre_code))
            return TrustedDevice(row.device_id, row.centre_code, row.fingerprint,
                                 row.trusted_at)
        at = now or utcnow()
        conn.execute(ho.device.insert().values(
            device_id=public.device_id, centre_code=public.centre_code, public_key=encoded,
            fingerprint=public.fingerprint, trusted_at=at))
    return TrustedDevice(public.device_id, public.centre_code, public.fingerprint, at,
                         newly_trusted=True)


def list_devices(ho: HeadOffice) -> list[TrustedDevice]:
    with ho.engine.connect() as conn:
        rows = conn.execute(select(ho.device).order_by(ho.device.c.centre_code,
                                                       ho.device.c.trusted_at)).all()
    return [TrustedDevice(r.device_id, r.centre_code, r.fingerprint, r.trusted_at)
            for r in rows]


# -- results -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportResult:
    """What became of one file. ``status`` is ``imported``, ``already imported`` or
    ``rejected`` (then ``reason`` says why in one line and nothing was applied)."""

    path: Path
    status: str
    reason: str = ""
    centre_code: str | None = None
    device_id: uuid.UUID | None = None
    first_seq: int | None = None
    last_seq: int | None = None
    change_count: int = 0
    applied: int = 0
    ignored: int = 0
    conflicts: int = 0
    file_id: uuid.UUID | None = None
    imported_at: datetime | None = None
    seconds: float = 0.0
    newly_trusted: bool = False
    #: The sequence ranges of this installation head office still misses, after the import.
    missing: tuple[tuple[int, int], ...] = ()

    @property
    def ok(self) -> bool:
        return self.status != REJECTED

    def describe(self) -> str:
        """One line for the operator."""
        name = self.path.name
        if self.status == REJECTED:
            return _("{file}: rejected, nothing imported: {reason}").format(
                file=name, reason=self.reason)
        if self.status == ALREADY_IMPORTED:
            when = self.imported_at.isoformat(timespec="seconds") if self.imported_at else "?"
            return _("{file}: already imported ({when}); nothing changed.").format(
                file=name, when=when)
        return _("{file}: imported {changes} from centre {code}, installation {device} "
                 "(sequence {first}–{last}): {applied} applied, {ignored} older or already "
                 "held, {conflicts}.").format(
                     file=name, code=self.centre_code, device=self.device_id,
                     changes=ngettext("{count} change", "{count} changes",
                                      self.change_count).format(count=self.change_count),
                     first=self.first_seq, last=self.last_seq, applied=self.applied,
                     ignored=self.ignored,
                     conflicts=ngettext("{count} conflict recorded",
                                        "{count} conflicts recorded",
                                        self.conflicts).format(count=self.conflicts))


def format_import_results(results: Iterable[ImportResult],
                          missing: dict[uuid.UUID, list[tuple[int, int]]] | None = None) -> str:
    """The results one line each, then the missing sequence ranges per installation."""
    lines = [result.describe() for result in results]
    for device, ranges in sorted((missing or {}).items(), key=lambda item: str(item[0])):
        if ranges:
            lines.append(_("Still missing from installation {device}: sequence {ranges}."
                           ).format(device=device, ranges=format_ranges(ranges)))
    return "\n".join(lines)


def format_ranges(ranges: Iterable[tuple[int, int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)


# -- the header --------------------------------------------------------------------------

@dataclass(frozen=True)
class _FileInfo:
    centre_code: str
    device_id: uuid.UUID
    first_seq: int
    last_seq: int
    change_count: int
    schema_version: int
    created_at: str
    header: dict[str, Any]


def _check_header(header: dict[str, Any], path: Path) -> _FileInfo:
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _reject(path, _("the header is damaged (no format_version)."))
    if version > FORMAT_VERSION:
        raise _reject(path, _("the file has format version {found}; this head office reads "
                              "version {known}: upgrade head office first.").format(
                                  found=version, known=FORMAT_VERSION))
    if version != FORMAT_VERSION:
        raise _reject(path, _("unsupported format version {found}.").format(found=version))
    schema = header.get("schema_version")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
        raise _reject(path, _("the file is from a newer Centre Desk (schema {found}); upgrade "
                              "head office first (it knows schema {known}).").format(
                                  found=schema, known=SCHEMA_VERSION))
    meta = {name: header[name] for name in META_FIELDS if name in header}
    try:
        meta_validator()(meta)
    except fastjsonschema.JsonSchemaException as error:
        raise _reject(path, _("the header is damaged ({error}).").format(
            error=_schema_message(error))) from None
    first, last, count = meta["first_seq"], meta["last_seq"], meta["change_count"]
    if last < first:
        raise _reject(path, _("the header is damaged (sequence range {first}–{last})."
                              ).format(first=first, last=last))
    if count > last - first + 1:
        raise _reject(path, _("the header is damaged ({count} changes cannot fit the sequence "
                              "range {first}–{last}).").format(count=count, first=first,
                                                              last=last))
    return _FileInfo(centre_code=meta["centre_code"], device_id=uuid.UUID(meta["device_id"]),
                     first_seq=first, last_seq=last, change_count=count,
                     schema_version=meta["schema_version"], created_at=meta["created_at"],
                     header=meta)


def _schema_message(error: Exception) -> str:
    return str(getattr(error, "message", error)).replace("data.", "", 1)


# -- checking changes --------------------------------------------------------------------

@cache
def _decimal_columns(entity: str) -> tuple[str, ...]:
    """Decimal columns travel as text (their schema pattern is checked when decoded)."""
    return tuple(name for name, kind in column_kinds(entity).items() if kind == "decimal")


def _row_dict(entity: str, row: Any) -> dict[str, Any]:
    values = msgspec.structs.asdict(row)
    for name in _decimal_columns(entity):
        if values[name] is not None:
            values[name] = Decimal(values[name])
    return values


def _row_tuple(entity: str, row: Any) -> tuple[Any, ...]:
    values = msgspec.structs.astuple(row)
    decimals = _decimal_columns(entity)
    if decimals:
        names = list(column_kinds(entity))
        values = tuple(Decimal(value) if name in decimals and value is not None else value
                       for name, value in zip(names, values, strict=True))
    return values


@dataclass(slots=True)
class _Version:
    """One version of a row: an incoming change, or what the mirror holds; uuid columns
    are ``uuid.UUID`` and timestamps aware ``datetime`` in both, so the two compare."""

    file_device: uuid.UUID | None
    seq: int
    base: int
    row_version: int
    changed_at: datetime
    author: uuid.UUID | None
    row: dict[str, Any]
    file_id: uuid.UUID | None


def _stamp(entity: str, row: dict[str, Any]) -> tuple[datetime, uuid.UUID | None, int]:
    """(changed_at, author device, row_version) of a row."""
    if entity == "audit_entry":
        changed_at, author, version = row.get("at"), row.get("device_id"), 1
    else:
        changed_at, author = row.get("updated_at"), row.get("updated_by_device")
        version = row.get("row_version") or 0
    if author is not None and not isinstance(author, uuid.UUID):
        author = uuid.UUID(author)
    return changed_at or _EPOCH, author, version


def _check_changes(run: _Run, changes: list[Any], first_number: int
                   ) -> dict[str, list[Any]]:
    """Check what the schema cannot: each change's sequence number is in the file's range
    and the change agrees with its own row. Returns the changes by entity, in file order,
    and notes the other installations whose versions the file carries (lineage)."""
    info, path, evidence = run.info, run.path, run.evidence
    first, last, device = info.first_seq, info.last_seq, info.device_id
    groups: dict[type, list[Any]] = {}
    audit = change_types()["audit_entry"]
    for number, change in enumerate(changes, first_number):
        kind = type(change)
        row = change.row
        if kind is audit:
            changed_at, author, version, deleted = row.at, row.device_id, 1, False
        else:
            changed_at, author = row.updated_at, row.updated_by_device
            version, deleted = row.row_version, row.deleted_at is not None
        seq = change.seq
        if not first <= seq <= last:
            raise _reject(path, _("change {number} has sequence number {seq}, outside the "
                                  "file's range {first}–{last}.").format(
                                      number=number, seq=seq, first=first, last=last))
        if (change.id != row.id or change.row_version != version
                or change.changed_at != changed_at or change.device_id != author
                or change.op != ("delete" if deleted else "upsert")
                or change.base_version >= version):
            raise _reject(path, _("change {number} (seq {seq}) does not agree with its row "
                                  "(id, version, time, installation or operation).").format(
                                      number=number, seq=seq))
        if author != device and author is not None:
            seen = evidence.get(author)
            if seen is None or changed_at > seen:
                evidence[author] = changed_at
        group = groups.get(kind)
        if group is None:
            group = groups[kind] = []
        group.append(change)
    return {entity_of(group[0]): group for group in groups.values()}


def _incoming(run: _Run, entity: str, change: Any) -> _Version:
    row = _row_dict(entity, change.row)
    return _Version(file_device=run.info.device_id, seq=change.seq, base=change.base_version,
                    row_version=change.row_version, changed_at=change.changed_at,
                    author=change.device_id, row=row, file_id=run.file_id)


# -- the conflict rule -------------------------------------------------------------------

def _newer(new: _Version, old: _Version) -> bool:
    """Whether ``new`` replaces ``old``. From the same installation: the higher sequence
    number (never the wall clock). From different installations: the later change time,
    then the greater author device id, then the greater delivering device id (so the order
    is total and the result does not depend on the order files arrive in)."""
    if old.file_device is None:
        return True
    if new.file_device == old.file_device:
        return new.seq > old.seq
    return ((new.changed_at, str(new.author), str(new.file_device), new.seq)
            > (old.changed_at, str(old.author), str(old.file_device), old.seq))


def _conflicting(run: _Run, new: _Version, old: _Version, under_review: bool) -> bool:
    """Whether two installations changed the record independently (docs/sync-format.md):
    delivered by different installations, made by different ones, not identical, the new
    one not based on the stored version (or the row is under review already), and neither
    known to descend from the other."""
    if new.file_device == old.file_device or new.author == old.author:
        return False   # one installation's history, or an older copy of the same edit
    if new.row == old.row:
        return False   # identical rows are not a conflict
    if not (under_review or new.base < old.row_version):
        return False
    return not (_descends(run, new, old) or _descends(run, old, new))


def _descends(run: _Run, later: _Version, earlier: _Version) -> bool:
    """``later`` was made on a database that already held ``earlier``: the files of
    ``later``'s installation have carried a version made by ``earlier``'s installation at
    or after ``earlier``'s time, so that database was copied from it afterwards."""
    seen = run.lineage_of(later.author, earlier.author)
    return seen is not None and seen >= earlier.changed_at


def _as_change(entity: str, version: _Version) -> dict[str, Any]:
    """A version in the shape of a payload change (kept in ``ho_conflict``)."""
    row = {name: encode_value(value) for name, value in version.row.items()}
    return {"seq": version.seq, "entity": entity, "id": row["id"],
            "op": "delete" if row.get("deleted_at") else "upsert",
            "row_version": version.row_version, "base_version": version.base,
            "changed_at": encode_value(version.changed_at),
            "device_id": encode_value(version.author), "row": row,
            "file_device": encode_value(version.file_device),
            "file": encode_value(version.file_id)}


def _conflict_key(kept: _Version, other: _Version) -> tuple[Any, ...]:
    return (kept.author, kept.row_version, kept.changed_at,
            other.author, other.row_version, other.changed_at)


# -- applying ----------------------------------------------------------------------------

class _NotFresh(Exception):
    """A row copied as new was in the mirror already: import the file the careful way."""


@dataclass
class _Run:
    """The state of one file's import. ``fresh``: the file's rows are taken to be new to
    head office (the installation's first file, on PostgreSQL) and are copied into the
    mirrors without looking them up; if one is not, the import starts again without."""

    ho: HeadOffice
    conn: Connection
    info: _FileInfo
    file_id: uuid.UUID
    path: Path
    now: datetime
    fresh: bool = False
    applied: int = 0
    ignored: int = 0
    conflicts: int = 0
    staged: set[str] = field(default_factory=set)
    copy_types: dict[str, list[int]] = field(default_factory=dict)
    #: (installation, author) -> latest time of the author's versions its files carried
    lineage: dict[tuple[uuid.UUID, uuid.UUID], datetime] = field(default_factory=dict)
    #: the same for this file: author -> latest time
    evidence: dict[uuid.UUID, datetime] = field(default_factory=dict)

    def lineage_of(self, device: uuid.UUID | None, author: uuid.UUID | None
                   ) -> datetime | None:
        if device is None or author is None:
            return None
        known = self.lineage.get((device, author))
        if device == self.info.device_id and author in self.evidence:
            seen = self.evidence[author]
            return seen if known is None or seen > known else known
        return known


def _chunks(values: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _id_filter(run: _Run, column: Any, ids: list[uuid.UUID]) -> Any:
    """``column`` is one of ``ids``: one array parameter on PostgreSQL (a query with
    thousands of parameters costs more to prepare than to run), ``IN`` on SQLite."""
    if run.ho.is_postgresql:
        return column == any_(bindparam("ids", ids, type_=postgresql.ARRAY(Uuid)))
    return column.in_(ids)


def _fetch_stored(run: _Run, entity: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, _Version]:
    table = run.ho.mirrors[entity]
    names = list(column_kinds(entity))
    columns = [table.c[name] for name in names]
    sync = [table.c.sync_device, table.c.sync_seq, table.c.sync_base, table.c.sync_file]
    size = _SQLITE_IN_CHUNK if run.ho.is_sqlite else _PG_IN_CHUNK
    stored = {}
    for chunk in _chunks(ids, size):
        query = select(*columns, *sync).where(_id_filter(run, table.c.id, chunk))
        for values in run.conn.execute(query):
            row = dict(zip(names, values[:len(names)], strict=True))
            device, seq, base, file_id = values[len(names):]
            changed_at, author, row_version = _stamp(entity, row)
            stored[row["id"]] = _Version(file_device=device, seq=seq or 0, base=base or 0,
                                         row_version=row_version, changed_at=changed_at,
                                         author=author, row=row, file_id=file_id)
    return stored


def _fetch_conflicts(run: _Run, entity: str, ids: list[uuid.UUID]
                     ) -> tuple[set[uuid.UUID], set[tuple[Any, ...]]]:
    """(rows under an open conflict, keys of the conflicts already recorded)."""
    table = run.ho.conflict
    size = _SQLITE_IN_CHUNK if run.ho.is_sqlite else _PG_IN_CHUNK
    open_rows: set[uuid.UUID] = set()
    known: set[tuple[Any, ...]] = set()
    for chunk in _chunks(ids, size):
        for row in run.conn.execute(select(table).where(
                table.c.entity == entity, _id_filter(run, table.c.row_id, chunk))):
            if row.resolved_at is None:
                open_rows.add(row.row_id)
            known.add((row.row_id, row.kept_device, row.kept_version, row.kept_changed_at,
                       row.other_device, row.other_version, row.other_changed_at))
    return open_rows, known


def _apply_group(run: _Run, entity: str, changes: list[Any]) -> None:
    """Apply one batch's changes of one entity, in file order (``_MirrorCopy`` does it in
    a ``fresh`` run)."""
    versions = [_incoming(run, entity, change) for change in changes]
    ids = list(dict.fromkeys(v.row["id"] for v in versions))
    stored = _fetch_stored(run, entity, ids)
    open_rows: set[uuid.UUID] = set()
    known: set[tuple[Any, ...]] = set()
    if stored:
        open_rows, known = _fetch_conflicts(run, entity, list(stored))
    winners: dict[uuid.UUID, _Version] = {}
    conflicts = []
    for new in versions:
        row_id = new.row["id"]
        old = winners.get(row_id) or stored.get(row_id)
        if old is None:
            winners[row_id] = new
            run.applied += 1
            continue
        wins = _newer(new, old)
        if _conflicting(run, new, old, row_id in open_rows):
            kept, other = (new, old) if wins else (old, new)
            key = (row_id, *_conflict_key(kept, other))
            if key not in known:
                known.add(key)
                open_rows.add(row_id)
                conflicts.append({
                    "id": uuid.uuid4(), "centre_code": run.info.centre_code,
                    "entity": entity, "row_id": row_id, "detected_at": run.now,
                    "kept": _as_change(entity, kept), "other": _as_change(entity, other),
                    "kept_device": kept.author, "kept_version": kept.row_version,
                    "kept_changed_at": kept.changed_at, "other_device": other.author,
                    "other_version": other.row_version,
                    "other_changed_at": other.changed_at,
                    "detected_in_file": run.file_id})
        if wins:
            winners[row_id] = new
            run.applied += 1
        else:
            run.ignored += 1
    if conflicts:
        run.conn.execute(run.ho.conflict.insert(), conflicts)
        run.conflicts += len(conflicts)
    if winners:
        _write(run, entity, list(winners.values()), fresh=not stored)


def _write(run: _Run, entity: str, versions: list[_Version], *, fresh: bool) -> None:
    """Write the winners. ``fresh``: none of these rows is in the mirror yet (and cannot
    appear meanwhile: imports hold a lock)."""
    code = run.info.centre_code
    if run.ho.is_postgresql:
        _write_postgresql(run, entity, versions, fresh=fresh)
        return
    table = run.ho.mirrors[entity]
    records = [{**v.row, "sync_centre": code, "sync_device": v.file_device, "sync_seq": v.seq,
                "sync_base": v.base, "sync_file": v.file_id} for v in versions]
    statement = sqlite_insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={c.name: statement.excluded[c.name] for c in table.columns if c.name != "id"})
    run.conn.execute(statement, records)


def _mirror_columns(entity: str) -> list[str]:
    """The order rows are copied in: the payload's columns, then where they came from."""
    return [*column_kinds(entity), *SYNC_COLUMNS]


def _origin_bytes(run: _Run) -> tuple[bytes, bytes]:
    """``sync_device`` and ``sync_file`` of every row a run writes (all its winners come
    from its file), as the 16 bytes binary COPY sends for a uuid."""
    return run.info.device_id.bytes, run.file_id.bytes


#: Columns ``_copy`` is given as their binary COPY bytes already (``_origin_bytes``): the
#: wire carries no types, and this spares encoding the same two UUIDs for every row.
_PREENCODED = {"sync_device", "sync_file"}
_BYTEA_OID = 17


def _copy_types(run: _Run, entity: str) -> list[int]:
    """The type oids of the copied columns (binary COPY sends no types: the client must
    encode each value as its column's type)."""
    types = run.copy_types.get(entity)
    if types is None:
        cursor = run.conn.connection.driver_connection.cursor()
        oids = dict(cursor.execute(
            "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped", (entity,)).fetchall())
        types = run.copy_types[entity] = [_BYTEA_OID if name in _PREENCODED else oids[name]
                                          for name in _mirror_columns(entity)]
    return types


@contextmanager
def _open_copy(run: _Run, entity: str, target: str) -> Iterator[Any]:
    """A binary COPY into ``target`` (the mirror of ``entity``, or its staging table) of
    rows in ``_mirror_columns`` order."""
    from psycopg import sql
    from psycopg.types.string import BytesBinaryDumper

    types = _copy_types(run, entity)
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in _mirror_columns(entity))
    cursor = run.conn.connection.driver_connection.cursor()
    # bytea's dumper by oid is the one for psycopg.Binary (Python); plain bytes have a
    # compiled one, which _PREENCODED's columns want on every row
    cursor.adapters.register_dumper(bytes, BytesBinaryDumper)
    with cursor.copy(sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(target), columns)) as copy:
        copy.set_types(types)
        yield copy


def _copy(run: _Run, entity: str, target: str, rows: Iterable[tuple[Any, ...]]) -> None:
    with _open_copy(run, entity, target) as copy:
        write = copy.write_row
        for row in rows:
            write(row)


class _MirrorCopy:
    """The copying of a ``fresh`` run: one binary COPY per table, kept open from batch to
    batch (a file holds each table's changes together), so that PostgreSQL takes the rows
    in as one stream. A row already in the mirror ends the run (``_NotFresh``)."""

    def __init__(self, run: _Run) -> None:
        self.run = run
        self.entity: str | None = None
        self.stack = ExitStack()
        self.write_row: Callable[[tuple[Any, ...]], None] | None = None

    def write(self, entity: str, changes: list[Any]) -> None:
        run = self.run
        if entity != self.entity:
            self.finish()
            self.write_row = self.stack.enter_context(_open_copy(run, entity, entity)).write_row
            self.entity = entity
        code, device, file_id = run.info.centre_code, *_origin_bytes(run)
        write = self.write_row
        assert write is not None
        if _decimal_columns(entity):
            for c in changes:
                write(_row_tuple(entity, c.row) + (code, device, c.seq, c.base_version,
                                                   file_id))
        else:
            astuple = msgspec.structs.astuple
            for c in changes:
                write(astuple(c.row) + (code, device, c.seq, c.base_version, file_id))
        run.applied += len(changes)

    def finish(self) -> None:
        self.entity = None
        self.stack.close()

    def abort(self) -> None:
        """End the open COPY with an error (the transaction is rolled back anyway)."""
        self.entity = None
        try:
            self.stack.__exit__(_Aborted, _Aborted(), None)
        except Exception:  # noqa: BLE001, S110 - the import is failing for another reason
            pass


class _Aborted(Exception):
    """Ends an open COPY when the import fails elsewhere."""


def _not_fresh(error: BaseException) -> BaseException:
    from psycopg import errors

    return _NotFresh() if isinstance(error, errors.UniqueViolation) else error


def _write_postgresql(run: _Run, entity: str, versions: list[_Version], *,
                      fresh: bool) -> None:
    """COPY the winners into a temporary staging table, then one INSERT … SELECT … ON
    CONFLICT (id) DO UPDATE into the mirror; rows new to the mirror are copied into it
    directly."""
    from psycopg import sql

    code, device, file_id = run.info.centre_code, *_origin_bytes(run)
    kinds = list(column_kinds(entity))
    rows = (tuple(v.row[name] for name in kinds) + (code, device, v.seq, v.base, file_id)
            for v in versions)
    if fresh:
        _copy(run, entity, entity, rows)
        return
    stage = f"ho_stage_{entity}"
    cursor = run.conn.connection.driver_connection.cursor()
    if stage not in run.staged:
        cursor.execute(sql.SQL("CREATE TEMPORARY TABLE {} (LIKE {}) ON COMMIT DROP").format(
            sql.Identifier(stage), sql.Identifier(entity)))
        run.staged.add(stage)
    _copy(run, entity, stage, rows)
    names = _mirror_columns(entity)
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    updates = sql.SQL(", ").join(
        sql.SQL("{} = EXCLUDED.{}").format(sql.Identifier(n), sql.Identifier(n))
        for n in names if n != "id")
    cursor.execute(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT (id) DO "
                           "UPDATE SET {}").format(sql.Identifier(entity), columns,
                                                   columns, sql.Identifier(stage), updates))
    cursor.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(stage)))


def _record_lineage(run: _Run) -> None:
    """Keep what this file showed of the installations its data was copied from, and drop
    the open conflicts that this shows to be one edit continuing the other."""
    ho, conn, device = run.ho, run.conn, run.info.device_id
    conflict = ho.conflict
    for author, seen in run.evidence.items():
        known = run.lineage.get((device, author))
        if known is None:
            conn.execute(ho.lineage.insert().values(device_id=device, author=author,
                                                    latest=seen))
        elif seen > known:
            conn.execute(ho.lineage.update().where(
                ho.lineage.c.device_id == device, ho.lineage.c.author == author)
                .values(latest=seen))
        else:
            continue
        conn.execute(conflict.delete().where(conflict.c.resolved_at.is_(None), or_(
            and_(conflict.c.kept_device == device, conflict.c.other_device == author,
                 conflict.c.other_changed_at <= seen),
            and_(conflict.c.other_device == device, conflict.c.kept_device == author,
                 conflict.c.kept_changed_at <= seen))))
    if run.evidence and run.conflicts:
        run.conflicts = conn.scalar(select(func.count()).select_from(conflict).where(
            conflict.c.detected_in_file == run.file_id)) or 0


# -- reading the payload -----------------------------------------------------------------

@contextmanager
def _applier(run: _Run) -> Iterator[Callable[[str, list[Any]], None]]:
    """``_apply_group`` for the batches as they are read. In a ``fresh`` run the rows are
    copied by a second thread (``_MirrorCopy``), so that the next batch is parsed and
    checked while PostgreSQL takes in the last one; the main thread touches the connection
    again only when the copying has finished."""
    if not run.fresh:
        yield lambda entity, changes: _apply_group(run, entity, changes)
        return
    work: queue.Queue[tuple[str, list[Any]] | None] = queue.Queue(1)
    failed: list[BaseException] = []
    cancelled = threading.Event()

    def copier() -> None:
        stream = _MirrorCopy(run)
        while (item := work.get()) is not None:
            if failed:
                continue             # drain what is queued; the import is failing
            try:
                stream.write(*item)
            except BaseException as error:  # noqa: BLE001 - handed to the main thread
                failed.append(_not_fresh(error))
        if failed or cancelled.is_set():
            stream.abort()
            return
        try:
            stream.finish()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            failed.append(_not_fresh(error))

    def apply(entity: str, changes: list[Any]) -> None:
        if failed:
            raise failed[0]
        work.put((entity, changes))

    worker = threading.Thread(target=copier, name="sync-copy", daemon=True)
    worker.start()
    try:
        yield apply
    except BaseException:
        cancelled.set()
        raise
    finally:
        work.put(None)
        worker.join()
    if failed:
        raise failed[0]


def _apply_payload(run: _Run, pieces: Iterator[bytes], batch_bytes: int) -> None:
    path, info = run.path, run.info
    try:
        top, rest = read_head(pieces)
        if top["format"] != FORMAT or top["format_version"] != FORMAT_VERSION:
            raise _reject(path, _("the payload is not a Centre Desk sync payload of version "
                                  "{version}.").format(version=FORMAT_VERSION))
        meta = top["meta"]
        try:
            meta_validator()(meta)
        except fastjsonschema.JsonSchemaException as error:
            raise _reject(path, _("the payload's meta is not valid ({error}).").format(
                error=_schema_message(error))) from None
        different = [name for name in META_FIELDS if meta.get(name) != info.header.get(name)]
        if different:
            raise _reject(path, _("the payload does not match the header ({fields})."
                                  ).format(fields=", ".join(different)))
        count = 0
        with _applier(run) as apply:
            for number, changes in enumerate(change_batches(rest, pieces,
                                                            batch_bytes=batch_bytes), 1):
                if number % _COLLECT_EVERY == 0:
                    gc.collect()     # the collector is paused (_collector_paused)
                if count + len(changes) > info.change_count:
                    raise _reject(path, _("the payload has more changes than the header's "
                                          "{count}.").format(count=info.change_count))
                groups = _check_changes(run, changes, count + 1)
                count += len(changes)
                for entity, group in groups.items():
                    apply(entity, group)
    except SyncFormatError as error:
        if error.message.startswith(f"{path.name}: "):
            raise
        raise _reject(path, error.message) from None
    if count != info.change_count:
        raise _reject(path, _("the payload has {found} changes, the header says {count}."
                              ).format(found=count, count=info.change_count))


# -- importing ---------------------------------------------------------------------------

def _lock(conn: Connection, ho: HeadOffice) -> None:
    if ho.is_postgresql:
        conn.execute(text(f"SELECT pg_advisory_xact_lock({_IMPORT_LOCK})"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _already(ho: HeadOffice, path: Path, sha256: str) -> ImportResult | None:
    with ho.engine.connect() as conn:
        row = conn.execute(select(ho.file).where(ho.file.c.sha256 == sha256)).first()
    if row is None:
        return None
    return ImportResult(path=path, status=ALREADY_IMPORTED, centre_code=row.centre_code,
                        device_id=row.device_id, first_seq=row.first_seq,
                        last_seq=row.last_seq, change_count=row.change_count,
                        file_id=row.id, imported_at=row.imported_at,
                        missing=tuple(missing_ranges(ho, device_id=row.device_id)
                                      .get(row.device_id, [])))


def _verify_key(ho: HeadOffice, info: _FileInfo, path: Path, trust_on_first_import: bool,
                device_key_text: str | bytes | None) -> tuple[bytes, Any]:
    """(the raw public key to verify the file with, the key to trust with it or None)."""
    with ho.engine.connect() as conn:
        row = conn.execute(select(ho.device).where(
            ho.device.c.device_id == info.device_id)).first()
    if row is not None:
        if row.centre_code != info.centre_code:
            raise _reject(path, _("installation {device} is trusted for centre {trusted}, but "
                                  "the file says centre {code}.").format(
                                      device=info.device_id, trusted=row.centre_code,
                                      code=info.centre_code))
        return b64decode(row.public_key, "public_key", length=32), None
    if not trust_on_first_import:
        raise _reject(path, _("unknown device {device} of centre {code}: register its key "
                              "with centredesk headoffice trust.").format(
                                  device=info.device_id, code=info.centre_code))
    if device_key_text is None:
        raise _reject(path, _("unknown device {device} of centre {code}: a sync file does "
                              "not carry the key it is signed with, so "
                              "--trust-on-first-import needs the installation's key file "
                              "(--device-key).").format(device=info.device_id,
                                                        code=info.centre_code))
    public = load_device_public(device_key_text)
    if public.device_id != info.device_id or public.centre_code != info.centre_code:
        raise _reject(path, _("the key file given is for installation {key_device} of centre "
                              "{key_code}, the file is from installation {device} of centre "
                              "{code}.").format(key_device=public.device_id,
                                                key_code=public.centre_code,
                                                device=info.device_id, code=info.centre_code))
    return public.public_key, public


def _has_files(ho: HeadOffice, device_id: uuid.UUID) -> bool:
    with ho.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(ho.file).where(
            ho.file.c.device_id == device_id)) > 0


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: an import makes millions of short-lived objects
    (freed by reference counting anyway), and the collector's passes over them cost more
    than the import's own work. The import collects every ``_COLLECT_EVERY`` batches
    instead: looking rows up through SQLAlchemy leaves some cyclic garbage, which would
    otherwise grow with the file."""
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()      # those collections need not look at what existed before the import
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _import_once(ho: HeadOffice, keys: HeadOfficeKeys, path: Path, info: _FileInfo,
                 sha256: str, file_id: uuid.UUID, now: datetime, verify_key: bytes,
                 new_device: Any, batch_bytes: int, *, fresh: bool) -> _Run:
    """One attempt at importing a checked file, in one transaction."""
    with open_sync_file(path, verify_key=verify_key, headoffice=keys) as sync, \
            ho.engine.begin() as conn:
        _lock(conn, ho)
        conn.execute(ho.file.insert().values(
            id=file_id, sha256=sha256, file_name=path.name, device_id=info.device_id,
            centre_code=info.centre_code, first_seq=info.first_seq,
            last_seq=info.last_seq, change_count=info.change_count,
            schema_version=info.schema_version, created_at=info.created_at,
            imported_at=now, applied=0, ignored=0, conflicts=0))
        if new_device is not None:
            conn.execute(ho.device.insert().values(
                device_id=new_device.device_id, centre_code=new_device.centre_code,
                public_key=b64encode(new_device.public_key),
                fingerprint=new_device.fingerprint, trusted_at=now))
        run = _Run(ho=ho, conn=conn, info=info, file_id=file_id, path=path, now=now,
                   fresh=fresh)
        run.lineage = {(r.device_id, r.author): r.latest
                       for r in conn.execute(select(ho.lineage))}
        # decryption and decompression (which release the GIL) run on the other core
        pieces = prefetched(iter(sync))
        try:
            _apply_payload(run, pieces, batch_bytes)
        finally:
            pieces.close()
        _record_lineage(run)
        conn.execute(ho.file.update().where(ho.file.c.id == file_id).values(
            applied=run.applied, ignored=run.ignored, conflicts=run.conflicts))
    return run


def import_file(ho: HeadOffice, keys: HeadOfficeKeys, path: str | Path, *,
                trust_on_first_import: bool = False,
                device_key_text: str | bytes | None = None,
                batch_bytes: int = BATCH_BYTES, now: datetime | None = None) -> ImportResult:
    """Verify, decrypt, check and apply one sync file in one transaction.

    A file already imported (same SHA-256) changes nothing. A file that fails any check is
    rejected whole: nothing is applied and ``reason`` says why. With
    ``trust_on_first_import`` an unknown installation is trusted with ``device_key_text``
    (its public key file) if, and only if, the file verifies with it and imports.
    """
    path = Path(path)
    started = time.perf_counter()
    info: _FileInfo | None = None

    def rejected(reason: str) -> ImportResult:
        prefix = f"{path.name}: "
        reason = reason.splitlines()[0] if reason else reason
        return ImportResult(
            path=path, status=REJECTED,
            reason=reason.removeprefix(prefix),
            centre_code=info.centre_code if info else None,
            device_id=info.device_id if info else None,
            first_seq=info.first_seq if info else None,
            last_seq=info.last_seq if info else None,
            change_count=info.change_count if info else 0,
            seconds=time.perf_counter() - started)

    try:
        sha256 = _sha256(path)
    except OSError as error:
        return rejected(_("the file cannot be read ({error}).").format(
            error=error.strerror or error))
    done = _already(ho, path, sha256)
    if done is not None:
        return done
    now = now or utcnow()
    file_id = uuid.uuid4()
    try:
        info = _check_header(read_header(path), path)
        verify_key, new_device = _verify_key(ho, info, path, trust_on_first_import,
                                             device_key_text)
        fresh = ho.is_postgresql and not _has_files(ho, info.device_id)
        with _collector_paused():
            try:
                run = _import_once(ho, keys, path, info, sha256, file_id, now, verify_key,
                                   new_device, batch_bytes, fresh=fresh)
            except _NotFresh:
                run = _import_once(ho, keys, path, info, sha256, file_id, now, verify_key,
                                   new_device, batch_bytes, fresh=False)
    except SyncError as error:
        return rejected(error.message)
    except OSError as error:
        return rejected(_("the file cannot be read ({error}).").format(
            error=error.strerror or error))
    except IntegrityError as error:
        done = _already(ho, path, sha256)   # imported by someone else meanwhile
        if done is not None:
            return done
        return rejected(_("the database refused the data ({error}).").format(
            error=str(error.orig).strip()))
    except _driver_errors() as error:
        return rejected(_("the database refused the data ({error}).").format(
            error=str(getattr(error, "orig", None) or error).strip()))
    return ImportResult(
        path=path, status=IMPORTED, centre_code=info.centre_code, device_id=info.device_id,
        first_seq=info.first_seq, last_seq=info.last_seq, change_count=info.change_count,
        applied=run.applied, ignored=run.ignored, conflicts=run.conflicts, file_id=file_id,
        imported_at=now, seconds=time.perf_counter() - started,
        newly_trusted=new_device is not None,
        missing=tuple(missing_ranges(ho, device_id=info.device_id).get(info.device_id, [])))


def import_files(ho: HeadOffice, keys: HeadOfficeKeys, paths: Iterable[str | Path],
                 **options: Any) -> list[ImportResult]:
    """``import_file`` for each file in turn, each on its own (one failing file does not
    stop the others)."""
    return [import_file(ho, keys, path, **options) for path in paths]


# -- sequence coverage, gaps and receipts ------------------------------------------------

def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


def _coverage(ho: HeadOffice, *, device_id: uuid.UUID | None = None,
              centre_code: str | None = None) -> dict[uuid.UUID, list[tuple[int, int]]]:
    """The merged sequence ranges of the imported files, per installation."""
    query = select(ho.file.c.device_id, ho.file.c.first_seq, ho.file.c.last_seq)
    if device_id is not None:
        query = query.where(ho.file.c.device_id == device_id)
    if centre_code is not None:
        query = query.where(ho.file.c.centre_code == centre_code)
    ranges: dict[uuid.UUID, list[tuple[int, int]]] = {}
    with ho.engine.connect() as conn:
        for device, first, last in conn.execute(query):
            ranges.setdefault(device, []).append((first, last))
    return {device: _merge(spans) for device, spans in ranges.items()}


def _gaps(merged: list[tuple[int, int]]) -> list[tuple[int, int]]:
    gaps = []
    expected = 1
    for first, last in merged:
        if first > expected:
            gaps.append((expected, first - 1))
        expected = max(expected, last + 1)
    return gaps


def missing_ranges(ho: HeadOffice, *, device_id: uuid.UUID | None = None,
                   centre_code: str | None = None) -> dict[uuid.UUID, list[tuple[int, int]]]:
    """Per installation, the sequence ranges from 1 up to the highest number seen that no
    imported file covered (an empty list: nothing missing)."""
    return {device: _gaps(merged) for device, merged
            in _coverage(ho, device_id=device_id, centre_code=centre_code).items()}


def contiguous_seq(ho: HeadOffice, centre_code: str) -> dict[uuid.UUID, int]:
    """Per installation of the centre, the highest sequence number up to which head office
    holds every change (left out when nothing from 1 on has arrived)."""
    return {device: merged[0][1]
            for device, merged in _coverage(ho, centre_code=centre_code).items()
            if merged and merged[0][0] <= 1}


def make_receipt(ho: HeadOffice, keys: HeadOfficeKeys, centre_code: str, *,
                 now: datetime | None = None) -> dict[str, Any]:
    """The signed receipt for a centre: per installation the highest sequence number head
    office holds without a gap from 1 (``app.sync.centre.import_receipt`` reads it)."""
    with ho.engine.connect() as conn:
        known = conn.scalar(select(func.count()).select_from(ho.file).where(
            ho.file.c.centre_code == centre_code))
    if not known:
        raise SyncError(_("No file from centre {code} has been imported.").format(
            code=centre_code))
    devices = {str(device): seq for device, seq
               in sorted(contiguous_seq(ho, centre_code).items(), key=lambda i: str(i[0]))}
    doc = {"kind": RECEIPT_KIND, "version": RECEIPT_VERSION, "centre_code": centre_code,
           "devices": devices, "created_at": (now or utcnow()).isoformat()}
    return sign_document(doc, keys.ed25519)
