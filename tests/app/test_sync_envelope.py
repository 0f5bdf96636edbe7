"""The sync file envelope (app.sync.envelope) and its keys (app.sync.keys).

Several tests parse and rebuild files with the layout of docs/sync-format.md written out
independently here, so the code and the document are checked against each other.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import random
import re
import struct
import sys
import time
import tracemalloc
import uuid
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import DomainError
from app.sync import SyncError, SyncFormatError
from app.sync.envelope import (
    PayloadReader,
    open_sync_file,
    read_header,
    sign_detached,
    sign_document,
    verify_detached,
    verify_document,
    write_sync_file,
)
from app.sync.keys import (
    DeviceKey,
    HeadOfficeKeys,
    export_device_public,
    fingerprint,
    load_device_public,
    load_headoffice_public,
    write_headoffice_keys,
)

MAGIC = b"CDSYNC\x00\x01"
SIGNATURE_CONTEXT = b"centredesk-sync v1 signature"
HEADER = {"format_version": 1, "schema_version": "0004_incidents", "centre_code": "SANDHOLM",
          "device_id": "6f1c1f4e-3a0b-4a55-9a43-2f7f8d1c0b77", "first_seq": 1, "last_seq": 42,
          "change_count": 42, "created_at": "2025-03-01T12:00:00+00:00"}


@pytest.fixture(scope="module")
def headoffice() -> HeadOfficeKeys:
    return HeadOfficeKeys.generate()


@pytest.fixture(scope="module")
def device() -> DeviceKey:
    return DeviceKey.generate()


def _payload(size: int, seed: int = 1) -> bytes:
    """JSON-like text with enough randomness that it does not compress to nothing."""
    rng = random.Random(seed)
    words = ["resident", "bed", "incident", "Østergård", "شاهد", "visitor", "allowance", "shift"]
    parts = []
    total = 0
    while total < size:
        part = f'{{"id":{rng.randrange(10**9)},"w":"{rng.choice(words)}","n":{rng.random()}}},'
        parts.append(part)
        total += len(part.encode())
    return "".join(parts).encode()[:size]


def _pieces(data: bytes, rng: random.Random):
    """``data`` in pieces of arbitrary size, empty ones included."""
    position = 0
    while position < len(data):
        size = rng.choice([0, 1, 7, 100, 1000, 5000, 70000])
        yield data[position:position + size]
        position += size


def _write(path: Path, payload: bytes, headoffice, device, *, chunk_size: int = 1 << 20,
           header: dict | None = None) -> dict:
    return write_sync_file(path, dict(header or HEADER), [payload],
                           recipient=headoffice.public(), device_key=device,
                           chunk_size=chunk_size)


def _read_all(path: Path, headoffice, device, **kwargs) -> bytes:
    with open_sync_file(path, verify_key=device.public_bytes(), headoffice=headoffice,
                        **kwargs) as sync:
        return b"".join(sync)


# --- the layout, written out independently of app.sync.envelope -----------------------------

def _parse(data: bytes) -> tuple[bytes, dict, list[bytes], bytes]:
    """(magic + hlen + header, header, chunk ciphertexts, signature)."""
    assert data[:8] == MAGIC
    (hlen,) = struct.unpack(">I", data[8:12])
    prelude = data[:12 + hlen]
    header = json.loads(data[12:12 + hlen])
    chunks = []
    position = 12 + hlen
    while position < len(data) - 64:
        (length,) = struct.unpack(">I", data[position:position + 4])
        chunks.append(data[position + 4:position + 4 + length])
        position += 4 + length
    assert position == len(data) - 64
    return prelude, header, chunks, data[-64:]


def _assemble(prelude: bytes, chunks: list[bytes], signer: DeviceKey) -> bytes:
    """A file from its parts, signed by ``signer`` (as an attacker holding that key would)."""
    body = prelude + b"".join(struct.pack(">I", len(c)) + c for c in chunks)
    return body + signer.sign(SIGNATURE_CONTEXT + hashlib.sha512(body).digest())


def _split(data: bytes, size: int = 1024) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


def _forge(path: Path, plaintexts: list[bytes], headoffice, device, *, header: dict | None = None,
           finals: list[bool] | None = None) -> None:
    """Encrypt and sign arbitrary plaintext chunks by the documented construction."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    recipient = headoffice.public()
    full = dict(header or HEADER)
    full.update(cipher="X25519-HKDF-SHA256-AES256GCM-STREAM", compression="zlib",
                chunk_size=1024, recipient_key_id=recipient.key_id,
                sender_key_id=device.fingerprint,
                ephemeral_key=base64.b64encode(ephemeral_public).decode())
    header_bytes = json.dumps(full, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.x25519))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient.x25519,
               info=b"centredesk-sync v1 payload").derive(shared)
    aad = hashlib.sha256(header_bytes).digest()
    if finals is None:
        finals = [i == len(plaintexts) - 1 for i in range(len(plaintexts))]
    chunks = [AESGCM(key).encrypt(i.to_bytes(11, "big") + bytes([final]), plaintext, aad)
              for i, (plaintext, final) in enumerate(zip(plaintexts, finals, strict=True))]
    prelude = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
    path.write_bytes(_assemble(prelude, chunks, device))


