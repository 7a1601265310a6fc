// Calls each dashboard API endpoint REPS times, one at a time, and prints latency percentiles
// (used by bench/admin_api.sh; URL and KEY from the environment).
const url = process.env.URL;
const reps = Number(process.env.REPS || 100);
let cookie = '';

async function call(p, init = {}) {
  const r = await fetch(`${url}/admin/api${p}`, { ...init, headers: { ...(init.headers || {}), cookie } });
  const set = r.headers.get('set-cookie');
  if (set) cookie = /lp_admin=[^;]*/.exec(set)[0];
  const text = await r.text();
  if (r.status !== 200) throw new Error(`${p}: ${r.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

await call('/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key: process.env.KEY }) });
const first = await call('/decisions?limit=50');
const some = first.decisions.map((d) => d.record_id);
const endpoints = [
  ['overview 24h', () => '/overview?window=24h'],
  ['overview 7d', () => '/overview?window=7d'],
  ['overview quarter', () => '/overview?window=quarter'],
  ['decisions (newest 50)', () => '/decisions?limit=50'],
  ['decisions blocked + department', () => '/decisions?decision=blocked&department=sozialamt&limit=50'],
  ['decisions by rule', () => '/decisions?rule=no-prompt-injection&limit=50'],
  ['decisions by service, 7 days', () => `/decisions?service=llama-intern&from=${new Date(Date.now() - 7 * 86400e3).toISOString()}&limit=50`],
  ['decisions page 2', () => `/decisions?limit=50&before=${encodeURIComponent(first.next)}`],
  ['decision detail', (i) => `/decisions/${some[i % some.length]}`],
  ['services', () => '/services'],
  ['rules (with counts of the quarter)', () => '/rules'],
  ['detections', () => '/detections'],
  ['departments', () => '/departments'],
  ['register', () => '/register'],
  ['audit chain', () => '/audit-chain'],
  ['alerts', () => '/alerts'],
];
const rows = [];
for (const [name, path] of endpoints) {
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await call(path(i));
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  rows.push(`| ${name} | ${q(0.5)} | ${q(0.95)} | ${q(0.99)} |`);
}
console.log(`| endpoint (${reps} calls each, one at a time) | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|\n${rows.join('\n')}`);
