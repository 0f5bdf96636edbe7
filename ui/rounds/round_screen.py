"""Taking a round: every resident in residence, one keypress per mark, each mark saved at once.

Keys (also on the buttons): Space or P present, A absent, L approved leave, S school or
activity, H hospital, O other (asks for a note), M report missing. After a mark the
cursor moves to the next resident without a mark, so a whole round is a run of keys.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.formatting import format_datetime, format_time, utcnow
from app.i18n import N_, _
from app.rules.absence import (
    MARK_ABSENT,
    MARK_HOSPITAL,
    MARK_LEAVE,
    MARK_OTHER,
    MARK_PRESENT,
    MARK_SCHOOL,
)
from app.services import attendance
from app.services.attendance import RoundRow, RoundView
from app.vocab import LEAVE_KIND_LABELS, MARK_LABELS, label
from ui.context import AppContext, Changes
from ui.ops import show_error
from ui.widgets import datetime_edit, edit_datetime, heading

# key -> mark; Space is "present" too.
MARK_KEYS: dict[int, str] = {
    Qt.Key.Key_P: MARK_PRESENT, Qt.Key.Key_Space: MARK_PRESENT, Qt.Key.Key_A: MARK_ABSENT,
    Qt.Key.Key_L: MARK_LEAVE, Qt.Key.Key_S: MARK_SCHOOL, Qt.Key.Key_H: MARK_HOSPITAL,
    Qt.Key.Key_O: MARK_OTHER,
}
BUTTONS: list[tuple[str, str]] = [(MARK_PRESENT, "P"), (MARK_ABSENT, "A"), (MARK_LEAVE, "L"),
                                  (MARK_SCHOOL, "S"), (MARK_HOSPITAL, "H"), (MARK_OTHER, "O")]
MARK_COLOURS = {MARK_PRESENT: "#e3f4e1", MARK_ABSENT: "#fde0e0", MARK_LEAVE: "#e8f1fb",
                MARK_SCHOOL: "#eef7ea", MARK_HOSPITAL: "#f3e8fb", MARK_OTHER: "#fff4d6"}

COLUMNS = [N_("Photo"), N_("Room"), N_("Bed"), N_("Name"), N_("Age"), N_("Mark"), N_("Time"),
           N_("Marked by"), N_("Note")]
_Index = QModelIndex | QPersistentModelIndex


def _initials(name: str) -> str:
    return "".join(part[0] for part in name.split()[:2]).upper()


class RoundModel(QAbstractTableModel):
    def __init__(self, view: RoundView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RoundRow] = list(view.rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def _text(self, row: RoundRow, column: int) -> str:
        if column == 0:
            return _initials(row.name)
        if column == 1:
            return row.room
        if column == 2:
            return row.bed
        if column == 3:
            own = f"  ({row.name_in_own_script})" if row.name_in_own_script else ""
            return row.name + own
        if column == 4:
            return str(row.age)
        if column == 5:
            if row.mark is None:
                if row.missing_since is not None:
                    return _("(missing since {time})").format(
                        time=format_datetime(row.missing_since))
                if row.leave_kind:
                    return _("(on leave: {kind})").format(
                        kind=label(LEAVE_KIND_LABELS, row.leave_kind))
                return ""
            return label(MARK_LABELS, row.mark)
        if column == 6:
            return format_time(row.marked_at) if row.marked_at else ""
        if column == 7:
            return row.marked_by or ""
        return row.note or ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.mark is not None:
                return QColor(MARK_COLOURS.get(row.mark, "#ffffff"))
            if index.column() == 0:
                return QColor("#d7dde4")
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return _("No photo yet")
        return None

    def replace(self, position: int, row: RoundRow) -> None:
        self.rows[position] = row
        self.dataChanged.emit(self.index(position, 0), self.index(position, len(COLUMNS) - 1))

    @property
    def marked(self) -> int:
        return sum(1 for row in self.rows if row.mark is not None)


class RoundScreen(QDialog):
    """One round on screen. ``paper=True`` types in marks from a paper sheet with their
    real time (the time field above the table)."""

    marks_changed = Signal()

    def __init__(self, ctx: AppContext, view: RoundView, *, paper: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.view, self.paper = ctx, view, paper
        self.setObjectName("round_screen")
        self.setWindowTitle(view.title)
        self.resize(1100, 760)
        self.model = RoundModel(view, self)

        title = heading(view.title if not paper else _("{round} – from the paper sheet").format(
            round=view.title))
        self.progress_label = QLabel(objectName="round_progress")
        font = self.progress_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.progress_label.setFont(font)
        self.progress = QProgressBar()
        self.progress.setMaximum(max(len(self.model.rows), 1))
        self.progress.setTextVisible(False)
        self.notice = QLabel(objectName="round_notice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.table = QTableView(objectName="round_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 50), (1, 70), (2, 50), (4, 45), (5, 190), (6, 60), (7, 140),
                              (8, 160)):
            self.table.setColumnWidth(column, width)
        self.table.installEventFilter(self)

        buttons = QHBoxLayout()
        self.mark_buttons: dict[str, QPushButton] = {}
        for mark, key in BUTTONS:
            button = QPushButton(_("{label} ({key})").format(label=label(MARK_LABELS, mark),
                                                             key=key))
            button.setObjectName(f"mark_{mark}_button")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, mark=mark: self.mark_current(mark))
            self.mark_buttons[mark] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.missing_button = QPushButton(_("Report missing… (M)"),
                                          objectName="report_missing_button")
        self.missing_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.missing_button.clicked.connect(self.report_missing)
        buttons.addWidget(self.missing_button)

        legend = QLabel(_("Space or P present · A absent · L approved leave · S school/activity · "
                          "H hospital · O other (with a note) · M report missing · ↑↓ move. "
                          "Every mark is saved at once; the round can be closed and finished "
                          "later, also by a colleague."))
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #444;")

        close = QPushButton(_("Close"), objectName="close_round_button")
        close.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        close.clicked.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.progress_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.progress)
        if paper:
            self.time_edit = datetime_edit(min(view.planned_at, utcnow()))
            self.time_edit.setObjectName("paper_time")
            row = QHBoxLayout()
            row.addWidget(QLabel(_("Time written on the paper sheet (used for the marks):")))
            row.addWidget(self.time_edit)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        bottom = QHBoxLayout()
        bottom.addWidget(legend, 1)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self._update_progress()
        first = self._next_unmarked(-1)
        self.table.selectRow(first if first is not None else 0)
        self.table.setFocus()

    # --- keys ----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            if key_event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                        | Qt.KeyboardModifier.AltModifier):
                return False
            if key_event.key() in MARK_KEYS:
                self.mark_current(MARK_KEYS[key_event.key()])
                return True
            if key_event.key() == Qt.Key.Key_M:
                self.report_missing()
                return True
        return super().eventFilter(watched, event)

    # --- marking -------------------------------------------------------------------------
    def current_row(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def _mark_time(self) -> datetime | None:
        if not self.paper:
            return None
        return edit_datetime(self.time_edit)

    def mark_current(self, mark: str) -> None:
        position = self.current_row()
        if position is None:
            return
        row = self.model.rows[position]
        note = None
        if mark == MARK_OTHER:
            note, ok = QInputDialog.getText(self, _("Other"), _(
                "Where is {name}?").format(name=row.name), text=row.note or "")
            if not ok:
                return
        try:
            result = attendance.mark_resident(
                self.ctx.db, self.ctx.actor, self.view.round_id, row.resident_id, mark,
                note=note, marked_at=self._mark_time(),
                source="paper" if self.paper else "screen")
        except DomainError as error:
            show_error(self, error)
            return
        marked_at = self._mark_time() or utcnow()
        missing_since = row.missing_since
        if result.case_opened:
            missing_since = marked_at
        if result.case_closed or result.case_withdrawn:
            missing_since = None
        self.model.replace(position, dataclasses.replace(
            row, mark=mark, note=(note or "").strip() or None, marked_at=marked_at,
            marked_by=self.ctx.actor.full_name, source="paper" if self.paper else "screen",
            missing_since=missing_since))
        self._announce_case(row, result)
        self._update_progress()
        self.marks_changed.emit()
        self.ctx.announce(Changes(residents=bool(result.case_opened or result.case_closed
                                                 or result.case_withdrawn), attendance=True))
        following = self._next_unmarked(position)
        if following is None and position + 1 < len(self.model.rows):
            following = position + 1
        if following is not None:
            self.table.selectRow(following)

    def _announce_case(self, row: RoundRow, result: attendance.MarkResult) -> None:
        if result.case_opened:
            from app.services import missing

            case = missing.get_case(self.ctx.db, self.ctx.actor, result.case_opened)
            self.notice.setStyleSheet("background: #fde0e0; color: #7a0010; padding: 6px;"
                                      "font-weight: bold;")
            self.notice.setText(_(
                "{name} is missing: a missing case is open. The reports to the police, the "
                "municipality and the Agency are due {due}. See the Today page.").format(
                    name=row.name, due=format_datetime(case.due_at)))
            self.notice.show()
        elif result.case_withdrawn:
            self.notice.setStyleSheet("background: #e8f1fb; padding: 6px;")
            self.notice.setText(_("The missing case for {name} was withdrawn: the absent mark "
                                  "was corrected.").format(name=row.name))
            self.notice.show()
        elif result.case_closed:
            self.notice.setStyleSheet("background: #e3f4e1; padding: 6px;")
            self.notice.setText(_("{name} is back: the missing case is closed with the time of "
                                  "this mark.").format(name=row.name))
            self.notice.show()

    def _next_unmarked(self, after: int) -> int | None:
        rows = self.model.rows
        for position in list(range(after + 1, len(rows))) + list(range(after + 1)):
            if rows[position].mark is None:
                return position
        return None

    def _update_progress(self) -> None:
        marked, total = self.model.marked, len(self.model.rows)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(marked)
        if total and marked >= total:
            self.progress_label.setText(_("Complete: {marked} of {total} marked").format(
                marked=marked, total=total))
            self.progress_label.setStyleSheet("color: #1b6e20;")
        else:
            self.progress_label.setText(_("{marked} of {total} marked").format(
                marked=marked, total=total))
            self.progress_label.setStyleSheet("")

    def report_missing(self) -> None:
        position = self.current_row()
        if position is None:
            return
        from ui.rounds.missing_dialogs import ReportMissingDialog

        row = self.model.rows[position]
        dialog = ReportMissingDialog(self.ctx, row.resident_id, row.name, self)
        if dialog.exec() and dialog.case is not None:
            self.model.replace(position, dataclasses.replace(
                row, missing_since=dialog.case.missing_since))

    @property
    def round_id(self) -> uuid.UUID:
        return self.view.round_id


def open_round_screen(ctx: AppContext, day, slot: str, *, paper: bool = False,
                      parent: QWidget | None = None) -> RoundScreen | None:
    try:
        view = attendance.open_round(ctx.db, ctx.actor, day, slot)
    except DomainError as error:
        show_error(parent, error)
        return None
    ctx.announce(Changes(attendance=True))
    return RoundScreen(ctx, view, paper=paper, parent=parent)
