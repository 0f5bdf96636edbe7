"""How head office reads a decrypted payload: its head (the members before ``changes``),
then its changes a batch at a time, parsed and checked against the committed JSON Schema in
one step by decoders compiled from that schema (``msgspec``, in C).

The layout this relies on (docs/sync-format.md, "Payload"): the changes array holds one
change per line, the lines separated by ``,`` and a newline. A raw newline cannot occur
inside a JSON string, so a batch can be cut at ``,\\n`` and parsed on its own, and the
batches together are exactly the document.

The schema is compiled, not re-implemented: each ``row_<entity>`` definition becomes a
struct with exactly its properties (all required, no others), each ``change`` an entity-
tagged struct holding that entity's row. Three string patterns are checked as the values
they describe, which is what makes the check fast: a ``uuid`` is parsed as a UUID, a
``timestamp`` as an ISO 8601 date and time with a UTC offset, a ``date`` as a calendar date.
So a file must hold real dates (the pattern alone allows 2025-13-45), and the importer
accepts a UUID in capitals or a timestamp with another offset, which mean the same.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from typing import Annotated, Any, Literal, Union

import msgspec

from app.i18n import _
from app.sync import SyncFormatError
from app.sync.payload import DATE_PATTERN, SCHEMA_PATH, TIMESTAMP_PATTERN, UUID_PATTERN

#: A batch is cut at the first line end after this many bytes.
BATCH_BYTES = 4 << 20
#: The most a single change (one line) may take.
MAX_LINE_BYTES = 64 << 20
#: The most the members before ``changes`` may take.
MAX_HEAD_BYTES = 1 << 20
HEAD_MEMBERS = ("format", "format_version", "meta")

_SEPARATOR = b",\n"
_WHITESPACE = " \t\n\r"
_INDEX = re.compile(r"`\$\[(\d+)\]\.?")


class SchemaNotCompilable(TypeError):
    """The schema uses a construct the compiler does not know (a test keeps it compilable)."""


# -- compiling the schema ----------------------------------------------------------------

@cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    return _resolve(_schema()["definitions"][ref.rsplit("/", 1)[-1]])


def _value_type(node: dict[str, Any]) -> Any:
    node = _resolve(node)
    options = node.get("anyOf")
    if options is not None:
        if len(node) != 1 or len(options) != 2 or options[1] != {"type": "null"}:
            raise SchemaNotCompilable(node)
        return _value_type(options[0]) | None
    if "enum" in node and set(node) == {"enum"}:
        return Literal[tuple(node["enum"])]
    kind = node.get("type")
    if kind == ["object", "array"] and set(node) == {"type"}:
        return Union[dict[str, Any], list[Any]]  # noqa: UP007
    known = {"type", "pattern", "minimum"}
    if not isinstance(kind, str) or set(node) - known:
        raise SchemaNotCompilable(node)
    pattern = node.get("pattern")
    if pattern is not None:
        if kind != "string" or "minimum" in node:
            raise SchemaNotCompilable(node)
        if pattern == UUID_PATTERN:
            return uuid.UUID
        if pattern == TIMESTAMP_PATTERN:
            return Annotated[datetime, msgspec.Meta(tz=True)]
        if pattern == DATE_PATTERN:
            return date
        return Annotated[str, msgspec.Meta(pattern=pattern)]
    base = {"string": str, "integer": int, "boolean": bool}.get(kind)
    if base is None:
        raise SchemaNotCompilable(node)
    if "minimum" in node:
        if base is not int:
            raise SchemaNotCompilable(node)
        return Annotated[int, msgspec.Meta(ge=node["minimum"])]
    return base


def _struct(name: str, node: dict[str, Any], *, fields: dict[str, Any] | None = None,
            skip: tuple[str, ...] = (), **config: Any) -> type[msgspec.Struct]:
    """A struct for an object schema with ``additionalProperties: false`` and every property
    required; ``fields`` gives some fields' types, ``skip`` leaves fields out (the tag)."""
    node = _resolve(node)
    properties = node.get("properties", {})
    if (node.get("type") != "object" or node.get("additionalProperties") is not False
            or set(node.get("required", ())) != set(properties)):
        raise SchemaNotCompilable(name)
    fields = fields or {}
    # gc=False: a row holds values only (never a cycle), so the collector need not track
    # the millions of them an import makes
    return msgspec.defstruct(
        name, [(field, fields[field] if field in fields else _value_type(schema))
               for field, schema in properties.items() if field not in skip],
        forbid_unknown_fields=True, gc=False, **config)


