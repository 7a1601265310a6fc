#include "redact/detector.h"

#include <arpa/inet.h>
#include <hs/hs.h>

#include <algorithm>
#include <bit>
#include <array>
#include <set>
#include <span>
#include <stdexcept>
#include <string>

#include "redact/anchors.h"
#include "redact/checksums.h"
#include "redact/detector_patterns.h"
#include "redact/names.h"
#include "redact/tables.h"
#include "redact/text.h"

namespace lp::redact {
namespace {

using namespace std::string_view_literals;

using text::is_ascii_digit;
using text::word_char_at;
using text::word_char_before;

bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Length of a UTF-8 letter from Latin-1 Supplement / Latin Extended-A starting at i (umlauts,
// ß, é, ł, ş ... as used in names and IDN domains), or 0. Excludes × (C3 97) and ÷ (C3 B7).
std::size_t latin_letter_at(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) return 0;
  const auto c0 = static_cast<unsigned char>(s[i]);
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c0 < 0xC3 || c0 > 0xC5 || c1 < 0x80 || c1 > 0xBF) return 0;
  if (c0 == 0xC3 && (c1 == 0x97 || c1 == 0xB7)) return 0;
  return 2;
}

// Same, for the letter that ends just before position i.
std::size_t latin_letter_before(std::string_view s, std::size_t i) {
  if (i < 2) return 0;
  return latin_letter_at(s, i - 2);
}

bool is_local_char(unsigned char c) {
  if (is_ascii_alnum(c)) return true;
  switch (c) {
    case '.': case '_': case '%': case '+': case '-': case '!': case '#': case '$': case '&':
    case '\'': case '*': case '^': case '`': case '{': case '|':
    case '}': case '~':
      return true;
    default:
      return false;
  }
}

bool is_domain_char(unsigned char c) { return is_ascii_alnum(c) || c == '-' || c == '.'; }

// Expands an '@' at position `at` to a full address, or returns false.
bool expand_email(std::string_view s, std::size_t at, entity& e) {
  std::size_t b = at;
  while (b > 0) {
    if (is_local_char(static_cast<unsigned char>(s[b - 1]))) {
      --b;
    } else if (auto n = latin_letter_before(s, b)) {
      b -= n;
    } else {
      break;
    }
  }
  while (b < at && s[b] == '.') ++b;  // a local part never starts with a dot
  if (b == at) return false;
  std::size_t end = at + 1;
  while (end < s.size()) {
    if (is_domain_char(static_cast<unsigned char>(s[end]))) {
      ++end;
    } else if (auto n = latin_letter_at(s, end)) {
      end += n;
    } else {
      break;
    }
  }
  // Trailing punctuation belongs to the sentence ("Schreiben Sie an a@b.de.").
  while (end > at + 1 && (s[end - 1] == '.' || s[end - 1] == '-')) --end;
  const std::string_view domain = s.substr(at + 1, end - at - 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view tld = domain.substr(dot + 1);
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  if (domain.find("..") != std::string_view::npos || domain.front() == '-') return false;
  e = entity{entity_type::email, b, end, 0.95f};
  return true;
}

// Expands an IBAN candidate starting at `start` (country letters). Accepts the compact form
// and the printed form with single spaces after every group of four characters.
bool expand_iban(std::string_view s, std::size_t start, entity& e) {
  if (start > 0) {
    const auto prev = static_cast<unsigned char>(s[start - 1]);
    if (is_ascii_alnum(prev) || latin_letter_before(s, start)) return false;
  }
  const int want = iban_length_for_country(s.substr(start, 2));
  if (want == 0) return false;
  std::size_t i = start;
  int count = 0;
  while (i < s.size() && count < want) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
      ++count;
      ++i;
    } else if (c == ' ' && count % 4 == 0 && count > 0 && i + 1 < s.size() &&
               is_ascii_alnum(static_cast<unsigned char>(s[i + 1]))) {
      ++i;
    } else {
      break;
    }
  }
  if (count != want) return false;
  // The IBAN must end at a token boundary, not run on into more letters or digits.
  if (i < s.size() && (is_ascii_alnum(static_cast<unsigned char>(s[i])) || latin_letter_at(s, i))) {
    return false;
  }
  if (!iban_valid(s.substr(start, i - start))) return false;
  e = entity{entity_type::iban, start, i, 0.99f};
  return true;
}


// ---------------------------------------------------------------------------------------------
// Pattern table. Patterns with SOM report where they start; the others are anchors whose end
// position the recognizer expands from.

using namespace patterns;

struct cue_index {
  std::array<std::vector<std::uint32_t>, c_count> ends;
  void clear() {
    for (auto& v : ends) v.clear();
  }
  // A cue of class c ends within [pos - window, pos].
  bool near(cue_class c, std::size_t pos, std::size_t window) const {
    const auto& v = ends[c];
    const std::size_t lo = pos > window ? pos - window : 0;
    auto it = std::lower_bound(v.begin(), v.end(), static_cast<std::uint32_t>(lo));
    return it != v.end() && *it <= pos;
  }
  bool any(cue_class c) const { return !ends[c].empty(); }
};

// The cues of the text being scanned by this thread (detector::scan fills it first).
thread_local cue_index cues;

using detail::match;

int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int, void* ctx) {
  if (id >= p_cue) {
    auto& v = cues.ends[id - p_cue];
    if (v.empty() || v.back() != to) v.push_back(static_cast<std::uint32_t>(to));
    return 0;
  }
  static_cast<std::vector<match>*>(ctx)->push_back({id, static_cast<std::size_t>(from), static_cast<std::size_t>(to)});
  return 0;
}

struct scratch_holder {
  hs_scratch_t* scratch = nullptr;
  ~scratch_holder() {
    if (scratch) hs_free_scratch(scratch);
  }
};

// ---------------------------------------------------------------------------------------------
// Helpers

// Digits of s[from, to), or empty when it holds anything but digits and `seps`.
// Up to 32 digits, on the stack.
struct digit_buf {
  char d[32];
  std::size_t n = 0;
  std::size_t size() const { return n; }
  bool empty() const { return n == 0; }
  char operator[](std::size_t i) const { return d[i]; }
  operator std::string_view() const { return {d, n}; }
  std::string_view substr(std::size_t pos, std::size_t len) const { return std::string_view(d, n).substr(pos, len); }
};

digit_buf digits_of(std::string_view s, std::size_t from, std::size_t to, std::string_view seps) {
  digit_buf d;
  for (std::size_t i = from; i < to; ++i) {
    if (is_ascii_digit(s[i])) {
      if (d.n == sizeof d.d) return {};
      d.d[d.n++] = s[i];
    } else if (seps.find(s[i]) == std::string_view::npos) {
      return {};
    }
  }
  return d;
}

// A number token is delimited: no letter/digit directly before or after, and no digit group
// continuing across a separator ("12 345" inside "12 345 678").
bool number_bounded(std::string_view s, std::size_t from, std::size_t to) {
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  if (from >= 2 && (s[from - 1] == '.' || s[from - 1] == '-' || s[from - 1] == '/' || s[from - 1] == ',') &&
      is_ascii_digit(s[from - 2])) {
    return false;
  }
  if (to + 1 < s.size() && (s[to] == '.' || s[to] == '-' || s[to] == '/' || s[to] == ',') && is_ascii_digit(s[to + 1])) {
    return false;
  }
  return true;
}


// ---------------------------------------------------------------------------------------------
// Recognizers: each validates one candidate and fills `e`.

enum phone_kind : unsigned { phone_intl, phone_paren, phone_nat, phone_compact };

bool phone(std::string_view s, std::size_t from, std::size_t to, unsigned id, bool cue, bool anti, entity& e) {
  // trim trailing separators
  while (to > from && (s[to - 1] == ' ' || s[to - 1] == '-' || s[to - 1] == '/')) --to;
  if (!number_bounded(s, from, to)) return false;
  if (from > 0 && (s[from - 1] == '+' || is_ascii_digit(s[from - 1]))) return false;
  const digit_buf d = digits_of(s, from, to, " /-()+");
  if (d.size() < 6 || d.size() > 15) return false;
  if (anti && !cue) return false;
  const std::string_view v = s.substr(from, to - from);
  // no subscriber number is all zeros ("DE00 0000 0000 …")
  if (std::string_view(d).substr(1).find_first_not_of('0') == std::string_view::npos) return false;
  // "Nr. 031/2026", "0147/2026": a serial number and a year
  if (!cue && id == phone_nat && v.size() >= 5 && v[v.size() - 5] == '/' && d.size() <= 8 &&
      (v.substr(v.size() - 4, 2) == "19" || v.substr(v.size() - 4, 2) == "20")) {
    return false;
  }
  // a reference number directly after "Nr." / "-Nr." / "Reg.-Nr." or a letter prefix ("EK-05170")
  if (!cue && from >= 2 && (s.substr(from >= 4 ? from - 4 : 0, from >= 4 ? 4 : from).ends_with("Nr. ") ||
                            (s[from - 1] == '-' && text::is_ascii_upper(s[from - 2])))) {
    return false;
  }
  int hyphens = 0;
  for (char c : v) hyphens += c == '-';
  float score = 0.6f;
  if (id == phone_intl) {
    score = 0.85f;
  } else if (id == phone_paren) {
    score = 0.8f;
  } else if (id == phone_compact) {
    // compact national numbers: mobile, or with a cue
    const bool mobile = d.size() >= 10 && d[0] == '0' && d[1] == '1' && d[2] >= '5' && d[2] <= '7';
    if (!mobile && !cue) return false;
    score = 0.7f;
  } else {
    if (hyphens > 1 && !cue) return false;  // 0281-123-4567: invoice style
    if (d.size() < 7) return false;
    score = 0.7f;
  }
  if (cue) score = std::min(0.95f, score + 0.2f);
  e = entity{entity_type::phone, from, to, score};
  return true;
}

