#include "admin/api.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>

#include <boost/json.hpp>
#include <pqxx/pqxx>

#include "core/log.h"
#include "core/request_id.h"
#include "policy/yaml_diag.h"
#include "report/build.h"
#include "report/model.h"
#include "report/register.h"
#include "report/suppress.h"
#include "report/texts.h"

namespace lp::admin {

namespace json = boost::json;

namespace {

// ---- helpers -------------------------------------------------------------------------------

response reply(int status, const json::value& v) { return {status, json::serialize(v), {}}; }

response fail(int status, const std::string& message, const std::string& code) {
  const char* type = status == 401 ? "authentication_error" : status == 403 ? "permission_error" : status == 404 ? "not_found_error"
                     : status >= 500 ? "server_error" : "invalid_request_error";
  return {status, error_json(message, type, code), {}};
}

bool en(const environment& env, const request& req) {
  return req.who ? req.who->lang == "en" : env.lang == language::en;
}

std::string L(const environment& env, const request& req, const char* de, const char* en_text) {
  return en(env, req) ? en_text : de;
}

// One connection per admin thread, opened on first use and again after a failure.
std::unique_ptr<pqxx::connection>& db_slot() {
  thread_local std::unique_ptr<pqxx::connection> conn;
  return conn;
}
pqxx::connection& db(const environment& env) {
  auto& conn = db_slot();
  if (!conn || !conn->is_open()) conn = std::make_unique<pqxx::connection>(env.database_url);
  return *conn;
}

// RFC 3339, UTC, whole seconds.
std::string iso(std::chrono::system_clock::time_point tp) {
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string now_utc_iso() { return iso(std::chrono::system_clock::now()); }

// Records an action of the dashboard in the audit trail (audit_events, kind admin).
void audit(const environment& env, const std::string& actor, const std::string& action, json::object details) {
  details["action"] = action;
  pqxx::work tx(db(env));
  tx.exec_params("INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ($1, 'admin', $2, $3, $4::jsonb)",
                 new_request_id(), actor, action, json::serialize(details));
  tx.commit();
}

std::string actor_of(const session& s) { return "key:" + s.key_id + " (" + s.role + ")"; }

std::string cookie(const std::string& value, long max_age) {
  return "lp_admin=" + value + "; Path=/admin; HttpOnly; Secure; SameSite=Strict; Max-Age=" + std::to_string(max_age);
}

json::object session_json(const session& s) {
  return json::object{{"role", s.role}, {"department", s.department}, {"tenant", s.tenant}, {"csrf_token", s.csrf},
                      {"expires_at", iso(s.expires())}, {"lang", s.lang}};
}

// The service a model belongs to in `p` ("" when none).
std::string service_of(const policy::snapshot& p, const std::string& model) {
  for (const auto& s : p.services) {
    if (std::find(s.models.begin(), s.models.end(), model) != s.models.end()) return s.name;
  }
  return "";
}

// Policy texts by digest, parsed once (without compiling their patterns: never evaluated here).
policy::snapshot_ptr policy_version(pqxx::transaction_base& tx, const std::string& tenant, const std::string& digest) {
  static std::mutex mu;
  static std::unordered_map<std::string, policy::snapshot_ptr> cache;
  {
    std::lock_guard lk(mu);
    if (const auto it = cache.find(tenant + "/" + digest); it != cache.end()) return it->second;
  }
  const auto r = tx.exec_params("SELECT source FROM policy_versions WHERE tenant = $1 AND digest = $2", tenant, digest);
  if (r.empty()) return nullptr;
  yaml::checker c("policy " + digest.substr(0, 12));
  auto p = policy::parse(r[0][0].as<std::string>(), c, false);
  std::lock_guard lk(mu);
  if (cache.size() > 256) cache.clear();
  cache[tenant + "/" + digest] = p;
  return p;
}

// ---- sessions ------------------------------------------------------------------------------

response login(const environment& env, const request& req) {
  std::string key, lang = env.lang == language::en ? "en" : "de";
  try {
    const auto v = json::parse(req.body);
    const auto& o = v.as_object();
    key = std::string(o.at("key").as_string());
    if (const auto* l = o.if_contains("lang"); l && l->is_string() && (l->as_string() == "de" || l->as_string() == "en")) {
      lang = std::string(l->as_string());
    }
  } catch (const std::exception&) {
    return fail(400, lang == "en" ? "The body must be JSON with a string \"key\"." : "Der Inhalt muss JSON mit einem Text \"key\" sein.",
                "invalid_body");
  }
  const bool english = lang == "en";
  const auto who = env.authenticate(key);
  if (!who) {
    audit(env, "unknown key", "login_failed", json::object{{"why", "unknown or revoked key"}});
    return fail(401, english ? "Unknown or revoked key." : "Unbekannter oder gesperrter Schlüssel.", "invalid_api_key");
  }
  if (who->role != "dpo" && who->role != "admin" && who->role != "council") {
    audit(env, "key:" + who->key_id + " (" + who->role + ")", "login_refused", json::object{{"why", "role may not use the dashboard"}});
    return fail(403,
                english ? "This key's role (" + who->role + ") may not use the dashboard; it is for the data protection officer, "
                              "administrators and the staff council."
                        : "Die Rolle dieses Schlüssels (" + who->role + ") hat keinen Zugang zum Dashboard; es ist für die "
                              "Datenschutzbeauftragten, die Administration und den Personalrat.",
                "role_not_allowed");
  }
  const auto s = env.store->create(who->role, who->department, who->key_id, who->tenant, lang);
  audit(env, actor_of(s), "login", json::object{{"tenant", s.tenant}});
  auto r = reply(200, session_json(s));
  r.headers.emplace_back("Set-Cookie", cookie(s.id, std::chrono::duration_cast<std::chrono::seconds>(sessions::absolute).count()));
  return r;
}

response logout(const environment& env, const request& req) {
  env.store->remove(req.who->id);
  audit(env, actor_of(*req.who), "logout", json::object{{"tenant", req.who->tenant}});
  response r{204, "", {}};
  r.headers.emplace_back("Set-Cookie", cookie("", 0));
  return r;
}

// ---- overview ------------------------------------------------------------------------------

const std::vector<std::string>& decisions_list() {
  static const std::vector<std::string> d = {"allowed", "redacted", "blocked", "error"};
  return d;
}

// Computes the overview of one window (up to a second of database work on a large log).
std::string compute_overview(const environment& env, const std::string& tenant, const policy::snapshot& pol, const std::string& window);

// Values computed in the background and served from memory: a request waits for the
// computation only when its key has no value yet; a value older than `fresh` is served while the
// admin threads compute it anew (once at a time per key; a failure keeps the old value); keys
// nobody asked for within `keep` are dropped.
template <typename Key, typename Value>
class background_cache {
 public:
  background_cache(std::chrono::seconds fresh, std::chrono::minutes keep, const char* what) : fresh_(fresh), keep_(keep), what_(what) {}

  Value get(const environment& env, const Key& key, std::function<Value()> compute) {
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lk(mu_);
      std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.asked > keep_ && !kv.second.refreshing; });
      if (const auto it = entries_.find(key); it != entries_.end()) {
        auto& e = it->second;
        e.asked = now;
        if (now - e.computed >= fresh_ && !e.refreshing && env.post) {
          e.refreshing = true;
          env.post([this, key, compute = std::move(compute)] { refresh(key, compute); });
        }
        return e.value;
      }
    }
    Value v = compute();
    std::lock_guard lk(mu_);
    entries_[key] = {v, now, now, false};
    return v;
  }

