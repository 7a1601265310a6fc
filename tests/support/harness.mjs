// Shared helpers for leitplanke's end-to-end tests (node:test).
//
// A test file typically does:
//
//   import { before, after } from 'node:test';
//   import { startEnv, test } from '../support/harness.mjs';
//   let env;
//   before(async () => { env = await startEnv({ name: 'auth' }); });
//   after(async () => { await env?.stop(); });
//   test('something', async () => { ... });
//
// startEnv() creates a fresh database on LEITPLANKE_TEST_PG, runs
// `leitplanke migrate`, starts mock upstreams (tests/support/mock_upstream.mjs)
// on ephemeral ports, writes config.yaml + policy.yaml into a temp dir and
// starts `leitplanke serve` on a free port. stop() tears all of it down.
//
// Environment: LEITPLANKE_BIN (gateway binary), LEITPLANKE_TEST_PG (libpq URL
// of a role that may CREATE DATABASE), LEITPLANKE_SOURCE_DIR (repo root;
// optional). LEITPLANKE_TEST_KEEP=1 keeps the database and temp dir.

import { test as nodeTest } from 'node:test';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const execFileP = promisify(execFile);

export const SUPPORT_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_DIR = process.env.LEITPLANKE_SOURCE_DIR || path.resolve(SUPPORT_DIR, '..', '..');
export const MOCK_SCRIPT = path.join(SUPPORT_DIR, 'mock_upstream.mjs');
export const GEN_CA_SCRIPT = path.join(SUPPORT_DIR, 'gen_test_ca.sh');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------
// Defaults shared by the test files

export const DEFAULT_POLICY = `version: "test-1"
redact:
  EMAIL: mask
  IBAN: mask
rules:
  - id: allow-standard
    title: Standard models for all departments
    effect: allow
    when:
      departments: [sozialamt, bauamt, personalamt]
      models: [gpt-4o-mini, gpt-tls, text-embedding-3-small]
    reference: "DV KI § 3 Abs. 1"
    explanation:
      de: "Die Standardmodelle sind für alle Ämter freigegeben."
      en: "Standard models are approved for all departments."
  - id: deny-iban-personalamt
    title: No bank data from HR
    effect: deny
    when:
      departments: [personalamt]
      detected: [IBAN]
    reference: "DV KI § 5 Abs. 2"
    explanation:
      de: "Bankverbindungen von Beschäftigten dürfen nicht an KI-Dienste übermittelt werden."
      en: "Employees' bank details must not be sent to AI services."
`;

// Same as DEFAULT_POLICY but the allow rule also lists `extraModels`.
export function policyAllowing(extraModels) {
  const list = ['gpt-4o-mini', 'gpt-tls', 'text-embedding-3-small', ...extraModels].join(', ');
  return DEFAULT_POLICY.replace('models: [gpt-4o-mini, gpt-tls, text-embedding-3-small]', `models: [${list}]`);
}

// Training valid for a year from today (keys of the example policy, which requires training).
export const TRAINED_FOR_A_YEAR = new Date(Date.now() + 365 * 86400000).toISOString().slice(0, 10);

// The models of deploy/policy.yaml beyond DEFAULT_MODELS, routed to the mock upstream.
export const EXAMPLE_POLICY_MODELS = {
  'gpt-4o': 'mock',
  'gpt-4.1': 'mock',
  'llama-intern': { upstream: 'mock', upstream_model: 'llama-3.1-8b-instruct' },
};

export const DEFAULT_MODELS = {
  'gpt-4o-mini': 'mock',
  'gpt-tls': 'mock_tls',
  'text-embedding-3-small': 'mock',
  'secret-model': 'mock',
};

