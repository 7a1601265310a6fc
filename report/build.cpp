#include "report/build.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "report/texts.h"

namespace lp::report {

namespace {

using strings = std::vector<std::string>;

bool contains(const strings& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// Everything the sections need, computed once.
class builder {
 public:
  builder(const figures& cur, const figures& prev, const options& o) : f_(cur), prev_(prev), o_(o), t_(o.lang) {
    if (!cur.versions.empty() && cur.versions.back().policy) pol_ = cur.versions.back().policy;
    if (!pol_) pol_ = o.fallback_policy;
    if (!pol_) throw std::runtime_error(t_("keine Richtlinie für den Zeitraum gefunden (weder in policy_versions noch --policy)",
                                           "no policy found for the period (neither in policy_versions nor --policy)"));
    for (const auto& v : cur.versions) {
      if (!v.policy) d_.warnings.push_back("policy version " + v.digest.substr(0, 12) + " does not parse any more: " + v.problem);
    }
    d_.lang = o.lang;
    d_.aud = o.aud;
    d_.k = std::max<unsigned>(pol_->reporting.min_group_size, o.min_group);
    d_.rounding = pol_->reporting.rounding;
    d_.generated_at = o.generated_at;
    d_.period_label = cur.range.label;
    d_.policy_version = pol_->version;
    d_.organisation = pol_->organisation.name.empty() ? t_("Verwaltung", "Administration") : pol_->organisation.name;
    classify();
  }

  document run() {
    figures_usage();
    figures_people();
    figures_purposes();
    figures_rules_entities();
    figures_money();
    figures_security();
    figures_trend();
    d_.figures.suppress(d_.k);
    write_sections();
    return std::move(d_);
  }

 private:
  const figures& f_;
  const figures& prev_;
  const options& o_;
  texts t_;
  policy::snapshot_ptr pol_;
  document d_;
  strings depts_, services_, months_, purposes_;
  std::map<std::string, std::string> service_of_;  // model -> service ("_other")
  std::map<std::string, strings> models_of_;      // service -> models seen or listed
  bool detailed() const { return o_.aud != audience::pub; }

  // ---- dimensions -------------------------------------------------------------------------

  void classify() {
    depts_ = pol_->departments;
    std::set<std::string> seen;
    for (const auto& u : f_.usage) {
      if (!u.department.empty() && !contains(depts_, u.department)) seen.insert(u.department);
    }
    depts_.insert(depts_.end(), seen.begin(), seen.end());
    for (const auto& s : pol_->services) {
      services_.push_back(s.name);
      for (const auto& m : s.models) {
        service_of_.emplace(m, s.name);
        models_of_[s.name].push_back(m);
      }
    }
    bool other = false;
    for (const auto& u : f_.usage) {
      if (!service_of_.count(u.model)) {
        service_of_[u.model] = "_other";
        models_of_["_other"].push_back(u.model);
        other = other || !u.department.empty();
      }
    }
    if (other) services_.push_back("_other");
    months_ = months(f_.range);
    for (const auto& p : pol_->purposes) purposes_.push_back(p.name);
    purposes_.push_back("_none");
  }

  static std::string purpose_value(const std::string& p) { return p == "_none" ? "" : p; }

  long people(const strings& depts, const std::string& dim, const strings& values, bool trained = false) const {
    if (!dim.empty() && values.empty()) return 0;
    return contributors(f_, depts, dim, values, trained);
  }
  strings models(const std::string& service) const {
    const auto it = models_of_.find(service);
    return it == models_of_.end() ? strings{} : it->second;
  }

  // ---- figures ----------------------------------------------------------------------------

  void figures_usage() {
    std::map<std::string, double> by;  // id -> requests
    for (const auto& u : f_.usage) {
      if (u.department.empty()) continue;
      const std::string& s = service_of_.at(u.model);
      const std::string d = "|d=" + u.department;
      for (const auto& id : {"requests" + d + "|s=" + s, "requests" + d, "requests|s=" + s, std::string("requests"),
                             "requests" + d + "|m=" + u.month, "requests|m=" + u.month, "requests" + d + "|dec=" + u.decision,
                             "requests|dec=" + u.decision}) {
        by[id] += u.requests;
      }
    }
    auto& L = d_.figures;
    const strings all;
    L.put("requests", by["requests"], people(all, "", {""}));
    strings dept_ids, svc_ids, month_ids, dec_ids;
    for (const auto& s : services_) {
      L.put("requests|s=" + s, by["requests|s=" + s], people(all, "model", models(s)));
      svc_ids.push_back("requests|s=" + s);
    }
    for (const auto& m : months_) {
      L.put("requests|m=" + m, by["requests|m=" + m], people(all, "month", {m}));
      month_ids.push_back("requests|m=" + m);
    }
    for (const auto& dec : decisions()) {
      L.put("requests|dec=" + dec, by["requests|dec=" + dec], people(all, "decision", {dec}));
      dec_ids.push_back("requests|dec=" + dec);
    }
    for (const auto& d : depts_) {
      const std::string base = "requests|d=" + d;
      L.put(base, by[base], people({d}, "", {""}));
      dept_ids.push_back(base);
      strings row;
      for (const auto& s : services_) {
        L.put(base + "|s=" + s, by[base + "|s=" + s], people({d}, "model", models(s)));
        row.push_back(base + "|s=" + s);
      }
      L.relation(base, row);
      row.clear();
      for (const auto& m : months_) {
        L.put(base + "|m=" + m, by[base + "|m=" + m], people({d}, "month", {m}));
        row.push_back(base + "|m=" + m);
      }
      L.relation(base, row);
      row.clear();
      for (const auto& dec : decisions()) {
        L.put(base + "|dec=" + dec, by[base + "|dec=" + dec], people({d}, "decision", {dec}));
        row.push_back(base + "|dec=" + dec);
      }
      L.relation(base, row);
    }
    for (const auto& s : services_) L.relation("requests|s=" + s, column(dept_ids, "|s=" + s));
    for (const auto& m : months_) L.relation("requests|m=" + m, column(dept_ids, "|m=" + m));
    for (const auto& dec : decisions()) L.relation("requests|dec=" + dec, column(dept_ids, "|dec=" + dec));
    for (const auto* list : {&dept_ids, &svc_ids, &month_ids, &dec_ids}) L.relation("requests", *list);

    add_grid("requests_by_department_service", t_("Anfragen nach Amt und KI-Dienst", "Requests by department and AI service"),
             "requests", "s", services_, service_labels(services_), true);
    add_grid("requests_by_department_month", t_("Anfragen nach Amt und Monat", "Requests by department and month"), "requests",
             "m", months_, months_, false);
    add_grid("decisions_by_department", t_("Entscheidungen nach Amt", "Decisions by department"), "requests", "dec", decisions(),
             decision_labels(), true);
  }

  static strings column(const strings& row_ids, const std::string& suffix) {
    strings out;
    for (const auto& r : row_ids) out.push_back(r + suffix);
    return out;
  }

  static const strings& decisions() {
    static const strings d = {"allowed", "redacted", "blocked", "error"};
    return d;
  }
  strings decision_labels() const {
    return {t_("zugelassen", "allowed"), t_("mit Schwärzung", "redacted"), t_("abgelehnt", "blocked"), t_("Fehler", "error")};
  }
  strings service_labels(const strings& s) const {
    strings out;
    for (const auto& x : s) out.push_back(x == "_other" ? t_("andere", "other") : x);
    return out;
  }

  // A department x dimension table over ledger ids prefix|d=X|dim=Y with margins.
  void add_grid(const std::string& id, const std::string& caption, const std::string& prefix, const std::string& dim,
                const strings& cols, const strings& col_labels, bool chart) {
    table t;
    t.id = id;
    t.caption = caption;
    t.cols = cols;
    t.col_labels = col_labels;
    t.cols.push_back("_total");
    t.col_labels.push_back(t_("gesamt", "total"));
    for (const auto& d : depts_) {
      t.rows.push_back(d);
      t.row_labels.push_back(d);
      strings r;
      for (const auto& c : cols) r.push_back(prefix + "|d=" + d + "|" + dim + "=" + c);
      r.push_back(prefix + "|d=" + d);
      t.cells.push_back(std::move(r));
    }
    t.rows.push_back("_total");
    t.row_labels.push_back(t_("gesamt", "total"));
    strings r;
    for (const auto& c : cols) r.push_back(prefix + "|" + dim + "=" + c);
    r.push_back(prefix);
    t.cells.push_back(std::move(r));
    if (chart) t.chart = "stacked";
    d_.tables.push_back(std::move(t));
  }

  void figures_people() {
    auto& L = d_.figures;
    const strings all;
    const long total = people(all, "", {""}), trained = people(all, "", {""}, true);
    L.put("users", total, 0, kind::people);
    L.put("users|trained", trained, 0, kind::people);
    L.put("users|untrained", total - trained, 0, kind::people);
    L.relation("users", {"users|trained", "users|untrained"});
    strings totals, trained_ids, untrained_ids;
    table t;
    t.id = "active_users_by_department";
    t.caption = t_("Aktive Beschäftigte und KI-Schulung nach Amt", "Active staff and AI-literacy training by department");
    t.cols = {"active", "trained", "untrained"};
    t.col_labels = {t_("aktiv", "active"), t_("mit gültiger Schulung", "trained"), t_("ohne gültige Schulung", "not trained")};
    for (const auto& d : depts_) {
      const long n = people({d}, "", {""}), tr = people({d}, "", {""}, true);
      const std::string base = "users|d=" + d;
      L.put(base, n, 0, kind::people);
      L.put(base + "|trained", tr, 0, kind::people);
      L.put(base + "|untrained", n - tr, 0, kind::people);
      L.relation(base, {base + "|trained", base + "|untrained"});
      totals.push_back(base);
      trained_ids.push_back(base + "|trained");
      untrained_ids.push_back(base + "|untrained");
      t.rows.push_back(d);
      t.row_labels.push_back(d);
      t.cells.push_back({base, base + "|trained", base + "|untrained"});
    }
    // People in two departments make these sums larger than the totals; treating them as exact
    // relations is the cautious side.
    L.relation("users", totals);
    L.relation("users|trained", trained_ids);
    L.relation("users|untrained", untrained_ids);
    t.rows.push_back("_total");
    t.row_labels.push_back(t_("gesamt", "total"));
    t.cells.push_back({"users", "users|trained", "users|untrained"});
    d_.tables.push_back(std::move(t));

    // Active staff over time and per service (counts of people; not additive: one person uses
    // several services and months).
    table m;
    m.id = "active_users_by_month";
    m.caption = t_("Aktive Beschäftigte je Monat und KI-Dienst", "Active staff per month and AI service");
    m.cols = {"active"};
    m.col_labels = {t_("aktiv", "active")};
    for (const auto& month : months_) {
      L.put("users|m=" + month, people(all, "month", {month}), 0, kind::people);
      m.rows.push_back(month);
      m.row_labels.push_back(month);
      m.cells.push_back({"users|m=" + month});
    }
    for (const auto& svc : services_) {
      L.put("users|s=" + svc, people(all, "model", models(svc)), 0, kind::people);
      m.rows.push_back(svc);
      m.row_labels.push_back(svc == "_other" ? t_("andere Modelle", "other models") : svc);
      m.cells.push_back({"users|s=" + svc});
    }
    d_.tables.push_back(std::move(m));
  }

  // The rules that refused most requests, with their reference and explanation.
  strings top_refusals(std::size_t n) const {
    std::vector<std::pair<double, const policy::rule*>> v;
    for (const auto& r : pol_->rules) {
      const auto it = f_.rules.find({r.id, "blocked"});
      if (it != f_.rules.end() && it->second > 0) v.emplace_back(static_cast<double>(it->second), &r);
    }
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    strings out;
    for (std::size_t i = 0; i < v.size() && out.size() < n; ++i) {
      const auto& r = *v[i].second;
      const std::string count = fig("rule|" + r.id);
      if (count == "–") continue;  // hidden: too few people behind it
      out.push_back((r.title.empty() ? r.id : r.title) + ": " + count + t_(" Anfragen", " requests") +
                    (r.reference.empty() ? "" : " [" + r.reference + "]") + ". " + r.explanation(o_.lang));
    }
    return out;
  }

  void figures_purposes() {
    auto& L = d_.figures;
    std::map<std::string, double> req, ack;
    for (const auto& u : f_.usage) {
      if (u.department.empty()) continue;
      const std::string p = u.purpose.empty() ? "_none" : u.purpose;
      req[p] += u.requests;
      ack[p] += u.acknowledged;
    }
    for (const auto& [p, n] : req) {
      if (!contains(purposes_, p)) purposes_.insert(purposes_.end() - 1, p);  // declared under an older policy
    }
    table t;
    t.id = "requests_by_purpose";
    t.caption = t_("Anfragen nach Verwendungszweck", "Requests by use case");
    t.cols = {"requests", "acknowledged"};
    t.col_labels = {t_("Anfragen", "requests"), t_("mit bestätigter menschlicher Prüfung", "with confirmed human review")};
    strings members;
    for (const auto& p : purposes_) {
      const std::string id = "requests|p=" + p;
      L.put(id, req[p], people({}, "purpose", {purpose_value(p)}));
      L.put("ack|p=" + p, ack[p], people({}, "acknowledged", {purpose_value(p)}));
      members.push_back(id);
      t.rows.push_back(p);
      t.row_labels.push_back(purpose_title(p));
      t.cells.push_back({id, "ack|p=" + p});
    }
    L.relation("requests", members);
    strings acks;
    double ack_all = 0;
    for (const auto& p : purposes_) {
      acks.push_back("ack|p=" + p);
      ack_all += ack[p];
    }
    L.put("ack", ack_all, contributors(f_, {}, "acknowledged", {}));
    L.relation("ack", acks);
    t.rows.push_back("_total");
    t.row_labels.push_back(t_("gesamt", "total"));
    t.cells.push_back({"requests", "ack"});
    d_.tables.push_back(std::move(t));
  }

  std::string purpose_title(const std::string& p) const {
    if (p == "_none") return t_("ohne Angabe", "not declared");
    for (const auto& x : pol_->purposes) {
      if (x.name == p) return x.title.empty() ? p : x.title;
    }
    return p;
  }

  void figures_rules_entities() {
    auto& L = d_.figures;
    std::map<std::string, double> per_rule;
    for (const auto& [k, n] : f_.rules) per_rule[k.first] += n;
    for (const auto& r : pol_->rules) per_rule.emplace(r.id, 0);
    table t;
    t.id = "rules";
    t.caption = t_("Wie oft Regeln eine Entscheidung bestimmt haben", "How often rules determined a decision");
    t.cols = {"requests"};
    t.col_labels = {t_("Anfragen", "requests")};
    for (const auto& [id, n] : per_rule) {
      L.put("rule|" + id, n, people({}, "rule", {id}));
      t.rows.push_back(id);
      const auto* r = policy::find_rule(*pol_, id);
      t.row_labels.push_back(r && !r->title.empty() ? r->title + " (" + id + ")" : id);
      t.cells.push_back({"rule|" + id});
    }
    d_.tables.push_back(std::move(t));

    table e;
    e.id = "entities";
    e.caption = t_("Erkannte personenbezogene Daten nach Art", "Personal data found, by type");
    e.cols = {"items", "requests", "answer_items"};
    e.col_labels = {t_("Fundstellen in Anfragen", "items in requests"), t_("Anfragen mit Fund", "requests with any"),
                    t_("Fundstellen in Antworten", "items in answers")};
    for (const auto& [type, x] : f_.entities) {
      const long n = people({}, "entity", {type});
      L.put("entity|" + type + "|items", x.items, n);
      L.put("entity|" + type + "|requests", x.requests, n);
      L.put("entity|" + type + "|answer", x.answer_items, people({}, "answer_entity", {type}));
      e.rows.push_back(type);
      e.row_labels.push_back(entity_label(type) + (special(type) ? " *" : ""));
      e.cells.push_back({"entity|" + type + "|items", "entity|" + type + "|requests", "entity|" + type + "|answer"});
    }
    e.chart = "single";
    d_.tables.push_back(std::move(e));
  }

  bool special(const std::string& type) const {
    const auto t = redact::entity_from_string(type);
    if (!t) return false;
    for (const auto& c : pol_->data_classes) {
      if (c.special_category && (c.mask >> static_cast<unsigned>(*t) & 1u)) return true;
    }
    return false;
  }

  std::string entity_label(const std::string& type) const { return t_.entity(type); }

  void figures_money() {
    auto& L = d_.figures;
    std::map<std::string, double> eur, in, out;
    for (const auto& u : f_.usage) {
      const std::string& s = service_of_.at(u.model);
      in[s] += u.prompt_tokens;
      out[s] += u.completion_tokens;
      if (u.department.empty()) continue;
      const auto* svc = policy::find_service(*pol_, s);
      const double cost = svc ? u.prompt_tokens / 1000.0 * svc->price_input_per_1k + u.completion_tokens / 1000.0 * svc->price_output_per_1k : 0;
      for (const auto& id : {"cost|d=" + u.department + "|s=" + s, "cost|d=" + u.department, "cost|s=" + s, std::string("cost")}) {
        eur[id] += cost;
      }
    }
    // Money mirrors the request counts it belongs to: published and hidden together.
    L.put_mirror("cost", eur["cost"], kind::eur, "requests");
    for (const auto& s : services_) L.put_mirror("cost|s=" + s, eur["cost|s=" + s], kind::eur, "requests|s=" + s);
    for (const auto& d : depts_) {
      L.put_mirror("cost|d=" + d, eur["cost|d=" + d], kind::eur, "requests|d=" + d);
      for (const auto& s : services_) {
        const std::string id = "cost|d=" + d + "|s=" + s;
        L.put_mirror(id, eur[id], kind::eur, "requests|d=" + d + "|s=" + s);
      }
    }
    {
      strings dept_costs, svc_costs;
      for (const auto& d : depts_) {
        strings row;
        for (const auto& s : services_) row.push_back("cost|d=" + d + "|s=" + s);
        L.relation("cost|d=" + d, row);
        dept_costs.push_back("cost|d=" + d);
      }
      for (const auto& s : services_) {
        strings col;
        for (const auto& d : depts_) col.push_back("cost|d=" + d + "|s=" + s);
        L.relation("cost|s=" + s, col);
        svc_costs.push_back("cost|s=" + s);
      }
      L.relation("cost", dept_costs);
      L.relation("cost", svc_costs);
    }
    add_grid("cost_by_department_service", t_("Kosten in EUR nach Amt und KI-Dienst", "Cost in EUR by department and AI service"),
             "cost", "s", services_, service_labels(services_), false);

    table b;
    b.id = "budget_by_department";
    b.caption = t_("Kosten und Budget je Amt (EUR im Zeitraum)", "Cost and budget per department (EUR in the period)");
    b.cols = {"cost", "budget"};
    b.col_labels = {t_("Kosten", "cost"), t_("Budget", "budget")};
    for (const auto& [dept, budget] : pol_->budgets) {
      L.put("budget|d=" + dept, budget, -1, kind::eur);
      b.rows.push_back(dept);
      b.row_labels.push_back(dept);
      b.cells.push_back({contains(depts_, dept) ? "cost|d=" + dept : "", "budget|d=" + dept});
    }
    if (!b.rows.empty()) d_.tables.push_back(std::move(b));

    table tk;
    tk.id = "tokens_by_service";
    tk.caption = t_("Tokens und geschätzter Energiebedarf nach KI-Dienst", "Tokens and estimated energy by AI service");
    tk.cols = {"prompt_tokens", "completion_tokens", "energy_kwh"};
    tk.col_labels = {t_("Eingabe-Tokens", "input tokens"), t_("Ausgabe-Tokens", "output tokens"), t_("Energie (kWh, geschätzt)", "energy (kWh, estimated)")};
    double in_all = 0, out_all = 0, kwh_all = 0;
    bool all_declared = true;
    for (const auto& s : services_) {
      const auto* svc = policy::find_service(*pol_, s);
      const std::string base = "tokens|s=" + s;
      L.put_mirror(base + "|in", in[s], kind::tokens, "requests|s=" + s);
      L.put_mirror(base + "|out", out[s], kind::tokens, "requests|s=" + s);
      std::string kwh_id;
      if (svc && svc->energy_wh_per_1k_tokens >= 0) {
        const double kwh = (in[s] + out[s]) / 1000.0 * svc->energy_wh_per_1k_tokens / 1000.0;
        kwh_id = "energy|s=" + s;
        L.put_mirror(kwh_id, kwh, kind::kwh, "requests|s=" + s);
        kwh_all += kwh;
      } else if (in[s] + out[s] > 0) {
        all_declared = false;
      }
      in_all += in[s];
      out_all += out[s];
      tk.rows.push_back(s);
      tk.row_labels.push_back(s == "_other" ? t_("andere", "other") : s);
      tk.cells.push_back({base + "|in", base + "|out", kwh_id});
    }
    L.put_mirror("tokens|in", in_all, kind::tokens, "requests");
    L.put_mirror("tokens|out", out_all, kind::tokens, "requests");
    if (all_declared) L.put_mirror("energy", kwh_all, kind::kwh, "requests");
    // Mirrored figures have their own sums (energy only over services with a factor): each is a
    // relation, so hiding one member of it hides another (and the counts they mirror).
    strings tin, tout, kwh;
    for (const auto& s : services_) {
      tin.push_back("tokens|s=" + s + "|in");
      tout.push_back("tokens|s=" + s + "|out");
      if (L.find("energy|s=" + s)) kwh.push_back("energy|s=" + s);
    }
    L.relation("tokens|in", tin);
    L.relation("tokens|out", tout);
    if (all_declared) L.relation("energy", kwh);
    tk.rows.push_back("_total");
    tk.row_labels.push_back(t_("gesamt", "total"));
    tk.cells.push_back({"tokens|in", "tokens|out", all_declared ? "energy" : ""});
    d_.tables.push_back(std::move(tk));
  }

  // Requests blocked by rules of a category (a request refused by two such rules counts twice).
  std::pair<double, strings> blocked_by(const std::string& category) const {
    double n = 0;
    strings ids;
    for (const auto& r : pol_->rules) {
      if (r.category != category) continue;
      ids.push_back(r.id);
      const auto it = f_.rules.find({r.id, "blocked"});
      if (it != f_.rules.end()) n += it->second;
    }
    return {n, ids};
  }

  void figures_security() {
    auto& L = d_.figures;
    table t;
    t.id = "security";
    t.caption = t_("Sicherheitsereignisse", "Security events");
    t.cols = {"count"};
    t.col_labels = {t_("Anzahl", "count")};
    auto row = [&](const std::string& name, const std::string& label) {
      t.rows.push_back(name);
      t.row_labels.push_back(label);
      t.cells.push_back({"security|" + name});
    };
    for (const auto& [cat, name, de, en] : std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
             {"secrets", "secrets_blocked", "Anfragen mit Zugangsdaten abgelehnt", "requests with credentials refused"},
             {"prompt_injection", "prompt_injection_blocked", "Versuche der Prompt-Injection abgelehnt", "prompt-injection attempts refused"},
             {"prohibited_practice", "prohibited_practice_blocked", "Verbotene KI-Praktiken abgelehnt (Art. 5 KI-VO)",
              "prohibited AI practices refused (Art. 5 AI Act)"},
             {"special_category", "special_category_blocked", "Besondere Kategorien personenbezogener Daten abgelehnt (Art. 9 DSGVO)",
              "special categories of personal data refused (Art. 9 GDPR)"}}) {
      const auto [n, ids] = blocked_by(cat);
      L.put("security|" + name, n, people({}, "rule", ids));
      row(name, t_(de, en));
    }
    double auth = 0;
    for (const auto& u : f_.usage) auth += u.status == 401 ? u.requests : 0;
    L.put("security|auth_failures", auth, -1);
    row("auth_failures", t_("Fehlgeschlagene Anmeldungen (ungültiger API-Schlüssel)", "failed authentications (invalid API key)"));
    L.put("security|kill_switch_changes", kill_switch_changes(), -1);
    row("kill_switch_changes", t_("Notabschaltungen und Wiederfreigaben von KI-Diensten", "kill-switch changes of AI services"));
    if (f_.audit.readable) {
      L.put("security|reidentifications", f_.audit.reidentifications, -1);
      row("reidentifications", t_("Re-Identifizierungen von Pseudonymen (Vier-Augen-Verfahren)", "re-identifications of pseudonyms (four-eyes procedure)"));
    }
    d_.tables.push_back(std::move(t));
  }

  // Services switched off or on (whole or per model) between consecutive policy versions in force.
  double kill_switch_changes() const {
    double n = 0;
    const policy::snapshot* before = nullptr;
    for (const auto& v : f_.versions) {
      if (!v.policy) continue;
      if (before) {
        for (const auto& s : v.policy->services) {
          for (const auto& o : before->services) {
            if (o.name != s.name) continue;
            if (o.enabled != s.enabled) ++n;
            std::set<std::string> a(o.disabled_models.begin(), o.disabled_models.end()), b(s.disabled_models.begin(), s.disabled_models.end());
            for (const auto& m : a) n += !b.count(m);
            for (const auto& m : b) n += !a.count(m);
          }
        }
      }
      before = v.policy.get();
    }
    return n;
  }

  double cost_of(const figures& f) const {
    double eur = 0;
    for (const auto& u : f.usage) {
      if (u.department.empty()) continue;
      const auto it = service_of_.find(u.model);
      const auto* svc = it == service_of_.end() ? nullptr : policy::find_service(*pol_, it->second);
      if (svc) eur += u.prompt_tokens / 1000.0 * svc->price_input_per_1k + u.completion_tokens / 1000.0 * svc->price_output_per_1k;
    }
    return eur;
  }

  void figures_trend() {
    auto& L = d_.figures;
    double requests = 0, blocked = 0;
    for (const auto& u : prev_.usage) {
      if (u.department.empty()) continue;
      requests += u.requests;
      blocked += u.decision == "blocked" ? u.requests : 0;
    }
    const long users = contributors(prev_, {}, "", {""});
    L.put("prev|requests", requests, users);
    L.put("prev|users", users, 0, kind::people);
    L.put("prev|blocked", blocked, contributors(prev_, {}, "decision", {"blocked"}));
    L.put_mirror("prev|cost", cost_of(prev_), kind::eur, "prev|requests");
    table t;
    t.id = "trend";
    t.caption = t_("Entwicklung gegenüber dem Vorzeitraum", "Change against the previous period");
    t.cols = {"previous", "current"};
    t.col_labels = {prev_.range.label, f_.range.label};
    t.rows = {"requests", "active_users", "blocked", "cost_eur"};
    t.row_labels = {t_("Anfragen", "requests"), t_("aktive Beschäftigte", "active staff"), t_("abgelehnte Anfragen", "refused requests"),
                    t_("Kosten (EUR)", "cost (EUR)")};
    t.cells = {{"prev|requests", "requests"}, {"prev|users", "users"}, {"prev|blocked", "requests|dec=blocked"}, {"prev|cost", "cost"}};
    d_.tables.push_back(std::move(t));
  }

  // ---- sections ---------------------------------------------------------------------------

  std::size_t table_index(const std::string& id) const {
    for (std::size_t i = 0; i < d_.tables.size(); ++i) {
      if (d_.tables[i].id == id) return i;
    }
    return d_.tables.size();
  }
  void add_table(section& s, const std::string& id) {
    const auto i = table_index(id);
    if (i < d_.tables.size()) s.blocks.push_back({block::kind::table, {}, i, {}});
  }
  static void text(section& s, std::string x) { s.blocks.push_back({block::kind::text, std::move(x), 0, {}}); }
  static void list(section& s, strings items) { s.blocks.push_back({block::kind::list, {}, 0, std::move(items)}); }
  void human(section& s, const std::string& what) { s.blocks.push_back({block::kind::human, what, 0, {}}); }
  section& open(const std::string& id, const std::string& number, const std::string& title) {
    d_.sections.push_back({id, number, title, {}});
    return d_.sections.back();
  }
  section& question(int n) {
    auto& s = open("frage-" + std::to_string(n), t_("Frage ", "Question ") + std::to_string(n), t_.question_title(n));
    s.blocks.push_back({block::kind::question, t_.question_text(n), 0, {}});
    return s;
  }
  std::string fig(const std::string& id) const {
    const std::string s = format_cell(d_, id);
    return s.empty() ? "–" : s;
  }

  std::string share(const std::string& part, const std::string& whole) const {
    const auto* a = d_.figures.find(part);
    const auto* b = d_.figures.find(whole);
    if (!a || !b || a->st != status::shown || b->st != status::shown || b->value <= 0) return "–";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * a->value / b->value);
    return buf;
  }

