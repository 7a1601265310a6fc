// A compiled set of regular expressions scanned in one pass (Hyperscan), for the policy's
// content patterns (e.g. "decide on this application" -> human decision required). Patterns
// are case-insensitive and Unicode-aware (\w and \b treat umlauts and ß as letters).
// Immutable after create(); safe for concurrent use (per-thread scratch).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct hs_database;

namespace lp::redact {

class pattern_set {
 public:
  // Compiles `patterns`. On failure returns null and sets `bad_index` to the pattern that
  // failed and `error` to Hyperscan's message. An empty list gives an empty set (never matches).
  static std::shared_ptr<const pattern_set> create(const std::vector<std::string>& patterns,
                                                   std::size_t& bad_index, std::string& error);
  ~pattern_set();
  pattern_set(const pattern_set&) = delete;
  pattern_set& operator=(const pattern_set&) = delete;

  std::size_t size() const { return count_; }

  // Marks hits[i] = true for every pattern i that matches somewhere in `text` (valid UTF-8).
  // `hits` must have size() elements. Returns false when the scan failed (then `hits` may be
  // incomplete: callers must not treat the text as free of the patterns).
  [[nodiscard]] bool scan(std::string_view text, std::vector<bool>& hits) const;

 private:
  pattern_set() = default;
  hs_database* db_ = nullptr;
  std::size_t count_ = 0;
};

using pattern_set_ptr = std::shared_ptr<const pattern_set>;

}  // namespace lp::redact
