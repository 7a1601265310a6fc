// Independent expectations for `leitplanke report --format csv` (report/README.md, "CSV
// contract"), computed with SQL straight over the raw `decisions` table (never over the
// aggregates usage_daily, rule_daily, entity_daily or active_users that the report reads), and
// checks of the suppression rules on a parsed CSV. Used by tests/e2e/report.test.mjs.

import YAML from 'yaml';
import { sqlString } from './harness.mjs';

// ---------------------------------------------------------------------------
// The policy, as far as the report's figures depend on it

const CATEGORIES = new Set(['personal_data', 'special_category', 'secrets', 'prompt_injection', 'prohibited_practice',
  'training', 'human_review', 'transparency', 'access', 'routing', 'other']);

// The report category of a rule without `category` (policy.h, derive_category): training for a
// training condition; secrets / special_category / personal_data for a detected or data-class
// condition; otherwise by effect.
function deriveCategory(p, rule) {
  const w = rule.when || {};
  if (w.training !== undefined) return 'training';
  const classes = p.data_classes || {};
  const types = new Set(w.detected || []);
  let special = false;
  for (const name of w.data_classes || []) {
    const c = classes[name];
    const ents = Array.isArray(c) ? c : (c?.entities || []);
    for (const t of ents) types.add(t);
    if (c && !Array.isArray(c) && c.special_category) special = true;
  }
  if (types.size || (w.data_classes || []).length) {
    if (types.has('SECRET')) return 'secrets';
    for (const [, c] of Object.entries(classes)) {
      if (c && !Array.isArray(c) && c.special_category && (c.entities || []).some((t) => types.has(t))) special = true;
    }
    return special ? 'special_category' : 'personal_data';
  }
  switch (rule.effect) {
    case 'require_acknowledgement': return 'human_review';
    case 'warn': return 'transparency';
    case 'route': return 'routing';
    case 'allow': return 'access';
    case 'redact': return 'personal_data';
    default: return 'other';
  }
}

export function reportPolicy(text) {
  const p = YAML.parse(text);
  const services = Object.entries(p.services || {}).map(([name, s]) => ({
    name,
    models: s.models || [],
    priceIn: Number(s.price_per_1k_tokens?.input ?? 0),
    priceOut: Number(s.price_per_1k_tokens?.output ?? 0),
    wh: s.energy_wh_per_1k_tokens === undefined ? null : Number(s.energy_wh_per_1k_tokens),
  }));
  const categories = {};
  for (const r of p.rules || []) {
    categories[r.id] = r.category && CATEGORIES.has(r.category) ? r.category : deriveCategory(p, r);
  }
  return {
    raw: p,
    departments: p.departments || [],
    purposes: Object.keys(p.purposes || {}),
    services,
    budgets: p.budgets || {},
    k: Number(p.reporting?.min_group_size ?? 5),
    rounding: Number(p.reporting?.rounding ?? 5),
    categories,
    rulesOf: (cat) => Object.entries(categories).filter(([, c]) => c === cat).map(([id]) => id),
  };
}

// The example policy with reporting.rounding set to `rounding` (min_group_size kept).
export function withRounding(text, rounding) {
  const flow = /^reporting:[ \t]*\{[^}]*\}/m.exec(text);
  if (flow) {
    const inner = /rounding:\s*\d+/.test(flow[0])
      ? flow[0].replace(/rounding:\s*\d+/, `rounding: ${rounding}`)
      : flow[0].replace(/\}$/, `, rounding: ${rounding}}`);
    return text.replace(flow[0], inner);
  }
  const block = /^reporting:[ \t]*(?:#[^\n]*)?\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)/m.exec(text);
  if (block) {
    const body = /rounding:\s*\d+/.test(block[1])
      ? block[1].replace(/rounding:\s*\d+/, `rounding: ${rounding}`)
      : `  rounding: ${rounding}\n${block[1]}`;
    return text.replace(block[0], block[0].replace(block[1], body));
  }
  return `${text.replace(/\n*$/, '\n')}\nreporting:\n  min_group_size: 5\n  rounding: ${rounding}\n`;
}

// ---------------------------------------------------------------------------
// Expected cells

const num = (x) => (x === null || x === undefined ? null : Number(x));

function lit(x) {
  return x === null || x === undefined ? 'NULL' : String(Number(x));
}

