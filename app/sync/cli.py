"""``centredesk sync …`` (at a centre) and ``centredesk headoffice …`` (at head office)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from app.i18n import _

PASSPHRASE_ENV = "CENTREDESK_KEY_PASSPHRASE"


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    sync = commands.add_parser("sync", parents=[common],
                               help=_("sync files to head office (at a centre)"))
    sync_commands = sync.add_subparsers(dest="sync_command", metavar=_("command"),
                                        required=True)
    export = sync_commands.add_parser(
        "export", parents=[common], help=_("write a sync file with every change head office "
                                           "has not confirmed"))
    export.add_argument("--out", required=True, help=_("folder to write the file to"))
    export.add_argument("--since-seq", type=int,
                        help=_("re-send every change after this sequence number"))
    recipient = sync_commands.add_parser(
        "set-recipient", parents=[common], help=_("store head office's public key"))
    recipient.add_argument("file", help=_("headoffice.pub from head office"))
    device = sync_commands.add_parser(
        "device-key", parents=[common],
        help=_("write this installation's public key for head office to trust"))
    device.add_argument("--out", required=True, help=_("file to write"))
    receipt = sync_commands.add_parser(
        "receipt", parents=[common], help=_("read head office's receipt"))
    receipt.add_argument("file", help=_("the receipt file from head office"))
    sync_commands.add_parser("status", parents=[common], help=_("what waits to be sent"))

    office = commands.add_parser("headoffice", parents=[common],
                                 help=_("keys and imports at head office"))
    office_commands = office.add_subparsers(dest="office_command", metavar=_("command"),
                                            required=True)
    keygen = office_commands.add_parser(
        "keygen", parents=[common], help=_("create head office's key pairs"))
    keygen.add_argument("--out", required=True, help=_("folder for headoffice.pub and "
                                                       "headoffice.key"))
    keygen.add_argument("--passphrase-file", help=_("read the passphrase from this file"))
    trust = office_commands.add_parser(
        "trust", parents=[common], help=_("register a centre installation's public key"))
    trust.add_argument("file", help=_("the device key file from the centre"))
    imp = office_commands.add_parser("import", parents=[common], help=_("import sync files"))
    imp.add_argument("--key", required=True, help=_("head office's private key file"))
    imp.add_argument("--passphrase-file", help=_("read the passphrase from this file"))
    imp.add_argument("--trust-on-first-import", action="store_true",
                     help=_("trust the device key file given with --device-key for a device "
                            "head office does not know yet"))
    imp.add_argument("--device-key", help=_("a centre installation's public key file (with "
                                            "--trust-on-first-import)"))
    imp.add_argument("files", nargs="+", help=_("sync files"))
    rec = office_commands.add_parser("receipt", parents=[common],
                                     help=_("write a signed receipt for a centre"))
    rec.add_argument("--key", required=True, help=_("head office's private key file"))
    rec.add_argument("--passphrase-file", help=_("read the passphrase from this file"))
    rec.add_argument("--centre", required=True, help=_("centre code"))
    rec.add_argument("--out", required=True, help=_("folder to write the receipt to"))
    office_commands.add_parser("conflicts", parents=[common],
                               help=_("records two installations changed independently"))
    office_commands.add_parser("status", parents=[common],
                               help=_("the supervision overview per centre"))


def _fail(message: str, code: int = 2) -> int:
    print(_("centredesk: {message}").format(message=message), file=sys.stderr)
    return code


def _passphrase(args: argparse.Namespace, *, confirm: bool = False) -> bytes:
    if getattr(args, "passphrase_file", None):
        lines = Path(args.passphrase_file).read_text(encoding="utf-8").splitlines()
        if not lines or not lines[0]:
            raise ValueError(_("the passphrase file is empty"))
        return lines[0].encode()
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV].encode()
    if not sys.stdin.isatty():
        raise ValueError(_("no passphrase: give --passphrase-file or set {env}").format(
            env=PASSPHRASE_ENV))
    import getpass

    first = getpass.getpass(_("Passphrase for head office's private key: "))
    if confirm and getpass.getpass(_("The same passphrase again: ")) != first:
        raise ValueError(_("the two passphrases differ"))
    if not first:
        raise ValueError(_("the passphrase is empty"))
    return first.encode()


def run_sync(args: argparse.Namespace, db_path: Path) -> int:
    from app.db import open_database
    from app.errors import DomainError
    from app.sync import centre

    db = open_database(db_path)
    try:
        if args.sync_command == "export":
            out = Path(args.out)
            if args.since_seq is not None and args.since_seq < 0:
                return _fail(_("--since-seq must be 0 or more."))
            result = centre.export_changes(db, out, since_seq=args.since_seq)
            if result is None:
                print(_("Nothing to export: head office has every change."), file=sys.stderr)
                return 0
            print(result.path)
            return 0
        if args.sync_command == "set-recipient":
            public = centre.set_recipient(db, Path(args.file).read_text(encoding="utf-8"))
            print(_("Head office's key {key_id} is set.").format(key_id=public.key_id))
            return 0
        if args.sync_command == "device-key":
            out = Path(args.out)
            if out.exists():
                return _fail(_("{path} exists already.").format(path=out))
            out.write_text(centre.device_public_text(db), encoding="utf-8")
            print(_("Wrote {path}; the key's fingerprint is {fingerprint}.").format(
                path=out, fingerprint=centre.device_key(db).fingerprint))
            return 0
        if args.sync_command == "receipt":
            try:
                doc = json.loads(Path(args.file).read_text(encoding="utf-8"))
            except (ValueError, UnicodeDecodeError):
                return _fail(_("{path} is not a receipt (not JSON).").format(path=args.file))
            acked = centre.import_receipt(db, doc)
            print(_("Head office confirms every change up to number {seq}.").format(seq=acked))
            return 0
        if args.sync_command == "status":
            state = centre.state(db)
            print(_("Centre {code}, installation {device} (key {fingerprint})").format(
                code=state.centre_code, device=state.device_id,
                fingerprint=state.device_fingerprint))
            print(_("Changes waiting for head office: {count}").format(count=state.waiting))
            print(_("Confirmed by head office up to: {seq}").format(seq=state.acked_seq))
            return 0
    except OSError as error:
        return _fail(str(error))
    except DomainError as error:
        return _fail(error.message)
    finally:
        db.close()
    return _fail(_("unknown command"))


def run_headoffice(args: argparse.Namespace) -> int:
    from app.errors import DomainError
    from app.sync import headoffice
    from app.sync.keys import load_headoffice_private, write_headoffice_keys

    try:
        if args.office_command == "keygen":
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            public, private = write_headoffice_keys(out, _passphrase(args, confirm=True))
            print(_("Wrote {public} (give it to the centres) and {private} (keep it safe)."
                    ).format(public=public, private=private))
            return 0
        if not args.db:
            return _fail(_("give head office's database with --db (a PostgreSQL URL or a "
                           "file)."))
        ho = headoffice.open_headoffice(args.db)
        if args.office_command == "trust":
            device = headoffice.trust_device(ho, Path(args.file).read_text(encoding="utf-8"))
            print(_("Trusted installation {device} of centre {code} (key {fingerprint})."
                    ).format(device=device.device_id, code=device.centre_code,
                             fingerprint=device.fingerprint))
            return 0
        if args.office_command == "conflicts":
            print(headoffice.format_conflicts(headoffice.list_conflicts(ho)))
            return 0
        if args.office_command == "status":
            from app.formatting import local_today

            print(headoffice.format_status(headoffice.status(ho, today=local_today())))
            return 0
        keys = load_headoffice_private(Path(args.key).read_bytes(), _passphrase(args))
        if args.office_command == "receipt":
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            doc = headoffice.make_receipt(ho, keys, args.centre)
            path = out / f"{args.centre}_receipt_{doc['created_at'][:19].replace(':', '')}.json"
            path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
            print(path)
            return 0
        if args.office_command == "import":
            return _import(args, ho, keys)
    except OSError as error:
        return _fail(str(error))
    except ValueError as error:
        return _fail(str(error))
    except DomainError as error:
        return _fail(error.message)
    return _fail(_("unknown command"))


def _import(args: argparse.Namespace, ho: Any, keys: Any) -> int:
    from app.sync import headoffice

    if args.device_key and not args.trust_on_first_import:
        return _fail(_("--device-key is only used with --trust-on-first-import."))
    failed = 0
    for name in args.files:
        result = headoffice.import_file(
            ho, keys, Path(name), trust_on_first_import=args.trust_on_first_import,
            **({"device_key_text": Path(args.device_key).read_text(encoding="utf-8")}
               if args.device_key else {}))
        print(result.describe())
        failed += 0 if result.ok else 1
    gaps = headoffice.missing_ranges(ho)
    for device, ranges in gaps.items():
        if ranges:
            print(_("Missing from installation {device}: {ranges}").format(
                device=device, ranges=", ".join(f"{a}–{b}" for a, b in ranges)))
    return 1 if failed else 0
