#!/usr/bin/env bash
# Latency of the dashboard's JSON API on a large decision log: starts the gateway on an
# existing database (e.g. one report_bench made: 10 million records of the current quarter),
# logs in with a dpo key and calls each endpoint REPS times, printing p50/p95/p99 per endpoint.
#   DB=postgresql://…/rb10mq4 bench/admin_api.sh
#   REPS=200 DB=… bench/admin_api.sh
# The database must hold the example policy's version (report_bench records it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="$root/build/leitplanke"
: "${DB:?set DB to the database URL}"
[ -x "$bin" ] || { echo "bench: build first (scripts/setup.sh)" >&2; exit 1; }
work="$(mktemp -d /tmp/leitplanke-admin-bench.XXXXXX)"
port="${GATEWAY_PORT:-18091}"
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$bin" migrate --database-url "$DB" >/dev/null
key="$("$bin" keys create --user bench-dpo --department it --role dpo --database-url "$DB" 2>/dev/null)"
cp "$root/deploy/policy.yaml" "$work/policy.yaml"
cat >"$work/gateway.yaml" <<YAML
listen: 127.0.0.1:$port
threads: 2
database_url: $DB
policy: policy.yaml
instance: admin-bench
upstreams:
  mock: {base_url: "http://127.0.0.1:9/v1"}
models:
  gpt-4o-mini: mock
  gpt-4o: mock
  gpt-4.1: mock
  text-embedding-3-small: mock
  llama-intern: mock
YAML
export LEITPLANKE_PSEUDONYM_KEY="bench-pseudonym-key-0123456789"
"$bin" serve --config "$work/gateway.yaml" >"$work/gateway.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
sleep 1  # the key cache
URL="http://127.0.0.1:$port" KEY="$key" REPS="${REPS:-100}" node "$here/admin_api.mjs"
