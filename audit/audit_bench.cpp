// Audit writer throughput and completeness against a real PostgreSQL: THREADS threads submit
// N decision records as fast as the queue takes them; the writer links them into the hash
// chain and COPYs them in batches. Reports records/s (submit to durable), then checks that
// exactly N rows arrived, once each, and that the chain verifies.
//
//   audit_bench ADMIN_URL [--records N] [--threads T] [--check]
//
// ADMIN_URL is a PostgreSQL URL whose user may create databases; a throwaway database is
// created, migrated and dropped. --check exits 1 unless every record arrived exactly once and
// the chain verifies (the test suite runs it so).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "audit/verify.h"
#include "audit/writer.h"
#include "core/request_id.h"
#include "db/migrate.h"

using namespace std::chrono;

namespace {

lp::audit::record sample(std::size_t i) {
  lp::audit::record r;
  r.record_id = lp::new_request_id();
  r.request_id = "bench-" + std::to_string(i);
  r.ts = system_clock::now();
  r.user_ref = "u" + std::to_string(i % 97);
  r.department = i % 3 ? "sozialamt" : "bauamt";
  r.role = "staff";
  r.endpoint = "/v1/chat/completions";
  r.upstream = "mock";
  r.model = "gpt-4o-mini";
  r.policy_version = "bench";
  r.policy_digest = "0123456789abcdef";
  r.decision = i % 5 ? lp::audit::outcome::allowed : lp::audit::outcome::redacted;
  r.rule_ids = {"allow-internal"};
  if (i % 5 == 0) r.entity_counts = {{"EMAIL", 1}, {"PERSON", 2}};
  r.prompt_tokens = 120;
  r.completion_tokens = 80;
  r.total_tokens = 200;
  r.latency_ms = 12.5;
  r.upstream_ms = 10.25;
  r.status = 200;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: audit_bench ADMIN_URL [--records N] [--threads T] [--check]\n";
    return 2;
  }
  const std::string admin = argv[1];
  std::size_t n = 100000, threads = 8;
  bool check = false;
  for (int i = 2; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--records") && i + 1 < argc) n = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::stoul(argv[++i]);
    else if (!std::strcmp(argv[i], "--check")) check = true;
  }
  const std::string db = "lp_audit_bench_" + lp::new_request_id().substr(0, 8);
  {
    pqxx::connection cx(admin);
    pqxx::nontransaction nt(cx);
    nt.exec("CREATE DATABASE " + db);
  }
  const std::string url = lp::db::with_database(admin, db);
  int status = 0;
  try {
    const auto m = lp::db::migrate(url, lp::db::embedded_migrations());
    if (!m.error.empty()) throw std::runtime_error(m.error);

    lp::audit::writer_settings ws;  // the gateway's defaults
    lp::audit::writer w(url, "bench", ws);
    w.start();
    while (!w.healthy()) std::this_thread::sleep_for(milliseconds(10));

    std::atomic<std::size_t> next{0}, refused{0};
    const auto t0 = steady_clock::now();
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        for (std::size_t i; (i = next.fetch_add(1)) < n;) {
          auto r = sample(i);
          while (!w.submit(std::move(r))) {  // queue full: wait as a request would be refused
            refused.fetch_add(1);
            std::this_thread::sleep_for(microseconds(200));
            r = sample(i);
          }
        }
      });
    }
    for (auto& t : pool) t.join();
    const auto submitted = steady_clock::now();
    while (w.written() < n) std::this_thread::sleep_for(milliseconds(5));
    const auto done = steady_clock::now();
    const double secs = duration<double>(done - t0).count();
    std::printf("%zu records from %zu threads: submitted in %.2f s, written in %.2f s: %.0f records/s "
                "(queue full %zu times)\n",
                n, threads, duration<double>(submitted - t0).count(), secs, n / secs, refused.load());
    w.stop(seconds(30));

    pqxx::connection cx(url);
    std::size_t rows = 0, distinct = 0;
    {
      pqxx::read_transaction tx(cx);
      rows = tx.exec1("SELECT count(*) FROM decisions")[0].as<std::size_t>();
      distinct = tx.exec1("SELECT count(DISTINCT request_id) FROM decisions")[0].as<std::size_t>();
    }
    // The aggregates equal aggregates over the rows (independent SQL).
    std::size_t rollup_mismatches = 0;
    {
      pqxx::work tx(cx);  // a temporary view
      const char* checks[] = {
          "(SELECT (ts AT TIME ZONE 'UTC')::date, tenant, coalesce(department, ''), coalesce(upstream, ''), "
          " coalesce(model, ''), coalesce(purpose, ''), decision, status, count(*), sum(coalesce(total_tokens, 0)) "
          " FROM decisions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 "
          " EXCEPT SELECT day, tenant, department, upstream, model, purpose, decision, status, requests, total_tokens FROM usage_daily)",
          "(SELECT day, tenant, department, upstream, model, purpose, decision, status, requests, total_tokens FROM usage_daily "
          " EXCEPT SELECT (ts AT TIME ZONE 'UTC')::date, tenant, coalesce(department, ''), coalesce(upstream, ''), "
          " coalesce(model, ''), coalesce(purpose, ''), decision, status, count(*), sum(coalesce(total_tokens, 0)) "
          " FROM decisions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8)",
          "(SELECT (ts AT TIME ZONE 'UTC')::date, tenant, coalesce(department, ''), e.key, sum(e.value::bigint), count(*) "
          " FROM decisions, jsonb_each_text(entity_counts) e GROUP BY 1, 2, 3, 4 "
          " EXCEPT SELECT day, tenant, department, entity_type, items, requests FROM entity_daily WHERE NOT in_answer)",
          "(SELECT (ts AT TIME ZONE 'UTC')::date, tenant, coalesce(department, ''), r, decision, count(*) "
          " FROM decisions, unnest(rule_ids) r GROUP BY 1, 2, 3, 4, 5 "
          " EXCEPT SELECT day, tenant, department, rule_id, decision, requests FROM rule_daily)",
          // who stands behind which reported value (active_users), both directions
          "(SELECT * FROM bench_people EXCEPT SELECT department, dimension, value, user_ref FROM active_users)",
          "(SELECT department, dimension, value, user_ref FROM active_users EXCEPT SELECT * FROM bench_people)"};
      tx.exec(
          "CREATE TEMP VIEW bench_people AS WITH d AS (SELECT coalesce(department, '') AS dep, user_ref, coalesce(model, '') AS model, "
          " coalesce(purpose, '') AS purpose, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM') AS m, "
          " to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS dd, decision, rule_ids, entity_counts, "
          " answer_entity_counts, acknowledged FROM decisions WHERE coalesce(user_ref, '') <> '') "
          "SELECT dep, '' AS dim, '' AS val, user_ref FROM d UNION SELECT dep, 'model', model, user_ref FROM d "
          "UNION SELECT dep, 'purpose', purpose, user_ref FROM d UNION SELECT dep, 'acknowledged', purpose, user_ref FROM d WHERE acknowledged "
          "UNION SELECT dep, 'month', m, user_ref FROM d UNION SELECT dep, 'decision', decision, user_ref FROM d "
          "UNION SELECT dep, 'day', dd, user_ref FROM d UNION SELECT dep, 'day_decision', dd || '|' || decision, user_ref FROM d "
          "UNION SELECT dep, 'rule', r, user_ref FROM d, unnest(rule_ids) r "
          "UNION SELECT dep, 'entity', e, user_ref FROM d, jsonb_object_keys(entity_counts) e "
          "UNION SELECT dep, 'answer_entity', e, user_ref FROM d, jsonb_object_keys(answer_entity_counts) e");
      for (const char* q : checks) rollup_mismatches += tx.exec(std::string("SELECT count(*) FROM ") + q + " x")[0][0].as<std::size_t>();
    }
    std::printf("aggregates: %zu mismatches against SQL over the rows\n", rollup_mismatches);
    const auto v = lp::audit::verify(cx, {});
    std::printf("rows %zu, distinct %zu, chain %s (%llu records checked)\n", rows, distinct, v.ok() ? "ok" : "BROKEN",
                static_cast<unsigned long long>(v.records));
    for (std::size_t k = 0; k < v.problems.size() && k < 5; ++k) {
      std::printf("  %s: %s\n", v.problems[k].kind.c_str(), v.problems[k].detail.c_str());
    }
    if (check && (rows != n || distinct != n || !v.ok() || v.records != n || rollup_mismatches != 0)) status = 1;
  } catch (const std::exception& e) {
    std::cerr << "audit_bench: " << e.what() << "\n";
    status = 1;
  }
  try {
    pqxx::connection cx(admin);
    pqxx::nontransaction nt(cx);
    nt.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  } catch (const std::exception&) {
  }
  return status;
}
