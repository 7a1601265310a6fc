// The decision log when PostgreSQL is unavailable: requests keep being answered while the
// in-memory queue has room, every record arrives exactly once when the database is back,
// /readyz tells the load balancer, and a full queue makes the gateway fail closed.
// The outage is simulated for this file's database only (ALLOW_CONNECTIONS false plus
// terminating its sessions), so the shared test cluster keeps running.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, test, assertOpenAIError, randomId, waitFor, sqlString } from '../support/harness.mjs';

let env;
let soz;

before(async () => {
  // No spool here, and not fail-closed: requests are answered while the in-memory queue has room.
  env = await startEnv({ name: 'database', config: { audit: { fail_closed: false } } });
  soz = await env.createKey('sozialamt');
});

after(async () => {
  await env?.setDatabaseReachable(true).catch(() => {});
  await env?.stop();
});


const readyStatus = async (gw = env.gateway) => (await fetch(`${gw.url}/readyz`)).status;

const chat = (text, rid, gw = env.gateway) => env.chat(soz.key, {
  model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }],
}, { headers: { 'x-request-id': rid }, gw });

test('database down: answers continue, records are written once when it is back, /readyz follows', async () => {
  assert.equal(await readyStatus(), 200);
  await env.setDatabaseReachable(false);
  const ids = [];
  try {
    for (let i = 0; i < 20; i++) {
      const rid = randomId(`outage-${i}-`);
      const r = await chat(`Anfrage während des Ausfalls ${i}`, rid);
      assert.equal(r.status, 200, r.text);
      ids.push(rid);
    }
    // The writer notices the outage at its next flush; readiness follows.
    await waitFor(async () => (await readyStatus()) === 503, { timeout: 10000, message: '/readyz 503 during the outage' });
  } finally {
    await env.setDatabaseReachable(true);
  }
  await waitFor(async () => (await readyStatus()) === 200, { timeout: 15000, message: '/readyz 200 after the outage' });
  const list = ids.map(sqlString).join(',');
  const rows = await env.waitForDecisions(`request_id IN (${list})`, ids.length, 15000);
  assert.equal(rows.length, ids.length, 'every request of the outage has exactly one record');
  assert.equal(new Set(rows.map((r) => r.request_id)).size, ids.length);
  for (const row of rows) assert.equal(row.status, 200);
});

test('queue full while the database is down: the gateway fails closed and forwards nothing', async () => {
  const gw = await env.startGateway({ label: 'tiny-queue', config: { audit: { queue_max: 3, flush_interval_ms: 100 } } });
  await env.waitKeyStatus(soz.key, 200, gw);
  await env.setDatabaseReachable(false);
  let refused = 0;
  let answered = 0;
  try {
    const before = (await env.mock.stats()).requests;
    let forwardedWhileFull = 0;
    for (let i = 0; i < 10; i++) {
      const upstreamBefore = (await env.mock.stats()).requests;
      const r = await chat(`Anfrage ${i}`, randomId(`full-${i}-`), gw);
      if (r.status === 503) {
        assertOpenAIError(assert, r, 503, 'audit_unavailable');
        assert.ok(r.headers.get('retry-after'), 'Retry-After on 503');
        if ((await env.mock.stats()).requests !== upstreamBefore) forwardedWhileFull++;
        refused++;
      } else {
        assert.equal(r.status, 200, r.text);
        answered++;
      }
    }
    assert.ok(answered <= 3, `at most queue_max requests answered without the database, got ${answered}`);
    assert.ok(refused >= 7, `the rest is refused, got ${refused}`);
    assert.equal(forwardedWhileFull, 0, 'a refused request reached the upstream');
    assert.equal((await env.mock.stats()).requests - before, answered);
  } finally {
    await env.setDatabaseReachable(true);
  }
  // Once the database is back the queue drains and requests are served again.
  await waitFor(async () => (await chat('wieder da', randomId('back-'), gw)).status === 200,
    { timeout: 15000, interval: 200, message: 'service after the outage' });
  await gw.stop();
});

test('migrate refuses when an applied migration was changed', async () => {
  const ok = await env.cli(['migrate', '--database-url', env.dbUrl]);
  assert.equal(ok.code, 0, ok.stderr);
  await env.sql(`UPDATE schema_migrations SET checksum = 'tampered' WHERE name = '0001_init.sql'`);
  const r = await env.cli(['migrate', '--database-url', env.dbUrl]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /0001_init\.sql was changed after it was applied/);
});
