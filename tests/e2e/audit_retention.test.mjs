// Retention of the decision log: partitions older than the retention period are dropped whole
// (never below six months), each drop is an audit event carrying the chain hashes at the cut,
// and `audit verify` passes across the deleted range, also for records written afterwards.
// The gateway's daily maintenance creates the partitions of the coming months by itself.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startEnv, test, randomId, pool, waitFor } from '../support/harness.mjs';

let env;
let key;
let signKey;
const INSTANCE = `ret-${randomId()}`;

function monthsFromNow(n) {
  const d = new Date();
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 15));
  return t.toISOString().slice(0, 10);
}

function partitionName(n) {
  const d = new Date();
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));
  return `decisions_${t.getUTCFullYear()}_${String(t.getUTCMonth() + 1).padStart(2, '0')}`;
}

async function send(n, label) {
  return pool(Array.from({ length: n }, (_, i) => async () => (await env.request('/v1/chat/completions', {
    key: key.key, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `${label} ${i}` }] },
  })).status), 6);
}

async function verify() {
  const r = await env.cli(['audit', 'verify', '--database-url', env.dbUrl, '--public-key', `${signKey}.pub`, '--instance', INSTANCE]);
  return { code: r.code, out: r.stdout + r.stderr };
}

before(async () => {
  env = await startEnv({ name: 'audit_retention', gateway: false });
  signKey = path.join(env.tmpDir, 'sign.key');
  assert.equal((await env.cli(['audit', 'keygen', '--out', signKey])).code, 0);
  env.gateway = await env.startGateway({
    label: 'main', config: { instance: INSTANCE, audit: { signing_key_file: signKey, checkpoint_interval_ms: 200 } },
  });
  key = await env.createKey('bauamt');
});

after(async () => {
  await env?.stop();
});

test('the daily maintenance creates the partitions of the coming months', { timeout: 30000 }, async () => {
  const future = partitionName(2);
  await env.sql(`DROP TABLE IF EXISTS ${future}`);
  const gw = await env.startGateway({ label: 'upkeep', config: { instance: `upkeep-${randomId()}` } });
  await waitFor(async () => (await env.sql(`SELECT to_regclass('${future}') IS NOT NULL`)) === 't',
    { timeout: 15000, interval: 250, message: `partition ${future} created by the gateway` });
  await gw.stop();
});

test('retention keeps at least six months, reports a dry run, drops old partitions and verify still passes', { timeout: 60000 }, async () => {
  assert.deepEqual([...new Set(await send(30, 'alt'))], [200]);
  await env.gateway.stop();
  const before = Number(await env.sql(`SELECT count(*) FROM decisions WHERE instance = '${INSTANCE}'`));
  assert.ok(before >= 30);

  let r = await env.cli(['audit', 'retention', '--months', '3', '--database-url', env.dbUrl]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /at least 6 months/);

  const asOf = monthsFromNow(8);
  r = await env.cli(['audit', 'retention', '--months', '6', '--as-of', asOf, '--dry-run', '--database-url', env.dbUrl]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`would delete \\d+ records before`));
  assert.match(r.stdout, new RegExp(`would drop ${partitionName(0)}`));
  assert.equal(Number(await env.sql(`SELECT count(*) FROM decisions WHERE instance = '${INSTANCE}'`)), before, 'a dry run deletes nothing');

  r = await env.cli(['audit', 'retention', '--months', '6', '--as-of', asOf, '--actor', 'dpo:test', '--database-url', env.dbUrl]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`dropped ${partitionName(0)}`));
  assert.equal(Number(await env.sql(`SELECT count(*) FROM decisions WHERE instance = '${INSTANCE}'`)), 0);
  const [ev] = await env.rows(`SELECT actor, reason, details->>'rows' AS rows, jsonb_array_length(details->'cuts') AS cuts
                                FROM audit_events WHERE kind = 'retention' AND details->>'deleted' = 'partition ${partitionName(0)}'`);
  assert.equal(ev.actor, 'dpo:test');
  assert.match(ev.reason, /kept 6 months/);
  assert.ok(Number(ev.rows) >= before);
  assert.ok(Number(ev.cuts) >= 1);

  let v = await verify();
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, new RegExp(`ok: 0 records in 1 chain checked, ${before} deleted by retention`));

  // records written after the cut continue the chain and verify
  env.gateway = await env.startGateway({
    label: 'after', config: { instance: INSTANCE, audit: { signing_key_file: signKey, checkpoint_interval_ms: 200 } },
  });
  await env.waitKeyStatus(key.key, 200);
  assert.deepEqual([...new Set(await send(10, 'neu'))], [200]);
  await env.gateway.stop();
  v = await verify();
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, new RegExp(`ok: \\d+ records in 1 chain checked, ${before} deleted by retention`));

  // a retention event cannot be used to hide a deletion elsewhere
  const [row] = await env.rows(`SELECT record_id FROM decisions WHERE instance = '${INSTANCE}' ORDER BY seq LIMIT 1 OFFSET 3`);
  await env.sql(`DELETE FROM decisions WHERE record_id = '${row.record_id}'`);
  v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /missing: .* no retention event explains them/);

  // … not even a forged one: the cut claims records newer than its cutoff
  const [gap] = await env.rows(`SELECT seq - 1 AS seq, encode(prev_hash, 'hex') AS h FROM decisions
                                 WHERE instance = '${INSTANCE}' AND seq > 1 ORDER BY seq LIMIT 1 OFFSET 3`);
  await env.sql(`INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ('forged-${randomId()}', 'retention', 'x', 'x',
    '{"deleted": "partition decisions_2020_01", "before": "2020-02-01 00:00:00+00", "rows": 1,
      "cuts": [{"instance": "${INSTANCE}", "first": ${gap.seq}, "last": ${gap.seq}, "last_hash": "${gap.h}"}]}')`);
  v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /the retention event claiming them is not genuine/);
});
