#include "audit/verify.h"

#include <pqxx/binarystring>

#include <boost/json.hpp>

#include <cstdio>
#include <ctime>
#include <map>

#include "audit/chain.h"

namespace lp::audit {

namespace {

std::optional<std::chrono::system_clock::time_point> parse_utc(const std::string& s) {
  // "2023-11-14T22:13:20.123456Z"
  std::tm tm{};
  int us = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &us) != 7) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t secs = timegm(&tm);
  return std::chrono::system_clock::time_point(std::chrono::seconds(secs) + std::chrono::microseconds(us));
}

std::optional<outcome> parse_outcome(std::string_view s) {
  for (outcome o : {outcome::allowed, outcome::redacted, outcome::blocked, outcome::error}) {
    if (to_string(o) == s) return o;
  }
  return std::nullopt;
}

std::vector<std::pair<std::string, std::uint32_t>> parse_counts(const std::string& json) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  const auto v = boost::json::parse(json);
  for (const auto& kv : v.as_object()) {
    out.emplace_back(std::string(kv.key()), static_cast<std::uint32_t>(kv.value().to_number<std::int64_t>()));
  }
  return out;
}

std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
std::int64_t integer(const pqxx::field& f) { return f.is_null() ? -1 : f.as<std::int64_t>(); }
double number(const pqxx::field& f) { return f.is_null() ? -1.0 : f.as<double>(); }

// The columns, in this order, that rebuild a record as the writer hashed it.
constexpr const char* row_columns =
    "record_id, request_id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), instance, tenant, "
    "user_ref, department, role, endpoint, upstream, model, purpose, routed_to, acknowledged, policy_version, "
    "policy_digest, decision, array_to_json(rule_ids)::text, entity_counts::text, answer_entity_counts::text, "
    "prompt_tokens, completion_tokens, total_tokens, latency_ms, upstream_ms, status, error_code, stream, seq, "
    "prev_hash, hash";

struct row {
  record r;
  std::string ts_text;
  bool parsed = true;  // false: a value the writer never writes (e.g. an unknown decision)
};

row read_row(const pqxx::row& x) {
  row out;
  record& r = out.r;
  r.record_id = text(x[0]);
  r.request_id = text(x[1]);
  out.ts_text = text(x[2]);
  if (auto t = parse_utc(out.ts_text)) r.ts = *t; else out.parsed = false;
  r.tenant = text(x[4]);
  r.user_ref = text(x[5]);
  r.department = text(x[6]);
  r.role = text(x[7]);
  r.endpoint = text(x[8]);
  r.upstream = text(x[9]);
  r.model = text(x[10]);
  r.purpose = text(x[11]);
  r.routed_to = text(x[12]);
  r.acknowledged = !x[13].is_null() && x[13].as<bool>();
  r.policy_version = text(x[14]);
  r.policy_digest = text(x[15]);
  if (auto d = parse_outcome(text(x[16]))) r.decision = *d; else out.parsed = false;
  try {
    const boost::json::value rules = boost::json::parse(text(x[17]));  // kept alive while iterated
    for (const auto& v : rules.as_array()) r.rule_ids.emplace_back(v.as_string());
    r.entity_counts = parse_counts(text(x[18]));
    r.answer_entity_counts = parse_counts(text(x[19]));
  } catch (const std::exception&) {
    out.parsed = false;
  }
  r.prompt_tokens = integer(x[20]);
  r.completion_tokens = integer(x[21]);
  r.total_tokens = integer(x[22]);
  r.latency_ms = number(x[23]);
  r.upstream_ms = number(x[24]);
  r.status = x[25].is_null() ? 0 : x[25].as<int>();
  r.error_code = text(x[26]);
  r.stream = !x[27].is_null() && x[27].as<bool>();
  r.seq = x[28].is_null() ? 0 : x[28].as<std::uint64_t>();
  if (!x[29].is_null()) r.prev_hash = pqxx::binarystring(x[29]).str();
  if (!x[30].is_null()) r.hash = pqxx::binarystring(x[30]).str();
  return out;
}

// A run of records deleted by retention: seq first..last, and the hash of `last`.
struct cut {
  std::uint64_t first, last;
  std::string last_hash;
  std::string before;  // the event's cutoff: the deleted records were older ("YYYY-MM-DD hh:mm:ss+00")
};

