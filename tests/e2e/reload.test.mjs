// Policy hot reload: a changed, valid policy takes effect without a restart (file watch and
// SIGHUP); a broken one is reported with FILE:LINE:COL and the running policy stays in force.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startEnv, test, randomId, waitFor, policyAllowing, DEFAULT_POLICY, assertOpenAIError, readSse } from '../support/harness.mjs';

let env;
let soz;
let policyFile;

before(async () => {
  // A second, slow upstream: its streams take ~2 s, long enough to change the policy meanwhile.
  env = await startEnv({
    name: 'reload',
    config: { policy_reload_ms: 200 },
    mocks: { mock: [], slow: ['--chunk-delay-ms', '250', '--chunks', '8'] },
    models: { 'slow-model': 'slow' },
  });
  soz = await env.createKey('sozialamt');
  policyFile = path.join(env.tmpDir, 'policy.yaml');
});

after(async () => {
  await env?.stop();
});

const ask = (model, gw = env.gateway) => env.chat(soz.key, {
  model, messages: [{ role: 'user', content: 'Neue Regeln?' }],
}, { headers: { 'x-request-id': randomId('reload-') }, gw });

function writePolicy(text) {
  // Write to a temporary file and rename, as editors and config management do.
  const tmp = `${policyFile}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, policyFile);
}

test('a changed policy takes effect without a restart; records name the new version', async () => {
  assertOpenAIError(assert, await ask('secret-model'), 403, 'policy_denied');
  writePolicy(policyAllowing(['secret-model']).replace('version: "test-1"', 'version: "test-2"'));
  const r = await waitFor(async () => {
    const res = await ask('secret-model');
    return res.status === 200 ? res : null;
  }, { timeout: 5000, interval: 100, message: 'the new policy to allow secret-model' });
  const row = await env.decision(r.requestId);
  assert.equal(row.policy_version, 'test-2');
  assert.match(env.gateway.logTail(), /policy reloaded \(file changed\): version test-2/);
});

test('a broken policy is reported with file:line:col and the running one stays', async () => {
  writePolicy(`${DEFAULT_POLICY.replace('version: "test-1"', 'version: "test-broken"')}\ncolour: red\n`);
  await waitFor(async () => /policy reload \(file changed\) failed/.test(env.gateway.logTail()),
    { timeout: 5000, interval: 100, message: 'the reload failure in the log' });
  assert.match(env.gateway.logTail(), /policy\.yaml:\d+:1: unknown key 'colour'/);
  const r = await ask('secret-model');
  assert.equal(r.status, 200, 'the last valid policy (test-2) is still in force');
  assert.equal((await env.decision(r.requestId)).policy_version, 'test-2');
});

test('SIGHUP reloads when file watching is off', async () => {
  writePolicy(policyAllowing(['secret-model']).replace('version: "test-1"', 'version: "test-hup-1"'));
  const gw = await env.startGateway({ label: 'hup', config: { policy_reload_ms: 0 } });
  await env.waitKeyStatus(soz.key, 200, gw);
  assert.equal((await ask('secret-model', gw)).status, 200);
  writePolicy(DEFAULT_POLICY.replace('version: "test-1"', 'version: "test-hup-2"'));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal((await ask('secret-model', gw)).status, 200, 'no reload without SIGHUP');
  gw.proc.kill('SIGHUP');
  await waitFor(async () => (await ask('secret-model', gw)).status === 403,
    { timeout: 5000, interval: 100, message: 'the reloaded policy to deny secret-model' });
  assert.match(gw.logTail(), /policy reloaded \(SIGHUP\): version test-hup-2/);
  await gw.stop();
});

test('the kill switch of a service takes effect within seconds and can be undone', async () => {
  const withServices = (enabled) => `${DEFAULT_POLICY.replace('version: "test-1"', `version: "kill-${enabled}"`)
    .replace('redact:', `services:
  cloud:
    provider: Test Cloud
    models: [gpt-4o-mini, gpt-tls]
    hosting: {location: EU, transfer_basis: eea}
    enabled: ${enabled}
  embeddings:
    models: [text-embedding-3-small]
redact:`)}`;
  writePolicy(withServices(true));
  await waitFor(async () => (await ask('gpt-4o-mini')).status === 200, { timeout: 5000, interval: 100, message: 'service enabled' });
  const before = (await env.mock.stats()).requests;
  const flipped = Date.now();
  writePolicy(withServices(false));
  const r = await waitFor(async () => {
    const res = await ask('gpt-4o-mini');
    return res.status === 403 ? res : null;
  }, { timeout: 5000, interval: 50, message: 'the kill switch' });
  const tookMs = Date.now() - flipped;
  assert.ok(tookMs < 3000, `kill switch took ${tookMs} ms`);
  const err = assertOpenAIError(assert, r, 403, 'policy_denied');
  assert.equal(err.rule, 'kill-switch.cloud');
  assert.match(err.message, /Notabschaltung/);
  const afterKill = (await env.mock.stats()).requests;
  assert.equal((await ask('gpt-4o-mini')).status, 403);
  assert.equal((await env.mock.stats()).requests, afterKill, 'a switched-off service received a request');
  assert.ok(afterKill >= before);
  writePolicy(withServices(true));
  await waitFor(async () => (await ask('gpt-4o-mini')).status === 200, { timeout: 5000, interval: 50, message: 'service back' });
});

test('a reload does not fail requests in flight: they finish under the policy they started with', async () => {
  writePolicy(policyAllowing(['slow-model']).replace('version: "test-1"', 'version: "flight-1"'));
  await waitFor(async () => (await ask('slow-model')).status === 200, { timeout: 8000, interval: 100, message: 'flight-1' });
  const rid = randomId('in-flight-');
  const t0 = Date.now();
  const res = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${soz.key}`, 'content-type': 'application/json', 'x-request-id': rid },
    body: JSON.stringify({ model: 'slow-model', stream: true, messages: [{ role: 'user', content: 'Eine lange Antwort bitte' }] }),
  });
  assert.equal(res.status, 200);
  const reading = readSse(res, t0);
  // While the answer streams, the model is withdrawn.
  writePolicy(DEFAULT_POLICY.replace('version: "test-1"', 'version: "flight-2"'));
  await waitFor(async () => (await ask('slow-model')).status === 403, { timeout: 5000, interval: 50, message: 'flight-2' });
  const changedAt = Date.now() - t0;
  const events = await reading;
  assert.ok(events.at(-1).at > changedAt, 'the stream was still running when the policy changed');
  assert.equal(events.at(-1).data, '[DONE]');
  const text = events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data).choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, 'Eine lange Antwort bitte');
  const row = await env.decision(rid);
  assert.equal(row.status, 200);
  assert.equal(row.policy_version, 'flight-1');
});

