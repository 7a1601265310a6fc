#include "redact/text.h"

#include <string>

namespace lp::redact::text {

bool word_char_before(std::string_view s, std::size_t i) {
  const auto cp = decode_before(s, i);
  return cp.len && (is_letter(cp.c) || is_digit(cp.c));
}

bool word_char_at(std::string_view s, std::size_t i) {
  const auto cp = decode_at(s, i);
  return cp.len && (is_letter(cp.c) || is_digit(cp.c));
}

namespace {
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool has_cue(std::string_view s, std::size_t from, std::size_t to, std::span<const std::string_view> cues) {
  if (to > s.size()) to = s.size();
  if (from >= to) return false;
  // Lower-case the window once (ASCII), then look for each cue.
  char buf[512];
  std::size_t n = 0;
  std::string_view window;
  std::string big;
  if (to - from <= sizeof buf) {
    for (std::size_t i = from; i < to; ++i) buf[n++] = lower(s[i]);
    window = std::string_view(buf, n);
  } else {
    big.reserve(to - from);
    for (std::size_t i = from; i < to; ++i) big += lower(s[i]);
    window = big;
  }
  for (auto cue : cues) {
    if (cue.empty()) continue;
    std::size_t pos = window.find(cue);
    while (pos != std::string_view::npos) {
      // cues match at word starts only
      if (pos == 0 ? !word_char_before(s, from) : !word_char_before(s, from + pos) ||
                                                       !is_letter(static_cast<unsigned char>(cue[0]))) {
        return true;
      }
      pos = window.find(cue, pos + 1);
    }
  }
  return false;
}

}  // namespace lp::redact::text
