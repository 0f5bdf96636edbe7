"""Small charts painted with QPainter (QtCharts is not part of PySide6-Essentials).

``BarChart`` draws stacked bars with a legend and labelled axis; ``MarkGrid`` draws a
resident's attendance as a calendar: one row per month, one cell per day, split into the
day's rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float]


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.title = ""
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, labels: Sequence[str], series: Sequence[Series]) -> None:
        self.title, self.labels, self.series = title, list(labels), list(series)
        self.update()

    def totals(self) -> list[float]:
        return [sum(s.values[i] for s in self.series) for i in range(len(self.labels))]

    def sizeHint(self) -> QSize:
        return QSize(600, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = painter.fontMetrics()
        line = metrics.height()
        left, top, right, bottom = 40, line * 2 + 8, 10, line * 2 + 6
        painter.setPen(QColor("#222"))
        painter.drawText(QRectF(0, 2, self.width(), line), Qt.AlignmentFlag.AlignHCenter,
                         self.title)
        # Legend under the title.
        x = left
        for s in self.series:
            painter.fillRect(QRectF(x, line + 6, 10, 10), QColor(s.colour))
            painter.drawText(int(x + 14), line + 6 + metrics.ascent() - 2, s.name)
            x += 24 + metrics.horizontalAdvance(s.name)
        plot = QRectF(left, top, max(self.width() - left - right, 10),
                      max(self.height() - top - bottom, 10))
        totals = self.totals()
        peak = max(totals, default=0) or 1
        step = _nice_step(peak)
        peak = step * (int(peak / step) + (0 if peak % step == 0 else 1))
        painter.setPen(QPen(QColor("#ddd")))
        tick = 0.0
        while tick <= peak + 1e-9:
            y = plot.bottom() - plot.height() * tick / peak
            painter.setPen(QPen(QColor("#e5e5e5")))
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor("#555"))
            painter.drawText(QRectF(0, y - line / 2, left - 4, line),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{tick:g}")
            tick += step
        count = len(self.labels)
        if not count:
            return
        slot = plot.width() / count
        width = max(slot * 0.7, 1)
        label_every = max(1, int((metrics.horizontalAdvance("00.00") + 6) / slot) + 1)
        for i, name in enumerate(self.labels):
            x0 = plot.left() + i * slot + (slot - width) / 2
            y = plot.bottom()
            for s in self.series:
                value = s.values[i]
                if value <= 0:
                    continue
                height = plot.height() * value / peak
                painter.fillRect(QRectF(x0, y - height, width, height), QColor(s.colour))
                y -= height
            if i % label_every == 0:
                painter.setPen(QColor("#333"))
                painter.drawText(QRectF(plot.left() + i * slot - 20, plot.bottom() + 2,
                                        slot + 40, line), Qt.AlignmentFlag.AlignHCenter, name)
        painter.setPen(QPen(QColor("#888")))
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()),
                         int(plot.bottom()))


def _nice_step(peak: float) -> float:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if peak / step <= 6:
            return step
    return 10 ** len(str(int(peak)))


class MarkGrid(QWidget):
    """A calendar of marks: ``cells[(day, slot_index)] = colour``; one row per month."""

    CELL = 14
    LABEL_WIDTH = 80

    def __init__(self, slots: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots = slots
        self.months: list[tuple[int, int]] = []
        self.cells: dict[tuple[date, int], str] = {}
        self.month_names: dict[tuple[int, int], str] = {}

    def set_data(self, months: list[tuple[int, int]], month_names: dict[tuple[int, int], str],
                 cells: dict[tuple[date, int], str]) -> None:
        self.months, self.month_names, self.cells = months, month_names, cells
        self.setMinimumSize(self.sizeHint())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self.LABEL_WIDTH + 31 * (self.CELL + 2) + 4,
                     max(len(self.months), 1) * (self.CELL + 4) + 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        exposed = event.rect()
        row_height = self.CELL + 4
        first = max(0, exposed.top() // row_height)
        last = min(len(self.months), exposed.bottom() // row_height + 1)
        part = self.CELL / self.slots
        for row in range(first, last):
            year, month = self.months[row]
            y = row * row_height + 2
            painter.setPen(QColor("#333"))
            painter.drawText(QRectF(0, y, self.LABEL_WIDTH - 6, self.CELL),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.month_names.get((year, month), f"{month:02d}/{year}"))
            for day_number in range(1, 32):
                try:
                    day = date(year, month, day_number)
                except ValueError:
                    break
                x = self.LABEL_WIDTH + (day_number - 1) * (self.CELL + 2)
                painter.fillRect(QRectF(x, y, self.CELL, self.CELL), QColor("#f0f0f0"))
                for slot in range(self.slots):
                    colour = self.cells.get((day, slot))
                    if colour:
                        painter.fillRect(QRectF(x + slot * part, y, part, self.CELL),
                                         QColor(colour))
