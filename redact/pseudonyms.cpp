#include "redact/pseudonyms.h"

#include <algorithm>

namespace lp::redact {
namespace {

bool placeholder_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

const std::string& pseudonym_map::placeholder(entity_type t, std::string_view value) {
  std::string key;
  key.reserve(value.size() + 1);
  key += static_cast<char>(t);
  key.append(value);
  if (auto it = by_value_.find(key); it != by_value_.end()) return entries_[it->second].placeholder;
  const auto n = ++next_[static_cast<std::size_t>(t)];
  entry e;
  e.placeholder = "<" + std::string(to_string(t)) + "_" + std::to_string(n) + ">";
  e.value = std::string(value);
  max_size_ = std::max(max_size_, e.placeholder.size());
  entries_.push_back(std::move(e));
  // entries_ may have reallocated: rebuild the views (requests hold a few dozen entries).
  by_placeholder_.clear();
  for (std::size_t i = 0; i < entries_.size(); ++i) by_placeholder_.emplace(entries_[i].placeholder, i);
  by_value_.emplace(std::move(key), entries_.size() - 1);
  return entries_.back().placeholder;
}

const std::string* pseudonym_map::value_of(std::string_view placeholder) const {
  auto it = by_placeholder_.find(placeholder);
  return it == by_placeholder_.end() ? nullptr : &entries_[it->second].value;
}

std::string pseudonym_map::restore(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t lt = text.find('<', pos);
    if (lt == std::string_view::npos) break;
    std::size_t end = lt + 1;
    while (end < text.size() && end - lt < max_size_ && placeholder_char(text[end])) ++end;
    if (end < text.size() && text[end] == '>') {
      if (const auto* v = value_of(text.substr(lt, end - lt + 1))) {
        out.append(text.substr(pos, lt - pos));
        out += *v;
        pos = end + 1;
        continue;
      }
    }
    out.append(text.substr(pos, lt + 1 - pos));
    pos = lt + 1;
  }
  out.append(text.substr(pos));
  return out;
}

std::string stream_restorer::feed(std::string_view piece) {
  carry_.append(piece);
  // Hold back a trailing "<" + placeholder characters that could still become a placeholder.
  std::size_t keep_from = carry_.size();
  const std::size_t lt = carry_.rfind('<');
  if (lt != std::string::npos && carry_.size() - lt < map_->max_placeholder_size()) {
    bool open = true;
    for (std::size_t i = lt + 1; i < carry_.size(); ++i) {
      if (!placeholder_char(carry_[i])) {
        open = false;
        break;
      }
    }
    if (open) keep_from = lt;
  }
  std::string out = map_->restore(std::string_view(carry_).substr(0, keep_from));
  carry_.erase(0, keep_from);
  return out;
}

std::string stream_restorer::flush() {
  std::string out = map_->restore(carry_);
  carry_.clear();
  return out;
}

}  // namespace lp::redact
