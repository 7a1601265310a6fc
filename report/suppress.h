// The ledger of figures a report publishes, and small-number suppression over it.
//
// Every figure is a cell with a semantic id ("requests|dept=bauamt|service=x"); a quantity that
// appears in several tables is one cell with one status. Cells about staff carry the number of
// distinct people behind them. suppress() hides every such cell about fewer than k people
// (primary), then hides further cells until no additive relation (total = sum of members) has
// exactly one hidden part, so that no hidden figure can be recovered by subtraction
// (complementary), and finally gives mirrored cells (money, tokens) the status of the count
// they belong to.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace lp::report {

enum class status : unsigned char { shown, suppressed, complementary };
std::string_view to_string(status s);

enum class kind : unsigned char {
  count,   // requests, items (rounded when published)
  people,  // a count of people: the value is its own contributor count
  eur,     // money, two decimals
  kwh,     // energy, three decimals
  tokens,  // token counts (rounded like counts)
};

struct cell {
  double value = 0;
  long contributors = -1;  // distinct staff behind the figure; -1: not about staff
  kind k = kind::count;
  status st = status::shown;
  std::string mirror;  // id of the cell whose status this one takes ("" = own)
};

class ledger {
 public:
  // Adds cell `id` (or replaces its value). contributors -1: the figure is not about staff.
  cell& put(const std::string& id, double value, long contributors, kind k = kind::count);
  // Adds cell `id` that is published or hidden together with cell `of`.
  cell& put_mirror(const std::string& id, double value, kind k, const std::string& of);
  // total = sum of members (all must be cells of this ledger when suppress() runs).
  void relation(const std::string& total, std::vector<std::string> members);

  // Applies primary suppression for groups smaller than k, then complementary suppression.
  void suppress(unsigned k);

  const cell* find(const std::string& id) const;
  bool shown(const std::string& id) const;
  std::size_t count(status s) const;
  const std::vector<std::pair<std::string, std::vector<std::string>>>& relations() const { return relations_; }

 private:
  // The first hidden figure (by the status `source` gives) that the published figures and the
  // relations determine; "" when none is.
  template <typename Source>
  std::string first_determined(Source&& source) const;

  std::unordered_map<std::string, cell> cells_;
  std::vector<std::pair<std::string, std::vector<std::string>>> relations_;
};

// Rounds a published count to a multiple of `base` (half up); base <= 1 leaves it.
long long round_to(double v, unsigned base);

}  // namespace lp::report
