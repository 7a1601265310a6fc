// One decision record: what the gateway decided about one request, without its content.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace lp::audit {

enum class outcome : unsigned char {
  allowed,   // forwarded unchanged
  redacted,  // forwarded after personal data was masked
  blocked,   // refused by policy or authentication; nothing was forwarded
  error,     // failed: bad request, upstream failure, internal error
};

std::string_view to_string(outcome o);

struct record {
  std::string request_id;
  std::chrono::system_clock::time_point ts;
  std::string user_ref;  // HMAC pseudonym; empty when unauthenticated
  std::string department;
  std::string role;
  std::string endpoint;
  std::string upstream;
  std::string model;
  std::string policy_version;
  std::string policy_digest;
  outcome decision = outcome::error;
  std::vector<std::string> rule_ids;
  std::vector<std::pair<std::string, std::uint32_t>> entity_counts;  // type -> count, only > 0
  std::int64_t prompt_tokens = -1;  // -1: unknown
  std::int64_t completion_tokens = -1;
  std::int64_t total_tokens = -1;
  double latency_ms = 0;
  double upstream_ms = -1;  // -1: no upstream call
  int status = 0;
  std::string error_code;
  bool stream = false;
};

}  // namespace lp::audit
