"""The Rounds area: today's three rounds, missing residents, approved leave, absence patterns."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.formatting import format_date, format_datetime, format_time, local_today, utcnow
from app.i18n import _
from app.models.attendance import LEAVE_KINDS
from app.permissions import Permission
from app.queries import residents as resident_query
from app.queries.residents import ResidentFilter
from app.rules.rounds import ROUND_SLOTS, current_slot
from app.services import attendance, leave, missing
from app.vocab import LEAVE_KIND_LABELS, MISSING_REPORT_LABELS, label
from ui.charts import BarChart, Series
from ui.context import AppContext, Changes
from ui.ops import Operation, show_error
from ui.rounds.missing_dialogs import MissingCaseDialog, ReportMissingDialog, countdown_text
from ui.widgets import (
    ErrorLabel,
    FieldErrors,
    date_edit,
    datetime_edit,
    edit_datetime,
    from_qdate,
    heading,
    run_form_call,
    save_cancel_buttons,
    to_qdate,
)

STATUS_COLOURS = {"complete": "#e3f4e1", "partial": "#fff4d6", "late": "#fde0e0"}


def _tree(headers: list[str], name: str) -> QTreeWidget:
    tree = QTreeWidget(objectName=name)
    tree.setRootIsDecorated(False)
    tree.setHeaderLabels(headers)
    tree.setAlternatingRowColors(True)
    return tree


class RoundsTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.statuses: list[attendance.RoundStatus] = []
        self.day = date_edit()
        self.day.setObjectName("rounds_day")
        self.day.dateChanged.connect(lambda _d: self.refresh())
        today_button = QPushButton(_("Today"))
        today_button.clicked.connect(lambda: self.day.setDate(to_qdate(local_today())))
        self.tree = _tree([_("Round"), _("Planned"), _("Status"), _("Completed")], "rounds_list")
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda _item, _col: self.take_round())
        self.take_button = QPushButton(_("Take the round"), objectName="take_round_button")
        self.take_button.setDefault(True)
        self.take_button.clicked.connect(self.take_round)
        self.paper_button = QPushButton(_("Type in a paper sheet…"),
                                        objectName="paper_round_button")
        self.paper_button.clicked.connect(lambda: self.take_round(paper=True))
        self.print_button = QPushButton(_("Print round sheet"), objectName="print_round_sheet")
        self.print_button.clicked.connect(self.print_sheet)
        self.times_button = QPushButton(_("Round times…"), objectName="round_times_button")
        self.times_button.clicked.connect(self.edit_times)
        self.times_button.setVisible(ctx.can(Permission.PLAN_ROUNDS))
        explanation = QLabel(_(
            "Three rounds a day check that every resident is really at the centre. An absent "
            "mark without approved leave opens a missing case at once, with its reporting "
            "deadline. If the PC is down, print the round sheet, mark on paper and type the "
            "marks in afterwards with their real time."))
        explanation.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Day")))
        top.addWidget(self.day)
        top.addWidget(today_button)
        top.addStretch(1)
        top.addWidget(self.times_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.take_button)
        buttons.addWidget(self.paper_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        layout.addWidget(explanation)
        self.refresh()

    def refresh(self) -> None:
        day = from_qdate(self.day.date())
        try:
            self.statuses = attendance.rounds_of_day(self.ctx.db, self.ctx.actor, day)
        except DomainError as error:
            show_error(self, error)
            return
        selected = self.selected_slot()
        self.tree.clear()
        now = utcnow()
        with self.ctx.db.read() as session:
            current = current_slot(attendance.round_times(session), now)
        for status in self.statuses:
            if status.complete:
                text, colour = _("Complete: {marked} of {expected}").format(
                    marked=status.marked, expected=status.expected), STATUS_COLOURS["complete"]
            elif status.started:
                text, colour = _("Started: {marked} of {expected} marked").format(
                    marked=status.marked, expected=status.expected), STATUS_COLOURS["partial"]
            elif status.planned_at <= now:
                text, colour = _("Not started ({expected} residents)").format(
                    expected=status.expected), STATUS_COLOURS["late"]
            else:
                text, colour = _("Planned ({expected} residents)").format(
                    expected=status.expected), None
            item = QTreeWidgetItem([attendance.slot_label(status.slot),
                                    format_time(status.planned_at), text,
                                    format_time(status.completed_at) if status.complete else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, status.slot)
            if colour:
                for column in range(4):
                    item.setBackground(column, QBrush(QColor(colour)))
            self.tree.addTopLevelItem(item)
        for column in (0, 1, 3):
            self.tree.resizeColumnToContents(column)
        wanted = selected or (current[1] if current[0] == day else ROUND_SLOTS[0])
        self.tree.setCurrentItem(self.tree.topLevelItem(ROUND_SLOTS.index(wanted)))

    def selected_slot(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def take_round(self, paper: bool = False) -> None:
        from ui.rounds.round_screen import open_round_screen

        slot = self.selected_slot()
        if slot is None:
            return
        screen = open_round_screen(self.ctx, from_qdate(self.day.date()), slot, paper=paper,
                                   parent=self)
        if screen is not None:
            self.screen = screen
            screen.finished.connect(lambda _result: self.refresh())
            screen.show()
            self.refresh()

    def print_sheet(self) -> None:
        from app.services.forms import round_sheet_pdf_for

        slot = self.selected_slot()
        if slot is None:
            return
        db, actor, day = self.ctx.db, self.ctx.actor, from_qdate(self.day.date())

        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            self.refresh()
            PdfPreviewDialog(pdf, _("Round sheet – {round}").format(
                round=attendance.slot_label(slot)), self,
                suggested_name=f"runde-{day.isoformat()}-{slot}").exec()

        self.print_op = Operation(self, lambda _cancel, _report: round_sheet_pdf_for(
            db, actor, day, slot), title=_("Preparing the round sheet…"), on_success=show)
        self.print_op.start()

    def edit_times(self) -> None:
        if RoundTimesDialog(self.ctx, self).exec():
            self.refresh()


class RoundTimesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("round_times_dialog")
        self.setWindowTitle(_("Round times"))
        with ctx.db.read() as session:
            times = attendance.round_times(session)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self.errors = FieldErrors()
        for slot in ROUND_SLOTS:
            edit = QLineEdit(times[slot].strftime("%H:%M"), objectName=f"time_{slot}")
            edit.setInputMask("99:99")
            self.edits[slot] = edit
            self.errors.add_row(form, attendance.slot_label(slot), slot, edit)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Planned times of the three daily rounds (Danish time).")))
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        def call() -> None:
            attendance.set_round_times(self.ctx.db, self.ctx.actor,
                                       {slot: edit.text() for slot, edit in self.edits.items()})

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(attendance=True, centre=True))
            self.accept()


class MissingTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cases: list[missing.CaseSummary] = []
        self.include_closed = QCheckBox(_("Also cases closed in the last 90 days"),
                                        objectName="include_closed")
        self.include_closed.toggled.connect(lambda _on: self.refresh())
        self.tree = _tree([_("Resident"), _("Room"), _("Missing since"), _("Reports due"),
                           _("Outstanding"), _("Status")], "missing_cases")
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda _item, _col: self.open_case())
        open_button = QPushButton(_("Open case"), objectName="open_case_button")
        open_button.clicked.connect(self.open_case)
        report_button = QPushButton(_("Report a resident missing…"),
                                    objectName="report_missing_button")
        report_button.clicked.connect(self.report_missing)
        buttons = QHBoxLayout()
        buttons.addWidget(open_button)
        buttons.addWidget(report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.include_closed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(30_000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        try:
            if self.include_closed.isChecked():
                self.cases = missing.recent_cases(self.ctx.db, self.ctx.actor,
                                                  since=utcnow() - timedelta(days=90))
            else:
                self.cases = missing.open_cases(self.ctx.db, self.ctx.actor)
        except DomainError as error:
            show_error(self, error)
            return
        now = utcnow()
        self.tree.clear()
        for case in self.cases:
            outstanding = ", ".join(label(MISSING_REPORT_LABELS, k) for k in case.outstanding)
            if not case.is_open:
                status = _("Closed {time}").format(time=format_datetime(case.closed_at))
            elif case.outstanding:
                status = countdown_text(case.due_at, now)
            else:
                status = _("All reports made")
            item = QTreeWidgetItem([case.name, case.room, format_datetime(case.missing_since),
                                    format_datetime(case.due_at),
                                    outstanding if case.is_open else "", status])
            item.setData(0, Qt.ItemDataRole.UserRole, str(case.case_id))
            urgency = case.urgency(now) if case.is_open else "info"
            colour = {"overdue": "#fde0e0", "due": "#fff4d6", "upcoming": "#fff9e8"}.get(urgency)
            if colour:
                for column in range(6):
                    item.setBackground(column, QBrush(QColor(colour)))
            self.tree.addTopLevelItem(item)
        for column in (0, 1, 2, 3, 5):
            self.tree.resizeColumnToContents(column)

    def open_case(self, case_id: uuid.UUID | None = None) -> None:
        if case_id is None:
            item = self.tree.currentItem()
            if item is None:
                return
            case_id = uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole))
        MissingCaseDialog(self.ctx, case_id, self).exec()
        self.refresh()

    def report_missing(self) -> None:
        chooser = ResidentChooser(self.ctx, _("Report a resident missing"), self)
        if not chooser.exec() or chooser.resident_id is None:
            return
        dialog = ReportMissingDialog(self.ctx, chooser.resident_id, chooser.resident_name, self)
        if dialog.exec() and dialog.case is not None:
            self.refresh()
            self.open_case(dialog.case.case_id)


class ResidentChooser(QDialog):
    """Pick a current resident by typing part of the name, room or person ID."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("resident_chooser")
        self.resident_id: uuid.UUID | None = None
        self.resident_name = ""
        self.combo = QComboBox(objectName="resident_combo")
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        with ctx.db.read() as session:
            rows = resident_query.page(session, ResidentFilter(), limit=1000)
        for row in rows:
            self.combo.addItem(_("{name} – room {room} – {person_id}").format(
                name=f"{row.given_names} {row.family_name}", room=row.room_name or "–",
                person_id=row.person_id), (row.id, f"{row.given_names} {row.family_name}"))
        self.combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.combo.completer().setCompletionMode(self.combo.completer().CompletionMode.PopupCompletion)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Resident")))
        layout.addWidget(self.combo)
        layout.addWidget(save_cancel_buttons(self, self._choose))

    def _choose(self) -> None:
        data = self.combo.currentData()
        if data is None:
            return
        self.resident_id, self.resident_name = data
        self.accept()


class LeaveDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("leave_dialog")
        self.setWindowTitle(_("Approved leave"))
        self.resident = ResidentChooser(ctx, "", self).combo
        self.kind = QComboBox(objectName="leave_kind")
        for code in LEAVE_KINDS:
            self.kind.addItem(label(LEAVE_KIND_LABELS, code), code)
        self.starts_at = datetime_edit()
        self.starts_at.setObjectName("leave_starts_at")
        self.ends_at = datetime_edit(utcnow() + timedelta(days=2))
        self.ends_at.setObjectName("leave_ends_at")
        self.note = QLineEdit(objectName="leave_note")
        form = QFormLayout()
        self.errors = FieldErrors()
        self.errors.add_row(form, _("Resident"), "resident", self.resident)
        self.errors.add_row(form, _("Kind of leave"), "kind", self.kind)
        self.errors.add_row(form, _("From"), "starts_at", self.starts_at)
        self.errors.add_row(form, _("Back by"), "ends_at", self.ends_at)
        self.errors.add_row(form, _("Note"), "note", self.note)
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))

    def save(self) -> None:
        data = self.resident.currentData()

        def call() -> None:
            if data is None:
                from app.errors import ValidationError

                raise ValidationError({"resident": _("Choose the resident.")})
            leave.add_leave(self.ctx.db, self.ctx.actor, data[0], kind=self.kind.currentData(),
                            starts_at=edit_datetime(self.starts_at),
                            ends_at=edit_datetime(self.ends_at), note=self.note.text())

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(attendance=True))
            self.accept()


class LeaveTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tree = _tree([_("Resident"), _("Kind"), _("From"), _("Back by"), _("Note"),
                           _("Approved by")], "leave_list")
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        add = QPushButton(_("Register leave…"), objectName="add_leave_button")
        add.clicked.connect(self.add)
        self.back_button = QPushButton(_("Back early"), objectName="end_leave_button")
        self.back_button.clicked.connect(self.end_early)
        self.cancel_button = QPushButton(_("Withdraw (registered by mistake)"),
                                         objectName="cancel_leave_button")
        self.cancel_button.clicked.connect(self.cancel)
        can_manage = ctx.can(Permission.MANAGE_LEAVE)
        for button in (add, self.back_button, self.cancel_button):
            button.setEnabled(can_manage)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Current and planned approved leave. Residents on leave are "
                                  "marked as such in the rounds and are not reported missing.")))
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        rows = leave.current_and_planned_leave(self.ctx.db, self.ctx.actor)
        self.tree.clear()
        for row in rows:
            item = QTreeWidgetItem([row.resident_name, label(LEAVE_KIND_LABELS, row.kind),
                                    format_datetime(row.starts_at), format_datetime(row.ends_at),
                                    row.note or "", row.approved_by or ""])
            item.setData(0, Qt.ItemDataRole.UserRole, str(row.id))
            self.tree.addTopLevelItem(item)
        for column in (0, 1, 2, 3):
            self.tree.resizeColumnToContents(column)

    def _selected(self) -> uuid.UUID | None:
        item = self.tree.currentItem()
        return uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole)) if item else None

    def add(self) -> None:
        if LeaveDialog(self.ctx, self).exec():
            self.refresh()

    def end_early(self) -> None:
        leave_id = self._selected()
        if leave_id is not None:
            self._run(lambda: leave.end_leave(self.ctx.db, self.ctx.actor, leave_id))

    def cancel(self) -> None:
        leave_id = self._selected()
        if leave_id is None:
            return
        answer = QMessageBox.question(self, _("Withdraw leave"), _(
            "Withdraw this leave? Use this only for leave registered by mistake."))
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda: leave.cancel_leave(self.ctx.db, self.ctx.actor, leave_id))

    def _run(self, call) -> None:
        try:
            call()
        except DomainError as error:
            show_error(self, error)
        self.ctx.announce(Changes(attendance=True))
        self.refresh()