 private:
  struct entry {
    Value value;
    std::chrono::steady_clock::time_point computed, asked;
    bool refreshing = false;
  };

  void refresh(const Key& key, const std::function<Value()>& compute) {
    std::optional<Value> v;
    try {
      v = compute();
    } catch (const std::exception& ex) {
      if (dynamic_cast<const pqxx::broken_connection*>(&ex)) db_slot().reset();  // reconnect next time
      log::warn(std::string("admin: ") + what_ + " refresh failed: " + ex.what());
    }
    std::lock_guard lk(mu_);
    if (const auto it = entries_.find(key); it != entries_.end()) {
      it->second.refreshing = false;
      if (v) {
        it->second.value = std::move(*v);
        it->second.computed = std::chrono::steady_clock::now();
      }
    }
  }

  const std::chrono::seconds fresh_;
  const std::chrono::minutes keep_;
  const char* what_;
  std::mutex mu_;
  std::map<Key, entry> entries_;
};

response overview(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol) {
  const std::string window = req.query.count("window") ? req.query.at("window") : "24h";
  if (window != "24h" && window != "7d" && window != "quarter") {
    return fail(400, L(env, req, "window muss 24h, 7d oder quarter sein.", "window must be 24h, 7d or quarter."), "invalid_window");
  }
  // At most 15 s old while the dashboard polls.
  static background_cache<std::pair<std::string, std::string>, std::string> cache(std::chrono::seconds(15), std::chrono::minutes(5),
                                                                                   "overview");
  return {200, cache.get(env, {tenant, window}, [&env, tenant, window] {
            const auto p = env.policy_of(tenant);
            if (!p) throw std::runtime_error("no policy for tenant " + tenant);
            return compute_overview(env, tenant, *p, window);
          }), {}};
}

std::string compute_overview(const environment& env, const std::string& tenant, const policy::snapshot& pol, const std::string& window) {
  pqxx::read_transaction tx(db(env));
  // counts[bucket][decision], people[bucket][decision]; bucket "" / decision "" = totals.
  std::map<std::string, std::map<std::string, double>> counts, people;
  std::string from, to = now_utc_iso();
  std::vector<std::string> buckets;
  if (window == "24h") {
    // The last 24 hours, per hour, straight from the records (an index range on ts).
    const auto r0 = tx.exec("SELECT to_char(date_trunc('hour', now() AT TIME ZONE 'UTC') - interval '23 hours', "
                            "'YYYY-MM-DD\"T\"HH24:00:00\"Z\"')");
    from = r0[0][0].as<std::string>();
    for (const auto& r : tx.exec_params(
             "SELECT coalesce(t, ''), coalesce(decision, ''), count(*), count(DISTINCT user_ref) FROM ("
             " SELECT to_char(date_trunc('hour', ts AT TIME ZONE 'UTC'), 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"') AS t, decision, user_ref "
             " FROM decisions WHERE tenant = $1 AND ts >= $2::timestamptz AND ts < now() AND coalesce(department, '') <> '') x "
             "GROUP BY GROUPING SETS ((t, decision), (t), (decision), ())",
             tenant, from)) {
      counts[r[0].as<std::string>()][r[1].as<std::string>()] = r[2].as<double>();
      people[r[0].as<std::string>()][r[1].as<std::string>()] = r[3].as<double>();
    }
    const auto hours = tx.exec_params(
        "SELECT to_char(h, 'YYYY-MM-DD\"T\"HH24:00:00\"Z\"') FROM generate_series($1::timestamptz AT TIME ZONE 'UTC', "
        "date_trunc('hour', now() AT TIME ZONE 'UTC'), interval '1 hour') h",
        from);
    for (const auto& h : hours) buckets.push_back(h[0].as<std::string>());
  } else {
    // Days from the aggregates; people per day (and decision) from active_users.
    const std::string start = window == "7d" ? "current_date - 6"
                                             : "make_date(extract(year FROM current_date)::int, "
                                               "(((extract(month FROM current_date)::int - 1) / 3) * 3 + 1), 1)";
    from = tx.exec("SELECT to_char(" + start + ", 'YYYY-MM-DD')")[0][0].as<std::string>();
    for (const auto& d : tx.exec_params("SELECT to_char(d, 'YYYY-MM-DD') FROM generate_series($1::date, current_date, interval '1 day') d", from)) {
      buckets.push_back(d[0].as<std::string>());
    }
    for (const auto& r : tx.exec_params(
             "SELECT coalesce(to_char(day, 'YYYY-MM-DD'), ''), coalesce(decision, ''), sum(requests) FROM usage_daily "
             "WHERE tenant = $1 AND day >= $2::date AND day <= current_date AND department <> '' "
             "GROUP BY GROUPING SETS ((day, decision), (day), (decision), ())",
             tenant, from)) {
      counts[r[0].as<std::string>()][r[1].as<std::string>()] = r[2].as<double>();
    }
    // People: per pseudonym period the distinct pseudonyms; the largest period's count (a lower
    // bound on people when the window spans two periods).
    for (const auto& r : tx.exec_params(
             "SELECT b, dec, max(n) FROM (SELECT period, coalesce(b, '') AS b, coalesce(dec, '') AS dec, count(DISTINCT user_ref) AS n FROM ("
             " SELECT period, user_ref, split_part(value, '|', 1) AS b, split_part(value, '|', 2) AS dec FROM active_users "
             " WHERE tenant = $1 AND dimension = 'day_decision' AND value >= $2 AND value < to_char(current_date + 1, 'YYYY-MM-DD')) x "
             " GROUP BY GROUPING SETS ((period, b, dec), (period, b), (period, dec), (period))) y GROUP BY b, dec",
             tenant, from)) {
      people[r[0].as<std::string>()][r[1].as<std::string>()] = r[2].as<double>();
    }
  }
  tx.commit();
  // Suppression as in the reports: one ledger with the additive relations of what is shown.
  report::ledger l;
  auto id = [](const std::string& b, const std::string& d) { return "n|" + b + "|" + d; };
  auto put = [&](const std::string& b, const std::string& d) {
    l.put(id(b, d), counts[b][d], static_cast<long>(people[b][d]));
  };
  put("", "");
  std::vector<std::string> totals;
  for (const auto& d : decisions_list()) {
    put("", d);
    totals.push_back(id("", d));
  }
  l.relation(id("", ""), totals);
  std::vector<std::string> per_bucket;
  std::map<std::string, std::vector<std::string>> per_decision;
  for (const auto& b : buckets) {
    put(b, "");
    per_bucket.push_back(id(b, ""));
    std::vector<std::string> parts;
    for (const auto& d : decisions_list()) {
      put(b, d);
      parts.push_back(id(b, d));
      per_decision[d].push_back(id(b, d));
    }
    l.relation(id(b, ""), parts);
  }
  l.relation(id("", ""), per_bucket);
  for (const auto& [d, members] : per_decision) l.relation(id("", d), members);
  l.suppress(pol.reporting.min_group_size);
  auto figure = [&](const std::string& b, const std::string& d) {
    const auto* c = l.find(id(b, d));
    if (!c || c->st != report::status::shown) return json::value(json::object{{"value", nullptr}, {"suppressed", true}});
    return json::value(json::object{{"value", report::round_to(c->value, pol.reporting.rounding)}, {"suppressed", false}});
  };
  json::array series;
  for (const auto& b : buckets) {
    series.push_back(json::object{{"t", b.size() == 10 ? b + "T00:00:00Z" : b},
                                  {"requests", figure(b, "")},
                                  {"blocked", figure(b, "blocked")},
                                  {"redacted", figure(b, "redacted")}});
  }
  json::object o{{"window", window},
                 {"tenant", tenant},
                 {"as_of", now_utc_iso()},
                 {"from", from.size() == 10 ? from + "T00:00:00Z" : from},
                 {"to", to},
                 {"k", pol.reporting.min_group_size},
                 {"rounding", pol.reporting.rounding},
                 {"requests", figure("", "")},
                 {"series", std::move(series)}};
  for (const auto& d : decisions_list()) o[d] = figure("", d);
  return json::serialize(o);
}