@cache
def change_types() -> dict[str, type[msgspec.Struct]]:
    """Per entity, the struct of one of its changes (``entity`` is the tag)."""
    definitions = _schema()["definitions"]
    change = definitions["change"]
    result = {}
    for rule in change["allOf"]:
        entity = rule["if"]["properties"]["entity"]["const"]
        row = _struct(f"Row_{entity}", rule["then"]["properties"]["row"])
        result[entity] = _struct(f"Change_{entity}", change, fields={"row": row},
                                 skip=("entity",), tag_field="entity", tag=entity)
    if set(result) != set(change["properties"]["entity"]["enum"]):
        raise SchemaNotCompilable("change")
    return result


@cache
def _decoder() -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(list[Union[tuple(change_types().values())]])  # type: ignore[misc]  # noqa: UP007


def entity_of(change: msgspec.Struct) -> str:
    return type(change).__struct_config__.tag  # type: ignore[return-value]


def decode_changes(text: bytes, first_number: int = 1) -> list[Any]:
    """The changes in ``text`` (comma-separated JSON objects), checked against the schema.
    ``first_number`` is the number of the first one in the file, for the messages."""
    return _decode_list(b"[" + text + b"]", first_number)


def _decode_list(text: bytes | memoryview, first_number: int) -> list[Any]:
    """``decode_changes`` for a JSON array."""
    try:
        return _decoder().decode(text)
    except msgspec.ValidationError as error:
        message = str(error)
        found = _INDEX.search(message)
        number = first_number + int(found.group(1)) if found else None
        message = _INDEX.sub("`", message)
        if number is None:
            raise SyncFormatError(_("the changes do not match the payload schema: {error}."
                                    ).format(error=message)) from None
        raise SyncFormatError(_("change {number} does not match the payload schema: "
                                "{error}.").format(number=number, error=message)) from None
    except msgspec.DecodeError as error:
        raise SyncFormatError(_("the payload is not valid JSON ({error}) in the changes from "
                                "change {number} on.").format(error=error,
                                                              number=first_number)) from None


# -- reading the stream ------------------------------------------------------------------

def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in _WHITESPACE:
        at += 1
    return at


def _expect(text: str, at: int, char: str) -> int:
    at = _skip(text, at)
    if at >= len(text):
        raise _Incomplete
    if text[at] != char:
        raise SyncFormatError(_("the payload is not valid JSON (expected {char!r} at byte "
                                "{at}).").format(char=char, at=at))
    return at + 1


class _Incomplete(Exception):
    """The head continues beyond what has been read."""


def _scan_head(text: str, final: bool) -> tuple[dict[str, Any], int]:
    """The members before ``changes`` and the index just after its ``[``. Unless ``final``
    (all of the payload is in ``text``), a JSON error may just mean more is to come."""
    decoder = json.JSONDecoder()
    at = _skip(text, 0)
    if at >= len(text):
        raise _Incomplete
    if text[at] != "{":
        raise SyncFormatError(_("the payload is not a JSON object."))
    at += 1
    top: dict[str, Any] = {}
    while True:
        at = _skip(text, at)
        if at >= len(text):
            raise _Incomplete
        if text[at] == "}":
            raise SyncFormatError(_("the payload has no changes."))
        try:
            key, at = decoder.raw_decode(text, at)
            if not isinstance(key, str):
                raise SyncFormatError(_("the payload is not valid JSON (a member name is not "
                                        "a string)."))
            at = _expect(text, at, ":")
            if key == "changes":
                at = _skip(text, at)
                if at >= len(text):
                    raise _Incomplete
                if text[at] != "[":
                    raise SyncFormatError(_("the payload's changes are not a list."))
                missing = [m for m in HEAD_MEMBERS if m not in top]
                if missing:
                    raise SyncFormatError(_("the payload has no {members} before its "
                                            "changes.").format(members=", ".join(missing)))
                return top, at + 1
            if key not in HEAD_MEMBERS or key in top:
                raise SyncFormatError(_("the payload has an unexpected or repeated member "
                                        "{name!r}.").format(name=key))
            value, at = decoder.raw_decode(text, _skip(text, at))
        except json.JSONDecodeError as error:
            if not final:
                raise _Incomplete from None
            raise SyncFormatError(_("the payload is not valid JSON ({error}).").format(
                error=error)) from None
        top[key] = value
        at = _skip(text, at)
        if at < len(text) and text[at] == "}":
            raise SyncFormatError(_("the payload has no changes."))
        at = _expect(text, at, ",")


