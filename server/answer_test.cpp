#include "server/answer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "schema/sse.h"

namespace lp::answer {
namespace {
namespace json = boost::json;

redact::pseudonym_map two_people() {
  redact::pseudonym_map pm;
  pm.placeholder(redact::entity_type::email, "anna@example.org");
  pm.placeholder(redact::entity_type::iban, "DE89370400440532013000");
  return pm;
}

TEST(Answer, RestoresPlaceholdersAndAppendsInCompleteAnswers) {
  const auto pm = two_people();
  edits e;
  e.pseudonyms = &pm;
  e.appendix = "\n\n---\nKI-generiert";
  std::string body = R"({"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"An <EMAIL_1>: IBAN <IBAN_1>."},"finish_reason":"stop"},
    {"index":1,"message":{"role":"assistant","content":null,"tool_calls":[{"type":"function","function":{"name":"f","arguments":"{\"to\":\"<EMAIL_1>\"}"}}]}}],"usage":{"total_tokens":3}})";
  ASSERT_TRUE(rewrite(body, e));
  const auto v = json::parse(body);
  const auto& c = v.at("choices").as_array();
  EXPECT_EQ(c[0].at("message").at("content").as_string(), "An anna@example.org: IBAN DE89370400440532013000.\n\n---\nKI-generiert");
  EXPECT_TRUE(c[1].at("message").at("content").is_null());
  EXPECT_EQ(c[1].at("message").at("tool_calls").at(0).at("function").at("arguments").as_string(),
            R"({"to":"anna@example.org"})");
  EXPECT_EQ(v.at("usage").at("total_tokens").as_int64(), 3);

  std::string legacy = R"({"choices":[{"index":0,"text":"<EMAIL_1>","finish_reason":"stop"}]})";
  ASSERT_TRUE(rewrite(legacy, e));
  EXPECT_EQ(json::parse(legacy).at("choices").at(0).at("text").as_string(), "anna@example.org\n\n---\nKI-generiert");

  std::string not_an_answer = R"({"data":[]})";
  EXPECT_FALSE(rewrite(not_an_answer, e));
  EXPECT_EQ(not_an_answer, R"({"data":[]})");
}

std::string chunk(std::string_view content, bool finish) {
  json::object d;
  if (!content.empty()) d["content"] = content;
  json::object c{{"index", 0}, {"delta", std::move(d)}};
  c["finish_reason"] = finish ? json::value("stop") : json::value(nullptr);
  json::object o{{"id", "c1"}, {"object", "chat.completion.chunk"}, {"model", "m"}};
  o["choices"] = json::array{std::move(c)};
  return "data: " + json::serialize(o) + "\n\n";
}

// The text a client assembles from the events.
std::string assembled(std::string_view stream) {
  sse::splitter sp;
  sp.feed(stream);
  std::string text;
  std::string_view ev;
  while (sp.next(ev)) {
    const auto data = sse::data_of(ev);
    if (data == "[DONE]") break;
    const auto v = json::parse(data);
    for (const auto& c : v.at("choices").as_array()) {
      const auto& d = c.at("delta").as_object();
      if (auto* t = d.if_contains("content"); t && t->is_string()) text += t->get_string();
    }
  }
  return text;
}

TEST(Answer, StreamRestoresPlaceholdersSplitAcrossEventsAndAppendsAtFinish) {
  const auto pm = two_people();
  edits e;
  e.pseudonyms = &pm;
  e.appendix = "\n\nHinweis";
  stream_rewriter rw(e);
  std::string out;
  for (const auto& ev : {chunk("Sehr geehrte <EMA", false), chunk("IL_1>, Ihre IBAN <", false),
                         chunk("IBAN_1", false), chunk(">.", false), chunk("", true)}) {
    rw.event(ev, out);
  }
  rw.event("data: [DONE]\n\n", out);
  rw.finish(out);
  EXPECT_EQ(assembled(out), "Sehr geehrte anna@example.org, Ihre IBAN DE89370400440532013000.\n\nHinweis");
  EXPECT_EQ(out.find("<EMA"), std::string::npos);
  EXPECT_NE(out.find("data: [DONE]"), std::string::npos);
}

TEST(Answer, StreamRewriterCollectsTheTextAsTheServiceSentIt) {
  const auto pm = two_people();
  edits e;
  e.pseudonyms = &pm;
  stream_rewriter rw(e);
  std::string out, collected;
  for (const auto& ev : {chunk("An <EMA", false), chunk("IL_1>.", false), chunk("", true)}) rw.event(ev, out, &collected);
  EXPECT_EQ(collected, "An <EMAIL_1>.");  // what the response scan counts: placeholders, not the restored values
  EXPECT_EQ(assembled(out), "An anna@example.org.");
}

TEST(Answer, StreamWithoutFinishFlushesBeforeDone) {
  const auto pm = two_people();
  edits e;
  e.pseudonyms = &pm;
  stream_rewriter rw(e);
  std::string out;
  rw.event(chunk("bis <EMAIL_", false), out);
  rw.event("data: [DONE]\n\n", out);
  EXPECT_EQ(assembled(out), "bis <EMAIL_");
  EXPECT_LT(out.find("<EMAIL_"), out.find("[DONE]"));
  // Usage-only and non-JSON events pass unchanged.
  std::string more;
  rw.event("data: {\"choices\":[],\"usage\":{\"total_tokens\":1}}\n\n", more);
  rw.event(": keep-alive\n\n", more);
  EXPECT_EQ(more, "data: {\"choices\":[],\"usage\":{\"total_tokens\":1}}\n\n: keep-alive\n\n");
}

}  // namespace
}  // namespace lp::answer
