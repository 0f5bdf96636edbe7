"""A resident's detail page: the register facts, contact persons, representative, history."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QListWidget, QVBoxLayout, QWidget

from app.formatting import format_date
from app.i18n import _
from app.services.residents import ResidentDetail
from app.vocab import MOVE_OUT_REASON_LABELS, PHASE_LABELS, SEX_LABELS, STATUS_LABELS, label
from ui.widgets import heading


def _value(text: str | None) -> QLabel:
    widget = QLabel(text or "–")
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setWordWrap(True)
    return widget


class ResidentDetailView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resident_detail")
        self.detail: ResidentDetail | None = None
        self.layout_ = QVBoxLayout(self)
        self.show_empty()

    def _clear(self) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def show_empty(self) -> None:
        self._clear()
        self.detail = None
        hint = QLabel(_("Choose a resident in the list to see the details."))
        hint.setWordWrap(True)
        self.layout_.addWidget(hint)
        self.layout_.addStretch(1)

    def show_resident(self, detail: ResidentDetail, today: date | None = None) -> None:
        self._clear()
        self.detail = detail
        today = today or date.today()
        data = detail.data
        title = heading(detail.display_name)
        title.setObjectName("resident_name")
        self.layout_.addWidget(title)
        if data.name_in_own_script:
            own = QLabel(data.name_in_own_script)
            own.setObjectName("resident_own_script")
            font = own.font()
            font.setPointSizeF(font.pointSizeF() * 1.3)
            own.setFont(font)
            self.layout_.addWidget(own)

        facts = QGroupBox(_("Register"))
        form = QFormLayout(facts)
        age = detail.age_on(detail.moved_out_on or today)
        born = _("{date} (age {age})").format(date=format_date(data.date_of_birth), age=age)
        if data.age_disputed:
            born += " – " + _("age disputed")
        form.addRow(_("Person ID"), _value(data.person_id))
        form.addRow(_("Date of birth"), _value(born))
        form.addRow(_("Sex"), _value(label(SEX_LABELS, data.sex)))
        form.addRow(_("Nationality"), _value(data.nationality))
        form.addRow(_("Languages"), _value(", ".join(data.languages)))
        form.addRow(_("Asylum phase"), _value(label(PHASE_LABELS, data.phase)))
        form.addRow(_("Arrived"), _value(format_date(data.arrival_date)))
        form.addRow(_("Status"), _value(label(STATUS_LABELS, detail.status)))
        if detail.moved_out_on:
            form.addRow(_("Moved out"), _value(_("{date}: {reason}").format(
                date=format_date(detail.moved_out_on),
                reason=label(MOVE_OUT_REASON_LABELS, detail.move_out_reason))))
        else:
            room = (_("Room {room}, bed {bed}").format(room=detail.room_name, bed=detail.bed_label)
                    if detail.room_name else None)
            form.addRow(_("Room"), _value(room))
        flags = []
        if data.street_oriented:
            flags.append(_("Street-oriented section"))
        if data.special_needs:
            flags.append(_("Special needs") + (f": {data.special_needs_note}"
                                                if data.special_needs_note else ""))
        form.addRow(_("Notes"), _value("; ".join(flags) or None))
        self.layout_.addWidget(facts)

        people = QGroupBox(_("Contact persons and representative"))
        form = QFormLayout(people)
        form.addRow(_("Primary contact person"), _value(detail.primary_contact_name))
        form.addRow(_("Secondary contact person"), _value(detail.secondary_contact_name))
        form.addRow(_("Personal representative"), _value(data.representative_name))
        form.addRow(_("Representative's phone"), _value(data.representative_phone))
        form.addRow(_("Representative's e-mail"), _value(data.representative_email))
        self.layout_.addWidget(people)

        history = QGroupBox(_("History"))
        history_layout = QVBoxLayout(history)
        events = QListWidget()
        events.setObjectName("resident_history")
        events.setWordWrap(True)
        for event in detail.history:
            events.addItem(f"{format_date(event.on)}  {event.text}")
        history_layout.addWidget(events)
        self.layout_.addWidget(history, 1)
