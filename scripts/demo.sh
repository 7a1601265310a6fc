#!/usr/bin/env bash
# Command (1): set everything up and run the main job: a local PostgreSQL (in .run/ of this
# project), migrations, a demo API key, the mock AI service and the gateway with the example
# configuration (deploy/leitplanke.yaml) and policy (deploy/policy.yaml). Ctrl-C stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

run="$(pwd)/.run"
mkdir -p "$run"
chmod 755 "$run"
pgdir="$run/pg"
# The postgres system user must be able to reach the data directory; if the checkout lives
# somewhere it cannot enter (e.g. under /root), keep the cluster under /tmp instead.
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$run" 2>/dev/null; then
  pgdir="/tmp/leitplanke-demo-pg"
fi
scripts/pg.sh stop "$pgdir" >/dev/null 2>&1 || true
admin_url="$(scripts/pg.sh start "$pgdir")"
db_url="${admin_url%/postgres}/leitplanke"
psql "$admin_url" -qAtc "SELECT 1 FROM pg_database WHERE datname = 'leitplanke'" | grep -q 1 ||
  psql "$admin_url" -qc "CREATE DATABASE leitplanke" >/dev/null

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg.sh stop "$pgdir" || true
}
trap cleanup EXIT INT TERM

export LEITPLANKE_DATABASE_URL="$db_url"
build/leitplanke migrate
[ -s "$run/pseudonym.key" ] || (umask 077 && openssl rand -hex 32 >"$run/pseudonym.key")
export LEITPLANKE_PSEUDONYM_KEY="$(cat "$run/pseudonym.key")"
# The audit trail: checkpoints signed with a key of this demo, a spool for database outages.
[ -s "$run/audit-signing.key" ] || build/leitplanke audit keygen --out "$run/audit-signing.key" >/dev/null
export LEITPLANKE_AUDIT_SIGNING_KEY_FILE="$run/audit-signing.key"
export LEITPLANKE_AUDIT_SPOOL_DIR="$run/spool"
# The example policy requires valid AI-literacy training (Art. 4 AI Act): the demo user has it.
trained_until="$(date -u -d '+1 year' +%Y-%m-%d)"
key="$(build/leitplanke keys create --user demo.user --department sozialamt --role staff --trained-until "$trained_until" 2>/dev/null)"
echo "$key" >"$run/demo.key"

node tests/support/mock_upstream.mjs --port 18080 >"$run/mock.log" 2>&1 &
pids+=($!)
listen="${LEITPLANKE_LISTEN:-127.0.0.1:8080}"
export LEITPLANKE_LISTEN="$listen"
build/leitplanke serve --config deploy/leitplanke.yaml > >(tee "$run/gateway.log") 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://$listen/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://$listen/readyz" >/dev/null

cat <<MSG

leitplanke is running on http://$listen (mock AI service on 127.0.0.1:18080, PostgreSQL at $db_url).
Demo key (department sozialamt), also in .run/demo.key:
  $key

Send a request with curl (the e-mail address and the name leave as placeholders and come back in the answer; the IBAN is masked):
  curl -s http://$listen/v1/chat/completions -H "Authorization: Bearer $key" \\
    -H 'Content-Type: application/json' \\
    -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Bitte an Herrn Mehmet Öztürk, max.mustermann@example.org, IBAN DE89 3704 0044 0532 0130 00"}]}'

Streamed: add "stream": true and curl -N. With the official openai client (Node.js):
  cd tests && OPENAI_BASE_URL=http://$listen/v1 OPENAI_API_KEY=$key node -e '
    import("openai").then(async ({default: OpenAI}) => {
      const c = new OpenAI();
      const r = await c.chat.completions.create({model: "gpt-4o-mini", messages: [{role: "user", content: "Hallo"}]});
      console.log(r.choices[0].message.content);
    })'

The decision log: psql "$db_url" -c 'SELECT ts, department, decision, rule_ids, entity_counts, status FROM decisions ORDER BY ts DESC LIMIT 10'
Check that it is complete and unaltered (hash chain, signed checkpoints):
  build/leitplanke audit verify --database-url "$db_url" --public-key .run/audit-signing.key.pub --record
The quarterly report for the council (13 questions; figures about fewer than 5 people are hidden,
so a demo with one key shows mostly "–"; docs/reports.md has an example from generated data):
  build/leitplanke report --quarter $(date -u +%Y)-Q$(( ($(date -u +%-m) - 1) / 3 + 1 )) --format pdf --out .run/bericht.pdf --database-url "$db_url" --config deploy/leitplanke.yaml
  build/leitplanke register --format html --out .run/ki-register.html --database-url "$db_url" --config deploy/leitplanke.yaml
Ctrl-C stops the gateway (it flushes the log first), the mock and PostgreSQL.
MSG
wait "${pids[1]}"
