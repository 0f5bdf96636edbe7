#!/usr/bin/env bash
# Prove that the frozen bundle from packaging/build.sh starts and works, using only the
# bundle (no source tree, no virtualenv on the path):
#   bash packaging/smoke_test.sh [DIST_DIR]     (default: build/dist/centredesk)
# Checks: the GUI self-test offscreen (timed), init / due / due --json / --lang en / upgrade
# on a new database, the exit code for a missing database, a small demo centre (due and the
# self-test on it), and `--bundle-check`, which
# exercises the lazily imported libraries (Alembic, Babel locale data, reportlab + pdfium,
# argon2, holidays, Arabic shaping, the form modules; a printed record sheet when the bundle
# has a demo command to fill a database with residents).
# Exits non-zero with a message naming the failed step. Works in Git Bash on Windows too.
set -uo pipefail
cd "$(dirname "$0")/.."

DIST="${1:-build/dist/centredesk}"
if [ -x "$DIST/centredesk.exe" ]; then
  BIN="$DIST/centredesk.exe"
else
  BIN="$DIST/centredesk"
fi
[ -x "$BIN" ] || { echo "smoke test: FAILED - no executable $BIN; run packaging/build.sh" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export QT_QPA_PLATFORM=offscreen
# Nothing from the developer's environment may leak into the frozen app.
unset CENTREDESK_DB CENTREDESK_LANG PYTHONPATH PYTHONHOME
export PYTHONIOENCODING=utf-8
# Keep the test's databases away from the real user folder even if a --db were forgotten.
export XDG_DATA_HOME="$tmp/xdg" LOCALAPPDATA="$tmp/localappdata"

step=""
fail() {
  echo "smoke test: FAILED at '$step': $*" >&2
  if [ -s "$tmp/out" ]; then echo "--- stdout" >&2; cat "$tmp/out" >&2; fi
  if [ -s "$tmp/err" ]; then echo "--- stderr" >&2; cat "$tmp/err" >&2; fi
  exit 1
}

# Seconds one run may take (a first start on Windows with a virus scanner can be slow).
# The GUI waits forever in a modal message box if it cannot open the database, hence a limit.
TIMEOUT="${SMOKE_TIMEOUT:-60}"

# run STEP EXPECTED_EXIT_CODE ARGS... : run the bundle, stdout -> $tmp/out, stderr -> $tmp/err
run() {
  step="$1"; local expected="$2"; shift 2
  local code=0
  timeout "$TIMEOUT" "$BIN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || code=$?
  [ "$code" -ne 124 ] || fail "no answer after ${TIMEOUT} s (waiting in a dialog, e.g. 'Cannot open the database'?)"
  [ "$code" -eq "$expected" ] || fail "exit code $code, expected $expected"
}

expect_out() {  # expect_out TEXT: stdout contains TEXT
  grep -qF -- "$1" "$tmp/out" || fail "output does not contain: $1"
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "smoke test of $BIN"

# 1. The GUI starts offscreen, opens the main window and exits 0 (timed).
start=$(now_ms)
run "self-test (new database)" 0 --db "$tmp/smoke.db" --self-test
first_ms=$(( $(now_ms) - start ))
expect_out "self-test: ok"
echo "ok   self-test on a new database: ${first_ms} ms (first start)"
start=$(now_ms)
run "self-test (second start)" 0 --db "$tmp/smoke.db" --self-test
second_ms=$(( $(now_ms) - start ))
expect_out "self-test: ok"
echo "ok   self-test again: ${second_ms} ms (warm start)"

# 2. Headless commands: a new centre (runs the Alembic migrations inside the bundle).
printf 'Smoke-Test-Password-2026\n' >"$tmp/password"
run "init" 0 init --db "$tmp/init.db" --centre-name "Børnecenter Smoke" --admin admin \
  --password-file "$tmp/password"
expect_out "Børnecenter Smoke"
[ -s "$tmp/init.db" ] || fail "no database file was created"
echo "ok   init: $(head -1 "$tmp/out")"

run "due --json" 0 due --db "$tmp/init.db" --json
first_char="$(tr -d ' \r\n\t' <"$tmp/out" | cut -c1)"
[ "$first_char" = "[" ] || fail "due --json did not print a JSON list"
if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import json, sys; assert isinstance(json.load(open(sys.argv[1], encoding="utf-8")), list)' \
    "$tmp/out" 2>>"$tmp/err" || fail "due --json printed invalid JSON"
fi
echo "ok   due --json: $(tr -d '\r\n' <"$tmp/out" | cut -c1-60)"

run "due (Danish, the default)" 0 due --db "$tmp/init.db"
[ -s "$tmp/out" ] || fail "due printed nothing"
echo "ok   due: $(head -1 "$tmp/out")"

# Options given before the command apply to it.
run "--lang en due" 0 --lang en due --db "$tmp/init.db"
expect_out "Nothing is due."
echo "ok   --lang en due: $(head -1 "$tmp/out")"

run "--lang en upgrade" 0 --lang en upgrade --db "$tmp/init.db"
expect_out "The database is up to date."
echo "ok   upgrade: $(head -1 "$tmp/out")"

run "self-test (initialised centre)" 0 --db "$tmp/init.db" --self-test
expect_out "self-test: ok"
echo "ok   self-test on the initialised centre"

# 3. Errors come back as exit codes.
run "due on a missing database" 2 due --db "$tmp/missing.db"
grep -qF "missing.db" "$tmp/err" || fail "no error message naming the missing database"
echo "ok   missing database: exit code 2"

# 4. The lazily imported libraries, and a printed record sheet when we can make residents.
check_db="$tmp/init.db"
run "demo --help" 0 demo --help
if timeout "$((TIMEOUT * 5))" "$BIN" demo --db "$tmp/demo.db" --residents 8 --years 1 --seed 3 \
    >"$tmp/out" 2>"$tmp/err" </dev/null; then
  check_db="$tmp/demo.db"
  echo "ok   demo centre: $(head -1 "$tmp/out")"
  run "due (demo centre)" 0 due --db "$tmp/demo.db"
  echo "ok   due on the demo centre: $(wc -l <"$tmp/out") lines"
  run "self-test (demo centre)" 0 --db "$tmp/demo.db" --self-test
  expect_out "self-test: ok"
  echo "ok   self-test on the demo centre"
elif grep -qE "cannot import name 'demo'|No module named 'app.demo'" "$tmp/err"; then
  echo "skip demo centre: this build has no app.demo yet (record sheet not printed)"
else
  step="demo"; fail "the demo command failed"
fi
run "bundle check" 0 --bundle-check --db "$check_db"
expect_out "bundle-check: ok"
sed 's/^bundle-check: /     /' "$tmp/out" | grep -v '^     ok$'

echo "smoke test: ok (self-test start ${first_ms} ms first, ${second_ms} ms warm)"
