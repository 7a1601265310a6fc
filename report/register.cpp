#include "report/register.h"

#include <sstream>

#include "core/digest.h"
#include "report/render.h"
#include "report/texts.h"

#include <map>
#include <algorithm>

namespace lp::report {

namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::string short_text(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "...";
}

// Stable identifier: the same organisation and name give the same id in every export.
std::string entry_id(const policy::snapshot& p, const std::string& kind, const std::string& name) {
  return "lp-" + kind + "-" + sha256_hex(p.organisation.name + "/" + kind + "/" + name).substr(0, 16);
}

void missing(json::object& e, std::initializer_list<std::pair<const char*, const char*>> required) {
  json::array out;
  for (const auto& [section, key] : required) {
    const auto* s = e.if_contains(section);
    const auto* v = s && s->is_object() ? s->as_object().if_contains(key) : nullptr;
    const bool empty = !v || v->is_null() || (v->is_string() && v->as_string().empty()) || (v->is_array() && v->as_array().empty());
    if (empty) out.emplace_back(std::string(section) + "." + key);
  }
  e["missing_required"] = std::move(out);
}

std::string figure(const document* d, const std::string& id) {
  if (!d || !d->figures.find(id)) return "";
  return format_cell(*d, id);
}

}  // namespace

std::vector<register_entry_out> register_entries(const policy::snapshot& p, const document* usage, language lang,
                                                 const std::string& date) {
  const texts t(lang);
  const std::string standard = "leitplanke-register/1 (Algoritmeregister 1.0, ATRS 2.1, AI Act Annex VIII)";
  std::vector<register_entry_out> out;
  std::vector<std::string> providers, service_names, models;
  for (const auto& s : p.services) {
    providers.push_back(s.provider);
    service_names.push_back(s.name);
    models.insert(models.end(), s.models.begin(), s.models.end());
  }
  bool training_rule = false;
  for (const auto& r : p.rules) training_rule = training_rule || r.category == "training";
  const std::string retention = std::to_string(p.retention.decision_log_months) +
                                t(" Monate Entscheidungsprotokoll ohne Inhalte; Texte werden nicht gespeichert",
                                  " months of decision records without content; texts are not stored");
  const std::string rollback = t("Notabschaltung je Dienst und Modell in der Richtlinie (enabled: false), wirksam binnen Sekunden",
                                 "Kill switch per service and model in the policy (enabled: false), effective within seconds");
  for (const auto& u : p.purposes) {
    const auto& r = u.reg;
    json::object e;
    e["kind"] = "use_case";
    std::vector<std::string> human_rules;
    for (const auto& rule : p.rules) {
      const bool applies = rule.purposes.empty() || std::find(rule.purposes.begin(), rule.purposes.end(), u.name) != rule.purposes.end();
      if (applies && rule.category == "human_review") human_rules.push_back(rule.title.empty() ? rule.id : rule.title);
    }
    e["identification"] = json::object{
        {"id", entry_id(p, "use-case", u.name)},
        {"name", u.title.empty() ? u.name : u.title},
        {"description_short", short_text(u.description.empty() ? r.goal : u.description, 150)},
        {"status", r.status},
        {"begin_date", r.begin_date},
        {"end_date", r.end_date},
        {"publication_category", r.risk_class == "high" ? "high_risk" : u.citizen_facing ? "impactful" : "other"},
        {"aiact_risk_class", r.risk_class},
        {"annex_iii_point", r.annex_iii_point},
        {"domain", r.domain},
        {"lang", lang == language::en ? "en" : "de"},
        {"standard_version", standard},
        {"publication_date", date},
        {"last_change_date", date},
        {"revision_note", t("Erzeugt aus Richtlinie ", "Generated from policy ") + p.version},
        {"tags", strings(r.tags)},
        {"website", p.organisation.website}};
    e["responsibility"] = json::object{{"organisation", p.organisation.name},
                                       {"departments", strings(p.departments)},
                                       {"senior_responsible_owner", r.owner},
                                       {"contact", r.contact.empty() ? p.organisation.contact : r.contact},
                                       {"providers", strings(providers)},
                                       {"shared_with", strings(r.shared_with)}};
    e["purpose_and_process"] = json::object{
        {"goal_and_impact", r.goal.empty() ? u.description : r.goal},
        {"scope", r.scope},
        {"benefit", r.benefit},
        {"alternatives_considered", r.alternatives},
        {"proportionality", r.proportionality},
        {"human_intervention", r.human_intervention},
        {"human_review_rules", strings(human_rules)},
        {"provided_information", t("Textentwürfe und Zusammenfassungen; keine automatisierten Entscheidungen",
                                   "Draft texts and summaries; no automated decisions")},
        {"frequency_and_scale", figure(usage, "requests|p=" + u.name)},
        {"frequency_period", usage ? usage->period_label : ""},
        {"affected_groups", r.affected_groups}};
    e["legal"] = json::object{{"lawful_basis", r.lawful_basis},
                              {"works_agreement", p.organisation.works_agreement},
                              {"dpia", r.dpia},
                              {"fria", r.fria},
                              {"objection_procedure", r.objection_procedure},
                              {"art50_disclosure", u.citizen_facing ? (lang == language::en ? p.ai_label_en : p.ai_label_de) : ""}};
    e["data_and_technology"] = json::object{
        {"algorithm_type", "GenAI"},
        {"models", strings(models)},
        {"services", strings(service_names)},
        {"personal_data", t("pseudonymisiert: personenbezogene Daten werden vor dem Versand erkannt und geschwärzt oder die Anfrage "
                            "wird abgelehnt",
                            "pseudonymised: personal data is detected and masked before sending, or the request is refused")},
        {"data_storage_and_retention", retention},
        {"monitoring", r.monitoring.empty() ? t("Quartalsbericht aus dem Entscheidungsprotokoll (leitplanke report)",
                                                "Quarterly report from the decision log (leitplanke report)")
                                            : r.monitoring}};
    json::array risks;
    for (const auto& k : r.risks) risks.push_back(json::object{{"name", k.name}, {"description", k.description}, {"mitigation", k.mitigation}});
    e["risk_and_oversight"] = json::object{
        {"risks", std::move(risks)},
        {"human_oversight", r.human_intervention},
        {"required_training", training_rule ? t("gültige KI-Schulung (Art. 4 KI-VO), vom Gateway geprüft",
                                                "valid AI-literacy training (Art. 4 AI Act), checked by the gateway")
                                            : ""},
        {"rollback", rollback},
        {"incidents", json::array{}}};
    e["gateway_binding"] = json::object{{"purpose_id", u.name},
                                        {"policy_version", p.version},
                                        {"citizen_facing", u.citizen_facing},
                                        {"human_review_required", !human_rules.empty()},
                                        {"retention_months", p.retention.decision_log_months}};
    missing(e, {{"identification", "name"}, {"identification", "description_short"}, {"identification", "status"},
                {"identification", "aiact_risk_class"}, {"responsibility", "organisation"}, {"responsibility", "senior_responsible_owner"},
                {"responsibility", "contact"}, {"purpose_and_process", "goal_and_impact"}, {"purpose_and_process", "proportionality"},
                {"purpose_and_process", "human_intervention"}, {"legal", "lawful_basis"}, {"legal", "objection_procedure"},
                {"data_and_technology", "monitoring"}, {"risk_and_oversight", "risks"}});
    out.push_back(std::move(e));
  }
  for (const auto& s : p.services) {
    json::object e;
    e["kind"] = "service";
    e["identification"] = json::object{{"id", entry_id(p, "service", s.name)},
                                       {"name", s.name},
                                       {"description_short", short_text(s.provider, 150)},
                                       {"status", s.enabled ? "in_use" : "out_of_use"},
                                       {"lang", lang == language::en ? "en" : "de"},
                                       {"standard_version", standard},
                                       {"publication_date", date},
                                       {"website", p.organisation.website}};
    e["responsibility"] = json::object{{"organisation", p.organisation.name},
                                       {"contact", p.organisation.contact},
                                       {"provider", s.provider},
                                       {"contract_ref", s.processor_contract},
                                       {"departments", strings(s.departments.empty() ? p.departments : s.departments)}};
    e["data_and_technology"] = json::object{{"algorithm_type", "GenAI"},
                                            {"models", strings(s.models)},
                                            {"location", s.location},
                                            {"transfer_basis", std::string(policy::to_string(s.basis))},
                                            {"no_training_on_inputs", s.no_training_on_inputs},
                                            {"approved_data_classes", strings(s.data_classes)},
                                            {"energy_wh_per_1k_tokens", s.energy_wh_per_1k_tokens >= 0 ? json::value(s.energy_wh_per_1k_tokens) : nullptr},
                                            {"energy_source", s.energy_source},
                                            {"data_storage_and_retention", retention}};
    e["risk_and_oversight"] = json::object{{"rollback", rollback}, {"disabled_models", strings(s.disabled_models)}};
    e["usage"] = json::object{{"requests", figure(usage, "requests|s=" + s.name)},
                              {"cost_eur", figure(usage, "cost|s=" + s.name)},
                              {"period", usage ? usage->period_label : ""}};
    e["gateway_binding"] = json::object{{"service_id", s.name}, {"policy_version", p.version}, {"enabled", s.enabled}};
    missing(e, {{"identification", "name"}, {"responsibility", "organisation"}, {"responsibility", "contact"},
                {"responsibility", "contract_ref"}, {"data_and_technology", "location"}});
    out.push_back(std::move(e));
  }
  return out;
}

