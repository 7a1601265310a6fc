// Ethics rules on content and use case: decisions on applications need confirmed human review
// (428 until the client resends with X-Leitplanke-Acknowledge), prohibited practices are
// refused, and rules can depend on the declared purpose (X-Leitplanke-Purpose). Nothing
// refused reaches the upstream; every request has its record.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, test, assertOpenAIError, randomId, waitFor } from '../support/harness.mjs';

const POLICY = `version: "ethics-1"
redact: {EMAIL: mask, IBAN: mask}
rules:
  - id: allow-standard
    effect: allow
    when: {departments: [sozialamt, bauamt], models: [gpt-4o-mini, secret-model]}
  - id: training-required
    effect: deny
    when: {departments: [bauamt], training: missing}
    reference: "Art. 4 KI-VO"
    explanation: "Bitte zuerst die KI-Schulung absolvieren."
  - id: human-decision
    effect: require_acknowledgement
    when:
      patterns: ['(bewillig|ablehn|entscheid)[^.!?]{0,80}(antrag|widerspruch)']
    reference: "DV KI § 6; Art. 22 DSGVO"
    explanation: "Über Anträge entscheiden Menschen."
  - id: prohibited-scoring
    effect: deny
    when:
      patterns: ['sozial\\w*\\W*(punkte|score)']
    reference: "Art. 5 KI-VO"
    explanation: "Social Scoring ist verboten."
  - id: social-data-internal
    effect: route
    to: secret-model
    when: {purposes: [sozialdaten]}
  - id: secret-model-notice
    effect: warn
    when: {models: [secret-model]}
    explanation: "Erprobungsmodell: Antworten besonders sorgfältig prüfen."
  - id: citizen-letters-internal-only
    effect: deny
    when: {purposes: [buergerbrief], models: [gpt-4o-mini]}
    explanation: "Briefe an Bürgerinnen und Bürger nur mit dem internen Modell."
`;

let env;
let soz;

before(async () => {
  env = await startEnv({ name: 'ethics', policy: POLICY });
  soz = await env.createKey('sozialamt');
});

after(async () => {
  await env?.stop();
});

const ask = (text, headers = {}, model = 'gpt-4o-mini') => {
  const rid = randomId('ethics-');
  return env.chat(soz.key, { model, messages: [{ role: 'user', content: text }] },
    { headers: { 'x-request-id': rid, ...headers } }).then((r) => ({ ...r, rid }));
};

test('a decision on an application needs confirmed human review; then it is forwarded', async () => {
  const before = (await env.mock.stats()).requests;
  const r = await ask('Bitte bewilligen Sie den Antrag von Frau K.');
  const err = assertOpenAIError(assert, r, 428, 'acknowledgement_required');
  assert.equal(err.rule, 'human-decision');
  assert.match(err.message, /X-Leitplanke-Acknowledge: human-review/);
  assert.match(err.message, /human-decision, DV KI § 6/);
  assert.equal((await env.mock.stats()).requests, before, 'forwarded without acknowledgement');
  const row = await env.decision(r.rid);
  assert.equal(row.status, 428);
  assert.equal(row.decision, 'blocked');
  assert.equal(row.error_code, 'acknowledgement_required');
  assert.equal(row.acknowledged, false);

  const ok = await ask('Bitte bewilligen Sie den Antrag von Frau K.', { 'x-leitplanke-acknowledge': 'human-review' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await env.mock.stats()).requests, before + 1);
  const okRow = await env.decision(ok.rid);
  assert.equal(okRow.acknowledged, true);
  assert.deepEqual([...okRow.rule_ids].sort(), ['allow-standard', 'human-decision']);
});

test('prohibited practices are refused even with confirmed review', async () => {
  const before = (await env.mock.stats()).requests;
  const r = await ask('Berechne einen Sozialscore für diese Familie', { 'x-leitplanke-acknowledge': 'human-review' });
  const err = assertOpenAIError(assert, r, 403, 'policy_denied');
  assert.equal(err.rule, 'prohibited-scoring');
  assert.equal((await env.mock.stats()).requests, before);
});