# --- round trips ----------------------------------------------------------------------------

def test_round_trip_small(tmp_path, headoffice, device):
    path = tmp_path / "sandholm-000001.cdsync"
    payload = b'{"changes": [{"table": "residents", "name": "\xc3\x98stergaard"}]}'
    written = _write(path, payload, headoffice, device)

    assert {k: written[k] for k in HEADER} == HEADER
    assert written["cipher"] == "X25519-HKDF-SHA256-AES256GCM-STREAM"
    assert written["compression"] == "zlib"
    assert written["chunk_size"] == 1 << 20
    assert written["recipient_key_id"] == headoffice.key_id == fingerprint(
        headoffice.public().x25519)
    assert written["sender_key_id"] == device.fingerprint
    assert len(base64.b64decode(written["ephemeral_key"])) == 32
    assert read_header(path) == written
    assert list(tmp_path.iterdir()) == [path]  # no .part left behind

    data = path.read_bytes()
    assert payload not in data  # encrypted
    _prelude, header, chunks, _sig = _parse(data)
    assert header == written
    assert len(chunks) == 1
    assert _read_all(path, headoffice, device) == payload
    with open_sync_file(path, verify_key=device.public_bytes(), headoffice=headoffice) as sync:
        assert sync.header == written


def test_empty_payload_is_one_final_chunk(tmp_path, headoffice, device):
    path = tmp_path / "empty.cdsync"
    write_sync_file(path, HEADER, [], recipient=headoffice.public(), device_key=device)
    assert len(_parse(path.read_bytes())[2]) == 1
    assert _read_all(path, headoffice, device) == b""


def test_round_trip_many_chunks_from_pieces_of_any_size(tmp_path, headoffice, device):
    payload = _payload(300_000) + os.urandom(100_000)  # the random tail does not compress
    path = tmp_path / "many.cdsync"
    write_sync_file(path, HEADER, _pieces(payload, random.Random(3)),
                    recipient=headoffice.public(), device_key=device, chunk_size=1024)
    chunks = _parse(path.read_bytes())[2]
    assert len(chunks) > 100
    assert all(len(c) == 1024 + 16 for c in chunks[:-1])  # every chunk but the last is full
    assert 16 < len(chunks[-1]) <= 1024 + 16
    assert _read_all(path, headoffice, device) == payload


