// Error handling: malformed requests (400/413/415), upstream failures
// (502/504), relayed upstream errors (429/500), error language. Every
// failure is answered in OpenAI error shape and audited.
//
// The gateway does not forward client headers, so upstream behaviour is
// chosen per model: each model below routes to a dedicated mock instance.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startEnv, test, assertOpenAIError, randomId, freePort, policyAllowing } from '../support/harness.mjs';

let env;
let key;

const EXTRA_MODELS = ['slow-model', 'fail-model', 'ratelimit-model', 'drop-model', 'down-model'];

before(async () => {
  const closedPort = await freePort(); // nothing listens here
  env = await startEnv({
    name: 'errors',
    policy: policyAllowing(EXTRA_MODELS),
    mocks: {
      mock: [],
      slow: ['--delay-ms', '5000'],
      fail: ['--status', '500'],
      ratelimit: ['--status', '429'],
      drop: ['--drop', '1'],
    },
    upstreams: {
      down: { base_url: `http://127.0.0.1:${closedPort}/v1`, connect_timeout_ms: 1000, response_timeout_ms: 2000, idle_timeout_ms: 2000 },
    },
    models: {
      'slow-model': 'slow',
      'fail-model': 'fail',
      'ratelimit-model': 'ratelimit',
      'drop-model': 'drop',
      'down-model': 'down',
    },
    config: { limits: { max_body_bytes: 65536 } },
  });
  key = (await env.createKey('sozialamt')).key;
});

after(async () => {
  await env?.stop();
});

const okBody = (model = 'gpt-4o-mini', extra = {}) => ({ model, messages: [{ role: 'user', content: 'Hallo' }], ...extra });

async function send(body, { headers = {}, rid = randomId('err-') } = {}) {
  const res = await env.request('/v1/chat/completions', {
    key, body, headers: { 'content-type': 'application/json', 'x-request-id': rid, ...headers },
  });
  return { res, rid };
}

async function expectAudited(rid, status, code) {
  const row = await env.decision(rid);
  assert.equal(row.status, status, JSON.stringify(row));
  if (code) assert.equal(row.error_code, code);
  assert.equal(row.endpoint, '/v1/chat/completions');
  return row;
}

// Raw HTTP/1.1 request over a plain socket. Write errors (the server may
// answer and close before the whole body was sent) are ignored; whatever the
// server answered is parsed. Resolves {status, headers, text}.
function rawRequest({ path = '/v1/chat/completions', headers, chunks, chunked = false }) {
  return new Promise((resolve, reject) => {
    const u = new URL(env.gatewayUrl);
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    const received = [];
    sock.on('data', (d) => received.push(d));
    sock.on('error', () => {}); // EPIPE/ECONNRESET while writing: look at what we got
    sock.on('close', () => {
      const res = parseHttpResponse(Buffer.concat(received));
      if (res) resolve(res);
      else reject(new Error(`no HTTP response received (${Buffer.concat(received).length} bytes)`));
    });
    sock.setTimeout(15000, () => sock.destroy());
    sock.on('connect', async () => {
      let head = `POST ${path} HTTP/1.1\r\nHost: ${u.host}\r\nConnection: close\r\n`;
      for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
      if (chunked) head += 'Transfer-Encoding: chunked\r\n';
      sock.write(`${head}\r\n`);
      for (const c of chunks) {
        if (sock.destroyed) return;
        const data = chunked ? Buffer.concat([Buffer.from(`${Buffer.byteLength(c).toString(16)}\r\n`), Buffer.from(c), Buffer.from('\r\n')]) : Buffer.from(c);
        if (!sock.write(data)) await new Promise((r) => { sock.once('drain', r); sock.once('close', r); });
      }
      if (chunked && !sock.destroyed) sock.write('0\r\n\r\n');
    });
  });
}

