// The policy: the administration's works agreement as rules the gateway enforces.
//
// A policy file is parsed, validated and compiled once into an immutable `snapshot`; requests
// pin the snapshot they started with (STYLE rules 24-27). `evaluate` is a pure function.
//
// Semantics (Cedar-like): a request is refused when any `deny` rule matches; otherwise it is
// refused by the implicit `default-deny` unless at least one `allow` rule matches; an allowed
// request that matches a `require_acknowledgement` rule is forwarded only when the client has
// confirmed human review. The result does not depend on rule order, and it names every
// determining rule.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/yaml_diag.h"
#include "redact/apply.h"
#include "redact/entity.h"
#include "redact/pattern_set.h"
#include "schema/errors.h"

namespace date {
class time_zone;
}

namespace lp::policy {

enum class effect : unsigned char {
  allow,                    // the request may go to the AI service (after redaction)
  deny,                     // the request is refused with the rule's explanation
  require_acknowledgement,  // forwarded only when the client confirms human review (header)
  warn,                     // forwarded; the client gets the rule's explanation as a notice
  route,                    // forwarded to the rule's `to` model instead (e.g. an internal one)
  redact,                   // sets the redaction operator of some entity types for matching requests
};

// One rule. Conditions are ANDed; each list matches when it contains the request's value;
// an empty list matches everything.
struct rule {
  std::string id;
  std::string title;
  effect eff = effect::deny;
  std::vector<std::string> departments;
  bool other_departments = false;  // derived rules only: matches departments NOT in the list
  std::vector<std::string> roles;
  std::vector<std::string> models;
  std::vector<std::string> services;        // names of services; matches their models
  std::vector<std::string> service_models;  // derived: the models of `services`
  std::vector<std::string> purposes;     // declared use case (X-Leitplanke-Purpose)
  // AI-literacy training of the user (Art. 4 AI Act): 0 any, 1 training missing or expired,
  // 2 training valid.
  unsigned char training = 0;
  std::uint32_t detected_mask = 0;  // bit i = entity_type i; 0 = no condition
  bool forwarded_only = false;      // detected_mask looks only at data forwarded in clear
  // Data classes recognised by keywords (data_class::patterns): any hit satisfies the
  // detected/data_classes condition like a detected entity. Indices into pattern_sources.
  std::vector<std::size_t> class_patterns;
  std::vector<std::size_t> patterns;     // indices into snapshot::pattern_sources; any may match
  // Time condition (local time of the policy's time zone): weekdays as bits (bit 0 = Monday),
  // 0 = every day; minutes since midnight [from, to), from > to wraps past midnight; from == to
  // = all day.
  unsigned char weekdays = 0;
  std::uint16_t from_minute = 0;
  std::uint16_t to_minute = 0;
  std::string route_to;             // effect route: the model requests are sent to instead
  // Effect redact: the operators this rule sets (bit i of redact_types = entity_type i).
  std::uint32_t redact_types = 0;
  redact::operator_table redact_ops{};
  std::string reference;            // e.g. "DV KI § 4 Abs. 2"
  // What the rule is about, for reports (one of rule_categories). Written as `category`, or
  // derived at load time (derive_category); never empty in a snapshot.
  std::string category;
  std::string explanation_de;
  std::string explanation_en;