bool tax_id(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (!number_bounded(s, from, to)) return false;
  if (from > 0 && (s[from - 1] == '+')) return false;
  const digit_buf d = digits_of(s, from, to, " ");
  if (!steuer_id_valid(d)) return false;
  const bool cue = cues.near(c_tax, from, 60);
  // Without a cue, spaced forms must be the printed 2-3-3-3 grouping.
  const std::string_view v = s.substr(from, to - from);
  if (!cue && v.find(' ') != std::string_view::npos && v.size() != 14) return false;
  if (!cue && cues.near(c_not_phone, from, 30)) return false;
  e = entity{entity_type::tax_id, from, to, cue ? 0.98f : 0.85f};
  return true;
}

bool card(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (!number_bounded(s, from, to)) return false;
  const digit_buf d = digits_of(s, from, to, " -");
  if (d.size() < 13 || d.size() > 19 || !luhn_valid(d)) return false;
  const std::string_view v = s.substr(from, to - from);
  // consistent separators
  const bool spaces = v.find(' ') != std::string_view::npos, dashes = v.find('-') != std::string_view::npos;
  if (spaces && dashes) return false;
  const int p2 = (d[0] - '0') * 10 + (d[1] - '0');
  const int p4 = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  const bool visa = d[0] == '4' && (d.size() == 13 || d.size() == 16 || d.size() == 19);
  const bool master = ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && d.size() == 16;
  const bool amex = (p2 == 34 || p2 == 37) && d.size() == 15;
  const bool other = (p4 == 6011 || p2 == 65 || (p2 == 35 && d.size() == 16) || p2 == 62) && d.size() >= 16;
  if (!(visa || master || amex || other)) return false;
  if (cues.near(c_serial, from, 40)) return false;
  const bool cue = cues.near(c_card, from, 50);
  e = entity{entity_type::credit_card, from, to, cue ? 0.98f : 0.9f};
  return true;
}

bool ipv4(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  if (from > 0 && s[from - 1] == '.') return false;
  if (to + 1 < s.size() && s[to] == '.' && is_ascii_digit(s[to + 1])) return false;
  int parts = 0, val = 0, len = 0;
  for (std::size_t i = from; i <= to; ++i) {
    if (i == to || s[i] == '.') {
      if (len == 0 || val > 255 || (len > 1 && s[i - len] == '0')) return false;
      ++parts;
      val = len = 0;
    } else {
      val = val * 10 + (s[i] - '0');
      ++len;
    }
  }
  if (parts != 4) return false;
  if (cues.near(c_not_ip, from, 20)) return false;
  e = entity{entity_type::ip_address, from, to, 0.9f};
  return true;
}

bool ipv6(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (from > 0 && (text::is_ascii_alnum(s[from - 1]) || s[from - 1] == ':')) return false;
  while (to > from && (s[to - 1] == '.' || (s[to - 1] == ':' && !(to - from >= 2 && s[to - 2] == ':')))) --to;
  if (to < s.size() && (text::is_ascii_alnum(s[to]))) return false;
  std::string v(s.substr(from, to - from));
  if (v.size() < 3 || std::count(v.begin(), v.end(), ':') < 2) return false;
  unsigned char buf[16];
  if (inet_pton(AF_INET6, v.c_str(), buf) != 1) return false;
  // at least one hex group with a letter or 4 digits (times like 12:30:45 fail inet_pton anyway)
  e = entity{entity_type::ip_address, from, to, 0.9f};
  return true;
}

bool rvnr(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  std::string c;
  for (std::size_t i = from; i < to; ++i) {
    if (s[i] != ' ') c += s[i];
  }
  if (!rvnr_valid(c)) return false;
  const bool cue = cues.near(c_rvnr, from, 60);
  e = entity{entity_type::social_security, from, to, cue ? 0.99f : 0.9f};
  return true;
}

bool vat(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  const digit_buf d = digits_of(s, from + 2, to, " ");
  if (!vat_de_valid(d)) return false;
  e = entity{entity_type::vat_id, from, to, 0.95f};
  return true;
}

bool document(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (word_char_before(s, from)) return false;
  std::size_t len = to - from;
  // Prefer the MRZ form: 9 characters and a valid check digit.
  bool mrz = false;
  if (len == 10 && !word_char_at(s, to) && mrz_check_digit(s.substr(from, 9)) == s[from + 9] - '0') {
    mrz = true;
  } else {
    if (len == 10) --len, --to;
    if (word_char_at(s, to)) return false;
  }
  const std::string_view v = s.substr(from, 9);
  int digits = 0;
  for (char c : v) digits += is_ascii_digit(c);
  if (digits < 2) return false;  // upper-case consonant words, abbreviations
  const bool id_cue = cues.near(c_id_doc, from, 60);
  const bool pass_cue = cues.near(c_passport, from, 60);
  if (!mrz && !id_cue && !pass_cue) return false;
  const char first = s[from];
  const bool passport_letter = first == 'C' || first == 'F' || first == 'G' || first == 'H' || first == 'J' || first == 'K';
  entity_type t = passport_letter ? entity_type::passport : entity_type::id_card;
  if (!mrz && pass_cue && !id_cue) t = entity_type::passport;
  if (!mrz && id_cue && !pass_cue) t = passport_letter ? entity_type::passport : entity_type::id_card;
  e = entity{t, from, to, mrz ? 0.95f : 0.85f};
  return true;
}

bool bic(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  const std::size_t len = to - from;
  if (len != 8 && len != 11) return false;
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  if (!iso_country(s.substr(from + 4, 2))) return false;
  const bool cue = cues.near(c_bic, from, 60);
  const std::string_view v = s.substr(from, len);
  const bool digit = std::any_of(v.begin(), v.end(), [](char c) { return is_ascii_digit(c); });
  // all letters (DRINGEND, ABTEILUNG fit the shape): only with the XXX branch code or right
  // after "BIC"/"SWIFT", or next to an IBAN
  const bool xxx = len == 11 && v.substr(8) == "XXX";
  if (!digit && !xxx && !cues.near(c_bic, from, 14)) return false;
  if (!digit && !cue) return false;
  e = entity{entity_type::bic, from, to, cue ? 0.95f : 0.75f};
  return true;
}

bool plate(std::string_view s, std::size_t from, std::size_t to, entity& e) {
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  if (from > 0 && (s[from - 1] == '-' || s[from - 1] == '/')) return false;
  const std::string_view v = s.substr(from, to - from);
  // parts: district, identifier letters, digits
  std::size_t i = 0, district = 0, letters = 0, digits = 0;
  while (i < v.size() && v[i] != ' ' && v[i] != '-') {
    i += (static_cast<unsigned char>(v[i]) >= 0x80) ? 2 : 1;
    ++district;
  }
  const char sep = i < v.size() ? v[i] : 0;
  ++i;
  while (i < v.size() && v[i] >= 'A' && v[i] <= 'Z') ++i, ++letters;
  if (i < v.size() && (v[i] == ' ' || v[i] == '-')) ++i;
  // the number never starts with 0 ("OA-H-001", "NB-JA-0871" are inventory numbers)
  if (i < v.size() && v[i] == '0') return false;
  while (i < v.size() && is_ascii_digit(v[i])) ++i, ++digits;
  if (district < 1 || district > 3 || letters < 1 || letters > 2 || digits < 1 || digits > 4) return false;
  const bool cue = cues.near(c_plate, from, 60);
  // at most eight characters by law; one more is accepted next to a word for vehicles
  if (district + letters + digits > (cue ? 9u : 8u)) return false;
  if (v.size() > 1 && v[0] == '0') return false;
  if (sep != '-' && !cue) return false;
  // Other abbreviations with a hyphen: "EU-DSGVO", "IT-SB 2" are rare; require the letters+digit shape.
  e = entity{entity_type::license_plate, from, to, cue ? 0.95f : 0.75f};
  return true;
}

// Dates after a birth-date cue: 12.03.1985, 12. März 1985, 1985-03-12, 12.03.85
bool date_of_birth(std::string_view s, std::size_t cue_end, entity& e) {
  std::size_t from = 0, to = 0;
  // the '*' anchor ends at the first digit
  std::size_t i = cue_end;
  if (i > 0 && is_ascii_digit(s[i - 1])) {
    i -= 1;
    if (i > 0 && s[i - 1] == ' ') {}
  }
  if (!text::parse_date(s, i, from, to)) {
    // "Geburtsdatum laut eigener Angabe: 01.01.2010", "geboren (lt. Pass): …": a few words, then a colon
    const std::size_t colon = s.find(':', i);
    if (colon == std::string_view::npos || colon - i > 40 || s.substr(i, colon - i).find('\n') != std::string_view::npos ||
        !text::parse_date(s, colon + 1, from, to)) {
      return false;
    }
  }
  if (to - from < 6) return false;
  e = entity{entity_type::date_of_birth, from, to, 0.9f};
  return true;
}

