// Privacy of the audit trail: staff appear only under pseudonyms that change every quarter;
// re-identification needs the key from outside the database, a reason and a second person,
// and is itself recorded (without the identity); prompts never reach the database, not even
// in a full dump of it.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startEnv, test, randomId, run } from '../support/harness.mjs';

let env;
let key;
const USER = `sachbearbeiterin.${randomId()}`;
const CANARY = `KANARIENVOGEL${randomId().toUpperCase()}`;

before(async () => {
  env = await startEnv({ name: 'audit_privacy' });
  key = await env.createKey('sozialamt', { user: USER });
});

after(async () => {
  await env?.stop();
});

function configFile() {
  return path.join(env.tmpDir, 'config-main.yaml');
}

test('pseudonyms carry their quarter and never the staff identity', async () => {
  const r = await env.request('/v1/chat/completions', {
    key: key.key, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Frage ${CANARY}` }] },
  });
  assert.equal(r.status, 200);
  const row = await env.decision(r.requestId);
  assert.match(row.user_ref, /^\d{4}Q[1-4]:[0-9a-f]{32}$/);
  assert.ok(!row.user_ref.includes('sachbearbeiterin'));
});

test('re-identification needs a reason and a second person, and is recorded without the identity', async () => {
  const r = await env.request('/v1/models', { key: key.key });
  const { user_ref: ref } = await env.decision(r.requestId);
  const base = ['audit', 'reidentify', '--config', configFile(), '--user-ref', ref];

  let x = await env.cli([...base, '--reason', 'kurz', '--approved-by', 'personalrat', '--actor', 'dsb']);
  assert.equal(x.code, 2);
  assert.match(x.stderr, /--reason/);
  x = await env.cli([...base, '--reason', 'Beschwerde Az. 11-2026/17 (Art. 15 DSGVO)', '--actor', 'dsb']);
  assert.equal(x.code, 2);
  assert.match(x.stderr, /four-eyes/);
  x = await env.cli([...base, '--reason', 'Beschwerde Az. 11-2026/17 (Art. 15 DSGVO)', '--approved-by', 'dsb', '--actor', 'dsb']);
  assert.equal(x.code, 2);
  assert.match(x.stderr, /second person/);

  x = await env.cli([...base, '--reason', 'Beschwerde Az. 11-2026/17 (Art. 15 DSGVO)', '--approved-by', 'personalrat', '--actor', 'dsb']);
  assert.equal(x.code, 0, x.stderr);
  assert.equal(x.stdout.trim(), USER);
  const [ev] = await env.rows(`SELECT actor, reason, details FROM audit_events WHERE kind = 'reidentify' ORDER BY ts DESC LIMIT 1`);
  assert.equal(ev.actor, 'dsb');
  assert.match(ev.reason, /Art\. 15 DSGVO/);
  const details = typeof ev.details === 'string' ? JSON.parse(ev.details) : ev.details;
  assert.equal(details.user_ref, ref);
  assert.equal(details.approved_by, 'personalrat');
  assert.equal(details.found, true);
  assert.ok(!JSON.stringify(ev).includes(USER), 'the event must not hold the identity');

  // a pseudonym of another quarter, or a wrong one, names nobody (and is recorded too)
  const other = ref.replace(/^(\d{4})Q\d/, (m, y) => `${Number(y) - 1}Q1`);
  x = await env.cli(['audit', 'reidentify', '--config', configFile(), '--user-ref', other,
    '--reason', 'Prüfung eines falschen Pseudonyms', '--approved-by', 'personalrat', '--actor', 'dsb']);
  assert.equal(x.code, 1);
  assert.match(x.stdout, /no staff member has pseudonym/);
  assert.equal(Number(await env.sql(`SELECT count(*) FROM audit_events WHERE kind = 'reidentify'`)), 2);
});

test('a full dump of the database holds no prompt text', async () => {
  await env.gateway.stop();  // everything flushed
  const dump = await run('pg_dump', ['--data-only', '--no-owner', env.dbUrl], { timeout: 60000 });
  assert.equal(dump.code, 0, dump.stderr);
  assert.ok(dump.stdout.includes('COPY public.decisions'), 'the dump has the decision log');
  assert.ok(!dump.stdout.includes(CANARY), 'prompt text found in the database');
  // the staff identity is in api_keys (to revoke keys per person), nowhere else
  const outside = dump.stdout.split(/\n(?=COPY )/).filter((block) => !block.startsWith('COPY public.api_keys'));
  assert.ok(!outside.some((block) => block.includes(USER)), 'the staff identity outside api_keys');
});

test('row-level security: a reader role of one tenant sees only that tenant\'s records', async () => {
  // records of two tenants (written directly: the point is what a reader sees)
  const a = `tenant-a-${randomId()}`;
  const b = `tenant-b-${randomId()}`;
  await env.sql(`INSERT INTO decisions (record_id, request_id, ts, instance, endpoint, decision, latency_ms, status, tenant)
                 VALUES ('${a}', 'ra', now(), 'rls', '/v1/models', 'allowed', 1, 200, 'kreis-a'),
                        ('${b}', 'rb', now(), 'rls', '/v1/models', 'allowed', 1, 200, 'kreis-b')`);
  const role = `lp_reader_${randomId()}`;
  await env.sql(`CREATE ROLE ${role} LOGIN; GRANT SELECT ON decisions TO ${role};
                 INSERT INTO tenant_readers (role_name, tenant) VALUES ('${role}', 'kreis-a')`);
  try {
    const readerUrl = env.dbUrl.replace(/\/\/[^@]+@/, `//${role}@`);
    const seen = await run('psql', [readerUrl, '-At', '-c', `SELECT string_agg(record_id, ',') FROM decisions WHERE instance = 'rls'`]);
    assert.equal(seen.code, 0, seen.stderr);
    assert.equal(seen.stdout.trim(), a, 'the reader sees exactly its tenant\'s record');
    const part = await run('psql', [readerUrl, '-At', '-c', `SELECT count(*) FROM decisions_default`]);
    assert.notEqual(part.code, 0, 'partitions are not readable directly');
    const events = await run('psql', [readerUrl, '-At', '-c', `SELECT count(*) FROM audit_events`]);
    assert.notEqual(events.code, 0, 'audit events are not for tenant readers');
  } finally {
    await env.sql(`DELETE FROM tenant_readers WHERE role_name = '${role}'; REVOKE ALL ON decisions FROM ${role}; DROP ROLE ${role};
                   DELETE FROM decisions WHERE instance = 'rls'`);
  }
});

test('refused requests are kept redacted for review only when the policy says so, and expire', { timeout: 30000 }, async () => {
  const fs = await import('node:fs');
  const { DEFAULT_POLICY } = await import('../support/harness.mjs');
  fs.writeFileSync(path.join(env.tmpDir, 'review-policy.yaml'),
    DEFAULT_POLICY.replace('version: "test-1"', 'version: "review-1"\nretention:\n  refused_prompt_days: 7'));
  const gw = await env.startGateway({ label: 'review', config: { policy: 'review-policy.yaml', instance: `review-${randomId()}` } });
  const hr = await env.createKey('personalamt', { wait: false });
  await env.waitKeyStatus(hr.key, 200, gw);
  const marker = `PRUEFTEXT${randomId().toUpperCase()}`;
  const refused = await env.request('/v1/chat/completions', {
    gw, key: hr.key,
    body: { model: 'gpt-4o-mini', messages: [
      { role: 'system', content: 'Du bist hilfsbereit.' },
      { role: 'user', content: `${marker}: Gehalt an DE89 3704 0044 0532 0130 00 für anna.berg@example.org überweisen` }] },
  });
  assert.equal(refused.status, 403);
  const allowed = await env.request('/v1/chat/completions', {
    gw, key: hr.key, body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `${marker} ohne Bankdaten` }] },
  });
  assert.equal(allowed.status, 200);
  await gw.stop();

  const rows = await env.rows(`SELECT record_id, text, expires_at - ts AS kept FROM refused_prompts WHERE text LIKE '%${marker}%'`);
  assert.equal(rows.length, 1, 'exactly the refused request is kept');
  assert.match(rows[0].text, /Du bist hilfsbereit\.\n\n/);
  assert.match(rows[0].text, /\[IBAN\]/);
  assert.match(rows[0].text, /\[EMAIL\]/);
  assert.ok(!rows[0].text.includes('DE89') && !rows[0].text.includes('anna.berg'), 'personal data in the review text');
  assert.equal(rows[0].kept, '7 days');
  const [dec] = await env.rows(`SELECT decision FROM decisions WHERE record_id = '${rows[0].record_id}'`);
  assert.equal(dec.decision, 'blocked');

  // the daily retention deletes expired texts and records it
  await env.sql(`UPDATE refused_prompts SET expires_at = now() - interval '1 second' WHERE record_id = '${rows[0].record_id}'`);
  const r = await env.cli(['audit', 'retention', '--months', '12', '--database-url', env.dbUrl]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /dropped 1 expired refused prompts/);
  assert.equal(Number(await env.sql(`SELECT count(*) FROM refused_prompts WHERE record_id = '${rows[0].record_id}'`)), 0);
});
