#include "audit/rollup.h"

#include <map>
#include <string>
#include <tuple>

#include "audit/chain.h"

namespace lp::audit {

namespace {

struct usage {
  std::int64_t requests = 0, prompt = 0, completion = 0, total = 0, acknowledged = 0, streamed = 0;
};

std::int64_t tokens(std::int64_t v) { return v < 0 ? 0 : v; }

// The pseudonym period of a record: the user_ref's prefix ("2026Q4:…"), else the quarter of ts.
std::string period_of(const record& r, const std::string& day) {
  const auto colon = r.user_ref.find(':');
  if (colon != std::string::npos) return r.user_ref.substr(0, colon);
  const int month = std::stoi(day.substr(5, 2));
  return day.substr(0, 4) + "Q" + std::to_string((month - 1) / 3 + 1);
}

// Runs one multi-row upsert per table (rows joined with commas).
void upsert(pqxx::work& tx, const std::string& table, const std::string& rows, const std::string& conflict,
            const std::string& sums) {
  if (rows.empty()) return;
  tx.exec("INSERT INTO " + table + " VALUES " + rows + " ON CONFLICT (" + conflict + ") DO UPDATE SET " + sums);
}

}  // namespace

void people_cache::commit() {
  // Bounded (about 100 bytes a row): a new pseudonym period brings new keys and the old ones are
  // of no use then. A quarter of 2,000 staff needs about 900,000 (most of them day_decision).
  if (seen_.size() + pending.size() > 2'000'000) seen_.clear();
  for (auto& [key, trained] : pending) {
    bool& t = seen_[std::move(key)];
    t = t || trained;
  }
  pending.clear();
}

void add_rollups(pqxx::work& tx, const std::vector<const record*>& recs, people_cache* cache) {
  using key6 = std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;
  std::map<std::tuple<key6, std::string, int>, usage> u;  // (day, tenant, department, upstream, model, purpose), decision, status
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, std::int64_t> rules;
  std::map<std::tuple<std::string, std::string, std::string, std::string, bool>, std::pair<std::int64_t, std::int64_t>> entities;
  // (period, tenant, department, dimension, value, user_ref) -> requests, trained at any of them
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>,
           std::pair<std::int64_t, bool>>
      users;
  for (const record* r : recs) {
    const std::string day = utc_timestamp(r->ts).substr(0, 10);
    const std::string decision(to_string(r->decision));
    auto& x = u[{key6{day, r->tenant, r->department, r->upstream, r->model, r->purpose}, decision, r->status}];
    ++x.requests;
    x.prompt += tokens(r->prompt_tokens);
    x.completion += tokens(r->completion_tokens);
    x.total += tokens(r->total_tokens);
    x.acknowledged += r->acknowledged ? 1 : 0;
    x.streamed += r->stream ? 1 : 0;
    for (const auto& id : r->rule_ids) ++rules[{day, r->tenant, r->department, id, decision}];
    for (const auto& [type, n] : r->entity_counts) {
      auto& e = entities[{day, r->tenant, r->department, type, false}];
      e.first += n;
      ++e.second;
    }
    for (const auto& [type, n] : r->answer_entity_counts) {
      auto& e = entities[{day, r->tenant, r->department, type, true}];
      e.first += n;
      ++e.second;
    }
    if (!r->user_ref.empty()) {
      // One row for the person's total and one per reported dimension: reports count distinct
      // contributors of every figure they show (small-number suppression).
      const std::string period = period_of(*r, day);
      auto user = [&](std::string dim, std::string value) {
        auto& x = users[{period, r->tenant, r->department, std::move(dim), std::move(value), r->user_ref}];
        ++x.first;
        x.second = x.second || r->trained;
      };
      user("", "");
      user("model", r->model);
      user("purpose", r->purpose);
      if (r->acknowledged) user("acknowledged", r->purpose);
      user("month", day.substr(0, 7));
      user("day", day);  // the dashboard's daily figures
      user("day_decision", day + "|" + decision);
      user("decision", decision);
      for (const auto& id : r->rule_ids) user("rule", id);
      for (const auto& [type, n] : r->entity_counts) user("entity", type);
      for (const auto& [type, n] : r->answer_entity_counts) user("answer_entity", type);
    }
  }
  auto q = [&](const std::string& s) { return tx.quote(s); };
  std::string rows;
  for (const auto& [k, v] : u) {
    const auto& [dims, decision, status] = k;
    const auto& [day, tenant, dept, up, model, purpose] = dims;
    if (!rows.empty()) rows += ',';
    rows += "(" + q(day) + "::date," + q(tenant) + "," + q(dept) + "," + q(up) + "," + q(model) + "," + q(purpose) + "," +
            q(decision) + "," + std::to_string(status) + "," + std::to_string(v.requests) + "," +
            std::to_string(v.prompt) + "," + std::to_string(v.completion) + "," + std::to_string(v.total) + "," +
            std::to_string(v.acknowledged) + "," + std::to_string(v.streamed) + ")";
  }
  upsert(tx, "usage_daily", rows, "day, tenant, department, upstream, model, purpose, decision, status",
         "requests = usage_daily.requests + EXCLUDED.requests, prompt_tokens = usage_daily.prompt_tokens + "
         "EXCLUDED.prompt_tokens, completion_tokens = usage_daily.completion_tokens + EXCLUDED.completion_tokens, "
         "total_tokens = usage_daily.total_tokens + EXCLUDED.total_tokens, acknowledged = usage_daily.acknowledged + "
         "EXCLUDED.acknowledged, streamed = usage_daily.streamed + EXCLUDED.streamed");
  rows.clear();
  for (const auto& [k, n] : rules) {
    const auto& [day, tenant, dept, id, decision] = k;
    if (!rows.empty()) rows += ',';
    rows += "(" + q(day) + "::date," + q(tenant) + "," + q(dept) + "," + q(id) + "," + q(decision) + "," + std::to_string(n) + ")";
  }
  upsert(tx, "rule_daily", rows, "day, tenant, department, rule_id, decision", "requests = rule_daily.requests + EXCLUDED.requests");
  rows.clear();
  for (const auto& [k, v] : entities) {
    const auto& [day, tenant, dept, type, in_answer] = k;
    if (!rows.empty()) rows += ',';
    rows += "(" + q(day) + "::date," + q(tenant) + "," + q(dept) + "," + q(type) + "," + (in_answer ? "true" : "false") + "," +
            std::to_string(v.first) + "," + std::to_string(v.second) + ")";
  }
  upsert(tx, "entity_daily", rows, "day, tenant, department, entity_type, in_answer",
         "items = entity_daily.items + EXCLUDED.items, requests = entity_daily.requests + EXCLUDED.requests");
  rows.clear();
  // The person's total row counts requests; the dimension rows are memberships (requests 0),
  // written once unless the training turns valid.
  std::string members;
  for (const auto& [k, v] : users) {
    const auto& [period, tenant, dept, dim, value, ref] = k;
    std::string& out = dim.empty() ? rows : members;
    if (!dim.empty() && cache) {
      std::string key = period + '\x1f' + tenant + '\x1f' + dept + '\x1f' + dim + '\x1f' + value + '\x1f' + ref;
      if (cache->known(key, v.second)) continue;
      cache->pending.emplace_back(std::move(key), v.second);
    }
    if (!out.empty()) out += ',';
    out += "(" + q(period) + "," + q(tenant) + "," + q(dept) + "," + q(ref) + "," + std::to_string(dim.empty() ? v.first : 0) + "," +
           q(dim) + "," + q(value) + "," + (v.second ? "true" : "false") + ")";
  }
  upsert(tx, "active_users", rows, "period, tenant, department, dimension, value, user_ref",
         "requests = active_users.requests + EXCLUDED.requests, trained = active_users.trained OR EXCLUDED.trained");
  upsert(tx, "active_users", members, "period, tenant, department, dimension, value, user_ref",
         "trained = true WHERE EXCLUDED.trained AND NOT active_users.trained");
}

}  // namespace lp::audit
