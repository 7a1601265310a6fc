// The audit trail's tamper evidence: every decision record is linked into its instance's hash
// chain and the chain tip is signed (Ed25519) at checkpoints. `leitplanke audit verify` must
// pass on an untouched log and name the record when a row is altered, deleted or inserted with
// plain SQL, when the newest records are cut off, and when a checkpoint signature is forged.
// The chain continues across a restart; a second gateway with the same instance name is kept
// from forking it.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startEnv, test, randomId, pool, waitFor } from '../support/harness.mjs';

let env;
let key;
let signKey;
const INSTANCE = `chain-${randomId()}`;

function gatewayConfig() {
  return {
    instance: INSTANCE,
    audit: { flush_interval_ms: 50, signing_key_file: signKey, checkpoint_interval_ms: 300 },
  };
}

let publicKeys = null;  // after the key rotation test: old and new public key

async function verify(extra = []) {
  const keys = publicKeys ?? `${signKey}.pub`;
  const r = await env.cli(['audit', 'verify', '--database-url', env.dbUrl, '--public-key', keys, ...extra]);
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

async function send(n, label) {
  const tasks = Array.from({ length: n }, (_, i) => async () => {
    const model = i % 5 === 4 ? 'secret-model' : 'gpt-4o-mini';
    const r = await env.request('/v1/chat/completions', {
      key: key.key,
      body: { model, messages: [{ role: 'user', content: `${label} ${i}` }] },
    });
    return r.status;
  });
  return pool(tasks, 8);
}

before(async () => {
  env = await startEnv({ name: 'audit_chain', gateway: false });
  signKey = path.join(env.tmpDir, 'audit-signing.key');
  const k = await env.cli(['audit', 'keygen', '--out', signKey]);
  assert.equal(k.code, 0, k.stderr);
  env.gateway = await env.startGateway({ label: 'main', config: gatewayConfig() });
  key = await env.createKey('sozialamt');
});

after(async () => {
  await env?.stop();
});

test('an untouched log verifies; its chain continues across a restart', { timeout: 60000 }, async () => {
  await send(40, 'erste');
  await env.gateway.stop();
  env.gateway = await env.startGateway({ label: 'second', config: gatewayConfig() });
  await env.waitKeyStatus(key.key, 200);
  await send(20, 'zweite');
  const stopped = await env.gateway.stop();
  assert.equal(stopped.code, 0);

  const seqs = (await env.rows(`SELECT seq FROM decisions WHERE instance = '${INSTANCE}' ORDER BY seq`)).map((r) => Number(r.seq));
  assert.ok(seqs.length >= 60, `rows: ${seqs.length}`);
  seqs.forEach((s, i) => assert.equal(s, i + 1, 'sequence numbers run 1, 2, 3 … across the restart'));
  const cps = Number(await env.sql(`SELECT count(*) FROM audit_checkpoints WHERE instance = '${INSTANCE}'`));
  assert.ok(cps >= 2, `signed checkpoints: ${cps}`);

  const v = await verify();
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, new RegExp(`ok: ${seqs.length} records in 1 chain checked, \\d+ signed checkpoints valid`));

  // the policy text that decided each record is kept
  const orphans = Number(await env.sql(`SELECT count(*) FROM decisions d WHERE instance = '${INSTANCE}'
    AND NOT EXISTS (SELECT 1 FROM policy_versions p WHERE p.digest = d.policy_digest AND p.tenant = d.tenant)`));
  assert.equal(orphans, 0, 'records whose policy text is not in policy_versions');
  const [pv] = await env.rows(`SELECT version, source FROM policy_versions LIMIT 1`);
  assert.match(pv.source, /rules:/);
  // the views for reports: detections and staff pseudonyms
  assert.ok(Number(await env.sql(`SELECT count(*) FROM staff_pseudonyms`)) >= 1);
  assert.equal(Number(await env.sql(`SELECT count(*) FROM detections WHERE count <= 0`)), 0);
});

