#include "audit/spool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/request_id.h"

using namespace lp::audit;

namespace {
record sample(int i) {
  record r;
  r.record_id = "rec-" + std::to_string(i);
  r.request_id = "req \"" + std::to_string(i) + "\"\n\t\\";
  r.ts = std::chrono::system_clock::time_point(std::chrono::microseconds(1'700'000'000'000'000LL + i));
  r.user_ref = "2026Q4:abc";
  r.department = "sozialamt";
  r.endpoint = "/v1/chat/completions";
  r.decision = outcome::redacted;
  r.rule_ids = {"a", "b"};
  r.entity_counts = {{"EMAIL", 2}};
  r.prompt_tokens = 5;
  r.latency_ms = 1.25;
  r.upstream_ms = -1;
  r.status = 200;
  r.review_text = "[IBAN] bitte prüfen";
  r.review_days = 7;
  return r;
}

std::string temp_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("lp-spool-test-" + lp::new_request_id().substr(0, 8));
  std::filesystem::create_directories(dir);
  return dir.string();
}
}  // namespace

TEST(Spool, RecordsSurviveEncodingExactly) {
  chain_tip tip;
  record r = sample(1);
  link(r, "gw:1", tip);
  record back;
  ASSERT_TRUE(spool::decode(spool::encode(r, "gw:1"), back));
  EXPECT_EQ(canonical(back, "gw:1"), canonical(r, "gw:1"));
  EXPECT_EQ(back.seq, r.seq);
  EXPECT_EQ(back.prev_hash, r.prev_hash);
  EXPECT_EQ(back.hash, r.hash);
  EXPECT_EQ(back.review_text, r.review_text);
  EXPECT_EQ(back.review_days, 7u);
  // a changed byte fails the checksum
  std::string line = spool::encode(r, "gw:1");
  line[line.size() / 2] ^= 1;
  EXPECT_FALSE(spool::decode(line, back));
}

TEST(Spool, AppendsReadsSkipsATornLineAndClears) {
  const std::string dir = temp_dir();
  {
    spool s(dir, "gw:1");
    chain_tip tip;
    std::deque<record> batch;
    for (int i = 0; i < 3; ++i) {
      batch.push_back(sample(i));
      link(batch.back(), "gw:1", tip);
    }
    ASSERT_TRUE(s.append(batch));
    EXPECT_EQ(s.pending(), 3u);
    s.save_tip(tip);
    chain_tip loaded;
    ASSERT_TRUE(s.load_tip(loaded));
    EXPECT_EQ(loaded.seq, 3u);
    EXPECT_EQ(loaded.hash, tip.hash);
    // a write cut short by a crash
    std::ofstream(s.path(), std::ios::app) << "0123456789abcdef {\"record_id\":\"half";
    std::size_t torn = 0;
    const auto all = s.read_all(torn);
    EXPECT_EQ(all.size(), 3u);
    EXPECT_EQ(torn, 1u);
    EXPECT_EQ(all.back().seq, 3u);
  }
  {
    spool again(dir, "gw:1");  // reopened: what is pending is counted
    EXPECT_EQ(again.pending(), 3u);
    ASSERT_TRUE(again.clear());
    std::size_t torn = 0;
    EXPECT_TRUE(again.read_all(torn).empty());
  }
  // instances whose names differ only in special characters keep separate files
  spool a(dir, "gw:1"), b(dir, "gw_1");
  EXPECT_NE(a.path(), b.path());
  std::filesystem::remove_all(dir);
}
