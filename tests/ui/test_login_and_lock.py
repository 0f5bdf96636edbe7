"""Logging in, the first-run wizard, the lock screen and switching user without losing input."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from app.db import open_database
from app.services import centre, drafts
from tests.conftest import PASSWORD
from ui.first_run import FirstRunWizard
from ui.login_dialog import LoginDialog
from ui.residents.editor import ResidentEditor


def test_login_dialog_refuses_wrong_password_then_logs_in(qtbot, db, people):
    dialog = LoginDialog(db, "Børnecenter Test")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "night")
    qtbot.keyClicks(dialog.password, "wrong-password")
    dialog.try_login()
    assert dialog.actor is None
    assert dialog.error.isVisibleTo(dialog)
    assert "Wrong user name or password" in dialog.error.text()
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "night"


def test_first_run_wizard_creates_centre_and_administrator(qtbot, tmp_path):
    db = open_database(tmp_path / "fresh.db")
    wizard = FirstRunWizard(db)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    qtbot.keyClicks(wizard.centre_page.name, "Børnecenter Tønder")
    assert wizard.centre_page.code.text() == "BT"
    wizard.centre_page.code.clear()
    qtbot.keyClicks(wizard.centre_page.code, "TONDER")
    wizard.next()
    page = wizard.admin_page
    qtbot.keyClicks(page.username, "chef")
    qtbot.keyClicks(page.full_name, "Anne Chef")
    qtbot.keyClicks(page.password, "long-enough-1")
    qtbot.keyClicks(page.repeat, "different-2")
    assert not page.validatePage()
    assert "differ" in page.error.text()
    page.repeat.clear()
    qtbot.keyClicks(page.repeat, "long-enough-1")
    assert page.validatePage()
    view = centre.get_centre(db)
    assert (view.name, view.code) == ("Børnecenter Tønder", "TONDER")
    db.close()


def _half_typed_editor(qtbot, window) -> ResidentEditor:
    editor = ResidentEditor(window.ctx, None, window)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.given_names, "Half")
    qtbot.keyClicks(editor.family_name, "Typed")
    qtbot.keyClicks(editor.person_id, "777-7")
    return editor


def test_lock_hides_everything_and_unlock_keeps_open_input(qtbot, make_window, people, beds):
    window = make_window(people.reception)
    editor = _half_typed_editor(qtbot, window)
    window.lock()
    assert window.overlay.isVisible()
    assert not editor.isVisible()
    assert not window.menuBar().isEnabled()
    assert all(not action.isEnabled() for action in window.actions())
    # The lock already put the input somewhere safe, in case the PC dies while locked.
    saved = drafts.load_draft(window.ctx.db, people.reception, "resident-new")
    assert saved is not None and saved.payload["given_names"] == "Half"

    window.overlay.password.setText("not-my-password")
    window.overlay.password.returnPressed.emit()
    assert window.locked
    assert "Wrong password" in window.overlay.error.text()

    qtbot.keyClicks(window.overlay.password, PASSWORD)
    qtbot.keyClick(window.overlay.password, Qt.Key.Key_Return)
    assert not window.locked
    assert not window.overlay.isVisible()
    assert editor.isVisible()
    assert editor.given_names.text() == "Half"
    assert editor.person_id.text() == "777-7"


def test_switch_user_keeps_the_first_users_input_as_a_draft(qtbot, make_window, people, beds,
                                                            monkeypatch):
    window = make_window(people.reception)
    editor = _half_typed_editor(qtbot, window)
    window.lock()

    def fake_exec(dialog: LoginDialog) -> int:
        dialog.username.setText("coord")
        dialog.password.setText(PASSWORD)
        dialog.try_login()
        return dialog.result()

    monkeypatch.setattr(LoginDialog, "exec", fake_exec)
    window.switch_user()
    assert window.ctx.actor.username == "coord"
    assert not window.locked
    assert editor.result() == QDialog.DialogCode.Rejected
    # The coordinator does not see the receptionist's draft …
    assert drafts.load_draft(window.ctx.db, people.coordinator, "resident-new") is None
    # … and the receptionist gets it back in a new editor later.
    window.ctx.set_actor(people.reception)
    again = ResidentEditor(window.ctx, None, window)
    qtbot.addWidget(again)
    assert again.given_names.text() == "Half"
    assert again.family_name.text() == "Typed"
    assert again.draft_notice.isVisibleTo(again)


def test_idle_time_locks_the_screen(qtbot, make_window, people):
    window = make_window(people.night)
    window.idle.timer.setInterval(50)
    window.idle.resume()
    qtbot.waitUntil(lambda: window.locked, timeout=2000)
    assert window.overlay.isVisible()
    assert window.overlay.findChild(QLineEdit, "unlock_password").isVisible()
