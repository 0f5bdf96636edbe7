"""Screenshots of the main screens for the README, from a small demo centre.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python docs/make_screenshots.py

Under Xvfb the windows are real X11 windows; ``QWidget.grab`` saves what they show.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from app import demo
    from app.db import Database
    from app.services import auth, centre, forms
    from app.services import staff as staff_service
    from app.unit_of_work import SYSTEM
    from ui.application import apply_language, make_app
    from ui.context import AppContext
    from ui.login_dialog import LoginDialog
    from ui.main_window import MainWindow
    from ui.residents.editor import ResidentEditor

    language = sys.argv[1] if len(sys.argv) > 1 else "da"
    workdir = Path(tempfile.mkdtemp())
    path = workdir / "demo.db"
    for _step in demo.generate(path, places=78, years=1, seed=7):
        pass
    app = make_app()
    apply_language(app, language)
    db = Database(str(path))
    OUT.mkdir(parents=True, exist_ok=True)

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    login = LoginDialog(db, centre.get_centre(db).name)
    login.username.setText("leder1")
    login.show()
    settle()
    login.grab().save(str(OUT / "login.png"))
    login.close()

    leader = next(s for s in staff_service.list_staff(db, SYSTEM) if "centre_leader" in s.roles)
    actor = auth.login(db, leader.username, "demo1234")
    window = MainWindow(AppContext(db, centre.get_centre(db), actor), lock_enabled=False)
    window.resize(1400, 860)
    window.show()
    settle()
    window.grab().save(str(OUT / "today.png"))

    page = window.go("residents")
    page.table.selectRow(3)
    settle()
    window.grab().save(str(OUT / "residents.png"))
    resident_id = page.current_id()

    editor = ResidentEditor(window.ctx, None, window)
    editor.given_names.setText("Yusuf")
    editor.family_name.setText("Ahmadi")
    editor.name_in_own_script.setText("یوسف احمدی")
    editor.person_id.setText("123456-7")
    editor.submit()  # missing fields: shows how errors look
    editor.show()
    settle()
    editor.grab().save(str(OUT / "new-arrival.png"))
    editor.close()

    admin_page = window.go("admin")
    admin_page.tabs.setCurrentIndex(2)
    settle()
    window.grab().save(str(OUT / "audit.png"))

    from app.formatting import local_today
    from app.services import missing
    from ui.rounds.missing_dialogs import MissingCaseDialog
    from ui.rounds.round_screen import open_round_screen

    rounds = window.go("rounds")
    settle()
    window.grab().save(str(OUT / "rounds.png"))
    rounds.tabs.setCurrentWidget(rounds.patterns)
    settle()
    window.grab().save(str(OUT / "absence-patterns.png"))
    screen = open_round_screen(window.ctx, local_today(), rounds.rounds.selected_slot(),
                               parent=window)
    screen.resize(1200, 800)
    screen.show()
    settle()
    screen.grab().save(str(OUT / "round-screen.png"))
    screen.close()
    cases = missing.open_cases(db, actor)
    if cases:
        case = MissingCaseDialog(window.ctx, cases[0].case_id, window)
        case.show()
        settle()
        case.grab().save(str(OUT / "missing-case.png"))
        case.close()
    lost = window.go("lost_property")
    lost.set_view("all")
    settle()
    window.grab().save(str(OUT / "lost-property.png"))
    window.go("visitors")
    settle()
    window.grab().save(str(OUT / "visitors.png"))
    incidents_page = window.go("incidents")
    settle()
    window.grab().save(str(OUT / "incidents.png"))
    if incidents_page.trends is not None:
        incidents_page.tabs.setCurrentWidget(incidents_page.trends)
        settle()
        window.grab().save(str(OUT / "incident-trends.png"))

    notes_page = window.go("notes")
    settle()
    window.grab().save(str(OUT / "notes-my-residents.png"))
    notes_page.tabs.setCurrentIndex(1)
    settle()
    window.grab().save(str(OUT / "notes-shift.png"))

    from app.sync import centre as sync_centre
    from app.sync.keys import HeadOfficeKeys

    sync_centre.set_recipient(db, HeadOfficeKeys.generate().public_file_text())
    window.go("sync").refresh()
    settle()
    window.grab().save(str(OUT / "sync.png"))

    window.go("residents")
    window.lock()
    settle()
    window.grab().save(str(OUT / "lock.png"))

    pdf = workdir / "record-sheet.pdf"
    pdf.write_bytes(forms.record_sheet_pdf(db, actor, resident_id))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                    str(OUT / "record-sheet")], check=True)
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
