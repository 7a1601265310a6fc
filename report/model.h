// The figures of one report period, read from the aggregates the audit writer maintains
// (usage_daily, rule_daily, entity_daily, active_users) and from policy_versions and
// audit_events. Never from the decision records themselves: a quarter of ten million records
// is read as a few thousand aggregate rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "policy/policy.h"


namespace lp::report {

// UTC days [from, to), e.g. 2026-07-01 .. 2026-10-01 for 2026-Q3.
struct period {
  std::string from, to;  // YYYY-MM-DD
  std::string label;     // "2026-Q3", or "2026-07-01 – 2026-09-30"
};
// "2026-Q3" -> period; nullopt when malformed.
std::optional<period> quarter(std::string_view q);
// The quarter (UTC) that `t` lies in.
period quarter_containing(std::chrono::system_clock::time_point t);
// --from/--to (to inclusive, as people write it) -> period; nullopt when malformed or empty.
std::optional<period> days(std::string_view from, std::string_view to_inclusive);
// The period of equal length before `p` (the previous quarter for a quarter).
period previous(const period& p);
// The months (YYYY-MM) the period touches.
std::vector<std::string> months(const period& p);

struct usage_row {
  std::string month, department, model, purpose, decision;
  int status = 0;
  std::int64_t requests = 0, prompt_tokens = 0, completion_tokens = 0, acknowledged = 0;
};

struct entity_figures {
  std::int64_t items = 0, requests = 0, answer_items = 0;
};

// Which staff pseudonyms stand behind which values: one row per pseudonym period, department,
// dimension ('' = the person's total; model, purpose, month, decision, rule, entity) and value.
// Pseudonyms are replaced by small integers when read; they never leave this structure.
struct people_row {
  std::string period, department, dimension, value;
  std::uint32_t person = 0;
  bool trained = false;
};

struct policy_version {
  std::string digest, version, first_loaded;  // first_loaded: UTC "YYYY-MM-DD HH:MM"
  policy::snapshot_ptr policy;                // null when the text no longer parses
  std::string problem;                        // why it does not parse
};

struct audit_status {
  bool readable = true;  // false: this database role may not read the audit tables (tenant reader)
  std::int64_t reidentifications = 0;
  std::int64_t checkpoints = 0;          // signed chain checkpoints within the period
  std::string last_verify_at, last_verify_result;  // latest `audit verify --record` covering the period
  std::int64_t last_verify_records = -1;
  bool last_verify_signed = false;  // checkpoint signatures were checked too
  std::vector<std::string> retention_runs;  // dates of retention deletions in the period
};

struct figures {
  period range;
  std::string tenant;
  std::vector<usage_row> usage;  // all records, including those without a department
  std::map<std::pair<std::string, std::string>, std::int64_t> rules;  // (rule id, decision) -> requests
  std::map<std::string, entity_figures> entities;
  std::vector<people_row> people;
  std::uint32_t persons = 0;  // distinct pseudonyms read
  std::vector<policy_version> versions;  // in force during the period, oldest first
  audit_status audit;
};

// Reads the figures of `tenant` for `p`. Throws pqxx / std::runtime_error on database errors.
figures load(pqxx::connection& c, const std::string& tenant, const period& p);
// Only what the trend needs (usage, and the people behind it for suppression) for the previous
// period.
figures load_totals(pqxx::connection& c, const std::string& tenant, const period& p);

// Distinct people behind a figure: rows of `f.people` with department in `departments` (empty:
// any), the dimension, and value in `values` (empty: any). With several pseudonym periods in
// the range, the largest count of one period (a lower bound on the people: the same person has
// a different pseudonym in each period).
long contributors(const figures& f, const std::vector<std::string>& departments, const std::string& dimension,
                  const std::vector<std::string>& values, bool trained_only = false);

}  // namespace lp::report
