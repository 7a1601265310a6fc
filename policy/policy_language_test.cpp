// The constructs added for use cases, time windows, keyword data classes, answer labels, report
// settings, AI register entries and rule categories: their semantics, and every error message
// with its line and column.
#include <gtest/gtest.h>

#include <date/date.h>

#include "policy/policy.h"
#include "policy/test_support.h"
#include "policy/testing.h"

using namespace lp;
using namespace lp::policy;

namespace {

// All diagnostics as one text (the checks below look for each expected line in it).
std::string errors_of(std::string_view text) {
  std::string out;
  for (const auto& line : test_support::errors_of(text)) out += line + "\n";
  return out;
}

using test_support::facts;
using test_support::parse_ok;

constexpr std::string_view policy_text = R"(version: v
timezone: Europe/Berlin
purposes:
  vermerk: {title: Vermerk}
  buergerbrief: {title: Bürgerbrief, citizen_facing: true}
data_classes:
  kontakt: [EMAIL]
  gesundheit:
    special_category: true
    patterns: ['diagnose', 'pflegegrad [1-5]']
services:
  eu: {models: [m-eu], data_classes: [kontakt]}
  us: {models: [m-us], hosting: {location: US, transfer_basis: none}}
  intern: {models: [m-int], data_classes: [kontakt, gesundheit]}
responses:
  ai_label: {de: "KI-Text.", en: "AI text."}
  notices_in_answer: false
redact: {EMAIL: pseudonymize}
rules:
  - id: allow-all
    effect: allow
    when: {models: [m-eu, m-us, m-int]}
  - id: office-hours
    effect: deny
    when:
      models: [m-int]
      time: {days: [sa, so], from: "22:00", to: "06:00"}
    explanation: "Nicht nachts am Wochenende."
  - id: letters-need-review
    effect: require_acknowledgement
    when: {purposes: [buergerbrief]}
    explanation: "Bitte prüfen."
)";

TEST(PolicyLanguage, ParsesUseCasesLabelsAndOperators) {
  auto s = parse_ok(policy_text);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->timezone, "Europe/Berlin");
  EXPECT_NE(s->zone, nullptr);
  ASSERT_EQ(s->purposes.size(), 2u);
  EXPECT_TRUE(find_purpose(*s, "buergerbrief")->citizen_facing);
  EXPECT_FALSE(find_purpose(*s, "vermerk")->citizen_facing);
  EXPECT_EQ(find_purpose(*s, "other"), nullptr);
  EXPECT_EQ(s->ai_label_de, "KI-Text.");
  EXPECT_FALSE(s->notices_in_answer);
  EXPECT_EQ(s->redaction[static_cast<std::size_t>(redact::entity_type::email)], redact::operator_kind::pseudonymize);
  ASSERT_EQ(s->data_classes.size(), 2u);
  EXPECT_TRUE(s->data_classes[1].special_category);
  EXPECT_EQ(s->data_classes[1].patterns.size(), 2u);
  // Pseudonymised data does not leave the house in clear: it does not count as forwarded.
  redact::entity_counts detected{};
  detected[0] = 2;
  EXPECT_EQ(forwarded_counts(*s, detected)[0], 0u);
}

TEST(PolicyLanguage, KeywordDataClassesRefuseUnapprovedAndThirdCountryServices) {
  auto s = parse_ok(policy_text);
  ASSERT_TRUE(s);
  std::vector<bool> hits(s->pattern_sources.size(), false);
  ASSERT_TRUE(s->patterns->scan("Bitte die Diagnose zusammenfassen", hits));
  auto f = facts("sozialamt", "m-eu");
  f.pattern_hits = &hits;
  auto d = evaluate(*s, f);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.determining.front()->id, "data-class.eu");
  f.model = "m-us";
  d = evaluate(*s, f);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.determining.front()->id, "third-country.us");
  f.model = "m-int";
  EXPECT_TRUE(evaluate(*s, f).allowed);
  std::vector<bool> none(s->pattern_sources.size(), false);
  f.model = "m-eu";
  f.pattern_hits = &none;
  EXPECT_TRUE(evaluate(*s, f).allowed);
}