@pytest.mark.parametrize("parts", [1, 3])
def test_compressed_payload_of_whole_chunks_ends_with_a_full_final_chunk(
        tmp_path, headoffice, device, parts):
    payload = os.urandom(5000)
    # zlib.compress makes the same stream as zlib.compressobj(); grow it to a multiple of parts
    while (compressed := len(zlib.compress(payload))) % parts:
        payload += os.urandom(1)
    path = tmp_path / "exact.cdsync"
    _write(path, payload, headoffice, device, chunk_size=compressed // parts)
    chunks = _parse(path.read_bytes())[2]
    assert [len(c) for c in chunks] == [compressed // parts + 16] * parts
    assert _read_all(path, headoffice, device) == payload


def test_payload_reader_feeds_a_json_parser(tmp_path, headoffice, device):
    document = {"changes": [{"seq": i, "name": "Østergård شاهد"} for i in range(5000)]}
    path = tmp_path / "json.cdsync"
    _write(path, json.dumps(document, ensure_ascii=False).encode(), headoffice, device,
           chunk_size=1024)
    with open_sync_file(path, verify_key=device.public_bytes(), headoffice=headoffice) as sync:
        text = io.TextIOWrapper(io.BufferedReader(sync.payload()), encoding="utf-8")
        assert json.load(text) == document


def test_payload_reader_small_reads():
    reader = PayloadReader([b"ab", b"", b"cde", b"f"])
    assert reader.read(1) == b"a"
    assert reader.read(3) == b"b"  # one piece at a time, as a raw stream may
    assert reader.read() == b"cdef"
    assert reader.read(5) == b""


def test_every_file_has_a_fresh_ephemeral_key(tmp_path, headoffice, device):
    first = _write(tmp_path / "a.cdsync", b"same", headoffice, device)
    second = _write(tmp_path / "b.cdsync", b"same", headoffice, device)
    assert first["ephemeral_key"] != second["ephemeral_key"]
    assert _parse((tmp_path / "a.cdsync").read_bytes())[2] != _parse(
        (tmp_path / "b.cdsync").read_bytes())[2]


def test_file_follows_the_documented_construction(tmp_path, headoffice, device):
    """Decrypt a written file with the steps of docs/sync-format.md, not with the module."""
    payload = _payload(20_000)
    path = tmp_path / "doc.cdsync"
    _write(path, payload, headoffice, device, chunk_size=1024)
    data = path.read_bytes()
    prelude, header, chunks, signature = _parse(data)
    assert prelude[12:] == json.dumps(header, sort_keys=True, separators=(",", ":"),
                                      ensure_ascii=False).encode()
    Ed25519PublicKey.from_public_bytes(device.public_bytes()).verify(
        signature, SIGNATURE_CONTEXT + hashlib.sha512(data[:-64]).digest())
    ephemeral_public = base64.b64decode(header["ephemeral_key"])
    recipient_public = headoffice.public().x25519
    shared = headoffice.x25519.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
               info=b"centredesk-sync v1 payload").derive(shared)
    aad = hashlib.sha256(prelude[12:]).digest()
    compressed = b"".join(
        AESGCM(key).decrypt(i.to_bytes(11, "big") + bytes([i == len(chunks) - 1]), c, aad)
        for i, c in enumerate(chunks))
    assert zlib.decompress(compressed) == payload


def test_reader_accepts_an_independently_made_file(tmp_path, headoffice, device):
    compressed = zlib.compress(b"hello head office" * 1000)
    path = tmp_path / "forged.cdsync"
    _forge(path, _split(compressed), headoffice, device)
    assert _read_all(path, headoffice, device) == b"hello head office" * 1000


def test_large_payload_streams_in_bounded_memory(tmp_path, headoffice, device):
    block = _payload(1 << 20, seed=7)
    total = 50 << 20

    def produce():
        for i in range(total // (256 << 10)):
            start = (i * 4099) % (768 << 10)
            yield block[start:start + (256 << 10)]

    expected = hashlib.sha256()
    for piece in produce():
        expected.update(piece)
    path = tmp_path / "large.cdsync"
    started = time.perf_counter()
    tracemalloc.start()
    try:
        write_sync_file(path, HEADER, produce(), recipient=headoffice.public(),
                        device_key=device)
        got = hashlib.sha256()
        size = 0
        with open_sync_file(path, verify_key=device.public_bytes(),
                            headoffice=headoffice) as sync:
            for piece in sync:
                got.update(piece)
                size += len(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert size == total
    assert got.digest() == expected.digest()
    assert peak < 20 << 20, f"peak {peak / 2**20:.1f} MiB"
    assert elapsed < 30


# --- damage ---------------------------------------------------------------------------------

@pytest.fixture
def sample(tmp_path, headoffice, device) -> Path:
    path = tmp_path / "sample.cdsync"
    _write(path, _payload(10_000), headoffice, device, chunk_size=1024)
    return path


def _rejected(path: Path, headoffice, device, match: str | None = None) -> SyncFormatError:
    with pytest.raises(SyncFormatError, match=match) as caught:
        _read_all(path, headoffice, device)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(path.name + ": ")
    return caught.value


@pytest.mark.parametrize("where", ["empty", "in magic", "in length", "in header", "after header",
                                   "in chunk length", "in chunk", "before signature",
                                   "in signature", "last byte"])
def test_truncated_file_is_rejected(sample, headoffice, device, where):
    data = sample.read_bytes()
    (hlen,) = struct.unpack(">I", data[8:12])
    body = 12 + hlen
    cut = {"empty": 0, "in magic": 5, "in length": 10, "in header": 12 + hlen // 2,
           "after header": body, "in chunk length": body + 2, "in chunk": body + 500,
           "before signature": len(data) - 64, "in signature": len(data) - 30,
           "last byte": len(data) - 1}[where]
    sample.write_bytes(data[:cut])
    _rejected(sample, headoffice, device)
    if cut < body:
        with pytest.raises(SyncFormatError):
            read_header(sample)
    else:
        assert read_header(sample)["centre_code"] == "SANDHOLM"


def test_truncation_at_every_chunk_boundary_is_rejected(sample, headoffice, device):
    data = sample.read_bytes()
    prelude, _header, chunks, signature = _parse(data)
    for keep in range(len(chunks)):
        sample.write_bytes(data[:len(prelude) + sum(4 + len(c) for c in chunks[:keep])]
                           + signature)
        _rejected(sample, headoffice, device)


def test_a_flipped_bit_anywhere_is_rejected(tmp_path, headoffice, device):
    path = tmp_path / "tiny.cdsync"
    _write(path, b'{"changes": []}', headoffice, device)
    data = path.read_bytes()
    for position in range(len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 1 << (position % 8)
        path.write_bytes(bytes(damaged))
        with pytest.raises(SyncFormatError):
            _read_all(path, headoffice, device)


def test_flipped_bit_in_header_chunk_or_signature(sample, headoffice, device):
    data = sample.read_bytes()
    prelude, _header, _chunks, _signature = _parse(data)
    centre = prelude.index(b"SANDHOLM")
    cases = {centre: "signature is not valid",  # still valid JSON: "SANDHOLM" -> "RANDHOLM"
             12: "header is damaged",  # "{" -> "z"
             len(prelude) + 4 + 100: "signature is not valid",
             len(data) - 10: "signature is not valid"}
    for position, message in cases.items():
        damaged = bytearray(data)
        damaged[position] ^= 1
        sample.write_bytes(bytes(damaged))
        _rejected(sample, headoffice, device, message)


def test_signature_by_another_device_key_is_rejected(sample, headoffice, device):
    other = DeviceKey.generate()
    prelude, _header, chunks, _signature = _parse(sample.read_bytes())
    sample.write_bytes(_assemble(prelude, chunks, other))  # header still names the real key
    _rejected(sample, headoffice, device, "signature is not valid")
    # and a file honestly signed by another device is not taken for this device's
    _write(sample, b"{}", headoffice, other)
    _rejected(sample, headoffice, device, "signed by device key")


def test_file_for_another_head_office_is_rejected(sample, headoffice, device):
    other = HeadOfficeKeys.generate()
    _write(sample, b"{}", other, device)
    _rejected(sample, headoffice, device, "encrypted to head office key")
    assert _read_all(sample, other, device) == b"{}"


def test_reordered_chunks_are_caught_even_when_re_signed(sample, headoffice, device):
    prelude, _header, chunks, _signature = _parse(sample.read_bytes())
    assert len(chunks) >= 4
    for first in (0, 1):
        swapped = list(chunks)
        swapped[first], swapped[first + 1] = swapped[first + 1], swapped[first]
        sample.write_bytes(_assemble(prelude, swapped, device))
        _rejected(sample, headoffice, device, rf"chunk {first} is damaged or out of order")


def test_dropped_final_chunk_is_caught_even_when_re_signed(sample, headoffice, device):
    prelude, _header, chunks, _signature = _parse(sample.read_bytes())
    sample.write_bytes(_assemble(prelude, chunks[:-1], device))
    _rejected(sample, headoffice, device, "final chunk is missing")


def test_chunk_after_the_final_one_is_caught_even_when_re_signed(sample, headoffice, device):
    prelude, _header, chunks, _signature = _parse(sample.read_bytes())
    sample.write_bytes(_assemble(prelude, [*chunks, chunks[0]], device))
    _rejected(sample, headoffice, device, "data after the final chunk")


@pytest.mark.parametrize("garbage", [b"\x00", b"x" * 63, b"x" * 64, os.urandom(1000)])
def test_appended_garbage_is_rejected(sample, headoffice, device, garbage):
    sample.write_bytes(sample.read_bytes() + garbage)
    _rejected(sample, headoffice, device)


def test_stray_bytes_between_chunks_and_signature_are_rejected_when_re_signed(
        sample, headoffice, device):
    prelude, _header, chunks, _signature = _parse(sample.read_bytes())
    body = prelude + b"".join(struct.pack(">I", len(c)) + c for c in chunks) + b"\x00\x00\x01"
    sample.write_bytes(body + device.sign(SIGNATURE_CONTEXT + hashlib.sha512(body).digest()))
    _rejected(sample, headoffice, device, "truncated or has data appended")


def test_zlib_problems_inside_valid_encryption_are_rejected(tmp_path, headoffice, device):
    path = tmp_path / "zlib.cdsync"
    compressed = zlib.compress(b"payload " * 500)
    _forge(path, [b"this is not zlib data"], headoffice, device)
    _rejected(path, headoffice, device, "compressed payload is damaged")
    _forge(path, [compressed[:-5]], headoffice, device)
    _rejected(path, headoffice, device, "compressed payload is incomplete")
    _forge(path, [compressed, b"more"], headoffice, device)
    _rejected(path, headoffice, device, "after the end of the compressed payload")
    _forge(path, [compressed[:10], compressed[10:]], headoffice, device, finals=[True, True])
    _rejected(path, headoffice, device, "data after the final chunk")


def test_decompression_is_bounded(tmp_path, headoffice, device):
    path = tmp_path / "bomb.cdsync"
    _forge(path, _split(zlib.compress(bytes(20 << 20), 9)), headoffice, device)  # 20 MiB of zeros
    with open_sync_file(path, verify_key=device.public_bytes(), headoffice=headoffice) as sync:
        assert max(len(piece) for piece in sync) <= 1 << 20
    with pytest.raises(SyncFormatError, match="larger than"):
        _read_all(path, headoffice, device, max_payload_size=1 << 20)


def test_not_a_sync_file(tmp_path, headoffice, device):
    path = tmp_path / "other.cdsync"
    for content in (b"", b"CDSY", b'{"kind": "centredesk-device-key"}', os.urandom(500)):
        path.write_bytes(content)
        with pytest.raises(SyncFormatError, match="not a Centre Desk sync file"):
            read_header(path)
        _rejected(path, headoffice, device, "not a Centre Desk sync file")


def test_unsupported_format_version(sample, headoffice, device):
    sample.write_bytes(b"CDSYNC\x00\x02" + sample.read_bytes()[8:])
    with pytest.raises(SyncFormatError, match="unsupported format version 2"):
        read_header(sample)


def test_damaged_header(sample, headoffice, device):
    data = sample.read_bytes()
    _prelude, header, chunks, _signature = _parse(data)

    def with_header(raw: bytes) -> None:
        sample.write_bytes(_assemble(MAGIC + struct.pack(">I", len(raw)) + raw, chunks, device))

    with_header(b"[1, 2]")
    with pytest.raises(SyncFormatError, match="header is damaged"):
        read_header(sample)
    with_header(json.dumps(header).encode())  # not canonical
    with pytest.raises(SyncFormatError, match="header is damaged"):
        read_header(sample)
    with_header(json.dumps({k: v for k, v in header.items() if k != "ephemeral_key"},
                           sort_keys=True, separators=(",", ":")).encode())
    with pytest.raises(SyncFormatError, match="header is damaged"):
        read_header(sample)
    with_header(json.dumps({**header, "cipher": "ROT13"}, sort_keys=True,
                           separators=(",", ":")).encode())
    with pytest.raises(SyncFormatError, match="unsupported cipher"):
        read_header(sample)
    sample.write_bytes(data[:8] + struct.pack(">I", 1 << 30) + data[12:])
    with pytest.raises(SyncFormatError, match="header is damaged"):
        read_header(sample)


def test_failed_write_leaves_nothing(tmp_path, headoffice, device):
    path = tmp_path / "failed.cdsync"

    def broken():
        yield b"some data"
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_sync_file(path, HEADER, broken(), recipient=headoffice.public(), device_key=device)
    assert list(tmp_path.iterdir()) == []


def test_write_refuses_envelope_fields_and_odd_chunk_sizes(tmp_path, headoffice, device):
    with pytest.raises(ValueError, match="recipient_key_id"):
        _write(tmp_path / "a", b"", headoffice, device, header={"recipient_key_id": "x"})
    with pytest.raises(ValueError, match="chunk_size"):
        _write(tmp_path / "a", b"", headoffice, device, chunk_size=0)


def test_sync_errors_are_domain_errors():
    assert issubclass(SyncFormatError, SyncError)
    assert issubclass(SyncError, DomainError)


# --- keys -----------------------------------------------------------------------------------

def test_fingerprint():
    key = bytes(range(32))
    value = fingerprint(key)
    assert re.fullmatch(r"([0-9a-f]{4}:){7}[0-9a-f]{4}", value)
    assert value.replace(":", "") == hashlib.sha256(key).hexdigest()[:32]


def test_device_key_pem_round_trip_and_wrong_passphrase(device):
    pem = device.to_encrypted_pem(b"machine secret")
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert DeviceKey.from_encrypted_pem(pem, b"machine secret").public_bytes() == (
        device.public_bytes())
    with pytest.raises(SyncError, match="Wrong passphrase"):
        DeviceKey.from_encrypted_pem(pem, b"another secret")
    with pytest.raises(SyncFormatError, match="not an encrypted device key"):
        DeviceKey.from_encrypted_pem(b"garbage", b"machine secret")


def test_device_key_signs(device):
    signature = device.sign(b"data")
    Ed25519PublicKey.from_public_bytes(device.public_bytes()).verify(signature, b"data")
    assert len(device.public_bytes()) == 32


def test_device_public_file_round_trip(device):
    device_id = uuid.uuid4()
    text = export_device_public(device_id, "SANDHOLM", device)
    assert json.loads(text)["kind"] == "centredesk-device-key"
    public = load_device_public(text)
    assert public.device_id == device_id
    assert public.centre_code == "SANDHOLM"
    assert public.public_key == device.public_bytes()
    assert public.fingerprint == device.fingerprint


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: "not json {", "not valid JSON"),
    (lambda d: "[1]", "not a JSON object"),
    (lambda d: {**d, "kind": "centredesk-headoffice-key"}, "is not of kind"),
    (lambda d: {**d, "version": 2}, "unsupported version"),
    (lambda d: {**d, "device_id": "centre-1"}, "not a UUID"),
    (lambda d: {**d, "centre_code": ""}, "centre_code is missing"),
    (lambda d: {**d, "ed25519": "***"}, "not valid base64"),
    (lambda d: {**d, "ed25519": base64.b64encode(b"short").decode()}, "must be 32 bytes"),
    (lambda d: {k: v for k, v in d.items() if k != "ed25519"}, "ed25519 is missing"),
])
def test_garbled_device_public_file(device, change, message):
    original = json.loads(export_device_public(uuid.uuid4(), "SANDHOLM", device))
    changed = change(original)
    text = changed if isinstance(changed, str) else json.dumps(changed)
    with pytest.raises(SyncFormatError, match=message) as caught:
        load_device_public(text)
    assert "\n" not in str(caught.value)


def test_headoffice_public_file_round_trip(headoffice):
    text = headoffice.public_file_text()
    data = json.loads(text)
    assert data["kind"] == "centredesk-headoffice-key" and data["version"] == 1
    assert data["key_id"] == headoffice.key_id
    public = load_headoffice_public(text)
    assert public == headoffice.public()
    assert public.key_id == fingerprint(public.x25519)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: "", "not valid JSON"),
    (lambda d: {**d, "kind": "centredesk-device-key"}, "is not of kind"),
    (lambda d: {**d, "key_id": "0000:0000:0000:0000:0000:0000:0000:0000"}, "key id does not"),
    (lambda d: {**d, "x25519": d["x25519"][:-4]}, "must be 32 bytes"),
    (lambda d: {**d, "ed25519": "not base64!"}, "not valid base64"),
])
def test_garbled_headoffice_public_file(headoffice, change, message):
    changed = change(json.loads(headoffice.public_file_text()))
    text = changed if isinstance(changed, str) else json.dumps(changed)
    with pytest.raises(SyncFormatError, match=message):
        load_headoffice_public(text)


