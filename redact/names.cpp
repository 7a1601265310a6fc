#include "redact/names.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <array>
#include <span>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "redact/text.h"

namespace lp::redact {
using namespace std::string_view_literals;

extern const std::string_view first_names_data;
extern const std::string_view surnames_data;

namespace {

// Word hash: the first and last eight bytes and the length, mixed by one 64x64->128 multiply
// (a byte-by-byte hash costs a multiply per byte on the critical path). Longer words differing
// only in the middle collide, which the tables resolve by comparing keys.
inline std::uint64_t fast_hash(std::string_view w) noexcept {
  const std::size_t n = w.size();
  std::uint64_t a = 0, b = 0;
  const char* p = w.data();
  if (n >= 8) {
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t x, y;
    std::memcpy(&x, p, 4);
    std::memcpy(&y, p + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = static_cast<unsigned char>(p[0]) | static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8 |
        static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16;
  }
  const unsigned __int128 m = static_cast<unsigned __int128>(a ^ 0x9E3779B97F4A7C15ull) *
                              (b ^ 0xC2B2AE3D27D4EB4Full ^ (static_cast<std::uint64_t>(n) << 56));
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}

struct word_hash {
  std::size_t operator()(std::string_view w) const noexcept { return static_cast<std::size_t>(fast_hash(w)); }
};
using name_table = std::unordered_map<std::string_view, unsigned char, word_hash>;
using word_set = std::unordered_set<std::string_view, word_hash>;

name_table load(std::string_view data) {
  name_table t;
  t.reserve(16384);
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    std::string_view line = data.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty() || line[0] == '#') continue;
    unsigned char kind = 1;
    if (const auto tab = line.find('\t'); tab != std::string_view::npos) {
      kind = line.substr(tab + 1) == "ambiguous" ? 2 : 1;
      line = line.substr(0, tab);
    }
    t.emplace(line, kind);
  }
  return t;
}

const name_table& first_names() {
  static const name_table t = load(first_names_data);
  return t;
}
const name_table& surnames() {
  static const name_table t = load(surnames_data);
  return t;
}



// One lookup per capitalised word: first-name kind in bits 0-1, surname kind in bits 2-3,
// bit 4 stop word, bit 5 role cue.
constexpr unsigned char stop_bit = 16, role_bit = 32, title_bit = 64, academic_bit = 128;
const name_table& names();

// Capitalised words that are never (part of) a name: titles and offices, roles, months and
// days, frequent nouns of administrative text that start sentences or follow a first name.
const word_set& stop_words() {
  static const word_set s = {
      "Herr", "Herrn", "Frau", "Frauen", "Herren", "Damen", "Dame", "Familie", "Eheleute", "Fräulein",
      "Landrat", "Landrätin", "Bürgermeister", "Bürgermeisterin", "Oberbürgermeister", "Oberbürgermeisterin",
      "Präsident", "Präsidentin", "Minister", "Ministerin", "Dezernent", "Dezernentin", "Amtsleiter",
      "Amtsleiterin", "Leiter", "Leiterin", "Vorsitzende", "Vorsitzender", "Direktor", "Direktorin", "Kollege",
      "Kollegin", "Kollegen", "Kolleginnen", "Doktor", "Professor", "Professorin", "Richter", "Richterin",
      "Rechtsanwalt", "Rechtsanwältin", "Notar", "Notarin", "Sachbearbeiter", "Sachbearbeiterin", "Stadtrat",
      "Kreistag", "Rat", "Ausschuss", "Dr", "Prof", "Dipl", "Ing", "Med", "Mag", "Team", "Abteilung", "Amt",
      "Stadt", "Kreis", "Gemeinde", "Verwaltung", "Behörde", "Jobcenter", "Sozialamt", "Jugendamt", "Bauamt",
      "Ordnungsamt", "Antrag", "Anträge", "Bescheid", "Widerspruch", "Schreiben", "Unterlagen", "Straße",
      "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
      "Dezember", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag", "Mit", "Und",
      "Oder", "Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Bitte", "Vielen", "Dank", "Sehr",
      "Liebe", "Lieber", "Hallo", "Guten", "Tag", "Grüße", "Grüßen", "Gruß", "Ihr", "Ihre", "Ihren", "Sie",
      "Wir", "Ich", "Er", "Es", "Für", "Von", "An", "Am", "Im", "In", "Zum", "Zur", "Bei", "Nach", "Aus",
      "Kind", "Kinder", "Sohn", "Tochter", "Vater", "Mutter", "Eltern", "Deutschland", "Europa", "Euro",
      "Betreff", "Anlage", "Anlagen", "Hinweis", "Datum", "Name", "Vorname", "Nachname", "Telefon", "Fax",
      "Mail", "E-Mail", "Hausnummer", "Postfach", "Aktenzeichen", "Az", "Seite", "Nr", "Gz", "Tel", "Mobil",
      "Unterschrift", "Protokoll", "Sitzung", "Tagesordnung", "Beschluss", "Landkreis", "Bundesland", "Rathaus",
      "Kreishaus", "Bezirksregierung", "Finanzamt", "Polizei", "Gericht", "Amtsgericht", "Landgericht",
      "Sozialgericht", "Verwaltungsgericht", "Krankenkasse", "Rentenversicherung", "Bank", "Sparkasse",
      "Volksbank", "Postbank", "GmbH", "AG", "KG", "Frühling", "Sommer", "Herbst", "Winter", "Ostern",
      "Pfingsten", "Weihnachten", "Silvester", "Neujahr", "Gott", "Kirche", "Schule", "Kita", "Universität",
      "Ford", "Opel", "Audi", "Skoda", "Škoda", "Seat", "Fiat", "Toyota", "Renault", "Peugeot", "Citroën", "Volvo",
      "Mercedes", "Mercedes-Benz", "Porsche", "Tesla", "Kia", "Hyundai", "Dacia", "Mazda", "Nissan", "Honda", "Smart",
      "Mini", "Octavia", "Golf", "Polo", "Passat", "Astra", "Corsa", "Fabia", "Transit", "Custom", "Combi", "Kombi",
      "Sprinter", "Caddy", "Tiguan", "Yaris", "Clio", "Megane", "Focus", "Fiesta", "Kuga", "Zafira", "Insignia", "Server",
      "Client", "Windows", "Linux", "Office", "Outlook", "Teams", "Excel", "Word", "Microsoft", "Google", "Apple",
      "Art", "Abs", "Ziff", "Lit", "Pflegegrad", "Pflegestufe", "Grad", "Diagnose", "Diagnosen", "Merkzeichen",
      "Behinderung", "Haupt", "Anwesenheitsliste", "Verwaltung", "Fachdienst", "Fachbereich", "Dezernat", "Referat",
      // frequent nouns and abbreviations that are also in the name lists
      "Mio", "Mrd", "Tsd", "Termin", "Termine", "Auskunft", "Dauer", "Zeit", "Major", "Incident", "Hotel", "Reis",
      "Nord", "Süd", "Ost", "West", "Mitte", "Ende", "Anfang", "Summe", "Preis", "Stand", "Status", "Ergebnis",
      "Ratsfrau", "Ratsherr", "Ratsmitglied", "Standesbeamtin", "Standesbeamter", "Gerichtsvollzieher",
      "Gerichtsvollzieherin", "Kämmerer", "Kämmerin", "Staatsanwalt", "Staatsanwältin", "Kommissar", "Kommissarin",
      "Polizeikommissar", "Polizeikommissarin", "Polizeihauptkommissar", "Polizeihauptkommissarin", "Pfarrer",
      "Pfarrerin", "Abgeordnete", "Abgeordneter", "Stadträtin", "Beigeordnete", "Beigeordneter",
      "Fachbereichsleiter", "Fachbereichsleiterin", "Sozialarbeiter", "Sozialarbeiterin", "Erzieher", "Erzieherin",
      "Hebamme", "Fachkraft", "Koll", "Job", "Jobs", "Reha", "Wolf", "German", "English", "January", "February",
      "March", "May", "June", "July", "October", "December", "Vito", "Vienna", "Paris", "Palermo", "Rom", "Wien",
      "Elektro", "Sanitär", "Kita", "Regenbogen",
  };
  return s;
}

constexpr std::string_view noun_suffixes[] = {
    "ung"sv, "heit"sv, "keit"sv, "schaft"sv, "tion"sv, "ität"sv, "nis"sv, "tum"sv, "amt"sv, "stelle"sv, "ismus"sv,
    "gesetz"sv, "verfahren"sv, "antrag"sv, "bescheid"sv, "geld"sv, "leistung"sv, "schule"sv, "gymnasium"sv,
    "zentrum"sv, "klinik"sv, "kolleg"sv, "stiftung"sv, "verein"sv, "ausschuss"sv, "behörde"sv, "gericht"sv,
    "verband"sv, "kasse"sv, "grad"sv, "stufe"sv, "angebot"sv, "anlage"sv, "straße"sv, "strasse"sv};

bool noun_suffix(std::string_view w) {
  if (w.size() < 6) return false;  // the shortest suffix (3 bytes) plus three
  const char last = w.back();
  for (std::string_view suf : noun_suffixes) {
    if (suf.back() == last && w.size() > suf.size() + 2 && w.ends_with(suf)) {
      // Ergebnis, Zeugnis, but Greek names: Karagiannis, Giannis
      return !(suf == "nis"sv && w.ends_with("nnis"sv));
    }
  }
  return false;
}

// Words after which the next capitalised words are a name (the title is not part of it).
// Words after which the next capitalised words are a name; abbreviated ones need their dot
// ("Hr.", "Dr."); greetings ("Liebe Anna,") take a known first name.
constexpr std::string_view strong_titles[] = {"Herr", "Herrn", "Frau", "Familie", "Eheleute", "Ehepaar", "Witwe",
                                              "Witwer", "Mr", "Mrs", "Ms", "Fräulein"};
constexpr std::string_view dotted_titles[] = {"Hr", "Fr", "Fam", "Dr", "Prof"};
constexpr std::string_view greetings[] = {"Liebe", "Lieber", "Hallo", "Hi", "Dear", "Servus", "Moin"};

bool strong_title(std::string_view w) {
  return std::find(std::begin(strong_titles), std::end(strong_titles), w) != std::end(strong_titles);
}
bool dotted_title(std::string_view w) {
  return std::find(std::begin(dotted_titles), std::end(dotted_titles), w) != std::end(dotted_titles);
}
// Academic titles between the cue and the name.
constexpr std::string_view academic_titles[] = {
    "Architekt"sv, "Architektin"sv, "Rechtsanwalt"sv, "Rechtsanwältin"sv, "RA"sv, "RAin"sv, "Notar"sv, "Notarin"sv,
    "Steuerberater"sv, "Steuerberaterin"sv, "Ing"sv, "Dipl.-Ing"sv, "Dr"sv, "Prof"sv, "med"sv, "dent"sv, "vet"sv,
    "rer"sv, "nat"sv, "phil"sv, "jur"sv, "oec"sv, "pol"sv, "habil"sv, "Dipl"sv, "Kfm"sv, "Mag"sv, "h.c"sv,
    "mult"sv, "MBA"sv, "LL.M"sv, "M.A"sv, "B.A"sv};

bool academic(std::string_view w) {
  if (w.size() < 2 || w.size() > 16) return false;
  for (std::string_view t : academic_titles) {
    if (t[0] == w[0] && t == w) return true;
  }
  return false;
}
// Roles and labels after which a known name follows ("die Antragstellerin Petra Lang",
// "Sachbearbeiter: Jan Berg").
const word_set& role_words() {
  static const word_set s = {
      "Kollege", "Kollegin", "Sachbearbeiter", "Sachbearbeiterin", "Antragsteller", "Antragstellerin", "Mitarbeiter",
      "Mitarbeiterin", "Bewerber", "Bewerberin", "Patient", "Patientin", "Klient", "Klientin", "Mandant", "Mandantin",
      "Schüler", "Schülerin", "Mieter", "Mieterin", "Vermieter", "Vermieterin", "Eigentümer", "Eigentümerin", "Halter",
      "Halterin", "Fahrzeughalter", "Fahrzeughalterin", "Betroffene", "Betroffener", "Zeuge", "Zeugin", "Bauherr",
      "Bauherrin", "Kind", "Sohn", "Tochter", "Vater", "Mutter", "Ehemann", "Ehefrau", "Lebenspartner",
      "Lebenspartnerin", "Vormund", "Betreuer", "Betreuerin", "Beschäftigte", "Beschäftigter", "Beamtin", "Beamter",
      "Name", "Vorname", "Nachname", "Ansprechpartner", "Ansprechpartnerin", "Bearbeiter", "Bearbeiterin", "Absender",
      "Absenderin", "Empfänger", "Empfängerin", "Verfasser", "Verfasserin", "Unterschrift", "Teilnehmer", "Teilnehmerin",
      "Leistungsberechtigte", "Leistungsberechtigter", "Kunde", "Kundin", "Bürger", "Bürgerin", "Einwender",
      "Einwenderin", "Beschwerdeführer", "Beschwerdeführerin", "Widerspruchsführer", "Widerspruchsführerin",
      "Anwohner", "Anwohnerin", "Nachbar", "Nachbarin", "Auszubildende", "Auszubildender", "Praktikant",
      "Praktikantin", "Pflegekind", "Enkel", "Enkelin", "Bruder", "Schwester", "Partner", "Partnerin", "Schuldner",
      "Schuldnerin", "Gläubiger", "Gläubigerin", "Erbe", "Erbin", "Verstorbene", "Verstorbenen", "Verstorbener",
      "Geschädigte", "Geschädigter", "Beschuldigte", "Beschuldigter", "Inhaber", "Inhaberin", "Geschäftsführer",
      "Geschäftsführerin", "Protokollführer", "Protokollführerin", "Moderation", "Protokoll", "Anwesend", "Vertreter",
      "Vertreterin", "Lehrer", "Lehrerin", "Arzt", "Ärztin", "Hausarzt", "Hausärztin", "Pfleger", "Pflegerin",
      "Gutachter", "Gutachterin", "Dolmetscher", "Dolmetscherin", "gez", "Von", "An", "Cc", "Kopie", "From", "To",
      // offices before a name: "Bürgermeisterin Ulrike Terhoeven", "Ratsfrau Engel", "Koll. Bauer"
      "Bürgermeister", "Bürgermeisterin", "Oberbürgermeister", "Oberbürgermeisterin", "Landrat", "Landrätin",
      "Ratsfrau", "Ratsherr", "Ratsmitglied", "Stadtrat", "Stadträtin", "Standesbeamtin", "Standesbeamter",
      "Gerichtsvollzieher", "Gerichtsvollzieherin", "Kämmerer", "Kämmerin", "Dezernent", "Dezernentin",
      "Amtsleiter", "Amtsleiterin", "Fachbereichsleiter", "Fachbereichsleiterin", "Richter", "Richterin",
      "Staatsanwalt", "Staatsanwältin", "Kommissar", "Kommissarin", "Polizeikommissar", "Polizeikommissarin",
      "Polizeihauptkommissar", "Polizeihauptkommissarin", "Pfarrer", "Pfarrerin", "Abgeordnete", "Abgeordneter",
      "Beigeordnete", "Beigeordneter", "Sozialarbeiter", "Sozialarbeiterin", "Erzieher", "Erzieherin", "Hebamme",
      "Fachkraft", "Koll", "Leiter", "Leiterin", "Vorsitzende", "Vorsitzender", "Direktor", "Direktorin",
      "Präsident", "Präsidentin", "Minister", "Ministerin",
  };
  return s;
}
bool greeting(std::string_view w) {
  return std::find(std::begin(greetings), std::end(greetings), w) != std::end(greetings);
}
// Short words packed into an integer for quick comparison (at most 5 bytes).
constexpr std::uint64_t pack(std::string_view w) {
  std::uint64_t v = 0;
  for (char c : w) v = (v << 8) | static_cast<unsigned char>(c);
  return v | (static_cast<std::uint64_t>(w.size()) << 56);
}
template <std::size_t N>
bool in_packed(std::string_view w, const std::uint64_t (&set)[N]) {
  if (w.size() > 5) return false;
  const std::uint64_t v = pack(w);
  for (auto x : set) {
    if (x == v) return true;
  }
  return false;
}
constexpr std::uint64_t particles[] = {pack("von"), pack("van"), pack("de"), pack("der"), pack("den"), pack("zu"),
                                        pack("zum"), pack("vom"), pack("di"), pack("da"), pack("del"), pack("della"),
                                        pack("dos"), pack("du"), pack("le"), pack("la"), pack("al"), pack("el"),
                                        pack("bin"), pack("ibn"), pack("ter"), pack("ten"), pack("op")};
constexpr std::uint64_t articles[] = {pack("der"), pack("die"), pack("das"), pack("den"), pack("dem"), pack("des"),
                                       pack("ein"), pack("eine"), pack("einen"), pack("einem"), pack("einer"),
                                       pack("Der"), pack("Die"), pack("Das"), pack("Den"), pack("Dem"), pack("Des"),
                                       pack("Ein"), pack("Eine")};
bool particle(std::string_view w) { return in_packed(w, particles); }
bool article(std::string_view w) { return in_packed(w, articles); }

// Lower-case words the name recognizer looks at: particles, articles, "gez", "geb", "lg", "vg", "i".
bool short_kept(std::string_view w) {
  // open addressing over the packed words: one or two probes
  static const auto table = [] {
    std::array<std::uint64_t, 256> t{};
    auto put = [&](std::uint64_t v) {
      std::size_t h = (v * 0x9E3779B97F4A7C15ull) >> 56;
      while (t[h] != 0 && t[h] != v) h = (h + 1) & 255;
      t[h] = v;
    };
    for (auto v : particles) put(v);
    for (auto v : articles) put(v);
    put(pack("gez"));
    put(pack("geb"));
    put(pack("lg"));
    put(pack("vg"));
    put(pack("i"));
    return t;
  }();
  if (w.size() > 5) return false;
  const std::uint64_t v = pack(w);
  std::size_t h = (v * 0x9E3779B97F4A7C15ull) >> 56;
  while (table[h] != 0) {
    if (table[h] == v) return true;
    h = (h + 1) & 255;
  }
  return false;
}

const name_table& names() {
  static const name_table t = [] {
    name_table all;
    all.reserve(32768);
    for (const auto& [w, k] : first_names()) all[w] |= k;
    for (const auto& [w, k] : surnames()) all[w] |= static_cast<unsigned char>(k << 2);
    for (const auto& w : stop_words()) all[w] |= stop_bit;
    for (const auto& w : role_words()) all[w] |= role_bit;
    for (std::span<const std::string_view> list : {std::span<const std::string_view>(strong_titles),
                                                   std::span<const std::string_view>(dotted_titles),
                                                   std::span<const std::string_view>(greetings)}) {
      for (std::string_view w : list) all[w] |= title_bit;
    }
    for (std::string_view w : academic_titles) all[w] |= academic_bit;
    return all;
  }();
  return t;
}

// names() as one flat open-addressing table for the per-word lookups: a probe reads one 16-byte
// slot (hash, length, flags) and compares the key only when the hash matches, where a node-based
// map chases a bucket, a node and the key.
class word_table {
 public:
  word_table() {
    const name_table& from = names();
    std::size_t cap = 1;
    while (cap < from.size() * 2) cap <<= 1;
    slots_.resize(cap);
    mask_ = cap - 1;
    keys_.reserve(from.size());
    for (const auto& [w, k] : from) {
      if (w.empty() || w.size() > 255) continue;
      const std::uint64_t h = fast_hash(w);
      std::size_t i = h & mask_;
      while (slots_[i].len != 0) i = (i + 1) & mask_;
      slots_[i] = slot{h, static_cast<std::uint32_t>(keys_.size()), static_cast<std::uint8_t>(w.size()), k};
      keys_.push_back(w);
    }
  }
  // The flags of `w` (0 if absent); h = fast_hash(w). Up to 16 bytes, fast_hash mixes all of a
  // word's bytes, so equal hashes and lengths mean equal words (but for a 2^-64 chance, which
  // would only misjudge one word); longer keys are compared.
  int find(std::string_view w, std::uint64_t h) const {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const slot& s = slots_[i];
      if (s.len == 0) return 0;
      if (s.hash == h && s.len == w.size() && (s.len <= 16 || keys_[s.key] == w)) return s.flags;
    }
  }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::uint32_t key = 0;
    std::uint8_t len = 0;  // 0: empty
    std::uint8_t flags = 0;
  };
  std::vector<slot> slots_;
  std::vector<std::string_view> keys_;
  std::size_t mask_ = 0;
};

