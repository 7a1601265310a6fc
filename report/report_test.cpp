// Unit tests of the report module without a database: periods, the suppression ledger (no
// hidden figure can be computed from the published ones, checked by linear algebra), the
// document built from synthetic figures, the CSV contract, and the AI register.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "policy/test_support.h"
#include "report/build.h"
#include "report/model.h"
#include "report/register.h"
#include "report/render.h"
#include "report/suppress.h"

namespace lp::report {
namespace {

// True when the hidden figure `id` follows from the published figures and the relations: the
// relations are linear equations over the hidden figures (published ones are constants); `id`
// is determined iff its unit vector lies in the row space of their coefficient matrix.
bool derivable(const ledger& l, const std::string& id) {
  std::map<std::string, std::size_t> unknown;
  std::vector<std::vector<double>> rows;
  auto var = [&](const std::string& x) {
    const auto [it, added] = unknown.emplace(x, unknown.size());
    return it->second;
  };
  // Mirrored cells stand for their source's status; as figures of their own they are separate
  // unknowns.
  for (const auto& [total, members] : l.relations()) {
    std::map<std::size_t, double> eq;
    if (!l.shown(total)) eq[var(total)] -= 1;
    for (const auto& m : members) {
      if (!l.shown(m)) eq[var(m)] += 1;
    }
    if (eq.empty()) continue;
    std::vector<double> row;
    for (const auto& [k, v] : eq) {
      if (row.size() <= k) row.resize(k + 1, 0);
      row[k] = v;
    }
    rows.push_back(std::move(row));
  }
  if (!unknown.count(id)) return false;  // in no relation: nothing to compute it from
  const std::size_t n = unknown.size();
  for (auto& r : rows) r.resize(n, 0);
  auto rank = [n](std::vector<std::vector<double>> m) {
    std::size_t r = 0;
    for (std::size_t c = 0; c < n && r < m.size(); ++c) {
      std::size_t p = r;
      for (std::size_t i = r; i < m.size(); ++i) {
        if (std::fabs(m[i][c]) > std::fabs(m[p][c])) p = i;
      }
      if (std::fabs(m[p][c]) < 1e-9) continue;
      std::swap(m[p], m[r]);
      for (std::size_t i = 0; i < m.size(); ++i) {
        if (i == r || std::fabs(m[i][c]) < 1e-12) continue;
        const double f = m[i][c] / m[r][c];
        for (std::size_t j = c; j < n; ++j) m[i][j] -= f * m[r][j];
      }
      ++r;
    }
    return r;
  };
  const std::size_t before = rank(rows);
  std::vector<double> e(n, 0);
  e[unknown.at(id)] = 1;
  rows.push_back(e);
  return rank(rows) == before;
}

TEST(ReportPeriod, QuartersDaysAndPreviousPeriods) {
  const auto q = quarter("2026-Q3");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->from, "2026-07-01");
  EXPECT_EQ(q->to, "2026-10-01");
  EXPECT_EQ(previous(*q).label, "2026-Q2");
  const auto q1 = quarter("2027-Q1");
  EXPECT_EQ(previous(*q1).label, "2026-Q4");
  EXPECT_EQ(previous(*q1).to, "2027-01-01");
  EXPECT_FALSE(quarter("2026-Q5"));
  EXPECT_FALSE(quarter("26-Q1"));
  const auto d = days("2026-02-20", "2026-03-05");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->to, "2026-03-06");
  EXPECT_EQ(months(*d), (std::vector<std::string>{"2026-02", "2026-03"}));
  EXPECT_EQ(previous(*d).to, "2026-02-20");
  EXPECT_EQ(previous(*d).from, "2026-02-06");  // 14 days before
  EXPECT_FALSE(days("2026-02-30", "2026-03-01"));
  EXPECT_FALSE(days("2026-03-02", "2026-03-01"));
}

TEST(ReportSuppression, HidesSmallGroupsAndTheirComplements) {
  ledger l;
  l.put("total", 100, 40);
  l.put("a", 60, 20);
  l.put("b", 37, 18);
  l.put("c", 3, 2);  // about two people
  l.relation("total", {"a", "b", "c"});
  l.suppress(5);
  EXPECT_EQ(l.find("c")->st, status::suppressed);
  EXPECT_EQ(l.find("b")->st, status::complementary);  // the smallest other member
  EXPECT_EQ(l.find("a")->st, status::shown);
  EXPECT_TRUE(l.shown("total"));
  EXPECT_FALSE(derivable(l, "c"));
}

