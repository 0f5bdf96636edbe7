"""What a sync file's payload holds: the synced tables, how their values are written as
JSON, and the payload's JSON Schema (``payload.schema.json``, generated from the models and
committed; ``tests/app/test_sync_payload.py`` checks the committed file is current).

The payload is one JSON document, written and read as a stream::

    {"format": "centredesk-sync-payload", "format_version": 1,
     "meta": {...}, "changes": [
    {...},
    {...}
    ]}

``meta`` comes before ``changes`` so a streaming reader can check it against the file's
header before the first change; each change is on a line of its own.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, Numeric, String, Table, Text, Uuid
from sqlalchemy.types import TypeEngine

from app.db import HEAD_REVISION
from app.models import AuditEntry, Base, Synced

FORMAT = "centredesk-sync-payload"
FORMAT_VERSION = 1
#: The schema generation of the database the rows come from: the number of the Alembic
#: revision ("0006_sync" is 6). Head office refuses files from a newer schema.
SCHEMA_VERSION = int(HEAD_REVISION.split("_", 1)[0])
SCHEMA_PATH = Path(__file__).with_name("payload.schema.json")
#: Columns that never leave the centre.
EXCLUDED_COLUMNS: dict[str, frozenset[str]] = {"staff": frozenset({"password_hash"})}
OPERATIONS = ("upsert", "delete")
META_FIELDS = ("centre_code", "device_id", "first_seq", "last_seq", "schema_version",
               "change_count", "created_at")

UUID_PATTERN = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00:00$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"


@cache
def synced_tables() -> dict[str, Table]:
    """Every table that travels to head office, by name, in a fixed order."""
    tables = {mapper.class_.__tablename__: mapper.local_table
              for mapper in Base.registry.mappers
              if issubclass(mapper.class_, Synced) or mapper.class_ is AuditEntry}
    return {name: tables[name] for name in sorted(tables)}  # type: ignore[misc]


def exported_columns(table: Table) -> list[str]:
    excluded = EXCLUDED_COLUMNS.get(table.name, frozenset())
    return [c.name for c in table.columns if c.name not in excluded]


def _kind(column_type: TypeEngine[Any]) -> str:
    impl = getattr(column_type, "impl", column_type)
    for cls, kind in ((Uuid, "uuid"), (Boolean, "bool"), (Numeric, "decimal"),
                      (Integer, "int"), (JSON, "json"), (Date, "date"), (Text, "str"),
                      (String, "str")):
        if isinstance(impl, cls) or isinstance(column_type, cls):
            return kind
    if "DateTime" in type(impl).__name__ or "DateTime" in type(column_type).__name__:
        return "timestamp"
    raise TypeError(f"no sync encoding for column type {column_type!r}")


@cache
def column_kinds(table_name: str) -> dict[str, str]:
    """``{column: kind}`` for a synced table; kinds are uuid, bool, decimal, int, json,
    date, timestamp, str."""
    table = synced_tables()[table_name]
    return {name: _kind(table.columns[name].type) for name in exported_columns(table)}


def encode_value(value: Any) -> Any:
    """A column value as the payload writes it (see ``docs/sync-format.md``)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a synced row")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dict | list):
        return value
    raise TypeError(f"cannot write {type(value).__name__} to a sync file")


def payload_chunks(meta: dict[str, Any], changes: Iterable[dict[str, Any] | str],
                   *, batch: int = 2000) -> Iterator[bytes]:
    """The payload document as a stream of UTF-8 pieces (about ``batch`` changes each);
    a change is a dict, or its JSON text already (on one line: JSON text never holds a raw
    newline). One change per line is part of the format: head office cuts batches there."""
    head = {"format": FORMAT, "format_version": FORMAT_VERSION, "meta": meta}
    yield (json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
           + ',"changes":[\n').encode()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    pending: list[str] = []
    first = True
    for change in changes:
        pending.append(change if isinstance(change, str) else dumps(change))
        if len(pending) >= batch:
            yield (("" if first else ",\n") + ",\n".join(pending)).encode()
            first, pending = False, []
    if pending:
        yield (("" if first else ",\n") + ",\n".join(pending)).encode()
    yield b"\n]}"


# -- the JSON Schema -----------------------------------------------------------------------

