// Helpers shared by the policy unit tests (not part of the library).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"

namespace lp::policy::test_support {

// Parses a policy that must be valid (every diagnostic fails the test).
inline snapshot_ptr parse_ok(std::string_view text) {
  yaml::checker c("p.yaml");
  auto s = parse(text, c);
  for (const auto& d : c.diagnostics()) ADD_FAILURE() << d.format();
  return s;
}

// Parses a policy that must be rejected; its diagnostics as FILE:LINE:COL lines.
inline std::vector<std::string> errors_of(std::string_view text) {
  yaml::checker c("p.yaml");
  EXPECT_FALSE(parse(text, c));
  std::vector<std::string> out;
  for (const auto& d : c.diagnostics()) out.push_back(d.format());
  return out;
}

// A file of the source tree (e.g. "deploy/policy.yaml"), found from this header's own path:
// the tests run in the build directory.
inline std::string source_file(std::string_view relative) {
  std::string root = __FILE__;
  const auto at = root.rfind("policy/test_support.h");
  root.erase(at == std::string::npos ? 0 : at);
  return root + std::string(relative);
}

// Request facts of a staff member of `dept` asking for `model`.
inline request_facts facts(std::string_view dept, std::string_view model) {
  request_facts f;
  f.department = dept;
  f.role = "staff";
  f.model = model;
  return f;
}

}  // namespace lp::policy::test_support