TEST(ReportSuppression, ZeroIsShownAndPeopleCountThemselves) {
  ledger l;
  l.put("nobody", 0, 0);
  l.put("users", 4, 0, kind::people);
  l.put("many", 12, 0, kind::people);
  l.suppress(5);
  EXPECT_TRUE(l.shown("nobody"));
  EXPECT_EQ(l.find("users")->st, status::suppressed);
  EXPECT_TRUE(l.shown("many"));
}

TEST(ReportSuppression, AHiddenTotalCannotBeAddedUpFromItsMembers) {
  ledger l;
  l.put("total", 9, 3);  // about three people, its members about more (other periods)
  l.put("a", 5, 6);
  l.put("b", 4, 6);
  l.relation("total", {"a", "b"});
  l.suppress(5);
  EXPECT_EQ(l.find("total")->st, status::suppressed);
  EXPECT_NE(l.find("b")->st, status::shown);
  EXPECT_FALSE(derivable(l, "total"));
}

TEST(ReportSuppression, MirrorsShareTheStatusOfTheirCount) {
  ledger l;
  l.put("requests", 50, 30);
  l.put("requests|x", 48, 28);
  l.put("requests|y", 2, 1);
  l.relation("requests", {"requests|x", "requests|y"});
  l.put_mirror("cost", 10, kind::eur, "requests");
  l.put_mirror("cost|x", 9.5, kind::eur, "requests|x");
  l.put_mirror("cost|y", 0.5, kind::eur, "requests|y");
  l.relation("cost", {"cost|x", "cost|y"});
  l.suppress(5);
  EXPECT_EQ(l.find("cost|y")->st, l.find("requests|y")->st);
  EXPECT_EQ(l.find("cost|x")->st, l.find("requests|x")->st);
  EXPECT_FALSE(derivable(l, "cost|y"));
  EXPECT_FALSE(derivable(l, "requests|y"));
}

TEST(ReportSuppression, RoundsHalfUp) {
  EXPECT_EQ(round_to(12, 5), 10);
  EXPECT_EQ(round_to(12.5, 5), 15);
  EXPECT_EQ(round_to(13, 5), 15);
  EXPECT_EQ(round_to(7, 1), 7);
  EXPECT_EQ(round_to(0, 5), 0);
}

// Random two-dimensional tables with margins, several sharing their row totals (as the report's
// department tables do): whatever the pattern of small groups, no hidden figure is derivable and
// every small group is hidden.
TEST(ReportSuppression, RandomTablesLeaveNoHiddenFigureDerivable) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    ledger l;
    const int rows = 2 + rng() % 5, tables = 1 + rng() % 3;
    std::vector<int> cols(tables);
    for (auto& c : cols) c = 2 + rng() % 4;
    std::vector<std::string> row_totals;
    std::set<std::string> small;
    double grand = 0;
    for (int r = 0; r < rows; ++r) {
      const double v = rng() % 500;
      const long people = rng() % 4 == 0 ? 1 + rng() % 4 : 5 + rng() % 40;
      const std::string id = "r" + std::to_string(r);
      l.put(id, v, people);
      if (people < 5) small.insert(id);
      row_totals.push_back(id);
      grand += v;
    }
    l.put("all", grand, 200);
    l.relation("all", row_totals);
    for (int t = 0; t < tables; ++t) {
      std::vector<std::string> col_totals;
      for (int c = 0; c < cols[t]; ++c) {
        std::vector<std::string> column;
        for (int r = 0; r < rows; ++r) {
          const std::string id = "t" + std::to_string(t) + "r" + std::to_string(r) + "c" + std::to_string(c);
          const long people = rng() % 3 == 0 ? 1 + rng() % 4 : 5 + rng() % 30;
          l.put(id, rng() % 100, people);
          if (people < 5) small.insert(id);
          column.push_back(id);
        }
        const std::string ct = "t" + std::to_string(t) + "c" + std::to_string(c);
        l.put(ct, 0, 5 + rng() % 50);
        l.relation(ct, column);
        col_totals.push_back(ct);
      }
      l.relation("all", col_totals);
      for (int r = 0; r < rows; ++r) {
        std::vector<std::string> row;
        for (int c = 0; c < cols[t]; ++c) row.push_back("t" + std::to_string(t) + "r" + std::to_string(r) + "c" + std::to_string(c));
        l.relation("r" + std::to_string(r), row);
      }
    }
    l.suppress(5);
    for (const auto& id : small) EXPECT_FALSE(l.shown(id)) << id;
    for (const auto& [total, members] : l.relations()) {
      for (const auto& m : members) {
        if (!l.shown(m)) EXPECT_FALSE(derivable(l, m)) << "round " << round << ": " << m << " can be computed";
      }
      if (!l.shown(total)) EXPECT_FALSE(derivable(l, total)) << "round " << round << ": " << total << " can be computed";
    }
  }
}

