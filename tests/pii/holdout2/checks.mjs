// Check-digit algorithms for the held-out corpus, written from the published specifications
// (ISO 13616 / ISO 7064 MOD 97-10, ISO 7064 MOD 11,10, Luhn, DRV check digit, ICAO 9303 7-3-1).
// Validators and generators; built-ins only. Used by build.mjs (validation) and values.mjs
// (to produce the numbers pasted into the source texts).

const digitsOf = (s) => s.replace(/[\s-]/g, '');

// ---------------------------------------------------------------- IBAN (MOD 97-10)
export const IBAN_LENGTH = {
  DE: 22, AT: 20, NL: 18, FR: 27, PL: 28, BE: 16, IT: 27, ES: 24, CH: 21, LU: 20, TR: 26, GR: 27,
  HR: 21, RO: 24, PT: 25, DK: 18, CZ: 24, BG: 22, SI: 19, RS: 22, BA: 20, UA: 29, LT: 20, IE: 22,
};
const lettersToDigits = (s) => s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
function mod97(numeric) {
  let r = 0;
  for (const ch of numeric) r = (r * 10 + (ch.charCodeAt(0) - 48)) % 97;
  return r;
}
export function validIban(v) {
  const s = v.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  const len = IBAN_LENGTH[s.slice(0, 2)];
  if (!len || s.length !== len) return false;
  return mod97(lettersToDigits(s.slice(4) + s.slice(0, 4))) === 1;
}
export function makeIban(country, bban) {
  const r = mod97(lettersToDigits(bban + country + '00'));
  return country + String(98 - r).padStart(2, '0') + bban;
}
export const group4 = (s) => s.replace(/(.{4})/g, '$1 ').trim();

// ---------------------------------------------------------------- Luhn
export function luhnOk(num) {
  let sum = 0, dbl = false;
  for (let i = num.length - 1; i >= 0; i--) {
    let d = num.charCodeAt(i) - 48;
    if (dbl) { d *= 2; if (d > 9) d -= 9; }
    sum += d; dbl = !dbl;
  }
  return sum % 10 === 0;
}
export function validCard(v) {
  const s = digitsOf(v);
  if (!/^\d{13,19}$/.test(s)) return false;
  const visa = /^4/.test(s) && (s.length === 16 || s.length === 13 || s.length === 19);
  const mc = s.length === 16 && (/^5[1-5]/.test(s) || (+s.slice(0, 4) >= 2221 && +s.slice(0, 4) <= 2720));
  const amex = s.length === 15 && /^3[47]/.test(s);
  return (visa || mc || amex) && luhnOk(s);
}
export function luhnComplete(partial) {
  for (let c = 0; c < 10; c++) if (luhnOk(partial + c)) return partial + c;
  throw new Error('unreachable');
}

// ---------------------------------------------------------------- ISO 7064 MOD 11,10
export function mod1110Check(digits) {
  let p = 10;
  for (const ch of digits) {
    let s = (ch.charCodeAt(0) - 48 + p) % 10;
    if (s === 0) s = 10;
    p = (2 * s) % 11;
  }
  const c = 11 - p;
  return c === 10 ? 0 : c;
}

// Steuer-IdNr: 11 digits, first != 0; in digits 1-10 exactly one digit occurs 2 or 3 times,
// all others at most once; digit 11 = MOD 11,10 over digits 1-10.
export function taxIdDigitRuleOk(s10) {
  const counts = new Array(10).fill(0);
  for (const ch of s10) counts[ch.charCodeAt(0) - 48]++;
  const multi = counts.filter((c) => c > 1);
  return multi.length === 1 && (multi[0] === 2 || multi[0] === 3) && counts.every((c) => c <= 3);
}
export function validTaxId(v) {
  const s = digitsOf(v);
  if (!/^[1-9]\d{10}$/.test(s)) return false;
  return taxIdDigitRuleOk(s.slice(0, 10)) && mod1110Check(s.slice(0, 10)) === +s[10];
}

// USt-IdNr: DE + 9 digits, first != 0, digit 9 = MOD 11,10 over digits 1-8.
export function validVatId(v) {
  const s = v.replace(/\s/g, '');
  const m = /^DE([1-9]\d{8})$/.exec(s);
  return !!m && mod1110Check(m[1].slice(0, 8)) === +m[1][8];
}