const word_table& name_lookup() {
  static const word_table t;
  return t;
}

// A Bloom filter over the keys of names(): most capitalised words of a text (Antrag, Gebühr …)
// are not in it and are rejected without a hash-table probe. Blocked: both bits of a key are in
// one 64-bit word, and the whole filter (32 KiB) stays in the first-level cache, so a probe is
// one load (about 5 % false positives with the ~30,000 keys, each costing one table probe).
struct bloom {
  static constexpr std::size_t words = 4096;
  std::vector<std::uint64_t> bits;
  bloom() : bits(words) {}
  static std::uint64_t hash(std::string_view w) { return fast_hash(w); }
  static std::uint64_t mask(std::uint64_t h) { return (1ull << (h & 63)) | (1ull << ((h >> 6) & 63)); }
  static std::size_t index(std::uint64_t h) { return static_cast<std::size_t>(h >> 52) & (words - 1); }
  void add(std::uint64_t h) { bits[index(h)] |= mask(h); }
  bool may_contain(std::uint64_t h) const {
    const std::uint64_t m = mask(h);
    return (bits[index(h)] & m) == m;
  }
};

const bloom& name_filter() {
  static const bloom f = [] {
    bloom b;
    for (const auto& [w, k] : names()) b.add(bloom::hash(w));
    return b;
  }();
  return f;
}