// Synthetic figures of a quarter: departments of the example policy, one of them with only
// three people.
figures synthetic(const policy::snapshot_ptr& pol) {
  figures f;
  f.range = *quarter("2026-Q3");
  f.tenant = "default";
  std::uint32_t person = 0;
  const std::vector<std::pair<std::string, int>> staff = {{"sozialamt", 40}, {"bauamt", 12}, {"it", 3}, {"kaemmerei", 6}};
  for (const auto& [dept, n] : staff) {
    for (int i = 0; i < n; ++i, ++person) {
      const bool trained = i % 4 != 0;
      const std::string model = i % 3 == 0 ? "llama-intern" : "gpt-4o-mini";
      const std::string month = i % 2 ? "2026-07" : "2026-08";
      const std::string decision = trained ? (i % 5 == 0 ? "redacted" : "allowed") : "blocked";
      const std::string purpose = i % 2 ? "vermerk" : "recherche";
      usage_row u{month, dept, model, purpose, decision, trained ? 200 : 403, 10 + i, 1000, 500, 0};
      f.usage.push_back(u);
      for (const auto& [dim, value] : std::vector<std::pair<std::string, std::string>>{
               {"", ""}, {"model", model}, {"month", month}, {"decision", decision}, {"purpose", purpose}}) {
        f.people.push_back({"2026Q3", dept, dim, value, person, trained});
      }
      const std::string rule = trained ? "allow-general-assistant" : "ai-literacy-training-required";
      f.people.push_back({"2026Q3", dept, "rule", rule, person, trained});
      f.rules[{rule, decision}] += 10 + i;
    }
  }
  f.persons = person;
  f.usage.push_back({"2026-07", "", "", "", "blocked", 401, 7, 0, 0, 0});  // failed logins
  f.entities["PERSON"] = {120, 80, 3};
  f.people.push_back({"2026Q3", "sozialamt", "entity", "PERSON", 0, true});
  policy_version v;
  v.digest = std::string(64, 'a');
  v.version = pol->version;
  v.first_loaded = "2026-06-30 10:00";
  v.policy = pol;
  f.versions.push_back(v);
  return f;
}

policy::snapshot_ptr example_policy() {
  const auto file = policy::test_support::source_file("deploy/policy.yaml");
  yaml::checker c(file);
  std::string text;
  EXPECT_TRUE(yaml::read_file(file, text, c));
  auto p = policy::parse(text, c, false);  // as reports read policies: without compiling patterns
  EXPECT_TRUE(p) << (c.diagnostics().empty() ? "" : c.diagnostics().front().format());
  return p;
}

TEST(ReportDocument, FollowsTheCouncilQuestionsAndHidesSmallDepartments) {
  const auto pol = example_policy();
  ASSERT_TRUE(pol);
  const auto cur = synthetic(pol);
  figures prev;
  prev.range = previous(cur.range);
  options o;
  o.generated_at = "2026-10-05 09:00 UTC";
  const auto d = build(cur, prev, o);
  std::set<std::string> numbers;
  for (const auto& s : d.sections) numbers.insert(s.number);
  for (int q = 1; q <= 13; ++q) EXPECT_TRUE(numbers.count("Frage " + std::to_string(q))) << q;
  EXPECT_EQ(d.k, pol->reporting.min_group_size);
  // IT has three people: nothing about it is shown; sozialamt's figures are.
  EXPECT_EQ(d.figures.find("requests|d=it")->st, status::suppressed);
  EXPECT_EQ(d.figures.find("users|d=it")->st, status::suppressed);
  EXPECT_TRUE(d.figures.shown("requests|d=sozialamt"));
  EXPECT_TRUE(d.figures.shown("requests"));
  // Totals: every request of staff (the failed logins have no department), exact.
  double expected = 0;
  for (const auto& u : cur.usage) expected += u.department.empty() ? 0 : u.requests;
  EXPECT_EQ(d.figures.find("requests")->value, expected);
  EXPECT_EQ(d.figures.find("security|auth_failures")->value, 7);
  for (const auto& [total, members] : d.figures.relations()) {
    for (const auto& m : members) {
      if (!d.figures.shown(m)) EXPECT_FALSE(derivable(d.figures, m)) << m;
    }
  }
  // Money follows the requests it belongs to.
  EXPECT_EQ(d.figures.find("cost|d=it")->st, d.figures.find("requests|d=it")->st);
  // The public report leaves out the department tables; the ledger (and so every status) is
  // the same for all audiences, so two reports cannot be differenced against each other.
  o.aud = audience::pub;
  const auto pub = build(cur, prev, o);
  const auto csv = to_csv(pub);
  EXPECT_EQ(csv.find("requests_by_department_service"), std::string::npos);
  EXPECT_NE(csv.find("security,auth_failures,count,5,shown"), std::string::npos);  // 7 rounded to 5
  for (const auto& [total, members] : d.figures.relations()) {
    EXPECT_EQ(pub.figures.find(total)->st, d.figures.find(total)->st) << total;
  }
}

