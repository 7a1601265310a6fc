#include "policy/policy.h"

#include <gtest/gtest.h>

#include "policy/test_support.h"

using namespace lp;
using namespace lp::policy;
using namespace lp::policy::test_support;

namespace {
constexpr std::string_view example = R"(version: "t-1"
redact:
  EMAIL: mask
  IBAN: keep
rules:
  - id: allow-standard
    effect: allow
    when:
      departments: [sozialamt, bauamt]
      models: [gpt-4o-mini]
  - id: deny-iban-hr
    effect: deny
    when:
      departments: personalamt
      detected: [IBAN]
    explanation:
      de: "Keine Bankdaten."
      en: "No bank data."
  - id: allow-hr
    effect: allow
    when:
      departments: [personalamt]
)";

}  // namespace

TEST(Evaluator, AllowsListedDepartmentAndModel) {
  auto s = parse_ok(example);
  auto d = evaluate(*s, facts("sozialamt", "gpt-4o-mini"));
  EXPECT_TRUE(d.allowed);
  ASSERT_EQ(d.determining.size(), 1u);
  EXPECT_EQ(d.determining[0]->id, "allow-standard");
}

TEST(Evaluator, DefaultDeniesUnlistedModel) {
  auto s = parse_ok(example);
  auto d = evaluate(*s, facts("sozialamt", "gpt-5"));
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.determining.empty());
}

TEST(Evaluator, DenyOverridesAllowWhenDetectorFires) {
  auto s = parse_ok(example);
  auto f = facts("personalamt", "gpt-4o-mini");
  EXPECT_TRUE(evaluate(*s, f).allowed);
  f.detected[static_cast<std::size_t>(redact::entity_type::iban)] = 1;
  auto d = evaluate(*s, f);
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.determining.size(), 1u);
  EXPECT_EQ(d.determining[0]->id, "deny-iban-hr");
  EXPECT_EQ(d.determining[0]->explanation(language::en), "No bank data.");
}

TEST(Evaluator, ResultIsIndependentOfRuleOrder) {
  auto s = parse_ok(example);
  auto reversed = std::make_shared<snapshot>(*s);
  std::reverse(reversed->rules.begin(), reversed->rules.end());
  auto f = facts("personalamt", "gpt-4o-mini");
  f.detected[static_cast<std::size_t>(redact::entity_type::iban)] = 2;
  EXPECT_EQ(evaluate(*s, f).allowed, evaluate(*reversed, f).allowed);
  EXPECT_EQ(evaluate(*reversed, f).determining[0]->id, "deny-iban-hr");
}

TEST(Parser, ReadsRedactionOperators) {
  auto s = parse_ok(example);
  EXPECT_EQ(s->redaction[0], redact::operator_kind::mask);
  EXPECT_EQ(s->redaction[1], redact::operator_kind::keep);
  EXPECT_EQ(s->version, "t-1");
  EXPECT_EQ(s->digest.size(), 64u);
}