def test_headoffice_private_file_round_trip_and_wrong_passphrase(headoffice):
    data = headoffice.private_file_bytes(b"correct horse", scrypt_n=2**12)
    assert b"PRIVATE" not in data and base64.b64encode(
        headoffice.x25519.private_bytes_raw()) not in data
    loaded = HeadOfficeKeys.load_private(data, b"correct horse")
    assert loaded.public() == headoffice.public()
    assert loaded.ed25519.private_bytes_raw() == headoffice.ed25519.private_bytes_raw()
    with pytest.raises(SyncError, match="Wrong passphrase"):
        HeadOfficeKeys.load_private(data, b"wrong horse")
    # the scrypt settings are authenticated too: weakening them makes the file unusable
    tampered = json.loads(data)
    tampered["kdf"]["n"] = 2**4
    with pytest.raises(SyncError, match="Wrong passphrase"):
        HeadOfficeKeys.load_private(json.dumps(tampered).encode(), b"correct horse")
    with pytest.raises(SyncFormatError, match="not valid JSON"):
        HeadOfficeKeys.load_private(b"\x00garbage", b"correct horse")


def test_write_headoffice_keys(tmp_path):
    public_path, private_path = write_headoffice_keys(tmp_path / "keys", b"long passphrase")
    assert (public_path.name, private_path.name) == ("headoffice.pub", "headoffice.key")
    if sys.platform != "win32":
        assert private_path.stat().st_mode & 0o777 == 0o600
    keys = HeadOfficeKeys.load_private(private_path.read_bytes(), b"long passphrase")
    assert load_headoffice_public(public_path.read_text(encoding="utf-8")) == keys.public()

    before = (public_path.read_bytes(), private_path.read_bytes())
    with pytest.raises(SyncError, match="already exists"):
        write_headoffice_keys(tmp_path / "keys", b"long passphrase")
    public_path.unlink()
    with pytest.raises(SyncError, match="already exists"):
        write_headoffice_keys(tmp_path / "keys", b"long passphrase")
    assert private_path.read_bytes() == before[1]
    assert not public_path.exists()


