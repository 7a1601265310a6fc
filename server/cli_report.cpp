// `leitplanke report` and `leitplanke register`: the quarterly report (committee, public, DPO)
// and the AI register export, from the report aggregates of the decision log.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include <pqxx/pqxx>

#include "config/config.h"
#include "policy/policy.h"
#include "report/build.h"
#include "report/model.h"
#include "report/register.h"
#include "report/render.h"
#include "server/cli_common.h"

namespace lp::cli {

namespace {

constexpr const char* report_usage = R"(Usage:
  leitplanke report (--quarter YYYY-QN | --from YYYY-MM-DD --to YYYY-MM-DD) --format md|html|pdf|csv
                    --out FILE [--audience committee|public|dpo] [--lang de|en] [--tenant NAME]
                    [--min-group N] [--policy FILE] [--database-url URL | --config FILE]
  leitplanke register --format json|html --out FILE [--quarter YYYY-QN] [--lang de|en]
                    [--tenant NAME] [--policy FILE] [--database-url URL | --config FILE]

report writes the report on the use of AI for the period (UTC days; --to inclusive), structured
along the council's 13 questions: usage by department, service and month, active staff,
decisions and the rules behind them, personal data caught, human review, training, cost and
budgets, estimated energy, security events, re-identifications, the audit chain, the policy in
words, and marked places for what people must write. It reads only the aggregates the gateway
keeps (never prompt texts). No figure rests on fewer than min_group_size people (the policy's
`reporting`; --min-group may only raise it); further figures are hidden so that hidden ones
cannot be computed from totals; counts are rounded (reporting.rounding).
  --audience  committee (default: by department), public (organisation-wide figures only),
              dpo (as committee, addressed to the data protection officer)
  --format    md, html (self-contained, SVG charts), pdf (the HTML printed by WeasyPrint:
              title page, contents with page numbers, page numbers), csv (every figure with its
              suppression status; docs/reports.md)
  --policy    the policy when the database holds no version of it (default: the config's)

register writes the AI register: one entry per use case and per AI service of the policy, with
the fields of the established public registers, and request volumes of the quarter (default:
the last complete one) when a database is given.

Exit status: 0 written, 1 the report could not be made (database, policy, PDF engine), 2 usage.
)";

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

bool write_file(const std::string& path, const std::string& data) {
  if (path == "-") {
    std::cout << data;
    return bool(std::cout);
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
  f.close();
  return bool(f);
}

// Whose report, and the policy when the database holds no version of it, from one reading of
// the config: the tenant is --tenant, else the config's default tenant, else "default"; the
// fallback policy is --policy, else that tenant's policy file in the config (null without
// either). Policy errors are printed and set `failed`.
struct report_inputs {
  std::string tenant = "default";
  policy::snapshot_ptr fallback_policy;
  bool failed = false;
};

report_inputs read_inputs(const args& a) {
  report_inputs in;
  std::optional<config::config> cfg;
  if (a.opts.count("config")) {
    std::vector<yaml::diagnostic> diags;
    cfg = config::load(a.opts.at("config"), config::need::database, diags);
  }
  if (a.opts.count("tenant")) in.tenant = a.opts.at("tenant");
  else if (cfg && !cfg->tenants.empty()) in.tenant = cfg->tenants.front().name;
  std::string file;
  if (a.opts.count("policy")) {
    file = a.opts.at("policy");
  } else if (cfg) {
    for (const auto& t : cfg->tenants) {
      if (t.name == in.tenant) file = t.policy_file;
    }
  }
  if (file.empty()) return in;
  yaml::checker c(file);
  std::string text;
  if (yaml::read_file(file, text, c)) in.fallback_policy = policy::parse(text, c, false);  // reports never evaluate requests
  if (!in.fallback_policy) {
    for (const auto& d : c.diagnostics()) std::cerr << d.format() << "\n";
    in.failed = true;
  }
  return in;
}

std::optional<report::period> period_of(const args& a, std::string& error) {
  const bool q = a.opts.count("quarter"), from = a.opts.count("from"), to = a.opts.count("to");
  if (q && (from || to)) return error = "give --quarter or --from/--to, not both", std::nullopt;
  if (q) {
    auto p = report::quarter(a.opts.at("quarter"));
    if (!p) error = "--quarter must look like 2026-Q3";
    return p;
  }
  if (from != to) return error = "--from and --to go together", std::nullopt;
  if (!from) return std::nullopt;
  auto p = report::days(a.opts.at("from"), a.opts.at("to"));
  if (!p) error = "--from and --to must be dates YYYY-MM-DD, --from not after --to";
  return p;
}


int cmd_report(int argc, char** argv) {
  args a;
  std::string err;
  if (!parse_args(argc, argv, 2,
                  {"quarter", "from", "to", "format", "out", "audience", "lang", "tenant", "min-group", "policy", "database-url", "config"}, {},
                  a, err)) {
    return usage_error(err, report_usage);
  }
  if (a.help) return std::cout << report_usage, 0;
  if (!a.positional.empty()) return usage_error("unexpected argument '" + a.positional[0] + "'", report_usage);
  const auto range = period_of(a, err);
  if (!err.empty()) return usage_error(err, report_usage);
  if (!range) return usage_error("the period is missing (--quarter or --from/--to)", report_usage);
  const std::string format = a.opts.count("format") ? a.opts["format"] : "";
  if (format != "md" && format != "html" && format != "pdf" && format != "csv") return usage_error("--format must be md, html, pdf or csv", report_usage);
  if (!a.opts.count("out")) return usage_error("--out FILE is missing ('-' for standard output)", report_usage);
  if (format == "pdf" && a.opts["out"] == "-") return usage_error("a PDF needs a file (--out)", report_usage);
  report::options o;
  const std::string aud = a.opts.count("audience") ? a.opts["audience"] : "committee";
  if (aud == "committee") o.aud = report::audience::committee;
  else if (aud == "public") o.aud = report::audience::pub;
  else if (aud == "dpo") o.aud = report::audience::dpo;
  else return usage_error("--audience must be committee, public or dpo", report_usage);
  const std::string lang = a.opts.count("lang") ? a.opts["lang"] : "de";
  if (lang != "de" && lang != "en") return usage_error("--lang must be de or en", report_usage);
  o.lang = lang == "en" ? language::en : language::de;
  if (a.opts.count("min-group")) {
    try {
      const long k = std::stol(a.opts["min-group"]);
      if (k < 2 || k > 1000) throw std::out_of_range("k");
      o.min_group = static_cast<unsigned>(k);
    } catch (const std::exception&) {
      return usage_error("--min-group must be a number from 2 to 1000", report_usage);
    }
  }
  const auto in = read_inputs(a);
  if (in.failed) return 1;
  const std::string& tenant = in.tenant;
  o.fallback_policy = in.fallback_policy;
  o.generated_at = now_utc();
  const std::string url = database_url(a);
  if (url.empty()) return 2;

  const auto t0 = std::chrono::steady_clock::now();
  report::document doc;
  try {
    pqxx::connection c(url);
    const auto cur = report::load(c, tenant, *range);
    const auto prev = report::load_totals(c, tenant, report::previous(*range));
    doc = report::build(cur, prev, o);
  } catch (const pqxx::broken_connection& e) {
    std::cerr << "leitplanke: cannot reach the database: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "leitplanke: report failed: " << e.what() << "\n";
    return 1;
  }
  for (const auto& w : doc.warnings) std::cerr << "leitplanke: warning: " << w << "\n";
  const std::string& out = a.opts["out"];
  bool ok = true;
  if (format == "pdf") {
    if (!report::html_to_pdf(report::to_html(doc), out, err)) {
      std::cerr << "leitplanke: " << err << "\n";
      return 1;
    }
  } else {
    ok = write_file(out, format == "md" ? report::to_markdown(doc) : format == "html" ? report::to_html(doc) : report::to_csv(doc));
  }
  if (!ok) {
    std::cerr << "leitplanke: cannot write " << out << "\n";
    return 1;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "report %s (%s, tenant %s): %zu hidden (%zu primary, %zu complementary), written to %s in %lld ms\n",
               range->label.c_str(), aud.c_str(), tenant.c_str(),
               doc.figures.count(report::status::suppressed) + doc.figures.count(report::status::complementary),
               doc.figures.count(report::status::suppressed), doc.figures.count(report::status::complementary), out.c_str(),
               static_cast<long long>(ms));
  return 0;
}

int cmd_register(int argc, char** argv) {
  args a;
  std::string err;
  if (!parse_args(argc, argv, 2, {"format", "out", "quarter", "lang", "tenant", "policy", "database-url", "config"}, {}, a, err)) {
    return usage_error(err, report_usage);
  }
  if (a.help) return std::cout << report_usage, 0;
  const std::string format = a.opts.count("format") ? a.opts["format"] : "";
  if (format != "json" && format != "html") return usage_error("--format must be json or html", report_usage);
  if (!a.opts.count("out")) return usage_error("--out FILE is missing ('-' for standard output)", report_usage);
  const std::string lang = a.opts.count("lang") ? a.opts["lang"] : "de";
  if (lang != "de" && lang != "en") return usage_error("--lang must be de or en", report_usage);
  // Default: the last complete quarter.
  report::period range = report::previous(report::quarter_containing(std::chrono::system_clock::now()));
  if (a.opts.count("quarter")) {
    const auto q = report::quarter(a.opts["quarter"]);
    if (!q) return usage_error("--quarter must look like 2026-Q3", report_usage);
    range = *q;
  }
  const auto in = read_inputs(a);
  if (in.failed) return 1;
  const std::string& tenant = in.tenant;
  report::options o;
  o.lang = lang == "en" ? language::en : language::de;
  o.generated_at = now_utc();
  o.fallback_policy = in.fallback_policy;
  std::vector<report::register_entry_out> entries;
  try {
    const bool with_db = a.opts.count("database-url") || a.opts.count("config") || std::getenv("LEITPLANKE_DATABASE_URL");
    if (with_db) {
      const std::string url = database_url(a);
      if (url.empty()) return 2;
      pqxx::connection c(url);
      const auto cur = report::load(c, tenant, range);
      const auto prev = report::load_totals(c, tenant, report::previous(range));
      const auto doc = report::build(cur, prev, o);
      const auto pol = !cur.versions.empty() && cur.versions.back().policy ? cur.versions.back().policy : o.fallback_policy;
      entries = report::register_entries(*pol, &doc, o.lang, o.generated_at.substr(0, 10));
    } else {
      if (!o.fallback_policy) return usage_error("register needs --policy, --config or a database", report_usage);
      entries = report::register_entries(*o.fallback_policy, nullptr, o.lang, o.generated_at.substr(0, 10));
    }
  } catch (const std::exception& e) {
    std::cerr << "leitplanke: register failed: " << e.what() << "\n";
    return 1;
  }
  const std::string data = format == "json" ? report::register_json(entries) : report::register_html(entries, o.lang);
  if (!write_file(a.opts["out"], data)) {
    std::cerr << "leitplanke: cannot write " << a.opts["out"] << "\n";
    return 1;
  }
  std::fprintf(stderr, "register: %zu entries written to %s\n", entries.size(), a.opts["out"].c_str());
  return 0;
}

}  // namespace

int cmd_report_or_register(int argc, char** argv) {
  return std::string(argv[1]) == "register" ? cmd_register(argc, argv) : cmd_report(argc, argv);
}

}  // namespace lp::cli