// ---------------------------------------------------------------------------
// Small utilities

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Poll `fn` until it returns a truthy value; return that value.
export async function waitFor(fn, { timeout = 5000, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() >= deadline) {
      const why = lastErr ? ` (last error: ${lastErr.message})` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${why}`);
    }
    await sleep(interval);
  }
}

export function randomId(prefix = '') {
  return `${prefix}${crypto.randomBytes(6).toString('hex')}`;
}

// Valid X-Request-Id per the gateway contract: 1-64 chars of [A-Za-z0-9._-].
export const REQUEST_ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

// ISO 13616 mod-97 check, used to make sure test IBANs are what we claim.
export function ibanIsValid(iban) {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/.test(s)) return false;
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

// Minimal YAML emitter for config objects: nested maps, scalar lists,
// strings are emitted JSON-quoted (a subset of YAML double-quoted scalars).
export function toYaml(obj, indent = 0) {
  const pad = ' '.repeat(indent);
  let out = '';
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    const key = /^[A-Za-z0-9_.-]+$/.test(k) ? k : JSON.stringify(k);
    if (Array.isArray(v)) {
      out += `${pad}${key}: [${v.map(scalarYaml).join(', ')}]\n`;
    } else if (typeof v === 'object') {
      out += `${pad}${key}:\n${toYaml(v, indent + 2)}`;
    } else {
      out += `${pad}${key}: ${scalarYaml(v)}\n`;
    }
  }
  return out;
}

function scalarYaml(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(String(v));
}

// Deep merge; a null in `over` deletes the key.
export function merge(base, over) {
  if (!over) return base;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k])) {
      out[k] = merge(out[k], v);
    } else out[k] = v;
  }
  return out;
}

function requiredEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set (see tests/support/README.md)`);
  return v;
}

export function gatewayBin() {
  const bin = process.env.LEITPLANKE_BIN || path.join(SOURCE_DIR, 'build', 'leitplanke');
  if (!fs.existsSync(bin)) throw new Error(`gateway binary not found: ${bin} (set LEITPLANKE_BIN)`);
  return bin;
}

// Replace the database name in a libpq URL or keyword/value string.
export function withDatabase(url, dbName) {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    u.pathname = `/${dbName}`;
    return u.toString();
  }
  return `${url} dbname=${dbName}`;
}

