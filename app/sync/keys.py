"""The keys of sync files: each centre installation's Ed25519 signing key ("device key") and
head office's X25519 encryption + Ed25519 signing key pairs, with their file formats.

File formats are described in docs/sync-format.md ("Key files").
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.i18n import _
from app.sync import SyncError, SyncFormatError

DEVICE_KEY_KIND = "centredesk-device-key"
HEADOFFICE_PUBLIC_KIND = "centredesk-headoffice-key"
HEADOFFICE_PRIVATE_KIND = "centredesk-headoffice-private-key"
KEY_FILE_VERSION = 1
HEADOFFICE_PUBLIC_FILE = "headoffice.pub"
HEADOFFICE_PRIVATE_FILE = "headoffice.key"

# scrypt cost of the head office private key file: 128 MiB of memory, about 0.3 s.
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
_SCRYPT_MAX_N = 2**20
_RAW_KEY_LEN = 32

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
_RAW_PRIVATE = serialization.PrivateFormat.Raw


def fingerprint(public_key_bytes: bytes) -> str:
    """The key id of a raw public key: the first 16 bytes of its SHA-256, as
    lowercase hex in groups of four separated by ':' ("ab12:cd34:…", 8 groups)."""
    digest = hashlib.sha256(public_key_bytes).hexdigest()[:32]
    return ":".join(digest[i:i + 4] for i in range(0, 32, 4))


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: Any, what: str, *, length: int | None = None) -> bytes:
    """Strict standard base64 (with padding); ``what`` names the field in the error."""
    if not isinstance(text, str):
        raise SyncFormatError(_("{what} is missing or not text.").format(what=what))
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise SyncFormatError(_("{what} is not valid base64.").format(what=what)) from None
    if length is not None and len(data) != length:
        raise SyncFormatError(_("{what} must be {length} bytes, not {actual}.").format(
            what=what, length=length, actual=len(data)))
    return data


def _raw_public(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(_RAW, _RAW_PUBLIC)


def _raw_private(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, _RAW_PRIVATE, serialization.NoEncryption())


def _load_json_object(text: str | bytes, kind: str, description: str) -> dict[str, Any]:
    """Parse a key file's JSON and check its ``kind`` and ``version``."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise SyncFormatError(_("{file} is not valid JSON.").format(file=description)) from None
    if not isinstance(data, dict):
        raise SyncFormatError(_("{file} is not a JSON object.").format(file=description))
    if data.get("kind") != kind:
        raise SyncFormatError(_("{file} is not of kind “{kind}” (found {found!r}).").format(
            file=description, kind=kind, found=data.get("kind")))
    if data.get("version") != KEY_FILE_VERSION:
        raise SyncFormatError(_("{file} has an unsupported version {version!r}.").format(
            file=description, version=data.get("version")))
    return data


def _dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- device keys ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DeviceKey:
    """The Ed25519 signing key of one centre installation."""

    private_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(Ed25519PrivateKey.generate())

    def public_bytes(self) -> bytes:
        """The raw 32-byte Ed25519 public key."""
        return _raw_public(self.private_key)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_bytes())

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    def to_encrypted_pem(self, passphrase: bytes) -> bytes:
        """PKCS#8 PEM encrypted with ``passphrase`` (for the key file next to the database)."""
        if not passphrase:
            raise ValueError("a passphrase is required to store the device key")
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase))

    @classmethod
    def from_encrypted_pem(cls, data: bytes, passphrase: bytes) -> DeviceKey:
        if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data:
            raise SyncFormatError(_("This is not an encrypted device key file."))
        try:
            key = serialization.load_pem_private_key(data, passphrase or None)
        except (ValueError, TypeError):
            raise SyncError(_("Wrong passphrase for the device key, "
                              "or the key file is damaged.")) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SyncFormatError(_("The device key file holds a key of the wrong type."))
        return cls(key)


@dataclass(frozen=True)
class DevicePublic:
    """A centre installation's public signing key, as head office registers it."""

    device_id: uuid.UUID
    centre_code: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def export_device_public(device_id: uuid.UUID, centre_code: str, key: DeviceKey) -> str:
    """The device public key file (JSON text) the centre sends to head office."""
    return _dump_json({"kind": DEVICE_KEY_KIND, "version": KEY_FILE_VERSION,
                       "device_id": str(device_id), "centre_code": centre_code,
                       "ed25519": b64encode(key.public_bytes())})


