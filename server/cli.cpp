#include "server/cli.h"

#include <boost/json.hpp>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "db/keys.h"
#include "db/migrate.h"
#include "policy/policy.h"
#include "policy/testing.h"
#include "redact/apply.h"
#include "redact/detector.h"
#include "server/cli_common.h"
#include "server/gateway.h"

namespace lp {

using cli::args;
using cli::database_url;
using cli::parse_args;
using cli::usage_error;

namespace {

constexpr const char* main_usage = R"(leitplanke - governance gateway for AI services

Usage: leitplanke <command> [options]

Commands:
  serve          run the gateway (OpenAI-compatible proxy)
  migrate        apply database migrations
  keys           create, list and revoke API keys
  redact         redact personal data from text on stdin
  policy check   validate a policy file
  audit          verify the decision log's hash chain; create a signing key
  report         quarterly report on AI use (committee, public, DPO): md, html, pdf, csv
  register       the AI register (use cases and services): json, html

Run 'leitplanke <command> --help' for the options of a command.
)";

constexpr const char* serve_usage = R"(Usage: leitplanke serve --config FILE

Runs the gateway. FILE is the YAML configuration (see deploy/leitplanke.yaml).
Environment: LEITPLANKE_DATABASE_URL and LEITPLANKE_LISTEN override the file;
LEITPLANKE_PSEUDONYM_KEY sets the pseudonymisation key (else pseudonym_key_file).
SIGTERM/SIGINT drain in-flight requests and flush the audit log before exiting.
)";

constexpr const char* migrate_usage = R"(Usage: leitplanke migrate [--database-url URL | --config FILE]

Applies the embedded SQL migrations that the database does not have yet, each in its own
transaction, and records them with a checksum. Refuses if an applied migration was changed.
The database comes from --database-url, else LEITPLANKE_DATABASE_URL, else the config file.
)";

constexpr const char* keys_usage = R"(Usage:
  leitplanke keys create --user ID --department DEPT [--role staff|dpo|admin|council]
                         [--trained-until YYYY-MM-DD] [--tenant NAME] [DB]
  leitplanke keys list [DB]
  leitplanke keys revoke KEY_ID [DB]
  leitplanke keys training KEY_ID YYYY-MM-DD|none [DB]

create prints the new key once on stdout; only its hash is stored.
list never shows keys. revoke takes effect in the gateway within keys_refresh_ms.
training records until when the holder's AI-literacy training (Art. 4 AI Act) is valid;
policies can refuse requests without it (condition `training: missing`).
--tenant: the administration the key belongs to (config `tenant`/`tenants`; default "default").
DB: --database-url URL or --config FILE (else LEITPLANKE_DATABASE_URL).
)";

constexpr const char* redact_usage = R"(Usage: leitplanke redact [--jsonl] [--policy FILE]

Reads text on stdin and writes it with personal data masked ([PERSON], [IBAN], ... for the 18
entity types of docs/redaction.md) to stdout.
--jsonl   each input line is {"id": ..., "text": ...}; each output line is
          {"id": ..., "text": <redacted>, "entities": [{"type", "start", "end", "score"}]}
          with start/end as UTF-8 byte offsets into the input text (end exclusive). Lines that
          are not such objects are reported on stderr with their number (exit code 1).
--policy  use the policy's redaction operators instead of masking every entity type.
)";

constexpr const char* policy_usage = R"(Usage:
  leitplanke policy check FILE [--config FILE]
  leitplanke policy test PATH
  leitplanke policy explain FILE < request.json

check    validates a policy file. Exit 0 when valid; otherwise prints every problem as
         FILE:LINE:COL: message and exits 1. With --config, rules that name models the
         configuration does not route are reported too.
test     runs the test cases in a YAML file (or every *.yaml below a directory): request
         facts -> expected effect and determining rules. Exit 0 when all pass, 1 otherwise.
