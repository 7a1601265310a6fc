#include "redact/apply.h"

namespace lp::redact {

std::string replacement(operator_kind op, entity_type t, std::string_view value, pseudonym_map& pseudonyms) {
  if (op == operator_kind::pseudonymize) return pseudonyms.placeholder(t, value);
  std::string out;
  out.reserve(to_string(t).size() + 2);
  out += '[';
  out += to_string(t);
  out += ']';
  return out;
}

std::string apply(std::string_view text, std::span<const entity> entities, const operator_table& ops,
                  pseudonym_map& pseudonyms, std::vector<std::pair<std::string, std::string>>* replaced) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (const auto& e : entities) {
    const auto op = ops[static_cast<std::size_t>(e.type)];
    if (op == operator_kind::keep) continue;
    out.append(text.substr(pos, e.start - pos));
    const std::string_view value = text.substr(e.start, e.end - e.start);
    std::string r = replacement(op, e.type, value, pseudonyms);
    out += r;
    if (replaced) replaced->emplace_back(std::string(value), std::move(r));
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace lp::redact