// The common part of every query: the records of the tenant in [from, to) with their service
// (the policy service listing the record's model, `_other` otherwise) and cost; `staff` are the
// records with a department (failed authentications have none and appear only in `security`);
// `trained` the pseudonyms whose key had valid training (`trainedRe` on request ids we sent).
function baseSql(policy, { tenant, from, to, trainedRe }) {
  const svcRows = [];
  for (const s of policy.services) {
    for (const m of s.models) {
      svcRows.push(`(${sqlString(m)}, ${sqlString(s.name)}, ${lit(s.priceIn)}::numeric, ${lit(s.priceOut)}::numeric, ${lit(s.wh)}::numeric)`);
    }
  }
  if (!svcRows.length) svcRows.push(`(NULL::text, NULL::text, NULL::numeric, NULL::numeric, NULL::numeric)`);
  return `
WITH svc(model, service, price_in, price_out, wh) AS (VALUES ${svcRows.join(', ')}),
r AS (
  SELECT d.record_id, d.request_id, d.user_ref, d.department, d.model, d.decision, d.status, d.rule_ids,
         d.entity_counts, d.answer_entity_counts, d.acknowledged,
         coalesce(nullif(d.purpose, ''), '_none') AS purpose,
         to_char(d.ts AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
         coalesce(s.service, '_other') AS service,
         greatest(coalesce(d.prompt_tokens, 0), 0)::numeric AS pt,
         greatest(coalesce(d.completion_tokens, 0), 0)::numeric AS ct,
         greatest(coalesce(d.prompt_tokens, 0), 0) / 1000.0 * coalesce(s.price_in, 0)
           + greatest(coalesce(d.completion_tokens, 0), 0) / 1000.0 * coalesce(s.price_out, 0) AS eur,
         s.wh
    FROM decisions d LEFT JOIN svc s ON s.model = d.model
   WHERE d.tenant = ${sqlString(tenant)}
     AND d.ts >= ${sqlString(`${from}T00:00:00Z`)}::timestamptz AND d.ts < ${sqlString(`${to}T00:00:00Z`)}::timestamptz
),
staff AS (SELECT * FROM r WHERE coalesce(department, '') <> ''),
trained AS (SELECT DISTINCT user_ref FROM staff WHERE request_id ~ ${sqlString(trainedRe)})
`;
}

// Two-dimensional request/cost tables with `_total` margins over staff records.
function grid(table, dim, valueExpr) {
  return `
SELECT ${sqlString(table)} AS tbl,
       CASE WHEN grouping(department) = 1 THEN '_total' ELSE department END AS "row",
       CASE WHEN grouping(${dim}) = 1 THEN '_total' ELSE ${dim} END AS col,
       ${valueExpr} AS value, count(DISTINCT user_ref) AS contributors
  FROM staff GROUP BY GROUPING SETS ((department, ${dim}), (department), (${dim}), ())`;
}

