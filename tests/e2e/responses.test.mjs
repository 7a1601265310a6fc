// Response rules: with responses.scan_personal_data the decision log counts the personal data
// in answers (plain and streamed), never the values themselves.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, test, randomId, readSse } from '../support/harness.mjs';

const POLICY = `version: "responses-1"
redact: {EMAIL: keep, IBAN: mask}
responses: {scan_personal_data: true}
rules:
  - id: allow-standard
    effect: allow
    when: {departments: [sozialamt]}
`;

let env;
let soz;

before(async () => {
  env = await startEnv({ name: 'responses', policy: POLICY });
  soz = await env.createKey('sozialamt');
});

after(async () => {
  await env?.stop();
});

test('personal data in a plain answer is counted, not stored', async () => {
  const rid = randomId('resp-');
  const r = await env.chat(soz.key, {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Antwort an lisa.k@example.org und IBAN DE89370400440532013000' }],
  }, { headers: { 'x-request-id': rid } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.choices[0].message.content, /lisa\.k@example\.org/, 'EMAIL is kept by this policy');
  const row = await env.decision(rid);
  assert.deepEqual(row.answer_entity_counts, { EMAIL: 1 }, 'the IBAN was masked before, so the answer has none');
  assert.deepEqual(row.entity_counts, { EMAIL: 1, IBAN: 1 });
  const dump = JSON.stringify(await env.rows(`SELECT * FROM decisions WHERE request_id = '${rid}'`));
  assert.ok(!dump.includes('lisa.k'), 'no value in the decision log');
});

test('personal data in a streamed answer is counted', async () => {
  const rid = randomId('resp-stream-');
  const res = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${soz.key}`, 'content-type': 'application/json', 'x-request-id': rid },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'a@example.org b@example.org' }] }),
  });
  assert.equal(res.status, 200);
  await readSse(res);
  const row = await env.decision(rid);
  assert.deepEqual(row.answer_entity_counts, { EMAIL: 2 }, 'values split across events are found too');
});
