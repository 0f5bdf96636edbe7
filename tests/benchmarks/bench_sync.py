"""Issue 7 benchmark: export a 10-year demo centre to a sync file and import it into
PostgreSQL; the same rows loaded by a plain COPY in the same run as the reference.

    .venv/bin/python tests/benchmarks/bench_sync.py [--rounds N] [--keep]

Targets: export >= 50,000 changes/s; import >= 30% of plain COPY throughput; peak memory
< 500 MB (export and import each run in a child process; their peak RSS is reported).
Needs the Debian ``postgresql`` package (the server is started on loopback like in tests).

Two plain COPY references are measured, both straight from the centre's SQLite file:
into tables of the head-office mirror's definition (same column types, keys and indexes,
logged) in a fresh database, which is where the import has to put the rows, and into
temporary all-text tables without keys (no write-ahead log, nothing to check or index),
the cheapest load PostgreSQL can do. The import is compared with both, over a few rounds
(default 3, each on fresh databases; the medians are compared: a shared 2-core machine
varies by a fifth from run to run).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.demo_cache import ensure_demo

CACHE = Path("/tmp/centredesk-bench/demo-10y-sync.db")
TABLES = ("sync_change", "attendance_mark", "incident", "allowance_decision")


def _child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line; add its peak RSS."""
    env = {**os.environ, "CENTREDESK_DEVICE_SECRET": "bench"}
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return data


EXPORT = """
import json, resource, sys, time
from pathlib import Path
from app.db import open_database
from app.sync import centre
from app.sync.keys import HeadOfficeKeys
db = open_database(sys.argv[1])
keys = HeadOfficeKeys.generate()
centre.set_recipient(db, keys.public_file_text())
Path(sys.argv[3]).write_bytes(keys.private_file_bytes(b"bench", scrypt_n=2**14))
Path(sys.argv[4]).write_text(centre.device_public_text(db))
started = time.perf_counter()
result = centre.export_changes(db, Path(sys.argv[2]), since_seq=0)
seconds = time.perf_counter() - started
print(json.dumps({"changes": result.change_count, "seconds": seconds, "path": str(result.path),
                  "bytes": result.path.stat().st_size,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

IMPORT = """
import json, resource, sys, time
from pathlib import Path
from app.sync import headoffice
from app.sync.keys import load_headoffice_private
keys = load_headoffice_private(Path(sys.argv[3]).read_bytes(), b"bench")
ho = headoffice.open_headoffice(sys.argv[1])
if "--known" not in sys.argv:
    headoffice.trust_device(ho, Path(sys.argv[4]).read_text())
