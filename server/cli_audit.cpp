// `leitplanke audit verify | keygen`: checks the decision log's hash chain and signed
// checkpoints; creates the Ed25519 key pair that signs checkpoints.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>

#include <pqxx/pqxx>

#include <boost/json.hpp>

#include "audit/retention.h"
#include "audit/signing.h"
#include "audit/verify.h"
#include "config/config.h"
#include "core/request_id.h"
#include "policy/policy.h"
#include "server/key_cache.h"
#include "server/cli_common.h"

namespace lp::cli {

namespace {

constexpr const char* audit_usage = R"(Usage:
  leitplanke audit verify [--from TIME] [--to TIME] [--instance NAME] [--public-key FILE[,FILE…]]
                          [--record [--actor NAME]] [DB]
  leitplanke audit keygen --out FILE
  leitplanke audit reidentify --user-ref REF --reason TEXT --approved-by NAME [--actor NAME] --config FILE
  leitplanke audit retention [--months N] [--dry-run] [--as-of YYYY-MM-DD] [--actor NAME] [DB]

verify recomputes every gateway instance's hash chain over the decision log and names the first
altered, inserted or missing record; with the public key (or the config's signing key) it also
checks the signed checkpoints, so that a chain rewritten as a whole is found too. Gaps left by
retention are accepted when a retention event records the hash at the cut.
  --from/--to   only records with ts in [FROM, TO) (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC);
                the first record of the range is taken as given
  --instance    only this instance's chain
  --public-key  the signing keys' public keys, comma-separated after a key rotation (each
                checkpoint names its key); default: the public half of the config's signing key
  --record      store the result as an audit event (kind verify: result, records, range, who);
                reports show the latest one
Exit status: 0 the log is intact, 1 problems found (listed on stdout), 2 usage, 3 the database
could not be read.

retention drops the monthly partitions of the decision log that lie entirely before the
retention period (--months, else the largest retention.decision_log_months of the configured
policies; never below 6 months) and deletes such rows from the default partition, recording
each deletion as an audit event with the chain hashes at the cut, so verify still passes. It
also creates the partitions of the coming months. The gateway runs it daily by itself.
  --dry-run  only report what would be deleted    --as-of  evaluate as if today were DATE
  --actor    who runs it (recorded; default: cli:<login name>)

reidentify names the staff member behind a pseudonym of the decision log (user_ref). It needs
the gateway's configuration (for the pseudonymisation key, which is not in the database), a
reason, and a second person who approved it (four-eyes principle; not the actor). The
re-identification itself is recorded as an audit event (who, why, approved by whom, which
pseudonym; not the identity).

keygen writes a new Ed25519 private key to FILE (mode 0600) and its public key to FILE.pub.
Configure the private key as audit.signing_key_file; give the public key to whoever verifies.
DB: --database-url URL or --config FILE (else LEITPLANKE_DATABASE_URL).
)";

std::optional<std::chrono::system_clock::time_point> parse_time(const std::string& s) {
  std::tm tm{};
  int n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &n) == 6 &&
      static_cast<std::size_t>(n) == s.size()) {
  } else if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &n) == 3 &&
             static_cast<std::size_t>(n) == s.size()) {
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  } else {
    return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31) return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

int audit_keygen(args& a) {
  if (!a.opts.count("out")) return usage_error("keygen needs --out FILE", audit_usage);
  const std::string out = a.opts["out"];
  struct stat st{};
  if (::stat(out.c_str(), &st) == 0) {
    std::cerr << "leitplanke audit keygen: " << out << " exists; refusing to overwrite a signing key\n";
    return 1;
  }
  const auto key = audit::ed25519_key::generate();
  {
    const mode_t old = ::umask(077);
    std::ofstream f(out);
    f << key.pem_private();
    ::umask(old);
    if (!f) {
      std::cerr << "leitplanke audit keygen: cannot write " << out << "\n";
      return 1;
    }
  }
  std::ofstream p(out + ".pub");
  p << key.pem_public();
  if (!p) {
    std::cerr << "leitplanke audit keygen: cannot write " << out << ".pub\n";
    return 1;
  }
  std::cout << "key " << key.key_id() << ": private key " << out << ", public key " << out << ".pub\n";
  return 0;
}

