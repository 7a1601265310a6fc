// Streaming: SSE is relayed incrementally (not buffered), events arrive as
// the mock sends them, usage-only chunks only when the client asked, token
// counts land in the audit log, and client aborts are still audited.
//
// The mock sends 6 content pieces with 300 ms between events:
// role chunk, 6 content chunks, finish chunk, [usage chunk], [DONE].

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEnv, test, readSse, randomId } from '../support/harness.mjs';

let env;
let key;

const CHUNKS = 6;
const CHUNK_DELAY = 300;
const PROMPT = 'Grüße aus dem Sozialamt, Zimmer 4711 – bitte Rückruf.';

before(async () => {
  env = await startEnv({
    name: 'streaming',
    mocks: { mock: ['--chunk-delay-ms', String(CHUNK_DELAY), '--chunks', String(CHUNKS)] },
  });
  key = (await env.createKey('sozialamt')).key;
});

after(async () => {
  await env?.stop();
});

async function stream(body, { rid = randomId('stream-'), signal } = {}) {
  const t0 = Date.now();
  const res = await fetch(`${env.gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': rid },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: PROMPT }], ...body }),
    signal,
  });
  const headersAt = Date.now() - t0;
  return { res, rid, t0, headersAt };
}

function parse(events) {
  assert.ok(events.length > 0, 'no SSE events');
  assert.equal(events.at(-1).data, '[DONE]', 'stream must end with [DONE]');
  assert.ok(!events.some((e) => e.incomplete), 'incomplete trailing event');
  return events.slice(0, -1).map((e) => ({ ...e, json: JSON.parse(e.data) }));
}

const contentOf = (chunks) => chunks.map((c) => c.json.choices?.[0]?.delta?.content ?? '').join('');
const isContent = (c) => typeof c.json.choices?.[0]?.delta?.content === 'string' && c.json.choices[0].delta.content !== '';
const isUsageOnly = (c) => Array.isArray(c.json.choices) && c.json.choices.length === 0;

test('SSE is relayed incrementally and unchanged', async () => {
  const { res, rid, t0, headersAt } = await stream({});
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') || '', /^text\/event-stream/);
  assert.equal(res.headers.get('x-request-id'), rid);
  assert.equal(res.headers.get('x-leitplanke-decision'), 'allowed');
  // Headers must not wait for the whole stream (~2.4 s).
  assert.ok(headersAt < 1500, `response headers after ${headersAt} ms`);

  const events = await readSse(res, t0);
  const chunks = parse(events);
  const doneAt = events.at(-1).at;
  const content = chunks.filter(isContent);

  assert.equal(contentOf(chunks), PROMPT);
  assert.equal(content.length, CHUNKS, 'content chunks were merged or split');
  assert.equal(chunks[0].json.choices[0].delta.role, 'assistant');
  assert.equal(chunks.at(-1).json.choices[0].finish_reason, 'stop');
  const ids = new Set(chunks.map((c) => c.json.id));
  assert.equal(ids.size, 1);
  assert.match([...ids][0], /^chatcmpl-mock-/);
  for (const c of chunks) assert.equal(c.json.object, 'chat.completion.chunk');

  const firstContentAt = content[0].at;
  assert.ok(doneAt - firstContentAt >= 1000,
    `first content chunk at ${firstContentAt} ms, [DONE] at ${doneAt} ms: the stream was buffered`);
  // Content chunks must be spread out, not delivered in one burst.
  const spread = content.at(-1).at - content[0].at;
  assert.ok(spread >= (CHUNKS - 1) * CHUNK_DELAY * 0.6, `content chunks arrived within ${spread} ms`);

  // No usage-only chunk and no usage object for a client that did not ask.
  assert.ok(!chunks.some(isUsageOnly), 'usage-only chunk sent to a client that did not ask for it');
  assert.ok(!chunks.some((c) => c.json.usage), 'usage sent to a client that did not ask for it');

  const row = await env.decision(rid);
  assert.equal(row.stream, true);
  assert.equal(row.status, 200);
  assert.equal(row.decision, 'allowed');
  if (row.completion_tokens !== null) {
    assert.equal(row.completion_tokens, Math.ceil(Buffer.byteLength(PROMPT) / 4));
    assert.equal(row.total_tokens, row.prompt_tokens + row.completion_tokens);
  }
});

test('include_usage: the client gets exactly one usage chunk, the audit row the tokens', async () => {
  const { res, rid, t0 } = await stream({ stream_options: { include_usage: true } });
  assert.equal(res.status, 200);
  const chunks = parse(await readSse(res, t0));
  assert.equal(contentOf(chunks), PROMPT);
  const usageChunks = chunks.filter(isUsageOnly);
  assert.equal(usageChunks.length, 1, 'expected exactly one usage-only chunk');
  assert.equal(chunks.at(-1), usageChunks[0], 'usage chunk must be the last before [DONE]');
  const usage = usageChunks[0].json.usage;
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);

  const row = await env.decision(rid);
  assert.equal(row.stream, true);
  assert.equal(row.prompt_tokens, usage.prompt_tokens);
  assert.equal(row.completion_tokens, usage.completion_tokens);
  assert.equal(row.total_tokens, usage.total_tokens);
});

test('streamed request is redacted before forwarding', async () => {
  const { res, rid, t0 } = await stream({ messages: [{ role: 'user', content: 'Antwort an team@stadt.example senden' }] });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-leitplanke-decision'), 'redacted');
  const chunks = parse(await readSse(res, t0));
  assert.equal(contentOf(chunks), 'Antwort an [EMAIL] senden');
  const row = await env.decision(rid);
  assert.equal(row.decision, 'redacted');
  assert.equal(row.entity_counts.EMAIL, 1);
});

test('streamed completions endpoint', async () => {
  const t0 = Date.now();
  const res = await fetch(`${env.gatewayUrl}/v1/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, prompt: PROMPT }),
  });
  assert.equal(res.status, 200);
  const chunks = parse(await readSse(res, t0));
  assert.equal(chunks.map((c) => c.json.choices?.[0]?.text ?? '').join(''), PROMPT);
  assert.ok(!chunks.some(isUsageOnly));
});

test('client abort mid-stream is still audited exactly once', async () => {
  const ac = new AbortController();
  const { res, rid } = await stream({}, { signal: ac.signal });
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  let text = '';
  const dec = new TextDecoder();
  while (!text.includes('"content":"G')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
  }
  ac.abort();
  await reader.cancel().catch(() => {});
  const row = await env.decision(rid);
  assert.equal(row.stream, true);
  const n = await env.sql(`SELECT count(*) FROM decisions WHERE request_id = '${rid}'`);
  assert.equal(n, '1');
  // The gateway keeps working.
  const after = await env.chat(key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'noch da?' }] });
  assert.equal(after.status, 200);
});
