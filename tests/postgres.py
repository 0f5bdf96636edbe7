"""A throwaway PostgreSQL server on loopback for the head office tests.

``PostgresServer`` runs ``initdb`` into a temporary directory, starts the server on a
free port of 127.0.0.1 (Unix socket in the same directory, ``fsync=off``), creates
databases on request and removes everything again on ``stop``. It uses the newest
``/usr/lib/postgresql/*/bin`` (Debian's ``postgresql`` package).

PostgreSQL refuses to run as root, so when the tests run as root (CI) every server
command runs as the ``postgres`` user through ``runuser`` and the temporary directory
belongs to that user.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self

PG_ROOT = Path("/usr/lib/postgresql")
SERVER_USER = "postgres"
SUPERUSER = "postgres"

SETUP_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl) were not found under "
    f"{PG_ROOT}/*/bin. The head office tests start a real PostgreSQL server: run the "
    "test setup first, i.e. as root:\n"
    "  mkdir -p /etc/postgresql-common/createcluster.d && "
    "echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/00-ci.conf\n"
    "  apt-get update && apt-get install -y --no-install-recommends postgresql\n"
    "and install the driver into the virtualenv: pip install 'psycopg[binary]>=3.1'"
)


class PostgresUnavailable(RuntimeError):
    """The server cannot be run here; the message says how to set it up."""


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.parent.name)) or (0,)


def find_bin_dir(root: Path | None = None) -> Path:
    """The ``bin`` directory of the newest installed PostgreSQL server."""
    candidates = [d for d in (root or PG_ROOT).glob("*/bin")
                  if (d / "initdb").is_file() and (d / "pg_ctl").is_file()]
    if not candidates:
        raise PostgresUnavailable(SETUP_HINT)
    return max(candidates, key=_version_key)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _traversable_by(directory: Path, user: pwd.struct_passwd) -> bool:
    """Whether ``user`` may pass through ``directory`` and every directory above it."""
    groups = {user.pw_gid} | {g for g in os.getgrouplist(user.pw_name, user.pw_gid)}
    for part in [directory, *directory.parents]:
        mode = part.stat()
        if mode.st_uid == user.pw_uid:
            bit = stat.S_IXUSR
        elif mode.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not mode.st_mode & bit:
            return False
    return True


class PostgresServer:
    """One throwaway server: ``start()``, ``create_database(name)``, ``url(name)``, ``stop()``."""

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.port: int | None = None
        self.base_dir: Path | None = None
        self._as_user: pwd.struct_passwd | None = None
        if os.geteuid() == 0:
            try:
                self._as_user = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise PostgresUnavailable(
                    f"running as root, but there is no '{SERVER_USER}' user to run PostgreSQL "
                    f"as (initdb refuses root).\n{SETUP_HINT}") from None
            if shutil.which("runuser") is None:
                raise PostgresUnavailable("running as root, but 'runuser' is missing (util-linux)")

    # --- paths --------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None, "server not started"
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        assert self.base_dir is not None, "server not started"
        return self.base_dir / "server.log"

    def url(self, database: str = "postgres") -> str:
        assert self.port is not None, "server not started"
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        assert self.port is not None, "server not started"
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    # --- running commands -----------------------------------------------------------

    def _run(self, *args: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self._as_user is not None:
            command = ["runuser", "-u", self._as_user.pw_name, "--", *command]
        result = subprocess.run(command, cwd=self.base_dir, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=60, check=False)
        if result.returncode != 0:
            log = ""
            if self.base_dir is not None and self.log_file.exists():
                log = self.log_file.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"{shlex.join(command)} failed ({result.returncode}):\n"
                               f"{result.stdout}{result.stderr}{log}")
        return result

    def _make_base_dir(self) -> Path:
        parent = Path(tempfile.gettempdir())
        if self._as_user is not None and not _traversable_by(parent, self._as_user):
            parent = Path("/tmp")  # TMPDIR under e.g. /root: the server user cannot reach it
        base = Path(tempfile.mkdtemp(prefix="centredesk-pg-", dir=parent))
        if self._as_user is not None:
            os.chown(base, self._as_user.pw_uid, self._as_user.pw_gid)
        return base

    # --- life cycle -----------------------------------------------------------------

    def start(self, attempts: int = 3) -> PostgresServer:
        self.base_dir = self._make_base_dir()
        try:
            self._run(self.bin_dir / "initdb", "-D", self.data_dir, "-U", SUPERUSER,
                      "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            for attempt in range(attempts):
                self.port = _free_port()
                options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                           f"-k {shlex.quote(str(self.base_dir))} -c fsync=off "
                           "-c synchronous_commit=off -c full_page_writes=off")
                try:
                    self._run(self.bin_dir / "pg_ctl", "-D", self.data_dir, "-l", self.log_file,
                              "-w", "-t", "30", "-o", options, "start")
                    break
                except RuntimeError:
                    # Most likely someone took the port between picking and binding it.
                    if attempt == attempts - 1:
                        raise
        except BaseException:
            self._remove_base_dir()
            raise
        return self

    def stop(self) -> None:
        if self.base_dir is None:
            return
        try:
            if (self.data_dir / "postmaster.pid").exists():
                self._run(self.bin_dir / "pg_ctl", "-D", self.data_dir, "-m", "fast", "-w",
                          "stop")
        finally:
            self._remove_base_dir()

    def _remove_base_dir(self) -> None:
        if self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None
            self.port = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # --- databases ------------------------------------------------------------------

    def create_database(self, name: str) -> str:
        """Create an empty UTF-8 database; returns its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'")
                         .format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                         .format(sql.Identifier(name)))
