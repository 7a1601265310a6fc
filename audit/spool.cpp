#include "audit/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/digest.h"

namespace lp::audit {

namespace {

std::string safe_name(const std::string& instance) {
  std::string out;
  for (char c : instance) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.';
    out += ok ? c : '_';
  }
  // a hash of the exact name keeps instances apart whose names differ only in special characters
  return (out.empty() ? "gateway" : out) + "-" + sha256_hex(instance).substr(0, 8);
}

std::string checksum(std::string_view s) { return sha256_hex(s).substr(0, 16); }

boost::json::array counts_json(const std::vector<std::pair<std::string, std::uint32_t>>& c) {
  boost::json::array a;
  for (const auto& [k, v] : c) a.emplace_back(boost::json::array{boost::json::value(k), boost::json::value(v)});
  return a;
}

std::vector<std::pair<std::string, std::uint32_t>> counts_from(const boost::json::value& v) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const auto& e : v.as_array()) {
    const auto& p = e.as_array();
    out.emplace_back(std::string(p.at(0).as_string()), static_cast<std::uint32_t>(p.at(1).to_number<std::int64_t>()));
  }
  return out;
}

bool write_all(int fd, const std::string& data) {
  std::size_t off = 0;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

spool::spool(const std::string& dir, const std::string& instance) : instance_(instance) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  path_ = (std::filesystem::path(dir) / (safe_name(instance) + ".spool")).string();
  tip_path_ = (std::filesystem::path(dir) / (safe_name(instance) + ".tip")).string();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0) throw std::runtime_error("cannot open the audit spool " + path_ + ": " + std::strerror(errno));
  const auto pending = read_all(torn_at_open_);
  pending_ = pending.size();
  if (!pending.empty()) {
    last_at_open_.seq = pending.back().seq;
    last_at_open_.hash = pending.back().hash;
  }
}

spool::~spool() {
  if (fd_ >= 0) ::close(fd_);
}

std::string spool::encode(const record& r, const std::string& instance) {
  boost::json::object o;
  o["record_id"] = r.record_id;
  o["request_id"] = r.request_id;
  o["ts_us"] = std::chrono::duration_cast<std::chrono::microseconds>(r.ts.time_since_epoch()).count();
  o["instance"] = instance;
  o["tenant"] = r.tenant;
  o["user_ref"] = r.user_ref;
  o["department"] = r.department;
  o["role"] = r.role;
  o["endpoint"] = r.endpoint;
  o["upstream"] = r.upstream;
  o["model"] = r.model;
  o["purpose"] = r.purpose;
  o["routed_to"] = r.routed_to;
  o["acknowledged"] = r.acknowledged;
  o["trained"] = r.trained;
  o["policy_version"] = r.policy_version;
  o["policy_digest"] = r.policy_digest;
  o["decision"] = to_string(r.decision);
  boost::json::array rules;
  for (const auto& id : r.rule_ids) rules.emplace_back(id);
  o["rule_ids"] = std::move(rules);
  o["entity_counts"] = counts_json(r.entity_counts);
  o["answer_entity_counts"] = counts_json(r.answer_entity_counts);
  o["prompt_tokens"] = r.prompt_tokens;
  o["completion_tokens"] = r.completion_tokens;
  o["total_tokens"] = r.total_tokens;
  o["latency_ms"] = r.latency_ms;
  o["upstream_ms"] = r.upstream_ms;
  o["status"] = r.status;
  o["error_code"] = r.error_code;
  o["stream"] = r.stream;
  o["review_text"] = r.review_text;
  o["review_days"] = r.review_days;
  o["seq"] = r.seq;
  o["prev_hash"] = to_hex(r.prev_hash);
  o["hash"] = to_hex(r.hash);
  const std::string json = boost::json::serialize(o);
  return checksum(json) + " " + json;
}

