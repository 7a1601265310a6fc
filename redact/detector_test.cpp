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
  EXPECT_EQ(apply(text, e, mask_all()), "Mail [EMAIL], IBAN [IBAN] ok");
  operator_table keep_iban = mask_all();
  keep_iban[static_cast<std::size_t>(entity_type::iban)] = operator_kind::keep;
  EXPECT_EQ(apply(text, e, keep_iban), "Mail [EMAIL], IBAN GB82WEST12345698765432 ok");
}
