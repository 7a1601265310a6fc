// What staff read: reversible pseudonyms are put back in the answer (whole and streamed, also
// when a placeholder is split across events) while the AI service only ever sees placeholders;
// citizen-facing use cases get the Art. 50 label; warn notices appear in the answer text;
// purpose binding, time windows and special categories decide as the policy says.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startEnv, test, assertOpenAIError, randomId } from '../support/harness.mjs';

const pad = (n) => String(n).padStart(2, '0');
const clock = (minutes) => {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
};
const now = new Date();
const nowMinute = now.getUTCHours() * 60 + now.getUTCMinutes();

const POLICY = `version: "answers-1"
timezone: UTC
purposes:
  vermerk: {title: Interner Vermerk}
  buergerbrief: {title: Schreiben an Bürgerinnen und Bürger, citizen_facing: true}
data_classes:
  gesundheit: {special_category: true, patterns: ['diagnose', 'pflegegrad']}
services:
  eu-cloud:
    models: [gpt-4o-mini, secret-model]
    hosting: {location: EU, transfer_basis: eea}
  us-cloud:
    models: [gpt-tls]
    hosting: {location: US, transfer_basis: scc}
  intern:
    models: [text-embedding-3-small]
responses:
  ai_label: {de: "KI-generierter Text, geprüft.", en: "AI-generated text, reviewed."}
redact: {EMAIL: pseudonymize, IBAN: mask}
rules:
  - id: allow-standard
    effect: allow
    when: {departments: [sozialamt, bauamt, personalamt], models: [gpt-4o-mini, secret-model, gpt-tls]}
  - id: health-never-to-us
    effect: deny
    when: {services: [us-cloud], data_classes: [gesundheit]}
    reference: "Art. 9, Art. 44 DSGVO"
    explanation: "Gesundheitsdaten dürfen nicht in die USA."
  - id: trial-model-sees-iban
    effect: redact
    redact: {IBAN: keep, EMAIL: mask}
    when: {models: [secret-model]}
  - id: trial-notice
    effect: warn
    when: {models: [secret-model]}
    reference: "DV KI § 8"
    explanation: "Erprobungsmodell: Antwort sorgfältig prüfen."
  - id: maintenance-window
    effect: deny
    when:
      departments: [bauamt]
      time: {from: "${clock(nowMinute - 60)}", to: "${clock(nowMinute + 60)}"}
    explanation: "Wartungsfenster: zurzeit keine Nutzung."
  - id: later-window
    effect: deny
    when:
      departments: [personalamt]
      time: {from: "${clock(nowMinute + 120)}", to: "${clock(nowMinute + 180)}"}
    explanation: "Nicht in diesem Zeitfenster."
`;

let env;
let soz;
let client;

before(async () => {
  // Streams come in 40 pieces of one or two characters: every placeholder is split.
  env = await startEnv({ name: 'answers', policy: POLICY, mocks: { mock: ['--chunks', '40'] } });
  soz = await env.createKey('sozialamt');
  client = new OpenAI({ baseURL: `${env.gatewayUrl}/v1`, apiKey: soz.key, maxRetries: 0, timeout: 20000 });
});

after(async () => {
  await env?.stop();
});

const conversation = [
  { role: 'user', content: 'Bitte schreibe an anna.berg@example.org wegen des Termins.' },
  { role: 'assistant', content: 'Gern. Soll anna.berg@example.org eine Kopie bekommen?' },
  { role: 'user', content: 'Ja, und an bernd@example.org (Kopie an anna.berg@example.org), IBAN DE89 3704 0044 0532 0130 00.' },
];

test('pseudonyms are stable across the conversation, unseen upstream and put back in the answer', async () => {
  const rid = randomId('pseudo-');
  const r = await env.request('/v1/chat/completions', {
    key: soz.key, headers: { 'x-request-id': rid }, body: { model: 'gpt-4o-mini', messages: conversation },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.decision, 'redacted');
  const sent = JSON.parse((await env.mock.last()).raw);
  assert.equal(sent.messages[0].content, 'Bitte schreibe an <EMAIL_1> wegen des Termins.');
  assert.equal(sent.messages[1].content, 'Gern. Soll <EMAIL_1> eine Kopie bekommen?');
  assert.equal(sent.messages[2].content, 'Ja, und an <EMAIL_2> (Kopie an <EMAIL_1>), IBAN [IBAN].');
  // The mock answers with the last user text, as the service saw it; staff read the real addresses.
  assert.equal(r.json.choices[0].message.content, 'Ja, und an bernd@example.org (Kopie an anna.berg@example.org), IBAN [IBAN].');
  const row = await env.decision(rid);
  assert.deepEqual(row.entity_counts, { EMAIL: 4, IBAN: 1 });
  const dump = await env.sql(`SELECT row_to_json(d)::text FROM decisions d WHERE request_id = '${rid}'`);
  assert.ok(!dump.includes('anna.berg') && !dump.includes('EMAIL_1'), 'neither values nor placeholders are stored');
});

test('streamed answers restore placeholders split across events (openai client)', async () => {
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: conversation, stream: true });
  let text = '';
  let events = 0;
  for await (const ev of stream) {
    events += 1;
    const piece = ev.choices[0]?.delta?.content ?? '';
    assert.ok(!/<[A-Z_0-9]*$/.test(piece) || piece === '', `a placeholder fragment reached the client: ${piece}`);
    text += piece;
  }
  assert.ok(events >= 40, `only ${events} events`);
  assert.equal(text, 'Ja, und an bernd@example.org (Kopie an anna.berg@example.org), IBAN [IBAN].');
});