TEST(Parser, ReportsEveryErrorWithLineAndColumn) {
  auto errs = errors_of(R"(version: x
rules:
  - id: a
    effect: allow
    colour: red
  - id: a
    effect: maybe
    when:
      detected: [SHOE_SIZE]
      roles: [king]
)");
  ASSERT_EQ(errs.size(), 5u);
  EXPECT_EQ(errs[0], "p.yaml:5:5: unknown key 'colour' (allowed: id, title, effect, to, redact, when, reference, category, explanation)");
  auto has = [&](std::string_view needle) {
    return std::any_of(errs.begin(), errs.end(), [&](const std::string& e) { return e.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("p.yaml:7:13: unknown effect 'maybe'"));
  EXPECT_TRUE(has("p.yaml:9:17: unknown entity type 'SHOE_SIZE'"));
  EXPECT_TRUE(has("p.yaml:10:14: unknown role 'king'"));
  EXPECT_TRUE(has("p.yaml:6:9: duplicate rule id 'a'"));
}

TEST(Parser, ReportsSyntaxErrorsAndMissingPieces) {
  auto errs = errors_of("version: [unclosed\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("YAML syntax error"), std::string::npos);
  errs = errors_of("rules: []\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("missing 'version'"), std::string::npos);
  errs = errors_of("version: v\nrules:\n  - id: d\n    effect: deny\n    when: {models: []}\n");
  ASSERT_EQ(errs.size(), 2u);  // no explanation; empty list never fires
}

TEST(Trace, NamesTheConditionsThatFailed) {
  auto s = parse_ok(example);
  auto f = facts("personalamt", "gpt-4o-mini");
  auto t = trace(*s, f);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_FALSE(t[0].matched);
  ASSERT_EQ(t[0].unmet.size(), 1u);
  EXPECT_EQ(t[0].unmet[0], "department 'personalamt' not in [sozialamt, bauamt]");
  EXPECT_FALSE(t[1].matched);
  EXPECT_EQ(t[1].unmet[0], "none of [IBAN] detected");
  EXPECT_TRUE(t[2].matched);
  f.detected[static_cast<std::size_t>(redact::entity_type::iban)] = 1;
  EXPECT_TRUE(trace(*s, f)[1].matched);
}

namespace {
constexpr std::string_view ethics = R"(version: "e-1"
rules:
  - id: allow-all
    effect: allow
  - id: human-decision
    effect: require_acknowledgement
    when:
      patterns: ['(^|\W)(bewillig|ablehn)\w*.*\Wantrag', 'decide\W.*\Wapplication']
    explanation: "Menschen entscheiden."
  - id: no-social-scoring
    effect: deny
    when:
      patterns: ['sozial\w*\s*(punkte|scor)']
    explanation: "Verboten (Art. 5 KI-VO)."
  - id: citizen-letters-only-internal
    effect: deny
    when:
      purposes: [buergerbrief]
      models: [external]
    explanation: "Bürgerbriefe nur intern."
)";

struct scanned {
  std::vector<bool> hits;
  request_facts f;
};

scanned with_text(const snapshot& s, std::string_view text, std::string_view model = "m") {
  scanned out;
  out.hits.assign(s.pattern_sources.size(), false);
  EXPECT_TRUE(s.patterns->scan(text, out.hits));
  out.f.department = "d";
  out.f.role = "staff";
  out.f.model = model;
  out.f.pattern_hits = &out.hits;
  return out;
}
}  // namespace

TEST(Evaluator, RequiresAcknowledgementForDecisionsOnApplications) {
  auto s = parse_ok(ethics);
  auto x = with_text(*s, "Bitte BEWILLIGEN Sie den folgenden Antrag auf Wohngeld");
  auto d = evaluate(*s, x.f);
  EXPECT_FALSE(d.allowed);
  EXPECT_TRUE(d.needs_acknowledgement);
  ASSERT_EQ(d.determining.size(), 1u);
  EXPECT_EQ(d.determining[0]->id, "human-decision");
  x.f.acknowledged = true;
  d = evaluate(*s, x.f);
  EXPECT_TRUE(d.allowed);
  ASSERT_EQ(d.determining.size(), 2u);  // the allow rule and the acknowledged rule
}

TEST(Evaluator, PatternsAreCaseInsensitiveAndUnicodeAware) {
  auto s = parse_ok(ethics);
  EXPECT_FALSE(evaluate(*s, with_text(*s, "Erstelle einen Sozialpunkte-Score für Bürger").f).allowed);
  EXPECT_TRUE(evaluate(*s, with_text(*s, "Fasse den Vermerk zusammen").f).allowed);
  auto x = with_text(*s, "Please decide on this application");
  EXPECT_TRUE(evaluate(*s, x.f).needs_acknowledgement);
}

TEST(Evaluator, DenyBeatsAcknowledgementAndPurposesMatchTheDeclaredUseCase) {
  auto s = parse_ok(ethics);
  auto x = with_text(*s, "Antrag ablehnen und Sozialscore berechnen");
  x.f.acknowledged = true;
  auto d = evaluate(*s, x.f);
  EXPECT_FALSE(d.allowed);
  EXPECT_FALSE(d.needs_acknowledgement);
  EXPECT_EQ(d.determining[0]->id, "no-social-scoring");
  auto y = with_text(*s, "Entwurf", "external");
  EXPECT_TRUE(evaluate(*s, y.f).allowed);
  y.f.purpose = "buergerbrief";
  EXPECT_FALSE(evaluate(*s, y.f).allowed);
}

TEST(Parser, ExplainsWordBoundariesInPatterns) {
  auto errs = errors_of("version: v\nrules:\n  - id: a\n    effect: allow\n    when: {patterns: ['\\bantrag']}\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("write (^|\\W) and (\\W|$) for word boundaries"), std::string::npos) << errs[0];
}

TEST(Parser, ReportsInvalidPatternsAtTheirPosition) {
  auto errs = errors_of("version: v\nrules:\n  - id: a\n    effect: deny\n    explanation: x\n    when:\n      patterns: ['ok', '(unclosed']\n");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("p.yaml:7:24: invalid pattern '(unclosed'"), std::string::npos) << errs[0];
}

namespace {
constexpr std::string_view with_services = R"(version: "s-1"
services:
  cloud:
    provider: Example Cloud
    models: [gpt-4o-mini, gpt-4o]
    hosting: {location: US, transfer_basis: none}
    price_per_1k_tokens: {input: 0.15, output: 0.6}
    disabled_models: [gpt-4o]
  intern:
    provider: Kommunales Rechenzentrum
    models: [llama-intern]
    hosting: {location: DE, transfer_basis: eea}
    no_training_on_inputs: true
rules:
  - id: allow-all
    effect: allow
)";
}  // namespace

TEST(Services, KillSwitchRefusesTheModelWithADerivedRule) {
  auto s = parse_ok(with_services);
  ASSERT_EQ(s->services.size(), 2u);
  EXPECT_DOUBLE_EQ(s->services[0].price_output_per_1k, 0.6);
  auto d = evaluate(*s, facts("sozialamt", "gpt-4o"));
  EXPECT_FALSE(d.allowed);
  ASSERT_EQ(d.determining.size(), 1u);
  EXPECT_EQ(d.determining[0]->id, "kill-switch.cloud");
  EXPECT_TRUE(evaluate(*s, facts("sozialamt", "gpt-4o-mini")).allowed);
}

TEST(Services, NoTransferBasisMeansNoPersonalData) {
  auto s = parse_ok(with_services);
  auto f = facts("sozialamt", "gpt-4o-mini");
  f.detected[static_cast<std::size_t>(redact::entity_type::email)] = 1;
  auto d = evaluate(*s, f);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.determining[0]->id, "third-country.cloud");
  f.model = "llama-intern";
  EXPECT_TRUE(evaluate(*s, f).allowed);
}

TEST(Services, ValidatesServiceEntries) {
  auto errs = errors_of(R"(version: v
services:
  a:
    models: [m1]
    hosting: {transfer_basis: moon}
    disabled_models: [m2]
  b:
    models: [m1]
    price_per_1k_tokens: {input: cheap}
rules:
  - id: kill-switch.a
    effect: allow
)");
  std::string all;
  for (auto& e : errs) all += e + "\n";
  EXPECT_NE(all.find("p.yaml:5:31: unknown transfer_basis 'moon'"), std::string::npos) << all;
  EXPECT_NE(all.find("disabled model 'm2'"), std::string::npos) << all;
  EXPECT_NE(all.find("model 'm1' belongs to service 'a' already"), std::string::npos) << all;
  EXPECT_NE(all.find("input must be a number"), std::string::npos) << all;
  EXPECT_NE(all.find("reserved for rules derived from services"), std::string::npos) << all;
}

TEST(Evaluator, RefusesUntrainedStaffWhenTheAgreementRequiresTraining) {
  auto s = parse_ok(R"(version: t
rules:
  - id: allow-all
    effect: allow
  - id: training-required
    effect: deny
    when: {training: missing}
    explanation: "Bitte zuerst die KI-Schulung absolvieren."
)");
  auto f = facts("sozialamt", "m");
  EXPECT_TRUE(evaluate(*s, f).allowed);
  f.trained = false;
  auto d = evaluate(*s, f);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.determining[0]->id, "training-required");
  EXPECT_EQ(trace(*s, f)[1].unmet.size(), 0u);
}

