#!/usr/bin/env node
// Prints check-digit-valid (and deliberately invalid) values for writing the held-out texts.
// The texts in src/ were written by hand; the numbers in them were produced with this tool and
// pasted in. build.mjs re-validates every labelled value, so the tool is a convenience only.
//
//   node tests/pii/holdout2/values.mjs [seed]                 pools of valid values and decoys
//   node tests/pii/holdout2/values.mjs rvnr 53 120384 K 12    RVNR for area/DDMMYY/letter/serial
//   node tests/pii/holdout2/values.mjs iban DE 35650000 1234567890
//   node tests/pii/holdout2/values.mjs mrz T22000129          ID/passport number + check digit
//   node tests/pii/holdout2/values.mjs vat 13669597           USt-IdNr for 8 digits
//   node tests/pii/holdout2/values.mjs taxid 3657426180       Steuer-IdNr for 10 digits

import * as C from './checks.mjs';

const [cmd, ...args] = process.argv.slice(2);

if (cmd === 'rvnr') {
  const [area, ddmmyy, letter, serial] = args;
  console.log(`${area} ${ddmmyy} ${letter} ${serial}${C.rvnrCheck(area, ddmmyy, letter, serial)}`);
  process.exit(0);
}
if (cmd === 'iban') { const v = C.makeIban(args[0], args.slice(1).join('')); console.log(v, '|', C.group4(v)); process.exit(0); }
if (cmd === 'mrz') { console.log(args[0] + C.mrzCheck(args[0])); process.exit(0); }
if (cmd === 'vat') { console.log('DE' + args[0] + C.mod1110Check(args[0])); process.exit(0); }
if (cmd === 'taxid') {
  if (!C.taxIdDigitRuleOk(args[0])) console.error('warning: digit rule violated');
  console.log(args[0] + C.mod1110Check(args[0])); process.exit(0);
}

// seeded PRNG (mulberry32)
let seed = Number(cmd ?? 20261127) >>> 0;
const rnd = () => { seed = (seed + 0x6d2b79f5) >>> 0; let t = seed; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];
const digits = (n) => Array.from({ length: n }, () => int(10)).join('');
const out = (title, list) => console.log(`\n# ${title}\n` + list.join('\n'));

const BLZ = ['35650000', '35450000', '35060190', '36050105', '37050198', '30050110', '44050199', '35050000',
  '36250000', '43050001', '50010517', '10010010', '37040044', '30060601', '35461106', '12030000',
  '43060967', '70020270', '10011001', '35660599', '32450000', '36020041'];
const ibans = [];
for (let i = 0; i < 24; i++) { const v = C.makeIban('DE', pick(BLZ) + digits(10)); ibans.push(i % 3 ? C.group4(v) : v); }
ibans.push(C.group4(C.makeIban('NL', pick(['INGB', 'ABNA', 'RABO']) + digits(10))));
ibans.push(C.group4(C.makeIban('AT', '20111' + digits(11))));
ibans.push(C.group4(C.makeIban('PL', digits(24))));
ibans.push(C.group4(C.makeIban('TR', '00062' + '0' + digits(16))));
ibans.push(C.group4(C.makeIban('IT', 'X' + '05428' + '11101' + digits(12))));
ibans.push(C.group4(C.makeIban('FR', '30006' + '00001' + digits(11) + digits(2))));
ibans.push(C.group4(C.makeIban('BE', digits(12))));
out('IBAN (valid)', ibans);
const badIbans = [];
for (let i = 0; i < 8; i++) {
  const v = C.makeIban('DE', pick(BLZ) + digits(10));
  let bad;
  do { const k = 4 + int(18); bad = v.slice(0, k) + String((+v[k] + 1 + int(8)) % 10) + v.slice(k + 1); } while (C.validIban(bad));
  badIbans.push(i % 2 ? C.group4(bad) : bad);
}
out('IBAN (invalid check)', badIbans);

const card = (prefix, len) => C.luhnComplete(prefix + digits(len - prefix.length - 1));
const fmt16 = (s, sep) => s.match(/.{4}/g).join(sep);
const cards = [];
for (let i = 0; i < 5; i++) cards.push(fmt16(card('4', 16), i % 2 ? '-' : ' '));
for (let i = 0; i < 4; i++) cards.push(fmt16(card(pick(['51', '52', '53', '54', '55', '2221', '2720', '2300']), 16), i % 2 ? ' ' : '-'));
for (let i = 0; i < 3; i++) { const s = card(pick(['34', '37']), 15); cards.push([s.slice(0, 4), s.slice(4, 10), s.slice(10)].join(i % 2 ? '-' : ' ')); }
cards.push(card('4', 16));
out('CREDIT_CARD (valid)', cards);
const badCards = [];
for (let i = 0; i < 5; i++) { const s = card(pick(['4', '53']), 16); const b = s.slice(0, 15) + ((+s[15] + 1 + int(8)) % 10); badCards.push(fmt16(b, ' ')); }
out('CREDIT_CARD (invalid Luhn)', badCards);
const imeis = [];
for (let i = 0; i < 4; i++) imeis.push(C.luhnComplete('35' + digits(12)));
out('IMEI (Luhn-valid, not a card)', imeis);

