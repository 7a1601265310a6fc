#include "core/utf8.h"

#include <gtest/gtest.h>

#include "core/request_id.h"

TEST(Utf8, AcceptsGermanText) {
  EXPECT_TRUE(lp::utf8::valid("Grüße aus Düsseldorf, Straße 5 – €"));
  EXPECT_TRUE(lp::utf8::valid("\xF0\x9F\x98\x80 emoji"));
}

TEST(Utf8, RejectsIllFormedSequences) {
  EXPECT_FALSE(lp::utf8::valid("abc\xC3\x28"));          // bad continuation
  EXPECT_FALSE(lp::utf8::valid("\xC0\xAF"));             // overlong
  EXPECT_FALSE(lp::utf8::valid("\xED\xA0\x80"));         // surrogate
  EXPECT_FALSE(lp::utf8::valid("\xF4\x90\x80\x80"));     // above U+10FFFF
  EXPECT_FALSE(lp::utf8::valid("ok\xE2\x82"));           // truncated
  EXPECT_EQ(lp::utf8::first_invalid("12345678901\xFF"), 11u);
}

TEST(RequestId, ValidatesClientIds) {
  EXPECT_TRUE(lp::valid_request_id("abc-123_x.y"));
  EXPECT_FALSE(lp::valid_request_id(""));
  EXPECT_FALSE(lp::valid_request_id("a b"));
  EXPECT_FALSE(lp::valid_request_id(std::string(65, 'a')));
}

TEST(RequestId, GeneratesDistinctHexIds) {
  auto a = lp::new_request_id();
  auto b = lp::new_request_id();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(lp::valid_request_id(a));
}