// ---- decisions -----------------------------------------------------------------------------

// A time filter: RFC 3339 with zone, or a local date / date-time (the policy's time zone).
bool time_param(const std::string& v, const std::string& zone, std::vector<std::string>& params, std::string& sql) {
  static const std::regex with_zone(R"(^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-]\d\d:\d\d)$)");
  static const std::regex local(R"(^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d)?)?$)");
  const bool zoned = std::regex_match(v, with_zone);
  if (!zoned && !std::regex_match(v, local)) return false;
  // The fields must be a real date and time of day (the database would refuse "2026-13-45").
  const auto num = [&](std::size_t at) { return v.size() >= at + 2 ? std::stoi(v.substr(at, 2)) : 0; };
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(v.substr(0, 4))}, std::chrono::month{unsigned(num(5))},
                                        std::chrono::day{unsigned(num(8))}};
  if (!ymd.ok() || num(11) > 23 || num(14) > 59 || (v.size() > 17 && v[16] == ':' && num(17) > 59)) return false;
  params.push_back(v);
  if (zoned) {
    sql = "$" + std::to_string(params.size()) + "::timestamptz";
  } else {
    params.push_back(zone);
    sql = "($" + std::to_string(params.size() - 1) + "::timestamp AT TIME ZONE $" + std::to_string(params.size()) + ")";
  }
  return true;
}

json::object counts_json(const std::string& text) {
  try {
    return json::parse(text).as_object();
  } catch (const std::exception&) {
    return {};
  }
}

// The columns of a decision's summary (DecisionSummary in the OpenAPI document), in the order
// decision_summary reads them; queries may select more after them.
constexpr const char* summary_columns =
    "record_id, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), tenant, coalesce(department, ''), "
    "coalesce(model, ''), coalesce(purpose, ''), decision, rule_ids::text[], entity_counts::text, status";

// A decision's summary from a row that starts with summary_columns; the service is looked up in
// `pol` (none when null).
json::object decision_summary(const pqxx::row& r, const policy::snapshot* pol) {
  json::array rules;
  auto parser = r[7].as_array();
  for (auto e = parser.get_next(); e.first != pqxx::array_parser::done; e = parser.get_next()) {
    if (e.first == pqxx::array_parser::string_value) rules.emplace_back(e.second);
  }
  const std::string model = r[4].as<std::string>();
  return json::object{{"record_id", r[0].as<std::string>()},
                      {"ts", r[1].as<std::string>()},
                      {"tenant", r[2].as<std::string>()},
                      {"department", r[3].as<std::string>()},
                      {"service", pol ? service_of(*pol, model) : ""},
                      {"model", model},
                      {"purpose", r[5].as<std::string>()},
                      {"decision", r[6].as<std::string>()},
                      {"rule_ids", std::move(rules)},
                      {"entity_counts", counts_json(r[8].as<std::string>())},
                      {"status", r[9].as<int>()}};
}