function taxId() {
  for (;;) {
    const s = String(1 + int(9)) + digits(9);
    if (C.taxIdDigitRuleOk(s) && !/(\d)\1\1/.test(s)) return s + C.mod1110Check(s);
  }
}
const taxIds = [];
for (let i = 0; i < 14; i++) { const s = taxId(); taxIds.push(i % 3 === 0 ? `${s.slice(0, 2)} ${s.slice(2, 5)} ${s.slice(5, 8)} ${s.slice(8)}` : s); }
out('TAX_ID (valid)', taxIds);
const badTax = [];
for (let i = 0; i < 4; i++) { const s = taxId(); badTax.push(s.slice(0, 10) + ((+s[10] + 1 + int(8)) % 10)); }
for (let i = 0; i < 3; i++) { for (;;) { const s = String(1 + int(9)) + digits(9); if (!C.taxIdDigitRuleOk(s)) { badTax.push(s + C.mod1110Check(s)); break; } } }
out('TAX_ID (invalid: check digit x4, digit rule x3)', badTax);

const vats = [];
for (let i = 0; i < 10; i++) { const s = String(1 + int(9)) + digits(7); const v = 'DE' + s + C.mod1110Check(s); vats.push(i % 3 === 2 ? `DE ${v.slice(2, 5)} ${v.slice(5, 8)} ${v.slice(8)}` : v); }
out('VAT_ID (valid)', vats);
const badVats = [];
for (let i = 0; i < 4; i++) { const s = String(1 + int(9)) + digits(7); badVats.push('DE' + s + ((C.mod1110Check(s) + 1 + int(8)) % 10)); }
out('VAT_ID (invalid)', badVats);

const LET = 'ABCDEFGHIJKLMNOPRSTUVWYZ';
const rv = [];
for (let i = 0; i < 10; i++) {
  const dd = String(1 + int(28)).padStart(2, '0'), mm = String(1 + int(12)).padStart(2, '0'), yy = String(40 + int(60)).padStart(2, '0');
  const area = pick(['12', '13', '15', '16', '17', '18', '19', '20', '21', '23', '24', '25', '26', '28', '29', '38', '39', '40', '42', '43', '44', '45', '48', '49', '50', '52', '53', '54', '55', '56', '57', '58', '59', '60', '61', '62', '63', '64', '65', '66', '67', '68', '69', '70', '71', '72', '73', '74', '75', '76', '77', '78', '79', '80', '81', '82', '89']);
  const l = pick(LET), sn = String(int(100)).padStart(2, '0');
  const v = `${area}${dd}${mm}${yy}${l}${sn}${C.rvnrCheck(area, dd + mm + yy, l, sn)}`;
  rv.push(i % 2 ? v : `${v.slice(0, 2)} ${v.slice(2, 8)} ${v.slice(8, 9)} ${v.slice(9)}`);
}
out('SOCIAL_SECURITY (valid; date = DDMMYY of birth, letter = birth surname initial)', rv);

const docNum = (firsts) => pick(firsts) + Array.from({ length: 8 }, () => pick(C.DOC_CHARS)).join('');
const ids = [];
for (let i = 0; i < 8; i++) { const s = docNum('LMNPRTVWXY'); ids.push(i % 2 ? s : s + C.mrzCheck(s)); }
out('ID_CARD (valid; 9 chars printed, 10 with MRZ check digit)', ids);
const pps = [];
for (let i = 0; i < 6; i++) { const s = docNum('CFGHJK'); pps.push(i % 2 ? s : s + C.mrzCheck(s)); }
out('PASSPORT (valid)', pps);
const badDocs = [];
for (let i = 0; i < 4; i++) { const s = docNum(i % 2 ? 'CFGHJK' : 'LMNPRTVWXY'); badDocs.push(s + ((C.mrzCheck(s) + 1 + int(8)) % 10)); }
out('ID_CARD/PASSPORT (invalid MRZ check digit)', badDocs);
