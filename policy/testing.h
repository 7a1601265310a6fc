// Policy tests (`leitplanke policy test`) and explanations (`leitplanke policy explain`):
// request facts in, expected decision and determining rules out, like `opa test`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "policy/policy.h"
#include "redact/detector.h"

namespace lp::policy {

// Request facts as written by people: who asks, for which model, and what the redactor found
// (given directly as entity types, or as a text that the detector scans).
struct facts_input {
  std::string department;
  std::string role = "staff";
  std::string model;
  redact::entity_counts detected{};
  std::string text;  // scanned by the detector when not empty; adds to `detected`

  request_facts view() const;
  // Scans `text` and adds what it finds to `detected`.
  void detect(const redact::detector& d);
};

struct test_summary {
  int passed = 0;
  int failed = 0;
  int errors = 0;  // problems in test files (reported as FILE:LINE:COL)
};

// Runs the test cases in a YAML file, or in every *.yaml file of a directory (recursively):
//   policy: ../deploy/policy.yaml        # relative to the test file
//   cases:
//     - name: HR must not send bank data
//       request: {department: personalamt, model: gpt-4o-mini, detected: [IBAN]}   # or text: "..."
//       expect: {effect: deny, rules: [deny-bank-data-hr]}
// Writes one line per case to `out` ("ok - name" / "FAIL - name: why") and problems to `err`.
test_summary run_tests(const std::string& path, const redact::detector& d, std::ostream& out, std::ostream& err);

// Writes the decision for `f` and the reasoning, rule by rule, to `out`.
void explain(const snapshot& s, const facts_input& f, std::ostream& out);

}  // namespace lp::policy