TEST(PolicyLanguage, TimeWindowsWrapPastMidnightAndRespectWeekdays) {
  auto s = parse_ok(policy_text);
  ASSERT_TRUE(s);
  auto f = facts("it", "m-int");
  auto at = [&](std::string_view local) {
    EXPECT_TRUE(parse_local_time(local, f.weekday, f.minute)) << local;
    return evaluate(*s, f).allowed;
  };
  EXPECT_FALSE(at("2026-11-28 23:30"));  // Saturday night
  EXPECT_FALSE(at("2026-11-29 05:59"));  // Sunday early morning
  EXPECT_TRUE(at("2026-11-29 06:00"));   // window ends (exclusive)
  EXPECT_TRUE(at("2026-11-28 21:59"));
  EXPECT_TRUE(at("2026-11-27 23:30"));   // Friday night: not a listed day
  EXPECT_FALSE(parse_local_time("2026-02-30 10:00", f.weekday, f.minute));
  EXPECT_FALSE(parse_local_time("2026-11-27 24:00", f.weekday, f.minute));
}

TEST(PolicyLanguage, LocalTimeFollowsTheZoneIncludingDaylightSaving) {
  auto s = parse_ok(policy_text);
  ASSERT_TRUE(s);
  request_facts f;
  using namespace std::chrono;
  // 2026-07-01 10:15 UTC is 12:15 in Berlin (CEST); 2026-12-01 10:15 UTC is 11:15 (CET).
  set_local_time(*s, date::sys_days(date::year(2026) / 7 / 1) + hours(10) + minutes(15), f);
  EXPECT_EQ(f.minute, 12 * 60 + 15);
  EXPECT_EQ(f.weekday, 2);  // Wednesday
  set_local_time(*s, date::sys_days(date::year(2026) / 12 / 1) + hours(10) + minutes(15), f);
  EXPECT_EQ(f.minute, 11 * 60 + 15);
  EXPECT_EQ(f.weekday, 1);  // Tuesday
  // 23:30 UTC on a Saturday in winter is already Sunday 00:30 in Berlin.
  set_local_time(*s, date::sys_days(date::year(2026) / 11 / 28) + hours(23) + minutes(30), f);
  EXPECT_EQ(f.weekday, 6);
  EXPECT_EQ(f.minute, 30);
}

TEST(PolicyLanguage, PurposeConditionsNameDeclaredUseCases) {
  auto s = parse_ok(policy_text);
  ASSERT_TRUE(s);
  auto f = facts("it", "m-eu");
  f.purpose = "buergerbrief";
  auto d = evaluate(*s, f);
  EXPECT_TRUE(d.needs_acknowledgement);
  f.acknowledged = true;
  EXPECT_TRUE(evaluate(*s, f).allowed);
  f.purpose = "vermerk";
  f.acknowledged = false;
  EXPECT_TRUE(evaluate(*s, f).allowed);
}

