// `leitplanke audit verify`: recomputes each instance's hash chain from the rows in PostgreSQL
// and names the first altered, inserted or missing record, checks the signed checkpoints, and
// accepts the gaps that retention left (audit_events records the hash at each cut).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "audit/signing.h"

namespace lp::audit {

struct verify_options {
  std::optional<std::chrono::system_clock::time_point> from, to;  // by ts; unset: everything
  std::string instance;                                            // empty: every instance
  // Public keys of the signing keys in use over the checked period (several after a key
  // rotation: each checkpoint names its key); empty: signatures not checked.
  std::vector<std::shared_ptr<const ed25519_key>> public_keys;
};

struct verify_problem {
  std::string instance;
  std::uint64_t seq = 0;
  std::string record_id;
  std::string ts;
  std::string kind;    // altered, inserted, missing, broken, checkpoint
  std::string detail;  // one sentence for people
};

struct verify_report {
  std::size_t instances = 0;
  std::uint64_t records = 0;
  std::size_t checkpoints_ok = 0;
  std::uint64_t deleted_by_retention = 0;  // gaps explained by retention events
  std::uint64_t unsigned_tail = 0;         // records after the last valid checkpoint
  std::vector<verify_problem> problems;
  bool ok() const { return problems.empty(); }
};

verify_report verify(pqxx::connection& cx, const verify_options& o);

}  // namespace lp::audit
