// The dashboard's JSON API (schema/admin.openapi.yaml) against a real gateway and PostgreSQL:
// who may log in, the session cookie and CSRF protection, the overview with small-number
// suppression checked against SQL, decisions with filters and paging (no staff identities),
// a decision's rules, and a kill switch that refuses requests at once and is an audit event.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startEnv, test, pool, SOURCE_DIR, EXAMPLE_POLICY_MODELS, TRAINED_FOR_A_YEAR } from '../support/harness.mjs';
import { withRounding } from '../support/report_sql.mjs';

const POLICY = withRounding(fs.readFileSync(path.join(SOURCE_DIR, 'deploy', 'policy.yaml'), 'utf8'), 1);
const K = 5;

let env;
let staff = [];
let lonely;  // the only person whose requests are refused for a credential
let dpo, council, staffKey;

// Cookie jar of one browser-like client.
function client() {
  let cookie = '';
  let csrf = '';
  const call = async (method, p, { body, headers = {}, raw = false } = {}) => {
    const h = { ...headers };
    if (cookie) h.cookie = cookie;
    if (csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = csrf;
    if (body !== undefined && !('content-type' in h)) h['content-type'] = 'application/json';
    const r = await fetch(`${env.gateway.url}/admin/api${p}`, { method, headers: h, body: body === undefined ? undefined : (raw ? body : JSON.stringify(body)) });
    const set = r.headers.get('set-cookie');
    if (set) {
      const m = /lp_admin=([^;]*)/.exec(set);
      cookie = m && m[1] ? `lp_admin=${m[1]}` : '';
    }
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* empty */ }
    return { status: r.status, json, text, headers: r.headers, setCookie: set };
  };
  return {
    call,
    async login(key) {
      const r = await call('POST', '/session', { body: { key } });
      if (r.status === 200) csrf = r.json.csrf_token;
      return r;
    },
    get csrf() { return csrf; },
    set csrf(v) { csrf = v; },
    get cookie() { return cookie; },
  };
}

