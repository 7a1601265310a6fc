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

std::string utc_timestamp(std::chrono::system_clock::time_point tp, char sep, std::string_view zone) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d.%06lld", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, sep, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(us % 1000000));
  std::string out = buf;
  out += zone;
  return out;
}

namespace {

// The canonical form is written directly (the writer computes it for every record; building a
// JSON object first cost a hash-map insert per field). Strings are escaped by Boost.JSON's
// serializer, so the bytes equal boost::json::serialize of the same object (tested).
void key(std::string& out, const char* k) {
  out += out.size() > 1 ? ",\"" : "\"";
  out += k;
  out += "\":";
}
void text(std::string& out, const char* k, std::string_view v) {
  key(out, k);
  out += boost::json::serialize(boost::json::string_view(v.data(), v.size()));
}
void text_or_null(std::string& out, const char* k, std::string_view v) {
  if (v.empty()) {
    key(out, k);
    out += "null";
  } else {
    text(out, k, v);
  }
}
void integer(std::string& out, const char* k, std::int64_t v) {
  key(out, k);
  out += std::to_string(v);
}
void count_or_null(std::string& out, const char* k, std::int64_t v) {
  key(out, k);
  out += v < 0 ? "null" : std::to_string(v);
}
void boolean(std::string& out, const char* k, bool v) {
  key(out, k);
  out += v ? "true" : "false";
}
void millis_or_null(std::string& out, const char* k, double v) {
  key(out, k);
  if (v < 0) {
    out += "null";
    return;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "\"%.3f\"", v);  // as stored (the writer sends three decimals)
  out += buf;
}
void counts(std::string& out, const char* k, std::vector<std::pair<std::string, std::uint32_t>> c) {
  std::sort(c.begin(), c.end());
  key(out, k);
  out += '{';
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (i) out += ',';
    out += boost::json::serialize(boost::json::string_view(c[i].first));
    out += ':';
    out += std::to_string(c[i].second);
  }
  out += '}';
}

}  // namespace

std::string canonical(const record& r, std::string_view instance) {
  std::string o;
  o.reserve(640);
  o += '{';
  integer(o, "v", 1);
  text(o, "record_id", r.record_id);
  text(o, "request_id", r.request_id);
  text(o, "ts", utc_timestamp(r.ts));
  text(o, "instance", instance);
  text(o, "tenant", r.tenant);
  text_or_null(o, "user_ref", r.user_ref);
  text_or_null(o, "department", r.department);
  text_or_null(o, "role", r.role);
  text(o, "endpoint", r.endpoint);
  text_or_null(o, "upstream", r.upstream);
  text_or_null(o, "model", r.model);
  text_or_null(o, "purpose", r.purpose);
  text_or_null(o, "routed_to", r.routed_to);
  boolean(o, "acknowledged", r.acknowledged);
  text_or_null(o, "policy_version", r.policy_version);
  text_or_null(o, "policy_digest", r.policy_digest);
  text(o, "decision", to_string(r.decision));
  key(o, "rule_ids");
  o += '[';
  for (std::size_t i = 0; i < r.rule_ids.size(); ++i) {
    if (i) o += ',';
    o += boost::json::serialize(boost::json::string_view(r.rule_ids[i]));
  }
  o += ']';
  counts(o, "entity_counts", r.entity_counts);
  counts(o, "answer_entity_counts", r.answer_entity_counts);
  count_or_null(o, "prompt_tokens", r.prompt_tokens);
  count_or_null(o, "completion_tokens", r.completion_tokens);
  count_or_null(o, "total_tokens", r.total_tokens);
  millis_or_null(o, "latency_ms", r.latency_ms);
  millis_or_null(o, "upstream_ms", r.upstream_ms);
  integer(o, "status", r.status);
  text_or_null(o, "error_code", r.error_code);
  boolean(o, "stream", r.stream);
  o += '}';
  return o;
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
