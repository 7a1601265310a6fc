#!/usr/bin/env bash
# Load benchmark of the leitplanke gateway beside the bare mock and nginx, in one run of
# bench/run.sh. Prepares a throwaway PostgreSQL, a database, a key and a configuration that
# forwards to the harness's mock ($MOCK_URL), then hands over to run.sh with GATEWAY_CMD.
#   bench/leitplanke.sh                     # 1k/8k/64k x 16/64 connections, 3 reps
#   QUICK=1 bench/leitplanke.sh             # smoke run
#   BENCH_STREAM=1 SIZES=1k CONNS=16 bench/leitplanke.sh
# All run.sh knobs apply. Build first (scripts/setup.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="$root/build/leitplanke"
[ -x "$bin" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }

work="$(mktemp -d /tmp/leitplanke-bench.XXXXXX)"
chmod 755 "$work"
cleanup() { "$root/scripts/pg.sh" stop "$work/pg" || true; rm -rf "$work"; }
trap cleanup EXIT
admin="$("$root/scripts/pg.sh" start "$work/pg")"
db="${admin%/postgres}/bench"
psql "$admin" -qc "CREATE DATABASE bench" >/dev/null
"$bin" migrate --database-url "$db" >/dev/null
key="$("$bin" keys create --user bench --department sozialamt --database-url "$db" 2>/dev/null)"
port="${GATEWAY_PORT:-18090}"
threads="${GATEWAY_THREADS:-1}"
cat >"$work/policy.yaml" <<'YAML'
version: bench
redact: {EMAIL: mask, IBAN: mask}
rules:
  - id: allow-bench
    effect: allow
    when: {departments: [sozialamt], models: [gpt-4o-mini]}
  - id: deny-iban-hr
    effect: deny
    when: {departments: [personalamt], detected: [IBAN]}
    explanation: "Keine Bankdaten aus dem Personalamt."
YAML
cat >"$work/gateway.yaml" <<YAML
listen: 127.0.0.1:$port
threads: $threads
database_url: $db
policy: policy.yaml
upstreams:
  mock: {base_url: "http://127.0.0.1:${MOCK_PORT:-18080}/v1", max_idle_connections: 256}
models:
  gpt-4o-mini: mock
YAML
export LEITPLANKE_PSEUDONYM_KEY="bench-pseudonym-key-0123456789"
GATEWAY_URL="http://127.0.0.1:$port" GATEWAY_KEY="$key" GATEWAY_NAME=leitplanke \
  GATEWAY_CMD="$bin serve --config $work/gateway.yaml" "$here/run.sh"
echo "decision rows written: $(psql "$db" -Atc 'SELECT count(*) FROM decisions')" >&2