// All cells of the CSV contract as SQL computes them: Map "table|row|column" ->
// {table, row, col, value, contributors, kind}. contributors: distinct staff pseudonyms behind
// the cell (null: not a figure about staff). kind: count, eur or kwh.
export async function expectedCells(env, policy, { tenant = 'default', from, to, prevFrom, prevTo, trainedRe }) {
  const base = baseSql(policy, { tenant, from, to, trainedRe });
  const parts = [
    grid('requests_by_department_service', 'service', 'count(*)::numeric'),
    grid('cost_by_department_service', 'service', 'sum(eur)'),
    grid('requests_by_department_month', 'month', 'count(*)::numeric'),
    grid('decisions_by_department', 'decision', 'count(*)::numeric'),
    // active_users_by_department: the value is the number of people
    `SELECT 'active_users_by_department', g.dept, v.col, v.value, v.value
       FROM (SELECT CASE WHEN grouping(department) = 1 THEN '_total' ELSE department END AS dept,
                    count(DISTINCT user_ref)::numeric AS active,
                    count(DISTINCT user_ref) FILTER (WHERE user_ref IN (SELECT user_ref FROM trained))::numeric AS trained
               FROM staff GROUP BY GROUPING SETS ((department), ())) g,
            LATERAL (VALUES ('active', g.active), ('trained', g.trained), ('untrained', g.active - g.trained)) v(col, value)`,
    `SELECT 'requests_by_purpose', g.p, v.col, v.value, v.contributors
       FROM (SELECT CASE WHEN grouping(purpose) = 1 THEN '_total' ELSE purpose END AS p,
                    count(*)::numeric AS requests, count(DISTINCT user_ref) AS users,
                    count(*) FILTER (WHERE acknowledged)::numeric AS ack,
                    count(DISTINCT user_ref) FILTER (WHERE acknowledged) AS ack_users
               FROM staff GROUP BY GROUPING SETS ((purpose), ())) g,
            LATERAL (VALUES ('requests', g.requests, g.users), ('acknowledged', g.ack, g.ack_users)) v(col, value, contributors)`,
    `SELECT 'rules', rule, 'requests', count(DISTINCT record_id)::numeric, count(DISTINCT user_ref)
       FROM staff, unnest(rule_ids) AS rule GROUP BY rule`,
    `SELECT 'entities', t.type, v.col, v.value, v.contributors
       FROM (SELECT coalesce(p.type, a.type) AS type, p.items, p.requests, p.users, a.items AS aitems, a.users AS ausers
               FROM (SELECT e.key AS type, sum(e.value::bigint)::numeric AS items, count(DISTINCT record_id)::numeric AS requests,
                            count(DISTINCT user_ref) AS users
                       FROM staff, jsonb_each_text(entity_counts) e GROUP BY e.key) p
               FULL JOIN
                    (SELECT e.key AS type, sum(e.value::bigint)::numeric AS items, count(DISTINCT user_ref) AS users
                       FROM staff, jsonb_each_text(answer_entity_counts) e GROUP BY e.key) a ON a.type = p.type) t,
            LATERAL (VALUES ('items', coalesce(t.items, 0), coalesce(t.users, 0)),
                            ('requests', coalesce(t.requests, 0), coalesce(t.users, 0)),
                            ('answer_items', coalesce(t.aitems, 0), coalesce(t.ausers, 0))) v(col, value, contributors)`,
    `SELECT 'tokens_by_service', g.s, v.col, v.value, g.users
       FROM (SELECT CASE WHEN grouping(service) = 1 THEN '_total' ELSE service END AS s,
                    sum(pt) AS pt, sum(ct) AS ct,
                    sum((pt + ct) / 1000.0 * wh / 1000.0) AS kwh,
                    count(DISTINCT user_ref) AS users
               FROM staff GROUP BY GROUPING SETS ((service), ())) g,
            LATERAL (VALUES ('prompt_tokens', g.pt), ('completion_tokens', g.ct), ('energy_kwh', g.kwh)) v(col, value)`,
    `SELECT 'budget_by_department', department, 'cost', sum(eur), count(DISTINCT user_ref) FROM staff GROUP BY department`,
    // active_users_by_month: people per month and per service (values are people)
    `SELECT 'active_users_by_month', month, 'active', count(DISTINCT user_ref)::numeric, count(DISTINCT user_ref) FROM staff GROUP BY month`,
    `SELECT 'active_users_by_month', service, 'active', count(DISTINCT user_ref)::numeric, count(DISTINCT user_ref) FROM staff GROUP BY service`,
  ];
  const cat = (c) => `ARRAY[${policy.rulesOf(c).map(sqlString).join(', ') || "''"}]::text[]`;
  const blocked = (c) => `decision = 'blocked' AND rule_ids && ${cat(c)}`;
  parts.push(`SELECT 'security', v.r, 'count', v.value, v.contributors FROM r_sec, LATERAL (VALUES
      ('secrets_blocked', r_sec.secrets, r_sec.secrets_u),
      ('prompt_injection_blocked', r_sec.inj, r_sec.inj_u),
      ('prohibited_practice_blocked', r_sec.proh, r_sec.proh_u),
      ('special_category_blocked', r_sec.spec, r_sec.spec_u),
      ('auth_failures', r_sec.auth, NULL::bigint),
      ('kill_switch_changes', 0::numeric, NULL::bigint),
      ('reidentifications', r_sec.reid, NULL::bigint)) v(r, value, contributors)`);
  const secCte = `, r_sec AS (SELECT
      count(*) FILTER (WHERE ${blocked('secrets')})::numeric AS secrets,
      count(DISTINCT user_ref) FILTER (WHERE ${blocked('secrets')}) AS secrets_u,
      count(*) FILTER (WHERE ${blocked('prompt_injection')})::numeric AS inj,
      count(DISTINCT user_ref) FILTER (WHERE ${blocked('prompt_injection')}) AS inj_u,
      count(*) FILTER (WHERE ${blocked('prohibited_practice')})::numeric AS proh,
      count(DISTINCT user_ref) FILTER (WHERE ${blocked('prohibited_practice')}) AS proh_u,
      count(*) FILTER (WHERE ${blocked('special_category')})::numeric AS spec,
      count(DISTINCT user_ref) FILTER (WHERE ${blocked('special_category')}) AS spec_u,
      count(*) FILTER (WHERE status = 401)::numeric AS auth,
      (SELECT count(*) FROM audit_events WHERE kind = 'reidentify'
          AND ts >= ${sqlString(`${from}T00:00:00Z`)}::timestamptz AND ts < ${sqlString(`${to}T00:00:00Z`)}::timestamptz)::numeric AS reid
    FROM r)`;
  const trendSel = (label) => `SELECT 'trend' AS tbl, v.r AS "row", ${sqlString(label)} AS col, v.value, v.contributors FROM (SELECT
      count(*)::numeric AS requests, count(DISTINCT user_ref) AS users,
      count(*) FILTER (WHERE decision = 'blocked')::numeric AS blocked,
      count(DISTINCT user_ref) FILTER (WHERE decision = 'blocked') AS blocked_u,
      coalesce(sum(eur), 0) AS eur FROM staff) t,
    LATERAL (VALUES ('requests', t.requests, t.users), ('active_users', t.users::numeric, t.users),
                    ('blocked', t.blocked, t.blocked_u), ('cost_eur', t.eur, t.users)) v(r, value, contributors)`;
  parts.push(trendSel('current'));

  const q = `${base}${secCte}\n${parts.join('\nUNION ALL\n')}`;
  const rows = await env.rows(`SELECT tbl, "row", col, value, contributors FROM (${q.replace(/^\s*WITH/, 'WITH')}) x`).catch(async (e) => {
    throw new Error(`expected-cells SQL failed: ${e.message}\n${q}`);
  });
  const prev = await env.rows(`${baseSql(policy, { tenant, from: prevFrom, to: prevTo, trainedRe })}${trendSel('previous')}`);

  const kindOf = (tbl, col, row) => {
    if (tbl === 'cost_by_department_service' || (tbl === 'budget_by_department')) return 'eur';
    if (tbl === 'trend' && row === 'cost_eur') return 'eur';
    if (tbl === 'tokens_by_service' && col === 'energy_kwh') return 'kwh';
    if (tbl === 'tokens_by_service') return 'tokens';
    return 'count';
  };
  const cells = new Map();
  for (const x of [...rows, ...prev]) {
    const key = `${x.tbl}|${x.row}|${x.col}`;
    cells.set(key, {
      table: x.tbl, row: x.row, col: x.col,
      value: num(x.value),
      contributors: x.contributors === null ? null : Number(x.contributors),
      kind: kindOf(x.tbl, x.col, x.row),
    });
  }
  // budgets come from the policy (not about staff)
  for (const [dept, eur] of Object.entries(policy.budgets)) {
    cells.set(`budget_by_department|${dept}|budget`, { table: 'budget_by_department', row: dept, col: 'budget', value: Number(eur), contributors: null, kind: 'eur' });
  }
  return { cells, sql: q };
}