bool spool::decode(std::string_view line, record& r) {
  if (line.size() < 18 || line[16] != ' ') return false;
  const std::string_view json = line.substr(17);
  if (checksum(json) != line.substr(0, 16)) return false;
  try {
    const auto v = boost::json::parse(json);
    const auto& o = v.as_object();
    auto str = [&](const char* k) { return std::string(o.at(k).as_string()); };
    r = record{};
    r.record_id = str("record_id");
    r.request_id = str("request_id");
    r.ts = std::chrono::system_clock::time_point(std::chrono::microseconds(o.at("ts_us").to_number<std::int64_t>()));
    r.tenant = str("tenant");
    r.user_ref = str("user_ref");
    r.department = str("department");
    r.role = str("role");
    r.endpoint = str("endpoint");
    r.upstream = str("upstream");
    r.model = str("model");
    r.purpose = str("purpose");
    r.routed_to = str("routed_to");
    r.acknowledged = o.at("acknowledged").as_bool();
    if (const auto* t = o.if_contains("trained")) r.trained = t->as_bool();  // absent in older spools
    r.policy_version = str("policy_version");
    r.policy_digest = str("policy_digest");
    const std::string d = str("decision");
    r.decision = d == "allowed" ? outcome::allowed : d == "redacted" ? outcome::redacted
               : d == "blocked" ? outcome::blocked : outcome::error;
    for (const auto& id : o.at("rule_ids").as_array()) r.rule_ids.emplace_back(id.as_string());
    r.entity_counts = counts_from(o.at("entity_counts"));
    r.answer_entity_counts = counts_from(o.at("answer_entity_counts"));
    r.prompt_tokens = o.at("prompt_tokens").to_number<std::int64_t>();
    r.completion_tokens = o.at("completion_tokens").to_number<std::int64_t>();
    r.total_tokens = o.at("total_tokens").to_number<std::int64_t>();
    r.latency_ms = o.at("latency_ms").to_number<double>();
    r.upstream_ms = o.at("upstream_ms").to_number<double>();
    r.status = static_cast<int>(o.at("status").to_number<std::int64_t>());
    r.error_code = str("error_code");
    r.stream = o.at("stream").as_bool();
    r.review_text = str("review_text");
    r.review_days = static_cast<std::uint32_t>(o.at("review_days").to_number<std::int64_t>());
    r.seq = static_cast<std::uint64_t>(o.at("seq").to_number<std::int64_t>());
    r.prev_hash = from_hex(str("prev_hash"));
    r.hash = from_hex(str("hash"));
    return r.prev_hash.size() == hash_size && r.hash.size() == hash_size;
  } catch (const std::exception&) {
    return false;
  }
}

bool spool::append(const std::deque<record>& batch) {
  std::string data;
  for (const auto& r : batch) {
    data += encode(r, instance_);
    data += '\n';
  }
  if (!write_all(fd_, data) || ::fdatasync(fd_) != 0) return false;
  pending_ += batch.size();
  return true;
}

std::deque<record> spool::read_all(std::size_t& torn) const {
  std::deque<record> out;
  torn = 0;
  std::ifstream in(path_, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    record r;
    if (decode(line, r)) {
      out.push_back(std::move(r));
    } else {
      ++torn;
    }
  }
  return out;
}

bool spool::clear() {
  if (::ftruncate(fd_, 0) != 0 || ::fdatasync(fd_) != 0) return false;
  pending_ = 0;
  return true;
}

void spool::save_tip(const chain_tip& tip) const {
  const std::string tmp = tip_path_ + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << tip.seq << ' ' << to_hex(tip.hash) << '\n';
    if (!f) return;
  }
  std::rename(tmp.c_str(), tip_path_.c_str());
}

bool spool::load_tip(chain_tip& tip) const {
  std::ifstream f(tip_path_);
  std::uint64_t seq = 0;
  std::string hex;
  if (!(f >> seq >> hex)) return false;
  const std::string h = from_hex(hex);
  if (h.size() != hash_size) return false;
  tip.seq = seq;
  tip.hash = h;
  return true;
}

}  // namespace lp::audit