test('citizen-facing use cases get the AI label, plain and streamed; internal ones do not', async () => {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Entwirf eine Antwort zur Müllabfuhr.' }] };
  const letter = await env.request('/v1/chat/completions', { key: soz.key, headers: { 'x-leitplanke-purpose': 'buergerbrief' }, body });
  assert.equal(letter.status, 200, letter.text);
  assert.equal(letter.json.choices[0].message.content, 'Entwirf eine Antwort zur Müllabfuhr.\n\n---\nKI-generierter Text, geprüft.');
  const note = await env.request('/v1/chat/completions', { key: soz.key, headers: { 'x-leitplanke-purpose': 'vermerk' }, body });
  assert.equal(note.json.choices[0].message.content, 'Entwirf eine Antwort zur Müllabfuhr.');

  const stream = await client.chat.completions.create({ ...body, stream: true }, { headers: { 'x-leitplanke-purpose': 'buergerbrief' } });
  let text = '';
  let finish = null;
  for await (const ev of stream) {
    text += ev.choices[0]?.delta?.content ?? '';
    finish = ev.choices[0]?.finish_reason ?? finish;
  }
  assert.equal(text, 'Entwirf eine Antwort zur Müllabfuhr.\n\n---\nKI-generierter Text, geprüft.');
  assert.equal(finish, 'stop');
});

test('warn notices are part of the answer text and the header', async () => {
  const r = await env.request('/v1/chat/completions', {
    key: soz.key, body: { model: 'secret-model', messages: [{ role: 'user', content: 'Hallo' }] },
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-leitplanke-notice'), 'trial-notice');
  assert.equal(r.json.choices[0].message.content,
    'Hallo\n\n---\nHinweis: Erprobungsmodell: Antwort sorgfältig prüfen. (trial-notice, DV KI § 8)');
});

test('a purpose the policy does not declare is refused with the known ones; nothing is forwarded', async () => {
  const before = (await env.mock.stats()).requests;
  const rid = randomId('purpose-');
  const r = await env.request('/v1/chat/completions', {
    key: soz.key, headers: { 'x-leitplanke-purpose': 'bewerberauswahl', 'x-request-id': rid },
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hallo' }] },
  });
  const e = assertOpenAIError(assert, r, 400, 'invalid_request');
  assert.match(e.message, /bewerberauswahl/);
  assert.match(e.message, /vermerk, buergerbrief/);
  assert.equal((await env.mock.stats()).requests, before);
  assert.equal((await env.decision(rid)).status, 400);
});

test('special-category data (keyword data class) is refused for the third-country service only', async () => {
  const body = (model) => ({ model, messages: [{ role: 'user', content: 'Fasse die Diagnose von Herrn K. zusammen.' }] });
  const us = await env.request('/v1/chat/completions', { key: soz.key, body: body('gpt-tls') });
  const e = assertOpenAIError(assert, us, 403, 'policy_denied');
  assert.match(e.message, /Gesundheitsdaten dürfen nicht in die USA/);
  assert.match(e.message, /health-never-to-us/);
  const eu = await env.request('/v1/chat/completions', { key: soz.key, body: body('gpt-4o-mini') });
  assert.equal(eu.status, 200, eu.text);
  const plain = await env.request('/v1/chat/completions', {
    key: soz.key, body: { model: 'gpt-tls', messages: [{ role: 'user', content: 'Fasse die Dienstanweisung zusammen.' }] },
  });
  assert.equal(plain.status, 200, plain.text);
});

test('time windows are evaluated in the policy time zone', async () => {
  const bau = await env.createKey('bauamt');
  const hr = await env.createKey('personalamt');
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hallo' }] };
  const inWindow = await env.request('/v1/chat/completions', { key: bau.key, body });
  const e = assertOpenAIError(assert, inWindow, 403, 'policy_denied');
  assert.match(e.message, /maintenance-window/);
  const outside = await env.request('/v1/chat/completions', { key: hr.key, body });
  assert.equal(outside.status, 200, outside.text);
});

test('redact rules choose the operators per request; the record names them', async () => {
  const rid = randomId('redact-rule-');
  const content = 'Konto DE89 3704 0044 0532 0130 00 von anna.berg@example.org';
  const r = await env.request('/v1/chat/completions', {
    key: soz.key, headers: { 'x-request-id': rid }, body: { model: 'secret-model', messages: [{ role: 'user', content }] },
  });
  assert.equal(r.status, 200, r.text);
  const sent = JSON.parse((await env.mock.last()).raw);
  assert.equal(sent.messages[0].content, 'Konto DE89 3704 0044 0532 0130 00 von [EMAIL]');
  const row = await env.decision(rid);
  assert.ok(row.rule_ids.includes('trial-model-sees-iban'), JSON.stringify(row.rule_ids));
  const other = await env.request('/v1/chat/completions', {
    key: soz.key, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
  });
  assert.equal(other.status, 200);
  assert.equal(JSON.parse((await env.mock.last()).raw).messages[0].content, 'Konto [IBAN] von <EMAIL_1>');
});