def load_device_public(text: str | bytes) -> DevicePublic:
    description = _("The device key file")
    data = _load_json_object(text, DEVICE_KEY_KIND, description)
    try:
        device_id = uuid.UUID(data.get("device_id"))
    except (TypeError, ValueError, AttributeError):
        raise SyncFormatError(_("{file}: device_id is not a UUID.").format(
            file=description)) from None
    centre_code = data.get("centre_code")
    if not isinstance(centre_code, str) or not centre_code.strip():
        raise SyncFormatError(_("{file}: centre_code is missing.").format(file=description))
    public = b64decode(data.get("ed25519"), "ed25519", length=_RAW_KEY_LEN)
    try:
        Ed25519PublicKey.from_public_bytes(public)
    except ValueError:
        raise SyncFormatError(_("{file}: the Ed25519 key is not valid.").format(
            file=description)) from None
    return DevicePublic(device_id=device_id, centre_code=centre_code, public_key=public)


# --- head office keys -----------------------------------------------------------------------

@dataclass(frozen=True)
class HeadOfficePublic:
    """Head office's public keys: X25519 to encrypt sync files to, Ed25519 to check receipts."""

    x25519: bytes
    ed25519: bytes

    @property
    def key_id(self) -> str:
        return fingerprint(self.x25519)


@dataclass(frozen=True)
class HeadOfficeKeys:
    """Head office's private keys: X25519 to decrypt sync files, Ed25519 to sign receipts."""

    x25519: X25519PrivateKey
    ed25519: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> HeadOfficeKeys:
        return cls(X25519PrivateKey.generate(), Ed25519PrivateKey.generate())

    def public(self) -> HeadOfficePublic:
        return HeadOfficePublic(x25519=_raw_public(self.x25519),
                                ed25519=_raw_public(self.ed25519))

    @property
    def key_id(self) -> str:
        return self.public().key_id

    def public_file_text(self) -> str:
        """The ``headoffice.pub`` file that every centre installation is given."""
        public = self.public()
        return _dump_json({"kind": HEADOFFICE_PUBLIC_KIND, "version": KEY_FILE_VERSION,
                           "x25519": b64encode(public.x25519),
                           "ed25519": b64encode(public.ed25519),
                           "key_id": public.key_id})

    def private_file_bytes(self, passphrase: bytes, *, scrypt_n: int = SCRYPT_N) -> bytes:
        """The ``headoffice.key`` file: both private keys, encrypted with AES-256-GCM under a
        key derived from ``passphrase`` with scrypt."""
        if not passphrase:
            raise SyncError(_("A passphrase is required for the head office key file."))
        salt = os.urandom(16)
        nonce = os.urandom(12)
        outer: dict[str, Any] = {
            "kind": HEADOFFICE_PRIVATE_KIND, "version": KEY_FILE_VERSION,
            "key_id": self.key_id,
            "kdf": {"name": "scrypt", "n": scrypt_n, "r": SCRYPT_R, "p": SCRYPT_P,
                    "salt": b64encode(salt)},
            "cipher": "AES256GCM", "nonce": b64encode(nonce)}
        secret = json.dumps({"x25519": b64encode(_raw_private(self.x25519)),
                             "ed25519": b64encode(_raw_private(self.ed25519))},
                            sort_keys=True).encode("ascii")
        key = _scrypt(passphrase, salt, scrypt_n, SCRYPT_R, SCRYPT_P)
        outer["ciphertext"] = b64encode(AESGCM(key).encrypt(nonce, secret, _aad(outer)))
        return _dump_json(outer).encode("utf-8")

    @classmethod
    def load_private(cls, data: bytes, passphrase: bytes) -> HeadOfficeKeys:
        description = _("The head office key file")
        outer = _load_json_object(data, HEADOFFICE_PRIVATE_KIND, description)
        kdf = outer.get("kdf")
        if (not isinstance(kdf, dict) or kdf.get("name") != "scrypt"
                or outer.get("cipher") != "AES256GCM"
                or not all(isinstance(kdf.get(k), int) and not isinstance(kdf.get(k), bool)
                           for k in ("n", "r", "p"))
                or not 2 <= kdf["n"] <= _SCRYPT_MAX_N or not 1 <= kdf["r"] <= 32
                or not 1 <= kdf["p"] <= 16):
            raise SyncFormatError(_("{file}: unsupported encryption settings.").format(
                file=description))
        salt = b64decode(kdf.get("salt"), "salt")
        nonce = b64decode(outer.get("nonce"), "nonce", length=12)
        ciphertext = b64decode(outer.get("ciphertext"), "ciphertext")
        key = _scrypt(passphrase, salt, kdf["n"], kdf["r"], kdf["p"])
        try:
            secret = AESGCM(key).decrypt(nonce, ciphertext, _aad(outer))
        except InvalidTag:
            raise SyncError(_("Wrong passphrase for the head office key file "
                              "(or the file is damaged).")) from None
        inner = json.loads(secret)
        keys = cls(
            X25519PrivateKey.from_private_bytes(
                b64decode(inner.get("x25519"), "x25519", length=_RAW_KEY_LEN)),
            Ed25519PrivateKey.from_private_bytes(
                b64decode(inner.get("ed25519"), "ed25519", length=_RAW_KEY_LEN)))
        if outer.get("key_id") != keys.key_id:
            raise SyncFormatError(_("{file}: the key id does not match the keys.").format(
                file=description))
        return keys