int audit_verify(args& a) {
  audit::verify_options o;
  for (const char* k : {"from", "to"}) {
    if (!a.opts.count(k)) continue;
    const auto t = parse_time(a.opts[k]);
    if (!t) return usage_error(std::string("--") + k + " must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", audit_usage);
    (std::string(k) == "from" ? o.from : o.to) = t;
  }
  if (a.opts.count("instance")) o.instance = a.opts["instance"];
  std::string key_file = a.opts.count("public-key") ? a.opts["public-key"] : "";
  if (key_file.empty() && a.opts.count("config")) {
    std::vector<yaml::diagnostic> diags;
    if (auto cfg = config::load(a.opts["config"], config::need::database, diags)) key_file = cfg->aud.signing_key_file;
  }
  // several keys after a rotation: --public-key old.pub,new.pub
  for (std::size_t from = 0; !key_file.empty() && from <= key_file.size();) {
    std::size_t comma = key_file.find(',', from);
    if (comma == std::string::npos) comma = key_file.size();
    const std::string file = key_file.substr(from, comma - from);
    from = comma + 1;
    if (file.empty()) continue;
    try {
      o.public_keys.push_back(std::make_shared<const audit::ed25519_key>(audit::ed25519_key::load_public(file)));
    } catch (const std::exception& e) {
      std::cerr << "leitplanke audit verify: " << e.what() << "\n";
      return 2;
    }
  }
  const std::string url = database_url(a);
  if (url.empty()) return 2;
  audit::verify_report rep;
  try {
    pqxx::connection cx(url);
    rep = audit::verify(cx, o);
  } catch (const pqxx::broken_connection& e) {
    std::cerr << "leitplanke audit verify: cannot reach the database: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "leitplanke audit verify: " << e.what() << "\n";
    return 3;
  }
  for (const auto& p : rep.problems) {
    std::cout << p.kind << ": " << (p.instance.empty() ? "" : "[" + p.instance + "] ") << p.detail
              << (p.ts.empty() ? "" : " (ts " + p.ts + ")") << "\n";
  }
  std::cout << (rep.ok() ? "ok: " : "FAILED: ") << rep.records << " records in " << rep.instances
            << (rep.instances == 1 ? " chain" : " chains") << " checked";
  if (rep.deleted_by_retention) std::cout << ", " << rep.deleted_by_retention << " deleted by retention";
  if (!o.public_keys.empty()) {
    std::cout << ", " << rep.checkpoints_ok << " signed checkpoints valid";
    if (rep.unsigned_tail) std::cout << ", " << rep.unsigned_tail << " newest records not yet under a checkpoint";
  } else {
    std::cout << " (checkpoint signatures not checked: no --public-key)";
  }
  if (!rep.ok()) std::cout << "; " << rep.problems.size() << " problem" << (rep.problems.size() == 1 ? "" : "s");
  std::cout << "\n";
  if (a.opts.count("record")) {
    // The outcome as an audit event: reports state when the log was last verified and how.
    boost::json::object d{{"result", rep.ok() ? "ok" : "failed"},
                          {"records", rep.records},
                          {"instances", rep.instances},
                          {"problems", rep.problems.size()},
                          {"deleted_by_retention", rep.deleted_by_retention},
                          {"signatures_checked", !o.public_keys.empty()},
                          {"checkpoints_ok", rep.checkpoints_ok},
                          {"from", a.opts.count("from") ? a.opts["from"] : ""},
                          {"to", a.opts.count("to") ? a.opts["to"] : ""},
                          {"instance", o.instance}};
    std::string actor = a.opts.count("actor") ? a.opts["actor"] : "";
    if (actor.empty()) {
      const char* u = std::getenv("USER");
      actor = std::string("cli:") + (u && *u ? u : "unknown");
    }
    try {
      pqxx::connection cx(url);
      pqxx::work tx(cx);
      tx.exec_params("INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ($1, 'verify', $2, $3, $4::jsonb)",
                     new_request_id(), actor, "verification", boost::json::serialize(d));
      tx.commit();
    } catch (const std::exception& e) {
      std::cerr << "leitplanke audit verify: the result could not be recorded: " << e.what() << "\n";
      return 3;
    }
  }
  return rep.ok() ? 0 : 1;
}

// The retention period the configured policies ask for: the largest, so no tenant's records go
// before their time (partitions are shared).
int policy_months(const std::string& config_file) {
  std::vector<yaml::diagnostic> diags;
  const auto cfg = config::load(config_file, config::need::database, diags);
  if (!cfg) return 0;
  unsigned months = 0;
  for (const auto& t : cfg->tenants) {
    std::vector<yaml::diagnostic> pd;
    if (const auto p = policy::load_file(t.policy_file, pd)) months = std::max(months, p->retention.decision_log_months);
  }
  return static_cast<int>(months);
}

int audit_retention(args& a) {
  int months = 0;
  if (a.opts.count("months")) {
    try {
      months = std::stoi(a.opts["months"]);
    } catch (const std::exception&) {
      return usage_error("--months must be a number", audit_usage);
    }
  } else if (a.opts.count("config")) {
    months = policy_months(a.opts["config"]);
  }
  if (months == 0) return usage_error("retention needs --months N or --config FILE (with a policy)", audit_usage);
  auto now = std::chrono::system_clock::now();
  if (a.opts.count("as-of")) {
    const auto t = parse_time(a.opts["as-of"]);
    if (!t) return usage_error("--as-of must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ", audit_usage);
    now = *t;
  }
  std::string actor = a.opts.count("actor") ? a.opts["actor"] : "";
  if (actor.empty()) {
    const char* u = std::getenv("USER");
    actor = std::string("cli:") + (u && *u ? u : "unknown");
  }
  const std::string url = database_url(a);
  if (url.empty()) return 2;
  try {
    pqxx::connection cx(url);
    const auto r = audit::apply_retention(cx, months, actor, now, a.opts.count("dry-run") > 0);
    const bool dry = a.opts.count("dry-run") > 0;
    if (r.skipped) {
      std::cout << "skipped: another retention run holds the lock; try again later\n";
      return 1;
    }
    std::cout << (dry ? "would delete" : "deleted") << " " << r.rows_deleted << " records before " << r.cutoff << " ("
              << months << " months)";
    for (const auto& d : r.dropped) std::cout << "\n  " << (dry ? "would drop " : "dropped ") << d;
    for (const auto& c : r.created) std::cout << "\n  created " << c;
    std::cout << "\n";
    return 0;
  } catch (const std::invalid_argument& e) {
    std::cerr << "leitplanke audit retention: " << e.what() << "\n";
    return 2;
  } catch (const pqxx::broken_connection& e) {
    std::cerr << "leitplanke audit retention: cannot reach the database: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "leitplanke audit retention: " << e.what() << "\n";
    return 1;
  }
}