bool case_number(std::string_view s, std::size_t cue_end, entity& e) {
  std::size_t i = cue_end;
  while (i < s.size() && (s[i] == ' ' || s[i] == ':' || s[i] == '.')) ++i;
  if (s.substr(i, 3) == "Nr.") i += 3;
  while (i < s.size() && s[i] == ' ') ++i;
  for (std::string_view w : {"lautet: "sv, "lautet "sv, "ist "sv, "ist: "sv}) {
    if (s.substr(i, w.size()) == w) {
      i += w.size();
      break;
    }
  }
  const std::size_t from = i;
  std::size_t end = i;
  bool digit = false;
  std::size_t tokens = 0;
  while (i < s.size() && tokens < 6) {
    std::size_t k = i;
    bool tok_digit = false, tok_lower = false;
    std::size_t letters = 0;
    while (k < s.size()) {
      const char c = s[k];
      if (is_ascii_digit(c)) {
        tok_digit = true;
      } else if (c >= 'A' && c <= 'Z') {
        ++letters;
      } else if (c >= 'a' && c <= 'z') {
        tok_lower = true;
        ++letters;
      } else if (c == '-' || c == '/' || c == '.' || c == '_') {
      } else {
        break;
      }
      ++k;
    }
    if (k == i) break;
    // a token of the number: has a digit, or is a short upper-case part (II, K, SG, L), or a
    // court register between numbers ("9 Ds 88/25", "2 Js 117/26")
    const bool register_code = tok_lower && !tok_digit && letters >= 2 && letters <= 3 && text::is_ascii_upper(s[i]) &&
                               tokens > 0 && k + 1 < s.size() && s[k] == ' ' && is_ascii_digit(s[k + 1]);
    const bool part = tok_digit || (!tok_lower && letters >= 1 && letters <= 4) || register_code;
    if (!part) break;
    digit = digit || tok_digit;
    end = k;
    ++tokens;
    if (k < s.size() && s[k] == ' ' && k + 1 < s.size() && (is_ascii_digit(s[k + 1]) || text::is_ascii_upper(s[k + 1]))) {
      i = k + 1;
      continue;
    }
    break;
  }
  while (end > from && (s[end - 1] == '.' || s[end - 1] == '-' || s[end - 1] == '/')) --end;
  if (!digit || end - from < 3) return false;
  e = entity{entity_type::case_number, from, end, 0.9f};
  return true;
}

bool secret_token_char(char c) { return text::is_ascii_alnum(c) || c == '_' || c == '-' || c == '.'; }

