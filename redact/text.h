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

// The code point starting at byte i.
code_point decode_at(std::string_view s, std::size_t i);
// The code point ending just before byte i.
code_point decode_before(std::string_view s, std::size_t i);

bool is_letter(char32_t c);
bool is_upper(char32_t c);
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

// has_cue() over the `window` bytes before `pos` (or after `pos`).
inline bool cue_before(std::string_view s, std::size_t pos, std::size_t window, std::span<const std::string_view> cues) {
  return has_cue(s, pos > window ? pos - window : 0, pos, cues);
}
inline bool cue_before(std::string_view s, std::size_t pos, std::size_t window,
                       std::initializer_list<std::string_view> cues) {
  return cue_before(s, pos, window, std::span<const std::string_view>(cues.begin(), cues.size()));
}
inline bool cue_after(std::string_view s, std::size_t pos, std::size_t window,
                      std::initializer_list<std::string_view> cues) {
  return has_cue(s, pos, pos + window < s.size() ? pos + window : s.size(),
                 std::span<const std::string_view>(cues.begin(), cues.size()));
}

// Case-insensitive (ASCII) equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace lp::redact::text