// ---------------------------------------------------------------- Rentenversicherungsnummer
// BB DDMMYY L SS P: letter -> two digits (A=01), weights 2,1,2,5,7,1,2,1,2,1,2,1 over the 12
// digits, sum of the digit sums of the products, mod 10.
const RV_W = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
export function rvnrCheck(area, ddmmyy, letter, serial) {
  const d12 = area + ddmmyy + String(letter.charCodeAt(0) - 64).padStart(2, '0') + serial;
  let sum = 0;
  for (let i = 0; i < 12; i++) { const p = (d12.charCodeAt(i) - 48) * RV_W[i]; sum += Math.floor(p / 10) + (p % 10); }
  return sum % 10;
}
export function parseRvnr(v) {
  const s = v.replace(/\s/g, '');
  const m = /^(\d{2})(\d{6})([A-Z])(\d{2})(\d)$/.exec(s);
  if (!m) return null;
  return { area: m[1], ddmmyy: m[2], letter: m[3], serial: m[4], check: +m[5] };
}
export function validRvnr(v) {
  const p = parseRvnr(v);
  if (!p) return false;
  const dd = +p.ddmmyy.slice(0, 2) % 50, mm = +p.ddmmyy.slice(2, 4);
  if (dd < 1 || dd > 31 || mm < 1 || mm > 12) return false;
  return rvnrCheck(p.area, p.ddmmyy, p.letter, p.serial) === p.check;
}

// ---------------------------------------------------------------- ID card / passport (ICAO 9303)
export const DOC_CHARS = '0123456789CFGHJKLMNPRTVWXYZ';
const mrzVal = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c === '<' ? 0 : c.charCodeAt(0) - 55);
export function mrzCheck(s) {
  const w = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += mrzVal(s[i]) * w[i % 3];
  return sum % 10;
}
function validDoc(v, firsts) {
  if (!/^[0-9CFGHJKLMNPRTVWXYZ]{9}\d?$/.test(v) || !firsts.includes(v[0])) return false;
  return v.length === 9 || mrzCheck(v.slice(0, 9)) === +v[9];
}
export const validIdCard = (v) => validDoc(v, 'LMNPRTVWXY');
export const validPassport = (v) => validDoc(v, 'CFGHJK');
// a 10-character document number whose 10th character is not the check digit (hard negative)
export function invalidDocMrz(v) {
  return /^[0-9CFGHJKLMNPRTVWXYZ]{9}\d$/.test(v) && mrzCheck(v.slice(0, 9)) !== +v[9];
}

// ---------------------------------------------------------------- BIC (format + ISO country)
const COUNTRIES = new Set(('AD AE AT AU BA BE BG BR CA CH CN CY CZ DE DK EE ES FI FR GB GR HR HU IE IL IN IS IT JP '
  + 'LI LT LU LV MA MC MT MX NL NO NZ PL PT RO RS RU SE SG SI SK SM TN TR UA US VN XK ZA').split(' '));
export function validBic(v) {
  return /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(v) && COUNTRIES.has(v.slice(4, 6));
}

// ---------------------------------------------------------------- registry used by build.mjs
// For each checksummed type: does a value pass? A labelled value must pass; a decoy
// ([[~TYPE|value]], inserted unlabelled) must fail.
export const CHECKSUMMED = {
  IBAN: validIban,
  CREDIT_CARD: validCard,
  TAX_ID: validTaxId,
  VAT_ID: validVatId,
  SOCIAL_SECURITY: validRvnr,
  ID_CARD: validIdCard,
  PASSPORT: validPassport,
  BIC: validBic,
};
// decoys of ID_CARD/PASSPORT are judged on the MRZ check digit only (charset and first letter may be right)
export const DECOY_CHECK = {
  ...CHECKSUMMED,
  ID_CARD: (v) => !invalidDocMrz(v),
  PASSPORT: (v) => !invalidDocMrz(v),
  CREDIT_CARD: (v) => luhnOk(digitsOf(v)) && /^\d{13,19}$/.test(digitsOf(v)),
  IBAN: (v) => { const s = v.replace(/\s/g, '').toUpperCase(); return /^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s) && mod97(lettersToDigits(s.slice(4) + s.slice(0, 4))) === 1; },
};