test('compiling a pattern-heavy policy does not hold up new connections or requests', { timeout: 60000 }, async () => {
  const http = await import('node:http');
  // New connection each time (no keep-alive): the acceptor must keep accepting while a policy
  // compiles (the example policy's content patterns take seconds).
  const healthz = () => new Promise((resolve, reject) => {
    const t0 = performance.now();
    http.get(`${env.gateway.url}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - t0));
    }).on('error', reject);
  });
  const heavy = fs.readFileSync(new URL('../../deploy/policy.yaml', import.meta.url), 'utf8')
    .replace(/^version: .*$/m, 'version: "heavy-1"');
  const t0 = Date.now();
  writePolicy(heavy);
  const latencies = [];
  let reloaded = false;
  while (!reloaded && Date.now() - t0 < 30000) {
    latencies.push(await healthz());
    reloaded = /policy reloaded \(file changed\): version heavy-1/.test(env.gateway.logTail());
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(reloaded, 'the heavy policy was not loaded');
  const during = latencies.length;
  assert.ok(during >= 3, `only ${during} requests while it compiled (${Date.now() - t0} ms)`);
  assert.ok(Math.max(...latencies) < 1000, `a new connection waited ${Math.max(...latencies).toFixed(0)} ms while the policy compiled`);
});
