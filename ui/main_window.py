"""The main window: navigation between the areas, menus, shortcuts, lock and switch user."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from app.i18n import LANGUAGE_NAMES, N_, _, current_language
from app.permissions import Permission, role_label
from app.services import auth
from app.services import staff as staff_service
from ui.context import AppContext, Changes
from ui.lock_screen import IdleWatcher, LockOverlay
from ui.not_yet_page import NotYetPage

# (key, label, explanation shown while the area is not built yet)
AREAS: list[tuple[str, str, str | None]] = [
    ("today", N_("Today"), None),
    ("residents", N_("Residents"), None),
    ("rounds", N_("Rounds"), None),
    ("notes", N_("Notes & plans"), None),
    ("incidents", N_("Incidents"), None),
    ("lost_property", N_("Lost property"), None),
    ("visitors", N_("Visitors"), None),
    ("sync", N_("Sync"), None),
    ("admin", N_("Admin"), None),
]


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, *, on_language: Callable[[str], None] | None = None,
                 lock_enabled: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.on_language = on_language
        self.setObjectName("main_window")
        self.resize(QSize(1280, 800))
        self.pages: dict[str, QWidget] = {}
        self.locked = False
        self.idle = IdleWatcher(ctx.centre.idle_lock_minutes if ctx.centre else 10, self)
        self.idle.idle.connect(self.lock)
        if lock_enabled:
            QApplication.instance().installEventFilter(self.idle)
        else:
            self.idle.pause()
        ctx.changed.connect(self._on_changed)
        from ui.sync.scheduler import SyncScheduler

        self.sync_scheduler = SyncScheduler(ctx, self)
        self.build()

    # --- building (again after a language change or a switch of user) -------------------
    def build(self) -> None:
        current = self.current_area() if self.pages else "today"
        self._save_page_drafts()  # a language change rebuilds the pages
        self.menuBar().clear()
        for toolbar in self.findChildren(QToolBar):
            self.removeToolBar(toolbar)
            toolbar.deleteLater()
        for page in self.pages.values():
            page.deleteLater()
        self.pages = {}
        centre = self.ctx.centre.name if self.ctx.centre else _("Centre Desk")
        self.setWindowTitle(_("Centre Desk – {centre}").format(centre=centre))

        self.nav = QListWidget(objectName="navigation")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget(objectName="pages")
        for number, (key, text, _explanation) in enumerate(AREAS, start=1):
            item = QListWidgetItem(_(text))
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(_("Alt+{number}").format(number=number))
            self.nav.addItem(item)
            placeholder = QWidget()
            placeholder.setObjectName(f"placeholder_{key}")
            self.stack.addWidget(placeholder)
        self.nav.currentRowChanged.connect(self._show_row)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.overlay = LockOverlay(body)
        self.overlay.unlock_requested.connect(self.unlock)
        self.overlay.switch_user_requested.connect(self.switch_user)

        self._build_menus()
        self.user_label = QLabel(objectName="user_label")
        self.statusBar().addPermanentWidget(self.user_label)
        self._update_user_label()
        self.go(current)

    def _action(self, text: str, slot: Callable[[], object], shortcut: str | None = None,
                name: str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(_("&File"))
        menu.addAction(self._action(_("Lock screen"), self.lock, "Ctrl+L", "action_lock"))
        menu.addAction(self._action(_("Switch user…"), self.switch_user, "Ctrl+Shift+U",
                                    "action_switch_user"))
        menu.addAction(self._action(_("Change my password…"), self.change_password))
        menu.addSeparator()
        menu.addAction(self._action(_("Quit"), self.close, "Ctrl+Q", "action_quit"))

        menu = self.menuBar().addMenu(_("&Residents"))
        menu.addAction(self._action(_("New arrival…"), lambda: self._residents("new_arrival"),
                                    "Ctrl+N", "action_new_arrival"))
        menu.addAction(self._action(_("Find resident"), lambda: self._residents("focus_filter"),
                                    "Ctrl+F", "action_find"))
        menu.addAction(self._action(_("Correct resident…"), lambda: self._residents("edit_current"),
                                    "Ctrl+E", "action_edit_resident"))
        menu.addAction(self._action(_("Change room…"), lambda: self._residents("change_room")))
        menu.addAction(self._action(_("Move out…"), lambda: self._residents("move_out")))
        menu.addAction(self._action(_("Print record sheet…"),
                                    lambda: self._residents("print_record_sheet"), "Ctrl+P",
                                    "action_print_record_sheet"))

        menu = self.menuBar().addMenu(_("R&ounds"))
        menu.addAction(self._action(_("Take the current round"), self.take_round, "Ctrl+R",
                                    "action_take_round"))
        menu.addAction(self._action(_("Missing residents"), lambda: self._rounds_tab("missing")))
        menu.addAction(self._action(_("Approved leave"), lambda: self._rounds_tab("leave")))
        menu.addSeparator()
        menu.addAction(self._action(_("Log an incident…"), self.new_incident, "Ctrl+I",
                                    "action_new_incident"))

        menu = self.menuBar().addMenu(_("&Go"))
        for number, (key, text, _explanation) in enumerate(AREAS, start=1):
            menu.addAction(self._action(_(text), lambda key=key: self.go(key), f"Alt+{number}",
                                        f"action_go_{key}"))
        menu.addSeparator()
        menu.addAction(self._action(_("Refresh"), self.refresh, "F5", "action_refresh"))

        menu = self.menuBar().addMenu(_("&Settings"))
        languages = menu.addMenu(_("Language"))
        group = QActionGroup(self)
        for code, name in LANGUAGE_NAMES.items():
            action = QAction(name, self, checkable=True)
            action.setObjectName(f"action_language_{code}")
            action.setChecked(code == current_language())
            action.triggered.connect(lambda _checked=False, code=code: self.change_language(code))
            group.addAction(action)
            languages.addAction(action)

        menu = self.menuBar().addMenu(_("&Help"))
        menu.addAction(self._action(_("Keyboard shortcuts"), self.show_shortcuts, "F1"))
        menu.addAction(self._action(_("About Centre Desk"), self.show_about))

        toolbar = QToolBar(_("Main toolbar"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.findChild(QAction, "action_go_today"))
        toolbar.addAction(self.findChild(QAction, "action_go_residents"))
        toolbar.addAction(self.findChild(QAction, "action_new_arrival"))
        toolbar.addAction(self.findChild(QAction, "action_take_round"))
        toolbar.addAction(self.findChild(QAction, "action_new_incident"))
        toolbar.addSeparator()
        toolbar.addAction(self.findChild(QAction, "action_lock"))
        self.addToolBar(toolbar)

    # --- pages -------------------------------------------------------------------------
    def _make_page(self, key: str) -> QWidget:
        if key == "today":
            from ui.today.page import TodayPage

            page = TodayPage(self.ctx)
            page.open_resident.connect(self.open_resident)
            page.open_case.connect(self.open_case)
            page.open_rounds.connect(lambda: self.go("rounds"))
            page.open_lost_item.connect(self.open_lost_item)
            page.open_incident.connect(self.open_incident)
            return page
        if key == "residents":
            from ui.residents.page import ResidentsPage

            return ResidentsPage(self.ctx)
        if key == "rounds":
            if not self.ctx.can(Permission.TAKE_ROUNDS):
                return NotYetPage(_("Rounds"), _(
                    "Your role does not take attendance rounds. Missing residents still show "
                    "on the Today page."))
            from ui.rounds.page import RoundsPage

            return RoundsPage(self.ctx)
        if key == "incidents":
            if not self.ctx.can(Permission.LOG_INCIDENTS):
                return NotYetPage(_("Incidents"), _("Your role does not log incidents."))
            from ui.incidents.page import IncidentsPage

            return IncidentsPage(self.ctx)
        if key == "lost_property":
            if not self.ctx.can(Permission.VIEW_LOST_PROPERTY):
                return NotYetPage(_("Lost property"), _(
                    "Your role does not keep the lost-property register."))
            from ui.lost_property.page import LostPropertyPage

            return LostPropertyPage(self.ctx)
        if key == "visitors":
            if not self.ctx.can(Permission.LOG_VISITORS):
                return NotYetPage(_("Visitors"), _("Your role does not keep the visitor log."))
            from ui.visitors.page import VisitorsPage

            return VisitorsPage(self.ctx)
        if key == "sync":
            if not self.ctx.can(Permission.SYNC):
                return NotYetPage(_("Sync"), _(
                    "Your role does not send sync files: the centre leader or the administrator "
                    "does."))
            from ui.sync.page import SyncPage

            return SyncPage(self.ctx)
        if key == "notes":
            from ui.notes.page import NotesPage

            return NotesPage(self.ctx)
        if key == "admin":
            from ui.admin.page import AdminPage

            return AdminPage(self.ctx)
        text, explanation = next((t, e) for k, t, e in AREAS if k == key)
        return NotYetPage(_(text), _(explanation) if explanation else "")

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            index = [k for k, _t, _e in AREAS].index(key)
            page = self._make_page(key)
            old = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[key] = page
        return self.pages[key]

    def go(self, key: str) -> QWidget:
        index = [k for k, _t, _e in AREAS].index(key)
        page = self.page(key)
        self.stack.setCurrentIndex(index)
        if self.nav.currentRow() != index:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(index)
            self.nav.blockSignals(False)
        return page

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(AREAS):
            self.go(AREAS[row][0])

    def current_area(self) -> str:
        return AREAS[max(self.stack.currentIndex(), 0)][0]

    def _rounds_tab(self, name: str) -> None:
        page = self.go("rounds")
        if hasattr(page, name):
            page.tabs.setCurrentWidget(getattr(page, name))

    def _residents(self, method: str) -> None:
        if self.locked:
            return
        getattr(self.go("residents"), method)()

    def open_resident(self, resident_id: uuid.UUID) -> None:
        self.go("residents").show_resident(resident_id)

    def open_case(self, case_id: uuid.UUID) -> None:
        from ui.rounds.missing_dialogs import MissingCaseDialog

        MissingCaseDialog(self.ctx, case_id, self).exec()

    def open_incident(self, incident_id: uuid.UUID) -> None:
        page = self.go("incidents")
        if hasattr(page, "show_incident"):
            page.show_incident(incident_id)

    def new_incident(self) -> None:
        if self.locked or not self.ctx.can(Permission.LOG_INCIDENTS):
            return
        self.go("incidents").new_incident()

    def open_lost_item(self, item_id: uuid.UUID) -> None:
        page = self.go("lost_property")
        if hasattr(page, "set_view"):
            page.set_view("due")
            page.select_item(item_id)

    def take_round(self) -> None:
        if self.locked or not self.ctx.can(Permission.TAKE_ROUNDS):
            return
        self.go("rounds").take_current_round()

    def refresh(self) -> None:
        self.ctx.announce(Changes(residents=True, staff=True, rooms=True, attendance=True))

    def _on_changed(self, changes: Changes) -> None:
        if changes.centre and self.ctx.centre is not None:
            self.idle.set_minutes(self.ctx.centre.idle_lock_minutes)
            self.setWindowTitle(_("Centre Desk – {centre}").format(centre=self.ctx.centre.name))

    def _update_user_label(self) -> None:
        if self.ctx.has_actor:
            actor = self.ctx.actor
            roles = ", ".join(role_label(r) for r in sorted(actor.roles))
            self.user_label.setText(_("{name} ({roles})").format(name=actor.full_name,
                                                                  roles=roles))

    # --- lock, unlock, switch user -----------------------------------------------------
    def lock(self) -> None:
        if self.locked or not self.ctx.has_actor:
            return
        self.locked = True
        self.idle.pause()
        self._hidden_dialogs = [d for d in self.findChildren(QDialog) if d.isVisible()]
        for dialog in self._hidden_dialogs:
            if hasattr(dialog, "save_draft"):
                dialog.save_draft()
            dialog.hide()
        self._save_page_drafts()
        auth.record_lock(self.ctx.db, self.ctx.actor)
        self._set_controls_enabled(False)
        self.overlay.lock(self.ctx.actor.full_name)

    def _save_page_drafts(self, *, stash: bool = False) -> None:
        """Pages with input of their own (the shift notes) keep it as a draft."""
        for page in self.pages.values():
            if stash and hasattr(page, "stash_for_switch"):
                page.stash_for_switch()
            elif hasattr(page, "save_draft"):
                page.save_draft()

    def _set_controls_enabled(self, enabled: bool) -> None:
        """While locked, no menu, toolbar or shortcut reaches past the lock screen."""
        self.menuBar().setEnabled(enabled)
        for toolbar in self.findChildren(QToolBar):
            toolbar.setEnabled(enabled)
        for action in self.actions():
            action.setEnabled(enabled)

    def unlock(self, password: str) -> None:
        if not auth.verify_unlock(self.ctx.db, self.ctx.actor, password):
            self.overlay.wrong_password()
            return
        self._finish_unlock()
        for dialog in self._hidden_dialogs:
            dialog.show()
        self._hidden_dialogs = []

    def _finish_unlock(self) -> None:
        self.locked = False
        self.overlay.hide()
        self._set_controls_enabled(True)
        self.idle.resume()

    def switch_user(self) -> None:
        from ui.login_dialog import LoginDialog

        if not self.locked:
            self.lock()
        centre = self.ctx.centre.name if self.ctx.centre else ""
        login = LoginDialog(self.ctx.db, centre, self, switching=True)
        if not login.exec() or login.actor is None:
            return
        # The previous user's half-typed input is kept as drafts for when they come back.
        for dialog in getattr(self, "_hidden_dialogs", []):
            if hasattr(dialog, "stash_for_switch"):
                dialog.stash_for_switch()
            else:
                dialog.reject()
        self._hidden_dialogs = []
        self._save_page_drafts(stash=True)
        auth.record_logout(self.ctx.db, self.ctx.actor)
        self.ctx.set_actor(login.actor)
        self._finish_unlock()
        if login.chosen_language != current_language():
            self.change_language(login.chosen_language)
        else:
            self.build()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if getattr(self, "overlay", None) is not None and self.overlay.isVisible():
            self.overlay.setGeometry(self.centralWidget().rect())

    # --- other menu actions ------------------------------------------------------------
    def change_language(self, code: str) -> None:
        if self.on_language is not None:
            self.on_language(code)
        if self.ctx.has_actor and self.ctx.actor.staff_id is not None:
            staff_service.set_language(self.ctx.db, self.ctx.actor, code)
        self.build()

    def change_password(self) -> None:
        from ui.password_dialog import ChangePasswordDialog

        ChangePasswordDialog(self.ctx, self).exec()

    def show_shortcuts(self) -> None:
        lines = [_("Ctrl+F  find a resident"), _("Ctrl+N  new arrival"),
                 _("Ctrl+E  correct the chosen resident"), _("Ctrl+P  print the record sheet"),
                 _("Ctrl+R  take the current attendance round"),
                 _("Ctrl+I  log an incident"),
                 _("Alt+1 … Alt+9  go to an area"), _("Ctrl+L  lock the screen"),
                 _("Ctrl+Shift+U  switch user"), _("F5  refresh")]
        QMessageBox.information(self, _("Keyboard shortcuts"), "\n".join(lines))

    def show_about(self) -> None:
        from app import __version__

        QMessageBox.about(self, _("About Centre Desk"), _(
            "Centre Desk {version}\nFor the staff of children's centres for unaccompanied "
            "minor asylum seekers.\nDevice id: {device}").format(
                version=__version__, device=self.ctx.db.device_id))

    def closeEvent(self, event: QCloseEvent) -> None:
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and hasattr(dialog, "save_draft"):
                dialog.save_draft()
        if self.ctx.has_actor:
            self._save_page_drafts()
        if self.ctx.has_actor and self.ctx.actor.staff_id is not None:
            auth.record_logout(self.ctx.db, self.ctx.actor)
        QApplication.instance().removeEventFilter(self.idle)
        super().closeEvent(event)
