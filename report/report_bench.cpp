// Report generation at scale: writes a quarter of generated decision records through the audit
// writer (so the aggregates are exactly the ones the gateway maintains), then times the report
// from the aggregates in every format. With --check it compares the report's figures with SQL
// over the records.
//
//   report_bench ADMIN_URL --policy FILE [--records N] [--users U] [--quarter 2026-Q3]
//                [--database NAME] [--reuse] [--keep] [--check] [--out DIR] [--pdf]
//
// ADMIN_URL is a PostgreSQL URL whose user may create databases. --database names the database
// (default: a throwaway one, dropped at the end unless --keep); --reuse skips generation and
// times the report on an existing database. --out DIR also writes report.{md,html,csv} there
// (and report.pdf with --pdf): the example report in docs/ is made so.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "audit/writer.h"
#include "core/digest.h"
#include "core/request_id.h"
#include "db/migrate.h"
#include "policy/policy.h"
#include "report/build.h"
#include "report/model.h"
#include "report/render.h"

using namespace std::chrono;

namespace {

// Deterministic per record: the same N gives the same data.
struct rng {
  std::uint64_t s;
  explicit rng(std::uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 0x1234567) {}
  std::uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
};

struct staff {
  std::string ref, department;
  bool trained;
};

// Departments of the example policy with their share of staff; IT is tiny on purpose (its
// figures must be suppressed), the HR office small.
const std::vector<std::pair<std::string, double>> department_shares = {
    {"sozialamt", 0.26}, {"jugendamt", 0.16}, {"bauamt", 0.13}, {"ordnungsamt", 0.17},
    {"strassenverkehrsamt", 0.12}, {"personalamt", 0.07}, {"kaemmerei", 0.0885}, {"it", 0.0015}};

std::vector<staff> make_staff(std::size_t users, const std::string& period) {
  std::vector<staff> out;
  for (const auto& [dept, share] : department_shares) {
    const std::size_t n = std::max<std::size_t>(dept == "it" ? 3 : 1, static_cast<std::size_t>(std::lround(share * users)));
    for (std::size_t i = 0; i < n; ++i) {
      const std::string id = dept + "-" + std::to_string(i);
      out.push_back({period + ":" + lp::sha256_hex("bench-staff/" + id).substr(0, 16), dept, (i % 9) != 4});
    }
  }
  return out;
}

lp::audit::record generate(std::size_t i, std::size_t n, const std::vector<staff>& people, system_clock::time_point from,
                           system_clock::duration span) {
  using lp::audit::outcome;
  rng g(i + 1);
  lp::audit::record r;
  r.record_id = lp::new_request_id();
  r.request_id = "gen-" + std::to_string(i);
  r.ts = from + duration_cast<system_clock::duration>(span * (static_cast<double>(i) / static_cast<double>(n)));
  r.endpoint = "/v1/chat/completions";
  r.upstream = "mock";
  r.policy_version = "bench";
  r.policy_digest = "bench";
  r.latency_ms = 40 + 400 * g.uniform();
  if (g.uniform() < 0.001) {  // a client with a wrong key
    r.decision = outcome::blocked;
    r.status = 401;
    r.error_code = "invalid_api_key";
    return r;
  }
  // Staff activity is skewed: a few use it a lot, many now and then.
  const auto& who = people[static_cast<std::size_t>(std::pow(g.uniform(), 1.6) * people.size()) % people.size()];
  r.user_ref = who.ref;
  r.department = who.department;
  r.role = "staff";
  r.trained = who.trained;
  const double m = g.uniform();
  if (who.department == "it") r.model = m < 0.5 ? "gpt-4o-mini" : m < 0.8 ? "gpt-4o" : "gpt-4.1";
  else r.model = m < 0.78 ? "gpt-4o-mini" : m < 0.95 ? "llama-intern" : "text-embedding-3-small";
  const double p = g.uniform();
  r.purpose = p < 0.45 ? "vermerk" : p < 0.70 ? "buergerbrief" : p < 0.80 ? "bescheid-entwurf" : p < 0.95 ? "recherche" : "";
  r.status = 200;
  auto blocked = [&](const char* rule) {
    r.decision = outcome::blocked;
    r.rule_ids = {rule};
    r.status = 403;
    r.error_code = "policy_denied";
  };
  const double x = g.uniform();
  if (!who.trained) {
    blocked("ai-literacy-training-required");
  } else if (x < 0.015) {
    blocked("no-credentials");
    r.entity_counts = {{"SECRET", 1}};
  } else if (x < 0.018) {
    blocked("no-prompt-injection");
  } else if (x < 0.0195) {
    blocked("prohibited-practices");
  } else if (r.purpose == "bescheid-entwurf" && x < 0.06) {
    blocked("decision-drafts-need-review");  // sent without confirming human review
  } else if (x < 0.07) {
    r.decision = outcome::error;
    r.status = 502;
    r.error_code = "upstream_error";
  } else {
    r.rule_ids = {r.department == "it" && r.model != "gpt-4o-mini" ? "allow-large-model-it" : "allow-general-assistant"};
    if (r.model.rfind("gpt-4o", 0) == 0) r.rule_ids.push_back("cloud-service-notice");
    if (r.purpose == "bescheid-entwurf") {
      r.acknowledged = true;
      r.rule_ids.push_back("decision-drafts-need-review");
    }
    r.decision = outcome::allowed;
    const double e = g.uniform();
    if (e < 0.30) {
      r.decision = outcome::redacted;
      r.entity_counts.push_back({"PERSON", 1 + static_cast<std::uint32_t>(g.next() % 3)});
      if (e < 0.12) r.entity_counts.push_back({"EMAIL", 1});
      if (e < 0.06) r.entity_counts.push_back({"IBAN", 1});
      if (e < 0.04) r.entity_counts.push_back({"DATE_OF_BIRTH", 1});
      if (e < 0.02) r.entity_counts.push_back({"ADDRESS", 1});
    }
    if (e > 0.995 && (r.department == "sozialamt" || r.department == "jugendamt")) {
      r.entity_counts.push_back({"HEALTH", 1});
      r.routed_to = "llama-intern";
      r.model = "llama-intern";
      r.rule_ids = {"route-health-data-to-internal", "allow-general-assistant"};
    }
    if (g.uniform() < 0.05) r.answer_entity_counts = {{"PERSON", 1}};
    r.prompt_tokens = 150 + static_cast<std::int64_t>(g.next() % 1400);
    r.completion_tokens = 80 + static_cast<std::int64_t>(g.next() % 700);
    r.total_tokens = r.prompt_tokens + r.completion_tokens;
    r.upstream_ms = r.latency_ms - 5;
  }
  return r;
}

double seconds_since(steady_clock::time_point t0) { return duration<double>(steady_clock::now() - t0).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: report_bench ADMIN_URL --policy FILE [--records N] [--users U] [--quarter Q] [--database NAME] "
                 "[--reuse] [--keep] [--check] [--out DIR] [--pdf]\n";
    return 2;
  }
  const std::string admin = argv[1];
  std::size_t n = 1000000, users = 2000;
  std::string quarter = "2026-Q3", policy_file, dbname, out_dir;
  bool reuse = false, keep = false, check = false, pdf = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--records") n = std::stoul(value());
    else if (a == "--users") users = std::stoul(value());
    else if (a == "--quarter") quarter = value();
    else if (a == "--policy") policy_file = value();
    else if (a == "--database") dbname = value();
    else if (a == "--out") out_dir = value();
    else if (a == "--reuse") reuse = true;
    else if (a == "--keep") keep = true;
    else if (a == "--check") check = true;
    else if (a == "--pdf") pdf = true;
    else return std::cerr << "report_bench: unknown option " << a << "\n", 2;
  }
  const auto range = lp::report::quarter(quarter);
  std::vector<lp::yaml::diagnostic> diags;
  const auto pol = policy_file.empty() ? nullptr : lp::policy::load_file(policy_file, diags);
  if (!range || !pol) {
    for (const auto& d : diags) std::cerr << d.format() << "\n";
    std::cerr << "report_bench: needs --policy FILE (a valid policy) and a quarter like 2026-Q3\n";
    return 2;
  }
  const bool throwaway = dbname.empty();
  if (throwaway) dbname = "lp_report_bench_" + lp::new_request_id().substr(0, 8);
  const std::string url = lp::db::with_database(admin, dbname);
  int status = 0;
  try {
    if (!reuse) {
      {
        pqxx::connection cx(admin);
        pqxx::nontransaction nt(cx);
        nt.exec("DROP DATABASE IF EXISTS " + nt.quote_name(dbname));
        nt.exec("CREATE DATABASE " + nt.quote_name(dbname));
      }
      const auto m = lp::db::migrate(url, lp::db::embedded_migrations());
      if (!m.error.empty()) throw std::runtime_error(m.error);
      const std::string period = quarter.substr(0, 4) + quarter.substr(5);  // "2026Q3": the pseudonym period
      const auto people = make_staff(users, period);
      const auto from = system_clock::time_point(sys_days(year_month_day(year(std::stoi(range->from.substr(0, 4))),
                                                                        month(std::stoul(range->from.substr(5, 2))), day(1))));
      const auto to = system_clock::time_point(sys_days(year_month_day(year(std::stoi(range->to.substr(0, 4))),
                                                                      month(std::stoul(range->to.substr(5, 2))), day(1))));
      lp::audit::writer_settings ws;
      ws.batch_max = 5000;
      ws.queue_max = 400000;
      lp::audit::writer w(url, "bench", ws);
      w.start();
      while (!w.healthy()) std::this_thread::sleep_for(milliseconds(10));
      w.note_policy("default", pol->digest, pol->version, pol->source, "[]", pol->departments);
      const auto t0 = steady_clock::now();
      std::atomic<std::size_t> next{0};
      std::vector<std::thread> pool;
      for (int t = 0; t < 2; ++t) {
        pool.emplace_back([&] {
          for (std::size_t i; (i = next.fetch_add(1)) < n;) {
            auto r = generate(i, n, people, from, to - from);
            while (!w.submit(std::move(r))) {
              std::this_thread::sleep_for(milliseconds(1));
              r = generate(i, n, people, from, to - from);
            }
          }
        });
      }
      for (auto& t : pool) t.join();
      while (w.written() < n) std::this_thread::sleep_for(milliseconds(20));
      w.stop(seconds(60));
      std::printf("generated %zu records of %zu staff through the audit writer in %.1f s\n", n, people.size(), seconds_since(t0));
      pqxx::connection cx(url);
      pqxx::work tx(cx);
      // The policy was in force from the start of the quarter (the writer records it as now).
      tx.exec_params("UPDATE policy_versions SET first_loaded = $1::date", range->from);
      tx.commit();
    }

    pqxx::connection cx(url);
    {
      pqxx::read_transaction tx(cx);
      std::printf("database %s: %s decision records, %s usage_daily rows, %s active_users rows\n", dbname.c_str(),
                  tx.exec("SELECT count(*) FROM decisions")[0][0].c_str(), tx.exec("SELECT count(*) FROM usage_daily")[0][0].c_str(),
                  tx.exec("SELECT count(*) FROM active_users")[0][0].c_str());
    }
    lp::report::options o;
    o.generated_at = "2026-10-05 09:00 UTC";
    o.fallback_policy = pol;
    const auto t0 = steady_clock::now();
    const auto cur = lp::report::load(cx, "default", *range);
    const auto prev = lp::report::load_totals(cx, "default", lp::report::previous(*range));
    const double t_load = seconds_since(t0);
    const auto t1 = steady_clock::now();
    const auto doc = lp::report::build(cur, prev, o);
    const double t_build = seconds_since(t1);
    const auto t2 = steady_clock::now();
    const std::string md = lp::report::to_markdown(doc), html = lp::report::to_html(doc), csv = lp::report::to_csv(doc);
    const double t_render = seconds_since(t2);
    std::printf("report %s: load %.3f s (%zu usage rows, %zu people rows), build %.3f s, render md+html+csv %.3f s, total %.3f s; "
                "%zu primary, %zu complementary suppressions\n",
                quarter.c_str(), t_load, cur.usage.size(), cur.people.size(), t_build, t_render, seconds_since(t0),
                doc.figures.count(lp::report::status::suppressed), doc.figures.count(lp::report::status::complementary));
    if (!out_dir.empty()) {
      for (const auto& [ext, data] : {std::pair{"md", &md}, std::pair{"html", &html}, std::pair{"csv", &csv}}) {
        std::ofstream(out_dir + "/report." + ext, std::ios::binary) << *data;
      }
      if (pdf) {
        const auto t3 = steady_clock::now();
        std::string err;
        if (!lp::report::html_to_pdf(html, out_dir + "/report.pdf", err)) throw std::runtime_error(err);
        std::printf("pdf: %.2f s\n", seconds_since(t3));
      }
    }
    if (check) {
      // Independent figures from the records: requests per department, and distinct staff.
      pqxx::read_transaction tx(cx);
      std::size_t mismatches = 0;
      for (const auto& row : tx.exec_params("SELECT department, count(*), count(DISTINCT user_ref) FROM decisions WHERE ts >= $1::date "
                                            "AND ts < $2::date AND department IS NOT NULL AND department <> '' GROUP BY 1",
                                            range->from, range->to)) {
        const std::string d = row[0].as<std::string>();
        const auto* c = doc.figures.find("requests|d=" + d);
        const auto* u = doc.figures.find("users|d=" + d);
        const double sql_n = row[1].as<double>(), sql_u = row[2].as<double>();
        if (!c || c->value != sql_n || !u || u->value != sql_u) {
          ++mismatches;
          std::printf("mismatch %s: report %.0f requests / %.0f staff, SQL %.0f / %.0f\n", d.c_str(), c ? c->value : -1, u ? u->value : -1,
                      sql_n, sql_u);
        }
        if (sql_u < doc.k && u && u->st == lp::report::status::shown) {
          ++mismatches;
          std::printf("department %s has %.0f staff but its figure is shown\n", d.c_str(), sql_u);
        }
      }
      std::printf("check: %zu mismatches against SQL over the records\n", mismatches);
      if (mismatches) status = 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "report_bench: " << e.what() << "\n";
    status = 1;
  }
  if (throwaway && !keep && !reuse) {
    try {
      pqxx::connection cx(admin);
      pqxx::nontransaction nt(cx);
      nt.exec("DROP DATABASE IF EXISTS " + nt.quote_name(dbname));
    } catch (const std::exception&) {
    }
  }
  return status;
}
