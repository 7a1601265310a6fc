#include "audit/chain.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

using namespace lp::audit;

namespace {
// The canonical form as a Boost.JSON object, serialised: the reference the writer's
// hand-written form must equal byte for byte.
std::string reference(const record& r, std::string_view instance) {
  auto str_or_null = [](const std::string& s) -> boost::json::value {
    if (s.empty()) return nullptr;
    return boost::json::value(s);
  };
  auto num_or_null = [](std::int64_t v) -> boost::json::value {
    if (v < 0) return nullptr;
    return v;
  };
  auto ms = [](double v) -> boost::json::value {
    if (v < 0) return nullptr;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return boost::json::value(buf);
  };
  auto counts = [](std::vector<std::pair<std::string, std::uint32_t>> c) {
    std::sort(c.begin(), c.end());
    boost::json::object o;
    for (const auto& [k, v] : c) o[k] = v;
    return o;
  };
  boost::json::object o;
  o["v"] = 1;
  o["record_id"] = r.record_id;
  o["request_id"] = r.request_id;
  o["ts"] = utc_timestamp(r.ts);
  o["instance"] = instance;
  o["tenant"] = r.tenant;
  o["user_ref"] = str_or_null(r.user_ref);
  o["department"] = str_or_null(r.department);
  o["role"] = str_or_null(r.role);
  o["endpoint"] = r.endpoint;
  o["upstream"] = str_or_null(r.upstream);
  o["model"] = str_or_null(r.model);
  o["purpose"] = str_or_null(r.purpose);
  o["routed_to"] = str_or_null(r.routed_to);
  o["acknowledged"] = r.acknowledged;
  o["policy_version"] = str_or_null(r.policy_version);
  o["policy_digest"] = str_or_null(r.policy_digest);
  o["decision"] = to_string(r.decision);
  boost::json::array rules;
  for (const auto& id : r.rule_ids) rules.emplace_back(id);
  o["rule_ids"] = std::move(rules);
  o["entity_counts"] = counts(r.entity_counts);
  o["answer_entity_counts"] = counts(r.answer_entity_counts);
  o["prompt_tokens"] = num_or_null(r.prompt_tokens);
  o["completion_tokens"] = num_or_null(r.completion_tokens);
  o["total_tokens"] = num_or_null(r.total_tokens);
  o["latency_ms"] = ms(r.latency_ms);
  o["upstream_ms"] = ms(r.upstream_ms);
  o["status"] = r.status;
  o["error_code"] = str_or_null(r.error_code);
  o["stream"] = r.stream;
  return boost::json::serialize(o);
}
}  // namespace

TEST(Chain, CanonicalFormEqualsTheJsonReference) {
  record r;
  r.record_id = "rec";
  r.request_id = "req \"quoted\" \\ back\tslash\x01 ünïcödé";
  r.ts = std::chrono::system_clock::time_point(std::chrono::microseconds(1'700'000'000'123'456LL));
  r.department = "sozialamt";
  r.endpoint = "/v1/chat/completions";
  r.rule_ids = {"a", "b\"c"};
  r.entity_counts = {{"PERSON", 2}, {"EMAIL", 1}};
  r.latency_ms = 12.3456;
  r.upstream_ms = -1;
  r.prompt_tokens = 7;
  r.status = 200;
  r.stream = true;
  EXPECT_EQ(canonical(r, "gw:8080"), reference(r, "gw:8080"));
  record empty;
  empty.endpoint = "/v1/models";
  EXPECT_EQ(canonical(empty, "i"), reference(empty, "i"));
}

TEST(Chain, LinksAndDetectsChanges) {
  record a, b;
  a.record_id = "a";
  b.record_id = "b";
  chain_tip tip;
  link(a, "i", tip);
  link(b, "i", tip);
  EXPECT_EQ(a.seq, 1u);
  EXPECT_EQ(b.seq, 2u);
  EXPECT_EQ(a.prev_hash, genesis_hash());
  EXPECT_EQ(b.prev_hash, a.hash);
  EXPECT_EQ(chain_hash(b.prev_hash, canonical(b, "i")), b.hash);
  b.status = 500;
  EXPECT_NE(chain_hash(b.prev_hash, canonical(b, "i")), b.hash);
  EXPECT_EQ(from_hex(lp::to_hex(a.hash)), a.hash);
}
