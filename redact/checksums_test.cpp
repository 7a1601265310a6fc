#include "redact/checksums.h"

#include <gtest/gtest.h>

using lp::redact::iban_valid;

TEST(Iban, AcceptsValidIbansWithAndWithoutSpaces) {
  EXPECT_TRUE(iban_valid("DE89370400440532013000"));
  EXPECT_TRUE(iban_valid("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));
  EXPECT_TRUE(iban_valid("NL91ABNA0417164300"));
  EXPECT_TRUE(iban_valid("fr1420041010050500013m02606"));
}

TEST(Iban, RejectsWrongCheckDigitsAndLengths) {
  EXPECT_FALSE(iban_valid("DE88370400440532013000"));   // check digits off by one
  EXPECT_FALSE(iban_valid("DE8937040044053201300"));    // one digit short for DE
  EXPECT_FALSE(iban_valid("XX89370400440532013000"));   // unknown country
  EXPECT_FALSE(iban_valid("DE89370400440532013000123456789012345"));
  EXPECT_FALSE(iban_valid(""));
}