TEST(PolicyLanguage, ReportsEveryErrorOfTheNewConstructsWithLineAndColumn) {
  const auto all = errors_of(R"(version: v
timezone: Mars/Olympus
purposes:
  Bürgerbrief: {title: x}
  vermerk: {description: ohne Titel, audience: all}
data_classes:
  leer: {special_category: true}
  gesundheit: {patterns: ['diagnose(']}
services:
  eu: {models: [m-eu]}
  intern: {models: [m-int]}
responses:
  ai_label: {en: "AI"}
  notices_in_answer: maybe
redact: {EMAIL: scramble}
rules:
  - id: a
    effect: allow
    to: m-int
    when:
      models: [m-eu, gpt-5]
      purposes: [statistik]
      time: {days: [mo, feiertag], from: "7:00", to: "25:00"}
  - id: b
    effect: route
    to: m-mars
    when:
      services: [intern]
      models: [m-eu]
  - id: c
    effect: deny
    explanation: x
    when:
      time: {from: "08:00", to: "08:00"}
  - id: d
    effect: deny
    explanation: x
    when:
      time: {days: [], from: "08:00"}
)");
  const std::vector<std::string> want = {
      "p.yaml:2:11: unknown time zone 'Mars/Olympus' (an IANA name such as Europe/Berlin)",
      "p.yaml:4:3: purpose name 'Bürgerbrief' must be 1-64 characters of a-z 0-9 - _ . (it is sent as a header)",
      "p.yaml:5:38: unknown key 'audience' (allowed: title, description, citizen_facing, register)",
      "p.yaml:5:12: purpose 'vermerk' needs a title",
      "p.yaml:7:9: data class 'leer' has neither entity types nor patterns: rules naming it can never fire",
      "p.yaml:13:13: ai_label needs the German text (de)",
      "p.yaml:14:22: notices_in_answer must be true or false",
      "p.yaml:15:17: unknown operator 'scramble' (allowed: mask, pseudonymize, keep)",
      "p.yaml:19:9: 'to' belongs to rules with effect route",
      "p.yaml:21:15: unknown model 'gpt-5' (no service under services: provides it)",
      "p.yaml:22:17: unknown purpose 'statistik' (not listed under purposes:)",
      "p.yaml:23:20: unknown day 'feiertag'",
      "p.yaml:23:42: '7:00' is not a time of day (HH:MM, 00:00-24:00)",
      "p.yaml:23:54: '25:00' is not a time of day (HH:MM, 00:00-24:00)",
      "p.yaml:26:9: unknown model 'm-mars' (no service under services: provides it)",
      "p.yaml:29:15: none of these models belongs to the rule's services: this rule can never fire",
      "p.yaml:34:33: 'from' equals 'to': this time window is empty, the rule can never fire",
      "p.yaml:39:20: empty 'days' list: this rule can never fire",
      "p.yaml:39:13: time needs both 'from' and 'to' (HH:MM, local time of the policy's timezone)",
      "p.yaml:8:27: invalid pattern 'diagnose('",
  };
  for (const auto& w : want) EXPECT_NE(all.find(w), std::string::npos) << "missing: " << w << "\n" << all;
}

}  // namespace

namespace {

TEST(PolicyLanguage, RedactRulesChooseOperatorsForTheModelTheRequestGoesTo) {
  auto s = parse_ok(R"(version: v
redact: {EMAIL: mask, IBAN: mask}
data_classes:
  finanz: [IBAN]
  kontakt: [EMAIL]
services:
  cloud: {models: [cloud], data_classes: [kontakt]}
  intern: {models: [intern], data_classes: [finanz]}
rules:
  - id: allow-all
    effect: allow
  - id: intern-sees-iban
    effect: redact
    redact: {IBAN: keep}
    when: {models: [intern]}
  - id: soz-pseudonyms
    effect: redact
    redact: {EMAIL: pseudonymize}
    when: {departments: [sozialamt]}
  - id: strict-for-audit
    effect: redact
    redact: {EMAIL: mask}
    when: {purposes: [pruefung]}
  - id: iban-to-intern
    effect: route
    to: intern
    when: {departments: [kaemmerei], detected: [IBAN]}
)");
  ASSERT_TRUE(s);
  using redact::operator_kind;
  constexpr auto email = 0, iban = 1;
  auto f = facts("bauamt", "cloud");
  auto d = evaluate(*s, f);
  EXPECT_EQ(d.redaction[email], operator_kind::mask);
  EXPECT_EQ(d.redaction[iban], operator_kind::mask);
  EXPECT_TRUE(d.redacted_by.empty());
  f.department = "sozialamt";
  d = evaluate(*s, f);
  EXPECT_EQ(d.redaction[email], operator_kind::pseudonymize);
  ASSERT_EQ(d.redacted_by.size(), 1u);
  EXPECT_EQ(d.redacted_by[0]->id, "soz-pseudonyms");
  f.purpose = "pruefung";  // two rules set EMAIL: the strictest wins, whatever the order
  d = evaluate(*s, f);
  EXPECT_EQ(d.redaction[email], operator_kind::mask);
  EXPECT_EQ(d.redacted_by.size(), 2u);
  // Routed: the operators are those for the target model, and kept IBANs count as forwarded
  // there (the internal service is approved for them).
  auto k = facts("kaemmerei", "cloud");
  k.detected[iban] = 1;
  d = evaluate(*s, k);
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.route_to, "intern");
  EXPECT_EQ(d.redaction[iban], operator_kind::keep);
  // Not routed, the cloud service gets IBANs masked; kept, they would be refused.
  k.department = "bauamt";
  d = evaluate(*s, k);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.redaction[iban], operator_kind::mask);
}

