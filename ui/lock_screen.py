"""The lock screen: covers the window after idle time; the same user unlocks, or another
user switches in. Nothing typed is lost: open editors keep their state while locked and
save a draft before another user takes over.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.i18n import _
from ui.widgets import ErrorLabel, heading

_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without keyboard or mouse input anywhere in the app."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()


class LockOverlay(QWidget):
    """Covers the main window's content so nothing personal shows on an unattended PC."""

    unlock_requested = Signal(str)
    switch_user_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("lock_overlay")
        # Without a styled background the window's content would show through.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lock_overlay { background: #25313d; } QLabel { color: white; }")
        self.title = heading(_("Locked"))
        self.who = QLabel()
        self.password = QLineEdit()
        self.password.setObjectName("unlock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Password"))
        self.password.setMaximumWidth(280)
        self.password.returnPressed.connect(self._unlock)
        self.error = ErrorLabel()
        self.error.setStyleSheet("color: #ffb4b4;")
        unlock = QPushButton(_("Unlock"))
        unlock.setObjectName("unlock_button")
        unlock.clicked.connect(self._unlock)
        switch = QPushButton(_("Switch user"))
        switch.setObjectName("switch_user_button")
        switch.clicked.connect(self.switch_user_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(unlock)
        buttons.addWidget(switch)
        column = QVBoxLayout()
        column.addStretch(1)
        for widget in (self.title, self.who, self.password, self.error):
            column.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addLayout(buttons)
        column.addStretch(2)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(column)
        outer.addStretch(1)
        self.hide()

    def lock(self, full_name: str) -> None:
        self.who.setText(_("{name} is logged in. Write your password to go on, or switch user.")
                         .format(name=full_name))
        self.error.show_error(None)
        self.password.clear()
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.password.setFocus()

    def wrong_password(self) -> None:
        self.error.show_error(_("Wrong password."))
        self.password.clear()
        self.password.setFocus()

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())
