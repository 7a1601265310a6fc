#include "schema/sse.h"

#include <gtest/gtest.h>

using lp::sse::splitter;

TEST(Sse, YieldsEventsOnlyWhenComplete) {
  splitter s;
  std::string_view ev;
  s.feed("data: {\"a\":1}\n");
  EXPECT_FALSE(s.next(ev));
  s.feed("\ndata: [DO");
  ASSERT_TRUE(s.next(ev));
  EXPECT_EQ(ev, "data: {\"a\":1}\n\n");
  EXPECT_EQ(lp::sse::data_of(ev), "{\"a\":1}");
  EXPECT_FALSE(s.next(ev));
  s.feed("NE]\r\n\r\n");
  ASSERT_TRUE(s.next(ev));
  EXPECT_EQ(lp::sse::data_of(ev), "[DONE]");
  EXPECT_EQ(s.pending(), 0u);
}

TEST(Sse, JoinsMultiLineDataAndIgnoresComments) {
  EXPECT_EQ(lp::sse::data_of(": keep-alive\nevent: x\ndata: a\ndata:b\n\n"), "a\nb");
  EXPECT_EQ(lp::sse::data_of(": comment only\n\n"), "");
}

TEST(Sse, SplitsManyEventsFedByteByByte) {
  const std::string stream = "data: 1\n\ndata: 2\n\ndata: 3\n\n";
  splitter s;
  std::string_view ev;
  int n = 0;
  for (char c : stream) {
    s.feed(std::string_view(&c, 1));
    while (s.next(ev)) ++n;
  }
  EXPECT_EQ(n, 3);
}