TEST(PolicyLanguage, RedactRulesAreValidated) {
  const auto all = errors_of(R"(version: v
rules:
  - id: a
    effect: redact
  - id: b
    effect: redact
    redact: {EMAIL: blur, SHOE: mask}
  - id: c
    effect: allow
    redact: {EMAIL: mask}
  - id: d
    effect: redact
    redact: {}
)");
  for (const char* w : {"p.yaml:3:5: redact rule 'a' needs 'redact' (entity type: mask | pseudonymize | keep)",
                        "p.yaml:7:21: unknown operator 'blur' (allowed: mask, pseudonymize, keep)",
                        "p.yaml:7:27: unknown entity type 'SHOE'",
                        "p.yaml:10:13: 'redact' belongs to rules with effect redact",
                        "p.yaml:13:13: an empty 'redact' map: this rule changes nothing"}) {
    EXPECT_NE(all.find(w), std::string::npos) << "missing: " << w << "\n" << all;
  }
}

}  // namespace

namespace {

TEST(PolicyLanguage, ServicesApprovedForSomeDepartmentsRefuseTheOthers) {
  auto s = parse_ok(R"(version: v
departments: [it, bauamt]
services:
  trial: {models: [big], departments: [it]}
  open: {models: [small]}
rules:
  - id: allow-all
    effect: allow
)");
  ASSERT_TRUE(s);
  auto f = facts("bauamt", "big");
  auto d = evaluate(*s, f);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.determining.front()->id, "department.trial");
  f.department = "it";
  EXPECT_TRUE(evaluate(*s, f).allowed);
  f.department = "bauamt";
  f.model = "small";
  EXPECT_TRUE(evaluate(*s, f).allowed);
  // explain says why the derived rule did not match for IT
  auto it = facts("it", "big");
  for (const auto& t : trace(*s, it)) {
    if (t.r->id != "department.trial") continue;
    ASSERT_EQ(t.unmet.size(), 1u);
    EXPECT_EQ(t.unmet[0], "department 'it' is approved: [it]");
  }
}

TEST(PolicyLanguage, RetentionIsReadAndNeverBelowSixMonths) {
  auto s = parse_ok("version: v\nretention: {decision_log_months: 24, refused_prompt_days: 14}\nrules: [{id: a, effect: allow}]\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->retention.decision_log_months, 24u);
  EXPECT_EQ(s->retention.refused_prompt_days, 14u);
  auto d = parse_ok("version: v\nrules: [{id: a, effect: allow}]\n");
  EXPECT_EQ(d->retention.decision_log_months, 6u);
  EXPECT_EQ(d->retention.refused_prompt_days, 0u);
  const auto all = errors_of(R"(version: v
retention: {decision_log_months: 3, refused_prompt_days: 365, forever: true}
services:
  x: {models: [m], departments: [gartenamt]}
departments: [it]
rules: [{id: department.x, effect: allow}]
)");
  for (const char* w : {"p.yaml:2:34: decision_log_months must be at least 6: deployers keep the logs of AI systems for at least six months (Art. 26 Abs. 6 KI-VO)",
                        "p.yaml:2:58: refused_prompt_days must be between 0 and 90",
                        "p.yaml:2:63: unknown key 'forever'",
                        "reserved for rules derived from services"}) {
    EXPECT_NE(all.find(w), std::string::npos) << "missing: " << w << "\n" << all;
  }
}

}  // namespace