before(async () => {
  env = await startEnv({
    name: 'admin_api',
    policy: POLICY,
    config: { policy_reload_ms: 200 },
    models: EXAMPLE_POLICY_MODELS,
  });
  const mk = async (dept, user, role = 'staff') => {
    const k = await env.createKey(dept, { role, user, wait: false, trainedUntil: TRAINED_FOR_A_YEAR });
    return { key: k.key, user, dept };
  };
  staff = await pool(Array.from({ length: 7 }, (_, i) => () => mk(i < 5 ? 'sozialamt' : 'bauamt', `adm-staff-${i}`)), 4);
  dpo = await mk('it', 'adm-dpo', 'dpo');
  council = await mk('personalamt', 'adm-council', 'council');
  staffKey = staff[0].key;
  await env.waitKeyStatus(council.key, 200);
  const tasks = [];
  staff.forEach((u, i) => {
    for (let n = 0; n < 4; n++) {
      tasks.push(() => env.chat(u.key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Bitte fasse den Vermerk ${n} zusammen.` }] },
        { headers: { 'x-request-id': `adm-${i}-${n}`, 'x-leitplanke-purpose': 'vermerk' } }));
    }
  });
  // one person alone sends a credential (refused): a figure about one person
  lonely = staff[1];
  tasks.push(() => env.chat(lonely.key, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Mein Passwort lautet: Sommer2026!Geheim' }] },
    { headers: { 'x-request-id': 'adm-secret' } }));
  await pool(tasks, 6);
  await env.waitForDecisions(`request_id LIKE 'adm-%'`, tasks.length, 20000);
});

after(async () => {
  await env?.stop();
});

test('who may log in: unknown keys 401, staff keys 403, dpo and council get a session; each attempt is an audit event', async () => {
  const anon = client();
  let r = await anon.login('lp_000000000000_gibtesnicht');
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, 'invalid_api_key');
  r = await anon.login(staffKey);
  assert.equal(r.status, 403);
  assert.match(r.json.error.message, /Rolle dieses Schlüssels \(staff\)/);
  assert.equal(r.setCookie, null);
  r = await anon.call('POST', '/session', { body: 'kein json', raw: true });
  assert.equal(r.status, 400);

  const d = client();
  r = await d.login(dpo.key);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.role, 'dpo');
  assert.match(r.json.csrf_token, /^[0-9a-f]{64}$/);
  assert.match(r.setCookie, /^lp_admin=[0-9a-f]{64}; Path=\/admin; HttpOnly; Secure; SameSite=Strict; Max-Age=28800$/);
  assert.ok(!r.text.includes(dpo.key), 'the key is echoed');
  assert.equal((await d.call('GET', '/session')).status, 200);
  assert.equal((await anon.call('GET', '/session')).status, 401);
  assert.equal((await anon.call('GET', '/overview')).status, 401);

  const events = await env.rows(`SELECT reason, actor, details->>'action' AS action FROM audit_events WHERE kind = 'admin' ORDER BY ts`);
  const actions = events.map((e) => e.action);
  for (const a of ['login_failed', 'login_refused', 'login']) assert.ok(actions.includes(a), `no ${a} event: ${actions}`);
  const login = events.find((e) => e.action === 'login');
  assert.match(login.actor, /^key:[0-9a-f]{12} \(dpo\)$/);
  for (const e of events) assert.ok(!e.actor.includes('adm-'), 'a staff identity in the audit event');
});

test('overview: figures equal SQL over the records, the credential refusal of one person is hidden, and so is its complement', async () => {
  const d = client();
  await d.login(dpo.key);
  const r = await d.call('GET', '/overview?window=24h');
  assert.equal(r.status, 200, r.text);
  const o = r.json;
  assert.equal(o.k, K);
  const [sql] = await env.rows(`SELECT count(*)::int AS n, count(*) FILTER (WHERE decision = 'allowed')::int AS allowed,
      count(*) FILTER (WHERE decision = 'blocked')::int AS blocked
    FROM decisions WHERE coalesce(department, '') <> '' AND ts >= now() - interval '25 hours'`);
  assert.deepEqual(o.requests, { value: sql.n, suppressed: false });
  assert.equal(sql.blocked, 1);
  assert.deepEqual(o.blocked, { value: null, suppressed: true }, 'a refusal of one person is shown');
  // requests = allowed + redacted + blocked + error: with blocked hidden, another part must be too
  const hidden = ['allowed', 'redacted', 'blocked', 'error'].filter((k) => o[k].suppressed);
  assert.ok(hidden.length >= 2, `only ${hidden} hidden: the refusal could be computed from the total`);
  assert.equal(o.series.length, 24);
  const shownSum = o.series.reduce((s, b) => s + (b.requests.suppressed ? 0 : b.requests.value), 0);
  assert.ok(shownSum <= sql.n);
  for (const b of o.series) if (!b.blocked.suppressed) assert.ok(b.blocked.value === 0, `an hour shows ${b.blocked.value} refusals`);
  for (const w of ['7d', 'quarter']) {
    const x = await d.call('GET', `/overview?window=${w}`);
    assert.equal(x.status, 200, x.text);
    assert.deepEqual(x.json.requests, { value: sql.n, suppressed: false }, w);
    assert.ok(x.json.blocked.suppressed, `${w}: the refusal of one person is shown`);
    assert.ok(x.json.series.length >= (w === '7d' ? 7 : 1));
  }
  assert.equal((await d.call('GET', '/overview?window=1y')).status, 400);
  assert.ok(!JSON.stringify(o).includes(lonely.user));
});

test('decisions: filters, paging, no staff identities; a decision shows its rules with explanations', async () => {
  const d = client();
  await d.login(council.key);
  let r = await d.call('GET', '/decisions?decision=blocked');
  assert.equal(r.status, 200, r.text);
  // besides the refusal: failed authentications while the new keys were not yet loaded (401)
  const byStaff = r.json.decisions.filter((x) => x.department !== '');
  assert.equal(byStaff.length, 1, JSON.stringify(r.json.decisions));
  for (const x of r.json.decisions) if (x.department === '') assert.equal(x.status, 401);
  const refused = byStaff[0];
  assert.equal(refused.decision, 'blocked');
  assert.deepEqual(refused.rule_ids, ['no-credentials']);
  assert.deepEqual(refused.entity_counts, { SECRET: 1 });
  assert.equal(refused.service, 'cloud-assistant');
  const refs = (await env.rows(`SELECT DISTINCT user_ref FROM decisions WHERE user_ref IS NOT NULL`)).map((x) => x.user_ref);
  const all = [];
  let next = null;
  do {
    r = await d.call('GET', `/decisions?department=sozialamt&limit=7${next ? `&before=${encodeURIComponent(next)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    all.push(...r.json.decisions);
    next = r.json.next;
  } while (next);
  const [n] = await env.rows(`SELECT count(*)::int AS n FROM decisions WHERE department = 'sozialamt'`);
  assert.equal(all.length, n.n);
  assert.equal(new Set(all.map((x) => x.record_id)).size, all.length, 'paging repeats records');
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].ts >= all[i].ts, 'not newest first');
  for (const x of all) assert.equal(x.department, 'sozialamt');
  const text = JSON.stringify(all);
  for (const ref of refs) assert.ok(!text.includes(ref), 'a staff pseudonym in the decisions');
  for (const u of staff) assert.ok(!text.includes(u.user));
  const since = new Date(Date.now() - 3600e3).toISOString();
  r = await d.call('GET', `/decisions?service=cloud-assistant&from=${encodeURIComponent(since)}&rule=allow-general-assistant&limit=200`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.decisions.length, staff.length * 4);
  for (const [q, what] of [['decision=maybe', 'decision'], ['service=nope', 'service'], ['from=gestern', 'from'], ['limit=0', 'limit'], ['before=x', 'before']]) {
    const b = await d.call('GET', `/decisions?${q}`);
    assert.equal(b.status, 400, q);
    assert.match(b.json.error.message, new RegExp(what));
  }
  const detail = await d.call('GET', `/decisions/${refused.record_id}`);
  assert.equal(detail.status, 200, detail.text);
  assert.equal(detail.json.rules[0].id, 'no-credentials');
  assert.match(detail.json.rules[0].explanation, /Zugangsdaten/);
  assert.equal(detail.json.rules[0].effect, 'deny');
  assert.equal(detail.json.review_text, null);
  assert.ok(!JSON.stringify(detail.json).includes('Sommer2026'), 'the credential is shown');
  assert.ok(!('user_ref' in detail.json));
  assert.equal((await d.call('GET', '/decisions/gibtsnicht')).status, 404);
});

test('kill switch: confirmation, CSRF, origin and role checked; requests are refused at once; switched on again; audit events', async () => {
  const d = client();
  await d.login(dpo.key);
  const chat = () => env.chat(staffKey, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hallo' }] }, { headers: { 'x-leitplanke-purpose': 'recherche' } });
  assert.equal((await chat()).status, 200);
  let r = await d.call('GET', '/services');
  assert.equal(r.status, 200);
  const cloud = r.json.services.find((s) => s.name === 'cloud-assistant');
  assert.equal(cloud.kill_switch, false);
  assert.equal(cloud.enabled_in_policy, true);

  const body = { off: true, confirm: 'cloud-assistant', reason: 'Test der Notabschaltung' };
  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body, headers: { 'x-csrf-token': 'falsch' } });
  assert.equal(r.status, 403, 'a wrong CSRF token is accepted');
  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body, headers: { origin: 'http://evil.example' } });
  assert.equal(r.status, 403, 'a foreign origin is accepted');
  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body: 'off=true', raw: true, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 403, 'a form post is accepted');
  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body: { ...body, confirm: 'cloud' } });
  assert.equal(r.status, 409);
  r = await d.call('PUT', '/services/gibtsnicht/kill-switch', { body });
  assert.equal(r.status, 404);
  const c = client();
  await c.login(council.key);
  r = await c.call('PUT', '/services/cloud-assistant/kill-switch', { body });
  assert.equal(r.status, 403, 'the staff council may switch');
  assert.equal((await chat()).status, 200, 'a refused switch took effect');

  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kill_switch, true);
  const refused = await chat();
  assert.equal(refused.status, 403, 'the service still answers');
  assert.match(refused.json.error.message, /Notabschaltung/);
  const rec = await env.decision(refused.requestId);  // waits until it is written
  assert.match(String(rec.rule_ids), /kill-switch\.cloud-assistant/);
  r = await d.call('GET', `/decisions?rule=kill-switch.cloud-assistant`);
  const detail = await d.call('GET', `/decisions/${r.json.decisions[0].record_id}`);
  assert.match(detail.json.rules[0].explanation, /Notabschaltung/);
  assert.equal((await d.call('GET', '/services')).json.services.find((s) => s.name === 'cloud-assistant').kill_switch, true);

  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body: { off: false, confirm: 'cloud-assistant' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.kill_switch, false);
  assert.equal((await chat()).status, 200);
  const events = await env.rows(`SELECT details FROM audit_events WHERE kind = 'admin' AND details->>'action' = 'kill_switch' ORDER BY ts`);
  assert.deepEqual(events.map((e) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details).off), [true, false]);
});

test('logout ends the session; the dashboard\'s responses carry the security headers', async () => {
  const d = client();
  await d.login(dpo.key);
  const saved = d.csrf;
  d.csrf = '';
  let r = await d.call('DELETE', '/session');
  assert.equal(r.status, 403, 'logout without CSRF token');
  d.csrf = saved;
  r = await d.call('DELETE', '/session');
  assert.equal(r.status, 204);
  assert.equal((await d.call('GET', '/session')).status, 401);
  const page = await fetch(`${env.gateway.url}/admin/`);
  assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
  assert.match(page.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const redirect = await fetch(`${env.gateway.url}/admin`, { redirect: 'manual' });
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get('location'), '/admin/');
  assert.equal((await fetch(`${env.gateway.url}/admin/nothing.js`)).status, 404);
});

test('rules, versions and their diff; detections, departments, register, audit chain and alerts', { timeout: 60000 }, async () => {
  const d = client();
  await d.login(dpo.key);
  let r = await d.call('GET', '/rules');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.versions.length, 1);
  assert.equal(r.json.versions[0].in_force, true);
  const credentials = r.json.rules.find((x) => x.id === 'no-credentials');
  assert.equal(credentials.category, 'secrets');
  assert.match(credentials.in_words, /wird abgelehnt, wenn enthält: Zugangsdaten/);
  assert.deepEqual(credentials.requests, { value: null, suppressed: true }, 'a rule that decided for one person shows its count');
  const general = r.json.rules.find((x) => x.id === 'allow-general-assistant');
  assert.equal(general.requests.suppressed, false);
  assert.ok(general.requests.value >= staff.length * 4);
  assert.ok(r.json.rules.some((x) => x.derived));

  // a second version: one explanation changed, a rule removed
  const policyFile = path.join(env.tmpDir, 'policy.yaml');
  const next = POLICY.replace('Der allgemeine KI-Assistent ist für alle Ämter freigegeben.', 'Der allgemeine KI-Assistent ist für alle Ämter freigegeben (geändert).')
    .replace(/\n  - id: cloud-service-notice[\s\S]*$/, '\n');
  assert.notEqual(next, POLICY);
  fs.writeFileSync(`${policyFile}.tmp`, next);
  fs.renameSync(`${policyFile}.tmp`, policyFile);
  let versions = [];
  for (let i = 0; i < 100 && versions.length < 2; i++) {
    await new Promise((res) => setTimeout(res, 100));
    await env.chat(staffKey, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hallo' }] });  // the writer records the new version with a batch
    versions = (await d.call('GET', '/rules')).json.versions;
  }
  assert.equal(versions.length, 2, 'the reloaded policy is not listed');
  const [newer, older] = versions;
  assert.equal(newer.in_force, true);
  r = await d.call('GET', `/rules/diff?from=${older.digest}&to=${newer.digest}`);
  assert.equal(r.status, 200, r.text);
  const changed = r.json.rules.find((x) => x.id === 'allow-general-assistant');
  assert.equal(changed.change, 'changed');
  assert.match(changed.after, /\(geändert\)/);
  assert.equal(r.json.rules.find((x) => x.id === 'cloud-service-notice').change, 'removed');
  assert.equal((await d.call('GET', `/rules/diff?from=${older.digest}&to=0000`)).status, 404);
  r = await d.call('GET', `/rules?digest=${older.digest}`);
  assert.ok(r.json.rules.some((x) => x.id === 'cloud-service-notice'));

  r = await d.call('GET', '/detections');
  assert.equal(r.status, 200, r.text);
  const secret = r.json.types.find((x) => x.type === 'SECRET');
  assert.equal(secret.label, 'Zugangsdaten');
  assert.equal(secret.items.suppressed, true, 'a detection of one person shows its count');

  r = await d.call('GET', '/departments');
  assert.equal(r.status, 200, r.text);
  const soz = r.json.departments.find((x) => x.name === 'sozialamt');
  assert.equal(soz.active_staff.value, 5);
  assert.equal(soz.budget_eur, 250);
  const bau = r.json.departments.find((x) => x.name === 'bauamt');
  assert.equal(bau.requests.suppressed, true, 'a department of two people shows its requests');
  assert.equal(bau.cost_eur.suppressed, true);

  r = await d.call('GET', '/register');
  assert.equal(r.status, 200);
  assert.ok(r.json.entries.some((e) => e.kind === 'service' && e.identification.name === 'cloud-assistant'));

  r = await d.call('GET', '/audit-chain');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.instances.length, 1);
  const [inst] = await env.rows(`SELECT instance, max(seq)::int AS seq FROM decisions GROUP BY instance`);
  assert.equal(r.json.instances[0].instance, inst.instance);
  assert.ok(r.json.instances[0].records >= inst.seq - 5);
  assert.equal(r.json.last_verify, null);
  assert.equal(r.json.spool_pending, 0);

  r = await d.call('GET', '/alerts');
  assert.equal(r.status, 200, r.text);
  const kinds = r.json.alerts.map((a) => a.kind);
  assert.ok(kinds.includes('credentials'), kinds.join());
  assert.ok(kinds.includes('chain_not_verified'), kinds.join());
  const cred = r.json.alerts.find((a) => a.kind === 'credentials');
  assert.equal(cred.severity, 'critical');
  assert.equal(cred.value, null, 'the number of one person\'s credentials is shown');
});

test('every GET path of schema/admin.openapi.yaml is served and answers JSON with the documented top-level fields', async () => {
  const YAML = (await import('yaml')).default;
  const spec = YAML.parse(fs.readFileSync(path.join(SOURCE_DIR, 'schema', 'admin.openapi.yaml'), 'utf8'));
  const d = client();
  await d.login(dpo.key);
  const versions = (await d.call('GET', '/rules')).json.versions;
  const resolve = (schema) => (schema?.$ref ? spec.components.schemas[schema.$ref.split('/').pop()] : schema);
  let checked = 0;
  for (const [p, ops] of Object.entries(spec.paths)) {
    if (!ops.get || p.includes('{')) continue;
    const q = p === '/rules/diff' ? `?from=${versions.at(-1).digest}&to=${versions[0].digest}` : '';
    const r = await d.call('GET', `${p}${q}`);
    assert.equal(r.status, 200, `${p}: ${r.status} ${r.text.slice(0, 200)}`);
    const schema = resolve(ops.get.responses['200'].content?.['application/json']?.schema);
    for (const field of Object.keys(schema?.properties ?? {})) assert.ok(field in r.json, `${p}: no "${field}"`);
    checked++;
  }
  assert.ok(checked >= 9, `only ${checked} paths`);
});

test('bad input gets a clear error: malformed or non-UTF-8 JSON, wrong types; with the database down the API answers 503 and no login goes unrecorded', async () => {
  const d = client();
  await d.login(dpo.key);
  let r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body: '{"off": tru', raw: true });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'invalid_body');
  r = await d.call('PUT', '/services/cloud-assistant/kill-switch', { body: { off: 'ja', confirm: 'cloud-assistant' } });
  assert.equal(r.status, 400, 'a string for off');
  r = await fetch(`${env.gateway.url}/admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: Buffer.concat([Buffer.from('{"key": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) });
  assert.ok(r.status === 400, `invalid UTF-8: ${r.status}`);
  r = await d.call('GET', '/decisions?limit=abc');
  assert.equal(r.status, 400);
  assert.equal((await d.call('GET', '/decisions?from=2026-13-45T99:00')).status, 400);

  const eventsBefore = (await env.rows(`SELECT count(*)::int AS n FROM audit_events WHERE kind = 'admin'`))[0].n;
  await env.setDatabaseReachable(false);
  try {
    r = await d.call('GET', '/decisions');
    assert.equal(r.status, 503, r.text);
    assert.match(r.json.error.message, /Datenbank ist nicht erreichbar/);
    const anon = client();
    r = await anon.login(dpo.key);
    assert.equal(r.status, 503, 'a login that cannot be recorded must not succeed');
    assert.equal(r.setCookie, null);
  } finally {
    await env.setDatabaseReachable(true);
  }
  r = await d.call('GET', '/decisions?limit=1');
  assert.equal(r.status, 200, 'the API does not recover when the database is back');
  const eventsAfter = (await env.rows(`SELECT count(*)::int AS n FROM audit_events WHERE kind = 'admin'`))[0].n;
  assert.equal(eventsAfter, eventsBefore, 'an admin event was written while the database was down');
});
