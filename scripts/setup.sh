#!/usr/bin/env bash
# Installs what leitplanke needs on Debian 12 (apt-get, npm ci) and builds it into build/.
# Idempotent: packages already present are not reinstalled. Run as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config git curl ca-certificates openssl
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libpqxx-dev libyaml-cpp-dev libhyperscan-dev libhowardhinnant-date-dev tzdata
  libgtest-dev libbenchmark-dev libjemalloc-dev
  postgresql postgresql-contrib
  # python3-fonttools (a WeasyPrint dependency) accepts these or python3-scipy; scipy's
  # python3-pythran needs the Boost 1.74 headers, which conflict with Boost 1.81.
  python3-munkres python3-ufolib2 python3-all
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
# PDF reports (WeasyPrint), the tests' PDF checks (poppler-utils) and the dashboard's browser
# tests (Debian's chromium, driven by playwright-core): installed in a second step, once the
# alternatives above are in place.
pdf_packages=(weasyprint poppler-utils fonts-dejavu-core chromium)  # chromium: the dashboard's browser tests

updated=""
install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "setup: installing ${missing[*]}" >&2
  local SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  [ -n "$updated" ] || { $SUDO apt-get update -qq; updated=1; }
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
install_missing "${packages[@]}"
install_missing "${pdf_packages[@]}"

if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  echo "setup: npm ci (tests/)" >&2
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
# Two cores: two jobs. The heavy translation units need about 1 GiB each.
cmake --build build -j "${JOBS:-2}"
echo "setup: built build/leitplanke" >&2
