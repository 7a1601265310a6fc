// The gateway's shared state and its HTTP server. Sessions only move bytes; the pipeline
// (pipeline.cpp) decides, redacts, forwards, relays and records.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "admin/api.h"
#include "admin/sessions.h"
#include "audit/writer.h"
#include "config/config.h"
#include "policy/policy.h"
#include "redact/detector.h"
#include "server/key_cache.h"
#include "upstream/client.h"

namespace lp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// Counters exported by /readyz details and logged at shutdown.
struct gateway_stats {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> audit_rejected{0};  // records the full queue could not take
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::int64_t> connections{0};
};

// One administration's policy on this installation (multi-tenancy): swapped atomically when
// its file changes.
struct tenant_policy {
  std::string name;
  std::string file;
  // In force: the file's policy with the services switched off in the dashboard.
  std::atomic<std::shared_ptr<const policy::snapshot>> snapshot;
  // Reloads run off the I/O threads (compiling a policy's patterns takes seconds): one at a
  // time per tenant; a request for another while one runs is remembered and done after it.
  std::atomic<bool> reload_running{false};
  std::atomic<bool> reload_wanted{false};

  // Publishes a policy loaded from the file (kill switches of the dashboard applied).
  void set_base(std::shared_ptr<const policy::snapshot> b) {
    std::lock_guard lk(mu_);
    base_ = std::move(b);
    snapshot.store(policy::with_services_off(base_, off_));
  }
  // Publishes the set of services switched off in the dashboard.
  void set_off(std::vector<std::string> off) {
    std::lock_guard lk(mu_);
    if (off == off_ || !base_) return;
    off_ = std::move(off);
    snapshot.store(policy::with_services_off(base_, off_));
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const policy::snapshot> base_;
  std::vector<std::string> off_;
};

// Everything a request needs, shared by all worker threads. Immutable after start except the
// policy snapshots (atomic swap), the counters and the drain flag.
struct gateway {
  config::config cfg;
  std::vector<std::unique_ptr<tenant_policy>> tenants;  // [0] is the default tenant
  redact::detector_ptr detector;
  std::unique_ptr<key_cache> keys;
  std::unique_ptr<audit::writer> audit;
  std::unique_ptr<upstream::tls_contexts> tls;
  gateway_stats stats;
  std::atomic<bool> draining{false};
  // The dashboard (/admin): sessions, what its API needs, and the threads its blocking
  // database work runs on (never the I/O threads).
  admin::sessions admin_sessions;
  admin::environment admin_env;
  std::unique_ptr<asio::thread_pool> admin_pool;

  const tenant_policy* tenant(std::string_view name) const {
    for (const auto& t : tenants) {
      if (t->name == name) return t.get();
    }
    return nullptr;
  }
  const tenant_policy& default_tenant() const { return *tenants.front(); }
};

// One worker thread's I/O context and upstream pool.
struct worker {
  worker(gateway& g);
  ~worker();
  std::unique_ptr<asio::io_context> ioc;
  std::unique_ptr<upstream::pool> pool;
};

// Handles one request that has been read completely and writes its response(s) to `stream`.
// Returns whether the connection may be kept alive. Never throws for request-level problems.
asio::awaitable<bool> handle_request(gateway& g, worker& w, beast::tcp_stream& stream,
                                     http::request<http::string_body> req, std::string request_id);

// Writes a request-level error for a request that could not be read completely (413, 400) and
// records it when its path is under /v1/.
asio::awaitable<void> reject_unread(gateway& g, beast::tcp_stream& stream, std::string target,
                                    reason why, std::string request_id);

// Serves the dashboard under /admin: its static files and its JSON API (server/admin_http.cpp).
asio::awaitable<bool> handle_admin(gateway& g, beast::tcp_stream& stream, const http::request<http::string_body>& req,
                                   std::string request_id, bool keep_alive);

// Runs the server until SIGTERM/SIGINT, then drains and flushes. Returns the process exit code.
int serve(const std::string& config_path);

}  // namespace lp