def read_head(pieces: Iterator[bytes]) -> tuple[dict[str, Any], bytes]:
    """Read the members before the changes. Returns them and the bytes read after the
    changes' ``[``."""
    seen = bytearray()
    exhausted = False
    while True:
        piece = next(pieces, None)
        if piece is None:
            exhausted = True
        else:
            seen += piece
        # surrogateescape maps every byte sequence to text and back unchanged
        text = bytes(seen).decode("utf-8", "surrogateescape")
        try:
            top, at = _scan_head(text, exhausted)
        except _Incomplete:
            if exhausted:
                raise SyncFormatError(_("the payload is not valid JSON (it ends before its "
                                        "changes).")) from None
            if len(seen) > MAX_HEAD_BYTES:
                raise SyncFormatError(_("the payload has more than {size} bytes before its "
                                        "changes.").format(size=MAX_HEAD_BYTES)) from None
            continue
        return top, bytes(seen[len(text[:at].encode("utf-8", "surrogateescape")):])


def change_batches(rest: bytes, pieces: Iterator[bytes], *,
                   batch_bytes: int = BATCH_BYTES) -> Iterator[list[Any]]:
    """The changes after the head, about ``batch_bytes`` of them at a time, each batch
    checked against the schema. The document must end right after the changes (``]}``).

    The buffer keeps one spare byte in front of the changes not yet parsed: a batch is
    parsed in place as an array by writing ``[`` there and ``]`` over the comma that ends
    it (the newline after it becomes the next spare byte), not copied. Every newline
    between the first change and the last must be a separator: a batch of k changes holds
    k - 1 of them."""
    buffer = bytearray(b" ")
    buffer += rest.lstrip()
    number = 1
    searched = 1           # no separator at or after batch_bytes before this position
    cut_before = False
    for piece in pieces:
        if len(buffer) == 1:
            piece = piece.lstrip()          # the newline after "[" (and any other space)
        buffer += piece
        while len(buffer) > batch_bytes:
            cut = buffer.find(_SEPARATOR, max(batch_bytes, searched))
            if cut < 0:
                if len(buffer) > batch_bytes + MAX_LINE_BYTES:
                    raise _not_one_per_line()
                searched = max(1, len(buffer) - 1)
                break
            buffer[0], buffer[cut] = ord("["), ord("]")
            with memoryview(buffer) as view, view[:cut + 1] as batch:
                changes = _decode_list(batch, number)
            if not changes:
                raise _empty(number)
            if buffer.count(b"\n", 1, cut) != len(changes) - 1:
                raise _not_one_per_line()
            del buffer[:cut + 1]
            searched, cut_before = 1, True
            number += len(changes)
            yield changes
    tail = bytes(buffer[1:]).rstrip()
    if not tail.endswith(b"}"):
        raise SyncFormatError(_("the payload does not end right after its changes (it is "
                                "cut short, or there is data after its end)."))
    tail = tail[:-1].rstrip()
    if not tail.endswith(b"]"):
        raise SyncFormatError(_("the payload is not valid JSON (the changes are not "
                                "followed by the end of the document)."))
    tail = tail[:-1].strip()
    if tail:
        changes = decode_changes(tail, number)
        if tail.count(b"\n") != len(changes) - 1:
            raise _not_one_per_line()
        yield changes
    elif cut_before:       # "…,\n]": a comma after the last change
        raise _empty(number)


def _not_one_per_line() -> SyncFormatError:
    return SyncFormatError(_("a change is longer than {size} bytes, or the changes are not "
                             "written one per line.").format(size=MAX_LINE_BYTES))


def _empty(number: int) -> SyncFormatError:
    return SyncFormatError(_("the payload is not valid JSON (an empty place in the list of "
                             "changes before change {number}).").format(number=number))