// Run a command; resolve {code, signal, stdout, stderr} (never rejects on exit code).
export function run(cmd, args, { input, env, timeout = 30000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code, signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

// psql helpers. `psql(url, sql)` returns unaligned, tuples-only output.
export async function psql(url, sql) {
  const { stdout } = await execFileP('psql', [url, '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    env: { ...process.env, PGCONNECT_TIMEOUT: '5' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout.replace(/\n$/, '');
}

// Rows of a query as an array of plain objects (via json_agg).
export async function psqlRows(url, sql) {
  const out = await psql(url, `SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql}) t`);
  return JSON.parse(out);
}

// ---------------------------------------------------------------------------
// Log collection and failure reporting

const liveProcesses = new Set();
const liveEnvs = new Set();

function killAll() {
  for (const p of liveProcesses) {
    try { p.kill('SIGKILL'); } catch { /* already gone */ }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    killAll();
    process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
  });
}

class LogBuffer {
  constructor(file, maxLines = 2000) {
    this.lines = [];
    this.partial = '';
    this.maxLines = maxLines;
    this.file = file;
    this.fd = file ? fs.openSync(file, 'a') : null;
  }
  push(chunk) {
    const s = this.partial + chunk.toString('utf8');
    const parts = s.split('\n');
    this.partial = parts.pop();
    for (const line of parts) this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    if (this.fd !== null) fs.writeSync(this.fd, chunk);
  }
  text() {
    return this.lines.join('\n') + (this.partial ? `\n${this.partial}` : '');
  }
  tail(n = 60) {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-n).join('\n');
  }
  close() {
    if (this.fd !== null) { fs.closeSync(this.fd); this.fd = null; }
  }
}

export function dumpLogs(reason) {
  for (const env of liveEnvs) {
    process.stderr.write(`\n===== ${reason}: logs of env "${env.name}" =====\n`);
    for (const gw of env.gateways) {
      process.stderr.write(`----- gateway ${gw.label} (port ${gw.port}, exit ${gw.exitCode ?? 'running'}) stderr tail -----\n${gw.log.tail(80)}\n`);
    }
    for (const m of Object.values(env.mocks)) {
      const t = m.log.tail(15);
      if (t.trim()) process.stderr.write(`----- mock ${m.name} stderr tail -----\n${t}\n`);
    }
  }
}

// node:test `test` that prints the gateway log tail when the test fails.
export function test(name, optsOrFn, maybeFn) {
  const fn = typeof optsOrFn === 'function' ? optsOrFn : maybeFn;
  const opts = typeof optsOrFn === 'function' ? {} : optsOrFn;
  return nodeTest(name, opts, async (t) => {
    try {
      return await fn(t);
    } catch (err) {
      dumpLogs(`test "${name}" failed`);
      throw err;
    }
  });
}

// ---------------------------------------------------------------------------
// Mock upstream process

export class MockProcess {
  constructor(name, proc, ports, log) {
    this.name = name;
    this.proc = proc;
    this.port = ports.http;
    this.httpsPort = ports.https;
    this.log = log;
    this.baseUrl = `http://127.0.0.1:${this.port}`;
    this.url = `${this.baseUrl}/v1`;
    this.httpsUrl = this.httpsPort ? `https://localhost:${this.httpsPort}/v1` : null;
  }
  async control(p, method = 'GET') {
    const r = await fetch(`${this.baseUrl}${p}`, { method });
    if (!r.ok) throw new Error(`mock ${this.name} ${p}: HTTP ${r.status}`);
    return r.json();
  }
  stats() { return this.control('/__mock/stats'); }
  last() { return this.control('/__mock/last'); }
  reset() { return this.control('/__mock/reset', 'POST'); }
  async stop() {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
    liveProcesses.delete(this.proc);
    this.log.close();
  }
}

export async function startMock(name, args = [], { logFile } = {}) {
  const proc = spawn(process.execPath, [MOCK_SCRIPT, '--port', '0', '--exit-with-parent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  liveProcesses.add(proc);
  const log = new LogBuffer(logFile);
  proc.stderr.on('data', (d) => log.push(d));
  const ports = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`mock ${name} did not start within 10 s:\n${log.tail()}`)), 10000);
    proc.stdout.on('data', (d) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        try { resolve(JSON.parse(buf.slice(0, nl))); } catch (e) { reject(e); }
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock ${name} exited with ${code}:\n${log.tail()}`));
    });
  });
  return new MockProcess(name, proc, ports, log);
}

// ---------------------------------------------------------------------------
// Gateway process

export class GatewayProcess {
  constructor({ label, bin, configFile, port, env, logFile }) {
    this.label = label;
    this.bin = bin;
    this.configFile = configFile;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.env = env;
    this.log = new LogBuffer(logFile);
    this.proc = null;
    this.exitCode = null;
    this.exitSignal = null;
    this.exited = null;
  }

  start() {
    this.proc = spawn(this.bin, ['serve', '--config', this.configFile], {
      env: { ...process.env, ...this.env, LEITPLANKE_LISTEN: `127.0.0.1:${this.port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    liveProcesses.add(this.proc);
    this.proc.stdout.on('data', (d) => this.log.push(d));
    this.proc.stderr.on('data', (d) => this.log.push(d));
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        liveProcesses.delete(this.proc);
        resolve({ code, signal });
      });
    });
  }

  get running() {
    return this.proc && this.exitCode === null && this.exitSignal === null;
  }

  async waitReady(timeout = 15000) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`gateway ${this.label} exited (code ${this.exitCode}, signal ${this.exitSignal}) before it was ready:\n${this.log.tail(80)}`);
      }
      try {
        const r = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        await r.arrayBuffer();
        if (r.status === 200) return;
      } catch { /* not listening yet */ }
      await sleep(100);
    }
    throw new Error(`gateway ${this.label} not ready after ${timeout} ms (GET /readyz):\n${this.log.tail(80)}`);
  }

  // Send `signal` and wait for the exit; SIGKILL after `timeout` ms.
  async stop({ signal = 'SIGTERM', timeout = 20000 } = {}) {
    if (!this.proc) return null;
    if (this.running) {
      this.proc.kill(signal);
      const t = setTimeout(() => { if (this.running) this.proc.kill('SIGKILL'); }, timeout);
      await this.exited;
      clearTimeout(t);
    }
    return { code: this.exitCode, signal: this.exitSignal };
  }

  logTail(n = 80) { return this.log.tail(n); }
}

