"""Writing the shift notes: one box per resident, one Save for all of them, and every keystroke
kept as a draft so a lock, a switch of user or a closed window loses nothing."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel,
                               QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget)

from app.errors import ValidationError
from app.formatting import format_time, local_today
from app.i18n import _
from app.models.observations import OBSERVATION_CATEGORIES
from app.permissions import Permission
from app.queries import residents as resident_query
from app.queries.residents import ResidentFilter
from app.services import caseload, drafts, observations
from app.services.observations import ObservationInput
from app.vocab import CONTACT_KIND_LABELS, OBSERVATION_CATEGORY_LABELS, label
from ui.context import AppContext, Changes
from ui.widgets import (ErrorLabel, FieldErrors, date_edit, from_qdate, run_form_call,
                        to_qdate)

DRAFT_KEY = "shift-notes"
DRAFT_DELAY_MS = 400


def all_residents(ctx: AppContext) -> list[tuple[uuid.UUID, str]]:
    """The current residents, by name, with their room (for the pick lists)."""
    with ctx.db.read() as session:
        rows = resident_query.page(session, ResidentFilter(), limit=1000)
    return [(r.id, f"{r.given_names} {r.family_name}"
             + (f" ({r.room_name})" if r.room_name else "")) for r in rows]


class NoteBox(QGroupBox):
    """One resident's box: the words, the categories, the concern flag and its errors."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, resident_id: uuid.UUID, title: str, *, removable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.resident_id = resident_id
        self.setObjectName(f"note_box_{resident_id}")
        self.text = QPlainTextEdit(objectName="note_text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(_("What did you observe on this shift?"))
        self.text.setFixedHeight(64)
        self.text.textChanged.connect(self.changed)
        self.categories: dict[str, QCheckBox] = {}
        ticks = QHBoxLayout()
        ticks.setSpacing(12)
        for code in OBSERVATION_CATEGORIES:
            box = QCheckBox(label(OBSERVATION_CATEGORY_LABELS, code),
                            objectName=f"category_{code}")
            box.toggled.connect(lambda _on: self.changed.emit())
            self.categories[code] = box
            ticks.addWidget(box)
        self.concern = QCheckBox(_("Concern"), objectName="concern")
        self.concern.setToolTip(_("Puts the note in front of the primary contact person and "
                                  "the social coordinator."))
        self.concern.setStyleSheet("QCheckBox { color: #b00020; font-weight: bold; }")
        self.concern.toggled.connect(lambda _on: self.changed.emit())
        ticks.addWidget(self.concern)
        ticks.addStretch(1)
        if removable:
            remove = QPushButton(_("Remove"), objectName="remove_box")
            remove.clicked.connect(lambda: self.remove_requested.emit(self))
            ticks.addWidget(remove)
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addLayout(ticks)
        layout.addWidget(self.error)

    def value(self, shift_date) -> ObservationInput:
        return ObservationInput(
            self.resident_id, self.text.toPlainText(),
            categories=tuple(c for c, box in self.categories.items() if box.isChecked()),
            concern=self.concern.isChecked(), shift_date=shift_date)

    def payload(self) -> dict[str, Any]:
        return {"text": self.text.toPlainText(),
                "categories": [c for c, box in self.categories.items() if box.isChecked()],
                "concern": self.concern.isChecked()}

    def fill(self, values: dict[str, Any]) -> None:
        self.text.setPlainText(values.get("text", ""))
        chosen = set(values.get("categories", ()))
        for code, box in self.categories.items():
            box.setChecked(code in chosen)
        self.concern.setChecked(bool(values.get("concern")))

    def is_blank(self) -> bool:
        return self.value(None).is_blank

    def clear(self) -> None:
        self.fill({})
        self.error.show_error(None)


class ShiftNotesTab(QWidget):
    """The actor's residents, a box each; residents added by name for staff without any."""

    saved = Signal(int)  # how many notes were written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        # Drafts belong to the user who typed them, also when another user has taken over.
        self.actor = ctx.actor
        self.setObjectName("shift_notes_tab")
        self.boxes: list[NoteBox] = []
        self.added: list[uuid.UUID] = []
        self.names = dict(all_residents(ctx))
        self.may_write = ctx.can(Permission.WRITE_OBSERVATIONS)

        intro = QLabel(_("Write what you observed on your shift. Boxes left empty are skipped; "
                         "one Save keeps all of them."))
        intro.setWordWrap(True)
        self.draft_notice = QLabel(objectName="draft_notice")
        self.draft_notice.setStyleSheet("color: #8a5a00;")
        self.draft_notice.setWordWrap(True)
        self.draft_notice.hide()
        self.shift_date = date_edit(local_today())
        self.shift_date.setObjectName("shift_date")
        self.shift_date.dateChanged.connect(lambda _d: self._changed())
        self.pick = QComboBox(objectName="add_resident_pick")
        self.pick.setEditable(True)
        self.pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for rid, name in self.names.items():
            self.pick.addItem(name, rid)
        self.pick.setCurrentIndex(-1)
        self.pick.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.pick.setMinimumContentsLength(22)
        self.pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.pick.lineEdit().setPlaceholderText(_("Type a name"))
        self.pick.lineEdit().returnPressed.connect(self.add_picked)
        add = QPushButton(_("Add resident"), objectName="add_resident_button")
        add.clicked.connect(self.add_picked)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Shift date")))
        top.addWidget(self.shift_date)
        top.addSpacing(24)
        top.addWidget(QLabel(_("Another resident")))
        top.addWidget(self.pick)
        top.addWidget(add)
        top.addStretch(1)

        self.empty = QLabel(_("You are not contact person for any resident. Add the residents "
                              "you want to write about by name above."), objectName="no_boxes")
        self.empty.setWordWrap(True)
        self.box_area = QWidget()
        self.box_layout = QVBoxLayout(self.box_area)
        self.box_layout.setContentsMargins(6, 6, 6, 6)
        self.box_layout.addWidget(self.empty)
        self.box_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.box_area)

        self.errors = FieldErrors()
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("shift_notes_error")
        self.status = QLabel(objectName="shift_notes_status")
        self.save_button = QPushButton(_("Save notes"), objectName="save_notes_button")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(self.may_write)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.draft_notice)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addLayout(bottom)
        if not self.may_write:
            self.general_error.show_error(_("Your role does not write shift observations."))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DRAFT_DELAY_MS)
        self._timer.timeout.connect(self.save_draft)
        self._restoring = True
        for row in caseload.my_residents(ctx.db, ctx.actor):
            role = label(CONTACT_KIND_LABELS, row.role)
            room = f", {row.room}" if row.room else ""
            self._add_box(row.resident_id, f"{row.name}{room} – {role}", removable=False)
        self._restore_draft()
        self._restoring = False

    # --- boxes ----------------------------------------------------------------------------
    def _add_box(self, resident_id: uuid.UUID, title: str, *, removable: bool) -> NoteBox:
        box = NoteBox(resident_id, title, removable=removable)
        box.changed.connect(self._changed)
        box.remove_requested.connect(self._remove_box)
        self.box_layout.insertWidget(self.box_layout.count() - 1, box)
        self.boxes.append(box)
        self.empty.hide()
        return box

    def box_for(self, resident_id: uuid.UUID) -> NoteBox | None:
        return next((b for b in self.boxes if b.resident_id == resident_id), None)

    def add_resident(self, resident_id: uuid.UUID) -> NoteBox:
        box = self.box_for(resident_id)
        if box is None:
            box = self._add_box(resident_id, self.names.get(resident_id, ""), removable=True)
            self.added.append(resident_id)
            self._changed()
        return box

    def add_picked(self) -> None:
        text = self.pick.currentText().strip()
        index = self.pick.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            index = self.pick.findText(text, Qt.MatchFlag.MatchContains)
        if index < 0 or not text:
            self.general_error.show_error(_("No resident with that name."))
            return
        self.general_error.show_error(None)
        box = self.add_resident(self.pick.itemData(index))
        self.pick.setCurrentIndex(-1)
        self.pick.clearEditText()
        box.text.setFocus()

    def _remove_box(self, box: NoteBox) -> None:
        self.boxes.remove(box)
        if box.resident_id in self.added:
            self.added.remove(box.resident_id)
        box.setParent(None)
        box.deleteLater()
        self.empty.setVisible(not self.boxes)
        self._changed()

    # --- drafts ---------------------------------------------------------------------------
    def payload(self) -> dict[str, Any]:
        return {"shift_date": from_qdate(self.shift_date.date()).isoformat(),
                "added": [str(rid) for rid in self.added],
                "boxes": {str(b.resident_id): b.payload() for b in self.boxes
                          if not b.is_blank()}}

    def has_input(self) -> bool:
        return bool(self.added) or any(not b.is_blank() for b in self.boxes)

    def _changed(self) -> None:
        if not self._restoring:
            self._timer.start()

    def save_draft(self) -> None:
        self._timer.stop()
        if self.actor.staff_id is None:
            return
        if self.has_input():
            drafts.save_draft(self.ctx.db, self.actor, DRAFT_KEY, self.payload())
        else:
            drafts.discard_draft(self.ctx.db, self.actor, DRAFT_KEY)

    def _restore_draft(self) -> None:
        if self.actor.staff_id is None:
            return
        draft = drafts.load_draft(self.ctx.db, self.actor, DRAFT_KEY)
        if draft is None:
            return
        if draft.payload.get("shift_date"):
            self.shift_date.setDate(to_qdate(date.fromisoformat(draft.payload["shift_date"])))
        for rid in draft.payload.get("added", []):
            resident_id = uuid.UUID(rid)
            if resident_id in self.names and self.box_for(resident_id) is None:
                self._add_box(resident_id, self.names[resident_id], removable=True)
                self.added.append(resident_id)
        lost = []
        for rid, values in draft.payload.get("boxes", {}).items():
            box = self.box_for(uuid.UUID(rid))
            if box is None:
                lost.append(values.get("text", ""))
                continue
            box.fill(values)
        text = _("The notes you began at {time} were restored.").format(
            time=format_time(draft.saved_at))
        if lost:
            text += " " + _("{count} of them were about residents no longer on your list; "
                            "their words: {words}").format(count=len(lost),
                                                           words=" / ".join(lost))
        self.draft_notice.setText(text)
        self.draft_notice.show()

    def stash_for_switch(self) -> None:
        """Another user takes over the PC (or the window closes): keep the draft."""
        self.save_draft()

    # --- saving ---------------------------------------------------------------------------
    def save(self) -> None:
        shift = from_qdate(self.shift_date.date())
        boxes = list(self.boxes)
        entries = [b.value(shift) for b in boxes]
        problems: dict[str, str] = {}
        written: list = []

        def call() -> None:
            try:
                written.extend(observations.write_observations(self.ctx.db, self.ctx.actor,
                                                               entries))
            except ValidationError as error:
                problems.update(error.problems)
                raise

        for box in boxes:
            box.error.show_error(None)
        self.status.clear()
        ok = run_form_call(call, self.errors, self.general_error,
                           summary=_("Nothing was saved: please correct the notes marked in "
                                     "red."))
        if problems:
            per_box: dict[int, list[str]] = {}
            rest = []
            for key, text in problems.items():
                parts = key.split(".")
                if len(parts) >= 2 and parts[0] == "entries" and parts[1].isdigit():
                    per_box.setdefault(int(parts[1]), []).append(text)
                else:
                    rest.append(text)
            for index, texts in per_box.items():
                boxes[index].error.show_error("\n".join(texts))
            self.general_error.show_error("\n".join(rest) if rest else _(
                "Nothing was saved: please correct the notes marked in red."))
            first = min(per_box, default=None)
            if first is not None:
                boxes[first].text.setFocus()
        if not ok:
            return
        self._restoring = True
        for box in list(self.boxes):
            if box.resident_id in self.added:
                self._remove_box(box)
            else:
                box.clear()
        self.added = []
        self._restoring = False
        self._timer.stop()
        drafts.discard_draft(self.ctx.db, self.actor, DRAFT_KEY)
        self.draft_notice.hide()
        self.status.setText(_("Notes saved: {count}.").format(count=len(written)))
        self.ctx.announce(Changes())
        self.saved.emit(len(written))