def _scrypt(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    try:
        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase)
    except ValueError:  # n not a power of two, …
        raise SyncFormatError(_("The head office key file has unusable encryption "
                                "settings.")) from None


def _aad(outer: dict[str, Any]) -> bytes:
    """The private key file's fields other than the ciphertext, bound to the ciphertext."""
    fields = {k: v for k, v in outer.items() if k != "ciphertext"}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


def load_headoffice_public(text: str | bytes) -> HeadOfficePublic:
    """Read a ``headoffice.pub`` file."""
    description = _("The head office public key file")
    data = _load_json_object(text, HEADOFFICE_PUBLIC_KIND, description)
    public = HeadOfficePublic(
        x25519=b64decode(data.get("x25519"), "x25519", length=_RAW_KEY_LEN),
        ed25519=b64decode(data.get("ed25519"), "ed25519", length=_RAW_KEY_LEN))
    try:
        Ed25519PublicKey.from_public_bytes(public.ed25519)
    except ValueError:
        raise SyncFormatError(_("{file}: the Ed25519 key is not valid.").format(
            file=description)) from None
    if data.get("key_id") != public.key_id:
        raise SyncFormatError(_("{file}: the key id does not match the key.").format(
            file=description))
    return public


def load_headoffice_private(data: bytes, passphrase: bytes) -> HeadOfficeKeys:
    """Read a ``headoffice.key`` file (same as ``HeadOfficeKeys.load_private``)."""
    return HeadOfficeKeys.load_private(data, passphrase)


def write_headoffice_keys(out_dir: Path, passphrase: bytes) -> tuple[Path, Path]:
    """Generate head office keys and write ``headoffice.pub`` and ``headoffice.key`` (mode
    0o600) into ``out_dir``. Existing files are never overwritten."""
    out_dir = Path(out_dir)
    public_path = out_dir / HEADOFFICE_PUBLIC_FILE
    private_path = out_dir / HEADOFFICE_PRIVATE_FILE
    for path in (public_path, private_path):
        if path.exists():
            raise SyncError(_("{path} already exists; it is not overwritten.").format(
                path=path))
    keys = HeadOfficeKeys.generate()
    private = keys.private_file_bytes(passphrase)
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_new(private_path, private, private=True)
    try:
        _write_new(public_path, keys.public_file_text().encode("utf-8"), private=False)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    return public_path, private_path


def _write_new(path: Path, data: bytes, *, private: bool) -> None:
    """Create ``path`` (failing if it exists), write, fsync. A private file gets mode 0o600."""
    mode = 0o600 if private else 0o666
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise SyncError(_("{path} already exists; it is not overwritten.").format(
            path=path)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            if private and hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o600)  # whatever the umask
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