namespace {

constexpr std::string_view report_policy = R"yaml(version: v
organisation:
  name: Kreisverwaltung Musterkreis
  contact: ki@musterkreis.example
  website: https://www.musterkreis.example
  works_agreement: DV-KI 2026-11
  works_agreement_date: 2026-11-01
reporting: {min_group_size: 10, rounding: 3, co2_g_per_kwh: 363.5}
departments: [sozialamt, it]
budgets: {it: 400, sozialamt: 120.5}
purposes:
  bescheid:
    title: Bescheide
    register:
      status: in_development
      begin_date: 2026-12-01
      end_date: 2027-12-31
      risk_class: limited
      annex_iii_point: "5(a)"
      domain: Soziales
      owner: Leitung Sozialamt
      contact: sozialamt@musterkreis.example
      goal: Ziel
      scope: Umfang
      benefit: Nutzen
      human_intervention: Sachbearbeitung entscheidet
      lawful_basis: § 35a VwVfG
      affected_groups: Antragstellende
      dpia: DSFA-2026-07
      fria: nicht erforderlich
      objection_procedure: Widerspruch
      monitoring: Stichproben
      alternatives: Textbausteine
      proportionality: Nur Entwürfe
      shared_with: [Kommunales Rechenzentrum]
      tags: [bescheid, sgb]
      risks:
        - {name: Falsche Angaben, description: Das Modell erfindet Fakten, mitigation: Vier-Augen-Prüfung}
        - name: Diskriminierung
  vermerk: {title: Vermerk}
services:
  eu: {models: [m], energy_wh_per_1k_tokens: 0.3, energy_source: Angabe des Anbieters}
  intern: {models: [i]}
rules:
  - id: a
    effect: allow
  - id: inj
    effect: deny
    category: prompt_injection
    explanation: x
    when: {patterns: ['ignore previous']}
)yaml";

TEST(PolicyLanguage, ReadsOrganisationReportingBudgetsAndRegisterEntries) {
  auto s = parse_ok(report_policy);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->organisation.name, "Kreisverwaltung Musterkreis");
  EXPECT_EQ(s->organisation.contact, "ki@musterkreis.example");
  EXPECT_EQ(s->organisation.website, "https://www.musterkreis.example");
  EXPECT_EQ(s->organisation.works_agreement, "DV-KI 2026-11");
  EXPECT_EQ(s->organisation.works_agreement_date, "2026-11-01");
  EXPECT_EQ(s->reporting.min_group_size, 10u);
  EXPECT_EQ(s->reporting.rounding, 3u);
  EXPECT_DOUBLE_EQ(s->reporting.co2_g_per_kwh, 363.5);
  ASSERT_EQ(s->budgets.size(), 2u);  // in file order
  EXPECT_EQ(s->budgets[0], (std::pair<std::string, double>{"it", 400}));
  EXPECT_EQ(s->budgets[1], (std::pair<std::string, double>{"sozialamt", 120.5}));
  ASSERT_EQ(s->services.size(), 2u);
  EXPECT_DOUBLE_EQ(s->services[0].energy_wh_per_1k_tokens, 0.3);
  EXPECT_EQ(s->services[0].energy_source, "Angabe des Anbieters");
  EXPECT_EQ(s->services[1].energy_wh_per_1k_tokens, -1);
  EXPECT_EQ(s->services[1].energy_source, "");

  const auto& r = find_purpose(*s, "bescheid")->reg;
  EXPECT_EQ(r.status, "in_development");
  EXPECT_EQ(r.begin_date, "2026-12-01");
  EXPECT_EQ(r.end_date, "2027-12-31");
  EXPECT_EQ(r.risk_class, "limited");
  EXPECT_EQ(r.annex_iii_point, "5(a)");
  EXPECT_EQ(r.domain, "Soziales");
  EXPECT_EQ(r.owner, "Leitung Sozialamt");
  EXPECT_EQ(r.contact, "sozialamt@musterkreis.example");
  EXPECT_EQ(r.goal, "Ziel");
  EXPECT_EQ(r.scope, "Umfang");
  EXPECT_EQ(r.benefit, "Nutzen");
  EXPECT_EQ(r.human_intervention, "Sachbearbeitung entscheidet");
  EXPECT_EQ(r.lawful_basis, "§ 35a VwVfG");
  EXPECT_EQ(r.affected_groups, "Antragstellende");
  EXPECT_EQ(r.dpia, "DSFA-2026-07");
  EXPECT_EQ(r.fria, "nicht erforderlich");
  EXPECT_EQ(r.objection_procedure, "Widerspruch");
  EXPECT_EQ(r.monitoring, "Stichproben");
  EXPECT_EQ(r.alternatives, "Textbausteine");
  EXPECT_EQ(r.proportionality, "Nur Entwürfe");
  EXPECT_EQ(r.shared_with, std::vector<std::string>{"Kommunales Rechenzentrum"});
  EXPECT_EQ(r.tags, (std::vector<std::string>{"bescheid", "sgb"}));
  ASSERT_EQ(r.risks.size(), 2u);
  EXPECT_EQ(r.risks[0].name, "Falsche Angaben");
  EXPECT_EQ(r.risks[0].description, "Das Modell erfindet Fakten");
  EXPECT_EQ(r.risks[0].mitigation, "Vier-Augen-Prüfung");
  EXPECT_EQ(r.risks[1].name, "Diskriminierung");
  EXPECT_EQ(r.risks[1].mitigation, "");

  // Without a register block: in use, minimal risk, everything else empty.
  const auto& v = find_purpose(*s, "vermerk")->reg;
  EXPECT_EQ(v.status, "in_use");
  EXPECT_EQ(v.risk_class, "minimal");
  EXPECT_TRUE(v.begin_date.empty() && v.goal.empty() && v.tags.empty() && v.risks.empty());

  EXPECT_EQ(s->rules[1].category, "prompt_injection");
}