response decisions(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol) {
  std::vector<std::string> params{tenant};
  std::string where = "tenant = $1";
  auto q = [&](const char* k) { return req.query.count(k) ? req.query.at(k) : std::string(); };
  auto bad = [&](const std::string& what) {
    return fail(400, L(env, req, "Ungültiger Filter: ", "Invalid filter: ") + what, "invalid_filter");
  };
  if (const auto d = q("department"); !d.empty()) {
    params.push_back(d);
    where += " AND department = $" + std::to_string(params.size());
  }
  if (const auto d = q("decision"); !d.empty()) {
    if (std::find(decisions_list().begin(), decisions_list().end(), d) == decisions_list().end()) return bad("decision");
    params.push_back(d);
    where += " AND decision = $" + std::to_string(params.size());
  }
  if (const auto r = q("rule"); !r.empty()) {
    params.push_back(r);
    where += " AND $" + std::to_string(params.size()) + " = ANY(rule_ids)";
  }
  if (const auto s = q("service"); !s.empty()) {
    const auto* svc = policy::find_service(pol, s);
    if (!svc) return bad("service");
    std::string list;
    for (const auto& m : svc->models) {
      params.push_back(m);
      list += (list.empty() ? "$" : ", $") + std::to_string(params.size());
    }
    where += " AND model IN (" + list + ")";
  }
  for (const auto& [k, op] : {std::pair{"from", ">="}, std::pair{"to", "<"}}) {
    if (const auto v = q(k); !v.empty()) {
      std::string expr;
      if (!time_param(v, pol.timezone, params, expr)) return bad(k);
      where += std::string(" AND ts ") + op + " " + expr;
    }
  }
  if (const auto b = q("before"); !b.empty()) {
    const auto bar = b.find('|');
    static const std::regex ts_re(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$)");
    if (bar == std::string::npos || !std::regex_match(b.substr(0, bar), ts_re)) return bad("before");
    params.push_back(b.substr(0, bar));
    params.push_back(b.substr(bar + 1));
    where += " AND (ts, record_id) < ($" + std::to_string(params.size() - 1) + "::timestamptz, $" + std::to_string(params.size()) + ")";
  }
  long limit = 50;
  if (const auto l = q("limit"); !l.empty()) {
    try {
      limit = std::stol(l);
    } catch (const std::exception&) {
      return bad("limit");
    }
    if (limit < 1 || limit > 200) return bad("limit");
  }
  pqxx::read_transaction tx(db(env));
  const auto rows = tx.exec_params(
      std::string("SELECT ") + summary_columns + " FROM decisions WHERE " + where + " ORDER BY ts DESC, record_id DESC LIMIT " + std::to_string(limit + 1),
      pqxx::prepare::make_dynamic_params(params));
  json::array out;
  std::string next;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (static_cast<long>(i) == limit) break;
    out.push_back(decision_summary(r, &pol));
    next = r[1].as<std::string>() + "|" + r[0].as<std::string>();
  }
  tx.commit();
  return reply(200, json::object{{"decisions", std::move(out)},
                                 {"next", static_cast<long>(rows.size()) > limit ? json::value(next) : json::value(nullptr)}});
}

response decision_detail(const environment& env, const request& req, const std::string& tenant, const std::string& record_id) {
  pqxx::read_transaction tx(db(env));
  const auto rows = tx.exec_params(
      std::string("SELECT ") + summary_columns + ", endpoint, instance, "
      "coalesce(seq, 0), coalesce(policy_version, ''), coalesce(policy_digest, ''), coalesce(routed_to, ''), acknowledged, "
      "answer_entity_counts::text, prompt_tokens, completion_tokens, latency_ms, upstream_ms, coalesce(error_code, ''), stream "
      "FROM decisions WHERE tenant = $1 AND record_id = $2",
      tenant, record_id);
  if (rows.empty()) return fail(404, L(env, req, "Keine solche Entscheidung.", "No such decision."), "not_found");
  const auto& r = rows[0];
  const std::string digest = r[14].as<std::string>();
  auto pol = digest.empty() ? nullptr : policy_version(tx, tenant, digest);
  json::object o = decision_summary(r, pol.get());
  const bool english = en(env, req);
  json::array rules;
  for (const auto& id : o.at("rule_ids").as_array()) {
    const std::string rid(id.as_string());
    const policy::rule* found = nullptr;
    policy::snapshot_ptr off;
    if (pol) {
      found = policy::find_rule(*pol, rid);
      if (!found && rid.starts_with("kill-switch.")) {  // switched off in the dashboard
        off = policy::with_services_off(pol, {rid.substr(12)});
        found = policy::find_rule(*off, rid);
      }
    }
    if (found) {
      rules.push_back(json::object{{"id", rid}, {"title", found->title}, {"effect", std::string(policy::to_string(found->eff))},
                                   {"reference", found->reference},
                                   {"explanation", found->explanation(english ? language::en : language::de)}});
    } else {
      rules.push_back(json::object{{"id", rid}, {"title", ""}, {"effect", ""}, {"reference", ""}, {"explanation", ""}});
    }
  }
  const auto review = tx.exec_params("SELECT text FROM refused_prompts WHERE record_id = $1", record_id);
  auto opt_int = [](const pqxx::field& f) { return f.is_null() ? json::value(nullptr) : json::value(f.as<long long>()); };
  o["endpoint"] = r[10].as<std::string>();
  o["instance"] = r[11].as<std::string>();
  o["seq"] = r[12].as<long long>();
  o["policy_version"] = r[13].as<std::string>();
  o["policy_digest"] = digest;
  o["routed_to"] = r[15].as<std::string>();
  o["acknowledged"] = r[16].as<bool>();
  o["answer_entity_counts"] = counts_json(r[17].as<std::string>());
  o["prompt_tokens"] = opt_int(r[18]);
  o["completion_tokens"] = opt_int(r[19]);
  o["latency_ms"] = r[20].as<double>();
  o["upstream_ms"] = r[21].is_null() ? json::value(nullptr) : json::value(r[21].as<double>());
  o["error_code"] = r[22].as<std::string>();
  o["stream"] = r[23].as<bool>();
  o["rules"] = std::move(rules);
  o["review_text"] = review.empty() ? json::value(nullptr) : json::value(review[0][0].as<std::string>());
  tx.commit();
  return reply(200, o);
}

// ---- services and kill switches ------------------------------------------------------------

json::object service_json(const std::string& tenant, const policy::service& s, bool enabled_in_policy, bool off,
                          const std::string& changed_at) {
  json::array models;
  for (const auto& m : s.models) models.emplace_back(m);
  return json::object{{"tenant", tenant},
                      {"name", s.name},
                      {"provider", s.provider},
                      {"models", std::move(models)},
                      {"location", s.location},
                      {"transfer_basis", std::string(policy::to_string(s.basis))},
                      {"enabled_in_policy", enabled_in_policy},
                      {"kill_switch", off},
                      {"kill_switch_changed_at", changed_at.empty() ? json::value(nullptr) : json::value(changed_at)}};
}