bool secret_prefixed(std::string_view s, std::size_t prefix_end, entity& e) {
  // find the prefix start: scan back over token characters
  std::size_t from = prefix_end;
  while (from > 0 && secret_token_char(s[from - 1]) && prefix_end - from < 12) --from;
  // the prefix itself begins at a token start
  std::size_t start = prefix_end;
  for (std::string_view p : {"sk-"sv, "sk_live_"sv, "sk_test_"sv, "rk_live_"sv, "whsec_"sv, "ghp_"sv, "gho_"sv, "ghu_"sv,
                             "ghs_"sv, "ghr_"sv, "github_pat_"sv, "glpat-"sv, "xoxa-"sv, "xoxb-"sv, "xoxp-"sv, "xorr-"sv,
                             "xoxs-"sv, "xapp-"sv, "AKIA"sv, "ASIA"sv, "AIza"sv, "eyJ"sv, "hf_"sv, "npm_"sv, "pypi-"sv,
                             "dckr_pat_"sv, "dop_v1_"sv, "shpat_"sv, "shpss_"sv, "ATATT"sv}) {
    if (prefix_end >= p.size() && s.substr(prefix_end - p.size(), p.size()) == p) {
      start = prefix_end - p.size();
      break;
    }
  }
  if (start == prefix_end) return false;
  if (start > 0 && secret_token_char(s[start - 1])) return false;
  std::size_t end = prefix_end;
  while (end < s.size() && secret_token_char(s[end])) ++end;
  while (end > prefix_end && s[end - 1] == '.') --end;
  const std::size_t body = end - prefix_end;
  const std::string_view pfx = s.substr(start, prefix_end - start);
  std::size_t min_body = 16;
  if (pfx == "AKIA" || pfx == "ASIA") min_body = 16;
  if (pfx == "eyJ") {
    // JWT: three dot-separated parts
    const std::string_view v = s.substr(start, end - start);
    if (std::count(v.begin(), v.end(), '.') != 2 || v.size() < 30) return false;
  }
  if (body < min_body) return false;
  // a real key mixes letters and digits
  const std::string_view v = s.substr(prefix_end, body);
  const bool has_digit = std::any_of(v.begin(), v.end(), [](char c) { return is_ascii_digit(c); });
  const bool has_alpha = std::any_of(v.begin(), v.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  if (!has_digit || !has_alpha) return false;
  // a token inside a URL ("https://x-access-token:ghp_…@github.com/") is the secret, not an address
  e = entity{entity_type::secret, start, end, 0.97f};
  return true;
}

bool secret_after_cue(std::string_view s, std::size_t cue_end, entity& e) {
  std::size_t i = cue_end;
  while (i < s.size() && (s[i] == ' ' || s[i] == '"' || s[i] == '\'' || s[i] == '`' || s[i] == '\xE2')) {
    if (s[i] == '\xE2') {  // „ or “ (3 bytes)
      if (i + 2 < s.size()) i += 3; else break;
    } else {
      ++i;
    }
  }
  const std::size_t from = i;
  while (i < s.size() && s[i] != ' ' && s[i] != '\n' && s[i] != '\r' && s[i] != '\t' && s[i] != '"' && s[i] != '\'' &&
         s[i] != '`') {
    ++i;
  }
  std::size_t to = i;
  // placeholders are no secrets: ${DB_PASSWORD}, <aus Vault>, %USERNAME%, {{ secret }}
  if (from < s.size() && (s[from] == '$' || s[from] == '<' || s[from] == '%' || s[from] == '{')) return false;
  // connection strings: "Password=Wg!Import-2025;Encrypt=true" ends before ";Key="
  if (cue_end > 0 && s[cue_end - 1] == '=') {
    for (std::size_t k = from; k < to; ++k) {
      if (s[k] != ';') continue;
      std::size_t q = k + 1;
      while (q < to && (text::is_ascii_alnum(s[q]) || s[q] == ' ' || s[q] == '_')) ++q;
      if (q > k + 1 && q < to && s[q] == '=') {
        to = k;
        break;
      }
    }
  }
  while (to > from && (s[to - 1] == '.' || s[to - 1] == ',' || s[to - 1] == ';' || s[to - 1] == ')')) --to;
  if (to - from < 4 || to - from > 1000) return false;
  const std::string_view v = s.substr(from, to - from);
  // in a table ("| TWILIO_AUTH_TOKEN | 9296… |") a value needs a digit: column headers are words
  if (cue_end > 0 && s[cue_end - 1] == '|' && !std::any_of(v.begin(), v.end(), [](char c) { return is_ascii_digit(c); })) {
    return false;
  }
  // a word of plain lower-case letters followed by more words is prose ("Passwort: bitte ändern")
  const bool has_digit = std::any_of(v.begin(), v.end(), [](char c) { return is_ascii_digit(c); });
  const bool has_sym = std::any_of(v.begin(), v.end(), [](char c) { return !text::is_ascii_alnum(c) && static_cast<unsigned char>(c) < 0x80; });
  const bool has_upper = std::any_of(v.begin(), v.end(), [](char c) { return text::is_ascii_upper(c); });
  const bool has_lower = std::any_of(v.begin(), v.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  if (!(has_digit || has_sym || (has_upper && has_lower && v.size() >= 8))) return false;
  if (!has_digit && !has_sym && v.size() < 8) return false;
  e = entity{entity_type::secret, from, to, 0.85f};
  return true;
}

bool pem(std::string_view s, std::size_t from, std::size_t begin_end, entity& e) {
  const std::size_t end_marker = s.find("-----END ", begin_end);
  std::size_t to;
  if (end_marker != std::string_view::npos) {
    const std::size_t close = s.find("-----", end_marker + 9);
    to = close == std::string_view::npos ? s.size() : close + 5;
  } else {
    to = begin_end;
    while (to < s.size() && (text::is_ascii_alnum(s[to]) || s[to] == '+' || s[to] == '/' || s[to] == '=' ||
                             s[to] == '\n' || s[to] == '\r')) {
      ++to;
    }
  }
  e = entity{entity_type::secret, from, to, 0.99f};
  return true;
}

// Street names: "Reeser Landstraße 31, 46483 Wesel", "Am Markt 7a", "Konrad-Adenauer-Str. 12-14\n47051 Duisburg".
bool house_number(std::string_view s, std::size_t& i) {
  const std::size_t start = i;
  while (i < s.size() && is_ascii_digit(s[i])) ++i;
  const std::size_t n = i - start;
  if (n == 0 || n > 4) return false;
  // 7a, 3 b
  if (i < s.size() && s[i] >= 'a' && s[i] <= 'z' && !word_char_at(s, i + 1)) {
    ++i;
  } else if (i + 1 < s.size() && s[i] == ' ' && s[i + 1] >= 'a' && s[i + 1] <= 'h' && !word_char_at(s, i + 2)) {
    i += 2;
  }
  // 12-14, 12/14, 54–68 (en dash)
  const std::size_t dash_len = (i + 1 < s.size() && (s[i] == '-' || s[i] == '/')) ? 1
                               : (s.substr(i, 3) == "\xE2\x80\x93") ? 3 : 0;
  if (dash_len && i + dash_len < s.size() && is_ascii_digit(s[i + dash_len])) {
    std::size_t k = i + dash_len;
    while (k < s.size() && is_ascii_digit(s[k])) ++k;
    if (k - i - dash_len <= 4) i = k;
    if (i < s.size() && s[i] >= 'a' && s[i] <= 'z' && !word_char_at(s, i + 1)) ++i;
  }
  if (word_char_at(s, i)) return false;
  if (i < s.size() && (s[i] == '.' || s[i] == ',') && i + 1 < s.size() && is_ascii_digit(s[i + 1])) return false;  // 2.114
  return true;
}

// ", 46483 Wesel" / "\n46483 Wesel" / " 46483 Wesel am Niederrhein" after the house number.
std::size_t postal_city(std::string_view s, std::size_t i, bool lower_case_city = false) {
  std::size_t k = i;
  if (k < s.size() && s[k] == ',') ++k;
  if (s.substr(k, 4) == " in " && k + 9 < s.size() && is_ascii_digit(s[k + 4])) k += 3;  // "… 12 in 47441 Moers"
  std::size_t spaces = 0;
  while (k < s.size() && (s[k] == ' ' || s[k] == '\n' || s[k] == '\r') && spaces < 3) ++k, ++spaces;
  if (spaces == 0) return i;
  if (s.substr(k, 2) == "D-") k += 2;
  const std::size_t plz = k;
  while (k < s.size() && is_ascii_digit(s[k])) ++k;
  if (k - plz != 5 || k >= s.size() || s[k] != ' ') return i;
  ++k;
  // city: capitalised words, with "an der", "am", "a. d.", "(Westf.)", "/ Rheinland"
  std::size_t end = k;
  std::size_t words = 0;
  while (k < s.size() && words < 5) {
    const auto cp = text::decode_at(s, k);
    if (!cp.len || !text::is_letter(cp.c)) {
      if (s[k] == '(' && words > 0) {  // (Westf.)
        const std::size_t close = s.find(')', k);
        if (close != std::string_view::npos && close - k < 26 && s.substr(k, close - k).find('\n') == std::string_view::npos &&
            s.substr(k, close - k).find_first_of("0123456789") == std::string_view::npos) {
          end = close + 1;
          k = close + 1;
          continue;
        }
      }
      break;
    }
    const bool upper = text::is_upper(cp.c);
    std::size_t w = k;
    while (w < s.size()) {
      const auto c = text::decode_at(s, w);
      if (c.len && (text::is_letter(c.c) || s[w] == '-')) {
        w += c.len;
      } else {
        break;
      }
    }
    std::string_view word = s.substr(k, w - k);
    // abbreviations inside city names keep their dot: "a. d. Ruhr", "St. Augustin", "Westf."
    if (w < s.size() && s[w] == '.' &&
        (word == "a" || word == "d" || word == "i" || word == "St" || word == "Westf" || word == "Opf" ||
         word == "Oldb" || word == "Rhld" || word == "Hess" || word == "Sa")) {
      ++w;
      word = s.substr(k, w - k);
    }
    const bool lower_city = lower_case_city && words == 0 && word.size() >= 3;  // "46535 dinslaken"
    if (!upper && !lower_city && word != "an" && word != "am" && word != "a." && word != "der" && word != "im" &&
        word != "d." && word != "ob" && word != "i.") {
      break;
    }
    if (upper || lower_city) end = w;
    ++words;
    k = w;
    if (k < s.size() && s[k] == ' ') ++k; else break;
  }
  if (end == plz + 6) return i;
  return end;
}


// Words ending in -er before a street that are not part of its name ("Bauvoranfrage", "Vermieter").
bool noun_like_prefix(std::string_view w) {
  for (std::string_view x : {"Vermieter"sv, "Mieter"sv, "Eigentümer"sv, "Bauherr"sv, "Halter"sv, "Nutzer"sv,
                             "Bewohner"sv, "Anwohner"sv, "Nachbar"sv, "Inhaber"sv, "Betreiber"sv, "Absender"sv,
                             "Empfänger"sv, "Antragsteller"sv, "Ordner"sv, "Oktober"sv, "November"sv, "Dezember"sv,
                             "September"sv, "Januar"sv, "Februar"sv, "Mitarbeiter"sv, "Leiter"sv, "Vertreter"sv}) {
    if (w == x) return true;
  }
  return false;
}

// Common nouns ending like street names that take numbers ("Stellplatz 14", "Rechtsweg 2").
bool not_a_street(std::string_view word) {
  for (std::string_view w : {"Stellplatz"sv, "Parkplatz"sv, "Arbeitsplatz"sv, "Spielplatz"sv, "Sitzplatz"sv, "Bauplatz"sv,
                             "Liegeplatz"sv, "Standplatz"sv, "Abstellplatz"sv, "Stellplätze"sv, "Parkplätze"sv, "Campingplatz"sv,
                             "Dienstweg"sv, "Rechtsweg"sv, "Postweg"sv, "Fluchtweg"sv, "Rettungsweg"sv, "Lieferweg"sv, "Schulweg"sv,
                             "Fußweg"sv, "Radweg"sv, "Seitenweg"sv, "Umweg"sv, "Bahnhof"sv, "Friedhof"sv, "Innenhof"sv, "Hinterhof"sv,
                             "Hof"sv, "Weg"sv, "Platz"sv, "Markt"sv, "Park"sv, "Garten"sv, "Feld"sv, "Berg"sv, "Tal"sv, "Ring"sv, "Wall"sv,
                             "Kindergarten"sv, "Baufeld"sv, "Spielfeld"sv, "Sportplatz"sv, "Marktplatz"sv, "Großmarkt"sv,
                             "Wochenmarkt"sv, "Arbeitsmarkt"sv, "Wohnungsmarkt"sv, "Freibad"sv, "Gewerbepark"sv, "Windpark"sv,
                             "Solarpark"sv, "Fuhrpark"sv, "Nationalpark"sv, "Zeitraum"sv, "Heft"sv, "Block"sv, "Modul"sv}) {
    if (word == w) return true;
  }
  return word.ends_with("quartal") || word.ends_with("Quartal");
}

bool address_from_suffix(std::string_view s, std::size_t anchor_end, entity& e) {
  // anchor ends at the first digit of the house number
  std::size_t num = anchor_end - 1;
  std::size_t k = num;
  while (k > 0 && s[k - 1] == ' ') --k;
  const std::size_t word_end = k;  // end of the street word (maybe "Str.")
  // back to the start of the word
  std::size_t ws = word_end;
  while (ws > 0) {
    const auto cp = text::decode_before(s, ws);
    if (cp.len && (text::is_letter(cp.c) || s[ws - 1] == '-' || s[ws - 1] == '.')) {
      ws -= cp.len;
    } else {
      break;
    }
  }
  while (ws < word_end && (s[ws] == '-' || s[ws] == '.')) ++ws;
  if (ws >= word_end) return false;
  const auto first = text::decode_at(s, ws);
  std::string_view word = s.substr(ws, word_end - ws);
  // citizens write "kaiserstr 40a, 46535 dinslaken": a lower-case street needs a "str" ending and
  // a postcode after it
  const bool lower_street = first.len && !text::is_upper(first.c);
  if (lower_street) {
    std::size_t hn = num;
    if (!(word.ends_with("str") || word.ends_with("str.") || word.ends_with("straße") || word.ends_with("strasse")) ||
        word.size() < 6 || !house_number(s, hn) || postal_city(s, hn, true) == hn) {
      return false;
    }
    e = entity{entity_type::address, ws, postal_city(s, hn, true), 0.85f};
    return true;
  }
  std::string_view bare = word;
  while (!bare.empty() && bare.back() == '.') bare.remove_suffix(1);
  // the suffix of the word
  std::size_t from = ws;
  bool prefix_word = false;
  // preceding capitalised words: "Reeser Landstraße", "Alter Markt", "Am Alten Hafen", "Straße des 17. Juni" (no)
  for (int step = 0; step < 3 && from > 1; ++step) {
    if (s[from - 1] != ' ') break;
    std::size_t ps = from - 1;
    std::size_t pe = ps;
    while (ps > 0) {
      const auto cp = text::decode_before(s, ps);
      if (cp.len && (text::is_letter(cp.c) || s[ps - 1] == '-' || s[ps - 1] == '.')) ps -= cp.len; else break;
    }
    if (ps == pe) break;
    const std::string_view prev = s.substr(ps, pe - ps);
    const auto pc = text::decode_at(s, ps);
    const bool cap = pc.len && text::is_upper(pc.c);
    static constexpr std::array<std::string_view, 14> preps = {"Am", "An", "Auf", "Im", "In", "Zum", "Zur", "Unter",
                                                               "Hinter", "Vor", "Über", "der", "dem", "den"};
    const bool prep = std::find(preps.begin(), preps.end(), prev) != preps.end();
    static constexpr std::array<std::string_view, 24> adjectives = {
        "Alte", "Alter", "Altes", "Neue", "Neuer", "Neues", "Große", "Großer", "Kleine", "Kleiner", "Hohe", "Hoher",
        "Lange", "Langer", "Obere", "Untere", "Oberer", "Unterer", "Breite", "Kurze", "Schöne", "Grüne", "Rote", "Weiße"};
    // "Reeser Landstraße", "Weseler Straße": place adjectives end in -er; others from the list
    const bool adjective = cap && prev.size() >= 4 &&
                           (prev.ends_with("er") || prev.ends_with("sche") ||
                            std::find(adjectives.begin(), adjectives.end(), prev) != adjectives.end()) &&
                           !noun_like_prefix(prev);
    if (prep || adjective || (cap && prev.find('-') != std::string_view::npos)) {
      if (!cap && !prep) break;
      from = ps;
      prefix_word = true;
      if (prev == "der" || prev == "dem" || prev == "den") continue;  // "An der Linde"
      if (prep) break;
      continue;
    }
    break;
  }
  // a lower-case "der" kept without a capitalised preposition before it ("in der Bahnhofstr. 5"):
  // the street starts at its own word
  {
    const auto c = text::decode_at(s, from);
    if (!c.len || !text::is_upper(c.c)) {
      from = ws;
      prefix_word = false;
    }
  }
  std::size_t end = num;
  if (!house_number(s, end)) return false;
  // the suffix of the street word
  bool weak = false;
  {
    std::string lower;
    for (char c : bare) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    for (std::string_view suf : {"weg"sv, "platz"sv, "markt"sv, "hof"sv, "berg"sv, "feld"sv, "garten"sv, "park"sv, "tal"sv, "wiese"sv,
                                 "graben"sv, "acker"sv, "bruch"sv, "busch"sv, "heide"sv, "hang"sv, "winkel"sv, "anger"sv, "kamp"sv,
                                 "ring"sv, "wall"sv}) {
      if (lower.size() >= suf.size() && lower.substr(lower.size() - suf.size()) == suf) weak = true;
    }
    if (lower.ends_with("str") || lower.ends_with("straße") || lower.ends_with("strasse")) weak = false;
  }
  if (!prefix_word && not_a_street(bare)) return false;
  const std::size_t with_city = postal_city(s, end);
  const bool city = with_city != end;
  const bool cue = cues.near(c_address, from, 60);
  // "(Birkenweg 9)", "…, Gartenweg 3)": a street and number in parentheses
  const bool parenthesised = end < s.size() && s[end] == ')';
  if (weak && !city && !prefix_word && !cue && !parenthesised) return false;
  e = entity{entity_type::address, from, with_city, city ? 0.95f : (weak ? 0.75f : 0.85f)};
  return true;
}

// Back from a postcode and city to the street and number before it: "Hüls 28, 47623 Kevelaer",
// "Gewerbepark Nord 14, 46485 Wesel", "Markt 1, 46459 Rees" (streets without a street-like
// ending), "Hagsche Straße 71, 47533 Kleve", "bergstr 12 47443 moers". The street starts after a
// delimiter (line start, comma, parenthesis, colon, bar, tab) or an address word.
bool address_before_postcode(std::string_view s, std::size_t plz, entity& e) {
  std::size_t k = plz;
  if (k >= 2 && s[k - 1] == ' ' && s[k - 2] == ',') k -= 2;
  else if (k >= 4 && s.substr(k - 4, 4) == " in ") k -= 3;
  else if (k >= 1 && s[k - 1] == ' ') k -= 1;
  else return false;
  // house number: digits, an optional letter, an optional range
  std::size_t hn_end = k;
  if (hn_end > 0 && s[hn_end - 1] >= 'a' && s[hn_end - 1] <= 'h') --hn_end;
  std::size_t hn = hn_end;
  while (hn > 0 && is_ascii_digit(s[hn - 1])) --hn;
  if (hn == hn_end || hn_end - hn > 4) return false;
  // "12-14": the first number of a range
  if (hn >= 2 && (s[hn - 1] == '-' || s[hn - 1] == '/') && is_ascii_digit(s[hn - 2])) {
    hn -= 1;
    while (hn > 0 && is_ascii_digit(s[hn - 1])) --hn;
  }
  if (hn < 2 || s[hn - 1] != ' ') return false;
  std::size_t check = hn;
  if (!house_number(s, check) || check != k) return false;
  const std::size_t city_end = postal_city(s, k, true);
  if (city_end == k) return false;
  // the street: up to three words before the number
  struct word {
    std::size_t from, to;
  };
  word words[3];
  std::size_t nw = 0;
  std::size_t b = hn - 1;  // the space before the number
  while (nw < 3 && b > 0) {
    std::size_t a = b;
    while (a > 0) {
      const auto cp = text::decode_before(s, a);
      if (cp.len && (text::is_letter(cp.c) || s[a - 1] == '-' || s[a - 1] == '.')) a -= cp.len; else break;
    }
    if (a == b) break;
    words[nw++] = {a, b};
    if (a == 0 || s[a - 1] != ' ') break;
    b = a - 1;
  }
  if (nw == 0) return false;
  auto text_of = [&](const word& w) { return s.substr(w.from, w.to - w.from); };
  auto capital = [&](const word& w) { return text::is_upper(text::decode_at(s, w.from).c); };
  const std::string_view last = text_of(words[0]);
  std::string lower;
  for (char c : last) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const bool street_word = lower.ends_with("straße") || lower.ends_with("strasse") || lower.ends_with("str.") ||
                           lower.ends_with("str") || lower.ends_with("weg") || lower.ends_with("allee") ||
                           lower.ends_with("platz") || lower.ends_with("ring") || lower.ends_with("gasse");
  if (!capital(words[0]) && !street_word) return false;
  if (last == "Postfach" || last == "Nr." || last == "Nr") return false;
  std::size_t used = 1;
  for (; used < nw; ++used) {
    const std::string_view w = text_of(words[used]);
    static constexpr std::array<std::string_view, 9> preps = {"Am", "An", "Auf", "Im", "In", "Zum", "Zur", "Unter",
                                                              "Hinter"};
    if (w == "der" || w == "dem" || w == "den" || std::find(preps.begin(), preps.end(), w) != preps.end()) continue;
    if (!capital(words[used])) break;
    // before a street word only adjectives ("Hagsche Straße", "Alte Poststraße"); without one,
    // one more capitalised word ("Gewerbepark Nord")
    const bool adjective = w.ends_with("e") || w.ends_with("er") || w.ends_with("es") || w.ends_with("en");
    if (street_word ? !adjective || noun_like_prefix(w) : used >= 2) break;
  }
  const std::size_t from = words[used - 1].from;
  // what stands before the street
  std::size_t d = from;
  while (d > 0 && s[d - 1] == ' ') --d;
  const char before = d == 0 ? '\n' : s[d - 1];
  const bool delimited = before == '\n' || before == ',' || before == '(' || before == ':' || before == '|' ||
                         before == '\t' || before == ';';
  const bool address_word = cues.near(c_address_strict, from, 30);
  if (!delimited && !address_word && !street_word) return false;
  e = entity{entity_type::address, from, city_end, 0.9f};
  return true;
}

bool address_from_prefix(std::string_view s, std::size_t from, std::size_t anchor_end, entity& e) {
  // "Am Markt 7", "Im Winkel 3", "Zur Alten Mühle 12": prefix, 1-3 capitalised words, number
  if (word_char_before(s, from)) return false;
  std::size_t k = anchor_end - 1;  // first letter of the name
  std::size_t words = 0;
  // road numbers ("Auf der K 12", "Auf der A 31") are not addresses: the name has 3+ letters
  {
    std::size_t q = k;
    while (q < s.size() && text::word_char_at(s, q)) q += text::decode_at(s, q).len;
    if (q - k < 3) return false;
  }
  while (k < s.size() && words < 3) {
    const auto cp = text::decode_at(s, k);
    if (!cp.len || !text::is_upper(cp.c)) break;
    while (k < s.size()) {
      const auto c = text::decode_at(s, k);
      if (c.len && (text::is_letter(c.c) || s[k] == '-')) k += c.len; else break;
    }
    ++words;
    if (k < s.size() && s[k] == ' ') {
      ++k;
      if (k < s.size() && is_ascii_digit(s[k])) break;
    } else {
      return false;
    }
  }
  if (k >= s.size() || !is_ascii_digit(s[k])) return false;
  std::size_t end = k;
  if (!house_number(s, end)) return false;
  const std::size_t with_city = postal_city(s, end);
  // "Im Jahr 2024", "Am Montag 5": the name must not be an ordinary word of time or quantity
  const std::string_view name = s.substr(anchor_end - 1, k - anchor_end);
  for (std::string_view bad : {"Jahr"sv, "Jahre"sv, "Monat"sv, "Januar"sv, "Februar"sv, "März"sv, "April"sv, "Mai"sv, "Juni"sv, "Juli"sv,
                               "August"sv, "September"sv, "Oktober"sv, "November"sv, "Dezember"sv, "Montag"sv, "Dienstag"sv,
                               "Mittwoch"sv, "Donnerstag"sv, "Freitag"sv, "Samstag"sv, "Sonntag"sv, "Zeitraum"sv, "Haushaltsjahr"sv,
                               "Quartal"sv, "Abschnitt"sv, "Artikel"sv, "Paragraph"sv, "Kapitel"sv, "Raum"sv, "Zimmer"sv, "Gebäude"sv,
                               "Haus"sv, "Stock"sv, "Obergeschoss"sv, "Erdgeschoss"sv, "Alter"sv, "Vergleich"sv, "Durchschnitt"sv,
                               "Schnitt"sv, "Rahmen"sv, "Ergebnis"sv, "Ende"sv, "Anfang"sv, "Umfang"sv, "Wert"sv, "Betrag"sv, "Tag"sv}) {
    if (name.substr(0, bad.size()) == bad && (name.size() == bad.size() || name[bad.size()] == ' ')) return false;
  }
  if (with_city == end && !cues.near(c_address_strict, from, 60)) {
    // without city, the name must be one capitalised word with a street-like ending or a known shape
    if (words > 2) return false;
  }
  e = entity{entity_type::address, from, with_city, with_city != end ? 0.95f : 0.75f};
  return true;
}

// Health data counts only when it belongs to a person: the text names someone (a name found, a
// word for a person such as Frau, Patientin, Sohn, or an illness verb), or a pronoun (er, sie,
// Ihnen …) shortly before it in the same sentence. A notice about "Aktionswoche Demenz" or a
// glossary of care levels is no one's health data.
bool names_a_person(std::string_view s, std::span<const entity> found) {
  for (const entity& p : found) {
    if (p.type == entity_type::person) return true;
  }
  return text::has_cue(s, 0, s.size(), {"frau "sv, "herr "sv, "herrn "sv, "patient"sv, "klient"sv, "antragsteller"sv,
                                        "mitarbeiter"sv, "kind "sv, "kindes"sv, "sohn"sv, "tochter"sv, "ehemann"sv,
                                        "ehefrau"sv, "leidet"sv, "litt "sv, "erkrankt"sv, "diagnos"sv, "betroffene"sv,
                                        "bewerber"sv, "schüler"sv, "beschäftigte"sv, "bewohner"sv, "versicherte"sv,
                                        "kollege"sv, "kollegin"sv, "arbeitsunfähig"sv, "krankgeschrieben"sv,
                                        "halter"sv, "mein "sv, "meine "sv, "meiner "sv, "meinem "sv, "meinen "sv});
}

bool pronoun_before(std::string_view s, const entity& h) {
  std::size_t sentence = h.start >= 60 ? h.start - 60 : 0;
  for (std::size_t k = h.start; k > sentence; --k) {
    const char c = s[k - 1];
    if (c == '\n' || ((c == '.' || c == '?' || c == '!') && k < s.size() && s[k] == ' ')) {
      sentence = k;
      break;
    }
  }
  return text::has_cue(s, sentence, h.start, {"er "sv, "sie "sv, "ihr "sv, "ihre "sv, "ihrer "sv, "ihren "sv,
                                              "ihrem "sv, "ihnen "sv, "sein "sv, "seine "sv, "seiner "sv, "seinen "sv,
                                              "seinem "sv, "ihm "sv});
}

// Plate anchor "[ -][A-Z]{1,2}[ -]?[0-9]" ends at the first digit: find the district code before
// the separator, the digits and the E/H suffix after it.
bool plate_at(std::string_view s, std::size_t anchor_end, entity& e) {
  std::size_t d = anchor_end - 1;  // first digit
  std::size_t k = d;
  if (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '-')) --k;
  std::size_t letters_end = k;
  while (k > 0 && s[k - 1] >= 'A' && s[k - 1] <= 'Z') --k;
  if (letters_end - k < 1 || letters_end - k > 2 || k == 0) return false;
  const std::size_t sep = k - 1;
  if (s[sep] != ' ' && s[sep] != '-') return false;
  // district: 1-3 upper-case letters (umlauts are two bytes)
  std::size_t b = sep, n = 0;
  while (b > 0 && n < 4) {
    const auto cp = text::decode_before(s, b);
    if (!cp.len || !(text::is_upper(cp.c) && (cp.c < 0x80 || cp.c == 0xC4 || cp.c == 0xD6 || cp.c == 0xDC))) break;
    b -= cp.len;
    ++n;
  }
  if (n < 1 || n > 3) return false;
  std::size_t end = d;
  while (end < s.size() && is_ascii_digit(s[end])) ++end;
  if (end < s.size() && (s[end] == 'E' || s[end] == 'H') && !word_char_at(s, end + 1)) ++end;
  return plate(s, b, end, e);
}

// ICD-10 code "F32.1": letter, two digits, dot, one or two digits.
bool icd(std::string_view s, std::size_t anchor_end, entity& e) {
  const std::size_t from = anchor_end - 5;
  std::size_t to = anchor_end;
  if (to < s.size() && is_ascii_digit(s[to])) ++to;
  if (word_char_before(s, from) || word_char_at(s, to)) return false;
  if (to < s.size() && s[to] == '.' && to + 1 < s.size() && is_ascii_digit(s[to + 1])) return false;
  if (cues.near(c_not_icd, from, 25)) {
    return false;
  }
  e = entity{entity_type::health, from, to, 0.8f};
  return true;
}

// A health term ending at `end` whose pattern starts with `head` (or, for alternations, at the
// start of the word). Whole words only.
bool health_term_at(std::string_view s, std::string_view head, std::size_t end, entity& e) {
  std::size_t from;
  if (!head.empty()) {
    // last case-insensitive occurrence of head before end
    const std::size_t window = std::min<std::size_t>(end, 80);
    from = std::string_view::npos;
    for (std::size_t i = end - window; i + head.size() <= end; ++i) {
      if (text::iequals(s.substr(i, head.size()), head)) from = i;
    }
    if (from == std::string_view::npos) return false;
  } else {
    // back to the start of the phrase: over letters, hyphens and at most three spaces
    from = end;
    int spaces = 0;
    while (from > 0) {
      const auto cp = text::decode_before(s, from);
      if (cp.len && (text::is_letter(cp.c) || s[from - 1] == '-')) {
        from -= cp.len;
      } else if (s[from - 1] == ' ' && spaces < 1 && from >= 2) {
        // multi-word terms ("geistige Behinderung"): only when the word before is lower case
        const auto prev = text::decode_before(s, from - 1);
        if (!prev.len || !text::is_letter(prev.c) || text::is_upper(prev.c)) break;
        // keep only when the alternation needs two words: decided by the caller's pattern; we
        // take the last word unless the previous word ends the phrase head ("geistige")
        break;
      } else {
        break;
      }
    }
  }
  // "Einzel-GdB 40", "Diabetes-Erkrankung": hyphenated compounds belong to the term
  while (from > 1 && s[from - 1] == '-' && text::word_char_before(s, from - 1)) {
    std::size_t b = from - 1;
    while (b > 0) {
      const auto cp = text::decode_before(s, b);
      if (cp.len && text::is_letter(cp.c)) b -= cp.len; else break;
    }
    from = b;
  }
  while (end + 1 < s.size() && s[end] == '-' && text::word_char_at(s, end + 1)) {
    std::size_t f = end + 1;
    while (f < s.size()) {
      const auto cp = text::decode_at(s, f);
      if (cp.len && text::is_letter(cp.c)) f += cp.len; else break;
    }
    end = f;
  }
  if (from >= end || word_char_before(s, from) || word_char_at(s, end)) return false;
  // adjectives before the term: "mittelgradige depressive Episode", "koronare Herzkrankheit"
  for (int k = 0; k < 2 && from > 1 && s[from - 1] == ' '; ++k) {
    std::size_t b = from - 1;
    const std::size_t we = b;
    while (b > 0) {
      const auto cp = text::decode_before(s, b);
      if (cp.len && (text::is_letter(cp.c) || s[b - 1] == '-')) b -= cp.len; else break;
    }
    const std::string_view w = s.substr(b, we - b);
    const auto first = text::decode_at(s, b);
    // a lower-case word with an adjective ending (vaskuläre, offene, paranoide, rheumatoider),
    // but not a determiner, pronoun, preposition or participle of diagnosis
    bool adjective = w.size() >= 5 && first.len && !text::is_upper(first.c);
    if (adjective) {
      adjective = false;
      for (std::string_view suf : {"e"sv, "en"sv, "er"sv, "es"sv, "em"sv}) {
        if (w.ends_with(suf)) adjective = true;
      }
      for (std::string_view no : {"folgende"sv, "folgenden"sv, "vorliegende"sv, "vorliegenden"sv, "bestehende"sv,
                                  "bestehenden"sv, "diagnostizierte"sv, "diagnostizierten"sv, "festgestellte"sv,
                                  "festgestellten"sv, "genannte"sv, "genannten"sv, "bekannte"sv, "bekannten"sv,
                                  "bekannter"sv, "aufgrund"sv, "wegen"sv, "einer"sv, "einen"sv, "einem"sv, "eines"sv,
                                  "keine"sv, "keiner"sv, "keinen"sv, "seine"sv, "seiner"sv, "seinen"sv, "seinem"sv,
                                  "ihrer"sv, "ihren"sv, "ihrem"sv, "meine"sv, "meiner"sv, "meinen"sv, "deine"sv,
                                  "deiner"sv, "unsere"sv, "unserer"sv, "unter"sv, "hinter"sv, "beide"sv, "beiden"sv,
                                  "andere"sv, "anderen"sv, "weitere"sv, "weiteren"sv, "mehrere"sv, "mehreren"sv,
                                  "einige"sv, "einigen"sv, "diese"sv, "dieser"sv, "diesen"sv, "diesem"sv, "jeder"sv,
                                  "jedem"sv, "jeden"sv, "welche"sv, "welcher"sv, "allen"sv, "aller"sv, "haben"sv,
                                  "hatte"sv, "hatten"sv, "leiden"sv, "leide"sv, "immer"sv, "wieder"sv, "sowie"sv,
                                  "oder"sv, "aber"sv, "jahre"sv, "jahren"sv, "wurde"sv, "wurden"sv, "werden"sv,
                                  "seit"sv, "nach"sv, "über"sv, "sehr"sv, "schon"sv, "etwa"sv, "während"sv,
                                  "gegen"sv, "neben"sv, "außer"sv, "ohne"sv, "laut"sv, "ärztliche"sv,
                                  "ärztlichen"sv, "mögliche"sv, "möglichen"sv, "vermutete"sv, "vermuteten"sv,
                                  "behandelte"sv, "behandelten"sv}) {
        if (w == no) adjective = false;
      }
    }
    if (!adjective) break;
    from = b;
  }
  // "Zustand nach Schlaganfall"
  if (from >= 14 && s.substr(from - 14, 14) == "Zustand nach ") from -= 14;
  if (from >= 13 && s.substr(from - 13, 13) == "Zustand nach ") from -= 13;
  // "Demenz vom Alzheimer-Typ"
  if (s.substr(end, 5) == " vom ") {
    std::size_t f = end + 5;
    while (f < s.size() && (text::word_char_at(s, f) || s[f] == '-')) f += text::decode_at(s, f).len ? text::decode_at(s, f).len : 1;
    if (s.substr(end + 5, f - end - 5).ends_with("-Typ")) end = f;
  }
  // "Essstörung (Anorexia nervosa)": a parenthetical name of the condition, without digits
  if (s.substr(end, 2) == " (") {
    const std::size_t close = s.find(')', end + 2);
    if (close != std::string_view::npos && close - end <= 40) {
      const std::string_view inner = s.substr(end + 2, close - end - 2);
      const bool words_only = !inner.empty() && text::is_ascii_upper(inner[0]) &&
                              inner.find_first_of("0123456789:;,§") == std::string_view::npos;
      if (words_only) end = close + 1;
    }
  }
  e = entity{entity_type::health, from, end, 0.8f};
  return true;
}


// Numbers: every run of digit groups (digits with single separators between them, and a
// leading "+" or "("), and its sub-spans at group boundaries, tried as phone number, tax id,
// payment card and IPv4 address, longest first per start.
void number_runs(std::string_view s, const char_index& idx, std::vector<entity>& out) {
  struct group {
    std::size_t from, to;
  };
  group g[16];
  std::size_t i = 0;
  const std::size_t n = s.size();
  entity e{};
  while (true) {
    i = idx.next_set(char_index::digit, i);
    if (i >= n) break;
    if (i > 0 && (text::is_ascii_alnum(s[i - 1]) || s[i - 1] == '_')) {  // inside a word or code
      while (i < n && text::is_ascii_alnum(s[i])) ++i;
      continue;
    }
    std::size_t count = 0;
    std::size_t k = i;
    while (count < 16) {
      const std::size_t gs = k;
      while (k < n && is_ascii_digit(s[k])) ++k;
      g[count++] = {gs, k};
      // separators: " ", "-", "/", ".", " / ", " - ", ") ", "(0)" ...
      std::size_t j = k, seps = 0;
      while (j < n && seps < 3 && (s[j] == ' ' || s[j] == '-' || s[j] == '/' || s[j] == '.' || s[j] == '(' || s[j] == ')')) {
        ++j;
        ++seps;
      }
      if (seps == 0 || j >= n || !is_ascii_digit(s[j])) break;
      if (s.substr(k, j - k) == ". " || s.substr(k, j - k) == ", ") break;  // sentence end / list
      k = j;
    }
    const std::size_t run_end = g[count - 1].to;
    // a postcode: the street before it may have no street-like ending
    if (count == 1 && g[0].to - g[0].from == 5 && g[0].to < n && s[g[0].to] == ' ' && address_before_postcode(s, g[0].from, e)) {
      out.push_back(e);
    }
    if (count == 1 && g[0].to - g[0].from < 6) {  // short plain numbers: nothing to find
      i = run_end;
      continue;
    }
    // Numbers start where the run starts (a phone number after a date on the same line is
    // rare; sub-runs from every group would cost a lot on long digit runs such as IBANs).
    for (std::size_t a = 0; a < 1; ++a) {
      const std::size_t num_from = g[a].from;  // tax id, card, IP start at the digits
      std::size_t from = num_from;             // phone numbers may start with "+" or "("
      if (from > 0 && (s[from - 1] == '+' || s[from - 1] == '(')) --from;
      const char first = s[from];
      bool phone_done = false, tax_done = false, card_done = false, ip_done = false;
      // context of this start, looked up once for all its ends
      const bool may_phone = first == '0' || first == '+' || first == '(';
      const bool phone_cue = may_phone && cues.near(c_phone, from, 40);
      const bool phone_anti = may_phone && cues.near(c_not_phone, from, 30);
      std::size_t digits_to_b = 0;  // digits in groups a..count-1
      for (std::size_t q = a; q < count; ++q) digits_to_b += g[q].to - g[q].from;
      for (std::size_t b = count; b-- > a;) {
        const std::size_t to = g[b].to;
        const std::size_t len = to - from;
        const std::size_t nd = digits_to_b;  // digits in groups a..b
        digits_to_b -= g[b].to - g[b].from;
        if (len < 6 || nd < 6) break;
        if (nd > 19) continue;
        if (!phone_done && may_phone && nd <= 15) {
          unsigned kind = first == '+' || (first == '0' && len > 2 && s[from + 1] == '0') ? phone_intl
                          : first == '(' ? phone_paren
                          : b == a ? phone_compact : phone_nat;
          if (kind == phone_intl && first == '0') {
            // "0049 …"
            if (s.substr(from, 4) != "0049") kind = b == a ? phone_compact : phone_nat;
          }
          // German numbers, and foreign ones written with "+" ("+30 2310 877 412", "+31 24 329 9111")
          const bool foreign = first == '+' && from + 1 < s.size() && s[from + 1] >= '1' && s[from + 1] <= '9' && nd >= 9;
          if (kind != phone_intl || s.substr(from, 3) == "+49" || s.substr(from, 4) == "+ 49" || s.substr(from, 4) == "0049" ||
              foreign) {
            if (phone(s, from, to, kind, phone_cue, phone_anti, e)) {
              out.push_back(e);
              phone_done = true;
            }
          }
        }
        if (!tax_done && nd == 11 && s[num_from] >= '1' && s[num_from] <= '9' && len <= 15 && tax_id(s, num_from, to, e)) {
          out.push_back(e);
          tax_done = true;
        }
        if (!card_done && nd >= 13 && s[num_from] >= '2' && s[num_from] <= '6' && len <= 23 && card(s, num_from, to, e)) {
          out.push_back(e);
          card_done = true;
        }
        if (!ip_done && b == a + 3 && nd <= 12 && to - num_from <= 15 && s[g[a].to] == '.' && ipv4(s, num_from, to, e)) {
          out.push_back(e);
          ip_done = true;
        }
      }
    }
    i = run_end;
  }
}

}  // namespace

