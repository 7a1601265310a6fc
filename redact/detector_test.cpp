#include "redact/detector.h"

#include <gtest/gtest.h>

#include <random>

#include "redact/apply.h"

using namespace lp::redact;

namespace {
std::vector<entity> scan(std::string_view text) {
  static auto d = detector::create();
  std::vector<entity> out;
  d->scan(text, out);
  return out;
}
std::string span_of(std::string_view text, const entity& e) {
  return std::string(text.substr(e.start, e.end - e.start));
}
operator_table mask_all() {
  operator_table t{};
  t.fill(operator_kind::mask);
  return t;
}
}  // namespace

TEST(Detector, FindsEmailWithByteOffsetsAfterUmlauts) {
  const std::string_view text = "Sehr geehrte Frau Müller, bitte an anna.mueller@kreis-wesel.de.";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].type, entity_type::person);
  EXPECT_EQ(span_of(text, e[0]), "Müller");
  EXPECT_EQ(e[0].start, 18u);  // bytes: "ü" is two
  EXPECT_EQ(e[1].type, entity_type::email);
  EXPECT_EQ(span_of(text, e[1]), "anna.mueller@kreis-wesel.de");
}

TEST(Detector, FindsInternationalisedEmail) {
  const std::string_view text = "Kontakt: jürgen.groß@stadt-düsseldorf.de, danke";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(span_of(text, e[0]), "jürgen.groß@stadt-düsseldorf.de");
}

TEST(Detector, IgnoresAtSignsThatAreNotAddresses) {
  EXPECT_TRUE(scan("Treffen @ 10 Uhr, user@localhost, a@b.c, @handle").empty());
  EXPECT_TRUE(scan("„Zitat“@").empty());
}

TEST(Detector, FindsValidIbansInBothForms) {
  const std::string_view text =
      "IBAN DE89 3704 0044 0532 0130 00 oder DE89370400440532013000; falsch: DE88370400440532013000";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(span_of(text, e[0]), "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(span_of(text, e[1]), "DE89370400440532013000");
  EXPECT_EQ(e[0].type, entity_type::iban);
}

TEST(Detector, RejectsIbanEmbeddedInLongerToken) {
  EXPECT_TRUE(scan("XDE89370400440532013000").empty());
  EXPECT_TRUE(scan("DE893704004405320130001").empty());
}

TEST(Detector, IsSafeOnEmptyAndBinaryishInput) {
  EXPECT_TRUE(scan("").empty());
  EXPECT_TRUE(scan(std::string(1000, '@')).empty());
}

TEST(Apply, MasksSpansInOrder) {
  const std::string text = "Mail max@example.org, IBAN GB82WEST12345698765432 ok";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 2u);
  pseudonym_map pm;
  EXPECT_EQ(apply(text, e, mask_all(), pm), "Mail [EMAIL], IBAN [IBAN] ok");
  operator_table keep_iban = mask_all();
  keep_iban[static_cast<std::size_t>(entity_type::iban)] = operator_kind::keep;
  EXPECT_EQ(apply(text, e, keep_iban, pm), "Mail [EMAIL], IBAN GB82WEST12345698765432 ok");
  EXPECT_TRUE(pm.empty());
}

TEST(Apply, PseudonymsAreStableAcrossTextsAndRestored) {
  operator_table ops{};
  ops.fill(operator_kind::pseudonymize);
  pseudonym_map pm;
  const std::string a = "Von a@example.org an b@example.org";
  const std::string b = "Antwort an a@example.org, IBAN GB82WEST12345698765432";
  const auto ra = apply(a, scan(a), ops, pm);
  const auto rb = apply(b, scan(b), ops, pm);
  EXPECT_EQ(ra, "Von <EMAIL_1> an <EMAIL_2>");
  EXPECT_EQ(rb, "Antwort an <EMAIL_1>, IBAN <IBAN_1>");
  EXPECT_EQ(pm.size(), 3u);
  EXPECT_EQ(pm.restore("<EMAIL_2> schreibt <EMAIL_1> wegen <IBAN_1>; <EMAIL_9> und <EMAIL_1"),
            "b@example.org schreibt a@example.org wegen GB82WEST12345698765432; <EMAIL_9> und <EMAIL_1");
  EXPECT_EQ(pm.restore("a < b <<EMAIL_1>>"), "a < b <a@example.org>");
}

