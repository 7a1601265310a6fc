// The detector's pattern database: anchors, health terms and context-word classes, with
// their ids. Shared by the detector and by redact_dbgen, which compiles the database at build
// time so the gateway does not spend a second compiling it at every start.
#pragma once

#include <hs/hs.h>

#include <iterator>
#include <string_view>
#include <vector>

namespace lp::redact::patterns {

enum pid : unsigned {
  p_email,
  p_iban,
  p_dob_cue,
  p_case_cue,
  p_secret_prefix,
  p_secret_cue,
  p_pem,
  p_street_suffix,
  p_street_prefix,
  p_ipv6,
  p_rvnr,
  p_vat,
  p_doc,
  p_bic8,
  p_bic11,
  p_plate,
  p_icd,
  p_icd_cue,
  p_url_password,
  p_health = 100,  // p_health + i: health_terms[i]
  p_cue = 200,     // p_cue + c: cue class c
};

inline constexpr unsigned ci = HS_FLAG_CASELESS;

struct pattern_def {
  const char* re;
  unsigned flags;
  unsigned id;
};

// Upper-case letters of German district codes, including umlauts (UTF-8).
#define LP_UPPER "(?:[A-Z]|\xC3\x84|\xC3\x96|\xC3\x9C)"

// Numbers (phone, tax id, cards, IPv4) are found by a scan for digit runs in C++ (number_runs)
// rather than by patterns: start positions of overlapping digit patterns are costly for the
// regex engine and easy to get from the run. The anchors p_iban, p_rvnr, p_doc, p_bic8, p_bic11,
// p_plate and p_icd start with a character class rather than a literal; detector.cpp finds them
// at upper-case letters (upper_anchors), which costs a fraction of what they cost Hyperscan.
inline const pattern_def patterns[] = {
    {R"([A-Za-z0-9_%+\-\x80-\xBF]@[A-Za-z0-9\xC3-\xC5])", 0, p_email},
    {R"((?:geb\.|geb:|geb [0-9]|geboren|geburtsdatum|geburtstag|geb\.-datum|tag der geburt|date of birth|\bborn|\*[ ]?[0-9]))", ci, p_dob_cue},
    {R"((?:az\.|az:|\baz |aktenzeichen|gesch(?:ä|\xC3\x84)ftszeichen|gz\.|gz:|gesch\.-z\.|(?:unser|ihr|mein) zeichen|vorgangsnummer|vorgangs-nr\.))",
     ci, p_case_cue},
    {R"((?:sk-|sk_live_|sk_test_|rk_live_|whsec_|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abprs]-|xapp-|AKIA|ASIA|AIza|eyJ|hf_|npm_|pypi-|dckr_pat_|dop_v1_|shpat_|shpss_|ATATT))",
     0, p_secret_prefix},
    {R"((?:passwort|kennwort|password|passwd|pwd|passphrase|zugangscode|zugangsdaten|api[-_ ]?key|apikey|access[-_ ]?token|accountkey|secret|token|pin)(?:[-_][a-z]+){0,3}["']?[ ]*(?:lautet[ ]*)?[:=|])",
     ci, p_secret_cue},
    // configuration keys ("SMTP_PASS=", "db_passwd =") and a verb before the colon ("Initialkennwort vergeben:")
    {R"((?:_pass(?:wd|word)?[ ]*[:=]|\bpass(?:wd)?[ ]*=))", ci, p_secret_cue},
    // the password of a URL: scheme://user:PASSWORD@host
    {R"([a-z][a-z0-9+.\-]{1,15}://[^\s:/@"']{1,64}:[^\s@/"']{1,128}@)", ci, p_url_password},
    {R"((?:kennwort|passwort|password)[ ](?:vergeben|gesetzt|ist|neu|tempor(?:ä|\xC3\xA4)r|vorl(?:ä|\xC3\xA4)ufig|initial|zur(?:ü|\xC3\xBC)ckgesetzt)[ ]*:)",
     ci, p_secret_cue},
    {R"(-----BEGIN [A-Z ]*PRIVATE KEY-----)", 0, p_pem},
    {R"((?:stra(?:ß|\xC3\x9F)e|strasse|str\.|str|weg|platz|ring|allee|gasse|damm|ufer|chaussee|markt|pfad|steig|stieg|hof|graben|wall|kamp|deich|berg|feld|garten|park|promenade|wiese|h(?:ö|\xC3\xB6)he|tal|gracht|acker|bruch|busch|heide|hang|winkel|anger|m(?:ü|\xC3\xBC)hle|stra(?:ß|\xC3\x9F)|b(?:ü|\xC3\xBC)hl|mark|kastell|dyk|dijk|horst|kuhle|siepen|bach|brink|esch|loh|venn)[ ]{1,2}[0-9])",
     ci, p_street_suffix},
    {R"((?:Am|An der|An den|Auf dem|Auf der|Auf den|Im|In der|In den|Zum|Zur|Unter den|Hinter dem|Hinter der|Vor dem|Alte|Alter|Altes|Neue|Neuer|Neues|Große|Großer|Kleine|Kleiner|Hohe|Hoher|Lange|Langer|Obere|Untere|Oberer|Unterer) )" LP_UPPER,
     0, p_street_prefix},
    {R"([0-9A-Fa-f]{1,4}::?[0-9A-Fa-f]{1,4}:)", 0, p_ipv6},
    {R"(DE ?[0-9]{3} ?[0-9]{3} ?[0-9]{3})", 0, p_vat},
    {R"((?:icd(?:-10)?|diagnoseschl(?:ü|\xC3\xBC)ssel|diagnose)[: ]{1,2}[A-TV-Z][0-9]{2})", ci, p_icd_cue},
};

