"""Where the shipped, read-only resources live (source tree, editable install or frozen bundle)."""

from __future__ import annotations

import sys
from pathlib import Path


def project_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


ROOT = project_root()
TRANSLATIONS_DIR = ROOT / "translations"
RESOURCES_DIR = ROOT / "resources"
FONTS_DIR = RESOURCES_DIR / "fonts"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