TEST(Evaluator, WarnRulesAddNoticesToAllowedRequestsOnly) {
  auto s = parse_ok(R"(version: w
departments: [sozialamt, bauamt]
services:
  cloud: {models: [gpt-4o-mini]}
  intern: {models: [llama]}
rules:
  - id: allow-soz
    effect: allow
    when: {departments: [sozialamt]}
  - id: cloud-notice
    effect: warn
    when: {services: [cloud]}
    explanation: "Externer Dienst: keine Sozialdaten eingeben."
)");
  auto d = evaluate(*s, facts("sozialamt", "gpt-4o-mini"));
  EXPECT_TRUE(d.allowed);
  ASSERT_EQ(d.warnings.size(), 1u);
  EXPECT_EQ(d.warnings[0]->id, "cloud-notice");
  EXPECT_TRUE(evaluate(*s, facts("sozialamt", "llama")).warnings.empty());
  auto denied = evaluate(*s, facts("bauamt", "gpt-4o-mini"));
  EXPECT_FALSE(denied.allowed);
  EXPECT_TRUE(denied.warnings.empty());
  EXPECT_EQ(trace(*s, facts("sozialamt", "llama"))[1].unmet[0], "model 'llama' not provided by [cloud]");
}

TEST(Parser, ChecksReferencesToDepartmentsAndServices) {
  auto errs = errors_of(R"(version: v
departments: [sozialamt, bauamt, sozialamt]
rules:
  - id: a
    effect: allow
    when: {departments: [sozailamt], services: [nope]}
)");
  std::string all;
  for (auto& e : errs) all += e + "\n";
  EXPECT_NE(all.find("department 'sozialamt' is listed twice"), std::string::npos) << all;
  EXPECT_NE(all.find("p.yaml:6:25: unknown department 'sozailamt'"), std::string::npos) << all;
  EXPECT_NE(all.find("unknown service 'nope'"), std::string::npos) << all;
}