// The name-table flags of `w` (0 when unknown); h = bloom::hash(w). The Bloom filter first:
// most words are not in the table.
int name_flags(std::string_view w, std::uint64_t h) {
  return name_filter().may_contain(h) ? name_lookup().find(w, h) : 0;
}

struct token {
  std::size_t start, end;
  bool cap;    // starts with an upper-case letter (and is not all upper case)
  bool upper;  // all letters upper case
  // Looked up once, for capitalised words only (0 unknown, 1 known, 2 ambiguous).
  unsigned char fn = 0, sn = 0;
  bool stop = false;  // stop word or noun ending: never part of a name
  bool role = false;  // role or label cue (Antragstellerin, Kollege, Name …)
  bool title = false;  // title or greeting (Frau, Herr, Dr., Liebe …)
  bool academic = false;  // academic or professional title between cue and name (Dr, Prof, Dipl …)
  bool label = false;  // followed by a colon: "Antragstellerin:", "Familienname:", "Vorname(n):"
  bool nl_before = false;  // a line break since the previous token (or first token)
  bool covered = false;    // part of a name found
  mutable signed char noun = -1;  // noun_suffix(word), computed when first asked (-1: not yet)
  std::uint64_t hash = 0;  // fast_hash(word), for capitalised words
};

// Splits text into words: letters with inner hyphens or apostrophes (Müller-Lüdenscheidt,
// O'Neill, Al-Hassan). Digits and everything else separate words. Only capitalised words and
// short lower-case ones (particles, articles, "gez", "i") become tokens; a longer lower-case word
// between two tokens still breaks them apart (the gap between them is not blank).
//
// Most of a text is lower-case words, spaces and punctuation. The character index finds the
// only places worth a look, 64 bytes at a time: starts of letter runs that do not continue a
// hyphenated word, without the lower-case ASCII ones six or more bytes long.
void tokenize(std::string_view s, const char_index& idx, std::vector<token>& out) {
  out.clear();
  const std::size_t n = s.size();
  using ci = char_index;
  // End of the run of letters from j; any_lower (if given) learns whether one is not upper case.
  auto letter_run = [&](std::size_t j, bool* any_lower) {
    const std::size_t e = idx.next_clear(ci::letter, j);
    if (any_lower && !*any_lower) {
      *any_lower = idx.any(ci::lower, j, e);
      if (!*any_lower && idx.any(ci::high, j, e)) {
        for (std::size_t k = j; k < e;) {
          const auto cp = text::decode_at(s, k);
          if (cp.len == 0) break;
          if (cp.c >= 0x80 && !text::is_upper(cp.c)) {
            *any_lower = true;
            break;
          }
          k += cp.len;
        }
      }
    }
    return e;
  };
  std::size_t prev_end = 0;  // end of the last token pushed
  auto push = [&](token t) {
    t.nl_before = out.empty() || idx.any(ci::newline, prev_end, t.start);
    prev_end = t.end;
    out.push_back(t);
  };
  std::size_t i = 0;  // everything before i has been read
  const std::size_t nw = idx.words();
  for (std::size_t w = 0; w < nw; ++w) {
    const std::uint64_t lt = idx.word(ci::letter, w);
    if (lt == 0) continue;
    const std::uint64_t lt_prev = w ? idx.word(ci::letter, w - 1) : 0;
    const std::uint64_t lt_next = idx.word(ci::letter, w + 1);
    const std::uint64_t jn_prev = w ? idx.word(ci::joiner, w - 1) : 0;
    const std::uint64_t starts = lt & ~((lt << 1) | (lt_prev >> 63));
    // continuations of a hyphenated word: letter, joiner, this letter
    const std::uint64_t cont = ((idx.word(ci::joiner, w) << 1) | (jn_prev >> 63)) & ((lt << 2) | (lt_prev >> 62));
    // runs of at least six letter bytes
    std::uint64_t long_run = lt;
    for (unsigned k = 1; k < 6; ++k) long_run &= (lt >> k) | (lt_next << (64 - k));
    std::uint64_t cand = starts & ~cont & ~(long_run & idx.word(ci::lower, w));
    while (cand) {
      const std::size_t pos = (w << 6) + static_cast<std::size_t>(std::countr_zero(cand));
      cand &= cand - 1;
      if (pos < i) continue;
      i = pos;
      const auto b = static_cast<unsigned char>(s[i]);
      // lower-case words ("für", "über", "der"; capitalised ones are handled below)
      bool lower_start = b >= 'a' && b <= 'z';
      bool up = b >= 'A' && b <= 'Z';
      if (b >= 0x80) {
        const auto cp = text::decode_at(s, i);
        up = text::is_upper(cp.c);
        lower_start = !up;
      }
      bool any_lower = lower_start;
      std::size_t j = letter_run(i, &any_lower);
      const bool compound = j + 1 < n && (s[j] == '-' || s[j] == '\'') && idx.test(ci::letter, j + 1);
      if (lower_start && !compound) {
        if (j - i <= 5 && short_kept(s.substr(i, j - i))) push(token{i, j, false, false});
        i = j;
        continue;
      }
      token t{i, i, up, true};
      while (j + 1 < n && (s[j] == '-' || s[j] == '\'') && idx.test(ci::letter, j + 1)) {
        j = letter_run(j + 1, &any_lower);
      }
      t.end = j;
      t.upper = !any_lower;
      if (t.upper && j - i > 1) t.cap = false;  // ABTEILUNG, DSGVO
      if (!up) {
        const std::string_view lw = s.substr(i, j - i);
        if (j - i > 5 || !short_kept(lw)) {
          i = j;
          continue;
        }
      }
      if (t.cap) {
        const std::string_view word = s.substr(i, j - i);
        const std::string_view after = s.substr(j, 5);
        t.label = after.starts_with(":") || after.starts_with("(n):") || after.starts_with("(in):") ||
                  after.starts_with("(s):");
        t.hash = bloom::hash(word);
        if (const int k = name_flags(word, t.hash)) {
          t.fn = static_cast<unsigned char>(k & 3);
          t.sn = static_cast<unsigned char>((k >> 2) & 3);
          t.stop = (k & stop_bit) != 0;
          t.role = (k & role_bit) != 0;
          t.title = (k & title_bit) != 0;
          t.academic = (k & academic_bit) != 0;
        }
        // double first names not in the list: Anna-Lena, Karl-Heinz (both parts first names)
        if (t.fn == 0 && compound) {
          if (const auto dash = word.find('-'); dash != std::string_view::npos && dash > 1 && word.rfind('-') == dash) {
            const std::string_view head = word.substr(0, dash), tail = word.substr(dash + 1);
            auto is_fn = [](std::string_view x) { return (name_flags(x, bloom::hash(x)) & 3) == 1; };
            if (is_fn(head) && is_fn(tail)) t.fn = 1;
          }
        }
        if (j + 1 < n && s[j] == '-' && s[j + 1] == ' ') t.stop = true;  // "Haupt- und Finanzausschuss"
      }
      push(t);
      i = j;
    }
  }
}

