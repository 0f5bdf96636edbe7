#!/usr/bin/env bash
# Build the one-folder Centre Desk bundle in build/dist/centredesk/ (Linux; see
# docs/packaging.md for Windows). Then run packaging/smoke_test.sh.
#   bash packaging/build.sh
# Environment: PYTHON (default .venv/bin/python) - the virtualenv with the project and
# PyInstaller installed (pip install -e '.[packaging]').
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-.venv/bin/python}"
PYINSTALLER="$(dirname "$PYTHON")/pyinstaller"
if [ ! -x "$PYINSTALLER" ]; then
  echo "build.sh: $PYINSTALLER not found; run: $PYTHON -m pip install -e '.[packaging]'" >&2
  exit 1
fi

start=$(date +%s%N)
echo "== compiling translation catalogs"
"$PYTHON" packaging/translations.py compile

echo "== PyInstaller $("$PYINSTALLER" --version)"
"$PYINSTALLER" --noconfirm --clean --log-level WARN \
  --distpath build/dist --workpath build/work packaging/centredesk.spec

elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
printf -v elapsed '%d.%01d' $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
echo "== built build/dist/centredesk in ${elapsed} s," \
  "size $(du -sh build/dist/centredesk | cut -f1)"
echo "   next: bash packaging/smoke_test.sh"
