#include "policy/testing.h"

#include <date/date.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace lp::policy {
namespace fs = std::filesystem;

request_facts facts_input::view() const {
  request_facts f;
  f.department = department;
  f.role = role;
  f.model = model;
  f.purpose = purpose;
  f.acknowledged = acknowledged;
  f.trained = trained;
  f.weekday = weekday;
  f.minute = minute;
  f.detected = detected;
  f.forwarded = forwarded;
  f.pattern_hits = &pattern_hits;
  return f;
}

void facts_input::prepare(const snapshot& s, const redact::detector& d) {
  pattern_hits.assign(s.pattern_sources.size(), false);
  if (!text.empty()) {
    d.count(text, detected);
    if (s.patterns && !s.patterns->scan(text, pattern_hits)) throw std::runtime_error("content pattern scan failed");
  }
  forwarded = forwarded_counts(s, detected);
}

bool parse_local_time(std::string_view text, unsigned char& weekday, std::uint16_t& minute) {
  // YYYY-MM-DD HH:MM
  if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T') || text[4] != '-' || text[7] != '-' || text[13] != ':') {
    return false;
  }
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi)) return false;
  const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(mo)), date::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59) return false;
  weekday = static_cast<unsigned char>(date::weekday(date::sys_days(ymd)).iso_encoding() - 1);
  minute = static_cast<std::uint16_t>(h * 60 + mi);
  return true;
}

std::string outcome_name(const decision& d) {
  if (d.allowed) return "allow";
  return d.needs_acknowledgement ? "require_acknowledgement" : "deny";
}