// ---------------------------------------------------------------------------
// The environment of one test file

/**
 * Options:
 *   name            short name used for the database (default: test file name)
 *   policy          policy YAML text (default DEFAULT_POLICY)
 *   mocks           { name: [extra mock CLI args] } (default { mock: [] });
 *                   the first mock also serves HTTPS with the test CA and
 *                   backs the upstreams "mock" and "mock_tls"; every other
 *                   mock gets an upstream of its own name.
 *   upstreams       extra/overriding upstream definitions (merged; null deletes)
 *   models          extra/overriding model -> upstream mappings (null deletes)
 *   config          overrides merged into the generated config (null deletes)
 *   gatewayEnv      extra environment for the gateway process
 *   gateway         false: do not start a gateway (CLI tests)
 *   migrate         false: do not run `leitplanke migrate`
 *   mockApiKey      key the mocks require (default random; false = none)
 */
export async function startEnv(opts = {}) {
  const env = new Env(opts);
  liveEnvs.add(env);
  try {
    await env.init();
  } catch (e) {
    dumpLogs('startEnv failed');
    await env.stop().catch(() => {});
    throw e;
  }
  return env;
}

export class Env {
  constructor(opts) {
    this.opts = opts;
    const base = opts.name || path.basename(process.argv[1] || 'e2e').replace(/\.test\.mjs$/, '').replace(/\.m?js$/, '');
    this.name = base;
    const safe = base.toLowerCase().replace(/[^a-z0-9_]+/g, '_').slice(0, 30);
    this.dbName = `lp_e2e_${safe}_${process.pid}_${crypto.randomBytes(2).toString('hex')}`;
    this.adminUrl = requiredEnv('LEITPLANKE_TEST_PG');
    this.dbUrl = withDatabase(this.adminUrl, this.dbName);
    this.bin = gatewayBin();
    this.mocks = {};
    this.mock = null;
    this.gateways = [];
    this.gateway = null;
    this.dbCreated = false;
    this.mockApiKey = opts.mockApiKey === false ? null : (opts.mockApiKey || `sk-mock-${crypto.randomBytes(12).toString('hex')}`);
    this.pseudonymKey = `e2e-pseudonym-key-${crypto.randomBytes(16).toString('hex')}`;
  }

