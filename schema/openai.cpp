#include "schema/openai.h"

#include "core/utf8.h"

namespace lp::openai {
namespace json = boost::json;

std::string_view path_of(endpoint e) {
  switch (e) {
    case endpoint::chat_completions: return "/chat/completions";
    case endpoint::completions: return "/completions";
    case endpoint::embeddings: return "/embeddings";
  }
  return "";
}

namespace {
bool is_text_or_parts(const json::value& v) {
  if (v.is_string() || v.is_null()) return true;
  if (const auto* a = v.if_array()) {
    for (const auto& p : *a) {
      if (!p.is_object() && !p.is_string()) return false;
    }
    return true;
  }
  return false;
}

bool is_prompt(const json::value& v) {
  // string | array of strings | array of token ids | array of token arrays
  if (v.is_string()) return true;
  if (const auto* a = v.if_array()) {
    for (const auto& p : *a) {
      if (!p.is_string() && !p.is_int64() && !p.is_uint64() && !p.is_array()) return false;
    }
    return true;
  }
  return false;
}
}  // namespace

std::optional<request> parse_request(endpoint kind, std::string_view body, parse_error& err) {
  if (!utf8::valid(body)) {
    err = {reason::invalid_utf8, {}};
    return std::nullopt;
  }
  json::parse_options opt;
  opt.max_depth = max_json_depth;
  boost::system::error_code ec;
  // One arena per request instead of an allocation per JSON node; it is freed with the body.
  // The first block is sized from the body, which the parsed tree rarely exceeds by much.
  json::storage_ptr arena = json::make_shared_resource<json::monotonic_resource>(body.size() * 2 + 1024);
  json::value v = json::parse(body, ec, arena, opt);
  if (ec) {
    err = {reason::invalid_json, {}};
    return std::nullopt;
  }
  auto* obj = v.if_object();
  if (!obj) {
    err = {reason::invalid_request, "(body must be a JSON object)"};
    return std::nullopt;
  }
  request r{kind, std::move(*obj), {}, false, false};
  auto* model = r.body.if_contains("model");
  if (!model || !model->is_string() || model->get_string().empty()) {
    err = {reason::invalid_request, "(model)"};
    return std::nullopt;
  }
  r.model = std::string(model->get_string());
  if (auto* s = r.body.if_contains("stream")) {
    if (!s->is_bool() && !s->is_null()) {
      err = {reason::invalid_request, "(stream)"};
      return std::nullopt;
    }
    r.stream = s->is_bool() && s->get_bool();
  }
  if (auto* so = r.body.if_contains("stream_options"); so && so->is_object()) {
    if (auto* iu = so->get_object().if_contains("include_usage"); iu && iu->is_bool()) {
      r.client_wants_usage = iu->get_bool();
    }
  }
  switch (kind) {
    case endpoint::chat_completions: {
      auto* msgs = r.body.if_contains("messages");
      if (!msgs || !msgs->is_array() || msgs->get_array().empty()) {
        err = {reason::invalid_request, "(messages)"};
        return std::nullopt;
      }
      for (auto& m : msgs->get_array()) {
        auto* mo = m.if_object();
        if (!mo) {
          err = {reason::invalid_request, "(messages[])"};
          return std::nullopt;
        }
        auto* role = mo->if_contains("role");
        if (!role || !role->is_string()) {
          err = {reason::invalid_request, "(messages[].role)"};
          return std::nullopt;
        }
        if (auto* c = mo->if_contains("content"); c && !is_text_or_parts(*c)) {
          err = {reason::invalid_request, "(messages[].content)"};
          return std::nullopt;
        }
      }
      break;
    }
    case endpoint::completions: {
      auto* p = r.body.if_contains("prompt");
      if (p && !is_prompt(*p)) {
        err = {reason::invalid_request, "(prompt)"};
        return std::nullopt;
      }
      break;
    }
    case endpoint::embeddings: {
      auto* in = r.body.if_contains("input");
      if (!in || !is_prompt(*in)) {
        err = {reason::invalid_request, "(input)"};
        return std::nullopt;
      }
      if (r.stream) {
        err = {reason::invalid_request, "(stream)"};
        return std::nullopt;
      }
      break;
    }
  }
  return r;
}

std::optional<usage> find_usage(std::string_view text) {
  const auto key = text.rfind("\"usage\"");
  if (key == std::string_view::npos) return std::nullopt;
  std::size_t i = key + 7;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != ':') return std::nullopt;
  ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != '{') return std::nullopt;
  json::parser p;
  boost::system::error_code ec;
  // json::parser expects complete input: write_some stops after the first complete value and
  // reports an error when that value is cut off.
  p.write_some(text.substr(i), ec);
  if (ec) return std::nullopt;
  json::object wrapper;
  wrapper["usage"] = p.release();
  return usage_of(wrapper);
}

std::optional<usage> usage_of(const json::value& v) {
  const auto* o = v.if_object();
  if (!o) return std::nullopt;
  const auto* u = o->if_contains("usage");
  if (!u || !u->is_object()) return std::nullopt;
  const auto& uo = u->get_object();
  usage out;
  auto num = [&](std::string_view k) -> std::int64_t {
    const auto* x = uo.if_contains(k);
    if (!x) return -1;
    if (x->is_int64()) return x->get_int64();
    if (x->is_uint64()) return static_cast<std::int64_t>(x->get_uint64());
    return -1;
  };
  out.prompt_tokens = num("prompt_tokens");
  out.completion_tokens = num("completion_tokens");
  out.total_tokens = num("total_tokens");
  return out;
}

}  // namespace lp::openai
