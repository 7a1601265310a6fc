#include "upstream/client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <stdexcept>
#include <variant>

namespace lp::upstream {
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string_view to_string(failure f) {
  switch (f) {
    case failure::none: return "none";
    case failure::connect: return "connect";
    case failure::tls: return "tls";
    case failure::timeout: return "timeout";
    case failure::closed: return "closed";
    case failure::bad_response: return "bad_response";
  }
  return "?";
}

tls_contexts::tls_contexts(const config::config& cfg) {
  for (const auto& u : cfg.upstreams) {
    if (!u.tls) {
      ctx_.push_back(nullptr);
      continue;
    }
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                     asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (!u.ca_file.empty()) {
      ctx->load_verify_file(u.ca_file, ec);
      if (ec) throw std::runtime_error("upstream '" + u.name + "': cannot load ca_file " + u.ca_file + ": " + ec.message());
    } else {
      ctx->set_default_verify_paths(ec);
      if (ec) throw std::runtime_error("upstream '" + u.name + "': cannot load the system CA store: " + ec.message());
    }
    ctx->set_verify_mode(u.verify ? asio::ssl::verify_peer : asio::ssl::verify_none);
    ctx_.push_back(std::move(ctx));
  }
}

// A plain or TLS connection plus its read buffer (which may hold bytes of the next response).
class connection {
 public:
  using plain = beast::tcp_stream;
  using secure = beast::ssl_stream<beast::tcp_stream>;

  // The read buffer starts with room for a typical answer: Beast receives at most the free
  // capacity per call, so a small initial buffer costs extra receive calls per response.
  explicit connection(asio::io_context& ioc) : s_(std::in_place_type<plain>, ioc) { buffer.reserve(16 * 1024); }
  connection(asio::io_context& ioc, asio::ssl::context& ctx) : s_(std::in_place_type<secure>, ioc, ctx) {
    buffer.reserve(16 * 1024);
  }

  beast::tcp_stream& tcp() {
    if (auto* p = std::get_if<plain>(&s_)) return *p;
    return beast::get_lowest_layer(std::get<secure>(s_));
  }
  secure* tls() { return std::get_if<secure>(&s_); }

  template <class F>
  auto visit(F&& f) {
    return std::visit(std::forward<F>(f), s_);
  }

  beast::flat_buffer buffer;
  int uses = 0;

 private:
  std::variant<plain, secure> s_;
};

pool::pool(asio::io_context& ioc, const config::config& cfg, const tls_contexts& tls)
    : ioc_(ioc), cfg_(cfg), tls_(tls), idle_(cfg.upstreams.size()) {}

pool::~pool() = default;

std::unique_ptr<connection> pool::take_idle(std::size_t i) {
  auto& v = idle_[i];
  while (!v.empty()) {
    auto c = std::move(v.back());
    v.pop_back();
    if (c->tcp().socket().is_open()) return c;
  }
  return nullptr;
}

void pool::shutdown() {
  closing_ = true;
  for (auto& v : idle_) v.clear();
}

void pool::give_back(std::size_t i, std::unique_ptr<connection> c) {
  if (closing_) return;  // closes c
  auto& v = idle_[i];
  if (v.size() >= cfg_.upstreams[i].max_idle_connections) return;  // closes c
  v.push_back(std::move(c));
}

asio::awaitable<std::unique_ptr<connection>> pool::open(std::size_t i, failure& why) {
  const auto& u = cfg_.upstreams[i];
  std::unique_ptr<connection> c;
  if (u.tls) {
    c = std::make_unique<connection>(ioc_, *tls_.get(i));
  } else {
    c = std::make_unique<connection>(ioc_);
  }
  tcp::resolver resolver(ioc_);
  // The resolver has no timeout of its own; name resolution of configured hosts is bounded by
  // the system resolver's timeouts (resolv.conf).
  auto [rec, results] = co_await resolver.async_resolve(u.host, u.port, use_tuple);
  if (rec) {
    why = failure::connect;
    co_return nullptr;
  }
  c->tcp().expires_after(u.connect_timeout);
  auto [cec, ep] = co_await c->tcp().async_connect(results, use_tuple);
  if (cec) {
    why = cec == beast::error::timeout ? failure::timeout : failure::connect;
    co_return nullptr;
  }
  c->tcp().socket().set_option(tcp::no_delay(true));
  if (auto* s = c->tls()) {
    SSL* ssl = s->native_handle();
    boost::system::error_code aec;
    asio::ip::make_address(u.host, aec);  // only to learn whether the host is an IP literal
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (!aec) {
      X509_VERIFY_PARAM_set1_ip_asc(param, u.host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl, u.host.c_str());
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, u.host.c_str(), 0);
    }
    auto [hec] = co_await s->async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (hec) {
      why = hec == beast::error::timeout ? failure::timeout : failure::tls;
      co_return nullptr;
    }
  }
  why = failure::none;
  co_return c;
}

exchange::exchange(pool& p, std::size_t upstream_index) : pool_(p), index_(upstream_index) {}

exchange::~exchange() { finish(); }

unsigned exchange::status() const { return parser_ ? parser_->get().result_int() : 0; }

std::string exchange::content_type() const {
  if (!parser_) return {};
  auto it = parser_->get().find(http::field::content_type);
  return it == parser_->get().end() ? std::string() : std::string(it->value());
}

bool exchange::done() const { return parser_ && parser_->is_done(); }

