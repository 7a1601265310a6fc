// API key authentication: missing, malformed, unknown, wrong-secret and
// revoked keys are refused with 401 in OpenAI shape and audited; valid keys
// work and are pseudonymised in the audit log.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startEnv, test, assertOpenAIError, randomId } from '../support/harness.mjs';

let env;
let good;

const chatBody = (text = 'Hallo Leitplanke') => ({
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: text }],
});

before(async () => {
  env = await startEnv({ name: 'auth' });
  good = await env.createKey('sozialamt', { user: 'anna.beispiel' });
});

after(async () => {
  await env?.stop();
});

async function expect401(rid, opts) {
  const res = await env.chat(opts.key, chatBody(), { headers: { 'x-request-id': rid, ...opts.headers } });
  assertOpenAIError(assert, res, 401, 'invalid_api_key');
  assert.equal(res.requestId, rid);
  assert.equal(res.decision, 'blocked');
  const row = await env.decision(rid);
  assert.equal(row.status, 401);
  assert.equal(row.decision, 'blocked');
  assert.equal(row.error_code, 'invalid_api_key');
  assert.equal(row.user_ref, null, 'user_ref must be NULL for 401');
  assert.equal(row.endpoint, '/v1/chat/completions');
  return { res, row };
}

test('missing Authorization header -> 401', async () => {
  await expect401(randomId('auth-missing-'), {});
});

test('non-Bearer Authorization -> 401', async () => {
  await expect401(randomId('auth-basic-'), { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
});

test('garbage bearer token -> 401', async () => {
  await expect401(randomId('auth-garbage-'), { key: 'not-a-leitplanke-key' });
});

test('unknown key id -> 401', async () => {
  await expect401(randomId('auth-unknown-'), { key: `lp_000000000000_${'a'.repeat(40)}` });
});

test('known key id with wrong secret -> 401', async () => {
  const wrong = `lp_${good.keyId}_${'b'.repeat(40)}`;
  assert.notEqual(wrong, good.key);
  await expect401(randomId('auth-wrongsecret-'), { key: wrong });
});

test('/v1/models also requires a key', async () => {
  const rid = randomId('auth-models-');
  const res = await env.request('/v1/models', { headers: { 'x-request-id': rid } });
  assertOpenAIError(assert, res, 401, 'invalid_api_key');
});

test('valid key works and is pseudonymised in the audit log', async () => {
  const rid = randomId('auth-ok-');
  const res = await env.chat(good.key, chatBody('Wie spät ist es?'), { headers: { 'x-request-id': rid } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.choices[0].message.content, 'Wie spät ist es?');
  assert.equal(res.requestId, rid);
  assert.equal(res.decision, 'allowed');

  const row = await env.decision(rid);
  assert.equal(row.status, 200);
  assert.equal(row.decision, 'allowed');
  assert.equal(row.department, 'sozialamt');
  assert.equal(row.role, 'staff');
  assert.ok(row.user_ref, 'user_ref must be set for authenticated requests');
  assert.notEqual(row.user_ref, 'anna.beispiel');
  assert.ok(!row.user_ref.includes('anna'), 'user_ref must not contain the user id');
  // HMAC-SHA256(pseudonym key, user id), hex of the first 16 bytes.
  // quarterly pseudonyms: HMAC over the user id with a key derived for the quarter
  const now = new Date();
  const period = `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  const periodKey = crypto.createHmac('sha256', env.pseudonymKey).update(`leitplanke-pseudonym-period:${period}`).digest();
  const expectedRef = `${period}:${crypto.createHmac('sha256', periodKey).update('anna.beispiel').digest('hex').slice(0, 32)}`;
  assert.equal(row.user_ref, expectedRef, 'user_ref is not the HMAC pseudonym of the user id for this quarter');

  // Stable pseudonym across requests.
  const rid2 = randomId('auth-ok2-');
  const res2 = await env.chat(good.key, chatBody(), { headers: { 'x-request-id': rid2 } });
  assert.equal(res2.status, 200);
  assert.equal((await env.decision(rid2)).user_ref, row.user_ref);
});

test('same user -> same pseudonym across keys, other users differ', async () => {
  const second = await env.createKey('sozialamt', { user: 'anna.beispiel' });
  const other = await env.createKey('sozialamt', { user: 'bernd.beispiel' });
  const refOf = async (key) => {
    const rid = randomId('auth-ref-');
    const res = await env.chat(key, chatBody(), { headers: { 'x-request-id': rid } });
    assert.equal(res.status, 200, res.text);
    return (await env.decision(rid)).user_ref;
  };
  const [a1, a2, b] = [await refOf(good.key), await refOf(second.key), await refOf(other.key)];
  assert.equal(a1, a2);
  assert.notEqual(a1, b);
});

test('keys created while the gateway runs become usable', async () => {
  // createKey() polls until the key is accepted (keys_refresh_ms = 200).
  const k = await env.createKey('bauamt');
  const res = await env.chat(k.key, chatBody());
  assert.equal(res.status, 200, res.text);
});

test('revoked key -> 401 after the refresh interval', async () => {
  const k = await env.createKey('bauamt');
  const ok = await env.chat(k.key, chatBody());
  assert.equal(ok.status, 200, ok.text);
  await env.revoke(k.keyId, { key: k.key }); // polls until the gateway answers 401
  await expect401(randomId('auth-revoked-'), { key: k.key });
  // Other keys are unaffected.
  const still = await env.chat(good.key, chatBody());
  assert.equal(still.status, 200);
});