started = time.perf_counter()
result = headoffice.import_file(ho, keys, Path(sys.argv[2]))
seconds = time.perf_counter() - started
assert result.ok, result.describe()
print(json.dumps({"seconds": seconds, "result": result.describe(),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

EXPORT_AGAIN = """
import json, sys
from pathlib import Path
from app.db import open_database
from app.sync import centre
result = centre.export_changes(open_database(sys.argv[1]), Path(sys.argv[2]), since_seq=0)
print(json.dumps({"path": str(result.path)}))
"""

MIRROR_COPY = """
import json, sqlite3, sys, time, uuid
import psycopg
from psycopg import sql
from app.sync import headoffice
from app.sync.payload import synced_tables, exported_columns
ho = headoffice.open_headoffice(sys.argv[1])
ho.close()
source = sqlite3.connect(sys.argv[2])
origin = ("BENCH", uuid.uuid4(), 1, 0, uuid.uuid4())
rows = 0
with psycopg.connect(sys.argv[1].replace("+psycopg", "")) as conn:
    conn.execute("SET TIME ZONE 'UTC'")   # SQLite holds naive UTC timestamps
    started = time.perf_counter()
    present = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for name, table in synced_tables().items():
        if name not in present:
            continue
        columns = [*exported_columns(table), "sync_centre", "sync_device", "sync_seq",
                   "sync_base", "sync_file"]
        with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, columns)))) as copy:
            quoted = ", ".join(f'"{c}"' for c in exported_columns(table))
            for row in source.execute(f'SELECT {quoted} FROM "{name}"'):
                copy.write_row(row + origin)
                rows += 1
    conn.commit()
    seconds = time.perf_counter() - started
print(json.dumps({"rows": rows, "seconds": seconds}))
"""

COPY = """
import json, sqlite3, sys, time, io
import psycopg
from app.sync.payload import synced_tables, exported_columns
source = sqlite3.connect(sys.argv[2])
rows = 0
with psycopg.connect(sys.argv[1]) as conn:
    started = time.perf_counter()
    present = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for name, table in synced_tables().items():
        if name not in present:
            continue
        columns = exported_columns(table)
        conn.execute(f'CREATE TEMP TABLE "copy_{name}" (' +
                     ", ".join(f'"{c}" text' for c in columns) + ")")
        with conn.cursor().copy(f'COPY "copy_{name}" FROM STDIN') as copy:
            quoted = ", ".join(f'"{c}"' for c in columns)
            for row in source.execute(f'SELECT {quoted} FROM "{name}"'):
                copy.write_row(row)
                rows += 1
    conn.commit()
    seconds = time.perf_counter() - started
print(json.dumps({"rows": rows, "seconds": seconds}))
"""


def main() -> None:
    ensure_demo(CACHE, TABLES)
    workdir = Path(tempfile.mkdtemp(prefix="centredesk-bench-sync-"))
    os.chmod(workdir, 0o777)
    centre_db = workdir / "centre.db"
    shutil.copy(CACHE, centre_db)
    out = workdir / "out"
    out.mkdir()
    key, device = workdir / "headoffice.key", workdir / "device.json"
    export = _child(EXPORT, str(centre_db), str(out), str(key), str(device))
    print(f"export: {export['changes']:,} changes in {export['seconds']:.1f} s = "
          f"{export['changes'] / export['seconds']:,.0f} changes/s; file "
          f"{export['bytes'] / 2**20:.1f} MiB; peak RSS {export['peak_mb']:.0f} MB")
    from tests.postgres import PostgresServer

    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    server = PostgresServer()
    server.start()
    try:
        rates: dict[str, list[float]] = {"import": [], "mirror": [], "plain": []}
        for number in range(1, rounds + 1):
            # each round on fresh databases: the import is an installation's first file
            url = server.create_database(f"centredesk_bench_{number}")
            imported = _child(IMPORT, url, export["path"], str(key), str(device))
            rates["import"].append(export["changes"] / imported["seconds"])
            print(f"round {number}: import into PostgreSQL {imported['seconds']:.1f} s = "
                  f"{rates['import'][-1]:,.0f} rows/s, peak RSS {imported['peak_mb']:.0f} MB "
                  f"({imported['result']})")
            mirror = _child(MIRROR_COPY, server.create_database(f"centredesk_ref_{number}"),
                            str(centre_db))
            rates["mirror"].append(mirror["rows"] / mirror["seconds"])
            plain = _child(COPY, url.replace("+psycopg", ""), str(centre_db))
            rates["plain"].append(plain["rows"] / plain["seconds"])
            print(f"round {number}: plain COPY of the same rows into tables of the mirror's "
                  f"definition {mirror['seconds']:.1f} s = {rates['mirror'][-1]:,.0f} rows/s; "
                  f"into unindexed temporary text tables {plain['seconds']:.1f} s = "
                  f"{rates['plain'][-1]:,.0f} rows/s")
        # the centre re-sends everything (its receipt was lost): every row is looked up and
        # found older or already held, the way any later file is imported
        again = workdir / "again"
        again.mkdir()
        resent = _child(EXPORT_AGAIN, str(centre_db), str(again))
        reimported = _child(IMPORT, server.url("centredesk_bench_1"), resent["path"],
                            str(key), str(device), "--known")
        print(f"the same changes re-sent to a head office holding them: "
              f"{reimported['seconds']:.1f} s = "
              f"{export['changes'] / reimported['seconds']:,.0f} changes/s, peak RSS "
              f"{reimported['peak_mb']:.0f} MB ({reimported['result']})")
        middle = {name: statistics.median(values) for name, values in rates.items()}
        print(f"median of {rounds}: import {middle['import']:,.0f} rows/s = "
              f"{100 * middle['import'] / middle['mirror']:.0f}% of plain COPY into the "
              f"mirror's tables ({middle['mirror']:,.0f} rows/s), "
              f"{100 * middle['import'] / middle['plain']:.0f}% of plain COPY into temporary "
              f"text tables ({middle['plain']:,.0f} rows/s) (target >= 30%)")
    finally:
        server.stop()
        if "--keep" not in sys.argv:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
