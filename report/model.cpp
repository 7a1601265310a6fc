#include "report/model.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <unordered_map>

#include "policy/yaml_diag.h"

namespace lp::report {

namespace {

using namespace std::chrono;

std::optional<sys_days> parse_day(std::string_view s) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(std::string(s).c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string format_day(sys_days d) {
  const year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
  return buf;
}

period make_quarter(int y, int q) {
  const sys_days from{year{y} / month{unsigned(3 * q - 2)} / 1};
  const sys_days to{(year_month{year{y}, month{unsigned(3 * q - 2)}} + std::chrono::months{3}) / 1};
  return {format_day(from), format_day(to), std::to_string(y) + "-Q" + std::to_string(q)};
}

// The pseudonym periods (quarter "2026Q3" and month "2026-07" labels) the range touches.
std::vector<std::string> pseudonym_periods(const period& p) {
  std::set<std::string> out;
  for (const auto& m : lp::report::months(p)) {
    out.insert(m);
    const int month_no = std::stoi(m.substr(5, 2));
    out.insert(m.substr(0, 4) + "Q" + std::to_string((month_no - 1) / 3 + 1));
  }
  return {out.begin(), out.end()};
}

std::string array_literal(const std::vector<std::string>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ",\"" : "\"") + v[i] + "\"";
  return s + "}";
}

void load_usage(pqxx::work& tx, figures& f) {
  const auto& p = f.range;
  for (const auto& r : tx.exec_params(
           "SELECT to_char(day, 'YYYY-MM'), department, model, purpose, decision, status, sum(requests), "
           "sum(prompt_tokens), sum(completion_tokens), sum(acknowledged) FROM usage_daily "
           "WHERE tenant = $1 AND day >= $2::date AND day < $3::date GROUP BY 1, 2, 3, 4, 5, 6",
           f.tenant, p.from, p.to)) {
    usage_row u;
    u.month = r[0].as<std::string>();
    u.department = r[1].as<std::string>();
    u.model = r[2].as<std::string>();
    u.purpose = r[3].as<std::string>();
    u.decision = r[4].as<std::string>();
    u.status = r[5].as<int>();
    u.requests = r[6].as<std::int64_t>();
    u.prompt_tokens = r[7].as<std::int64_t>();
    u.completion_tokens = r[8].as<std::int64_t>();
    u.acknowledged = r[9].as<std::int64_t>();
    f.usage.push_back(std::move(u));
  }
}

void load_people(pqxx::work& tx, figures& f) {
  std::unordered_map<std::string, std::uint32_t> ids;
  for (const auto& r : tx.exec_params("SELECT period, department, dimension, value, user_ref, trained FROM active_users "
                                      "WHERE tenant = $1 AND period = ANY($2::text[]) AND dimension NOT IN ('day', 'day_decision')",
                                      f.tenant, array_literal(pseudonym_periods(f.range)))) {
    people_row x;
    x.period = r[0].as<std::string>();
    x.department = r[1].as<std::string>();
    x.dimension = r[2].as<std::string>();
    x.value = r[3].as<std::string>();
    const auto [it, added] = ids.emplace(r[4].as<std::string>(), static_cast<std::uint32_t>(ids.size()));
    x.person = it->second;
    x.trained = r[5].as<bool>();
    f.people.push_back(std::move(x));
  }
  f.persons = static_cast<std::uint32_t>(ids.size());
}

}  // namespace

std::optional<period> quarter(std::string_view q) {
  static const std::regex re("^([0-9]{4})-?Q([1-4])$");
  std::cmatch m;
  if (!std::regex_match(q.begin(), q.end(), m, re)) return std::nullopt;
  return make_quarter(std::stoi(m[1].str()), std::stoi(m[2].str()));
}

std::optional<period> days(std::string_view from, std::string_view to_inclusive) {
  const auto a = parse_day(from), b = parse_day(to_inclusive);
  if (!a || !b || *b < *a) return std::nullopt;
  return period{format_day(*a), format_day(*b + std::chrono::days{1}), std::string(from) + " – " + std::string(to_inclusive)};
}

period quarter_containing(std::chrono::system_clock::time_point t) {
  const year_month_day ymd{floor<std::chrono::days>(t)};
  return make_quarter(int(ymd.year()), static_cast<int>((unsigned(ymd.month()) - 1) / 3 + 1));
}

period previous(const period& p) {
  if (p.label.size() == 7 && p.label[4] == '-' && p.label[5] == 'Q') {
    int y = std::stoi(p.label.substr(0, 4)), q = p.label[6] - '0' - 1;
    if (q == 0) q = 4, --y;
    return make_quarter(y, q);
  }
  const auto a = *parse_day(p.from), b = *parse_day(p.to);
  const auto from = a - (b - a);
  return {format_day(from), p.from, format_day(from) + " – " + format_day(a - std::chrono::days{1})};
}

std::vector<std::string> months(const period& p) {
  std::vector<std::string> out;
  const auto a = *parse_day(p.from), b = *parse_day(p.to);
  for (year_month ym = year_month_day{a}.year() / year_month_day{a}.month(); sys_days{ym / 1} < b; ym += std::chrono::months{1}) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", int(ym.year()), unsigned(ym.month()));
    out.emplace_back(buf);
  }
  return out;
}