std::map<std::string, std::pair<bool, std::string>> switches(pqxx::transaction_base& tx, const std::string& tenant) {
  std::map<std::string, std::pair<bool, std::string>> out;
  for (const auto& r : tx.exec_params("SELECT service, off, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                                      "FROM kill_switches WHERE tenant = $1",
                                      tenant)) {
    out[r[0].as<std::string>()] = {r[1].as<bool>(), r[2].as<std::string>()};
  }
  return out;
}

// The service as the policy file states it (the snapshot in force has kill switches applied).
bool enabled_in_file(const policy::snapshot& p, const std::string& name, const std::set<std::string>& off_here) {
  for (const auto& s : p.services) {
    if (s.name == name) return s.enabled || off_here.count(name);
  }
  return false;
}

response services(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol) {
  pqxx::read_transaction tx(db(env));
  const auto sw = switches(tx, tenant);
  tx.commit();
  std::set<std::string> off_here;
  for (const auto& [name, v] : sw) {
    if (v.first) off_here.insert(name);
  }
  json::array out;
  for (const auto& s : pol.services) {
    const auto it = sw.find(s.name);
    out.push_back(service_json(tenant, s, enabled_in_file(pol, s.name, off_here), it != sw.end() && it->second.first,
                               it == sw.end() ? "" : it->second.second));
  }
  return reply(200, json::object{{"services", std::move(out)}});
}

response kill_switch(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol,
                     const std::string& name) {
  if (req.who->role == "council") {
    return fail(403, L(env, req, "Der Personalrat hat nur Lesezugriff.", "The staff council has read access only."), "read_only");
  }
  const auto* svc = policy::find_service(pol, name);
  if (!svc) return fail(404, L(env, req, "Kein solcher KI-Dienst.", "No such AI service."), "not_found");
  bool off = false;
  std::string confirm, reason;
  try {
    const auto v = json::parse(req.body);
    const auto& o = v.as_object();
    off = o.at("off").as_bool();
    confirm = std::string(o.at("confirm").as_string());
    if (const auto* x = o.if_contains("reason"); x && x->is_string()) reason = std::string(x->as_string()).substr(0, 500);
  } catch (const std::exception&) {
    return fail(400, L(env, req, "Der Inhalt muss JSON mit \"off\" (true/false) und \"confirm\" sein.",
                       "The body must be JSON with \"off\" (true/false) and \"confirm\"."),
                "invalid_body");
  }
  if (confirm != name) {
    return fail(409, L(env, req, "Zur Bestätigung bitte den Namen des Dienstes eingeben: ", "To confirm, type the service's name: ") + name,
                "confirmation_mismatch");
  }
  std::vector<std::string> all_off;
  std::string changed_at;
  {
    pqxx::work tx(db(env));
    tx.exec_params("INSERT INTO kill_switches (tenant, service, off, actor, reason) VALUES ($1, $2, $3, $4, $5) "
                   "ON CONFLICT (tenant, service) DO UPDATE SET off = EXCLUDED.off, actor = EXCLUDED.actor, "
                   "reason = EXCLUDED.reason, changed_at = now()",
                   tenant, name, off, actor_of(*req.who), reason);
    tx.exec_params("INSERT INTO audit_events (event_id, kind, actor, reason, details) VALUES ($1, 'admin', $2, 'kill_switch', $3::jsonb)",
                   new_request_id(), actor_of(*req.who),
                   json::serialize(json::object{{"action", "kill_switch"}, {"tenant", tenant}, {"service", name}, {"off", off}, {"reason", reason}}));
    for (const auto& [svc_name, v] : switches(tx, tenant)) {
      if (v.first) all_off.push_back(svc_name);
      if (svc_name == name) changed_at = v.second;
    }
    tx.commit();
  }
  env.set_services_off(tenant, all_off);
  log::info(std::string("admin: service ") + name + " of tenant " + tenant + (off ? " switched off" : " switched on") + " by " +
            actor_of(*req.who));
  const auto now = env.policy_of(tenant);
  std::set<std::string> off_here(all_off.begin(), all_off.end());
  return reply(200, service_json(tenant, *svc, enabled_in_file(now ? *now : pol, name, off_here), off, changed_at));
}


// ---- the quarter's figures (shared with the reports) ---------------------------------------

std::shared_ptr<const report::document> compute_quarter(const environment& env, const std::string& tenant) {
  const auto p = report::quarter_containing(std::chrono::system_clock::now());
  report::options o;
  o.aud = report::audience::dpo;
  o.lang = env.lang;
  o.fallback_policy = env.policy_of(tenant);
  auto& c = db(env);
  const auto cur = report::load(c, tenant, p);
  const auto prev = report::load_totals(c, tenant, report::previous(p));
  return std::make_shared<const report::document>(report::build(cur, prev, o));
}

// The current quarter's report document of a tenant: the same figures and suppression as
// `leitplanke report`, at most a minute old.
std::shared_ptr<const report::document> quarter_doc(const environment& env, const std::string& tenant) {
  static background_cache<std::string, std::shared_ptr<const report::document>> cache(std::chrono::seconds(60), std::chrono::minutes(60),
                                                                                      "quarter figures");
  return cache.get(env, tenant, [&env, tenant] { return compute_quarter(env, tenant); });
}

json::value figure_of(const report::document& d, const std::string& id) {
  const auto* c = d.figures.find(id);
  if (!c) return json::object{{"value", nullptr}, {"suppressed", false}};
  if (c->st != report::status::shown) return json::object{{"value", nullptr}, {"suppressed", true}};
  if (c->k == report::kind::eur || c->k == report::kind::kwh) return json::object{{"value", std::round(c->value * 100) / 100}, {"suppressed", false}};
  return json::object{{"value", report::round_to(c->value, d.rounding)}, {"suppressed", false}};
}