class finder {
 public:
  finder(std::string_view s, std::vector<token>& toks, std::span<const std::uint32_t> informal_cues,
         std::vector<entity>& out)
      : s_(s), t_(toks), informal_cues_(informal_cues), out_(out) {}

  void run();

 private:
  std::string_view w(std::size_t i) const { return s_.substr(t_[i].start, t_[i].end - t_[i].start); }
  std::string_view gap(std::size_t i) const {  // text between token i-1 and token i
    const std::size_t from = i == 0 ? 0 : t_[i - 1].end;
    return s_.substr(from, t_[i].start - from);
  }
  bool dot_after(std::size_t i) const { return t_[i].end < s_.size() && s_[t_[i].end] == '.'; }
  int fn(std::size_t i) const { return t_[i].fn; }
  int sn(std::size_t i) const { return t_[i].sn; }
  bool noun(std::size_t i) const {
    if (t_[i].noun < 0) t_[i].noun = noun_suffix(w(i)) ? 1 : 0;
    return t_[i].noun != 0;
  }
  // A role word is part of a name only when it is also a known surname ("Marie Richter", but
  // "Herr Koch Teilnehmer").
  bool office(std::size_t i) const { return t_[i].role && t_[i].sn != 1; }
  bool name_like(std::size_t i) const { return t_[i].cap && !t_[i].stop && !office(i) && !noun(i); }
  bool known(std::size_t i) const { return fn(i) == 1 || sn(i) == 1; }
  // Tokens i and i+1 are separated by plain spaces only (same line).
  bool joined(std::size_t i) const {
    const auto g = gap(i + 1);
    if (g == ". " && initial(i)) return true;  // "K. Mertens", "G. Schulze-Eickenbusch"
    if (g.empty() || g.size() > 2) return false;
    for (char c : g) {
      if (c != ' ') return false;
    }
    return true;
  }
  // The name starting at token i: capitalised words and inner particles, on one line.
  // Returns one past the last token (== i when there is no name).
  std::size_t extend(std::size_t i, std::size_t max_tokens = 4) const {
    if (i >= t_.size()) return i;
    if (!name_like(i)) {
      // a name may start with particles after a title: "Herr ter Horst", "Frau van der Berg"
      std::size_t k = i;
      while (k < t_.size() && k - i < 2 && particle(w(k)) && joined(k)) ++k;
      if (k == i || k >= t_.size() || !name_like(k)) return i;
      return extend(k, max_tokens) ;
    }
    std::size_t j = i + 1;
    std::size_t count = 1;
    while (j < t_.size() && count < max_tokens && joined(j - 1)) {
      if (name_like(j) || (t_[j].cap && t_[j].sn >= 1 && !t_[j].title && !office(j) && !noun(j))) {
        ++j;
        ++count;
        continue;
      }
      // particles (von der, van, al-) inside a name, followed by a capitalised word
      std::size_t k = j;
      while (k < t_.size() && particle(w(k)) && joined(k - 1) && k - j < 2) ++k;
      // German "von", "vom", "zu", "zum", "von der" join only a known name ("Brandt vom
      // Pflegestützpunkt", "Pütz von der Logistik" are no names)
      const bool german = w(j) == "von" || w(j) == "vom" || w(j) == "zu" || w(j) == "zum" || w(j) == "zur";
      if (k > j && k < t_.size() && joined(k - 1) && name_like(k) && (!german || known(k) || (fn(j - 1) == 1 && sn(j - 1) != 1))) {
        count += k - j + 1;
        j = k + 1;
        continue;
      }
      break;
    }
    return j;
  }
  std::size_t skip_academic(std::size_t i) const {
    // capitalised words carry the flag from the name table; all-caps ones (RA, MBA) are not looked up
    while (i < t_.size() && (t_[i].academic || (t_[i].upper && academic(w(i))))) ++i;
    return i;
  }
  bool covered(std::size_t i) const { return t_[i].covered; }
  void add(std::size_t from, std::size_t to, float score) {
    if (to <= from) return;
    for (std::size_t k = from; k < to; ++k) {
      if (covered(k)) return;
    }
    if (company(from, to)) return;
    for (std::size_t k = from; k < to; ++k) t_[k].covered = true;
    std::size_t end = t_[to - 1].end;
    if (initial(to - 1)) ++end;  // "Sandra K."
    out_.push_back(entity{entity_type::person, t_[from].start, end, score});
    for (std::size_t k = from; k < to; ++k) {
      if (!particle(w(k)) && !found(k)) {
        found_words_.push_back(k);
        found_mask_ |= 1ull << (t_[k].hash & 63);
      }
    }
  }
  bool line_start(std::size_t i) const { return i == 0 || t_[i].nl_before; }
  // Token i stands in quotes: „Rocky“, "Anatolia" (pets, shops, projects)
  bool quoted(std::size_t i) const {
    const std::string_view before = s_.substr(t_[i].start >= 3 ? t_[i].start - 3 : 0, t_[i].start >= 3 ? 3 : t_[i].start);
    return before.ends_with("\"") || before.ends_with("\xE2\x80\x9E") || before.ends_with("\xE2\x80\x9C") ||
           before.ends_with("'") || before.ends_with("\xC2\xBB");
  }
  // Token i starts a sentence: only spaces after ". ", "! ", "? " or ": " before it.
  bool sentence_start(std::size_t i) const {
    std::size_t k = t_[i].start;
    while (k > 0 && s_[k - 1] == ' ') --k;
    return k == 0 || s_[k - 1] == '.' || s_[k - 1] == '!' || s_[k - 1] == '?' || s_[k - 1] == ':' ||
           s_[k - 1] == '\n' || s_[k - 1] == '"';
  }
  // A single upper-case letter followed by a dot: an initial.
  bool initial(std::size_t i) const {
    return t_[i].end - t_[i].start == 1 && t_[i].upper && t_[i].end < s_.size() && s_[t_[i].end] == '.';
  }
  bool after_closing(std::size_t i) const;
  bool signoff_before(std::size_t i) const;
  bool email_follows(std::size_t i) const {
    return s_.substr(t_[i].end, 2) == " <" && s_.find('@', t_[i].end) < s_.find('>', t_[i].end);
  }
  // Tokens from..to-1 name a firm: "Bestattungen Heinrich GmbH", "Autohaus Hermsen & Söhne".
  bool company(std::size_t from, std::size_t to) const {
    static constexpr std::string_view forms[] = {" GmbH"sv, " AG"sv, " KG"sv, " OHG"sv, " UG"sv, " mbH"sv, " GbR"sv,
                                                 " e.K."sv, " SE"sv, " & Söhne"sv, " & Sohn"sv, " & Co"sv, " und Söhne"sv};
    static constexpr std::string_view trades[] = {"Autohaus"sv, "Bestattungen"sv, "Bestattungshaus"sv, "Firma"sv,
                                                  "Hotel"sv, "Restaurant"sv, "Gasthof"sv, "Café"sv, "Bäckerei"sv,
                                                  "Metzgerei"sv, "Apotheke"sv};
    const std::size_t end = t_[to - 1].end;
    if (end + 2 < s_.size() && s_[end] == ' ' && (text::is_ascii_upper(s_[end + 1]) || s_[end + 1] == '&' ||
                                                  s_[end + 1] == 'm' || s_[end + 1] == 'e' || s_[end + 1] == 'u')) {
      const std::string_view after = s_.substr(end, 10);
      for (std::string_view f : forms) {
        if (after.starts_with(f) && !text::word_char_at(s_, end + f.size())) return true;
      }
    }
    if (from > 0 && t_[from - 1].cap && joined(from - 1)) {
      const std::string_view before = w(from - 1);
      for (std::string_view f : trades) {
        if (before == f) return true;
      }
    }
    return false;
  }
  void informal_names();