class PatternsTab(QWidget):
    """Absence patterns: who was absent in several recent rounds, and absences per day."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.days = QComboBox(objectName="pattern_days")
        for days in (14, 30, 90):
            self.days.addItem(_("Last {days} days").format(days=days), days)
        self.days.setCurrentIndex(1)
        self.days.currentIndexChanged.connect(lambda _i: self.refresh())
        self.chart = BarChart()
        self.chart.setObjectName("absence_chart")
        self.tree = _tree([_("Resident"), _("Room"), _("Absent rounds"), _("'Other' rounds"),
                           _("Rounds"), _("Last absent")], "absence_patterns")
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._open_history)
        note = QLabel(_("Other signs that a resident no longer lives here – not collecting post "
                        "or cash allowance, missing school – are not recorded in this version "
                        "yet; look at the rounds and talk to the contact person."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(heading(_("Absence patterns")))
        top.addStretch(1)
        top.addWidget(self.days)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.chart, 1)
        layout.addWidget(QLabel(_("Residents absent in two or more rounds:")))
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        self.refresh()

    def refresh(self) -> None:
        days = self.days.currentData()
        patterns, counts = attendance.absence_patterns(self.ctx.db, self.ctx.actor, days=days)
        self.chart.set_data(
            _("Marks per day"), [c.day.strftime("%d.%m") for c in counts],
            [Series(_("Absent or other"), "#d64545", [c.absent for c in counts]),
             Series(_("Leave or hospital"), "#6b9bd1", [c.leave for c in counts])])
        self.tree.clear()
        for p in patterns:
            item = QTreeWidgetItem([p.name, p.room, str(p.absent), str(p.other), str(p.rounds),
                                    format_datetime(p.last_absent) if p.last_absent else ""])
            item.setData(0, Qt.ItemDataRole.UserRole, str(p.resident_id))
            self.tree.addTopLevelItem(item)
        for column in range(1, 6):
            self.tree.resizeColumnToContents(column)

    def _open_history(self, item: QTreeWidgetItem, _column: int) -> None:
        from ui.rounds.history import AttendanceHistoryDialog

        AttendanceHistoryDialog(self.ctx, uuid.UUID(item.data(0, Qt.ItemDataRole.UserRole)),
                                item.text(0), self).exec()


class RoundsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("rounds_page")
        self.tabs = QTabWidget(objectName="rounds_tabs")
        self.rounds = RoundsTab(ctx)
        self.missing = MissingTab(ctx)
        self.leave = LeaveTab(ctx)
        self.patterns = PatternsTab(ctx)
        self.tabs.addTab(self.rounds, _("Rounds"))
        self.tabs.addTab(self.missing, _("Missing residents"))
        self.tabs.addTab(self.leave, _("Approved leave"))
        self.tabs.addTab(self.patterns, _("Absence patterns"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Attendance rounds – {date}").format(
            date=format_date(local_today(), "long"))))
        layout.addWidget(self.tabs, 1)
        ctx.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.attendance or changes.residents:
            self.rounds.refresh()
            self.missing.refresh()
            self.leave.refresh()

    def show_case(self, case_id: uuid.UUID) -> None:
        self.tabs.setCurrentWidget(self.missing)
        self.missing.open_case(case_id)

    def take_current_round(self) -> None:
        self.tabs.setCurrentWidget(self.rounds)
        self.rounds.day.setDate(to_qdate(local_today()))
        self.rounds.take_round()

