"""The PDF preview: pages shown, saved byte for byte, printed, opened in a viewer."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdf
import pytest
from PySide6.QtGui import QDesktopServices, QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from app.forms.document import CentreHeader, DataTable, Section, render_document
from ui.forms.pdf_preview import PdfPreviewDialog


@pytest.fixture(scope="module")
def two_page_pdf() -> bytes:
    rows = [(str(n), f"Linje {n} – værelse {n}") for n in range(1, 71)]
    pdf = render_document("Rundeark", CentreHeader("Børnecenter Test", "TEST"),
                          [Section("Runder", [DataTable(["Nr.", "Notat"], rows)])],
                          printed_at=datetime(2026, 11, 23, 13, 5, tzinfo=UTC))
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 2
    return pdf


@pytest.fixture
def dialog(qtbot, two_page_pdf) -> PdfPreviewDialog:
    widget = PdfPreviewDialog(two_page_pdf, "Rundeark – test", suggested_name="rundeark")
    qtbot.addWidget(widget)
    return widget


def _ink_share(image) -> float:
    """Share of sampled pixels that are not white."""
    samples = dark = 0
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            samples += 1
            dark += image.pixelColor(x, y).lightness() < 200
    return dark / samples


def test_closing_releases_pdfium_and_reopens_on_demand(dialog):
    dialog.show()
    dialog.close_button.click()

    assert dialog._document is None
    assert dialog.page_count() == 2
    dialog.release()


def test_dialog_shows_every_page(dialog):
    dialog.show()

    assert dialog.windowTitle() == "Rundeark – test"
    assert dialog.page_count() == 2
    assert len(dialog.page_labels) == 2
    assert dialog.info_label.text() == "2 pages"
    pixmap = dialog.page_labels[0].pixmap()
    size = pixmap.deviceIndependentSize()
    assert 1.38 < size.height() / size.width() < 1.44  # A4 portrait
    assert 0 < _ink_share(pixmap.toImage()) < 0.5       # text on a white page


def test_save_to_writes_the_same_bytes(dialog, two_page_pdf, tmp_path):
    saved = dialog.save_to(tmp_path / "rundeark")

    assert saved == tmp_path / "rundeark.pdf"
    assert saved.read_bytes() == two_page_pdf


def test_save_as_uses_the_chosen_file(dialog, two_page_pdf, tmp_path, monkeypatch):
    target = tmp_path / "valgt.pdf"
    offered = []

    def fake_dialog(parent, caption, directory, filter_):
        offered.append(directory)
        return str(target), filter_

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    dialog.save_button.click()

    assert target.read_bytes() == two_page_pdf
    assert offered[0].endswith("rundeark.pdf")


def test_print_to_a_pdf_printer(dialog, tmp_path):
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setResolution(150)

    dialog.print_to(printer)

    assert out.exists()
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    printed = PdfPreviewDialog(data)
    try:
        assert printed.page_count() == 2
        for index in range(2):  # each page carries the rendered form, not a blank sheet
            assert 0.01 < _ink_share(printed.page_image(index, 40)) < 0.5, index
        assert printed.page_size_points(0) == pytest.approx((595.3, 841.9), abs=1)
    finally:
        printed.release()
        printed.deleteLater()


def test_open_in_viewer_writes_a_temporary_copy(dialog, two_page_pdf, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))

    path = dialog.open_external()

    try:
        assert path is not None and path.read_bytes() == two_page_pdf
        assert path.name.startswith("rundeark-") and path.suffix == ".pdf"
        assert [url.toLocalFile() for url in opened] == [str(path)]
    finally:
        path.unlink()


def test_suggested_name_is_safe_for_file_names(qtbot, two_page_pdf):
    widget = PdfPreviewDialog(two_page_pdf, suggested_name="stamkort-12/34 Ærø")
    qtbot.addWidget(widget)

    assert widget.suggested_name == "stamkort-12_34_Ærø"
    assert widget.windowTitle() == "PDF preview"
