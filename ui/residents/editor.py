"""Register a new resident or correct one; half-typed input is kept as a draft."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.formatting import format_time
from app.i18n import _
from app.permissions import Permission
from app.services import drafts, residents, rooms, staff
from app.services.residents import ResidentDetail, ResidentInput
from app.vocab import SEX_LABELS, label
from ui.context import AppContext, Changes
from ui.widgets import (
    ErrorLabel,
    FieldErrors,
    date_edit,
    from_qdate,
    run_form_call,
    save_cancel_buttons,
    to_qdate,
)

DRAFT_DELAY_MS = 400


class ResidentEditor(QDialog):
    """New arrival (``detail`` None) or correction of an existing resident."""

    def __init__(self, ctx: AppContext, detail: ResidentDetail | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail = detail
        self.saved: ResidentDetail | None = None
        self.form_key = f"resident-edit:{detail.id}" if detail else "resident-new"
        self.setWindowTitle(_("Correct {name}").format(name=detail.display_name) if detail
                            else _("New arrival"))
        self.setObjectName("resident_editor")
        self.resize(620, 760)
        self.errors = FieldErrors()
        self._build()
        if detail is not None:
            self._fill(self._payload_of(detail.data))
        self.draft_notice = QLabel()
        self.draft_notice.setObjectName("draft_notice")
        self.draft_notice.setStyleSheet("color: #8a5a00;")
        self.draft_notice.hide()
        self.layout().insertWidget(0, self.draft_notice)
        self._restore_draft()
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        for widget in self._inputs():
            self._changed_signal(widget).connect(lambda *_args: self._draft_timer.start())

    # --- layout ------------------------------------------------------------------------
    def _build(self) -> None:
        can_contacts = self.ctx.can(Permission.ASSIGN_CONTACT_PERSONS)
        can_representative = self.ctx.can(Permission.EDIT_REPRESENTATIVE) or self.detail is None
        body = QWidget()
        column = QVBoxLayout(body)

        person = QGroupBox(_("Person"))
        form = QFormLayout(person)
        self.person_id = QLineEdit(objectName="person_id")
        self.given_names = QLineEdit(objectName="given_names")
        self.family_name = QLineEdit(objectName="family_name")
        self.name_in_own_script = QLineEdit(objectName="name_in_own_script")
        self.name_in_own_script.setPlaceholderText(_("as the resident writes it, any script"))
        self.date_of_birth = date_edit(date(2010, 1, 1))
        self.date_of_birth.setObjectName("date_of_birth")
        self.age_disputed = QCheckBox(_("Age disputed (the Agency may assess the age)"),
                                      objectName="age_disputed")
        self.sex = QComboBox(objectName="sex")
        self.sex.addItem("", "")
        for code in SEX_LABELS:
            self.sex.addItem(label(SEX_LABELS, code), code)
        self.nationality = QLineEdit(objectName="nationality")
        self.languages = QLineEdit(objectName="languages")
        self.languages.setPlaceholderText(_("separated by commas, e.g. Dari, Pashto"))
        self.errors.add_row(form, _("Person ID"), "person_id", self.person_id)
        self.errors.add_row(form, _("Given name(s)"), "given_names", self.given_names)
        self.errors.add_row(form, _("Family name"), "family_name", self.family_name)
        self.errors.add_row(form, _("Name in own script"), "name_in_own_script",
                            self.name_in_own_script)
        self.errors.add_row(form, _("Date of birth"), "date_of_birth", self.date_of_birth)
        form.addRow("", self.age_disputed)
        self.errors.add_row(form, _("Sex"), "sex", self.sex)
        self.errors.add_row(form, _("Nationality"), "nationality", self.nationality)
        self.errors.add_row(form, _("Languages"), "languages", self.languages)
        column.addWidget(person)

        stay = QGroupBox(_("Stay"))
        form = QFormLayout(stay)
        self.arrival_date = date_edit()
        self.arrival_date.setObjectName("arrival_date")
        self.phase = QComboBox(objectName="phase")
        for number in (1, 2, 3):
            self.phase.addItem(_("Phase {number}").format(number=number), number)
        self.bed = QComboBox(objectName="bed")
        self.street_oriented = QCheckBox(_("Street-oriented section"), objectName="street_oriented")
        self.special_needs = QCheckBox(_("Special needs"), objectName="special_needs")
        self.special_needs_note = QPlainTextEdit(objectName="special_needs_note")
        self.special_needs_note.setMaximumHeight(60)
        self.errors.add_row(form, _("Arrival date"), "arrival_date", self.arrival_date)
        self.errors.add_row(form, _("Asylum phase"), "phase", self.phase)
        if self.detail is None:
            for bed in rooms.list_beds(self.ctx.db, self.ctx.actor, free_only=True):
                self.bed.addItem(bed.display, str(bed.id))
            if self.bed.count() == 0:
                self.bed.addItem(_("No free bed – add rooms under Admin"), "")
            self.errors.add_row(form, _("Bed"), "bed", self.bed)
        form.addRow("", self.street_oriented)
        form.addRow("", self.special_needs)
        form.addRow(_("Special needs note"), self.special_needs_note)
        column.addWidget(stay)

        self.primary = QComboBox(objectName="primary_contact")
        self.secondary = QComboBox(objectName="secondary_contact")
        if self.detail is None and can_contacts:
            contacts = QGroupBox(_("Contact persons"))
            form = QFormLayout(contacts)
            for combo in (self.primary, self.secondary):
                combo.addItem(_("(choose later)"), "")
                for person_view in staff.list_staff(self.ctx.db, self.ctx.actor,
                                                    role="contact_person"):
                    combo.addItem(person_view.full_name, str(person_view.id))
            self.errors.add_row(form, _("Primary contact person"), "primary_contact", self.primary)
            self.errors.add_row(form, _("Secondary contact person"), "secondary_contact",
                                self.secondary)
            column.addWidget(contacts)

        representative = QGroupBox(_("Personal representative"))
        form = QFormLayout(representative)
        self.representative_name = QLineEdit(objectName="representative_name")
        self.representative_phone = QLineEdit(objectName="representative_phone")
        self.representative_email = QLineEdit(objectName="representative_email")
        self.errors.add_row(form, _("Name"), "representative_name", self.representative_name)
        self.errors.add_row(form, _("Phone"), "representative_phone", self.representative_phone)
        self.errors.add_row(form, _("E-mail"), "representative_email", self.representative_email)
        representative.setEnabled(can_representative)
        if not can_representative:
            representative.setToolTip(_("Your role may not change the personal representative."))
        column.addWidget(representative)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.general_error = ErrorLabel()
        self.general_error.setObjectName("general_error")
        buttons = save_cancel_buttons(self, self.submit, self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        bottom = QHBoxLayout()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

    @staticmethod
    def _changed_signal(widget: QWidget):
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            return widget.textChanged
        if isinstance(widget, QCheckBox):
            return widget.toggled
        if isinstance(widget, QComboBox):
            return widget.currentIndexChanged
        return widget.dateChanged

    def _inputs(self) -> list[QWidget]:
        return [self.person_id, self.given_names, self.family_name, self.name_in_own_script,
                self.date_of_birth, self.age_disputed, self.sex, self.nationality, self.languages,
                self.arrival_date, self.phase, self.bed, self.street_oriented, self.special_needs,
                self.special_needs_note, self.primary, self.secondary, self.representative_name,
                self.representative_phone, self.representative_email]

    # --- values ------------------------------------------------------------------------
    @staticmethod
    def _payload_of(data: ResidentInput) -> dict[str, Any]:
        return {
            "person_id": data.person_id, "given_names": data.given_names,
            "family_name": data.family_name, "name_in_own_script": data.name_in_own_script or "",
            "date_of_birth": data.date_of_birth.isoformat() if data.date_of_birth else None,
            "age_disputed": data.age_disputed, "sex": data.sex, "nationality": data.nationality,
            "languages": ", ".join(data.languages),
            "arrival_date": data.arrival_date.isoformat() if data.arrival_date else None,
            "phase": data.phase, "street_oriented": data.street_oriented,
            "special_needs": data.special_needs,
            "special_needs_note": data.special_needs_note or "",
            "representative_name": data.representative_name or "",
            "representative_phone": data.representative_phone or "",
            "representative_email": data.representative_email or "",
        }

    def payload(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id.text(), "given_names": self.given_names.text(),
            "family_name": self.family_name.text(),
            "name_in_own_script": self.name_in_own_script.text(),
            "date_of_birth": from_qdate(self.date_of_birth.date()).isoformat(),
            "age_disputed": self.age_disputed.isChecked(), "sex": self.sex.currentData() or "",
            "nationality": self.nationality.text(), "languages": self.languages.text(),
            "arrival_date": from_qdate(self.arrival_date.date()).isoformat(),
            "phase": self.phase.currentData(), "street_oriented": self.street_oriented.isChecked(),
            "special_needs": self.special_needs.isChecked(),
            "special_needs_note": self.special_needs_note.toPlainText(),
            "representative_name": self.representative_name.text(),
            "representative_phone": self.representative_phone.text(),
            "representative_email": self.representative_email.text(),
            "bed": self.bed.currentData() or "", "primary_contact": self.primary.currentData() or "",
            "secondary_contact": self.secondary.currentData() or "",
        }

    def _fill(self, payload: dict[str, Any]) -> None:
        for name in ("person_id", "given_names", "family_name", "name_in_own_script",
                     "nationality", "languages", "representative_name", "representative_phone",
                     "representative_email"):
            if name in payload:
                getattr(self, name).setText(payload[name] or "")
        for name in ("date_of_birth", "arrival_date"):
            if payload.get(name):
                getattr(self, name).setDate(to_qdate(date.fromisoformat(payload[name])))
        for name in ("age_disputed", "street_oriented", "special_needs"):
            if name in payload:
                getattr(self, name).setChecked(bool(payload[name]))
        if "special_needs_note" in payload:
            self.special_needs_note.setPlainText(payload["special_needs_note"] or "")
        for name, combo in (("sex", self.sex), ("phase", self.phase), ("bed", self.bed),
                            ("primary_contact", self.primary),
                            ("secondary_contact", self.secondary)):
            index = combo.findData(payload.get(name))
            if index >= 0:
                combo.setCurrentIndex(index)

    def resident_input(self) -> ResidentInput:
        values = self.payload()
        return ResidentInput(
            person_id=values["person_id"], given_names=values["given_names"],
            family_name=values["family_name"], name_in_own_script=values["name_in_own_script"],
            date_of_birth=date.fromisoformat(values["date_of_birth"]),
            age_disputed=values["age_disputed"], sex=values["sex"],
            nationality=values["nationality"],
            languages=tuple(part for part in values["languages"].split(",")),
            arrival_date=date.fromisoformat(values["arrival_date"]), phase=values["phase"],
            street_oriented=values["street_oriented"], special_needs=values["special_needs"],
            special_needs_note=values["special_needs_note"],
            representative_name=values["representative_name"],
            representative_phone=values["representative_phone"],
            representative_email=values["representative_email"])

    # --- drafts ------------------------------------------------------------------------
    def save_draft(self) -> None:
        if self.saved is None and self.ctx.has_actor:
            drafts.save_draft(self.ctx.db, self.ctx.actor, self.form_key, self.payload())

    def _restore_draft(self) -> None:
        draft = drafts.load_draft(self.ctx.db, self.ctx.actor, self.form_key)
        if draft is None:
            return
        self._fill(draft.payload)
        self.draft_notice.setText(_("Unsaved input from {time} was restored.").format(
            time=format_time(draft.saved_at)))
        self.draft_notice.show()

    # --- actions -----------------------------------------------------------------------
    def submit(self) -> None:
        if not run_form_call(self._save, self.errors, self.general_error,
                             summary=_("Please correct the fields marked in red.")):
            return
        drafts.discard_draft(self.ctx.db, self.ctx.actor, self.form_key)
        self.ctx.announce(Changes(residents=True))
        self.accept()

    def _save(self) -> None:
        data = self.resident_input()
        if self.detail is not None:
            self.saved = residents.update_resident(self.ctx.db, self.ctx.actor, self.detail.id,
                                                   data)
            return
        bed = self.bed.currentData()
        if not bed:
            raise ValidationError({"bed": _("Choose a free bed.")})
        primary, secondary = self.primary.currentData(), self.secondary.currentData()
        self.saved = residents.register_arrival(
            self.ctx.db, self.ctx.actor, data, uuid.UUID(bed),
            primary_contact_id=uuid.UUID(primary) if primary else None,
            secondary_contact_id=uuid.UUID(secondary) if secondary else None)

    def cancel(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self, _("Discard input?"),
                _("You have typed something that is not saved. Throw it away?"))
            if answer != QMessageBox.StandardButton.Yes:
                return
        drafts.discard_draft(self.ctx.db, self.ctx.actor, self.form_key)
        self.reject()

    def is_dirty(self) -> bool:
        current = self.payload()
        if self.detail is not None:
            original = self._payload_of(self.detail.data)
            return any(current.get(k) != v for k, v in original.items())
        return any(current[k] for k in ("person_id", "given_names", "family_name", "nationality",
                                        "representative_name"))

    def closeEvent(self, event) -> None:
        # Closing the window by its frame keeps the draft; only Cancel throws it away.
        self.save_draft()
        super().closeEvent(event)

    def stash_for_switch(self) -> None:
        """Another user takes over the PC: keep this user's input as a draft and close."""
        self._draft_timer.stop()
        self.save_draft()
        self.done(QDialog.DialogCode.Rejected)
