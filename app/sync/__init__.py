"""Sync files from a centre to head office: keys (``app.sync.keys``) and the encrypted,
signed file envelope (``app.sync.envelope``). The layout is documented in docs/sync-format.md.
"""

from __future__ import annotations

from app.errors import DomainError


class SyncError(DomainError):
    """A sync file or key cannot be used (wrong passphrase, wrong key, refused overwrite …)."""


class SyncFormatError(SyncError):
    """A sync file or key file is malformed, damaged, truncated or fails its checks."""
