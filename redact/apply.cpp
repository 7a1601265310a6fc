#include "redact/apply.h"

namespace lp::redact {

std::string apply(std::string_view text, std::span<const entity> entities, const operator_table& ops) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const auto& e : entities) {
    const auto op = ops[static_cast<std::size_t>(e.type)];
    if (op == operator_kind::keep) continue;
    out.append(text.substr(pos, e.start - pos));
    out += '[';
    out += to_string(e.type);
    out += ']';
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace lp::redact
