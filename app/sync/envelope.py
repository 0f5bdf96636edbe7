"""The sync file envelope: a plaintext JSON header and a zlib-compressed payload encrypted to
head office's X25519 key (AES-256-GCM in the STREAM construction) and signed with the centre's
Ed25519 device key. Writing and reading stream with bounded memory.

The layout is documented in docs/sync-format.md; keep the two in step.

    magic   8 bytes   b"CDSYNC\\x00\\x01"
    hlen    4 bytes   big-endian length of the header
    header  hlen bytes canonical UTF-8 JSON
    chunks  repeated: 4-byte big-endian length L, then L bytes of AES-256-GCM ciphertext+tag
    sig     64 bytes  Ed25519 over SIGNATURE_CONTEXT + SHA-512(everything before sig)
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Self

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.i18n import _
from app.sync import SyncFormatError
from app.sync.keys import (
    DeviceKey,
    HeadOfficeKeys,
    HeadOfficePublic,
    b64decode,
    b64encode,
    fingerprint,
)

MAGIC_PREFIX = b"CDSYNC"
FORMAT_VERSION = 1
MAGIC = MAGIC_PREFIX + FORMAT_VERSION.to_bytes(2, "big")
CIPHER = "X25519-HKDF-SHA256-AES256GCM-STREAM"
COMPRESSION = "zlib"
#: Fast rather than smallest: a 10-year centre exports in seconds (level 1 is ~3x faster
#: than the default 6 and the files are ~25% larger).
COMPRESSION_LEVEL = 1
HKDF_INFO = b"centredesk-sync v1 payload"
SIGNATURE_CONTEXT = b"centredesk-sync v1 signature"
DOCUMENT_CONTEXT = b"centredesk-sync v1 document"
SIGNATURE_FIELD = "signature"

DEFAULT_CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 16 << 20
MAX_HEADER_SIZE = 64 << 10
TAG_SIZE = 16
SIGNATURE_SIZE = 64
# Decompressed output is produced at most this much at a time (decompression bombs).
MAX_OUTPUT_PIECE = 1 << 20
_COMPRESS_INPUT_PIECE = 1 << 20
_READ_BLOCK = 1 << 20
_LENGTH = struct.Struct(">I")

ENVELOPE_FIELDS = ("cipher", "compression", "chunk_size", "recipient_key_id", "sender_key_id",
                   "ephemeral_key")


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no whitespace: the bytes that are hashed and signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def derive_payload_key(shared_secret: bytes, ephemeral_public: bytes,
                       recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=HKDF_INFO).derive(shared_secret)


def chunk_nonce(index: int, final: bool) -> bytes:
    """11-byte big-endian chunk counter followed by the final flag byte."""
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


# --- writing --------------------------------------------------------------------------------

def write_sync_file(path: Path, header: dict[str, Any], payload_chunks: Iterable[bytes], *,
                    recipient: HeadOfficePublic, device_key: DeviceKey,
                    chunk_size: int = DEFAULT_CHUNK_SIZE) -> dict[str, Any]:
    """Write a sync file in one streaming pass; return the full header that was written.

    The file is written to ``<path>.part``, fsynced and renamed over ``path``, so ``path``
    is either absent or complete. ``payload_chunks`` are byte strings of any size.
    """
    path = Path(path)
    if not 1 <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"chunk_size must be between 1 and {MAX_CHUNK_SIZE}")
    clash = sorted(set(header) & set(ENVELOPE_FIELDS))
    if clash:
        raise ValueError(f"the envelope sets these header fields itself: {clash}")

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    full = dict(header)
    full.update(cipher=CIPHER, compression=COMPRESSION, chunk_size=chunk_size,
                recipient_key_id=recipient.key_id, sender_key_id=device_key.fingerprint,
                ephemeral_key=b64encode(ephemeral_public))
    header_bytes = canonical_json(full)
    if len(header_bytes) > MAX_HEADER_SIZE:
        raise ValueError(f"the header is larger than {MAX_HEADER_SIZE} bytes")
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient.x25519))
    aead = AESGCM(derive_payload_key(shared, ephemeral_public, recipient.x25519))
    aad = hashlib.sha256(header_bytes).digest()

    part = path.with_suffix(path.suffix + ".part")
    digest = hashlib.sha512()
    try:
        with open(part, "wb") as out:
            def emit(data: bytes) -> None:
                digest.update(data)
                out.write(data)

            emit(MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes)
            chunks = _plaintext_chunks(payload_chunks, chunk_size)
            for index, (plaintext, final) in enumerate(chunks):
                ciphertext = aead.encrypt(chunk_nonce(index, final), plaintext, aad)
                emit(_LENGTH.pack(len(ciphertext)))
                emit(ciphertext)
            out.write(device_key.sign(SIGNATURE_CONTEXT + digest.digest()))
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return json.loads(header_bytes)


def _plaintext_chunks(payload: Iterable[bytes], chunk_size: int) -> Iterator[tuple[bytes, bool]]:
    """The compressed payload cut into ``chunk_size`` pieces, each with its "final" flag.

    Every chunk but the last is exactly ``chunk_size`` bytes; there is always one final chunk.
    """
    compressor = zlib.compressobj(COMPRESSION_LEVEL)
    buffer = bytearray()
    for piece in payload:
        view = memoryview(piece)
        for start in range(0, len(view), _COMPRESS_INPUT_PIECE):
            buffer += compressor.compress(view[start:start + _COMPRESS_INPUT_PIECE])
            # keep more than one chunk's worth back: the last chunk must carry the final flag
            while len(buffer) > chunk_size:
                yield bytes(buffer[:chunk_size]), False
                del buffer[:chunk_size]
    buffer += compressor.flush()
    while len(buffer) > chunk_size:
        yield bytes(buffer[:chunk_size]), False
        del buffer[:chunk_size]
    yield bytes(buffer), True


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (POSIX; Windows cannot open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- reading --------------------------------------------------------------------------------

def _fail(path: Path, reason: str) -> SyncFormatError:
    return SyncFormatError(_("{file}: {reason}").format(file=Path(path).name, reason=reason))


def _read_exactly(handle: BinaryIO, size: int) -> bytes:
    data = handle.read(size)
    return data if data is not None else b""


def _read_prelude(handle: BinaryIO, path: Path, file_size: int) -> tuple[dict[str, Any], bytes]:
    """Read and check magic, length and header; return the header and its bytes."""
    magic = _read_exactly(handle, len(MAGIC))
    if len(magic) < len(MAGIC) or not magic.startswith(MAGIC_PREFIX):
        raise _fail(path, _("not a Centre Desk sync file."))
    if magic != MAGIC:
        raise _fail(path, _("unsupported format version {version} (this program reads version "
                            "{supported}).").format(version=int.from_bytes(magic[6:], "big"),
                                                    supported=FORMAT_VERSION))
    length_bytes = _read_exactly(handle, _LENGTH.size)
    if len(length_bytes) < _LENGTH.size:
        raise _fail(path, _("the file is truncated (it ends in the header)."))
    (header_length,) = _LENGTH.unpack(length_bytes)
    if header_length > MAX_HEADER_SIZE:
        raise _fail(path, _("the header is damaged (impossible length {length}).").format(
            length=header_length))
    if len(MAGIC) + _LENGTH.size + header_length > file_size:
        raise _fail(path, _("the file is truncated (it ends in the header)."))
    header_bytes = _read_exactly(handle, header_length)
    if len(header_bytes) < header_length:
        raise _fail(path, _("the file is truncated (it ends in the header)."))
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _fail(path, _("the header is damaged (not valid JSON).")) from None
    if not isinstance(header, dict):
        raise _fail(path, _("the header is damaged (not a JSON object)."))
    if canonical_json(header) != header_bytes:
        raise _fail(path, _("the header is damaged (not canonical JSON)."))
    _check_envelope_fields(header, path)
    return header, header_bytes


def _check_envelope_fields(header: dict[str, Any], path: Path) -> None:
    missing = [name for name in ENVELOPE_FIELDS if name not in header]
    if missing:
        raise _fail(path, _("the header is damaged (missing {fields}).").format(
            fields=", ".join(missing)))
    if header["cipher"] != CIPHER:
        raise _fail(path, _("unsupported cipher {cipher!r}.").format(cipher=header["cipher"]))
    if header["compression"] != COMPRESSION:
        raise _fail(path, _("unsupported compression {compression!r}.").format(
            compression=header["compression"]))
    chunk_size = header["chunk_size"]
    if (not isinstance(chunk_size, int) or isinstance(chunk_size, bool)
            or not 1 <= chunk_size <= MAX_CHUNK_SIZE):
        raise _fail(path, _("the header is damaged (bad chunk_size)."))
    for name in ("recipient_key_id", "sender_key_id"):
        if not isinstance(header[name], str):
            raise _fail(path, _("the header is damaged (bad {field}).").format(field=name))
    try:
        b64decode(header["ephemeral_key"], "ephemeral_key", length=32)
    except SyncFormatError:
        raise _fail(path, _("the header is damaged (bad ephemeral_key).")) from None


def read_header(path: Path) -> dict[str, Any]:
    """The plaintext header only, unverified (for listing files and finding the device key)."""
    path = Path(path)
    with open(path, "rb") as handle:
        return _read_prelude(handle, path, os.fstat(handle.fileno()).st_size)[0]


def _walk_chunks(handle: BinaryIO, path: Path, start: int, end: int, chunk_size: int,
                 digest: Any) -> Iterator[tuple[int, int]]:
    """Walk the chunk framing between ``start`` and ``end`` (the signature's offset), feeding
    every byte to ``digest``; yield (ciphertext offset, ciphertext length) per chunk. The
    caller may read the ciphertext before asking for the next one; this reads it otherwise."""
    if end < start:
        raise _fail(path, _("the file is truncated (no chunks and no signature)."))
    position = start
    index = 0
    while position < end:
        handle.seek(position)
        length_bytes = _read_exactly(handle, _LENGTH.size)
        if position + _LENGTH.size > end or len(length_bytes) < _LENGTH.size:
            raise _fail(path, _("the file is truncated or has data appended (chunk {index} "
                                "runs past the signature).").format(index=index))
        (length,) = _LENGTH.unpack(length_bytes)
        if not TAG_SIZE <= length <= chunk_size + TAG_SIZE:
            raise _fail(path, _("chunk {index} is damaged (impossible length {length}).").format(
                index=index, length=length))
        body = position + _LENGTH.size
        if body + length > end:
            raise _fail(path, _("the file is truncated or has data appended (chunk {index} "
                                "runs past the signature).").format(index=index))
        digest.update(length_bytes)
        yield body, length
        position = body + length
        index += 1
    if index == 0:
        raise _fail(path, _("the file has no payload chunks."))


def _hash_range(handle: BinaryIO, start: int, length: int, digest: Any) -> None:
    handle.seek(start)
    remaining = length
    while remaining:
        block = _read_exactly(handle, min(remaining, _READ_BLOCK))
        if not block:
            raise OSError("the file became shorter while it was being read")
        digest.update(block)
        remaining -= len(block)


class SyncFile:
    """An open, signature-checked sync file. Iterate over it (once) for the decompressed
    payload, or read it through ``payload()``. Use as a context manager, or call ``close()``.

    Decryption errors can only surface while the payload is read (the signature was checked
    already, so they mean the signer wrote a broken file): treat the payload as untrusted
    until the iteration has finished without an error.
    """

    def __init__(self, path: Path, handle: BinaryIO, header: dict[str, Any],
                 header_bytes: bytes, body: tuple[int, int], key: bytes, digest: bytes,
                 max_payload_size: int | None) -> None:
        self.path = path
        self.header = header
        self._handle = handle
        self._header_bytes = header_bytes
        self._body = body
        self._key = key
        self._signed_digest = digest
        self._max_payload_size = max_payload_size
        self._started = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._handle.close()

    def __iter__(self) -> Iterator[bytes]:
        if self._started:
            raise RuntimeError("the payload of a sync file can be read only once")
        self._started = True
        return self._payload()

    def payload(self) -> PayloadReader:
        """The payload as a binary file object (wrap in ``io.TextIOWrapper`` for text)."""
        return PayloadReader(iter(self))

    def _payload(self) -> Iterator[bytes]:
        path, handle = self.path, self._handle
        start, end = self._body
        aead = AESGCM(self._key)
        aad = hashlib.sha256(self._header_bytes).digest()
        digest = hashlib.sha512(MAGIC + _LENGTH.pack(len(self._header_bytes))
                                + self._header_bytes)
        decompressor = zlib.decompressobj()
        produced = 0
        chunks = _walk_chunks(handle, path, start, end, self.header["chunk_size"], digest)
        for index, (offset, length) in enumerate(chunks):
            handle.seek(offset)
            ciphertext = _read_exactly(handle, length)
            if len(ciphertext) < length:
                raise _fail(path, _("the file became shorter while it was being read."))
            digest.update(ciphertext)
            last_in_file = offset + length == end
            # only the last chunk in the file may, and must, carry the final flag
            plaintext = self._decrypt(aead, index, ciphertext, aad, last_in_file)
            try:
                data = plaintext
                while True:
                    piece = decompressor.decompress(data, MAX_OUTPUT_PIECE)
                    produced += len(piece)
                    if self._max_payload_size is not None and produced > self._max_payload_size:
                        raise _fail(path, _("the payload is larger than {limit} bytes.").format(
                            limit=self._max_payload_size))
                    if piece:
                        yield piece
                    data = decompressor.unconsumed_tail
                    if not data and len(piece) < MAX_OUTPUT_PIECE:
                        break
            except zlib.error as error:
                raise _fail(path, _("the compressed payload is damaged ({error}).").format(
                    error=error)) from None
            if decompressor.unused_data:
                raise _fail(path, _("there is data after the end of the compressed payload."))
        if not decompressor.eof:
            raise _fail(path, _("the compressed payload is incomplete."))
        if digest.digest() != self._signed_digest:
            raise _fail(path, _("the file changed while it was being read."))

    def _decrypt(self, aead: AESGCM, index: int, ciphertext: bytes, aad: bytes,
                 last_in_file: bool) -> bytes:
        try:
            return aead.decrypt(chunk_nonce(index, last_in_file), ciphertext, aad)
        except InvalidTag:
            pass
        # Say what is wrong: a chunk that is valid with the other final flag is misplaced.
        try:
            aead.decrypt(chunk_nonce(index, not last_in_file), ciphertext, aad)
        except InvalidTag:
            raise _fail(self.path, _("chunk {index} is damaged or out of order.").format(
                index=index)) from None
        if last_in_file:
            raise _fail(self.path, _("the final chunk is missing (the file is truncated)."))
        raise _fail(self.path, _("there is data after the final chunk."))


def open_sync_file(path: Path, *, verify_key: bytes, headoffice: HeadOfficeKeys,
                   max_payload_size: int | None = None) -> SyncFile:
    """Open a sync file for head office.

    First checks the device signature over the whole file (one streaming pass) and that the
    file is encrypted to ``headoffice``; only then is the payload available, decrypted and
    decompressed chunk by chunk as it is read. ``verify_key`` is the sending device's raw
    Ed25519 public key. Every problem raises ``SyncFormatError``.
    """
    path = Path(path)
    handle = open(path, "rb")  # noqa: SIM115 - the SyncFile returned owns it
    try:
        file_size = os.fstat(handle.fileno()).st_size
        header, header_bytes = _read_prelude(handle, path, file_size)
        start = handle.tell()
        end = file_size - SIGNATURE_SIZE
        expected_sender = fingerprint(verify_key)
        if header["sender_key_id"] != expected_sender:
            raise _fail(path, _("the file was signed by device key {found}, not by the expected "
                                "key {expected}.").format(found=header["sender_key_id"],
                                                          expected=expected_sender))
        digest = hashlib.sha512(MAGIC + _LENGTH.pack(len(header_bytes)) + header_bytes)
        for offset, length in _walk_chunks(handle, path, start, end, header["chunk_size"],
                                           digest):
            _hash_range(handle, offset, length, digest)
        handle.seek(end)
        signature = _read_exactly(handle, SIGNATURE_SIZE)
        signed_digest = digest.digest()
        try:
            Ed25519PublicKey.from_public_bytes(verify_key).verify(
                signature, SIGNATURE_CONTEXT + signed_digest)
        except (InvalidSignature, ValueError):
            raise _fail(path, _("the signature is not valid: the file was changed after it "
                                "was written, or signed with another key.")) from None
        recipient = headoffice.public()
        if header["recipient_key_id"] != recipient.key_id:
            raise _fail(path, _("the file is encrypted to head office key {found}, not to this "
                                "head office key {expected}.").format(
                                    found=header["recipient_key_id"], expected=recipient.key_id))
        ephemeral_public = b64decode(header["ephemeral_key"], "ephemeral_key", length=32)
        try:
            shared = headoffice.x25519.exchange(X25519PublicKey.from_public_bytes(
                ephemeral_public))
        except ValueError:
            raise _fail(path, _("the ephemeral key is not valid.")) from None
        key = derive_payload_key(shared, ephemeral_public, recipient.x25519)
        return SyncFile(path, handle, header, header_bytes, (start, end), key, signed_digest,
                        max_payload_size)
    except BaseException:
        handle.close()
        raise


class PayloadReader(io.RawIOBase):
    """A binary file object over an iterator of byte strings (e.g. a ``SyncFile``), for
    streaming parsers: ``io.TextIOWrapper(io.BufferedReader(reader), encoding="utf-8")``."""

    def __init__(self, pieces: Iterable[bytes]) -> None:
        super().__init__()
        self._pieces = iter(pieces)
        self._current = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        while not self._current:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._current = memoryview(piece)
        count = min(len(target), len(self._current))
        target[:count] = self._current[:count]
        self._current = self._current[count:]
        return count


# --- small signed documents (receipts) ------------------------------------------------------

def _private_key(key: DeviceKey | Ed25519PrivateKey) -> Ed25519PrivateKey:
    return key.private_key if isinstance(key, DeviceKey) else key


def sign_detached(data: bytes, key: DeviceKey | Ed25519PrivateKey) -> bytes:
    """A 64-byte Ed25519 signature over ``data``."""
    return _private_key(key).sign(data)


def verify_detached(data: bytes, signature: bytes, public_key: bytes) -> None:
    """Raise ``SyncFormatError`` unless ``signature`` is ``public_key``'s over ``data``."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, data)
    except (InvalidSignature, ValueError):
        raise SyncFormatError(_("The signature is not valid.")) from None


def sign_document(doc: dict[str, Any], key: DeviceKey | Ed25519PrivateKey) -> dict[str, Any]:
    """``doc`` with a ``"signature"`` field: base64 Ed25519 over DOCUMENT_CONTEXT + the
    canonical JSON of the other fields (an existing signature is replaced)."""
    body = {name: value for name, value in doc.items() if name != SIGNATURE_FIELD}
    signature = sign_detached(DOCUMENT_CONTEXT + canonical_json(body), key)
    return {**body, SIGNATURE_FIELD: b64encode(signature)}


def verify_document(doc: dict[str, Any], public_key: bytes) -> dict[str, Any]:
    """Check a document signed by ``sign_document``; return it without the signature."""
    if not isinstance(doc, dict) or SIGNATURE_FIELD not in doc:
        raise SyncFormatError(_("The document is not signed."))
    signature = b64decode(doc[SIGNATURE_FIELD], SIGNATURE_FIELD, length=SIGNATURE_SIZE)
    body = {name: value for name, value in doc.items() if name != SIGNATURE_FIELD}
    try:
        payload = DOCUMENT_CONTEXT + canonical_json(body)
    except ValueError:
        raise SyncFormatError(_("The document is not valid JSON data.")) from None
    verify_detached(payload, signature, public_key)
    return body
