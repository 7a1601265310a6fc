#include "report/suppress.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lp::report {

std::string_view to_string(status s) {
  switch (s) {
    case status::shown: return "shown";
    case status::suppressed: return "suppressed";
    case status::complementary: return "complementary";
  }
  return "shown";
}

cell& ledger::put(const std::string& id, double value, long contributors, kind k) {
  auto& c = cells_[id];
  c.value = value;
  c.contributors = k == kind::people ? static_cast<long>(value) : contributors;
  c.k = k;
  return c;
}

cell& ledger::put_mirror(const std::string& id, double value, kind k, const std::string& of) {
  auto& c = cells_[id];
  c.value = value;
  c.k = k;
  c.mirror = of;
  return c;
}

void ledger::relation(const std::string& total, std::vector<std::string> members) {
  relations_.emplace_back(total, std::move(members));
}

const cell* ledger::find(const std::string& id) const {
  const auto it = cells_.find(id);
  return it == cells_.end() ? nullptr : &it->second;
}

bool ledger::shown(const std::string& id) const {
  const auto* c = find(id);
  return c && c->st == status::shown;
}

std::size_t ledger::count(status s) const {
  std::size_t n = 0;
  for (const auto& [id, c] : cells_) n += c.st == s;
  return n;
}

void ledger::suppress(unsigned k) {
  auto at = [&](const std::string& id) -> cell& {
    const auto it = cells_.find(id);
    if (it == cells_.end()) throw std::logic_error("report: relation names unknown figure " + id);
    return it->second;
  };
  // Primary: figures about fewer than k people (but not about nobody).
  for (auto& [id, c] : cells_) {
    if (c.mirror.empty() && c.contributors > 0 && c.contributors < static_cast<long>(k)) c.st = status::suppressed;
  }
  // Mirrored cells share the fate of their source in every step, so relations between mirrored
  // cells (e.g. cost margins) see the same pattern as the counts.
  auto source = [&](const std::string& id) -> cell& {
    cell* c = &at(id);
    while (!c->mirror.empty()) c = &at(c->mirror);
    return *c;
  };
  // Hides the smallest published member of relation `rel` (ties: first listed), or its total
  // when every member is hidden. False when nothing is left to hide.
  auto hide_in = [&](const std::pair<std::string, std::vector<std::string>>& rel) {
    cell* pick = nullptr;
    for (const auto& m : rel.second) {
      cell& c = source(m);
      if (c.st == status::shown && (!pick || c.value < pick->value)) pick = &c;
    }
    if (!pick && source(rel.first).st == status::shown) pick = &source(rel.first);
    if (!pick) return false;
    pick->st = status::complementary;
    return true;
  };
  for (;;) {
    // Complementary, step 1 (cheap, most cases): no relation may have exactly one hidden part.
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& rel : relations_) {
        int hidden = source(rel.first).st != status::shown;
        for (const auto& m : rel.second) hidden += source(m).st != status::shown;
        if (hidden == 1) changed = hide_in(rel);
      }
    }
    // Step 2: several relations together can still pin a hidden figure down (e.g. a row total
    // shared by two tables). Solve for the hidden figures: one that is determined by the
    // published ones and the relations gets a further hidden partner in one of its relations.
    const std::string determined = first_determined(source);
    if (determined.empty()) break;
    bool hid = false;
    for (const auto& rel : relations_) {
      const bool in = rel.first == determined || std::find(rel.second.begin(), rel.second.end(), determined) != rel.second.end();
      if (in && (hid = hide_in(rel))) break;
    }
    if (!hid) break;  // cannot happen: a determined figure is in a relation with something published
  }
  for (auto& [id, c] : cells_) {
    if (!c.mirror.empty()) c.st = source(id).st;
  }
}

template <typename Source>
std::string ledger::first_determined(Source&& source) const {
  // Unknowns: hidden figures in some relation; one equation per relation with a hidden part.
  std::unordered_map<std::string, std::size_t> var;
  std::vector<std::string> names;
  std::vector<std::vector<std::pair<std::size_t, double>>> eqs;
  auto index = [&](const std::string& id) {
    const auto [it, added] = var.emplace(id, names.size());
    if (added) names.push_back(id);
    return it->second;
  };
  for (const auto& [total, members] : relations_) {
    std::vector<std::pair<std::size_t, double>> eq;
    if (source(total).st != status::shown) eq.emplace_back(index(total), -1.0);
    for (const auto& m : members) {
      if (source(m).st != status::shown) eq.emplace_back(index(m), 1.0);
    }
    if (!eq.empty()) eqs.push_back(std::move(eq));
  }
  const std::size_t n = names.size();
  if (n == 0) return {};
  std::vector<std::vector<double>> m;
  for (const auto& eq : eqs) {
    std::vector<double> row(n, 0);
    for (const auto& [i, v] : eq) row[i] += v;
    m.push_back(std::move(row));
  }
  // Reduced row echelon form; a hidden figure is determined iff a row of it is its unit vector.
  std::size_t r = 0;
  std::vector<std::size_t> pivots;
  for (std::size_t c = 0; c < n && r < m.size(); ++c) {
    std::size_t p = r;
    for (std::size_t i = r + 1; i < m.size(); ++i) {
      if (std::fabs(m[i][c]) > std::fabs(m[p][c])) p = i;
    }
    if (std::fabs(m[p][c]) < 1e-9) continue;
    std::swap(m[p], m[r]);
    const double d = m[r][c];
    for (std::size_t j = c; j < n; ++j) m[r][j] /= d;
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (i == r || std::fabs(m[i][c]) < 1e-12) continue;
      const double f = m[i][c];
      for (std::size_t j = c; j < n; ++j) m[i][j] -= f * m[r][j];
    }
    pivots.push_back(c);
    ++r;
  }
  for (std::size_t k = 0; k < r; ++k) {
    std::size_t nonzero = 0;
    for (std::size_t j = 0; j < n && nonzero < 2; ++j) nonzero += std::fabs(m[k][j]) > 1e-9;
    if (nonzero == 1) return names[pivots[k]];
  }
  return {};
}

long long round_to(double v, unsigned base) {
  if (base <= 1) return std::llround(v);
  return static_cast<long long>(std::floor(v / base + 0.5)) * base;
}

}  // namespace lp::report
