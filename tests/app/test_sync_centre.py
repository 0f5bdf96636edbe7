"""The centre's side of sync: a copied database becomes a new installation; what head office
confirmed belongs to one installation; nothing to export writes no file."""

from __future__ import annotations

import shutil

import pytest

from app.db import Database
from app.sync import SyncError, centre
from app.sync.envelope import read_header
from app.sync.keys import HeadOfficeKeys


@pytest.fixture
def exported(db, admin, tmp_path):
    keys = HeadOfficeKeys.generate()
    centre.set_recipient(db, keys.public_file_text())
    out = tmp_path / "out"
    out.mkdir()
    result = centre.export_changes(db, out)
    assert result is not None
    return keys, out, result


def test_nothing_to_export_writes_no_file(db, exported):
    _keys, out, result = exported
    assert centre.export_changes(db, out, since_seq=result.last_seq) is None
    assert list(out.iterdir()) == [result.path]


def test_a_copy_without_its_key_file_becomes_a_new_installation(db, exported, tmp_path):
    _keys, out, first = exported
    copy_path = tmp_path / "copy.db"
    db.close()
    shutil.copy(db.path, copy_path)
    copy = Database(str(copy_path))
    try:
        old_device = copy.device_id
        key = centre.device_key(copy)
        assert copy.device_id != old_device
        assert key.fingerprint != centre.device_key(db).fingerprint
        assert centre.acked_seq(copy) == 0
        again = centre.export_changes(copy, out)
        assert read_header(again.path)["device_id"] == str(copy.device_id)
        assert again.first_seq == 1
    finally:
        copy.close()


def test_a_key_file_from_another_pc_is_explained(db, exported, monkeypatch):
    monkeypatch.setenv("CENTREDESK_DEVICE_SECRET", "another-pc")
    with pytest.raises(SyncError, match="copied from another PC"):
        centre.device_key(db)


def test_what_head_office_confirmed_belongs_to_one_installation(db, exported):
    from app.db import set_local_setting

    set_local_setting(db, centre.ACKED_KEY, f"{db.device_id}|7")
    assert centre.acked_seq(db) == 7
    set_local_setting(db, centre.ACKED_KEY, "00000000-0000-0000-0000-000000000000|7")
    assert centre.acked_seq(db) == 0


def test_export_needs_head_offices_key_and_an_existing_folder(db, admin, tmp_path):
    with pytest.raises(SyncError, match="public key is not set"):
        centre.export_changes(db, tmp_path)
    centre.set_recipient(db, HeadOfficeKeys.generate().public_file_text())
    with pytest.raises(SyncError, match="does not exist"):
        centre.export_changes(db, tmp_path / "nowhere")


def test_a_cancelled_export_writes_nothing_and_the_next_one_works(db, exported, tmp_path):
    import threading

    _keys, _out, first = exported
    target = tmp_path / "cancelled"
    target.mkdir()
    cancel = threading.Event()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        cancel.set()

    with pytest.raises(centre.ExportCancelled, match="cancelled"):
        centre.export_changes(db, target, since_seq=0, progress=progress, cancel=cancel)
    assert list(target.iterdir()) == []                       # not even a .part file
    assert len(seen) == 1 and 0 < seen[0][0] <= seen[0][1] == first.change_count
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
    again = centre.export_changes(db, target, since_seq=0, progress=lambda *_: None)
    assert again is not None and again.change_count == first.change_count
    assert read_header(again.path)["change_count"] == first.change_count
