"""Entry point of the frozen Centre Desk bundle (see packaging/centredesk.spec).

The bundle's ``centredesk`` program behaves exactly like the ``centredesk`` console script
(``ui.launcher:main``). One extra, packaging-only switch exists: ``centredesk --bundle-check``
imports and exercises the libraries the application loads lazily (PDFs, right-to-left text,
password hashing, holidays, migrations, locale data), so ``packaging/smoke_test.sh`` can
prove they made it into the bundle before any screen that needs them is opened.
``centredesk --bundle-check --db FILE`` also prints a record sheet of the first resident in
FILE (a scratch database: the print is written to its audit trail).
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def _bundle_check() -> int:
    """Exercise every lazily imported dependency; print one line per check; 0 if all pass."""
    import gettext
    import io
    import traceback
    from datetime import date
    from pathlib import Path

    failures = 0
    sample_pdf: list[bytes] = []
    arguments = sys.argv[2:]
    db_path = (arguments[arguments.index("--db") + 1]
               if "--db" in arguments[:-1] else None)

    def check(name: str, func: Callable[[], str]) -> None:
        nonlocal failures
        try:
            detail = func()
        except Exception:  # noqa: BLE001 - report every failure, keep going
            failures += 1
            print(f"bundle-check: FAIL {name}", file=sys.stderr)
            traceback.print_exc()
        else:
            print(f"bundle-check: ok   {name}{': ' + detail if detail else ''}")

    def catalogs() -> str:
        from app.i18n import DOMAIN, LANGUAGES
        from app.paths import TRANSLATIONS_DIR

        for language in LANGUAGES:
            gettext.translation(DOMAIN, localedir=str(TRANSLATIONS_DIR), languages=[language])
        return ", ".join(sorted(LANGUAGES))

    def babel_locales() -> str:
        from babel.dates import format_date
        from babel.numbers import format_currency

        day = date(2025, 3, 7)
        da = format_date(day, format="short", locale="da_DK")
        en = format_date(day, format="short", locale="en_GB")
        money = format_currency(1234.5, "DKK", locale="da_DK")
        if (da, en) != ("07.03.2025", "07/03/2025"):
            raise AssertionError(f"unexpected date formats {da!r} / {en!r}")
        return f"{da} | {en} | {money}"

    def timezone() -> str:
        from app.formatting import LOCAL_TZ

        return str(LOCAL_TZ)

    def migrations() -> str:
        from alembic.script import ScriptDirectory

        from app.db import HEAD_REVISION
        from app.paths import MIGRATIONS_DIR

        head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
        if head != HEAD_REVISION:
            raise AssertionError(f"migrations head {head!r} != app.db.HEAD_REVISION "
                                 f"{HEAD_REVISION!r}")
        return head

    def argon2() -> str:
        from argon2 import PasswordHasher

        hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
        hasher.verify(hasher.hash("smoke"), "smoke")
        return "hash+verify"

    def holidays_dk() -> str:
        import holidays

        days = holidays.country_holidays("DK", years=2025, language="da")
        if days.get(date(2025, 12, 25)) is None:
            raise AssertionError("no Christmas Day in the Danish holidays")
        return days.get(date(2025, 12, 25))

    def rtl_shaping() -> str:
        import arabic_reshaper
        from bidi.algorithm import get_display

        shaped = get_display(arabic_reshaper.reshape("مرحبا"))
        if shaped == "مرحبا":
            raise AssertionError("Arabic text was not reshaped")
        return "arabic_reshaper + python-bidi"

    def pdf() -> str:
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfgen import canvas

        from app.paths import FONTS_DIR

        try:  # the application's own font registration and shaping, when present
            from app.forms.fonts import FONT, register_fonts, shape

            register_fonts()
        except ImportError:
            from reportlab.pdfbase.ttfonts import TTFont

            FONT = "DejaVuSans"
            pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))

            def shape(text: str) -> str:
                return text
        buffer = io.BytesIO()
        page = canvas.Canvas(buffer, pagesize=A4)
        page.setFont(FONT, 12)
        page.drawString(72, 760, shape("Børnecenter Smoke – æøå ÆØÅ – مرحبا"))
        page.showPage()
        page.save()
        data = buffer.getvalue()

        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            bitmap = document[0].render(scale=0.5)
            size = (bitmap.width, bitmap.height)
        finally:
            document.close()
        sample_pdf.append(data)
        return f"{len(data)} bytes, rendered {size[0]}x{size[1]} with pdfium"

    def qt_printing() -> str:
        """Qt's print support: a pdfium-rendered page painted on a QPrinter (to a PDF file)."""
        import importlib.util
        import os
        import tempfile

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        import pypdfium2
        from PySide6.QtGui import QImage, QPainter
        from PySide6.QtPrintSupport import QPrinter
        from PySide6.QtWidgets import QApplication

        if importlib.util.find_spec("ui.forms") is not None:
            import pkgutil

            import ui.forms

            for module in pkgutil.iter_modules(ui.forms.__path__, "ui.forms."):
                __import__(module.name)
        application = QApplication.instance() or QApplication(sys.argv[:1])
        if not sample_pdf:
            raise RuntimeError("no sample PDF (the pdf check failed)")
        document = pypdfium2.PdfDocument(sample_pdf[0])
        try:
            bitmap = document[0].render(scale=1, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888).copy()
        finally:
            document.close()
        with tempfile.TemporaryDirectory() as folder:
            target = os.path.join(folder, "printed.pdf")
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(target)
            painter = QPainter()
            if not painter.begin(printer):
                raise RuntimeError("QPainter could not begin on a QPrinter")
            painter.drawImage(painter.viewport(), image)
            painter.end()
            size = os.path.getsize(target)
        return f"QPrinter wrote {size} bytes (Qt platform {application.platformName()})"

    def record_sheet() -> str:
        import importlib.util

        names = [name for name in ("app.services.forms", "app.forms.document",
                                   "app.forms.record_sheet")
                 if importlib.util.find_spec(name) is not None]
        for name in names:
            __import__(name)
        if not names:
            return "no form modules in this build yet"
        if db_path is None or "app.services.forms" not in names:
            return "imported " + ", ".join(names)
        # A real record sheet from a scratch database (the smoke test's demo centre).
        import pypdfium2
        from sqlalchemy import select

        from app.db import open_database
        from app.models import Resident
        from app.permissions import Role
        from app.services.forms import record_sheet_pdf
        from app.unit_of_work import Actor

        printer = Actor(staff_id=None, username="bundle-check", full_name="Bundle check",
                        roles=frozenset(role.value for role in Role))

        db = open_database(db_path, upgrade=False)
        try:
            with db.read() as session:
                resident_id = session.scalar(select(Resident.id).limit(1))
            if resident_id is None:
                return f"imported {', '.join(names)}; no resident in {db_path} to print"
            data = record_sheet_pdf(db, printer, resident_id)
        finally:
            db.close()
        document = pypdfium2.PdfDocument(data)
        try:
            pages = len(document)
            document[0].render(scale=0.5)
        finally:
            document.close()
        return f"record sheet: {len(data)} bytes, {pages} page(s), rendered with pdfium"

    def resources() -> str:
        from app.paths import RESOURCES_DIR

        missing = [p for p in ("icons/centredesk.svg", "fonts/DejaVuSans.ttf",
                               "fonts/DejaVuSans-Bold.ttf")
                   if not (RESOURCES_DIR / p).is_file()]
        if missing:
            raise FileNotFoundError(f"missing in {RESOURCES_DIR}: {missing}")
        return str(Path(RESOURCES_DIR))

    for name, func in (("translations", catalogs), ("babel locale data", babel_locales),
                       ("time zone", timezone), ("migrations", migrations),
                       ("argon2", argon2), ("holidays", holidays_dk),
                       ("right-to-left shaping", rtl_shaping), ("pdf", pdf), ("qt printing", qt_printing),
                       ("forms", record_sheet), ("resources", resources)):
        check(name, func)
    print("bundle-check: ok" if not failures else f"bundle-check: {failures} failed")
    return 1 if failures else 0


def main() -> int:
    if sys.argv[1:2] == ["--bundle-check"]:
        return _bundle_check()
    from ui.launcher import main as centredesk_main

    return centredesk_main()


if __name__ == "__main__":
    sys.exit(main())
