"""The Residents area: filter-as-you-type list, detail panel and the register's actions."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.i18n import _, ngettext
from app.permissions import Permission
from app.queries.residents import ResidentFilter
from app.services import residents
from ui.context import AppContext, Changes
from ui.ops import Operation, show_error
from ui.residents.detail import ResidentDetailView
from ui.residents.editor import ResidentEditor
from ui.residents.move_dialogs import ChangeRoomDialog, MoveOutDialog
from ui.residents.table_model import ResidentTableModel

FILTER_DELAY_MS = 100


class ResidentsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("residents_page")
        self.model = ResidentTableModel(ctx.db, self)

        self.filter_edit = QLineEdit(objectName="resident_filter")
        self.filter_edit.setPlaceholderText(
            _("Filter: name, person ID, room or nationality (Ctrl+F)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.include_former = QCheckBox(_("Show former residents"), objectName="include_former")
        self.count_label = QLabel(objectName="resident_count")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.include_former.toggled.connect(lambda _on: self.apply_filter())
        self.filter_edit.returnPressed.connect(self._focus_table)

        self.table = QTableView(objectName="resident_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self.show_current())
        self.table.doubleClicked.connect(lambda _index: self.edit_current())

        self.detail = ResidentDetailView()
        detail_scroll = QScrollArea()
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setWidget(self.detail)

        self.new_button = QPushButton(_("New arrival"), objectName="new_arrival_button")
        self.edit_button = QPushButton(_("Correct"), objectName="edit_resident_button")
        self.room_button = QPushButton(_("Change room"), objectName="change_room_button")
        self.move_out_button = QPushButton(_("Move out"), objectName="move_out_button")
        self.print_button = QPushButton(_("Record sheet"), objectName="print_record_sheet_button")
        self.new_button.clicked.connect(self.new_arrival)
        self.edit_button.clicked.connect(self.edit_current)
        self.room_button.clicked.connect(self.change_room)
        self.move_out_button.clicked.connect(self.move_out)
        self.print_button.clicked.connect(self.print_record_sheet)
        self.attendance_button = QPushButton(_("Attendance"), objectName="attendance_button")
        self.attendance_button.clicked.connect(self.show_attendance)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.include_former)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.new_button, self.edit_button, self.room_button, self.move_out_button,
                       self.print_button, self.attendance_button):
            actions.addWidget(button)
        actions.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(actions)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(detail_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        ctx.changed.connect(self._on_changed)
        self.apply_filter()
        self.table.resizeColumnsToContents()

    # --- list --------------------------------------------------------------------------
    def apply_filter(self) -> None:
        self._filter_timer.stop()
        selected = self.current_id()
        self.model.set_filter(ResidentFilter(text=self.filter_edit.text(),
                                             include_former=self.include_former.isChecked()))
        self.count_label.setText(ngettext("{count} resident", "{count} residents",
                                          self.model.total).format(count=self.model.total))
        if selected is not None and self.select(selected):
            return
        self.detail.show_empty()
        self._update_actions()

    def _focus_table(self) -> None:
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.table.setFocus()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def current_id(self) -> uuid.UUID | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return row.id if row else None

    def select(self, resident_id: uuid.UUID) -> bool:
        row = self.model.row_of(resident_id)
        if row < 0:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.show_current()
        return True

    def show_resident(self, resident_id: uuid.UUID) -> None:
        """Open a resident from elsewhere (the Today page), clearing a filter that hides them."""
        if self.select(resident_id):
            return
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.include_former.setChecked(True)
        self.apply_filter()
        self.select(resident_id)

    def show_current(self) -> None:
        resident_id = self.current_id()
        if resident_id is None:
            self.detail.show_empty()
        else:
            try:
                self.detail.show_resident(residents.get_resident(self.ctx.db, self.ctx.actor,
                                                                 resident_id))
            except DomainError as error:
                show_error(self, error)
                self.detail.show_empty()
        self._update_actions()

    def _update_actions(self) -> None:
        detail = self.detail.detail
        current = detail is not None and detail.is_current
        self.new_button.setEnabled(self.ctx.can(Permission.REGISTER_ARRIVAL))
        self.edit_button.setEnabled(detail is not None and (
            self.ctx.can(Permission.EDIT_RESIDENT) or self.ctx.can(Permission.EDIT_REPRESENTATIVE)))
        self.room_button.setEnabled(current and self.ctx.can(Permission.CHANGE_ROOM))
        self.move_out_button.setEnabled(current and self.ctx.can(Permission.MOVE_OUT))
        self.print_button.setEnabled(detail is not None
                                     and self.ctx.can(Permission.PRINT_RECORD_SHEET))
        self.attendance_button.setEnabled(detail is not None
                                          and self.ctx.can(Permission.TAKE_ROUNDS))

    def _on_changed(self, changes: Changes) -> None:
        if changes.residents or changes.rooms or changes.staff:
            self.apply_filter()

    # --- actions -----------------------------------------------------------------------
    def show_attendance(self) -> None:
        detail = self.detail.detail
        if detail is None or not self.attendance_button.isEnabled():
            return
        from ui.rounds.history import AttendanceHistoryDialog

        AttendanceHistoryDialog(self.ctx, detail.id, detail.display_name, self).exec()

    def new_arrival(self) -> None:
        if not self.ctx.can(Permission.REGISTER_ARRIVAL):
            return
        editor = ResidentEditor(self.ctx, None, self)
        if editor.exec() and editor.saved is not None:
            self.show_resident(editor.saved.id)
            # A former resident who comes back may have belongings in the register.
            from ui.lost_property.dialogs import prompt_waiting_items

            prompt_waiting_items(self.ctx, editor.saved.data.person_id,
                                 editor.saved.display_name, self)

    def edit_current(self) -> None:
        if self.detail.detail is None or not self.edit_button.isEnabled():
            return
        editor = ResidentEditor(self.ctx, self.detail.detail, self)
        if editor.exec() and editor.saved is not None:
            self.show_resident(editor.saved.id)

    def change_room(self) -> None:
        if self.detail.detail is not None and self.room_button.isEnabled():
            ChangeRoomDialog(self.ctx, self.detail.detail, self).exec()

    def move_out(self) -> None:
        if self.detail.detail is not None and self.move_out_button.isEnabled():
            MoveOutDialog(self.ctx, self.detail.detail, self).exec()

    def print_record_sheet(self) -> None:
        detail = self.detail.detail
        if detail is None or not self.print_button.isEnabled():
            return
        from app.services.forms import record_sheet_pdf

        db, actor, resident_id = self.ctx.db, self.ctx.actor, detail.id

        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            dialog = PdfPreviewDialog(pdf, _("Record sheet – {name}").format(
                name=detail.display_name), self, suggested_name=f"stamkort-{detail.data.person_id}")
            dialog.exec()

        self.print_op = Operation(self, lambda _cancel, _report: record_sheet_pdf(
            db, actor, resident_id), title=_("Preparing the record sheet…"), on_success=show)
        self.print_op.start()
