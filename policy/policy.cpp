#include "policy/policy.h"

#include <algorithm>

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

bool matches(const rule& r, const request_facts& f) {
  if (!in_list(r.departments, f.department)) return false;
  if (!in_list(r.roles, f.role)) return false;
  if (!in_list(r.models, f.model)) return false;
  if (!in_list(r.purposes, f.purpose)) return false;
  if (!r.patterns.empty() && !pattern_hit(r, f)) return false;
  if (r.detected_mask != 0) {
    bool any = false;
    for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
      if ((r.detected_mask >> i & 1u) && f.detected[i] > 0) any = true;
    }
    if (!any) return false;
  }
  return true;
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  }
  return id != default_deny_id;
}

void parse_rule(const YAML::Node& n, yaml::checker& c, snapshot& s, std::vector<YAML::Mark>& pattern_marks) {
  if (!c.is_map(n, "a rule")) return;
  c.only_keys(n, {"id", "title", "effect", "when", "reference", "explanation"});
  rule r;
  bool ok = true;
  if (!n["id"]) {
    c.error(n, "rule without 'id'");
    ok = false;
  } else if (c.scalar(n["id"], "id", r.id) && !valid_id(r.id)) {
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
      } else {
        c.error(n["effect"], "unknown effect '" + e + "' (allowed: allow, deny, require_acknowledgement)");
        ok = false;
      }
    }
  }
  if (n["reference"]) c.scalar(n["reference"], "reference", r.reference);
  if (const auto ex = n["explanation"]) {
    if (ex.IsScalar()) {
      r.explanation_de = ex.Scalar();
    } else if (c.is_map(ex, "explanation")) {
      c.only_keys(ex, {"de", "en"});
      if (ex["de"]) c.scalar(ex["de"], "explanation.de", r.explanation_de);
      if (ex["en"]) c.scalar(ex["en"], "explanation.en", r.explanation_en);
    }
  }
  if (ok && r.explanation_de.empty() && r.eff != effect::allow) {
    c.error(n, "rule '" + r.id + "' refuses requests and needs a German explanation (explanation.de) shown to staff");
  }
  if (const auto w = n["when"]) {
    if (c.is_map(w, "when")) {
      c.only_keys(w, {"departments", "roles", "models", "purposes", "detected", "patterns"});
      if (w["purposes"]) c.string_list(w["purposes"], "purposes", r.purposes);
      if (const auto pn = w["patterns"]) {
        std::vector<std::string> pats;
        if (c.string_list(pn, "patterns", pats)) {
          for (std::size_t i = 0; i < pats.size(); ++i) {
            if (pats[i].empty()) {
              c.error(pn, "empty pattern: it would match every request");
              continue;
            }
            r.patterns.push_back(s.pattern_sources.size());
            s.pattern_sources.push_back(pats[i]);
            pattern_marks.push_back(pn.IsSequence() ? pn[i].Mark() : pn.Mark());
          }
        }
      }
      if (w["departments"]) c.string_list(w["departments"], "departments", r.departments);
      if (w["roles"]) {
        c.string_list(w["roles"], "roles", r.roles);
        for (const auto& role : r.roles) {
          if (role != "staff" && role != "dpo" && role != "admin") {
            c.error(w["roles"], "unknown role '" + role + "' (allowed: staff, dpo, admin)");
          }
        }
      }
      if (w["models"]) c.string_list(w["models"], "models", r.models);
      if (w["detected"]) {
        std::vector<std::string> types;
        if (c.string_list(w["detected"], "detected", types)) {
          for (const auto& t : types) {
            if (auto et = redact::entity_from_string(t)) {
              r.detected_mask |= 1u << static_cast<unsigned>(*et);
            } else {
              std::string known;
              for (auto name : redact::entity_names) known += (known.empty() ? "" : ", ") + std::string(name);
              c.error(w["detected"], "unknown entity type '" + t + "' (known: " + known + ")");
            }
          }
        }
      }
      for (const char* key : {"departments", "roles", "models", "purposes", "patterns"}) {
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

}  // namespace

std::vector<rule_trace> trace(const snapshot& s, const request_facts& f) {
  auto list = [](const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
    return out + "]";
  };
  std::vector<rule_trace> out;
  for (const auto& r : s.rules) {
    rule_trace t;
    t.r = &r;
    if (!in_list(r.departments, f.department)) {
      t.unmet.push_back("department '" + std::string(f.department) + "' not in " + list(r.departments));
    }
    if (!in_list(r.roles, f.role)) t.unmet.push_back("role '" + std::string(f.role) + "' not in " + list(r.roles));
    if (!in_list(r.models, f.model)) t.unmet.push_back("model '" + std::string(f.model) + "' not in " + list(r.models));
    if (!in_list(r.purposes, f.purpose)) {
      t.unmet.push_back("purpose '" + std::string(f.purpose) + "' not in " + list(r.purposes));
    }
    if (!r.patterns.empty() && !pattern_hit(r, f)) {
      std::vector<std::string> pats;
      for (auto i : r.patterns) pats.push_back(s.pattern_sources[i]);
      t.unmet.push_back("no content pattern of " + list(pats) + " matches");
    }
    if (r.detected_mask != 0) {
      bool any = false;
      std::vector<std::string> wanted;
      for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
        if (!(r.detected_mask >> i & 1u)) continue;
        wanted.emplace_back(redact::entity_names[i]);
        if (f.detected[i] > 0) any = true;
      }
      if (!any) t.unmet.push_back("none of " + list(wanted) + " detected");
    }
    t.matched = t.unmet.empty() && matches(r, f);
    out.push_back(std::move(t));
  }
  return out;
}

decision evaluate(const snapshot& s, const request_facts& f) {
  decision d;
  bool any_allow = false;
  bool any_deny = false;
  bool any_ack = false;
  for (const auto& r : s.rules) {
    if (!matches(r, f)) continue;
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
  for (const auto& r : s.rules) {
    if (!matches(r, f)) continue;
    const bool determining = r.eff == keep || (d.allowed && r.eff == effect::require_acknowledgement);
    if (determining) d.determining.push_back(&r);
  }
  return d;
}

snapshot_ptr parse(std::string_view text, yaml::checker& c) {
  auto s = std::make_shared<snapshot>();
  s->file = c.file();
  s->digest = sha256_hex(text);
  const YAML::Node root = yaml::load(text, c);
  if (!c.ok()) return nullptr;
  if (!root.IsMap()) {
    c.error(root, "a policy must be a mapping with 'version' and 'rules'");
    return nullptr;
  }
  c.only_keys(root, {"version", "redact", "rules"});
  if (!root["version"]) {
    c.error(root, "missing 'version' (a label that identifies this policy in the audit log)");
  } else {
    c.scalar(root["version"], "version", s->version);
  }
  if (const auto red = root["redact"]) {
    if (c.is_map(red, "redact")) {
      for (const auto& kv : red) {
        const std::string type = kv.first.Scalar();
        const auto et = redact::entity_from_string(type);
        if (!et) {
          c.error(kv.first, "unknown entity type '" + type + "'");
          continue;
        }
        std::string op;
        if (!c.scalar(kv.second, "operator", op)) continue;
        auto& slot = s->redaction[static_cast<std::size_t>(*et)];
        if (op == "mask") {
          slot = redact::operator_kind::mask;
        } else if (op == "keep") {
          slot = redact::operator_kind::keep;
        } else {
          c.error(kv.second, "unknown operator '" + op + "' (allowed: mask, keep)");
        }
      }
    }
  }
  std::vector<YAML::Mark> pattern_marks;
  if (!root["rules"]) {
    c.error(root, "missing 'rules': without rules every request is refused (default deny)");
  } else if (c.is_seq(root["rules"], "rules")) {
    for (const auto& r : root["rules"]) parse_rule(r, c, *s, pattern_marks);
  }
  if (c.ok()) {
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

}  // namespace lp::policy
