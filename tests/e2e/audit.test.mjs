// Audit log: exactly one row per /v1/* request under concurrency, complete
// flush on SIGTERM with in-flight requests, and no prompt text anywhere in
// the database.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { startEnv, test, randomId, pool, waitFor, policyAllowing, REQUEST_ID_RE } from '../support/harness.mjs';

const execFileP = promisify(execFile);

let env;
let soz;
const CANARY = `KANARIE${randomId().toUpperCase()}`;
const CANARY_MAIL = `kanarie.${randomId()}@example.org`;
const USER_ID = `audit.user.${randomId()}`;

before(async () => {
  env = await startEnv({
    name: 'audit',
    policy: policyAllowing(['gpt-slow']),
    mocks: { mock: [], slow: ['--delay-ms', '300'] },
    models: { 'gpt-slow': 'slow' },
  });
  soz = await env.createKey('sozialamt', { user: USER_ID });
});

after(async () => {
  await env?.stop();
});

const N = 200;

test(`${N} concurrent mixed requests -> exactly ${N} rows with matching ids`, { timeout: 120000 }, async () => {
  const baseline = Number(await env.sql(`SELECT count(*) FROM decisions WHERE request_id NOT LIKE 'probe-%'`));
  const badKey = `lp_000000000000_${'c'.repeat(40)}`;
  const kinds = ['allowed-own-id', 'allowed', 'denied', 'unauthorized'];
  const expected = { 'allowed-own-id': 200, allowed: 200, denied: 403, unauthorized: 401 };

  const tasks = Array.from({ length: N }, (_, i) => async () => {
    const kind = kinds[i % kinds.length];
    const headers = { 'content-type': 'application/json' };
    let ownId = null;
    if (kind === 'allowed-own-id' || kind === 'unauthorized') {
      ownId = `audit-${i}-${randomId()}`;
      headers['x-request-id'] = ownId;
    }
    headers.authorization = `Bearer ${kind === 'unauthorized' ? badKey : soz.key}`;
    const body = {
      model: kind === 'denied' ? 'secret-model' : 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Anfrage ${i}: ${CANARY} an ${CANARY_MAIL}` }],
    };
    const r = await fetch(`${env.gatewayUrl}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
    await r.arrayBuffer();
    return { i, kind, ownId, status: r.status, rid: r.headers.get('x-request-id') };
  });
  const results = await pool(tasks, 16);

  for (const r of results) {
    assert.equal(r.status, expected[r.kind], `request ${r.i} (${r.kind})`);
    assert.ok(r.rid && REQUEST_ID_RE.test(r.rid), `request ${r.i}: X-Request-Id ${r.rid}`);
    if (r.ownId) assert.equal(r.rid, r.ownId, `request ${r.i}: client id not echoed`);
  }
  const ids = new Set(results.map((r) => r.rid));
  assert.equal(ids.size, N, 'X-Request-Id values are not unique');

  // Rows arrive asynchronously: poll, then stop the gateway (SIGTERM flushes
  // everything) and compare exactly.
  const countNow = async () => Number(await env.sql(`SELECT count(*) FROM decisions WHERE request_id NOT LIKE 'probe-%'`));
  await waitFor(async () => (await countNow()) >= baseline + N, { timeout: 10000, interval: 100, message: `${N} audit rows` });
  const stopped = await env.gateway.stop();
  assert.equal(stopped.code, 0, `gateway exit ${JSON.stringify(stopped)}`);
  assert.equal(await countNow(), baseline + N, 'extra or missing audit rows');

  const rows = await env.rows(`SELECT request_id, status, decision, error_code, user_ref, model
                                 FROM decisions WHERE request_id NOT LIKE 'probe-%'`);
  const byId = new Map(rows.map((r) => [r.request_id, r]));
  for (const r of results) {
    const row = byId.get(r.rid);
    assert.ok(row, `no audit row for request ${r.i} (${r.kind}, ${r.rid})`);
    assert.equal(row.status, r.status, `status of ${r.rid}`);
    if (r.kind === 'denied') {
      assert.equal(row.decision, 'blocked');
      assert.equal(row.error_code, 'policy_denied');
    } else if (r.kind === 'unauthorized') {
      assert.equal(row.decision, 'blocked');
      assert.equal(row.error_code, 'invalid_api_key');
      assert.equal(row.user_ref, null);
    } else {
      assert.equal(row.decision, 'redacted', 'prompt contains an e-mail address');
    }
  }

  await env.restartGateway();
});

test('SIGTERM under load: in-flight requests finish, every answered request is audited, exit 0',
  { timeout: 120000 }, async (t) => {
    if (!env.gateway.running) await env.restartGateway();
    const gw = env.gateway;
    await env.mocks.slow.reset();
    const M = 100;
    const started = Date.now();
    const promises = Array.from({ length: M }, (_, i) => {
      const rid = `term-${i}-${randomId()}`;
      const prompt = `Letzte Anfrage ${i} ${CANARY}`;
      return fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${soz.key}`, 'content-type': 'application/json', 'x-request-id': rid },
        body: JSON.stringify({ model: 'gpt-slow', messages: [{ role: 'user', content: prompt }] }),
        signal: AbortSignal.timeout(30000),
      }).then(async (r) => ({ rid, prompt, status: r.status, json: await r.json().catch(() => null) }),
        (err) => ({ rid, prompt, status: null, err: String(err.cause?.code || err.message) }));
    });

    // SIGTERM after ~100 ms, once at least one request is in flight upstream.
    await waitFor(async () => (await env.mocks.slow.stats()).requests >= 1, { timeout: 5000, interval: 10, message: 'first upstream request' });
    const wait = 100 - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const inFlightUpstream = (await env.mocks.slow.stats()).requests;
    gw.proc.kill('SIGTERM');

    const results = await Promise.all(promises);
    let exitTimer;
    const exit = await Promise.race([
      gw.exited,
      new Promise((r) => { exitTimer = setTimeout(() => r('timeout'), 20000); }),
    ]);
    clearTimeout(exitTimer);
    assert.notEqual(exit, 'timeout', `gateway did not exit within 20 s after SIGTERM:\n${gw.logTail()}`);
    assert.deepEqual(exit, { code: 0, signal: null }, `gateway exit after SIGTERM:\n${gw.logTail()}`);

    const answered = results.filter((r) => r.status !== null);
    const ok = answered.filter((r) => r.status === 200);
    const statuses = {};
    for (const r of results) statuses[r.status ?? r.err] = (statuses[r.status ?? r.err] || 0) + 1;
    t.diagnostic(`in flight upstream at SIGTERM: ${inFlightUpstream}; outcomes: ${JSON.stringify(statuses)}`);
    assert.ok(answered.length > 0, 'no request got a response');
    assert.ok(ok.length >= inFlightUpstream,
      `${inFlightUpstream} requests were in flight upstream at SIGTERM but only ${ok.length} finished with 200`);
    for (const r of ok) {
      assert.equal(r.json?.choices?.[0]?.message?.content, r.prompt, `truncated answer for ${r.rid}`);
    }

    // The process has exited, so every record must already be in the table.
    const rows = await env.rows(`SELECT request_id, status FROM decisions WHERE request_id LIKE 'term-%'`);
    const byId = new Map();
    for (const row of rows) {
      assert.ok(!byId.has(row.request_id), `duplicate row for ${row.request_id}`);
      byId.set(row.request_id, row);
    }
    for (const r of answered) {
      const row = byId.get(r.rid);
      assert.ok(row, `answered request ${r.rid} (HTTP ${r.status}) has no audit row`);
      assert.equal(row.status, r.status);
    }
    assert.equal(rows.length, answered.length,
      `rows: ${rows.length}, answered: ${answered.length}, failed: ${results.length - answered.length}`);
  });

test('no prompt text, e-mail or raw user id in the database', { timeout: 60000 }, async () => {
  const needles = [CANARY, CANARY_MAIL, CANARY_MAIL.split('@')[0]];
  const decisions = await env.sql('SELECT row_to_json(d)::text FROM decisions d');
  const keys = await env.sql('SELECT row_to_json(k)::text FROM api_keys k');
  assert.ok(decisions.length > 0, 'no decisions rows to inspect');
  for (const n of needles) {
    assert.ok(!decisions.includes(n), `"${n}" found in decisions`);
    assert.ok(!keys.includes(n), `"${n}" found in api_keys`);
  }
  assert.ok(!decisions.includes(USER_ID), 'raw user id found in decisions (must be pseudonymised)');

  let dump = null;
  try {
    ({ stdout: dump } = await execFileP('pg_dump', ['--no-owner', env.dbUrl], { maxBuffer: 256 * 1024 * 1024 }));
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  if (dump !== null) {
    assert.ok(dump.includes('decisions'), 'pg_dump output looks wrong');
    for (const n of needles) assert.ok(!dump.includes(n), `"${n}" found in pg_dump output`);
  }
  // Sanity check of the check itself: the user id is in api_keys by design.
  assert.ok(keys.includes(USER_ID));
  assert.equal(await env.sql('SELECT count(*) > 0 FROM decisions WHERE user_ref IS NOT NULL'), 't');
});

test('gateway logs contain no prompt text and no API key secret', async () => {
  const secret = soz.key.split('_').slice(2).join('_');
  for (const gw of env.gateways) {
    const log = fs.readFileSync(gw.log.file, 'utf8');
    assert.ok(!log.includes(CANARY), `prompt canary in the log of gateway ${gw.label}`);
    assert.ok(!log.includes(CANARY_MAIL), `e-mail in the log of gateway ${gw.label}`);
    assert.ok(!log.includes(secret), `API key secret in the log of gateway ${gw.label}`);
  }
});
