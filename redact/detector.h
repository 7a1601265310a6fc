// The personal-data detector: finds entities in UTF-8 text. Pure (no I/O, no globals besides
// per-thread scanner scratch space).
//
// A Hyperscan database of anchor patterns finds candidates in one pass over the text; each
// candidate is then expanded to its full extent and validated (check digits, structure).
// Construction compiles the database once; a detector is immutable and safe for concurrent
// use by any number of threads (each thread lazily allocates its own scratch).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "redact/entity.h"

struct hs_database;

namespace lp::redact {

class detector {
 public:
  // Loads the pattern database compiled at build time, or compiles it now (when `prebuilt` is
  // false or this CPU cannot run the prebuilt one). Throws std::runtime_error if Hyperscan
  // rejects the patterns or the CPU lacks the instructions Hyperscan needs (startup only).
  static std::shared_ptr<const detector> create(bool prebuilt = true);

  ~detector();
  detector(const detector&) = delete;
  detector& operator=(const detector&) = delete;

  // Appends the entities found in `text` to `out`, sorted by start, non-overlapping. Throws
  // std::runtime_error when the scan itself fails (callers must fail closed).
  // Offsets are byte offsets into `text`. Does not retain `text`.
  void scan(std::string_view text, std::vector<entity>& out) const;

  // Adds the number of entities of each type found in `text` to `counts`.
  void count(std::string_view text, entity_counts& counts) const;

 private:
  detector() = default;
  hs_database* db_ = nullptr;
};

using detector_ptr = std::shared_ptr<const detector>;

}  // namespace lp::redact