// ---------------------------------------------------------------------------
// CSV

export function parseCsv(text) {
  const lines = [];
  let i = 0;
  const rows = [];
  let field = '';
  let row = [];
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const header = rows.shift();
  for (const r of rows) {
    if (r.length === 1 && r[0] === '') continue;
    lines.push(r);
  }
  return { header, lines };
}

// Map "table|row|column" -> {table, row, col, value (number|null), raw, status}.
export function csvCells(text) {
  const { header, lines } = parseCsv(text);
  const cells = new Map();
  const problems = [];
  for (const l of lines) {
    if (l.length !== 5) { problems.push(`line with ${l.length} fields: ${l.join(',')}`); continue; }
    const [table, row, col, raw, status] = l;
    const key = `${table}|${row}|${col}`;
    if (cells.has(key)) problems.push(`duplicate cell ${key}`);
    cells.set(key, { table, row, col, raw, value: raw === '' ? null : Number(raw), status });
  }
  return { header, cells, problems };
}

// ---------------------------------------------------------------------------
// Relations and suppression

// The additive relations of the CSV's tables (total = sum of members), as cell keys.
export function relations(cells) {
  const byTable = new Map();
  for (const c of cells.values()) {
    if (!byTable.has(c.table)) byTable.set(c.table, []);
    byTable.get(c.table).push(c);
  }
  const rels = [];
  const key = (t, r, c) => `${t}|${r}|${c}`;
  const twoD = ['requests_by_department_service', 'requests_by_department_month', 'decisions_by_department', 'cost_by_department_service'];
  for (const t of twoD) {
    const cs = byTable.get(t) || [];
    const rows = [...new Set(cs.map((c) => c.row))];
    const cols = [...new Set(cs.map((c) => c.col))];
    for (const r of rows) {
      rels.push({ table: t, kind: `row ${r}`, total: key(t, r, '_total'), members: cols.filter((c) => c !== '_total').map((c) => key(t, r, c)) });
    }
    for (const c of cols) {
      rels.push({ table: t, kind: `column ${c}`, total: key(t, '_total', c), members: rows.filter((r) => r !== '_total').map((r) => key(t, r, c)) });
    }
  }
  {
    const t = 'active_users_by_department';
    const cs = byTable.get(t) || [];
    const rows = [...new Set(cs.map((c) => c.row))];
    for (const r of rows) rels.push({ table: t, kind: `row ${r}`, total: key(t, r, 'active'), members: [key(t, r, 'trained'), key(t, r, 'untrained')] });
    for (const c of ['active', 'trained', 'untrained']) {
      rels.push({ table: t, kind: `column ${c}`, total: key(t, '_total', c), members: rows.filter((r) => r !== '_total').map((r) => key(t, r, c)) });
    }
  }
  for (const [t, cols] of [['requests_by_purpose', ['requests', 'acknowledged']], ['tokens_by_service', ['prompt_tokens', 'completion_tokens', 'energy_kwh']]]) {
    const cs = byTable.get(t) || [];
    const rows = [...new Set(cs.map((c) => c.row))];
    for (const c of cols) {
      rels.push({ table: t, kind: `column ${c}`, total: key(t, '_total', c), members: rows.filter((r) => r !== '_total').map((r) => key(t, r, c)) });
    }
  }
  // only relations whose cells exist
  return rels
    .map((r) => ({ ...r, members: r.members.filter((m) => cells.has(m)) }))
    .filter((r) => cells.has(r.total) && r.members.length > 0);
}