const report::table* table_of(const report::document& d, const std::string& id) {
  for (const auto& t : d.tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

// ---- rules, versions, diff -----------------------------------------------------------------

bool derived_rule(const std::string& id) { return id.find('.') != std::string::npos; }

response rules(const environment& env, const request& req, const std::string& tenant, const policy::snapshot_ptr& current) {
  const bool english = en(env, req);
  const report::texts t(english ? language::en : language::de);
  pqxx::read_transaction tx(db(env));
  json::array versions;
  for (const auto& r : tx.exec_params("SELECT digest, version, to_char(first_loaded AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                                      "FROM policy_versions WHERE tenant = $1 ORDER BY first_loaded DESC",
                                      tenant)) {
    versions.push_back(json::object{{"digest", r[0].as<std::string>()}, {"version", r[1].as<std::string>()},
                                    {"first_loaded", r[2].as<std::string>()}, {"in_force", r[0].as<std::string>() == current->digest}});
  }
  policy::snapshot_ptr pol = current;
  if (req.query.count("digest") && req.query.at("digest") != current->digest) {
    pol = policy_version(tx, tenant, req.query.at("digest"));
    if (!pol) return fail(404, L(env, req, "Keine solche Richtlinienversion.", "No such policy version."), "not_found");
  }
  tx.commit();
  const auto doc = quarter_doc(env, tenant);
  json::array out;
  for (const auto& r : pol->rules) {
    out.push_back(json::object{{"id", r.id},
                               {"title", r.title},
                               {"effect", std::string(policy::to_string(r.eff))},
                               {"category", r.category},
                               {"reference", r.reference},
                               {"explanation", r.explanation(english ? language::en : language::de)},
                               {"in_words", t.describe(r, *pol)},
                               {"derived", derived_rule(r.id)},
                               {"requests", figure_of(*doc, "rule|" + r.id)}});
  }
  return reply(200, json::object{{"versions", std::move(versions)},
                                 {"digest", pol->digest},
                                 {"version", pol->version},
                                 {"period", doc->period_label},
                                 {"rules", std::move(out)}});
}

response rules_diff(const environment& env, const request& req, const std::string& tenant) {
  const bool english = en(env, req);
  const report::texts t(english ? language::en : language::de);
  const std::string from = req.query.count("from") ? req.query.at("from") : "", to = req.query.count("to") ? req.query.at("to") : "";
  pqxx::read_transaction tx(db(env));
  auto a = policy_version(tx, tenant, from), b = policy_version(tx, tenant, to);
  if (!a || !b) return fail(404, L(env, req, "Keine solche Richtlinienversion.", "No such policy version."), "not_found");
  auto meta = [&](const std::string& digest) {
    const auto r = tx.exec_params("SELECT version, to_char(first_loaded AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM policy_versions "
                                  "WHERE tenant = $1 AND digest = $2",
                                  tenant, digest);
    return json::object{{"digest", digest}, {"version", r[0][0].as<std::string>()}, {"first_loaded", r[0][1].as<std::string>()}};
  };
  json::object fa = meta(from), fb = meta(to);
  tx.commit();
  auto words = [&](const policy::snapshot& p, const policy::rule& r) {
    return t.describe(r, p) + " [" + std::string(policy::to_string(r.eff)) + ", " + r.category + "]";
  };
  json::array rules_out;
  for (const auto& r : a->rules) {
    const policy::rule* other = nullptr;
    for (const auto& x : b->rules) other = x.id == r.id ? &x : other;
    if (!other) {
      rules_out.push_back(json::object{{"id", r.id}, {"change", "removed"}, {"before", words(*a, r)}, {"after", nullptr}});
    } else if (words(*a, r) != words(*b, *other)) {
      rules_out.push_back(json::object{{"id", r.id}, {"change", "changed"}, {"before", words(*a, r)}, {"after", words(*b, *other)}});
    }
  }
  for (const auto& r : b->rules) {
    bool known = false;
    for (const auto& x : a->rules) known = known || x.id == r.id;
    if (!known) rules_out.push_back(json::object{{"id", r.id}, {"change", "added"}, {"before", nullptr}, {"after", words(*b, r)}});
  }
  json::array services_out;
  for (const auto& s : a->services) {
    const policy::service* other = nullptr;
    for (const auto& x : b->services) other = x.name == s.name ? &x : other;
    if (!other) services_out.push_back(json::object{{"name", s.name}, {"change", "removed"}, {"before", t.service_line(s, *a)}, {"after", nullptr}});
    else if (t.service_line(s, *a) != t.service_line(*other, *b)) {
      services_out.push_back(json::object{{"name", s.name}, {"change", "changed"}, {"before", t.service_line(s, *a)}, {"after", t.service_line(*other, *b)}});
    }
  }
  for (const auto& s : b->services) {
    bool known = false;
    for (const auto& x : a->services) known = known || x.name == s.name;
    if (!known) services_out.push_back(json::object{{"name", s.name}, {"change", "added"}, {"before", nullptr}, {"after", t.service_line(s, *b)}});
  }
  return reply(200, json::object{{"from", std::move(fa)}, {"to", std::move(fb)}, {"rules", std::move(rules_out)}, {"services", std::move(services_out)}});
}

// ---- detections, departments, register -----------------------------------------------------

response detections(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol) {
  const auto doc = quarter_doc(env, tenant);
  const report::texts t(en(env, req) ? language::en : language::de);
  json::array out;
  if (const auto* tab = table_of(*doc, "entities")) {
    for (const auto& type : tab->rows) {
      bool special = false;
      if (const auto e = redact::entity_from_string(type)) {
        for (const auto& c : pol.data_classes) special = special || (c.special_category && (c.mask >> static_cast<unsigned>(*e) & 1u));
      }
      out.push_back(json::object{{"type", type}, {"label", t.entity(type)}, {"special_category", special},
                                 {"items", figure_of(*doc, "entity|" + type + "|items")},
                                 {"requests", figure_of(*doc, "entity|" + type + "|requests")},
                                 {"answer_items", figure_of(*doc, "entity|" + type + "|answer")}});
    }
  }
  return reply(200, json::object{{"period", doc->period_label}, {"types", std::move(out)}});
}

response departments(const environment& env, const std::string& tenant, const policy::snapshot& pol) {
  const auto doc = quarter_doc(env, tenant);
  json::array out;
  if (const auto* tab = table_of(*doc, "requests_by_department_service")) {
    for (const auto& d : tab->rows) {
      if (d == "_total") continue;
      json::value budget = nullptr;
      for (const auto& [name, eur] : pol.budgets) budget = name == d ? json::value(eur) : budget;
      out.push_back(json::object{{"name", d},
                                 {"requests", figure_of(*doc, "requests|d=" + d)},
                                 {"active_staff", figure_of(*doc, "users|d=" + d)},
                                 {"cost_eur", figure_of(*doc, "cost|d=" + d)},
                                 {"budget_eur", budget}});
    }
  }
  return reply(200, json::object{{"period", doc->period_label}, {"departments", std::move(out)}});
}

response register_view(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol) {
  const auto doc = quarter_doc(env, tenant);
  const auto entries = report::register_entries(pol, doc.get(), en(env, req) ? language::en : language::de, now_utc_iso().substr(0, 10));
  return {200, report::register_json(entries), {}};
}

// ---- audit chain and alerts ----------------------------------------------------------------

response audit_chain(const environment& env) {
  pqxx::read_transaction tx(db(env));
  json::array instances;
  // The chains' instances by a loose scan of the (instance, seq) index, then each one's tip.
  for (const auto& r : tx.exec(
           "WITH RECURSIVE i AS (SELECT min(instance) AS name FROM decisions UNION ALL "
           " SELECT (SELECT min(instance) FROM decisions WHERE instance > i.name) FROM i WHERE i.name IS NOT NULL) "
           "SELECT i.name, tip.seq, to_char(tip.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
           " (SELECT count(*) FROM audit_checkpoints c WHERE c.instance = i.name), "
           " (SELECT to_char(max(c.ts) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM audit_checkpoints c WHERE c.instance = i.name) "
           "FROM i, LATERAL (SELECT seq, ts FROM decisions d WHERE d.instance = i.name AND d.seq IS NOT NULL ORDER BY seq DESC LIMIT 1) tip "
           "WHERE i.name IS NOT NULL ORDER BY i.name")) {
    instances.push_back(json::object{{"instance", r[0].as<std::string>()},
                                     {"records", r[1].as<long long>()},
                                     {"newest_record", r[2].is_null() ? json::value(nullptr) : json::value(r[2].as<std::string>())},
                                     {"checkpoints", r[3].as<long long>()},
                                     {"newest_checkpoint", r[4].is_null() ? json::value(nullptr) : json::value(r[4].as<std::string>())}});
  }
  json::value last = nullptr;
  const auto v = tx.exec("SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), actor, coalesce(details->>'result', ''), "
                         "coalesce((details->>'records')::bigint, 0), coalesce((details->>'signatures_checked')::boolean, false) "
                         "FROM audit_events WHERE kind = 'verify' ORDER BY ts DESC LIMIT 1");
  if (!v.empty()) {
    last = json::object{{"at", v[0][0].as<std::string>()}, {"actor", v[0][1].as<std::string>()}, {"result", v[0][2].as<std::string>()},
                        {"records", v[0][3].as<long long>()}, {"signatures_checked", v[0][4].as<bool>()}};
  }
  const auto counts = tx.exec("SELECT count(*) FILTER (WHERE kind = 'retention'), count(*) FILTER (WHERE kind = 'reidentify') "
                              "FROM audit_events WHERE ts >= now() - interval '90 days'");
  tx.commit();
  return reply(200, json::object{{"instances", std::move(instances)},
                                 {"last_verify", std::move(last)},
                                 {"retention_runs", counts[0][0].as<long long>()},
                                 {"reidentifications", counts[0][1].as<long long>()},
                                 {"spool_pending", env.spool_pending ? env.spool_pending() : 0}});
}

std::string compute_alerts(const environment& env, const std::string& tenant, const policy::snapshot& pol, bool english) {
  const unsigned k = pol.reporting.min_group_size;
  auto rules_of = [&](const char* category) {
    std::string list = "{";
    for (const auto& r : pol.rules) {
      if (r.category == category) list += (list.size() > 1 ? ",\"" : "\"") + r.id + "\"";
    }
    return list + "}";
  };
  pqxx::read_transaction tx(db(env));
  const auto r = tx.exec_params(
      "SELECT count(*) FILTER (WHERE decision = 'blocked' AND ts >= now() - interval '1 hour'), "
      " count(DISTINCT user_ref) FILTER (WHERE decision = 'blocked' AND ts >= now() - interval '1 hour'), "
      " count(*) FILTER (WHERE decision = 'blocked' AND ts < now() - interval '1 hour') / 168.0, "
      " count(*) FILTER (WHERE rule_ids && $2::text[] AND ts >= now() - interval '24 hours'), "
      " count(DISTINCT user_ref) FILTER (WHERE rule_ids && $2::text[] AND ts >= now() - interval '24 hours'), "
      " to_char(min(ts) FILTER (WHERE rule_ids && $2::text[] AND ts >= now() - interval '24 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
      " count(*) FILTER (WHERE answer_entity_counts ? 'SECRET' AND ts >= now() - interval '24 hours'), "
      " count(DISTINCT user_ref) FILTER (WHERE answer_entity_counts ? 'SECRET' AND ts >= now() - interval '24 hours') "
      "FROM decisions WHERE tenant = $1 AND ts >= now() - interval '7 days 1 hour' AND ts < now() AND coalesce(department, '') <> '' "
      " AND (decision = 'blocked' OR answer_entity_counts ? 'SECRET')",
      tenant, rules_of("secrets"));
  const auto switched = tx.exec_params("SELECT service, to_char(changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                                       "FROM kill_switches WHERE tenant = $1 AND off",
                                       tenant);
  const auto verified = tx.exec("SELECT max(ts) >= now() - interval '35 days' FROM audit_events WHERE kind = 'verify' AND details->>'result' = 'ok'");
  tx.commit();
  auto t = [&](const char* de, const char* en_text) { return std::string(english ? en_text : de); };
  // A count is named only when at least k people stand behind it.
  auto count = [&](double n, double people) { return people >= k ? json::value(n) : json::value(nullptr); };
  json::array alerts;
  const double hour = r[0][0].as<double>(), hour_people = r[0][1].as<double>(), baseline = r[0][2].as<double>();
  if (hour >= 10 && hour >= 3 * baseline) {
    alerts.push_back(json::object{{"kind", "refusal_spike"}, {"severity", "warning"},
                                  {"message", t("Ungewöhnlich viele abgelehnte Anfragen in der letzten Stunde (mehr als das Dreifache des Durchschnitts der letzten 7 Tage).",
                                                "Unusually many refused requests in the last hour (more than three times the average of the last 7 days).")},
                                  {"since", nullptr}, {"value", count(hour, hour_people)}});
  }
  if (r[0][3].as<double>() > 0) {
    alerts.push_back(json::object{{"kind", "credentials"}, {"severity", "critical"},
                                  {"message", t("In den letzten 24 Stunden wurden Zugangsdaten an KI-Dienste gesendet und abgelehnt. Betroffene Passwörter und Schlüssel sollten geändert werden.",
                                                "Credentials were sent to AI services and refused in the last 24 hours. The passwords and keys concerned should be changed.")},
                                  {"since", r[0][5].is_null() ? json::value(nullptr) : json::value(r[0][5].as<std::string>())},
                                  {"value", count(r[0][3].as<double>(), r[0][4].as<double>())}});
  }
  if (r[0][6].as<double>() > 0) {
    alerts.push_back(json::object{{"kind", "secrets_in_answers"}, {"severity", "critical"},
                                  {"message", t("KI-Antworten der letzten 24 Stunden enthielten Zugangsdaten.", "AI answers of the last 24 hours contained credentials.")},
                                  {"since", nullptr}, {"value", count(r[0][6].as<double>(), r[0][7].as<double>())}});
  }
  for (const auto& s : switched) {
    alerts.push_back(json::object{{"kind", "kill_switch"}, {"severity", "info"},
                                  {"message", t("KI-Dienst abgeschaltet: ", "AI service switched off: ") + s[0].as<std::string>()},
                                  {"since", s[1].as<std::string>()}, {"value", nullptr}});
  }
  if (verified.empty() || verified[0][0].is_null() || !verified[0][0].as<bool>()) {
    alerts.push_back(json::object{{"kind", "chain_not_verified"}, {"severity", "warning"},
                                  {"message", t("Die Protokollkette wurde seit 35 Tagen nicht erfolgreich geprüft (leitplanke audit verify --record).",
                                                "The audit chain has not been verified successfully for 35 days (leitplanke audit verify --record).")},
                                  {"since", nullptr}, {"value", nullptr}});
  }
  return json::serialize(json::object{{"as_of", now_utc_iso()}, {"alerts", std::move(alerts)}});
}

response alerts(const environment& env, const request& req, const std::string& tenant, const policy::snapshot& pol) {
  // Cached like the overview (the query reads a week of refusals).
  static std::mutex mu;
  static std::map<std::pair<std::string, bool>, std::pair<std::chrono::steady_clock::time_point, std::string>> cache;
  const bool english = en(env, req);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lk(mu);
    const auto it = cache.find({tenant, english});
    if (it != cache.end() && now - it->second.first < std::chrono::seconds(10)) return {200, it->second.second, {}};
  }
  std::string body = compute_alerts(env, tenant, pol, english);
  std::lock_guard lk(mu);
  cache[{tenant, english}] = {now, body};
  return {200, std::move(body), {}};
}
}  // namespace