test('an altered row is named, and verifies again when restored', async () => {
  const [row] = await env.rows(`SELECT record_id, seq, decision FROM decisions WHERE instance = '${INSTANCE}' AND decision = 'blocked' ORDER BY seq LIMIT 1`);
  await env.sql(`UPDATE decisions SET decision = 'allowed' WHERE record_id = '${row.record_id}'`);
  let v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`altered: \\[${INSTANCE}\\] record ${row.record_id} \\(seq ${row.seq}\\) was changed`));
  await env.sql(`UPDATE decisions SET decision = 'blocked' WHERE record_id = '${row.record_id}'`);
  v = await verify();
  assert.equal(v.code, 0, v.out);

  // a changed token count or latency is found just the same
  await env.sql(`UPDATE decisions SET latency_ms = latency_ms + 1 WHERE record_id = '${row.record_id}'`);
  v = await verify();
  assert.match(v.out, new RegExp(`altered: .*record ${row.record_id}`));
  await env.sql(`UPDATE decisions SET latency_ms = latency_ms - 1 WHERE record_id = '${row.record_id}'`);
  assert.equal((await verify()).code, 0);
});

test('a deleted row is named by its neighbours; an inserted row is named', async () => {
  const rows = await env.rows(`SELECT record_id, seq FROM decisions WHERE instance = '${INSTANCE}' AND seq IN (9, 10, 11) ORDER BY seq`);
  await env.sql(`CREATE TABLE kept AS SELECT * FROM decisions WHERE record_id = '${rows[1].record_id}'`);
  await env.sql(`DELETE FROM decisions WHERE record_id = '${rows[1].record_id}'`);
  let v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`missing: \\[${INSTANCE}\\] records seq 10 are missing \\(between record ${rows[0].record_id} and record ${rows[2].record_id}\\)`));
  await env.sql(`INSERT INTO decisions SELECT * FROM kept; DROP TABLE kept`);
  assert.equal((await verify()).code, 0);

  // a row added with plain SQL (no chain link)
  const fake = `fake-${randomId()}`;
  await env.sql(`INSERT INTO decisions (record_id, request_id, ts, instance, endpoint, decision, latency_ms, status)
                 VALUES ('${fake}', 'x', now(), '${INSTANCE}', '/v1/chat/completions', 'allowed', 1, 200)`);
  v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`inserted: \\[${INSTANCE}\\] record ${fake} has no place in any chain`));
  // … and one that copies a real row's chain position
  await env.sql(`UPDATE decisions SET seq = 5, prev_hash = (SELECT prev_hash FROM decisions WHERE instance = '${INSTANCE}' AND seq = 5),
                 hash = (SELECT hash FROM decisions WHERE instance = '${INSTANCE}' AND seq = 5) WHERE record_id = '${fake}'`);
  v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /seq 5/);
  await env.sql(`DELETE FROM decisions WHERE record_id = '${fake}'`);
  assert.equal((await verify()).code, 0);
});

test('cutting off the newest records is found through the last signed checkpoint', async () => {
  const [last] = await env.rows(`SELECT max(seq) AS seq FROM audit_checkpoints WHERE instance = '${INSTANCE}'`);
  await env.sql(`CREATE TABLE tail AS SELECT * FROM decisions WHERE instance = '${INSTANCE}' AND seq > ${Number(last.seq) - 3}`);
  await env.sql(`DELETE FROM decisions WHERE instance = '${INSTANCE}' AND seq > ${Number(last.seq) - 3}`);
  const v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`missing: \\[${INSTANCE}\\] records seq ${Number(last.seq) - 2}–${last.seq} were signed at .* but are gone`));
  await env.sql(`INSERT INTO decisions SELECT * FROM tail; DROP TABLE tail`);
  assert.equal((await verify()).code, 0);
});

test('a forged checkpoint signature is found; without the public key signatures are not checked', async () => {
  const [cp] = await env.rows(`SELECT seq, encode(signature, 'hex') AS sig FROM audit_checkpoints WHERE instance = '${INSTANCE}' ORDER BY seq LIMIT 1`);
  await env.sql(`UPDATE audit_checkpoints SET signature = decode(repeat('00', 64), 'hex') WHERE instance = '${INSTANCE}' AND seq = ${cp.seq}`);
  const v = await verify();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`checkpoint: \\[${INSTANCE}\\] the checkpoint at seq ${cp.seq} .* has no valid signature`));
  const plain = await env.cli(['audit', 'verify', '--database-url', env.dbUrl]);
  assert.equal(plain.code, 0, plain.stdout + plain.stderr);
  assert.match(plain.stdout, /checkpoint signatures not checked/);
  await env.sql(`UPDATE audit_checkpoints SET signature = decode('${cp.sig}', 'hex') WHERE instance = '${INSTANCE}' AND seq = ${cp.seq}`);
  assert.equal((await verify()).code, 0);
});