explain  prints the decision and the reasoning, rule by rule, for the request facts given
         as JSON on stdin: {"department": "...", "role": "staff", "model": "...",
         "purpose": "...", "acknowledged": false, "trained": true, "detected": ["IBAN"],
         "at": "2026-11-26 08:30" (local time; default a Monday 12:00),
         "text": "scanned by the detector and the content patterns"}
)";

int cmd_migrate(int argc, char** argv) {
  args a;
  std::string err;
  if (!parse_args(argc, argv, 2, {"database-url", "config"}, {}, a, err)) return usage_error(err, migrate_usage);
  if (a.help) return std::cout << migrate_usage, 0;
  if (!a.positional.empty()) return usage_error("unexpected argument " + a.positional[0], migrate_usage);
  const std::string url = database_url(a);
  if (url.empty()) return 1;
  const auto r = db::migrate(url, db::embedded_migrations());
  if (!r.error.empty()) {
    std::cerr << "leitplanke migrate: " << r.error << "\n";
    return 1;
  }
  std::cout << "migrations: " << r.applied << " applied, " << r.already << " already present\n";
  return 0;
}

int cmd_keys(int argc, char** argv) {
  if (argc < 3) return usage_error("keys needs a subcommand (create, list, revoke)", keys_usage);
  const std::string sub = argv[2];
  if (sub == "--help" || sub == "-h") return std::cout << keys_usage, 0;
  args a;
  std::string err;
  if (!parse_args(argc, argv, 3, {"database-url", "config", "user", "department", "role", "trained-until", "tenant"}, {}, a,
                  err)) {
    return usage_error(err, keys_usage);
  }
  if (a.help) return std::cout << keys_usage, 0;
  if (sub == "create") {
    if (!a.positional.empty()) return usage_error("unexpected argument " + a.positional[0], keys_usage);
    const auto user = a.opts["user"], dept = a.opts["department"];
    const std::string role = a.opts.count("role") ? a.opts["role"] : "staff";
    if (user.empty()) return usage_error("keys create needs --user ID", keys_usage);
    if (dept.empty()) return usage_error("keys create needs --department DEPT", keys_usage);
    if (!db::valid_role(role)) return usage_error("--role must be staff, dpo, admin or council", keys_usage);
    const std::string trained = a.opts.count("trained-until") ? a.opts["trained-until"] : "";
    if (!trained.empty() && !db::valid_date(trained)) {
      return usage_error("--trained-until must be a date YYYY-MM-DD", keys_usage);
    }
    const std::string tenant = a.opts.count("tenant") ? a.opts["tenant"] : "default";
    if (!db::valid_tenant(tenant)) return usage_error("--tenant must be 1-64 characters of a-z 0-9 . _ -", keys_usage);
    const std::string url = database_url(a);
    if (url.empty()) return 1;
    try {
      const auto k = db::create_key(url, user, dept, role, trained, tenant);
      std::cout << k.key << "\n";
      std::cerr << "created key " << k.key_id << " for " << dept << " (" << role
                << (tenant == "default" ? std::string() : ", tenant " + tenant) << "); it is shown only this once\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "leitplanke keys: " << e.what() << "\n";
      return 1;
    }
  }
  if (sub == "list") {
    if (!a.positional.empty()) return usage_error("unexpected argument " + a.positional[0], keys_usage);
    const std::string url = database_url(a);
    if (url.empty()) return 1;
    try {
      std::printf("%-12s  %-20s  %-16s  %-6s  %-20s  %-10s  %-20s  %s\n", "KEY_ID", "USER", "DEPARTMENT", "ROLE",
                  "CREATED", "TRAINED", "REVOKED", "TENANT");
      for (const auto& k : db::list_keys(url)) {
        std::printf("%-12s  %-20s  %-16s  %-6s  %-20s  %-10s  %-20s  %s\n", k.key_id.c_str(), k.user_id.c_str(),
                    k.department.c_str(), k.role.c_str(), k.created_at.c_str(),
                    k.trained_until.empty() ? "-" : k.trained_until.c_str(),
                    k.revoked_at.empty() ? "-" : k.revoked_at.c_str(), k.tenant.c_str());
      }
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "leitplanke keys: " << e.what() << "\n";
      return 1;
    }
  }
  if (sub == "revoke") {
    if (a.positional.size() != 1) return usage_error("keys revoke needs exactly one KEY_ID", keys_usage);
    const std::string url = database_url(a);
    if (url.empty()) return 1;
    try {
      if (!db::revoke_key(url, a.positional[0])) {
        std::cerr << "leitplanke keys: no active key with id " << a.positional[0] << "\n";
        return 1;
      }
      std::cerr << "revoked key " << a.positional[0] << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "leitplanke keys: " << e.what() << "\n";
      return 1;
    }
  }
  if (sub == "training") {
    if (a.positional.size() != 2) return usage_error("keys training needs KEY_ID and YYYY-MM-DD (or none)", keys_usage);
    std::string date = a.positional[1] == "none" ? "" : a.positional[1];
    if (!date.empty() && !db::valid_date(date)) return usage_error("the date must be YYYY-MM-DD or none", keys_usage);
    const std::string url = database_url(a);
    if (url.empty()) return 1;
    try {
      if (!db::set_training(url, a.positional[0], date)) {
        std::cerr << "leitplanke keys: no key with id " << a.positional[0] << "\n";
        return 1;
      }
      std::cerr << "training of key " << a.positional[0] << (date.empty() ? " cleared" : " valid until " + date) << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "leitplanke keys: " << e.what() << "\n";
      return 1;
    }
  }
  return usage_error("unknown keys subcommand '" + sub + "'", keys_usage);
}

