// Durability of the decision log: while PostgreSQL is unreachable, records go to the local
// spool (fsync'd per batch) and requests keep being answered; when it is back the spool drains
// in order, every record arrives exactly once and the chain verifies. A gateway killed with
// SIGKILL under load loses at most what it had not yet written (the last flush interval).
// Without a spool the gateway fails closed. The outage is simulated for this file's database
// only (ALLOW_CONNECTIONS false plus terminating its sessions).

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { startEnv, test, assertOpenAIError, randomId, waitFor, psql, sqlString, sleep, run, SOURCE_DIR } from '../support/harness.mjs';

let env;
let soz;
let spoolDir;
const INSTANCE = `spool-${randomId()}`;


function spoolConfig(extra = {}) {
  return { instance: INSTANCE, audit: { flush_interval_ms: 100, spool_dir: spoolDir, ...extra } };
}

async function chat(text, rid, gw = env.gateway) {
  return env.request('/v1/chat/completions', {
    key: soz.key, gw, headers: { 'x-request-id': rid },
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] },
  });
}

async function ready(gw = env.gateway) {
  const r = await fetch(`${gw.url}/readyz`);
  return { status: r.status, body: await r.json() };
}

async function verifyChain() {
  const r = await env.cli(['audit', 'verify', '--database-url', env.dbUrl, '--instance', INSTANCE]);
  return { code: r.code, out: r.stdout + r.stderr };
}

before(async () => {
  env = await startEnv({ name: 'audit_spool', gateway: false });
  spoolDir = path.join(env.tmpDir, 'spool');
  env.gateway = await env.startGateway({ label: 'main', config: spoolConfig() });
  soz = await env.createKey('sozialamt');
});

after(async () => {
  await env?.setDatabaseReachable(true).catch(() => {});
  await env?.stop();
});

test('database unreachable: answers continue from the spool, which drains exactly once afterwards', { timeout: 60000 }, async () => {
  await env.setDatabaseReachable(false);
  const ids = [];
  try {
    for (let i = 0; i < 30; i++) {
      const rid = randomId(`spooled-${i}-`);
      const r = await chat(`Anfrage während des Ausfalls ${i}`, rid);
      assert.equal(r.status, 200, r.text);
      ids.push(rid);
    }
    await waitFor(async () => (await ready()).body.spool_pending >= 30, { timeout: 10000, message: 'records in the spool' });
    const rd = await ready();
    assert.equal(rd.status, 200, 'still ready: the spool takes the records');
    assert.equal(rd.body.database, false);
    const spoolFile = fs.readdirSync(spoolDir).find((f) => f.endsWith('.spool'));
    assert.ok(fs.statSync(path.join(spoolDir, spoolFile)).size > 0, 'the spool file holds the records');
    // no prompt text in the spool either
    assert.ok(!fs.readFileSync(path.join(spoolDir, spoolFile), 'utf8').includes('Ausfalls'), 'prompt text in the spool');
  } finally {
    await env.setDatabaseReachable(true);
  }
  const list = ids.map(sqlString).join(',');
  const rows = await env.waitForDecisions(`request_id IN (${list})`, ids.length, 20000);
  assert.equal(rows.length, ids.length, 'every request of the outage has exactly one record');
  await waitFor(async () => (await ready()).body.spool_pending === 0, { timeout: 10000, message: 'spool drained' });
  const v = await verifyChain();
  assert.equal(v.code, 0, v.out);
});

