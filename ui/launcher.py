"""The ``centredesk`` console script: the command line of ``app.cli`` with the GUI plugged in.

Only ``centredesk`` without a command imports Qt, so the headless commands start fast
and run on machines without Qt's system libraries.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli import main as cli_main


def start_gui(db_path: Path, self_test: bool, language: str | None) -> int:
    from ui.application import run_gui

    return run_gui(db_path, self_test=self_test, language=language)


def main(argv: list[str] | None = None) -> int:
    return cli_main(argv, start_gui=start_gui)


if __name__ == "__main__":
    sys.exit(main())
