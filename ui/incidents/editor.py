"""Logging an incident: built for a tired person alone at 3 a.m. — keyboard all the way, the
reports it will need shown as kinds are ticked, and every keystroke kept as a draft.

The same dialog corrects a submitted incident: prefilled with the incident as it stands, with a
required reason; the earlier version is kept by ``incidents.correct_incident``."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMessageBox, QPlainTextEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from app.formatting import format_time, local_today
from app.i18n import _
from app.models.incidents import IMMEDIATE_ACTIONS, RESIDENT_ROLES
from app.queries import residents as resident_query
from app.queries.residents import ResidentFilter
from app.rules.reports import (INCIDENT_KINDS, REPORT_CODES, USE_OF_FORCE_KINDS,
                               required_reports)
from app.services import drafts, incidents
from app.services import staff as staff_service
from app.services.incidents import ConfiscatedInput, ForceInput, IncidentDetail, IncidentInput
from app.vocab import (IMMEDIATE_ACTION_LABELS, INCIDENT_KIND_LABELS, INCIDENT_REPORT_LABELS,
                       RESIDENT_ROLE_LABELS, label)
from ui.context import AppContext, Changes
from ui.widgets import (ErrorLabel, FieldErrors, datetime_edit, edit_datetime, run_form_call,
                        set_datetime)

DRAFT_KEY = "incident-new"
DRAFT_DELAY_MS = 400


def correction_draft_key(incident_id: uuid.UUID) -> str:
    """The draft of a correction of one incident, kept apart from the new-incident draft."""
    return f"incident-correct-{incident_id}"


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


class ForceRow(QGroupBox):
    """One use of force: on whom, what, when, why, who decided, injuries, the minor's view."""

    def __init__(self, number: int, residents: list[tuple[uuid.UUID, str]],
                 staff: list[tuple[uuid.UUID, str]], kinds: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Use of force {number}").format(number=number), parent)
        self.resident = QComboBox(objectName=f"force_resident_{number}")
        self.resident.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        for rid, name in residents:
            self.resident.addItem(name, rid)
        self.kind = QComboBox(objectName=f"force_kind_{number}")
        for code in kinds:
            self.kind.addItem(label(INCIDENT_KIND_LABELS, code), code)
        self.started = datetime_edit()
        self.started.setObjectName(f"force_started_{number}")
        self.ended = datetime_edit()
        self.ended.setObjectName(f"force_ended_{number}")
        # An end not recorded (possible in older records) shows as such, not as a made-up time.
        self.ended.setMinimumDate(QDate(2000, 1, 1))
        self.ended.setSpecialValueText(_("not recorded"))
        self.reason = QLineEdit(objectName=f"force_reason_{number}")
        self.reason.setPlaceholderText(_("Why was it necessary?"))
        self.decided_by = QComboBox(objectName=f"force_decided_by_{number}")
        for sid, name in staff:
            self.decided_by.addItem(name, sid)
        self.injuries = QLineEdit(objectName=f"force_injuries_{number}")
        self.injuries.setPlaceholderText(_("None seen"))
        self.statement = QPlainTextEdit(objectName=f"force_statement_{number}")
        self.statement.setTabChangesFocus(True)
        self.statement.setMaximumHeight(60)
        self.statement.setPlaceholderText(_("The minor's own words – can be added later, when "
                                            "the minor has been told about the report"))
        self.declined = QCheckBox(_("The minor declined to give a view"),
                                  objectName=f"force_declined_{number}")
        # The minor's view as recorded before (a correction): its dates stay unless it changes.
        self.recorded: tuple[str | None, bool, date | None, date | None] = (None, False, None,
                                                                             None)
        form = QFormLayout(self)
        form.addRow(_("Resident"), self.resident)
        form.addRow(_("What was done"), self.kind)
        form.addRow(_("Started"), self.started)
        form.addRow(_("Ended"), self.ended)
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Decided by"), self.decided_by)
        form.addRow(_("Injuries"), self.injuries)
        form.addRow(_("Minor's statement"), self.statement)
        form.addRow("", self.declined)

    def set_choices(self, residents: list[tuple[uuid.UUID, str]], kinds: list[str]) -> None:
        for combo, values in ((self.resident, residents),
                              (self.kind, [(k, label(INCIDENT_KIND_LABELS, k)) for k in kinds])):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for value in values:
                data, text = (value[0], value[1]) if combo is self.resident else value
                combo.addItem(text, data)
            index = next((i for i in range(combo.count()) if combo.itemData(i) == current), 0)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)

    def ended_at(self) -> datetime | None:
        if self.ended.dateTime() == self.ended.minimumDateTime():
            return None
        return edit_datetime(self.ended)

    def value(self, informed_today: bool) -> ForceInput:
        statement = self.statement.toPlainText().strip() or None
        declined = self.declined.isChecked()
        told = bool(statement) or declined
        was_statement, was_declined, informed_on, statement_on = self.recorded
        if (statement, declined) != (was_statement, was_declined):
            today = local_today() if told and informed_today else None
            informed_on = (informed_on or today) if told else None
            statement_on = today
        return ForceInput(
            resident_id=self.resident.currentData(), kind=self.kind.currentData() or "",
            started_at=edit_datetime(self.started), ended_at=self.ended_at(),
            reason=self.reason.text(), decided_by=self.decided_by.currentData(),
            injuries=self.injuries.text(), minor_informed_on=informed_on,
            minor_statement=statement, minor_declined=declined, statement_on=statement_on)

    def payload(self) -> dict[str, Any]:
        was_statement, was_declined, informed_on, statement_on = self.recorded
        return {"resident": str(self.resident.currentData() or ""),
                "kind": self.kind.currentData(), "started": _iso(edit_datetime(self.started)),
                "ended": _iso(self.ended_at()), "reason": self.reason.text(),
                "decided_by": str(self.decided_by.currentData() or ""),
                "injuries": self.injuries.text(), "statement": self.statement.toPlainText(),
                "declined": self.declined.isChecked(),
                "recorded": [was_statement, was_declined, _iso(informed_on),
                             _iso(statement_on)]}

    def fill(self, values: dict[str, Any]) -> None:
        for combo, key in ((self.resident, "resident"), (self.decided_by, "decided_by")):
            for index in range(combo.count()):
                if str(combo.itemData(index)) == values.get(key):
                    combo.setCurrentIndex(index)
        self.kind.setCurrentIndex(max(self.kind.findData(values.get("kind")), 0))
        for edit, key in ((self.started, "started"), (self.ended, "ended")):
            if values.get(key):
                set_datetime(edit, datetime.fromisoformat(values[key]))
        if "ended" in values and not values["ended"]:
            self.ended.setDateTime(self.ended.minimumDateTime())
        self.reason.setText(values.get("reason", ""))
        self.injuries.setText(values.get("injuries", ""))
        self.statement.setPlainText(values.get("statement", ""))
        self.declined.setChecked(bool(values.get("declined")))
        if values.get("recorded"):
            was_statement, was_declined, informed_on, statement_on = values["recorded"]
            self.recorded = (was_statement, bool(was_declined), _day(informed_on),
                             _day(statement_on))


