#include "audit/writer.h"

#include <gtest/gtest.h>

using namespace lp::audit;

namespace {
record sample() {
  record r;
  r.record_id = "rec1";
  r.request_id = "req-1";
  r.ts = std::chrono::system_clock::time_point(std::chrono::microseconds(1'700'000'000'123'456LL));
  r.user_ref = "u";
  r.department = "sozial\tamt\\x\n";
  r.role = "staff";
  r.endpoint = "/v1/chat/completions";
  r.upstream = "mock";
  r.model = "m";
  r.policy_version = "v";
  r.policy_digest = "d";
  r.decision = outcome::redacted;
  r.rule_ids = {"allow-a", "we\"ird\\"};
  r.entity_counts = {{"EMAIL", 2}, {"IBAN", 1}};
  r.prompt_tokens = 3;
  r.completion_tokens = -1;
  r.total_tokens = 7;
  r.latency_ms = 1.5;
  r.upstream_ms = -1;
  r.status = 200;
  r.stream = true;
  r.purpose = "bescheid";
  r.acknowledged = true;
  return r;
}
}  // namespace

TEST(CopyLine, FormatsEveryColumnInCopyTextFormat) {
  const std::string line = copy_line(sample(), "gw-1");
  EXPECT_EQ(line,
            "rec1\treq-1\t2023-11-14 22:13:20.123456+00\tgw-1\tu\tsozial\\tamt\\\\x\\n\tstaff\t"
            "/v1/chat/completions\tmock\tm\tv\td\tredacted\t{\"allow-a\",\"we\\\\\"ird\\\\\\\\\"}\t"
            "{\"EMAIL\":2,\"IBAN\":1}\t3\t\\N\t7\t1.500\t\\N\t200\t\\N\tt\tbescheid\tt\t\\N\t{}\tdefault"
            "\t\\N\t\\N\t\\N");
}

TEST(CopyLine, HasOneFieldPerColumn) {
  record r;
  r.record_id = "x";
  r.request_id = "y";
  r.endpoint = "/v1/models";
  const std::string line = copy_line(r, "i");
  std::size_t fields = 1;
  for (char c : line) fields += c == '\t';
  std::size_t columns = 1;
  for (const char* p = copy_columns; *p; ++p) columns += *p == ',';
  EXPECT_EQ(fields, columns);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}