namespace {



std::vector<std::string> determining_ids(const decision& d) {
  std::vector<std::string> ids;
  for (const auto* r : d.determining) ids.push_back(r->id);
  if (!d.allowed && !d.needs_acknowledgement && ids.empty()) ids.emplace_back(default_deny_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return "[" + out + "]";
}

bool read_facts(const YAML::Node& n, yaml::checker& c, facts_input& f) {
  if (!c.is_map(n, "request")) return false;
  c.only_keys(n, {"department", "role", "model", "purpose", "acknowledged", "trained", "detected", "text", "at"});
  bool ok = true;
  if (n["at"]) {
    std::string at;
    if (c.scalar(n["at"], "at", at) && !parse_local_time(at, f.weekday, f.minute)) {
      c.error(n["at"], "'" + at + "' is not a local date and time (YYYY-MM-DD HH:MM)");
      ok = false;
    }
  }
  if (n["trained"]) ok &= c.boolean(n["trained"], "trained", f.trained);
  if (n["purpose"]) ok &= c.scalar(n["purpose"], "purpose", f.purpose);
  if (n["acknowledged"]) ok &= c.boolean(n["acknowledged"], "acknowledged", f.acknowledged);
  if (n["department"]) ok &= c.scalar(n["department"], "department", f.department);
  if (n["role"]) ok &= c.scalar(n["role"], "role", f.role);
  if (n["model"]) ok &= c.scalar(n["model"], "model", f.model);
  if (n["text"]) ok &= c.scalar(n["text"], "text", f.text);
  if (n["detected"]) {
    std::vector<std::string> types;
    if (c.string_list(n["detected"], "detected", types)) {
      for (const auto& t : types) {
        if (auto et = redact::entity_from_string(t)) {
          ++f.detected[static_cast<std::size_t>(*et)];
        } else {
          c.error(n["detected"], "unknown entity type '" + t + "'");
          ok = false;
        }
      }
    } else {
      ok = false;
    }
  }
  return ok;
}

void run_file(const std::string& file, const redact::detector& d, std::ostream& out, std::ostream& err,
              test_summary& sum) {
  yaml::checker c(file);
  std::string text;
  YAML::Node root;
  if (yaml::read_file(file, text, c)) root = yaml::load(text, c);
  auto report = [&] {
    for (const auto& diag : c.diagnostics()) err << diag.format() << "\n";
    sum.errors += static_cast<int>(c.diagnostics().size());
  };
  if (!c.ok() || !c.is_map(root, "a policy test file")) return report();
  c.only_keys(root, {"policy", "cases"});
  std::string policy_path;
  if (!root["policy"] || !c.scalar(root["policy"], "policy", policy_path)) {
    if (!root["policy"]) c.error(root, "missing 'policy' (the policy file these cases test)");
    return report();
  }
  if (fs::path(policy_path).is_relative()) policy_path = (fs::path(file).parent_path() / policy_path).lexically_normal().string();
  std::vector<yaml::diagnostic> pdiags;
  auto pol = load_file(policy_path, pdiags);
  if (!pol) {
    for (const auto& diag : pdiags) err << diag.format() << "\n";
    c.error(root["policy"], "the policy " + policy_path + " has errors");
    return report();
  }
  if (!root["cases"] || !c.is_seq(root["cases"], "cases")) {
    if (!root["cases"]) c.error(root, "missing 'cases'");
    return report();
  }
  for (const auto& tc : root["cases"]) {
    if (!c.is_map(tc, "a test case")) continue;
    c.only_keys(tc, {"name", "request", "expect"});
    std::string name = "(unnamed, line " + std::to_string(tc.Mark().line + 1) + ")";
    if (tc["name"]) c.scalar(tc["name"], "name", name);
    facts_input f;
    const std::size_t errors_before = c.diagnostics().size();
    if (!tc["request"]) c.error(tc, "test case '" + name + "' has no 'request'");
    else if (read_facts(tc["request"], c, f) && !f.purpose.empty() && !pol->purposes.empty() &&
             !find_purpose(*pol, f.purpose)) {
      c.error(tc["request"]["purpose"], "unknown purpose '" + f.purpose + "' (not listed under the policy's purposes:)");
    }
    std::string want_effect;
    std::vector<std::string> want_rules;
    bool check_rules = false;
    std::vector<std::string> want_notices;
    bool check_notices = false;
    std::string want_route;
    bool check_route = false;
    std::vector<std::pair<std::size_t, redact::operator_kind>> want_redact;
    if (!tc["expect"]) {
      c.error(tc, "test case '" + name + "' has no 'expect'");
    } else if (c.is_map(tc["expect"], "expect")) {
      const auto e = tc["expect"];
      c.only_keys(e, {"effect", "rules", "notices", "route_to", "redact"});
      if (const auto red = e["redact"]; red && c.is_map(red, "redact")) {
        for (const auto& [et, op] : parse_operators(red, c)) want_redact.emplace_back(static_cast<std::size_t>(et), op);
      }
      if (e["route_to"]) check_route = c.scalar(e["route_to"], "route_to", want_route);
      if (e["notices"]) check_notices = c.string_list(e["notices"], "notices", want_notices);
      if (!e["effect"]) {
        c.error(e, "expect needs 'effect' (allow or deny)");
      } else if (c.scalar(e["effect"], "effect", want_effect) && want_effect != "allow" && want_effect != "deny" &&
                 want_effect != "require_acknowledgement") {
        c.error(e["effect"], "effect must be allow, deny or require_acknowledgement");
      }
      if (e["rules"]) check_rules = c.string_list(e["rules"], "rules", want_rules);
    }
    if (c.diagnostics().size() != errors_before) continue;
    f.prepare(*pol, d);
    const auto dec = evaluate(*pol, f.view());
    const auto got_rules = determining_ids(dec);
    std::sort(want_rules.begin(), want_rules.end());
    std::string why;
    if (outcome_name(dec) != want_effect) why = "expected " + want_effect + ", got " + outcome_name(dec);
    if (check_rules && got_rules != want_rules) {
      why += (why.empty() ? "" : "; ") + std::string("expected rules ") + join(want_rules) + ", got " + join(got_rules);
    }
    if (check_route && std::string(dec.route_to) != want_route) {
      why += (why.empty() ? "" : "; ") + std::string("expected route to '") + want_route + "', got '" +
             std::string(dec.route_to) + "'";
    }
    for (const auto& [type, op] : want_redact) {
      if (dec.redaction[type] != op) {
        why += (why.empty() ? "" : "; ") + std::string("expected ") + std::string(redact::entity_names[type]) + ": " +
               std::string(redact::to_string(op)) + ", got " + std::string(redact::to_string(dec.redaction[type]));
      }
    }
    if (check_notices) {
      std::vector<std::string> got_notices;
      for (const auto* w : dec.warnings) got_notices.push_back(w->id);
      std::sort(got_notices.begin(), got_notices.end());
      std::sort(want_notices.begin(), want_notices.end());
      if (got_notices != want_notices) {
        why += (why.empty() ? "" : "; ") + std::string("expected notices ") + join(want_notices) + ", got " +
               join(got_notices);
      }
    }
    if (why.empty()) {
      ++sum.passed;
      out << "ok - " << name << "\n";
    } else {
      ++sum.failed;
      out << "FAIL - " << name << " (" << file << ":" << tc.Mark().line + 1 << "): " << why << "\n";
    }
  }
  report();
}

}  // namespace

test_summary run_tests(const std::string& path, const redact::detector& d, std::ostream& out, std::ostream& err) {
  test_summary sum;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
      if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml")) {
        files.push_back(e.path().string());
      }
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  if (files.empty()) {
    err << path << ": no test files (*.yaml)\n";
    ++sum.errors;
  }
  for (const auto& f : files) run_file(f, d, out, err, sum);
  return sum;
}

