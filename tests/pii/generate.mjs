#!/usr/bin/env node
// Generates tests/pii/corpus.jsonl: a labelled German evaluation corpus for the
// personal-data detector. Deterministic (seeded PRNG), Node.js built-ins only.
//
//   node tests/pii/generate.mjs [--out FILE] [--seed N] [--check]
//
// Each line: {"id","domain","text","entities":[{"type","start","end"}]} with
// start/end as UTF-8 byte offsets into text, end exclusive. The span is the value
// only (never the label or cue before it). See README.md for the conventions.

import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const HERE = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const argOf = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const OUT = argOf('--out', join(HERE, 'corpus.jsonl'));
const SEED = Number(argOf('--seed', '20260517'));
const CHECK_ONLY = args.includes('--check'); // compare with the existing file, do not write

// ---------------------------------------------------------------------------
// PRNG and helpers
// ---------------------------------------------------------------------------
function mulberry32(a) {
  return function () {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = mulberry32(SEED);
const int = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const chance = (p) => rnd() < p;
const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
const pad = (n, w = 2) => String(n).padStart(w, '0');
function shuffle(arr) {
  const a = arr.slice();
  for (let i = a.length - 1; i > 0; i--) { const j = int(0, i); [a[i], a[j]] = [a[j], a[i]]; }
  return a;
}
function weighted(pairs) { // [[value, weight], ...]
  const total = pairs.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [v, w] of pairs) { if ((x -= w) < 0) return v; }
  return pairs[pairs.length - 1][0];
}
const charsFrom = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');
const B62 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const UPPER = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];

// ---------------------------------------------------------------------------
// Text building: tagged templates that track entity spans
// ---------------------------------------------------------------------------
const ENT = Symbol('ent');
const FRAG = Symbol('frag');
const ent = (type, value) => ({ [ENT]: true, type, value: String(value) });

function append(acc, v) {
  if (v == null || v === false || v === '') return;
  if (Array.isArray(v)) { for (const x of v) append(acc, x); return; }
  if (v[ENT]) {
    acc.ents.push({ type: v.type, cs: acc.text.length, ce: acc.text.length + v.value.length, value: v.value });
    acc.text += v.value;
    return;
  }
  if (v[FRAG]) {
    for (const e of v.ents) acc.ents.push({ ...e, cs: e.cs + acc.text.length, ce: e.ce + acc.text.length });
    acc.text += v.text;
    return;
  }
  acc.text += String(v);
}
// T`text ${ent(...)} ${T`nested`} ${'plain'}`
function T(strings, ...vals) {
  const acc = { [FRAG]: true, text: '', ents: [] };
  strings.forEach((s, i) => { acc.text += s; if (i < vals.length) append(acc, vals[i]); });
  return acc;
}
// join parts (strings, entities, fragments) with a separator
function J(sep, ...parts) {
  const acc = { [FRAG]: true, text: '', ents: [] };
  let first = true;
  for (const p of parts.flat()) {
    if (p == null || p === false || p === '') continue;
    if (!first) acc.text += sep;
    if (p !== BL) append(acc, p);
    first = false;
  }
  return acc;
}
const L = (...parts) => J('\n', ...parts); // lines
const BL = Object.freeze({ blank: true }); // an empty line inside L(...)
const opt = (p, v) => (chance(p) ? (typeof v === 'function' ? v() : v) : '');

// ---------------------------------------------------------------------------
// Names (written for this corpus; mixed origins)
// ---------------------------------------------------------------------------
const NAMES = {
  de: {
    f: ['Anna', 'Maria', 'Ursula', 'Sabine', 'Petra', 'Claudia', 'Monika', 'Andrea', 'Stefanie', 'Julia',
      'Katharina', 'Lena', 'Laura', 'Sophie', 'Marie', 'Hannelore', 'Gisela', 'Brigitte', 'Karin', 'Heike',
      'Birgit', 'Nicole', 'Sandra', 'Jessica', 'Lea', 'Mia', 'Emma', 'Hanna', 'Anna-Lena', 'Marlene',
      'Jutta', 'Ingrid', 'Elke', 'Renate', 'Sanne', 'Femke'],
    m: ['Thomas', 'Michael', 'Andreas', 'Stefan', 'Frank', 'Jürgen', 'Klaus', 'Peter', 'Hans-Peter', 'Wolfgang',
      'Dieter', 'Uwe', 'Markus', 'Christian', 'Tobias', 'Jan', 'Lukas', 'Felix', 'Jonas', 'Leon',
      'Maximilian', 'Paul', 'Karl-Heinz', 'Günter', 'Horst', 'Matthias', 'Sebastian', 'Björn', 'Jörg', 'Heinz',
      'Joost', 'Pieter'],
    s: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
      'Koch', 'Richter', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann',
      'Hartmann', 'Lange', 'Schmitt', 'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Schulze', 'Maier',
      'Köhler', 'Herrmann', 'König', 'Walter', 'Huber', 'Kaiser', 'Fuchs', 'Peters', 'Scholz', 'Möller',
      'Weiß', 'Jung', 'Hahn', 'Schubert', 'Vogel', 'Friedrich', 'Keller', 'Günther', 'Berger', 'Winkler',
      'Roth', 'Beck', 'Lorenz', 'Baumann', 'Franke', 'Albrecht', 'Schuster', 'Ludwig', 'Böhm', 'Winter',
      'Kraus', 'Schumacher', 'Krämer', 'Vogt', 'Stein', 'Jäger', 'Sommer', 'Groß', 'Seidel', 'Brandt',
      'Haas', 'Schreiber', 'Graf', 'Dietrich', 'Ziegler', 'Kühn', 'Pohl', 'Engel', 'Horn', 'Busch',
      'Bergmann', 'Voigt', 'Sauer', 'Arnold', 'Pfeiffer', 'Berg', 'Terhorst', 'Hülsmann', 'Tenbrink', 'Janßen',
      'Verhoeven', 'Heßling', 'Brüggemann', 'Büttner', 'Kötter', 'Overkamp', 'Döring', 'Bauer', 'Lüdeke',
      'Schulte-Wieskamp', 'Müller-Lüdenscheidt', 'Jansen', 'Bakker', 'Visser',
      'van der Berg', 'van den Boom', 'ter Horst', 'van Dijk', 'de Vries', 'von Alten', 'von der Heyden',
      'van Aken', 'op den Camp', 'zur Nieden', 'de Jong'],
  },
  tr: {
    f: ['Ayşe', 'Fatma', 'Emine', 'Hatice', 'Zeynep', 'Elif', 'Gül', 'Çağla', 'Yıldız', 'Merve', 'Büşra', 'Gülşen'],
    m: ['Mehmet', 'Mustafa', 'Ahmet', 'Ömer', 'İbrahim', 'Hüseyin', 'Emre', 'Murat', 'Şükrü', 'Kemal', 'Ercan', 'İsmail'],
    s: ['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldırım', 'Öztürk', 'Aydın', 'Özdemir', 'Arslan',
      'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Koç', 'Kurt', 'Özkan', 'Şimşek', 'Güneş', 'Ağaoğlu', 'Uğurlu'],
  },
  pl: {
    f: ['Małgorzata', 'Agnieszka', 'Katarzyna', 'Żaneta', 'Joanna', 'Magdalena', 'Ewa', 'Beata'],
    m: ['Łukasz', 'Paweł', 'Krzysztof', 'Wojciech', 'Piotr', 'Tomasz', 'Jarosław', 'Michał'],
    s: ['Kowalski/Kowalska', 'Nowak', 'Wiśniewski/Wiśniewska', 'Wójcik', 'Kamiński/Kamińska', 'Lewandowski/Lewandowska',
      'Zieliński/Zielińska', 'Szymański/Szymańska', 'Woźniak', 'Dąbrowski/Dąbrowska', 'Kozłowski/Kozłowska',
      'Mazur', 'Jankowski/Jankowska', 'Ćwikła', 'Żak', 'Sobczak', 'Łuczak', 'Król'],
  },
  ar: {
    f: ['Fatima', 'Aisha', 'Layla', 'Rana', 'Noor', 'Mariam', 'Samira', 'Yasmin', 'Huda'],
    m: ['Mohammed', 'Ahmad', 'Omar', 'Khalid', 'Yusuf', 'Hassan', 'Ali', 'Mahmoud', 'Tarek', 'Bilal', 'Karim'],
    s: ['Al-Hassan', 'Al-Masri', 'Haddad', 'Khalil', 'Nasser', 'Abdullah', 'Mansour', 'Saleh', 'El-Amin',
      'Ibrahim', 'Hamdan', 'Kassem', 'Al-Khatib', 'Darwish', 'Suleiman', 'Abu-Saif', 'Othman'],
  },
  yu: {
    f: ['Milica', 'Amra', 'Jasmina', 'Ivana', 'Mirela', 'Dragana', 'Selma', 'Snežana'],
    m: ['Dragan', 'Emir', 'Đorđe', 'Nikola', 'Zoran', 'Edin', 'Goran', 'Miloš', 'Dževad'],
    s: ['Đorđević', 'Kovačević', 'Hodžić', 'Petrović', 'Jovanović', 'Nikolić', 'Babić', 'Horvat', 'Marić',
      'Begić', 'Hadžić', 'Delić', 'Šarić', 'Mehmedović', 'Popović', 'Knežević', 'Čolić', 'Žigić'],
  },
  ru: {
    f: ['Olga', 'Natalja', 'Tatjana', 'Jelena', 'Oksana', 'Swetlana', 'Irina', 'Ljudmila', 'Walentina', 'Anastasija'],
    m: ['Sergej', 'Wladimir', 'Dmitrij', 'Jewgenij', 'Andrej', 'Juri', 'Alexej', 'Nikolai', 'Wiktor', 'Oleksandr', 'Bogdan'],
    s: ['Iwanow/Iwanowa', 'Petrow/Petrowa', 'Smirnow/Smirnowa', 'Kusnezow/Kusnezowa', 'Popow/Popowa',
      'Sokolow/Sokolowa', 'Wolkow/Wolkowa', 'Schewtschenko', 'Bondarenko', 'Kowalenko', 'Tkatschenko',
      'Melnyk', 'Krawtschenko', 'Morosow/Morosowa', 'Lebedew/Lebedewa', 'Fedorow/Fedorowa', 'Kowaltschuk', 'Boiko'],
  },
  it: {
    f: ['Francesca', 'Giulia', 'Chiara', 'Alessandra', 'Giovanna', 'Rosa'],
    m: ['Giuseppe', 'Marco', 'Alessandro', 'Lorenzo', 'Salvatore', 'Antonio', 'Vincenzo'],
    s: ['Rossi', 'Russo', 'Esposito', 'Bianchi', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'De Luca',
      "D'Angelo", 'Gallo', 'Conti', 'Costa', 'Lo Bianco'],
  },
  gr: {
    f: ['Eleni', 'Sofia', 'Katerina', 'Dimitra', 'Georgia', 'Vasiliki'],
    m: ['Dimitrios', 'Konstantinos', 'Georgios', 'Ioannis', 'Nikolaos', 'Christos'],
    s: ['Papadopoulos/Papadopoulou', 'Georgiou', 'Nikolaidis/Nikolaidou', 'Karagiannis/Karagianni', 'Oikonomou',
      'Vasileiou', 'Christodoulou', 'Papageorgiou', 'Dimitriou', 'Antoniou', 'Alexiou', 'Makris/Makri'],
  },
};
const KIDS = { // first names of children born after 2005
  f: ['Emma', 'Mia', 'Hannah', 'Emilia', 'Lina', 'Ella', 'Mila', 'Clara', 'Lea', 'Marie', 'Ida', 'Frieda', 'Lotta', 'Nele', 'Sophie'],
  m: ['Leon', 'Noah', 'Ben', 'Finn', 'Elias', 'Paul', 'Luis', 'Felix', 'Jonas', 'Mats', 'Emil', 'Theo', 'Henry', 'Luca', 'Milan'],
};
const ORIGINS = [['de', 48], ['tr', 12], ['pl', 8], ['ar', 9], ['yu', 7], ['ru', 8], ['it', 4], ['gr', 4]];

// Common-noun surnames that appear uncued as ordinary words in hard negatives.
const NOUN_SURNAMES = ['Koch', 'Richter', 'Wolf', 'Bauer', 'Fischer', 'Schneider', 'Weber', 'Schäfer', 'Jäger', 'Vogel'];