TEST(Apply, StreamRestorerJoinsPlaceholdersSplitAcrossPieces) {
  operator_table ops{};
  ops.fill(operator_kind::pseudonymize);
  pseudonym_map pm;
  const std::string a = "x a@example.org y b@example.org";
  (void)apply(a, scan(a), ops, pm);
  // Every way of cutting the answer into two or three pieces restores the same text.
  const std::string answer = "Hallo <EMAIL_1>, bitte <EMAIL_2> < 3 informieren.<EMAIL_1>";
  const std::string want = pm.restore(answer);
  EXPECT_EQ(want, "Hallo a@example.org, bitte b@example.org < 3 informieren.a@example.org");
  for (std::size_t i = 0; i <= answer.size(); ++i) {
    for (std::size_t j = i; j <= answer.size(); ++j) {
      stream_restorer sr(pm);
      std::string got = sr.feed(answer.substr(0, i));
      got += sr.feed(answer.substr(i, j - i));
      got += sr.feed(answer.substr(j));
      got += sr.flush();
      ASSERT_EQ(got, want) << i << "," << j;
    }
  }
  // Text that cannot become a placeholder is not held back.
  stream_restorer sr(pm);
  EXPECT_EQ(sr.feed("a <b"), "a <b");
  EXPECT_EQ(sr.feed("c <EM"), "c ");
  EXPECT_EQ(sr.feed("x"), "<EMx");
  EXPECT_EQ(sr.feed("<EMAIL_"), "");
  EXPECT_TRUE(sr.holding());
  EXPECT_EQ(sr.flush(), "<EMAIL_");
}

// One case per entity type and format, with the span the detector must report; and hard
// negatives that must produce nothing.
struct span_case {
  const char* text;
  entity_type type;
  const char* span;
};