failure exchange::take_buffered(std::string& out) {
  if (!parser_ || !conn_) return failure::closed;
  while (!parser_->is_done() && conn_->buffer.size() > 0) {
    char buf[16384];
    auto& body = parser_->get().body();
    body.data = buf;
    body.size = sizeof buf;
    boost::system::error_code ec;
    const std::size_t used = parser_->put(conn_->buffer.data(), ec);
    conn_->buffer.consume(used);
    const std::size_t got = sizeof buf - body.size;
    out.append(buf, got);
    if (ec == http::error::need_buffer) continue;  // our 16 KiB were full: go on
    if (ec == http::error::need_more) break;       // the rest is not here yet
    if (ec) {
      failed_ = true;
      return failure::bad_response;
    }
    if (used == 0 && got == 0) break;
  }
  return failure::none;
}



namespace {
failure classify(const boost::system::error_code& ec) {
  if (ec == beast::error::timeout) return failure::timeout;
  if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::broken_pipe || ec == asio::ssl::error::stream_truncated) {
    return failure::closed;
  }
  if (ec.category() == http::make_error_code(http::error::partial_message).category()) return failure::bad_response;
  return failure::closed;
}
}  // namespace

asio::awaitable<failure> exchange::start(std::string path, std::string body, steady::time_point deadline) {
  const auto& u = pool_.settings(index_);
  // The request head is formatted directly: a fixed set of headers whose values come from the
  // validated configuration, so Beast's generic serializer buys nothing here but cost.
  std::string head;
  head.reserve(256);
  head += "POST ";
  head += u.base_path;
  head += path;
  head += " HTTP/1.1\r\nHost: ";
  const bool ipv6 = u.host.find(':') != std::string::npos;
  if (ipv6) head += '[';
  head += u.host;
  if (ipv6) head += ']';
  if (u.port != (u.tls ? "443" : "80")) {
    head += ':';
    head += u.port;
  }
  head += "\r\nUser-Agent: leitplanke\r\nAccept: application/json, text/event-stream\r\n";
  if (!u.api_key.empty()) {
    head += "Authorization: Bearer ";
    head += u.api_key;
    head += "\r\n";
  }
  head += "Content-Type: application/json\r\nContent-Length: ";
  head += std::to_string(body.size());
  head += "\r\n\r\n";
  const std::array<asio::const_buffer, 2> request_bytes{asio::buffer(head), asio::buffer(body)};

  for (int attempt = 0; attempt < 2; ++attempt) {
    failure why = failure::none;
    conn_ = attempt == 0 ? pool_.take_idle(index_) : nullptr;
    const bool reused = conn_ != nullptr;
    if (!conn_) {
      conn_ = co_await pool_.open(index_, why);
      if (!conn_) {
        failed_ = true;
        co_return why;
      }
    }
    auto remaining = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    };
    if (remaining().count() <= 0) {
      failed_ = true;
      co_return failure::timeout;
    }
    conn_->tcp().expires_after(remaining());
    auto [wec, wn] = co_await conn_->visit([&](auto& s) { return asio::async_write(s, request_bytes, use_tuple); });
    if (wec) {
      conn_.reset();
      if (reused && wec != beast::error::timeout) continue;  // stale keep-alive connection
      failed_ = true;
      co_return classify(wec);
    }
    parser_ = std::make_unique<http::response_parser<http::buffer_body>>();
    parser_->body_limit(boost::none);  // bodies are bounded by the caller's reads
    conn_->tcp().expires_after(std::min(remaining(), std::chrono::duration_cast<std::chrono::milliseconds>(u.response_timeout)));
    auto [hec, hn] = co_await conn_->visit(
        [&](auto& s) { return http::async_read_header(s, conn_->buffer, *parser_, use_tuple); });
    if (hec) {
      const bool nothing_received = hn == 0 && conn_->buffer.size() == 0;
      conn_.reset();
      if (reused && nothing_received && hec != beast::error::timeout) continue;
      failed_ = true;
      co_return classify(hec);
    }
    ++conn_->uses;
    co_return failure::none;
  }
  failed_ = true;
  co_return failure::closed;
}

asio::awaitable<failure> exchange::read_some(std::string& out, steady::time_point deadline) {
  if (!parser_ || !conn_) co_return failure::closed;
  const auto& u = pool_.settings(index_);
  while (!parser_->is_done()) {
    char buf[16384];
    auto& body = parser_->get().body();
    body.data = buf;
    body.size = sizeof buf;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    if (left.count() <= 0) {
      failed_ = true;
      co_return failure::timeout;
    }
    conn_->tcp().expires_after(std::min(left, std::chrono::duration_cast<std::chrono::milliseconds>(u.idle_timeout)));
    auto [ec, n] = co_await conn_->visit(
        [&](auto& s) { return http::async_read_some(s, conn_->buffer, *parser_, use_tuple); });
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      failed_ = true;
      co_return classify(ec);
    }
    const std::size_t got = sizeof buf - body.size;
    if (got > 0) {
      out.append(buf, got);
      co_return failure::none;
    }
  }
  co_return failure::none;
}

asio::awaitable<failure> exchange::read_all(std::string& out, std::size_t max_bytes, steady::time_point deadline) {
  while (!done()) {
    auto f = co_await read_some(out, deadline);
    if (f != failure::none) co_return f;
    if (out.size() > max_bytes) {
      failed_ = true;
      co_return failure::bad_response;
    }
  }
  co_return failure::none;
}

void exchange::finish() {
  if (!conn_) return;
  if (!failed_ && parser_ && parser_->is_done() && parser_->get().keep_alive()) {
    pool_.give_back(index_, std::move(conn_));
  }
  conn_.reset();
}

}  // namespace lp::upstream
