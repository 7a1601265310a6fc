// Policy decisions: default deny, department-specific deny on detected
// entities, allow rules, unknown models. Denied requests never reach the
// upstream and are audited as 'blocked'.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, test, assertOpenAIError, randomId } from '../support/harness.mjs';

let env;
let soz;
let personal;
let garten;

const IBAN = 'DE89 3704 0044 0532 0130 00';

before(async () => {
  env = await startEnv({ name: 'policy' });
  [soz, personal, garten] = await Promise.all([
    env.createKey('sozialamt'),
    env.createKey('personalamt', { role: 'admin' }),
    env.createKey('gartenamt'),
  ]);
});

after(async () => {
  await env?.stop();
});

const chat = (key, model, text, rid, extra = {}) => env.chat(key, {
  model, messages: [{ role: 'user', content: text }], ...extra,
}, { headers: { 'x-request-id': rid } });

async function expectDenied({ key, model, text, rule, extra }) {
  const before = (await env.mock.stats()).requests;
  const rid = randomId('deny-');
  const res = await chat(key, model, text, rid, extra);
  const err = assertOpenAIError(assert, res, 403, 'policy_denied');
  assert.equal(err.rule, rule, res.text);
  assert.ok(err.message.includes(rule), `rule id not in message: ${err.message}`);
  assert.equal(res.decision, 'blocked');
  const row = await env.decision(rid);
  assert.equal(row.status, 403);
  assert.equal(row.decision, 'blocked');
  assert.equal(row.error_code, 'policy_denied');
  assert.ok(Array.isArray(row.rule_ids) && row.rule_ids.includes(rule), `rule_ids ${JSON.stringify(row.rule_ids)}`);
  assert.equal(row.model, model);
  assert.equal(row.policy_version, 'test-1');
  // The audit row is written after the response; by now any forwarded
  // request would long have reached the mock.
  assert.equal((await env.mock.stats()).requests, before, 'a denied request reached the upstream');
  return { res, row, err };
}

test('model no department may use -> 403 default-deny', async () => {
  await expectDenied({ key: soz.key, model: 'secret-model', text: 'Geheimes Modell?', rule: 'default-deny' });
});

test('streamed request to a denied model gets a JSON 403, not SSE', async () => {
  const { res } = await expectDenied({
    key: soz.key, model: 'secret-model', text: 'stream?', rule: 'default-deny', extra: { stream: true },
  });
  assert.match(res.headers.get('content-type') || '', /^application\/json/);
});

test('department without any allow rule -> 403 default-deny', async () => {
  await expectDenied({ key: garten.key, model: 'gpt-4o-mini', text: 'Rasen mähen?', rule: 'default-deny' });
});

test('personalamt with an IBAN -> 403 deny-iban-personalamt, never forwarded', async () => {
  const { row } = await expectDenied({
    key: personal.key, model: 'gpt-4o-mini',
    text: `Gehalt bitte auf ${IBAN} überweisen.`, rule: 'deny-iban-personalamt',
  });
  assert.equal(row.department, 'personalamt');
  assert.equal(row.role, 'admin');
  assert.equal(row.entity_counts?.IBAN, 1, JSON.stringify(row.entity_counts));
});

test('personalamt with an IBAN in an earlier message is denied too', async () => {
  const before = (await env.mock.stats()).requests;
  const rid = randomId('deny-hist-');
  const res = await env.chat(personal.key, {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'user', content: `Meine IBAN ist DE89370400440532013000.` },
      { role: 'assistant', content: 'Danke.' },
      { role: 'user', content: 'Und jetzt?' },
    ],
  }, { headers: { 'x-request-id': rid } });
  const err = assertOpenAIError(assert, res, 403, 'policy_denied');
  assert.equal(err.rule, 'deny-iban-personalamt');
  await env.decision(rid);
  assert.equal((await env.mock.stats()).requests, before);
});

test('personalamt without IBAN is allowed', async () => {
  const rid = randomId('allow-pa-');
  const res = await chat(personal.key, 'gpt-4o-mini', 'Urlaubsantrag formulieren', rid);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.decision, 'allowed');
  const row = await env.decision(rid);
  assert.equal(row.decision, 'allowed');
  assert.ok(row.rule_ids.includes('allow-standard'));
});

test('personalamt with an invalid IBAN is allowed and forwarded unchanged', async () => {
  const invalid = 'DE00 3704 0044 0532 0130 00';
  const rid = randomId('allow-pa-inv-');
  const res = await chat(personal.key, 'gpt-4o-mini', `Nummer ${invalid}`, rid);
  assert.equal(res.status, 200, res.text);
  assert.equal((await env.mock.last()).body.messages[0].content, `Nummer ${invalid}`);
});

test('personalamt with only an e-mail is allowed and redacted', async () => {
  const rid = randomId('allow-pa-mail-');
  const res = await chat(personal.key, 'gpt-4o-mini', 'Mail an personal@stadt.example', rid);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.decision, 'redacted');
  assert.equal((await env.mock.last()).body.messages[0].content, 'Mail an [EMAIL]');
  const row = await env.decision(rid);
  assert.equal(row.decision, 'redacted');
  assert.equal(row.entity_counts.EMAIL, 1);
});

test('sozialamt with an IBAN is allowed (deny rule is HR only) and redacted', async () => {
  const rid = randomId('allow-soz-iban-');
  const res = await chat(soz.key, 'gpt-4o-mini', `Leistung auf ${IBAN}`, rid);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.decision, 'redacted');
  assert.equal((await env.mock.last()).body.messages[0].content, 'Leistung auf [IBAN]');
});

test('unknown model -> 404 model_not_found', async () => {
  const before = (await env.mock.stats()).requests;
  const rid = randomId('nomodel-');
  const res = await chat(soz.key, 'gpt-does-not-exist', 'Hallo', rid);
  assertOpenAIError(assert, res, 404, 'model_not_found');
  const row = await env.decision(rid);
  assert.equal(row.status, 404);
  assert.equal(row.error_code, 'model_not_found');
  assert.equal((await env.mock.stats()).requests, before);
});

test('embeddings obey the policy too', async () => {
  const ok = await env.request('/v1/embeddings', { key: soz.key, body: { model: 'text-embedding-3-small', input: 'Text' } });
  assert.equal(ok.status, 200, ok.text);
  const denied = await env.request('/v1/embeddings', { key: garten.key, body: { model: 'text-embedding-3-small', input: 'Text' } });
  const err = assertOpenAIError(assert, denied, 403, 'policy_denied');
  assert.equal(err.rule, 'default-deny');
});