TEST(ReportDocument, CsvFollowsTheContractAndHtmlCarriesNoPseudonyms) {
  const auto pol = example_policy();
  ASSERT_TRUE(pol);
  auto cur = synthetic(pol);
  figures prev;
  prev.range = previous(cur.range);
  options o;
  o.lang = language::en;
  const auto d = build(cur, prev, o);
  const auto csv = to_csv(d);
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "table,row,column,value,status");
  std::set<std::string> tables;
  while (std::getline(in, line)) {
    const auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1), e = line.find(',', c + 1);
    ASSERT_NE(e, std::string::npos) << line;
    tables.insert(line.substr(0, a));
    const std::string value = line.substr(c + 1, e - c - 1), st = line.substr(e + 1);
    EXPECT_TRUE(st == "shown" || st == "suppressed" || st == "complementary") << line;
    EXPECT_EQ(value.empty(), st != "shown") << line;
  }
  for (const char* t : {"requests_by_department_service", "requests_by_department_month", "decisions_by_department",
                        "active_users_by_department", "requests_by_purpose", "rules", "entities", "cost_by_department_service",
                        "budget_by_department", "tokens_by_service", "security", "trend"}) {
    EXPECT_TRUE(tables.count(t)) << t;
  }
  const auto html = to_html(d);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Question 13"), std::string::npos);
  EXPECT_NE(html.find("To be written by the administration"), std::string::npos);
  EXPECT_EQ(html.find("2026Q3:"), std::string::npos);
  const auto md = to_markdown(d);
  EXPECT_NE(md.find("## Question 3: "), std::string::npos);
}

TEST(ReportRegister, OneEntryPerUseCaseAndServiceWithMissingRequiredFields) {
  const auto pol = example_policy();
  ASSERT_TRUE(pol);
  const auto entries = register_entries(*pol, nullptr, language::de, "2026-10-05");
  ASSERT_EQ(entries.size(), pol->purposes.size() + pol->services.size());
  const auto& first = entries.front();
  EXPECT_EQ(first.at("kind").as_string(), "use_case");
  EXPECT_EQ(first.at("identification").at("name").as_string(), pol->purposes.front().title);
  EXPECT_EQ(first.at("responsibility").at("organisation").as_string(), pol->organisation.name);
  // Stable ids: the same policy gives the same ids.
  EXPECT_EQ(register_entries(*pol, nullptr, language::de, "2026-10-06").front().at("identification").at("id"),
            first.at("identification").at("id"));
  // A use case without register details lists what is missing.
  auto bare = std::make_shared<policy::snapshot>(*pol);
  bare->purposes.front().reg = {};
  bare->purposes.front().description.clear();
  const auto e = register_entries(*bare, nullptr, language::de, "2026-10-05").front();
  const auto& missing = e.at("missing_required").as_array();
  EXPECT_NE(std::find(missing.begin(), missing.end(), boost::json::value("legal.lawful_basis")), missing.end());
  const auto json = boost::json::parse(register_json(entries));
  EXPECT_EQ(json.at("entries").as_array().size(), entries.size());
  EXPECT_NE(register_html(entries, language::en).find("AI register"), std::string::npos);
}

}  // namespace
}  // namespace lp::report
