// Outbound HTTP/1.1 client for upstream AI services: plain TCP or TLS (OpenSSL, peer and host
// name verified by default), keep-alive connection pools, deadlines on every operation, and
// incremental body reads for relaying streams.
//
// Threading: a `pool` belongs to one io_context, which one thread runs; pools and exchanges are
// used only from that thread (no locks). TLS contexts are shared, read-only, across pools.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"

namespace lp::upstream {

namespace asio = boost::asio;

// Why an exchange failed. Maps to 502 or 504 at the edge.
enum class failure : unsigned char {
  none,
  connect,       // name resolution or TCP connect failed (502)
  tls,           // TLS handshake or certificate verification failed (502)
  timeout,       // a deadline expired (504)
  closed,        // the upstream closed or reset the connection mid-exchange (502)
  bad_response,  // not parseable as HTTP, or over the size limit (502)
};

std::string_view to_string(failure f);

// Shared, immutable per-upstream TLS settings. Built once at startup; throws on a bad CA file.
class tls_contexts {
 public:
  explicit tls_contexts(const config::config& cfg);
  asio::ssl::context* get(std::size_t upstream_index) const { return ctx_[upstream_index].get(); }

 private:
  std::vector<std::unique_ptr<asio::ssl::context>> ctx_;
};

class connection;

// Idle keep-alive connections per upstream, for one io_context.
class pool {
 public:
  pool(asio::io_context& ioc, const config::config& cfg, const tls_contexts& tls);
  ~pool();
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;

  asio::io_context& context() { return ioc_; }
  const config::upstream& settings(std::size_t i) const { return cfg_.upstreams[i]; }

  // An idle connection to upstream `i`, or null.
  std::unique_ptr<connection> take_idle(std::size_t i);
  // Returns a connection that finished a response cleanly and may be reused.
  void give_back(std::size_t i, std::unique_ptr<connection> c);
  // Closes idle connections and stops pooling (connections given back are closed). Called at
  // shutdown while the io_context still exists: sockets must not outlive their context.
  void shutdown();
  // Opens a new connection (resolve, connect, TLS handshake) within the connect timeout.
  asio::awaitable<std::unique_ptr<connection>> open(std::size_t i, failure& why);

 private:
  asio::io_context& ioc_;
  const config::config& cfg_;
  const tls_contexts& tls_;
  std::vector<std::vector<std::unique_ptr<connection>>> idle_;
  bool closing_ = false;
};

// One request/response exchange with an upstream.
class exchange {
 public:
  exchange(pool& p, std::size_t upstream_index);
  ~exchange();
  exchange(const exchange&) = delete;
  exchange& operator=(const exchange&) = delete;

  // Sends POST <base_path><path> with the JSON body and reads the response headers. Retries once
  // on a fresh connection when a reused keep-alive connection turns out to be closed.
  // `deadline` bounds the whole call (connect + send + response headers).
  asio::awaitable<failure> start(std::string path, std::string body,
                                 std::chrono::steady_clock::time_point deadline);

  unsigned status() const;
  std::string content_type() const;
  bool done() const;  // the whole body has been read
  // Appends the body bytes that can be decoded from data already received, without waiting
  // for the network (an upstream that sent a burst of events is taken in one go).
  failure take_buffered(std::string& out);

  // Appends the next body bytes that arrive (at most ~16 KiB) to `out`. Waits at most until
  // `deadline`. Returns failure::none with nothing appended only when done().
  asio::awaitable<failure> read_some(std::string& out, std::chrono::steady_clock::time_point deadline);

  // Reads the rest of the body into `out` (bounded by `max_bytes`).
  asio::awaitable<failure> read_all(std::string& out, std::size_t max_bytes,
                                    std::chrono::steady_clock::time_point deadline);

  // Returns the connection to the pool when the exchange completed cleanly and both sides
  // allow keep-alive; otherwise closes it. Called by the destructor too.
  void finish();

 private:
  pool& pool_;
  std::size_t index_;
  std::unique_ptr<connection> conn_;
  std::unique_ptr<boost::beast::http::response_parser<boost::beast::http::buffer_body>> parser_;
  bool failed_ = false;
};

}  // namespace lp::upstream