// The database compiled at build time (redact_dbgen, embedded by redact_db.S); empty when the
// build had none.
extern "C" const unsigned char lp_redact_db_blob[];
extern "C" const unsigned long long lp_redact_db_size;

std::shared_ptr<const detector> detector::create(bool prebuilt) {
  hs_database_t* db = nullptr;
  // The prebuilt database is used when this CPU can run it (Hyperscan checks the platform);
  // otherwise the patterns are compiled now.
  if (prebuilt && lp_redact_db_size > 0 &&
      hs_deserialize_database(reinterpret_cast<const char*>(lp_redact_db_blob), lp_redact_db_size, &db) != HS_SUCCESS) {
    db = nullptr;
  }
  if (!db) {
    std::vector<const char*> exprs;
    std::vector<unsigned> flags, ids;
    patterns::collect(exprs, flags, ids);
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                         nullptr, &db, &err) != HS_SUCCESS) {
      std::string msg = std::string("redactor pattern compilation failed: ") +
                        (err && err->message ? err->message : "unknown error") +
                        (err && err->expression >= 0 ? " (pattern " + std::to_string(err->expression) + ")" : "");
      hs_free_compile_error(err);
      throw std::runtime_error(msg);
    }
  }
  std::shared_ptr<detector> d(new detector());
  d->db_ = db;
  return d;
}

