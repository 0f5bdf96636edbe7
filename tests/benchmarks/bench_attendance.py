"""Attendance benchmark on a ``--years 10`` demo centre (run on demand).

    .venv/bin/python tests/benchmarks/bench_attendance.py [--db PATH] [--runs 100] [--no-gui]

Targets (issue 3): saving one mark <= 20 ms, opening the round screen <= 300 ms, loading a
resident's 10-year attendance history <= 300 ms; a measure passes when its 95th
percentile is within the target. The demo database is built on first use and cached
(default ``/tmp/centredesk-bench/demo-10y-attendance.db``); every run works on a copy, so
the marks made here never pile up in the cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.demo_cache import ensure_demo, p95, timed  # noqa: E402

DEFAULT_DB = Path(tempfile.gettempdir()) / "centredesk-bench" / "demo-10y-attendance.db"
PASSWORD = "demo1234"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="the 10-year demo database (built there if missing)")
    parser.add_argument("--runs", type=int, default=100, help="repetitions per measure")
    parser.add_argument("--no-gui", action="store_true", help="skip the round screen widget")
    args = parser.parse_args()
    ensure_demo(args.db, ("attendance_mark",))

    from sqlalchemy import func, select

    from app.db import open_database
    from app.formatting import utcnow
    from app.models import AttendanceMark, AttendanceRound, Resident
    from app.queries.due import due_duties
    from app.rules.absence import MARK_PRESENT, MARK_SCHOOL
    from app.services import attendance, auth

    work = Path(tempfile.mkdtemp(prefix="bench-attendance-")) / "demo.db"
    shutil.copy(args.db, work)
    db = open_database(str(work))  # a cached database from an older schema is upgraded
    try:
        actor = auth.login(db, "reception1", PASSWORD)
        with db.read() as session:
            marks = session.scalar(select(func.count()).select_from(AttendanceMark))
            rounds = session.scalar(select(func.count()).select_from(AttendanceRound))
            residents = session.scalar(select(func.count()).select_from(Resident))
            busiest, busiest_marks = session.execute(
                select(AttendanceMark.resident_id, func.count()).group_by(
                    AttendanceMark.resident_id).order_by(func.count().desc()).limit(1)).one()
            past = list(session.scalars(select(AttendanceRound.id).order_by(
                AttendanceRound.round_date).limit(args.runs * 37)))[::37][:args.runs]
            times = attendance.round_times(session)
        print(f"database: {args.db} ({residents} residents, {rounds} rounds, {marks} marks)")

        from app.rules.rounds import next_slot

        # The next round, not started yet: the first marks are new ones, as in a real round.
        day, slot = next_slot(times, utcnow())
        results: list[tuple[str, list[float], float | None]] = []

        # (b) opening the round screen's data: open_round (starts it, or continues it) + get_round.
        def open_current() -> object:
            view = attendance.open_round(db, actor, day, slot)
            return attendance.get_round(db, actor, view.round_id)

        started = time.perf_counter()
        view = attendance.open_round(db, actor, day, slot)  # the first opening starts the round
        first_open = [time.perf_counter() - started]
        open_times = timed(open_current, args.runs)
        past_times = []
        for round_id in past:
            started = time.perf_counter()
            attendance.get_round(db, actor, round_id)
            past_times.append(time.perf_counter() - started)

        # (a) saving one mark: every resident of the current round once (new marks), then
        # corrections of the same marks until ``runs`` marks are saved.
        rows = [row for row in view.rows if row.missing_since is None and row.leave_kind is None]
        new_times, correction_times = [], []
        for number in range(max(args.runs, len(rows))):
            row = rows[number % len(rows)]
            mark = MARK_PRESENT if (number // len(rows)) % 2 == 0 else MARK_SCHOOL
            started = time.perf_counter()
            attendance.mark_resident(db, actor, view.round_id, row.resident_id, mark)
            elapsed = time.perf_counter() - started
            (new_times if number < len(rows) and row.mark is None else correction_times).append(
                elapsed)

        # (c) the 10-year attendance history of the resident with the most marks.
        history = attendance.attendance_history(db, actor, busiest)
        history_times = timed(lambda: attendance.attendance_history(db, actor, busiest),
                              args.runs)

        # The Today page's "what is due" (round status and missing cases), for information.
        def due_now() -> object:
            with db.read() as session:
                return due_duties(session, utcnow())

        due_times = timed(due_now, max(10, args.runs // 5))

        results.append(("(a) save one mark (new)", new_times or correction_times, 0.020))
        if correction_times:
            results.append(("    save one mark (correction)", correction_times, 0.020))
        results.append(("(b) open_round (starting the round)", first_open, 0.300))
        results.append(("(b) open_round + get_round (current)", open_times, 0.300))
        results.append(("    get_round (past rounds)", past_times, 0.300))
        if not args.no_gui:
            gui = bench_round_screen(db, actor, day, slot, max(10, args.runs // 5))
            if gui is not None:
                results.append(gui)
        results.append((f"(c) attendance history ({len(history)} marks)", history_times, 0.300))
        results.append(("    Today page duties (info)", due_times, None))
        assert len(history) == busiest_marks
    finally:
        db.close()
        shutil.rmtree(work.parent, ignore_errors=True)

    print()
    print(f"{'measure':<42}{'n':>5}{'median':>11}{'p95':>11}{'target':>10}  result")
    for name, values, target in results:
        verdict = "" if target is None else ("PASS" if p95(values) <= target else "FAIL")
        shown = "—" if target is None else f"{target * 1000:.0f} ms"
        print(f"{name:<42}{len(values):>5}{statistics.median(values) * 1000:>8.1f} ms"
              f"{p95(values) * 1000:>8.1f} ms{shown:>10}  {verdict}")
    print("PASS: the 95th percentile is within the target.")


def bench_round_screen(db, actor, day, slot, runs: int) -> tuple[str, list[float], float] | None:
    """Opening the round screen as the Today page does: open the round, build and show the
    dialog, let Qt paint it (offscreen)."""
    try:
        from ui.rounds import round_screen
    except ImportError as error:
        print(f"round screen not measured: {error}")
        return None
    from PySide6.QtWidgets import QApplication

    from app.services import centre
    from ui.application import apply_language, make_app
    from ui.context import AppContext

    app = make_app()
    apply_language(app, "da")
    ctx = AppContext(db, centre.get_centre(db), actor)

    def show() -> None:
        if hasattr(round_screen, "open_round_screen"):
            screen = round_screen.open_round_screen(ctx, day, slot)
        else:
            from app.services import attendance

            screen = round_screen.RoundScreen(ctx, attendance.open_round(db, actor, day, slot))
        assert screen is not None
        screen.show()
        QApplication.processEvents()
        screen.close()
        screen.deleteLater()

    show()  # Qt's first window costs font and style loading once per program
    QApplication.processEvents()
    return ("(b) open the round screen (RoundScreen)", timed(show, runs), 0.300)


if __name__ == "__main__":
    main()