  strings register_lines(const std::string& status_filter) const {
    strings out;
    for (const auto& p : pol_->purposes) {
      if (!status_filter.empty() && p.reg.status != status_filter) continue;
      std::string line = p.title.empty() ? p.name : p.title;
      line += " (" + t_.register_status(p.reg.status) + ")";
      if (!p.reg.goal.empty()) line += ": " + p.reg.goal;
      else if (!p.description.empty()) line += ": " + p.description;
      out.push_back(line);
    }
    return out;
  }

  void write_sections() {
    d_.title = o_.aud == audience::pub ? t_("Transparenzbericht Künstliche Intelligenz", "Artificial intelligence transparency report")
               : o_.aud == audience::dpo ? t_("Bericht an die Datenschutzbeauftragte Stelle: KI-Nutzung", "Report to the data protection officer: AI use")
                                          : t_("Bericht zur Nutzung Künstlicher Intelligenz", "Report on the use of artificial intelligence");
    d_.subtitle = t_("Berichtszeitraum ", "Period ") + f_.range.label + (o_.aud == audience::committee
                                                                            ? t_(" · für den Ausschuss für Personal, Digitales und Verwaltungsangelegenheiten",
                                                                                 " · for the committee on staff, digital affairs and administration")
                                                                            : "");
    const std::string blocked = share("requests|dec=blocked", "requests");
    {
      auto& s = open("zusammenfassung", "", t_("Zusammenfassung", "Summary"));
      list(s, {t_("Anfragen an KI-Dienste: ", "Requests to AI services: ") + fig("requests") + " (" + t_("Vorzeitraum ", "previous period ") +
                   fig("prev|requests") + ")",
               t_("Aktive Beschäftigte: ", "Active staff: ") + fig("users") + " (" + t_("Vorzeitraum ", "previous period ") + fig("prev|users") + ")",
               t_("Anteil abgelehnter Anfragen: ", "Share of refused requests: ") + blocked,
               t_("Anteil der Anfragen, in denen personenbezogene Daten vor dem Versand geschwärzt wurden: ",
                  "Share of requests in which personal data was masked before sending: ") +
                   share("requests|dec=redacted", "requests"),
               t_("Kosten der KI-Dienste: ", "Cost of AI services: ") + fig("cost"),
               t_("Geltende Richtlinie: Version ", "Policy in force: version ") + pol_->version +
                   (pol_->organisation.works_agreement.empty() ? "" : " (" + pol_->organisation.works_agreement + ")")});
      add_table(s, "trend");
    }
    // 1
    {
      auto& s = question(1);
      text(s, t_("Die folgenden Einsatzfelder sind in der Richtlinie als Verwendungszwecke freigegeben; die Zahlen zeigen, wie oft "
                 "Beschäftigte sie im Zeitraum angegeben haben.",
                 "The following use cases are approved in the policy; the figures show how often staff declared them in the period."));
      list(s, register_lines(""));
      add_table(s, "requests_by_purpose");
      human(s, t_("Bewertung des Nutzens, konkrete Beispiele aus den Ämtern und die Zusammenarbeit mit anderen Verwaltungen.",
                  "Assessment of the benefit, concrete examples from the departments and cooperation with other administrations."));
    }
    // 2
    {
      auto& s = question(2);
      text(s, t_("Ja, in den Grenzen der Richtlinie (Version ", "Yes, within the limits of the policy (version ") + pol_->version + ")" +
                  (pol_->organisation.works_agreement.empty() ? "" : t_(", die die Dienstvereinbarung ", ", which enforces the works agreement ") +
                                                                        pol_->organisation.works_agreement + t_(" technisch durchsetzt", "")) +
                  t_(". Freigegebene KI-Dienste:", ". Approved AI services:"));
      strings svc;
      for (const auto& x : pol_->services) svc.push_back(t_.service_line(x, *pol_));
      list(s, svc);
      text(s, t_("Alle Regeln sind in Anhang A in Worten wiedergegeben.", "Annex A renders every rule in words."));
      human(s, t_("Die Entscheidung selbst (Dienstanweisung oder Dienstvereinbarung) und ihre rechtliche Begründung.",
                  "The decision itself (instruction or works agreement) and its legal reasoning."));
    }
    // 3
    {
      auto& s = question(3);
      text(s, t_("Ja. Alle Anfragen an KI-Dienste laufen über das Gateway leitplanke und werden ohne Inhalt protokolliert. "
                 "Personenzahlen sind Zählungen pseudonymer Kennungen; Werte zu weniger als ",
                 "Yes. All requests to AI services pass the leitplanke gateway and are recorded without their content. "
                 "People are counted by pseudonymous identifiers; figures about fewer than ") +
                  std::to_string(d_.k) + t_(" Personen werden nicht ausgewiesen.", " people are not shown."));
      if (detailed()) {
        add_table(s, "requests_by_department_service");
        add_table(s, "active_users_by_department");
        add_table(s, "requests_by_department_month");
        add_table(s, "decisions_by_department");
        add_table(s, "active_users_by_month");
      } else {
        text(s, t_("Anfragen gesamt: ", "Requests in total: ") + fig("requests") + t_("; aktive Beschäftigte: ", "; active staff: ") + fig("users") + ".");
        add_table(s, "active_users_by_month");
      }
      const auto top = top_refusals(5);
      if (!top.empty()) {
        text(s, t_("Die häufigsten Gründe für Ablehnungen:", "The most frequent reasons for refusals:"));
        list(s, top);
      }
      human(s, t_("Einordnung der Nutzung; Einschätzung von Schatten-IT (Nutzung nicht freigegebener Dienste).",
                  "Interpretation of the use; assessment of shadow IT (use of services that are not approved)."));
    }
    // 4
    {
      auto& s = question(4);
      const auto& org = pol_->organisation;
      text(s, org.works_agreement.empty()
                  ? t_("In der Richtlinie ist keine Dienstvereinbarung eingetragen (organisation.works_agreement).",
                       "The policy names no works agreement (organisation.works_agreement).")
                  : t_("Dienstvereinbarung: ", "Works agreement: ") + org.works_agreement +
                        (org.works_agreement_date.empty() ? "" : t_(" vom ", " of ") + org.works_agreement_date) + ".");
      list(s, {t_("Kleinste ausgewiesene Gruppe: ", "Smallest group shown: ") + std::to_string(d_.k) + t_(" Personen; Zählwerte auf ", " people; counts rounded to ") +
                   std::to_string(d_.rounding) + t_(" gerundet.", "."),
               t_("Aufbewahrung der Entscheidungsprotokolle: ", "Retention of decision records: ") + std::to_string(pol_->retention.decision_log_months) +
                   t_(" Monate; Texte abgelehnter Anfragen: ", " months; texts of refused requests: ") +
                   (pol_->retention.refused_prompt_days ? std::to_string(pol_->retention.refused_prompt_days) + t_(" Tage", " days")
                                                        : t_("werden nicht gespeichert", "not stored")),
               t_("Pseudonyme der Beschäftigten; Aufhebung nur im Vier-Augen-Verfahren. Re-Identifizierungen im Zeitraum: ",
                  "Staff pseudonyms; lifted only under the four-eyes procedure. Re-identifications in the period: ") +
                   fig("security|reidentifications"),
               t_("Löschläufe im Zeitraum: ", "Retention runs in the period: ") + std::to_string(f_.audit.retention_runs.size())});
      human(s, t_("Text und Verhandlungsstand der Dienstvereinbarung; Stellungnahme des Personalrats.",
                  "Text and negotiation status of the works agreement; statement of the staff council."));
    }
    // 5
    {
      auto& s = question(5);
      text(s, t_("Regeln der Richtlinie nach ethischem Grundsatz und wie oft sie im Zeitraum eine Entscheidung bestimmt haben:",
                 "Policy rules by ethical principle and how often they determined a decision in the period:"));
      std::map<std::string, strings> by;
      for (const auto& r : pol_->rules) {
        if (r.id.find('.') != std::string::npos) continue;  // derived from services
        by[t_.principle(r.category)].push_back((r.title.empty() ? r.id : r.title) + " – " + fig("rule|" + r.id));
      }
      for (const auto& [principle, lines] : by) {
        text(s, principle);
        list(s, lines);
      }
      if (detailed()) add_table(s, "rules");
      human(s, t_("Die ethischen Leitlinien, Regeln zu Verantwortung und Haftung und die Festlegung, dass Entscheidungen über Rechte "
                  "der Bürgerinnen und Bürger bei Menschen bleiben.",
                  "The ethical guidelines, the rules on responsibility and liability, and the commitment that decisions on "
                  "citizens' rights stay with people."));
    }
    // 6
    {
      auto& s = question(6);
      const auto planned = register_lines("in_development");
      text(s, planned.empty() ? t_("Im KI-Register sind keine Vorhaben in Entwicklung eingetragen.", "The AI register lists no use cases in development.")
                              : t_("Vorhaben in Entwicklung laut KI-Register:", "Use cases in development according to the AI register:"));
      if (!planned.empty()) list(s, planned);
      human(s, t_("Strategie und Prioritäten des KI-Einsatzes.", "Strategy and priorities of AI use."));
    }
    // 7
    {
      auto& s = question(7);
      text(s, t_("Aktive Beschäftigte mit gültiger KI-Schulung (Art. 4 KI-VO): ", "Active staff with valid AI-literacy training (Art. 4 AI Act): ") +
                  fig("users|trained") + t_(" von ", " of ") + fig("users") + ".");
      std::string denied = "–";
      for (const auto& r : pol_->rules) {
        if (r.category == "training") denied = fig("rule|" + r.id);
      }
      text(s, t_("Anfragen, die wegen fehlender Schulung abgelehnt wurden: ", "Requests refused for missing training: ") + denied + ".");
      if (detailed()) add_table(s, "active_users_by_department");
      human(s, t_("Schulungskonzept und -inhalte, geplante Maßnahmen.", "Training concept and content, planned measures."));
    }
    // 8
    {
      auto& s = question(8);
      strings lines;
      for (const auto& p : pol_->purposes) {
        if (!p.citizen_facing) continue;
        lines.push_back((p.title.empty() ? p.name : p.title) + ": " + fig("requests|p=" + p.name) + t_(" Anfragen", " requests"));
      }
      text(s, lines.empty() ? t_("Keine bürgerbezogenen Verwendungszwecke freigegeben.", "No citizen-facing use cases are approved.")
                            : t_("Bürgerbezogene Verwendungszwecke; Antworten erhalten automatisch den Hinweis nach Art. 50 KI-VO („",
                                 "Citizen-facing use cases; answers automatically carry the Art. 50 AI Act notice (\"") +
                                  (o_.lang == language::en ? pol_->ai_label_en : pol_->ai_label_de) + t_("“):", "\"):"));
      if (!lines.empty()) list(s, lines);
      human(s, t_("Bewertung von Nutzen und Barrierefreiheit für Bürgerinnen und Bürger.", "Assessment of benefit and accessibility for citizens."));
    }
    // 9
    {
      auto& s = question(9);
      text(s, t_("Das KI-Register (leitplanke register) veröffentlicht für jeden Dienst und Verwendungszweck einen Eintrag nach den "
                 "Feldern der etablierten Register (niederländisches Algoritmeregister, Amsterdam/Helsinki, britischer ATRS, Anhang VIII KI-VO). "
                 "Einträge im Register: ",
                 "The AI register (leitplanke register) publishes an entry for every service and use case with the fields of the established "
                 "registers (Dutch Algoritmeregister, Amsterdam/Helsinki, UK ATRS, AI Act Annex VIII). Entries: ") +
                  std::to_string(pol_->purposes.size() + pol_->services.size()) + ".");
      if (!pol_->organisation.website.empty()) text(s, t_("Veröffentlicht unter ", "Published at ") + pol_->organisation.website);
      human(s, t_("Beteiligungsformate und Kommunikationsplan.", "Participation formats and communication plan."));
    }
    // 10
    {
      auto& s = question(10);
      strings lines;
      for (const auto& x : pol_->services) lines.push_back(x.name + ": " + x.provider + (x.processor_contract.empty() ? "" : " · " + x.processor_contract));
      std::set<std::string> shared;
      for (const auto& p : pol_->purposes) shared.insert(p.reg.shared_with.begin(), p.reg.shared_with.end());
      text(s, t_("Anbieter und Auftragsverarbeitungsverträge:", "Providers and processing contracts:"));
      list(s, lines);
      if (!shared.empty()) {
        text(s, t_("Gemeinsam genutzt mit:", "Shared with:"));
        list(s, strings(shared.begin(), shared.end()));
      }
      human(s, t_("Netzwerke und Austausch (z. B. Landkreistag, KGSt, kommunale IT-Dienstleister).",
                  "Networks and exchange (e.g. association of counties, KGSt, municipal IT providers)."));
    }
    // 11
    {
      auto& s = question(11);
      text(s, t_("Kosten aus Tokens × Preis je KI-Dienst (Preise laut Richtlinie). Prognose für den nächsten Zeitraum bei gleicher "
                 "Entwicklung: ",
                 "Cost from tokens × price per AI service (prices from the policy). Forecast for the next period if the trend "
                 "continues: ") +
                  forecast() + ".");
      if (detailed()) {
        add_table(s, "cost_by_department_service");
        add_table(s, "budget_by_department");
      }
      add_table(s, "tokens_by_service");
      human(s, t_("Personal- und Haushaltsplanung; Infrastrukturkosten außerhalb der Token-Preise.",
                  "Staff and budget planning; infrastructure cost beyond token prices."));
    }
    // 12
    {
      auto& s = question(12);
      text(s, t_("Das Gateway misst keine Zeitersparnis und bewertet keine Personen. Es liefert Nutzungsvolumen je Verwendungszweck "
                 "(Frage 1) und eine Schätzung des Energiebedarfs aus Tokens × angegebenem Faktor je Dienst: ",
                 "The gateway measures no time savings and rates no people. It provides volumes per use case (question 1) and an "
                 "energy estimate from tokens × the declared factor per service: ") +
                  fig("energy") + co2());
      human(s, t_("Methodik und Vorbehalte einer Einsparschätzung; Verwendung gewonnener Zeit.",
                  "Method and caveats of a savings estimate; use of the time gained."));
    }
    // 13
    {
      auto& s = question(13);
      text(s, t_("Schutzmaßnahmen des Gateways und ihre Wirkung im Zeitraum:", "The gateway's safeguards and their effect in the period:"));
      add_table(s, "security");
      text(s, t_("Vor dem Versand erkannte personenbezogene Daten (* besondere Kategorien nach Art. 9 DSGVO):",
                 "Personal data found before sending (* special categories, Art. 9 GDPR):"));
      add_table(s, "entities");
      text(s, audit_text());
      human(s, t_("ISMS- und IT-Grundschutz-Darstellung, Bedrohungslage, Ergebnisse von Penetrationstests.",
                  "ISMS / IT baseline protection narrative, threat assessment, penetration test results."));
    }
    {
      auto& s = open("methodik", "", t_("Methodik und Schutz der Beschäftigten", "Method and protection of staff"));
      list(s, {t_("Quelle: das Entscheidungsprotokoll des Gateways (ein Eintrag je Anfrage, ohne Inhalte) in Tagessummen.",
                  "Source: the gateway's decision log (one record per request, without content), in daily sums."),
               t_("Keine Zahl beruht auf weniger als ", "No figure rests on fewer than ") + std::to_string(d_.k) +
                   t_(" Personen (primäre Sperrung, –). Zusätzlich gesperrte Werte (komplementäre Sperrung) verhindern, dass gesperrte Werte "
                      "aus Summen errechnet werden können.",
                      " people (primary suppression, –). Further hidden values (complementary suppression) prevent hidden values from being "
                      "computed from totals."),
               t_("Zählwerte sind auf Vielfache von ", "Counts are rounded to multiples of ") + std::to_string(d_.rounding) +
                   t_(" gerundet; Summen können daher von der Summe der Einzelwerte abweichen.", "; totals may therefore differ from the sum of their parts."),
               t_("Keine Auswertungen über einzelne Beschäftigte, keine Ranglisten, keine Zeitreihen einzelner Personen; Bürgerinnen "
                  "und Bürger erscheinen nicht.",
                  "No analysis of individual staff, no rankings, no time series of individuals; citizens do not appear."),
               t_("Gesperrte Werte in diesem Bericht: ", "Hidden values in this report: ") +
                   std::to_string(d_.figures.count(status::suppressed)) + t_(" primär, ", " primary, ") +
                   std::to_string(d_.figures.count(status::complementary)) + t_(" komplementär.", " complementary.")});
    }
    {
      auto& s = open("anhang-a", t_("Anhang A", "Annex A"), t_("Die Richtlinie in Worten", "The policy in words"));
      text(s, t_("So setzt das Gateway die Dienstvereinbarung um (Version ", "How the gateway enforces the works agreement (version ") +
                  pol_->version + "):");
      for (const auto& r : pol_->rules) {
        if (r.id.find('.') != std::string::npos) continue;
        s.blocks.push_back({block::kind::list, {}, 0, {t_.describe(r, *pol_)}});
      }
    }
    {
      auto& s = open("anhang-b", t_("Anhang B", "Annex B"), t_("Richtlinienversionen im Zeitraum", "Policy versions in the period"));
      strings lines;
      for (const auto& v : f_.versions) {
        lines.push_back(v.version + t_(" · geladen ", " · loaded ") + v.first_loaded + " UTC · SHA-256 " + v.digest.substr(0, 16) + "…" +
                        (v.policy ? "" : t_(" (nicht mehr lesbar)", " (no longer readable)")));
      }
      if (lines.empty()) lines.push_back(t_("Keine Version im Protokoll; verwendet: ", "No version in the log; used: ") + pol_->version);
      list(s, lines);
    }
  }

