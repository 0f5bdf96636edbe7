"""Shift-observation benchmark on a ``--years 10`` demo centre (run on demand).

    .venv/bin/python tests/benchmarks/bench_notes.py [--db PATH] [--runs 100]

Targets (issue 4): opening My residents <= 300 ms, a resident's full note history <= 300 ms,
full-text search over all notes <= 200 ms. A measure passes when its 95th percentile is
within the target. Measured (core services, each call audited as in the program):

* ``caseload.my_residents`` for the contact person with the most residents;
* ``observations.read_notes`` as the centre leader for the resident with the most notes;
* ``observations.search`` as the leader (every note readable) and as a contact person (only
  their residents' notes) for common and rare words, Danish and Arabic;
* for information: ``write_observations`` for seven residents at once, and
  ``caseload.caseload_balance``.

The demo database is built on first use and cached (default
``/tmp/centredesk-bench/demo-10y-notes.db``, apart from the older benchmarks' caches, built
before the notes tables existed); every run works on a copy.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.demo_cache import ensure_demo, p95, timed

DEFAULT_DB = Path(tempfile.gettempdir()) / "centredesk-bench" / "demo-10y-notes.db"
PASSWORD = "demo1234"
LIST_TARGET = 0.300
HISTORY_TARGET = 0.300
SEARCH_TARGET = 0.200
WORDS = ("skole", "glad", "fodbold mor", "mareridt", "بخير", "football")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="the 10-year demo database (built there if missing)")
    parser.add_argument("--runs", type=int, default=100, help="repetitions per measure")
    args = parser.parse_args()
    ensure_demo(args.db, ("observation", "development_plan", "plan_review"))

    from sqlalchemy import func, select

    from app.db import open_database
    from app.models import ContactAssignment, Observation, Resident, Staff
    from app.services import auth, caseload
    from app.services import observations as obs

    work = Path(tempfile.mkdtemp(prefix="bench-notes-")) / "demo.db"
    shutil.copy(args.db, work)
    db = open_database(str(work))
    results: list[tuple[str, list[float], float | None]] = []
    try:
        with db.read() as session:
            notes = session.scalar(select(func.count()).select_from(Observation))
            busiest, most = session.execute(
                select(Observation.resident_id, func.count()).group_by(Observation.resident_id)
                .order_by(func.count().desc()).limit(1)).one()
            contact = session.scalar(
                select(Staff.username)
                .join(ContactAssignment, ContactAssignment.staff_id == Staff.id)
                .join(Resident, Resident.id == ContactAssignment.resident_id)
                .where(ContactAssignment.ended_on.is_(None), Resident.moved_out_on.is_(None),
                       Staff.active.is_(True))
                .group_by(Staff.username).order_by(func.count().desc()).limit(1))
        leader = auth.login(db, "leder1", PASSWORD)
        karen = auth.login(db, contact, PASSWORD)
        mine = caseload.my_residents(db, karen)
        print(f"database: {args.db} ({notes} notes); {contact} has {len(mine)} residents; "
              f"the longest history has {most} notes")

        results.append((f"my_residents ({len(mine)} residents)",
                        timed(lambda: caseload.my_residents(db, karen), args.runs), LIST_TARGET))
        results.append((f"read_notes ({most} notes)",
                        timed(lambda: obs.read_notes(db, leader, busiest), args.runs),
                        HISTORY_TARGET))
        for word in WORDS:
            for who, actor in (("leader", leader), ("contact", karen)):
                hits = len(obs.search(db, actor, word).hits)
                results.append((f"search {word!r} as {who} ({hits} hits)",
                                timed(lambda a=actor, w=word: obs.search(db, a, w), args.runs),
                                SEARCH_TARGET))
        results.append(("    caseload_balance (info)",
                        timed(lambda: caseload.caseload_balance(db, leader), args.runs), None))

        def write() -> object:
            return obs.write_observations(db, karen, [
                obs.ObservationInput(r.resident_id, "Rolig aften; spillede kort med de andre.",
                                     categories=("social",)) for r in mine[:7]])

        write()
        results.append((f"    write_observations ({min(7, len(mine))} residents, info)",
                        timed(write, max(10, args.runs // 5)), None))
    finally:
        db.close()
        shutil.rmtree(work.parent, ignore_errors=True)

    print()
    print(f"{'measure':<50}{'n':>5}{'median':>11}{'p95':>11}{'target':>10}  result")
    for name, values, target in results:
        verdict = "" if target is None else ("PASS" if p95(values) <= target else "FAIL")
        shown = "—" if target is None else f"{target * 1000:.0f} ms"
        print(f"{name:<50}{len(values):>5}{statistics.median(values) * 1000:>8.1f} ms"
              f"{p95(values) * 1000:>8.1f} ms{shown:>10}  {verdict}")
    print("PASS: the 95th percentile is within the target.")


if __name__ == "__main__":
    main()