def test_write_headoffice_keys_needs_a_passphrase(tmp_path):
    with pytest.raises(SyncError, match="passphrase is required"):
        write_headoffice_keys(tmp_path, b"")
    assert list(tmp_path.iterdir()) == []


# --- signed documents -----------------------------------------------------------------------

def test_signed_document_round_trip_and_tampering(headoffice):
    receipt = {"kind": "centredesk-receipt", "centre_code": "SANDHOLM", "last_seq": 42,
               "files": ["sandholm-000001.cdsync"], "note": "Østergård"}
    signed = sign_document(receipt, headoffice.ed25519)
    public = headoffice.public().ed25519
    assert verify_document(json.loads(json.dumps(signed)), public) == receipt

    for tampered in ({**signed, "last_seq": 43}, {**signed, "extra": True},
                     {k: v for k, v in signed.items() if k != "note"}):
        with pytest.raises(SyncFormatError, match="signature is not valid"):
            verify_document(tampered, public)
    with pytest.raises(SyncFormatError, match="not signed"):
        verify_document(receipt, public)
    with pytest.raises(SyncFormatError):
        verify_document({**signed, "signature": "AAAA"}, public)
    with pytest.raises(SyncFormatError, match="signature is not valid"):
        verify_document(signed, DeviceKey.generate().public_bytes())


def test_detached_signatures(device):
    signature = sign_detached(b"receipt", device)
    verify_detached(b"receipt", signature, device.public_bytes())
    with pytest.raises(SyncFormatError):
        verify_detached(b"receipt!", signature, device.public_bytes())
