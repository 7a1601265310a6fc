// Several administrations on one installation: each key belongs to a tenant, whose own policy
// decides its requests, lists its models and is reloaded on its own; records carry the tenant.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startEnv, test, assertOpenAIError, randomId, waitFor } from '../support/harness.mjs';

const policy = (version, model, extra = '') => `version: "${version}"
rules:
  - id: allow-${model}
    effect: allow
    when: {models: [${model}]}
${extra}`;

let env;

async function key(tenant, department = 'sozialamt') {
  const r = await env.cli(['keys', 'create', '--user', randomId('u-'), '--department', department,
    '--tenant', tenant, '--database-url', env.dbUrl]);
  assert.equal(r.code, 0, r.stderr);
  const k = r.stdout.trim();
  await env.waitKeyStatus(k, tenant === 'nirgendwo' ? 403 : 200);
  return k;
}

const chat = (k, model, rid = randomId('tenant-')) => env.request('/v1/chat/completions', {
  key: k, headers: { 'x-request-id': rid }, body: { model, messages: [{ role: 'user', content: 'Hallo' }] },
});

before(async () => {
  env = await startEnv({ name: 'tenants', gateway: false });
  fs.writeFileSync(path.join(env.tmpDir, 'policy.yaml'), policy('kreis-1', 'gpt-4o-mini'));
  fs.writeFileSync(path.join(env.tmpDir, 'policy-gemeinde.yaml'), policy('gemeinde-1', 'secret-model'));
  env.gateway = await env.startGateway({
    label: 'main',
    config: { tenant: 'kreis', tenants: { gemeinde: { policy: 'policy-gemeinde.yaml' } }, policy_reload_ms: 100 },
  });
});

after(async () => {
  await env?.stop();
});

test('each tenant is decided by its own policy, and the record says which', async () => {
  const kreis = await key('kreis');
  const gemeinde = await key('gemeinde');
  const rid1 = randomId('kreis-');
  assert.equal((await chat(kreis, 'gpt-4o-mini', rid1)).status, 200);
  assertOpenAIError(assert, await chat(kreis, 'secret-model'), 403, 'policy_denied');
  const rid2 = randomId('gemeinde-');
  assert.equal((await chat(gemeinde, 'secret-model', rid2)).status, 200);
  assertOpenAIError(assert, await chat(gemeinde, 'gpt-4o-mini'), 403, 'policy_denied');
  const a = await env.decision(rid1);
  const b = await env.decision(rid2);
  assert.equal(a.tenant, 'kreis');
  assert.equal(a.policy_version, 'kreis-1');
  assert.equal(b.tenant, 'gemeinde');
  assert.equal(b.policy_version, 'gemeinde-1');

  const models = async (k) => (await env.request('/v1/models', { key: k })).json.data.map((m) => m.id);
  assert.deepEqual(await models(kreis), ['gpt-4o-mini']);
  assert.deepEqual(await models(gemeinde), ['secret-model']);

  const list = await env.cli(['keys', 'list', '--database-url', env.dbUrl]);
  assert.match(list.stdout, /TENANT/);
  assert.match(list.stdout, /gemeinde\n/);
});

test('a key of a tenant this gateway does not serve is refused, naming the tenant', async () => {
  const stray = await key('nirgendwo');
  const rid = randomId('stray-');
  const e = assertOpenAIError(assert, await chat(stray, 'gpt-4o-mini', rid), 403, 'policy_denied');
  assert.match(e.message, /nirgendwo/);
  const row = await env.decision(rid);
  assert.equal(row.tenant, 'nirgendwo');
  assert.equal(row.decision, 'blocked');
});

test('one tenant\'s policy reloads on its own; a broken file keeps its old policy', async () => {
  const kreis = await key('kreis');
  const gemeinde = await key('gemeinde');
  const file = path.join(env.tmpDir, 'policy-gemeinde.yaml');
  fs.writeFileSync(file, policy('gemeinde-2', 'gpt-4o-mini'));
  await waitFor(async () => (await chat(gemeinde, 'gpt-4o-mini')).status === 200, { message: 'gemeinde-2 in force' });
  assert.equal((await chat(kreis, 'gpt-4o-mini')).status, 200, 'kreis unaffected');
  fs.writeFileSync(file, 'version: "gemeinde-3"\nrules:\n  - id: x\n    effect: sometimes\n');
  await waitFor(() => /policy reload \(file changed\) failed of tenant 'gemeinde'; keeping policy gemeinde-2/.test(env.gateway.log.text()), { message: 'reload failure logged' });
  const rid = randomId('after-bad-');
  assert.equal((await chat(gemeinde, 'gpt-4o-mini', rid)).status, 200);
  assert.equal((await env.decision(rid)).policy_version, 'gemeinde-2');
  assert.match(env.gateway.log.text(), /policy-gemeinde\.yaml:4:13: unknown effect 'sometimes'/);
});

test('configuration errors name the tenant entry', async () => {
  const r = await env.cli(['serve', '--config', env.writeConfig('bad', { tenants: { 'Gemeinde A': { policy: 'x.yaml' }, ok: { file: 'x.yaml' } } })]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /tenant name 'Gemeinde A' must be 1-64 characters/);
  assert.match(r.stderr, /unknown key 'file' \(allowed: policy\)/);
  assert.match(r.stderr, /tenant 'ok' needs a 'policy' file/);
});