int audit_reidentify(args& a) {
  const std::string ref = a.opts.count("user-ref") ? a.opts["user-ref"] : "";
  const std::string reason = a.opts.count("reason") ? a.opts["reason"] : "";
  const std::string approved = a.opts.count("approved-by") ? a.opts["approved-by"] : "";
  std::string actor = a.opts.count("actor") ? a.opts["actor"] : "";
  if (actor.empty()) {
    const char* u = std::getenv("USER");
    actor = u && *u ? u : "";
  }
  if (ref.empty()) return usage_error("reidentify needs --user-ref REF", audit_usage);
  if (reason.size() < 10) return usage_error("reidentify needs --reason with the legal ground and case (10+ characters)", audit_usage);
  if (approved.empty()) return usage_error("reidentify needs --approved-by NAME (four-eyes principle)", audit_usage);
  if (actor.empty()) return usage_error("reidentify needs --actor NAME", audit_usage);
  if (approved == actor) return usage_error("--approved-by must name a second person, not the actor", audit_usage);
  if (!a.opts.count("config")) return usage_error("reidentify needs --config FILE (the pseudonymisation key)", audit_usage);
  std::vector<yaml::diagnostic> diags;
  const auto cfg = config::load(a.opts["config"], config::need::pseudonyms, diags);
  if (!cfg) {
    for (const auto& d : diags) std::cerr << d.format() << "\n";
    return 2;
  }
  // The period is the pseudonym's prefix ("2026Q4:…"); without one, pseudonyms do not rotate.
  const auto colon = ref.find(':');
  const std::string period = colon == std::string::npos ? std::string() : ref.substr(0, colon);
  try {
    pqxx::connection cx(a.opts.count("database-url") ? a.opts["database-url"] : cfg->database_url);
    pqxx::work tx(cx);
    std::vector<std::string> found;
    for (const auto& x : tx.exec("SELECT DISTINCT user_id FROM api_keys")) {
      const std::string user = x[0].c_str();
      if (pseudonymise(cfg->pseudonym_key, user, period) == ref) found.push_back(user);
    }
    boost::json::object d;
    d["user_ref"] = ref;
    d["approved_by"] = approved;
    d["found"] = !found.empty();
    tx.exec_params("INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ($1, 'reidentify', $2, $3, $4::jsonb)",
                   new_request_id(), actor, reason, boost::json::serialize(d));
    tx.commit();
    if (found.empty()) {
      std::cout << "no staff member has pseudonym " << ref << " (wrong key, period or pseudonym); recorded\n";
      return 1;
    }
    for (const auto& u : found) std::cout << u << "\n";
    std::cerr << "re-identification recorded (actor " << actor << ", approved by " << approved << ")\n";
    return 0;
  } catch (const pqxx::broken_connection& e) {
    std::cerr << "leitplanke audit reidentify: cannot reach the database: " << e.what() << "\n";
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "leitplanke audit reidentify: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

int cmd_audit(int argc, char** argv) {
  if (argc < 3) return usage_error("audit needs a subcommand (verify, retention, reidentify, keygen)", audit_usage);
  const std::string sub = argv[2];
  if (sub == "--help" || sub == "-h") return std::cout << audit_usage, 0;
  args a;
  std::string err;
  if (!parse_args(argc, argv, 3,
                  {"database-url", "config", "from", "to", "instance", "public-key", "out", "months", "as-of", "actor",
                   "user-ref", "reason", "approved-by"},
                  {"dry-run", "record"}, a, err)) {
    return usage_error(err, audit_usage);
  }
  if (a.help) return std::cout << audit_usage, 0;
  if (!a.positional.empty()) return usage_error("unexpected argument " + a.positional[0], audit_usage);
  if (sub == "verify") return audit_verify(a);
  if (sub == "keygen") return audit_keygen(a);
  if (sub == "retention") return audit_retention(a);
  if (sub == "reidentify") return audit_reidentify(a);
  return usage_error("unknown audit subcommand '" + sub + "'", audit_usage);
}

}  // namespace lp::cli