test('PostgreSQL gone for 10 s under load: nothing lost, nothing twice, the chain verifies', { timeout: 90000 }, async () => {
  const answered = [];
  let stop = false;
  const worker = async (w) => {
    for (let i = 0; !stop; i++) {
      const rid = randomId(`load-${w}-${i}-`);
      const r = await chat(`Last ${w}/${i}`, rid);
      assert.equal(r.status, 200, r.text);
      answered.push(rid);
    }
  };
  const workers = Array.from({ length: 6 }, (_, w) => worker(w));
  await sleep(1500);
  await env.setDatabaseReachable(false);
  await sleep(10000);
  await env.setDatabaseReachable(true);
  await sleep(1500);
  stop = true;
  await Promise.all(workers);
  assert.ok(answered.length > 100, `requests answered: ${answered.length}`);
  await waitFor(async () => (await ready()).body.spool_pending === 0, { timeout: 20000, message: 'spool drained' });
  const count = async () => Number(await env.sql(`SELECT count(*) FROM decisions WHERE request_id LIKE 'load-%'`));
  await waitFor(async () => (await count()) >= answered.length, { timeout: 20000, message: 'all records written' });
  assert.equal(await count(), answered.length, 'each answered request has exactly one record');
  const distinct = Number(await env.sql(`SELECT count(DISTINCT request_id) FROM decisions WHERE request_id LIKE 'load-%'`));
  assert.equal(distinct, answered.length);
  const v = await verifyChain();
  assert.equal(v.code, 0, v.out);
  console.log(`# outage under load: ${answered.length} requests answered, ${answered.length} records, 0 lost`);
  // the report aggregates count every record once, also those replayed from the spool
  const diff = Number(await env.sql(`SELECT count(*) FROM (
      SELECT (ts AT TIME ZONE 'UTC')::date, tenant, coalesce(department, ''), decision, status, count(*) FROM decisions GROUP BY 1, 2, 3, 4, 5
      EXCEPT SELECT day, tenant, department, decision, status, sum(requests) FROM usage_daily GROUP BY 1, 2, 3, 4, 5) x`));
  assert.equal(diff, 0, 'usage_daily differs from the rows');
});

