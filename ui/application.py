"""Starting the GUI: language, database upgrade, first-run wizard, login, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db import Database, get_local_setting, set_local_setting, upgrade_to_head
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language
from app.paths import RESOURCES_DIR
from app.services import centre
from app.unit_of_work import SYSTEM
from ui.context import AppContext

LANGUAGE_SETTING = "ui_language"
_qt_translators: list[QTranslator] = []


def apply_language(app: QApplication, code: str) -> None:
    """Our catalogs for our strings; Qt's own ``qtbase`` catalog for its standard dialogs."""
    set_language(code)
    for translator in _qt_translators:
        app.removeTranslator(translator)
    _qt_translators.clear()
    QLocale.setDefault(QLocale(LANGUAGES[code]))
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{code}", path):
        app.installTranslator(translator)
        _qt_translators.append(translator)


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Centre Desk")
    app.setOrganizationName("Centre Desk")
    app.setWindowIcon(QIcon(str(RESOURCES_DIR / "icons" / "centredesk.svg")))
    # Shift PCs may lack fonts for some residents' scripts; Qt falls back to these.
    for font in sorted((RESOURCES_DIR / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(font))
    return app


def open_for_gui(db_path: Path, *, interactive: bool = True) -> Database | None:
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        db = Database(str(db_path))
        upgrade_to_head(db)
    except Exception as error:  # an unreadable or newer database: say so, touch nothing
        if not interactive:  # the self-test must never wait for a click
            print(_("Cannot open the database {path}: {error}").format(path=db_path,
                                                                       error=error),
                  file=sys.stderr)
            return None
        QMessageBox.critical(None, _("Cannot open the database"), _(
            "The database {path} could not be opened or upgraded. Nothing was changed; a backup "
            "copy is next to it if an upgrade was started.\n{error}").format(path=db_path,
                                                                               error=error))
        return None
    return db


def run_gui(db_path: Path, *, self_test: bool = False, language: str | None = None) -> int:
    app = make_app()
    db = open_for_gui(db_path, interactive=not self_test)
    if db is None:
        return 1
    code = language or get_local_setting(db, LANGUAGE_SETTING) or DEFAULT_LANGUAGE
    apply_language(app, code if code in LANGUAGES else DEFAULT_LANGUAGE)
    if self_test:
        return _self_test(app, db)

    if not centre.is_initialised(db):
        from ui.first_run import FirstRunWizard

        wizard = FirstRunWizard(db)
        if not wizard.exec() or wizard.result_centre is None:
            return 0
    centre_view = centre.get_centre(db)

    from ui.login_dialog import LoginDialog

    login = LoginDialog(db, centre_view.name)
    if not login.exec() or login.actor is None:
        return 0

    def change_language(new_code: str) -> None:
        apply_language(app, new_code)
        set_local_setting(db, LANGUAGE_SETTING, new_code)

    if login.chosen_language != code:
        change_language(login.chosen_language)

    from ui.main_window import MainWindow

    window = MainWindow(AppContext(db, centre_view, login.actor), on_language=change_language)
    window.show()
    result = app.exec()
    db.close()
    return result


def _self_test(app: QApplication, db: Database) -> int:
    """Open the main window without a login, check it rendered, exit 0 (CI, packaging)."""
    from ui.main_window import MainWindow

    centre_view = centre.get_centre(db) if centre.is_initialised(db) else None
    window = MainWindow(AppContext(db, centre_view, SYSTEM), lock_enabled=False)
    window.show()
    outcome: dict[str, bool] = {}

    def check() -> None:
        window.go("residents")
        image = window.grab()
        outcome["ok"] = (window.isVisible() and not image.isNull() and image.width() > 200
                         and window.pages.get("residents") is not None)
        window.close()
        app.quit()

    QTimer.singleShot(200, check)
    app.exec()
    db.close()
    if outcome.get("ok"):
        print("self-test: ok")
        return 0
    print("self-test: the main window did not render", file=sys.stderr)
    return 1
