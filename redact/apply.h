// Redaction operators: what happens to a detected span before the text leaves the house.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "redact/entity.h"
#include "redact/pseudonyms.h"

namespace lp::redact {

enum class operator_kind : unsigned char {
  keep,  // leave the span as it is (the policy allows this data class to pass)
  mask,  // replace the span with "[TYPE]", e.g. "[IBAN]"; irreversible
  pseudonymize,  // replace it with a stable placeholder ("<EMAIL_1>") restored in the answer
};

constexpr std::string_view to_string(operator_kind op) {
  switch (op) {
    case operator_kind::mask: return "mask";
    case operator_kind::pseudonymize: return "pseudonymize";
    default: return "keep";
  }
}

constexpr std::optional<operator_kind> operator_from_string(std::string_view s) {
  for (auto op : {operator_kind::mask, operator_kind::pseudonymize, operator_kind::keep}) {
    if (to_string(op) == s) return op;
  }
  return std::nullopt;
}

// Operator per entity type; value-initialised to keep.
using operator_table = std::array<operator_kind, entity_type_count>;

// The text that replaces one entity under `op` (not for keep): "[IBAN]" or the placeholder that
// `pseudonyms` assigns to the value.
std::string replacement(operator_kind op, entity_type t, std::string_view value, pseudonym_map& pseudonyms);

// Returns `text` with each entity replaced according to `ops`. `entities` must be sorted by
// start and non-overlapping (as detector::scan returns them). Placeholders come from
// `pseudonyms`, shared by all texts of one request. When `replaced` is given, each replaced
// value is appended to it with its replacement.
std::string apply(std::string_view text, std::span<const entity> entities, const operator_table& ops,
                  pseudonym_map& pseudonyms, std::vector<std::pair<std::string, std::string>>* replaced = nullptr);

}  // namespace lp::redact