function parseHttpResponse(buf) {
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return null;
  const lines = buf.subarray(0, sep).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) return null;
  const headers = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  let body = buf.subarray(sep + 4);
  if (/chunked/i.test(headers['transfer-encoding'] || '')) {
    const parts = [];
    let pos = 0;
    for (;;) {
      const nl = body.indexOf('\r\n', pos);
      if (nl < 0) break;
      const size = parseInt(body.subarray(pos, nl).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(nl + 2, nl + 2 + size));
      pos = nl + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    body = body.subarray(0, Number(headers['content-length']));
  }
  return { status: Number(m[1]), headers, text: body.toString('utf8') };
}

test('malformed JSON -> 400 invalid_json', async () => {
  const { res, rid } = await send('{"model": "gpt-4o-mini", "messages": [');
  assertOpenAIError(assert, res, 400, 'invalid_json');
  assert.ok(['blocked', 'error'].includes(res.decision), `decision ${res.decision}`);
  await expectAudited(rid, 400, 'invalid_json');
});

test('empty body -> 400', async () => {
  const { res, rid } = await send('');
  assertOpenAIError(assert, res, 400);
  await expectAudited(rid, 400);
});

test('wrong content type -> 415 unsupported_media_type', async () => {
  const { res, rid } = await send(JSON.stringify(okBody()), { headers: { 'content-type': 'text/plain' } });
  assertOpenAIError(assert, res, 415, 'unsupported_media_type');
  await expectAudited(rid, 415, 'unsupported_media_type');
});

test('application/json with charset parameter is accepted', async () => {
  const { res } = await send(JSON.stringify(okBody()), { headers: { 'content-type': 'application/json; charset=utf-8' } });
  assert.equal(res.status, 200, res.text);
});

test('oversized body (Content-Length) -> 413 body_too_large', async () => {
  const big = JSON.stringify(okBody('gpt-4o-mini', { messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] }));
  const rid = randomId('big-');
  const res = await rawRequest({
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(big), 'x-request-id': rid },
    // Written in 4 KiB pieces like real clients do: the gateway may answer
    // early, but must not reset the connection before the client has read
    // the 413 (graceful close, RFC 9112 section 9.6).
    chunks: big.match(/[^]{1,4096}/g),
  });
  assert.equal(res.status, 413, res.text);
  assert.equal(JSON.parse(res.text).error.code, 'body_too_large');
  await expectAudited(rid, 413, 'body_too_large');
});

test('oversized body (chunked) -> 413 body_too_large', async () => {
  const rid = randomId('bigchunked-');
  const head = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"';
  const chunks = [head, ...Array.from({ length: 25 }, () => 'y'.repeat(4096)), '"}]}'];
  const res = await rawRequest({
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-request-id': rid },
    chunks,
    chunked: true,
  });
  assert.equal(res.status, 413, res.text);
  assert.equal(JSON.parse(res.text).error.code, 'body_too_large');
  await expectAudited(rid, 413, 'body_too_large');
});

test('body just under the limit is accepted', async () => {
  const body = JSON.stringify(okBody('gpt-4o-mini', { messages: [{ role: 'user', content: 'z'.repeat(60 * 1024) }] }));
  assert.ok(Buffer.byteLength(body) < 65536);
  const { res } = await send(body);
  assert.equal(res.status, 200, res.text.slice(0, 300));
});

test('invalid UTF-8 -> 400 invalid_utf8', async () => {
  const body = Buffer.concat([
    Buffer.from('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"ab'),
    Buffer.from([0xc3, 0x28]),
    Buffer.from('cd"}]}'),
  ]);
  const before = (await env.mock.stats()).requests;
  const { res, rid } = await send(body);
  assertOpenAIError(assert, res, 400, 'invalid_utf8');
  await expectAudited(rid, 400, 'invalid_utf8');
  assert.equal((await env.mock.stats()).requests, before);
});

