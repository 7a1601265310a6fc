// The request pipeline: authenticate -> parse -> detect -> decide -> redact -> forward ->
// relay (streamed or whole) -> record. Exactly one audit record per /v1/ request, submitted by
// `record_guard` on every path out, including cancellation at shutdown.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <array>

#include "core/log.h"
#include "core/request_id.h"
#include "schema/openai.h"
#include "schema/sse.h"
#include "server/answer.h"
#include "server/gateway.h"

namespace lp {
namespace {
namespace json = boost::json;
using steady = std::chrono::steady_clock;
using std::chrono::milliseconds;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Upper bound on a non-streamed upstream answer we buffer (a chat answer is a few KiB; embeddings
// of a large batch can reach a few MiB).
constexpr std::size_t max_upstream_body_bytes = 64 * 1024 * 1024;
// Upper bound on an upstream error body we relay.
constexpr std::size_t max_upstream_error_bytes = 1024 * 1024;
// How long one write to a client may take before we consider it gone.
constexpr milliseconds client_write_timeout{30000};

double ms_since(steady::time_point t0) {
  return std::chrono::duration<double, std::milli>(steady::now() - t0).count();
}

// Submits the request's audit record exactly once: explicitly via submit(), or from the
// destructor when the coroutine is torn down early (client gone, shutdown).
class record_guard {
 public:
  // Pins the policy snapshot the request is decided with (STYLE rule 25).
  // Until the caller is known, the default tenant's policy is the one on record.
  record_guard(gateway& g, std::string request_id, std::string_view endpoint)
      : g_(g), t0_(steady::now()) {
    rec_.record_id = new_request_id();
    rec_.request_id = std::move(request_id);
    rec_.ts = std::chrono::system_clock::now();
    rec_.endpoint = std::string(endpoint);
    pin(g.default_tenant());
  }
  // Pins the policy of the caller's tenant (once authenticated).
  void pin(const tenant_policy& t) {
    policy_ = t.snapshot.load();
    rec_.tenant = t.name;
    rec_.policy_version = policy_->version;
    rec_.policy_digest = policy_->digest;
  }
  ~record_guard() {
    if (!done_) {
      if (rec_.status == 0) rec_.status = 499;  // client closed request / cancelled at shutdown
      rec_.decision = audit::outcome::error;
      if (rec_.error_code.empty()) rec_.error_code = "aborted";
      submit();
    }
  }
  record_guard(const record_guard&) = delete;
  record_guard& operator=(const record_guard&) = delete;

  audit::record& rec() { return rec_; }
  const policy::snapshot& policy() const { return *policy_; }
  steady::time_point start() const { return t0_; }

  void submit() {
    if (done_) return;
    done_ = true;
    rec_.latency_ms = ms_since(t0_);
    if (!g_.audit->submit(std::move(rec_))) {
      g_.stats.audit_rejected.fetch_add(1, std::memory_order_relaxed);
      log::error("audit: queue full, decision record rejected (raise audit.queue_max or check the database)");
    }
  }

 private:
  gateway& g_;
  policy::snapshot_ptr policy_;
  audit::record rec_;
  steady::time_point t0_;
  bool done_ = false;
};


// A complete (non-streamed) answer. Built as a named value before it is sent: GCC 12 mishandles
// some temporaries that live across a co_await (double destruction), so call sites never pass
// temporaries of class type into an awaited call.
struct reply {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::string request_id;
  std::string decision;    // X-Leitplanke-Decision, when set
  std::string redactions;  // X-Leitplanke-Redactions, when set
  std::string notices;     // X-Leitplanke-Notice, when set (ids of warn rules)
};

// Formats the head of a complete response. Values are ours (validated request id, fixed
// texts) or an upstream Content-Type, which Beast's parser guarantees to be free of CR/LF.
std::string response_head(const reply& rep, bool keep_alive) {
  std::string head;
  head.reserve(256);
  head += "HTTP/1.1 ";
  head += std::to_string(rep.status);
  head += ' ';
  head += http::obsolete_reason(static_cast<http::status>(rep.status));
  head += "\r\nServer: leitplanke\r\nX-Request-Id: ";
  head += rep.request_id;
  head += "\r\nContent-Type: ";
  head += rep.content_type;
  if (!rep.decision.empty()) {
    head += "\r\nX-Leitplanke-Decision: ";
    head += rep.decision;
  }
  if (!rep.redactions.empty()) {
    head += "\r\nX-Leitplanke-Redactions: ";
    head += rep.redactions;
  }
  if (!rep.notices.empty()) {
    head += "\r\nX-Leitplanke-Notice: ";
    head += rep.notices;
  }
  if (rep.status == 503 || rep.status == 502 || rep.status == 504) head += "\r\nRetry-After: 5";
  if (!keep_alive) head += "\r\nConnection: close";
  head += "\r\nContent-Length: ";
  head += std::to_string(rep.body.size());
  head += "\r\n\r\n";
  return head;
}

asio::awaitable<bool> send(beast::tcp_stream& s, reply rep, bool keep_alive) {
  const std::string head = response_head(rep, keep_alive);
  const std::array<asio::const_buffer, 2> bytes{asio::buffer(head), asio::buffer(rep.body)};
  s.expires_after(client_write_timeout);
  auto [ec, n] = co_await asio::async_write(s, bytes, use_tuple);
  co_return !ec && keep_alive;
}

std::string decision_header(audit::outcome o) { return std::string(audit::to_string(o)); }

// Sends an OpenAI-shaped error and completes the record with it.
asio::awaitable<bool> fail(gateway& g, beast::tcp_stream& s, record_guard& guard, reason why, bool keep_alive,
                           std::string detail = {}, std::string rule = {}) {
  auto& r = guard.rec();
  const auto inf = info(why);
  r.status = inf.status;
  if (r.error_code.empty()) r.error_code = std::string(inf.code);
  if (why == reason::policy_denied || why == reason::acknowledgement_required || why == reason::invalid_api_key) {
    r.decision = audit::outcome::blocked;
  } else {
    r.decision = audit::outcome::error;
  }
  reply rep;
  rep.status = inf.status;
  rep.body = error_body(why, g.cfg.lang, detail, rule);
  rep.request_id = r.request_id;
  rep.decision = decision_header(r.decision);
  guard.submit();
  co_return co_await send(s, std::move(rep), keep_alive);
}

reason reason_of(upstream::failure f) {
  switch (f) {
    case upstream::failure::timeout: return reason::upstream_timeout;
    case upstream::failure::bad_response: return reason::bad_upstream_response;
    default: return reason::upstream_unavailable;
  }
}

std::string_view bearer_of(const http::request<http::string_body>& req) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return {};
  std::string_view v = it->value();
  if (v.size() < 7 || !beast::iequals(v.substr(0, 7), "Bearer ")) return {};
  v.remove_prefix(7);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

bool is_json_content_type(const http::request<http::string_body>& req) {
  auto it = req.find(http::field::content_type);
  if (it == req.end()) return false;
  std::string_view v = it->value();
  const auto semi = v.find(';');
  if (semi != std::string_view::npos) v = v.substr(0, semi);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return beast::iequals(v, "application/json");
}

std::string denial_detail(const policy::rule* r, language lang) {
  if (!r) {
    return lang == language::de
               ? std::string("Für dieses Modell gibt es für Ihr Amt keine Freigabe (Regel ") +
                     std::string(policy::default_deny_id) + ")."
               : std::string("This model is not approved for your department (rule ") +
                     std::string(policy::default_deny_id) + ").";
  }
  std::string d = r->explanation(lang);
  d += lang == language::de ? " (Regel " : " (rule ";
  d += r->id;
  if (!r->reference.empty()) {
    d += ", ";
    d += r->reference;
  }
  d += ")";
  return d;
}

// Replaces every occurrence of each redacted value in the raw JSON body by its replacement
// ("[EMAIL]" or a placeholder "<EMAIL_1>"), longest values first. Detected values contain no
// quote, backslash or control character, so they can only occur inside JSON strings and the
// body stays valid JSON (replacements contain none either); a value that also occurs elsewhere
// in the body (another field) is replaced there too. Returns false, leaving `body` unchanged,
// when a value does not occur verbatim (the client escaped a character of it, e.g. \u00fc):
// then the caller re-serialises the parsed request instead. Saves a full JSON serialisation
// per redacted request.
bool patch_masked_values(std::string& body, std::vector<std::pair<std::string, std::string>>& values) {
  std::sort(values.begin(), values.end(),
            [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  for (const auto& [value, replacement] : values) {
    (void)replacement;
    if (value.empty() || value.find_first_of("\"\\") != std::string::npos) return false;
    for (unsigned char ch : value) {
      if (ch < 0x20) return false;
    }
    if (body.find(value) == std::string::npos) return false;  // escaped differently in the body
  }
  std::string out;
  for (const auto& [value, replacement] : values) {
    std::size_t pos = body.find(value);
    if (pos == std::string::npos) continue;
    out.clear();
    out.reserve(body.size());
    std::size_t from = 0;
    while (pos != std::string::npos) {
      out.append(body, from, pos - from);
      out += replacement;
      from = pos + value.size();
      pos = body.find(value, from);
    }
    out.append(body, from, std::string::npos);
    body.swap(out);
  }
  return true;
}

// The text added to the answer: the AI label of a citizen-facing use case (Art. 50 AI Act)
// and the explanations of matching warn rules. Empty when there is nothing to add.
std::string answer_appendix(const policy::snapshot& pol, const policy::purpose* purpose,
                            const std::vector<const policy::rule*>& warnings, language lang) {
  std::string out;
  if (purpose && purpose->citizen_facing) {
    out += lang == language::en ? pol.ai_label_en : pol.ai_label_de;
  }
  if (pol.notices_in_answer) {
    for (const auto* w : warnings) {
      if (!out.empty()) out += '\n';
      out += lang == language::en ? "Note: " : "Hinweis: ";
      out += w->explanation(lang);
      out += " (";
      out += w->id;
      if (!w->reference.empty()) {
        out += ", ";
        out += w->reference;
      }
      out += ')';
    }
  }
  if (!out.empty()) out.insert(0, "\n\n---\n");
  return out;
}

// Entity counts as the decision record stores them: type name -> count, only types found.
std::vector<std::pair<std::string, std::uint32_t>> named_counts(const redact::entity_counts& counts) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (std::size_t i = 0; i < redact::entity_type_count; ++i) {
    if (counts[i] > 0) out.emplace_back(std::string(redact::entity_names[i]), counts[i]);
  }
  return out;
}

// Appends the text of a stream event (choices[].delta.content, or choices[].text of legacy
// completions) to `text`.
void collect_stream_text(std::string_view event, std::string& text) {
  if (text.size() >= answer::max_collected_text) return;
  const std::string data = sse::data_of(event);
  boost::system::error_code ec;
  const auto v = json::parse(data, ec);
  const auto* o = ec ? nullptr : v.if_object();
  const auto* choices = o ? o->if_contains("choices") : nullptr;
  if (!choices || !choices->is_array()) return;
  for (const auto& c : choices->get_array()) {
    const auto* co = c.if_object();
    if (!co) continue;
    const json::value* t = nullptr;
    if (const auto* delta = co->if_contains("delta"); delta && delta->is_object()) {
      t = delta->get_object().if_contains("content");
    } else {
      t = co->if_contains("text");
    }
    if (t && t->is_string()) text.append(t->get_string().data(), t->get_string().size());
  }
}

// Appends `data` as one chunk of HTTP/1.1 chunked transfer coding.
void append_chunk(std::string& wire, std::string_view data) {
  if (data.empty()) return;
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  wire.append(size, static_cast<std::size_t>(n));
  wire.append(data);
  wire += "\r\n";
}

// Relays an SSE stream event by event, as the events arrive. Whatever has already arrived is
// sent in one write (an upstream that sends a burst of events costs one write, not one per
// event); nothing is held back waiting for more. The response head goes out with the first
// events, the terminating chunk with the last ones. Returns false when the client connection
// is unusable.
asio::awaitable<bool> relay_stream(gateway& g, beast::tcp_stream& s, upstream::exchange& ex, record_guard& guard,
                                   bool client_wants_usage, steady::time_point deadline, std::string decision,
                                   std::string redactions, std::string notices, const answer::edits& edits) {
  auto& rec = guard.rec();
  rec.status = 200;
  std::string wire;
  wire.reserve(4096);
  wire += "HTTP/1.1 200 OK\r\nServer: leitplanke\r\nX-Request-Id: ";
  wire += rec.request_id;
  wire += "\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
          "X-Accel-Buffering: no\r\nX-Leitplanke-Decision: ";
  wire += decision;
  if (!redactions.empty()) {
    wire += "\r\nX-Leitplanke-Redactions: ";
    wire += redactions;
  }
  if (!notices.empty()) {
    wire += "\r\nX-Leitplanke-Notice: ";
    wire += notices;
  }
  wire += "\r\nTransfer-Encoding: chunked\r\n\r\n";

  sse::splitter split;
  std::string in, out;
  upstream::failure f = upstream::failure::none;
  // Response rules: the answer's text is collected from the events' deltas and scanned at the
  // end, so a value split across events is still found (bounded: answers beyond 4 MiB of text
  // are scanned up to there).
  const bool scan = guard.policy().scan_responses;
  std::string answer_text;
  // Placeholders put back, AI label and notices added (only when the request needs it).
  std::optional<answer::stream_rewriter> rewriter;
  if (edits.active()) rewriter.emplace(edits);
  while (!ex.done()) {
    in.clear();
    f = co_await ex.read_some(in, deadline);
    // Take everything that is already received (no waiting) before writing.
    if (f == upstream::failure::none && !ex.done()) f = ex.take_buffered(in);
    if (f != upstream::failure::none) break;
    split.feed(in);
    out.clear();
    std::string_view ev;
    while (split.next(ev)) {
      // Content chunks pass through untouched. Many upstreams send "usage": null in every
      // chunk; only a chunk with a usage object is looked at, and only the usage-only chunk
      // (once per stream) is parsed whole.
      if (ev.find("\"usage\"") != std::string_view::npos) {
        const std::string data = sse::data_of(ev);
        if (auto u = openai::find_usage(data)) {
          rec.prompt_tokens = u->prompt_tokens;
          rec.completion_tokens = u->completion_tokens;
          rec.total_tokens = u->total_tokens;
          if (!client_wants_usage) {
            boost::system::error_code jec;
            auto v = json::parse(data, jec);
            const auto* o = jec ? nullptr : v.if_object();
            const auto* choices = o ? o->if_contains("choices") : nullptr;
            const bool usage_only = choices && choices->is_array() && choices->get_array().empty();
            if (usage_only) continue;  // we asked for it, not the client
          }
        }
      }
      if (rewriter) {
        rewriter->event(ev, out, scan ? &answer_text : nullptr);  // one parse for both
      } else {
        if (scan) collect_stream_text(ev, answer_text);
        out.append(ev);
      }
    }
    if (split.pending() > sse::splitter::max_event_bytes) {
      f = upstream::failure::bad_response;
      break;
    }
    if (out.empty()) continue;  // nothing complete yet (the head, too, waits for the first event)
    append_chunk(wire, out);
    if (ex.done()) break;  // the rest goes out with the terminating chunk
    s.expires_after(client_write_timeout);
    auto [wec, wn] = co_await asio::async_write(s, asio::buffer(wire), use_tuple);
    wire.clear();
    if (wec) {
      rec.error_code = "client_gone";
      rec.decision = audit::outcome::error;
      guard.submit();
      co_return false;
    }
  }
  rec.upstream_ms = ms_since(guard.start());
  if (scan) {
    redact::entity_counts answer_counts{};
    g.detector->count(answer_text, answer_counts);
    rec.answer_entity_counts = named_counts(answer_counts);
  }
  if (f != upstream::failure::none) {
    // The status line is already sent (or about to be): tell the client in-band, as OpenAI
    // does, then end the stream.
    const reason why = reason_of(f);
    append_chunk(wire, "data: " + error_body(why, g.cfg.lang) + "\n\n");
    rec.error_code = std::string(info(why).code);
    rec.decision = audit::outcome::error;
  } else if (split.pending() > 0) {
    // A final event without its blank line: pass it on rather than lose it.
    std::string last;
    if (rewriter) {
      std::string ev = std::string(split.rest()) + "\n\n";
      rewriter->event(ev, last);
    } else {
      last = split.rest();
    }
    append_chunk(wire, last);
  }
  if (rewriter && f == upstream::failure::none) {
    std::string held;
    rewriter->finish(held);  // a stream that ended without finish_reason or [DONE]
    append_chunk(wire, held);
  }
  wire += "0\r\n\r\n";
  guard.submit();
  s.expires_after(client_write_timeout);
  auto [lec, ln] = co_await asio::async_write(s, asio::buffer(wire), use_tuple);
  co_return !lec;
}

// The caller's tenant policy, pinned into the record; null (and the reason in `detail`) when the
// key belongs to a tenant this installation does not serve.
const tenant_policy* pin_tenant(gateway& g, record_guard& guard, const identity& id, std::string& detail) {
  const tenant_policy* t = g.tenant(id.tenant);
  if (!t) {
    guard.rec().tenant = id.tenant;
    detail = g.cfg.lang == language::en
                 ? "(no policy is configured for tenant '" + id.tenant + "' on this gateway)"
                 : "(für den Mandanten '" + id.tenant + "' ist auf diesem Gateway keine Richtlinie eingerichtet)";
    return nullptr;
  }
  guard.pin(*t);
  return t;
}

asio::awaitable<bool> handle_models(gateway& g, beast::tcp_stream& s, const http::request<http::string_body>& req,
                                    std::string request_id, bool keep_alive) {
  record_guard guard(g, request_id, "/v1/models");
  auto id = g.keys->authenticate(bearer_of(req));
  if (!id) co_return co_await fail(g, s, guard, reason::invalid_api_key, keep_alive);
  auto& rec = guard.rec();
  rec.user_ref = id->user_ref;
  rec.department = id->department;
  rec.role = id->role;
  rec.trained = id->trained_on(today_utc());
  if (std::string detail; !pin_tenant(g, guard, *id, detail)) {
    co_return co_await fail(g, s, guard, reason::policy_denied, keep_alive, std::move(detail),
                            std::string(policy::default_deny_id));
  }
  const auto& pol = guard.policy();
  json::array data;
  for (const auto& m : g.cfg.models) {
    policy::request_facts f;
    f.department = id->department;
    f.role = id->role;
    f.model = m.name;
    if (!policy::evaluate(pol, f).allowed) continue;
    json::object o;
    o["id"] = m.name;
    o["object"] = "model";
    o["created"] = 0;
    o["owned_by"] = g.cfg.upstreams[m.upstream_index].name;
    data.push_back(std::move(o));
  }
  json::object body;
  body["object"] = "list";
  body["data"] = std::move(data);
  rec.status = 200;
  rec.decision = audit::outcome::allowed;
  guard.submit();
  reply rep;
  rep.body = json::serialize(body);
  rep.request_id = request_id;
  rep.decision = decision_header(audit::outcome::allowed);
  co_return co_await send(s, std::move(rep), keep_alive);
}

// The policy keeps the redacted text of refused requests for review (retention.
// refused_prompt_days): every detected personal datum masked, the texts of the request one after
// another, at most 16 KiB. Stored with the decision record (refused_prompts), deleted when due.
void keep_for_review(gateway& g, openai::request& r, unsigned days, audit::record& rec) {
  redact::operator_table mask_all;
  mask_all.fill(redact::operator_kind::mask);
  std::string review;
  std::vector<redact::entity> spans;
  try {
    openai::for_each_text(r, [&](json::string& text) {
      spans.clear();
      const std::string_view t(text.data(), text.size());
      g.detector->scan(t, spans);
      redact::pseudonym_map unused;
      if (!review.empty()) review += "\n\n";
      review += redact::apply(t, spans, mask_all, unused);
    });
  } catch (const std::exception&) {
    return;  // nothing half-masked is kept
  }
  constexpr std::size_t max = 16 * 1024;
  if (review.size() > max) {
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(review[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    review.resize(cut);
    review += " […]";
  }
  rec.review_text = std::move(review);
  rec.review_days = days;
}

asio::awaitable<bool> handle_proxy(gateway& g, worker& w, beast::tcp_stream& s, http::request<http::string_body>& req,
                                   openai::endpoint kind, std::string request_id, bool keep_alive) {
  record_guard guard(g, request_id, std::string("/v1") + std::string(openai::path_of(kind)));
  auto& rec = guard.rec();
  const auto deadline = guard.start() + g.cfg.lim.request_timeout;

  auto id = g.keys->authenticate(bearer_of(req));
  if (!id) co_return co_await fail(g, s, guard, reason::invalid_api_key, keep_alive);
  rec.user_ref = id->user_ref;
  rec.department = id->department;
  rec.role = id->role;
  rec.trained = id->trained_on(today_utc());
  if (std::string detail; !pin_tenant(g, guard, *id, detail)) {
    co_return co_await fail(g, s, guard, reason::policy_denied, keep_alive, std::move(detail),
                            std::string(policy::default_deny_id));
  }

  if (!is_json_content_type(req)) co_return co_await fail(g, s, guard, reason::unsupported_media_type, keep_alive);

  openai::parse_error perr;
  auto parsed = openai::parse_request(kind, req.body(), perr);
  if (!parsed) co_return co_await fail(g, s, guard, perr.why, keep_alive, std::move(perr.detail));
  openai::request& r = *parsed;
  rec.model = r.model;
  rec.stream = r.stream;

  const config::model_route* route = g.cfg.find_model(r.model);
  if (!route) {
    std::string detail = "(" + r.model + ")";
    co_return co_await fail(g, s, guard, reason::model_not_found, keep_alive, std::move(detail));
  }
  rec.upstream = g.cfg.upstreams[route->upstream_index].name;

  // The declared use case and the confirmation of human review (policy conditions).
  std::string purpose, bad_header;
  if (auto it = req.find("X-Leitplanke-Purpose"); it != req.end()) {
    purpose = std::string(it->value());
    if (!valid_request_id(purpose)) bad_header = "(X-Leitplanke-Purpose: 1-64 characters of A-Z a-z 0-9 . _ -)";
  }
  bool acknowledged = false;
  if (auto it = req.find("X-Leitplanke-Acknowledge"); it != req.end()) {
    acknowledged = beast::iequals(it->value(), "human-review");
    if (!acknowledged) bad_header = "(X-Leitplanke-Acknowledge: human-review)";
  }
  const auto& pol = guard.policy();
  // Purpose binding: when the policy declares its use cases, a request may only name one of them.
  const policy::purpose* declared = nullptr;
  if (!purpose.empty() && bad_header.empty() && !pol.purposes.empty()) {
    declared = policy::find_purpose(pol, purpose);
    if (!declared) {
      bad_header = "(X-Leitplanke-Purpose '" + purpose + "': ";
      bad_header += g.cfg.lang == language::en ? "not a use case of the policy; known: " : "kein Verwendungszweck der Richtlinie; bekannt: ";
      for (std::size_t i = 0; i < pol.purposes.size(); ++i) bad_header += (i ? ", " : "") + pol.purposes[i].name;
      bad_header += ")";
    }
  }
  if (!bad_header.empty()) co_return co_await fail(g, s, guard, reason::invalid_request, keep_alive, std::move(bad_header));
  rec.purpose = purpose;
  rec.acknowledged = acknowledged;

  // Detect personal data in every text that would leave the house, and the policy's content
  // patterns (on the text as written, before masking).
  redact::entity_counts counts{};
  std::vector<bool> pattern_hits(pol.pattern_sources.size(), false);
  // Detection first, redaction after the decision (which chooses the operators, and refused
  // requests need none): the texts with findings and their spans. The pointers stay valid, as
  // the parsed body is not changed in between.
  struct findings {
    json::string* text;
    std::vector<redact::entity> found;
  };
  std::vector<findings> to_redact;
  std::vector<redact::entity> found;
  bool scanned = true;  // a failed scan refuses the request (fail closed), never "nothing found"
  try {
    openai::for_each_text(r, [&](json::string& text) {
      if (pol.patterns && !pol.patterns->scan(text, pattern_hits)) scanned = false;
      found.clear();
      g.detector->scan(text, found);
      if (found.empty()) return;
      for (const auto& e : found) ++counts[static_cast<std::size_t>(e.type)];
      to_redact.push_back({&text, found});
    });
  } catch (const std::exception& e) {
    log::write(log::level::error, request_id, std::string("scan failed: ") + e.what());
    scanned = false;
  }
  if (!scanned) {
    rec.error_code = "evaluation_error";
    co_return co_await fail(g, s, guard, reason::internal_error, keep_alive);
  }
  rec.entity_counts = named_counts(counts);
  std::string redactions;
  for (const auto& [type, n] : rec.entity_counts) {
    if (!redactions.empty()) redactions += ',';
    redactions += type;
    redactions += '=';
    redactions += std::to_string(n);
  }

  policy::request_facts facts;
  facts.department = id->department;
  facts.role = id->role;
  facts.model = r.model;
  facts.purpose = purpose;
  facts.detected = counts;
  facts.pattern_hits = &pattern_hits;
  facts.acknowledged = acknowledged;
  facts.trained = rec.trained;
  policy::set_local_time(pol, rec.ts, facts);
  const auto d = policy::evaluate(pol, facts);
  for (const auto* rule : d.determining) rec.rule_ids.push_back(rule->id);
  if (d.needs_acknowledgement) {
    const policy::rule* first = d.determining.front();
    std::string detail = denial_detail(first, g.cfg.lang);
    std::string rule_id = first->id;
    co_return co_await fail(g, s, guard, reason::acknowledgement_required, keep_alive, std::move(detail),
                            std::move(rule_id));
  }
  if (!d.allowed) {
    if (pol.retention.refused_prompt_days > 0) keep_for_review(g, r, pol.retention.refused_prompt_days, rec);
    if (d.determining.empty()) rec.rule_ids.emplace_back(policy::default_deny_id);
    const policy::rule* first = d.determining.empty() ? nullptr : d.determining.front();
    std::string detail = denial_detail(first, g.cfg.lang);
    std::string rule_id(first ? std::string_view(first->id) : policy::default_deny_id);
    co_return co_await fail(g, s, guard, reason::policy_denied, keep_alive, std::move(detail), std::move(rule_id));
  }
  if (!d.route_to.empty()) {
    // A route rule sends the request to another model (e.g. the internal one for social data).
    route = g.cfg.find_model(d.route_to);
    if (!route) {
      std::string detail = "(" + std::string(d.route_to) + ")";
      co_return co_await fail(g, s, guard, reason::model_not_found, keep_alive, std::move(detail));
    }
    rec.routed_to = std::string(d.route_to);
    rec.upstream = g.cfg.upstreams[route->upstream_index].name;
  }
  for (const auto* rr : d.redacted_by) rec.rule_ids.push_back(rr->id);

  // Redact what leaves the house, with the operators the decision chose.
  bool any_masked = false;
  // The redacted values and their replacements, for patching the client's bytes instead of
  // re-serialising the JSON.
  std::vector<std::pair<std::string, std::string>> masked_values;
  // Placeholders of reversible pseudonyms, shared by all texts of the request and put back in
  // the answer. Lives only as long as this request.
  redact::pseudonym_map pseudonyms;
  for (auto& [text, spans] : to_redact) {
    const std::size_t before = masked_values.size();
    std::string redacted = redact::apply(*text, spans, d.redaction, pseudonyms, &masked_values);
    if (masked_values.size() == before) continue;  // only kept types in this text
    *text = std::move(redacted);
    any_masked = true;
  }
  rec.decision = any_masked ? audit::outcome::redacted : audit::outcome::allowed;
  const std::string decision = decision_header(rec.decision);
  std::string notices;  // warn rules: their ids go to the client, and into the record
  for (const auto* w : d.warnings) {
    rec.rule_ids.push_back(w->id);
    notices += (notices.empty() ? "" : ",") + w->id;
  }

  // What the answer needs before staff see it.
  answer::edits edits;
  if (kind != openai::endpoint::embeddings) {
    edits.pseudonyms = &pseudonyms;
    edits.appendix = answer_appendix(pol, declared, d.warnings, g.cfg.lang);
  }

  if (!g.audit->has_room() || (g.cfg.aud.fail_closed && !g.audit->accepting())) {
    // Fail closed: nothing leaves the house that we could not record (durably: the database or
    // the spool; with audit.fail_closed off, the in-memory queue while it has room).
    co_return co_await fail(g, s, guard, reason::audit_unavailable, keep_alive);
  }
  if (g.draining.load()) co_return co_await fail(g, s, guard, reason::shutting_down, false);

  // Forward the client's bytes unchanged when nothing in them changes (no redaction, same
  // model name, not streamed): unknown fields pass through byte for byte and we save a serialize.
  const bool rewrite = route->upstream_model != r.model || r.stream;
  r.body["model"] = route->upstream_model;
  if (r.stream && kind != openai::endpoint::embeddings) {
    // Ask for token usage so the record can carry it; the extra chunk is removed again below
    // when the client did not ask for it.
    auto& so = r.body["stream_options"];
    if (!so.is_object()) so = json::object();
    so.as_object()["include_usage"] = true;
  }
  std::string body;
  if (!rewrite && any_masked && patch_masked_values(req.body(), masked_values)) {
    body = std::move(req.body());  // the client's bytes, with the masked values replaced in place
  } else if (rewrite || any_masked) {
    body = json::serialize(r.body);
  } else {
    body = std::move(req.body());
  }
  req.body().clear();

  upstream::exchange ex(*w.pool, route->upstream_index);
  const auto f = co_await ex.start(std::string(openai::path_of(kind)), std::move(body), deadline);
  if (f != upstream::failure::none) {
    rec.upstream_ms = ms_since(guard.start());
    log::write(log::level::warn, request_id,
               "upstream '" + rec.upstream + "' failed: " + std::string(upstream::to_string(f)));
    co_return co_await fail(g, s, guard, reason_of(f), keep_alive);
  }

  const unsigned status = ex.status();
  if (status < 200 || status >= 300) {
    std::string err;
    auto rf = co_await ex.read_all(err, max_upstream_error_bytes, deadline);
    rec.upstream_ms = ms_since(guard.start());
    if (rf != upstream::failure::none) co_return co_await fail(g, s, guard, reason_of(rf), keep_alive);
    rec.status = static_cast<int>(status);
    rec.decision = audit::outcome::error;
    rec.error_code = "upstream_status";
    guard.submit();
    reply rep;
    rep.status = status;
    rep.body = std::move(err);
    if (auto ct = ex.content_type(); !ct.empty()) rep.content_type = std::move(ct);
    rep.request_id = request_id;
    rep.decision = decision_header(audit::outcome::error);
    co_return co_await send(s, std::move(rep), keep_alive);
  }

  if (r.stream && ex.content_type().starts_with("text/event-stream")) {
    const bool ok =
        co_await relay_stream(g, s, ex, guard, r.client_wants_usage, deadline, decision, redactions, notices, edits);
    co_return ok && keep_alive && !g.draining.load();
  }

  std::string answer;
  auto rf = co_await ex.read_all(answer, max_upstream_body_bytes, deadline);
  rec.upstream_ms = ms_since(guard.start());
  if (rf != upstream::failure::none) co_return co_await fail(g, s, guard, reason_of(rf), keep_alive);
  if (pol.scan_responses) {
    redact::entity_counts answer_counts{};
    g.detector->count(answer, answer_counts);
    rec.answer_entity_counts = named_counts(answer_counts);
  }
  if (auto u = openai::find_usage(answer)) {
    rec.prompt_tokens = u->prompt_tokens;
    rec.completion_tokens = u->completion_tokens;
    rec.total_tokens = u->total_tokens;
  }
  if (edits.active() && !answer::rewrite(answer, edits)) {
    log::write(log::level::warn, request_id, "answer is not a completion; placeholders and notices not applied");
  }
  rec.status = 200;
  guard.submit();
  reply rep;
  rep.body = std::move(answer);
  if (auto ct = ex.content_type(); !ct.empty()) rep.content_type = std::move(ct);
  rep.request_id = request_id;
  rep.decision = decision;
  rep.redactions = redactions;
  rep.notices = notices;
  co_return co_await send(s, std::move(rep), keep_alive);
}

}  // namespace

namespace {
// Closes a connection whose request body was not read: half-close, then read and discard what
// the client still sends, for a bounded time. Closing with unread data would make the kernel
// reset the connection and the client would never see the error we just sent.
asio::awaitable<void> lingering_close(beast::tcp_stream& stream) {
  boost::system::error_code ec;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  if (ec) co_return;  // the client is gone already
  stream.expires_after(std::chrono::seconds(2));
  static constexpr std::size_t max_discard = 64 * 1024 * 1024;
  std::size_t total = 0;
  char scratch[16384];
  while (total < max_discard) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(scratch), use_tuple);
    if (rec) break;
    total += n;
  }
}
}  // namespace

asio::awaitable<void> reject_unread(gateway& g, beast::tcp_stream& stream, std::string target, reason why,
                                    std::string request_id) {
  if (target.starts_with("/v1/")) {
    const auto q = target.find('?');
    record_guard guard(g, request_id, target.substr(0, q));
    co_await fail(g, stream, guard, why, false);
  } else {
    reply rep;
    rep.status = info(why).status;
    rep.body = error_body(why, g.cfg.lang);
    rep.request_id = request_id;
    co_await send(stream, std::move(rep), false);
  }
  co_await lingering_close(stream);
}

asio::awaitable<bool> handle_request(gateway& g, worker& w, beast::tcp_stream& stream,
                                     http::request<http::string_body> req, std::string request_id) {
  g.stats.requests.fetch_add(1, std::memory_order_relaxed);
  const bool keep_alive = req.keep_alive() && !g.draining.load();
  std::string_view target = req.target();
  if (const auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  const auto method = req.method();

  if (target == "/healthz") {
    reply rep;
    rep.body = R"({"status":"ok"})";
    rep.request_id = request_id;
    co_return co_await send(stream, std::move(rep), keep_alive);
  }
  if (target == "/readyz") {
    const bool db = g.audit->healthy();
    const bool records = g.cfg.aud.fail_closed ? g.audit->accepting() : db;
    bool pol = true;
    for (const auto& t : g.tenants) pol = pol && t->snapshot.load() != nullptr;
    const bool ready = records && pol && !g.draining.load();
    json::object o;
    o["status"] = ready ? "ready" : "not ready";
    o["database"] = db;
    o["spool_pending"] = g.audit->spool_pending();
    o["policy_loaded"] = pol;
    o["draining"] = g.draining.load();
    reply rep;
    rep.status = ready ? 200 : 503;
    rep.body = json::serialize(o);
    rep.request_id = request_id;
    co_return co_await send(stream, std::move(rep), keep_alive);
  }
  if (target == "/admin" || target.starts_with("/admin/")) co_return co_await handle_admin(g, stream, req, request_id, keep_alive);
  if (target == "/v1/models") {
    if (method != http::verb::get) {
      record_guard guard(g, request_id, target);
      co_return co_await fail(g, stream, guard, reason::method_not_allowed, keep_alive);
    }
    co_return co_await handle_models(g, stream, req, request_id, keep_alive);
  }
  std::optional<openai::endpoint> kind;
  if (target == "/v1/chat/completions") kind = openai::endpoint::chat_completions;
  if (target == "/v1/completions") kind = openai::endpoint::completions;
  if (target == "/v1/embeddings") kind = openai::endpoint::embeddings;
  if (kind) {
    if (method != http::verb::post) {
      record_guard guard(g, request_id, target);
      co_return co_await fail(g, stream, guard, reason::method_not_allowed, keep_alive);
    }
    g.stats.in_flight.fetch_add(1);
    struct in_flight_guard {
      gateway& g;
      ~in_flight_guard() { g.stats.in_flight.fetch_sub(1); }
    } ifg{g};
    co_return co_await handle_proxy(g, w, stream, req, *kind, request_id, keep_alive);
  }
  if (target.starts_with("/v1/")) {
    record_guard guard(g, request_id, target);
    co_return co_await fail(g, stream, guard, reason::not_found, keep_alive);
  }
  reply rep;
  rep.status = 404;
  rep.body = error_body(reason::not_found, g.cfg.lang);
  rep.request_id = request_id;
  co_return co_await send(stream, std::move(rep), keep_alive);
}

}  // namespace lp