// Health terms (case-insensitive): the pattern, and the head it starts with (to find the start
// of a match without start-of-match tracking).
struct health_term {
  const char* re;
  std::string_view head;
};
inline const health_term health_terms[] = {
    {"pflegegrad(?:es)? ?[1-5]", "pflegegrad"},
    {"pflegestufe ?[0-3]", "pflegestufe"},
    {"grad der behinderung(?: \\(gdb\\))?(?: von)?(?: ?[0-9]{2,3}(?: ?%)?)?", "grad der behinderung"},
    {"gdb(?: von)? ?[0-9]{2,3}(?: ?%)?", "gdb"},
    {"merkzeichen [\"„]?(?:ag|bl|gl|tbl|rf|h|g|b)[\"“]?", "merkzeichen"},
    {"schwerbehinder(?:ung|te|ter|ten|t)", "schwerbehinder"},
    {"diabetes(?: mellitus)?(?: typ ?(?:1|2|i|ii))?", "diabetes"},
    {"depression(?:en)?", "depression"},
    {"depressive[n]? (?:episode|st(?:ö|\\xC3\\xB6)rung)", "depressive"},
    {"(?:angst|panik|ess|pers(?:ö|\\xC3\\xB6)nlichkeits)st(?:ö|\\xC3\\xB6)rung(?:en)?", ""},
    {"posttraumatische[n]? belastungsst(?:ö|\\xC3\\xB6)rung", "posttraumatische"},
    {"bipolare[n]? st(?:ö|\\xC3\\xB6)rung", "bipolare"},
    {"(?:ptbs|adhs|copd|hiv|aids|burn-?out|long[- ]covid|demenz|alzheimer|parkinson|epilepsie|schizophrenie|psychose|autismus|tuberkulose|asthma|herzinsuffizienz|herzinfarkt|schlaganfall|niereninsuffizienz|dialyse|dialysepflichtig|rheuma|arthrose|bandscheibenvorfall|magersucht|anorexie|bulimie|alkoholsucht|suchterkrankung|krebserkrankung|brustkrebs|lungenkrebs|darmkrebs|prostatakrebs|tumorerkrankung|chemotherapie|lernbehinderung|sehbehinderung|erblindung|blindheit|schwangerschaft|schwanger|krebs|tumor)", ""},
    {"multiple[n]? sklerose", "multiple"},
    {"hepatitis [a-e]", "hepatitis"},
    {"leuk(?:ä|\\xC3\\xA4)mie", "leuk"},
    {"querschnittsl(?:ä|\\xC3\\xA4)hmung|querschnittsgel(?:ä|\\xC3\\xA4)hmt", "querschnitts"},
    {"(?:alkohol|drogen)abh(?:ä|\\xC3\\xA4)ngigkeit", ""},
    {"geistige[n]? behinderung", "geistige"},
    {"k(?:ö|\\xC3\\xB6)rperliche[n]? behinderung", "k"},
    {"psychische[n]? behinderung", "psychische"},
    {"seelische[n]? behinderung", "seelische"},
    {"(?:k(?:ö|\\xC3\\xB6)rper|h(?:ö|\\xC3\\xB6)r)behinderung|geh(?:ö|\\xC3\\xB6)rlos(?:igkeit)?", ""},
    {"rollstuhlfahrer(?:in)?", ""},
    {"auf einen rollstuhl angewiesen", "auf einen"},
    {"psychische[n]? erkrankung", "psychische"},
    {"chronische[n]? erkrankung", "chronische"},
    {"asthma bronchiale", "asthma"},
    {"morbus [a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC]{3,}", "morbus"},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC\\xC3\\x9F]{3,}abh(?:ä|\\xC3\\xA4)ngigkeit", ""},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC\\xC3\\x9F]*(?:entwicklungs|rechtschreib|zwangs|schlaf|wahrnehmungs|bindungs|verhaltens|aufmerksamkeits|anpassungs|sprach)st(?:ö|\\xC3\\xB6)rung", ""},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC]*karzinom", ""},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC]{3,}erkrankung", ""},
    {"[a-z]{3,}itis", ""},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC-]*syndrom", ""},
    {"(?:melanom|lymphom|glaukom|hypertonie|bluthochdruck|adipositas|osteoporose|thrombose|lungenembolie|inkontinenz|[a-z]*allergie|an(?:ä|\\xC3\\xA4)mie|suizidversuch|suizidgedanken|suizidalit(?:ä|\\xC3\\xA4)t|alkoholmissbrauch|drogenmissbrauch|medikamentenmissbrauch|fehlgeburt|covid-19|corona-infektion|lungenentz(?:ü|\\xC3\\xBC)ndung|gicht|hirntumor|hirnblutung|sch(?:ä|\\xC3\\xA4)del-hirn-trauma|tinnitus|skoliose|herzrhythmusst(?:ö|\\xC3\\xB6)rung(?:en)?|schilddr(?:ü|\\xC3\\xBC)senunterfunktion|schilddr(?:ü|\\xC3\\xBC)sen(?:ü|\\xC3\\xBC)berfunktion)", ""},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC]*(?:herzkrankheit|gastroenteritis|legionellose|dyskalkulie|legasthenie|h(?:ö|\\xC3\\xB6)rsch(?:ä|\\xC3\\xA4)digung|h(?:ö|\\xC3\\xB6)rminderung|entwicklungsverz(?:ö|\\xC3\\xB6)gerung|borreliose|masern|keuchhusten|salmonellose|windpocken|migr(?:ä|\\xC3\\xA4)ne|tinnitus|neurodermitis|zerebralparese|spastik|trisomie 21|down-syndrom)", ""},
    {"rheumatoide arthritis", "rheumatoide"},
    // compounds by their head: Polyneuropathie, Spinalkanalstenose, Rückenschmerzen, Halbseitenlähmung …
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC]*(?:neuropathie|stenose|sklerose|insuffizienz|l(?:ä|\\xC3\\xA4)hmung|fraktur|karzinom|sarkom|zirrhose|hepatitis|infarkt|tumor|psychose|phobie|neurose)", ""},
    {"[a-z\\xC3\\xA4\\xC3\\xB6\\xC3\\xBC]{3,}schmerzen", ""},
    {"(?:intelligenzminderung|borderline(?:-st(?:ö|\\xC3\\xB6)rung)?|selbstverletzende[ns]? verhalten[s]?|selbstverletzung|essst(?:ö|\\xC3\\xB6)rung|bandscheibenvorfall|herzschrittmacher|hüft-tep|knie-tep|amputation|dekubitus|spina bifida|mukoviszidose|hiv-infektion)", ""},
    {"typ-?[12]-diabetes", "typ"},
};
#undef LP_UPPER


