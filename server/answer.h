// Edits to the AI service's answer before staff see it: placeholders of reversible pseudonyms
// are put back, and an appendix (the Art. 50 AI label for citizen-facing use cases, notices of
// warn rules) is added to the answer text. Works on complete answers and on SSE streams, where
// a placeholder may be split across events.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "redact/pseudonyms.h"

namespace lp::answer {

struct edits {
  const redact::pseudonym_map* pseudonyms = nullptr;  // restore these placeholders
  std::string appendix;  // appended to each choice's text; empty: nothing

  bool active() const { return (pseudonyms && !pseudonyms->empty()) || !appendix.empty(); }
};

// Rewrites a complete chat or text completion: choices[].message.content (and tool call
// arguments) or choices[].text. Returns false, leaving `body` unchanged, when it is not such an
// answer.
bool rewrite(std::string& body, const edits& e);

// Upper bound on the answer text collected from a stream for scanning.
inline constexpr std::size_t max_collected_text = 4 * 1024 * 1024;

// Rewrites an SSE stream event by event.
class stream_rewriter {
 public:
  explicit stream_rewriter(const edits& e) : e_(e) {}

  // Appends `event` (one complete SSE event), rewritten where needed, to `out`. When `collected`
  // is given, the event's text as the service sent it is appended there too (response scanning,
  // up to max_collected_text bytes), from the same parse.
  void event(std::string_view event, std::string& out, std::string* collected = nullptr);
  // At the end of the stream: appends an event with whatever is still held back (a stream that
  // ended without a finish_reason), so no text is lost.
  void finish(std::string& out);

 private:
  struct choice {
    std::optional<redact::stream_restorer> restorer;
    bool had_text = false;
    bool finished = false;
    bool chat = true;  // delta.content (chat) or text (legacy completions)
  };
  choice& state(std::int64_t index);
  void flush_all(std::string& out);

  const edits& e_;
  std::map<std::int64_t, choice> choices_;
  boost::json::object meta_;  // id, object, created, model of the last event (for our own event)
};

}  // namespace lp::answer
