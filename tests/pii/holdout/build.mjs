#!/usr/bin/env node
// Builds a held-out set from its hand-annotated texts: tests/pii/<set>/<set>.jsonl from
// tests/pii/<set>/src/*.txt (set: holdout, or another given with --set; holdout2/build.mjs calls
// this builder with --set holdout2).
//
//   node tests/pii/holdout/build.mjs           write holdout.jsonl, print counts per type
//   node tests/pii/holdout/build.mjs --check   exit 1 if holdout.jsonl is not what the sources give
//   node tests/pii/holdout/build.mjs --lint    also list words of labelled names that occur unlabelled
//                                               elsewhere in the same text (review aid; may be intended,
//                                               e.g. "Frau Winter" vs. "im Winter")
//
// Source format (UTF-8):
//   === id: <id> domain: <domain>       starts a document; the text is every following line up to the
//                                       next header (leading and trailing empty lines dropped)
//   %% comment                          a line starting with %% is dropped (annotator notes)
//   [[TYPE|value]]                      a labelled span: the text gets `value`, the corpus an entity
//   [[~TYPE|value]]                     a hard negative of a checksummed type: inserted unlabelled,
//                                       and its check MUST fail (build error otherwise)
//   [[[TYPE|value]]]                    a literal "[" and "]" around a labelled span (e.g. postfix "host[IP]")
//   \[[                                 a literal "[["
// Every labelled checksummed value must pass its check; spans may not nest or overlap.
// Output: one {"id","domain","text","entities":[{"type","start","end"}]} per line, UTF-8 byte offsets,
// end exclusive, the same format as tests/pii/corpus.jsonl.

import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKSUMMED, DECOY_CHECK, parseRvnr } from './checks.mjs';

const args = process.argv.slice(2);
const setAt = args.indexOf('--set');
const SET = setAt >= 0 ? args.splice(setAt, 2)[1] : 'holdout';
if (!SET || !/^[a-z0-9_-]+$/.test(SET)) { console.error('build.mjs: --set needs the name of a folder under tests/pii'); process.exit(2); }
const HERE = join(dirname(fileURLToPath(import.meta.url)), '..', SET);
const SRC = join(HERE, 'src');
const OUT = join(HERE, `${SET}.jsonl`);
const check = args.includes('--check');
const lint = args.includes('--lint');
for (const a of args) if (a !== '--check' && a !== '--lint') { console.error(`build.mjs: unknown argument ${a}`); process.exit(2); }

const TYPES = new Set(['PERSON', 'EMAIL', 'PHONE', 'IBAN', 'BIC', 'CREDIT_CARD', 'TAX_ID', 'VAT_ID', 'SOCIAL_SECURITY',
  'ID_CARD', 'PASSPORT', 'ADDRESS', 'DATE_OF_BIRTH', 'LICENSE_PLATE', 'IP_ADDRESS', 'HEALTH', 'CASE_NUMBER', 'SECRET']);

// light format checks for unchecksummed types, to catch annotation typos
const SHAPE = {
  EMAIL: /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/,
  PHONE: (v) => { const d = v.replace(/\D/g, ''); return d.length >= 6 && d.length <= 16 && /^[+(0]/.test(v); },
  IP_ADDRESS: (v) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(v) && v.split('.').every((x) => +x <= 255))
    || (/^[0-9a-fA-F:]+$/.test(v) && (v.includes('::') || v.split(':').length === 8)),
  LICENSE_PLATE: /^[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2} [1-9]\d{0,3}[EH]?$/,
  DATE_OF_BIRTH: /\d/,
};

const errors = [];
const docs = [];
const ids = new Set();
const files = existsSync(SRC) ? readdirSync(SRC).filter((f) => f.endsWith('.txt')).sort() : [];
if (!files.length) { console.error(`build.mjs: no sources in ${SRC}`); process.exit(2); }