  std::string_view s_;
  std::vector<token>& t_;
  std::span<const std::uint32_t> informal_cues_;
  std::vector<entity>& out_;
  std::vector<std::size_t> found_words_;  // a token of each word of the names found (few per text)
  std::uint64_t found_mask_ = 0;          // bit (hash & 63) of each of them
  // Token i is a word of a name found (a 64-bit mask of hash bits first: most words are not).
  bool found(std::size_t i) const {
    if (!(found_mask_ >> (t_[i].hash & 63) & 1)) return false;
    for (std::size_t k : found_words_) {
      if (t_[k].hash == t_[i].hash && w(k) == w(i)) return true;
    }
    return false;
  }
};

// Token i starts the line after a closing formula ("Mit freundlichen Grüßen", "gez.", "i. A.").
bool finder::after_closing(std::size_t i) const {
  if (i == 0 || !line_start(i)) return false;
  const std::size_t p = i - 1;
  const auto prev = w(p);
  if (prev == "Grüßen" || prev == "Grüße" || prev == "Gruß" || prev == "Regards" || prev == "Auftrag" ||
      prev == "Vertretung" || prev == "gez" || prev == "LG" || prev == "VG" || prev == "lg" || prev == "vg" ||
      prev == "MfG" || prev == "Cheers" || prev == "Thanks") {
    return true;
  }
  // "i. A." / "i.A." / "i. V."
  if ((prev == "A" || prev == "V") && p > 0 && w(p - 1) == "i") return true;
  return false;
}

