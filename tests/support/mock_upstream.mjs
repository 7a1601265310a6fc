#!/usr/bin/env node
// OpenAI-compatible mock upstream for leitplanke's end-to-end tests.
//
// Node built-ins only. Serves plain HTTP and, when a certificate and key are
// given, HTTPS from the same state (counters, last request). See README.md in
// this folder for the CLI, the endpoints and the per-request controls.

import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-tls', 'text-embedding-3-small', 'secret-model'];

const USAGE = `usage: node mock_upstream.mjs [options]
  --host H               address to bind (default 127.0.0.1)
  --port N               HTTP port (default 0 = ephemeral)
  --https-port N         HTTPS port (default 0; only used with --cert/--key)
  --cert FILE --key FILE PEM certificate chain and key; enables HTTPS
  --port-file FILE       write {"http":P,"https":P2} here once listening
  --api-key KEY          require "Authorization: Bearer KEY" on /v1/*
  --delay-ms N           default delay before response headers
  --chunk-delay-ms N     default delay between SSE events
  --chunks N             default number of content pieces when streaming (4)
  --status NNN           default: answer every /v1/* request with this error status
  --drop MODE            default: "1" destroys the socket without answering,
                         "mid" destroys it in the middle of the response
  --models a,b,c         model ids listed by GET /v1/models
  --quiet                do not log requests to stderr
  --exit-with-parent     exit when the parent process goes away
Environment defaults: MOCK_HOST, MOCK_PORT, MOCK_HTTPS_PORT, MOCK_API_KEY,
MOCK_DELAY_MS, MOCK_CHUNK_DELAY_MS, MOCK_CHUNKS, MOCK_STATUS, MOCK_DROP.
Once listening, one JSON line {"http":P,"https":P2} is printed on stdout.`;

export function parseArgs(argv, env = process.env) {
  const opts = {
    host: env.MOCK_HOST || '127.0.0.1',
    port: intOr(env.MOCK_PORT, 0),
    httpsPort: intOr(env.MOCK_HTTPS_PORT, 0),
    cert: null,
    key: null,
    portFile: null,
    apiKey: env.MOCK_API_KEY || null,
    delayMs: intOr(env.MOCK_DELAY_MS, 0),
    chunkDelayMs: intOr(env.MOCK_CHUNK_DELAY_MS, 0),
    chunks: intOr(env.MOCK_CHUNKS, 4),
    status: intOr(env.MOCK_STATUS, 0),
    drop: env.MOCK_DROP || '',
    models: DEFAULT_MODELS,
    quiet: false,
    exitWithParent: false,
  };
  const valueOf = (i, name) => {
    if (i + 1 >= argv.length) throw new UsageError(`missing value for ${name}`);
    return argv[i + 1];
  };
  const num = (s, name) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid number for ${name}: ${s}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--host': opts.host = valueOf(i, a); i++; break;
      case '--port': opts.port = num(valueOf(i, a), a); i++; break;
      case '--https-port': opts.httpsPort = num(valueOf(i, a), a); i++; break;
      case '--cert': opts.cert = valueOf(i, a); i++; break;
      case '--key': opts.key = valueOf(i, a); i++; break;
      case '--port-file': opts.portFile = valueOf(i, a); i++; break;
      case '--api-key': opts.apiKey = valueOf(i, a); i++; break;
      case '--delay-ms': opts.delayMs = num(valueOf(i, a), a); i++; break;
      case '--chunk-delay-ms': opts.chunkDelayMs = num(valueOf(i, a), a); i++; break;
      case '--chunks': opts.chunks = Math.max(1, num(valueOf(i, a), a)); i++; break;
      case '--status': opts.status = num(valueOf(i, a), a); i++; break;
      case '--drop': opts.drop = valueOf(i, a); i++; break;
      case '--models': opts.models = valueOf(i, a).split(',').map((s) => s.trim()).filter(Boolean); i++; break;
      case '--quiet': opts.quiet = true; break;
      case '--exit-with-parent': opts.exitWithParent = true; break;
      case '-h': case '--help': throw new UsageError(null);
      default: throw new UsageError(`unknown argument: ${a}`);
    }
  }
  if ((opts.cert && !opts.key) || (!opts.cert && opts.key)) {
    throw new UsageError('--cert and --key must be given together');
  }
  return opts;
}

class UsageError extends Error {}

function intOr(s, dflt) {
  if (s === undefined || s === null || s === '') return dflt;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : dflt;
}

// ---------------------------------------------------------------------------
// Helpers for the OpenAI wire format

function estimateTokens(text) {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

function textOfContent(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((p) => p && typeof p === 'object' && p.type === 'text' && typeof p.text === 'string')
      .map((p) => p.text)
      .join('');
  }
  return '';
}

