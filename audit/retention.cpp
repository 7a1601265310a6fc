#include "audit/retention.h"

#include <pqxx/binarystring>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "audit/chain.h"
#include "core/log.h"
#include "core/request_id.h"

namespace lp::audit {

namespace {

struct month {
  int year, mon;  // mon 1-12
  month next() const { return mon == 12 ? month{year + 1, 1} : month{year, mon + 1}; }
  month minus(int n) const {
    int total = year * 12 + (mon - 1) - n;
    return month{total / 12, total % 12 + 1};
  }
  bool operator<(const month& o) const { return year != o.year ? year < o.year : mon < o.mon; }
  std::string name() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "decisions_%04d_%02d", year, mon);
    return buf;
  }
  std::string start() const {  // UTC timestamp literal
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-01 00:00:00+00", year, mon);
    return buf;
  }
};

month month_of(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return month{tm.tm_year + 1900, tm.tm_mon + 1};
}

bool parse_name(const std::string& name, month& m) {
  return std::sscanf(name.c_str(), "decisions_%4d_%2d", &m.year, &m.mon) == 2 && m.mon >= 1 && m.mon <= 12;
}

// Runs of consecutive sequence numbers per instance among (instance, seq, hash) rows sorted by
// instance and seq: what verify needs to accept the gap.
boost::json::array cuts_of(const pqxx::result& rows) {
  boost::json::array cuts;
  std::string inst;
  std::uint64_t first = 0, last = 0;
  std::string last_hash;
  auto flush = [&] {
    cuts.push_back(boost::json::object{{"instance", inst}, {"first", first}, {"last", last}, {"last_hash", to_hex(last_hash)}});
  };
  bool any = false;
  for (const auto& x : rows) {
    const std::string i = x[0].c_str();
    const auto seq = x[1].as<std::uint64_t>();
    const std::string h = pqxx::binarystring(x[2]).str();
    if (any && i == inst && seq == last + 1) {
      last = seq;
      last_hash = h;
      continue;
    }
    if (any) flush();
    inst = i;
    first = last = seq;
    last_hash = h;
    any = true;
  }
  if (any) flush();
  return cuts;
}

boost::json::array chain_tips(pqxx::work& tx) {
  boost::json::array tips;
  for (const auto& x : tx.exec(
           "SELECT DISTINCT ON (instance) instance, seq, hash FROM decisions WHERE seq IS NOT NULL "
           "ORDER BY instance, seq DESC")) {
    tips.push_back(boost::json::object{{"instance", x[0].c_str()},
                                       {"seq", x[1].as<std::uint64_t>()},
                                       {"hash", to_hex(pqxx::binarystring(x[2]).str())}});
  }
  return tips;
}

}  // namespace

std::vector<std::string> ensure_partitions(pqxx::connection& cx, std::chrono::system_clock::time_point now, int ahead) {
  std::vector<std::string> created;
  month m = month_of(now);
  for (int i = 0; i <= ahead; ++i, m = m.next()) {
    pqxx::work tx(cx);
    const auto exists = tx.exec_params1("SELECT to_regclass($1) IS NOT NULL", m.name());
    if (exists[0].as<bool>()) continue;
    try {
      tx.exec("CREATE TABLE " + tx.quote_name(m.name()) + " PARTITION OF decisions FOR VALUES FROM (" +
              tx.quote(m.start()) + ") TO (" + tx.quote(m.next().start()) + ")");
      tx.commit();
      created.push_back(m.name());
    } catch (const std::exception& e) {
      // rows of that month already sit in the default partition; they stay there (retention
      // deletes them from it when they are due)
      log::warn("audit: cannot create partition " + m.name() + ": " + e.what());
    }
  }
  return created;
}