TEST(PolicyLanguage, ReportingDefaultsWhenNotWritten) {
  auto s = parse_ok("version: v\nrules: [{id: a, effect: allow}]\n");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->reporting.min_group_size, 5u);
  EXPECT_EQ(s->reporting.rounding, 5u);
  EXPECT_EQ(s->reporting.co2_g_per_kwh, -1);
  EXPECT_TRUE(s->budgets.empty());
  EXPECT_TRUE(s->organisation.name.empty());
  // A policy may lower the group size to 2, not below; budgets need no department list.
  auto t = parse_ok("version: v\nreporting: {min_group_size: 2, rounding: 1}\nbudgets: {bauamt: 0}\nrules: [{id: a, effect: allow}]\n");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->reporting.min_group_size, 2u);
  EXPECT_EQ(t->reporting.rounding, 1u);
  ASSERT_EQ(t->budgets.size(), 1u);
  EXPECT_EQ(t->budgets[0].first, "bauamt");
}

TEST(PolicyLanguage, ReportsErrorsInReportAndRegisterKeysWithLineAndColumn) {
  const auto all = errors_of(R"(version: v
departments: [it]
organisation: {name: X, works_agreement_date: 2026-02-30, phone: 1}
reporting: {min_group_size: 1, rounding: 0, co2_g_per_kwh: -5}
budgets: {it: 100, gartenamt: 50, it: viel}
purposes:
  vermerk:
    title: V
    register:
      status: live
      risk_class: extreme
      begin_date: 2026-13-01
      end_date: "01.12.2026"
      owner: [a, b]
      sponsor: Bürgermeister
      tags: {a: b}
      risks: [{name: x, likelihood: high}, {description: ohne Namen}, keine]
  brief:
    title: B
    register: {begin_date: 2026-06-01, end_date: 2026-05-31}
  antrag:
    title: A
    register: offen
services:
  eu: {models: [m], energy_wh_per_1k_tokens: -0.5, energy_source: [a]}
  intern: {models: [i], energy_wh_per_1k_tokens: viel}
rules:
  - id: a
    effect: allow
    category: ki-sicherheit
)");
  const std::vector<std::string> want = {
      "p.yaml:3:47: '2026-02-30' is not a date (works_agreement_date: YYYY-MM-DD)",
      "p.yaml:3:59: unknown key 'phone' (allowed: name, contact, website, works_agreement, works_agreement_date)",
      "p.yaml:4:29: min_group_size must be at least 2: a figure about a single person identifies them",
      "p.yaml:4:42: rounding must be between 1 and 1000000",
      "p.yaml:4:60: co2_g_per_kwh must be a number >= 0 (grams CO2 per kWh)",
      "p.yaml:5:20: budget for unknown department 'gartenamt' (not listed under departments:)",
      "p.yaml:5:35: department 'it' has two budgets",
      "p.yaml:5:39: the budget of 'it' must be a number >= 0 (EUR per quarter)",
      "p.yaml:10:15: unknown status 'live' (allowed: in_development, in_use, out_of_use)",
      "p.yaml:11:19: unknown risk_class 'extreme' (allowed: minimal, limited, high)",
      "p.yaml:12:19: '2026-13-01' is not a date (begin_date: YYYY-MM-DD)",
      "p.yaml:13:17: '01.12.2026' is not a date (end_date: YYYY-MM-DD)",
      "p.yaml:14:14: owner must be a text value",
      "p.yaml:15:7: unknown key 'sponsor' (allowed: status, begin_date",
      "p.yaml:16:13: tags must be a list of text values",
      "p.yaml:17:25: unknown key 'likelihood' (allowed: name, description, mitigation)",
      "p.yaml:17:44: a risk needs a name",
      "p.yaml:17:71: a risk must be a mapping",
      "p.yaml:20:50: end_date 2026-05-31 is before begin_date 2026-06-01",
      "p.yaml:23:15: register must be a mapping",
      "p.yaml:25:46: energy_wh_per_1k_tokens must be a number >= 0 (Wh per 1,000 tokens)",
      "p.yaml:25:67: energy_source must be a text value",
      "p.yaml:26:50: energy_wh_per_1k_tokens must be a number >= 0 (Wh per 1,000 tokens)",
      "p.yaml:30:15: unknown category 'ki-sicherheit' (allowed: personal_data, special_category, secrets, "
      "prompt_injection, prohibited_practice, training, human_review, transparency, access, routing, other)",
  };
  for (const auto& w : want) EXPECT_NE(all.find(w), std::string::npos) << "missing: " << w << "\n" << all;
}