test('messages not an array -> 400 invalid_request', async () => {
  const { res, rid } = await send({ model: 'gpt-4o-mini', messages: 'Hallo' });
  assertOpenAIError(assert, res, 400, 'invalid_request');
  await expectAudited(rid, 400, 'invalid_request');
});

test('missing model -> 400 invalid_request', async () => {
  const { res, rid } = await send({ messages: [{ role: 'user', content: 'Hallo' }] });
  assertOpenAIError(assert, res, 400, 'invalid_request');
  await expectAudited(rid, 400, 'invalid_request');
});

test('JSON that is not an object -> 400 invalid_request', async () => {
  const { res } = await send('[1,2,3]');
  assertOpenAIError(assert, res, 400, 'invalid_request');
});

test('upstream down (connection refused) -> 502 upstream_unavailable', async () => {
  const { res, rid } = await send(okBody('down-model'));
  assertOpenAIError(assert, res, 502, 'upstream_unavailable');
  assert.equal(res.decision, 'error');
  const row = await expectAudited(rid, 502, 'upstream_unavailable');
  assert.equal(row.decision, 'error');
  assert.equal(row.upstream, 'down');
});

test('upstream drops the connection -> 502 upstream_unavailable', async () => {
  const before = (await env.mocks.drop.stats()).dropped;
  const { res, rid } = await send(okBody('drop-model'));
  assertOpenAIError(assert, res, 502, 'upstream_unavailable');
  await expectAudited(rid, 502, 'upstream_unavailable');
  assert.ok((await env.mocks.drop.stats()).dropped > before, 'request did not reach the dropping mock');
});

test('slow upstream -> 504 upstream_timeout after response_timeout_ms', async () => {
  const t0 = Date.now();
  const { res, rid } = await send(okBody('slow-model'));
  const elapsed = Date.now() - t0;
  assertOpenAIError(assert, res, 504, 'upstream_timeout');
  assert.ok(elapsed >= 1500 && elapsed < 4500, `504 after ${elapsed} ms, expected about 2000 ms`);
  const row = await expectAudited(rid, 504, 'upstream_timeout');
  assert.equal(row.decision, 'error');
});

test('slow upstream, streamed request -> 504 upstream_timeout', async () => {
  const { res, rid } = await send(okBody('slow-model', { stream: true }));
  assertOpenAIError(assert, res, 504, 'upstream_timeout');
  const row = await expectAudited(rid, 504, 'upstream_timeout');
  assert.equal(row.stream, true);
});

test('upstream 500 is relayed with status and body', async () => {
  const { res, rid } = await send(okBody('fail-model'));
  assert.equal(res.status, 500, res.text);
  assert.equal(res.json?.error?.message, 'Mock upstream error 500');
  assert.equal(res.json?.error?.code, 'mock_500');
  assert.equal(res.requestId, rid);
  assert.equal(res.decision, 'error');
  await expectAudited(rid, 500);
});

test('upstream 429 is relayed with status and body', async () => {
  const { res, rid } = await send(okBody('ratelimit-model'));
  assert.equal(res.status, 429, res.text);
  assert.equal(res.json?.error?.type, 'rate_limit_error');
  assert.equal(res.json?.error?.message, 'Mock upstream error 429');
  await expectAudited(rid, 429);
});

test('gateway still serves normally after all of the above', async () => {
  const { res } = await send(okBody());
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.choices[0].message.content, 'Hallo');
});

test('language: en gives different (English) error messages than de', async () => {
  const en = await env.startGateway({ label: 'en', config: { language: 'en' } });
  try {
    const de = await env.request('/v1/chat/completions', { body: okBody() });
    const enRes = await env.request('/v1/chat/completions', { body: okBody(), gw: en });
    const deErr = assertOpenAIError(assert, de, 401, 'invalid_api_key');
    const enErr = assertOpenAIError(assert, enRes, 401, 'invalid_api_key');
    assert.notEqual(deErr.message, enErr.message, 'language setting has no effect');
  } finally {
    await en.stop();
  }
});
