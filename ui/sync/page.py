"""The Sync area: what waits for head office, export now (with progress, cancellable), the
scheduled export, head office's key and receipts, and this installation's own key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QMessageBox, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from app.errors import DomainError
from app.formatting import format_datetime, format_number
from app.i18n import _, ngettext
from app.services import sync
from ui.context import AppContext, Changes
from ui.ops import Operation, show_error
from ui.widgets import heading

class SyncPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("sync_page")
        self.operation: Operation | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading(_("Sync to head office")))
        explain = QLabel(_("Sync files carry this centre's records to head office, encrypted "
                           "so only head office can read them and signed by this PC. Send "
                           "them by network share, encrypted USB stick or e-mail."))
        explain.setWordWrap(True)
        layout.addWidget(explain)

        status = QGroupBox(_("Status"))
        form = QFormLayout(status)
        self.waiting = QLabel(objectName="sync_waiting")
        self.last_export = QLabel(objectName="sync_last_export")
        self.last_receipt = QLabel(objectName="sync_last_receipt")
        self.recipient = QLabel(objectName="sync_recipient")
        self.device = QLabel(objectName="sync_device")
        for widget in (self.last_export, self.last_receipt, self.recipient, self.device):
            widget.setWordWrap(True)
        form.addRow(_("Changes waiting"), self.waiting)
        form.addRow(_("Last export"), self.last_export)
        form.addRow(_("Confirmed by head office"), self.last_receipt)
        form.addRow(_("Head office's key"), self.recipient)
        form.addRow(_("This PC"), self.device)
        layout.addWidget(status)

        buttons = QHBoxLayout()
        self.export_button = QPushButton(_("Export now…"), objectName="sync_export_button")
        self.export_button.clicked.connect(self.export_now)
        receipt = QPushButton(_("Read a receipt…"), objectName="sync_receipt_button")
        receipt.clicked.connect(self.read_receipt)
        recipient = QPushButton(_("Set head office's key…"), objectName="sync_recipient_button")
        recipient.clicked.connect(self.set_recipient)
        device = QPushButton(_("Save this PC's key…"), objectName="sync_device_button")
        device.clicked.connect(self.save_device_key)
        for button in (self.export_button, receipt, recipient, device):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        scheduled = QGroupBox(_("Scheduled export"))
        schedule_form = QFormLayout(scheduled)
        self.folder_label = QLabel(objectName="sync_schedule_folder")
        self.folder_label.setWordWrap(True)
        choose = QPushButton(_("Choose folder…"), objectName="sync_schedule_choose")
        choose.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(choose)
        self.hours = QSpinBox(objectName="sync_schedule_hours")
        self.hours.setRange(0, 168)
        self.hours.setMaximumWidth(160)
        self.hours.setSpecialValueText(_("Off"))
        self.hours.setSuffix(_(" hours"))
        self.hours.valueChanged.connect(self._save_schedule)
        schedule_form.addRow(_("Folder"), folder_row)
        schedule_form.addRow(_("Export every"), self.hours)
        layout.addWidget(scheduled)
        layout.addStretch(1)
        self.folder: Path | None = None
        self.refresh()

    # -- state ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            state = sync.sync_state(self.ctx.db, self.ctx.actor)
        except DomainError as error:
            self.waiting.setText(error.message)
            return
        self.waiting.setText(_("{count} (numbers {first}–{last})").format(
            count=format_number(state.waiting), first=format_number(state.acked_seq + 1),
            last=format_number(state.last_seq))
            if state.waiting else _("None: head office has confirmed every change."))
        self.last_export.setText(
            _("{time}: {file}").format(time=format_datetime(state.last_export_at),
                                       file=state.last_export_file)
            if state.last_export_at else _("Never"))
        self.last_receipt.setText(
            _("Every change up to number {seq} (receipt read {time})").format(
                seq=state.acked_seq, time=format_datetime(state.last_receipt_at))
            if state.last_receipt_at else _("No receipt read yet"))
        if state.recipient_key_id:
            self.recipient.setText(state.recipient_key_id)
            self.recipient.setStyleSheet("")
        else:
            self.recipient.setText(_("Not set: ask head office for headoffice.pub. Nothing can "
                                     "be exported until it is set."))
            self.recipient.setStyleSheet("color: #b42318;")
        self.export_button.setEnabled(bool(state.recipient_key_id))
        self.device.setText(_("Centre {code}, installation {device}\nKey fingerprint {key}")
                            .format(code=state.centre_code, device=state.device_id,
                                    key=state.device_fingerprint))
        folder, hours = sync.schedule(self.ctx.db)
        self.folder = folder
        self.folder_label.setText(str(folder) if folder else _("No folder chosen"))
        self.hours.blockSignals(True)
        self.hours.setValue(hours)
        self.hours.blockSignals(False)

    # -- actions --------------------------------------------------------------------------------
    def export_now(self, folder: str | None = None) -> None:
        folder = folder or QFileDialog.getExistingDirectory(self, _("Export the sync file to"))
        if not folder:
            return
        ctx = self.ctx

        def work(cancel, report):  # type: ignore[no-untyped-def]
            return sync.export_now(ctx.db, ctx.actor, Path(folder), cancel=cancel,
                                   progress=lambda done, total: report(done, total, ""))

        def done(result: object) -> None:
            self.refresh()
            self.ctx.announce(Changes())
            if result is None:
                QMessageBox.information(self, _("Nothing to export"),
                                        _("Head office has every change already."))
            else:
                QMessageBox.information(self, _("Exported"), ngettext(
                    "{count} change written to\n{path}", "{count} changes written to\n{path}",
                    result.change_count).format(count=format_number(result.change_count),
                                                path=result.path))

        self.operation = Operation(self, work, title=_("Exporting the sync file…"),
                                   on_success=done).start()

    def read_receipt(self, path: str | None = None) -> None:
        path = path or QFileDialog.getOpenFileName(self, _("Receipt from head office"), "",
                                                   _("Receipts (*.json)"))[0]
        if not path:
            return
        try:
            acked = sync.import_receipt(self.ctx.db, self.ctx.actor, Path(path))
        except DomainError as error:
            show_error(self, error)
            return
        self.refresh()
        QMessageBox.information(self, _("Receipt read"), _(
            "Head office confirms every change up to number {seq}.").format(seq=acked))

    def set_recipient(self, path: str | None = None) -> None:
        path = path or QFileDialog.getOpenFileName(self, _("Head office's public key"), "",
                                                   _("Public key (*.pub)"))[0]
        if not path:
            return
        try:
            sync.set_recipient(self.ctx.db, self.ctx.actor,
                               Path(path).read_text(encoding="utf-8"))
        except (DomainError, OSError, UnicodeDecodeError) as error:
            show_error(self, error if isinstance(error, DomainError)
                       else DomainError(_("{path} cannot be read.").format(path=path)))
            return
        self.refresh()

    def save_device_key(self, path: str | None = None) -> None:
        path = path or QFileDialog.getSaveFileName(self, _("Save this PC's public key"),
                                                   "centredesk-device.json")[0]
        if not path:
            return
        try:
            Path(path).write_text(sync.device_public_text(self.ctx.db, self.ctx.actor),
                                  encoding="utf-8")
        except (DomainError, OSError) as error:
            show_error(self, error if isinstance(error, DomainError) else DomainError(str(error)))

    def choose_folder(self, folder: str | None = None) -> None:
        folder = folder or QFileDialog.getExistingDirectory(self, _("Folder for scheduled "
                                                                    "exports"))
        if folder:
            self.folder = Path(folder)
            self.folder_label.setText(folder)
            self._save_schedule()

    def _save_schedule(self) -> None:
        try:
            sync.set_schedule(self.ctx.db, self.ctx.actor, self.folder, self.hours.value())
        except DomainError as error:
            show_error(self, error)
            self.refresh()