  async init() {
    this.tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), `lp-e2e-${this.name}-`));
    this.caDir = path.join(this.tmpDir, 'ca');
    const ca = await run('bash', [GEN_CA_SCRIPT, this.caDir]);
    if (ca.code !== 0) throw new Error(`gen_test_ca.sh failed: ${ca.stderr}`);
    this.caFile = path.join(this.caDir, 'ca.pem');

    await psql(this.adminUrl, `DROP DATABASE IF EXISTS ${this.dbName}`);
    await psql(this.adminUrl, `CREATE DATABASE ${this.dbName}`);
    this.dbCreated = true;

    if (this.opts.migrate !== false) {
      const r = await this.cli(['migrate', '--database-url', this.dbUrl]);
      if (r.code !== 0) throw new Error(`leitplanke migrate failed (exit ${r.code}):\n${r.stderr}`);
    }

    const mockSpecs = this.opts.mocks ?? { mock: [] };
    const names = Object.keys(mockSpecs);
    this.mockNames = names; // spec order; this.mocks fills in start-up order
    const apiArgs = this.mockApiKey ? ['--api-key', this.mockApiKey] : [];
    await Promise.all(names.map(async (name, i) => {
      const tlsArgs = i === 0
        ? ['--https-port', '0', '--cert', path.join(this.caDir, 'server.pem'), '--key', path.join(this.caDir, 'server.key')]
        : [];
      this.mocks[name] = await startMock(name, [...tlsArgs, ...apiArgs, ...mockSpecs[name]], {
        logFile: path.join(this.tmpDir, `mock-${name}.log`),
      });
    }));
    this.mock = names.length ? this.mocks[names[0]] : null;

    this.mockApiKeyFile = path.join(this.tmpDir, 'mock_api_key');
    fs.writeFileSync(this.mockApiKeyFile, `${this.mockApiKey ?? ''}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(this.tmpDir, 'policy.yaml'), this.opts.policy ?? DEFAULT_POLICY);

    if (this.opts.gateway !== false) {
      this.gateway = await this.startGateway({ label: 'main' });
    }
  }

  get gatewayUrl() { return this.gateway?.url; }

  // The config object for a gateway (before overrides of startGateway()).
  baseConfig() {
    const upstreams = {};
    const names = this.mockNames ?? [];
    names.forEach((name, i) => {
      const m = this.mocks[name];
      const timeouts = { connect_timeout_ms: 1000, response_timeout_ms: 2000, idle_timeout_ms: 2000 };
      if (i === 0) {
        upstreams.mock = { base_url: m.url, api_key_env: 'MOCK_API_KEY', ...timeouts };
        upstreams.mock_tls = { base_url: m.httpsUrl, ca_file: this.caFile, api_key_file: this.mockApiKeyFile, ...timeouts };
        if (name !== 'mock') upstreams[name] = { base_url: m.url, api_key_env: 'MOCK_API_KEY', ...timeouts };
      } else {
        upstreams[name] = { base_url: m.url, api_key_env: 'MOCK_API_KEY', ...timeouts };
      }
    });
    let cfg = {
      listen: '127.0.0.1:0',
      threads: 2,
      database_url: this.dbUrl,
      policy: 'policy.yaml',
      language: 'de',
      keys_refresh_ms: 200,
      limits: { max_body_bytes: 1048576, header_timeout_ms: 10000, request_timeout_ms: 30000, drain_timeout_ms: 10000 },
      audit: { flush_interval_ms: 100, batch_max: 1000, queue_max: 100000 },
      upstreams: merge(upstreams, this.opts.upstreams),
      models: merge(DEFAULT_MODELS, this.opts.models),
    };
    cfg = merge(cfg, this.opts.config);
    return cfg;
  }

  // Write config-<label>.yaml (baseConfig() merged with `overrides`) into
  // the temp dir, next to policy.yaml; returns its path.
  writeConfig(label, overrides) {
    const cfg = merge(this.baseConfig(), overrides);
    const configFile = path.join(this.tmpDir, `config-${label}.yaml`);
    fs.writeFileSync(configFile, `# generated by tests/support/harness.mjs\n${toYaml(cfg)}`);
    return configFile;
  }

  // Start a(nother) gateway on this env's database. `config` overrides are
  // merged on top of baseConfig(). Returns a ready GatewayProcess.
  async startGateway({ label = `gw${this.gateways.length}`, config, env: extraEnv, wait = true } = {}) {
    const configFile = this.writeConfig(label, config);
    for (let attempt = 1; ; attempt++) {
      const gw = await this.spawnGateway(label, configFile, extraEnv);
      if (!wait) return gw;
      try {
        await gw.waitReady();
        return gw;
      } catch (e) {
        // The free port may have been taken between freePort() and bind().
        const portTaken = !gw.running && /address already in use|EADDRINUSE/i.test(gw.log.text());
        if (!portTaken || attempt >= 3) throw e;
        this.gateways.splice(this.gateways.indexOf(gw), 1);
      }
    }
  }

  async spawnGateway(label, configFile, extraEnv) {
    const port = await freePort();
    const gw = new GatewayProcess({
      label, bin: this.bin, configFile, port,
      logFile: path.join(this.tmpDir, `gateway-${label}.log`),
      env: {
        LEITPLANKE_PSEUDONYM_KEY: this.pseudonymKey,
        MOCK_API_KEY: this.mockApiKey ?? '',
        ...this.opts.gatewayEnv,
        ...extraEnv,
      },
    });
    gw.start();
    this.gateways.push(gw);
    return gw;
  }

  // Stop the main gateway (SIGTERM) and start a fresh one with the same config.
  async restartGateway() {
    const old = this.gateway;
    if (old) await old.stop();
    this.gateway = await this.startGateway({ label: `main${this.gateways.length}` });
    return this.gateway;
  }

  // Run the gateway binary with `args`; resolves {code, stdout, stderr}.
  cli(args, opts = {}) {
    return run(this.bin, args, {
      ...opts,
      env: { LEITPLANKE_PSEUDONYM_KEY: this.pseudonymKey, ...opts.env },
    });
  }

  sql(q) { return psql(this.dbUrl, q); }

  // Simulates an outage of this env's database only (the shared test cluster keeps running):
  // no new connections, and the open sessions terminated; `true` ends it.
  async setDatabaseReachable(on) {
    await psql(this.adminUrl, `ALTER DATABASE ${this.dbName} ALLOW_CONNECTIONS ${on ? 'true' : 'false'}`);
    if (!on) {
      await psql(this.adminUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${sqlString(this.dbName)} AND pid <> pg_backend_pid()`);
    }
  }
  rows(q) { return psqlRows(this.dbUrl, q); }

  // Create an API key; by default waits until the running gateway accepts it.
  // trainedUntil: YYYY-MM-DD of the holder's AI-literacy training (TRAINED_FOR_A_YEAR), none by default.
  async createKey(department, { role = 'staff', user = randomId('user-'), wait = true, trainedUntil } = {}) {
    const args = ['keys', 'create', '--user', user, '--department', department, '--role', role, '--database-url', this.dbUrl];
    if (trainedUntil) args.push('--trained-until', trainedUntil);
    const r = await this.cli(args);
    if (r.code !== 0) throw new Error(`keys create failed (exit ${r.code}): ${r.stderr}`);
    const key = r.stdout.trim();
    const m = /^lp_([0-9a-f]{12})_(\S+)$/.exec(key);
    if (!m) throw new Error(`keys create printed an unexpected key: ${JSON.stringify(r.stdout)}`);
    if (wait && this.gateway) await this.waitKeyStatus(key, 200);
    return { key, keyId: m[1], user, department, role };
  }

  async revoke(keyId, { key, wait = true } = {}) {
    const r = await this.cli(['keys', 'revoke', keyId, '--database-url', this.dbUrl]);
    if (r.code !== 0) throw new Error(`keys revoke failed (exit ${r.code}): ${r.stderr}`);
    if (wait && key && this.gateway) await this.waitKeyStatus(key, 401);
  }

  // Poll GET /v1/models with `key` until it answers `status`. Probe requests
  // use X-Request-Id "probe-..." so audit assertions can leave them out.
  async waitKeyStatus(key, status, gw = this.gateway, timeout = 5000) {
    await waitFor(async () => {
      const r = await fetch(`${gw.url}/v1/models`, {
        headers: { authorization: `Bearer ${key}`, 'x-request-id': randomId('probe-') },
      });
      await r.arrayBuffer();
      return r.status === status;
    }, { timeout, interval: 50, message: `key to answer ${status} on /v1/models` });
  }

  // HTTP request to the gateway. `body` objects are sent as JSON with
  // content-type application/json unless `headers` says otherwise.
  async request(p, { method, key, body, headers = {}, gw = this.gateway, signal } = {}) {
    const h = { ...headers };
    if (key) h.authorization = `Bearer ${key}`;
    let payload = body;
    if (body !== undefined && !(typeof body === 'string') && !Buffer.isBuffer(body) && !(body instanceof Uint8Array)) {
      payload = JSON.stringify(body);
    }
    if (payload !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
      h['content-type'] = 'application/json';
    }
    const r = await fetch(`${gw.url}${p}`, {
      method: method || (payload !== undefined ? 'POST' : 'GET'),
      headers: h,
      body: payload,
      signal,
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, headers: r.headers, text, json, requestId: r.headers.get('x-request-id'), decision: r.headers.get('x-leitplanke-decision') };
  }

  chat(key, body, opts = {}) {
    return this.request('/v1/chat/completions', { ...opts, key, body });
  }

  // Audit rows (probe requests excluded).
  decisions(where = 'true') {
    return this.rows(`SELECT * FROM decisions WHERE request_id NOT LIKE 'probe-%' AND (${where}) ORDER BY ts`);
  }

  // Poll until at least `n` audit rows match `where`; returns them.
  async waitForDecisions(where, n = 1, timeout = 8000) {
    let rows = [];
    await waitFor(async () => {
      rows = await this.decisions(where);
      return rows.length >= n;
    }, { timeout, interval: 100, message: `${n} decisions row(s) WHERE ${where}` });
    return rows;
  }

  // The single audit row of `requestId` (polls until it exists).
  async decision(requestId, timeout = 8000) {
    const rows = await this.waitForDecisions(`request_id = ${sqlString(requestId)}`, 1, timeout);
    return rows[0];
  }

  async stop() {
    liveEnvs.delete(this);
    const keep = process.env.LEITPLANKE_TEST_KEEP === '1';
    const errors = [];
    for (const gw of this.gateways) {
      try { await gw.stop(); } catch (e) { errors.push(e); }
      gw.log.close();
    }
    for (const m of Object.values(this.mocks)) {
      try { await m.stop(); } catch (e) { errors.push(e); }
    }
    if (this.dbCreated && !keep) {
      try { await psql(this.adminUrl, `DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`); } catch (e) { errors.push(e); }
    }
    if (this.tmpDir && !keep) await fsp.rm(this.tmpDir, { recursive: true, force: true });
    if (keep) process.stderr.write(`kept database ${this.dbName} and ${this.tmpDir}\n`);
    if (errors.length) throw errors[0];
  }
}

export function sqlString(s) {
  return `'${String(s).replace(/'/g, "''")}'`;
}

