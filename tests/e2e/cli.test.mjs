// CLI behaviour of the leitplanke binary: usage errors, --help, migrate,
// keys, policy check and the redact filter. No gateway is started here.

import { before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startEnv, test, DEFAULT_POLICY, ibanIsValid, sqlString } from '../support/harness.mjs';

let env;

before(async () => {
  env = await startEnv({ name: 'cli', gateway: false, migrate: false });
});

after(async () => {
  await env?.stop();
});

const VALID_IBAN_SPACED = 'DE89 3704 0044 0532 0130 00';
const VALID_IBAN_COMPACT = 'DE89370400440532013000';

describe('usage', () => {
  test('no subcommand exits 2', async () => {
    const r = await env.cli([]);
    assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
  });

  test('unknown subcommand exits 2', async () => {
    const r = await env.cli(['frobnicate']);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(r.stderr.length > 0, 'expected a usage message on stderr');
  });

  test('unknown option exits 2', async () => {
    const r = await env.cli(['migrate', '--no-such-option', '--database-url', env.dbUrl]);
    assert.equal(r.code, 2, r.stderr);
  });

  test('keys create without --user exits 2', async () => {
    const r = await env.cli(['keys', 'create', '--department', 'sozialamt', '--database-url', env.dbUrl]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout.trim(), '', 'no key must be printed');
  });

  test('keys create without --department exits 2', async () => {
    const r = await env.cli(['keys', 'create', '--user', 'u1', '--database-url', env.dbUrl]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout.trim(), '');
  });

  for (const sub of ['serve', 'migrate', 'keys', 'redact', 'policy']) {
    test(`${sub} --help exits 0`, async () => {
      const r = await env.cli([sub, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.ok((r.stdout + r.stderr).trim().length > 0, 'help text expected');
    });
  }
});

describe('migrate', () => {
  const schemaSnapshot = () => env.sql(
    `SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, column_name)
       FROM information_schema.columns WHERE table_schema = 'public'`);

  test('creates the schema and is idempotent', async () => {
    const r1 = await env.cli(['migrate', '--database-url', env.dbUrl]);
    assert.equal(r1.code, 0, r1.stderr);
    for (const table of ['decisions', 'api_keys']) {
      assert.equal(await env.sql(`SELECT to_regclass('public.${table}') IS NOT NULL`), 't', `table ${table} missing`);
    }
    const cols = await env.sql(`SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns
                                 WHERE table_schema = 'public' AND table_name = 'decisions'`);
    for (const c of ['request_id', 'ts', 'user_ref', 'department', 'role', 'endpoint', 'upstream', 'model',
      'policy_version', 'decision', 'rule_ids', 'entity_counts', 'prompt_tokens', 'completion_tokens',
      'total_tokens', 'latency_ms', 'status', 'error_code', 'stream']) {
      assert.ok(cols.split(',').includes(c), `decisions.${c} missing (have ${cols})`);
    }
    const before = await schemaSnapshot();
    const r2 = await env.cli(['migrate', '--database-url', env.dbUrl]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(await schemaSnapshot(), before, 'second migrate changed the schema');
  });

  test('takes the URL from LEITPLANKE_DATABASE_URL', async () => {
    const r = await env.cli(['migrate'], { env: { LEITPLANKE_DATABASE_URL: env.dbUrl } });
    assert.equal(r.code, 0, r.stderr);
  });

  test('takes the URL from --config', async () => {
    const cfg = env.writeConfig('migrate');
    const r = await env.cli(['migrate', '--config', cfg], { env: { LEITPLANKE_DATABASE_URL: '' } });
    assert.equal(r.code, 0, r.stderr);
  });

  test('fails without any database URL', async () => {
    const r = await env.cli(['migrate'], { env: { LEITPLANKE_DATABASE_URL: '' } });
    assert.notEqual(r.code, 0);
  });
});

describe('keys', () => {
  let created;

  before(async () => {
    // Independent of the migrate tests above (migrate is idempotent).
    const r = await env.cli(['migrate', '--database-url', env.dbUrl]);
    assert.equal(r.code, 0, r.stderr);
  });

  test('create prints exactly one key line and stores no secret', async () => {
    const r = await env.cli(['keys', 'create', '--user', 'max.muster', '--department', 'sozialamt',
      '--role', 'dpo', '--database-url', env.dbUrl]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, `expected one line, got ${JSON.stringify(r.stdout)}`);
    const m = /^lp_([0-9a-f]{12})_(\S+)$/.exec(lines[0]);
    assert.ok(m, `unexpected key format: ${lines[0]}`);
    const [, keyId, secret] = m;
    assert.ok(secret.length >= 16, 'secret looks too short');
    created = { key: lines[0], keyId, secret };

    const rows = await env.rows(`SELECT key_id, user_id, department, role, revoked_at,
                                        encode(key_hash, 'hex') AS hash_hex, row_to_json(k)::text AS j
                                   FROM api_keys k WHERE key_id = ${sqlString(keyId)}`);
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.equal(row.user_id, 'max.muster');
    assert.equal(row.department, 'sozialamt');
    assert.equal(row.role, 'dpo');
    assert.equal(row.revoked_at, null);
    assert.ok(!row.j.includes(secret), 'secret stored in clear');
    assert.ok(!row.hash_hex.includes(Buffer.from(secret).toString('hex')), 'secret stored in clear in key_hash');
    assert.ok(row.hash_hex.length >= 32, 'key_hash looks too short');
  });

  test('default role is staff', async () => {
    const r = await env.cli(['keys', 'create', '--user', 'erika', '--department', 'bauamt', '--database-url', env.dbUrl]);
    assert.equal(r.code, 0, r.stderr);
    const keyId = /^lp_([0-9a-f]{12})_/.exec(r.stdout.trim())[1];
    assert.equal(await env.sql(`SELECT role FROM api_keys WHERE key_id = ${sqlString(keyId)}`), 'staff');
  });

  test('two keys never share key id or secret', async () => {
    const a = await env.cli(['keys', 'create', '--user', 'x', '--department', 'bauamt', '--database-url', env.dbUrl]);
    const b = await env.cli(['keys', 'create', '--user', 'x', '--department', 'bauamt', '--database-url', env.dbUrl]);
    assert.equal(a.code, 0);
    assert.equal(b.code, 0);
    const [, ida, sa] = /^lp_([0-9a-f]{12})_(\S+)$/.exec(a.stdout.trim());
    const [, idb, sb] = /^lp_([0-9a-f]{12})_(\S+)$/.exec(b.stdout.trim());
    assert.notEqual(ida, idb);
    assert.notEqual(sa, sb);
  });

  test('list shows keys but never secrets', async () => {
    assert.ok(created, 'depends on the create test');
    const r = await env.cli(['keys', 'list', '--database-url', env.dbUrl]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(created.keyId), r.stdout);
    assert.ok(r.stdout.includes('sozialamt'), r.stdout);
    assert.ok(!r.stdout.includes(created.secret), 'secret printed by keys list');
    assert.ok(!r.stdout.includes(created.key), 'full key printed by keys list');
  });

  test('revoke sets revoked_at; unknown id exits 1', async () => {
    assert.ok(created, 'depends on the create test');
    const r = await env.cli(['keys', 'revoke', created.keyId, '--database-url', env.dbUrl]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await env.sql(`SELECT revoked_at IS NOT NULL FROM api_keys WHERE key_id = ${sqlString(created.keyId)}`), 't');
    const u = await env.cli(['keys', 'revoke', '000000000000', '--database-url', env.dbUrl]);
    assert.equal(u.code, 1, u.stderr);
  });
});

describe('policy check', () => {
  const write = (name, text) => {
    const f = path.join(env.tmpDir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const lineOf = (text, needle) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  test('valid policy exits 0', async () => {
    const f = write('valid.yaml', DEFAULT_POLICY);
    const r = await env.cli(['policy', 'check', f]);
    assert.equal(r.code, 0, r.stderr);
  });

  test('unknown key exits 1 with FILE:LINE:COL', async () => {
    const text = DEFAULT_POLICY.replace('    effect: allow\n', '    effect: allow\n    colour: red\n');
    assert.notEqual(text, DEFAULT_POLICY);
    const f = write('unknown-key.yaml', text);
    const line = lineOf(text, 'colour: red');
    const r = await env.cli(['policy', 'check', f]);
    assert.equal(r.code, 1, r.stderr);
    const m = new RegExp(`${escapeRe(f)}:(\\d+):(\\d+):`).exec(r.stderr);
    assert.ok(m, `expected ${f}:LINE:COL: in stderr:\n${r.stderr}`);
    assert.equal(Number(m[1]), line, `line number (1-based) in: ${r.stderr}`);
    assert.equal(Number(m[2]), 5, `column (1-based) of the key in: ${r.stderr}`);
    assert.ok(r.stderr.includes('colour'), 'message should name the unknown key');
  });

  test('duplicate rule id exits 1 with FILE:LINE:COL', async () => {
    const text = DEFAULT_POLICY.replace('- id: deny-iban-personalamt', '- id: allow-standard');
    assert.notEqual(text, DEFAULT_POLICY);
    const f = write('dup-id.yaml', text);
    const line = text.split('\n').findLastIndex((l) => l.includes('- id: allow-standard')) + 1;
    const r = await env.cli(['policy', 'check', f]);
    assert.equal(r.code, 1, r.stderr);
    const m = new RegExp(`${escapeRe(f)}:(\\d+):(\\d+):`).exec(r.stderr);
    assert.ok(m, `expected ${f}:LINE:COL: in stderr:\n${r.stderr}`);
    assert.equal(Number(m[1]), line, `line of the second rule id in: ${r.stderr}`);
    assert.ok(r.stderr.includes('allow-standard'), 'message should name the duplicate id');
  });
});

describe('redact', () => {
  test('masks e-mail and valid IBANs from stdin, keeps invalid IBANs', async () => {
    const invalid = 'DE00 3704 0044 0532 0130 00';
    assert.ok(ibanIsValid(VALID_IBAN_SPACED) && ibanIsValid(VALID_IBAN_COMPACT));
    assert.ok(!ibanIsValid(invalid));
    const input = `Bitte an hans.meier@example.org schreiben.\nIBAN ${VALID_IBAN_SPACED} oder ${VALID_IBAN_COMPACT}, nicht ${invalid}.\n`;
    const r = await env.cli(['redact'], { input });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd(),
      `Bitte an [EMAIL] schreiben.\nIBAN [IBAN] oder [IBAN], nicht ${invalid}.`);
  });

  test('--jsonl: bad lines are reported with their line number, the others are still redacted', async () => {
    const input = Buffer.concat([
      Buffer.from('{"id":1,"text":"Mail an a@example.org"}\n'),
      Buffer.from('{"id":2,"text":\n'),                          // not JSON
      Buffer.from('{"id":3,"txt":"kein Text-Feld"}\n'),          // no "text"
      Buffer.from('{"id":4,"text":42}\n'),                       // not a string
      Buffer.from('{"id":5,"text":"Bytes \xff\xfe kaputt"}\n'),  // invalid UTF-8 (JS string escapes: two code points)
      Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x36, 0x2c, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a]),
      Buffer.from('{"id":7,"text":"IBAN DE89 3704 0044 0532 0130 00"}\n'),
    ]);
    const r = await env.cli(['redact', '--jsonl'], { input });
    assert.equal(r.code, 1, 'bad lines make the exit code 1');
    assert.match(r.stderr, /stdin:2: not valid JSON/);
    assert.match(r.stderr, /stdin:3: expected a JSON object with a string field "text"/);
    assert.match(r.stderr, /stdin:4: expected a JSON object with a string field "text"/);
    assert.match(r.stderr, /stdin:6: not valid JSON/);
    const out = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    assert.deepEqual(out.map((o) => o.id), [1, 5, 7]);
    assert.equal(out[0].text, 'Mail an [EMAIL]');
    assert.equal(out[2].text, 'IBAN [IBAN]');
  });

  test('--jsonl: redacted text plus entities with UTF-8 byte offsets into the input', async () => {
    // ASCII address after non-ASCII text, so byte and UTF-16 offsets differ.
    const t1b = 'Grüße aus Köln – schreib an juergen.test@example.org bitte';
    const email1 = 'juergen.test@example.org';
    const t2 = `Überweisung an ${VALID_IBAN_SPACED} (Müller)`;
    const t3 = 'Nichts Persönliches hier.';
    const input = [
      JSON.stringify({ id: 1, text: t1b }),
      JSON.stringify({ id: 2, text: t2 }),
      JSON.stringify({ id: 3, text: t3 }),
    ].join('\n') + '\n';
    const r = await env.cli(['redact', '--jsonl'], { input });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    assert.equal(out.length, 3, r.stdout);
    assert.deepEqual(out.map((o) => o.id), [1, 2, 3]);

    const byteSpan = (text, needle) => {
      const i = text.indexOf(needle);
      const start = Buffer.byteLength(text.slice(0, i), 'utf8');
      return { start, end: start + Buffer.byteLength(needle, 'utf8') };
    };

    // "text" is the redacted text; offsets refer to the input text.
    assert.equal(out[0].text, t1b.replace(email1, '[EMAIL]'));
    const e1 = out[0].entities.filter((e) => e.type === 'EMAIL');
    assert.equal(e1.length, 1, JSON.stringify(out[0]));
    assert.deepEqual({ start: e1[0].start, end: e1[0].end }, byteSpan(t1b, email1));
    assert.equal(typeof e1[0].score, 'number');
    assert.ok(e1[0].score > 0 && e1[0].score <= 1, `score ${e1[0].score}`);
    // Sanity: byte offsets differ from UTF-16 offsets for this text.
    assert.notEqual(e1[0].start, t1b.indexOf(email1));

    assert.equal(out[1].text, t2.replace(VALID_IBAN_SPACED, '[IBAN]'));
    const e2 = out[1].entities.filter((e) => e.type === 'IBAN');
    assert.equal(e2.length, 1, JSON.stringify(out[1]));
    assert.deepEqual({ start: e2[0].start, end: e2[0].end }, byteSpan(t2, VALID_IBAN_SPACED));

    assert.equal(out[2].text, t3);
    assert.deepEqual(out[2].entities, []);
  });
});

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