function lastUserText(messages) {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m && m.role === 'user') return textOfContent(m.content);
  }
  return '';
}

function allMessagesText(messages) {
  if (!Array.isArray(messages)) return '';
  return messages.map((m) => (m ? textOfContent(m.content) : '')).join('\n');
}

function promptText(prompt) {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt)) return prompt.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\n');
  return '';
}

// Split into `n` pieces on code point boundaries (never inside a UTF-8 sequence).
function splitPieces(text, n) {
  const cps = Array.from(text);
  const count = Math.max(1, Math.min(n, cps.length || 1));
  const pieces = [];
  for (let i = 0; i < count; i++) {
    const from = Math.floor((i * cps.length) / count);
    const to = Math.floor(((i + 1) * cps.length) / count);
    pieces.push(cps.slice(from, to).join(''));
  }
  return pieces;
}

// Deterministic unit vector derived from the input text.
function embeddingFor(text, dims) {
  const out = new Array(dims);
  let norm = 0;
  for (let i = 0; i < dims; i++) {
    const h = crypto.createHash('sha256').update(`${i}:${text}`).digest();
    const v = h.readUInt32BE(0) / 0xffffffff * 2 - 1;
    out[i] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  return out.map((v) => Math.fround(v / norm));
}

function errorBody(status, message, code) {
  let type = 'server_error';
  if (status === 400 || status === 404 || status === 413 || status === 422) type = 'invalid_request_error';
  else if (status === 401) type = 'authentication_error';
  else if (status === 403) type = 'permission_error';
  else if (status === 429) type = 'rate_limit_error';
  return { error: { message, type, param: null, code: code ?? null } };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// The server

export function createMock(options = {}) {
  const opts = { ...parseArgs([], {}), ...options };
  let seq = 0;
  const stats = newStats();
  let last = null;
  const sockets = new Set();

  function newStats() {
    return {
      requests: 0, chat: 0, completions: 0, embeddings: 0, models: 0, other: 0,
      stream: 0, errors: 0, dropped: 0, unauthorized: 0,
      connections: 0, tls_connections: 0,
    };
  }

  function log(...args) {
    if (!opts.quiet) process.stderr.write(`[mock] ${args.join(' ')}\n`);
  }

  function control(req, header, dflt) {
    const v = req.headers[header];
    if (v === undefined || v === '') return dflt;
    return v;
  }

  function sendJson(res, status, obj, extraHeaders = {}) {
    if (res.destroyed || res.writableEnded) return;
    const body = Buffer.from(JSON.stringify(obj));
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': body.length,
      ...extraHeaders,
    });
    res.end(body);
  }

  async function handle(req, res, isTls) {
    res.on('error', () => {});
    const url = new URL(req.url, 'http://mock.invalid');
    const path = url.pathname;
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks);

    // Test endpoints
    if (path === '/__mock/stats' && req.method === 'GET') return sendJson(res, 200, stats);
    if (path === '/__mock/last' && req.method === 'GET') return sendJson(res, 200, last ?? { body: null, headers: null });
    if (path === '/__mock/reset' && req.method === 'POST') {
      Object.assign(stats, newStats());
      last = null;
      return sendJson(res, 200, { ok: true });
    }
    if (path === '/__mock/health') return sendJson(res, 200, { ok: true });

    if (!path.startsWith('/v1/')) {
      return sendJson(res, 404, errorBody(404, `Unknown path ${path}`, 'not_found'));
    }

    const id = ++seq;
    let body = null;
    let parseError = null;
    if (req.method === 'POST') {
      stats.requests++;
      const text = raw.toString('utf8');
      try { body = raw.length ? JSON.parse(text) : null; } catch (e) { parseError = e; }
      last = {
        method: req.method,
        path: path,
        tls: isTls,
        headers: req.headers,
        raw: text,
        body: parseError ? null : body,
      };
    }
    if (path === '/v1/chat/completions') stats.chat++;
    else if (path === '/v1/completions') stats.completions++;
    else if (path === '/v1/embeddings') stats.embeddings++;
    else if (path === '/v1/models') stats.models++;
    else stats.other++;

    const delayMs = intOr(control(req, 'x-mock-delay-ms', opts.delayMs), 0);
    const chunkDelayMs = intOr(control(req, 'x-mock-chunk-delay-ms', opts.chunkDelayMs), 0);
    const nChunks = Math.max(1, intOr(control(req, 'x-mock-chunks', opts.chunks), 4));
    const forcedStatus = intOr(control(req, 'x-mock-status', opts.status), 0);
    const drop = String(control(req, 'x-mock-drop', opts.drop) || '');

    log(`${isTls ? 'https' : 'http'} ${req.method} ${path} #${id}`);

    if (opts.apiKey) {
      const auth = req.headers.authorization || '';
      if (auth !== `Bearer ${opts.apiKey}`) {
        stats.unauthorized++;
        return sendJson(res, 401, errorBody(401, 'Incorrect API key provided (mock upstream).', 'invalid_api_key'));
      }
    }

    if (delayMs > 0) await sleep(delayMs);
    if (res.destroyed) return;

    if (drop === '1' || drop === 'true' || drop === 'before') {
      stats.dropped++;
      req.socket.destroy();
      return;
    }
    if (forcedStatus >= 400) {
      stats.errors++;
      const headers = forcedStatus === 429 ? { 'retry-after': '1' } : {};
      return sendJson(res, forcedStatus, errorBody(forcedStatus, `Mock upstream error ${forcedStatus}`, `mock_${forcedStatus}`), headers);
    }

    const commonHeaders = { 'x-request-id': `req_mock_${id}`, 'openai-processing-ms': String(delayMs) };

    if (path === '/v1/models') {
      if (req.method !== 'GET') return sendJson(res, 405, errorBody(405, 'Method not allowed', null));
      return sendJson(res, 200, {
        object: 'list',
        data: opts.models.map((m) => ({ id: m, object: 'model', created: 1700000000, owned_by: 'mock' })),
      }, commonHeaders);
    }
    if (req.method !== 'POST') {
      return sendJson(res, 405, errorBody(405, 'Method not allowed', null));
    }
    if (parseError || !body || typeof body !== 'object' || Array.isArray(body)) {
      stats.errors++;
      return sendJson(res, 400, errorBody(400, 'We could not parse the JSON body of your request (mock upstream).', 'invalid_json'));
    }
    const model = typeof body.model === 'string' ? body.model : 'unknown';
    const created = Math.floor(Date.now() / 1000);

    if (path === '/v1/chat/completions') {
      if (!Array.isArray(body.messages)) {
        stats.errors++;
        return sendJson(res, 400, errorBody(400, "'messages' must be an array (mock upstream).", 'invalid_request'));
      }
      const content = lastUserText(body.messages);
      const usage = {
        prompt_tokens: Math.max(1, estimateTokens(allMessagesText(body.messages))),
        completion_tokens: estimateTokens(content),
      };
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      const cid = `chatcmpl-mock-${id}`;
      if (body.stream === true) {
        stats.stream++;
        const includeUsage = !!(body.stream_options && body.stream_options.include_usage === true);
        const chunk = (delta, finish, extra = {}) => ({
          id: cid, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
          ...(includeUsage ? { usage: null } : {}),
          ...extra,
        });
        const events = [chunk({ role: 'assistant', content: '', refusal: null }, null)];
        for (const piece of splitPieces(content, nChunks)) events.push(chunk({ content: piece }, null));
        events.push(chunk({}, 'stop'));
        if (includeUsage) {
          events.push({ id: cid, object: 'chat.completion.chunk', created, model, system_fingerprint: 'fp_mock', choices: [], usage });
        }
        return streamEvents(req, res, events, chunkDelayMs, drop === 'mid', commonHeaders);
      }
      return sendJsonMaybeMid(req, res, 200, {
        id: cid, object: 'chat.completion', created, model, system_fingerprint: 'fp_mock',
        choices: [{
          index: 0,
          message: { role: 'assistant', content, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        }],
        usage,
      }, drop === 'mid', commonHeaders);
    }

    if (path === '/v1/completions') {
      const text = promptText(body.prompt);
      const usage = { prompt_tokens: Math.max(1, estimateTokens(text)), completion_tokens: estimateTokens(text) };
      usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
      const cid = `cmpl-mock-${id}`;
      if (body.stream === true) {
        stats.stream++;
        const includeUsage = !!(body.stream_options && body.stream_options.include_usage === true);
        const chunk = (t, finish) => ({
          id: cid, object: 'text_completion', created, model,
          choices: [{ text: t, index: 0, logprobs: null, finish_reason: finish }],
          ...(includeUsage ? { usage: null } : {}),
        });
        const events = splitPieces(text, nChunks).map((p) => chunk(p, null));
        events.push(chunk('', 'stop'));
        if (includeUsage) events.push({ id: cid, object: 'text_completion', created, model, choices: [], usage });
        return streamEvents(req, res, events, chunkDelayMs, drop === 'mid', commonHeaders);
      }
      return sendJsonMaybeMid(req, res, 200, {
        id: cid, object: 'text_completion', created, model,
        choices: [{ text, index: 0, logprobs: null, finish_reason: 'stop' }],
        usage,
      }, drop === 'mid', commonHeaders);
    }

    if (path === '/v1/embeddings') {
      const input = body.input;
      let inputs;
      if (typeof input === 'string') inputs = [input];
      else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'number')) inputs = [JSON.stringify(input)];
      else if (Array.isArray(input)) inputs = input.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      else {
        stats.errors++;
        return sendJson(res, 400, errorBody(400, "'input' is required (mock upstream).", 'invalid_request'));
      }
      const dims = Number.isInteger(body.dimensions) && body.dimensions > 0 ? Math.min(body.dimensions, 4096) : 8;
      const base64 = body.encoding_format === 'base64';
      const data = inputs.map((text, index) => {
        const vec = embeddingFor(text, dims);
        const embedding = base64 ? Buffer.from(new Float32Array(vec).buffer).toString('base64') : vec;
        return { object: 'embedding', index, embedding };
      });
      const promptTokens = Math.max(1, inputs.reduce((n, t) => n + estimateTokens(t), 0));
      return sendJsonMaybeMid(req, res, 200, {
        object: 'list', data, model,
        usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
      }, drop === 'mid', commonHeaders);
    }

    return sendJson(res, 404, errorBody(404, `Unknown endpoint ${path} (mock upstream).`, 'unknown_url'));
  }

  function sendJsonMaybeMid(req, res, status, obj, dropMid, headers) {
    if (!dropMid) return sendJson(res, status, obj, headers);
    // Announce the full length, send half, then kill the connection.
    const body = Buffer.from(JSON.stringify(obj));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, ...headers });
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    stats.dropped++;
    setTimeout(() => req.socket.destroy(), 20);
  }

  async function streamEvents(req, res, events, chunkDelayMs, dropMid, headers) {
    if (res.destroyed) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...headers,
    });
    res.flushHeaders();
    const all = events.map((e) => `data: ${JSON.stringify(e)}\n\n`);
    all.push('data: [DONE]\n\n');
    for (let i = 0; i < all.length; i++) {
      if (i > 0 && chunkDelayMs > 0) await sleep(chunkDelayMs);
      if (res.destroyed || res.writableEnded) return;
      if (dropMid && i === Math.floor(all.length / 2)) {
        stats.dropped++;
        req.socket.destroy();
        return;
      }
      res.write(all[i]);
    }
    res.end();
  }

  function onRequest(isTls) {
    return (req, res) => {
      handle(req, res, isTls).catch((err) => {
        log(`handler error: ${err && err.stack ? err.stack : err}`);
        if (!res.headersSent) sendJson(res, 500, errorBody(500, 'mock internal error', null));
        else res.destroy();
      });
    };
  }

  function tune(server, isTls) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.requestTimeout = 0;
    server.maxHeadersCount = 0;
    server.on('connection', (socket) => {
      if (!isTls) stats.connections++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    if (isTls) server.on('secureConnection', () => { stats.tls_connections++; });
    server.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      else socket.destroy();
    });
    if (isTls) server.on('tlsClientError', () => {});
  }

  const httpServer = http.createServer(onRequest(false));
  tune(httpServer, false);
  let httpsServer = null;
  if (opts.cert && opts.key) {
    httpsServer = https.createServer({ cert: fs.readFileSync(opts.cert), key: fs.readFileSync(opts.key) }, onRequest(true));
    tune(httpsServer, true);
  }

  const listen = (server, port) => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port, backlog: 1024 }, () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });

  return {
    stats,
    get last() { return last; },
    async start() {
      const ports = { http: await listen(httpServer, opts.port), https: null };
      if (httpsServer) ports.https = await listen(httpsServer, opts.httpsPort);
      if (opts.portFile) {
        const tmp = `${opts.portFile}.tmp${process.pid}`;
        fs.writeFileSync(tmp, JSON.stringify(ports));
        fs.renameSync(tmp, opts.portFile);
      }
      return ports;
    },
    async stop() {
      const servers = [httpServer, httpsServer].filter(Boolean);
      const closing = servers.map((s) => new Promise((r) => s.close(() => r())));
      for (const s of servers) s.closeAllConnections?.();
      for (const s of sockets) s.destroy();
      await Promise.all(closing);
    },
  };
}

// ---------------------------------------------------------------------------
// CLI entry point

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1]);
if (isMain) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) process.stderr.write(`mock_upstream: ${e.message}\n${USAGE}\n`);
      else process.stdout.write(`${USAGE}\n`);
      process.exit(e.message ? 2 : 0);
    }
    throw e;
  }
  const mock = createMock(opts);
  mock.start().then((ports) => {
    process.stdout.write(`${JSON.stringify(ports)}\n`);
  }, (err) => {
    process.stderr.write(`mock_upstream: cannot listen: ${err.message}\n`);
    process.exit(1);
  });
  const shutdown = () => { mock.stop().then(() => process.exit(0)); setTimeout(() => process.exit(0), 2000).unref(); };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  if (opts.exitWithParent) {
    // Never outlive a test process that was killed hard.
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent) shutdown(); }, 500).unref();
  }
}
