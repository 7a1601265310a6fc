#include "policy/policy.h"

#include <gtest/gtest.h>

using namespace lp;
using namespace lp::policy;

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

snapshot_ptr parse_ok(std::string_view text) {
  yaml::checker c("p.yaml");
  auto s = parse(text, c);
  for (const auto& d : c.diagnostics()) ADD_FAILURE() << d.format();
  return s;
}

std::vector<std::string> errors_of(std::string_view text) {
  yaml::checker c("p.yaml");
  EXPECT_FALSE(parse(text, c));
  std::vector<std::string> out;
  for (const auto& d : c.diagnostics()) out.push_back(d.format());
  return out;
}

request_facts facts(std::string_view dept, std::string_view model) {
  request_facts f;
  f.department = dept;
  f.role = "staff";
  f.model = model;
  return f;
}
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
  EXPECT_EQ(errs[0], "p.yaml:5:5: unknown key 'colour' (allowed: id, title, effect, when, reference, explanation)");
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
