"""A resident's attendance history: a calendar of every round, and the list of absences."""

from __future__ import annotations

import uuid
from datetime import date

from babel.dates import format_date as babel_format_date
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.formatting import format_datetime
from app.i18n import _, current_locale
from app.rules.absence import MARK_PRESENT
from app.rules.rounds import ROUND_SLOTS
from app.services import attendance
from app.vocab import MARK_LABELS, MARK_SOURCE_LABELS, label
from ui.charts import MarkGrid
from ui.context import AppContext
from ui.ops import show_error
from ui.widgets import heading

# Stronger colours than the round screen's row tints: a calendar is read at a glance.
GRID_COLOURS = {"present": "#7cc47f", "absent": "#d64545", "leave": "#6b9bd1",
                "school": "#b5d99c", "hospital": "#a680c9", "other": "#f0b429"}


class AttendanceHistoryDialog(QDialog):
    def __init__(self, ctx: AppContext, resident_id: uuid.UUID, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendance_history")
        self.setWindowTitle(_("Attendance history – {name}").format(name=name))
        self.resize(900, 700)
        try:
            self.marks = attendance.attendance_history(ctx.db, ctx.actor, resident_id)
        except DomainError as error:
            show_error(parent, error)
            self.marks = []
        self.grid = MarkGrid(len(ROUND_SLOTS))
        self.grid.setObjectName("attendance_grid")
        cells: dict[tuple[date, int], str] = {}
        months: list[tuple[int, int]] = []
        for mark in self.marks:
            cells[(mark.day, ROUND_SLOTS.index(mark.slot))] = GRID_COLOURS.get(mark.mark, "#999")
        if self.marks:
            first, last = self.marks[0].day, self.marks[-1].day
            year, month = first.year, first.month
            while (year, month) <= (last.year, last.month):
                months.append((year, month))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        names = {ym: babel_format_date(date(ym[0], ym[1], 1), "MMM y", locale=current_locale())
                 for ym in months}
        self.grid.set_data(months, names, cells)
        scroll = QScrollArea()
        scroll.setWidget(self.grid)
        scroll.setWidgetResizable(False)

        legend = QHBoxLayout()
        for code, colour in GRID_COLOURS.items():
            swatch = QLabel("  ")
            swatch.setStyleSheet(f"background: {colour};")
            legend.addWidget(swatch)
            legend.addWidget(QLabel(label(MARK_LABELS, code)))
        legend.addStretch(1)

        self.list = QTreeWidget(objectName="absence_list")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([_("Time"), _("Round"), _("Mark"), _("Note"), _("Marked by"),
                                   _("Source")])
        self.list.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # The exceptions: every mark other than present, newest first.
        exceptions = [m for m in self.marks if m.mark != MARK_PRESENT]
        for mark in reversed(exceptions[-500:]):
            item = QTreeWidgetItem([format_datetime(mark.marked_at),
                                    attendance.slot_label(mark.slot),
                                    label(MARK_LABELS, mark.mark), mark.note or "",
                                    mark.marked_by or "", label(MARK_SOURCE_LABELS, mark.source)])
            self.list.addTopLevelItem(item)
        for column in (0, 1, 2, 4):
            self.list.resizeColumnToContents(column)
        summary = QLabel(_("{total} marks: {present} present, {other} otherwise").format(
            total=len(self.marks), present=len(self.marks) - len(exceptions),
            other=len(exceptions)), objectName="history_summary")
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Attendance history – {name}").format(name=name)))
        layout.addWidget(summary)
        layout.addWidget(QLabel(_("Each day is split into the morning, afternoon and evening "
                                  "rounds.")))
        layout.addWidget(scroll, 2)
        layout.addLayout(legend)
        layout.addWidget(QLabel(_("Everything but present, newest first:")))
        layout.addWidget(self.list, 1)
        layout.addWidget(close)


