"""Start-up and resident-filter benchmark on a ``--years 10`` demo centre (run on demand).

    .venv/bin/python tests/benchmarks/bench_startup.py [--db PATH] [--runs 5]

Targets (issue 2): start to login window <= 1.5 s, login to usable main window <= 1 s,
resident filter <= 50 ms per keystroke. The demo database is built on first use.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = ROOT / "build" / "bench" / "demo-10y.db"

_START_SCRIPT = """
import sys
from pathlib import Path
from ui.application import make_app, open_for_gui, apply_language
from app.services import centre
from ui.login_dialog import LoginDialog
app = make_app()
db = open_for_gui(Path(sys.argv[1]))
apply_language(app, "da")
dialog = LoginDialog(db, centre.get_centre(db).name)
dialog.show()
app.processEvents()
assert dialog.isVisible()
"""


def ensure_demo(path: Path) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building the 10-year demo centre at {path} …", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", "demo", "--db", str(path), "--years", "10"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"  built in {time.perf_counter() - started:.1f} s")


def bench_start(path: Path, runs: int) -> list[float]:
    """Wall time of a new process until the login window is shown (imports included)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", _START_SCRIPT, str(path)], check=True, cwd=ROOT,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return times


def bench_in_process(path: Path, runs: int) -> tuple[list[float], list[float]]:
    from PySide6.QtWidgets import QApplication

    from app.db import Database
    from app.queries.residents import ResidentFilter
    from app.services import auth, centre
    from app.services import staff as staff_service
    from app.unit_of_work import SYSTEM
    from ui.application import apply_language, make_app
    from ui.context import AppContext
    from ui.main_window import MainWindow

    app = make_app()
    apply_language(app, "da")
    db = Database(str(path))
    leader = next(s for s in staff_service.list_staff(db, SYSTEM) if "centre_leader" in s.roles)
    main_times = []
    window = None
    for _ in range(runs):
        started = time.perf_counter()
        actor = auth.login(db, leader.username, "demo1234")
        window = MainWindow(AppContext(db, centre.get_centre(db), actor), lock_enabled=False)
        window.show()
        QApplication.processEvents()
        main_times.append(time.perf_counter() - started)
        window.close()
    window = MainWindow(AppContext(db, centre.get_centre(db), actor), lock_enabled=False)
    window.show()
    page = window.go("residents")
    page.include_former.setChecked(True)  # search everyone, current and former
    QApplication.processEvents()
    keystroke_times = []
    for word in ("mohammed", "ahmad", "karimi", "tesfaye", "1234", "syrien", "محمد"):
        for length in range(1, len(word) + 1):
            started = time.perf_counter()
            page.model.set_filter(ResidentFilter(text=word[:length], include_former=True))
            QApplication.processEvents()
            keystroke_times.append(time.perf_counter() - started)
    window.close()
    return main_times, keystroke_times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_demo(args.db)
    from app.db import Database
    from app.queries import residents

    db = Database(str(args.db))
    with db.read() as session:
        everyone = residents.count(session, residents.ResidentFilter(include_former=True))
        current = residents.count(session, residents.ResidentFilter())
    print(f"database: {args.db} ({everyone} residents, {current} current)")
    start = bench_start(args.db, args.runs)
    main_window, keystrokes = bench_in_process(args.db, args.runs)

    def line(name: str, values: list[float], target: float) -> None:
        median, worst = statistics.median(values), max(values)
        verdict = "OK" if median <= target else "OVER TARGET"
        print(f"{name:<34} median {median * 1000:7.1f} ms  max {worst * 1000:7.1f} ms  "
              f"(target {target * 1000:.0f} ms, n={len(values)})  {verdict}")

    line("start to login window", start, 1.5)
    line("login to usable main window", main_window, 1.0)
    line("resident filter per keystroke", keystrokes, 0.05)


if __name__ == "__main__":
    main()