for (const file of files) {
  const lines = readFileSync(join(SRC, file), 'utf8').replace(/\r\n/g, '\n').split('\n');
  let cur = null;
  const flush = () => {
    if (!cur) return;
    while (cur.lines.length && cur.lines[0].trim() === '') cur.lines.shift();
    while (cur.lines.length && cur.lines[cur.lines.length - 1].trim() === '') cur.lines.pop();
    docs.push(parseDoc(cur));
    cur = null;
  };
  lines.forEach((line, i) => {
    const h = /^=== id: (\S+) domain: (\S+)\s*$/.exec(line);
    if (h) {
      flush();
      if (ids.has(h[1])) errors.push(`${file}:${i + 1}: duplicate id ${h[1]}`);
      ids.add(h[1]);
      cur = { id: h[1], domain: h[2], lines: [], where: `${file}:${i + 1}` };
    } else if (line.startsWith('===')) {
      errors.push(`${file}:${i + 1}: malformed header`);
    } else if (line.startsWith('%%')) {
      // annotator note
    } else if (cur) {
      cur.lines.push(line);
    } else if (line.trim()) {
      errors.push(`${file}:${i + 1}: text before the first header`);
    }
  });
  flush();
}

function parseDoc({ id, domain, lines, where }) {
  const src = lines.join('\n');
  const parts = [];
  const entities = [];
  let bytes = 0, i = 0;
  const emit = (s) => { parts.push(s); bytes += Buffer.byteLength(s, 'utf8'); };
  while (i < src.length) {
    if (src.startsWith('\\[[', i)) { emit('[['); i += 3; continue; }
    if (src.startsWith('[[[', i)) { emit('['); i += 1; continue; }   // "[[[TYPE|v]]]": a literal "[" before markup (log lines like host[1.2.3.4])
    if (!src.startsWith('[[', i)) {
      const next = src.indexOf('[[', i);
      const esc = src.indexOf('\\[[', i);
      let stop = next < 0 ? src.length : next;
      if (esc >= 0 && esc < stop) stop = esc;
      emit(src.slice(i, stop)); i = stop; continue;
    }
    const close = src.indexOf(']]', i + 2);
    const bar = src.indexOf('|', i + 2);
    if (close < 0 || bar < 0 || bar > close) { errors.push(`${where} (${id}): unterminated or malformed [[…]] near "${src.slice(i, i + 40)}"`); break; }
    let type = src.slice(i + 2, bar);
    const value = src.slice(bar + 1, close);
    if (value.includes('[[')) errors.push(`${where} (${id}): nested markup in "${value.slice(0, 40)}"`);
    const decoy = type.startsWith('~');
    if (decoy) type = type.slice(1);
    if (!TYPES.has(type)) errors.push(`${where} (${id}): unknown type ${type}`);
    if (!value || value !== value.trim()) errors.push(`${where} (${id}): empty value or surrounding whitespace in ${type} "${value}"`);
    if (decoy) {
      const f = DECOY_CHECK[type];
      if (!f) errors.push(`${where} (${id}): ${type} has no check, cannot be a checked decoy`);
      else if (f(value)) errors.push(`${where} (${id}): decoy ${type} "${value}" passes its check`);
      emit(value);
    } else {
      const f = CHECKSUMMED[type];
      if (f && !f(value)) errors.push(`${where} (${id}): ${type} "${value}" fails its check`);
      const shape = SHAPE[type];
      if (shape && !(typeof shape === 'function' ? shape(value) : shape.test(value))) errors.push(`${where} (${id}): ${type} "${value}" has an unexpected shape`);
      const start = bytes;
      emit(value);
      entities.push({ type, start, end: bytes, value });
    }
    i = close + 2;
  }
  const text = parts.join('');
  // a literal "]]" is fine (e.g. shell tests); an unconsumed "[[TYPE|" would be a mistake
  if (/\[\[~?[A-Z_]+\|/.test(text)) errors.push(`${where} (${id}): leftover markup in text`);
  if (!text.trim()) errors.push(`${where} (${id}): empty text`);
  // spans: sorted, non-overlapping, value equals the bytes at the offsets
  const buf = Buffer.from(text, 'utf8');
  entities.forEach((e, k) => {
    if (buf.subarray(e.start, e.end).toString('utf8') !== e.value) errors.push(`${where} (${id}): offset mismatch for ${e.type} "${e.value}"`);
    if (k && entities[k - 1].end > e.start) errors.push(`${where} (${id}): overlapping spans`);
  });
  // --lint: an RVNR and a birth date in the same text should agree (DDMMYY, day may be +50)
  const rv = entities.filter((e) => e.type === 'SOCIAL_SECURITY').map((e) => parseRvnr(e.value));
  const dobs = entities.filter((e) => e.type === 'DATE_OF_BIRTH').map((e) => normDate(e.value)).filter(Boolean);
  if (lint && rv.length === 1 && dobs.length === 1) {
    const r = rv[0], dd = String(+r.ddmmyy.slice(0, 2) % 50).padStart(2, '0');
    // a review hint only: the RVNR and the birth date may belong to different people
    if (dd + r.ddmmyy.slice(2) !== dobs[0]) console.error(`lint: ${id}: RVNR ${r.ddmmyy} does not match birth date ${dobs[0]}`);
  }
  if (lint) {
    const words = new Set();
    for (const e of entities) if (e.type === 'PERSON') for (const w of e.value.split(/[\s,]+/)) if (w.length >= 3 && !/\.$/.test(w)) words.add(w.toLowerCase());
    for (const w of words) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}@._-])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}@-])`, 'giu');
      for (const m of text.matchAll(re)) {
        const b = Buffer.byteLength(text.slice(0, m.index), 'utf8');
        if (!entities.some((e) => e.start <= b && b < e.end)) console.error(`lint: ${id}: "${m[0]}" unlabelled at …${text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 10).replace(/\n/g, '⏎')}…`);
      }
    }
  }
  return { id, domain, text, entities: entities.map(({ type, start, end }) => ({ type, start, end })) };
}

function normDate(v) {
  const MON = ['januar', 'februar', 'märz', 'april', 'mai', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'dezember'];
  let m = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})$/.exec(v);
  if (m) return m[1].padStart(2, '0') + m[2].padStart(2, '0') + m[3].slice(2);
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (m) return m[3] + m[2] + m[1].slice(2);
  m = /^(\d{1,2})\.\s([A-Za-zä]+)\s(\d{4})$/.exec(v);
  if (m && MON.includes(m[2].toLowerCase())) return m[1].padStart(2, '0') + String(MON.indexOf(m[2].toLowerCase()) + 1).padStart(2, '0') + m[3].slice(2);
  return null;
}

if (errors.length) {
  for (const e of errors) console.error(`build.mjs: ${e}`);
  console.error(`build.mjs: ${errors.length} error(s), nothing written`);
  process.exit(1);
}

const jsonl = docs.map((d) => JSON.stringify(d)).join('\n') + '\n';
if (check) {
  const cur = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
  if (cur !== jsonl) { console.error(`build.mjs: ${SET}.jsonl is out of date (run: node tests/pii/${SET}/build.mjs)`); process.exit(1); }
  console.log(`${SET}.jsonl is up to date (${docs.length} texts)`);
  process.exit(0);
}
writeFileSync(OUT, jsonl);
const counts = {};
for (const d of docs) for (const e of d.entities) counts[e.type] = (counts[e.type] ?? 0) + 1;
const domains = {};
for (const d of docs) domains[d.domain] = (domains[d.domain] ?? 0) + 1;
const neg = docs.filter((d) => !d.entities.length).length;
console.log(`wrote ${OUT}: ${docs.length} texts (${neg} without personal data), ${Object.values(counts).reduce((a, b) => a + b, 0)} entities`);
for (const [t, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) console.log(`  ${t.padEnd(16)} ${n}`);
console.log('domains: ' + Object.entries(domains).sort().map(([k, v]) => `${k} ${v}`).join(', '));
