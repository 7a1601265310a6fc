// Proxying: curl and the official openai client against the gateway, all
// endpoints, model filtering, pass-through of unknown fields, redaction,
// request ids, upstream credentials and HTTPS upstreams with a custom CA.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { startEnv, test, assertOpenAIError, randomId, ibanIsValid, REQUEST_ID_RE, readSse } from '../support/harness.mjs';

const execFileP = promisify(execFile);

let env;
let soz;
let client;

before(async () => {
  env = await startEnv({ name: 'proxy' });
  soz = await env.createKey('sozialamt', { user: 'sachbearbeiter.1' });
  client = new OpenAI({ baseURL: `${env.gatewayUrl}/v1`, apiKey: soz.key, maxRetries: 0, timeout: 20000 });
});

after(async () => {
  await env?.stop();
});

async function curl(args) {
  const dir = fs.mkdtempSync(path.join(env.tmpDir, 'curl-'));
  const hdr = path.join(dir, 'headers');
  const body = path.join(dir, 'body');
  const { stdout } = await execFileP('curl', ['-sS', '-N', '-D', hdr, '-o', body, '-w', '%{http_code}', ...args]);
  const headers = {};
  for (const line of fs.readFileSync(hdr, 'utf8').split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(stdout.trim()), headers, body: fs.readFileSync(body, 'utf8') };
}

test('curl: non-streamed chat completion', async () => {
  const prompt = 'Fasse den Bescheid kurz zusammen.';
  const r = await curl([`${env.gatewayUrl}/v1/chat/completions`,
    '-H', `Authorization: Bearer ${soz.key}`,
    '-H', 'Content-Type: application/json',
    '--data-binary', JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] })]);
  assert.equal(r.status, 200, r.body);
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.ok(REQUEST_ID_RE.test(r.headers['x-request-id'] || ''), 'X-Request-Id');
  assert.equal(r.headers['x-leitplanke-decision'], 'allowed');
  const j = JSON.parse(r.body);
  assert.equal(j.object, 'chat.completion');
  assert.equal(j.choices[0].message.role, 'assistant');
  assert.equal(j.choices[0].message.content, prompt);

  const row = await env.decision(r.headers['x-request-id']);
  assert.equal(row.endpoint, '/v1/chat/completions');
  assert.equal(row.upstream, 'mock');
  assert.equal(row.model, 'gpt-4o-mini');
  assert.equal(row.policy_version, 'test-1');
  assert.equal(row.decision, 'allowed');
  assert.ok(Array.isArray(row.rule_ids) && row.rule_ids.includes('allow-standard'), `rule_ids ${JSON.stringify(row.rule_ids)}`);
  assert.equal(row.status, 200);
  assert.equal(row.stream, false);
  assert.equal(row.department, 'sozialamt');
  assert.equal(row.prompt_tokens, j.usage.prompt_tokens);
  assert.equal(row.completion_tokens, j.usage.completion_tokens);
  assert.equal(row.total_tokens, j.usage.total_tokens);
  assert.equal(typeof row.latency_ms, 'number');
  assert.ok(row.latency_ms >= 0);
  assert.equal(row.error_code, null);
});

test('curl: streamed chat completion', async () => {
  const prompt = 'Eins zwei drei vier fünf';
  const r = await curl([`${env.gatewayUrl}/v1/chat/completions`,
    '-H', `Authorization: Bearer ${soz.key}`,
    '-H', 'Content-Type: application/json',
    '--data-binary', JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt }] })]);
  assert.equal(r.status, 200, r.body);
  assert.match(r.headers['content-type'], /^text\/event-stream/);
  const datas = r.body.split(/\r?\n/).filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim());
  assert.equal(datas.at(-1), '[DONE]');
  const chunks = datas.slice(0, -1).map((d) => JSON.parse(d));
  const text = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  assert.equal(text, prompt);
  const row = await env.decision(r.headers['x-request-id']);
  assert.equal(row.stream, true);
  assert.equal(row.status, 200);
});

test('openai client: chat completion (non-stream)', async () => {
  const { data, response } = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'system', content: 'Du bist hilfreich.' }, { role: 'user', content: 'Hallo aus dem Sozialamt' }],
  }).withResponse();
  assert.equal(data.choices[0].message.content, 'Hallo aus dem Sozialamt');
  assert.ok(data.usage.total_tokens > 0);
  assert.ok(REQUEST_ID_RE.test(response.headers.get('x-request-id')));
});

test('openai client: chat completion (stream, with usage)', async () => {
  const prompt = 'Streaming über die Leitplanke';
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: prompt }],
  });
  let text = '';
  let usage = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.equal(text, prompt);
  assert.ok(usage && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens, JSON.stringify(usage));
});

test('openai client: completions', async () => {
  const { data, response } = await client.completions.create({ model: 'gpt-4o-mini', prompt: 'Sag Hallo' }).withResponse();
  assert.equal(data.object, 'text_completion');
  assert.equal(data.choices[0].text, 'Sag Hallo');
  const row = await env.decision(response.headers.get('x-request-id'));
  assert.equal(row.endpoint, '/v1/completions');
  assert.equal(row.status, 200);
});

