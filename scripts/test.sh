#!/usr/bin/env bash
# Command (2): set everything up, then run the whole test suite (unit tests + end-to-end tests
# with the real binary, a real PostgreSQL started for this run, the mock upstream, curl and the
# official openai client). Exit code is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
scripts/setup.sh

pgdir="$(mktemp -d /tmp/leitplanke-test-pg.XXXXXX)"
chmod 755 "$pgdir"
cleanup() {
  scripts/pg.sh stop "$pgdir" || true
  if [ "${KEEP_PG:-0}" != 1 ]; then rm -rf "$pgdir"; fi
}
trap cleanup EXIT
# fsync off: the cluster is thrown away after the run; durability tests kill the gateway, not PostgreSQL.
LEITPLANKE_TEST_PG="$(PG_FSYNC=off scripts/pg.sh start "$pgdir")"
export LEITPLANKE_TEST_PG
echo "test: PostgreSQL at $LEITPLANKE_TEST_PG (log: $pgdir/postgres.log)" >&2

status=0
ctest --test-dir build --output-on-failure --timeout 900 -j "${CTEST_JOBS:-1}" "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "test: FAILED; last lines of the PostgreSQL log:" >&2
  tail -n 40 "$pgdir/postgres.log" >&2 || true
fi
exit "$status"