def _column_schema(kind: str, nullable: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "uuid": {"type": "string", "pattern": UUID_PATTERN},
        "timestamp": {"type": "string", "pattern": TIMESTAMP_PATTERN},
        "date": {"type": "string", "pattern": DATE_PATTERN},
        "decimal": {"type": "string", "pattern": DECIMAL_PATTERN},
        "int": {"type": "integer"},
        "bool": {"type": "boolean"},
        "str": {"type": "string"},
        "json": {"type": ["object", "array"]},
    }[kind]
    if nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


def build_schema() -> dict[str, Any]:
    """The payload's JSON Schema (draft-07), generated from the synced models."""
    tables = synced_tables()
    definitions: dict[str, Any] = {
        "uuid": {"type": "string", "pattern": UUID_PATTERN},
        "timestamp": {"type": "string", "pattern": TIMESTAMP_PATTERN},
        "meta": {
            "type": "object", "additionalProperties": False, "required": list(META_FIELDS),
            "properties": {
                "centre_code": {"type": "string", "minLength": 1, "maxLength": 20},
                "device_id": {"$ref": "#/definitions/uuid"},
                "first_seq": {"type": "integer", "minimum": 1},
                "last_seq": {"type": "integer", "minimum": 1},
                "schema_version": {"type": "integer", "minimum": 1},
                "change_count": {"type": "integer", "minimum": 0},
                "created_at": {"$ref": "#/definitions/timestamp"},
            },
        },
    }
    row_rules = []
    for name, table in tables.items():
        columns = exported_columns(table)
        kinds = column_kinds(name)
        definitions[f"row_{name}"] = {
            "type": "object", "additionalProperties": False, "required": columns,
            "properties": {c: _column_schema(kinds[c], bool(table.columns[c].nullable))
                           for c in columns},
        }
        row_rules.append({"if": {"properties": {"entity": {"const": name}}},
                          "then": {"properties": {"row": {"$ref": f"#/definitions/row_{name}"}}}})
    definitions["change"] = {
        "type": "object", "additionalProperties": False,
        "required": ["seq", "entity", "id", "op", "row_version", "base_version", "changed_at",
                     "device_id", "row"],
        "properties": {
            "seq": {"type": "integer", "minimum": 1},
            "entity": {"enum": list(tables)},
            "id": {"$ref": "#/definitions/uuid"},
            "op": {"enum": list(OPERATIONS)},
            "row_version": {"type": "integer", "minimum": 1},
            "base_version": {"type": "integer", "minimum": 0},
            "changed_at": {"$ref": "#/definitions/timestamp"},
            "device_id": {"$ref": "#/definitions/uuid"},
            "row": {"type": "object"},
        },
        "allOf": row_rules,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://centredesk.dk/schemas/sync-payload-1.json",
        "title": "Centre Desk sync payload",
        "description": "The decrypted, decompressed payload of a Centre Desk sync file "
                       "(docs/sync-format.md). Generated from the models by "
                       "app.sync.payload.build_schema.",
        "type": "object", "additionalProperties": False,
        "required": ["format", "format_version", "meta", "changes"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "meta": {"$ref": "#/definitions/meta"},
            "changes": {"type": "array", "items": {"$ref": "#/definitions/change"}},
        },
        "definitions": definitions,
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


@cache
def meta_validator() -> Any:
    """The compiled validator of ``meta`` alone (compiling every change's rules as well
    takes a noticeable fraction of a second)."""
    import fastjsonschema

    definitions = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))["definitions"]
    used = {name: definitions[name] for name in ("uuid", "timestamp", "meta")}
    return fastjsonschema.compile({"definitions": used, "$ref": "#/definitions/meta"})


@cache
def validators() -> tuple[Any, Any]:
    """Compiled validators of ``meta`` and of one change, from the committed schema file
    (head office checks changes with ``app.sync.ho_decode``; the tests compare the two)."""
    import fastjsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    definitions = schema["definitions"]
    meta = fastjsonschema.compile({"definitions": definitions, "$ref": "#/definitions/meta"})
    change = fastjsonschema.compile({"definitions": definitions,
                                     "$ref": "#/definitions/change"})
    return meta, change


if __name__ == "__main__":  # regenerate the committed schema: python -m app.sync.payload
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(SCHEMA_PATH)
