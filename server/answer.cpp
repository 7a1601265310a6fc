#include "server/answer.h"

#include <boost/json.hpp>

#include "schema/sse.h"

namespace lp::answer {
namespace json = boost::json;
namespace {

std::string restored(const edits& e, std::string_view text) {
  if (e.pseudonyms && !e.pseudonyms->empty()) return e.pseudonyms->restore(text);
  return std::string(text);
}

std::int64_t index_of(const json::object& c) {
  const auto* i = c.if_contains("index");
  return i && i->is_int64() ? i->get_int64() : 0;
}

void write_event(const json::object& o, std::string& out) {
  out += "data: ";
  out += json::serialize(o);
  out += "\n\n";
}

}  // namespace

bool rewrite(std::string& body, const edits& e) {
  boost::system::error_code ec;
  auto v = json::parse(body, ec);
  auto* o = ec ? nullptr : v.if_object();
  auto* choices = o ? o->if_contains("choices") : nullptr;
  if (!choices || !choices->is_array()) return false;
  for (auto& c : choices->get_array()) {
    auto* co = c.if_object();
    if (!co) continue;
    json::value* text = nullptr;
    if (auto* m = co->if_contains("message"); m && m->is_object()) {
      auto& mo = m->get_object();
      text = mo.if_contains("content");
      if (auto* calls = mo.if_contains("tool_calls"); calls && calls->is_array()) {
        for (auto& call : calls->get_array()) {
          auto* fn = call.is_object() ? call.get_object().if_contains("function") : nullptr;
          auto* args = fn && fn->is_object() ? fn->get_object().if_contains("arguments") : nullptr;
          if (args && args->is_string()) *args = restored(e, args->get_string());
        }
      }
    } else {
      text = co->if_contains("text");
    }
    if (!text || !text->is_string()) continue;  // e.g. content null on a tool call
    std::string t = restored(e, text->get_string());
    t += e.appendix;
    *text = std::move(t);
  }
  body = json::serialize(v);
  return true;
}

stream_rewriter::choice& stream_rewriter::state(std::int64_t index) {
  auto& c = choices_[index];
  if (!c.restorer && e_.pseudonyms) c.restorer.emplace(*e_.pseudonyms);
  return c;
}

void stream_rewriter::event(std::string_view ev, std::string& out, std::string* collected) {
  const std::string data = sse::data_of(ev);
  if (data == "[DONE]") {
    flush_all(out);
    out.append(ev);
    return;
  }
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  auto* o = ec ? nullptr : v.if_object();
  auto* choices = o ? o->if_contains("choices") : nullptr;
  if (!choices || !choices->is_array() || choices->get_array().empty()) {
    out.append(ev);  // usage-only chunks, errors, comments
    return;
  }
  meta_.clear();
  for (const char* k : {"id", "object", "created", "model", "system_fingerprint"}) {
    if (auto* f = o->if_contains(k)) meta_[k] = *f;
  }
  for (auto& c : choices->get_array()) {
    auto* co = c.if_object();
    if (!co) continue;
    auto& st = state(index_of(*co));
    json::value* text = nullptr;
    json::object* delta = nullptr;
    if (auto* d = co->if_contains("delta"); d && d->is_object()) {
      delta = &d->get_object();
      text = delta->if_contains("content");
    } else {
      st.chat = false;
      text = co->if_contains("text");
    }
    std::string t;
    if (text && text->is_string()) {
      const std::string_view piece = text->get_string();
      if (collected && collected->size() < max_collected_text) collected->append(piece);
      if (!piece.empty()) st.had_text = true;
      t = st.restorer ? st.restorer->feed(piece) : std::string(piece);
    }
    const auto* fin = co->if_contains("finish_reason");
    if (fin && fin->is_string() && !st.finished) {
      st.finished = true;
      if (st.restorer) t += st.restorer->flush();
      if (st.had_text) t += e_.appendix;
    }
    if (text && text->is_string()) {
      *text = t;
    } else if (!t.empty()) {
      if (delta) {
        (*delta)["content"] = t;
      } else {
        (*co)["text"] = t;
      }
    }
  }
  write_event(*o, out);
}

void stream_rewriter::flush_all(std::string& out) {
  for (auto& [index, st] : choices_) {
    if (st.finished) continue;
    st.finished = true;
    std::string t = st.restorer ? st.restorer->flush() : std::string();
    if (st.had_text) t += e_.appendix;
    if (t.empty()) continue;
    json::object o = meta_;
    json::object c;
    c["index"] = index;
    if (st.chat) {
      json::object d;
      d["content"] = t;
      c["delta"] = std::move(d);
    } else {
      c["text"] = t;
    }
    c["finish_reason"] = nullptr;
    json::array arr;
    arr.push_back(std::move(c));
    o["choices"] = std::move(arr);
    write_event(o, out);
  }
}

void stream_rewriter::finish(std::string& out) { flush_all(out); }

}  // namespace lp::answer