test('the PostgreSQL server itself stopped for 10 s under load: nothing lost, the spool drains', { timeout: 120000 }, async () => {
  // a cluster of its own, so that stopping it does not disturb the other tests
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lp-e2e-pgstop-'));
  fs.chmodSync(dir, 0o755);
  const pgsh = path.join(SOURCE_DIR, 'scripts', 'pg.sh');
  const portFrom = String(56000 + Math.floor(Math.random() * 4000));
  const start = async () => {
    const r = await run('bash', [pgsh, 'start', path.join(dir, 'pg')], { env: { PG_FSYNC: 'off', PG_PORT_FROM: portFrom }, timeout: 120000 });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  const stopPg = async () => {
    const r = await run('bash', [pgsh, 'stop', path.join(dir, 'pg')], { timeout: 60000 });
    assert.equal(r.code, 0, r.stderr);
  };
  const admin = await start();
  let gw;
  try {
    const url = admin.replace(/\/postgres$/, '/stopped');
    await psql(admin, 'CREATE DATABASE stopped');
    assert.equal((await env.cli(['migrate', '--database-url', url])).code, 0);
    const k = await env.cli(['keys', 'create', '--user', 'last', '--department', 'sozialamt', '--database-url', url]);
    const key = k.stdout.trim();
    gw = await env.startGateway({ label: 'pgstop', config: { database_url: url, instance: `pgstop-${randomId()}`,
      audit: { flush_interval_ms: 100, spool_dir: path.join(dir, 'spool') } } });
    const answered = [];
    let stop = false;
    const worker = async (w) => {
      for (let i = 0; !stop; i++) {
        const rid = randomId(`stop-${w}-${i}-`);
        const r = await env.request('/v1/chat/completions', { gw, key, headers: { 'x-request-id': rid },
          body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Last ${w}/${i}` }] } });
        assert.equal(r.status, 200, r.text);
        answered.push(rid);
      }
    };
    const workers = Array.from({ length: 4 }, (_, w) => worker(w));
    await sleep(1500);
    await stopPg();
    await sleep(10000);
    const again = await start();
    assert.equal(again, admin, 'PostgreSQL came back on the same port');
    await sleep(1500);
    stop = true;
    await Promise.all(workers);
    await waitFor(async () => {
      const n = Number((await run('psql', [url, '-Atc', `SELECT count(*) FROM decisions WHERE request_id LIKE 'stop-%'`])).stdout.trim());
      return n >= answered.length;
    }, { timeout: 30000, interval: 250, message: 'all records after the restart' });
    const n = Number((await run('psql', [url, '-Atc', `SELECT count(DISTINCT request_id) || '/' || count(*) FROM decisions WHERE request_id LIKE 'stop-%'`])).stdout.trim().split('/')[1]);
    assert.equal(n, answered.length, 'each answered request has exactly one record');
    const v = await env.cli(['audit', 'verify', '--database-url', url]);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    console.log(`# server stopped 10 s under load: ${answered.length} requests answered, ${n} records`);
  } finally {
    await gw?.stop();
    await stopPg().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('kill -9 under load: loss stays within the last flush interval; the chain continues', { timeout: 60000 }, async () => {
  const answered = [];
  let stop = false;
  const worker = async (w) => {
    for (let i = 0; !stop; i++) {
      const rid = randomId(`kill-${w}-${i}-`);
      try {
        const r = await chat(`Abbruch ${w}/${i}`, rid);
        if (r.status === 200) answered.push({ rid, at: Date.now() });
      } catch { return; }  // the gateway is gone
    }
  };
  const workers = Array.from({ length: 6 }, (_, w) => worker(w));
  await sleep(3000);
  const killedAt = Date.now();
  await env.gateway.stop({ signal: 'SIGKILL' });
  stop = true;
  await Promise.all(workers);
  env.gateway = await env.startGateway({ label: 'after-kill', config: spoolConfig() });
  await env.waitKeyStatus(soz.key, 200);
  await sleep(500);
  const present = new Set((await env.rows(`SELECT request_id FROM decisions WHERE request_id LIKE 'kill-%'`)).map((r) => r.request_id));
  const lost = answered.filter((a) => !present.has(a.rid));
  // Records are written every flush interval (100 ms): only requests answered shortly before the
  // kill may be missing.
  for (const l of lost) assert.ok(killedAt - l.at <= 1000, `a record answered ${killedAt - l.at} ms before the kill is missing`);
  console.log(`# kill -9: ${answered.length} answered, ${lost.length} records lost, all within ${lost.length ? Math.max(...lost.map((l) => killedAt - l.at)) : 0} ms before the kill`);
  // the chain continues after the restart
  await chat('nach dem Neustart', randomId('after-'));
  await waitFor(async () => Number(await env.sql(`SELECT count(*) FROM decisions WHERE request_id LIKE 'after-%'`)) === 1,
    { timeout: 10000, message: 'record after restart' });
  // Records lost in the kill had not been written, so they never got a chain position: the
  // chain itself stays intact and continues after the restart.
  const v = await verifyChain();
  assert.equal(v.code, 0, v.out);
});

test('without a spool the gateway fails closed while the database is down', { timeout: 60000 }, async () => {
  const gw = await env.startGateway({ label: 'no-spool', config: { instance: `nospool-${randomId()}` } });
  await env.waitKeyStatus(soz.key, 200, gw);
  await env.setDatabaseReachable(false);
  try {
    await waitFor(async () => (await chat('Probe', randomId('probe-'), gw)).status === 503,
      { timeout: 10000, interval: 200, message: 'refusals once the writer notices the outage' });
    const before = (await env.mock.stats()).requests;
    const r = await chat('Anfrage ohne Protokoll', randomId('closed-'), gw);
    assertOpenAIError(assert, r, 503, 'audit_unavailable');
    assert.equal((await env.mock.stats()).requests, before, 'nothing was forwarded');
    assert.equal((await ready(gw)).status, 503);
  } finally {
    await env.setDatabaseReachable(true);
  }
  await waitFor(async () => (await chat('wieder da', randomId('back-'), gw)).status === 200,
    { timeout: 15000, interval: 200, message: 'service after the outage' });
  await gw.stop();
});

test('a spool directory that cannot be used stops the gateway at start with a clear message', async () => {
  const blocker = path.join(env.tmpDir, 'not-a-directory');
  fs.writeFileSync(blocker, 'x');
  const gw = await env.startGateway({ label: 'bad-spool', config: { instance: `bad-${randomId()}`, audit: { spool_dir: blocker } }, wait: false });
  const exit = await gw.exited;
  assert.equal(exit.code, 1);
  assert.match(gw.log.text(), /audit\.spool_dir: cannot open the audit spool/);
});
