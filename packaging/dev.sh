#!/usr/bin/env bash
# One entry point for a fresh Debian/Ubuntu machine (the README's two commands and CI):
#   bash packaging/dev.sh demo   install what is missing, create the demo centre on first run, start
#   bash packaging/dev.sh test   install what is missing, run the whole test suite (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt offscreen and on a real X screen, fonts, PDF tools for the tests, PostgreSQL for the
# head-office tests, venv for Python.
SYSTEM_PACKAGES=(
  libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
  fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth
  poppler-utils qpdf postgresql python3-venv
)
DEMO_DB="${CENTREDESK_DEMO_DB:-$HOME/.local/share/centredesk/demo-centre.db}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_system_packages() {
  local missing=()
  for package in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing system packages: ${missing[*]}"
  # The tests start their own throwaway PostgreSQL; the package need not create a cluster.
  as_root mkdir -p /etc/postgresql-common/createcluster.d
  echo 'create_main_cluster = false' | as_root tee /etc/postgresql-common/createcluster.d/00-centredesk.conf >/dev/null
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

install_python_packages() {
  local python="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local stamp=.venv/.centredesk-installed
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[dev,packaging]'
    touch "$stamp"
  fi
}

command_name="${1:-}"
case "$command_name" in
  demo)
    install_system_packages
    install_python_packages
    if [ ! -f "$DEMO_DB" ]; then
      mkdir -p "$(dirname "$DEMO_DB")"
      .venv/bin/centredesk demo --db "$DEMO_DB" --years 1
    fi
    echo "Demo centre: $DEMO_DB (users and passwords were printed when it was created;"
    echo "all demo users have the password demo1234)"
    exec .venv/bin/centredesk --db "$DEMO_DB"
    ;;
  test)
    install_system_packages
    install_python_packages
    export QT_QPA_PLATFORM=offscreen
    .venv/bin/python -m pytest -p no:cacheprovider "${@:2}"
    bash packaging/build.sh
    bash packaging/smoke_test.sh
    ;;
  *)
    echo "usage: bash packaging/dev.sh demo|test" >&2
    exit 2
    ;;
esac
