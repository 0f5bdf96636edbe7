"""Head office's reading of a payload (app.sync.ho_decode): the head, the one-change-per-line
layout cut into batches at any piece boundary, and what is refused."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from app.sync import SyncFormatError
from app.sync.ho_decode import change_batches, entity_of, read_head
from app.sync.payload import column_kinds, payload_chunks

_VALUES = {"uuid": lambda: str(uuid.uuid4()), "timestamp": lambda: "2025-01-02T03:04:05+00:00",
           "date": lambda: "2025-01-02", "decimal": lambda: "1.50", "int": lambda: 1,
           "bool": lambda: False, "str": lambda: "Æblegrød – عبد الله", "json": dict}
META = {"centre_code": "EGAA", "device_id": str(uuid.uuid4()), "first_seq": 1,
        "last_seq": 100, "schema_version": 1, "change_count": 3,
        "created_at": "2025-01-02T03:04:05+00:00"}


def change(entity: str, seq: int) -> dict[str, Any]:
    row = {name: _VALUES[kind]() for name, kind in column_kinds(entity).items()}
    return {"seq": seq, "entity": entity, "id": row["id"], "op": "upsert", "row_version": 1,
            "base_version": 0, "changed_at": "2025-01-02T03:04:05+00:00",
            "device_id": META["device_id"], "row": row}


def pieces(data: bytes, size: int) -> Iterator[bytes]:
    return iter([data[i:i + size] for i in range(0, len(data), size)])


def read(data: bytes, *, size: int = 1 << 20, batch_bytes: int = 1 << 20
         ) -> tuple[dict[str, Any], list[list[Any]]]:
    stream = pieces(data, size)
    top, rest = read_head(stream)
    return top, list(change_batches(rest, stream, batch_bytes=batch_bytes))


CHANGES = [change("room", 1), change("resident", 2), change("visit", 3)]
PAYLOAD = b"".join(payload_chunks(META, CHANGES))


@pytest.mark.parametrize(("size", "batch_bytes"), [(1, 1), (7, 300), (1 << 20, 1 << 20)])
def test_changes_arrive_in_order_whatever_the_pieces_and_batches(size: int,
                                                                 batch_bytes: int) -> None:
    assert PAYLOAD.count(b"\n") == len(CHANGES) + 1
    top, batches = read(PAYLOAD, size=size, batch_bytes=batch_bytes)
    assert top["meta"] == META and top["format_version"] == 1
    decoded = [c for batch in batches for c in batch]
    assert [entity_of(c) for c in decoded] == ["room", "resident", "visit"]
    assert [str(c.id) for c in decoded] == [c["id"] for c in CHANGES]
    assert decoded[1].row.given_names == "Æblegrød – عبد الله"
    assert len(batches) == (1 if batch_bytes > len(PAYLOAD) else 3)


@pytest.mark.parametrize(("data", "message"), [
    (PAYLOAD.replace(b"\n]}", b",\n]}"), "an empty place in the list|not valid JSON"),
    (PAYLOAD.replace(b"[\n", b"[\n,\n", 1), "an empty place in the list|not valid JSON"),
    (PAYLOAD + b"x", "data after its end"),
    (PAYLOAD[:-1], "cut short"),
    (PAYLOAD[:len(PAYLOAD) // 2], "cut short"),
    (PAYLOAD.replace(b'"op":"upsert"', b'"op":"erase"', 1),
     "change 1 does not match the payload schema"),
    (PAYLOAD.replace(b"}},\n", b"}}\n", 1), "not valid JSON"),
    (json.dumps({"format": "centredesk-sync-payload", "format_version": 1, "meta": META,
                 "changes": CHANGES}, indent=2).encode(), "not valid JSON|one per line"),
    (PAYLOAD.replace(b'"seq":2', b'\n"seq":2'), "one per line"),
    (b'{"format": "centredesk-sync-payload", "format_version": 1, "secret": 1, "meta": {}}',
     "unexpected or repeated member 'secret'"),
    (b'{"format": "x", "format": "y"', "unexpected or repeated member 'format'"),
    (b'{"format": "centredesk-sync-payload", "changes": []}', "no format_version, meta"),
    (b'{"format": "centredesk-sync-payload", "format_version": 1, "meta": {}}',
     "has no changes"),
    ((b'{"format": "centredesk-sync-payload", "format_version": 1, "meta": {}, '
     b'"changes": {}}'), "changes are not a list"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"format": "centredesk-s', "not valid JSON"),
    (b"", "ends before its changes"),
])
@pytest.mark.parametrize("size", [1, 1 << 20])
def test_bad_payloads_are_refused_with_what_is_wrong(data: bytes, message: str,
                                                      size: int) -> None:
    with pytest.raises(SyncFormatError, match=message):
        read(data, size=size, batch_bytes=200)


def test_a_line_that_never_ends_is_refused_without_reading_on(monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    from app.sync import ho_decode

    monkeypatch.setattr(ho_decode, "MAX_LINE_BYTES", 1000)
    endless = PAYLOAD.replace(b",\n", b",")
    with pytest.raises(SyncFormatError, match="not written one per line"):
        read(endless * 3, size=100, batch_bytes=10)