std::string error_json(const std::string& message, const std::string& type, const std::string& code) {
  return json::serialize(json::object{{"error", json::object{{"message", message}, {"type", type}, {"code", code}}}});
}

// Dispatches a request to its handler.
static response route(const environment& env, const request& req) {
  if (req.path == "/session") {
    if (req.method == "POST") return login(env, req);
    if (!req.who) return fail(401, L(env, req, "Bitte anmelden.", "Please log in."), "no_session");
    if (req.method == "GET") return reply(200, session_json(*req.who));
    if (req.method == "DELETE") return logout(env, req);
    return fail(405, "method not allowed", "method_not_allowed");
  }
  if (!req.who) return fail(401, L(env, req, "Bitte anmelden.", "Please log in."), "no_session");
  // Every view is of the caller's own administration (tenant).
  const std::string tenant = req.who->tenant;
  const auto pol = env.policy_of(tenant);
  if (!pol) return fail(404, "no policy for tenant " + tenant, "no_policy");
  if (req.method == "GET" && req.path == "/overview") return overview(env, req, tenant, *pol);
  if (req.method == "GET" && req.path == "/decisions") return decisions(env, req, tenant, *pol);
  if (req.method == "GET" && req.path.starts_with("/decisions/") && req.path.size() > 11) {
    return decision_detail(env, req, tenant, req.path.substr(11));
  }
  if (req.method == "GET" && req.path == "/services") return services(env, req, tenant, *pol);
  if (req.method == "GET" && req.path == "/rules") return rules(env, req, tenant, pol);
  if (req.method == "GET" && req.path == "/rules/diff") return rules_diff(env, req, tenant);
  if (req.method == "GET" && req.path == "/detections") return detections(env, req, tenant, *pol);
  if (req.method == "GET" && req.path == "/departments") return departments(env, tenant, *pol);
  if (req.method == "GET" && req.path == "/register") return register_view(env, req, tenant, *pol);
  if (req.method == "GET" && req.path == "/audit-chain") return audit_chain(env);
  if (req.method == "GET" && req.path == "/alerts") return alerts(env, req, tenant, *pol);
  static const std::regex ks(R"(^/services/([A-Za-z0-9._-]{1,64})/kill-switch$)");
  std::smatch m;
  if (std::regex_match(req.path, m, ks)) {
    if (req.method != "PUT") return fail(405, "method not allowed", "method_not_allowed");
    return kill_switch(env, req, tenant, *pol, m[1].str());
  }
  return fail(404, L(env, req, "Unbekannte Adresse.", "Unknown path."), "not_found");
}