std::string register_json(const std::vector<register_entry_out>& entries) {
  json::array a;
  for (const auto& e : entries) a.push_back(e);
  return json::serialize(json::object{{"entries", std::move(a)}}) + "\n";
}

namespace {

std::string esc(std::string_view s) { return html_escape(s); }

std::string label(const std::string& key, language lang) {
  static const std::map<std::string, std::pair<const char*, const char*>> m = {
      {"identification", {"Kennung", "Identification"}},
      {"responsibility", {"Verantwortung", "Responsibility"}},
      {"purpose_and_process", {"Zweck und Entscheidungsprozess", "Purpose and decision process"}},
      {"legal", {"Rechtliches", "Legal"}},
      {"data_and_technology", {"Daten und Technik", "Data and technology"}},
      {"risk_and_oversight", {"Risiken und Aufsicht", "Risk and oversight"}},
      {"gateway_binding", {"Durchsetzung im Gateway", "Enforcement in the gateway"}},
      {"usage", {"Nutzung", "Usage"}},
      {"status", {"Status", "Status"}},
      {"goal_and_impact", {"Ziel und Wirkung", "Goal and impact"}},
      {"human_intervention", {"Menschliche Kontrolle", "Human intervention"}},
      {"lawful_basis", {"Rechtsgrundlage", "Lawful basis"}},
      {"aiact_risk_class", {"Risikoklasse (KI-VO)", "Risk class (AI Act)"}},
      {"frequency_and_scale", {"Anfragen im Zeitraum", "Requests in the period"}},
      {"missing_required", {"Fehlende Pflichtangaben", "Missing required fields"}},
  };
  const auto it = m.find(key);
  if (it == m.end()) return key;
  return lang == language::en ? it->second.second : it->second.first;
}

void value_html(std::ostringstream& o, const json::value& v, language lang) {
  if (v.is_string()) o << esc(v.as_string());
  else if (v.is_bool()) o << (v.as_bool() ? (lang == language::en ? "yes" : "ja") : (lang == language::en ? "no" : "nein"));
  else if (v.is_null()) o << "";
  else if (v.is_array()) {
    o << "<ul>";
    for (const auto& x : v.as_array()) {
      o << "<li>";
      value_html(o, x, lang);
      o << "</li>";
    }
    o << "</ul>";
  } else if (v.is_object()) {
    o << "<dl>";
    for (const auto& [k, x] : v.as_object()) {
      o << "<dt>" << esc(label(std::string(k), lang)) << "</dt><dd>";
      value_html(o, x, lang);
      o << "</dd>";
    }
    o << "</dl>";
  } else {
    o << json::serialize(v);
  }
}

}  // namespace

