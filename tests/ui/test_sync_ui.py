"""The Sync page (issue 7 item 2): head office's key, export now with progress, what waits,
a receipt confirming it, the scheduled export, and who may use it."""

from __future__ import annotations

from datetime import timedelta

from app.formatting import utcnow
from app.models import SyncChange
from app.sync import centre
from app.sync.envelope import read_header, sign_document
from app.sync.keys import HeadOfficeKeys
from ui.not_yet_page import NotYetPage
from ui.sync.page import SyncPage


def _wait_for_file(qtbot, folder):
    qtbot.waitUntil(lambda: any(folder.glob("*.cdsync")), timeout=20000)
    return next(folder.glob("*.cdsync"))


def test_export_needs_head_offices_key_and_then_writes_a_file(qtbot, db, people, make_window,
                                                              tmp_path, monkeypatch):
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    window = make_window(people.leader)
    page = window.go("sync")
    assert isinstance(page, SyncPage)
    assert not page.export_button.isEnabled()
    assert "Not set" in page.recipient.text()

    keys = HeadOfficeKeys.generate()
    pub = tmp_path / "headoffice.pub"
    pub.write_text(keys.public_file_text(), encoding="utf-8")
    page.set_recipient(str(pub))
    assert page.recipient.text() == keys.key_id and page.export_button.isEnabled()
    with db.read() as session:
        waiting = session.query(SyncChange).count()
    assert waiting > 0 and page.waiting.text().startswith(str(waiting))

    out = tmp_path / "out"
    out.mkdir()
    page.export_now(str(out))
    path = _wait_for_file(qtbot, out)
    header = read_header(path)
    assert header["centre_code"] == "TEST" and header["first_seq"] == 1
    qtbot.waitUntil(lambda: page.last_export.text().endswith(path.name), timeout=10000)

    # Head office confirms everything: nothing waits any more.
    receipt = sign_document({"kind": "centredesk-receipt", "version": 1, "centre_code": "TEST",
                             "devices": {str(db.device_id): header["last_seq"]},
                             "created_at": utcnow().isoformat()}, keys.ed25519)
    file = tmp_path / "receipt.json"
    import json

    file.write_text(json.dumps(receipt), encoding="utf-8")
    page.read_receipt(str(file))
    assert page.waiting.text().startswith("None")
    assert f"up to number {header['last_seq']}" in page.last_receipt.text()


def test_a_forged_receipt_is_refused_and_changes_keep_waiting(qtbot, db, people, make_window,
                                                             tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ui.sync.page.show_error", lambda _parent, error: shown.append(error))
    keys, forger = HeadOfficeKeys.generate(), HeadOfficeKeys.generate()
    centre.set_recipient(db, keys.public_file_text())
    page = make_window(people.leader).go("sync")
    before = centre.state(db).waiting
    receipt = sign_document({"kind": "centredesk-receipt", "version": 1, "centre_code": "TEST",
                             "devices": {str(db.device_id): 10 ** 6},
                             "created_at": utcnow().isoformat()}, forger.ed25519)
    file = tmp_path / "receipt.json"
    import json

    file.write_text(json.dumps(receipt), encoding="utf-8")
    page.read_receipt(str(file))
    assert shown and "signature" in shown[0].message.lower()
    assert centre.state(db).waiting == before and centre.acked_seq(db) == 0


def test_scheduled_export_writes_to_the_folder_when_due(qtbot, db, people, make_window,
                                                        tmp_path):
    keys = HeadOfficeKeys.generate()
    centre.set_recipient(db, keys.public_file_text())
    window = make_window(people.leader)
    page = window.go("sync")
    out = tmp_path / "share"
    out.mkdir()
    page.choose_folder(str(out))
    page.hours.setValue(4)
    scheduler = window.sync_scheduler
    assert scheduler.due() == out
    scheduler.check()
    _wait_for_file(qtbot, out)
    qtbot.waitUntil(lambda: scheduler.running.done, timeout=10000)
    # Just exported: not due again for four hours.
    assert scheduler.due() is None
    assert centre.state(db).last_export_at > utcnow() - timedelta(minutes=1)


def test_only_the_leader_and_the_administrator_sync(qtbot, people, make_window):
    assert isinstance(make_window(people.night).go("sync"), NotYetPage)
    assert isinstance(make_window(people.coordinator).go("sync"), NotYetPage)
    assert isinstance(make_window(people.admin).go("sync"), SyncPage)