int cmd_redact(int argc, char** argv) {
  args a;
  std::string err;
  if (!parse_args(argc, argv, 2, {"policy"}, {"jsonl"}, a, err)) return usage_error(err, redact_usage);
  if (a.help) return std::cout << redact_usage, 0;
  if (!a.positional.empty()) return usage_error("unexpected argument " + a.positional[0], redact_usage);
  redact::operator_table ops;
  ops.fill(redact::operator_kind::mask);
  if (auto it = a.opts.find("policy"); it != a.opts.end()) {
    std::vector<yaml::diagnostic> diags;
    auto p = policy::load_file(it->second, diags);
    if (!p) {
      for (const auto& d : diags) std::cerr << d.format() << "\n";
      return 1;
    }
    ops = p->redaction;
  }
  auto det = redact::detector::create();
  std::vector<redact::entity> found;
  std::ios::sync_with_stdio(false);
  if (!a.opts.count("jsonl")) {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    det->scan(text, found);
    redact::pseudonym_map pseudonyms;
    std::cout << redact::apply(text, found, ops, pseudonyms);
    return 0;
  }
  namespace json = boost::json;
  std::string line;
  long lineno = 0;
  int rc = 0;
  while (std::getline(std::cin, line)) {
    ++lineno;
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    const json::value* text = o ? o->if_contains("text") : nullptr;
    if (ec) {
      std::cerr << "stdin:" << lineno << ": not valid JSON (" << ec.message() << ")\n";
      rc = 1;
      continue;
    }
    if (!text || !text->is_string()) {
      std::cerr << "stdin:" << lineno << ": expected a JSON object with a string field \"text\"\n";
      rc = 1;
      continue;
    }
    const std::string_view t = text->get_string();
    found.clear();
    det->scan(t, found);
    redact::pseudonym_map pseudonyms;  // per input line, like per request
    const std::string redacted = redact::apply(t, found, ops, pseudonyms);
    // Written by hand to keep scores readable (0.95, not 9.5E-1).
    std::string line_out = "{\"id\":";
    line_out += json::serialize(o->contains("id") ? o->at("id") : json::value(nullptr));
    line_out += ",\"text\":";
    line_out += json::serialize(json::value(json::string_view(redacted)));
    line_out += ",\"entities\":[";
    for (std::size_t i = 0; i < found.size(); ++i) {
      const auto& e = found[i];
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s{\"type\":\"%s\",\"start\":%zu,\"end\":%zu,\"score\":%.2f}", i ? "," : "",
                    std::string(redact::to_string(e.type)).c_str(), e.start, e.end, static_cast<double>(e.score));
      line_out += buf;
    }
    line_out += "]}\n";
    std::cout << line_out;
  }
  return rc;
}

