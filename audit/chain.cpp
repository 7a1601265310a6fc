#include "audit/chain.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/digest.h"

namespace lp::audit {

const std::string& genesis_hash() {
  static const std::string zeros(hash_size, '\0');
  return zeros;
}

std::string utc_timestamp(std::chrono::system_clock::time_point tp) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us % 1000000));
  return buf;
}

namespace {

boost::json::value text_or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::value(s);
}

boost::json::value count_or_null(std::int64_t v) {
  if (v < 0) return nullptr;
  return v;
}

boost::json::value millis_or_null(double v) {
  if (v < 0) return nullptr;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);  // as stored (the writer sends three decimals)
  return boost::json::value(buf);
}

boost::json::object counts(std::vector<std::pair<std::string, std::uint32_t>> c) {
  std::sort(c.begin(), c.end());
  boost::json::object o;
  for (const auto& [k, v] : c) o[k] = v;
  return o;
}

}  // namespace

std::string canonical(const record& r, std::string_view instance) {
  boost::json::object o;
  o["v"] = 1;
  o["record_id"] = r.record_id;
  o["request_id"] = r.request_id;
  o["ts"] = utc_timestamp(r.ts);
  o["instance"] = instance;
  o["tenant"] = r.tenant;
  o["user_ref"] = text_or_null(r.user_ref);
  o["department"] = text_or_null(r.department);
  o["role"] = text_or_null(r.role);
  o["endpoint"] = r.endpoint;
  o["upstream"] = text_or_null(r.upstream);
  o["model"] = text_or_null(r.model);
  o["purpose"] = text_or_null(r.purpose);
  o["routed_to"] = text_or_null(r.routed_to);
  o["acknowledged"] = r.acknowledged;
  o["policy_version"] = text_or_null(r.policy_version);
  o["policy_digest"] = text_or_null(r.policy_digest);
  o["decision"] = to_string(r.decision);
  boost::json::array rules;
  for (const auto& id : r.rule_ids) rules.emplace_back(id);
  o["rule_ids"] = std::move(rules);
  o["entity_counts"] = counts(r.entity_counts);
  o["answer_entity_counts"] = counts(r.answer_entity_counts);
  o["prompt_tokens"] = count_or_null(r.prompt_tokens);
  o["completion_tokens"] = count_or_null(r.completion_tokens);
  o["total_tokens"] = count_or_null(r.total_tokens);
  o["latency_ms"] = millis_or_null(r.latency_ms);
  o["upstream_ms"] = millis_or_null(r.upstream_ms);
  o["status"] = r.status;
  o["error_code"] = text_or_null(r.error_code);
  o["stream"] = r.stream;
  return boost::json::serialize(o);
}

std::string chain_hash(std::string_view prev, std::string_view canonical_form) {
  std::string buf;
  buf.reserve(prev.size() + canonical_form.size());
  buf.append(prev);
  buf.append(canonical_form);
  return sha256(buf);
}

void link(record& r, std::string_view instance, chain_tip& tip) {
  r.seq = tip.seq + 1;
  r.prev_hash = tip.hash;
  r.hash = chain_hash(r.prev_hash, canonical(r, instance));
  tip.seq = r.seq;
  tip.hash = r.hash;
}

std::string to_hex(std::string_view raw) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string from_hex(std::string_view hex) {
  if (hex.size() % 2) return {};
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int a = nibble(hex[i]), b = nibble(hex[i + 1]);
    if (a < 0 || b < 0) return {};
    out += static_cast<char>(a << 4 | b);
  }
  return out;
}

}  // namespace lp::audit
