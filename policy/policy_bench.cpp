// Policy evaluation throughput on a policy shaped like the example (deploy/policy.yaml).
#include <benchmark/benchmark.h>

#include "policy/policy.h"

namespace {
constexpr std::string_view policy_text = R"(version: bench
rules:
  - id: allow-standard
    effect: allow
    when:
      departments: [sozialamt, bauamt, personalamt, jugendamt, ordnungsamt, kaemmerei]
      models: [gpt-4o-mini, text-embedding-3-small, llama-intern]
  - id: allow-it
    effect: allow
    when: {departments: [it], models: [gpt-4o, gpt-4o-mini, llama-intern]}
  - id: deny-iban-hr
    effect: deny
    when: {departments: [personalamt], detected: [IBAN]}
    explanation: x
  - id: deny-mail-jugendamt
    effect: deny
    when: {departments: [jugendamt], detected: [EMAIL, IBAN]}
    explanation: x
)";

// The example policy of the repository (deploy/policy.yaml: services, data classes, training,
// content patterns, derived rules). Pattern scanning happens before evaluation, per text.
void BM_EvaluateExamplePolicy(benchmark::State& state) {
  std::vector<lp::yaml::diagnostic> diags;
  auto s = lp::policy::load_file(LEITPLANKE_SOURCE_DIR "/deploy/policy.yaml", diags);
  if (!s) {
    state.SkipWithError("deploy/policy.yaml does not load");
    return;
  }
  std::vector<bool> hits(s->pattern_sources.size(), false);
  lp::policy::request_facts f;
  f.department = "personalamt";
  f.role = "staff";
  f.model = "gpt-4o-mini";
  f.detected[1] = 1;
  f.pattern_hits = &hits;
  for (auto _ : state) {
    auto d = lp::policy::evaluate(*s, f);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateExamplePolicy);

void BM_Evaluate(benchmark::State& state) {
  lp::yaml::checker c("bench.yaml");
  auto s = lp::policy::parse(policy_text, c);
  lp::policy::request_facts f;
  f.department = "personalamt";
  f.role = "staff";
  f.model = "gpt-4o-mini";
  f.detected[1] = 1;
  for (auto _ : state) {
    auto d = lp::policy::evaluate(*s, f);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Evaluate);
}  // namespace