int cmd_policy(int argc, char** argv) {
  if (argc < 3) return usage_error("policy needs a subcommand (check)", policy_usage);
  const std::string sub = argv[2];
  if (sub == "--help" || sub == "-h") return std::cout << policy_usage, 0;
  if (sub != "check" && sub != "test" && sub != "explain") {
    return usage_error("unknown policy subcommand '" + sub + "'", policy_usage);
  }
  args a;
  std::string err;
  if (!parse_args(argc, argv, 3, {"config"}, {}, a, err)) return usage_error(err, policy_usage);
  if (a.help) return std::cout << policy_usage, 0;
  if (sub == "test") {
    if (a.positional.size() != 1) return usage_error("policy test needs exactly one PATH", policy_usage);
    auto det = redact::detector::create();
    const auto sum = policy::run_tests(a.positional[0], *det, std::cout, std::cerr);
    std::cout << sum.passed << " passed, " << sum.failed << " failed";
    if (sum.errors) std::cout << ", " << sum.errors << " errors in test files";
    std::cout << "\n";
    return sum.failed == 0 && sum.errors == 0 && sum.passed > 0 ? 0 : 1;
  }
  if (sub == "explain") {
    if (a.positional.size() != 1) return usage_error("policy explain needs exactly one policy FILE", policy_usage);
    std::vector<yaml::diagnostic> diags;
    auto p = policy::load_file(a.positional[0], diags);
    if (!p) {
      for (const auto& d : diags) std::cerr << d.format() << "\n";
      return 1;
    }
    std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    boost::system::error_code ec;
    auto v = boost::json::parse(input, ec);
    const auto* o = ec ? nullptr : v.if_object();
    if (!o) {
      std::cerr << "leitplanke policy explain: stdin must be a JSON object with department, role, model, detected, text\n";
      return 1;
    }
    policy::facts_input f;
    auto str = [&](const char* k, std::string& out) -> bool {
      const auto* x = o->if_contains(k);
      if (!x) return true;
      if (!x->is_string()) {
        std::cerr << "leitplanke policy explain: \"" << k << "\" must be a string\n";
        return false;
      }
      out = std::string(x->get_string());
      return true;
    };
    if (!str("department", f.department) || !str("role", f.role) || !str("model", f.model) || !str("text", f.text) ||
        !str("purpose", f.purpose)) {
      return 1;
    }
    for (auto [key, flag] : {std::pair{"acknowledged", &f.acknowledged}, std::pair{"trained", &f.trained}}) {
      if (const auto* b = o->if_contains(key)) {
        if (!b->is_bool()) {
          std::cerr << "leitplanke policy explain: \"" << key << "\" must be true or false\n";
          return 1;
        }
        *flag = b->get_bool();
      }
    }
    std::string at;
    if (!str("at", at)) return 1;
    if (!at.empty() && !policy::parse_local_time(at, f.weekday, f.minute)) {
      std::cerr << "leitplanke policy explain: \"at\" must be a local date and time YYYY-MM-DD HH:MM\n";
      return 1;
    }
    for (const auto& [k, val] : *o) {
      if (k != "department" && k != "role" && k != "model" && k != "text" && k != "detected" && k != "purpose" &&
          k != "acknowledged" && k != "trained" && k != "at") {
        std::cerr << "leitplanke policy explain: unknown field \"" << std::string_view(k) << "\"\n";
        return 1;
      }
    }
    if (const auto* det = o->if_contains("detected")) {
      auto add = [&](std::string_view t, std::uint32_t n) -> bool {
        auto et = redact::entity_from_string(t);
        if (!et) {
          std::cerr << "leitplanke policy explain: unknown entity type \"" << t << "\"\n";
          return false;
        }
        f.detected[static_cast<std::size_t>(*et)] += n;
        return true;
      };
      if (const auto* arr = det->if_array()) {
        for (const auto& t : *arr) {
          if (!t.is_string() || !add(t.get_string(), 1)) return 1;
        }
      } else if (const auto* obj = det->if_object()) {
        for (const auto& [t, n] : *obj) {
          if (!n.is_int64() || n.get_int64() < 0 || !add(t, static_cast<std::uint32_t>(n.get_int64()))) return 1;
        }
      } else {
        std::cerr << "leitplanke policy explain: \"detected\" must be a list of entity types or an object of counts\n";
        return 1;
      }
    }
    auto d = redact::detector::create();
    f.prepare(*p, *d);
    policy::explain(*p, f, std::cout);
    return 0;
  }
  if (a.positional.size() != 1) return usage_error("policy check needs exactly one FILE", policy_usage);
  std::vector<yaml::diagnostic> diags;
  auto p = policy::load_file(a.positional[0], diags);
  int rc = p ? 0 : 1;
  if (p && a.opts.count("config")) {
    std::vector<yaml::diagnostic> cdiags;
    auto cfg = config::load(a.opts["config"], config::need::database, cdiags);
    if (!cfg) {
      for (const auto& d : cdiags) std::cerr << d.format() << "\n";
      return 1;
    }
    for (const auto& r : p->rules) {
      if (!r.route_to.empty() && !cfg->find_model(r.route_to)) {
        std::cerr << a.positional[0] << ": rule '" << r.id << "' routes to model '" << r.route_to << "' which "
                  << a.opts["config"] << " does not route\n";
        rc = 1;
      }
      for (const auto& m : r.models) {
        if (!cfg->find_model(m)) {
          std::cerr << a.positional[0] << ": rule '" << r.id << "' names model '" << m
                    << "' which " << a.opts["config"] << " does not route\n";
          rc = 1;
        }
      }
    }
    for (const auto& m : cfg->models) {
      bool listed = p->services.empty();
      for (const auto& sv : p->services) {
        listed = listed || std::find(sv.models.begin(), sv.models.end(), m.name) != sv.models.end();
      }
      if (!listed) {
        std::cerr << a.positional[0] << ": model '" << m.name << "' is routed by " << a.opts["config"]
                  << " but belongs to no service of the policy\n";
        rc = 1;
      }
    }
  }
  for (const auto& d : diags) std::cerr << d.format() << "\n";
  if (rc == 0) std::cout << a.positional[0] << ": OK (policy " << p->version << ", " << p->rules.size() << " rules)\n";
  return rc;
}