  std::string forecast() const {
    const auto* cur = d_.figures.find("cost");
    const auto* prev = d_.figures.find("prev|cost");
    if (!cur || cur->st != status::shown || !prev || prev->st != status::shown) return "–";
    const double growth = prev->value > 0 ? cur->value / prev->value : 1.0;
    const double next = cur->value * std::clamp(growth, 0.0, 3.0);
    return t_.money(next);
  }

  std::string co2() const {
    const auto* e = d_.figures.find("energy");
    if (!e || e->st != status::shown || pol_->reporting.co2_g_per_kwh < 0) return ".";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", e->value * pol_->reporting.co2_g_per_kwh / 1000.0);
    std::string kg = buf;
    if (o_.lang == language::de) std::replace(kg.begin(), kg.end(), '.', ',');
    return t_(", das entspricht etwa ", ", about ") + kg + t_(" kg CO₂ (Faktor ", " kg CO₂ (factor ") +
           std::to_string(static_cast<long>(pol_->reporting.co2_g_per_kwh)) + " g/kWh).";
  }

  std::string audit_text() const {
    const auto& a = f_.audit;
    if (!a.readable) {
      return t_("Protokollkette: für die Datenbankrolle dieses Berichts nicht lesbar (Mandantenleserolle).",
                "Audit chain: not readable for the database role of this report (tenant reader role).");
    }
    std::string s = t_("Protokollkette: ", "Audit chain: ") + std::to_string(a.checkpoints) +
                    t_(" signierte Prüfpunkte im Zeitraum. ", " signed checkpoints in the period. ");
    if (a.last_verify_at.empty()) {
      s += t_("Keine aufgezeichnete Prüfung (leitplanke audit verify --record).", "No recorded verification (leitplanke audit verify --record).");
    } else {
      s += t_("Letzte Prüfung ", "Last verification ") + a.last_verify_at + " UTC: " +
           (a.last_verify_result == "ok" ? t_("vollständig und unverändert", "complete and unaltered") : t_("Befund: ", "finding: ") + a.last_verify_result) +
           (a.last_verify_records >= 0 ? " (" + std::to_string(a.last_verify_records) + t_(" Einträge", " records") +
                                             (a.last_verify_signed ? t_(", Signaturen geprüft)", ", signatures checked)")
                                                                   : t_(", ohne Signaturprüfung)", ", signatures not checked)"))
                                       : "") +
           ".";
    }
    return s;
  }
};

std::string number(double v, int decimals, language lang) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  const char thousands = lang == language::de ? '.' : ',', point = lang == language::de ? ',' : '.';
  auto dot = s.find('.');
  std::string frac;
  if (dot != std::string::npos) {
    frac = std::string(1, point) + s.substr(dot + 1);
    s.resize(dot);
  }
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += thousands;
    out += s[i];
  }
  return (neg ? "-" : "") + out + frac;
}

}  // namespace

document build(const figures& current, const figures& previous, const options& o) { return builder(current, previous, o).run(); }

std::string format_cell(const document& d, const std::string& id) {
  const auto* c = d.figures.find(id);
  if (!c) return "";
  if (c->st != status::shown) return "–";
  switch (c->k) {
    case kind::eur: return number(c->value, 2, d.lang) + " €";
    case kind::kwh: return number(c->value, 1, d.lang) + " kWh";
    default: return number(static_cast<double>(round_to(c->value, d.rounding)), 0, d.lang);
  }
}

std::string csv_value(const document& d, const std::string& id) {
  const auto* c = d.figures.find(id);
  if (!c || c->st != status::shown) return "";
  char buf[64];
  switch (c->k) {
    case kind::eur: std::snprintf(buf, sizeof buf, "%.2f", c->value); return buf;
    case kind::kwh: std::snprintf(buf, sizeof buf, "%.3f", c->value); return buf;
    default: return std::to_string(round_to(c->value, d.rounding));
  }
}

}  // namespace lp::report
