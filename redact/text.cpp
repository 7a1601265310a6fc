#include "redact/text.h"

#include <array>
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

namespace {
// German and English month names, full and abbreviated (longest first, so "März" wins over "Mär").
constexpr std::array<std::string_view, 36> month_names = {
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
    "Dezember", "January", "February", "March", "May", "June", "July", "October", "December", "Jan.", "Feb.",
    "Mär.", "Mrz.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Okt.", "Oct.", "Nov.", "Dez.", "Dec.", "Mar."};

std::size_t month_at(std::string_view s, std::size_t k) {
  for (auto m : month_names) {
    if (s.substr(k, m.size()) == m && !word_char_at(s, k + m.size())) return m.size();
  }
  return 0;
}
}  // namespace

bool parse_date(std::string_view s, std::size_t i, std::size_t& from, std::size_t& to) {
  auto digit = [&](std::size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '9'; };
  while (i < s.size() && (s[i] == ' ' || s[i] == ':' || s[i] == '*' || s[i] == '(')) ++i;
  for (std::string_view skip : {std::string_view("am "), std::string_view("den "), std::string_view("on ")}) {
    if (s.substr(i, skip.size()) == skip) i += skip.size();
  }
  while (i < s.size() && s[i] == ' ') ++i;
  from = i;
  auto num = [&](std::size_t& k, int min_len, int max_len, int& v) {
    int len = 0;
    v = 0;
    while (digit(k) && len < max_len) v = v * 10 + (s[k++] - '0'), ++len;
    return len >= min_len && !digit(k);
  };
  auto year = [&](std::size_t& k, int min_len) {
    const std::size_t at = k;
    int c = 0;
    if (!num(k, min_len, 4, c)) return false;
    if (k - at == 3) return false;
    if (k - at == 4 && (c < 1900 || c > 2100)) return false;
    return !word_char_at(s, k);
  };
  std::size_t k = i;
  // "March 12, 1985"
  if (const std::size_t m = month_at(s, k); m > 0) {
    k += m;
    if (k >= s.size() || s[k] != ' ') return false;
    ++k;
    int d = 0;
    if (!num(k, 1, 2, d) || d < 1 || d > 31) return false;
    if (k < s.size() && s[k] == ',') ++k;
    if (k >= s.size() || s[k] != ' ') return false;
    ++k;
    if (!year(k, 4)) return false;
    to = k;
    return true;
  }
  int a = 0, b = 0;
  if (!num(k, 1, 4, a)) return false;
  if (k - i == 4 && k < s.size() && s[k] == '-') {  // ISO
    ++k;
    int c = 0;
    if (!num(k, 2, 2, b) || k >= s.size() || s[k] != '-') return false;
    ++k;
    if (!num(k, 2, 2, c)) return false;
    if (b < 1 || b > 12 || c < 1 || c > 31 || a < 1900 || a > 2100) return false;
    to = k;
    return true;
  }
  if (a < 1 || a > 31 || k >= s.size()) return false;
  // "12. März 1985", "12 March 1985"
  const bool dot = s[k] == '.';
  std::size_t after_day = dot ? k + 1 : k;
  if (after_day < s.size() && (s[after_day] == ' ' || dot)) {
    const std::size_t month_from = s[after_day] == ' ' ? after_day + 1 : after_day;
    if (const std::size_t m = month_at(s, month_from); m > 0) {
      k = month_from + m;
      if (k >= s.size() || s[k] != ' ') return false;
      ++k;
      if (!year(k, dot ? 2 : 4)) return false;
      to = k;
      return true;
    }
  }
  if (!dot) return false;
  k = after_day;
  if (k < s.size() && s[k] == ' ') ++k;
  if (!num(k, 1, 2, b) || b < 1 || b > 12 || k >= s.size() || s[k] != '.') return false;
  ++k;
  if (k < s.size() && s[k] == ' ') ++k;
  if (!year(k, 2)) return false;
  to = k;
  return true;
}

}  // namespace lp::redact::text
