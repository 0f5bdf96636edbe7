"""Head office's side of sync: its database (``ho_schema``), trusting installations and
importing their sync files (``ho_import``), and what it reads back (``ho_report``).

    ho = open_headoffice("postgresql+psycopg://…")      # or a SQLite file path
    trust_device(ho, device_key_file_text)
    result = import_file(ho, keys, path)                  # one transaction per file
    missing_ranges(ho); make_receipt(ho, keys, "SANDHOLM")
    print(format_conflicts(list_conflicts(ho)))
    print(format_status(status(ho, today=date.today())))

The rules are documented in docs/sync-format.md ("Payload and head-office import").
"""

from __future__ import annotations

from app.sync.ho_import import (
    ALREADY_IMPORTED,
    BATCH_BYTES,
    IMPORTED,
    RECEIPT_KIND,
    REJECTED,
    ImportResult,
    TrustedDevice,
    contiguous_seq,
    format_import_results,
    format_ranges,
    import_file,
    import_files,
    list_devices,
    make_receipt,
    missing_ranges,
    trust_device,
)
from app.sync.ho_report import (
    CentreStatus,
    ConflictView,
    format_conflicts,
    format_status,
    list_conflicts,
    resolve_conflict,
    status,
)
from app.sync.ho_schema import SYNC_COLUMNS, HeadOffice, open_headoffice
from app.sync.payload import SCHEMA_VERSION

__all__ = [
    "ALREADY_IMPORTED", "BATCH_BYTES", "IMPORTED", "RECEIPT_KIND", "REJECTED", "SCHEMA_VERSION",
    "SYNC_COLUMNS", "CentreStatus", "ConflictView", "HeadOffice", "ImportResult",
    "TrustedDevice", "contiguous_seq", "format_conflicts", "format_import_results",
    "format_ranges", "format_status", "import_file", "import_files", "list_conflicts",
    "list_devices", "make_receipt", "missing_ranges", "open_headoffice", "resolve_conflict",
    "status", "trust_device",
]
