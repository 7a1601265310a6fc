#include "redact/detector.h"

#include <gtest/gtest.h>

#include "redact/apply.h"

using namespace lp::redact;

namespace {
std::vector<entity> scan(std::string_view text) {
  static auto d = detector::create();
  std::vector<entity> out;
  d->scan(text, out);
  return out;
}
std::string span_of(std::string_view text, const entity& e) {
  return std::string(text.substr(e.start, e.end - e.start));
}
operator_table mask_all() {
  operator_table t{};
  t.fill(operator_kind::mask);
  return t;
}
}  // namespace

TEST(Detector, FindsEmailWithByteOffsetsAfterUmlauts) {
  const std::string_view text = "Sehr geehrte Frau Müller, bitte an anna.mueller@kreis-wesel.de.";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].type, entity_type::email);
  EXPECT_EQ(span_of(text, e[0]), "anna.mueller@kreis-wesel.de");
}

TEST(Detector, FindsInternationalisedEmail) {
  const std::string_view text = "Kontakt: jürgen.groß@stadt-düsseldorf.de, danke";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(span_of(text, e[0]), "jürgen.groß@stadt-düsseldorf.de");
}

TEST(Detector, IgnoresAtSignsThatAreNotAddresses) {
  EXPECT_TRUE(scan("Treffen @ 10 Uhr, user@localhost, a@b.c, @handle").empty());
  EXPECT_TRUE(scan("„Zitat“@").empty());
}

TEST(Detector, FindsValidIbansInBothForms) {
  const std::string_view text =
      "IBAN DE89 3704 0044 0532 0130 00 oder DE89370400440532013000; falsch: DE88370400440532013000";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(span_of(text, e[0]), "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(span_of(text, e[1]), "DE89370400440532013000");
  EXPECT_EQ(e[0].type, entity_type::iban);
}

TEST(Detector, RejectsIbanEmbeddedInLongerToken) {
  EXPECT_TRUE(scan("XDE89370400440532013000").empty());
  EXPECT_TRUE(scan("DE893704004405320130001").empty());
}

TEST(Detector, IsSafeOnEmptyAndBinaryishInput) {
  EXPECT_TRUE(scan("").empty());
  EXPECT_TRUE(scan(std::string(1000, '@')).empty());
}

TEST(Apply, MasksSpansInOrder) {
  const std::string text = "Mail max@example.org, IBAN GB82WEST12345698765432 ok";
  auto e = scan(text);
  ASSERT_EQ(e.size(), 2u);
  pseudonym_map pm;
  EXPECT_EQ(apply(text, e, mask_all(), pm), "Mail [EMAIL], IBAN [IBAN] ok");
  operator_table keep_iban = mask_all();
  keep_iban[static_cast<std::size_t>(entity_type::iban)] = operator_kind::keep;
  EXPECT_EQ(apply(text, e, keep_iban, pm), "Mail [EMAIL], IBAN GB82WEST12345698765432 ok");
  EXPECT_TRUE(pm.empty());
}

TEST(Apply, PseudonymsAreStableAcrossTextsAndRestored) {
  operator_table ops{};
  ops.fill(operator_kind::pseudonymize);
  pseudonym_map pm;
  const std::string a = "Von a@example.org an b@example.org";
  const std::string b = "Antwort an a@example.org, IBAN GB82WEST12345698765432";
  const auto ra = apply(a, scan(a), ops, pm);
  const auto rb = apply(b, scan(b), ops, pm);
  EXPECT_EQ(ra, "Von <EMAIL_1> an <EMAIL_2>");
  EXPECT_EQ(rb, "Antwort an <EMAIL_1>, IBAN <IBAN_1>");
  EXPECT_EQ(pm.size(), 3u);
  EXPECT_EQ(pm.restore("<EMAIL_2> schreibt <EMAIL_1> wegen <IBAN_1>; <EMAIL_9> und <EMAIL_1"),
            "b@example.org schreibt a@example.org wegen GB82WEST12345698765432; <EMAIL_9> und <EMAIL_1");
  EXPECT_EQ(pm.restore("a < b <<EMAIL_1>>"), "a < b <a@example.org>");
}

TEST(Apply, StreamRestorerJoinsPlaceholdersSplitAcrossPieces) {
  operator_table ops{};
  ops.fill(operator_kind::pseudonymize);
  pseudonym_map pm;
  const std::string a = "x a@example.org y b@example.org";
  (void)apply(a, scan(a), ops, pm);
  // Every way of cutting the answer into two or three pieces restores the same text.
  const std::string answer = "Hallo <EMAIL_1>, bitte <EMAIL_2> < 3 informieren.<EMAIL_1>";
  const std::string want = pm.restore(answer);
  EXPECT_EQ(want, "Hallo a@example.org, bitte b@example.org < 3 informieren.a@example.org");
  for (std::size_t i = 0; i <= answer.size(); ++i) {
    for (std::size_t j = i; j <= answer.size(); ++j) {
      stream_restorer sr(pm);
      std::string got = sr.feed(answer.substr(0, i));
      got += sr.feed(answer.substr(i, j - i));
      got += sr.feed(answer.substr(j));
      got += sr.flush();
      ASSERT_EQ(got, want) << i << "," << j;
    }
  }
  // Text that cannot become a placeholder is not held back.
  stream_restorer sr(pm);
  EXPECT_EQ(sr.feed("a <b"), "a <b");
  EXPECT_EQ(sr.feed("c <EM"), "c ");
  EXPECT_EQ(sr.feed("x"), "<EMx");
  EXPECT_EQ(sr.feed("<EMAIL_"), "");
  EXPECT_TRUE(sr.holding());
  EXPECT_EQ(sr.flush(), "<EMAIL_");
}
