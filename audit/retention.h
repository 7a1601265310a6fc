// Retention of the decision log: monthly partitions older than the retention period are dropped
// whole (never less than six months: Art. 26(6) AI Act), each drop recorded as an audit event
// with the chain hashes at every cut, so that `audit verify` still passes across the gap. The
// same maintenance creates the partitions of the coming months ahead of time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace lp::audit {

inline constexpr int min_retention_months = 6;

struct retention_result {
  std::vector<std::string> created;  // partitions created ahead
  std::vector<std::string> dropped;  // partitions dropped
  std::uint64_t rows_deleted = 0;    // rows in them (and old rows of the default partition)
  std::string cutoff;                // records with ts before this were due (UTC)
  bool skipped = false;              // another retention run held the lock; nothing done
};

// Creates missing monthly partitions from the month of `now` to `ahead` months after it.
std::vector<std::string> ensure_partitions(pqxx::connection& cx, std::chrono::system_clock::time_point now,
                                           int ahead = 2);

// Drops the partitions entirely before now - months (months >= 6, else std::invalid_argument),
// records a 'retention' event per drop (actor, reason, rows, cuts, chain tips), and deletes
// rows older than the cutoff from the default partition the same way. With dry_run nothing is
// changed and the result says what would be. Serialised across gateways by an advisory lock.
retention_result apply_retention(pqxx::connection& cx, int months, const std::string& actor,
                                 std::chrono::system_clock::time_point now, bool dry_run);

}  // namespace lp::audit
