#include "redact/detector.h"

#include <hs/hs.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "redact/checksums.h"

namespace lp::redact {
namespace {

// Pattern ids in the Hyperscan database.
enum pattern_id : unsigned {
  email_anchor = 0,  // a local-part character, '@', a domain character
  iban_anchor = 1,   // two capital letters and two digits (country code + check digits)
};

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
    case '\'': case '*': case '/': case '=': case '?': case '^': case '`': case '{': case '|':
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

struct match_ctx {
  std::vector<unsigned long long> email_at;   // positions of '@'
  std::vector<unsigned long long> iban_from;  // candidate starts
};

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long to, unsigned int,
             void* ctx) {
  auto* m = static_cast<match_ctx*>(ctx);
  if (id == email_anchor) {
    m->email_at.push_back(to - 2);
  } else if (id == iban_anchor) {
    m->iban_from.push_back(to - 4);
  }
  return 0;  // continue scanning
}

struct scratch_holder {
  hs_scratch_t* scratch = nullptr;
  ~scratch_holder() {
    if (scratch) hs_free_scratch(scratch);
  }
};

}  // namespace

std::shared_ptr<const detector> detector::create() {
  const char* patterns[] = {
      R"([A-Za-z0-9_%+\-\x80-\xBF]@[A-Za-z0-9\xC3-\xC5])",
      R"([A-Z]{2}[0-9]{2})",
  };
  const unsigned flags[] = {0, 0};
  const unsigned ids[] = {email_anchor, iban_anchor};
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(patterns, flags, ids, 2, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::string msg = std::string("redactor pattern compilation failed: ") +
                      (err && err->message ? err->message : "unknown error");
    hs_free_compile_error(err);
    throw std::runtime_error(msg);
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
  // hs_alloc_scratch grows an existing scratch to fit this database; cheap when it fits.
  if (hs_alloc_scratch(db_, &tl.scratch) != HS_SUCCESS) {
    throw std::bad_alloc();
  }
  thread_local match_ctx m;
  m.email_at.clear();
  m.iban_from.clear();
  if (text.size() > 0xffffffffu ||
      hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, tl.scratch, on_match, &m) != HS_SUCCESS) {
    // Never report "nothing found" for a text that was not scanned.
    throw std::runtime_error("personal-data scan failed");
  }

  const std::size_t first = out.size();
  std::size_t last_end = 0;
  entity e{};
  for (auto at : m.email_at) {
    if (at < last_end) continue;  // the same address seen through another anchor
    if (expand_email(text, at, e)) {
      out.push_back(e);
      last_end = e.end;
    }
  }
  last_end = 0;
  for (auto from : m.iban_from) {
    if (from < last_end) continue;
    if (expand_iban(text, from, e)) {
      out.push_back(e);
      last_end = e.end;
    }
  }
  // Merge both kinds into start order; on overlap keep the earlier (then longer) span.
  std::sort(out.begin() + first, out.end(), [](const entity& a, const entity& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::size_t w = first;
  for (std::size_t r = first; r < out.size(); ++r) {
    if (w > first && out[r].start < out[w - 1].end) continue;
    out[w++] = out[r];
  }
  out.resize(w);
}

void detector::count(std::string_view text, entity_counts& counts) const {
  thread_local std::vector<entity> found;
  found.clear();
  scan(text, found);
  for (const auto& e : found) ++counts[static_cast<std::size_t>(e.type)];
}

}  // namespace lp::redact