test('embeddings: raw float and openai client (base64) agree', async () => {
  const input = ['Bauantrag', 'Wohngeld'];
  const raw = await env.request('/v1/embeddings', {
    key: soz.key,
    body: { model: 'text-embedding-3-small', input, encoding_format: 'float' },
  });
  assert.equal(raw.status, 200, raw.text);
  assert.equal(raw.json.object, 'list');
  assert.equal(raw.json.data.length, 2);
  for (const [i, d] of raw.json.data.entries()) {
    assert.equal(d.index, i);
    assert.equal(d.embedding.length, 8);
    assert.ok(d.embedding.every((x) => typeof x === 'number'));
  }
  const row = await env.decision(raw.requestId);
  assert.equal(row.endpoint, '/v1/embeddings');
  assert.equal(row.model, 'text-embedding-3-small');
  assert.equal(row.prompt_tokens, raw.json.usage.prompt_tokens);

  const viaClient = await client.embeddings.create({ model: 'text-embedding-3-small', input });
  assert.equal(viaClient.data.length, 2);
  for (let i = 0; i < 2; i++) {
    const a = viaClient.data[i].embedding;
    const b = raw.json.data[i].embedding;
    assert.equal(a.length, b.length);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-6, `embedding ${i}[${k}]`);
  }
});

test('/v1/models lists only the models the department may use', async () => {
  const list = await client.models.list();
  const ids = list.data.map((m) => m.id).sort();
  assert.deepEqual(ids, ['gpt-4o-mini', 'gpt-tls', 'text-embedding-3-small']);

  const raw = await env.request('/v1/models', { key: soz.key });
  assert.equal(raw.status, 200);
  assert.equal(raw.json.object, 'list');
  for (const m of raw.json.data) assert.equal(m.object, 'model');

  const garten = await env.createKey('gartenamt');
  const none = await env.request('/v1/models', { key: garten.key });
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.data, []);
});

test('unknown request fields pass through unchanged', async () => {
  const body = {
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Felder bitte durchreichen', name: 'sb1' }],
    temperature: 0.25,
    top_p: 0.5,
    seed: 42,
    user: 'opaque-user-tag',
    metadata: { vorgang: 'AZ-2024-17' },
    x_vendor_extension: { nested: [1, 'zwei', { drei: 3, vier: null, fuenf: true }] },
  };
  const res = await env.chat(soz.key, body);
  assert.equal(res.status, 200, res.text);
  const last = await env.mock.last();
  const fwd = last.body;
  assert.equal(last.path, '/v1/chat/completions');
  for (const k of ['model', 'temperature', 'top_p', 'seed', 'user', 'metadata', 'x_vendor_extension']) {
    assert.deepEqual(fwd[k], body[k], `field ${k}`);
  }
  assert.deepEqual(fwd.messages, body.messages);
  assert.ok(!('stream' in fwd) || fwd.stream === false, 'non-stream request must not become a stream');
});

test('upstream gets its own credentials, never the client key or client headers', async () => {
  const res = await env.chat(soz.key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, {
    headers: { 'x-mock-status': '500', 'x-custom-secret': 'top-secret-header' },
  });
  assert.equal(res.status, 200, 'client x-mock-* headers must not reach the upstream');
  const last = await env.mock.last();
  assert.equal(last.headers.authorization, `Bearer ${env.mockApiKey}`);
  const all = JSON.stringify(last.headers);
  const secret = soz.key.split('_').slice(2).join('_');
  assert.ok(!all.includes(soz.key) && !all.includes(secret), 'client API key leaked to the upstream');
  assert.ok(!all.includes('top-secret-header'), 'client header forwarded to the upstream');
});

test('redaction: e-mail and valid IBANs are masked before forwarding', async () => {
  const invalid = 'DE12 3704 0044 0532 0130 00';
  assert.ok(ibanIsValid('DE89 3704 0044 0532 0130 00'));
  assert.ok(!ibanIsValid(invalid));
  const prompt = 'Bitte an max.mustermann@example.org antworten. Konto DE89 3704 0044 0532 0130 00, '
    + `alt DE89370400440532013000, ungültig ${invalid}.`;
  const res = await env.chat(soz.key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }] });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.decision, 'redacted');

  const last = await env.mock.last();
  const fwd = last.body.messages[0].content;
  assert.ok(!last.raw.includes('max.mustermann@example.org'), 'e-mail reached the upstream');
  assert.ok(!last.raw.includes('DE89 3704 0044 0532 0130 00'), 'spaced IBAN reached the upstream');
  assert.ok(!last.raw.includes('DE89370400440532013000'), 'compact IBAN reached the upstream');
  assert.ok(fwd.includes('[EMAIL]'), fwd);
  assert.equal(fwd.split('[IBAN]').length - 1, 2, fwd);
  assert.ok(fwd.includes(invalid), 'invalid IBAN must stay');
  assert.ok(fwd.startsWith('Bitte an [EMAIL] antworten.'), fwd);
  // The mock echoes what it got, so the client sees the redacted text.
  assert.equal(res.json.choices[0].message.content, fwd);

  const row = await env.decision(res.requestId);
  assert.equal(row.decision, 'redacted');
  assert.equal(row.entity_counts.EMAIL, 1, JSON.stringify(row.entity_counts));
  assert.equal(row.entity_counts.IBAN, 2, JSON.stringify(row.entity_counts));
});

