// Anchors the detector finds in C++ instead of with Hyperscan (detector.cpp), exposed for the
// test that checks them against the regular expressions they stand for. Internal to redact/.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "redact/char_index.h"

namespace lp::redact::detail {

// A pattern match as Hyperscan reports it: pattern id and end offset (from: where known).
struct match {
  unsigned id;
  std::size_t from, to;
};

// Appends the matches of p_iban, p_doc, p_bic8, p_bic11, p_plate, p_icd and p_rvnr
// (detector_patterns.h) in `s`, whose character index is `idx`.
void upper_anchors(std::string_view s, const char_index& idx, std::vector<match>& m);

}  // namespace lp::redact::detail