constexpr std::string_view category_policy = R"(version: v
data_classes:
  kontakt: [EMAIL]
  zugang: [SECRET]
  gesundheit: {special_category: true, patterns: ['diagnose']}
  koerper: {special_category: true, entities: [HEALTH]}
services:
  eu: {models: [m], enabled: false, data_classes: [kontakt], departments: [it]}
  us: {models: [u], hosting: {transfer_basis: none}}
rules:
  - {id: untrained, effect: deny, explanation: x, when: {training: missing, data_classes: [zugang]}}
  - {id: no-secrets, effect: deny, explanation: x, when: {data_classes: [kontakt, zugang]}}
  - {id: secret-detected, effect: warn, explanation: x, when: {detected: [SECRET]}}
  - {id: health-words, effect: route, to: u, when: {data_classes: [gesundheit]}}
  - {id: health-entities, effect: deny, explanation: x, when: {detected: [HEALTH, EMAIL]}}
  - {id: contact, effect: warn, explanation: x, when: {data_classes: [kontakt]}}
  - {id: contact-ack, effect: require_acknowledgement, explanation: x, when: {detected: [EMAIL]}}
  - {id: review, effect: require_acknowledgement, explanation: x}
  - {id: notice, effect: warn, explanation: x, when: {models: [m]}}
  - {id: to-us, effect: route, to: u, when: {models: [m]}}
  - {id: allow-all, effect: allow, when: {training: valid}}
  - {id: allow-it, effect: allow, when: {departments: [it]}}
  - {id: keep-email, effect: redact, redact: {EMAIL: keep}}
  - {id: words, effect: deny, explanation: x, when: {patterns: ['geheim']}}
  - {id: night, effect: deny, explanation: x, when: {time: {from: "22:00", to: "06:00"}}}
  - {id: written, effect: deny, category: prohibited_practice, explanation: x, when: {detected: [SECRET]}}
)";

