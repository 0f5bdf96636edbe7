"""What the benchmark scripts share: a cached 10-year demo centre and the timing helpers."""

from __future__ import annotations

import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def has_rows(path: Path, tables: tuple[str, ...]) -> bool:
    """Whether the database at ``path`` has rows in every one of ``tables``."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            return all(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
                       for table in tables)
    except sqlite3.Error:
        return False


def ensure_demo(path: Path, tables: tuple[str, ...]) -> None:
    """Build the 10-year demo centre unless a cached one with rows in ``tables`` is there
    (an older cache without them is rebuilt)."""
    if path.exists() and has_rows(path, tables):
        return
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"building the 10-year demo centre at {path} …", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", "demo", "--db", str(path), "--years", "10"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"  built in {time.perf_counter() - started:.1f} s")


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
