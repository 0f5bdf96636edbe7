"""Incident benchmark on a ``--years 10`` demo centre (run on demand).

    .venv/bin/python tests/benchmarks/bench_incidents.py [--db PATH] [--runs 100] [--no-gui]

Targets (issue 5): an incident saves in <= 50 ms; the trend view renders in <= 500 ms. A
measure passes when its 95th percentile is within the target. Measured:

* ``incidents.log_incident`` as night staff: a restraint with one resident and one use of
  force (every run saves a new incident in the working copy);
* ``incident_trends.incident_trends`` as the centre leader for the last 12 months and for
  all ten years (the periods the trend view offers);
* ``ui.incidents.trends.TrendsView``: built, loaded and painted offscreen, as opened (the
  last 12 months) and with "Everything" chosen;
* for information: ``outstanding_reports`` (the Today page's share) and ``list_incidents``
  (the incident log).

The demo database is built on first use and cached (default
``/tmp/centredesk-bench/demo-10y-incidents.db``, apart from the older benchmarks' caches,
which were built before the incident tables existed); every run works on a copy.
``--explain`` prints SQLite's query plans of the trend and numbering queries.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.demo_cache import ensure_demo, p95, timed  # noqa: E402

DEFAULT_DB = Path(tempfile.gettempdir()) / "centredesk-bench" / "demo-10y-incidents.db"
PASSWORD = "demo1234"
SAVE_TARGET = 0.050
TREND_TARGET = 0.500


def explain(db, since, until) -> None:
    """SQLite's plans for the trend queries and the incident numbering (as compiled)."""
    from sqlalchemy import func, select

    from app.models import Incident, IncidentResident, UseOfForce
    from app.services.incident_trends import _utc_start

    start, end = _utc_start(since), _utc_start(until + timedelta(days=1))
    live = (Incident.deleted_at.is_(None), Incident.voided_at.is_(None),
            Incident.happened_at >= start, Incident.happened_at < end)
    queries = {
        "trends: incidents": select(Incident.id, Incident.happened_at, Incident.kinds)
        .where(*live),
        "trends: residents involved": select(IncidentResident.incident_id,
                                             IncidentResident.resident_id, IncidentResident.role)
        .join(Incident, Incident.id == IncidentResident.incident_id)
        .where(*live, IncidentResident.deleted_at.is_(None)),
        "trends: uses of force": select(UseOfForce.started_at)
        .join(Incident, Incident.id == UseOfForce.incident_id)
        .where(Incident.deleted_at.is_(None), Incident.voided_at.is_(None),
               UseOfForce.deleted_at.is_(None), UseOfForce.started_at >= start,
               UseOfForce.started_at < end),
        "log_incident: next number": select(func.max(Incident.number))
        .where(Incident.number.like(f"{until.year}-%")),
    }
    with db.read() as session:
        connection = session.connection()
        for name, query in queries.items():
            compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
            print(f"{name}:")
            for row in rows:
                print(f"    {row[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB,
                        help="the 10-year demo database (built there if missing)")
    parser.add_argument("--runs", type=int, default=100, help="repetitions per measure")
    parser.add_argument("--no-gui", action="store_true", help="skip the trend view")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()
    ensure_demo(args.db, ("incident",))

    from sqlalchemy import func, select

    from app.db import open_database
    from app.formatting import local_today, utcnow
    from app.models import Incident, IncidentReport, Resident, UseOfForce
    from app.services import auth, incidents

    try:
        from app.services import incident_trends
    except ImportError as error:  # the trend service is a separate piece of work
        print(f"trend service not measured: {error}")
        incident_trends = None

    work = Path(tempfile.mkdtemp(prefix="bench-incidents-")) / "demo.db"
    shutil.copy(args.db, work)
    db = open_database(str(work))  # a cached database from an older schema is upgraded
    results: list[tuple[str, list[float], float | None]] = []
    try:
        night = auth.login(db, "nat1", PASSWORD)
        leader = auth.login(db, "leder1", PASSWORD)
        with db.read() as session:
            count = session.scalar(select(func.count()).select_from(Incident))
            forces = session.scalar(select(func.count()).select_from(UseOfForce))
            reports = session.scalar(select(func.count()).select_from(IncidentReport))
            residents = list(session.scalars(select(Resident.id).where(
                Resident.status == "in_residence", Resident.deleted_at.is_(None))))
        print(f"database: {args.db} ({count} incidents, {forces} uses of force, {reports} "
              f"reports; {len(residents)} residents living here)")
        today = local_today()
        year_ago = today.replace(day=1) - timedelta(days=330)
        year_start = year_ago.replace(day=1)
        if args.explain:
            explain(db, year_start, today)

        if incident_trends is not None:
            first = incident_trends.first_incident_day(db, leader) or today
            year = incident_trends.incident_trends(db, leader, since=year_start, until=today)
            everything = incident_trends.incident_trends(db, leader, since=first.replace(day=1),
                                                         until=today)
            print(f"trends: last 12 months {year.total} incidents, "
                  f"{len(year.residents)} residents involved repeatedly; everything "
                  f"{everything.total} incidents, {len(everything.residents)} residents")
            results.append((f"incident_trends, last 12 months ({year.total})",
                            timed(lambda: incident_trends.incident_trends(
                                db, leader, since=year_start, until=today), args.runs),
                            TREND_TARGET))
            results.append((f"incident_trends, everything ({everything.total})",
                            timed(lambda: incident_trends.incident_trends(
                                db, leader, since=first.replace(day=1), until=today),
                                args.runs), TREND_TARGET))

        def waiting() -> object:
            with db.read() as session:
                return incidents.outstanding_reports(session)

        results.append(("    outstanding_reports (Today page, info)",
                        timed(waiting, args.runs), None))
        results.append(("    list_incidents (incident log, info)",
                        timed(lambda: incidents.list_incidents(db, leader),
                              max(10, args.runs // 5)), None))
        if not args.no_gui and incident_trends is not None:
            results.extend(bench_view(db, leader, max(10, args.runs // 5)))
        # Saving comes last: the incidents it adds would count in the trends.
        turn = [0]

        def save() -> object:
            turn[0] += 1
            now = utcnow()
            resident = residents[turn[0] % len(residents)]
            happened = now - timedelta(minutes=25)
            return incidents.log_incident(db, night, incidents.IncidentInput(
                happened_at=happened, noticed_at=happened, place="Fællesrummet",
                kinds=("restraint",), residents=((resident, "causing"),),
                staff_ids=(night.staff_id,),
                description="Slog ud efter en anden beboer; holdt fast, til han faldt til ro.",
                immediate_actions=("separated",),
                uses_of_force=(incidents.ForceInput(
                    resident_id=resident, kind="restraint", started_at=happened,
                    ended_at=happened + timedelta(minutes=6),
                    reason="Til fare for sig selv og andre.", decided_by=night.staff_id),)),
                now=now)

        save()  # the first save loads the mappers and warms the caches
        results.insert(0, ("log_incident (restraint, 1 resident, 1 force)",
                           timed(save, args.runs), SAVE_TARGET))

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


def bench_view(db, actor, runs: int) -> list[tuple[str, list[float], float]]:
    """Opening the trend view as the leader does: build it, let it load and paint
    (offscreen); as opened (the last 12 months) and with "Everything" chosen."""
    try:
        from ui.incidents.trends import TrendsView
    except ImportError as error:
        print(f"trend view not measured: {error}")
        return []
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from app.services import centre
    from ui.application import apply_language, make_app
    from ui.context import AppContext

    def quiet(_kind, _context, message: str) -> None:
        # The offscreen platform says so on every window shown; everything else is printed.
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(quiet)
    app = make_app()
    apply_language(app, "da")
    ctx = AppContext(db, centre.get_centre(db), actor)

    def show(period: str | None) -> None:
        view = TrendsView(ctx)
        if period is not None:
            view.period.setCurrentIndex(view.period.findData(period))
        view.resize(1280, 900)
        view.show()
        QApplication.processEvents()
        view.close()
        view.deleteLater()

    show(None)  # Qt's first window costs font and style loading once per program
    QApplication.processEvents()
    opened = timed(lambda: show(None), runs)
    everything = timed(lambda: show("all"), runs)
    del app
    return [("TrendsView(ctx) shown (last 12 months)", opened, TREND_TARGET),
            ('TrendsView(ctx), "Everything" chosen, shown', everything, TREND_TARGET)]


if __name__ == "__main__":
    main()