test('rules can depend on the declared purpose, which the record keeps', async () => {
  const denied = await ask('Entwurf eines Schreibens', { 'x-leitplanke-purpose': 'buergerbrief' });
  assert.equal(assertOpenAIError(assert, denied, 403, 'policy_denied').rule, 'citizen-letters-internal-only');
  assert.equal((await env.decision(denied.rid)).purpose, 'buergerbrief');
  const other = await ask('Entwurf eines Vermerks', { 'x-leitplanke-purpose': 'vermerk' });
  assert.equal(other.status, 200, other.text);
  assert.equal((await env.decision(other.rid)).purpose, 'vermerk');
});

test('malformed purpose or acknowledgement headers get a clear 400', async () => {
  assertOpenAIError(assert, await ask('x', { 'x-leitplanke-acknowledge': 'yes' }), 400, 'invalid_request');
  assertOpenAIError(assert, await ask('x', { 'x-leitplanke-purpose': 'Bürger brief' }), 400, 'invalid_request');
});

test('AI-literacy training: refused without it, allowed once recorded, refused again when expired', async () => {
  const bau = await env.createKey('bauamt', { wait: false });
  const chatAs = (key) => env.chat(key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hallo' }] },
    { headers: { 'x-request-id': randomId('training-') } });
  let r;
  await waitFor(async () => (r = await chatAs(bau.key)).status === 403, { timeout: 5000, message: 'key active, untrained' });
  assert.equal(assertOpenAIError(assert, r, 403, 'policy_denied').rule, 'training-required');

  const today = new Date();
  const iso = (d) => d.toISOString().slice(0, 10);
  const nextYear = new Date(today.getTime() + 365 * 86400000);
  const set = await env.cli(['keys', 'training', bau.keyId, iso(nextYear), '--database-url', env.dbUrl]);
  assert.equal(set.code, 0, set.stderr);
  await waitFor(async () => (await chatAs(bau.key)).status === 200, { timeout: 5000, message: 'training to take effect' });
  const list = await env.cli(['keys', 'list', '--database-url', env.dbUrl]);
  assert.match(list.stdout, new RegExp(`${bau.keyId}.*${iso(nextYear)}`));

  const yesterday = new Date(today.getTime() - 86400000);
  assert.equal((await env.cli(['keys', 'training', bau.keyId, iso(yesterday), '--database-url', env.dbUrl])).code, 0);
  await waitFor(async () => (await chatAs(bau.key)).status === 403, { timeout: 5000, message: 'expired training' });

  const bad = await env.cli(['keys', 'training', bau.keyId, '2026-02-30', '--database-url', env.dbUrl]);
  assert.equal(bad.code, 2, 'an impossible date is a usage error');
});

test('warn rules let the request through and tell the client which notice applies', async () => {
  const r = await ask('Hallo Erprobung', {}, 'secret-model');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-leitplanke-notice'), 'secret-model-notice');
  const row = await env.decision(r.rid);
  assert.ok(row.rule_ids.includes('secret-model-notice'), JSON.stringify(row.rule_ids));
  const plain = await ask('Hallo');
  assert.equal(plain.headers.get('x-leitplanke-notice'), null);
});

test('route rules send the request to another model; the record keeps both', async () => {
  const r = await ask('Fallnotiz', { 'x-leitplanke-purpose': 'sozialdaten' });
  assert.equal(r.status, 200, r.text);
  const last = await env.mock.last();
  const sent = typeof last.body === 'string' ? JSON.parse(last.body) : last.body;
  assert.equal(sent.model, 'secret-model', 'the upstream got the routed model');
  const row = await env.decision(r.rid);
  assert.equal(row.model, 'gpt-4o-mini');
  assert.equal(row.routed_to, 'secret-model');
  assert.equal(row.rule_ids[0], 'social-data-internal');
  assert.equal(r.headers.get('x-leitplanke-notice'), 'secret-model-notice', 'the target model\'s notice applies');
});