// The same quantity in several tables (one id, one status): cell key -> canonical key.
export function canonical(k) {
  const [t, r, c] = k.split('|');
  if ((t === 'requests_by_department_month' || t === 'decisions_by_department') && c === '_total') return `requests_by_department_service|${r}|_total`;
  if (t === 'requests_by_purpose' && r === '_total' && c === 'requests') return 'requests_by_department_service|_total|_total';
  if (t === 'trend' && c === 'current') {
    if (r === 'requests') return 'requests_by_department_service|_total|_total';
    if (r === 'blocked') return 'decisions_by_department|_total|blocked';
    if (r === 'active_users') return 'active_users_by_department|_total|active';
  }
  if (t === 'budget_by_department' && c === 'cost') return `cost_by_department_service|${r}|_total`;
  return k;
}

// Differencing attack on the count tables: starting from the shown values, solve every
// relation with exactly one unknown (a member, or the total), across tables (same quantities
// share one id), until nothing changes. Returns the set of canonical keys whose value the
// attacker knows, and how each was derived.
export function derivable(csv, rels) {
  const countTables = new Set(['requests_by_department_service', 'requests_by_department_month', 'decisions_by_department',
    'active_users_by_department', 'requests_by_purpose']);
  const known = new Map();
  const how = new Map();
  for (const [k, c] of csv.cells) {
    if (c.status === 'shown' && c.value !== null) known.set(canonical(k), c.value);
  }
  const crels = rels.filter((r) => countTables.has(r.table))
    .map((r) => ({ ...r, total: canonical(r.total), members: r.members.map(canonical) }));
  for (let changed = true; changed;) {
    changed = false;
    for (const r of crels) {
      const unknown = [r.total, ...r.members].filter((x) => !known.has(x));
      if (unknown.length !== 1) continue;
      const u = unknown[0];
      const sumMembers = r.members.filter((m) => m !== u).reduce((a, m) => a + known.get(m), 0);
      const v = u === r.total ? sumMembers : known.get(r.total) - sumMembers;
      known.set(u, v);
      how.set(u, `${r.table} ${r.kind}: ${r.total} = ${r.members.join(' + ')}`);
      changed = true;
    }
  }
  return { known, how };
}

export function roundHalfUp(x, m) {
  return Math.floor(x / m + 0.5) * m;
}