TEST(Detector, FindsEveryEntityTypeWithItsSpan) {
  const span_case cases[] = {
      {"Bitte rufen Sie Frau Yılmaz an.", entity_type::person, "Yılmaz"},
      {"Sehr geehrter Herr Dr. Jan van der Berg,", entity_type::person, "Jan van der Berg"},
      {"Antragstellerin: Petra Lang, geboren in Essen", entity_type::person, "Petra Lang"},
      {"Mit freundlichen Grüßen\nMehmet Öztürk\nSachbearbeiter", entity_type::person, "Mehmet Öztürk"},
      {"Von: Kowalski, Anna <a.k@example.org>", entity_type::person, "Kowalski, Anna"},
      {"Gestern hat Sergej Iwanow angerufen.", entity_type::person, "Sergej Iwanow"},
      {"Tel. 0281 207-4711", entity_type::phone, "0281 207-4711"},
      {"erreichbar unter +49 (0)281 2074711.", entity_type::phone, "+49 (0)281 2074711"},
      {"Mobil: 0151 12345678", entity_type::phone, "0151 12345678"},
      {"Telefon (0281) 12345", entity_type::phone, "(0281) 12345"},
      {"Überweisung an DE89 3704 0044 0532 0130 00 bitte", entity_type::iban, "DE89 3704 0044 0532 0130 00"},
      {"BIC: COBADEFFXXX", entity_type::bic, "COBADEFFXXX"},
      {"Karte 4111-1111-1111-1111 belastet", entity_type::credit_card, "4111-1111-1111-1111"},
      {"Steuer-ID 36 574 261 809 liegt vor", entity_type::tax_id, "36 574 261 809"},
      {"IdNr. 11234567890", entity_type::tax_id, "11234567890"},
      {"USt-IdNr.: DE136695976", entity_type::vat_id, "DE136695976"},
      {"Rentenversicherungsnummer 15 070649 C 103", entity_type::social_security, "15 070649 C 103"},
      {"Personalausweis T220001293", entity_type::id_card, "T220001293"},
      {"Ausweisnummer L01X00T47", entity_type::id_card, "L01X00T47"},
      {"Reisepass-Nr. C01X00T47", entity_type::passport, "C01X00T47"},
      {"wohnhaft Reeser Landstr. 31, 46483 Wesel.", entity_type::address, "Reeser Landstr. 31, 46483 Wesel"},
      {"Anschrift: Am Markt 7a", entity_type::address, "Am Markt 7a"},
      {"Konrad-Adenauer-Straße 12-14\n47051 Duisburg", entity_type::address, "Konrad-Adenauer-Straße 12-14\n47051 Duisburg"},
      {"Herr K., geb. 12.03.1985, wohnt", entity_type::date_of_birth, "12.03.1985"},
      {"geboren am 5. März 1979 in Köln", entity_type::date_of_birth, "5. März 1979"},
      {"Kennzeichen WES-AB 123 wurde", entity_type::license_plate, "WES-AB 123"},
      {"Fahrzeug BÜS-A 1 abgeschleppt", entity_type::license_plate, "BÜS-A 1"},
      {"Zugriff von 192.168.10.5 und", entity_type::ip_address, "192.168.10.5"},
      {"Server 2001:db8::8a2e:370:7334 antwortet", entity_type::ip_address, "2001:db8::8a2e:370:7334"},
      {"Frau Berg hat Pflegegrad 3.", entity_type::health, "Pflegegrad 3"},
      {"Az. II 3 K 123/24 vom", entity_type::case_number, "II 3 K 123/24"},
      {"Aktenzeichen: 50-123/26", entity_type::case_number, "50-123/26"},
      {"Passwort: Sommer2024!", entity_type::secret, "Sommer2024!"},
      {"key=sk-proj-abc123DEF456ghi789JKL0", entity_type::secret, "sk-proj-abc123DEF456ghi789JKL0"},
      {"AWS AKIAIOSFODNN7EXAMPLE im Log", entity_type::secret, "AKIAIOSFODNN7EXAMPLE"},
  };
  for (const auto& c : cases) {
    const std::string_view text = c.text;
    auto found = scan(text);
    bool ok = false;
    std::string got;
    for (const auto& e : found) {
      got += std::string(to_string(e.type)) + "[" + span_of(text, e) + "] ";
      if (e.type == c.type && span_of(text, e) == c.span) ok = true;
    }
    EXPECT_TRUE(ok) << c.text << " -> want " << to_string(c.type) << "[" << c.span << "], got " << got;
  }
}

TEST(Detector, HardNegativesProduceNothing) {
  const char* negatives[] = {
      "Der Betrag von 1.234,56 € ist bis 31.12.2026 zu zahlen.",
      "Gemäß § 45 Abs. 2 SGB X und Art. 6 DSGVO.",
      "Rechnungsnummer 2024-00017 vom 12.03.2026",
      "Sperrung der B 58 und der A 3 wegen Bauarbeiten.",
      "Der Koch und der Richter trafen den Wolf.",
      "Sitzung am 5. Mai 2026 um 14:30 Uhr in Zimmer 2.114.",
      "Stellplatz 14 ist frei.",
      "Sperrung der Bislicher Straße ab Montag.",
      "IBAN DE88370400440532013000 ist ungültig.",
      "Steuer-ID 36574261890 hat eine falsche Prüfziffer.",
      "Die ABTEILUNG DEUTSCHLAND informiert.",
      "IMEI 490154203237518 des Diensthandys",
      "Version 1.2.3.4 installiert.",
      "Der Landrat und die Bürgermeisterin begrüßten die Gäste.",
      "Die Fahrzeuge erfüllen Euro 6.",
  };
  for (const char* t : negatives) {
    auto found = scan(t);
    std::string got;
    for (const auto& e : found) got += std::string(to_string(e.type)) + "[" + span_of(t, e) + "] ";
    EXPECT_TRUE(found.empty()) << t << " -> " << got;
  }
}

