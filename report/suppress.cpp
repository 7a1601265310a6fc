#include "report/suppress.h"

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
  // Complementary: no relation may have exactly one hidden part. Hide the smallest published
  // member (ties: first listed); when only the total is hidden, a member; when the hidden
  // member is the only one, the total.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [total, members] : relations_) {
      int hidden = source(total).st != status::shown;
      for (const auto& m : members) hidden += source(m).st != status::shown;
      if (hidden != 1) continue;
      cell* pick = nullptr;
      for (const auto& m : members) {
        cell& c = source(m);
        if (c.st == status::shown && (!pick || c.value < pick->value)) pick = &c;
      }
      if (!pick) pick = &source(total);
      pick->st = status::complementary;
      changed = true;
    }
  }
  for (auto& [id, c] : cells_) {
    if (!c.mirror.empty()) c.st = source(id).st;
  }
}

long long round_to(double v, unsigned base) {
  if (base <= 1) return std::llround(v);
  return static_cast<long long>(std::floor(v / base + 0.5)) * base;
}

}  // namespace lp::report