std::string register_html(const std::vector<register_entry_out>& entries, language lang) {
  const bool en = lang == language::en;
  std::ostringstream o;
  o << "<!DOCTYPE html>\n<html lang=\"" << (en ? "en" : "de") << "\"><head><meta charset=\"utf-8\"><title>"
    << (en ? "AI register" : "KI-Register") << "</title><style>body{font:11pt/1.45 'DejaVu Sans',sans-serif;max-width:56em;margin:2em auto;padding:0 1em}"
    << "article{border:1px solid #c8ced6;padding:.8em 1.2em;margin:1.2em 0}h2{color:#1f5f8b;margin:.2em 0}dt{font-weight:bold;margin-top:.4em}"
    << "dd{margin-left:1.2em}section h3{font-size:11pt;border-bottom:1px solid #ddd}.missing{color:#b5485d}</style></head><body>\n<h1>"
    << (en ? "AI register" : "KI-Register") << "</h1>\n";
  for (const auto& e : entries) {
    const auto& id = e.at("identification").as_object();
    o << "<article id=\"" << esc(id.at("id").as_string()) << "\"><p>"
      << (e.at("kind").as_string() == "service" ? (en ? "AI service" : "KI-Dienst") : (en ? "Use case" : "Verwendungszweck")) << "</p><h2>"
      << esc(id.at("name").as_string()) << "</h2>\n";
    for (const auto& [k, v] : e) {
      if (k == "kind") continue;
      o << "<section" << (k == "missing_required" ? " class=\"missing\"" : "") << "><h3>" << esc(label(std::string(k), lang)) << "</h3>";
      value_html(o, v, lang);
      o << "</section>\n";
    }
    o << "</article>\n";
  }
  o << "</body></html>\n";
  return o.str();
}

}  // namespace lp::report