void explain(const snapshot& s, const facts_input& f, std::ostream& out) {
  const auto v = f.view();
  const auto dec = evaluate(s, v);
  out << "decision: " << outcome_name(dec) << " " << join(determining_ids(dec));
  if (!dec.route_to.empty()) out << " (routed to " << dec.route_to << ")";
  out << "\n";
  out << "policy: " << s.version << " (sha256 " << s.digest.substr(0, 12) << ")\n";
  out << "request: department=" << f.department << " role=" << f.role << " model=" << f.model;
  if (!f.purpose.empty()) out << " purpose=" << f.purpose;
  if (f.acknowledged) out << " acknowledged";
  if (!f.trained) out << " untrained";
  {
    static constexpr const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    char at[40];
    std::snprintf(at, sizeof at, " at=%s %02u:%02u (%s)", days[f.weekday % 7], f.minute / 60u, f.minute % 60u,
                  s.timezone.c_str());
    out << at;
  }
  out << " detected=";
  std::vector<std::string> det;
  for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
    if (f.detected[i]) det.push_back(std::string(redact::entity_names[i]) + ":" + std::to_string(f.detected[i]));
  }
  out << join(det) << "\n\n";
  for (const auto& t : trace(s, v)) {
    out << (t.matched ? "  matches        " : "  does not match ") << t.r->id << " ("
        << to_string(t.r->eff) << ")";
    if (!t.r->reference.empty()) out << ", " << t.r->reference;
    out << "\n";
    for (const auto& u : t.unmet) out << "      - " << u << "\n";
  }
  out << "\n";
  if (dec.needs_acknowledgement) {
    out << "A rule requires confirmed human review; the client must resend with the header "
           "X-Leitplanke-Acknowledge: human-review.\n";
  } else if (!dec.allowed && dec.determining.empty()) {
    out << "No allow rule matches, so the default applies: deny (" << default_deny_id << ").\n";
  } else if (!dec.allowed) {
    out << "A deny rule matches; deny overrides allow.\n";
  } else {
    out << "An allow rule matches and no deny rule does.\n";
  }
  for (const auto* w : dec.warnings) out << "Notice to the user (" << w->id << "): " << w->explanation(language::de) << "\n";
  if (dec.allowed) {
    std::vector<std::string> ops;
    for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
      if (dec.redaction[i] != redact::operator_kind::keep) ops.push_back(std::string(redact::entity_names[i]) + ": " + std::string(redact::to_string(dec.redaction[i])));
    }
    out << "Redaction before forwarding: " << (ops.empty() ? std::string("none") : join(ops));
    if (!dec.redacted_by.empty()) {
      std::vector<std::string> ids;
      for (const auto* r : dec.redacted_by) ids.push_back(r->id);
      out << " (set by " << join(ids) << ")";
    }
    out << "\n";
  }
}

}  // namespace lp::policy
