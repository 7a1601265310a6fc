// Redaction operators: what happens to a detected span before the text leaves the house.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>

#include "redact/entity.h"

namespace lp::redact {

enum class operator_kind : unsigned char {
  keep,  // leave the span as it is (the policy allows this data class to pass)
  mask,  // replace the span with "[TYPE]", e.g. "[IBAN]"; irreversible
};

// Operator per entity type; value-initialised to keep.
using operator_table = std::array<operator_kind, entity_type_count>;

// Returns `text` with each entity replaced according to `ops`. `entities` must be sorted by
// start and non-overlapping (as detector::scan returns them).
std::string apply(std::string_view text, std::span<const entity> entities, const operator_table& ops);

}  // namespace lp::redact
