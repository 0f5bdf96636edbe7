"""Small charts painted with QPainter (QtCharts is not part of PySide6-Essentials).

``BarChart`` draws stacked bars with a legend and labelled axis; ``HorizontalBarChart``
the same lying down, for long category names; ``MarkGrid`` draws a resident's attendance
as a calendar: one row per month, one cell per day, split into the day's rounds.
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
    """Vertical stacked bars. Set ``show_totals`` to write each bar's total above it (when
    there is room), ``show_legend = False`` to leave out the legend (one series speaks for
    itself through the title). Axis labels are thinned out so that they never overlap
    (see ``label_steps``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.title = ""
        self.show_totals = False
        self.show_legend = True
        # When axis labels must be thinned out: label every n-th bar for the smallest n of
        # ``label_steps`` that leaves room (any n if empty), counting from ``label_phase``
        # (for months: steps 1, 2, 3, 6, 12 and the phase of January put labels on quarters).
        self.label_steps: Sequence[int] = ()
        self.label_phase = 0
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
        left, right, bottom = 40, 10, line * 2 + 6
        top = line * (2 if self.show_legend else 1) + 8
        painter.setPen(QColor("#222"))
        painter.drawText(QRectF(0, 2, self.width(), line), Qt.AlignmentFlag.AlignHCenter,
                         self.title)
        # Legend under the title.
        x = left
        for s in self.series if self.show_legend else ():
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
        widest = max((metrics.horizontalAdvance(name) for name in self.labels), default=0)
        label_width = max(widest, metrics.horizontalAdvance("00.00")) + 6
        label_every = max(1, int(label_width / slot) + 1)
        if self.label_steps:
            label_every = min((n for n in self.label_steps if n >= label_every),
                              default=label_every)
        total_width = max((metrics.horizontalAdvance(f"{t:g}") for t in totals), default=0)
        write_totals = self.show_totals and total_width + 2 <= slot
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
            if write_totals and totals[i] > 0:
                painter.setPen(QColor("#333"))
                painter.drawText(QRectF(plot.left() + i * slot, y - line - 1, slot, line),
                                 Qt.AlignmentFlag.AlignHCenter, f"{totals[i]:g}")
            if (i + self.label_phase) % label_every == 0:
                painter.setPen(QColor("#333"))
                centre = plot.left() + (i + 0.5) * slot
                half = metrics.horizontalAdvance(name) / 2 + 2
                centre = min(max(centre, half), self.width() - half)  # keep it on the widget
                painter.drawText(QRectF(centre - half, plot.bottom() + 2, 2 * half, line),
                                 Qt.AlignmentFlag.AlignHCenter, name)
        painter.setPen(QPen(QColor("#888")))
        painter.drawLine(int(plot.left()), int(plot.bottom()), int(plot.right()),
                         int(plot.bottom()))


class HorizontalBarChart(QWidget):
    """Stacked bars lying down, one row per label, each with its total at the end: for
    categories with long names (kinds of incident). Same ``set_data`` as ``BarChart``."""

    ROW = 6  # pixels between rows, added to the text height

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self.series: list[Series] = []
        self.title = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_data(self, title: str, labels: Sequence[str], series: Sequence[Series]) -> None:
        self.title, self.labels, self.series = title, list(labels), list(series)
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def totals(self) -> list[float]:
        return [sum(s.values[i] for s in self.series) for i in range(len(self.labels))]

    def _row_height(self) -> int:
        return self.fontMetrics().height() + self.ROW

    def _header_height(self) -> int:
        line = self.fontMetrics().height()
        return line * (2 if len(self.series) > 1 else 1) + 10

    def sizeHint(self) -> QSize:
        return QSize(420, self._header_height() + max(len(self.labels), 1) * self._row_height()
                     + 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(QColor("#222"))
        painter.drawText(QRectF(0, 2, self.width(), line), Qt.AlignmentFlag.AlignHCenter,
                         self.title)
        if len(self.series) > 1:
            x = 10
            for s in self.series:
                painter.fillRect(QRectF(x, line + 6, 10, 10), QColor(s.colour))
                painter.drawText(int(x + 14), line + 6 + metrics.ascent() - 2, s.name)
                x += 24 + metrics.horizontalAdvance(s.name)
        if not self.labels:
            return
        totals = self.totals()
        peak = max(totals, default=0) or 1
        label_width = min(max(metrics.horizontalAdvance(t) for t in self.labels) + 8,
                          int(self.width() * 0.45))
        value_width = metrics.horizontalAdvance(f"{peak:g}") + 8
        left = label_width + 4
        span = max(self.width() - left - value_width - 6, 10)
        row = self._row_height()
        top = self._header_height()
        for i, name in enumerate(self.labels):
            y = top + i * row
            painter.setPen(QColor("#333"))
            painter.drawText(QRectF(0, y, label_width, row),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(name, Qt.TextElideMode.ElideRight,
                                                label_width - 4))
            x = float(left)
            for s in self.series:
                value = s.values[i]
                if value <= 0:
                    continue
                width = span * value / peak
                painter.fillRect(QRectF(x, y + 3, width, row - 6), QColor(s.colour))
                x += width
            painter.setPen(QColor("#333"))
            painter.drawText(QRectF(x + 4, y, value_width, row),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"{totals[i]:g}")
        painter.setPen(QPen(QColor("#888")))
        painter.drawLine(left, top, left, top + len(self.labels) * row)


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