int cmd_serve(int argc, char** argv) {
  args a;
  std::string err;
  if (!parse_args(argc, argv, 2, {"config"}, {}, a, err)) return usage_error(err, serve_usage);
  if (a.help) return std::cout << serve_usage, 0;
  if (!a.positional.empty()) return usage_error("unexpected argument " + a.positional[0], serve_usage);
  if (!a.opts.count("config")) return usage_error("serve needs --config FILE", serve_usage);
  return serve(a.opts["config"]);
}

}  // namespace

int run_cli(int argc, char** argv) {
  if (argc < 2) return usage_error("no command given", main_usage);
  const std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") return std::cout << main_usage, 0;
  if (cmd == "--version") return std::cout << "leitplanke 0.1.0\n", 0;
  if (cmd == "serve") return cmd_serve(argc, argv);
  if (cmd == "migrate") return cmd_migrate(argc, argv);
  if (cmd == "keys") return cmd_keys(argc, argv);
  if (cmd == "redact") return cmd_redact(argc, argv);
  if (cmd == "policy") return cmd_policy(argc, argv);
  if (cmd == "audit") return cli::cmd_audit(argc, argv);
  if (cmd == "report" || cmd == "register") return cli::cmd_report_or_register(argc, argv);
  return usage_error("unknown command '" + cmd + "'", main_usage);
}

}  // namespace lp