// Token i follows a sign-off on the same line: "LG Tanja", "Gruß H. Kemmerling", "Viele Grüße, Anna".
bool finder::signoff_before(std::size_t i) const {
  if (i == 0 || line_start(i) || t_[i].start - t_[i - 1].end > 2 || t_[i - 1].end - t_[i - 1].start > 7) return false;
  const auto prev = w(i - 1);
  if (!(prev == "LG" || prev == "VG" || prev == "lg" || prev == "vg" || prev == "MfG" || prev == "Gruß" ||
        prev == "Grüße" || prev == "Grüßen")) {
    return false;
  }
  const auto g = gap(i);
  return g == " " || g == ", ";
}

// The code point c in upper case (Latin letters; others unchanged), and in lower case.
char32_t upper_cp(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
  if (c >= 0x100 && c <= 0x17F && !text::is_upper(c)) {
    return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) ? c - 1 : c & ~char32_t{1};
  }
  return c;
}
char32_t lower_cp(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
  if (c >= 0x100 && c <= 0x17F && text::is_upper(c) && c != 0x130) return c + 1;
  return c;
}
void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}
// "marija" / "KOWALSKI" -> "Marija" / "Kowalski"
std::string title_case(std::string_view w) {
  std::string out;
  out.reserve(w.size());
  bool first = true;
  for (std::size_t i = 0; i < w.size();) {
    const auto cp = text::decode_at(w, i);
    if (!cp.len) return {};
    append_utf8(out, first ? upper_cp(cp.c) : lower_cp(cp.c));
    first = false;
    i += cp.len;
  }
  return out;
}
// Flags of w written with a capital (0 when unknown).
int title_case_flags(std::string_view w) {
  const std::string t = title_case(w);
  return t.empty() ? 0 : name_flags(t, bloom::hash(t));
}