TEST(Services, ApprovedDataClassesLookOnlyAtWhatLeavesUnmasked) {
  auto s = parse_ok(R"(version: dc
data_classes:
  kontaktdaten: [EMAIL]
  finanzdaten: [IBAN]
redact:
  EMAIL: mask
  IBAN: keep
services:
  cloud:
    models: [gpt-4o-mini]
    data_classes: [kontaktdaten]
rules:
  - id: allow-all
    effect: allow
  - id: no-finance-for-hr
    effect: deny
    when: {departments: [personalamt], data_classes: [finanzdaten]}
    explanation: x
)");
  auto f = facts("sozialamt", "gpt-4o-mini");
  f.detected[0] = 1;  // EMAIL: masked before it leaves
  EXPECT_TRUE(evaluate(*s, f).allowed);
  f.detected[1] = 1;
  f.forwarded[1] = 1;  // IBAN kept: finance data would reach a service not approved for it
  auto d = evaluate(*s, f);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.determining[0]->id, "data-class.cloud");
  auto hr = facts("personalamt", "other-model");
  hr.detected[1] = 1;
  EXPECT_EQ(evaluate(*s, hr).determining[0]->id, "no-finance-for-hr");
}

TEST(Evaluator, RouteRulesSendTheRequestToAnotherModelAndDecideForIt) {
  auto s = parse_ok(R"(version: r
rules:
  - id: allow-cloud
    effect: allow
    when: {models: [cloud]}
  - id: allow-intern-soz
    effect: allow
    when: {models: [intern], departments: [sozialamt]}
  - id: route-b
    effect: route
    to: intern
    when: {detected: [IBAN]}
  - id: route-a
    effect: route
    to: intern2
    when: {detected: [IBAN], departments: [nobody]}
)");
  auto f = facts("sozialamt", "cloud");
  EXPECT_TRUE(evaluate(*s, f).route_to.empty());
  f.detected[1] = 1;
  auto d = evaluate(*s, f);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.route_to, "intern");
  EXPECT_EQ(d.determining[0]->id, "route-b");
  EXPECT_EQ(d.determining[1]->id, "allow-intern-soz");
  auto other = facts("bauamt", "cloud");
  other.detected[1] = 1;
  auto refused = evaluate(*s, other);  // bauamt may not use the internal model
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.route_to, "intern");
  EXPECT_EQ(refused.determining.back()->id, "route-b");
}

TEST(Parser, RouteRulesNeedATarget) {
  auto errs = errors_of("version: v\nrules:\n  - id: r\n    effect: route\n  - id: a\n    effect: allow\n    to: x\n");
  ASSERT_EQ(errs.size(), 2u);
  EXPECT_NE(errs[0].find("needs 'to'"), std::string::npos);
  EXPECT_NE(errs[1].find("p.yaml:7:9: 'to' belongs to rules with effect route"), std::string::npos);
}
