"""The lost-property register: what is kept, what is due today, and what happened to each item."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSplitter, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_date, format_datetime, format_dkk, local_today
from app.i18n import N_, _
from app.models.reception import ORIGIN_COMMON, ORIGIN_VACATED
from app.permissions import Permission
from app.services import lost_property
from app.services.lost_property import ItemView, RegisterFilter
from app.vocab import DISPOSITION_LABELS, ITEM_CATEGORY_LABELS, label
from ui.context import AppContext, Changes
from ui.lost_property.dialogs import DispositionDialog, LogItemsDialog
from ui.ops import Operation, show_error
from ui.widgets import date_edit, from_qdate, heading, save_cancel_buttons

VIEWS = (("due", N_("Due now")), ("kept", N_("Kept")), ("all", N_("All items")))
COLUMNS = (N_("Number"), N_("Found"), N_("Where"), N_("Person IDs"), N_("Description"),
           N_("Value"), N_("Kept until"), N_("Storage"), N_("Status"))


def what_to_do(item: ItemView, today: date) -> str:
    """The status column: what happened, or what to do now."""
    if item.disposition is not None:
        return label(DISPOSITION_LABELS, item.disposition)
    deadline = item.deadline
    if item.origin == ORIGIN_COMMON:
        if deadline is not None and deadline <= today:
            return _("Owner not found: hand it to the police")
        return _("Looking for the owner until {date}").format(date=format_date(deadline))
    if deadline is not None and deadline <= today:
        return _("Retention over: destroy it or give it to charity")
    return _("Kept for the owner")


class LostPropertyPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("lost_property_page")
        self.items: list[ItemView] = []
        self.view = QComboBox(objectName="register_view")
        for code, text in VIEWS:
            self.view.addItem(_(text), code)
        self.view.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter_edit = QLineEdit(objectName="register_filter")
        self.filter_edit.setPlaceholderText(_("Find: number, description, person ID, storage"))
        self.filter_timer = QTimer(self)
        self.filter_timer.setSingleShot(True)
        self.filter_timer.setInterval(200)
        self.filter_timer.timeout.connect(self.refresh)
        self.filter_edit.textChanged.connect(lambda _t: self.filter_timer.start())
        self.count_label = QLabel(objectName="register_count")

        self.tree = QTreeWidget(objectName="register_list")
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels([_(c) for c in COLUMNS])
        self.tree.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_detail())
        self.tree.itemActivated.connect(lambda *_a: self.record_disposition())
        self.detail = QLabel(objectName="item_detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumWidth(300)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        can_manage = ctx.can(Permission.MANAGE_LOST_PROPERTY)
        self.clear_button = QPushButton(_("Clear a vacated room…"), objectName="clear_room_button")
        self.clear_button.clicked.connect(lambda: self.log_items(ORIGIN_VACATED))
        self.found_button = QPushButton(_("Found in a common area…"),
                                        objectName="found_item_button")
        self.found_button.clicked.connect(lambda: self.log_items(ORIGIN_COMMON))
        self.dispose_button = QPushButton(_("What happened…"), objectName="dispose_button")
        self.dispose_button.clicked.connect(self.record_disposition)
        self.correct_button = QPushButton(_("Correct record…"), objectName="correct_button")
        self.correct_button.clicked.connect(self.correct_disposition)
        for button in (self.clear_button, self.found_button, self.dispose_button,
                       self.correct_button):
            button.setEnabled(can_manage)
        self.label_button = QPushButton(_("Print label"), objectName="print_label_button")
        self.label_button.clicked.connect(self.print_label)
        self.receipt_button = QPushButton(_("Return receipt…"), objectName="receipt_button")
        self.receipt_button.clicked.connect(self.print_receipt)
        self.receipt_button.setEnabled(can_manage)
        self.police_button = QPushButton(_("Police handover list"), objectName="police_button")
        self.police_button.clicked.connect(self.print_police_list)
        self.police_button.setEnabled(can_manage)
        self.register_button = QPushButton(_("Print register…"),
                                           objectName="print_register_button")
        self.register_button.clicked.connect(self.print_register)

        top = QHBoxLayout()
        top.addWidget(heading(_("Lost property")))
        top.addStretch(1)
        top.addWidget(QLabel(_("Show")))
        top.addWidget(self.view)
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        for button in (self.clear_button, self.found_button, self.dispose_button,
                       self.correct_button):
            actions.addWidget(button)
        actions.addStretch(1)
        prints = QHBoxLayout()
        for button in (self.label_button, self.receipt_button, self.police_button,
                       self.register_button):
            prints.addWidget(button)
        prints.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)
        layout.addLayout(prints)
        ctx.changed.connect(self._on_changed)
        self.refresh()
        if not self.items:
            # Nothing is due: show what is kept instead of an empty list.
            self.set_view("kept")

    def set_view(self, code: str) -> None:
        self.view.setCurrentIndex(self.view.findData(code))

    def _on_changed(self, changes: Changes) -> None:
        if changes.lost_property or changes.rooms:
            self.refresh()

    def refresh(self) -> None:
        today = local_today()
        selected = self.selected_ids()
        try:
            self.items = lost_property.register(self.ctx.db, self.ctx.actor, RegisterFilter(
                view=self.view.currentData(), text=self.filter_edit.text()), today=today,
                history=False)
        except DomainError as error:
            show_error(self, error)
            return
        self.tree.clear()
        for item in self.items:
            where = item.room if item.origin == ORIGIN_VACATED else item.place
            row = QTreeWidgetItem([
                item.number, format_date(item.found_on), where or "",
                ", ".join(item.person_ids), item.description, format_dkk(item.value_dkk),
                format_date(item.deadline) if item.deadline else "",
                item.storage_location or "", what_to_do(item, today)])
            row.setData(0, Qt.ItemDataRole.UserRole, str(item.id))
            row.setTextAlignment(5, Qt.AlignmentFlag.AlignRight)
            if item.is_due(today):
                for column in range(len(COLUMNS)):
                    row.setBackground(column, QBrush(QColor("#fde0e0")))
            self.tree.addTopLevelItem(row)
            if str(item.id) in selected:
                row.setSelected(True)
                self.tree.setCurrentItem(row)
        for column in (0, 1, 2, 3, 5, 6, 7, 8):
            self.tree.resizeColumnToContents(column)
        # Several person IDs or a long storage label must not push the deadline out of view.
        for column, widest in ((2, 160), (3, 150), (7, 150)):
            self.tree.setColumnWidth(column, min(self.tree.columnWidth(column), widest))
        self.count_label.setText(_("{count} items").format(count=len(self.items)))
        self._show_detail()

    def selected_ids(self) -> set[str]:
        return {item.data(0, Qt.ItemDataRole.UserRole) for item in self.tree.selectedItems()}

    def current(self) -> ItemView | None:
        row = self.tree.currentItem()
        if row is None:
            return None
        wanted = row.data(0, Qt.ItemDataRole.UserRole)
        return next((i for i in self.items if str(i.id) == wanted), None)

    def select_item(self, item_id: uuid.UUID) -> None:
        for index in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(index)
            if row.data(0, Qt.ItemDataRole.UserRole) == str(item_id):
                self.tree.setCurrentItem(row)
                return

    def _show_detail(self) -> None:
        item = self.current()
        if item is None:
            self.detail.setText(_("Choose an item to see its history."))
            return
        full = lost_property.get_item(self.ctx.db, self.ctx.actor, item.id)
        lines = [f"<b>{full.number}</b> – {_escape(full.description)}",
                 _("Category: {category}").format(
                     category=label(ITEM_CATEGORY_LABELS, full.category)),
                 _("Value: {value}").format(value=format_dkk(full.value_dkk)),
                 _("Found {date} by {name}").format(date=format_date(full.found_on),
                                                   name=_escape(full.found_by or "")),
                 _("Person IDs: {ids}").format(ids=_escape(", ".join(full.person_ids) or "–"))]
        if full.retention_ends:
            lines.append(_("Kept until {date}").format(date=format_date(full.retention_ends)))
        if full.owner_search_ends:
            lines.append(_("Owner search until {date}").format(
                date=format_date(full.owner_search_ends)))
        lines.append("<i>" + _("Photo: none – photos of items are not supported in this version "
                               "yet; describe colour, brand and marks.") + "</i>")
        lines.append("<br><b>" + _("What happened") + "</b>")
        if not full.history:
            lines.append(_("Nothing yet: the item is kept."))
        for d in full.history:
            text = _("{kind} on {date} by {name}").format(
                kind=label(DISPOSITION_LABELS, d.kind), date=format_date(d.on),
                name=_escape(d.by or ""))
            extra = [v for v in (d.recipient_person_id, d.police_reference, d.organisation,
                                 d.note) if v]
            if extra:
                text += " (" + _escape(", ".join(extra)) + ")"
            if d.superseded_at is not None:
                text = "<s>" + text + "</s> " + _("corrected {time}: {reason}").format(
                    time=format_datetime(d.superseded_at),
                    reason=_escape(d.superseded_reason or ""))
            lines.append(text)
        self.detail.setText("<br>".join(lines))

    # --- actions -------------------------------------------------------------------------
    def log_items(self, origin: str) -> None:
        dialog = LogItemsDialog(self.ctx, self, origin=origin)
        if dialog.exec() and dialog.saved:
            self.set_view("kept")
            self.refresh()
            self.select_item(dialog.saved[-1].id)

    def record_disposition(self) -> None:
        item = self.current()
        if item is None or not self.dispose_button.isEnabled():
            return
        if item.disposition is not None:
            self.correct_disposition()
            return
        if DispositionDialog(self.ctx, item, self).exec():
            self.refresh()

    def correct_disposition(self) -> None:
        item = self.current()
        if item is None or item.disposition is None or not self.correct_button.isEnabled():
            return
        if DispositionDialog(self.ctx, item, self, correcting=True).exec():
            self.refresh()

    def _chosen(self) -> list[ItemView]:
        ids = self.selected_ids()
        return [i for i in self.items if str(i.id) in ids]

    def _preview(self, title: str, name: str, work) -> None:
        def show(pdf: bytes) -> None:
            from ui.forms.pdf_preview import PdfPreviewDialog

            PdfPreviewDialog(pdf, title, self, suggested_name=name).exec()

        self.print_op = Operation(self, lambda _cancel, _report: work(),
                                  title=_("Preparing {title}…").format(title=title),
                                  on_success=show)
        self.print_op.start()

    def print_label(self) -> None:
        from app.services.forms import lost_item_label_pdf

        chosen = self._chosen()
        if chosen:
            db, actor, ids = self.ctx.db, self.ctx.actor, [i.id for i in chosen]
            self._preview(_("Label"), f"hittegods-{chosen[0].number}",
                          lambda: lost_item_label_pdf(db, actor, ids))

    def print_receipt(self) -> None:
        from app.services.forms import return_receipt_pdf

        chosen = [i for i in self._chosen() if i.disposition == "returned"]
        if not chosen:
            show_error(self, DomainError(_(
                "Choose items recorded as returned to their owner; record the return first.")))
            return
        dialog = RecipientDialog(lost_property.get_item(self.ctx.db, self.ctx.actor,
                                                        chosen[0].id), self)
        if not dialog.exec():
            return
        db, actor, ids = self.ctx.db, self.ctx.actor, [i.id for i in chosen]
        name, person_id = dialog.name.text(), dialog.person_id.text()
        self._preview(_("Return receipt"), f"kvittering-{chosen[0].number}",
                      lambda: return_receipt_pdf(db, actor, ids, name, person_id))

    def print_police_list(self) -> None:
        from app.services.forms import police_handover_pdf

        chosen = [i for i in self._chosen() if i.disposition == "police"]
        if not chosen:
            show_error(self, DomainError(_(
                "Choose items recorded as handed to the police.")))
            return
        db, actor, ids = self.ctx.db, self.ctx.actor, [i.id for i in chosen]
        self._preview(_("Police handover list"), "politi-overdragelse",
                      lambda: police_handover_pdf(db, actor, ids))

    def print_register(self) -> None:
        from app.services.forms import lost_property_register_pdf

        dialog = PeriodDialog(self)
        if not dialog.exec():
            return
        start, end = from_qdate(dialog.start.date()), from_qdate(dialog.end.date())
        db, actor = self.ctx.db, self.ctx.actor
        self._preview(_("Lost-property register"), f"hittegodsregister-{start}-{end}",
                      lambda: lost_property_register_pdf(db, actor, found_from=start,
                                                         found_to=end))


def _escape(text: str) -> str:
    import html

    return html.escape(text)


class RecipientDialog(QDialog):
    def __init__(self, item: ItemView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Return receipt"))
        self.setObjectName("recipient_dialog")
        current = item.current
        self.person_id = QLineEdit(current.recipient_person_id if current and
                                   current.recipient_person_id else "",
                                   objectName="recipient_person_id")
        self.name = QLineEdit(objectName="recipient_name")
        form = QFormLayout()
        form.addRow(_("Resident's name"), self.name)
        form.addRow(_("Person ID"), self.person_id)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(save_cancel_buttons(self, self.accept))


class PeriodDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print the register"))
        self.setObjectName("period_dialog")
        today = local_today()
        self.start = date_edit(today - timedelta(days=365))
        self.start.setObjectName("period_start")
        self.end = date_edit(today)
        self.end.setObjectName("period_end")
        form = QFormLayout()
        form.addRow(_("Found from"), self.start)
        form.addRow(_("Found until"), self.end)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("The register of items found in a period, as the Agency "
                                  "inspects it.")))
        layout.addLayout(form)
        layout.addWidget(save_cancel_buttons(self, self.accept))
