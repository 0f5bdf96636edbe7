"""The resident table: a page of rows at a time from ``app.queries.residents``.

Filtering and sorting happen in SQL; the model holds only the rows fetched so far and
asks for the next page when the view scrolls (``canFetchMore``/``fetchMore``).
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.db import Database
from app.formatting import format_date
from app.i18n import N_, _
from app.queries import residents as resident_query
from app.queries.residents import ResidentFilter, ResidentRow
from app.rules.residents import age_on
from app.vocab import STATUS_LABELS, label

PAGE_SIZE = 200

# (header, sort key)
COLUMNS: list[tuple[str, str | None]] = [
    (N_("Name"), "name"),
    (N_("Name (own script)"), None),
    (N_("Person ID"), "person_id"),
    (N_("Room"), "room"),
    (N_("Age"), "date_of_birth"),
    (N_("Nationality"), "nationality"),
    (N_("Phase"), "phase"),
    (N_("Arrived"), "arrival_date"),
    (N_("Primary contact"), "primary_contact"),
    (N_("Status"), "status"),
]

_Index = QModelIndex | QPersistentModelIndex


class ResidentTableModel(QAbstractTableModel):
    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.filter = ResidentFilter()
        self.sort_key = "name"
        self.descending = False
        self.rows: list[ResidentRow] = []
        self.total = 0
        self.today = date.today()

    # --- loading ---------------------------------------------------------------------
    def set_filter(self, flt: ResidentFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self.today = date.today()
        with self.db.read() as session:
            self.total, self.rows = resident_query.page_with_total(
                session, self.filter, sort=self.sort_key, descending=self.descending, offset=0,
                limit=PAGE_SIZE)
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if parent.isValid():
            return
        with self.db.read() as session:
            more = resident_query.page(session, self.filter, sort=self.sort_key,
                                       descending=self.descending, offset=len(self.rows),
                                       limit=PAGE_SIZE)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return
        self.sort_key = key
        # "Age" ascending means youngest first: latest date of birth first.
        descending = order == Qt.SortOrder.DescendingOrder
        self.descending = not descending if key == "date_of_birth" else descending
        self.reload()

    # --- Qt model --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section][0])
        return None

    def row_at(self, row: int) -> ResidentRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, resident_id: uuid.UUID) -> int:
        for number, row in enumerate(self.rows):
            if row.id == resident_id:
                return number
        return -1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and row.moved_out_on is not None:
            return QColor("#777777")
        if role == Qt.ItemDataRole.ToolTipRole and column == 4 and row.age_disputed:
            return _("Age disputed")
        if role == Qt.ItemDataRole.UserRole:
            return str(row.id)
        return None

    def _text(self, row: ResidentRow, column: int) -> str:
        if column == 0:
            return f"{row.family_name}, {row.given_names}"
        if column == 1:
            return row.name_in_own_script or ""
        if column == 2:
            return row.person_id
        if column == 3:
            return f"{row.room_name} / {row.bed_label}" if row.room_name else ""
        if column == 4:
            end = row.moved_out_on or self.today
            age = str(age_on(row.date_of_birth, max(end, row.date_of_birth)))
            return f"{age}?" if row.age_disputed else age
        if column == 5:
            return row.nationality
        if column == 6:
            return str(row.phase)
        if column == 7:
            return format_date(row.arrival_date, "short")
        if column == 8:
            return row.primary_contact or ""
        return label(STATUS_LABELS, row.status)