// Names written without capitals, as citizens do in quick mails and chats: "mein name ist
// marija petrović", "ich bin tomasz wrobel", "herr bauer", "frau engel", "lg marija", and
// all-caps after a title ("herr ALBRECHT"). The first word must be in the name lists.
void finder::informal_names() {
  // cues that introduce the writer's own full name: a second, unknown word may follow
  static constexpr std::string_view strong_cues[] = {"name ist "sv, "ich bin "sv, "ich heiße "sv, "ich heisse "sv,
                                              "heißt "sv, "heist "sv, "my name is "sv};
  static constexpr std::string_view function_words[] = {
      "und"sv, "oder"sv, "aus"sv, "von"sv, "vom"sv, "der"sv, "die"sv, "das"sv, "den"sv, "dem"sv, "bin"sv, "ist"sv,
      "hier"sv, "jetzt"sv, "neu"sv, "seit"sv, "mit"sv, "in"sv, "im"sv, "am"sv, "an"sv, "bei"sv, "wohne"sv,
      "wohnhaft"sv, "wonhaft"sv, "geb"sv, "geboren"sv, "komme"sv, "habe"sv, "hab"sv, "aber"sv, "bitte"sv,
      "danke"sv, "ich"sv, "wir"sv, "sie"sv, "er"sv, "es"sv, "the"sv, "and"sv, "from"sv, "nicht"sv, "nich"sv,
      "auch"sv, "noch"sv, "schon"sv, "so"sv, "da"sv, "als"sv, "wie"sv, "was"sv, "weil"sv, "dass"sv, "zum"sv,
      "zur"sv, "für"sv, "wegen"sv, "und"sv, "sehr"sv, "total"sv, "ganz"sv, "gerade"sv, "grad"sv};
  auto word_end = [&](std::size_t k) {
    while (k < s_.size()) {
      const auto cp = text::decode_at(s_, k);
      if (!cp.len || !(text::is_letter(cp.c) || cp.c == '-')) break;
      k += cp.len;
    }
    return k;
  };
  for (const std::uint32_t cue_end : informal_cues_) {
    {
      const std::size_t a = cue_end;
      const std::string_view before = s_.substr(0, a);
      bool strong = false;
      for (std::string_view c : strong_cues) strong = strong || before.ends_with(c);
      const bool title = before.ends_with("herr "sv) || before.ends_with("herrn "sv) || before.ends_with("frau "sv);
      const std::size_t ae = word_end(a);
      if (ae == a || ae - a > 40) continue;
      const std::string_view w1 = s_.substr(a, ae - a);
      const auto first = text::decode_at(w1, 0);
      const bool all_caps = w1.size() > 1 && std::all_of(w1.begin(), w1.end(), [](char ch) {
        return !(ch >= 'a' && ch <= 'z');
      });
      // capitalised names are the other rules' business
      if (text::is_upper(first.c) && !all_caps) continue;
      if (all_caps && !title) continue;
      const int f1 = title_case_flags(w1);
      const bool fn1 = (f1 & 3) != 0, sn1 = ((f1 >> 2) & 3) != 0;
      if (!(fn1 || sn1) || (f1 & stop_bit)) continue;
      std::size_t end = ae;
      if (ae + 1 < s_.size() && s_[ae] == ' ') {
        const std::size_t be = word_end(ae + 1);
        const std::string_view w2 = s_.substr(ae + 1, be - ae - 1);
        if (!w2.empty() && !text::is_upper(text::decode_at(w2, 0).c)) {
          const int f2 = title_case_flags(w2);
          const bool function_word =
              std::find(std::begin(function_words), std::end(function_words), w2) != std::end(function_words);
          if (!function_word && !(f2 & stop_bit) &&
              (((f2 >> 2) & 3) == 1 || (f2 & 3) == 1 || (strong && fn1 && w2.size() >= 3))) {
            end = be;
          }
        }
      }
      out_.push_back(entity{entity_type::person, a, end, 0.7f});
    }
  }
}

