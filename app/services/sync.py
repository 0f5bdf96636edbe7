"""The Sync page's services: who may export, set keys and read receipts; each use is audited.

The work itself is in ``app.sync.centre``. An export's audit entry is written before the
export, so it travels in the very file it describes.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

from app.db import Database, get_local_setting, set_local_setting
from app.errors import ValidationError
from app.i18n import _
from app.permissions import Permission, require
from app.sync import centre
from app.sync.centre import (SCHEDULE_FOLDER_KEY, SCHEDULE_HOURS_KEY, ExportResult,
                             SyncState)
from app.sync.keys import HeadOfficePublic
from app.unit_of_work import Actor, audit_entry


def sync_state(db: Database, actor: Actor) -> SyncState:
    require(actor, Permission.SYNC)
    return centre.state(db)


def export_now(db: Database, actor: Actor, folder: Path, *,
               progress: Callable[[int, int], None] | None = None,
               cancel: threading.Event | None = None) -> ExportResult | None:
    require(actor, Permission.SYNC)
    with db.unit(actor) as session:
        audit_entry(session, "export", "sync", None, {"folder": str(folder)},
                    _("Sync file exported to {folder}").format(folder=folder))
    return centre.export_changes(db, folder, progress=progress, cancel=cancel)


def set_recipient(db: Database, actor: Actor, text: str) -> HeadOfficePublic:
    require(actor, Permission.SYNC)
    public = centre.set_recipient(db, text)
    with db.unit(actor) as session:
        audit_entry(session, "update", "sync", None, {"recipient_key_id": public.key_id},
                    _("Head office's key set to {key_id}").format(key_id=public.key_id))
    return public


def import_receipt(db: Database, actor: Actor, path: Path) -> int:
    require(actor, Permission.SYNC)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        raise ValidationError({"file": _("{name} is not a receipt from head office.").format(
            name=path.name)}) from None
    return centre.import_receipt(db, doc)


def device_public_text(db: Database, actor: Actor) -> str:
    require(actor, Permission.SYNC)
    return centre.device_public_text(db)


def schedule(db: Database) -> tuple[Path | None, int]:
    """The folder scheduled exports go to and every how many hours (0: off)."""
    folder = get_local_setting(db, SCHEDULE_FOLDER_KEY)
    hours = int(get_local_setting(db, SCHEDULE_HOURS_KEY, "0") or 0)
    return (Path(folder) if folder else None), hours


def set_schedule(db: Database, actor: Actor, folder: Path | None, hours: int) -> None:
    require(actor, Permission.SYNC)
    if hours < 0 or hours > 24 * 7:
        raise ValidationError({"hours": _("Give between 1 and 168 hours, or 0 for no "
                                          "scheduled export.")})
    if hours and (folder is None or not folder.is_dir()):
        raise ValidationError({"folder": _("Choose a folder that exists for the scheduled "
                                           "export.")})
    set_local_setting(db, SCHEDULE_FOLDER_KEY, str(folder) if folder else "")
    set_local_setting(db, SCHEDULE_HOURS_KEY, str(hours))