  const std::string& explanation(language lang) const {
    return lang == language::en && !explanation_en.empty() ? explanation_en : explanation_de;
  }
};

// The report categories of rules (rule::category).
inline constexpr std::array<std::string_view, 11> rule_categories = {
    "personal_data", "special_category", "secrets", "prompt_injection", "prohibited_practice", "training",
    "human_review", "transparency", "access", "routing", "other"};

// Legal basis for transferring personal data to where a service is hosted (Art. 44 ff. GDPR).
enum class transfer_basis : unsigned char {
  eea,       // hosted in the EU/EEA: no transfer
  adequacy,  // third country with an adequacy decision (Art. 45)
  scc,       // standard contractual clauses (Art. 46)
  none,      // no basis: personal data must not go there
};

// An AI service the administration has approved (or switched off): the facts an AI register
// and the DPO need, and the switches the policy enforces.
struct service {
  std::string name;
  std::string provider;
  std::vector<std::string> models;          // the models (as clients name them) it provides
  std::string location;                     // e.g. "DE", "EU", "US"
  transfer_basis basis = transfer_basis::eea;
  std::string processor_contract;           // Art. 28 GDPR contract reference
  bool no_training_on_inputs = false;
  double price_input_per_1k = 0;            // EUR per 1,000 input tokens
  double price_output_per_1k = 0;           // EUR per 1,000 output tokens
  bool enabled = true;                      // kill switch for the whole service
  std::vector<std::string> disabled_models; // kill switch per model
  std::vector<std::string> data_classes;    // approved for these classes (empty: not restricted)
  std::vector<std::string> departments;     // approved for these departments (empty: not restricted)
  // Energy per 1,000 tokens (input and output) for the reports' estimates; -1: not declared.
  double energy_wh_per_1k_tokens = -1;
  std::string energy_source;                // where the factor comes from (provider statement, estimate)
};

// How long records are kept (the agreement's retention rules). The audit trail's retention job
// enforces them; the policy is where the agreement states them.
struct retention_rules {
  unsigned decision_log_months = 6;   // decision records; at least 6 (Art. 12, 26 AI Act)
  unsigned refused_prompt_days = 0;   // redacted prompts of refused requests kept for review; 0: not stored
};

// A named group of entity types (e.g. "finanzdaten": [IBAN]) that agreements speak of, and/or
// of keyword patterns that indicate it (e.g. diagnoses for "gesundheitsdaten").
struct data_class {
  std::string name;
  std::uint32_t mask = 0;  // entity types in the class
  std::vector<std::size_t> patterns;  // indices into snapshot::pattern_sources
  bool special_category = false;      // Art. 9 GDPR (health, religion, ...): for reports
};

// A risk of a use case and how it is mitigated (AI register).
struct register_risk {
  std::string name, description, mitigation;
};

// What the public AI register publishes about a use case (Dutch Algoritmeregister, UK ATRS,
// AI Act Annex VIII): filled in by the policy author; empty strings when not given.
struct register_entry {
  std::string status = "in_use";       // in_development | in_use | out_of_use
  std::string begin_date, end_date;    // YYYY-MM-DD
  std::string risk_class = "minimal";  // minimal | limited | high (AI Act)
  std::string annex_iii_point;         // e.g. "5(a)" for high-risk
  std::string domain;                  // e.g. "Soziales", "IT-Sicherheit"
  std::string owner;                   // responsible role (never a person's name)
  std::string contact;                 // functional mailbox
  std::string goal, scope, benefit, human_intervention, lawful_basis, affected_groups, dpia, fria,
      objection_procedure, monitoring, alternatives, proportionality;
  std::vector<std::string> shared_with, tags;
  std::vector<register_risk> risks;
};

// A declared use case (X-Leitplanke-Purpose): purpose binding, and what the AI register lists.
struct purpose {
  std::string name;
  std::string title;
  std::string description;
  bool citizen_facing = false;  // answers may reach citizens: label them as AI-generated (Art. 50)
  register_entry reg;           // YAML `register:`
};

// Who publishes reports and the register, and the works agreement the policy enforces.
struct organisation_info {
  std::string name, contact, website, works_agreement, works_agreement_date;  // date: YYYY-MM-DD
};

// Reporting rules of the agreement: smallest group a figure may be about, rounding of counts,
// and the emission factor for energy estimates.
struct reporting_rules {
  unsigned min_group_size = 5;  // at least 2
  unsigned rounding = 5;        // counts are rounded to multiples of this; at least 1
  double co2_g_per_kwh = -1;    // grams CO2 per kWh; -1: not declared
};

// The compiled policy.
struct snapshot {
  std::string version;  // the policy's own version label
  std::string digest;   // SHA-256 (hex) of the policy file's bytes
  std::string source;   // the policy file's bytes (kept in the audit trail's policy_versions)
  std::string file;
  redact::operator_table redaction{};  // per entity type; default keep
  // Response rules: count the personal data found in answers (decision log, answer_entity_counts).
  bool scan_responses = false;
  // Explanations of matching warn rules are appended to the answer text (not only a header).
  bool notices_in_answer = true;
  // The label appended to answers for citizen-facing use cases (Art. 50 AI Act).
  std::string ai_label_de = "Dieser Text wurde mit Unterstützung eines KI-Systems erstellt.";
  std::string ai_label_en = "This text was produced with the help of an AI system.";
  std::vector<purpose> purposes;  // when listed, requests may only declare these
  retention_rules retention;
  using organisation_info = policy::organisation_info;
  using reporting_rules = policy::reporting_rules;
  organisation_info organisation;  // YAML `organisation:`
  reporting_rules reporting;       // YAML `reporting:`
  // YAML `budgets:` EUR per quarter by department, in file order.
  std::vector<std::pair<std::string, double>> budgets;
  std::string timezone = "Europe/Berlin";  // for time conditions
  const date::time_zone* zone = nullptr;
  std::vector<rule> rules;  // as written, followed by the rules derived from `services`
  std::vector<service> services;
  std::vector<std::string> departments;  // when listed, rules may only name these
  std::vector<data_class> data_classes;
  std::vector<std::string> pattern_sources;  // every content pattern of every rule
  redact::pattern_set_ptr patterns;          // compiled from pattern_sources
};

using snapshot_ptr = std::shared_ptr<const snapshot>;

// What the policy sees of a request. Views must outlive the call.
struct request_facts {
  std::string_view department;
  std::string_view role;
  std::string_view model;
  std::string_view purpose;                     // declared use case; empty when none
  redact::entity_counts detected{};
  // Of `detected`, what leaves unmasked. evaluate() computes it from the redaction that
  // applies (the policy's `redact` and matching redact rules); only trace() reads it as given.
  redact::entity_counts forwarded{};
  const std::vector<bool>* pattern_hits = nullptr;  // per snapshot pattern; null = none matched
  bool acknowledged = false;                    // the client confirmed human review
  bool trained = true;                          // the user's AI-literacy training is valid today
  unsigned char weekday = 0;                    // local time of the request: 0 = Monday
  std::uint16_t minute = 12 * 60;               // minutes since local midnight
};

// The local weekday and minute of `t` in the snapshot's time zone (request_facts::weekday and
// minute).
void set_local_time(const snapshot& s, std::chrono::system_clock::time_point t, request_facts& f);

// The declared use case named `name`, or null.
const purpose* find_purpose(const snapshot& s, std::string_view name);
// The service named `name`, or null.
const service* find_service(const snapshot& s, std::string_view name);
// The rule with id `id` (written or derived), or null.
const rule* find_rule(const snapshot& s, std::string_view id);

// Names as the policy file writes them ("require_acknowledgement", "scc").
std::string_view to_string(effect e);
std::string_view to_string(transfer_basis b);

// The report category of a rule that does not state one (rule_categories): training for a
// training condition; secrets, special_category or personal_data for a detected/data-class
// condition (SECRET first, then classes marked special_category by entity type or keyword);
// otherwise by effect: require_acknowledgement human_review, warn transparency, route routing,
// allow access, redact personal_data, deny other. `parse` applies it to every rule without
// `category` (the rules derived from services are access).
std::string_view derive_category(const snapshot& s, const rule& r);

// The id reported when no rule allowed the request.
inline constexpr std::string_view default_deny_id = "default-deny";

struct decision {
  bool allowed = false;
  // Refused only because a require_acknowledgement rule matched and the client has not
  // confirmed human review (it may resend with the confirmation).
  bool needs_acknowledgement = false;
  // Matching warn rules of an allowed request: their explanations go to the client as notices.
  std::vector<const rule*> warnings;
  // Set when a route rule sent the request to another model; the decision is the one for that
  // model, and the route rule is among the determining rules.
  std::string_view route_to;
  // The redaction operator per entity type for what is forwarded: the policy's `redact`,
  // overridden by matching redact rules (the strictest of them per type: mask over
  // pseudonymize over keep), decided for the model the request goes to.
  redact::operator_table redaction{};
  std::vector<const rule*> redacted_by;  // the redact rules that set operators
  // The determining rules: every matching deny rule when denied; the matching
  // require_acknowledgement rules when acknowledgement is missing; every matching allow and
  // (acknowledged) require_acknowledgement rule when allowed; empty for default-deny.
  std::vector<const rule*> determining;
};

decision evaluate(const snapshot& s, const request_facts& f);

// Of the detected entities, those the operators let pass unmasked (request_facts::forwarded).
redact::entity_counts forwarded_counts(const redact::operator_table& ops, const redact::entity_counts& detected);
inline redact::entity_counts forwarded_counts(const snapshot& s, const redact::entity_counts& detected) {
  return forwarded_counts(s.redaction, detected);
}

// The redaction for request facts `f` (its model as it will be forwarded): the policy's
// `redact` table with the operators of matching redact rules (appended to `by`, if given).
redact::operator_table redaction_for(const snapshot& s, const request_facts& f, std::vector<const rule*>* by);

// Why one rule did or did not match: for `policy explain` and `policy test`.
struct rule_trace {
  const rule* r = nullptr;
  bool matched = false;
  std::vector<std::string> unmet;  // the conditions that failed, in words (English)
};

// Evaluates like evaluate() and records, rule by rule, which conditions held. Slower than
// evaluate() (it builds strings); not for the request path.
std::vector<rule_trace> trace(const snapshot& s, const request_facts& f);

// The entries of a `redact`-style map (entity type: mask | pseudonymize | keep), in file order;
// unknown types and operators are reported to `c` and left out.
std::vector<std::pair<redact::entity_type, redact::operator_kind>> parse_operators(const YAML::Node& map,
                                                                                   yaml::checker& c);

// Parses and validates a policy. Returns null when there are errors; all of them are in `c`.
// compile_patterns false skips compiling the content patterns (seconds of Hyperscan work for
// UTF-8 case-insensitive bounded repeats): for readers of recorded policy texts (reports) that
// never evaluate requests; `patterns` stays null and pattern syntax is not checked.
snapshot_ptr parse(std::string_view text, yaml::checker& c, bool compile_patterns = true);

// `base` with the named services switched off at run time (the dashboard's kill switch): each
// gets the same deny rule as `enabled: false` in the file. Unknown names are ignored.
snapshot_ptr with_services_off(const snapshot_ptr& base, const std::vector<std::string>& off);

// Reads and parses a policy file (diagnostics carry `path`).
snapshot_ptr load_file(const std::string& path, std::vector<yaml::diagnostic>& diags);

}  // namespace lp::policy
