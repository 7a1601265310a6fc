// Personal data of every type, in every kind of message (system, user, assistant history,
// tool-call arguments, tool results), never reaches the AI service in clear: with
// `pseudonymize` the service sees placeholders and staff get their values back, whole and
// streamed (official openai client); with `mask` the values are gone for good.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startEnv, test, randomId } from '../support/harness.mjs';

const TYPES = ['PERSON', 'EMAIL', 'PHONE', 'ADDRESS', 'IBAN', 'BIC', 'CREDIT_CARD', 'TAX_ID', 'VAT_ID',
  'SOCIAL_SECURITY', 'ID_CARD', 'PASSPORT', 'DATE_OF_BIRTH', 'LICENSE_PLATE', 'IP_ADDRESS', 'HEALTH', 'CASE_NUMBER',
  'SECRET'];

const POLICY = `version: "pii-1"
redact: {${TYPES.map((t) => `${t}: pseudonymize`).join(', ')}}
rules:
  - id: allow-all
    effect: allow
  - id: mask-for-secret-model
    effect: redact
    redact: {${TYPES.map((t) => `${t}: mask`).join(', ')}}
    when: {models: [secret-model]}
`;

// value -> the text around it; every type once.
const VALUES = {
  PERSON: ['Mehmet Öztürk', 'Sehr geehrter Herr Mehmet Öztürk,'],
  EMAIL: ['anna.berg@kreis-wesel.de', 'Mail: anna.berg@kreis-wesel.de'],
  PHONE: ['0281 207-4711', 'Tel. 0281 207-4711'],
  ADDRESS: ['Reeser Landstraße 31, 46483 Wesel', 'wohnhaft Reeser Landstraße 31, 46483 Wesel.'],
  IBAN: ['DE89 3704 0044 0532 0130 00', 'IBAN DE89 3704 0044 0532 0130 00'],
  BIC: ['COBADEFFXXX', 'BIC COBADEFFXXX'],
  CREDIT_CARD: ['4111 1111 1111 1111', 'Kreditkarte 4111 1111 1111 1111'],
  TAX_ID: ['36 574 261 809', 'Steuer-ID 36 574 261 809'],
  VAT_ID: ['DE136695976', 'USt-IdNr. DE136695976'],
  SOCIAL_SECURITY: ['15 070649 C 103', 'Rentenversicherungsnummer 15 070649 C 103'],
  ID_CARD: ['T220001293', 'Personalausweis T220001293'],
  PASSPORT: ['C01X00T47', 'Reisepass C01X00T47'],
  DATE_OF_BIRTH: ['12.03.1985', 'geb. 12.03.1985'],
  LICENSE_PLATE: ['WES-AB 123', 'Kennzeichen WES-AB 123'],
  IP_ADDRESS: ['192.168.10.5', 'Zugriff von 192.168.10.5'],
  HEALTH: ['Pflegegrad 3', 'hat Pflegegrad 3'],
  CASE_NUMBER: ['50-123/26', 'Az. 50-123/26'],
  SECRET: ['Sommer2024!', 'Passwort: Sommer2024!'],
};
const lastUser = Object.values(VALUES).map(([, sentence]) => sentence).join('\n');

const messages = [
  { role: 'system', content: 'Sachbearbeiterin: Petra Lang, Tel. 0281 207-4711' },
  { role: 'user', content: 'Schreibe an Frau Yılmaz, Am Markt 7a, wegen Az. 50-123/26.' },
  {
    role: 'assistant', content: null,
    tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ email: 'anna.berg@kreis-wesel.de', iban: 'DE89370400440532013000' }) } }],
  },
  { role: 'tool', tool_call_id: 'call_1', content: 'Treffer: Kennzeichen WES-AB 123, Halter Mehmet Öztürk' },
  { role: 'user', content: lastUser },
];
const everyValue = [...Object.values(VALUES).map(([v]) => v), 'Petra Lang', 'Yılmaz', 'Am Markt 7a', 'DE89370400440532013000'];

let env;
let key;
let client;

before(async () => {
  env = await startEnv({ name: 'pii', policy: POLICY, mocks: { mock: ['--chunks', '97'] } });
  key = (await env.createKey('sozialamt')).key;
  client = new OpenAI({ baseURL: `${env.gatewayUrl}/v1`, apiKey: key, maxRetries: 0, timeout: 20000 });
});

after(async () => {
  await env?.stop();
});

function assertNothingInClear(raw) {
  for (const v of everyValue) assert.ok(!raw.includes(v), `the upstream received "${v}":\n${raw}`);
}

test('every type in every message is replaced before forwarding and restored in the answer', async () => {
  const rid = randomId('pii-');
  const r = await env.request('/v1/chat/completions', {
    key, headers: { 'x-request-id': rid }, body: { model: 'gpt-4o-mini', messages },
  });
  assert.equal(r.status, 200, r.text);
  const raw = (await env.mock.last()).raw;
  assertNothingInClear(raw);
  const sent = JSON.parse(raw);
  for (const t of TYPES) assert.match(sent.messages[4].content, new RegExp(`<${t}_\\d+>`), `no placeholder for ${t}`);
  // The same value has the same placeholder in every message.
  const phone = /Tel\. (<PHONE_\d+>)/.exec(sent.messages[0].content)[1];
  assert.ok(sent.messages[4].content.includes(`Tel. ${phone}`));
  assert.ok(JSON.parse(sent.messages[2].tool_calls[0].function.arguments).email.startsWith('<EMAIL_'));
  assert.equal(r.json.choices[0].message.content, lastUser, 'staff read their own values');
  const row = await env.decision(rid);
  for (const t of TYPES) assert.ok(row.entity_counts[t] >= 1, `${t} not counted: ${JSON.stringify(row.entity_counts)}`);
});

test('streamed: placeholders split across 97 events come back whole (openai client)', async () => {
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let text = '';
  for await (const ev of stream) text += ev.choices[0]?.delta?.content ?? '';
  assertNothingInClear((await env.mock.last()).raw);
  assert.equal(text, lastUser);
});

test('masked values are gone for good: the answer keeps the masks', async () => {
  const r = await env.request('/v1/chat/completions', { key, body: { model: 'secret-model', messages } });
  assert.equal(r.status, 200, r.text);
  assertNothingInClear((await env.mock.last()).raw);
  const answer = r.json.choices[0].message.content;
  for (const t of TYPES) assert.ok(answer.includes(`[${t}]`), `[${t}] missing in ${answer}`);
  for (const v of everyValue) assert.ok(!answer.includes(v));
});
