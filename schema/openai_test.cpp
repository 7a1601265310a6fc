#include "schema/openai.h"

#include <gtest/gtest.h>

using namespace lp;
using namespace lp::openai;

namespace {
std::optional<request> parse(endpoint e, std::string_view body, parse_error& err) {
  return parse_request(e, body, err);
}
}  // namespace

TEST(OpenAiRequest, ParsesChatAndKeepsUnknownFields) {
  parse_error err;
  auto r = parse(endpoint::chat_completions,
                 R"({"model":"m","messages":[{"role":"user","content":"hi"}],"x_custom":{"a":1},"stream":true})",
                 err);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->model, "m");
  EXPECT_TRUE(r->stream);
  EXPECT_TRUE(r->body.contains("x_custom"));
}

TEST(OpenAiRequest, RejectsBadInputWithReasons) {
  parse_error err;
  EXPECT_FALSE(parse(endpoint::chat_completions, "{not json", err));
  EXPECT_EQ(err.why, reason::invalid_json);
  EXPECT_FALSE(parse(endpoint::chat_completions, "{\"model\":\"\xC3\x28\"}", err));
  EXPECT_EQ(err.why, reason::invalid_utf8);
  EXPECT_FALSE(parse(endpoint::chat_completions, R"({"model":"m","messages":"hi"})", err));
  EXPECT_EQ(err.why, reason::invalid_request);
  EXPECT_FALSE(parse(endpoint::chat_completions, R"({"messages":[]})", err));
  EXPECT_EQ(err.why, reason::invalid_request);
  EXPECT_FALSE(parse(endpoint::chat_completions, R"([1,2])", err));
  EXPECT_EQ(err.why, reason::invalid_request);
  EXPECT_FALSE(parse(endpoint::embeddings, R"({"model":"m","input":{"x":1}})", err));
  EXPECT_EQ(err.why, reason::invalid_request);
  std::string deep(200, '[');
  EXPECT_FALSE(parse(endpoint::chat_completions, deep, err));
}

TEST(OpenAiRequest, VisitsEveryUserText) {
  parse_error err;
  auto r = parse(endpoint::chat_completions,
                 R"({"model":"m","messages":[{"role":"system","content":"a"},
                    {"role":"user","content":[{"type":"text","text":"b"},{"type":"image_url","image_url":{"url":"u"}}]},
                    {"role":"assistant","content":null}]})",
                 err);
  ASSERT_TRUE(r);
  std::string seen;
  for_each_text(*r, [&](boost::json::string& s) { seen += s.c_str(); s = "X"; });
  EXPECT_EQ(seen, "ab");
  EXPECT_EQ(r->body["messages"].as_array()[1].as_object()["content"].as_array()[0].as_object()["text"],
            "X");
}

TEST(OpenAiResponse, ReadsUsage) {
  auto u = usage_of(boost::json::parse(R"({"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})"));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->total_tokens, 7);
  EXPECT_FALSE(usage_of(boost::json::parse(R"({"choices":[]})")));
}

TEST(OpenAiResponse, FindsUsageWithoutParsingTheAnswer) {
  auto u = find_usage(
      R"({"choices":[{"message":{"content":"say \"usage\": {\"total_tokens\": 99}"}}],)"
      R"( "usage" : {"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}})");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->prompt_tokens, 3);
  EXPECT_EQ(u->total_tokens, 7);
  EXPECT_FALSE(find_usage(R"({"choices":[{"message":{"content":"\"usage\": {}"}}]})"));
  EXPECT_FALSE(find_usage(R"({"usage": null})"));
  EXPECT_FALSE(find_usage(R"({"usage": {"prompt_tokens": 1)"));
}

TEST(ErrorBody, IsOpenAiShapedAndLocalised) {
  auto v = boost::json::parse(error_body(reason::policy_denied, language::de, "Regel x", "x"));
  EXPECT_EQ(v.at("error").at("code"), "policy_denied");
  EXPECT_EQ(v.at("error").at("type"), "policy_violation");
  EXPECT_EQ(v.at("error").at("rule"), "x");
  EXPECT_NE(std::string(v.at("error").at("message").as_string().c_str()).find("Richtlinie"), std::string::npos);
  auto en = boost::json::parse(error_body(reason::invalid_api_key, language::en));
  EXPECT_EQ(en.at("error").at("message"), "No valid API key. Check your key or contact IT.");
}