test('redaction covers system messages and content parts', async () => {
  const res = await env.chat(soz.key, {
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Kontakt: leitung@amt.example' },
      { role: 'user', content: [{ type: 'text', text: 'Schreib an ' }, { type: 'text', text: 'buerger@example.com bitte' }] },
    ],
  });
  assert.equal(res.status, 200, res.text);
  const last = await env.mock.last();
  assert.ok(!last.raw.includes('leitung@amt.example'), last.raw);
  assert.ok(!last.raw.includes('buerger@example.com'), last.raw);
  assert.equal(last.body.messages[0].content, 'Kontakt: [EMAIL]');
  assert.equal(last.body.messages[1].content[1].text, '[EMAIL] bitte');
  const row = await env.decision(res.requestId);
  assert.equal(row.entity_counts.EMAIL, 2);
});

test('X-Request-Id: generated, echoed when valid, replaced when invalid', async () => {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'id' }] };
  const gen = await env.chat(soz.key, body);
  assert.ok(REQUEST_ID_RE.test(gen.requestId || ''), `generated id ${gen.requestId}`);
  const gen2 = await env.chat(soz.key, body);
  assert.notEqual(gen.requestId, gen2.requestId);

  const mine = 'Vorgang_2024.17-a';
  const echoed = await env.chat(soz.key, body, { headers: { 'x-request-id': mine } });
  assert.equal(echoed.requestId, mine);
  assert.equal((await env.decision(mine)).status, 200);

  for (const bad of ['mit leerzeichen', 'a'.repeat(65), 'semi;colon', 'ümlaut']) {
    const r = await env.chat(soz.key, body, { headers: { 'x-request-id': bad } });
    assert.equal(r.status, 200, `request with X-Request-Id ${JSON.stringify(bad)}: ${r.text}`);
    assert.notEqual(r.requestId, bad);
    assert.ok(REQUEST_ID_RE.test(r.requestId || ''), `replacement id ${r.requestId}`);
  }

  const health = await fetch(`${env.gatewayUrl}/healthz`);
  assert.equal(health.status, 200);
  assert.ok(REQUEST_ID_RE.test(health.headers.get('x-request-id') || ''), '/healthz X-Request-Id');
  const ready = await fetch(`${env.gatewayUrl}/readyz`, { headers: { 'x-request-id': 'ready-1' } });
  assert.equal(ready.status, 200);
  assert.equal(ready.headers.get('x-request-id'), 'ready-1');
});

test('HTTPS upstream with the test CA (gpt-tls)', async () => {
  const prompt = 'Über TLS bitte';
  const res = await env.chat(soz.key, { model: 'gpt-tls', messages: [{ role: 'user', content: prompt }] });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.choices[0].message.content, prompt);
  const last = await env.mock.last();
  assert.equal(last.tls, true, 'request did not arrive over TLS');
  assert.equal(last.headers.authorization, `Bearer ${env.mockApiKey}`, 'api_key_file not used');
  const row = await env.decision(res.requestId);
  assert.equal(row.upstream, 'mock_tls');

  // Streaming over TLS too.
  const t0 = Date.now();
  const s = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${soz.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-tls', stream: true, messages: [{ role: 'user', content: prompt }] }),
  });
  assert.equal(s.status, 200);
  const events = await readSse(s, t0);
  assert.equal(events.at(-1).data, '[DONE]');
  const text = events.slice(0, -1).map((e) => JSON.parse(e.data).choices?.[0]?.delta?.content ?? '').join('');
  assert.equal(text, prompt);
});

test('HTTPS upstream without the CA fails verification -> 502', async () => {
  const gw = await env.startGateway({ label: 'noca', config: { upstreams: { mock_tls: { ca_file: null } } } });
  try {
    const before = await env.mock.stats();
    const rid = randomId('noca-');
    const res = await env.chat(soz.key, { model: 'gpt-tls', messages: [{ role: 'user', content: 'x' }] },
      { gw, headers: { 'x-request-id': rid } });
    assertOpenAIError(assert, res, 502, 'upstream_unavailable');
    assert.equal(res.decision, 'error');
    const after = await env.mock.stats();
    assert.equal(after.requests, before.requests, 'no HTTP request may reach the upstream');
    const row = await env.decision(rid);
    assert.equal(row.status, 502);
    assert.equal(row.error_code, 'upstream_unavailable');
    assert.equal(row.decision, 'error');
  } finally {
    await gw.stop();
  }
});