static void read_audit(pqxx::transaction_base& tx, const period& p, audit_status& a);

figures load(pqxx::connection& c, const std::string& tenant, const period& p) {
  figures f;
  f.range = p;
  f.tenant = tenant;
  pqxx::work tx(c);
  load_usage(tx, f);
  for (const auto& r : tx.exec_params("SELECT rule_id, decision, sum(requests) FROM rule_daily WHERE tenant = $1 AND "
                                      "day >= $2::date AND day < $3::date GROUP BY 1, 2",
                                      tenant, p.from, p.to)) {
    f.rules[{r[0].as<std::string>(), r[1].as<std::string>()}] = r[2].as<std::int64_t>();
  }
  for (const auto& r : tx.exec_params("SELECT entity_type, in_answer, sum(items), sum(requests) FROM entity_daily "
                                      "WHERE tenant = $1 AND day >= $2::date AND day < $3::date GROUP BY 1, 2",
                                      tenant, p.from, p.to)) {
    auto& e = f.entities[r[0].as<std::string>()];
    if (r[1].as<bool>()) {
      e.answer_items += r[2].as<std::int64_t>();
    } else {
      e.items += r[2].as<std::int64_t>();
      e.requests += r[3].as<std::int64_t>();
    }
  }
  load_people(tx, f);

  // The policy texts in force: the newest loaded before the period, and all loaded within it.
  std::vector<policy_version> all;
  for (const auto& r : tx.exec_params(
           "SELECT digest, version, to_char(first_loaded AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), source, "
           "first_loaded < $2::date FROM policy_versions WHERE tenant = $1 AND first_loaded < $3::date ORDER BY first_loaded",
           tenant, p.from, p.to)) {
    policy_version v;
    v.digest = r[0].as<std::string>();
    v.version = r[1].as<std::string>();
    v.first_loaded = r[2].as<std::string>();
    yaml::checker chk("policy " + v.digest.substr(0, 12));
    v.policy = policy::parse(r[3].as<std::string>(), chk, false);  // reports never evaluate requests
    if (!v.policy && !chk.diagnostics().empty()) v.problem = chk.diagnostics().front().message;
    if (r[4].as<bool>()) all.clear();  // superseded before the period began
    all.push_back(std::move(v));
  }
  f.versions = std::move(all);

  tx.commit();

  // The audit trail's own tables are installation-wide; a tenant reader may not be granted them.
  try {
    pqxx::read_transaction atx(c);
    read_audit(atx, p, f.audit);
  } catch (const pqxx::insufficient_privilege&) {
    f.audit.readable = false;
  }
  return f;
}

static void read_audit(pqxx::transaction_base& tx, const period& p, audit_status& a) {
  a.reidentifications = tx.exec_params1("SELECT count(*) FROM audit_events WHERE kind = 'reidentify' AND ts >= $1::date AND ts < $2::date",
                                        p.from, p.to)[0].as<std::int64_t>();
  a.checkpoints = tx.exec_params1("SELECT count(*) FROM audit_checkpoints WHERE ts >= $1::date AND ts < $2::date", p.from, p.to)[0]
                      .as<std::int64_t>();
  for (const auto& r : tx.exec_params("SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM audit_events WHERE kind = 'retention' "
                                      "AND ts >= $1::date AND ts < $2::date ORDER BY ts",
                                      p.from, p.to)) {
    a.retention_runs.push_back(r[0].as<std::string>());
  }
  const auto v = tx.exec("SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), coalesce(details->>'result', ''), "
                         "coalesce((details->>'records')::bigint, -1), coalesce((details->>'signatures_checked')::boolean, false) "
                         "FROM audit_events WHERE kind = 'verify' ORDER BY ts DESC LIMIT 1");
  if (!v.empty()) {
    a.last_verify_at = v[0][0].as<std::string>();
    a.last_verify_result = v[0][1].as<std::string>();
    a.last_verify_records = v[0][2].as<std::int64_t>();
    a.last_verify_signed = v[0][3].as<bool>();
  }
}

figures load_totals(pqxx::connection& c, const std::string& tenant, const period& p) {
  figures f;
  f.range = p;
  f.tenant = tenant;
  pqxx::work tx(c);
  load_usage(tx, f);
  load_people(tx, f);  // every dimension: the trend gates its figures too
  tx.commit();
  return f;
}

long contributors(const figures& f, const std::vector<std::string>& departments, const std::string& dimension,
                  const std::vector<std::string>& values, bool trained_only) {
  // Per pseudonym period: distinct people; the result is the largest of them.
  std::map<std::string, std::vector<char>> seen;
  std::map<std::string, long> counts;
  auto in = [](const std::vector<std::string>& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  for (const auto& r : f.people) {
    if (r.dimension != dimension || (trained_only && !r.trained) || !in(departments, r.department) || !in(values, r.value)) continue;
    auto& marks = seen[r.period];
    if (marks.empty()) marks.assign(f.persons, 0);
    if (!marks[r.person]) {
      marks[r.person] = 1;
      ++counts[r.period];
    }
  }
  long best = 0;
  for (const auto& [period, n] : counts) best = std::max(best, n);
  return best;
}

}  // namespace lp::report