TEST(PolicyLanguage, DerivesTheReportCategoryOfRulesWithoutOne) {
  auto s = parse_ok(category_policy);
  ASSERT_TRUE(s);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"untrained", "training"},              // a training condition comes first
      {"no-secrets", "secrets"},              // SECRET in a named data class
      {"secret-detected", "secrets"},         // SECRET detected, whatever the effect
      {"health-words", "special_category"},   // keywords of a special-category class
      {"health-entities", "special_category"},  // entity types of a special-category class
      {"contact", "personal_data"},           // any other data condition
      {"contact-ack", "personal_data"},
      {"review", "human_review"},
      {"notice", "transparency"},
      {"to-us", "routing"},
      {"allow-it", "access"},
      {"keep-email", "personal_data"},
      {"words", "other"},                     // deny with content patterns only
      {"night", "other"},
      {"written", "prohibited_practice"},     // written categories are kept
      {"allow-all", "training"},
      {"kill-switch.eu", "access"},           // rules derived from services
      {"data-class.eu", "access"},
      {"department.eu", "access"},
      {"third-country.us", "access"},
  };
  ASSERT_EQ(s->rules.size(), want.size());
  for (const auto& [id, category] : want) {
    const auto it = std::find_if(s->rules.begin(), s->rules.end(), [&](const rule& r) { return r.id == id; });
    ASSERT_NE(it, s->rules.end()) << id;
    EXPECT_EQ(it->category, category) << id;
    EXPECT_NE(std::find(rule_categories.begin(), rule_categories.end(), it->category), rule_categories.end()) << id;
  }
  // The function itself ignores a written category: it says what the conditions imply.
  const auto& written = s->rules[15];
  ASSERT_EQ(written.id, "written");
  EXPECT_EQ(derive_category(*s, written), "secrets");
  rule bare;
  bare.eff = effect::deny;
  EXPECT_EQ(derive_category(*s, bare), "other");
  bare.eff = effect::allow;
  EXPECT_EQ(derive_category(*s, bare), "access");
}

TEST(PolicyLanguage, ExamplePolicyLoadsWithReportFieldsAndCategories) {
  std::vector<yaml::diagnostic> diags;
  auto s = load_file(test_support::source_file("deploy/policy.yaml"), diags);
  for (const auto& d : diags) ADD_FAILURE() << d.format();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->organisation.name, "Kreisverwaltung Musterkreis");
  EXPECT_EQ(s->organisation.works_agreement_date, "2026-11-01");
  EXPECT_EQ(s->reporting.min_group_size, 5u);
  EXPECT_EQ(s->reporting.rounding, 5u);
  EXPECT_DOUBLE_EQ(s->reporting.co2_g_per_kwh, 363);
  EXPECT_EQ(s->budgets.size(), s->departments.size());
  for (const auto& sv : s->services) EXPECT_GE(sv.energy_wh_per_1k_tokens, 0) << sv.name;
  ASSERT_EQ(s->purposes.size(), 4u);
  for (const auto& p : s->purposes) EXPECT_FALSE(p.reg.goal.empty()) << p.name;
  EXPECT_EQ(find_purpose(*s, "bescheid-entwurf")->reg.risk_class, "limited");
  EXPECT_FALSE(find_purpose(*s, "bescheid-entwurf")->reg.human_intervention.empty());
  const std::vector<std::pair<std::string, std::string>> want = {
      {"allow-general-assistant", "access"},
      {"no-credentials", "secrets"},
      {"no-prompt-injection", "prompt_injection"},
      {"ai-literacy-training-required", "training"},
      {"allow-large-model-it", "access"},
      {"special-categories-not-to-third-countries", "special_category"},
      {"route-health-data-to-internal", "special_category"},
      {"internal-model-sees-bank-details", "personal_data"},
      {"decision-drafts-need-review", "human_review"},
      {"deny-bank-data-hr", "personal_data"},
      {"route-youth-welfare-to-internal", "personal_data"},
      {"human-decision-on-applications", "human_review"},
      {"prohibited-practices", "prohibited_practice"},
      {"cloud-service-notice", "transparency"},
      {"data-class.cloud-assistant", "access"},
  };
  for (const auto& [id, category] : want) {
    const auto it = std::find_if(s->rules.begin(), s->rules.end(), [&](const rule& r) { return r.id == id; });
    ASSERT_NE(it, s->rules.end()) << id;
    EXPECT_EQ(it->category, category) << id;
  }
}

}  // namespace
