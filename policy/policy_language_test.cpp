// The constructs added for use cases, time windows, keyword data classes and answer labels:
// their semantics, and every error message with its line and column.
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
      "p.yaml:5:38: unknown key 'audience' (allowed: title, description, citizen_facing)",
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
