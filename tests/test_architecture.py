"""The headless core (app/) never needs Qt or the ui package."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
APP_DIR = REPO_ROOT / "app"
FORBIDDEN = ("PySide6", "shiboken6", "ui")

# No exceptions: the GUI is plugged into app.cli by ui.launcher, never imported by app.
ALLOWED_LAZY: set[tuple[str, str]] = set()

_IMPORT_ALL = textwrap.dedent("""
    import importlib.abc
    import pkgutil
    import sys

    FORBIDDEN = {forbidden!r}

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in FORBIDDEN:
                raise ImportError(f"blocked import of {{name}}")
            return None

    sys.meta_path.insert(0, Blocker())
    for name in list(sys.modules):
        if name.split(".")[0] in FORBIDDEN:
            del sys.modules[name]

    import app

    names = []
    def failed(name):
        raise SystemExit(f"could not import {{name}}: {{sys.exc_info()[1]!r}}")
    for module in pkgutil.walk_packages(app.__path__, "app.", onerror=failed):
        __import__(module.name)
        names.append(module.name)
    leaked = sorted(n for n in sys.modules if n.split(".")[0] in FORBIDDEN)
    if leaked:
        raise SystemExit(f"imported: {{leaked}}")
    print("\\n".join(names))
""").format(forbidden=FORBIDDEN)


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_every_app_module_imports_without_qt_and_ui():
    result = subprocess.run([sys.executable, "-c", _IMPORT_ALL], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    imported = set(result.stdout.split())
    # every module in app/ was imported (migrations are scripts Alembic loads, not modules)
    expected = {_module_name(p) for p in APP_DIR.rglob("*.py")
                if "migrations" not in p.relative_to(APP_DIR).parts}
    assert expected - {"app"} <= imported
    assert {"app.cli", "app.db", "app.services.residents", "app.queries.due"} <= imported


def test_the_blocker_really_blocks():
    """The check above must fail when a module does import Qt."""
    script = _IMPORT_ALL.replace("import app\n", "import app\nimport PySide6\n", 1)
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode != 0
    assert "blocked import of PySide6" in result.stderr


def _imports(tree: ast.AST):
    """(module name, is at module level) for every import in the tree."""
    top_level = {id(node) for node in getattr(tree, "body", [])}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top_level
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, id(node) in top_level
            for alias in node.names:
                yield f"{node.module}.{alias.name}", id(node) in top_level


def test_no_app_source_imports_qt_or_ui():
    offenders = []
    sources = sorted(APP_DIR.rglob("*.py"))
    assert len(sources) > 20
    for path in sources:
        relative = path.relative_to(REPO_ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        for module, top_level in _imports(tree):
            if module.split(".")[0] not in FORBIDDEN:
                continue
            if not top_level and any(relative == r and (module == m or module.startswith(m + "."))
                                     for r, m in ALLOWED_LAZY):
                continue
            offenders.append(f"{relative}: {module}")
    assert offenders == []


def test_no_app_source_mentions_qt_in_text_form():
    """Catches importlib.import_module("PySide6…") and __import__ too."""
    offenders = [p.relative_to(REPO_ROOT).as_posix() for p in sorted(APP_DIR.rglob("*.py"))
                 if "PySide6" in p.read_text(encoding="utf-8")
                 or "import_module(\"ui" in p.read_text(encoding="utf-8")]
    assert offenders == []
