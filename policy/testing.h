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
  std::string purpose;
  bool acknowledged = false;
  bool trained = true;
  // Local time of the request in the policy's time zone; default Monday 12:00.
  unsigned char weekday = 0;
  std::uint16_t minute = 12 * 60;
  redact::entity_counts detected{};
  std::string text;  // scanned by the detector and the policy's content patterns
  std::vector<bool> pattern_hits;
  redact::entity_counts forwarded{};  // derived in prepare(): what the policy's operators keep

  // Scans `text`: adds the entities found to `detected`, and marks the snapshot's content
  // patterns that match. Call once before view().
  void prepare(const snapshot& s, const redact::detector& d);
  request_facts view() const;
};

// Parses a local date and time "YYYY-MM-DD HH:MM" (or with 'T') into weekday (0 = Monday) and
// minute of the day. False when it is not a valid date and time.
bool parse_local_time(std::string_view text, unsigned char& weekday, std::uint16_t& minute);

// "allow", "deny" or "require_acknowledgement" for a decision.
std::string outcome_name(const decision& d);

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
// request also takes purpose (X-Leitplanke-Purpose), acknowledged (human review confirmed),
// trained (false: AI-literacy training missing) and at ("2026-11-26 08:30", local time);
// expect.effect is allow, deny or require_acknowledgement.
// Writes one line per case to `out` ("ok - name" / "FAIL - name: why") and problems to `err`.
test_summary run_tests(const std::string& path, const redact::detector& d, std::ostream& out, std::ostream& err);

// Writes the decision for `f` and the reasoning, rule by rule, to `out`.
void explain(const snapshot& s, const facts_input& f, std::ostream& out);

}  // namespace lp::policy