const TRANSLIT = {
  ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss', ı: 'i', İ: 'I', ş: 's', Ş: 'S', ç: 'c', Ç: 'C',
  ğ: 'g', ł: 'l', Ł: 'L', đ: 'dj', Đ: 'Dj', ż: 'z', Ż: 'Z', ź: 'z', ś: 's', ć: 'c', Ć: 'C', ń: 'n', ó: 'o',
  ą: 'a', ę: 'e', č: 'c', Č: 'C', ž: 'z', Ž: 'Z', š: 's', Š: 'S',
};
const ascii = (s) => [...s].map((c) => TRANSLIT[c] ?? c).join('').normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const mailPart = (s) => ascii(s).toLowerCase().replace(/['\s]/g, '');

function surnameFor(entry, gender) {
  if (!entry.includes('/')) return entry;
  const [m, f] = entry.split('/');
  return gender === 'f' ? f : m;
}

function person(o = {}) {
  const origin = o.origin ?? weighted(ORIGINS);
  const gender = o.gender ?? (chance(0.5) ? 'f' : 'm');
  const first = o.child && origin === 'de' ? pick(KIDS[gender]) : pick(NAMES[origin][gender]);
  const sOrigin = chance(0.9) ? origin : weighted(ORIGINS);
  const entry = o.entry ?? pick(NAMES[sOrigin].s);
  let last = surnameFor(entry, gender);
  if (o.entry) { /* relative: same surname */ }
  else if (chance(0.04) && !last.includes(' ') && !last.includes('-')) {
    const second = NAMES[weighted(ORIGINS)].s.filter((x) => !/[ '-]/.test(x));
    last = `${last}-${surnameFor(pick(second), gender)}`;
  }
  const f = gender === 'f';
  return {
    first, last, gender, origin, entry: o.entry ?? (last.includes('-') && !entry.includes('-') ? last : entry),
    full: `${first} ${last}`,
    herr: f ? 'Frau' : 'Herr',
    herrn: f ? 'Frau' : 'Herrn',
    geehrt: f ? 'Sehr geehrte Frau' : 'Sehr geehrter Herr',
    er: f ? 'sie' : 'er', Er: f ? 'Sie' : 'Er', sein: f ? 'ihr' : 'sein', Sein: f ? 'Ihr' : 'Sein',
    seine: f ? 'ihre' : 'seine', ihm: f ? 'ihr' : 'ihm',
    der: f ? 'die' : 'der', Der: f ? 'Die' : 'Der',
    in: f ? 'in' : '', // Antragsteller|in
    title: chance(0.08) ? 'Dr. ' : '',
  };
}
const N = (s) => ent('PERSON', s);
const NF = (p) => N(p.full);
const NL = (p) => N(p.last);
const NC = (p) => N(`${p.last}, ${p.first}`); // "Nachname, Vorname"
// "Frau Berg" / "Herrn Dr. Berg" (honorific outside the span)
const HL = (p, dative = false) => T`${dative ? p.herrn : p.herr} ${p.title}${NL(p)}`;
const HF = (p, dative = false) => T`${dative ? p.herrn : p.herr} ${p.title}${NF(p)}`;

// ---------------------------------------------------------------------------
// Places, streets, offices
// ---------------------------------------------------------------------------
const CITIES = [
  ['46483', 'Wesel'], ['46485', 'Wesel'], ['46487', 'Wesel'], ['46499', 'Hamminkeln'], ['46509', 'Xanten'],
  ['47441', 'Moers'], ['47443', 'Moers'], ['47051', 'Duisburg'], ['47058', 'Duisburg'], ['47166', 'Duisburg'],
  ['46535', 'Dinslaken'], ['46562', 'Voerde (Niederrhein)'], ['47475', 'Kamp-Lintfort'], ['47495', 'Rheinberg'],
  ['46514', 'Schermbeck'], ['46569', 'Hünxe'], ['40213', 'Düsseldorf'], ['50667', 'Köln'], ['45127', 'Essen'],
  ['46395', 'Bocholt'], ['46446', 'Emmerich am Rhein'], ['47533', 'Kleve'], ['47506', 'Neukirchen-Vluyn'],
  ['47665', 'Sonsbeck'], ['46519', 'Alpen'], ['45468', 'Mülheim an der Ruhr'], ['46045', 'Oberhausen'],
  ['44135', 'Dortmund'], ['10115', 'Berlin'], ['80331', 'München'], ['01067', 'Dresden'],
];
const STREETS = [
  'Reeser Landstraße', 'Am Markt', 'Konrad-Adenauer-Str.', 'Hauptstraße', 'Bahnhofstr.', 'Kirchplatz',
  'Am Lippeglacis', 'Großer Markt', 'Weseler Straße', 'Schillerstraße', 'Goethestr.', 'Friedrich-Ebert-Straße',
  'An der Zitadelle', 'Auf dem Mars', 'Im Winkel', 'Dinslakener Straße', 'Brüner Landstraße', 'Hamminkelner Weg',
  'Bislicher Straße', 'Münsterplatz', 'Rheinallee', 'Sonsbecker Str.', 'Mühlenweg', 'Zum Schwarzen Wasser',
  'Lindenallee', 'Ückendorfer Straße', 'Gartenstraße', 'Poststr.', 'Kurfürstenring', 'Hohe Straße',
  'Pastor-Bölitz-Str.', 'Flürener Weg', 'Schermbecker Landstraße', 'Ringstraße', 'Wilhelm-Ziegler-Straße',
  'Feldmark', 'Am Blaufuß', 'Kreuzstraße', 'Bergstraße', 'Sandweg', 'Römerstraße', 'Auf der Höhe',
  'Ährenweg', 'Grüner Weg', 'Dorfstraße', 'Eichenallee', 'Breite Straße', 'Im Schlag', 'Kastell',
  'Willy-Brandt-Platz', 'Heinrich-Heine-Straße', 'Xantener Str.', 'Rosenstraße', 'Am Fischtor', 'Burgstr.',
];
const houseNo = () => weighted([
  [() => String(int(1, 180)), 70], [() => `${int(1, 90)}${pick(['a', 'b', 'c'])}`, 12],
  [() => `${int(1, 40)} ${pick(['a', 'b'])}`, 4], [() => { const a = int(1, 60); return `${a}-${a + pick([1, 2, 4])}`; }, 8],
  [() => `${int(1, 60)}–${int(61, 70)}`, 1],
])();
function street() { return pick(STREETS); }
function city() { return pick(CITIES); }
// ADDRESS entity. mode: 'inline' ("Str. 1, 12345 Ort"), 'block' ("Str. 1\n12345 Ort"), 'street' ("Str. 1")
function addr(mode) {
  const m = mode ?? weighted([['inline', 55], ['street', 25], ['block', 20]]);
  const [plz, ort] = city();
  const s = `${street()} ${houseNo()}`;
  if (m === 'street') return ent('ADDRESS', s);
  if (m === 'block') return ent('ADDRESS', `${s}\n${plz} ${ort}`);
  return ent('ADDRESS', `${s}, ${plz} ${ort}`);
}

const OFFICES = [
  { org: 'Kreis Wesel', unit: 'Fachdienst 50 – Soziales', dom: 'kreis-wesel.de', ac: '0281', sub: '207' },
  { org: 'Kreis Wesel', unit: 'Fachdienst 36 – Straßenverkehr', dom: 'kreis-wesel.de', ac: '0281', sub: '207' },
  { org: 'Kreis Wesel', unit: 'Fachdienst 53 – Gesundheitswesen', dom: 'kreis-wesel.de', ac: '0281', sub: '207' },
  { org: 'Stadt Wesel', unit: 'Team Bauordnung', dom: 'wesel.de', ac: '0281', sub: '203' },
  { org: 'Stadt Moers', unit: 'Fachbereich Jugend', dom: 'moers.de', ac: '02841', sub: '201' },
  { org: 'Stadt Duisburg', unit: 'Amt für Soziales und Wohnen', dom: 'stadt-duisburg.de', ac: '0203', sub: '283' },
  { org: 'Stadt Xanten', unit: 'Bürgerbüro', dom: 'xanten.de', ac: '02801', sub: '772' },
  { org: 'Stadt Hamminkeln', unit: 'Ordnungsamt', dom: 'hamminkeln.de', ac: '02852', sub: '88' },
  { org: 'Stadt Dinslaken', unit: 'Fachdienst Personal', dom: 'dinslaken.de', ac: '02064', sub: '66' },
  { org: 'Stadt Kamp-Lintfort', unit: 'Fachbereich Bauen und Umwelt', dom: 'kamp-lintfort.de', ac: '02842', sub: '912' },
];
const office = () => pick(OFFICES);

// ---------------------------------------------------------------------------
// Value generators (positives return entities, *Bad/neg* return plain strings)
// ---------------------------------------------------------------------------
const MAIL_DOMS = ['gmx.de', 'web.de', 't-online.de', 'gmail.com', 'outlook.de', 'posteo.de', 'freenet.de',
  'icloud.com', 'yahoo.de', 'mailbox.org', 'gmx.net', 'arcor.de', 'hotmail.com', 'online.de'];
function emailFor(p, dom) {
  const f = mailPart(p.first), l = mailPart(p.last);
  const d = dom ?? pick(MAIL_DOMS);
  const local = dom ? pick([`${f}.${l}`, `${f}.${l}`, `${f[0]}.${l}`, `${l}.${f}`])
    : weighted([[`${f}.${l}`, 30], [`${f[0]}${l}`, 10], [`${l}.${f}`, 8], [`${f}${l}${int(60, 99)}`, 10],
      [`${f}_${l}`, 6], [`${f}.${l}+${pick(['amt', 'wohngeld', 'behoerde'])}`, 3], [`${l}-${f}`, 5], [`${f}${int(1, 999)}`, 8]]);
  const v = chance(0.05) ? local.replace(/^./, (c) => c.toUpperCase()) : local;
  return ent('EMAIL', `${v}@${d}`);
}
const funcMail = (o) => ent('EMAIL', `${pick(['poststelle', 'info', 'buergerbuero', 'service', 'kontakt', 'post'])}@${o.dom}`);

const AREA = ['0281', '0203', '02841', '0211', '030', '089', '040', '0221', '02801', '02852', '0201', '02064',
  '02842', '02802', '02855', '0208', '02871', '02821', '0231'];
const MOBILE = ['0151', '0152', '0157', '0160', '0162', '0163', '0170', '0171', '0172', '0173', '0175', '0176', '0177', '0178', '0179', '0159'];
function phoneStr(kind) {
  const k = kind ?? weighted([['land', 60], ['mobile', 40]]);
  if (k === 'mobile') {
    const pre = pick(MOBILE), rest = digits(pre === '0176' || pre === '0179' ? 8 : pick([7, 8]));
    const nat = pre.slice(1);
    return weighted([
      [`${pre} ${rest}`, 30], [`${pre}/${rest}`, 10], [`${pre}-${rest}`, 8], [`+49 ${nat} ${rest}`, 20],
      [`0049 ${nat} ${rest}`, 4], [`+49 (0)${nat} ${rest}`, 5], [`${pre} ${rest.slice(0, 3)} ${rest.slice(3)}`, 8],
      [`+49${nat}${rest}`, 5], [`(${pre}) ${rest}`, 4],
    ]);
  }
  const ac = pick(AREA), nat = ac.slice(1);
  // national significant number (area code without 0 + subscriber + extension): 7 to 11 digits
  const sub = digits(ac.length >= 5 ? int(3, 4) : int(3, 5)).replace(/^0/, String(int(1, 9)));
  const room = 11 - nat.length - sub.length;
  const ext = (room >= 2 && chance(0.8)) || nat.length + sub.length < 6 ? digits(int(Math.max(1, 7 - nat.length - sub.length), Math.min(4, room))) : '0';
  const full = `${sub}${ext}`;
  return weighted([
    [`${ac} ${sub}-${ext}`, 20], [`${ac}/${full}`, 12], [`(${ac}) ${full}`, 8], [`+49 ${nat} ${full}`, 12],
    [`+49 (0)${nat} ${sub}-${ext}`, 8], [`0049 ${nat} ${full}`, 4], [`${ac} ${full}`, 10], [`+49 ${nat} ${sub}-${ext}`, 8],
    [`${ac}-${full}`, 6], [`${ac} ${full.replace(/(\d\d)(?=\d)/g, '$1 ')}`, 5], [`${ac} / ${full}`, 3],
  ]);
}
const phone = (kind) => ent('PHONE', phoneStr(kind));
// phone at an office: area code and exchange fixed, extension varies
const officePhone = (o) => ent('PHONE', weighted([
  [`${o.ac} ${o.sub}-${digits(int(3, 4)).replace(/^0/, '2')}`, 50],
  [`+49 ${o.ac.slice(1)} ${o.sub}-${digits(4).replace(/^0/, '4')}`, 25],
  [`${o.ac}/${o.sub}${digits(4).replace(/^0/, '3')}`, 15],
  [`+49 (0)${o.ac.slice(1)} ${o.sub}-${digits(3).replace(/^0/, '5')}`, 10],
]));

// --- IBAN ---
const mod97 = (s) => { let r = 0; for (const c of s) r = (r * 10 + Number(c)) % 97; return r; };
const ibanNumeric = (s) => s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
const ibanValid = (iban) => mod97(ibanNumeric(iban.slice(4) + iban.slice(0, 4))) === 1;
function makeIban(cc, bban) {
  const chk = 98 - mod97(ibanNumeric(bban + cc + '00'));
  return `${cc}${pad(chk)}${bban}`;
}
const BLZ = ['35650000', '35450000', '37040044', '10010010', '50010517', '12030000', '35060190', '35461106',
  '30050110', '36050105', '35660599', '35050000', '35850000', '30060601', '43060967', '70020270', '20041111',
  '50070024', '35640064', '35261380'];
function frRib(bank, branch, acct) {
  const k = 97 - Number((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(acct)) % 97n);
  return pad(k);
}
function ibanRaw(cc) {
  const c = cc ?? weighted([['DE', 75], ['AT', 6], ['NL', 8], ['FR', 5], ['PL', 6]]);
  if (c === 'DE') return makeIban('DE', (chance(0.7) ? pick(BLZ) : String(int(1, 8)) + digits(7)) + digits(10));
  if (c === 'AT') return makeIban('AT', String(int(1, 6)) + digits(4) + digits(11));
  if (c === 'NL') return makeIban('NL', pick(['ABNA', 'INGB', 'RABO', 'SNSB', 'TRIO']) + digits(10));
  if (c === 'FR') { const b = digits(5), br = digits(5), a = digits(11); return makeIban('FR', b + br + a + frRib(b, br, a)); }
  return makeIban('PL', String(int(1, 9)) + digits(7) + digits(16));
}
const group4 = (s) => s.replace(/(.{4})(?=.)/g, '$1 ');
const fmtIban = (raw) => (chance(0.7) ? group4(raw) : raw);
const iban = (cc) => ent('IBAN', fmtIban(ibanRaw(cc)));
function ibanBad(cc) { // same shape, failing mod 97
  const raw = ibanRaw(cc);
  for (;;) {
    const i = int(2, raw.length - 1);
    if (!/\d/.test(raw[i])) continue;
    const bad = raw.slice(0, i) + String((Number(raw[i]) + int(1, 9)) % 10) + raw.slice(i + 1);
    if (!ibanValid(bad)) return fmtIban(bad);
  }
}

// --- BIC ---
const BIC_DE = ['COBADEFFXXX', 'DEUTDEDBXXX', 'WELADED1WES', 'WELADED1MOR', 'GENODED1NRH', 'INGDDEFFXXX',
  'PBNKDEFFXXX', 'DEUTDEDBDUE', 'WELADEDDXXX', 'SPMHDE3EXXX', 'GENODEM1GLS', 'BYLADEM1001', 'NOLADE21SHO',
  'HYVEDEMMXXX', 'DUISDE33XXX', 'WELADED1DIN', 'GENODED1VRR', 'BFSWDE33XXX', 'DRESDEFFXXX', 'SOLADEST600'];
const BIC_X = { AT: ['BKAUATWWXXX', 'RZOOAT2L', 'GIBAATWWXXX'], NL: ['ABNANL2A', 'INGBNL2A', 'RABONL2U'],
  FR: ['BNPAFRPPXXX', 'SOGEFRPP', 'AGRIFRPP'], PL: ['PKOPPLPW', 'BPKOPLPW', 'INGBPLPW'] };
function bic(cc = 'DE') {
  if (cc !== 'DE') return ent('BIC', pick(BIC_X[cc]));
  if (chance(0.8)) return ent('BIC', pick(BIC_DE));
  const v = `${charsFrom(UPPER, 4)}DE${pick(['FF', 'DD', 'D1', 'M1', '33', '2A', 'HH', 'MM'])}`;
  return ent('BIC', chance(0.5) ? v : v + pick(['XXX', charsFrom(UPPER, 3)]));
}
// IBAN + BIC of matching country
function bank(cc) {
  const c = cc ?? weighted([['DE', 80], ['AT', 5], ['NL', 7], ['FR', 4], ['PL', 4]]);
  return { iban: iban(c), bic: bic(c) };
}

// --- credit cards (Luhn) ---
function luhnDigit(body) {
  let sum = 0;
  const ds = body.split('').reverse().map(Number);
  ds.forEach((d, i) => { if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; } sum += d; });
  return String((10 - (sum % 10)) % 10);
}
const luhnValid = (num) => luhnDigit(num.slice(0, -1)) === num.slice(-1);
function cardRaw(kind) {
  const k = kind ?? weighted([['visa', 45], ['mc', 40], ['amex', 15]]);
  let body;
  if (k === 'visa') body = '4' + digits(14);
  else if (k === 'mc') body = (chance(0.8) ? String(int(51, 55)) : String(int(2221, 2720))) + digits(0);
  else body = pick(['34', '37']) + digits(12);
  if (k === 'mc') body += digits(15 - body.length);
  return body + luhnDigit(body);
}
function fmtCard(num) {
  const sep = chance(0.7) ? ' ' : '-';
  if (num.length === 15) return [num.slice(0, 4), num.slice(4, 10), num.slice(10)].join(sep);
  return num.match(/.{4}/g).join(sep);
}
const card = (kind) => ent('CREDIT_CARD', fmtCard(cardRaw(kind)));
function cardBad() {
  const n = cardRaw();
  const last = String((Number(n.slice(-1)) + int(1, 9)) % 10);
  return fmtCard(n.slice(0, -1) + last);
}
function imei() { // Luhn-valid 15 digits, TAC prefix typical for phones
  const body = pick(['35', '86', '35', '01']) + digits(12);
  const n = body + luhnDigit(body);
  return chance(0.6) ? n : `${n.slice(0, 2)} ${n.slice(2, 8)} ${n.slice(8, 14)} ${n.slice(14)}`;
}

// --- Steuer-IdNr / USt-IdNr (ISO 7064 MOD 11,10) ---
function mod1110(ds) {
  let p = 10;
  for (const d of ds) { let s = (d + p) % 10; if (s === 0) s = 10; p = (2 * s) % 11; }
  const c = 11 - p;
  return c === 10 ? 0 : c;
}
function taxIdRaw() {
  for (;;) {
    const rep = chance(0.75) ? 2 : 3;
    const pool = shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const arr = shuffle([...Array(rep).fill(pool[0]), ...pool.slice(1, 11 - rep)]);
    if (arr[0] === 0) continue;
    if (rep === 3 && arr.some((d, i) => i >= 2 && d === arr[i - 1] && d === arr[i - 2])) continue;
    return arr.join('') + mod1110(arr);
  }
}
const fmtTax = (s) => (chance(0.6) ? s : `${s.slice(0, 2)} ${s.slice(2, 5)} ${s.slice(5, 8)} ${s.slice(8)}`);
const taxId = () => ent('TAX_ID', fmtTax(taxIdRaw()));
function taxIdBad() {
  const s = taxIdRaw();
  return fmtTax(s.slice(0, 10) + String((Number(s[10]) + int(1, 9)) % 10));
}
function vatRaw() {
  const ds = [int(1, 9), ...Array.from({ length: 7 }, () => int(0, 9))];
  return 'DE' + ds.join('') + mod1110(ds);
}
const fmtVat = (s) => (chance(0.85) ? s : `DE ${s.slice(2, 5)} ${s.slice(5, 8)} ${s.slice(8)}`);
const vat = () => ent('VAT_ID', fmtVat(vatRaw()));
function vatBad() { const s = vatRaw(); return fmtVat(s.slice(0, 10) + String((Number(s[10]) + int(1, 9)) % 10)); }

// --- Rentenversicherungsnummer ---
const RV_AREAS = ['02', '03', '04', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20',
  '21', '23', '24', '25', '26', '28', '29', '38', '39', '40', '42', '43', '44', '45', '48', '49', '50', '52',
  '53', '55', '56', '57', '58', '60', '61', '63', '64', '65', '66', '68', '69', '70', '71', '72', '73', '74',
  '75', '76', '77', '78', '79', '80', '81', '82', '89'];
const RV_W = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
function rvCheck(s11) { // s11: BB DDMMYY L SS without the check digit
  const L = s11.charCodeAt(8) - 64;
  const ds = (s11.slice(0, 8) + pad(L) + s11.slice(9, 11)).split('').map(Number);
  let sum = 0;
  ds.forEach((d, i) => { const p = d * RV_W[i]; sum += Math.floor(p / 10) + (p % 10); });
  return sum % 10;
}
function rvRaw(p, dob) {
  const d = dob ?? birthDate();
  const letter = ascii(p ? p.last.replace(/^(van der |van den |von der |van |von |de |ter |op den |zur |zu )/i, '') : pick(UPPER))[0].toUpperCase();
  const ser = p ? (p.gender === 'm' ? pad(int(0, 49)) : pad(int(50, 99))) : pad(int(0, 99));
  const s11 = `${pick(RV_AREAS)}${pad(d.d)}${pad(d.m)}${pad(d.y % 100)}${letter}${ser}`;
  return s11 + rvCheck(s11);
}
const fmtRv = (s) => (chance(0.55) ? `${s.slice(0, 2)} ${s.slice(2, 8)} ${s[8]} ${s.slice(9)}` : s);
const rvnr = (p, dob) => ent('SOCIAL_SECURITY', fmtRv(rvRaw(p, dob)));
function rvnrBad(p) { const s = rvRaw(p); return fmtRv(s.slice(0, 11) + String((Number(s[11]) + int(1, 9)) % 10)); }

// --- Personalausweis / Reisepass ---
const ID_ALPHA = [...'0123456789CFGHJKLMNPRTVWXYZ'];
const mrzVal = (c) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55);
const mrzCheck = (s) => [...s].reduce((a, c, i) => a + mrzVal(c) * [7, 3, 1][i % 3], 0) % 10;
const ID_LETTERS = ID_ALPHA.filter((c) => /[A-Z]/.test(c));
function docRaw(firsts) {
  let s;
  do {
    s = pick(firsts) + Array.from({ length: 8 }, () => (chance(0.6) ? String(int(0, 9)) : pick(ID_LETTERS))).join('');
  } while ((s.match(/\d/g) ?? []).length < 3);
  return s;
}
function docEnt(type, firsts) {
  const s = docRaw(firsts);
  return ent(type, chance(0.35) ? s + mrzCheck(s) : s);
}
const idCard = () => docEnt('ID_CARD', [...'LMNPRTVWXY']);
const passport = () => docEnt('PASSPORT', [...'CFGHJK']);
function docBad(firsts) { const s = docRaw(firsts); return s + String((mrzCheck(s) + int(1, 9)) % 10); }
const idCardBad = () => docBad([...'LMNPRTVWXY']);

// --- Dates ---
const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];
const dim = (m, y) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function birthDate(ymin = 1938, ymax = 2006) {
  const y = int(ymin, ymax), m = int(1, 12), d = int(1, dim(m, y));
  return { d, m, y };
}
function fmtDate(dt, style) {
  const s = style ?? weighted([['dot', 70], ['long', 15], ['iso', 8], ['short', 7]]);
  if (s === 'long') return `${dt.d}. ${MONTHS[dt.m - 1]} ${dt.y}`;
  if (s === 'iso') return `${dt.y}-${pad(dt.m)}-${pad(dt.d)}`;
  if (s === 'short') return `${dt.d}.${dt.m}.${dt.y}`;
  return `${pad(dt.d)}.${pad(dt.m)}.${dt.y}`;
}
const dob = (dt) => ent('DATE_OF_BIRTH', fmtDate(dt ?? birthDate()));
const childDob = () => ent('DATE_OF_BIRTH', fmtDate(birthDate(2009, 2024)));
function caseDate(style, y) { // ordinary (non-birth) dates around now
  const yy = y ?? pick([2025, 2026, 2026, 2026]);
  const m = int(1, 12), d = int(1, dim(m, yy));
  return fmtDate({ d, m, y: yy }, style ?? weighted([['dot', 80], ['long', 20]]));
}
// two ordinary dates, the second after the first: "d1<mid>d2"
function dateRange(mid, maxDays = 120) {
  const y = pick([2025, 2026, 2026]), m = int(1, 12), d = int(1, dim(m, y));
  const a = new Date(Date.UTC(y, m - 1, d)), b = new Date(a.getTime() + int(1, maxDays) * 86400000);
  const f = (x) => fmtDate({ d: x.getUTCDate(), m: x.getUTCMonth() + 1, y: x.getUTCFullYear() }, chance(0.8) ? 'dot' : 'long');
  return `${f(a)}${mid}${f(b)}`;
}
const time = () => `${int(7, 18)}:${pick(['00', '15', '30', '45', '10', '05', '50'])}`;
// "HH:MM <sep> HH:MM" with the end after the start
function timeRange(sep, minH = 7, maxH = 17) {
  const h = int(minH, maxH), m = pick([0, 15, 30, 45]);
  const end = h * 60 + m + pick([15, 30, 45, 60, 90, 120, 150]);
  return `${h}:${pad(m)}${sep}${Math.floor(end / 60)}:${pad(end % 60)}`;
}
const weekday = () => pick(['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag']);

// --- Amounts, references, hard-negative phrases ---
const euro = (a, b) => {
  const v = int(a * 100, b * 100) / 100;
  const [i, c] = v.toFixed(2).split('.');
  return `${i.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${c}`;
};
const amount = (a = 10, b = 3000) => weighted([
  [() => `${euro(a, b)} €`, 50], [() => `${euro(a, b)} EUR`, 20], [() => `EUR ${int(a, b)}`, 10],
  [() => `€ ${euro(a, b)}`, 10], [() => `${int(a, b)} Euro`, 10]])();
const PARAS = ['§ 45 Abs. 2 SGB X', 'Art. 6 Abs. 1 lit. e DSGVO', '§ 35 SGB I', '§ 67a SGB X', '§ 19 WoGG',
  '§ 22 SGB II', '§ 31 SGB II', '§ 8a SGB VIII', '§ 27 SGB VIII', '§ 74 BauO NRW', '§ 63 BauO NRW',
  '§ 24 StVG', '§ 49 StVO', '§ 41 Abs. 1 StVO', '§ 17 OWiG', '§ 66 OWiG', '§ 152 SGB IX', '§ 208 SGB IX',
  '§ 14 SGB XI', '§ 15 SGB XI', 'Art. 9 DSGVO', 'Art. 15 DSGVO', '§ 6 IfSG', '§ 1896 BGB', '§ 1814 BGB',
  '§ 3 LDSG NRW', '§ 26 BDSG', '§ 167 SGB IX', '§ 28 VwVfG NRW', '§ 41 VwVfG', '§ 80 Abs. 2 Nr. 4 VwGO',
  '§ 1 UVG', '§ 6 Abs. 1 AufenthG', '§ 10 StAG', '§ 11 GewO', '§ 14 GewO', '§ 28 Abs. 1 SGB IV'];
const para = () => pick(PARAS);
const caseNo = () => ent('CASE_NUMBER', weighted([
  [() => `${int(10, 69)}-${int(1, 999)}/${pad(int(20, 26))}`, 16],
  [() => `${pick(['I', 'II', 'III', 'IV'])} ${int(1, 9)} K ${int(1, 999)}/${pad(int(20, 26))}`, 8],
  [() => `${int(10, 69)}-${int(2019, 2026)}-${digits(4)}`, 12],
  [() => `SG ${int(10, 69)}-${int(100, 999)}/${int(2022, 2026)}`, 6],
  [() => `${int(10, 69)}.${int(1, 9)}-${int(100, 9999)}/${int(2022, 2026)}`, 12],
  [() => `${int(1, 30)} K ${int(100, 4999)}/${pad(int(21, 26))}`, 6],
  [() => `S ${int(1, 40)} ${pick(['AS', 'SO', 'R', 'KR', 'SB'])} ${int(1, 999)}/${pad(int(21, 26))}`, 6],
  [() => `${pick(['JA', 'WG', 'BG', 'BA', 'OA', 'StVA'])}-${int(2022, 2026)}-${digits(4)}`, 10],
  [() => `${int(30, 69)}/${int(1, 9)}-${int(10, 999)}.${pad(int(1, 99))}`, 6],
  [() => `${pick(['III', 'IV', 'V'])}/${int(1, 5)}-${int(1000, 9999)}/${pad(int(22, 26))}`, 6],
  [() => `${int(100, 699)} ${int(10, 99)} ${pad(int(1, 99))}-${int(1, 9999)}/${pad(int(23, 26))}`, 4],
])());
const AZ_CUE = () => weighted([['Az.: ', 30], ['Az. ', 15], ['Aktenzeichen: ', 25], ['Geschäftszeichen: ', 15], ['Unser Zeichen: ', 10], ['AZ: ', 5]]);
const invoiceNo = () => pick([`${int(2023, 2026)}-${digits(5)}`, `RE-${int(2024, 2026)}-${digits(4)}`, `${digits(10)}`, `${int(2024, 2026)}/${digits(4)}`]);
const roomNo = () => `${int(0, 4)}.${int(100, 450)}`;
const road = () => pick(['B 58', 'B 8', 'A 3', 'A 57', 'A 31', 'L 480', 'L 396', 'B 70', 'K 12', 'L 7', 'B 473', 'A 40']);
const drucksache = () => `${int(16, 18)}/${int(100, 2999)}`;
const version = () => `${int(1, 12)}.${int(0, 20)}.${int(0, 30)}`;
const uuid = () => [8, 4, 4, 4, 12].map((n, i) => (i === 2 ? '4' + hexStr(3) : hexStr(n))).join('-');
const hexStr = (n) => charsFrom([...'0123456789abcdef'], n);
const CAPS = ['ABTEILUNG', 'DEUTSCHLAND', 'WIDERSPRUCH', 'NACHTRAG', 'DRINGEND', 'BESCHEID', 'VERTRAULICH',
  'ENTWURF', 'MITTEILUNG', 'BAUANTRAG', 'LANDKREIS', 'BUNDESAMT', 'HINWEIS', 'ACHTUNG', 'ERLEDIGT', 'EILT', 'KREISKASSE'];
const caps = () => pick(CAPS);

// --- License plates ---
const DISTRICTS = ['WES', 'WES', 'WES', 'DU', 'DU', 'D', 'KLE', 'BOR', 'RE', 'E', 'OB', 'MH', 'KR', 'NE', 'VIE',
  'K', 'BN', 'MS', 'DO', 'BO', 'GE', 'BOT', 'DIN', 'MO', 'GEL', 'REK', 'BÜS', 'LÖ', 'TÜ', 'FÜ', 'MÜ', 'HH',
  'B', 'M', 'S', 'F', 'COE', 'ST', 'KLE', 'RS', 'W', 'HA'];
const PLATE_L = [...'ABCDEFGHIJKLMNOPRSTUVWXYZ'];
function plateStr() {
  const d = pick(DISTRICTS);
  let letters;
  do { letters = charsFrom(PLATE_L, int(1, 2)); } while (['SS', 'SA', 'KZ', 'HJ', 'NS', 'SD'].includes(letters));
  const maxDigits = Math.min(4, 8 - d.length - letters.length);
  const n = String(int(1, 10 ** int(1, maxDigits) - 1));
  const suffix = weighted([['', 85], ['E', 10], ['H', 5]]);
  const sep = weighted([['-', 70], [' ', 30]]);
  return `${d}${sep}${letters} ${n}${suffix}`;
}
const plate = () => ent('LICENSE_PLATE', plateStr());

// --- IP addresses ---
function ipv4() {
  return weighted([
    [() => `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`, 30], [() => `192.168.${int(0, 255)}.${int(1, 254)}`, 20],
    [() => `172.${int(16, 31)}.${int(0, 255)}.${int(1, 254)}`, 10],
    [() => `${pick([85, 91, 62, 80, 178, 217, 46, 93, 185, 213])}.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`, 40]])();
}
function ipv6() {
  const h = () => hexStr(int(1, 4)).replace(/^0+(?=.)/, '');
  return weighted([
    [() => `2001:db8:${h()}:${h()}::${h()}`, 25], [() => `fe80::${h()}:${h()}:${h()}:${h()}`, 20],
    [() => `2a02:${h()}:${h()}:${h()}:${h()}:${h()}:${h()}:${h()}`, 25],
    [() => `2001:0db8:${Array.from({ length: 6 }, () => hexStr(4)).join(':')}`, 15], [() => `2003:${h()}:${h()}::${h()}`, 15]])();
}
const ip = (v6p = 0.25) => ent('IP_ADDRESS', chance(v6p) ? ipv6() : ipv4());

// --- Health ---
const DIAG = ['Diabetes mellitus Typ 2', 'Diabetes mellitus Typ 1', 'Depression', 'rezidivierende depressive Störung',
  'mittelgradige depressive Episode', 'Multiple Sklerose', 'Epilepsie', 'paranoide Schizophrenie', 'Alkoholabhängigkeit',
  'Demenz vom Alzheimer-Typ', 'Morbus Parkinson', 'Mammakarzinom', 'COPD', 'Asthma bronchiale', 'HIV-Infektion',
  'posttraumatische Belastungsstörung', 'Autismus-Spektrum-Störung', 'ADHS', 'chronische Niereninsuffizienz',
  'Herzinsuffizienz', 'Zustand nach Schlaganfall', 'Long COVID', 'Bandscheibenvorfall', 'rheumatoide Arthritis',
  'generalisierte Angststörung', 'Borderline-Persönlichkeitsstörung', 'Querschnittslähmung', 'Morbus Crohn',
  'Opioidabhängigkeit', 'bipolare Störung', 'Lungenkarzinom', 'Hepatitis C', 'Tuberkulose', 'Essstörung (Anorexia nervosa)',
  'Burn-out-Syndrom', 'koronare Herzkrankheit', 'Trisomie 21', 'Hörschädigung', 'Sehbehinderung'];
const ICD = ['F32.1', 'E11.9', 'G35', 'F20.0', 'F10.2', 'I63.9', 'C50.9', 'J44.1', 'M54.5', 'F43.1', 'G40.9',
  'F33.2', 'F41.1', 'F90.0', 'G30.1', 'G20', 'K50.9', 'F84.0', 'N18.4', 'I50.1', 'F60.31', 'B20', 'E10.9', 'F11.2', 'U09.9'];
const diag = () => ent('HEALTH', pick(DIAG));
const DIAG_ICD = [['Diabetes mellitus Typ 2', 'E11.9'], ['Diabetes mellitus Typ 1', 'E10.9'], ['mittelgradige depressive Episode', 'F32.1'],
  ['rezidivierende depressive Störung', 'F33.2'], ['Multiple Sklerose', 'G35'], ['Epilepsie', 'G40.9'], ['paranoide Schizophrenie', 'F20.0'],
  ['Alkoholabhängigkeit', 'F10.2'], ['Demenz vom Alzheimer-Typ', 'G30.1'], ['Morbus Parkinson', 'G20'], ['Mammakarzinom', 'C50.9'],
  ['COPD', 'J44.1'], ['posttraumatische Belastungsstörung', 'F43.1'], ['generalisierte Angststörung', 'F41.1'], ['ADHS', 'F90.0'],
  ['Morbus Crohn', 'K50.9'], ['Autismus-Spektrum-Störung', 'F84.0'], ['chronische Niereninsuffizienz', 'N18.4'], ['Herzinsuffizienz', 'I50.1'],
  ['Borderline-Persönlichkeitsstörung', 'F60.31'], ['Opioidabhängigkeit', 'F11.2'], ['Zustand nach Schlaganfall', 'I69.3'], ['Long COVID', 'U09.9'],
  ['Trisomie 21', 'Q90.9'], ['Lumbago', 'M54.5']];
// "Diagnose (ICD)" pair as a fragment; sep decides the bracket text ("", "ICD-10 ")
function diagIcd(prefix = '') {
  const [d, c] = pick(DIAG_ICD);
  return T`${ent('HEALTH', d)} (${prefix}${ent('HEALTH', c)})`;
}
const icd = () => ent('HEALTH', pick(ICD));
const pflegegrad = () => ent('HEALTH', `Pflegegrad ${int(1, 5)}`);
const gdb = () => ent('HEALTH', weighted([
  [`Grad der Behinderung (GdB) von ${pick([30, 40, 50, 60, 70, 80, 90, 100])}`, 40], [`GdB von ${pick([30, 50, 60, 70, 80, 100])}`, 35],
  [`GdB ${pick([50, 60, 70, 80, 100])}`, 25]]));
const merkz = () => ent('HEALTH', `Merkzeichen ${pick(['aG', 'G', 'B', 'H', 'Bl', 'Gl', 'RF', 'TBl'])}`);

// --- Secrets ---
const skKey = () => (chance(0.5) ? `sk-${charsFrom(B62, 48)}` : `sk-proj-${charsFrom([...B62, '_', '-'], int(56, 80))}${charsFrom(B62, 4)}`);
const ghKey = () => (chance(0.8) ? `ghp_${charsFrom(B62, 36)}` : `github_pat_${charsFrom(B62, 22)}_${charsFrom(B62, 59)}`);
const awsKey = () => `AKIA${charsFrom([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'], 16)}`;
const awsSecret = () => charsFrom([...B62, '/', '+'], 40);
const slackKey = () => `xoxb-${digits(12).replace(/^0/, '1')}-${digits(13).replace(/^0/, '2')}-${charsFrom(B62, 24)}`;
const glKey = () => `glpat-${charsFrom([...B62, '-', '_'], 20)}`;
const apiKey = () => ent('SECRET', weighted([[skKey, 30], [ghKey, 25], [awsKey, 20], [slackKey, 15], [glKey, 10]])());
const PW_WORDS = ['Sommer', 'Winter', 'Rathaus', 'Wesel', 'Kreishaus', 'Niederrhein', 'Fahrrad', 'Bürger', 'Start', 'Willkommen', 'Herbst', 'Schalke'];
function password() {
  return weighted([
    [() => `${pick(PW_WORDS)}${int(2019, 2026)}${pick(['!', '#', '?', '$', '%', ''])}`, 35],
    [() => charsFrom([...B62, '!', '#', '$', '%', '&', '*', '+', '?', '@'], int(10, 18)), 35],
    [() => `${pick(PW_WORDS)}_${pick(PW_WORDS).toLowerCase()}${int(1, 99)}`, 15],
    [() => `${pick(['Kx', 'Qp', 'Zr', 'Tm'])}${int(100, 999)}${pick(['!', '#'])}${pick(PW_WORDS)}`, 15]])();
}
const pw = () => ent('SECRET', password());
function privateKey() {
  const kind = pick(['RSA ', 'OPENSSH ', '', 'EC ']);
  const lines = Array.from({ length: int(4, 9) }, (_, i, a) => charsFrom([...B62, '+', '/'], 64));
  lines.push(charsFrom([...B62, '+', '/'], int(8, 60)) + pick(['', '=', '==']));
  return ent('SECRET', `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`);
}
function certBlock(kind = 'CERTIFICATE') {
  const lines = Array.from({ length: int(3, 6) }, () => charsFrom([...B62, '+', '/'], 64));
  return `-----BEGIN ${kind}-----\n${lines.join('\n')}\n${charsFrom(B62, 20)}==\n-----END ${kind}-----`;
}

const EMOJI = ['🙂', '👍', '🙏', '😊', '✅', '📎', '😅', '⚠️', '🚗', '🏠', '📞'];
const emoji = () => pick(EMOJI);

// ---------------------------------------------------------------------------
// Reusable blocks
// ---------------------------------------------------------------------------
const TPL = [];
const tpl = (name, domain, fn, neg = false) => TPL.push({ name, domain, fn, neg });
const sbTitle = (p) => (p.gender === 'f' ? 'Sachbearbeiterin' : 'Sachbearbeiter');
const grussFormel = () => weighted([['Mit freundlichen Grüßen', 70], ['Freundliche Grüße', 15], ['Mit freundlichem Gruß', 15]]);
// signature block of a staff member: name, optionally unit, phone, mail
function signature(sb, o, { iA = 0.5, tel = 0.7, mail = 0.6, unit = 0.6 } = {}) {
  const ia = chance(iA);
  return L(
    grussFormel(),
    ia && chance(0.5) ? 'Im Auftrag' : '',
    ia && chance(0.5) ? T`i. A. ${NF(sb)}` : NF(sb),
    opt(unit, `${o.org} – ${o.unit}`),
    opt(tel, () => T`${pick(['Tel.', 'Telefon:', 'Tel.:', 'Fon'])} ${officePhone(o)}`),
    opt(mail, () => T`${pick(['E-Mail:', 'Mail:', 'E-Mail'])} ${emailFor(sb, o.dom)}`),
  );
}
// postal address block of a citizen ("Frau\nAnna Berg\nStraße 1\n12345 Ort")
const addressBlock = (p) => L(p.herr, T`${p.title}${NF(p)}`, addr('block'));
function hn() { // a sentence made of hard negatives only
  return weighted([
    [() => `Die Frist endet am ${caseDate()}.`, 10],
    [() => `Bitte reichen Sie die Unterlagen bis zum ${caseDate()} ein.`, 8],
    [() => `Die Verwaltungsgebühr beträgt ${amount(10, 400)}.`, 8],
    [() => `Rechtsgrundlage ist ${para()}.`, 8],
    [() => `Die Besprechung findet in Zimmer ${roomNo()} um ${time()} Uhr statt.`, 5],
    [() => `Die Sitzung am ${caseDate('long')} entfällt.`, 4],
    [() => `Bezug: Ihr Schreiben vom ${caseDate()}.`, 6],
    [() => `Rechnungsnummer ${invoiceNo()} bitte bei Zahlung angeben.`, 4],
    [() => `Die Verarbeitung erfolgt auf Grundlage von ${para()} in Verbindung mit Art. 6 Abs. 1 lit. c DSGVO.`, 5],
    [() => `Der Parkplatz (Stellplatz ${int(1, 60)}) steht während der Bauarbeiten nicht zur Verfügung.`, 2],
    [() => `Unsere Sprechzeiten: ${weekday()} ${int(8, 9)}:00 bis ${int(12, 13)}:00 Uhr.`, 4],
    [() => `${caps()}: Bitte die Frist beachten.`, 3],
    [() => `Stempel: ${caps()} – ${caps()}`, 2],
  ])();
}
const closing = () => pick(['Für Rückfragen stehe ich Ihnen gern zur Verfügung.', 'Bei Rückfragen erreichen Sie mich unter der unten angegebenen Rufnummer.',
  'Ich bitte um Beachtung.', 'Vielen Dank für Ihre Mitwirkung.', 'Für Ihr Verständnis danke ich Ihnen.']);
const rmLine = () => `Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Klage beim Verwaltungsgericht ${pick(['Düsseldorf', 'Gelsenkirchen', 'Münster'])} erhoben werden.`;

// ---------------------------------------------------------------------------
// Templates with personal data
// ---------------------------------------------------------------------------
// --- Sozialamt / Wohngeld / Bürgergeld ---
tpl('wohngeld_aktenvermerk', 'sozialamt', () => {
  const p = person(), sb = person();
  return L(
    pick(['Aktenvermerk', 'Vermerk', 'AKTENVERMERK']),
    T`${AZ_CUE()}${caseNo()}`,
    T`Antragsteller${p.in}: ${NF(p)}, geb. ${dob()}`,
    T`Anschrift: ${addr('inline')}`,
    opt(0.7, () => T`Tel.: ${phone()}`),
    BL,
    T`${HL(p)} sprach am ${caseDate()} um ${time()} Uhr persönlich vor und legte die fehlenden Unterlagen (Mietbescheinigung, Kontoauszüge der letzten drei Monate) vor. Die Bruttokaltmiete beträgt ${amount(350, 1100)} monatlich, die Heizkosten ${amount(60, 200)}. Der Anspruch wird nach § 19 WoGG neu berechnet.`,
    chance(0.5) ? T`Die Auszahlung soll künftig auf das Konto ${iban()} erfolgen.` : (() => { const b = bank(); return T`Neue Bankverbindung: IBAN ${b.iban}, BIC ${b.bic}.`; })(),
    chance(0.4) ? T`Die zuvor angegebene IBAN ${ibanBad()} war fehlerhaft (Prüfziffer).` : '',
    `Wiedervorlage: ${caseDate()}`,
    BL,
    T`${sbTitle(sb)}: ${NF(sb)}`,
  );
});

tpl('buergergeld_bescheid', 'sozialamt', () => {
  const p = person(), sb = person(), o = { org: 'Jobcenter Kreis Wesel', unit: 'Team 412', dom: 'jobcenter-kreis-wesel.de', ac: '0281', sub: '9664' };
  const kids = int(0, 3);
  return L(
    'Jobcenter Kreis Wesel · Team 412',
    BL,
    addressBlock(p),
    BL,
    T`${AZ_CUE()}${caseNo()}`,
    `Datum: ${caseDate()}`,
    BL,
    `Änderungsbescheid über Leistungen zur Sicherung des Lebensunterhalts nach dem SGB II`,
    BL,
    T`${p.geehrt} ${p.title}${NL(p)},`,
    BL,
    T`aufgrund der von Ihnen am ${caseDate()} mitgeteilten Arbeitsaufnahme wird die Bewilligung für die Bedarfsgemeinschaft ab dem ${caseDate()} geändert. Der Regelbedarf beträgt ${amount(400, 600)}, die anerkannten Kosten der Unterkunft ${amount(300, 900)}.${kids ? ` Für ${kids} Kind${kids > 1 ? 'er' : ''} werden Bedarfe für Bildung und Teilhabe gesondert beschieden.` : ''}`,
    T`Die Zahlung erfolgt auf Ihr Konto ${iban('DE')}.`,
    hn(),
    rmLine(),
    BL,
    signature(sb, o),
  );
});

tpl('grundsicherung_pflege', 'sozialamt', () => {
  const p = person(), sb = person(), a = person({ entry: p.entry, origin: p.origin });
  const bd = birthDate(1935, 1958);
  return L(
    T`Vermerk zur Hilfe zur Pflege – ${AZ_CUE()}${caseNo()}`,
    BL,
    T`Leistungsberechtigte Person: ${NF(p)}, geboren am ${dob(bd)}, ${addr('inline')}`,
    T`Rentenversicherungsnummer: ${rvnr(p, bd)}`,
    BL,
    T`Laut Gutachten des Medizinischen Dienstes vom ${caseDate()} liegt bei ${HL(p, true)} ${pflegegrad()} vor. Wesentliche Diagnosen: ${chance(0.5) ? diagIcd() : diag()} sowie ${diag()}. ${p.Er} lebt allein; die Versorgung übernimmt ${a.gender === 'f' ? 'die Tochter' : 'der Sohn'} ${NF(a)} (Tel. ${phone('mobile')}).`,
    `Der ungedeckte Eigenanteil im Pflegeheim beträgt ${amount(800, 2600)} monatlich.`,
    chance(0.5) ? T`Ein ${merkz()} ist im Schwerbehindertenausweis eingetragen.` : hn(),
    BL,
    T`gez. ${NF(sb)}, ${caseDate()}`,
  );
});

tpl('sozialamt_telefonnotiz', 'sozialamt', () => {
  const p = person(), sb = person();
  return L(
    `Telefonnotiz vom ${caseDate()}, ${time()} Uhr`,
    T`Anrufer${p.in}: ${HF(p)}`,
    T`Rückrufnummer: ${phone()}`,
    T`Bezug: ${AZ_CUE()}${caseNo()}`,
    BL,
    T`${HL(p)} fragt nach dem Bearbeitungsstand ${p.gender === 'f' ? 'ihres' : 'seines'} Antrags auf ${pick(['Hilfe zur Pflege', 'Wohngeld', 'Grundsicherung im Alter', 'Übernahme der Bestattungskosten', 'Eingliederungshilfe'])} vom ${caseDate()}. ${p.Er} gibt an, seit ${pick(MONTHS)} in ärztlicher Behandlung zu sein (Diagnose: ${diag()}) und die Unterlagen deshalb nicht früher eingereicht zu haben.`,
    chance(0.5) ? T`Neue E-Mail-Adresse: ${emailFor(p)}` : 'Eine E-Mail-Adresse liegt nicht vor.',
    T`Rückruf zugesagt bis ${pick(['morgen', 'Freitag', 'Ende der Woche'])}. – ${pick(['', 'gez. '])}${NF(sb)}`,
  );
});

tpl('wohngeld_mail_buerger', 'sozialamt', () => {
  const p = person(), o = office();
  return L(
    T`Von: ${NC(p)} <${emailFor(p)}>`,
    `Gesendet: ${weekday()}, ${caseDate('long')} ${time()}`,
    T`An: Wohngeldstelle <${ent('EMAIL', `wohngeld@${o.dom}`)}>`,
    `Betreff: Wohngeldantrag – Nachreichung Unterlagen`,
    BL,
    `Sehr geehrte Damen und Herren,`,
    BL,
    T`anbei sende ich Ihnen die angeforderte Verdienstbescheinigung für ${pick(MONTHS)} und die Nebenkostenabrechnung. Mein Aktenzeichen ist ${caseNo()}. Die Miete für meine Wohnung in der ${addr('street')} hat sich zum ${caseDate()} auf ${amount(400, 950)} erhöht.`,
    chance(0.5) ? T`Meine Bankverbindung hat sich geändert: IBAN ${iban()}, BIC ${bic()}.` : hn(),
    `Bei Fragen bin ich tagsüber telefonisch erreichbar.`,
    BL,
    `Mit freundlichen Grüßen`,
    NF(p),
    T`${pick(['Tel.', 'Handy:', 'Mobil'])} ${phone()}`,
    opt(0.3, () => emoji()),
  );
});

tpl('but_antrag_kind', 'sozialamt', () => {
  const parent = person(), child = person({ entry: parent.entry, origin: parent.origin, child: true });
  return L(
    `Antrag auf Leistungen für Bildung und Teilhabe (§ 28 SGB II)`,
    BL,
    T`Antragstellende Person: ${NF(parent)}`,
    T`Anschrift: ${addr('inline')}`,
    T`Kind: ${NF(child)}, geb. ${childDob()}`,
    `Schule: ${pick(['Konrad-Duden-Gymnasium', 'Gesamtschule am Lauerhaas', 'Grundschule Feldmark', 'Sophie-Scholl-Realschule', 'Friedrich-Spee-Schule'])}, Klasse ${int(1, 10)}${pick(['a', 'b', 'c'])}`,
    BL,
    `Beantragt werden: Schulbedarf, gemeinschaftliche Mittagsverpflegung (${amount(2, 5)} je Essen), Lernförderung in Mathematik.`,
    chance(0.4) ? T`Hinweis der Klassenlehrerin: ${N(child.first)} hat eine diagnostizierte ${ent('HEALTH', pick(['Lese-Rechtschreib-Störung', 'Dyskalkulie', 'ADHS', 'Autismus-Spektrum-Störung']))}.` : hn(),
    T`Erstattung bitte auf das Konto ${iban()}.`,
    T`Rückfragen: ${phone()} oder ${emailFor(parent)}`,
  );
});

tpl('bestattungskosten', 'sozialamt', () => {
  const dead = person(), p = person({ entry: dead.entry }), sb = person(), o = office();
  return L(
    T`${AZ_CUE()}${caseNo()}`,
    BL,
    T`${p.geehrt} ${NL(p)},`,
    BL,
    T`Ihr Antrag auf Übernahme der Kosten für die Bestattung ${dead.gender === 'f' ? 'Ihrer Mutter, Frau' : 'Ihres Vaters, Herrn'} ${NF(dead)} (geb. ${dob(birthDate(1930, 1960))}, verstorben am ${dateRange('), ist am ', 60)} eingegangen. Nach § 74 SGB XII werden die erforderlichen Kosten übernommen, soweit Ihnen die Tragung nicht zugemutet werden kann.`,
    `Die Rechnung des Bestattungsinstituts (Rechnungsnummer ${invoiceNo()}) über ${amount(2500, 6000)} liegt vor.`,
    `Bitte legen Sie noch Einkommensnachweise aller Haushaltsangehörigen vor.`,
    BL,
    signature(sb, o),
  );
});

// --- Bauamt ---
tpl('baugenehmigung', 'bauamt', () => {
  const p = person(), sb = person(), arch = person(), o = pick(OFFICES.filter((x) => /Bau/.test(x.unit)));
  return L(
    `${o.org} · ${o.unit}`,
    BL,
    addressBlock(p),
    BL,
    T`${AZ_CUE()}${caseNo()}`,
    `${pick(['Wesel', 'Kamp-Lintfort', 'Hamminkeln'])}, ${caseDate()}`,
    BL,
    `Baugenehmigung`,
    T`Bauvorhaben: ${pick(['Errichtung eines Einfamilienhauses mit Doppelgarage', 'Anbau eines Wintergartens', 'Umnutzung einer Scheune zu Wohnzwecken', 'Errichtung eines Carports', 'Dachgeschossausbau'])}`,
    T`Baugrundstück: ${addr('inline')}, Gemarkung ${pick(['Wesel', 'Büderich', 'Flüren', 'Ginderich', 'Lintfort'])}, Flur ${int(1, 40)}, Flurstück ${int(10, 900)}`,
    T`Entwurfsverfasser: ${pick(['Dipl.-Ing.', 'Architekt', 'Architektin', ''])} ${NF(arch)}`,
    BL,
    T`${p.geehrt} ${p.title}${NL(p)},`,
    `aufgrund Ihres Bauantrags vom ${caseDate()} wird Ihnen nach § 74 BauO NRW die Baugenehmigung erteilt. Die Nebenbestimmungen sind Bestandteil dieser Genehmigung. Die Gebühr beträgt ${amount(300, 4500)} (Tarifstelle 2.4.1.1 AVerwGebO NRW).`,
    hn(),
    rmLine(),
    BL,
    signature(sb, o),
  );
});

tpl('bauamt_nachbarbeschwerde', 'bauamt', () => {
  const p = person(), q = person(), sb = person();
  const ad = addr('street');
  return L(
    T`Eingangsvermerk ${caseDate()} – ${AZ_CUE()}${caseNo()}`,
    BL,
    T`${HF(p)}, wohnhaft ${addr(chance(0.5) ? 'inline' : 'street')}, beschwert sich ${pick(['telefonisch', 'schriftlich', 'per E-Mail'])} über eine nach ${p.gender === 'f' ? 'ihrer' : 'seiner'} Auffassung ungenehmigte Grenzbebauung auf dem Nachbargrundstück ${ad}. Eigentümer${q.in} des Nachbargrundstücks ist ${HF(q)}.`,
    `Nach Angaben der Beschwerdeführerseite wurde dort seit ${pick(MONTHS)} ein Gartenhaus mit ca. ${int(20, 60)} m³ Brutto-Rauminhalt errichtet; der Abstand zur Grenze betrage weniger als 3 m.`,
    T`Kontakt Beschwerdeführer${p.in}: ${phone()}${chance(0.5) ? T`, ${emailFor(p)}` : ''}`,
    `Veranlassung: Ortsbesichtigung durch die Bauaufsicht, Anhörung nach § 28 VwVfG NRW.`,
    T`${sbTitle(sb)}: ${NF(sb)}`,
  );
});

tpl('bauamt_ortstermin', 'bauamt', () => {
  const bh = person(), arch = person(), sb = person(), nb = person();
  return L(
    T`Protokoll Ortstermin – ${AZ_CUE()}${caseNo()}`,
    `Datum: ${caseDate()}, Beginn ${time()} Uhr`,
    T`Ort: ${addr('inline')}`,
    `Teilnehmende:`,
    T`- ${HF(bh)} (Bauherr${bh.in})`,
    T`- ${HF(arch)} (Entwurfsverfasser${arch.in}, Tel. ${phone()})`,
    T`- ${NF(sb)} (Bauaufsicht)`,
    chance(0.5) ? T`- ${NF(nb)} (Nachbar${nb.in})` : '',
    BL,
    T`1. Die Rohbauabnahme kann noch nicht erfolgen, da der Standsicherheitsnachweis für die Stahlträger fehlt. ${HL(arch)} sagt die Nachreichung bis ${caseDate()} zu.`,
    `2. Die Zufahrt über die ${pick(['Bislicher Straße', 'Reeser Landstraße', 'Hauptstraße', 'Am Blaufuß'])} ist während der Bauzeit freizuhalten.`,
    `3. ${hn()}`,
    T`Protokoll: ${NF(sb)}`,
  );
});

tpl('bauvoranfrage_architekt', 'bauamt', () => {
  const arch = person(), sb = person(), o = pick(OFFICES.filter((x) => /Bau/.test(x.unit)));
  const firm = `${pick(['Planungsbüro', 'Architekturbüro', 'Ingenieurbüro'])} ${pick(['Niederrhein', 'Lippeaue', 'Rheinbogen', 'Am Deich', 'Plan3', 'Westwall'])} ${pick(['GmbH', 'PartG mbB', 'GbR'])}`;
  return L(
    T`Von: ${NF(arch)} <${emailFor(arch, `${mailPart(arch.last).replace(/[^a-z]/g, '')}-${pick(['architekten', 'planung', 'ing'])}.de`)}>`,
    T`An: ${NF(sb)} <${emailFor(sb, o.dom)}>`,
    T`Betreff: Bauvoranfrage ${addr('street')} – ${AZ_CUE()}${caseNo()}`,
    BL,
    T`${sb.geehrt} ${NL(sb)},`,
    BL,
    `wie telefonisch besprochen reichen wir die überarbeiteten Ansichten und die Berechnung der GRZ (0,38) nach. Für die Rechnung über ${amount(500, 3000)} benötigen wir von Ihnen keine weiteren Angaben.`,
    hn(),
    BL,
    'Mit freundlichen Grüßen',
    NF(arch),
    `${firm}`,
    addr('inline'),
    T`Tel. ${phone('land')} | Mobil ${phone('mobile')}`,
    T`USt-IdNr.: ${vat()}`,
    chance(0.5) ? T`Bankverbindung: ${iban('DE')} · BIC ${bic()}` : '',
  );
});

// --- Straßenverkehrsamt ---
tpl('zulassung_vermerk', 'strassenverkehrsamt', () => {
  const p = person(), sb = person();
  return L(
    `Zulassungsvorgang vom ${caseDate()}`,
    T`Halter${p.in}: ${NC(p)}`,
    T`Geburtsdatum: ${dob()}`,
    T`Anschrift: ${addr('inline')}`,
    T`Ausweis: Personalausweis Nr. ${idCard()}`,
    T`Fahrzeug: ${pick(['VW Golf VIII', 'Opel Corsa', 'Skoda Octavia Combi', 'Ford Transit Custom', 'BMW 320d', 'Tesla Model 3', 'Fiat 500e'])}, Emissionsklasse Euro 6, Erstzulassung ${pick(MONTHS)} ${int(2012, 2025)}`,
    T`Zugeteiltes Kennzeichen: ${plate()}`,
    chance(0.4) ? T`Wunschkennzeichen reserviert bis ${caseDate()}; vorheriges Kennzeichen ${plate()} entstempelt.` : hn(),
    T`Kfz-Steuer: SEPA-Lastschriftmandat für ${iban('DE')}`,
    `Gebühr: ${amount(27, 90)} bezahlt (EC-Karte).`,
    T`Bearbeitet: ${NF(sb)}`,
  );
});

tpl('zulassung_mail_vollmacht', 'strassenverkehrsamt', () => {
  const p = person(), q = person(), o = OFFICES[1];
  return L(
    T`Von: ${NF(p)} <${emailFor(p)}>`,
    T`An: ${ent('EMAIL', `zulassung@${o.dom}`)}`,
    `Betreff: Vollmacht Ummeldung`,
    BL,
    `Hallo,`,
    T`hiermit bevollmächtige ich ${HF(q)}, geboren am ${dob()}, die Ummeldung meines Fahrzeugs mit dem Kennzeichen ${plate()} für mich vorzunehmen. Ich bin umgezogen, neue Anschrift: ${addr(chance(0.6) ? 'inline' : 'block')}.`,
    T`Kopie meines Personalausweises (Ausweisnummer ${idCard()}) liegt bei.`,
    `Danke und viele Grüße ${chance(0.3) ? emoji() : ''}`,
    NF(p),
    opt(0.6, () => phone('mobile')),
  );
});

tpl('fahrerlaubnis_eignung', 'strassenverkehrsamt', () => {
  const p = person(), sb = person(), o = OFFICES[1];
  return L(
    T`${AZ_CUE()}${caseNo()}`,
    T`Betreff: Fahrerlaubnis der Klassen B, BE – ${NF(p)}, geb. ${dob()}`,
    BL,
    T`${p.geehrt} ${p.title}${NL(p)},`,
    BL,
    T`uns liegen Tatsachen vor, die Bedenken gegen Ihre Eignung zum Führen von Kraftfahrzeugen begründen. Nach Mitteilung der Polizei vom ${caseDate()} wurde bei Ihnen eine ${ent('HEALTH', pick(['Epilepsie', 'insulinpflichtige Diabetes-Erkrankung', 'Alkoholabhängigkeit', 'schwere Sehbehinderung', 'Demenzerkrankung', 'Cannabisabhängigkeit']))} bekannt. Gemäß §§ 11, 46 FeV ordnen wir die Beibringung eines ärztlichen Gutachtens bis zum ${caseDate()} an.`,
    `Die Kosten des Gutachtens (ca. ${amount(300, 800)}) tragen Sie selbst.`,
    hn(),
    BL,
    signature(sb, o),
  );
});

tpl('parkausweis_behinderung', 'strassenverkehrsamt', () => {
  const p = person(), sb = person();
  return L(
    T`Antrag auf Ausnahmegenehmigung (blauer EU-Parkausweis) – ${AZ_CUE()}${caseNo()}`,
    T`Antragsteller${p.in}: ${NF(p)}, ${addr('inline')}, geb. ${dob(birthDate(1940, 1995))}`,
    T`Nachweis: Schwerbehindertenausweis mit ${gdb()} und ${merkz()}, gültig bis ${caseDate(undefined, 2029)}.`,
    chance(0.5) ? T`Ursächliche Erkrankung laut Bescheid: ${diag()}.` : '',
    T`Fahrzeug (regelmäßig genutzt): ${plate()}`,
    `Die Ausnahmegenehmigung wird für 5 Jahre erteilt; Parken auf Behindertenparkplätzen gemäß § 46 Abs. 1 Nr. 11 StVO.`,
    T`Zuständig: ${NF(sb)}, Zimmer ${roomNo()}`,
  );
});

// --- Bußgeldstelle ---
tpl('bussgeldbescheid', 'bussgeldstelle', () => {
  const p = person(), sb = person(), o = OFFICES[1];
  const kmh = int(11, 45), fine = kmh < 16 ? 70 : kmh < 21 ? 115 : kmh < 26 ? 180 : kmh < 31 ? 260 : 400;
  return L(
    `${o.org} – Bußgeldstelle`,
    BL,
    addressBlock(p),
    BL,
    `Bußgeldbescheid`,
    T`${AZ_CUE()}${caseNo()}`,
    BL,
    T`Betroffene${p.gender === 'f' ? '' : 'r'}: ${NF(p)}, geb. ${dob()} in ${pick(['Duisburg', 'Wesel', 'Istanbul', 'Krakau', 'Oberhausen', 'Sarajevo', 'Kiew', 'Bocholt'])}`,
    BL,
    `Ihnen wird vorgeworfen, am ${caseDate()} um ${time()} Uhr in ${pick(['Wesel', 'Hünxe', 'Schermbeck', 'Voerde'])}, ${road()}, Fahrtrichtung ${pick(['Schermbeck', 'Rees', 'Dinslaken', 'Bocholt'])}, als Führer des PKW`,
    T`Kennzeichen ${plate()} die zulässige Höchstgeschwindigkeit außerhalb geschlossener Ortschaften um ${kmh} km/h überschritten zu haben (zulässig 70 km/h, festgestellt nach Toleranzabzug ${70 + kmh} km/h).`,
    `§ 41 Abs. 1 i. V. m. Anlage 2, § 49 StVO; § 24 Abs. 1, 3 Nr. 5 StVG; 11.3.${int(2, 7)} BKat`,
    BL,
    `Geldbuße: ${euro(fine, fine)} €`,
    `Gebühren (§ 107 Abs. 1 OWiG): 28,50 €`,
    `Auslagen: 3,50 €`,
    BL,
    T`Bitte überweisen Sie den Gesamtbetrag an die Kreiskasse, IBAN ${iban('DE')}, BIC ${bic('DE')}, unter Angabe des Aktenzeichens.`,
    BL,
    T`Sachbearbeitung: ${NF(sb)}, Tel. ${officePhone(o)}`,
  );
});

tpl('anhoerung_zeuge', 'bussgeldstelle', () => {
  const p = person(), driver = person();
  return L(
    T`Zeugenfragebogen – ${AZ_CUE()}${caseNo()}`,
    BL,
    T`Halter${p.in}: ${NF(p)}`,
    T`Kennzeichen: ${plate()}`,
    `Tatzeit: ${caseDate()}, ${time()} Uhr; Tatort: ${pick(['Wesel, B 58 Höhe Lippeschlößchen', 'Moers, Homberger Straße', 'Duisburg, A 40', 'Voerde, Frankfurter Straße', 'Rheinberg, L 480'])}`,
    BL,
    `Angaben zur verantwortlichen Person:`,
    T`Name, Vorname: ${NC(driver)}`,
    T`Geburtsdatum: ${dob()}`,
    T`Anschrift: ${addr('inline')}`,
    BL,
    chance(0.5) ? T`Bemerkung: Das Fahrzeug wurde zur Tatzeit von ${pick(['meinem Sohn', 'meiner Tochter', 'meinem Lebensgefährten', 'meinem Schwager', 'meiner Kollegin'])} gefahren. Kontakt: ${phone('mobile')}` : `Bemerkung: keine`,
    `Ort, Datum: ${pick(['Wesel', 'Moers', 'Xanten'])}, ${caseDate()}`,
  );
});

tpl('bussgeld_einspruch_mail', 'bussgeldstelle', () => {
  const p = person(), lawyer = person(), o = OFFICES[1];
  return L(
    T`Von: ${NC(lawyer)} <${emailFor(lawyer, `kanzlei-${mailPart(lawyer.last).replace(/[^a-z]/g, '')}.de`)}>`,
    T`An: ${ent('EMAIL', `bussgeldstelle@${o.dom}`)}`,
    T`Betreff: Einspruch – Ihr Az. ${caseNo()}`,
    BL,
    `Sehr geehrte Damen und Herren,`,
    BL,
    T`in der Bußgeldsache gegen ${HF(p, true)} zeige ich die Vertretung an; eine Vollmacht liegt bei. Gegen den Bußgeldbescheid vom ${caseDate()} lege ich namens und im Auftrag meine${p.gender === 'f' ? 'r Mandantin' : 's Mandanten'} Einspruch ein. Ich beantrage Akteneinsicht, insbesondere in die Messdatei und den Eichschein des Messgeräts (PoliScan FM1, Softwareversion ${version()}).`,
    T`Meine Mandantschaft war zur Tatzeit nicht Fahrer des Fahrzeugs ${plate()}.`,
    BL,
    'Mit freundlichen Grüßen',
    T`${NF(lawyer)}`,
    `Rechtsanwält${lawyer.gender === 'f' ? 'in' : ''}`,
    T`${addr('inline')} · Tel. ${phone('land')} · Fax ${phone('land')}`,
  );
});

tpl('verwarnung_parken', 'bussgeldstelle', () => {
  const p = person();
  return L(
    T`Verwarnung mit Verwarnungsgeld – ${AZ_CUE()}${caseNo()}`,
    T`Fahrzeug: ${plate()} (${pick(['PKW', 'Kleintransporter', 'Wohnmobil', 'Krad'])}, ${pick(['silber', 'schwarz', 'weiß', 'blau', 'rot'])})`,
    `Tatort: ${pick(['Wesel, Großer Markt', 'Xanten, Kurfürstenstraße', 'Moers, Neuer Wall', 'Dinslaken, Neustraße'])}; Tatzeit: ${caseDate()}, ${timeRange(' – ')} Uhr`,
    `Tatbestand: Sie parkten im eingeschränkten Haltverbot (Zeichen 286) länger als 1 Stunde. Verwarnungsgeld: ${pick(['35,00', '40,00', '55,00'])} €.`,
    T`Halterauskunft KBA: ${NF(p)}, ${addr('inline')}`,
    `Zahlbar innerhalb einer Woche; das Verwarnungsgeld wird nur wirksam, wenn fristgerecht gezahlt wird (§ 56 Abs. 2 OWiG).`,
  );
});

// --- Personalamt ---
tpl('personal_neueinstellung', 'personalamt', () => {
  const p = person(), sb = person();
  const bd = birthDate(1965, 2004);
  return L(
    `Personalstammblatt – Neueinstellung zum ${caseDate()}`,
    T`Name: ${NL(p)}`,
    T`Vorname: ${N(p.first)}`,
    chance(0.3) ? T`Geburtsname: ${N(surnameFor(pick(NAMES[p.origin].s), p.gender))}` : '',
    T`Geburtsdatum: ${dob(bd)}`,
    T`Anschrift: ${addr('inline')}`,
    T`Steuer-IdNr.: ${taxId()}`,
    T`Rentenversicherungsnummer: ${rvnr(p, bd)}`,
    T`Bankverbindung: IBAN ${iban()}${chance(0.4) ? T`, BIC ${bic()}` : ''}`,
    `Krankenkasse: ${pick(['AOK Rheinland/Hamburg', 'Techniker Krankenkasse', 'BARMER', 'DAK-Gesundheit', 'IKK classic'])}`,
    `Eingruppierung: TVöD ${pick(['E 6', 'E 8', 'E 9a', 'E 9b', 'E 10', 'E 11', 'S 11b', 'S 12'])}, Stufe ${int(1, 4)}`,
    chance(0.3) ? T`Schwerbehindertenausweis: ja, ${gdb()}, gültig bis ${caseDate(undefined, 2030)}` : `Schwerbehindertenausweis: nein`,
    T`Bearbeitung Personalservice: ${NF(sb)}`,
  );
});

tpl('personal_krankmeldung', 'personalamt', () => {
  const p = person(), boss = person(), hr = person();
  return L(
    T`Betreff: BEM-Angebot ${NF(p)}`,
    BL,
    T`Hallo ${N(boss.first)},`,
    BL,
    T`${HL(p)} ist seit dem ${caseDate()} durchgehend arbeitsunfähig erkrankt; damit sind innerhalb der letzten zwölf Monate mehr als sechs Wochen erreicht. Nach § 167 Abs. 2 SGB IX bieten wir ein Betriebliches Eingliederungsmanagement an. Aus dem Gespräch mit ${p.ihm} weiß ich, dass ${p.er} wegen der Diagnose ${diag()} behandelt wird${chance(0.4) ? T` (auf der vorgelegten Bescheinigung steht der Diagnoseschlüssel ${icd()})` : ''}; bitte diese Information vertraulich behandeln und nicht in die Personalakte aufnehmen.`,
    `Das Erstgespräch ist für ${weekday()}, ${caseDate()}, ${time()} Uhr in Zimmer ${roomNo()} vorgesehen.`,
    BL,
    `Viele Grüße`,
    NF(hr),
    `Personalservice`,
  );
});

tpl('personal_bewerbung', 'personalamt', () => {
  const p = person(), o = office();
  return L(
    T`Von: ${NF(p)} <${emailFor(p)}>`,
    T`An: ${ent('EMAIL', `bewerbung@${o.dom}`)}`,
    `Betreff: Bewerbung auf die Stelle ${pick(['Sachbearbeitung Wohngeld', 'Bauingenieur/in Hochbau', 'Fachinformatiker/in Systemintegration', 'Sozialarbeiter/in ASD', 'Verwaltungsfachangestellte/r Bürgerbüro'])} (Kennziffer ${int(10, 99)}/${int(2025, 2026)})`,
    BL,
    `Sehr geehrte Damen und Herren,`,
    BL,
    `mit großem Interesse habe ich Ihre Stellenausschreibung gelesen. Derzeit bin ich bei der ${pick(['Stadt Oberhausen', 'Bezirksregierung Düsseldorf', 'Gemeinde Alpen', 'Sparkasse am Niederrhein'])} tätig und möchte mich beruflich weiterentwickeln. Meinen Lebenslauf und die Zeugnisse finden Sie im Anhang.`,
    chance(0.35) ? T`Ich weise darauf hin, dass ich ${ent('HEALTH', 'schwerbehindert')} bin (${gdb()}) und um Berücksichtigung nach § 165 SGB IX bitte.` : hn(),
    BL,
    'Mit freundlichen Grüßen',
    NF(p),
    T`${addr('block')}`,
    T`Geboren am ${dob(birthDate(1970, 2003))}`,
    T`Mobil: ${phone('mobile')}`,
  );
});

tpl('personal_reisekosten', 'personalamt', () => {
  const p = person(), o = office();
  return L(
    `Reisekostenabrechnung (LRKG NRW)`,
    T`Dienstreisende${p.gender === 'f' ? '' : 'r'}: ${NC(p)}, ${o.unit}`,
    `Anlass: Fortbildung „Digitale Verwaltung“ in ${pick(['Berlin', 'Münster', 'Köln', 'Hannover'])}, ${dateRange(' bis ')}`,
    `Fahrtkosten: Bahn 2. Klasse ${amount(40, 240)}; Übernachtung ${amount(80, 300)} (Rechnungsnummer ${invoiceNo()})`,
    T`Bezahlt mit Dienstkreditkarte ${card()}${chance(0.3) ? T`; private Karte ${card()} irrtümlich belastet, bitte erstatten` : ''}.`,
    (() => { const b = bank(); return T`Erstattung auf IBAN ${b.iban} (BIC ${b.bic})`; })(),
    `Tagegeld: ${amount(14, 60)}`,
    hn(),
  );
});

tpl('personal_gdb_zusatzurlaub', 'personalamt', () => {
  const p = person(), sb = person(), o = office();
  return L(
    T`${AZ_CUE()}${caseNo()}`,
    BL,
    T`${p.geehrt} ${p.title}${NL(p)},`,
    BL,
    T`vielen Dank für die Vorlage des Bescheids des Versorgungsamts vom ${caseDate()}. Darin ist ein ${gdb()} festgestellt. Ihnen steht daher ab dem laufenden Urlaubsjahr ein Zusatzurlaub von fünf Arbeitstagen nach § 208 SGB IX zu. Die Schwerbehindertenvertretung (Frau ${NL(person({ gender: 'f' }))}) wurde gemäß § 178 Abs. 2 SGB IX unterrichtet.`,
    closing(),
    BL,
    signature(sb, o),
  );
});

tpl('personal_zeugnis', 'personalamt', () => {
  const p = person(), boss = person();
  return L(
    `Arbeitszeugnis (Entwurf)`,
    BL,
    T`${HF(p)}, geboren am ${dob(birthDate(1960, 2000))} in ${pick(['Wesel', 'Gelsenkirchen', 'Ankara', 'Danzig', 'Tuzla', 'Omsk', 'Neapel', 'Thessaloniki', 'Aleppo'])}, war vom ${caseDate(undefined, 2019)} bis ${caseDate()} als ${pick(['Verwaltungsfachangestellte', 'Sachbearbeiter', 'Bauzeichnerin', 'IT-Administrator', 'Sozialpädagogin'])} in unserem ${pick(['Fachbereich Jugend', 'Bürgerbüro', 'Fachdienst Straßenverkehr', 'Amt für Soziales'])} beschäftigt.`,
    T`${HL(p)} erledigte die übertragenen Aufgaben stets zu unserer vollsten Zufriedenheit. ${p.Sein} Verhalten gegenüber Vorgesetzten, Kolleginnen und Kollegen sowie Bürgerinnen und Bürgern war jederzeit einwandfrei.`,
    `Das Arbeitsverhältnis endet auf eigenen Wunsch. Wir danken für die Zusammenarbeit und wünschen für die Zukunft alles Gute.`,
    BL,
    `${pick(['Wesel', 'Moers', 'Dinslaken'])}, ${caseDate()}`,
    NF(boss),
    boss.gender === 'f' ? 'Fachbereichsleiterin' : 'Fachbereichsleiter',
  );
});

// --- Jugendamt ---
tpl('jugendamt_8a_meldung', 'jugendamt', () => {
  const mom = person({ gender: 'f' }), child = person({ entry: mom.entry, origin: mom.origin, child: true }), kita = person(), sb = person();
  return L(
    T`Meldung einer möglichen Kindeswohlgefährdung (§ 8a SGB VIII) – ${AZ_CUE()}${caseNo()}`,
    `Eingang: ${caseDate()}, ${time()} Uhr, ${pick(['telefonisch', 'per E-Mail', 'persönlich'])}`,
    BL,
    T`Kind: ${NF(child)}, geb. ${childDob()}`,
    T`Sorgeberechtigt: ${NF(mom)}${chance(0.5) ? T`, Tel. ${phone('mobile')}` : ''}`,
    T`Anschrift: ${addr(chance(0.5) ? 'inline' : 'block')}`,
    T`Meldende Person: ${HF(kita)}, Leitung ${pick(['Kita Sonnenschein', 'Familienzentrum St. Martin', 'OGS Feldmark', 'Kita Regenbogen'])}`,
    BL,
    T`${N(child.first)} sei in den letzten Wochen mehrfach ohne Frühstück und in nicht witterungsgerechter Kleidung gebracht worden. ${chance(0.5) ? T`Die Mutter habe gegenüber der Erzieherin angegeben, wegen ihrer Erkrankung (${diag()}) derzeit überfordert zu sein.` : 'Hinweise auf körperliche Gewalt liegen nicht vor.'}`,
    `Vereinbart: Hausbesuch durch den ASD innerhalb von 48 Stunden, kollegiale Beratung nach § 8a Abs. 1 SGB VIII.`,
    T`Fallzuständig: ${NF(sb)} (ASD ${pick(['Nord', 'Süd', 'Mitte'])})`,
  );
});

tpl('jugendamt_uvg', 'jugendamt', () => {
  const mom = person({ gender: 'f' }), dad = person({ gender: 'm' }), child = person({ entry: mom.entry, origin: mom.origin, child: true }), sb = person(), o = OFFICES[4];
  return L(
    T`Unterhaltsvorschuss – ${AZ_CUE()}${caseNo()}`,
    BL,
    T`Antragstellerin: ${NF(mom)}, ${addr('inline')}`,
    T`Kind: ${N(child.first)}, geb. ${childDob()}`,
    T`Barunterhaltspflichtiger Elternteil: ${NF(dad)}, geb. ${dob()}, letzte bekannte Anschrift ${addr(chance(0.5) ? 'inline' : 'street')}${chance(0.5) ? T`, Mobil ${phone('mobile')}` : ''}`,
    BL,
    `Der Vater zahlt nach Angaben der Mutter seit ${pick(MONTHS)} ${int(2023, 2025)} keinen Unterhalt. Leistungen nach dem UVG werden ab Antragsmonat bewilligt (${amount(180, 350)} monatlich). Der Unterhaltsanspruch geht nach § 7 UVG auf das Land über; Rückgriff wird eingeleitet.`,
    T`Auszahlung auf das Konto der Antragstellerin: ${iban()}`,
    T`${sbTitle(sb)}: ${NF(sb)}, ${officePhone(o)}`,
  );
});

tpl('jugendamt_hilfeplan', 'jugendamt', () => {
  const y = person({ child: true }), mom = person({ gender: 'f', entry: y.entry, origin: y.origin }), asd = person(), tr = person();
  return L(
    `Hilfeplangespräch nach § 36 SGB VIII`,
    `Datum: ${caseDate()}, ${timeRange(' – ')} Uhr, Ort: Kreishaus, Besprechungsraum ${roomNo()}`,
    BL,
    `Anwesend:`,
    T`${NF(y)} (Jugendliche${y.gender === 'f' ? '' : 'r'}, geb. ${dob(birthDate(2008, 2012))})`,
    T`${HF(mom)} (Mutter)`,
    T`${HF(tr)} (Bezugsbetreuer${tr.in}, ${pick(['Caritas', 'Diakonie', 'AWO', 'SOS-Kinderdorf'])})`,
    T`${NF(asd)} (ASD, Protokoll)`,
    BL,
    T`1. Rückblick: ${N(y.first)} besucht seit ${pick(MONTHS)} regelmäßig die Schule. Die ambulante Therapie wegen ${(([a, h]) => T`${a}${ent('HEALTH', h)}`)(pick([['einer ', 'Essstörung'], ['einer ', 'Angststörung'], ['', 'ADHS'], ['', 'selbstverletzenden Verhaltens'], ['einer ', 'depressiven Episode'], ['einer ', 'Cannabisabhängigkeit']]))} wird fortgesetzt.`,
    `2. Ziele: Verselbständigung, Ausbildungsplatzsuche, Stabilisierung der Tagesstruktur.`,
    `3. Die Hilfe nach § 34 SGB VIII wird für weitere sechs Monate fortgeführt; nächster Termin am ${caseDate('long')}.`,
  );
});

tpl('jugendamt_kita_mail', 'jugendamt', () => {
  const p = person(), child = person({ entry: p.entry, origin: p.origin, child: true }), o = OFFICES[4];
  return L(
    T`Von: ${NF(p)} <${emailFor(p)}>`,
    `Gesendet: ${caseDate('long')} ${time()}`,
    T`An: ${ent('EMAIL', `kita-platz@${o.dom}`)}`,
    `Betreff: Kitaplatz für unsere Tochter / unseren Sohn`,
    BL,
    `Guten Tag,`,
    BL,
    T`wir suchen ab ${pick(MONTHS)} einen Betreuungsplatz (45 Stunden) für ${N(child.first)} (* ${childDob()}). Wir sind am ${caseDate()} nach ${pick(['Moers', 'Neukirchen-Vluyn', 'Kamp-Lintfort'])} gezogen, ${addr('street')}.${chance(0.4) ? T` ${N(child.first)} hat ${(([a, h]) => T`${a}${ent('HEALTH', h)}`)(pick([['eine ', 'Erdnussallergie'], ['', 'Diabetes Typ 1'], ['eine ', 'Hörschädigung'], ['', 'Trisomie 21'], ['', 'Epilepsie']]))}, die Kita müsste darauf eingestellt sein.` : ''}`,
    `Über eine Rückmeldung würden wir uns sehr freuen ${chance(0.5) ? emoji() : ''}`,
    BL,
    `Viele Grüße`,
    chance(0.7) ? NF(p) : T`${N(p.first)} und ${NF(person({ entry: p.entry, origin: p.origin, gender: p.gender === 'f' ? 'm' : 'f' }))}`,
    T`Tel. ${phone()}`,
  );
});

// --- Briefe an Bürgerinnen und Bürger ---
tpl('brief_anhoerung', 'buergerbrief', () => {
  const p = person(), sb = person(), o = office();
  return L(
    opt(0.3, () => caps()),
    `${o.org}`,
    `${o.unit}`,
    T`${pick(['Kreishaus', 'Rathaus'])}, ${addr('inline')}`,
    BL,
    addressBlock(p),
    BL,
    T`${AZ_CUE()}${caseNo()}`,
    `${pick(['Wesel', 'Moers', 'Xanten', 'Dinslaken'])}, ${caseDate()}`,
    BL,
    `Anhörung gemäß § 28 VwVfG NRW`,
    BL,
    T`${p.geehrt} ${p.title}${NL(p)},`,
    BL,
    `es ist beabsichtigt, ${pick(['den Bewilligungsbescheid vom ' + caseDate() + ' teilweise zurückzunehmen', 'eine Gebühr in Höhe von ' + amount(50, 900) + ' festzusetzen', 'Ihnen die Haltung des Hundes zu untersagen', 'die Erlaubnis zu widerrufen'])}. Vor Erlass der Entscheidung erhalten Sie Gelegenheit, sich zu den entscheidungserheblichen Tatsachen zu äußern. Bitte nehmen Sie bis zum ${caseDate()} Stellung.`,
    hn(),
    closing(),
    BL,
    signature(sb, o),
  );
});

tpl('brief_zahlungserinnerung', 'buergerbrief', () => {
  const p = person(), sb = person(), o = office();
  return L(
    `${o.org} – Stadtkasse`,
    BL,
    addressBlock(p),
    BL,
    `Zahlungserinnerung`,
    BL,
    T`${p.geehrt} ${NL(p)},`,
    BL,
    `sicherlich haben Sie übersehen, dass die folgende Forderung noch offen ist: ${pick(['Abfallgebühren', 'Grundbesitzabgaben', 'Hundesteuer', 'Elternbeiträge OGS', 'Verwaltungsgebühr'])}, Rechnungsnummer ${invoiceNo()}, fällig am ${caseDate()}, offener Betrag ${amount(20, 800)}.`,
    T`Bitte überweisen Sie den Betrag innerhalb von 14 Tagen auf unser Konto ${iban('DE')} (BIC ${bic('DE')}). Sollten Sie inzwischen gezahlt haben, betrachten Sie dieses Schreiben als gegenstandslos.`,
    T`Zahlungen mit Kreditkarte sind über das Serviceportal möglich.`,
    BL,
    signature(sb, o, { iA: 0.8 }),
  );
});

tpl('brief_eingangsbestaetigung', 'buergerbrief', () => {
  const p = person(), sb = person(), o = office();
  return L(
    T`${p.geehrt} ${p.title}${NL(p)},`,
    BL,
    T`Ihr Antrag vom ${dateRange(' ist am ')} bei uns eingegangen. Unser Zeichen: ${caseNo()}. Bitte geben Sie dieses bei allen Rückfragen an.`,
    `Die Bearbeitungszeit beträgt derzeit etwa ${int(3, 12)} Wochen. ${hn()}`,
    BL,
    signature(sb, o, { tel: 0.9, mail: 0.9 }),
  );
});

tpl('brief_einbuergerung', 'buergerbrief', () => {
  const p = person({ origin: pick(['tr', 'pl', 'ar', 'yu', 'ru', 'it', 'gr']) }), sb = person(), o = OFFICES[0];
  return L(
    T`${AZ_CUE()}${caseNo()}`,
    `Einbürgerungsverfahren nach § 10 StAG`,
    BL,
    T`${p.geehrt} ${NL(p)},`,
    BL,
    T`für die Fortführung Ihres Verfahrens benötigen wir noch folgende Unterlagen: eine beglaubigte Kopie Ihres Reisepasses (Nr. ${passport()}), den Nachweis über den erfolgreich abgelegten Einbürgerungstest sowie das Sprachzertifikat B1. Ihre Angaben: geboren am ${dob()} in ${pick(['Izmir', 'Posen', 'Damaskus', 'Belgrad', 'Charkiw', 'Palermo', 'Thessaloniki', 'Mossul'])}, wohnhaft ${addr('inline')}.`,
    `Die Gebühr von 255,00 € ist bei Antragstellung fällig.`,
    BL,
    signature(sb, o),
  );
});

tpl('standesamt_urkunde', 'buergerbrief', () => {
  const p = person(), mom = person({ gender: 'f' }), dad = person({ gender: 'm' });
  return L(
    `Antrag auf Ausstellung einer Geburtsurkunde`,
    T`Name der Person: ${NF(p)}`,
    T`Geburtsdatum: ${dob()}`,
    `Geburtsort: ${pick(['Wesel', 'Moers', 'Dinslaken', 'Duisburg-Hamborn'])}`,
    T`Eltern: ${NF(mom)}${chance(0.5) ? T` geb. ${N(surnameFor(pick(NAMES[mom.origin].s), 'f'))}` : ''} und ${NF(dad)}`,
    `Anzahl: ${int(1, 3)} Ausfertigung(en), Verwendungszweck: ${pick(['Eheschließung', 'Rentenangelegenheit', 'Einbürgerung', 'Passantrag'])}`,
    T`Zustellung an: ${addr('inline')}`,
    `Gebühr je Urkunde 12,00 €, zahlbar per Überweisung.`,
    T`Rückfragen an ${emailFor(p)}`,
  );
});

tpl('meldebescheinigung', 'buergerbrief', () => {
  const p = person();
  return L(
    `Einfache Meldebescheinigung (§ 18 Abs. 1 BMG)`,
    BL,
    T`Familienname: ${NL(p)}`,
    T`Vornamen: ${N(p.first)}`,
    T`Geburtsdatum: ${dob()}`,
    T`Anschrift: ${addr(chance(0.5) ? 'inline' : 'block')}`,
    `Einzugsdatum: ${caseDate()}`,
    T`Frühere Anschrift: ${addr('inline')}`,
    BL,
    `Diese Bescheinigung wurde maschinell erstellt und ist ohne Unterschrift gültig.`,
  );
});

// --- Protokolle ---
tpl('protokoll_ausschuss', 'protokoll', () => {
  const chair = person(), m1 = person(), m2 = person(), adm = person(), cit = person();
  return L(
    `Niederschrift über die ${int(2, 30)}. Sitzung des ${pick(['Ausschusses für Soziales und Gesundheit', 'Bau- und Planungsausschusses', 'Jugendhilfeausschusses', 'Haupt- und Finanzausschusses'])}`,
    `am ${caseDate('long')}, Beginn ${pick(['15:00', '16:00', '17:00', '17:30'])} Uhr, Kreishaus, Sitzungssaal ${int(1, 3)}`,
    BL,
    T`Vorsitz: ${chair.gender === 'f' ? 'Frau' : 'Herr'} ${NF(chair)}`,
    T`Anwesend: ${NF(m1)}, ${NF(m2)} u. a. (siehe Anwesenheitsliste)`,
    T`Verwaltung: ${NF(adm)}`,
    BL,
    `TOP 1 – Genehmigung der Niederschrift der letzten Sitzung`,
    `Die Niederschrift wird einstimmig genehmigt.`,
    BL,
    `TOP 2 – Haushaltsplanentwurf ${int(2026, 2027)}, Drucksache ${drucksache()}`,
    T`${HL(m1)} fragt nach den Mehrkosten bei den Hilfen zur Erziehung (+${amount(100000, 900000)}). ${HL(adm)} erläutert die Fallzahlentwicklung.`,
    BL,
    `TOP 3 – Einwohnerfragestunde`,
    T`${HF(cit)} (${addr('inline')}) beklagt die Sperrung der ${pick(['Bislicher Straße', 'Reeser Landstraße', 'Dinslakener Straße'])}. Die Verwaltung sagt eine schriftliche Antwort zu.`,
    BL,
    `Ende der Sitzung: ${int(19, 21)}:${pick(['05', '20', '35', '50'])} Uhr`,
  );
});

tpl('protokoll_dienstbesprechung', 'protokoll', () => {
  const a = person(), b = person(), c = person(), d = person();
  return L(
    `Protokoll Teambesprechung ${pick(['Wohngeld', 'Bauaufsicht', 'Zulassung', 'ASD Nord', 'Bürgerbüro'])} – ${caseDate()}`,
    T`Teilnehmende: ${NF(a)}, ${NF(b)}, ${NF(c)}${chance(0.5) ? T`, ${NF(d)}` : ''}`,
    T`Protokoll: ${N(a.first)}`,
    BL,
    T`1. Urlaubsplanung Sommer: ${NF(b)} ist vom ${dateRange(' bis ')} abwesend, Vertretung ${NF(c)}.`,
    `2. Rückstände: derzeit ${int(40, 400)} unbearbeitete Anträge; Ziel bis ${pick(MONTHS)}: unter ${int(20, 60)}.`,
    T`3. ${NF(c)} berichtet vom Fall ${AZ_CUE()}${caseNo()}: die Antragstellerin ${NF(person({ gender: 'f' }))} hat mehrfach ${pick(['beleidigende E-Mails geschrieben', 'Termine nicht wahrgenommen', 'widersprüchliche Angaben gemacht'])}; Rücksprache mit der Leitung.`,
    `4. Der Drucker in Zimmer ${roomNo()} ist defekt, Ticket ist gestellt.`,
    `5. Nächste Besprechung: ${weekday()}, ${time()} Uhr.`,
  );
});

tpl('protokoll_personalrat', 'protokoll', () => {
  const p = person(), chair = person(), hr = person();
  return L(
    `Protokoll der Personalratssitzung vom ${caseDate()} (nicht öffentlich)`,
    T`Sitzungsleitung: ${NF(chair)}`,
    BL,
    T`TOP 4 – Beteiligung bei der ordentlichen Kündigung ${p.gender === 'f' ? 'der Beschäftigten' : 'des Beschäftigten'} ${NF(p)} (${pick(['Bauhof', 'Kreiskasse', 'Hausmeisterdienst', 'Bürgerbüro'])})`,
    T`Die Dienststelle (${NF(hr)}) begründet die beabsichtigte Kündigung mit krankheitsbedingten Fehlzeiten. Der Personalrat weist darauf hin, dass bei ${HL(p, true)} ein ${gdb()} festgestellt ist und das Integrationsamt zuzustimmen hat (§ 168 SGB IX). Die Erkrankung (${diag()}) ist nach Angaben der Vertrauensperson in Behandlung.`,
    `Beschluss: Der Personalrat erhebt Einwendungen (7 Ja, 2 Nein, 0 Enthaltungen).`,
  );
});

// --- E-Mails ---
tpl('mail_weiterleitung', 'email', () => {
  const a = person(), b = person(), c = person(), cit = person(), o = office();
  return L(
    T`Von: ${NC(a)} <${emailFor(a, o.dom)}>`,
    `Gesendet: ${weekday()}, ${caseDate('long')} ${time()}`,
    T`An: ${NC(b)} <${emailFor(b, o.dom)}>`,
    chance(0.6) ? T`Cc: ${NC(c)} <${emailFor(c, o.dom)}>` : '',
    `Betreff: WG: Beschwerde über Wartezeit`,
    BL,
    T`Hallo ${N(b.first)},`,
    `kannst du das bitte übernehmen? Ich bin ab morgen im Urlaub.`,
    T`Gruß ${N(a.first)}`,
    BL,
    `-----Ursprüngliche Nachricht-----`,
    T`Von: ${NF(cit)} <${emailFor(cit)}>`,
    `Gesendet: ${caseDate('long')} ${time()}`,
    T`An: ${funcMail(o)}`,
    `Betreff: Beschwerde über Wartezeit`,
    BL,
    T`Seit ${int(3, 14)} Wochen warte ich auf eine Antwort zu meinem Antrag (Az. ${caseNo()}). Telefonisch erreiche ich niemanden. Bitte rufen Sie mich zurück: ${phone()}.`,
    NF(cit),
  );
});

tpl('mail_abwesenheit', 'email', () => {
  const a = person(), b = person(), o = office();
  return L(
    `Betreff: Automatische Antwort: ${pick(['Ihre Anfrage', 'Antrag', 'Rückfrage Bauantrag', 'Termin'])}`,
    BL,
    `Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich ${caseDate()} nicht im Dienst; Ihre E-Mail wird nicht weitergeleitet.`,
    T`In dringenden Fällen wenden Sie sich bitte an ${b.gender === 'f' ? 'meine Kollegin Frau' : 'meinen Kollegen Herrn'} ${NL(b)}, Tel. ${officePhone(o)}, E-Mail ${emailFor(b, o.dom)}.`,
    BL,
    `Mit freundlichen Grüßen`,
    NF(a),
    `${o.org} | ${o.unit}`,
  );
});

tpl('mail_chat_teams', 'email', () => {
  const a = person(), b = person(), cit = person();
  let t = int(7 * 60 + 30, 16 * 60);
  const clock = () => { t += int(0, 9); return `${Math.floor(t / 60)}:${pad(t % 60)}`; };
  return L(
    T`[${clock()}] ${NF(a)}: @${N(b.first)} kannst du ${HL(cit, true)} zurückrufen? ${phone()} ${emoji()}`,
    T`[${clock()}] ${NF(b)}: ja mach ich. Worum geht's?`,
    T`[${clock()}] ${NF(a)}: ${pick(['Wohngeld, Nachweise fehlen', 'Ummeldung Fahrzeug', 'Bauantrag, Statik', 'Widerspruch gegen Bescheid'])}. Az. ${caseNo()}. ${cit.Er} ist sehr aufgebracht.`,
    T`[${clock()}] ${NF(b)}: ${pick(['👍', 'ok', 'erledigt ✅', 'läuft'])}`,
  );
});

tpl('mail_buerger_anfrage', 'email', () => {
  const p = person(), o = office();
  return L(
    T`Von: "${NC(p)}" <${emailFor(p)}>`,
    T`An: ${funcMail(o)}`,
    `Datum: ${caseDate('long')}, ${time()}`,
    `Betreff: Frage zu meinem Antrag`,
    BL,
    `Guten Tag,`,
    BL,
    T`ich habe am ${caseDate()} einen Antrag gestellt und noch keine Eingangsbestätigung erhalten. Meine Anschrift: ${addr(chance(0.5) ? 'inline' : 'block')}. Ich bin unter ${phone()} erreichbar.`,
    chance(0.3) ? T`PS: Meine Steuer-ID ist ${taxId()}, falls Sie die brauchen.` : '',
    BL,
    chance(0.5) ? 'Mit freundlichen Grüßen' : 'Viele Grüße',
    NF(p),
    chance(0.2) ? T`Gesendet von meinem iPhone ${emoji()}` : '',
  );
});

// --- IT ---
tpl('it_ticket_passwort', 'it', () => {
  const p = person(), admin = person(), o = office();
  return L(
    `Ticket INC-${int(2025, 2026)}-${digits(6)} | Priorität: ${pick(['hoch', 'mittel', 'niedrig'])} | Status: ${pick(['neu', 'in Bearbeitung', 'gelöst'])}`,
    T`Melder${p.in}: ${NF(p)} (${o.unit}, Zimmer ${roomNo()}, Tel. ${officePhone(o)})`,
    BL,
    `Beschreibung:`,
    `Nach dem erzwungenen Passwortwechsel kann sich die Benutzerin / der Benutzer nicht mehr an der Fachanwendung ${pick(['OK.SOZIUS', 'ProSoz', 'VOIS|MESO', 'Allris', 'ePayBL'])} anmelden. Fehlermeldung: „Konto gesperrt (Code 0x${hexStr(4)})“.`,
    BL,
    `Lösung:`,
    T`Konto entsperrt, Initialpasswort vergeben. ${pick(['Neues Kennwort', 'Passwort', 'Initialkennwort', 'Kennwort'])}: ${pw()}`,
    `Bitte beim ersten Login ändern (Richtlinie: mindestens 12 Zeichen).`,
    T`Bearbeiter: ${NF(admin)} – ${caseDate()} ${time()} Uhr`,
  );
});

tpl('it_ticket_api_leak', 'it', () => {
  const p = person(), sec = person();
  return L(
    `Sicherheitsvorfall ${caseDate()} – ${pick(['VERTRAULICH', 'intern', 'TLP:AMBER'])}`,
    BL,
    T`Im Build-Log der Pipeline ${pick(['fachverfahren-wohngeld', 'portal-frontend', 'ki-assistent', 'e-akte-connector'])} (Job #${int(1000, 99999)}) wurde ein Zugangsschlüssel im Klartext ausgegeben: ${apiKey()}`,
    T`Betroffener Server: ${ip(0.3)} (${pick(['app', 'web', 'db', 'ki'])}-${pick(['prod', 'test'])}-${pad(int(1, 12))}), Version ${version()}.`,
    T`Der Schlüssel wurde am ${caseDate()} um ${time()} Uhr widerrufen. Zusätzlich wurde ${chance(0.5) ? T`im Repository ein weiteres Token gefunden: ${apiKey()}` : 'das Repository bereinigt (git filter-repo)'}.`,
    T`Gemeldet von: ${NF(p)}; bearbeitet durch ${NF(sec)} (Informationssicherheit, ${emailFor(sec, pick(OFFICES).dom)}).`,
    `Meldung an die Datenschutzaufsicht nach Art. 33 DSGVO: nicht erforderlich (keine personenbezogenen Daten betroffen).`,
  );
});

tpl('it_config_leak', 'it', () => {
  const p = person(), o = office();
  const kv = shuffle([
    T`db.host=${ip(0.1)}`,
    `db.port=5432`,
    `db.user=${pick(['wohngeld_app', 'fachverfahren', 'portal', 'etl_user'])}`,
    T`${pick(['db.password', 'password', 'spring.datasource.password', 'PASSWORD'])}=${pw()}`,
    T`smtp.user=${emailFor(p, o.dom)}`,
    chance(0.6) ? T`aws_access_key_id=${ent('SECRET', awsKey())}` : `cache.ttl=3600`,
    chance(0.5) ? T`aws_secret_access_key=${ent('SECRET', awsSecret())}` : `log.level=INFO`,
    `app.version=${version()}`,
  ]);
  return L(
    T`Hallo ${N(person().first)},`,
    `anbei die Konfiguration, mit der es bei mir lokal funktioniert (${pick(['application.properties', '.env', 'config.ini'])}):`,
    BL,
    ...kv,
    BL,
    T`Gruß, ${NF(p)}`,
  );
});

tpl('it_private_key', 'it', () => {
  const p = person(), ext = person();
  return L(
    T`Betreff: SFTP-Zugang für ${pick(['Druckdienstleister', 'Rechenzentrum', 'Dienstleister Bußgeld', 'Archivdienst'])}`,
    BL,
    T`Hallo ${HL(ext)},`,
    BL,
    T`wie besprochen hier der Schlüssel für den Zugang zu sftp.${pick(OFFICES).dom} (Port 22, Benutzer transfer01). Bitte nach Import löschen!`,
    BL,
    privateKey(),
    BL,
    T`Fingerprint des Hostschlüssels: SHA256:${charsFrom(B62, 43)}`,
    T`Viele Grüße ${NF(p)}`,
  );
});

tpl('it_firewall_log', 'it', () => {
  const p = person();
  const lines = Array.from({ length: int(3, 6) }, () => T`${caseDate('dot', 2026)} ${time()}:${pad(int(0, 59))} DENY ${pick(['TCP', 'UDP'])} src=${ip(0.35)} dst=${ip(0.1)} dport=${pick([22, 443, 3389, 445, 5432, 8080])}`);
  return L(
    `Auszug Firewall-Log (${pick(['fw-kreishaus-01', 'fw-dmz-02', 'opnsense-rathaus'])}), Firmware ${version()}`,
    ...lines,
    BL,
    T`Auffällig: wiederholte RDP-Versuche. Rechner des Nutzers ${NF(p)} (${ip(0.2)}) vorsorglich isoliert.`,
  );
});

tpl('it_tokens_slack', 'it', () => {
  const a = person(), b = person();
  let t = int(8 * 60, 17 * 60);
  const clock = () => { t += int(1, 12); return `${Math.floor(t / 60)}:${pad(t % 60)}`; };
  return L(
    T`${NF(a)} [${clock()}]: hab den Bot jetzt mit ${apiKey()} konfiguriert, läuft ${emoji()}`,
    T`${NF(b)} [${clock()}]: Bitte keine Tokens in den Chat posten!! Sofort rotieren.`,
    T`${NF(a)} [${clock()}]: sorry, neues Token ist nur im Vault. Das alte ${pick(['Passwort', 'Kennwort'])} für den Service-Account war übrigens auch noch drin: ${pw()}`,
    T`${NF(b)} [${clock()}]: ok, Ticket ist angelegt (CHG-${digits(5)}).`,
  );
});

tpl('it_diensthandy', 'it', () => {
  const p = person(), o = office();
  return L(
    `Übergabeprotokoll mobiles Endgerät`,
    T`Empfänger${p.in}: ${NF(p)}, ${o.unit}`,
    `Gerät: ${pick(['Samsung Galaxy A55', 'iPhone 15', 'Google Pixel 8a'])}, Inventarnummer ${int(10000, 99999)}`,
    `IMEI: ${imei()}`,
    T`Rufnummer: ${phone('mobile')}`,
    `SIM-Kartennummer (ICCID): 8949${digits(15)}`,
    T`MDM-Registrierung über ${emailFor(p, o.dom)} erfolgt, Betriebssystem ${version()}.`,
    `Übergeben am ${caseDate()}.`,
  );
});

tpl('it_vpn_zugang', 'it', () => {
  const p = person(), o = office();
  return L(
    T`Guten Tag ${HL(p)},`,
    BL,
    `Ihr Zugang für das Homeoffice wurde eingerichtet.`,
    T`Gateway: vpn.${o.dom} (${ip(0)})`,
    `Benutzername: ${mailPart(p.first)[0]}${mailPart(p.last).replace(/[^a-z]/g, '').slice(0, 7)}`,
    T`Einmal-Kennwort: ${pw()}`,
    `Bitte ändern Sie das Kennwort bei der ersten Anmeldung. Die Zwei-Faktor-Authentisierung erfolgt per App.`,
    BL,
    `Ihr IT-Service`,
  );
});

// --- Gesundheit / Pflege ---
tpl('pflegegutachten', 'gesundheit', () => {
  const p = person(), doc = person(), a = person();
  const bd = birthDate(1930, 1965);
  return L(
    `Gutachten zur Feststellung der Pflegebedürftigkeit (§ 18 SGB XI)`,
    T`Versicherte Person: ${NF(p)}, geb. ${dob(bd)}`,
    T`Anschrift: ${addr('inline')}`,
    T`Pflegeperson: ${NF(a)}, Tel. ${phone()}`,
    BL,
    T`Pflegebegründende Diagnosen: ${diagIcd()}, ${chance(0.5) ? diagIcd() : diag()}`,
    `Modul 1 Mobilität: ${int(0, 10)} Punkte; Modul 2 kognitive Fähigkeiten: ${int(0, 15)} Punkte; Modul 4 Selbstversorgung: ${int(0, 40)} Punkte.`,
    T`Empfehlung: ${pflegegrad()} ab ${pick(MONTHS)} ${int(2025, 2026)}; Hilfsmittel: Rollator, Toilettensitzerhöhung.`,
    BL,
    T`Gutachter${doc.in}: ${doc.title || 'Dr. '}${NF(doc)}, Medizinischer Dienst Nordrhein`,
  );
});

tpl('ifsg_meldung', 'gesundheit', () => {
  const p = person(), doc = person(), sb = person(), o = OFFICES[2];
  return L(
    T`Meldung nach § 6 IfSG – ${AZ_CUE()}${caseNo()}`,
    `Eingang per Fax am ${caseDate()}`,
    BL,
    T`Erkrankung: ${ent('HEALTH', pick(['Tuberkulose', 'Masern', 'Hepatitis B', 'Norovirus-Gastroenteritis', 'Legionellose', 'Meningokokken-Meningitis', 'Keuchhusten']))}`,
    T`Patient${p.in}: ${NC(p)}, * ${dob()}`,
    T`Wohnort: ${addr('inline')}`,
    T`Tel.: ${phone()}`,
    T`Meldende Praxis: Dr. ${NF(doc)}, ${addr('inline')}, Tel. ${phone('land')}`,
    BL,
    `Kontaktpersonen werden ermittelt (Gemeinschaftseinrichtung: ${pick(['Kita', 'Grundschule', 'Pflegeheim', 'Sammelunterkunft'])}). ${hn()}`,
    T`Bearbeitung: ${NF(sb)}, ${o.unit}`,
  );
});

tpl('schwerbehinderung_bescheid', 'gesundheit', () => {
  const p = person(), sb = person(), o = OFFICES[0];
  return L(
    T`${AZ_CUE()}${caseNo()}`,
    `Feststellungsbescheid nach § 152 SGB IX`,
    BL,
    T`${p.geehrt} ${p.title}${NL(p)},`,
    BL,
    T`auf Ihren Antrag vom ${caseDate()} wird bei Ihnen ein ${gdb()} festgestellt. Die gesundheitlichen Merkmale für die Inanspruchnahme von Nachteilsausgleichen (${merkz()}) liegen vor.`,
    T`Folgende Funktionsbeeinträchtigungen wurden berücksichtigt: ${diag()} (${ent('HEALTH', `Einzel-GdB ${pick([30, 40, 50])}`)}), ${diag()} (${ent('HEALTH', `Einzel-GdB ${pick([10, 20])}`)}).`,
    rmLine(),
    BL,
    signature(sb, o),
  );
});

tpl('betreuung_anregung', 'gesundheit', () => {
  const p = person(), doc = person(), rel = person(), sb = person();
  return L(
    T`Betreuungsbehörde – Sozialbericht nach § 11 BtOG – ${AZ_CUE()}${caseNo()}`,
    BL,
    T`Betroffene Person: ${NF(p)}, geboren ${dob()}, derzeit ${pick(['im St.-Willibrord-Spital', 'in der LVR-Klinik Bedburg-Hau', 'im Evangelischen Krankenhaus Wesel', 'in der eigenen Wohnung'])}.`,
    T`Laut ärztlichem Attest von Dr. ${NF(doc)} vom ${caseDate()} besteht folgende Erkrankung: ${chance(0.5) ? diagIcd(pick(['ICD-10 ', 'ICD-10-GM: ', ''])) : diag()}. Die betroffene Person kann ihre Angelegenheiten in den Bereichen Vermögenssorge und Gesundheitssorge nicht mehr selbst besorgen.`,
    T`Als Betreuer${rel.in} wird ${rel.gender === 'f' ? 'die Nichte' : 'der Neffe'} ${NF(rel)} (${addr('inline')}, ${phone()}) vorgeschlagen.`,
    `Bericht an das Amtsgericht ${pick(['Wesel', 'Moers', 'Dinslaken', 'Rheinberg'])} (§ 1814 BGB).`,
    T`${NF(sb)}, ${caseDate()}`,
  );
});

tpl('schuleingang', 'gesundheit', () => {
  const child = person({ child: true }), par = person({ entry: child.entry, origin: child.origin });
  return L(
    `Schuleingangsuntersuchung – Ergebnismitteilung an die Eltern`,
    T`Kind: ${NF(child)}, geb. ${childDob()}`,
    T`Erziehungsberechtigte: ${NF(par)}, ${addr('inline')}`,
    BL,
    T`Befunde: Sehtest auffällig (Überweisung Augenarzt empfohlen); ${ent('HEALTH', pick(['Sprachentwicklungsstörung', 'motorische Entwicklungsverzögerung', 'Adipositas', 'Asthma bronchiale', 'Hörminderung links']))}. Impfstatus: Masernschutz nachgewiesen.`,
    `Empfehlung: Einschulung zum Schuljahr ${int(2026, 2027)}/${int(27, 28)} mit Förderung im Bereich Sprache.`,
    hn(),
  );
});

tpl('eingliederungshilfe', 'gesundheit', () => {
  const p = person(), sb = person(), o = OFFICES[0];
  return L(
    T`Gesamtplankonferenz Eingliederungshilfe – ${AZ_CUE()}${caseNo()}`,
    T`Leistungsberechtigte${p.gender === 'f' ? '' : 'r'}: ${NF(p)} (* ${dob(birthDate(1975, 2005))}), ${addr('street')}, ${pick(['Wesel', 'Voerde', 'Hünxe'])}`,
    T`Behinderung: ${diag()}; ${gdb()}; ${merkz()}`,
    `Bedarf: Assistenzleistungen ${int(4, 20)} Std./Woche, Teilhabe an Arbeit (WfbM).`,
    `Kosten: ${amount(800, 4000)} monatlich, Kostenträger LVR.`,
    T`Teilnehmende: ${NF(p)}, ${NF(sb)} (Fallmanagement), Frau ${NL(person({ gender: 'f' }))} (Wohnverbund)`,
  );
});

// --- Ordnungsamt / Sonstiges ---
tpl('fundsache', 'ordnungsamt', () => {
  const p = person();
  return L(
    `Fundanzeige Nr. ${int(100, 999)}/${int(2025, 2026)}`,
    `Fundort: ${pick(['Bahnhof Wesel, Gleis 2', 'Bus SB 6, Linie 82', 'Parkplatz Esplanade', 'Kreishaus, Foyer'])}, gefunden am ${caseDate()}`,
    T`Gegenstand: ${pick(['schwarze Geldbörse', 'braune Brieftasche', 'Rucksack'])} mit Bargeld (${amount(5, 120)}), Personalausweis (Nr. ${idCard()}) und ${pick(['Kreditkarte', 'Mastercard', 'VISA-Karte'])} ${card()}`,
    T`Eigentümer${p.in} laut Ausweis: ${NF(p)}, geb. ${dob()}, ${addr('inline')}`,
    T`Benachrichtigung: telefonisch am ${caseDate()} unter ${phone()}.`,
    `Aufbewahrungsfrist: 6 Monate (§ 973 BGB).`,
  );
});

tpl('gewerbeanmeldung', 'ordnungsamt', () => {
  const p = person();
  return L(
    `Gewerbeanmeldung nach § 14 GewO`,
    T`Name, Vorname: ${NC(p)}`,
    T`Geburtsdatum: ${dob()}`,
    T`Wohnanschrift: ${addr('inline')}`,
    T`Betriebsstätte: ${addr('inline')}`,
    `Tätigkeit: ${pick(['Hausmeisterservice', 'Online-Handel mit Textilien', 'Imbiss', 'Kosmetikstudio', 'Trockenbau', 'IT-Beratung'])}, Beginn ${caseDate()}`,
    T`Steuer-IdNr.: ${taxId()}`,
    chance(0.6) ? T`USt-IdNr.: ${vat()}` : `USt-IdNr.: beantragt`,
    T`Telefon: ${phone()}, E-Mail: ${emailFor(p)}`,
    `Gebühr: ${amount(20, 40)}`,
  );
});

tpl('hundesteuer', 'ordnungsamt', () => {
  const p = person(), sb = person(), o = office();
  return L(
    T`${AZ_CUE()}${caseNo()}`,
    BL,
    T`${p.geehrt} ${NL(p)},`,
    BL,
    T`Sie haben am ${caseDate()} einen ${pick(['Labrador', 'Mischling', 'Rottweiler', 'Dackel', 'Schäferhund'])} angemeldet. Die Hundesteuer beträgt ${amount(96, 180)} jährlich. Bitte teilen Sie uns mit, ob die Zahlung per Lastschrift von Ihrem Konto ${iban('DE')} erfolgen soll.`,
    T`Für Halterinnen und Halter mit ${merkz()} besteht keine Steuerermäßigung; eine Befreiung gibt es nur für Assistenzhunde.`,
    BL,
    signature(sb, o),
  );
});

tpl('auslaenderbehoerde', 'ordnungsamt', () => {
  const p = person({ origin: pick(['tr', 'ar', 'yu', 'ru', 'it', 'gr', 'pl']) }), sb = person();
  return L(
    T`Vorsprache Ausländerbehörde am ${caseDate()} – ${AZ_CUE()}${caseNo()}`,
    T`Person: ${NC(p)}, geb. ${dob()}`,
    T`Reisepass: ${passport()}, gültig bis ${caseDate(undefined, 2030)}`,
    T`Wohnanschrift: ${addr('inline')}`,
    T`${HL(p)} beantragt die Verlängerung der Aufenthaltserlaubnis nach § ${pick(['25 Abs. 1', '28 Abs. 1', '18b', '16b', '24'])} AufenthG. ${chance(0.4) ? T`Vorgelegt wurde ein Attest (Diagnose: ${diag()}), das ein Reiseverbot begründen soll.` : 'Die Lebensunterhaltssicherung ist nachgewiesen.'}`,
    T`Fiktionsbescheinigung ausgestellt. Erreichbarkeit: ${phone('mobile')}.`,
    T`${sbTitle(sb)}: ${NF(sb)}`,
  );
});

tpl('rentenantrag', 'sozialamt', () => {
  const p = person(), sb = person();
  const bd = birthDate(1955, 1962);
  return L(
    `Aufnahme eines Rentenantrags im Versicherungsamt`,
    T`Versicherte${p.gender === 'f' ? '' : 'r'}: ${NF(p)}, geboren am ${dob(bd)}`,
    T`Versicherungsnummer: ${rvnr(p, bd)}`,
    T`Steuerliche Identifikationsnummer: ${taxId()}`,
    T`Anschrift: ${addr('inline')}`,
    T`Zahlungsweg: ${iban()}`,
    `Rentenart: ${pick(['Altersrente für langjährig Versicherte', 'Regelaltersrente', 'Rente wegen voller Erwerbsminderung', 'Witwenrente'])}, Rentenbeginn ${caseDate()}.`,
    chance(0.4) ? T`Hinweis: Die zuerst genannte Versicherungsnummer ${rvnrBad(p)} ist fehlerhaft und wurde korrigiert.` : hn(),
    T`Aufgenommen von: ${NF(sb)}`,
  );
});

tpl('hotel_dienstreise', 'personalamt', () => {
  const p = person();
  return L(
    `Buchungsbestätigung ${pick(['Hotel am Stadtpark', 'Rheinhotel Dreesen', 'Hotel Kaiserhof', 'Novum Hotel'])}`,
    T`Gast: ${NF(p)}`,
    `Anreise: ${dateRange(', Abreise: ')}, ${int(1, 3)} Nächte, Einzelzimmer, ${amount(79, 189)} je Nacht`,
    T`Garantiert mit Kreditkarte ${card()}, gültig bis ${pad(int(1, 12))}/${int(27, 31)}`,
    T`Kontakt: ${emailFor(p)}, ${phone('mobile')}`,
    `Stornierung kostenfrei bis 18:00 Uhr am Anreisetag.`,
  );
});

tpl('ruecklastschrift_karte', 'buergerbrief', () => {
  const p = person(), o = office();
  return L(
    T`Guten Tag ${HF(p)},`,
    BL,
    `Ihre Online-Zahlung über das Serviceportal (Bestellnummer ${int(100000, 999999)}, ${amount(10, 120)}) konnte nicht abgeschlossen werden.`,
    T`Die angegebene Kartennummer ${cardBad()} ist ungültig. ${chance(0.5) ? T`Die im Kundenkonto hinterlegte Karte ${card()} wurde nicht belastet.` : ''}`,
    `Bitte versuchen Sie es erneut oder zahlen Sie per Überweisung.`,
    BL,
    `Ihr Team Serviceportal`,
    `${o.org}`,
  );
});

tpl('wohnungsgeberbestaetigung', 'buergerbrief', () => {
  const owner = person(), t1 = person(), t2 = person({ entry: t1.entry, origin: t1.origin });
  return L(
    `Wohnungsgeberbestätigung nach § 19 BMG`,
    T`Wohnungsgeber: ${NF(owner)}, ${addr('inline')}, Tel. ${phone()}`,
    T`Anschrift der Wohnung: ${addr(chance(0.5) ? 'inline' : 'block')}, ${pick(['EG links', '1. OG rechts', 'DG', '2. OG Mitte'])}`,
    `Einzug am: ${caseDate()}`,
    `Meldepflichtige Personen:`,
    T`1. ${NF(t1)}`,
    chance(0.6) ? T`2. ${NF(t2)}` : '',
    `Ich bestätige, dass die oben genannten Personen in die Wohnung eingezogen sind.`,
    `Hinweis: Es ist verboten, eine Wohnanschrift für eine Anmeldung anzubieten, ohne dass ein tatsächlicher Bezug beabsichtigt ist (Bußgeld bis 50.000 €).`,
  );
});

tpl('sepa_mandat', 'buergerbrief', () => {
  const p = person(), o = office();
  const b = bank();
  return L(
    `SEPA-Lastschriftmandat`,
    `Gläubiger: ${o.org}, Gläubiger-Identifikationsnummer DE${pad(int(10, 99))}ZZZ0000${digits(7)}`,
    `Mandatsreferenz: ${pick(['HST', 'GBA', 'ABF'])}-${digits(8)}`,
    BL,
    T`Kontoinhaber${p.in}: ${NC(p)}`,
    T`Anschrift: ${addr('inline')}`,
    T`IBAN: ${b.iban}`,
    T`BIC: ${b.bic}`,
    BL,
    `Ich ermächtige die ${o.org}, Zahlungen von meinem Konto mittels Lastschrift einzuziehen.`,
    `${pick(['Wesel', 'Xanten', 'Moers'])}, ${caseDate()}`,
  );
});

tpl('plain_sentences', 'sozialamt', () => {
  const a = person(), b = person(), c = person();
  return L(
    T`${NF(a)} hat am ${caseDate()} angerufen und mitgeteilt, dass ${a.er} ab ${pick(MONTHS)} wieder in Vollzeit arbeitet.`,
    T`${NF(b)} war ebenfalls im Bürgerbüro; ${b.seine} neue Anschrift lautet ${addr('inline')}.`,
    T`Die Unterlagen von ${NF(c)} fehlen weiterhin. ${NL(c)} ist telefonisch unter ${phone()} zu erreichen.`,
    hn(),
  );
});

tpl('gmail_english_mixed', 'email', () => {
  const p = person(), q = person();
  return L(
    T`From: ${NF(p)} <${emailFor(p)}>`,
    T`To: ${NF(q)} <${emailFor(q)}>`,
    `Subject: Re: Termin Bürgerbüro`,
    BL,
    T`Hi ${N(q.first)}, danke dir! Mein Termin ist am ${caseDate()} um ${time()} Uhr. Ich bringe den Ausweis (${idCard()}) mit. Falls was ist: ${phone('mobile')} ${emoji()}`,
    BL,
    `> On ${caseDate()} you wrote:`,
    T`> Denk an die Meldebescheinigung und deine Steuer-ID ${taxId()}!`,
  );
});

// --- Kämmerei / Bürgerbüro / Sozialversicherung (more checksummed identifiers) ---
tpl('kreditor_stammdaten', 'kaemmerei', () => {
  const p = person(), sb = person();
  const b = bank();
  return L(
    `Anlage Kreditorenstammsatz Nr. ${int(700000, 799999)}`,
    `Firma: ${pick(['Malerbetrieb', 'Elektro', 'Garten- und Landschaftsbau', 'Dolmetscherdienst', 'Reinigungsservice', 'Sanitär'])} ${pick(['Niederrhein', 'Rheinblick', 'am Markt', 'Lippe', 'West'])} (Einzelunternehmen)`,
    T`Inhaber${p.in}: ${NF(p)}`,
    T`Anschrift: ${addr('inline')}`,
    T`USt-IdNr.: ${vat()}`,
    chance(0.4) ? `Vorher gemeldete USt-IdNr. ${vatBad()} wurde vom BZSt als ungültig bestätigt.` : hn(),
    T`IBAN: ${b.iban}`,
    T`BIC: ${b.bic}`,
    T`Ansprechpartner${p.in}: ${NF(p)}, Tel. ${phone()}, ${emailFor(p)}`,
    T`Erfasst: ${NF(sb)}, ${caseDate()}; Freigabe Vier-Augen-Prinzip ausstehend.`,
  );
});

tpl('rechnung_eingang', 'kaemmerei', () => {
  const p = person(), o = office();
  const b = bank('DE');
  return L(
    `RECHNUNG Nr. ${invoiceNo()}`,
    `Rechnungsdatum: ${caseDate()}`,
    `An: ${o.org}, ${o.unit}`,
    BL,
    `Leistung: ${pick(['Übersetzung eines Gutachtens (Arabisch–Deutsch), 14 Normseiten', 'Dolmetschereinsatz im Jugendamt, 3 Stunden', 'Malerarbeiten Kita Regenbogen', 'Baumpflege Schulhof'])}`,
    `Nettobetrag: ${amount(200, 3000)}`,
    `zzgl. 19 % USt`,
    BL,
    T`${NF(p)} · ${addr('inline')}`,
    T`USt-IdNr. ${vat()} · Steuer-IdNr. ${taxId()}`,
    T`Bank: ${b.iban} · ${b.bic}`,
    T`Tel. ${phone()} · ${emailFor(p)}`,
  );
});

tpl('verlustanzeige_dokument', 'buergerbuero', () => {
  const p = person(), sb = person();
  const what = pick(['Reisepass', 'Personalausweis', 'Reisepass und Personalausweis']);
  return L(
    `Verlustanzeige – ${what}`,
    T`Antragsteller${p.in}: ${NF(p)}, geb. ${dob()}`,
    T`Wohnanschrift: ${addr('inline')}`,
    what.includes('Reisepass') ? T`Verlorener Reisepass: Nr. ${passport()}, ausgestellt von der Stadt ${pick(['Wesel', 'Moers', 'Duisburg', 'Xanten'])}` : '',
    what.includes('Personalausweis') ? T`Verlorener Personalausweis: Seriennummer ${idCard()}` : '',
    `Verlustort/-zeit: ${pick(['Urlaubsreise', 'Bahnhof Duisburg', 'Schwimmbad', 'unbekannt'])}, ca. ${caseDate()}`,
    `Das Dokument wurde im Schengener Informationssystem zur Fahndung ausgeschrieben. Gebühr für den vorläufigen Ausweis: ${amount(10, 27)}.`,
    T`Aufgenommen: ${NF(sb)}, Bürgerbüro`,
  );
});

tpl('passantrag', 'buergerbuero', () => {
  const p = person(), sb = person();
  return L(
    `Antrag auf Ausstellung eines Reisepasses (${pick(['32 Seiten', '48 Seiten'])}, ${pick(['Normalverfahren', 'Expressverfahren'])})`,
    T`Familienname: ${NL(p)}`,
    T`Vorname(n): ${N(p.first)}`,
    T`Tag der Geburt: ${dob()}`,
    `Größe: ${int(150, 200)} cm, Augenfarbe: ${pick(['braun', 'blau', 'grün', 'grau'])}`,
    T`Anschrift: ${addr('inline')}`,
    T`Bisheriger Reisepass: ${passport()} (${pick(['abgelaufen', 'ungültig gemacht', 'verloren gemeldet'])})`,
    T`Identitätsnachweis: Personalausweis ${idCard()}`,
    `Gebühr: ${pick(['70,00', '92,00', '102,00', '124,00'])} €; Abholung ab ${caseDate()}.`,
    T`Sachbearbeitung: ${NF(sb)}`,
  );
});

tpl('verpflichtungserklaerung', 'ordnungsamt', () => {
  const host = person(), guest = person({ origin: pick(['tr', 'ar', 'yu', 'ru']) }), sb = person();
  return L(
    `Verpflichtungserklärung nach §§ 66 bis 68 AufenthG`,
    T`Einladende Person: ${NF(host)}, geb. ${dob()}, Personalausweis ${idCard()}`,
    T`Anschrift: ${addr('inline')}, Tel. ${phone()}`,
    T`Eingeladene Person: ${NC(guest)}, geb. ${dob()}, Reisepass ${passport()}`,
    `Aufenthaltsdauer: ${dateRange(' bis ')}; Zweck: Familienbesuch.`,
    `Bonitätsprüfung: Nettoeinkommen ${amount(1800, 5000)} nachgewiesen. Gebühr 29,00 €.`,
    T`Unterschrieben vor ${NF(sb)} am ${caseDate()}.`,
  );
});

tpl('sv_meldung', 'personalamt', () => {
  const p = person(), sb = person();
  const bd = birthDate(1960, 2005);
  return L(
    `DEÜV-Meldung – Abgabegrund ${pick(['10 (Anmeldung)', '30 (Abmeldung)', '50 (Jahresmeldung)'])}`,
    T`Versicherungsnummer: ${rvnr(p, bd)}`,
    T`Name: ${NL(p)}, Vorname: ${N(p.first)}`,
    T`Geburtsdatum: ${dob(bd)}`,
    T`Anschrift: ${addr('inline')}`,
    `Beschäftigungszeit: ${dateRange(' bis ')}, Entgelt ${amount(4000, 60000)}`,
    `Personengruppe 101, Beitragsgruppe 1111, Tätigkeitsschlüssel ${digits(9)}`,
    chance(0.5) ? T`Steuer-IdNr.: ${taxId()}` : `Steuer-IdNr.: liegt vor`,
    T`Erstellt: ${NF(sb)}, Entgeltabrechnung`,
  );
});

tpl('minijob_personalbogen', 'personalamt', () => {
  const p = person(), sb = person();
  const bd = birthDate(1950, 2006);
  const b = bank();
  return L(
    `Personalfragebogen für geringfügig Beschäftigte`,
    T`${NC(p)}`,
    T`geb. am ${dob(bd)} in ${pick(['Wesel', 'Bocholt', 'Ankara', 'Breslau', 'Mostar', 'Odessa', 'Bari'])}`,
    T`${addr('block')}`,
    T`Rentenversicherungsnummer ${rvnr(p, bd)}`,
    T`Identifikationsnummer ${taxId()}`,
    T`Bankverbindung: ${b.iban} / ${b.bic}`,
    `Befreiung von der Rentenversicherungspflicht: ${pick(['ja', 'nein'])}; Arbeitsentgelt ${amount(200, 556)} monatlich.`,
    chance(0.5) ? T`Kontakt: ${phone('mobile')}, ${emailFor(p)}` : hn(),
    T`Eingang geprüft: ${NF(sb)}`,
  );
});

tpl('kfz_steuer_lastschrift', 'strassenverkehrsamt', () => {
  const p = person();
  const b = bank('DE');
  return L(
    `SEPA-Mandat Kraftfahrzeugsteuer (Hauptzollamt)`,
    T`Fahrzeughalter${p.in}: ${NF(p)}, Steuer-ID ${taxId()}`,
    T`Kennzeichen: ${plate()}`,
    T`IBAN ${b.iban}, BIC ${b.bic}`,
    `Die Zulassungsbehörde leitet das Mandat an das Hauptzollamt weiter. Die Jahressteuer beträgt voraussichtlich ${amount(30, 600)}.`,
    `${pick(['Wesel', 'Moers', 'Dinslaken'])}, den ${caseDate()}`,
  );
});

tpl('it_passwort_mail_extern', 'it', () => {
  const p = person(), q = person(), o = office();
  return L(
    T`Von: ${NC(p)} <${emailFor(p, o.dom)}>`,
    T`An: ${emailFor(q, pick(['dienstleister-it.de', 'kommunal-rechenzentrum.de', 'citkomm.de', 'krz.de']))}`,
    `Betreff: Zugangsdaten Testumgebung`,
    BL,
    T`Hallo ${HL(q)},`,
    T`für den Test der Schnittstelle: https://test.${o.dom}/api (Server ${ip(0.3)}), Benutzer svc_test, password=${pw()}`,
    T`Der API-Schlüssel für den KI-Dienst lautet ${apiKey()}.`,
    `Bitte nach dem Test am ${caseDate()} löschen.`,
    T`Grüße, ${NF(p)}`,
  );
});

// ---------------------------------------------------------------------------
// Templates without personal data (only hard negatives)
// ---------------------------------------------------------------------------
const NEG = (name, domain, fn) => tpl(name, domain, fn, true);
const streetOnly = () => pick(['Bislicher Straße', 'Reeser Landstraße', 'Konrad-Adenauer-Straße', 'Friedrich-Ebert-Straße',
  'Dinslakener Straße', 'Hamminkelner Weg', 'Schermbecker Landstraße', 'Willy-Brandt-Platz', 'Heinrich-Heine-Straße', 'Brüner Landstraße']);
const orgAfterPerson = () => pick(['Konrad-Adenauer-Gymnasium', 'Sophie-Scholl-Realschule', 'Friedrich-Ebert-Stiftung', 'Max-Planck-Institut',
  'Robert-Koch-Institut', 'Willy-Brandt-Haus', 'Heinrich-Heine-Universität', 'Andreas-Vesalius-Gymnasium', 'Paul-Ehrlich-Institut', 'Bertha-von-Suttner-Gesamtschule']);
const school = () => pick(['Konrad-Adenauer-Gymnasium', 'Sophie-Scholl-Realschule', 'Andreas-Vesalius-Gymnasium', 'Bertha-von-Suttner-Gesamtschule',
  'Käthe-Kollwitz-Schule', 'Janusz-Korczak-Schule', 'Astrid-Lindgren-Grundschule', 'Lise-Meitner-Gymnasium', 'Gottfried-Wilhelm-Leibniz-Gymnasium', 'Anne-Frank-Realschule']);
const officeTitle = () => pick(['der Landrat', 'die Bürgermeisterin', 'der Bürgermeister', 'die Kämmerin', 'der Kreisdirektor',
  'die Amtsleitung', 'die Fachbereichsleiterin', 'der Beigeordnete', 'die Datenschutzbeauftragte', 'der Dezernent', 'die Gleichstellungsbeauftragte']);
const cap1 = (s) => s[0].toUpperCase() + s.slice(1);

NEG('neg_strassensperrung', 'pressemitteilung', () => L(
  `Pressemitteilung – ${caseDate()}`,
  BL,
  `Sperrung der ${streetOnly()} zwischen ${pick(['Kreisverkehr', 'Einmündung Hauptstraße', 'Lippebrücke'])} und ${pick(['Ortsausgang', 'Bahnübergang', 'B 58'])}`,
  BL,
  `Wegen Kanalbauarbeiten wird die Fahrbahn vom ${dateRange(' bis voraussichtlich ')} voll gesperrt. Die Umleitung erfolgt über die ${road()} und die ${road()}. Der Linienbus SB ${int(1, 9)} fährt eine Ersatzhaltestelle an.`,
  `${cap1(officeTitle())} bittet die Anwohnerinnen und Anwohner um Verständnis. Die Baukosten von rund ${euro(100000, 2000000)} € trägt der Kreis zu ${int(30, 70)} Prozent.`,
  `Die Arbeiten beginnen jeweils um ${time()} Uhr. Im PLZ-Bereich ${pick(['46483', '46485', '46499', '47441'])} kann es zu Verzögerungen bei der Müllabfuhr kommen.`,
));

NEG('neg_ratsbeschluss', 'protokoll', () => L(
  `Beschlussvorlage Drucksache ${drucksache()} – ${pick(['öffentlich', 'ÖFFENTLICH'])}`,
  `Beratungsfolge: Haupt- und Finanzausschuss ${caseDate()}, Kreistag ${caseDate('long')}`,
  BL,
  `Beschlussvorschlag:`,
  `Der Kreistag beschließt die ${int(1, 5)}. Änderung der Gebührensatzung für den Rettungsdienst. Die Gebühr für einen Krankentransport steigt von ${amount(200, 400)} auf ${amount(400, 600)}.`,
  BL,
  `Begründung:`,
  `Nach ${para()} sind die Gebühren kostendeckend zu kalkulieren. Die Kalkulation (Anlage 1, Version ${version()}) weist eine Unterdeckung von ${amount(50000, 900000)} aus. ${cap1(officeTitle())} empfiehlt die Annahme.`,
  `Finanzielle Auswirkungen: Produkt ${pad(int(1, 16))}.${pad(int(1, 9))}.${pad(int(1, 9))}, Sachkonto ${int(400000, 599999)}.`,
));

NEG('neg_haushalt', 'kaemmerei', () => {
  const rows = Array.from({ length: int(4, 7) }, () => `${pad(int(1, 16))}.${pad(int(1, 9))}.${pad(int(1, 9))} | ${pick(['Soziale Leistungen', 'Kinder-, Jugend- und Familienhilfe', 'Bauaufsicht', 'Straßenverkehr', 'Gesundheitsdienste', 'Informationstechnik', 'Schulträgeraufgaben'])} | ${euro(10000, 9000000)} € | ${euro(10000, 9000000)} €`);
  return L(
    `Haushaltsplan ${int(2026, 2027)} – Übersicht Teilergebnispläne (Beträge in EUR)`,
    `Produkt | Bezeichnung | Ansatz ${int(2026, 2027)} | Ergebnis ${int(2024, 2025)}`,
    ...rows,
    BL,
    `Stand: ${caseDate()}, ${time()} Uhr. Die Kreisumlage beträgt ${int(30, 40)},${int(1, 99)} Prozent. ${hn()}`,
  );
});

NEG('neg_it_changelog', 'it', () => L(
  `Release Notes Fachverfahren ${pick(['Wohngeld', 'Bußgeld', 'E-Akte', 'KI-Assistent'])} ${version()}`,
  `Build ${int(10, 11)}.0.${int(17000, 26100)}.${int(100, 5000)} – ausgerollt am ${caseDate()} ab ${time()} Uhr`,
  BL,
  `- Fehlerbehebung: Sortierung nach Eingangsdatum (Ticket-Nr. ${int(10000, 99999)})`,
  `- Aktualisierung der Bibliothek openssl auf ${int(3, 3)}.${int(0, 5)}.${int(0, 15)}`,
  `- Neue Schnittstelle zur ePayBL (Protokollversion ${int(1, 4)}.${int(0, 9)})`,
  `- Commit ${hexStr(7)}, Artefakt-Prüfsumme SHA-256 ${hexStr(64)}`,
  `- Mandanten-ID ${uuid()}`,
  `- Task-Force-Board: Risk-Assessment ergänzt`,
  BL,
  `Bekannte Einschränkung: Das Feld „Passwort vergessen?“ wird in Firefox ${int(115, 140)} falsch dargestellt.`,
));

NEG('neg_formular_hinweise', 'buergerbrief', () => L(
  `Ausfüllhinweise zum Antrag auf ${pick(['Wohngeld', 'Elterngeld', 'Bildung und Teilhabe', 'einen Bewohnerparkausweis'])}`,
  BL,
  `Feld 4: Geben Sie Ihre IBAN an (22 Stellen, beginnend mit DE). Die BIC ist bei inländischen Überweisungen nicht erforderlich.`,
  `Feld 5: Ihre Steuer-Identifikationsnummer (11-stellig) finden Sie auf Ihrem Einkommensteuerbescheid.`,
  `Feld 6: Die Rentenversicherungsnummer ist 12-stellig und enthält einen Buchstaben.`,
  `Feld 9: Telefonnummer und E-Mail-Adresse sind freiwillige Angaben (Art. 6 Abs. 1 lit. a DSGVO).`,
  `Feld 12: Geburtsdatum im Format TT.MM.JJJJ.`,
  BL,
  `Bitte senden Sie den Antrag bis zum ${caseDate()} zurück. ${hn()}`,
  `Hinweis: Wir fragen niemals per E-Mail nach Ihrem Passwort oder Ihrer PIN.`,
));

NEG('neg_ungueltige_pruefziffern', 'it', () => L(
  `Prüfprotokoll Datenimport ${caseDate()} – ${int(2, 9)} Datensätze abgewiesen`,
  BL,
  `Satz ${int(1, 400)}: IBAN ${ibanBad()} – Prüfsumme falsch`,
  `Satz ${int(401, 800)}: Steuer-IdNr. ${taxIdBad()} – Prüfziffer ungültig`,
  `Satz ${int(801, 1200)}: USt-IdNr. ${vatBad()} – Prüfziffer ungültig`,
  `Satz ${int(1201, 1600)}: Versicherungsnummer ${rvnrBad()} – Prüfziffer ungültig`,
  chance(0.6) ? `Satz ${int(1601, 2000)}: Kartennummer ${cardBad()} – Luhn-Prüfung fehlgeschlagen` : '',
  chance(0.6) ? `Satz ${int(2001, 2400)}: Ausweisnummer ${idCardBad()} – Prüfziffer ungültig` : '',
  chance(0.5) ? `Satz ${int(2401, 2800)}: IBAN ${ibanBad(pick(['AT', 'NL', 'FR', 'PL']))} – Prüfsumme falsch` : '',
  BL,
  `Status: ${caps()}, ${caps()}. Die abgewiesenen Sätze wurden an die Fachabteilung zurückgegeben (Rechnungsnummer der Importgebühr ${invoiceNo()}).`,
));

NEG('neg_satzung', 'kaemmerei', () => L(
  `Satzung über die Erhebung von Gebühren für ${pick(['die Abfallentsorgung', 'die Benutzung der Obdachlosenunterkünfte', 'Amtshandlungen der Bauaufsicht', 'die Sondernutzung öffentlicher Straßen'])} vom ${caseDate('long')}`,
  BL,
  `§ 1 Gegenstand`,
  `(1) Für die Inanspruchnahme werden Gebühren nach Maßgabe dieser Satzung erhoben. (2) ${para()} bleibt unberührt.`,
  `§ 2 Gebührenhöhe`,
  `(1) Die Gebühr beträgt je angefangenem Monat ${amount(5, 300)}, mindestens jedoch EUR ${int(10, 50)}. (2) Für Ausnahmen nach Art. 6 DSGVO gilt Absatz 1 entsprechend.`,
  `§ 3 Inkrafttreten`,
  `Diese Satzung tritt am ${caseDate()} in Kraft. Gleichzeitig tritt die Satzung vom ${caseDate(undefined, 2019)} außer Kraft.`,
));

NEG('neg_kantine', 'intern', () => L(
  `Rundmail an alle Beschäftigten`,
  BL,
  `Liebe Kolleginnen und Kollegen,`,
  BL,
  `ab ${pick(MONTHS)} ändern sich die Öffnungszeiten der Kantine: Montag bis ${pick(['Donnerstag', 'Freitag'])} ${pick(['11:00', '11:30', '11:45'])} bis 14:00 Uhr. Der ${pick(['Koch', 'Küchenchef'])} unserer Kantine bietet dann täglich ein vegetarisches Gericht für ${amount(3, 7)} an.`,
  `Außerdem: Der Bauer vom Hof an der ${streetOnly()} liefert freitags Gemüse. Ein ${pick(['Richter', 'Schöffe'])} vom Amtsgericht hält am ${caseDate('long')} einen Vortrag zum Betreuungsrecht in Raum ${roomNo()}.`,
  `Der Fischer vom Wochenmarkt kommt im ${pick(MONTHS)} nicht. Die Weberei-Ausstellung im Foyer ist bis ${caseDate()} verlängert.`,
  BL,
  `Viele Grüße`,
  `Ihr Team Personalservice`,
));

NEG('neg_wolf', 'pressemitteilung', () => L(
  `Wolfssichtung im Kreisgebiet`,
  BL,
  `Der Wolf, der am ${caseDate()} bei ${pick(['Hünxe', 'Schermbeck', 'Hamminkeln', 'Sonsbeck'])} gesichtet wurde, stammt nach einer DNA-Analyse des ${pick(['Senckenberg-Instituts', 'Friedrich-Loeffler-Instituts', 'Robert-Koch-Instituts', 'Max-Planck-Instituts für Evolutionsbiologie'])} aus dem Territorium ${pick(['Schermbeck', 'Hünxe', 'Lippe'])}. ${cap1(officeTitle())} betont, dass von dem Tier keine Gefahr für Menschen ausgeht.`,
  `Weidetierhalter können Fördermittel für Herdenschutz beantragen (Förderrichtlinie Wolf, Zuschuss bis ${amount(1000, 30000)}). Anträge bis ${caseDate()}.`,
  `Ein Schäfer und ein Jäger aus der Region berichteten von Rissen an der ${road()}. Die Untere Naturschutzbehörde ist montags bis freitags von 8:00 bis 12:30 Uhr erreichbar.`,
));

NEG('neg_veranstaltung_gesundheit', 'gesundheit', () => L(
  `Veranstaltungshinweis: Aktionswoche ${pick(['Seelische Gesundheit', 'Demenz', 'Diabetes', 'Pflege im Quartier'])}`,
  BL,
  `Vom ${dateRange(' bis ')} informieren das Gesundheitsamt und die ${pick(['Alzheimer Gesellschaft', 'Selbsthilfe-Kontaktstelle', 'Pflegeberatung'])} im Foyer des Kreishauses über Unterstützungsangebote.`,
  `Programm: ${pick(['10:00', '14:00', '16:00'])} Uhr Vortrag „Leistungen der Pflegeversicherung: Was bedeuten die Pflegegrade?“; ${pick(['11:30', '15:30', '17:30'])} Uhr Austausch für Angehörige.`,
  `Der Eintritt ist frei. Veranstaltungsort: Sitzungssaal ${int(1, 3)}, barrierefrei erreichbar; Stellplatz ${int(1, 20)} bis ${int(21, 40)} sind reserviert.`,
  `Rechtsgrundlage für die Pflegeberatung ist § 7a SGB XI.`,
));

NEG('neg_statistik_kfz', 'strassenverkehrsamt', () => L(
  `Jahresbericht Straßenverkehrsamt ${int(2024, 2025)}`,
  BL,
  `Im Jahr ${int(2024, 2025)} wurden ${int(20000, 60000).toLocaleString('de-DE')} Fahrzeuge zugelassen, davon ${int(1000, 9000).toLocaleString('de-DE')} mit E-Kennzeichen und ${int(100, 900)} mit H-Kennzeichen. ${int(60, 90)} Prozent der Pkw erfüllen die Abgasnorm Euro 6.`,
  `Die durchschnittliche Wartezeit auf einen Termin betrug ${int(3, 15)} Werktage. Wunschkennzeichen kosten ${amount(10, 13)} zusätzlich; die Reservierung ist 90 Tage gültig.`,
  `Auf der ${road()} und der ${road()} wurden ${int(10, 90)} stationäre Messanlagen betrieben. Verwarnungsgelder: ${euro(100000, 900000)} €.`,
  `Öffnungszeiten: ${weekday()} ${time()}–12:30 Uhr.`,
));

NEG('neg_raumbuchung', 'intern', () => L(
  `Raumbuchung bestätigt`,
  `Raum: Zimmer ${roomNo()} (${int(6, 30)} Plätze, Beamer)`,
  `Datum: ${caseDate()}, ${timeRange(' bis ')} Uhr`,
  `Anlass: ${pick(['Schulung E-Akte', 'Workshop KI-Richtlinie', 'Dienstbesprechung ABTEILUNG 3', 'Vorbereitung Kreistag'])}`,
  `Parken: Stellplatz ${int(1, 80)} in der Tiefgarage, Zufahrt über die ${streetOnly()}.`,
  `Bitte beachten: Die Sitzung am ${caseDate('long')} entfällt. ${hn()}`,
));

NEG('neg_vergabe', 'kaemmerei', () => L(
  `Öffentliche Ausschreibung – Vergabenummer ${int(2025, 2026)}-V-${pad(int(1, 120), 3)}`,
  `Leistung: ${pick(['Lieferung von 250 Notebooks', 'Reinigung der Verwaltungsgebäude', 'Winterdienst auf Kreisstraßen', 'Druck und Versand von Bescheiden'])}`,
  `Angebotsfrist: ${caseDate()}, 12:00 Uhr; Bindefrist: ${caseDate()}`,
  `Geschätzter Auftragswert: ${euro(50000, 900000)} € netto. Eignungsnachweise nach §§ 44 bis 49 VgV.`,
  `Bestellnummer der Vergabeunterlagen: ${digits(10)}. Fragen ausschließlich über die Vergabeplattform.`,
  `ACHTUNG: Angebote per E-Mail werden ausgeschlossen. ${hn()}`,
));

NEG('neg_hochwasser', 'pressemitteilung', () => L(
  `${pick(['HINWEIS', 'ACHTUNG', 'EILT'])}: Hochwasserlage am Niederrhein`,
  `Der Pegel Wesel steht am ${caseDate()} um ${time()} Uhr bei ${int(6, 10)},${int(10, 99)} m (Rhein-km ${int(810, 830)},${int(0, 9)}). Die Rheinpromenade ist gesperrt.`,
  `${cap1(officeTitle())} hat den Krisenstab einberufen. Die Deichverteidigung ist in Alarmstufe ${int(1, 3)}.`,
  `Informationen gibt es über die Warn-App NINA und unter der Rubrik „Hochwasser“ auf der Internetseite des Kreises. Sandsäcke werden am Bauhof ausgegeben (max. ${int(20, 50)} Stück je Haushalt).`,
));

NEG('neg_org_namen', 'pressemitteilung', () => L(
  `Schulentwicklungsplanung: ${school()} und ${school()} erhalten Neubauten`,
  `Auch der Standort ${school()} wird bis ${int(2028, 2031)} erweitert; die Kosten betragen ${euro(1000000, 30000000)} €. Die Zufahrt über den ${pick(['Willy-Brandt-Platz', 'Konrad-Adenauer-Ring', 'Friedrich-Ebert-Platz'])} bleibt erhalten.`,
  `In den Monaten ${pick(MONTHS)} und ${pick(MONTHS)} finden Informationsabende statt. Im August beginnt der Unterricht in Containern.`,
  `Die Maßnahme ist Teil des Programms „Gute Schule ${int(2025, 2030)}“ des Landes NORDRHEIN-WESTFALEN.`,
));

NEG('neg_muster_brief', 'buergerbrief', () => L(
  `Musterschreiben – Vorlage V${int(1, 40)}`,
  BL,
  `Sehr geehrte Damen und Herren,`,
  BL,
  `vielen Dank für Ihre Anfrage vom ${caseDate()}. Leider können wir Ihrem Anliegen nicht entsprechen, da die Voraussetzungen nach ${para()} nicht vorliegen. ${hn()}`,
  `Gegen diese Entscheidung können Sie innerhalb eines Monats WIDERSPRUCH erheben.`,
  BL,
  `Mit freundlichen Grüßen`,
  `Im Auftrag`,
  `[Name der Sachbearbeitung]`,
));

NEG('neg_datenschutzhinweis', 'buergerbrief', () => L(
  `Informationen nach Art. 13 DSGVO`,
  `Verantwortlich: ${pick(OFFICES).org}, vertreten durch ${officeTitle().replace(/^(der|die) /, (m) => (m === 'der ' ? 'den ' : 'die '))}.`,
  `Zwecke der Verarbeitung: Bearbeitung Ihres Antrags nach ${para()}. Rechtsgrundlage: Art. 6 Abs. 1 lit. e DSGVO i. V. m. ${para()}.`,
  `Speicherdauer: ${int(3, 10)} Jahre nach Abschluss des Verfahrens (Frist bis ${caseDate(undefined, int(2028, 2036))}).`,
  `Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16 DSGVO) und Beschwerde bei der Landesbeauftragten für Datenschutz und Informationsfreiheit NRW.`,
  `Gesundheitsdaten werden nur verarbeitet, soweit Art. 9 Abs. 2 lit. h DSGVO dies erlaubt.`,
));

NEG('neg_schulung', 'intern', () => L(
  `FORTBILDUNG ${pick(['DEUTSCHLAND', 'DIGITAL', 'KOMPAKT'])}: „${pick(['Datenschutz im Verwaltungsalltag', 'KI sicher nutzen', 'Bescheide verständlich schreiben', 'Informationssicherheit'])}“`,
  `Termin: ${weekday()}, ${caseDate('long')}, ${time()} Uhr, Dauer ${int(2, 6)} Stunden, Raum ${roomNo()}`,
  `Inhalte: Was sind personenbezogene Daten? Warum dürfen IBAN, Steuer-ID, Gesundheitsdaten und Passwörter nicht in externe KI-Dienste eingegeben werden? Übung mit fiktiven Fällen.`,
  `ABTEILUNG ${int(1, 6)} stellt ${int(2, 8)} Plätze bereit. Anmeldung über das Fortbildungsportal bis ${caseDate()}.`,
  `Teilnahmegebühr: keine (interne Kostenverrechnung ${amount(50, 200)}).`,
));

NEG('neg_mail_funktional', 'email', () => L(
  `Betreff: Wartungsfenster ${caseDate()}`,
  BL,
  `Liebe Kolleginnen und Kollegen,`,
  `am ${weekday()} zwischen ${timeRange(' und ', 17, 21)} Uhr werden die Server der Fachverfahren auf Version ${version()} aktualisiert. Die Anmeldung ist in dieser Zeit nicht möglich.`,
  `Bitte speichern Sie offene Vorgänge rechtzeitig. Das Kennwort muss nach dem Update NICHT geändert werden.`,
  `Das Zertifikat des Webservers wurde erneuert:`,
  certBlock(pick(['CERTIFICATE', 'PUBLIC KEY'])),
  BL,
  `Ihr IT-Service`,
));

NEG('neg_monate_begriffe', 'intern', () => L(
  `Terminübersicht ${pick(['1. Halbjahr', '2. Halbjahr'])} ${int(2026, 2027)}`,
  `Januar: Inventur der Lagerbestände; Februar: Jahresabschluss; März: Personalversammlung (Stadthalle, ${time()} Uhr); April: Girls' Day; Mai: Tag der offenen Tür; Juni: Betriebsausflug; Juli und August: Sommerpause der Gremien.`,
  `Fristen: Haushaltsanmeldungen bis ${dateRange('; Stellenplan bis ')}.`,
  `Zuständig: ${officeTitle()} bzw. ${officeTitle()}. Zimmer ${roomNo()}, Stellplatz ${int(1, 50)}.`,
  `Hinweis zur IMEI-Inventur: Geräte mit IMEI ${imei()} und ${imei()} wurden ausgesondert.`,
));

NEG('neg_bussgeld_allgemein', 'bussgeldstelle', () => L(
  `Merkblatt Bußgeldverfahren`,
  `Ein Bußgeldbescheid wird rechtskräftig, wenn nicht innerhalb von zwei Wochen nach Zustellung Einspruch eingelegt wird (§ 67 OWiG). Ab einer Geldbuße von 60 Euro erfolgt eine Eintragung im Fahreignungsregister.`,
  `Beispiel: Überschreitung der zulässigen Höchstgeschwindigkeit innerorts um ${int(16, 20)} km/h: ${amount(70, 70)}; Parken im Halteverbot: EUR 25 bis EUR 55.`,
  `Zahlungen an die Kreiskasse sind nur mit dem im Bescheid genannten Aktenzeichen möglich. ${hn()}`,
  `Messstellen befinden sich u. a. an der ${road()} und der ${streetOnly()}.`,
));

// ---------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------
const N_POS = 680;
const N_NEG = 230;

function fail(msg) { throw new Error(msg); }
const compact = (s) => s.replace(/[\s-]/g, '');
function taxValid(s) {
  const d = compact(s);
  if (!/^[1-9]\d{10}$/.test(d)) return false;
  const counts = {};
  for (const c of d.slice(0, 10)) counts[c] = (counts[c] ?? 0) + 1;
  const multi = Object.values(counts).filter((n) => n > 1);
  if (multi.length !== 1 || multi[0] > 3) return false;
  return mod1110(d.slice(0, 10).split('').map(Number)) === Number(d[10]);
}
const VALIDATORS = {
  IBAN: (v) => ibanValid(compact(v)),
  TAX_ID: taxValid,
  VAT_ID: (v) => { const d = compact(v); return /^DE[1-9]\d{8}$/.test(d) && mod1110(d.slice(2, 10).split('').map(Number)) === Number(d[10]); },
  SOCIAL_SECURITY: (v) => { const d = compact(v); return /^\d{8}[A-Z]\d{3}$/.test(d) && rvCheck(d.slice(0, 11)) === Number(d[11]); },
  CREDIT_CARD: (v) => { const d = compact(v); return /^\d{15,16}$/.test(d) && luhnValid(d); },
  ID_CARD: (v) => /^[LMNPRTVWXY][0-9CFGHJKLMNPRTVWXYZ]{8}$/.test(v) || (/^[LMNPRTVWXY][0-9CFGHJKLMNPRTVWXYZ]{8}\d$/.test(v) && mrzCheck(v.slice(0, 9)) === Number(v[9])),
  PASSPORT: (v) => /^[CFGHJK][0-9CFGHJKLMNPRTVWXYZ]{8}$/.test(v) || (/^[CFGHJK][0-9CFGHJKLMNPRTVWXYZ]{8}\d$/.test(v) && mrzCheck(v.slice(0, 9)) === Number(v[9])),
  PERSON: (v) => !/^(Herr|Herrn|Frau|Dr\.|Prof\.)\s/.test(v),
};

function finalize(frag, id, neg) {
  const text = frag.text;
  const buf = Buffer.from(text, 'utf8');
  if (buf.toString('utf8') !== text) fail(`${id}: text is not valid UTF-8`);
  if (text !== text.normalize('NFC')) fail(`${id}: text is not NFC`);
  const ents = frag.ents
    .map((e) => ({
      type: e.type,
      start: Buffer.byteLength(text.slice(0, e.cs), 'utf8'),
      end: Buffer.byteLength(text.slice(0, e.ce), 'utf8'),
      value: e.value,
    }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (neg && ents.length) fail(`${id}: negative template produced entities: ${JSON.stringify(ents)}`);
  let prevEnd = -1;
  for (const e of ents) {
    const got = buf.subarray(e.start, e.end).toString('utf8');
    if (got !== e.value) fail(`${id}: span ${e.type} ${e.start}-${e.end} is ${JSON.stringify(got)}, expected ${JSON.stringify(e.value)}`);
    if (e.end <= e.start) fail(`${id}: empty span`);
    if (e.value !== e.value.trim()) fail(`${id}: ${e.type} span has surrounding whitespace: ${JSON.stringify(e.value)}`);
    if (e.start < prevEnd) fail(`${id}: overlapping spans at ${e.start}`);
    prevEnd = e.end;
    const ok = VALIDATORS[e.type];
    if (ok && !ok(e.value)) fail(`${id}: ${e.type} value fails its own check: ${JSON.stringify(e.value)}`);
  }
  return ents.map(({ type, start, end }) => ({ type, start, end }));
}

// Hard negatives that must fail their checks (guards the generator's own negatives)
for (let i = 0; i < 200; i++) {
  if (ibanValid(compact(ibanBad()))) fail('ibanBad produced a valid IBAN');
  if (taxValid(taxIdBad())) fail('taxIdBad produced a valid tax id');
  if (VALIDATORS.VAT_ID(vatBad())) fail('vatBad produced a valid VAT id');
  if (VALIDATORS.SOCIAL_SECURITY(rvnrBad())) fail('rvnrBad produced a valid RVNR');
  if (luhnValid(compact(cardBad()))) fail('cardBad produced a Luhn-valid number');
  const bad = idCardBad();
  if (mrzCheck(bad.slice(0, 9)) === Number(bad[9])) fail('idCardBad has a valid check digit');
  if (!luhnValid(compact(imei()))) fail('imei not Luhn-valid');
}
// Known examples from the specifications
if (taxValid('36574261809') !== true || !VALIDATORS.VAT_ID('DE136695976') || !VALIDATORS.SOCIAL_SECURITY('15070649C103')
  || !VALIDATORS.SOCIAL_SECURITY('65170839J003') || mrzCheck('T22000129') !== 3 || !ibanValid('DE89370400440532013000')) {
  fail('a checksum implementation disagrees with a published example');
}

const pos = TPL.filter((t) => !t.neg), negs = TPL.filter((t) => t.neg);
const schedule = [];
for (let i = 0; i < N_POS; i++) schedule.push(pos[i % pos.length]);
for (let i = 0; i < N_NEG; i++) schedule.push(negs[i % negs.length]);
const order = shuffle(schedule);

const counter = new Map();
const lines = [];
const seen = new Set();
const stats = { texts: 0, neg: 0, entities: {}, bytes: 0, nonAsciiTexts: 0 };
for (const t of order) {
  const k = (counter.get(t.name) ?? 0) + 1;
  counter.set(t.name, k);
  const id = `${t.name}-${pad(k, 3)}`;
  const frag = t.fn();
  const entities = finalize(frag, id, t.neg);
  if (seen.has(frag.text)) fail(`${id}: duplicate text`);
  seen.add(frag.text);
  lines.push(JSON.stringify({ id, domain: t.domain, text: frag.text, entities }));
  stats.texts++;
  if (!entities.length) stats.neg++;
  for (const e of entities) stats.entities[e.type] = (stats.entities[e.type] ?? 0) + 1;
  stats.bytes += Buffer.byteLength(frag.text);
  if (/[^\x00-\x7f]/.test(frag.text)) stats.nonAsciiTexts++;
}
const out = lines.join('\n') + '\n';

// Re-read check: offsets hold after JSON round trip
for (const line of out.trimEnd().split('\n')) {
  const o = JSON.parse(line);
  const b = Buffer.from(o.text, 'utf8');
  for (const e of o.entities) if (e.end > b.length) fail(`${o.id}: span past end of text`);
}

if (CHECK_ONLY) {
  let old = '';
  try { old = readFileSync(OUT, 'utf8'); } catch { /* missing */ }
  if (old !== out) { console.error(`${OUT} is not what the generator produces (run: node tests/pii/generate.mjs)`); process.exit(1); }
  console.error(`${OUT} is up to date`);
} else {
  writeFileSync(OUT, out);
}
console.error(`templates: ${pos.length} with personal data, ${negs.length} without`);
console.error(`texts: ${stats.texts} (${stats.neg} without entities), ${stats.nonAsciiTexts} with non-ASCII characters, ${stats.bytes} bytes of text`);
const total = Object.values(stats.entities).reduce((a, b) => a + b, 0);
console.error(`entities: ${total}`);
for (const [k, v] of Object.entries(stats.entities).sort((a, b) => b[1] - a[1])) console.error(`  ${k.padEnd(16)} ${v}`);
