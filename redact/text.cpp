#include "redact/text.h"

#include <string>

namespace lp::redact::text {

code_point decode_at(std::string_view s, std::size_t i) {
  if (i >= s.size()) return {};
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto at = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
  if ((b0 & 0xE0) == 0xC0 && cont(1)) return {(static_cast<char32_t>(b0 & 0x1F) << 6) | at(1), 2};
  if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    return {(static_cast<char32_t>(b0 & 0x0F) << 12) | (at(1) << 6) | at(2), 3};
  }
  if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    return {(static_cast<char32_t>(b0 & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3), 4};
  }
  return {};
}

code_point decode_before(std::string_view s, std::size_t i) {
  if (i == 0 || i > s.size()) return {};
  std::size_t j = i - 1;
  std::size_t steps = 0;
  while (j > 0 && steps < 3 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) {
    --j;
    ++steps;
  }
  const auto cp = decode_at(s, j);
  if (cp.len != i - j) return {};
  return cp;
}

bool is_letter(char32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c <= 0x24F) return true;                 // Latin-1 Supplement, Latin Extended-A and -B
  if (c >= 0x1E00 && c <= 0x1EFF) return true;  // Latin Extended Additional
  if (c >= 0x370 && c <= 0x3FF) return c != 0x37E && c != 0x387;  // Greek
  if (c >= 0x400 && c <= 0x52F) return true;   // Cyrillic
  return false;
}

bool is_upper(char32_t c) {
  if (c >= 'A' && c <= 'Z') return true;
  if (c < 0xC0) return false;
  if (c <= 0xDE) return c != 0xD7;
  if (c >= 0x100 && c <= 0x137) return c % 2 == 0 && c != 0x130 ? true : c == 0x130;
  if (c >= 0x139 && c <= 0x148) return c % 2 == 1;
  if (c >= 0x14A && c <= 0x177) return c % 2 == 0;
  if (c == 0x178) return true;
  if (c >= 0x179 && c <= 0x17E) return c % 2 == 1;
  if (c >= 0x391 && c <= 0x3AB) return true;
  if (c >= 0x400 && c <= 0x42F) return true;
  if (c >= 0x1E00 && c <= 0x1EFF) return c % 2 == 0;
  return false;
}

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