response handle(const environment& env, const request& req) {
  try {
    try {
      return route(env, req);
    } catch (const pqxx::broken_connection&) {
      // The thread's connection may have died while idle (a database restart): drop it, and
      // run a read once more on a new one. Changes are not repeated (their commit may be in doubt).
      db_slot().reset();
      if (req.method != "GET") throw;
      return route(env, req);
    }
  } catch (const pqxx::broken_connection& e) {
    db_slot().reset();
    log::warn(std::string("admin: database unavailable: ") + e.what());
    return fail(503, L(env, req, "Die Datenbank ist nicht erreichbar.", "The database is unavailable."), "database_unavailable");
  } catch (const std::exception& e) {
    log::warn(std::string("admin: request failed: ") + e.what());
    return fail(500, L(env, req, "Interner Fehler.", "Internal error."), "internal_error");
  }
}

void sync_kill_switches(const environment& env) {
  std::map<std::string, std::vector<std::string>> off;
  try {
    pqxx::read_transaction tx(db(env));
    for (const auto& r : tx.exec("SELECT tenant, service FROM kill_switches WHERE off ORDER BY tenant, service")) {
      off[r[0].as<std::string>()].push_back(r[1].as<std::string>());
    }
  } catch (const pqxx::broken_connection&) {
    db_slot().reset();  // reconnect next time
    throw;
  }
  for (const auto& t : env.tenants()) env.set_services_off(t, off.count(t) ? off[t] : std::vector<std::string>{});
}

}  // namespace lp::admin