void finder::run() {
  const std::size_t n = t_.size();
  found_words_.clear();
  found_mask_ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (covered(i)) continue;
    // Names and their cues start with a capital letter ("gez." aside); most words are neither.
    const token& tk = t_[i];
    if (!tk.cap && !(tk.end - tk.start == 3 && (w(i) == "gez" || w(i) == "geb"))) continue;
    // maiden names: "Jacqueline Klein geb. Schröder", "geb. Piątek"
    if (!tk.cap) {
      if (w(i) == "geb" && dot_after(i) && i + 1 < n && gap(i + 1) == ". " && t_[i + 1].cap && !t_[i + 1].stop &&
          !t_[i + 1].role && !noun(i + 1)) {
        std::size_t e = i + 2;
        if (e < n && joined(i + 1) && name_like(e) && known(e)) ++e;
        add(i + 1, e, 0.8f);
        i = e - 1;
      }
      if (w(i) != "gez") continue;
    }
    if (tk.cap && !tk.title && !tk.role && !tk.label && ((!tk.fn && !tk.sn) || tk.stop) && !line_start(i) &&
        !(i > 0 && w(i - 1) == "gez") && !signoff_before(i)) {
      continue;
    }
    const auto word = w(i);
    // 1. Titles: Frau Berg, Herrn Dr. Jan van der Berg, Fr. Öztürk
    if (tk.title && (strong_title(word) || (dotted_title(word) && dot_after(i))) && i + 1 < n) {
      std::size_t j = skip_academic(i + 1);
      const std::string_view between = j < n ? s_.substr(t_[i].end, t_[j].start - t_[i].end) : std::string_view();
      // same line, or the title alone on its line of an address block ("Frau\nMarie Richter")
      const bool same_line = between.find('\n') == std::string_view::npos;
      const bool block = !same_line && line_start(i) && between.find_first_not_of(" \r\n") == std::string_view::npos &&
                         std::count(between.begin(), between.end(), '\n') == 1;
      if (j < n && between.size() <= 12 && (same_line || block)) {
        std::size_t e = extend(j, 4);
        // a known surname that is also an office word: "Frau Richter", "Herr Koch"
        if (e == j && t_[j].cap && t_[j].sn >= 1) e = j + 1 < n && joined(j) && name_like(j + 1) ? j + 2 : j + 1;
        if (e > j) {
          add(j, e, 0.9f);
          i = e - 1;
          continue;
        }
      }
    }
    // 2. Labels and headers with a colon: "Antragstellerin: Petra Lang", "Von: Berg, Anna <…>"
    if ((t_[i].role || t_[i].label) && t_[i].label && i + 1 < n) {
      std::size_t j = skip_academic(i + 1);
      if (j < n && s_.substr(t_[i].end, t_[j].start - t_[i].end).find('\n') == std::string_view::npos) {
        // strong title after the label is handled in the next iteration
        if (!(t_[j].title && (strong_title(w(j)) || dotted_title(w(j))))) {
          const std::size_t e = extend(j, 3);
          // "Berg, Anna" / "van der Berg, Laura": surname, comma, first name
          if (e > j && e < n && e - j <= 3 && (e == j + 1 || fn(j) == 0) &&
              s_.substr(t_[e - 1].end, t_[e].start - t_[e - 1].end) == ", " &&
              name_like(e) && (fn(e) >= 1 || (t_[i].role && known(e - 1)) || (t_[i].role && email_follows(e)))) {
            const std::size_t e2 = extend(e, 2);
            add(j, e2 > e ? e2 : e + 1, 0.9f);
            i = e;
            continue;
          }
          // other labels: the name starts at the first known word ("Betreff: BEM-Angebot Laura Busch")
          if (!t_[i].role && e > j + 1 && !known(j)) {
            std::size_t k = j + 1;
            while (k < e && !known(k)) ++k;
            if (k < e && (e - k >= 2 || fn(k) == 1)) {
              add(k, e, 0.8f);
              i = e - 1;
              continue;
            }
          }
          // a role label accepts any name; other labels ("Erstellt:", "Vorsitz:") a known one
          bool ok = e > j && (t_[i].role ? (e - j >= 2 || known(j) || fn(j) == 2 || sn(j) == 2)
                                         : (known(j) || (e - j >= 2 && known(e - 1))));
          if (ok) {
            add(j, e, 0.85f);
            i = e - 1;
            continue;
          }
        }
      }
    }
    // 3. Roles without a colon: "die Antragstellerin Petra Lang", "Kollege Schmidt"
    if (t_[i].role && i + 1 < n && joined(i)) {
      std::size_t j = skip_academic(i + 1);
      if (j < n && !(t_[j].title && strong_title(w(j)))) {
        const std::size_t e = extend(j, 3);
        if (e > j && (known(j) || (e - j >= 2 && known(e - 1)))) {
          add(j, e, 0.8f);
          i = e - 1;
          continue;
        }
      }
    }
    // 4. Greetings: "Liebe Anna,", "Hallo Mehmet"
    if (tk.title && greeting(word) && i + 1 < n && joined(i) && fn(i + 1) >= 1 && !covered(i + 1)) {
      const std::size_t e = extend(i + 1, 3);
      if (e > i + 1) {
        add(i + 1, e, 0.85f);
        i = e - 1;
        continue;
      }
    }
    // 4b. Speakers of a chat or transcript: "Sascha: …", "[10:04] Dariusz: …"
    if (t_[i].label && line_start(i) && fn(i) == 1 && !t_[i].role && !t_[i].title && !t_[i].stop) {
      add(i, i + 1, 0.8f);
      continue;
    }
    // 5. Signatures: the line after "Mit freundlichen Grüßen" / "gez." / "i. A.", or after
    // "i. A. " / "gez. " on the same line
    const std::string_view before = s_.substr(t_[i].start >= 6 ? t_[i].start - 6 : 0, std::min<std::size_t>(t_[i].start, 6));
    const bool signed_prefix = before.ends_with("i. A. ") || before.ends_with("i.A. ") || before.ends_with("i. V. ") ||
                               before.ends_with("i.V. ") || before.ends_with("gez. ");
    if (after_closing(i) || signed_prefix || signoff_before(i) || (i > 0 && w(i - 1) == "gez" && dot_after(i - 1))) {
      std::size_t j = skip_academic(i);
      const std::size_t e = extend(j, 3);
      if (e > j && (e - j >= 2 || known(j))) {
        add(j, e, 0.85f);
        i = e - 1;
        continue;
      }
    }
    // 6. Known first name followed by a surname: "Anna Berg", "Mehmet Öztürk"
    const int f = fn(i);
    if (f >= 1 && t_[i].cap && i + 1 < n && joined(i)) {
      const std::size_t e = extend(i, 4);
      if (e >= i + 2) {
        const int s_last = sn(e - 1);
        const bool strong = f == 1 ? (s_last >= 1 || fn(e - 1) == 1 || !stop_words().count(w(e - 1)))
                                   : s_last == 1;
        // Sentence-initial "Frank Antwort"? the second word must not be a known lower-case word
        if (strong) {
          add(i, e, s_last == 1 ? 0.85f : 0.7f);
          i = e - 1;
          continue;
        }
      }
    }
    // 6b. A known first name alone, with birth data right after: "für Amra (* 2020-02-29)"
    if (f == 1 && t_[i].cap) {
      const std::string_view after = s_.substr(t_[i].end, 8);
      if (after.starts_with(" (*") || after.starts_with(" (geb") || after.starts_with(", geb") ||
          after.starts_with(" * ")) {
        add(i, i + 1, 0.75f);
        continue;
      }
    }
    // 6c. A known first name alone in running text ("wegen Leyla", "Mama von Luis"): not at the
    // start of a sentence or line, not a word of the dictionary (the list's "ambiguous" flag)
    if (f == 1 && t_[i].cap && !t_[i].stop && !line_start(i) && !sentence_start(i) && !(i > 0 && article(w(i - 1))) &&
        !quoted(i)) {
      add(i, i + 1, 0.6f);
      continue;
    }
    // 7. "Berg, Anna" anywhere: known surname, comma, known first name
    if (sn(i) == 1 && i + 1 < n && s_.substr(t_[i].end, t_[i + 1].start - t_[i].end) == ", " && fn(i + 1) == 1 &&
        t_[i + 1].cap) {
      add(i, i + 2, 0.75f);
      i = i + 1;
      continue;
    }
  }
  informal_names();
  // 8. Later mentions of a name already found ("Frau Berg … Berg hat …"), not after an article.
  if (found_words_.empty()) return;
  for (std::size_t i = 0; i < n; ++i) {
    if (covered(i) || !t_[i].cap || !found(i)) continue;
    if (i > 0 && article(w(i - 1))) continue;
    if (stop_words().count(w(i))) continue;
    add(i, i + 1, 0.7f);
  }
}

}  // namespace


void find_persons(std::string_view text, const char_index& idx, std::span<const std::uint32_t> informal_cues,
                  std::vector<entity>& out) {
  thread_local std::vector<token> toks;
  tokenize(text, idx, toks);
  finder f(text, toks, informal_cues, out);
  f.run();
}

}  // namespace lp::redact
