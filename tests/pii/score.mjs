#!/usr/bin/env node
// Scores the personal-data detector against tests/pii/corpus.jsonl.
//
//   node tests/pii/score.mjs [--bin PATH] [--corpus FILE] [--min-f1 X] [--min-precision Y]
//                            [--json OUT] [--examples N] [--types A,B,...] [--domain D]
//                            [--predictions FILE] [--save-predictions FILE]
//
// Pipes {"id","text"} JSONL into `<bin> redact --jsonl` and reads one line per input:
// {"id","text","entities":[{"type","start","end","score"}]} (UTF-8 byte offsets, end exclusive).
// Reports per-type and micro precision/recall/F1 with strict matching (type, start and end
// equal) and relaxed matching (same type, overlapping spans, one-to-one, greedy by overlap).
// Exit status: 0 ok, 1 below --min-f1/--min-precision (strict micro), 2 usage or run error.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

function usage(msg) {
  if (msg) console.error(`score.mjs: ${msg}`);
  console.error('usage: node tests/pii/score.mjs [--bin PATH] [--corpus FILE] [--min-f1 X] [--min-precision Y] [--json OUT]\n'
    + '                      [--examples N] [--types A,B] [--domain D] [--predictions FILE] [--save-predictions FILE]');
  process.exit(2);
}

