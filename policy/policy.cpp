#include "policy/policy.h"

#include <boost/container/small_vector.hpp>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/digest.h"

namespace lp::policy {
namespace {

bool in_list(const std::vector<std::string>& list, std::string_view v) {
  if (list.empty()) return true;
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool pattern_hit(const rule& r, const request_facts& f) {
  if (!f.pattern_hits) return false;
  for (auto i : r.patterns) {
    if (i < f.pattern_hits->size() && (*f.pattern_hits)[i]) return true;
  }
  return false;
}

bool any_hit(const std::vector<std::size_t>& patterns, const request_facts& f) {
  if (!f.pattern_hits) return false;
  for (auto i : patterns) {
    if (i < f.pattern_hits->size() && (*f.pattern_hits)[i]) return true;
  }
  return false;
}

bool time_ok(const rule& r, const request_facts& f) {
  if (r.weekdays != 0 && !(r.weekdays >> f.weekday & 1u)) return false;
  if (r.from_minute == r.to_minute) return true;
  if (r.from_minute < r.to_minute) return f.minute >= r.from_minute && f.minute < r.to_minute;
  return f.minute >= r.from_minute || f.minute < r.to_minute;  // wraps past midnight
}

bool data_condition(const rule& r, const request_facts& f) {
  if (r.detected_mask == 0 && r.class_patterns.empty()) return true;
  const auto& counts = r.forwarded_only ? f.forwarded : f.detected;
  for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
    if ((r.detected_mask >> i & 1u) && counts[i] > 0) return true;
  }
  return any_hit(r.class_patterns, f);
}

bool matches(const rule& r, const request_facts& f) {
  if (r.other_departments ? in_list(r.departments, f.department) : !in_list(r.departments, f.department)) return false;
  if (!in_list(r.roles, f.role)) return false;
  if (!in_list(r.models, f.model)) return false;
  if (!r.services.empty() && !in_list(r.service_models, f.model)) return false;
  if (!in_list(r.purposes, f.purpose)) return false;
  if (!r.patterns.empty() && !pattern_hit(r, f)) return false;
  if (r.training == 1 && f.trained) return false;
  if (r.training == 2 && !f.trained) return false;
  if (!time_ok(r, f)) return false;
  return data_condition(r, f);
}

const data_class* find_class(const snapshot& s, std::string_view name) {
  for (const auto& c : s.data_classes) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  }
  return id != default_deny_id;
}

bool known_category(std::string_view v) {
  return std::find(rule_categories.begin(), rule_categories.end(), v) != rule_categories.end();
}

std::string category_list() {
  std::string out;
  for (auto cat : rule_categories) out += (out.empty() ? "" : ", ") + std::string(cat);
  return out;
}

// "2026-11-01": a valid calendar date written YYYY-MM-DD.
bool valid_date(std::string_view v) {
  if (v.size() != 10 || v[4] != '-' || v[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  for (std::size_t i = 0, part = 0; i < v.size(); ++i) {
    if (i == 4 || i == 7) {
      ++part;
      continue;
    }
    if (v[i] < '0' || v[i] > '9') return false;
    parts[part] = parts[part] * 10 + (v[i] - '0');
  }
  return date::year_month_day{date::year(parts[0]), date::month(static_cast<unsigned>(parts[1])),
                              date::day(static_cast<unsigned>(parts[2]))}
      .ok();
}

// Reads the date at `n` (YYYY-MM-DD) into `out`; reports a text that is not one.
bool parse_date(const YAML::Node& n, std::string_view what, yaml::checker& c, std::string& out) {
  if (!c.scalar(n, what, out)) return false;
  if (valid_date(out)) return true;
  c.error(n, "'" + out + "' is not a date (" + std::string(what) + ": YYYY-MM-DD)");
  out.clear();
  return false;
}

const service* service_of(const snapshot& s, std::string_view model) {
  for (const auto& sv : s.services) {
    if (std::find(sv.models.begin(), sv.models.end(), model) != sv.models.end()) return &sv;
  }
  return nullptr;
}

// Entity type names for messages: "EMAIL, IBAN, …".
std::string known_entity_types() {
  std::string known;
  for (auto name : redact::entity_names) known += (known.empty() ? "" : ", ") + std::string(name);
  return known;
}

// Adds the entity types listed in `n` to `mask`; unknown ones are reported.
void parse_entity_types(const YAML::Node& n, std::string_view what, yaml::checker& c, std::uint32_t& mask) {
  std::vector<std::string> types;
  if (!c.string_list(n, what, types)) return;
  for (const auto& t : types) {
    if (auto et = redact::entity_from_string(t)) {
      mask |= 1u << static_cast<unsigned>(*et);
    } else {
      c.error(n, "unknown entity type '" + t + "' (known: " + known_entity_types() + ")");
    }
  }
}

// Adds a list of content patterns to the snapshot's pattern set; their indices go to `into`.
void parse_patterns(const YAML::Node& pn, yaml::checker& c, snapshot& s, std::vector<YAML::Mark>& pattern_marks,
                    std::vector<std::size_t>& into) {
  std::vector<std::string> pats;
  if (!c.string_list(pn, "patterns", pats)) return;
  for (std::size_t i = 0; i < pats.size(); ++i) {
    if (pats[i].empty()) {
      c.error(pn, "empty pattern: it would match every request");
      continue;
    }
    into.push_back(s.pattern_sources.size());
    s.pattern_sources.push_back(pats[i]);
    pattern_marks.push_back(pn.IsSequence() ? pn[i].Mark() : pn.Mark());
  }
}

// "07:30" -> 450; "24:00" is the end of the day.
bool parse_clock(const std::string& v, std::uint16_t& out) {
  if (v.size() != 5 || v[2] != ':') return false;
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (v[i] < '0' || v[i] > '9') return false;
  }
  const int h = (v[0] - '0') * 10 + (v[1] - '0');
  const int m = (v[3] - '0') * 10 + (v[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
  out = static_cast<std::uint16_t>(h * 60 + m);
  return true;
}

void parse_time(const YAML::Node& t, yaml::checker& c, rule& r) {
  if (!c.is_map(t, "time")) return;
  c.only_keys(t, {"days", "from", "to"});
  static constexpr std::array<std::string_view, 7> de = {"mo", "di", "mi", "do", "fr", "sa", "so"};
  static constexpr std::array<std::string_view, 7> en = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  std::vector<std::string> days;
  if (t["days"] && c.string_list(t["days"], "days", days)) {
    for (const auto& d : days) {
      bool known = false;
      for (unsigned i = 0; i < 7; ++i) {
        if (d == de[i] || d == en[i]) {
          r.weekdays |= static_cast<unsigned char>(1u << i);
          known = true;
        }
      }
      if (!known) c.error(t["days"], "unknown day '" + d + "' (mo di mi do fr sa so, or mon tue wed thu fri sat sun)");
    }
    if (days.empty()) c.error(t["days"], "empty 'days' list: this rule can never fire");
  }
  if (t["from"].IsDefined() != t["to"].IsDefined()) {
    c.error(t, "time needs both 'from' and 'to' (HH:MM, local time of the policy's timezone)");
    return;
  }
  if (!t["from"]) return;
  std::string from, to;
  if (c.scalar(t["from"], "from", from) && !parse_clock(from, r.from_minute)) {
    c.error(t["from"], "'" + from + "' is not a time of day (HH:MM, 00:00-24:00)");
  }
  if (c.scalar(t["to"], "to", to) && !parse_clock(to, r.to_minute)) {
    c.error(t["to"], "'" + to + "' is not a time of day (HH:MM, 00:00-24:00)");
  }
  if (r.to_minute == 24 * 60 && r.from_minute == 0) r.to_minute = 0;  // all day
  if (from == to && !from.empty()) c.error(t["to"], "'from' equals 'to': this time window is empty, the rule can never fire");
}

void parse_rule(const YAML::Node& n, yaml::checker& c, snapshot& s, std::vector<YAML::Mark>& pattern_marks) {
  if (!c.is_map(n, "a rule")) return;
  c.only_keys(n, {"id", "title", "effect", "to", "redact", "when", "reference", "category", "explanation"});
  rule r;
  bool ok = true;
  if (!n["id"]) {
    c.error(n, "rule without 'id'");
    ok = false;
  } else if (c.scalar(n["id"], "id", r.id) && (r.id.starts_with("kill-switch.") || r.id.starts_with("third-country.") ||
                                                r.id.starts_with("data-class.") || r.id.starts_with("department."))) {
    c.error(n["id"], "rule ids starting with kill-switch., third-country., data-class. or department. are reserved for rules derived from services");
    ok = false;
  } else if (!r.id.empty() && !valid_id(r.id)) {
    c.error(n["id"], "rule id '" + r.id + "' must be 1-64 characters of a-z 0-9 - _ . (and not 'default-deny')");
    ok = false;
  }
  if (n["title"]) c.scalar(n["title"], "title", r.title);
  if (!n["effect"]) {
    c.error(n, "rule '" + r.id + "' has no 'effect' (allow or deny)");
    ok = false;
  } else {
    std::string e;
    if (c.scalar(n["effect"], "effect", e)) {
      if (e == "allow") {
        r.eff = effect::allow;
      } else if (e == "deny") {
        r.eff = effect::deny;
      } else if (e == "require_acknowledgement") {
        r.eff = effect::require_acknowledgement;
      } else if (e == "warn") {
        r.eff = effect::warn;
      } else if (e == "route") {
        r.eff = effect::route;
      } else if (e == "redact") {
        r.eff = effect::redact;
      } else {
        c.error(n["effect"],
                "unknown effect '" + e + "' (allowed: allow, deny, require_acknowledgement, warn, route, redact)");
        ok = false;
      }
    }
  }
  if (n["to"]) {
    if (r.eff != effect::route) c.error(n["to"], "'to' belongs to rules with effect route");
    c.scalar(n["to"], "to", r.route_to);
  } else if (ok && r.eff == effect::route) {
    c.error(n, "route rule '" + r.id + "' needs 'to' (the model requests are sent to instead)");
  }
  if (const auto red = n["redact"]) {
    if (r.eff != effect::redact) c.error(red, "'redact' belongs to rules with effect redact");
    if (c.is_map(red, "redact")) {
      for (const auto& [et, op] : parse_operators(red, c)) {
        r.redact_types |= 1u << static_cast<unsigned>(et);
        r.redact_ops[static_cast<std::size_t>(et)] = op;
      }
      if (red.size() == 0) c.error(red, "an empty 'redact' map: this rule changes nothing");
    }
  } else if (ok && r.eff == effect::redact) {
    c.error(n, "redact rule '" + r.id + "' needs 'redact' (entity type: mask | pseudonymize | keep)");
  }
  if (n["to"] && !r.route_to.empty() && !s.services.empty() && !service_of(s, r.route_to)) {
    c.error(n["to"], "unknown model '" + r.route_to + "' (no service under services: provides it)");
  }
  if (n["reference"]) c.scalar(n["reference"], "reference", r.reference);
  if (n["category"] && c.scalar(n["category"], "category", r.category) && !known_category(r.category)) {
    c.error(n["category"], "unknown category '" + r.category + "' (allowed: " + category_list() + ")");
  }
  if (const auto ex = n["explanation"]) {
    if (ex.IsScalar()) {
      r.explanation_de = ex.Scalar();
    } else if (c.is_map(ex, "explanation")) {
      c.only_keys(ex, {"de", "en"});
      if (ex["de"]) c.scalar(ex["de"], "explanation.de", r.explanation_de);
      if (ex["en"]) c.scalar(ex["en"], "explanation.en", r.explanation_en);
    }
  }
  if (ok && r.explanation_de.empty() && r.eff != effect::allow && r.eff != effect::route && r.eff != effect::redact) {
    c.error(n, "rule '" + r.id + "' needs a German explanation (explanation.de) shown to staff");
  }
  if (const auto w = n["when"]) {
    if (c.is_map(w, "when")) {
      c.only_keys(w, {"departments", "roles", "models", "services", "purposes", "detected", "data_classes", "patterns",
                      "training", "time"});
      if (w["time"]) parse_time(w["time"], c, r);
      if (w["data_classes"]) {
        std::vector<std::string> names;
        if (c.string_list(w["data_classes"], "data_classes", names)) {
          for (const auto& nm : names) {
            if (const auto* dc = find_class(s, nm)) {
              r.detected_mask |= dc->mask;
              r.class_patterns.insert(r.class_patterns.end(), dc->patterns.begin(), dc->patterns.end());
            } else {
              c.error(w["data_classes"], "unknown data class '" + nm + "' (define it under data_classes:)");
            }
          }
        }
      }
      if (w["services"] && c.string_list(w["services"], "services", r.services)) {
        for (const auto& name : r.services) {
          const service* sv = nullptr;
          for (const auto& x : s.services) {
            if (x.name == name) sv = &x;
          }
          if (!sv) {
            c.error(w["services"], "unknown service '" + name + "' (define it under services:)");
          } else {
            r.service_models.insert(r.service_models.end(), sv->models.begin(), sv->models.end());
          }
        }
      }
      if (w["departments"] && !s.departments.empty()) {
        std::vector<std::string> ds;
        if (c.string_list(w["departments"], "departments", ds)) {
          for (const auto& d : ds) {
            if (!in_list(s.departments, d)) {
              c.error(w["departments"], "unknown department '" + d + "' (not listed under departments:)");
            }
          }
        }
      }
      if (w["training"]) {
        std::string t;
        if (c.scalar(w["training"], "training", t)) {
          if (t == "missing") r.training = 1;
          else if (t == "valid") r.training = 2;
          else c.error(w["training"], "training must be missing or valid");
        }
      }
      if (w["purposes"] && c.string_list(w["purposes"], "purposes", r.purposes) && !s.purposes.empty()) {
        for (const auto& p : r.purposes) {
          if (!find_purpose(s, p)) c.error(w["purposes"], "unknown purpose '" + p + "' (not listed under purposes:)");
        }
      }
      if (const auto pn = w["patterns"]) parse_patterns(pn, c, s, pattern_marks, r.patterns);
      if (w["departments"]) c.string_list(w["departments"], "departments", r.departments);
      if (w["roles"]) {
        c.string_list(w["roles"], "roles", r.roles);
        for (const auto& role : r.roles) {
          if (role != "staff" && role != "dpo" && role != "admin") {
            c.error(w["roles"], "unknown role '" + role + "' (allowed: staff, dpo, admin)");
          }
        }
      }
      if (w["models"] && c.string_list(w["models"], "models", r.models) && !s.services.empty()) {
        for (const auto& m : r.models) {
          if (!service_of(s, m)) c.error(w["models"], "unknown model '" + m + "' (no service under services: provides it)");
        }
        if (!r.services.empty()) {
          bool overlap = false;
          for (const auto& m : r.models) overlap = overlap || in_list(r.service_models, m);
          if (!overlap) {
            c.error(w["models"], "none of these models belongs to the rule's services: this rule can never fire");
          }
        }
      }
      if (w["detected"]) parse_entity_types(w["detected"], "detected", c, r.detected_mask);
      for (const char* key : {"departments", "roles", "models", "services", "purposes", "patterns"}) {
        if (w[key] && w[key].IsSequence() && w[key].size() == 0) {
          c.error(w[key], std::string("empty '") + key + "' list: this rule can never fire");
        }
      }
    }
  }
  for (const auto& other : s.rules) {
    if (!r.id.empty() && other.id == r.id) c.error(n["id"], "duplicate rule id '" + r.id + "'");
  }
  if (ok) s.rules.push_back(std::move(r));
}

// Reads the number >= 0 at `v` into `out`; `what` and `unit` name it in messages.
bool parse_amount(const YAML::Node& v, std::string_view what, std::string_view unit, yaml::checker& c, double& out) {
  if (!v.IsScalar()) {
    c.error(v, std::string(what) + " must be a number (" + std::string(unit) + ")");
    return false;
  }
  try {
    std::size_t used = 0;
    const double x = std::stod(v.Scalar(), &used);
    if (used == v.Scalar().size() && x >= 0 && std::isfinite(x)) {
      out = x;
      return true;
    }
  } catch (const std::exception&) {
  }
  c.error(v, std::string(what) + " must be a number >= 0 (" + std::string(unit) + ")");
  return false;
}

// The same for the value under `key` of map `n`; an absent key leaves `out` alone.
bool parse_number(const YAML::Node& n, const char* key, std::string_view unit, yaml::checker& c, double& out) {
  return !n[key] || parse_amount(n[key], key, unit, c, out);
}

bool parse_price(const YAML::Node& n, const char* key, yaml::checker& c, double& out) {
  return parse_number(n, key, "EUR per 1,000 tokens", c, out);
}

void parse_service(const std::string& name, const YAML::Node& n, yaml::checker& c, snapshot& s) {
  if (!c.is_map(n, "a service")) return;
  c.only_keys(n, {"provider", "models", "hosting", "processor_contract", "no_training_on_inputs", "price_per_1k_tokens",
                  "enabled", "disabled_models", "data_classes", "departments", "energy_wh_per_1k_tokens",
                  "energy_source"});
  service sv;
  sv.name = name;
  if (!valid_id(name)) c.error(n, "service name '" + name + "' must be 1-64 characters of a-z 0-9 - _ .");
  if (n["provider"]) c.scalar(n["provider"], "provider", sv.provider);
  if (!n["models"]) {
    c.error(n, "service '" + name + "' lists no models");
  } else if (c.string_list(n["models"], "models", sv.models)) {
    for (const auto& m : sv.models) {
      for (const auto& other : s.services) {
        if (std::find(other.models.begin(), other.models.end(), m) != other.models.end()) {
          c.error(n["models"], "model '" + m + "' belongs to service '" + other.name + "' already");
        }
      }
    }
  }
  if (const auto h = n["hosting"]) {
    if (c.is_map(h, "hosting")) {
      c.only_keys(h, {"location", "transfer_basis"});
      if (h["location"]) c.scalar(h["location"], "location", sv.location);
      std::string b;
      if (h["transfer_basis"] && c.scalar(h["transfer_basis"], "transfer_basis", b)) {
        if (b == "eea") sv.basis = transfer_basis::eea;
        else if (b == "adequacy") sv.basis = transfer_basis::adequacy;
        else if (b == "scc") sv.basis = transfer_basis::scc;
        else if (b == "none") sv.basis = transfer_basis::none;
        else c.error(h["transfer_basis"], "unknown transfer_basis '" + b + "' (allowed: eea, adequacy, scc, none)");
      }
    }
  }
  if (n["processor_contract"]) c.scalar(n["processor_contract"], "processor_contract", sv.processor_contract);
  if (n["no_training_on_inputs"]) c.boolean(n["no_training_on_inputs"], "no_training_on_inputs", sv.no_training_on_inputs);
  if (const auto p = n["price_per_1k_tokens"]) {
    if (c.is_map(p, "price_per_1k_tokens")) {
      c.only_keys(p, {"input", "output"});
      parse_price(p, "input", c, sv.price_input_per_1k);
      parse_price(p, "output", c, sv.price_output_per_1k);
    }
  }
  parse_number(n, "energy_wh_per_1k_tokens", "Wh per 1,000 tokens", c, sv.energy_wh_per_1k_tokens);
  if (n["energy_source"]) c.scalar(n["energy_source"], "energy_source", sv.energy_source);
  if (n["enabled"]) c.boolean(n["enabled"], "enabled", sv.enabled);
  if (n["disabled_models"] && c.string_list(n["disabled_models"], "disabled_models", sv.disabled_models)) {
    for (const auto& m : sv.disabled_models) {
      if (std::find(sv.models.begin(), sv.models.end(), m) == sv.models.end()) {
        c.error(n["disabled_models"], "disabled model '" + m + "' is not one of service '" + name + "''s models");
      }
    }
  }
  if (n["data_classes"] && c.string_list(n["data_classes"], "data_classes", sv.data_classes)) {
    for (const auto& nm : sv.data_classes) {
      if (!find_class(s, nm)) c.error(n["data_classes"], "unknown data class '" + nm + "' (define it under data_classes:)");
    }
    if (sv.data_classes.empty()) {
      c.error(n["data_classes"], "an empty list approves no data class; list the approved classes or leave the key out");
    }
  }
  if (n["departments"] && c.string_list(n["departments"], "departments", sv.departments)) {
    if (sv.departments.empty()) {
      c.error(n["departments"], "an empty list approves no department; list the approved ones or leave the key out");
    }
    if (!s.departments.empty()) {
      for (const auto& d : sv.departments) {
        if (!in_list(s.departments, d)) {
          c.error(n["departments"], "unknown department '" + d + "' (not listed under departments:)");
        }
      }
    }
  }
  s.services.push_back(std::move(sv));
}

// `purposes.<name>.register`: what the AI register publishes about the use case.
void parse_register(const YAML::Node& n, yaml::checker& c, register_entry& e) {
  if (!c.is_map(n, "register")) return;
  c.only_keys(n, {"status", "begin_date", "end_date", "risk_class", "annex_iii_point", "domain", "owner", "contact",
                  "goal", "scope", "benefit", "human_intervention", "lawful_basis", "affected_groups", "dpia", "fria",
                  "objection_procedure", "monitoring", "alternatives", "proportionality", "shared_with", "tags",
                  "risks"});
  const std::pair<const char*, std::string*> texts[] = {
      {"annex_iii_point", &e.annex_iii_point},
      {"domain", &e.domain},
      {"owner", &e.owner},
      {"contact", &e.contact},
      {"goal", &e.goal},
      {"scope", &e.scope},
      {"benefit", &e.benefit},
      {"human_intervention", &e.human_intervention},
      {"lawful_basis", &e.lawful_basis},
      {"affected_groups", &e.affected_groups},
      {"dpia", &e.dpia},
      {"fria", &e.fria},
      {"objection_procedure", &e.objection_procedure},
      {"monitoring", &e.monitoring},
      {"alternatives", &e.alternatives},
      {"proportionality", &e.proportionality},
  };
  for (const auto& [key, out] : texts) {
    if (n[key]) c.scalar(n[key], key, *out);
  }
  std::string v;
  if (n["status"] && c.scalar(n["status"], "status", v)) {
    if (v == "in_development" || v == "in_use" || v == "out_of_use") {
      e.status = v;
    } else {
      c.error(n["status"], "unknown status '" + v + "' (allowed: in_development, in_use, out_of_use)");
    }
  }
  if (n["risk_class"] && c.scalar(n["risk_class"], "risk_class", v)) {
    if (v == "minimal" || v == "limited" || v == "high") {
      e.risk_class = v;
    } else {
      c.error(n["risk_class"], "unknown risk_class '" + v + "' (allowed: minimal, limited, high)");
    }
  }
  if (n["begin_date"]) parse_date(n["begin_date"], "begin_date", c, e.begin_date);
  if (n["end_date"] && parse_date(n["end_date"], "end_date", c, e.end_date) && !e.begin_date.empty() &&
      e.end_date < e.begin_date) {
    c.error(n["end_date"], "end_date " + e.end_date + " is before begin_date " + e.begin_date);
  }
  if (n["shared_with"]) c.string_list(n["shared_with"], "shared_with", e.shared_with);
  if (n["tags"]) c.string_list(n["tags"], "tags", e.tags);
  if (const auto rs = n["risks"]; rs && c.is_seq(rs, "risks")) {
    for (const auto& rn : rs) {
      if (!c.is_map(rn, "a risk")) continue;
      c.only_keys(rn, {"name", "description", "mitigation"});
      register_risk r;
      if (!rn["name"]) c.error(rn, "a risk needs a name");
      if (rn["name"]) c.scalar(rn["name"], "name", r.name);
      if (rn["description"]) c.scalar(rn["description"], "description", r.description);
      if (rn["mitigation"]) c.scalar(rn["mitigation"], "mitigation", r.mitigation);
      e.risks.push_back(std::move(r));
    }
  }
}

// `organisation:` who publishes the reports and the register.
void parse_organisation(const YAML::Node& n, yaml::checker& c, organisation_info& o) {
  if (!c.is_map(n, "organisation")) return;
  c.only_keys(n, {"name", "contact", "website", "works_agreement", "works_agreement_date"});
  if (n["name"]) c.scalar(n["name"], "name", o.name);
  if (n["contact"]) c.scalar(n["contact"], "contact", o.contact);
  if (n["website"]) c.scalar(n["website"], "website", o.website);
  if (n["works_agreement"]) c.scalar(n["works_agreement"], "works_agreement", o.works_agreement);
  if (n["works_agreement_date"]) parse_date(n["works_agreement_date"], "works_agreement_date", c, o.works_agreement_date);
}

// `reporting:` the agreement's rules for reports.
void parse_reporting(const YAML::Node& n, yaml::checker& c, reporting_rules& r) {
  if (!c.is_map(n, "reporting")) return;
  c.only_keys(n, {"min_group_size", "rounding", "co2_g_per_kwh"});
  long long v = 0;
  if (n["min_group_size"] && c.integer(n["min_group_size"], "min_group_size", 0, 1000000, v)) {
    if (v < 2) {
      c.error(n["min_group_size"],
              "min_group_size must be at least 2: a figure about a single person identifies them (the default is 5)");
    } else {
      r.min_group_size = static_cast<unsigned>(v);
    }
  }
  if (n["rounding"] && c.integer(n["rounding"], "rounding", 1, 1000000, v)) r.rounding = static_cast<unsigned>(v);
  parse_number(n, "co2_g_per_kwh", "grams CO2 per kWh", c, r.co2_g_per_kwh);
}

// `budgets:` EUR per quarter by department, in file order.
void parse_budgets(const YAML::Node& n, yaml::checker& c, snapshot& s) {
  if (!c.is_map(n, "budgets")) return;
  for (const auto& kv : n) {
    const std::string dept = kv.first.Scalar();
    if (!s.departments.empty() && !in_list(s.departments, dept)) {
      c.error(kv.first, "budget for unknown department '" + dept + "' (not listed under departments:)");
    }
    for (const auto& [other, amount] : s.budgets) {
      if (other == dept) c.error(kv.first, "department '" + dept + "' has two budgets");
    }
    double eur = 0;
    if (parse_amount(kv.second, "the budget of '" + dept + "'", "EUR per quarter", c, eur)) s.budgets.emplace_back(dept, eur);
  }
}

// The rules that services imply, appended after the written rules so that decisions, explain
// and tests treat them like any other rule.
// The deny rule of a service that is switched off, wholly or for some models.
rule kill_switch_rule(const service& sv, const std::string& reference) {
  rule r;
  r.id = "kill-switch." + sv.name;
  r.category = "access";
  r.title = "Notabschaltung " + sv.name;
  r.eff = effect::deny;
  r.models = sv.enabled ? sv.disabled_models : sv.models;
  r.reference = reference;
  r.explanation_de = "Dieser KI-Dienst ist zurzeit gesperrt (Notabschaltung). Bitte nutzen Sie ein anderes Modell "
                     "oder wenden Sie sich an die IT.";
  r.explanation_en = "This AI service is currently switched off (kill switch). Use another model or contact IT.";
  return r;
}

void derive_service_rules(snapshot& s) {
  for (const auto& sv : s.services) {
    if (!sv.enabled || !sv.disabled_models.empty()) {
      s.rules.push_back(kill_switch_rule(sv, "Notabschaltung (policy: services." + sv.name + ")"));
    }
    if (!sv.data_classes.empty()) {
      std::uint32_t approved = 0;
      for (const auto& nm : sv.data_classes) {
        if (const auto* dc = find_class(s, nm)) approved |= dc->mask;
      }
      const std::uint32_t all = (1u << redact::entity_type_count) - 1;
      // Keyword-recognised classes the service is not approved for (they cannot be masked).
      std::vector<std::size_t> unapproved_patterns;
      for (const auto& dc : s.data_classes) {
        if (std::find(sv.data_classes.begin(), sv.data_classes.end(), dc.name) != sv.data_classes.end()) continue;
        unapproved_patterns.insert(unapproved_patterns.end(), dc.patterns.begin(), dc.patterns.end());
      }
      if ((approved & all) != all || !unapproved_patterns.empty()) {
        rule r;
        r.class_patterns = std::move(unapproved_patterns);
        r.id = "data-class." + sv.name;
        r.category = "access";
        r.title = "Datenklassen für " + sv.name;
        r.eff = effect::deny;
        r.models = sv.models;
        r.detected_mask = all & ~approved;
        r.forwarded_only = true;  // masked data never reaches the service
        r.reference = "Freigabe je Datenklasse (policy: services." + sv.name + ".data_classes)";
        r.explanation_de = "Dieser KI-Dienst ist für die Art von Daten in Ihrer Anfrage nicht freigegeben. Entfernen "
                           "Sie die Daten oder nutzen Sie einen dafür freigegebenen Dienst.";
        r.explanation_en = "This AI service is not approved for the kind of data in your request. Remove the data or "
                           "use a service approved for it.";
        s.rules.push_back(std::move(r));
      }
    }
    if (!sv.departments.empty()) {
      rule r;
      r.id = "department." + sv.name;
      r.category = "access";
      r.title = "Freigegebene Ämter für " + sv.name;
      r.eff = effect::deny;
      r.models = sv.models;
      r.departments = sv.departments;
      r.other_departments = true;
      r.reference = "Freigabe je Amt (policy: services." + sv.name + ".departments)";
      r.explanation_de = "Dieser KI-Dienst ist für Ihr Amt nicht freigegeben. Bitte nutzen Sie einen für Ihr Amt "
                         "freigegebenen Dienst.";
      r.explanation_en = "This AI service is not approved for your department. Use a service approved for it.";
      s.rules.push_back(std::move(r));
    }
    if (sv.basis == transfer_basis::none) {
      rule r;
      r.id = "third-country." + sv.name;
      r.category = "access";
      r.title = "Keine personenbezogenen Daten an " + sv.name;
      r.eff = effect::deny;
      r.models = sv.models;
      r.detected_mask = (1u << redact::entity_type_count) - 1;  // any personal data
      for (const auto& dc : s.data_classes) {
        r.class_patterns.insert(r.class_patterns.end(), dc.patterns.begin(), dc.patterns.end());
      }
      r.reference = "Art. 44 DSGVO";
      r.explanation_de = "Für diesen KI-Dienst gibt es keine Rechtsgrundlage für die Übermittlung personenbezogener "
                         "Daten in ein Drittland; die Anfrage enthält solche Daten.";
      r.explanation_en = "There is no legal basis for transferring personal data to this service's country; the "
                         "request contains personal data.";
      s.rules.push_back(std::move(r));
    }
  }
}

}  // namespace

std::vector<rule_trace> trace(const snapshot& s, const request_facts& given) {
  request_facts f = given;  // forwarded as evaluate() sees it
  f.forwarded = forwarded_counts(redaction_for(s, f, nullptr), f.detected);
  auto list = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out + "]";
  };
  std::vector<rule_trace> out;
  for (const auto& r : s.rules) {
    rule_trace t;
    t.r = &r;
    if (r.other_departments && in_list(r.departments, f.department)) {
      t.unmet.push_back("department '" + std::string(f.department) + "' is approved: " + list(r.departments));
    } else if (!r.other_departments && !in_list(r.departments, f.department)) {
      t.unmet.push_back("department '" + std::string(f.department) + "' not in " + list(r.departments));
    }
    if (!in_list(r.roles, f.role)) t.unmet.push_back("role '" + std::string(f.role) + "' not in " + list(r.roles));
    if (!in_list(r.models, f.model)) t.unmet.push_back("model '" + std::string(f.model) + "' not in " + list(r.models));
    if (!r.services.empty() && !in_list(r.service_models, f.model)) {
      t.unmet.push_back("model '" + std::string(f.model) + "' not provided by " + list(r.services));
    }
    if (!in_list(r.purposes, f.purpose)) {
      t.unmet.push_back("purpose '" + std::string(f.purpose) + "' not in " + list(r.purposes));
    }
    if (r.training == 1 && f.trained) t.unmet.push_back("training is valid (rule is for missing training)");
    if (r.training == 2 && !f.trained) t.unmet.push_back("training is missing or expired");
    if (!r.patterns.empty() && !pattern_hit(r, f)) {
      std::vector<std::string> pats;
      for (auto i : r.patterns) pats.push_back(s.pattern_sources[i]);
      t.unmet.push_back("no content pattern of " + list(pats) + " matches");
    }
    if (!time_ok(r, f)) {
      static constexpr std::array<const char*, 7> days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
      char when[32];
      std::snprintf(when, sizeof when, "%s %02u:%02u", days[f.weekday % 7], f.minute / 60u, f.minute % 60u);
      t.unmet.push_back(std::string("outside the rule's time window (request at ") + when + ")");
    }
    if (!data_condition(r, f)) {
      std::vector<std::string> wanted;
      for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
        if (r.detected_mask >> i & 1u) wanted.emplace_back(redact::entity_names[i]);
      }
      std::string what = "none of " + list(wanted) + (r.forwarded_only ? " forwarded unmasked" : " detected");
      if (!r.class_patterns.empty()) what += ", and no keyword of the data classes matches";
      t.unmet.push_back(what);
    }
    t.matched = t.unmet.empty() && matches(r, f);
    out.push_back(std::move(t));
  }
  return out;
}

void set_local_time(const snapshot& s, std::chrono::system_clock::time_point t, request_facts& f) {
  using namespace std::chrono;
  auto local = s.zone ? s.zone->to_local(time_point_cast<seconds>(t))
                      : date::local_seconds(time_point_cast<seconds>(t).time_since_epoch());
  const auto day = date::floor<date::days>(local);
  const auto wd = date::weekday(day).iso_encoding();  // 1 = Monday .. 7 = Sunday
  f.weekday = static_cast<unsigned char>(wd - 1);
  f.minute = static_cast<std::uint16_t>(duration_cast<minutes>(local - day).count());
}

const purpose* find_purpose(const snapshot& s, std::string_view name) {
  for (const auto& p : s.purposes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const service* find_service(const snapshot& s, std::string_view name) {
  for (const auto& sv : s.services) {
    if (sv.name == name) return &sv;
  }
  return nullptr;
}

const rule* find_rule(const snapshot& s, std::string_view id) {
  for (const auto& r : s.rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string_view to_string(effect e) {
  switch (e) {
    case effect::allow: return "allow";
    case effect::deny: return "deny";
    case effect::require_acknowledgement: return "require_acknowledgement";
    case effect::warn: return "warn";
    case effect::route: return "route";
    case effect::redact: return "redact";
  }
  return "?";
}

std::string_view to_string(transfer_basis b) {
  switch (b) {
    case transfer_basis::eea: return "eea";
    case transfer_basis::adequacy: return "adequacy";
    case transfer_basis::scc: return "scc";
    case transfer_basis::none: return "none";
  }
  return "none";
}

std::string_view derive_category(const snapshot& s, const rule& r) {
  if (r.training != 0) return "training";
  if (r.detected_mask != 0 || !r.class_patterns.empty()) {
    if (r.detected_mask >> static_cast<unsigned>(redact::entity_type::secret) & 1u) return "secrets";
    for (const auto& dc : s.data_classes) {
      if (!dc.special_category) continue;
      if ((dc.mask & r.detected_mask) != 0) return "special_category";
      for (auto i : dc.patterns) {
        if (std::find(r.class_patterns.begin(), r.class_patterns.end(), i) != r.class_patterns.end()) {
          return "special_category";
        }
      }
    }
    return "personal_data";
  }
  switch (r.eff) {
    case effect::require_acknowledgement: return "human_review";
    case effect::warn: return "transparency";
    case effect::route: return "routing";
    case effect::allow: return "access";
    case effect::redact: return "personal_data";
    case effect::deny: return "other";  // e.g. content patterns only: the author writes the category
  }
  return "other";
}

redact::entity_counts forwarded_counts(const redact::operator_table& ops, const redact::entity_counts& detected) {
  redact::entity_counts out{};
  for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
    out[i] = ops[i] == redact::operator_kind::keep ? detected[i] : 0;
  }
  return out;
}

namespace {
// mask > pseudonymize > keep: among several matching redact rules the strictest wins.
int strictness(redact::operator_kind op) {
  switch (op) {
    case redact::operator_kind::mask: return 2;
    case redact::operator_kind::pseudonymize: return 1;
    default: return 0;
  }
}
}  // namespace

redact::operator_table redaction_for(const snapshot& s, const request_facts& f, std::vector<const rule*>* by) {
  redact::operator_table ops = s.redaction;
  std::uint32_t set_by_rule = 0;
  for (const auto& r : s.rules) {
    if (r.eff != effect::redact || !matches(r, f)) continue;
    if (by) by->push_back(&r);
    for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
      if (!(r.redact_types >> i & 1u)) continue;
      if (!(set_by_rule >> i & 1u) || strictness(r.redact_ops[i]) > strictness(ops[i])) ops[i] = r.redact_ops[i];
      set_by_rule |= 1u << i;
    }
  }
  return ops;
}

namespace {
decision evaluate_once(const snapshot& s, const request_facts& f);
}  // namespace

decision evaluate(const snapshot& s, const request_facts& f) {
  // Route rules come first: a request they match goes to another model and is decided as if it
  // had asked for that model (one step only), so rules about the requested model (its kill
  // switch, its approved data classes) no longer matter, while everything else (training,
  // content, the target's own rules) is decided again. With several matching route rules, the
  // one with the smallest id wins, so the result does not depend on rule order.
  const rule* route = nullptr;
  for (const auto& r : s.rules) {
    if (r.eff == effect::route && r.route_to != f.model && matches(r, f) && (!route || r.id < route->id)) route = &r;
  }
  request_facts g = f;
  if (route) g.model = route->route_to;
  // What leaves the house, for the model it goes to: the redaction that applies decides which
  // detected data counts as forwarded (approved data classes look only at that).
  std::vector<const rule*> by;
  const auto ops = redaction_for(s, g, &by);
  g.forwarded = forwarded_counts(ops, g.detected);
  if (!route) {
    decision d = evaluate_once(s, g);
    d.redaction = ops;
    if (d.allowed) d.redacted_by = std::move(by);
    return d;
  }
  decision routed = evaluate_once(s, g);
  routed.redaction = ops;
  if (routed.allowed) routed.redacted_by = std::move(by);
  routed.route_to = route->route_to;
  // Allowed: the route rule leads the reasons. Refused for the target: the refusing rule leads
  // (its explanation is what the user sees), the route rule follows.
  if (routed.allowed) {
    routed.determining.insert(routed.determining.begin(), route);
  } else {
    routed.determining.push_back(route);
  }
  return routed;
}

namespace {
decision evaluate_once(const snapshot& s, const request_facts& f) {
  decision d;
  // One pass over the rules; the matching ones are kept on the stack for the second step.
  boost::container::small_vector<const rule*, 64> hit;
  bool any_allow = false;
  bool any_deny = false;
  bool any_ack = false;
  for (const auto& r : s.rules) {
    if (r.eff == effect::route || r.eff == effect::redact || !matches(r, f)) continue;
    hit.push_back(&r);
    any_allow = any_allow || r.eff == effect::allow;
    any_deny = any_deny || r.eff == effect::deny;
    any_ack = any_ack || r.eff == effect::require_acknowledgement;
  }
  effect keep;  // the kind of rule that determines the outcome
  if (any_deny) {
    keep = effect::deny;
  } else if (!any_allow) {
    return d;  // default-deny
  } else if (any_ack && !f.acknowledged) {
    d.needs_acknowledgement = true;
    keep = effect::require_acknowledgement;
  } else {
    d.allowed = true;
    keep = effect::allow;
  }
  for (const rule* r : hit) {
    const bool determining = r->eff == keep || (d.allowed && r->eff == effect::require_acknowledgement);
    if (determining) d.determining.push_back(r);
    if (d.allowed && r->eff == effect::warn) d.warnings.push_back(r);
  }
  return d;
}
}  // namespace

std::vector<std::pair<redact::entity_type, redact::operator_kind>> parse_operators(const YAML::Node& map,
                                                                                   yaml::checker& c) {
  std::vector<std::pair<redact::entity_type, redact::operator_kind>> out;
  for (const auto& kv : map) {
    const auto et = redact::entity_from_string(kv.first.Scalar());
    if (!et) {
      c.error(kv.first, "unknown entity type '" + kv.first.Scalar() + "'");
      continue;
    }
    std::string v;
    if (!c.scalar(kv.second, "operator", v)) continue;
    if (const auto op = redact::operator_from_string(v)) {
      out.emplace_back(*et, *op);
    } else {
      c.error(kv.second, "unknown operator '" + v + "' (allowed: mask, pseudonymize, keep)");
    }
  }
  return out;
}

snapshot_ptr parse(std::string_view text, yaml::checker& c, bool compile_patterns) {
  auto s = std::make_shared<snapshot>();
  s->file = c.file();
  s->digest = sha256_hex(text);
  s->source = std::string(text);
  const YAML::Node root = yaml::load(text, c);
  if (!c.ok()) return nullptr;
  if (!root.IsMap()) {
    c.error(root, "a policy must be a mapping with 'version' and 'rules'");
    return nullptr;
  }
  c.only_keys(root, {"version", "timezone", "organisation", "departments", "purposes", "data_classes", "services",
                     "redact", "responses", "retention", "reporting", "budgets", "rules"});
  if (const auto o = root["organisation"]) parse_organisation(o, c, s->organisation);
  if (const auto r = root["reporting"]) parse_reporting(r, c, s->reporting);
  if (const auto ret = root["retention"]; ret && c.is_map(ret, "retention")) {
    c.only_keys(ret, {"decision_log_months", "refused_prompt_days"});
    long long v = 0;
    if (ret["decision_log_months"] && c.integer(ret["decision_log_months"], "decision_log_months", 0, 1200, v)) {
      if (v < 6) {
        c.error(ret["decision_log_months"],
                "decision_log_months must be at least 6: deployers keep the logs of AI systems for at least six "
                "months (Art. 26 Abs. 6 KI-VO)");
      } else {
        s->retention.decision_log_months = static_cast<unsigned>(v);
      }
    }
    if (ret["refused_prompt_days"] && c.integer(ret["refused_prompt_days"], "refused_prompt_days", 0, 90, v)) {
      s->retention.refused_prompt_days = static_cast<unsigned>(v);
    }
  }
  std::vector<YAML::Mark> pattern_marks;  // where each of s->pattern_sources is written
  if (const auto tz = root["timezone"]) {
    if (c.scalar(tz, "timezone", s->timezone)) {
      try {
        s->zone = date::locate_zone(s->timezone);
      } catch (const std::exception&) {
        c.error(tz, "unknown time zone '" + s->timezone + "' (an IANA name such as Europe/Berlin)");
      }
    }
  } else {
    try {
      s->zone = date::locate_zone(s->timezone);
    } catch (const std::exception&) {
      s->zone = nullptr;  // no tz database installed: time conditions use UTC
    }
  }
  if (const auto resp = root["responses"]) {
    if (c.is_map(resp, "responses")) {
      c.only_keys(resp, {"scan_personal_data", "notices_in_answer", "ai_label"});
      if (resp["scan_personal_data"]) c.boolean(resp["scan_personal_data"], "scan_personal_data", s->scan_responses);
      if (resp["notices_in_answer"]) c.boolean(resp["notices_in_answer"], "notices_in_answer", s->notices_in_answer);
      if (const auto l = resp["ai_label"]) {
        if (c.is_map(l, "ai_label")) {
          c.only_keys(l, {"de", "en"});
          if (!l["de"]) c.error(l, "ai_label needs the German text (de)");
          if (l["de"]) c.scalar(l["de"], "ai_label.de", s->ai_label_de);
          if (l["en"]) c.scalar(l["en"], "ai_label.en", s->ai_label_en);
        }
      }
    }
  }
  if (const auto ps = root["purposes"]) {
    if (c.is_map(ps, "purposes")) {
      for (const auto& kv : ps) {
        purpose p;
        p.name = kv.first.Scalar();
        if (!valid_id(p.name)) {
          c.error(kv.first, "purpose name '" + p.name + "' must be 1-64 characters of a-z 0-9 - _ . (it is sent as a header)");
        }
        if (find_purpose(*s, p.name)) c.error(kv.first, "purpose '" + p.name + "' is defined twice");
        if (c.is_map(kv.second, "a purpose")) {
          c.only_keys(kv.second, {"title", "description", "citizen_facing", "register"});
          if (!kv.second["title"]) c.error(kv.second, "purpose '" + p.name + "' needs a title");
          if (kv.second["title"]) c.scalar(kv.second["title"], "title", p.title);
          if (kv.second["description"]) c.scalar(kv.second["description"], "description", p.description);
          if (kv.second["citizen_facing"]) c.boolean(kv.second["citizen_facing"], "citizen_facing", p.citizen_facing);
          if (kv.second["register"]) parse_register(kv.second["register"], c, p.reg);
        }
        s->purposes.push_back(std::move(p));
      }
    }
  }
  if (const auto dcs = root["data_classes"]) {
    if (c.is_map(dcs, "data_classes")) {
      for (const auto& kv : dcs) {
        data_class dc;
        dc.name = kv.first.Scalar();
        if (!valid_id(dc.name)) c.error(kv.first, "data class name '" + dc.name + "' must be 1-64 characters of a-z 0-9 - _ .");
        if (find_class(*s, dc.name)) c.error(kv.first, "data class '" + dc.name + "' is defined twice");
        // Short form: a list of entity types. Long form: entities, keyword patterns, special_category.
        const YAML::Node def = kv.second;
        const YAML::Node entities = def.IsMap() ? def["entities"] : def;
        if (kv.second.IsMap()) {
          c.only_keys(kv.second, {"entities", "patterns", "special_category"});
          if (kv.second["special_category"]) c.boolean(kv.second["special_category"], "special_category", dc.special_category);
          if (const auto pn = kv.second["patterns"]) parse_patterns(pn, c, *s, pattern_marks, dc.patterns);
        }
        if (entities) parse_entity_types(entities, "entity types", c, dc.mask);
        if (dc.mask == 0 && dc.patterns.empty()) {
          c.error(kv.second, "data class '" + dc.name + "' has neither entity types nor patterns: rules naming it can never fire");
        }
        s->data_classes.push_back(std::move(dc));
      }
    }
  }
  if (root["departments"]) {
    if (c.string_list(root["departments"], "departments", s->departments)) {
      for (std::size_t i = 0; i < s->departments.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (s->departments[i] == s->departments[j]) {
            c.error(root["departments"], "department '" + s->departments[i] + "' is listed twice");
          }
        }
      }
    }
  }
  if (const auto b = root["budgets"]) parse_budgets(b, c, *s);
  if (const auto sv = root["services"]) {
    if (c.is_map(sv, "services")) {
      for (const auto& kv : sv) parse_service(kv.first.Scalar(), kv.second, c, *s);
    }
  }
  if (!root["version"]) {
    c.error(root, "missing 'version' (a label that identifies this policy in the audit log)");
  } else {
    c.scalar(root["version"], "version", s->version);
  }
  if (const auto red = root["redact"]) {
    if (c.is_map(red, "redact")) {
      for (const auto& [et, op] : parse_operators(red, c)) s->redaction[static_cast<std::size_t>(et)] = op;
    }
  }
  if (!root["rules"]) {
    c.error(root, "missing 'rules': without rules every request is refused (default deny)");
  } else if (c.is_seq(root["rules"], "rules")) {
    for (const auto& r : root["rules"]) parse_rule(r, c, *s, pattern_marks);
  }
  if (c.ok()) derive_service_rules(*s);
  for (auto& r : s->rules) {
    if (r.category.empty()) r.category = derive_category(*s, r);
  }
  if (compile_patterns && !s->pattern_sources.empty()) {  // also when other errors were found: report them all at once
    std::size_t bad = 0;
    std::string err;
    s->patterns = redact::pattern_set::create(s->pattern_sources, bad, err);
    if (!s->patterns) {
      if (err.find("\\b unsupported") != std::string::npos) {
        err += " Patterns treat umlauts and ß as letters, which rules out \\b; write (^|\\W) and (\\W|$) for word boundaries.";
      }
      c.error(pattern_marks[bad], "invalid pattern '" + s->pattern_sources[bad] + "': " + err);
    }
  }
  if (!c.ok()) return nullptr;
  return s;
}

snapshot_ptr load_file(const std::string& path, std::vector<yaml::diagnostic>& diags) {
  yaml::checker c(path);
  std::string text;
  snapshot_ptr s;
  if (yaml::read_file(path, text, c)) s = parse(text, c);
  diags = c.diagnostics();
  return s;
}

snapshot_ptr with_services_off(const snapshot_ptr& base, const std::vector<std::string>& off) {
  if (off.empty()) return base;
  auto s = std::make_shared<snapshot>(*base);
  for (auto& sv : s->services) {
    if (std::find(off.begin(), off.end(), sv.name) == off.end() || !sv.enabled) continue;
    sv.enabled = false;
    const std::string id = "kill-switch." + sv.name;
    std::erase_if(s->rules, [&](const rule& r) { return r.id == id; });  // the policy's own, for some models
    s->rules.push_back(kill_switch_rule(sv, "Notabschaltung im Dashboard (/admin)"));
  }
  return s;
}

}  // namespace lp::policy
