#include "report/texts.h"

#include <array>
#include <cstdio>
#include <map>

namespace lp::report {

namespace {

struct question {
  const char* title_de;
  const char* title_en;
  const char* de;
  const char* en;
};

// The questions of the council inquiry (Kreistag, 24 March 2025), verbatim in German.
constexpr std::array<question, 13> questions = {{
    {"Wo KI bereits unterstützt", "Where AI already helps",
     "In welchen Bereichen und wie hat KI bereits zu einer Unterstützung bestehender Verwaltungsprozesse geführt und die Effizienz "
     "sowohl innerhalb der Verwaltung als auch zwischen verschiedenen Verwaltungen gesteigert?",
     "In which areas and how has AI already supported existing administrative processes and increased efficiency within the "
     "administration and between administrations?"},
    {"Ist die Nutzung von Diensten wie ChatGPT erlaubt?", "Is the use of services like ChatGPT allowed?",
     "Ist die Nutzung von bereits existierenden, generellen, KI-gestützten Diensten wie ChatGPT durch die Beschäftigten erlaubt?",
     "Are staff allowed to use existing general AI services such as ChatGPT?"},
    {"Findet die Nutzung statt?", "Does it happen?", "Wenn ja, findet diese statt?", "If so, does it take place?"},
    {"Dienstvereinbarung", "Works agreement",
     "Gibt es zur generellen Nutzung solcher Produkte eine Dienstvereinbarung bzw. ist diese geplant?",
     "Is there (or is there planned) a works agreement on the general use of such products?"},
    {"Ethische Richtlinien", "Ethical guidelines",
     "Hat sich die Verwaltungen bereits ethische Richtlinien für den KI-Einsatz gegeben, die insbesondere Transparenz und "
     "Erklärbarkeit von KI-Entscheidungen, Diskriminierungsfreiheit und die Verantwortung/Haftung bei Fehlentscheidungen der KI umfasst?",
     "Has the administration adopted ethical guidelines for AI covering in particular transparency and explainability of AI "
     "decisions, non-discrimination and responsibility/liability for wrong AI decisions?"},
    {"Geplante Unterstützung der Beschäftigten", "Planned support of staff",
     "In welcher Art und Weise beabsichtigt die Verwaltung KI zur Unterstützung der Mitarbeitenden einzusetzen?",
     "How does the administration intend to use AI to support its staff?"},
    {"Vorbereitung und Weiterbildung", "Preparation and training",
     "Welche konkreten Maßnahmen sind geplant, um Mitarbeitende auf den KI-Einsatz vorzubereiten und weiterzubilden?",
     "Which concrete measures are planned to prepare and train staff for the use of AI?"},
    {"Bürgernähe", "Citizen orientation",
     "Sieht die Kreisverwaltung in der Nutzung von KI-Chancen zur Verbesserung von Bürgernähe und bürgernahen Dienstleistungen?",
     "Does the administration see opportunities in AI to improve citizen orientation and services?"},
    {"Beteiligung und Transparenz", "Participation and transparency",
     "Welche Möglichkeiten gibt es, um die Bürger*innen in den Prozess der KI-Implementierung einzubeziehen und Transparenz zu schaffen?",
     "How can citizens be involved in introducing AI, and how is transparency created?"},
    {"Austausch mit anderen Stellen", "Exchange with other bodies",
     "Steht die Kreisverwaltung mit anderen Gebietskörperschaften oder IT-Dienstleistern im Austausch zur Implementierung von KI-Lösungen?",
     "Does the administration exchange with other public bodies or IT providers on implementing AI?"},
    {"Ressourcen und Kosten", "Resources and cost",
     "Gibt es bereits eine erste Einschätzung von erforderlichen Ressourcen (Zuwachs an Personal und Finanzmittel) zur möglichen "
     "Implementierung von KI-Lösungen (Ressourcen- und Kostenbewertung)?",
     "Is there a first estimate of the resources (staff and funds) needed to implement AI (resource and cost assessment)?"},
    {"Einsparpotenziale", "Savings",
     "Erwartet die Kreisverwaltung Einsparpotenziale durch Effizienzsteigerungen?",
     "Does the administration expect savings from efficiency gains?"},
    {"Sicherheit", "Security",
     "Welche Maßnahmen ergreift die Verwaltung, um bestehende oder geplante KI-Systeme abzusichern bzw. ist geplant, KI-Systeme "
     "allgemein zur Sicherheit der bestehenden IT-System einzusetzen?",
     "Which measures does the administration take to secure existing or planned AI systems, and is AI planned for the security "
     "of existing IT systems?"},
}};

const std::map<std::string, std::pair<const char*, const char*>>& entity_names() {
  static const std::map<std::string, std::pair<const char*, const char*>> m = {
      {"PERSON", {"Namen", "names"}},
      {"EMAIL", {"E-Mail-Adressen", "e-mail addresses"}},
      {"PHONE", {"Telefonnummern", "phone numbers"}},
      {"ADDRESS", {"Anschriften", "addresses"}},
      {"IBAN", {"IBAN", "IBANs"}},
      {"BIC", {"BIC", "BICs"}},
      {"CREDIT_CARD", {"Kreditkartennummern", "payment card numbers"}},
      {"TAX_ID", {"Steuer-Identifikationsnummern", "tax IDs"}},
      {"VAT_ID", {"USt-IdNr.", "VAT IDs"}},
      {"SOCIAL_SECURITY", {"Rentenversicherungsnummern", "social security numbers"}},
      {"ID_CARD", {"Personalausweisnummern", "ID card numbers"}},
      {"PASSPORT", {"Reisepassnummern", "passport numbers"}},
      {"DATE_OF_BIRTH", {"Geburtsdaten", "dates of birth"}},
      {"LICENSE_PLATE", {"Kfz-Kennzeichen", "licence plates"}},
      {"IP_ADDRESS", {"IP-Adressen", "IP addresses"}},
      {"HEALTH", {"Gesundheitsdaten", "health data"}},
      {"CASE_NUMBER", {"Aktenzeichen", "case numbers"}},
      {"SECRET", {"Zugangsdaten", "credentials"}},
  };
  return m;
}

std::string join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

std::string texts::question_title(int n) const {
  const auto& q = questions.at(n - 1);
  return (*this)(q.title_de, q.title_en);
}

std::string texts::question_text(int n) const {
  const auto& q = questions.at(n - 1);
  return (*this)(q.de, q.en);
}

std::string texts::entity(const std::string& type) const {
  const auto it = entity_names().find(type);
  if (it == entity_names().end()) return type;
  return (*this)(it->second.first, it->second.second);
}

std::string texts::principle(const std::string& c) const {
  if (c == "human_review") return (*this)("Verantwortung: Menschen entscheiden", "Responsibility: people decide");
  if (c == "transparency") return (*this)("Transparenz und Kennzeichnung", "Transparency and labelling");
  if (c == "prohibited_practice") return (*this)("Grundrechte und Diskriminierungsfreiheit", "Fundamental rights and non-discrimination");
  if (c == "training") return (*this)("Kompetenz der Beschäftigten (Art. 4 KI-VO)", "Staff competence (Art. 4 AI Act)");
  if (c == "secrets" || c == "prompt_injection") return (*this)("Sicherheit", "Security");
  if (c == "personal_data" || c == "special_category" || c == "routing") return (*this)("Datenschutz", "Data protection");
  if (c == "access") return (*this)("Freigabe von Diensten", "Approval of services");
  return (*this)("Weitere Regeln", "Other rules");
}

std::string texts::register_status(const std::string& s) const {
  if (s == "in_development") return (*this)("in Entwicklung", "in development");
  if (s == "out_of_use") return (*this)("außer Betrieb", "out of use");
  return (*this)("im Einsatz", "in use");
}

std::string texts::risk_class(const std::string& r) const {
  if (r == "high") return (*this)("hohes Risiko (Anhang III KI-VO)", "high risk (AI Act Annex III)");
  if (r == "limited") return (*this)("begrenztes Risiko (Transparenzpflichten, Art. 50 KI-VO)", "limited risk (transparency duties, Art. 50 AI Act)");
  return (*this)("minimales Risiko", "minimal risk");
}

std::string texts::money(double eur) const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", eur);
  std::string s = buf;
  if (lang_ == language::de) {
    for (auto& ch : s) ch = ch == '.' ? ',' : ch;
  }
  return s + " €";
}

std::string texts::service_line(const policy::service& s, const policy::snapshot& p) const {
  std::string basis;
  switch (s.basis) {
    case policy::transfer_basis::eea: basis = (*this)("EU/EWR", "EU/EEA"); break;
    case policy::transfer_basis::adequacy: basis = (*this)("Angemessenheitsbeschluss", "adequacy decision"); break;
    case policy::transfer_basis::scc: basis = (*this)("Standardvertragsklauseln", "standard contractual clauses"); break;
    case policy::transfer_basis::none: basis = (*this)("keine Grundlage: keine personenbezogenen Daten", "no basis: no personal data"); break;
  }
  std::string line = s.name + " (" + s.provider + "; " + (*this)("Standort ", "hosted in ") + s.location + ", " + basis + ")";
  line += (*this)(": Modelle ", ": models ") + join(s.models);
  if (!s.departments.empty()) line += (*this)("; nur für ", "; only for ") + join(s.departments);
  if (!s.enabled) line += (*this)("; derzeit abgeschaltet", "; currently switched off");
  if (s.no_training_on_inputs) line += (*this)("; keine Verwendung der Eingaben zum Training", "; inputs not used for training");
  return line;
}

std::string texts::describe(const policy::rule& r, const policy::snapshot& p) const {
  std::string effect;
  switch (r.eff) {
    case policy::effect::allow: effect = (*this)("ist erlaubt", "is allowed"); break;
    case policy::effect::deny: effect = (*this)("wird abgelehnt", "is refused"); break;
    case policy::effect::require_acknowledgement:
      effect = (*this)("nur mit Bestätigung der menschlichen Prüfung", "only with confirmation of human review");
      break;
    case policy::effect::warn: effect = (*this)("erhält einen Hinweis", "gets a notice"); break;
    case policy::effect::route: effect = (*this)("wird an das Modell ", "is sent to the model ") + r.route_to + (*this)(" geleitet", ""); break;
    case policy::effect::redact: effect = (*this)("mit geänderter Schwärzung", "with changed redaction"); break;
  }
  std::vector<std::string> when;
  if (!r.departments.empty()) when.push_back((*this)("Ämter: ", "departments: ") + join(r.departments));
  if (!r.roles.empty()) when.push_back((*this)("Rollen: ", "roles: ") + join(r.roles));
  if (!r.services.empty()) when.push_back((*this)("Dienste: ", "services: ") + join(r.services));
  if (!r.models.empty()) when.push_back((*this)("Modelle: ", "models: ") + join(r.models));
  if (!r.purposes.empty()) when.push_back((*this)("Zwecke: ", "use cases: ") + join(r.purposes));
  if (r.training == 1) when.push_back((*this)("ohne gültige KI-Schulung", "without valid AI-literacy training"));
  if (r.detected_mask) {
    std::vector<std::string> types;
    for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
      if (r.detected_mask >> i & 1u) types.push_back(entity(std::string(redact::entity_names[i])));
    }
    when.push_back((*this)("enthält: ", "contains: ") + join(types));
  }
  if (!r.patterns.empty() || !r.class_patterns.empty()) {
    when.push_back((*this)("Textmuster (", "text patterns (") + std::to_string(r.patterns.size() + r.class_patterns.size()) + ")");
  }
  if (r.weekdays || r.from_minute != r.to_minute) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d:%02d–%02d:%02d", r.from_minute / 60, r.from_minute % 60, r.to_minute / 60, r.to_minute % 60);
    when.push_back((*this)("Zeit: ", "time: ") + buf);
  }
  std::string s = (r.title.empty() ? r.id : r.title) + " — " + (*this)("Eine Anfrage ", "A request ") + effect;
  if (!when.empty()) s += (*this)(", wenn ", ", when ") + join(when, "; ");
  s += ".";
  if (!r.reference.empty()) s += " [" + r.reference + "]";
  const std::string& why = r.explanation(lang_);
  if (!why.empty()) s += " " + why;
  return s;
}

}  // namespace lp::report