class IncidentEditor(QDialog):
    """A new incident, or (``correcting``) a correction of a submitted one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 correcting: IncidentDetail | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: IncidentDetail | None = None
        self.correcting = correcting
        self.original: IncidentInput | None = None
        self.draft_key = DRAFT_KEY
        self.base_version = correcting.version if correcting else None
        self.setObjectName("incident_editor")
        self.setWindowTitle(_("Log an incident"))
        self.resize(1120, 860)
        self.errors = FieldErrors()
        with ctx.db.read() as session:
            rows = resident_query.page(session, ResidentFilter(), limit=1000)
        self.all_residents = [(r.id, f"{r.given_names} {r.family_name}"
                               + (f" ({r.room_name})" if r.room_name else "")) for r in rows]
        self.staff = [(s.id, s.full_name) for s in staff_service.list_staff(ctx.db, ctx.actor)]
        if correcting is not None:
            self.original = incidents.incident_as_input(ctx.db, ctx.actor, correcting.id)
            self.draft_key = correction_draft_key(correcting.id)
            self.setWindowTitle(_("Correct incident {number}").format(number=correcting.number))
            # Staff no longer active who took part or decided keep their place in the record.
            listed = {sid for sid, _name in self.staff}
            wanted = {*self.original.staff_ids,
                      *(f.decided_by for f in self.original.uses_of_force if f.decided_by)}
            if wanted - listed:
                self.staff += [(s.id, s.full_name) for s in staff_service.list_staff(
                    ctx.db, ctx.actor, include_inactive=True) if s.id in wanted - listed]
        self._build()
        if self.original is not None:
            self._fill(self._payload_of(self.original))
        self.pristine = self.payload()
        self._restore_draft()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.save_draft)
        self._watch(self)
        # Ctrl+Enter (or Ctrl+S) submits from any field, also from the multi-line ones that
        # would otherwise take the key themselves.
        for widget in self.findChildren(QWidget):
            widget.installEventFilter(self)
        (self.reason if self.correcting is not None else self.place).setFocus()

    # --- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.draft_notice = QLabel(objectName="draft_notice")
        self.draft_notice.setStyleSheet("color: #8a5a00;")
        self.draft_notice.hide()
        self.happened = datetime_edit()
        self.happened.setObjectName("happened_at")
        self.noticed = datetime_edit()
        self.noticed.setObjectName("noticed_at")
        self.place = QLineEdit(objectName="place")
        self.place.setPlaceholderText(_("Room 104, kitchen, yard, in town …"))
        self.kinds = QListWidget(objectName="kinds")
        for code in INCIDENT_KINDS:
            item = QListWidgetItem(label(INCIDENT_KIND_LABELS, code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.kinds.addItem(item)
        self.kinds.setMinimumHeight(200)
        self.kinds.setMinimumWidth(300)
        self.kinds.itemChanged.connect(lambda _item: self._kinds_changed())
        self.harassment = QLineEdit(objectName="harassment_grounds")
        self.harassment.setPlaceholderText(_("Race, religion, gender, sexuality …"))
        self.reports_preview = QLabel(objectName="reports_preview")
        self.reports_preview.setWordWrap(True)
        self.reports_preview.setStyleSheet("background: #fff4d6; padding: 4px;")

        self.resident_pick = QComboBox(objectName="resident_pick")
        self.resident_pick.setEditable(True)
        self.resident_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for rid, name in self.all_residents:
            self.resident_pick.addItem(name, rid)
        self.resident_pick.setCurrentIndex(-1)
        self.resident_pick.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.resident_pick.setMinimumContentsLength(16)
        self.resident_pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        # Type part of the name and press Enter to add the resident with the chosen role.
        self.resident_pick.lineEdit().returnPressed.connect(self.add_resident)
        self.role_pick = QComboBox(objectName="role_pick")
        for code in RESIDENT_ROLES:
            self.role_pick.addItem(label(RESIDENT_ROLE_LABELS, code), code)
        add_resident = QPushButton(_("Add"), objectName="add_resident_button")
        add_resident.clicked.connect(self.add_resident)
        self.involved = QListWidget(objectName="involved_residents")
        self.involved.setMaximumHeight(80)
        remove = QPushButton(_("Remove"), objectName="remove_resident_button")
        remove.clicked.connect(self.remove_resident)
        self.staff_list = QListWidget(objectName="involved_staff")
        self.staff_list.setMaximumHeight(80)
        for sid, name in self.staff:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, sid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if sid == self.ctx.actor.staff_id
                               else Qt.CheckState.Unchecked)
            self.staff_list.addItem(item)
        self.others = QLineEdit(objectName="other_persons")
        self.description = QPlainTextEdit(objectName="description")
        self.description.setTabChangesFocus(True)
        self.description.setPlaceholderText(_("What happened, in order; what staff did."))
        self.actions: dict[str, QCheckBox] = {}
        actions_row = QHBoxLayout()
        for code in IMMEDIATE_ACTIONS:
            box = QCheckBox(label(IMMEDIATE_ACTION_LABELS, code), objectName=f"action_{code}")
            self.actions[code] = box
            actions_row.addWidget(box)
        actions_row.addStretch(1)
        self.confiscated = QPlainTextEdit(objectName="confiscated")
        self.confiscated.setTabChangesFocus(True)
        self.confiscated.setMaximumHeight(50)
        self.confiscated.setPlaceholderText(_("One item per line"))
        self.kept_where = QLineEdit(objectName="kept_where")
        self.kept_where.setPlaceholderText(_("Where the items are kept"))

        self.force_box = QWidget()
        self.force_layout = QVBoxLayout(self.force_box)
        self.force_layout.setContentsMargins(0, 0, 0, 0)
        self.force_rows: list[ForceRow] = []
        self.add_force_button = QPushButton(_("Add another use of force"),
                                            objectName="add_force_button")
        self.add_force_button.clicked.connect(self.add_force)

        body = QWidget()
        grid = QGridLayout(body)
        left = QFormLayout()
        self.errors.add_row(left, _("Happened"), "happened_at", self.happened)
        self.errors.add_row(left, _("Noticed"), "noticed_at", self.noticed)
        self.errors.add_row(left, _("Where"), "place", self.place)
        self.errors.add_row(left, _("What happened (tick all that apply)"), "kinds", self.kinds)
        self.errors.add_row(left, _("Harassment because of"), "harassment_grounds",
                            self.harassment)
        left.addRow(_("Reports needed"), self.reports_preview)
        right = QFormLayout()
        pick = QHBoxLayout()
        pick.addWidget(self.resident_pick, 1)
        pick.addWidget(self.role_pick)
        pick.addWidget(add_resident)
        right.addRow(_("Residents involved"), pick)
        involved_row = QHBoxLayout()
        involved_row.addWidget(self.involved, 1)
        involved_row.addWidget(remove, alignment=Qt.AlignmentFlag.AlignTop)
        self.errors.add_row(right, "", "residents", QWidget())
        right.addRow("", involved_row)
        right.addRow(_("Staff involved"), self.staff_list)
        right.addRow(_("Other persons"), self.others)
        self.errors.add_row(right, _("Description"), "description", self.description)
        right.addRow(_("Items taken into safekeeping"), self.confiscated)
        right.addRow("", self.kept_where)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.addLayout(actions_row, 1, 0, 1, 2)
        self.force_group = QGroupBox(_("Use of force – the minor must be told about the report "
                                       "and heard"))
        force_group_layout = QVBoxLayout(self.force_group)
        force_group_layout.addWidget(self.force_box)
        force_group_layout.addWidget(self.add_force_button, alignment=Qt.AlignmentFlag.AlignLeft)
        self.force_error = ErrorLabel()
        force_group_layout.addWidget(self.force_error)
        grid.addWidget(self.force_group, 2, 0, 1, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Always there, so the right column is not cut off when the use of force appears.
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        scroll.setWidget(body)

        self.general_error = ErrorLabel()
        save = QPushButton(_("Save the correction (Ctrl+Enter)") if self.correcting
                           else _("Submit (Ctrl+Enter)"), objectName="save_button")
        save.clicked.connect(self.submit)
        cancel = QPushButton(_("Cancel"), objectName="cancel_button")
        cancel.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("Everything you type is kept on this PC until you submit.")))
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.draft_notice)
        self.reason = QLineEdit(self, objectName="correction_reason")
        if self.correcting is not None:
            info = QLabel(_("Incident {number} as it stands now (version {version}). That "
                            "version is kept when you save the correction; reports are only "
                            "ever added, and those done stay done.").format(
                number=self.correcting.number, version=self.correcting.version))
            info.setObjectName("correction_info")
            info.setWordWrap(True)
            info.setStyleSheet("background: #e8f0fe; padding: 4px;")
            self.reason.setPlaceholderText(_("What was wrong or missing, and how you know"))
            reason_form = QFormLayout()
            self.errors.add_row(reason_form, _("Reason for the correction"), "reason",
                                self.reason)
            layout.addWidget(info)
            layout.addLayout(reason_form)
        else:
            self.reason.hide()
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self._kinds_changed()

    def _watch(self, root: QWidget) -> None:
        for widget in root.findChildren(QLineEdit):
            widget.textChanged.connect(self._changed)
        for widget in root.findChildren(QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        for widget in root.findChildren(QCheckBox):
            widget.toggled.connect(self._changed)
        for widget in root.findChildren(QComboBox):
            widget.currentIndexChanged.connect(self._changed)
        self.kinds.itemChanged.connect(self._changed)
        self.staff_list.itemChanged.connect(self._changed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            key_event: QKeyEvent = event  # type: ignore[assignment]
            control = key_event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if control and key_event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                               Qt.Key.Key_S):
                self.submit()
                return True
        return super().eventFilter(watched, event)

    def _changed(self, *_args: object) -> None:
        if self.saved is None:
            self._timer.start()

    # --- kinds, residents, use of force ---------------------------------------------------
    def checked_kinds(self) -> list[str]:
        return [self.kinds.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.kinds.count())
                if self.kinds.item(i).checkState() == Qt.CheckState.Checked]

    def set_kind(self, code: str, checked: bool = True) -> None:
        for i in range(self.kinds.count()):
            if self.kinds.item(i).data(Qt.ItemDataRole.UserRole) == code:
                self.kinds.item(i).setCheckState(Qt.CheckState.Checked if checked
                                                 else Qt.CheckState.Unchecked)

    def involved_residents(self) -> list[tuple[uuid.UUID, str, str]]:
        return [self.involved.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.involved.count())]

    def _minor_involved(self) -> bool:
        # Residents of a children's centre are minors; on submit the service decides from the
        # birth dates of those involved.
        return True

    def _kinds_changed(self) -> None:
        kinds = self.checked_kinds()
        self.harassment.setEnabled("harassment" in kinds)
        reports = required_reports(kinds, minor_involved=self._minor_involved())
        if reports:
            self.reports_preview.setText(", ".join(
                label(INCIDENT_REPORT_LABELS, code) for code in REPORT_CODES if code in reports))
        else:
            self.reports_preview.setText(_("None – the incident is logged only."))
        force_kinds = [k for k in kinds if k in USE_OF_FORCE_KINDS]
        self.force_group.setVisible(bool(force_kinds))
        if force_kinds and not self.force_rows:
            self.add_force()
        self._refresh_force_choices()

    def _force_residents(self) -> list[tuple[uuid.UUID, str]]:
        chosen = [(rid, name) for rid, name, _role in self.involved_residents()]
        return chosen or self.all_residents

    def _refresh_force_choices(self) -> None:
        kinds = [k for k in self.checked_kinds() if k in USE_OF_FORCE_KINDS]
        for row in self.force_rows:
            row.set_choices(self._force_residents(), kinds)

    def add_force(self) -> ForceRow:
        kinds = [k for k in self.checked_kinds() if k in USE_OF_FORCE_KINDS]
        row = ForceRow(len(self.force_rows) + 1, self._force_residents(), self.staff, kinds)
        set_datetime(row.started, edit_datetime(self.happened))
        set_datetime(row.ended, edit_datetime(self.happened))
        for index in range(row.decided_by.count()):
            if row.decided_by.itemData(index) == self.ctx.actor.staff_id:
                row.decided_by.setCurrentIndex(index)
        self.force_rows.append(row)
        self.force_layout.addWidget(row)
        if hasattr(self, "_timer"):
            self._watch(row)
            for widget in row.findChildren(QWidget):
                widget.installEventFilter(self)
        return row

    def add_resident(self) -> None:
        typed = self.resident_pick.currentText().strip()
        index = self.resident_pick.findText(typed, Qt.MatchFlag.MatchContains)
        if not typed or index < 0:
            return
        rid = self.resident_pick.itemData(index)
        name = self.resident_pick.itemText(index)
        role = self.role_pick.currentData()
        if any(existing[0] == rid for existing in self.involved_residents()):
            return
        item = QListWidgetItem(f"{name} – {label(RESIDENT_ROLE_LABELS, role)}")
        item.setData(Qt.ItemDataRole.UserRole, (rid, name, role))
        self.involved.addItem(item)
        self.resident_pick.setCurrentIndex(-1)
        self.resident_pick.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.resident_pick.setMinimumContentsLength(16)
        self.resident_pick.clearEditText()
        self._kinds_changed()
        self._changed()

    def remove_resident(self) -> None:
        row = self.involved.currentRow()
        if row >= 0:
            self.involved.takeItem(row)
            self._kinds_changed()
            self._changed()

    # --- input, drafts ---------------------------------------------------------------------
    def _confiscated_input(self) -> tuple[ConfiscatedInput, ...]:
        """One item per line, of the resident causing it, kept where the field says. In a
        correction an item already listed stays that resident's and, unless the place was
        changed, where it was kept."""
        lines = [line.strip() for line in self.confiscated.toPlainText().splitlines()
                 if line.strip()]
        causing = next((rid for rid, _n, role in self.involved_residents() if role == "causing"),
                       None)
        kept_where = self.kept_where.text()
        earlier = list(self.original.confiscated) if self.original else []
        unchanged_place = kept_where.strip() == self._original_kept_where().strip()
        items = []
        for line in lines:
            before = next((i for i in earlier if i.description.strip() == line), None)
            if before is None:
                items.append(ConfiscatedInput(line, causing, kept_where))
                continue
            earlier.remove(before)
            items.append(ConfiscatedInput(
                line, before.resident_id, before.kept_where if unchanged_place else kept_where))
        return tuple(items)

    def _original_kept_where(self) -> str:
        if self.original is None or not self.original.confiscated:
            return ""
        return next((i.kept_where for i in self.original.confiscated if i.kept_where), "")

    def incident_input(self) -> IncidentInput:
        return IncidentInput(
            happened_at=edit_datetime(self.happened), noticed_at=edit_datetime(self.noticed),
            place=self.place.text(), kinds=tuple(self.checked_kinds()),
            description=self.description.toPlainText(),
            residents=tuple((rid, role) for rid, _n, role in self.involved_residents()),
            staff_ids=tuple(self.staff_list.item(i).data(Qt.ItemDataRole.UserRole)
                            for i in range(self.staff_list.count())
                            if self.staff_list.item(i).checkState() == Qt.CheckState.Checked),
            other_persons=self.others.text(),
            immediate_actions=tuple(code for code, box in self.actions.items()
                                    if box.isChecked()),
            harassment_grounds=self.harassment.text() if self.harassment.isEnabled() else None,
            uses_of_force=tuple(row.value(True) for row in self.force_rows)
            if self.force_group.isVisible() or self.force_group.isVisibleTo(self) else (),
            confiscated=self._confiscated_input())

    def payload(self) -> dict[str, Any]:
        return {
            "happened": _iso(edit_datetime(self.happened)),
            "noticed": _iso(edit_datetime(self.noticed)), "place": self.place.text(),
            "kinds": self.checked_kinds(), "harassment": self.harassment.text(),
            "residents": [[str(rid), name, role] for rid, name, role in self.involved_residents()],
            "staff": [str(self.staff_list.item(i).data(Qt.ItemDataRole.UserRole))
                      for i in range(self.staff_list.count())
                      if self.staff_list.item(i).checkState() == Qt.CheckState.Checked],
            "others": self.others.text(), "description": self.description.toPlainText(),
            "actions": [code for code, box in self.actions.items() if box.isChecked()],
            "confiscated": self.confiscated.toPlainText(), "kept_where": self.kept_where.text(),
            "force": [row.payload() for row in self.force_rows],
            "reason": self.reason.text(),
            # The version a correction starts from, to tell when someone corrected it since.
            "version": self.base_version,
        }

    def _payload_of(self, data: IncidentInput) -> dict[str, Any]:
        """The incident being corrected, in the shape of a draft."""
        names = dict(self.all_residents)
        if self.correcting is not None:
            for rid, name, _person_id, _role in self.correcting.residents:
                names.setdefault(rid, name)
        return {
            "happened": _iso(data.happened_at), "noticed": _iso(data.noticed_at),
            "place": data.place, "kinds": list(data.kinds),
            "harassment": data.harassment_grounds or "",
            "residents": [[str(rid), names.get(rid, ""), role] for rid, role in data.residents],
            "staff": [str(sid) for sid in data.staff_ids],
            "others": data.other_persons or "", "description": data.description,
            "actions": list(data.immediate_actions),
            "confiscated": "\n".join(i.description for i in data.confiscated),
            "kept_where": self._original_kept_where(),
            "force": [{
                "resident": str(f.resident_id or ""), "kind": f.kind,
                "started": _iso(f.started_at), "ended": _iso(f.ended_at), "reason": f.reason,
                "decided_by": str(f.decided_by or ""), "injuries": f.injuries or "",
                "statement": f.minor_statement or "", "declined": f.minor_declined,
                "recorded": [f.minor_statement, f.minor_declined, _iso(f.minor_informed_on),
                             _iso(f.statement_on)]} for f in data.uses_of_force],
            "reason": "",
            "version": self.base_version,
        }

    def _fill(self, values: dict[str, Any]) -> None:
        for edit, key in ((self.happened, "happened"), (self.noticed, "noticed")):
            if values.get(key):
                set_datetime(edit, datetime.fromisoformat(values[key]))
        self.place.setText(values.get("place", ""))
        kinds = set(values.get("kinds", []))
        for code in INCIDENT_KINDS:
            self.set_kind(code, code in kinds)
        self.harassment.setText(values.get("harassment", ""))
        self.involved.clear()
        for rid, name, role in values.get("residents", []):
            item = QListWidgetItem(f"{name} – {label(RESIDENT_ROLE_LABELS, role)}")
            item.setData(Qt.ItemDataRole.UserRole, (uuid.UUID(rid), name, role))
            self.involved.addItem(item)
        staff = set(values.get("staff", []))
        for i in range(self.staff_list.count()):
            item = self.staff_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if str(item.data(Qt.ItemDataRole.UserRole))
                               in staff else Qt.CheckState.Unchecked)
        self.others.setText(values.get("others", ""))
        self.description.setPlainText(values.get("description", ""))
        actions = set(values.get("actions", []))
        for code, box in self.actions.items():
            box.setChecked(code in actions)
        self.confiscated.setPlainText(values.get("confiscated", ""))
        self.kept_where.setText(values.get("kept_where", ""))
        self.reason.setText(values.get("reason", ""))
        self._kinds_changed()
        forces = values.get("force", [])
        while len(self.force_rows) > max(len(forces), 1):
            row = self.force_rows.pop()
            row.setParent(None)
            row.deleteLater()
        for index, force in enumerate(forces):
            row = self.force_rows[index] if index < len(self.force_rows) else self.add_force()
            row.fill(force)

    def save_draft(self) -> None:
        if self.saved is None and self.ctx.has_actor:
            drafts.save_draft(self.ctx.db, self.ctx.actor, self.draft_key, self.payload())

    def _restore_draft(self) -> None:
        draft = drafts.load_draft(self.ctx.db, self.ctx.actor, self.draft_key)
        if draft is None:
            return
        self._fill(draft.payload)
        self.base_version = draft.payload.get("version", self.base_version)
        if self.correcting is None:
            text = _("The incident you began at {time} was restored.")
        elif draft.payload.get("version") == self.correcting.version:
            text = _("The correction you began at {time} was restored.")
        else:
            text = _("The correction you began at {time} was restored, but the incident has "
                     "been corrected since: compare it with the incident as it is now.")
        self.draft_notice.setText(text.format(time=format_time(draft.saved_at)))
        self.draft_notice.setWordWrap(True)
        self.draft_notice.show()

    def is_dirty(self) -> bool:
        return self.payload() != self.pristine

    # --- actions --------------------------------------------------------------------------
    def submit(self) -> None:
        problems: dict[str, str] = {}

        def call() -> None:
            from app.errors import ValidationError

            try:
                if self.correcting is not None:
                    self.saved = incidents.correct_incident(
                        self.ctx.db, self.ctx.actor, self.correcting.id, self.incident_input(),
                        reason=self.reason.text())
                else:
                    self.saved = incidents.log_incident(self.ctx.db, self.ctx.actor,
                                                        self.incident_input())
            except ValidationError as error:
                problems.update(error.problems)
                raise

        ok = run_form_call(call, self.errors, self.general_error,
                           summary=_("Please correct the fields marked in red."))
        self.force_error.show_error("\n".join(text for key, text in problems.items()
                                              if key.startswith(("force.", "uses_of_force",
                                                                 "confiscated"))))
        if not ok:
            return
        self._timer.stop()
        drafts.discard_draft(self.ctx.db, self.ctx.actor, self.draft_key)
        self.ctx.announce(Changes(incidents=True))
        self.accept()

    def cancel(self) -> None:
        if self.is_dirty():
            if self.correcting is not None:
                title, text = _("Discard the correction?"), _(
                    "You have changed the incident but not saved the correction. Throw the "
                    "changes away?")
            else:
                title, text = _("Discard the incident?"), _(
                    "You have typed something that is not submitted. Throw it away?")
            answer = QMessageBox.question(self, title, text)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._timer.stop()
        drafts.discard_draft(self.ctx.db, self.ctx.actor, self.draft_key)
        self.reject()

    def reject(self) -> None:
        # Closed by Esc or the window frame: what was typed in the last moment is kept too;
        # only Cancel throws the draft away.
        if self._timer.isActive():
            self._timer.stop()
            self.save_draft()
        super().reject()

    def stash_for_switch(self) -> None:
        """Another user takes over the PC: the draft stays for this user."""
        self._timer.stop()
        self.save_draft()
        self.reject()
