"""An area of the program that is not built yet says so plainly instead of pretending."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.widgets import heading


class NotYetPage(QWidget):
    def __init__(self, title: str, explanation: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("not_yet_page")
        text = QLabel(explanation)
        text.setObjectName("not_yet_text")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addWidget(text)
        layout.addStretch(1)
