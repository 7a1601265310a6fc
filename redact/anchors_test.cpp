// The anchors found in C++ are exactly the matches of the regular expressions they replace:
// random strings over the characters that matter, compared with Hyperscan's matches.
#include "redact/anchors.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <random>
#include <set>
#include <utility>

#include "redact/detector_patterns.h"

using namespace lp::redact;
using namespace lp::redact::patterns;

namespace {

using found = std::set<std::pair<unsigned, std::size_t>>;

int on_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
  static_cast<found*>(ctx)->insert({id, static_cast<std::size_t>(to)});
  return 0;
}

struct regex_reference {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  regex_reference() {
    const char* exprs[] = {"[A-Z]{2}[0-9]{2}",
                           "[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}",
                           "[A-Z]{6}[A-Z0-9]{2}",
                           "[A-Z]{6}[A-Z0-9]{5}",
                           "[ -][A-Z]{1,2}[ -]?[0-9]",
                           "[A-TV-Z][0-9]{2}\\.[0-9]",
                           "[0-9]{2} ?[0-9]{6} ?[A-Z] ?[0-9]{2} ?[0-9]"};
    const unsigned ids[] = {p_iban, p_doc, p_bic8, p_bic11, p_plate, p_icd, p_rvnr};
    const unsigned flags[] = {0, 0, 0, 0, 0, 0, 0};
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs, flags, ids, 7, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
      hs_free_compile_error(err);
      db = nullptr;
      return;
    }
    hs_alloc_scratch(db, &scratch);
  }
  ~regex_reference() {
    hs_free_scratch(scratch);
    hs_free_database(db);
  }
  found scan(const std::string& s) const {
    found f;
    if (!s.empty()) hs_scan(db, s.data(), static_cast<unsigned>(s.size()), 0, scratch, on_match, &f);
    return f;
  }
};

found ours(const std::string& s) {
  char_index idx;
  idx.build(s);
  std::vector<detail::match> m;
  detail::upper_anchors(s, idx, m);
  found f;
  for (const auto& x : m) f.insert({x.id, x.to});
  EXPECT_EQ(f.size(), m.size()) << "an anchor was reported twice in: " << s;
  return f;
}

}  // namespace

TEST(UpperAnchors, AgreeWithTheirRegularExpressions) {
  const regex_reference ref;
  ASSERT_NE(ref.db, nullptr);
  std::mt19937 rng(42);
  // upper-case letters (document letters and others, U for the ICD rule), digits, separators,
  // a lower-case letter, a non-ASCII letter
  const std::vector<std::string> alphabet = {"A", "B", "C", "D", "E", "F", "K", "T", "U", "Z", "0", "1", "5", "9",
                                             "0", "3", " ", "-", ".", "a", "x", "\xC3\x84", "\n"};
  for (int round = 0; round < 30000; ++round) {
    std::string s;
    const int len = static_cast<int>(rng() % 70);
    for (int k = 0; k < len; ++k) s += alphabet[rng() % alphabet.size()];
    ASSERT_EQ(ours(s), ref.scan(s)) << "text: \"" << s << "\"";
  }
}

TEST(UpperAnchors, FindValuesAcrossBlockBoundaries) {
  const regex_reference ref;
  ASSERT_NE(ref.db, nullptr);
  // values placed so that they straddle the 64-byte blocks of the character index
  for (std::size_t pad = 50; pad < 70; ++pad) {
    for (const std::string v : {"DE89 3704", "T22000129", "COBADEFFXXX", "WES-AB 123", "F32.1", "15 070649 C 103"}) {
      const std::string s = std::string(pad, 'x') + " " + v + " y";
      ASSERT_EQ(ours(s), ref.scan(s)) << "text: \"" << s << "\"";
    }
  }
}
