// What reaches the upstream after masking: the client's bytes patched in place when the
// values occur verbatim, the re-serialised request when the client escaped them; valid JSON
// with every other field unchanged either way.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, test, randomId } from '../support/harness.mjs';

let env;
let soz;

before(async () => {
  env = await startEnv({ name: 'redaction' });
  soz = await env.createKey('sozialamt');
});

after(async () => {
  await env?.stop();
});

async function sendRaw(raw) {
  const rid = randomId('redact-');
  const r = await env.request('/v1/chat/completions', {
    key: soz.key, body: raw, headers: { 'content-type': 'application/json', 'x-request-id': rid },
  });
  assert.equal(r.status, 200, r.text);
  const last = await env.mock.last();
  return { r, rid, raw: last.raw, sent: JSON.parse(last.raw) };
}

test('verbatim values are masked in place, in every field, and the rest of the bytes are kept', async () => {
  const raw = '{"model":"gpt-4o-mini",  "messages":[{"role":"user","content":"Mail an anna.berg@example.org, IBAN DE89 3704 0044 0532 0130 00."}],'
    + '"user":"anna.berg@example.org","x_extra":{"keep":[1,2.50,"ä"]}}';
  const { r, rid, raw: upstream, sent } = await sendRaw(raw);
  assert.equal(r.decision, 'redacted');
  assert.ok(!upstream.includes('anna.berg@example.org'), upstream);
  assert.ok(!upstream.includes('0532 0130'), upstream);
  assert.equal(sent.messages[0].content, 'Mail an [EMAIL], IBAN [IBAN].');
  assert.equal(sent.user, '[EMAIL]', 'the same address elsewhere in the body is masked too');
  assert.ok(upstream.includes('"x_extra":{"keep":[1,2.50,"ä"]}'), 'other bytes pass unchanged');
  assert.ok(upstream.startsWith('{"model":"gpt-4o-mini",  "messages"'), 'formatting kept: patched, not re-serialised');
  const row = await env.decision(rid);
  // the "user" field is scanned as well: the address counts twice
  assert.deepEqual(row.entity_counts, { EMAIL: 2, IBAN: 1 });
});

test('values the client escaped are masked through re-serialisation', async () => {
  const raw = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Mail an anna.berg\\u0040example.org bitte"}]}';
  const { raw: upstream, sent } = await sendRaw(raw);
  assert.equal(sent.messages[0].content, 'Mail an [EMAIL] bitte');
  assert.ok(!upstream.includes('anna.berg'), upstream);
});