detector::~detector() {
  if (db_) hs_free_database(db_);
}

void detector::scan(std::string_view text, std::vector<entity>& out) const {
  if (text.empty()) return;
  thread_local scratch_holder tl;
  thread_local const hs_database_t* fitted = nullptr;  // the database the scratch was last fitted to
  if (fitted != db_) {
    // hs_alloc_scratch grows an existing scratch to fit this database (not free per call).
    if (hs_alloc_scratch(db_, &tl.scratch) != HS_SUCCESS) throw std::bad_alloc();
    fitted = db_;
  }
  thread_local std::vector<match> m;
  m.clear();
  cues.clear();
  if (text.size() > 0xffffffffu ||
      hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, tl.scratch, on_match, &m) != HS_SUCCESS) {
    // Never report "nothing found" for a text that was not scanned.
    throw std::runtime_error("personal-data scan failed");
  }

  thread_local char_index idx;
  idx.build(text);
  detail::upper_anchors(text, idx, m);

  thread_local std::vector<entity> cand;
  cand.clear();
  // Hyperscan's matches arrive in order of their end offsets; the upper-case anchors follow them.
  entity e{};
  std::vector<entity> health_found;
  std::size_t last_ipv6_end = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const match& x = m[i];
    switch (x.id) {
      case p_email:
        if (expand_email(text, x.to - 2, e)) cand.push_back(e);
        break;
      case p_iban:
        if (expand_iban(text, x.to - 4, e)) cand.push_back(e);
        break;
      case p_dob_cue:
        if (date_of_birth(text, x.to, e)) cand.push_back(e);
        break;
      case p_case_cue:
        if (case_number(text, x.to, e)) cand.push_back(e);
        break;
      case p_secret_prefix:
        if (secret_prefixed(text, x.to, e)) cand.push_back(e);
        break;
      case p_secret_cue:
        if (secret_after_cue(text, x.to, e)) cand.push_back(e);
        break;
      case p_pem: {
        const std::size_t begin = text.rfind("-----BEGIN", x.to);
        if (pem(text, begin == std::string_view::npos ? 0 : begin, x.to, e)) cand.push_back(e);
        break;
      }
      case p_street_suffix:
        if (address_from_suffix(text, x.to, e)) cand.push_back(e);
        break;
      case p_street_prefix: {
        // the anchor ends after the first letter (1-2 bytes) of the street name
        std::size_t first = x.to - 1;
        while (first > 0 && (static_cast<unsigned char>(text[first]) & 0xC0) == 0x80) --first;
        std::size_t start = text.rfind(' ', first - 1);
        // prefix start: up to two words back
        std::size_t ps = first;
        for (int w = 0; w < 3 && ps > 0; ++w) {
          std::size_t b = ps - 1;  // the space
          std::size_t a = b;
          while (a > 0 && text[a - 1] != ' ' && text[a - 1] != '\n' && text[a - 1] != ',' && text[a - 1] != '(') --a;
          const std::string_view word = text.substr(a, b - a);
          ps = a;
          if (!(word == "der" || word == "den" || word == "dem")) break;
        }
        (void)start;
        if (address_from_prefix(text, ps, first + 1, e)) cand.push_back(e);
        break;
      }
      case p_ipv6: {
        // back and forth over hex digits, colons and dots from the anchor
        std::size_t b = x.to, f = x.to;
        auto hexish = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; };
        while (b > 0 && hexish(text[b - 1]) && x.to - b < 45) --b;
        while (f < text.size() && hexish(text[f]) && f - b < 45) ++f;
        if (b >= last_ipv6_end && ipv6(text, b, f, e)) {
          cand.push_back(e);
          last_ipv6_end = e.end;
        }
        break;
      }
      case p_rvnr: {
        // back from the end: check digit, serial, letter, birth date, area (spaces optional)
        std::size_t b = x.to;
        int digits = 0, letters = 0;
        while (b > 0 && (digits + letters) < 12) {
          const char c = text[b - 1];
          if (is_ascii_digit(c)) ++digits;
          else if (c >= 'A' && c <= 'Z') ++letters;
          else if (c != ' ') break;
          --b;
        }
        if (rvnr(text, b, x.to, e)) cand.push_back(e);
        break;
      }
      case p_vat: {
        // back from the end over 9 digits and up to 3 spaces to "DE"
        std::size_t b = x.to, digits = 0;
        while (b > 0 && digits < 9) {
          if (is_ascii_digit(text[b - 1])) ++digits;
          --b;
        }
        while (b > 0 && text[b - 1] == ' ') --b;
        if (b >= 2 && vat(text, b - 2, x.to, e)) cand.push_back(e);
        break;
      }
      case p_doc:
        if (document(text, x.to - 9, x.to < text.size() && is_ascii_digit(text[x.to]) ? x.to + 1 : x.to, e)) {
          cand.push_back(e);
        }
        break;
      case p_bic8:
        if (bic(text, x.to - 8, x.to, e)) cand.push_back(e);
        break;
      case p_bic11:
        if (bic(text, x.to - 11, x.to, e)) cand.push_back(e);
        break;
      case p_plate:
        if (plate_at(text, x.to, e)) cand.push_back(e);
        break;
      case p_icd:
        if (icd(text, x.to, e)) health_found.push_back(e);
        break;
      case p_url_password: {
        // the anchor ends at '@': the password runs from the ':' after "scheme://user"
        const std::size_t at = x.to - 1;
        const std::size_t scheme = text.rfind("://", at);
        if (scheme == std::string_view::npos) break;
        const std::size_t colon = text.find(':', scheme + 3);
        if (colon == std::string_view::npos || colon >= at || at - colon < 2) break;
        cand.push_back(entity{entity_type::secret, colon + 1, at, 0.95f});
        break;
      }
      case p_icd_cue:
        // "Diagnoseschlüssel B20": the code without decimals (with decimals p_icd finds it)
        if (x.to >= 3 && !(x.to + 1 < text.size() && text[x.to] == '.' && is_ascii_digit(text[x.to + 1])) &&
            !word_char_at(text, x.to) && text::is_ascii_upper(text[x.to - 3])) {
          health_found.push_back(entity{entity_type::health, x.to - 3, x.to, 0.85f});
        }
        break;
      default:
        if (x.id >= p_health && x.id < p_health + std::size(health_terms) &&
            health_term_at(text, health_terms[x.id - p_health].head, x.to, e)) {
          health_found.push_back(e);
        }
        break;
    }
  }
  // Each source appends its candidates nearly in text order: sorted one by one and merged,
  // they cost less than one sort of everything.
  std::size_t runs[5];
  std::size_t nruns = 0;
  runs[nruns++] = cand.size();
  number_runs(text, idx, cand);
  runs[nruns++] = cand.size();
  find_persons(text, idx, cues.ends[c_informal], cand);
  find_in_tables(text, cand);
  runs[nruns++] = cand.size();
  if (!health_found.empty()) {
    const std::span<const entity> found(cand.data() + runs[nruns - 2], cand.size() - runs[nruns - 2]);
    const bool someone = names_a_person(text, found);
    std::size_t kept = 0;
    for (const entity& h : health_found) {
      const bool in_url = h.start > 0 && (text[h.start - 1] == '/' || text[h.start - 1] == '.');
      if (!in_url && (someone || pronoun_before(text, h))) health_found[kept++] = h;
    }
    cand.insert(cand.end(), health_found.begin(), health_found.begin() + static_cast<std::ptrdiff_t>(kept));
    runs[nruns++] = cand.size();
  }

  // Overlaps: the most certain, then the longest span wins. Sorted by start, a candidate can
  // only overlap the last one kept. Ties (same span) are ordered by score and type, so the
  // result does not depend on the order in which the candidates were found.
  auto before = [](const entity& a, const entity& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    if (a.score != b.score) return a.score > b.score;
    return a.type < b.type;
  };
  std::size_t from = 0;
  for (std::size_t r = 0; r < nruns; ++r) {
    const auto first = cand.begin() + static_cast<std::ptrdiff_t>(from);
    const auto last = cand.begin() + static_cast<std::ptrdiff_t>(runs[r]);
    if (!std::is_sorted(first, last, before)) std::sort(first, last, before);
    if (from > 0) std::inplace_merge(cand.begin(), first, last, before);
    from = runs[r];
  }
  auto better = [](const entity& a, const entity& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.end - a.start > b.end - b.start;
  };
  const std::size_t first_out = out.size();
  for (const auto& c : cand) {
    if (out.size() > first_out && c.start < out.back().end) {
      if (better(c, out.back())) out.back() = c;
      continue;
    }
    out.push_back(c);
  }
}