// Context words, found in the same pass: each class is one pattern; its matches' end offsets
// are kept (sorted, as matches arrive in order) so validators ask "is there a cue within N
// bytes before here?" by binary search instead of searching the text again.
enum cue_class : unsigned {
  c_phone,
  c_not_phone,
  c_tax,
  c_serial,
  c_card,
  c_not_ip,
  c_rvnr,
  c_id_doc,
  c_passport,
  c_bic,
  c_plate,
  c_address,
  c_address_strict,
  c_not_icd,
  c_person,
  c_informal,  // lower-case cues before names written without capitals (names.cpp)
  c_count
};

inline const pattern_def cue_patterns[] = {
    {R"(\b(?:tel|telefon|fon|fax|mobil|handy|rufnummer|erreichbar|anrufen|durchwahl|phone|telefonnr|telefonnummer|mobilnummer|festnetz|whatsapp|ruf|kontakt|zentrale|hotline))", ci, p_cue + static_cast<unsigned>(c_phone)},
    {R"(\b(?:az|aktenzeichen|zeichen|rechnung|rechnungs|kunden|vertrag|konto|iban|blz|steuer|plz|bestell|auftrag|vorgang|kassenzeichen|belegnummer|referenz|mandats|order|imei|personalnummer|matrikel|flurstück|gemarkung|idnr|identifikationsnummer|versicherungsnummer))", ci, p_cue + static_cast<unsigned>(c_not_phone)},
    {R"(\b(?:steuer|idnr|id\-nr|identifikationsnummer|tin|steuerid|steuer\-id|identifikations))", ci, p_cue + static_cast<unsigned>(c_tax)},
    {R"(\b(?:imei|seriennummer|serial))", ci, p_cue + static_cast<unsigned>(c_serial)},
    {R"(\b(?:karte|kreditkarte|visa|mastercard|amex|card|kartennummer))", ci, p_cue + static_cast<unsigned>(c_card)},
    {R"(\b(?:version|v\.|vers|release|abs|nr|tarifstelle|ziffer|gliederung))", ci, p_cue + static_cast<unsigned>(c_not_ip)},
    {R"(\b(?:rentenversicherung|versicherungsnummer|rvnr|sozialversicherung|svnr|sv\-nr|rv\-nr|vsnr))", ci, p_cue + static_cast<unsigned>(c_rvnr)},
    {R"(\b(?:ausweis|personalausweis|ausweisnummer|dokumentennummer|dokument|id\-karte|id card|pa\-nr|personalausweisnummer|identity card))", ci, p_cue + static_cast<unsigned>(c_id_doc)},
    {R"(\b(?:reisepass|pass|passnummer|passport|reisepassnummer))", ci, p_cue + static_cast<unsigned>(c_passport)},
    {R"(\b(?:bic|swift|iban|bank|kreditinstitut))", ci, p_cue + static_cast<unsigned>(c_bic)},
    {R"((?:kennzeichen|\b(?:kfz|amtl|fahrzeug|pkw|lkw|halter|zugelassen|krad|motorrad|anhänger|wohnmobil|parkverstoß|abgeschleppt|geblitzt|geparkt)))", ci, p_cue + static_cast<unsigned>(c_plate)},
    {R"(\b(?:wohnhaft|anschrift|adresse|wohnt|wohnort|straße|str\.|grundstück|objekt|baugrundstück|liegenschaft|hausnummer|zugestellt|melde|umgezogen|wohnung|in der|im |am ))", ci, p_cue + static_cast<unsigned>(c_address)},
    {R"(\b(?:wohnhaft|anschrift|adresse|wohnt|wohnort|grundstück|objekt|baugrundstück|liegenschaft))", ci, p_cue + static_cast<unsigned>(c_address_strict)},
    {R"(\b(?:zimmer|raum|gebäude|abschnitt|kapitel|nr|anlage|ziffer|tz|rn|version|tarifstelle|position))", ci, p_cue + static_cast<unsigned>(c_not_icd)},
    {R"(§)", 0, p_cue + static_cast<unsigned>(c_not_ip)},
    {R"(§)", 0, p_cue + static_cast<unsigned>(c_not_icd)},
    {R"(\b(?:herr|herrn|frau|name ist|ich bin|ich hei(?:ß|\xC3\x9F)e|ich heisse|hei(?:ß|\xC3\x9F)t|heist|my name is|lg|vg|mfg|danke|gru(?:ß|\xC3\x9F)) )", 0,
     p_cue + static_cast<unsigned>(c_informal)},
};


// Every pattern of the database with its flags and id, in a fixed order.
inline void collect(std::vector<const char*>& exprs, std::vector<unsigned>& flags, std::vector<unsigned>& ids) {
  for (const auto& p : patterns) {
    exprs.push_back(p.re);
    flags.push_back(p.flags);
    ids.push_back(p.id);
  }
  for (const auto& p : cue_patterns) {
    exprs.push_back(p.re);
    flags.push_back(p.flags);
    ids.push_back(p.id);
  }
  for (std::size_t i = 0; i < std::size(health_terms); ++i) {
    exprs.push_back(health_terms[i].re);
    flags.push_back(ci);
    ids.push_back(p_health + static_cast<unsigned>(i));
  }
}

}  // namespace lp::redact::patterns