const opts = {
  bin: process.env.LEITPLANKE_BIN || join(ROOT, 'build', 'leitplanke'),
  corpus: join(HERE, 'corpus.jsonl'),
  minF1: 0, minPrecision: 0, json: null, examples: 15, types: null, domain: null, predictions: null, savePredictions: null,
};
{
  const a = process.argv.slice(2);
  const num = (flag, v) => { const n = Number(v); if (v === undefined || !Number.isFinite(n)) usage(`${flag} needs a number`); return n; };
  for (let i = 0; i < a.length; i++) {
    const f = a[i], v = a[i + 1];
    const need = () => { if (v === undefined) usage(`${f} needs a value`); i++; return v; };
    switch (f) {
      case '--bin': opts.bin = need(); break;
      case '--corpus': opts.corpus = need(); break;
      case '--min-f1': opts.minF1 = num(f, need()); break;
      case '--min-precision': opts.minPrecision = num(f, need()); break;
      case '--json': opts.json = need(); break;
      case '--examples': opts.examples = num(f, need()); break;
      case '--types': opts.types = new Set(need().split(',').map((s) => s.trim()).filter(Boolean)); break;
      case '--domain': opts.domain = need(); break;
      case '--predictions': opts.predictions = need(); break;
      case '--save-predictions': opts.savePredictions = need(); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${f}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Load the corpus
// ---------------------------------------------------------------------------
if (!existsSync(opts.corpus)) usage(`corpus not found: ${opts.corpus} (run: node tests/pii/generate.mjs)`);
let docs = readFileSync(opts.corpus, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
  try { return JSON.parse(l); } catch (e) { usage(`${opts.corpus}:${i + 1}: ${e.message}`); }
});
if (opts.domain) docs = docs.filter((d) => d.domain === opts.domain);
if (!docs.length) usage('no texts to score');
const keepType = (t) => !opts.types || opts.types.has(t);

// ---------------------------------------------------------------------------
// Run the detector (or read saved predictions)
// ---------------------------------------------------------------------------
let rawOut, runMs = null;
if (opts.predictions) {
  rawOut = readFileSync(opts.predictions, 'utf8');
} else {
  if (!existsSync(opts.bin)) usage(`binary not found: ${opts.bin} (build it, or pass --bin / set LEITPLANKE_BIN)`);
  const input = docs.map((d) => JSON.stringify({ id: d.id, text: d.text })).join('\n') + '\n';
  const t0 = process.hrtime.bigint();
  const r = spawnSync(opts.bin, ['redact', '--jsonl'], { input, maxBuffer: 1 << 30, encoding: 'utf8' });
  runMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) { console.error(`score.mjs: cannot run ${opts.bin}: ${r.error.message}`); process.exit(2); }
  if (r.status !== 0) {
    console.error(`score.mjs: ${opts.bin} redact --jsonl exited with ${r.status ?? r.signal}`);
    if (r.stderr) console.error(r.stderr.split('\n').slice(-20).join('\n'));
    process.exit(2);
  }
  rawOut = r.stdout;
}
if (opts.savePredictions) writeFileSync(opts.savePredictions, rawOut);

const preds = new Map();
const warnings = [];
rawOut.split('\n').filter((l) => l.trim()).forEach((l, i) => {
  let o;
  try { o = JSON.parse(l); } catch (e) { warnings.push(`output line ${i + 1} is not JSON: ${e.message}`); return; }
  const id = String(o.id);
  if (preds.has(id)) warnings.push(`duplicate output for id ${id}`);
  preds.set(id, o);
});

// ---------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------
const overlap = (a, b) => Math.min(a.end, b.end) - Math.max(a.start, b.start);
const isBoundary = (buf, i) => i === 0 || i === buf.length || (i > 0 && i < buf.length && (buf[i] & 0xc0) !== 0x80);

const stat = () => ({ tp: 0, fp: 0, fn: 0 });
const perType = new Map(); // type -> {support, pred, strict, relaxed, kinds}
const T = (t) => {
  if (!perType.has(t)) perType.set(t, { support: 0, pred: 0, strict: stat(), relaxed: stat(), fnKinds: {}, fpKinds: {} });
  return perType.get(t);
};
const perDomain = new Map();
const errors = []; // {kind: 'FN'|'FP', cause, type, id, start, end, other?}
let invalidOffsets = 0, missingDocs = 0, negDocs = 0, negDocsWithPred = 0, unknownIds = 0;

for (const d of docs) {
  const buf = Buffer.from(d.text, 'utf8');
  const gold = d.entities.filter((e) => keepType(e.type)).map((e) => ({ ...e }));
  const out = preds.get(String(d.id));
  if (!out) { missingDocs++; }
  let pred = [];
  if (out && Array.isArray(out.entities)) {
    for (const e of out.entities) {
      if (!keepType(e.type)) continue;
      const ok = Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.end <= buf.length && e.start < e.end
        && isBoundary(buf, e.start) && isBoundary(buf, e.end);
      if (!ok) invalidOffsets++;
      pred.push({ type: String(e.type), start: e.start, end: e.end, score: e.score, valid: ok });
    }
  }
  if (!d.entities.length) { negDocs++; if (pred.length) negDocsWithPred++; }
  const dom = perDomain.get(d.domain) ?? { texts: 0, strict: stat() };
  dom.texts++;
  perDomain.set(d.domain, dom);

  for (const g of gold) T(g.type).support++;
  for (const p of pred) T(p.type).pred++;

  // strict: exact type/start/end, one-to-one
  const gStrict = new Array(gold.length).fill(false), pStrict = new Array(pred.length).fill(false);
  pred.forEach((p, pi) => {
    const gi = gold.findIndex((g, k) => !gStrict[k] && g.type === p.type && g.start === p.start && g.end === p.end);
    if (gi >= 0) { gStrict[gi] = true; pStrict[pi] = true; }
  });
  // relaxed: same type, overlapping, greedy by overlap size
  const pairs = [];
  gold.forEach((g, gi) => pred.forEach((p, pi) => {
    if (g.type === p.type && p.valid && overlap(g, p) > 0) pairs.push([overlap(g, p), gi, pi]);
  }));
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const gRel = new Array(gold.length).fill(-1), pRel = new Array(pred.length).fill(-1);
  // exact matches first so that relaxed TP >= strict TP
  gold.forEach((g, gi) => { if (gStrict[gi]) { const pi = pred.findIndex((p, k) => pStrict[k] && pRel[k] < 0 && p.type === g.type && p.start === g.start && p.end === g.end); gRel[gi] = pi; pRel[pi] = gi; } });
  for (const [, gi, pi] of pairs) if (gRel[gi] < 0 && pRel[pi] < 0) { gRel[gi] = pi; pRel[pi] = gi; }

  gold.forEach((g, gi) => {
    const s = T(g.type);
    if (gStrict[gi]) { s.strict.tp++; dom.strict.tp++; } else {
      s.strict.fn++; dom.strict.fn++;
      let cause = 'missed', other = null;
      if (gRel[gi] >= 0) { cause = 'boundary'; other = pred[gRel[gi]]; } else {
        const same = pred.find((p) => p.valid && p.type === g.type && overlap(g, p) > 0);
        const o = pred.find((p) => p.valid && p.type !== g.type && overlap(g, p) > 0);
        if (same) { cause = 'merged'; other = same; } else if (o) { cause = 'type'; other = o; }
      }
      s.fnKinds[cause] = (s.fnKinds[cause] ?? 0) + 1;
      errors.push({ kind: 'FN', cause, type: g.type, id: d.id, start: g.start, end: g.end, other, doc: d, buf });
    }
    if (gRel[gi] >= 0) s.relaxed.tp++; else s.relaxed.fn++;
  });
  pred.forEach((p, pi) => {
    const s = T(p.type);
    if (!pStrict[pi]) {
      s.strict.fp++; dom.strict.fp++;
      let cause = 'spurious', other = null;
      if (!p.valid) cause = 'bad-offsets';
      else if (pRel[pi] >= 0) { cause = 'boundary'; other = gold[pRel[pi]]; } else {
        const same = gold.find((g) => g.type === p.type && overlap(g, p) > 0);
        const o = gold.find((g) => g.type !== p.type && overlap(g, p) > 0);
        const dup = pred.some((q, k) => k !== pi && pStrict[k] && q.type === p.type && q.start === p.start && q.end === p.end);
        if (dup) { cause = 'duplicate'; other = same; } else if (same) { cause = 'split'; other = same; } else if (o) { cause = 'type'; other = o; }
      }
      s.fpKinds[cause] = (s.fpKinds[cause] ?? 0) + 1;
      errors.push({ kind: 'FP', cause, type: p.type, id: d.id, start: p.start, end: p.end, other, doc: d, buf });
    }
    if (pRel[pi] < 0) s.relaxed.fp++;
  });
}
for (const id of preds.keys()) if (!docs.some((d) => String(d.id) === id)) unknownIds++;
if (missingDocs) warnings.push(`${missingDocs} texts have no output line (all their entities count as FN)`);
if (unknownIds && !opts.domain) warnings.push(`${unknownIds} output lines have ids not in the corpus`);
if (invalidOffsets) warnings.push(`${invalidOffsets} predicted spans have invalid offsets (out of range, empty, or not on a UTF-8 character boundary); counted as FP`);

// ---------------------------------------------------------------------------
// Metrics
// ---------------------------------------------------------------------------
// precision is null without predictions, recall null without gold spans (shown as "–")
function prf(s) {
  const p = s.tp + s.fp ? s.tp / (s.tp + s.fp) : null;
  const r = s.tp + s.fn ? s.tp / (s.tp + s.fn) : null;
  const f1 = p === null && r === null ? null : (p ?? 0) + (r ?? 0) ? (2 * (p ?? 0) * (r ?? 0)) / ((p ?? 0) + (r ?? 0)) : 0;
  return { ...s, precision: p, recall: r, f1 };
}
const sum = (get) => [...perType.values()].reduce((a, v) => { const s = get(v); return { tp: a.tp + s.tp, fp: a.fp + s.fp, fn: a.fn + s.fn }; }, stat());
const types = [...perType.keys()].sort((a, b) => (perType.get(b).support - perType.get(a).support) || a.localeCompare(b));
const result = {
  corpus: opts.corpus,
  bin: opts.predictions ? null : opts.bin,
  texts: docs.length,
  texts_without_entities: negDocs,
  texts_without_entities_with_predictions: negDocsWithPred,
  runtime_ms: runMs,
  per_type: Object.fromEntries(types.map((t) => {
    const v = perType.get(t);
    return [t, { support: v.support, predicted: v.pred, strict: prf(v.strict), relaxed: prf(v.relaxed), fn_causes: v.fnKinds, fp_causes: v.fpKinds }];
  })),
  micro: { strict: prf(sum((v) => v.strict)), relaxed: prf(sum((v) => v.relaxed)) },
  macro: {},
  per_domain: Object.fromEntries([...perDomain.entries()].sort().map(([k, v]) => [k, { texts: v.texts, strict: prf(v.strict) }])),
  warnings,
};
for (const mode of ['strict', 'relaxed']) {
  const withSupport = types.filter((t) => perType.get(t).support > 0);
  const f = (k) => withSupport.reduce((a, t) => a + (result.per_type[t][mode][k] ?? 0), 0) / (withSupport.length || 1);
  result.macro[mode] = { precision: f('precision'), recall: f('recall'), f1: f('f1') };
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------
const f3 = (x) => (x === undefined ? '' : x === null ? '–' : x.toFixed(3));
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' ');
const W = [16, 7, 6, 5, 5, 5, 6, 6, 6, 2, 5, 5, 5, 6, 6, 6];
const line = (name, support, pred, s, r) => row([name, support, pred, s.tp, s.fp, s.fn, f3(s.precision), f3(s.recall), f3(s.f1), '|',
  r.tp, r.fp, r.fn, f3(r.precision), f3(r.recall), f3(r.f1)], W);

console.log(`corpus: ${opts.corpus} (${docs.length} texts, ${negDocs} without entities)`);
if (!opts.predictions) console.log(`detector: ${opts.bin} redact --jsonl (${runMs.toFixed(0)} ms for the whole corpus)`);
else console.log(`predictions: ${opts.predictions}`);
console.log('');
console.log(row(['', '', '', '--- strict', '', '', '', '', '', '', '--- relaxed', '', '', '', '', ''], W));
console.log(row(['type', 'support', 'pred', 'TP', 'FP', 'FN', 'P', 'R', 'F1', '|', 'TP', 'FP', 'FN', 'P', 'R', 'F1'], W));
console.log('-'.repeat(W.reduce((a, b) => a + b + 1, -1)));
for (const t of types) {
  const v = result.per_type[t];
  console.log(line(t, v.support, v.predicted, v.strict, v.relaxed));
}
console.log('-'.repeat(W.reduce((a, b) => a + b + 1, -1)));
const tot = result.micro;
const allSupport = types.reduce((a, t) => a + perType.get(t).support, 0), allPred = types.reduce((a, t) => a + perType.get(t).pred, 0);
console.log(line('micro', allSupport, allPred, tot.strict, tot.relaxed));
console.log(row(['macro', '', '', '', '', '', f3(result.macro.strict.precision), f3(result.macro.strict.recall), f3(result.macro.strict.f1), '|',
  '', '', '', f3(result.macro.relaxed.precision), f3(result.macro.relaxed.recall), f3(result.macro.relaxed.f1)], W));
console.log('(macro = unweighted mean over the types that occur in the corpus)');
console.log('');
console.log(`texts without any gold entity that got a prediction: ${negDocsWithPred} of ${negDocs}`);
const causeStr = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
console.log('\nstrict error causes: boundary = an overlapping span of the same type with other offsets; split/merged = one gold span\n'
  + 'predicted as several pieces / several gold spans predicted as one; type = overlaps a span of another type;\n'
  + 'duplicate = the same span predicted twice; missed/spurious = nothing overlapping; bad-offsets = out of range or not on a UTF-8 character boundary');
for (const t of types) {
  const v = perType.get(t);
  const fn = causeStr(v.fnKinds), fp = causeStr(v.fpKinds);
  if (fn || fp) console.log(`  ${t.padEnd(16)} FN: ${fn || '-'}${' '.repeat(Math.max(1, 36 - (fn || '-').length))}FP: ${fp || '-'}`);
}
console.log('\nstrict micro F1 per domain:');
for (const [k, v] of Object.entries(result.per_domain)) {
  console.log(`  ${k.padEnd(22)} ${String(v.texts).padStart(4)} texts  P ${f3(v.strict.precision)}  R ${f3(v.strict.recall)}  F1 ${f3(v.strict.f1)}`);
}

function context(buf, start, end, width = 45) {
  const s = Math.max(0, Math.min(start, buf.length)), e = Math.max(s, Math.min(end, buf.length));
  const text = (b) => b.toString('utf8').replace(/\n/g, '⏎');
  let before = text(buf.subarray(Math.max(0, s - width * 2), s));
  let after = text(buf.subarray(e, e + width * 2));
  before = [...before].slice(-width).join('');
  after = [...after].slice(0, width).join('');
  return `…${before}⟦${text(buf.subarray(s, e))}⟧${after}…`;
}
if (opts.examples > 0 && errors.length) {
  console.log(`\nexamples (up to ${opts.examples} FN and FP per type, strict):`);
  for (const t of types) {
    for (const kind of ['FN', 'FP']) {
      const list = errors.filter((e) => e.type === t && e.kind === kind);
      if (!list.length) continue;
      console.log(`\n${t} ${kind} (${list.length}):`);
      for (const e of list.slice(0, opts.examples)) {
        let extra = '';
        if (e.other) {
          const val = e.buf.subarray(e.other.start, e.other.end).toString('utf8').replace(/\n/g, '⏎');
          extra = e.kind === 'FN' ? `  [pred ${e.other.type} ${JSON.stringify(val)}]` : `  [gold ${e.other.type} ${JSON.stringify(val)}]`;
        }
        console.log(`  ${e.cause.padEnd(11)} ${e.id}  ${context(e.buf, e.start, e.end)}${extra}`);
      }
    }
  }
}
if (warnings.length) { console.log(''); for (const w of warnings) console.log(`warning: ${w}`); }

if (opts.json) {
  const errs = errors.map(({ doc, buf, other, ...e }) => ({
    ...e, value: buf.subarray(Math.max(0, e.start), Math.min(buf.length, e.end)).toString('utf8'),
    other: other ? { type: other.type, start: other.start, end: other.end } : null,
  }));
  writeFileSync(opts.json, JSON.stringify({ ...result, errors: errs }, null, 2) + '\n');
}

const ms = result.micro.strict;
let fail = false;
if ((ms.f1 ?? 0) < opts.minF1) { console.log(`\nFAIL: strict micro F1 ${f3(ms.f1)} < --min-f1 ${opts.minF1}`); fail = true; }
if ((ms.precision ?? 0) < opts.minPrecision) { console.log(`\nFAIL: strict micro precision ${f3(ms.precision)} < --min-precision ${opts.minPrecision}`); fail = true; }
process.exit(fail ? 1 : 0);
