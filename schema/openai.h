// The OpenAI-compatible request and response formats the gateway understands. Unknown fields
// are kept as they are: the gateway edits only the text fields it redacts.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "schema/errors.h"

namespace lp::openai {

// The proxied endpoints.
enum class endpoint : unsigned char {
  chat_completions,  // POST /v1/chat/completions
  completions,       // POST /v1/completions
  embeddings,        // POST /v1/embeddings
};

std::string_view path_of(endpoint e);  // "/chat/completions" ... (relative to /v1)

// Maximum JSON nesting accepted in a request (Boost.JSON default is 32).
inline constexpr std::size_t max_json_depth = 64;

// A parsed, shape-checked request.
struct request {
  endpoint kind;
  boost::json::object body;
  std::string model;
  bool stream = false;
  bool client_wants_usage = false;  // stream_options.include_usage was set by the client
};

// A request error: the reason and a short English/German-neutral detail (field name).
struct parse_error {
  reason why;
  std::string detail;
};

// Validates UTF-8, parses JSON, checks the shape for `kind`. Never throws.
// On error returns std::nullopt and fills `err`.
std::optional<request> parse_request(endpoint kind, std::string_view body, parse_error& err);

// Calls f(boost::json::string&) for every text the user supplied that goes to the model:
// message contents (string or text parts), names and tool-call arguments of chat messages,
// `prompt` of completions,
// `input` of embeddings (strings only; token arrays carry no text).
template <class F>
void for_each_text(request& r, F&& f);

// Token usage as reported by the upstream.
struct usage {
  std::int64_t prompt_tokens = -1;  // -1: not reported
  std::int64_t completion_tokens = -1;
  std::int64_t total_tokens = -1;
};

// Reads the "usage" object of a response or stream chunk, if any.
std::optional<usage> usage_of(const boost::json::value& v);

// Finds the top-level "usage" object in the JSON text of a complete response without parsing
// the whole answer: only the object after the last "usage" key is parsed. (Inside JSON strings
// the quotes of a "usage" would be escaped, so the key cannot be confused with content.)
std::optional<usage> find_usage(std::string_view json_text);

// --- implementation of the template ---------------------------------------------------

namespace detail {
template <class F>
void visit_content(boost::json::value& content, F& f) {
  if (auto* s = content.if_string()) {
    f(*s);
  } else if (auto* parts = content.if_array()) {
    for (auto& p : *parts) {
      if (auto* po = p.if_object()) {
        if (auto* t = po->if_contains("text"); t && t->is_string()) f(t->get_string());
      } else if (p.is_string()) {
        f(p.get_string());
      }
    }
  }
}
}  // namespace detail

template <class F>
void for_each_text(request& r, F&& f) {
  switch (r.kind) {
    case endpoint::chat_completions: {
      if (auto* u = r.body.if_contains("user"); u && u->is_string()) f(u->get_string());
      auto& msgs = r.body["messages"].get_array();
      for (auto& m : msgs) {
        auto& mo = m.get_object();
        if (auto* c = mo.if_contains("content")) detail::visit_content(*c, f);
        if (auto* n = mo.if_contains("name"); n && n->is_string()) f(n->get_string());
        // Arguments of earlier tool calls (a JSON document in a string) carry data too.
        if (auto* calls = mo.if_contains("tool_calls"); calls && calls->is_array()) {
          for (auto& call : calls->get_array()) {
            auto* co = call.if_object();
            auto* fn = co ? co->if_contains("function") : nullptr;
            auto* args = fn && fn->is_object() ? fn->get_object().if_contains("arguments") : nullptr;
            if (args && args->is_string()) f(args->get_string());
          }
        }
        if (auto* fc = mo.if_contains("function_call"); fc && fc->is_object()) {
          if (auto* args = fc->get_object().if_contains("arguments"); args && args->is_string()) f(args->get_string());
        }
      }
      break;
    }
    case endpoint::completions:
      if (auto* p = r.body.if_contains("prompt")) detail::visit_content(*p, f);
      break;
    case endpoint::embeddings:
      if (auto* p = r.body.if_contains("input")) detail::visit_content(*p, f);
      break;
  }
}

}  // namespace lp::openai
