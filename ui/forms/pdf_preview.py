"""A preview of a rendered PDF with Save as…, Print… and Open in PDF viewer.

QtPdf is not part of PySide6-Essentials, so pages are rasterised with pypdfium2: at screen
resolution for the preview, at (up to ``MAX_PRINT_DPI``) printer resolution for printing.
pdfium is used on the GUI thread only.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, QSize, QSizeF, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QKeySequence, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _, ngettext

MAX_PRINT_DPI = 300     # an A4 page at 300 dpi is a 35 MB image; more adds nothing on paper
PREVIEW_DPI = 96.0      # logical screen resolution for the preview at 100 %
POINTS_PER_INCH = 72.0
TEMP_DIR_NAME = "centredesk-pdf"
TEMP_MAX_AGE_SECONDS = 6 * 3600  # copies opened in an external viewer are removed later


def _render(page: pdfium.PdfPage, dpi: float) -> QImage:
    """``page`` rasterised at ``dpi`` on white, as a QImage that owns its pixels."""
    bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True,
                         fill_color=(255, 255, 255, 255))
    try:
        image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGBX8888)
        return image.copy()  # detach from the temporary bytes
    finally:
        bitmap.close()


def _clean_temp_dir(directory: Path) -> None:
    """Remove old copies handed to an external viewer (they hold personal data)."""
    now = time.time()
    for path in directory.glob("*.pdf"):
        try:
            if now - path.stat().st_mtime > TEMP_MAX_AGE_SECONDS:
                path.unlink()
        except OSError:
            pass  # still open in a viewer (Windows) or already gone


class PdfPreviewDialog(QDialog):
    """Shows the pages of ``pdf`` (bytes) and lets the user save, print or open it."""

    def __init__(self, pdf: bytes, title: str | None = None, parent: QWidget | None = None, *,
                 suggested_name: str = "document") -> None:
        super().__init__(parent)
        self.pdf = bytes(pdf)
        self.title = title or _("PDF preview")
        # Used for file names: keep letters (æøå too), digits, dot, dash and underscore.
        self.suggested_name = re.sub(r"[^\w.-]+", "_", suggested_name).strip("._") or "document"
        self._document: pdfium.PdfDocument | None = None
        self.setWindowTitle(self.title)
        self.setSizeGripEnabled(True)

        self.pages_widget = QWidget()
        self.pages_widget.setObjectName("pdfPages")
        self.pages_widget.setStyleSheet("#pdfPages { background: #7a8088; }")
        pages_layout = QVBoxLayout(self.pages_widget)
        pages_layout.setSpacing(12)
        pages_layout.setContentsMargins(16, 16, 16, 16)
        self.page_labels: list[QLabel] = []
        for index in range(self.page_count()):
            label = QLabel()
            label.setPixmap(self._preview_pixmap(index))
            label.setAccessibleName(_("Page {page} of {pages}").format(
                page=index + 1, pages=self.page_count()))
            label.setStyleSheet("background: white; border: 1px solid #50555c;")
            pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.pages_widget)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        self.info_label = QLabel(ngettext("{count} page", "{count} pages",
                                          self.page_count()).format(count=self.page_count()))
        self.save_button = QPushButton(_("Save as…"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save_as)
        self.print_button = QPushButton(_("Print…"))
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.open_button = QPushButton(_("Open in PDF viewer"))
        self.open_button.clicked.connect(self.open_external)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        self.print_button.setDefault(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.info_label)
        buttons.addStretch(1)
        for button in (self.save_button, self.print_button, self.open_button,
                       self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)
        self._fit_to_screen()

    # --- rendering --------------------------------------------------------------------
    def _pdfium(self) -> pdfium.PdfDocument:
        """The parsed PDF, opened on first use and closed again when the dialog closes."""
        if self._document is None:
            self._document = pdfium.PdfDocument(self.pdf)
        return self._document

    def release(self) -> None:
        """Free pdfium's copy of the document (it is reopened if needed again)."""
        if self._document is not None:
            self._document.close()
            self._document = None

    def page_count(self) -> int:
        return len(self._pdfium())

    def page_size_points(self, index: int) -> tuple[float, float]:
        page = self._pdfium()[index]
        try:
            width, height = page.get_size()
        finally:
            page.close()
        return width, height

    def page_image(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (from 0) as an image at ``dpi``."""
        page = self._pdfium()[index]
        try:
            return _render(page, dpi)
        finally:
            page.close()

    def _preview_pixmap(self, index: int) -> QPixmap:
        ratio = self.devicePixelRatioF() or 1.0
        pixmap = QPixmap.fromImage(self.page_image(index, PREVIEW_DPI * ratio))
        pixmap.setDevicePixelRatio(ratio)
        return pixmap

    def _fit_to_screen(self) -> None:
        if not self.page_labels:
            return
        page = self.page_labels[0].pixmap().deviceIndependentSize().toSize()
        wanted = QSize(page.width() + 80, page.height() + 110)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            wanted = wanted.boundedTo(QSize(int(screen.width() * 0.9),
                                            int(screen.height() * 0.9)))
        self.resize(wanted)

    # --- saving -----------------------------------------------------------------------
    def save_to(self, path: str | os.PathLike[str]) -> Path:
        """Write the PDF to ``path`` (``.pdf`` is added if missing); returns the path."""
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        target.write_bytes(self.pdf)
        return target

    def save_as(self) -> Path | None:
        folder = (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                  or str(Path.home()))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save PDF"), str(Path(folder) / f"{self.suggested_name}.pdf"),
            _("PDF files (*.pdf)"))
        if not path:
            return None
        try:
            return self.save_to(path)
        except OSError as error:
            QMessageBox.warning(self, _("Save PDF"), _(
                "The PDF could not be saved to {path}: {error}").format(
                    path=path, error=error.strerror or error))
            return None

    # --- printing ---------------------------------------------------------------------
    def document_page_size(self) -> QPageSize:
        width, height = self.page_size_points(0) if self.page_count() else (595.0, 842.0)
        return QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "",
                         QPageSize.SizeMatchPolicy.FuzzyMatch)

    def print_to(self, printer: QPrinter) -> None:
        """Print every page on ``printer``: each rendered at the printer's resolution (at
        most ``MAX_PRINT_DPI``) and fitted, centred, into its printable area."""
        printer.setDocName(self.title)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError(_("The printer could not be started."))
        try:
            dpi = min(float(printer.resolution()), float(MAX_PRINT_DPI))
            for index in range(self.page_count()):
                if index and not printer.newPage():
                    raise OSError(_("The printer could not start a new page."))
                image = self.page_image(index, dpi)
                area = QRect(0, 0, printer.width(), printer.height())
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRect(area.x() + (area.width() - size.width()) // 2,
                               area.y() + (area.height() - size.height()) // 2,
                               size.width(), size.height())
                painter.drawImage(target, image)
        finally:
            painter.end()

    def print_with_dialog(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(self.document_page_size())
        printer.setDocName(self.title)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(_("Print {title}").format(title=self.title))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        try:
            self.print_to(printer)
        except OSError as error:
            QMessageBox.warning(self, _("Print"), str(error))
            return False
        return True

    # --- external viewer --------------------------------------------------------------
    def open_external(self) -> Path | None:
        """Write a temporary copy and open it in the system's PDF viewer."""
        directory = Path(tempfile.gettempdir()) / TEMP_DIR_NAME
        try:
            directory.mkdir(mode=0o700, exist_ok=True)
            _clean_temp_dir(directory)
            handle, name = tempfile.mkstemp(suffix=".pdf", prefix=f"{self.suggested_name}-",
                                            dir=directory)
            with os.fdopen(handle, "wb") as file:
                file.write(self.pdf)
        except OSError as error:
            QMessageBox.warning(self, _("Open in PDF viewer"), _(
                "The PDF could not be written to a temporary file: {error}").format(
                    error=error.strerror or error))
            return None
        path = Path(name)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, _("Open in PDF viewer"), _(
                "No PDF viewer could be started. The file is at {path}.").format(path=path))
        return path

    # --- closing ----------------------------------------------------------------------
    def done(self, result: int) -> None:
        self.release()
        super().done(result)

    def closeEvent(self, event) -> None:
        self.release()
        super().closeEvent(event)