test('after a key rotation, verify takes the old and the new public key', { timeout: 30000 }, async () => {
  const newKey = path.join(env.tmpDir, 'audit-signing-2.key');
  assert.equal((await env.cli(['audit', 'keygen', '--out', newKey])).code, 0);
  env.gateway = await env.startGateway({ label: 'rotated', config: { ...gatewayConfig(), audit: { ...gatewayConfig().audit, signing_key_file: newKey } } });
  await env.waitKeyStatus(key.key, 200);
  await send(10, 'neuer Schlüssel');
  await env.gateway.stop();
  let v = await verify();  // the old key only
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /no valid signature of the given keys/);
  publicKeys = `${signKey}.pub,${newKey}.pub`;
  v = await verify();
  assert.equal(v.code, 0, v.out);
});

test('a second gateway with the same instance name cannot fork the chain', { timeout: 30000 }, async () => {
  env.gateway = await env.startGateway({ label: 'owner', config: gatewayConfig() });
  // the twin has a spool: it must not take records there either (they would fork the chain)
  const twinConfig = gatewayConfig();
  twinConfig.audit.spool_dir = path.join(env.tmpDir, 'twin-spool');
  const twin = await env.startGateway({ label: 'twin', config: twinConfig, wait: false });
  await waitFor(() => /another gateway is writing the audit chain of instance/.test(twin.log.text()),
    { timeout: 10000, message: 'twin refuses to write the chain' });
  const r = await fetch(`${twin.url}/readyz`);
  assert.equal(r.status, 503, 'the twin is not ready');
  const chat = await env.request('/v1/chat/completions', {
    gw: twin, key: key.key, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Zwilling' }] },
  });
  assert.equal(chat.status, 503, 'the twin refuses requests (fail closed)');
  await twin.stop();
  await env.gateway.stop();
});

test('usage errors and a missing database are reported with their own exit codes', async () => {
  let r = await env.cli(['audit', 'verify', '--from', 'yesterday', '--database-url', env.dbUrl]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--from must be YYYY-MM-DD/);
  r = await env.cli(['audit', 'verify', '--database-url', 'postgresql://nobody@127.0.0.1:1/none']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot reach the database/);
  r = await env.cli(['audit', 'keygen', '--out', signKey]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /exists; refusing to overwrite/);
});

test('two gateway instances on one database: two chains, every record once, both verify', { timeout: 60000 }, async () => {
  const cfg = (name) => ({ instance: name, audit: { flush_interval_ms: 50, signing_key_file: signKey, checkpoint_interval_ms: 300 } });
  const a = await env.startGateway({ label: 'inst-a', config: cfg(`${INSTANCE}-a`) });
  const b = await env.startGateway({ label: 'inst-b', config: cfg(`${INSTANCE}-b`) });
  await env.waitKeyStatus(key.key, 200, a);
  await env.waitKeyStatus(key.key, 200, b);
  const ids = [];
  const tasks = Array.from({ length: 200 }, (_, i) => async () => {
    const rid = randomId(`two-${i}-`);
    const r = await env.request('/v1/chat/completions', {
      gw: i % 2 ? a : b, key: key.key, headers: { 'x-request-id': rid },
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `zwei ${i}` }] },
    });
    assert.equal(r.status, 200, r.text);
    ids.push(rid);
  });
  await pool(tasks, 12);
  await a.stop();
  await b.stop();
  const rows = await env.rows(`SELECT instance, count(*) AS n, max(seq) AS top FROM decisions WHERE request_id LIKE 'two-%' GROUP BY instance ORDER BY instance`);
  assert.deepEqual(rows.map((r) => [r.instance, Number(r.n)]), [[`${INSTANCE}-a`, 100], [`${INSTANCE}-b`, 100]]);
  for (const inst of ['a', 'b']) {
    const v = await verify(['--instance', `${INSTANCE}-${inst}`]);
    assert.equal(v.code, 0, v.out);
  }
  const all = await verify();
  assert.equal(all.code, 0, all.out);
  assert.match(all.out, /in 3 chains checked/);
});
