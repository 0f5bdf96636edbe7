"""Notes about a resident: the history newest first (with the words only for those who may read
them — the service decides and audits), full-text search, and the concerns waiting for me."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTextBrowser, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from app import fts
from app.errors import DomainError
from app.formatting import format_date, format_datetime, utcnow
from app.i18n import _, ngettext
from app.services import observations
from app.services.observations import NoteView, ResidentNotes
from app.vocab import CONCERN_AUDIENCE_LABELS, OBSERVATION_CATEGORY_LABELS, label
from ui.context import AppContext, Changes
from ui.incidents.page import wrap_rows
from ui.notes.shift_notes import all_residents
from ui.ops import show_error

ID_ROLE = Qt.ItemDataRole.UserRole


def _categories(note: NoteView) -> str:
    return ", ".join(label(OBSERVATION_CATEGORY_LABELS, c) for c in note.categories)


def _note_html(note: NoteView, editable: bool = False) -> str:
    e = html.escape
    head = _("Shift {date} · written {written} by {author}").format(
        date=format_date(note.shift_date), written=format_datetime(note.written_at),
        author=note.author_name or "–")
    parts = [f"<p style='margin-bottom:2px'><b>{e(head)}</b>"]
    if note.concern:
        parts.append(f" <span style='color:#b00020'><b>{e(_('Concern'))}</b></span>")
    if note.categories:
        parts.append(f" <span style='color:#555'>– {e(_categories(note))}</span>")
    if note.edited_at is not None:
        parts.append(f"<br><span style='color:#555'>{e(_('edited {when}').format(when=format_datetime(note.edited_at)))}</span>")  # noqa: E501
    if editable:
        parts.append(f" <a href='edit:{note.id}'>{e(_('Correct…'))}</a>")
    parts.append("</p>")
    text = e(note.text or "").replace("\n", "<br>")
    parts.append(f"<p style='margin-top:0'>{text}</p>")
    for version in reversed(note.earlier_versions):
        caption = _("Earlier version {number} (written {written}, replaced {replaced})").format(
            number=version.version, written=format_datetime(version.written_at),
            replaced=format_datetime(version.replaced_at))
        words = e(version.text).replace("\n", "<br>")
        parts.append(f"<blockquote style='color:#666'><i>{e(caption)}</i><br>{words}"
                     "</blockquote>")
    return "".join(parts)


def notes_html(notes: ResidentNotes, author_id: uuid.UUID | None = None) -> str:
    """The history as the reader may see it; the notes ``author_id`` wrote can be corrected
    (after 24 hours the earlier words stay visible)."""
    e = html.escape
    parts = [f"<h3>{e(notes.resident_name)}</h3>"]
    if not notes.notes:
        parts.append(f"<p>{e(_('No notes have been written about this resident yet.'))}</p>")
        return "".join(parts)
    hidden = [n for n in notes.notes if not n.readable]
    if hidden:
        summary = ngettext(
            "{count} note exists", "{count} notes exist", len(hidden)).format(
                count=len(hidden))
        parts.append(
            f"<p style='background:#fff4d6; padding:4px'>{e(summary)} — "
            f"{e(_('the content is for the resident’s contact persons, the social coordinator and the centre leader.'))}</p>")  # noqa: E501
    for note in notes.notes:
        if note.readable:
            parts.append(_note_html(note, editable=author_id is not None
                                    and note.author_id == author_id))
        else:
            line = _("Shift {date} · written {written} by {author}").format(
                date=format_date(note.shift_date), written=format_datetime(note.written_at),
                author=note.author_name or "–")
            parts.append(f"<p style='color:#666'>{e(line)}</p>")
    return "".join(parts)


class HistoryTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("notes_history_tab")
        self.shown: ResidentNotes | None = None

        # Concerns waiting for me.
        self.concerns = QTreeWidget(objectName="concern_list")
        self.concerns.setRootIsDecorated(False)
        self.concerns.setHeaderLabels([_("Written"), _("Resident"), _("By"), _("Waits for")])
        self.concerns.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.concerns.itemActivated.connect(lambda item, _c: self.show_resident(
            item.data(1, ID_ROLE)))
        self.no_concerns = QLabel(_("No concerns wait for you."), objectName="no_concerns")
        self.acknowledge_button = QPushButton(_("Acknowledge"), objectName="acknowledge_button")
        self.acknowledge_button.clicked.connect(self.acknowledge)
        open_concern = QPushButton(_("Show notes"), objectName="open_concern_button")
        open_concern.clicked.connect(self._open_concern)
        concern_buttons = QHBoxLayout()
        concern_buttons.addWidget(self.no_concerns, 1)
        concern_buttons.addWidget(open_concern)
        concern_buttons.addWidget(self.acknowledge_button)
        concern_group = QGroupBox(_("Concerns waiting for you"))
        concern_layout = QVBoxLayout(concern_group)
        concern_layout.addWidget(self.concerns)
        concern_layout.addLayout(concern_buttons)

        # Search.
        self.search_edit = QLineEdit(objectName="notes_search")
        self.search_edit.setPlaceholderText(_("Words in the notes you may read"))
        self.search_edit.returnPressed.connect(self.run_search)
        search_button = QPushButton(_("Search"), objectName="notes_search_button")
        search_button.clicked.connect(self.run_search)
        self.hits = QTreeWidget(objectName="search_hits")
        self.hits.setRootIsDecorated(False)
        wrap_rows(self.hits)
        self.hits.setHeaderLabels([_("Shift"), _("Resident"), _("Found")])
        self.hits.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.hits.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.hits.header().setStretchLastSection(True)
        self.hits.itemActivated.connect(lambda item, _c: self.show_resident(
            item.data(1, ID_ROLE)))
        self.hit_count = QLabel(objectName="search_count")
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(search_button)
        search_group = QGroupBox(_("Search the notes"))
        search_layout = QVBoxLayout(search_group)
        search_layout.addLayout(search_row)
        search_layout.addWidget(self.hits, 1)
        search_layout.addWidget(self.hit_count)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(concern_group, 1)
        left_layout.addWidget(search_group, 3)

        # One resident's history.
        self.resident_pick = QComboBox(objectName="history_resident")
        self.resident_pick.setEditable(True)
        self.resident_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for rid, name in all_residents(ctx):
            self.resident_pick.addItem(name, rid)
        self.resident_pick.setCurrentIndex(-1)
        self.resident_pick.lineEdit().setPlaceholderText(_("Choose a resident"))
        self.resident_pick.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.resident_pick.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.resident_pick.setMinimumContentsLength(24)
        self.resident_pick.activated.connect(lambda _i: self._picked())
        self.history = QTextBrowser(objectName="note_history")
        self.history.setOpenLinks(False)
        self.history.anchorClicked.connect(self._anchor)
        self.history.setPlaceholderText(_("Choose a resident to see the notes about them."))
        pick_row = QHBoxLayout()
        pick_row.addWidget(QLabel(_("Resident")))
        pick_row.addWidget(self.resident_pick, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(pick_row)
        right_layout.addWidget(self.history, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 640])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.refresh_concerns()

    # --- a resident's history -----------------------------------------------------------
    def _anchor(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("edit:"):
            self.correct_note(uuid.UUID(target[len("edit:"):]))

    def correct_note(self, note_id: uuid.UUID, text: str | None = None) -> None:
        """Correct one of one's own notes: the words in a small dialog (or ``text``)."""
        note = next((n for n in getattr(self.shown, "notes", ()) if n.id == note_id), None)
        if note is None:
            return
        if text is None:
            dialog = QInputDialog(self)
            dialog.setWindowTitle(_("Correct the note"))
            dialog.setLabelText(_("Corrected after 24 hours, the words as they were stay "
                                  "visible as an earlier version."))
            dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
            dialog.setTextValue(note.text or "")
            dialog.resize(560, 320)
            if not dialog.exec():
                return
            text = dialog.textValue()
        try:
            observations.edit_observation(self.ctx.db, self.ctx.actor, note_id, text=text)
        except DomainError as error:
            show_error(self, error)
            return
        self.show_resident(note.resident_id)

    def _picked(self) -> None:
        rid = self.resident_pick.currentData()
        if rid is not None:
            self.show_resident(rid)

    def show_resident(self, resident_id: uuid.UUID | None) -> None:
        if resident_id is None:
            return
        index = next((i for i in range(self.resident_pick.count())
                      if self.resident_pick.itemData(i) == resident_id), -1)
        if index >= 0 and self.resident_pick.currentIndex() != index:
            self.resident_pick.setCurrentIndex(index)
        try:
            # Those who may read get the whole history (an audited read); others see that
            # notes exist, and the words of their own.
            if observations.may_read_notes(self.ctx.db, self.ctx.actor, resident_id):
                self.shown = observations.read_notes(self.ctx.db, self.ctx.actor, resident_id)
            else:
                self.shown = observations.list_notes(self.ctx.db, self.ctx.actor, resident_id)
        except DomainError as error:
            show_error(self, error)
            return
        self.history.setHtml(notes_html(self.shown, self.ctx.actor.staff_id))

    # --- search -------------------------------------------------------------------------
    def run_search(self) -> None:
        text = self.search_edit.text().strip()
        self.hits.clear()
        if not text:
            self.hit_count.clear()
            return
        try:
            result = observations.search(self.ctx.db, self.ctx.actor, text)
        except DomainError as error:
            show_error(self, error)
            return
        for hit in result.hits:
            snippet = hit.snippet.replace(fts.SNIPPET_START, "»").replace(fts.SNIPPET_END, "«")
            item = QTreeWidgetItem([format_date(hit.shift_date), hit.resident_name,
                                    " ".join(snippet.split())])
            item.setData(1, ID_ROLE, hit.resident_id)
            item.setToolTip(2, snippet)
            self.hits.addTopLevelItem(item)
        count = ngettext("{count} note found", "{count} notes found", len(result.hits)).format(
            count=len(result.hits))
        if result.truncated:
            count += " " + _("(only the newest are shown)")
        self.hit_count.setText(count)

    # --- concerns -----------------------------------------------------------------------
    def refresh_concerns(self) -> None:
        self.concerns.clear()
        now = utcnow()
        for concern in observations.concerns_for(self.ctx.db, self.ctx.actor):
            waits = ", ".join(label(CONCERN_AUDIENCE_LABELS, a) for a in concern.audiences)
            item = QTreeWidgetItem([format_datetime(concern.written_at), concern.resident_name,
                                    concern.author_name, waits])
            item.setData(0, ID_ROLE, concern.note_id)
            item.setData(1, ID_ROLE, concern.resident_id)
            if concern.overdue(now):
                item.setForeground(0, Qt.GlobalColor.red)
                item.setToolTip(0, _("Waiting for more than 24 hours"))
            self.concerns.addTopLevelItem(item)
        has = self.concerns.topLevelItemCount() > 0
        self.no_concerns.setVisible(not has)
        self.acknowledge_button.setEnabled(has)
        if has and self.concerns.currentItem() is None:
            self.concerns.setCurrentItem(self.concerns.topLevelItem(0))

    def _open_concern(self) -> None:
        item = self.concerns.currentItem()
        if item is not None:
            self.show_resident(item.data(1, ID_ROLE))

    def acknowledge(self) -> None:
        item = self.concerns.currentItem()
        if item is None:
            return
        try:
            observations.acknowledge_concern(self.ctx.db, self.ctx.actor, item.data(0, ID_ROLE))
        except DomainError as error:
            show_error(self, error)
        self.refresh_concerns()
        self.ctx.announce(Changes())

    def refresh(self) -> None:
        self.refresh_concerns()
        if self.shown is not None:
            self.show_resident(self.shown.resident_id)