// The UTC date a day after `before` ("YYYY-MM-DD …"), as "YYYY-MM-DD"; empty when unreadable.
std::string day_after(const std::string& before) {
  std::tm tm{};
  if (std::sscanf(before.c_str(), "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3) return {};
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t t = timegm(&tm) + 24 * 3600;
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", out.tm_year + 1900, out.tm_mon + 1, out.tm_mday);
  return buf;
}

std::string seq_range(std::uint64_t a, std::uint64_t b) {
  return a == b ? "seq " + std::to_string(a) : "seq " + std::to_string(a) + "–" + std::to_string(b);
}

}  // namespace

verify_report verify(pqxx::connection& cx, const verify_options& o) {
  verify_report rep;
  pqxx::read_transaction tx(cx);
  const std::string from = o.from ? utc_timestamp(*o.from) : std::string();
  const std::string to = o.to ? utc_timestamp(*o.to) : std::string();

  // Instances: every chain in the log and every instance that signed checkpoints (a chain whose
  // rows were all deleted still has its checkpoints).
  std::vector<std::string> instances;
  for (const auto& x : tx.exec_params(
           "SELECT instance FROM decisions WHERE seq IS NOT NULL GROUP BY instance "
           "UNION SELECT instance FROM audit_checkpoints ORDER BY 1")) {
    const std::string name = text(x[0]);
    if (o.instance.empty() || o.instance == name) instances.push_back(name);
  }

  // Retention cuts per instance.
  std::map<std::string, std::vector<cut>> cuts;
  for (const auto& x : tx.exec("SELECT details::text FROM audit_events WHERE kind = 'retention' ORDER BY ts")) {
    try {
      const auto d = boost::json::parse(text(x[0]));
      const auto* before = d.as_object().if_contains("before");
      for (const auto& c : d.at("cuts").as_array()) {
        const auto& co = c.as_object();
        cuts[std::string(co.at("instance").as_string())].push_back(
            cut{static_cast<std::uint64_t>(co.at("first").to_number<std::int64_t>()),
                static_cast<std::uint64_t>(co.at("last").to_number<std::int64_t>()),
                from_hex(std::string(co.at("last_hash").as_string())),
                before && before->is_string() ? std::string(before->as_string()) : std::string()});
      }
    } catch (const std::exception&) {
      rep.problems.push_back({"", 0, "", "", "inserted", "a retention event has malformed details"});
    }
  }

  // Rows without a chain link written after chaining began were not written by a gateway.
  {
    const auto r = tx.exec_params(
        "SELECT record_id, instance, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM decisions "
        "WHERE seq IS NULL AND ts >= (SELECT applied_at FROM schema_migrations WHERE name LIKE '0007%') "
        "AND ($1 = '' OR ts >= $1::timestamptz) AND ($2 = '' OR ts < $2::timestamptz) "
        "AND ($3 = '' OR instance = $3) ORDER BY ts LIMIT 100",
        from, to, o.instance);
    for (const auto& x : r) {
      rep.problems.push_back({text(x[1]), 0, text(x[0]), text(x[2]), "inserted",
                              "record " + text(x[0]) + " has no place in any chain: it was not written by a gateway"});
    }
  }

  for (const std::string& inst : instances) {
    ++rep.instances;
    auto& inst_cuts = cuts[inst];
    std::sort(inst_cuts.begin(), inst_cuts.end(), [](const cut& a, const cut& b) { return a.first < b.first; });
    std::map<std::uint64_t, std::string> hash_at;  // seq -> hash, for the checkpoints
    std::uint64_t expected = 1;
    std::string expected_prev = genesis_hash();
    bool first = true;
    std::string prev_id, prev_ts;
    std::uint64_t last_seq = 0;
    std::uint64_t after = 0;
    const std::size_t page = 5000;
    for (;;) {
      const auto rows = tx.exec_params(
          std::string("SELECT ") + row_columns +
              " FROM decisions WHERE instance = $1 AND seq IS NOT NULL AND seq > $2"
              " AND ($3 = '' OR ts >= $3::timestamptz) AND ($4 = '' OR ts < $4::timestamptz)"
              " ORDER BY seq, record_id LIMIT " + std::to_string(page),
          inst, after, from, to);
      if (rows.empty()) break;
      for (const auto& x : rows) {
        row rw = read_row(x);
        record& r = rw.r;
        ++rep.records;
        auto problem = [&](std::string kind, std::string detail) {
          rep.problems.push_back({inst, r.seq, r.record_id, rw.ts_text, std::move(kind), std::move(detail)});
        };
        if (!first && r.seq < expected) {
          problem("inserted", "record " + r.record_id + " claims seq " + std::to_string(r.seq) +
                                  ", which another record already has: it was added outside the gateway");
          continue;
        }
        if (first && (o.from || o.to)) {
          // a range starts inside the chain: its first link is taken as given
          expected = r.seq;
          expected_prev = r.prev_hash;
        }
        if (r.seq > expected) {
          // a gap: explained by retention when cuts cover it exactly and the next link fits
          std::uint64_t covered = expected;
          std::string hash_before = expected_prev;
          bool too_new = false;  // records before the gap are newer than the cutoff: not retention
          for (const cut& c : inst_cuts) {
            if (c.first == covered && c.last < r.seq) {
              covered = c.last + 1;
              hash_before = c.last_hash;
              const std::string limit = day_after(c.before);
              if (!prev_ts.empty() && !limit.empty() && prev_ts.substr(0, 10) > limit) too_new = true;
            }
          }
          if (covered == r.seq && hash_before == r.prev_hash && too_new) {
            problem("missing", "records " + seq_range(expected, r.seq - 1) + " (between record " + prev_id + " and record " +
                                   r.record_id + ") were deleted, and the retention event claiming them is not genuine: "
                                   "the record before them is newer than its cutoff");
          } else if (covered == r.seq && hash_before == r.prev_hash) {
            rep.deleted_by_retention += r.seq - expected;
          } else {
            problem("missing", "records " + seq_range(expected, r.seq - 1) + " are missing" +
                                   (prev_id.empty() ? std::string(" (before the first record present)")
                                                    : " (between record " + prev_id + " and record " + r.record_id + ")") +
                                   "; no retention event explains them");
          }
          expected_prev = r.prev_hash;  // continue from here
        }
        if (!rw.parsed || chain_hash(r.prev_hash, canonical(r, inst)) != r.hash) {
          problem("altered", "record " + r.record_id + " (seq " + std::to_string(r.seq) +
                                 ") was changed after it was written: its content does not match its hash");
        } else if (r.prev_hash != expected_prev) {
          problem("broken", "the chain breaks before record " + r.record_id + " (seq " + std::to_string(r.seq) +
                                "): its link does not match the record before it (rows rewritten or replaced)");
        }
        expected_prev = r.hash;
        expected = r.seq + 1;
        last_seq = r.seq;
        first = false;
        prev_id = r.record_id;
        prev_ts = rw.ts_text;
        hash_at.emplace(r.seq, r.hash);
        after = r.seq;
      }
      if (rows.size() < page) break;
    }

    // Records deleted by retention after the last one present (or all of them).
    if (!o.to) {
      for (const cut& c : inst_cuts) {
        if (c.first == expected && (first || c.first > last_seq)) {
          rep.deleted_by_retention += c.last - c.first + 1;
          expected = c.last + 1;
          last_seq = std::max(last_seq, c.last);
        }
      }
    }

    // Checkpoints: signed by the key, and matching the chain at their seq.
    std::uint64_t last_signed = 0;
    const auto cps = tx.exec_params(
        "SELECT seq, hash, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), key_id, signature "
        "FROM audit_checkpoints WHERE instance = $1 ORDER BY seq",
        inst);
    for (const auto& x : cps) {
      const auto seq = x[0].as<std::uint64_t>();
      const std::string hash = pqxx::binarystring(x[1]).str();
      const std::string ts = text(x[2]);
      const std::string sig = pqxx::binarystring(x[4]).str();
      const bool check = !o.public_keys.empty();
      if (check) {
        const std::string key_id = text(x[3]);
        const ed25519_key* key = nullptr;
        for (const auto& k : o.public_keys) {
          if (k->key_id() == key_id) key = k.get();
        }
        if (!key || !key->verify(checkpoint_message(inst, seq, hash, ts), sig)) {
          rep.problems.push_back({inst, seq, "", ts, "checkpoint",
                                  "the checkpoint at seq " + std::to_string(seq) + " (key " + key_id + ") has " +
                                      (key ? "no valid signature of that key" : "no valid signature of the given keys")});
          continue;
        }
      }
      const auto it = hash_at.find(seq);
      // a checkpoint over records that retention deleted: the cut's hash stands for them
      const cut* in_cut = nullptr;
      for (const cut& c : inst_cuts) {
        if (seq >= c.first && seq <= c.last) in_cut = &c;
      }
      if (it == hash_at.end() && in_cut) {
        // A record signed a day or more after the cutoff cannot have been due for deletion: the
        // retention event is not genuine (a deletion dressed up as retention).
        const std::string signed_day = ts.substr(0, 10), cutoff_day = in_cut->before.substr(0, 10);
        if (!cutoff_day.empty() && signed_day > cutoff_day) {
          rep.problems.push_back({inst, seq, "", ts, "missing",
                                  "records up to seq " + std::to_string(seq) + " were signed at " + ts +
                                      ", after the cutoff " + in_cut->before +
                                      " of the retention event that claims to have deleted them"});
          continue;
        }
        if (seq == in_cut->last && in_cut->last_hash != hash) {
          rep.problems.push_back({inst, seq, "", ts, "broken",
                                  "the retention event's hash at seq " + std::to_string(seq) +
                                      " differs from the one signed at " + ts});
        } else {
          ++rep.checkpoints_ok;
          last_signed = std::max(last_signed, seq);
        }
        continue;
      }
      if (it == hash_at.end() && seq > last_seq && !o.to) {
        // signed, but no longer there: the end of the log was cut off
        rep.problems.push_back({inst, seq, "", ts, "missing",
                                "records " + seq_range(last_seq + 1, seq) + " were signed at " + ts +
                                    " but are gone: the newest records were deleted"});
        continue;
      }
      if (it != hash_at.end() && it->second != hash) {
        rep.problems.push_back({inst, seq, "", ts, "broken",
                                "the chain was rewritten: the record at seq " + std::to_string(seq) +
                                    " differs from the one signed at " + ts});
        continue;
      }
      if (it != hash_at.end() || !check) {
        ++rep.checkpoints_ok;
        last_signed = std::max(last_signed, seq);
      }
    }
    if (!o.public_keys.empty() && last_seq > last_signed) rep.unsigned_tail += last_seq - last_signed;
  }
  return rep;
}

}  // namespace lp::audit