// ---------------------------------------------------------------------------
// Assertions and protocol helpers

// Asserts the OpenAI error envelope; returns body.error.
export function assertOpenAIError(assert, res, status, code) {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${res.status}: ${res.text}`);
  assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${res.text}`);
  const e = res.json.error;
  assert.ok(e && typeof e === 'object', `no "error" object in ${res.text}`);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0, 'error.message is empty');
  assert.equal(typeof e.type, 'string');
  assert.ok('param' in e, 'error.param missing');
  assert.equal(e.param, null);
  if (code !== undefined) assert.equal(e.code, code, `error.code: ${res.text}`);
  const rid = res.headers.get('x-request-id');
  assert.ok(rid && REQUEST_ID_RE.test(rid), `missing/invalid X-Request-Id: ${rid}`);
  return e;
}

// Read an SSE response body incrementally. Returns [{data, at}] where `at`
// is the arrival time (ms since `t0`) of the network chunk that completed
// the event; `data` is the raw data string ("[DONE]" or JSON text).
export async function readSse(response, t0 = Date.now()) {
  const events = [];
  const decoder = new TextDecoder();
  let buf = '';
  const reader = response.body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const at = Date.now() - t0;
    buf += decoder.decode(value, { stream: true });
    buf = buf.replace(/\r\n/g, '\n');
    let idx;
    while ((idx = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
      if (block.trim() === '' || data === '') continue;
      events.push({ data, at });
    }
  }
  if (buf.trim()) events.push({ data: buf.trim(), at: Date.now() - t0, incomplete: true });
  return events;
}

// Run `tasks` (functions returning promises) with at most `limit` in flight.
export async function pool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
