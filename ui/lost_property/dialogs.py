"""Dialogs of the lost-property register: logging finds, recording what happened, corrections."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QFormLayout, QGridLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QRadioButton, QScrollArea,
                               QVBoxLayout, QWidget)

from app.errors import ValidationError
from app.formatting import format_date, format_dkk, local_today
from app.i18n import _
from app.models.reception import (DISPOSITIONS, ITEM_CATEGORIES, ORIGIN_COMMON,
                                  ORIGIN_VACATED)
from app.services import lost_property, rooms
from app.services.lost_property import ItemInput, ItemView
from app.vocab import DISPOSITION_LABELS, ITEM_CATEGORY_LABELS, label
from ui.context import AppContext, Changes
from ui.widgets import (ErrorLabel, FieldErrors, date_edit, from_qdate, run_form_call,
                        save_cancel_buttons)

_ERROR_STYLE = "border: 1px solid #b00020;"


class ItemRow:
    """One line of the batch: description, category, value, perishable, storage."""

    def __init__(self, grid: QGridLayout, row: int) -> None:
        self.description = QLineEdit()
        self.description.setObjectName(f"item_description_{row}")
        self.description.setPlaceholderText(_("What is it? (colour, brand, contents)"))
        self.category = QComboBox()
        self.category.setObjectName(f"item_category_{row}")
        for code in ITEM_CATEGORIES:
            self.category.addItem(label(ITEM_CATEGORY_LABELS, code), code)
        self.value = QLineEdit()
        self.value.setObjectName(f"item_value_{row}")
        self.value.setPlaceholderText(_("kr."))
        self.value.setMaximumWidth(100)
        self.perishable = QCheckBox(_("Perishable"))
        self.perishable.setObjectName(f"item_perishable_{row}")
        self.storage = QLineEdit()
        self.storage.setObjectName(f"item_storage_{row}")
        self.storage.setPlaceholderText(_("Shelf/box/bag"))
        for column, widget in enumerate((self.description, self.category, self.value,
                                         self.perishable, self.storage)):
            grid.addWidget(widget, row + 1, column)

    def value_input(self) -> ItemInput:
        return ItemInput(self.description.text(), self.category.currentData(),
                         self.value.text(), self.perishable.isChecked(), self.storage.text())

    def mark(self, problems: dict[str, str], index: int) -> None:
        for name, widget in (("description", self.description), ("value_dkk", self.value),
                             ("category", self.category)):
            widget.setStyleSheet(_ERROR_STYLE if f"items.{index}.{name}" in problems else "")


class LogItemsDialog(QDialog):
    """Clear a vacated room (the occupants' person IDs filled in) or log a find in a common
    area; several items at once, each with its own value and retention."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 origin: str = ORIGIN_VACATED) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: list[ItemView] = []
        self.setObjectName("log_items_dialog")
        self.setWindowTitle(_("Log lost property"))
        self.resize(900, 640)
        self.vacated = QRadioButton(_("Cleared a vacated room or bed"), objectName="origin_vacated")
        self.common = QRadioButton(_("Found in a common area"), objectName="origin_common")
        (self.vacated if origin == ORIGIN_VACATED else self.common).setChecked(True)
        self.vacated.toggled.connect(self._origin_changed)
        self.found_on = date_edit()
        self.found_on.setObjectName("found_on")
        self.found_on.dateChanged.connect(lambda _d: self._load_occupants())
        self.room = QComboBox(objectName="room")
        seen = set()
        for bed in rooms.list_beds(ctx.db, ctx.actor):
            if bed.room_id not in seen:
                seen.add(bed.room_id)
                self.room.addItem(bed.room_name, bed.room_id)
        self.room.currentIndexChanged.connect(lambda _i: self._load_occupants())
        self.place = QLineEdit(objectName="place")
        self.place.setPlaceholderText(_("Kitchen, living room, yard, laundry …"))
        self.occupants = QListWidget(objectName="occupants")
        self.occupants.setMaximumHeight(90)
        self.extra_ids = QLineEdit(objectName="extra_person_ids")
        self.extra_ids.setPlaceholderText(_("More person IDs, separated by commas"))

        form = QFormLayout()
        self.errors = FieldErrors()
        origin_row = QHBoxLayout()
        origin_row.addWidget(self.vacated)
        origin_row.addWidget(self.common)
        origin_row.addStretch(1)
        form.addRow(_("Where from"), origin_row)
        self.errors.add_row(form, _("Date found"), "found_on", self.found_on)
        self.errors.add_row(form, _("Room"), "room", self.room)
        self.errors.add_row(form, _("Place"), "place", self.place)
        self.occupants_label = QLabel(_("Lived in the room (tick the owners)"))
        form.addRow(self.occupants_label, self.occupants)
        form.addRow("", self.extra_ids)
        self.form = form

        items_box = QGroupBox(_("Items (the retention period is set per item from its value)"))
        self.grid = QGridLayout()
        for column, text in enumerate((_("Description"), _("Category"), _("Value (kr.)"), "",
                                       _("Storage"))):
            self.grid.addWidget(QLabel(text), 0, column)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(4, 1)
        self.rows: list[ItemRow] = []
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.addLayout(self.grid)
        holder_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        add = QPushButton(_("Add another item"), objectName="add_item_button")
        add.clicked.connect(self.add_row)
        box_layout = QVBoxLayout(items_box)
        box_layout.addWidget(scroll)
        box_layout.addWidget(add, alignment=Qt.AlignmentFlag.AlignLeft)
        rules = QLabel(_("Vacated rooms: perishables are discarded at once (still logged); under "
                         "500 kr. is kept 1 month, 500 kr. or more 3 months. Common areas: if the "
                         "owner is not found within 3 working days, the item goes to the "
                         "police."))
        rules.setWordWrap(True)
        rules.setStyleSheet("color: #444;")
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(items_box, 1)
        layout.addWidget(rules)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        for _row in range(3):
            self.add_row()
        self._origin_changed()

    def add_row(self) -> None:
        self.rows.append(ItemRow(self.grid, len(self.rows)))

    def select_room(self, room_id) -> None:
        for index in range(self.room.count()):
            if self.room.itemData(index) == room_id:
                self.room.setCurrentIndex(index)
                return

    def _origin_changed(self) -> None:
        vacated = self.vacated.isChecked()
        for widget in (self.room, self.occupants, self.extra_ids):
            self.form.setRowVisible(widget, vacated)
        self.form.setRowVisible(self.place, not vacated)
        for row in self.rows:
            row.perishable.setEnabled(vacated)
        self._load_occupants()

    def _load_occupants(self) -> None:
        self.occupants.clear()
        room_id = self.room.currentData()
        if room_id is None or not self.vacated.isChecked():
            return
        for occupant in lost_property.occupants(self.ctx.db, self.ctx.actor, room_id,
                                                from_qdate(self.found_on.date())):
            text = occupant.person_id + " – " + occupant.name
            if occupant.moved_out_on:
                text += " " + _("(moved out {date})").format(
                    date=format_date(occupant.moved_out_on))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, occupant.person_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            # Whoever moved out is why the room is cleared; current roommates are not ticked.
            item.setCheckState(Qt.CheckState.Checked if occupant.moved_out_on
                               else Qt.CheckState.Unchecked)
            self.occupants.addItem(item)

    def person_ids(self) -> list[str]:
        ids = [self.occupants.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(self.occupants.count())
               if self.occupants.item(i).checkState() == Qt.CheckState.Checked]
        ids += [part.strip() for part in self.extra_ids.text().split(",") if part.strip()]
        return ids

    def save(self) -> None:
        # Empty lines at the end of the batch are not items.
        used = [row for row in self.rows
                if row.description.text().strip() or row.value.text().strip()]
        problems_seen: dict[str, str] = {}

        def call() -> None:
            try:
                self.saved = lost_property.log_items(
                    self.ctx.db, self.ctx.actor,
                    origin=ORIGIN_VACATED if self.vacated.isChecked() else ORIGIN_COMMON,
                    found_on=from_qdate(self.found_on.date()),
                    items=[row.value_input() for row in used], room_id=self.room.currentData(),
                    place=self.place.text(), person_ids=self.person_ids())
            except ValidationError as error:
                problems_seen.update(error.problems)
                raise

        ok = run_form_call(call, self.errors, self.general_error)
        for index, row in enumerate(used):
            row.mark(problems_seen, index)
        if ok:
            self.ctx.announce(Changes(lost_property=True))
            self.accept()


class DispositionDialog(QDialog):
    """What happened to an item (or a correction of what was recorded)."""

    def __init__(self, ctx: AppContext, item: ItemView, parent: QWidget | None = None, *,
                 correcting: bool = False) -> None:
        super().__init__(parent)
        self.ctx, self.item, self.correcting = ctx, item, correcting
        self.setObjectName("disposition_dialog")
        self.setWindowTitle(_("Item {number}: what happened").format(number=item.number))
        self.kind = QComboBox(objectName="disposition_kind")
        if correcting:
            self.kind.addItem(_("Nothing – the item is back in storage"), None)
        for code in DISPOSITIONS:
            if code == "discarded_perishable" and not item.perishable:
                continue
            self.kind.addItem(label(DISPOSITION_LABELS, code), code)
        self.on = date_edit(local_today())
        self.on.setObjectName("disposition_on")
        self.recipient = QLineEdit(item.person_ids[0] if item.person_ids else "",
                                   objectName="recipient_person_id")
        self.police_reference = QLineEdit(objectName="police_reference")
        self.organisation = QLineEdit(objectName="organisation")
        self.organisation.setPlaceholderText(_("Red Cross, Kirkens Korshær …"))
        self.note = QLineEdit(objectName="disposition_note")
        self.reason = QLineEdit(objectName="correction_reason")
        form = QFormLayout()
        self.errors = FieldErrors()
        deadline = item.deadline
        info = _("{description} · found {found} · worth {value}").format(
            description=item.description, found=format_date(item.found_on),
            value=format_dkk(item.value_dkk))
        if deadline is not None:
            info += " · " + (_("kept until {date}") if item.origin == ORIGIN_VACATED
                             else _("owner search until {date}")).format(
                date=format_date(deadline))
        form.addRow(QLabel(info))
        self.errors.add_row(form, _("What happened"), "kind", self.kind)
        self.errors.add_row(form, _("Date"), "on", self.on)
        self.errors.add_row(form, _("Handed back to (person ID)"), "recipient_person_id",
                            self.recipient)
        self.errors.add_row(form, _("Police reference"), "police_reference",
                            self.police_reference)
        self.errors.add_row(form, _("Organisation"), "organisation", self.organisation)
        self.errors.add_row(form, _("Note"), "note", self.note)
        if correcting:
            self.errors.add_row(form, _("Why correct it"), "reason", self.reason)
        self.form = form
        self.general_error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(save_cancel_buttons(self, self.save))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for widget, wanted in ((self.recipient, "returned"), (self.police_reference, "police"),
                               (self.organisation, "charity")):
            widget.setEnabled(kind == wanted)

    def save(self) -> None:
        kind = self.kind.currentData()
        values = dict(on=from_qdate(self.on.date()),
                      police_reference=self.police_reference.text() if kind == "police" else None,
                      organisation=self.organisation.text() if kind == "charity" else None,
                      recipient_person_id=self.recipient.text() if kind == "returned" else None,
                      note=self.note.text())

        def call() -> None:
            if self.correcting:
                lost_property.correct_disposition(self.ctx.db, self.ctx.actor, self.item.id,
                                                  kind, reason=self.reason.text(), **values)
            else:
                lost_property.dispose(self.ctx.db, self.ctx.actor, self.item.id, kind,
                                      **values)

        if run_form_call(call, self.errors, self.general_error):
            self.ctx.announce(Changes(lost_property=True))
            self.accept()


def waiting_items_text(items: list[ItemView], name: str) -> str:
    lines = [_("Lost property is waiting for {name}:").format(name=name)]
    for item in items:
        lines.append(_("• {number}: {description} (kept until {date}, {storage})").format(
            number=item.number, description=item.description,
            date=format_date(item.retention_ends) if item.retention_ends else "–",
            storage=item.storage_location or _("no storage noted")))
    lines.append(_("Hand them back and print a receipt in Lost property."))
    return "\n".join(lines)



def prompt_waiting_items(ctx: AppContext, person_id: str, name: str,
                         parent: QWidget | None = None) -> list[ItemView]:
    """A resident came back: say so if the register keeps things of theirs."""
    from PySide6.QtWidgets import QMessageBox

    from app.permissions import Permission

    if not ctx.can(Permission.VIEW_LOST_PROPERTY):
        return []
    items = lost_property.waiting_for(ctx.db, ctx.actor, person_id)
    if items:
        box = QMessageBox(QMessageBox.Icon.Information, _("Lost property is waiting"),
                          waiting_items_text(items, name), QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("waiting_items_prompt")
        box.open()
    return items
