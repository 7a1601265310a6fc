// UTF-8 text helpers for the recognizers: letters and case beyond ASCII (umlauts, ß, Ç Ş ı İ
// Ł Ż Đ Č …, Greek, Cyrillic), token boundaries, and case-insensitive cue search. Pure.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string_view>

namespace lp::redact::text {

struct code_point {
  char32_t c = 0;
  std::size_t len = 0;  // 0: no valid code point here
};

// decode_at: the code point starting at byte i; decode_before: the one ending just before i.
// is_letter / is_upper: Latin (with accents), Greek and Cyrillic letters. Inline: called per
// character on the hot path.
inline code_point decode_at(std::string_view s, std::size_t i) {
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

inline code_point decode_before(std::string_view s, std::size_t i) {
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

inline bool is_letter(char32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c <= 0x24F) return true;                 // Latin-1 Supplement, Latin Extended-A and -B
  if (c >= 0x1E00 && c <= 0x1EFF) return true;  // Latin Extended Additional
  if (c >= 0x370 && c <= 0x3FF) return c != 0x37E && c != 0x387;  // Greek
  if (c >= 0x400 && c <= 0x52F) return true;   // Cyrillic
  return false;
}

inline bool is_upper(char32_t c) {
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


inline bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A letter or digit (any script) ends before / starts at byte i.
bool word_char_before(std::string_view s, std::size_t i);
bool word_char_at(std::string_view s, std::size_t i);

// True when one of `cues` (ASCII lower case; compared case-insensitively, UTF-8 bytes as is)
// occurs in s[from, to). Cues match at word starts only.
bool has_cue(std::string_view s, std::size_t from, std::size_t to, std::span<const std::string_view> cues);
inline bool has_cue(std::string_view s, std::size_t from, std::size_t to, std::initializer_list<std::string_view> cues) {
  return has_cue(s, from, to, std::span<const std::string_view>(cues.begin(), cues.size()));
}

// A calendar date starting at byte i, after optional spaces, ':', '*', '(' and "am "/"den "/"on ":
// 12.03.1985, 3.7.62, 12. März 1985, 12 March 1985, March 12, 1985, 1985-03-12 (years
// 1900-2100 when written with four digits). Sets [from, to) and returns true if found.
bool parse_date(std::string_view s, std::size_t i, std::size_t& from, std::size_t& to);

// Case-insensitive (ASCII) equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace lp::redact::text