void detector::count(std::string_view text, entity_counts& counts) const {
  thread_local std::vector<entity> found;
  found.clear();
  scan(text, found);
  for (const auto& e : found) ++counts[static_cast<std::size_t>(e.type)];
}

}  // namespace lp::redact

namespace lp::redact::detail {

using namespace lp::redact::patterns;

// Anchors at upper-case ASCII letters, found here rather than by the regex engine: these
// patterns start with a character class, not a literal, and cost Hyperscan more than the rest of
// its database together. Each is reported as the pattern's match would be (end offset; every
// handler looks back from there):
//   p_iban   [A-Z]{2}[0-9]{2}
//   p_doc    [CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}
//   p_bic8   [A-Z]{6}[A-Z0-9]{2}          p_bic11  [A-Z]{6}[A-Z0-9]{5}
//   p_plate  [ -][A-Z]{1,2}[ -]?[0-9]
//   p_icd    [A-TV-Z][0-9]{2}\.[0-9]
//   p_rvnr   [0-9]{2} ?[0-9]{6} ?[A-Z] ?[0-9]{2} ?[0-9]
// Each match has one upper-case letter in a fixed place (the first of its letters), followed by
// anything but a lower-case letter, so capitalised words (most upper-case letters) are skipped
// 64 bytes at a time.
void upper_anchors(std::string_view s, const char_index& idx, std::vector<match>& m) {
  const std::size_t n = s.size();
  auto up = [&](std::size_t k) { return k < n && s[k] >= 'A' && s[k] <= 'Z'; };
  auto dig = [&](std::size_t k) { return k < n && s[k] >= '0' && s[k] <= '9'; };
  auto up_or_dig = [&](std::size_t k) { return up(k) || dig(k); };
  auto sep = [&](std::size_t k) { return k < n && (s[k] == ' ' || s[k] == '-'); };
  // letters of German ID card and passport serials
  auto doc_letter = [](char c) {
    switch (c) {
      case 'C': case 'F': case 'G': case 'H': case 'J': case 'K': case 'L': case 'M': case 'N': case 'P':
      case 'R': case 'T': case 'V': case 'W': case 'X': case 'Y': case 'Z':
        return true;
      default:
        return false;
    }
  };
  auto doc_char = [&](std::size_t k) { return dig(k) || (k < n && doc_letter(s[k])); };
  const std::size_t nw = idx.words();
  for (std::size_t w = 0; w < nw; ++w) {
    const std::uint64_t alpha = idx.word_in(char_index::alpha, w), lower = idx.word_in(char_index::lower, w);
    const std::uint64_t lower_next = (lower >> 1) | (idx.word(char_index::lower, w + 1) << 63);
    std::uint64_t c = alpha & ~lower & ~lower_next;
    while (c) {
      const std::size_t p = (w << 6) + static_cast<std::size_t>(std::countr_zero(c));
      c &= c - 1;
      if (up(p + 1) && dig(p + 2) && dig(p + 3)) m.push_back({p_iban, p, p + 4});
      if (doc_letter(s[p])) {
        bool ok = true;
        for (std::size_t k = 1; k < 9 && ok; ++k) ok = doc_char(p + k);
        if (ok) m.push_back({p_doc, p, p + 9});
      }
      if (up(p + 1) && up(p + 2) && up(p + 3) && up(p + 4) && up(p + 5) && up_or_dig(p + 6) && up_or_dig(p + 7)) {
        m.push_back({p_bic8, p, p + 8});
        if (up_or_dig(p + 8) && up_or_dig(p + 9) && up_or_dig(p + 10)) m.push_back({p_bic11, p, p + 11});
      }
      if (p > 0 && (s[p - 1] == ' ' || s[p - 1] == '-')) {
        if (dig(p + 1)) {
          m.push_back({p_plate, p - 1, p + 2});
        } else if (sep(p + 1) && dig(p + 2)) {
          m.push_back({p_plate, p - 1, p + 3});
        } else if (up(p + 1)) {
          if (dig(p + 2)) {
            m.push_back({p_plate, p - 1, p + 3});
          } else if (sep(p + 2) && dig(p + 3)) {
            m.push_back({p_plate, p - 1, p + 4});
          }
        }
      }
      if (s[p] != 'U' && dig(p + 1) && dig(p + 2) && p + 3 < n && s[p + 3] == '.' && dig(p + 4)) {
        m.push_back({p_icd, p, p + 5});
      }
      // Rentenversicherungsnummer: the letter in the middle; digits and optional spaces around it
      if (p > 0 && (s[p - 1] == ' ' || dig(p - 1))) {
        std::size_t b = p;
        if (s[b - 1] == ' ') --b;
        bool ok = b >= 6;
        for (std::size_t k = 1; k <= 6 && ok; ++k) ok = dig(b - k);
        if (ok) {
          b -= 6;
          if (b > 0 && s[b - 1] == ' ') --b;
          ok = b >= 2 && dig(b - 1) && dig(b - 2);
        }
        std::size_t q = p + 1;
        if (ok) {
          if (q < n && s[q] == ' ') ++q;
          ok = dig(q) && dig(q + 1);
          q += 2;
          if (ok && q < n && s[q] == ' ') ++q;
          ok = ok && dig(q);
        }
        if (ok) m.push_back({p_rvnr, b - 2, q + 1});
      }
    }
  }
}

}  // namespace lp::redact::detail
