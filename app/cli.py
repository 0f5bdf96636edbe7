"""The ``centredesk`` command line: the headless commands, and the choice to start the GUI.

The core knows nothing of the GUI: ``ui.launcher`` (the console script) passes a
``start_gui`` function in. Without one, as on a head-office server with only the core,
``centredesk`` without a command says the desktop program is not installed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from collections.abc import Callable
from pathlib import Path

from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, set_language


def default_db_path() -> Path:
    if os.environ.get("CENTREDESK_DB"):
        return Path(os.environ["CENTREDESK_DB"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "CentreDesk" / "centredesk.db"
    base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "centredesk" / "centredesk.db"


def _parser() -> argparse.ArgumentParser:
    # SUPPRESS: an option given before the command must not be reset by the command's default.
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--db", help=_("database file (default: $CENTREDESK_DB or the user's "
                                       "data folder)"))
    common.add_argument("--lang", choices=sorted(LANGUAGES),
                        help=_("language of messages and forms (default: Danish)"))
    parser = argparse.ArgumentParser(
        prog="centredesk", parents=[common],
        description=_("Centre Desk for children's centres. Without a command: start the program."))
    parser.add_argument("--self-test", action="store_true",
                        help=_("open the main window without a login, check it, and exit"))
    commands = parser.add_subparsers(dest="command", metavar=_("command"))

    init = commands.add_parser("init", parents=[common], help=_("create a new centre database"))
    init.add_argument("--centre-name", required=True, help=_("the centre's name"))
    init.add_argument("--centre-code", help=_("short code, e.g. SANDHOLM (default: from the name)"))
    init.add_argument("--admin", required=True, help=_("user name of the first administrator"))
    init.add_argument("--admin-name", help=_("full name of the first administrator"))
    init.add_argument("--password-file", help=_("read the password from this file instead of "
                                                "standard input"))

    demo = commands.add_parser("demo", parents=[common], help=_("build a realistic demo centre"))
    demo.add_argument("--residents", type=int, default=78, help=_("places at the centre"))
    demo.add_argument("--years", type=int, default=1, help=_("years of history to simulate"))
    demo.add_argument("--seed", type=int, default=1, help=_("random seed"))

    due = commands.add_parser("due", parents=[common], help=_("print what is due"))
    due.add_argument("--at", help=_("the moment to ask about, ISO 8601 (default: now)"))
    due.add_argument("--json", action="store_true", help=_("print JSON"))

    commands.add_parser("upgrade", parents=[common],
                        help=_("upgrade the database to the current schema (after a backup)"))
    from app.sync.cli import add_commands

    add_commands(commands, common)
    return parser


def _fail(message: str, code: int = 2) -> int:
    print(_("centredesk: {message}").format(message=message), file=sys.stderr)
    return code


def _read_password(args: argparse.Namespace) -> str:
    if args.password_file:
        return Path(args.password_file).read_text(encoding="utf-8").splitlines()[0]
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(_("Password for {user}: ").format(user=args.admin))
    return sys.stdin.readline().rstrip("\r\n")


def _cmd_init(args: argparse.Namespace, db_path: Path) -> int:
    from app.db import open_database
    from app.errors import DomainError
    from app.services import centre

    if db_path.exists() and db_path.stat().st_size > 0:
        return _fail(_("{path} exists already; choose another file.").format(path=db_path))
    try:
        password = _read_password(args)
    except (OSError, IndexError) as error:
        return _fail(_("could not read the password: {error}").format(error=error))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db = open_database(db_path)
    try:
        view = centre.initialise_centre(
            db, centre_name=args.centre_name,
            centre_code=args.centre_code or centre.suggest_code(args.centre_name),
            admin_username=args.admin, admin_full_name=args.admin_name or args.admin,
            admin_password=password)
    except DomainError as error:
        return _fail(error.message)
    finally:
        db.close()
    print(_("Created centre {name} ({code}) in {path}.").format(name=view.name, code=view.code,
                                                                path=db_path))
    return 0


def _cmd_demo(args: argparse.Namespace, db_path: Path) -> int:
    from app import demo

    if args.residents < 4 or args.years < 1:
        return _fail(_("a demo centre needs at least 4 places and 1 year."))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists() and db_path.stat().st_size > 0:
        return _fail(_("{path} exists already; choose another file.").format(path=db_path))
    result = None
    for step in demo.generate(db_path, places=args.residents, years=args.years, seed=args.seed):
        if isinstance(step, demo.DemoResult):
            result = step
        elif sys.stderr.isatty():
            print(f"\r{step.message} {step.done}/{step.total}", end="", file=sys.stderr)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    assert result is not None
    print(demo.describe(result, db_path))
    return 0


def _cmd_due(args: argparse.Namespace, db_path: Path) -> int:
    from app.db import open_database
    from app.formatting import format_datetime, utcnow
    from app.queries.due import due_duties

    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            return _fail(_("--at {value} is not an ISO 8601 date and time.").format(value=args.at))
        if at.tzinfo is None:
            from app.formatting import LOCAL_TZ

            at = at.replace(tzinfo=LOCAL_TZ)
    else:
        at = utcnow()
    db = open_database(db_path)
    try:
        with db.read() as session:
            duties = due_duties(session, at)
    finally:
        db.close()
    if args.json:
        print(json.dumps([d.as_json() for d in duties], ensure_ascii=False, indent=2))
    elif not duties:
        print(_("Nothing is due."))
    else:
        from app.queries.due import severity_label

        for duty in duties:
            print(f"[{severity_label(duty.severity)}] {format_datetime(duty.due_at)}  {duty.title}")
    return 0


# (database path, self-test?, language or None) -> exit code
GuiStarter = Callable[[Path, bool, str | None], int]


def main(argv: list[str] | None = None, *, start_gui: GuiStarter | None = None) -> int:
    language = os.environ.get("CENTREDESK_LANG", DEFAULT_LANGUAGE)
    set_language(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    args = _parser().parse_args(argv)
    args.lang = getattr(args, "lang", None)
    args.db = getattr(args, "db", None)
    if args.lang:
        set_language(args.lang)
    db_path = Path(args.db).expanduser() if args.db else default_db_path()
    if args.command is None:
        if start_gui is None:
            return _fail(_("the desktop program is not part of this installation; use one of "
                           "the commands (centredesk --help)."))
        return start_gui(db_path, args.self_test, args.lang)
    if args.command == "init":
        return _cmd_init(args, db_path)
    if args.command == "demo":
        return _cmd_demo(args, db_path)
    if args.command == "headoffice":
        from app.sync.cli import run_headoffice

        return run_headoffice(args)
    if not db_path.exists():
        return _fail(_("there is no database at {path}.").format(path=db_path))
    if args.command == "due":
        return _cmd_due(args, db_path)
    if args.command == "sync":
        from app.sync.cli import run_sync

        return run_sync(args, db_path)
    if args.command == "upgrade":
        from app.db import Database, upgrade_to_head

        db = Database(str(db_path))
        try:
            backup = upgrade_to_head(db)
        finally:
            db.close()
        print(_("The database is up to date.") if backup is None
              else _("Upgraded; the old file was copied to {path}.").format(path=backup))
        return 0
    return _fail(_("unknown command"))


if __name__ == "__main__":
    raise SystemExit(main())