retention_result apply_retention(pqxx::connection& cx, int months, const std::string& actor,
                                 std::chrono::system_clock::time_point now, bool dry_run) {
  if (months < min_retention_months) {
    throw std::invalid_argument("the decision log must be kept at least " + std::to_string(min_retention_months) +
                                " months (Art. 26(6) AI Act); got " + std::to_string(months));
  }
  retention_result res;
  const month cutoff = month_of(now).minus(months);
  res.cutoff = cutoff.start();
  {
    pqxx::nontransaction nt(cx);
    if (!nt.exec1("SELECT pg_try_advisory_lock(hashtext('leitplanke-audit-retention'))")[0].as<bool>()) {
      log::info("audit: retention is running elsewhere; skipped");
      res.skipped = true;
      return res;
    }
  }
  struct unlock {
    pqxx::connection& cx;
    ~unlock() {
      try {
        pqxx::nontransaction nt(cx);
        nt.exec("SELECT pg_advisory_unlock(hashtext('leitplanke-audit-retention'))");
      } catch (...) {
      }
    }
  } guard{cx};
  if (!dry_run) res.created = ensure_partitions(cx, now);

  std::vector<std::pair<month, std::string>> due;
  {
    pqxx::read_transaction tx(cx);
    for (const auto& x : tx.exec(
             "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
             "WHERE i.inhparent = 'decisions'::regclass")) {
      month m{};
      const std::string name = x[0].c_str();
      if (parse_name(name, m) && m < cutoff) due.emplace_back(m, name);
    }
  }
  std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::string reason = "retention: decision log kept " + std::to_string(months) + " months";

  auto record_event = [&](pqxx::work& tx, const std::string& what, std::uint64_t rows, boost::json::array cuts) {
    boost::json::object d;
    d["deleted"] = what;
    d["before"] = cutoff.start();
    d["rows"] = rows;
    d["cuts"] = std::move(cuts);
    d["chain_tips"] = chain_tips(tx);
    tx.exec_params("INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ($1, 'retention', $2, $3, $4::jsonb)",
                   new_request_id(), actor, reason, boost::json::serialize(d));
  };

  for (const auto& [m, name] : due) {
    pqxx::work tx(cx);
    const auto rows = tx.exec1("SELECT count(*) FROM " + tx.quote_name(name))[0].as<std::uint64_t>();
    res.dropped.push_back(name);
    res.rows_deleted += rows;
    if (dry_run) continue;
    const auto chained = tx.exec("SELECT instance, seq, hash FROM " + tx.quote_name(name) +
                                 " WHERE seq IS NOT NULL ORDER BY instance, seq");
    record_event(tx, "partition " + name, rows, cuts_of(chained));
    tx.exec("DROP TABLE " + tx.quote_name(name));
    tx.commit();
    log::info("audit: retention dropped " + name + " (" + std::to_string(rows) + " records)");
  }

  // Redacted texts of refused requests whose review period is over.
  {
    pqxx::work tx(cx);
    const auto rows = tx.exec1("SELECT count(*) FROM refused_prompts WHERE expires_at < now()")[0].as<std::uint64_t>();
    if (rows > 0) {
      res.dropped.push_back(std::to_string(rows) + " expired refused prompts");
      if (!dry_run) {
        tx.exec("DELETE FROM refused_prompts WHERE expires_at < now()");
        boost::json::object d;
        d["deleted"] = "expired refused prompts";
        d["rows"] = rows;
        d["cuts"] = boost::json::array();
        tx.exec_params("INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ($1, 'retention', $2, $3, $4::jsonb)",
                       new_request_id(), actor, "retention: refused prompts kept for their review period",
                       boost::json::serialize(d));
        tx.commit();
      }
    }
  }

  // Old rows that landed in the default partition.
  {
    pqxx::work tx(cx);
    const auto rows = tx.exec_params1("SELECT count(*) FROM decisions_default WHERE ts < $1::timestamptz", cutoff.start())[0]
                          .as<std::uint64_t>();
    if (rows > 0) {
      res.rows_deleted += rows;
      res.dropped.push_back("decisions_default (rows before " + cutoff.start() + ")");
      if (!dry_run) {
        const auto chained = tx.exec_params(
            "SELECT instance, seq, hash FROM decisions_default WHERE ts < $1::timestamptz AND seq IS NOT NULL "
            "ORDER BY instance, seq",
            cutoff.start());
        record_event(tx, "rows of decisions_default", rows, cuts_of(chained));
        tx.exec_params("DELETE FROM decisions_default WHERE ts < $1::timestamptz", cutoff.start());
        tx.commit();
      }
    }
  }
  return res;
}

}  // namespace lp::audit