TEST(Detector, PrebuiltDatabaseFindsWhatARuntimeCompiledOneFinds) {
  const auto prebuilt = detector::create(true);
  const auto compiled = detector::create(false);
  const std::string_view text =
      "Sehr geehrte Frau Öztürk, Az. 50-123/26, IBAN DE89 3704 0044 0532 0130 00, Tel. 0281 207-4711, "
      "geb. 12.03.1985, Reeser Landstraße 31, 46483 Wesel, Pflegegrad 3, Passwort: Sommer2024!";
  std::vector<entity> a, b;
  prebuilt->scan(text, a);
  compiled->scan(text, b);
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GE(a.size(), 8u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].type, b[i].type);
    EXPECT_EQ(a[i].start, b[i].start);
    EXPECT_EQ(a[i].end, b[i].end);
  }
}

namespace {
// "TYPE:value" for each entity found
std::vector<std::string> typed(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& e : scan(text)) out.push_back(std::string(to_string(e.type)) + ":" + span_of(text, e));
  return out;
}
bool has(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

TEST(Tables, CellsUnderNameAndBirthDateHeaders) {
  const std::string tab = "Termine\nName\tVorname\tGeb.-Datum\tRaum\nDemir\tElif\t11.08.2004\tE.07\nKuhn\tJannik\t23.01.2003\tE.09\n";
  auto t = typed(tab);
  for (const char* x : {"PERSON:Demir", "PERSON:Elif", "DATE_OF_BIRTH:11.08.2004", "PERSON:Kuhn", "PERSON:Jannik",
                        "DATE_OF_BIRTH:23.01.2003"}) {
    EXPECT_TRUE(has(t, x)) << x;
  }
  EXPECT_FALSE(has(t, "PERSON:Raum"));
  const std::string csv = "Nr;Nachname;Vorname;Geburtsdatum;Impfstatus\n1;Yıldırım;Deniz;03.05.2022;1x MMR\n";
  t = typed(csv);
  EXPECT_TRUE(has(t, "PERSON:Yıldırım"));
  EXPECT_TRUE(has(t, "PERSON:Deniz"));
  EXPECT_TRUE(has(t, "DATE_OF_BIRTH:03.05.2022"));
  const std::string md = "| Name, Vorname | Fahrzeug |\n|---|---|\n| Berg, Anna | Pkw |\n";
  EXPECT_TRUE(has(typed(md), "PERSON:Berg, Anna"));
  EXPECT_TRUE(has(typed("Familienname\tvan der Meulen\nGeburtsdatum\t4.7.1979\n"), "PERSON:van der Meulen"));
}

TEST(Tables, NoHeaderNoNames) {
  // columns without a name header, prose with semicolons, placeholders
  EXPECT_TRUE(typed("Produkt\tMenge\tPreis\nKaffee\t2\t4,50\nTee\t1\t3,20\n").empty());
  EXPECT_TRUE(typed("Wir prüfen das; Antwort folgt.\nDanach; wie besprochen.\n").empty());
  EXPECT_TRUE(typed("Name\tStatus\n-\toffen\nja\tnein\n").empty());
}

TEST(Dates, BirthDatesInEnglishAndAfterAColon) {
  EXPECT_TRUE(has(typed("Mr Kwame Mensah (date of birth 17 July 1984) came in."), "DATE_OF_BIRTH:17 July 1984"));
  EXPECT_TRUE(has(typed("Ms Aisha Bello (born March 3, 1991) called."), "DATE_OF_BIRTH:March 3, 1991"));
  EXPECT_TRUE(has(typed("Geburtsdatum laut eigener Angabe: 01.01.2010"), "DATE_OF_BIRTH:01.01.2010"));
  EXPECT_TRUE(has(typed("geb: 12.4.1996"), "DATE_OF_BIRTH:12.4.1996"));
  EXPECT_TRUE(has(typed("fatma öztürk geb 03.03.1951 wohnhaft"), "DATE_OF_BIRTH:03.03.1951"));
  // not birth dates
  EXPECT_TRUE(typed("Der Antrag vom 17 July 2024 wurde am 3. März 2025 beschieden.").empty());
}

TEST(Health, OnlyWhenItBelongsToAPerson) {
  // a notice about an illness names no one
  EXPECT_TRUE(typed("Aktionswoche Demenz: Wie beantrage ich einen Ausweis? Angebote für Menschen mit Alzheimer. "
                    "Programm unter www.stadt.de/demenz").empty());
  // a person, a pronoun just before, or a word for a person
  EXPECT_TRUE(has(typed("Frau Berg leidet an einer vaskulären Demenz."), "HEALTH:vaskulären Demenz"));
  EXPECT_TRUE(has(typed("Bei Ihnen wurde eine Epilepsie bekannt."), "HEALTH:Epilepsie"));
  EXPECT_TRUE(has(typed("Mein Vater hat eine Polyneuropathie."), "HEALTH:Polyneuropathie"));
  EXPECT_TRUE(has(typed("Er klagt über Rückenschmerzen."), "HEALTH:Rückenschmerzen"));
}

TEST(Addresses, StreetsBeforeAPostcodeAndInformalOnes) {
  EXPECT_TRUE(has(typed("private Adresse (Hüls 28, 47623 Kevelaer) und"), "ADDRESS:Hüls 28, 47623 Kevelaer"));
  EXPECT_TRUE(has(typed("Trockenbau, Gewerbepark Nord 14, 46485 Wesel"), "ADDRESS:Gewerbepark Nord 14, 46485 Wesel"));
  EXPECT_TRUE(has(typed("in die Wohnung Hagsche Straße 71, 47533 Kleve, EG"), "ADDRESS:Hagsche Straße 71, 47533 Kleve"));
  EXPECT_TRUE(has(typed("meine adresse: kaiserstr 40a, 46535 dinslaken"), "ADDRESS:kaiserstr 40a, 46535 dinslaken"));
  EXPECT_TRUE(has(typed("sie wohnt in der schillerstr. 18 in 47445 moers."), "ADDRESS:schillerstr. 18 in 47445 moers"));
  EXPECT_TRUE(has(typed("mein Nachbar (Birkenweg 9) baut"), "ADDRESS:Birkenweg 9"));
  EXPECT_TRUE(typed("Beratungen gesamt: 412 (Vorquartal 389); Dienstjubiläen im 1. Quartal 2026").empty());
  EXPECT_TRUE(typed("Rechnung vom 12 45678 Betrag").empty());
}

TEST(Numbers, ReferencesAreNoPhonesAndInventoryNoPlates) {
  EXPECT_TRUE(typed("Pressemitteilung Nr. 031/2026 vom 16.02.2026; Reg.-Nr. E 0147/2026; Karten-Nr. EK-05170-3318").empty());
  EXPECT_TRUE(typed("Inventar OA-H-001 und Notebook NB-JA-0871").empty());
  EXPECT_TRUE(has(typed("call me on +30 2310 877 412 or"), "PHONE:+30 2310 877 412"));
  EXPECT_TRUE(has(typed("das Wunschkennzeichen KLE-BW 1571 beantragen"), "LICENSE_PLATE:KLE-BW 1571"));
}

TEST(Secrets, ConfigKeysConnectionStringsAndUrls) {
  EXPECT_TRUE(has(typed("      - SMTP_PASS=Q7v#xL2m!Rr4\n"), "SECRET:Q7v#xL2m!Rr4"));
  EXPECT_TRUE(has(typed("Server=db1;User Id=wg;Password=Wg!Import-2025;Encrypt=true"), "SECRET:Wg!Import-2025"));
  EXPECT_TRUE(has(typed("Konto entsperrt, Initialkennwort vergeben: Rhein#Ufer2026!"), "SECRET:Rhein#Ufer2026!"));
  const auto t = typed("url.\"https://x-access-token:ghp_liFJYjj7C1BHvSsXObLOj4VRWJ9grMz1Klcz@github.com/\"");
  EXPECT_TRUE(has(t, "SECRET:ghp_liFJYjj7C1BHvSsXObLOj4VRWJ9grMz1Klcz")) << (t.empty() ? "" : t[0]);
}

TEST(Persons, InformalAndStructuralCues) {
  EXPECT_TRUE(has(typed("bg nummer weiß ich nich, mein name ist marija petrović, danke"), "PERSON:marija petrović"));
  EXPECT_TRUE(has(typed("anrufer: herr bauer (nachbar)"), "PERSON:bauer"));
  EXPECT_TRUE(has(typed("Rufbereitschaft: K. Mertens"), "PERSON:K. Mertens"));
  EXPECT_TRUE(has(typed("Eltern: Dennis Klein und Jacqueline Klein geb. Schröder"), "PERSON:Schröder"));
  EXPECT_TRUE(has(typed("Vorsitz: Bürgermeisterin Ulrike Terhoeven\n"), "PERSON:Ulrike Terhoeven"));
  EXPECT_TRUE(has(typed("[10:04] Dariusz: bin gleich da\n"), "PERSON:Dariusz"));
  EXPECT_TRUE(has(typed("From: Okonjo, Chukwuemeka <c.okonjo@example.org>\n"), "PERSON:Okonjo, Chukwuemeka"));
  // firms, prepositions and office words are no names
  EXPECT_FALSE(has(typed("Anzeigender: Bestattungen Heinrich GmbH"), "PERSON:Heinrich"));
  EXPECT_TRUE(has(typed("Hausbesuch mit Herrn Brandt vom Pflegestützpunkt."), "PERSON:Brandt"));
  EXPECT_TRUE(has(typed("ironischerweise ist Herr Koch Teilnehmer."), "PERSON:Koch"));
}

TEST(Secrets, VendorTokensUrlPasswordsAndPlaceholders) {
  EXPECT_TRUE(has(typed("psql \"postgresql://statistik_ro:Il!rCWGfrJ@10.20.7.40:5432/statistik\""), "SECRET:Il!rCWGfrJ"));
  EXPECT_TRUE(has(typed("      SMTP_PASS: Z1N%Q81?Wyv3xp\n"), "SECRET:Z1N%Q81?Wyv3xp"));
  EXPECT_TRUE(has(typed("\"aws_secret\": \"XB5Zk4gTzUu3Mae7JJzrieJ+XM9mhYs5rZdzN4c4\","), "SECRET:XB5Zk4gTzUu3Mae7JJzrieJ+XM9mhYs5rZdzN4c4"));
  EXPECT_TRUE(has(typed("| Twilio | TWILIO_AUTH_TOKEN | 92967b4378406c744d0fb6a7e00c5012 |"), "SECRET:92967b4378406c744d0fb6a7e00c5012"));
  EXPECT_TRUE(has(typed("Docker Hub: dckr_pat_O8CKo6tW5g1jFNDeaadFFIlD1UG"), "SECRET:dckr_pat_O8CKo6tW5g1jFNDeaadFFIlD1UG"));
  EXPECT_TRUE(has(typed("Passphrase: Js!S5Q9NNCZT\n"), "SECRET:Js!S5Q9NNCZT"));
  // placeholders and table headers are no secrets
  EXPECT_TRUE(typed("DB_PASSWORD=${DB_PASSWORD}\nSMTP_PASS=<aus Vault>\nPassword=%USERNAME%\n").empty());
  EXPECT_TRUE(typed("| Dienst | API_TOKEN | Beschreibung |").empty());
}

TEST(Detector, RandomTextGivesOrderedSpansOnCharacterBoundaries) {
  // texts mixing what the passes key on: table separators, cues, digits, umlauts, names
  const std::vector<std::string> pieces = {
      "Name\t", "Vorname;", " | ", "\n", "geb. ", "herr ", "ich bin ", "lg ", "Frau ", "K. ", "Müller", "anna", "ß",
      "Öztürk", "-", "'", ":", "0", "12.03.1985", " 47623 ", "Kevelaer", "str ", "40a", "@", "://u:p@h", "DE89 3704 0044 0532 0130 00",
      "Pflegegrad 3", "SMTP_PASS=", "${X}", "„", "“", "–", "€", " ", "  ", "WES-AB 123", "T22000129", "Az. ", "50-123/26"};
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
    const auto found = scan(text);
    std::size_t last_end = 0;
    for (const auto& e : found) {
      ASSERT_LT(e.start, e.end) << text;
      ASSERT_LE(e.end, text.size()) << text;
      ASSERT_GE(e.start, last_end) << "overlap in: " << text;
      ASSERT_NE(static_cast<unsigned char>(text[e.start]) & 0xC0, 0x80u) << text;
      if (e.end < text.size()) ASSERT_NE(static_cast<unsigned char>(text[e.end]) & 0xC0, 0x80u) << text;
      last_end = e.end;
    }
  }
}
