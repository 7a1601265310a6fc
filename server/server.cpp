// Listener, sessions and lifecycle. Each worker thread runs its own io_context with its own
// upstream pool; the main thread accepts connections and hands them out round-robin, so a
// session and everything it touches stays on one thread (no strands, no locks on the data path).
#include <boost/asio/as_tuple.hpp>
#include <boost/json.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include <filesystem>
#include <functional>
#include <iostream>
#include <thread>

#include "audit/maintenance.h"
#include "core/log.h"
#include "core/request_id.h"
#include "server/gateway.h"

namespace lp {
namespace {
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Limit on the request line plus headers.
constexpr std::uint32_t max_header_bytes = 32 * 1024;

std::string request_id_for(const http::request_parser<http::string_body>& p) {
  auto it = p.get().find("X-Request-Id");
  if (it != p.get().end() && valid_request_id(it->value())) return std::string(it->value());
  return new_request_id();
}

asio::awaitable<void> run_session(gateway& g, worker& w, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  // Beast reads at most the buffer's free capacity (at least 512 bytes) per receive; starting
  // with room for a typical request saves several receive calls per request.
  buffer.reserve(16 * 1024);
  struct conn_guard {
    gateway& g;
    ~conn_guard() { g.stats.connections.fetch_sub(1); }
  } cg{g};
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(max_header_bytes);
    parser.body_limit(g.cfg.lim.max_body_bytes);
    // One deadline covers the whole request (headers and body): slow clients are cut off.
    stream.expires_after(g.cfg.lim.header_timeout);
    auto [hec, hn] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (hec) {
      if (hec == http::error::end_of_stream || hec == beast::error::timeout || hec == asio::error::eof ||
          hec == asio::error::connection_reset || hec == asio::error::operation_aborted) {
        co_return;  // the client went away or idled out between requests: nothing to answer
      }
      if (hec == http::error::body_limit) {
        // The announced Content-Length is above limits.max_body_bytes; the header is parsed.
        std::string id = request_id_for(parser);
        std::string target(parser.get().target());
        co_await reject_unread(g, stream, std::move(target), reason::body_too_large, std::move(id));
        co_return;
      }
      // Malformed request line or headers, or headers above max_header_bytes.
      std::string id = new_request_id();
      co_await reject_unread(g, stream, {}, reason::invalid_request, std::move(id));
      co_return;
    }
    const std::string request_id = request_id_for(parser);
    const std::string target(parser.get().target());
    // Refuse an announced oversized body before the client sends it.
    if (auto len = parser.content_length(); len && *len > g.cfg.lim.max_body_bytes) {
      co_await reject_unread(g, stream, target, reason::body_too_large, request_id);
      co_return;
    }
    if (auto it = parser.get().find(http::field::expect);
        it != parser.get().end() && beast::iequals(it->value(), "100-continue")) {
      static constexpr std::string_view cont = "HTTP/1.1 100 Continue\r\n\r\n";
      auto [cec, cn] = co_await asio::async_write(stream, asio::buffer(cont), use_tuple);
      if (cec) co_return;
    }
    auto [bec, bn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (bec) {
      if (bec == http::error::body_limit) {
        co_await reject_unread(g, stream, target, reason::body_too_large, request_id);
      } else if (bec == beast::error::timeout) {
        co_await reject_unread(g, stream, target, reason::invalid_request, request_id);
      }
      // Other errors: the client closed mid-body; there is nobody to answer.
      co_return;
    }
    bool keep = false;
    try {
      auto req = parser.release();
      keep = co_await handle_request(g, w, stream, std::move(req), request_id);
    } catch (const std::exception& e) {
      // Regular failures are values; an exception here is a bug. Log it and drop the connection.
      log::write(log::level::error, request_id, std::string("internal error: ") + e.what());
      keep = false;
    }
    if (!keep) break;
  }
  boost::system::error_code ec;
  // Half-close so the client sees the end of the last response; failure means it is gone already.
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

void log_exception(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    log::error(std::string("session ended with an exception: ") + x.what());
  }
}

asio::awaitable<void> accept_loop(gateway& g, tcp::acceptor& acceptor, std::vector<std::unique_ptr<worker>>& workers) {
  std::size_t next = 0;
  for (;;) {
    worker& w = *workers[next];
    next = (next + 1) % workers.size();
    auto [ec, socket] = co_await acceptor.async_accept(*w.ioc, use_tuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      log::warn("accept failed: " + ec.message());
      // EMFILE and friends: back off briefly instead of spinning.
      asio::steady_timer t(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await t.async_wait(use_tuple);
      continue;
    }
    if (g.stats.connections.load() >= static_cast<std::int64_t>(g.cfg.lim.max_connections)) {
      log::warn("connection refused: limits.max_connections reached");
      continue;  // socket closes here
    }
    socket.set_option(tcp::no_delay(true));
    g.stats.connections.fetch_add(1);
    asio::co_spawn(*w.ioc, run_session(g, w, std::move(socket)), log_exception);
  }
}

// Hands a policy version to the audit trail: its text, AI services and departments.
void note_policy(audit::writer& audit_log, const std::string& tenant, const policy::snapshot& p) {
  namespace json = boost::json;
  json::array services;
  for (const auto& s : p.services) {
    json::object o;
    o["name"] = s.name;
    o["provider"] = s.provider;
    json::array models;
    for (const auto& m : s.models) models.emplace_back(m);
    o["models"] = std::move(models);
    o["location"] = s.location;
    o["transfer_basis"] = policy::to_string(s.basis);
    o["processor_contract"] = s.processor_contract;
    o["no_training_on_inputs"] = s.no_training_on_inputs;
    o["price_input_per_1k"] = s.price_input_per_1k;
    o["price_output_per_1k"] = s.price_output_per_1k;
    o["enabled"] = s.enabled;
    services.push_back(std::move(o));
  }
  audit_log.note_policy(tenant, p.digest, p.version, p.source, json::serialize(services), p.departments);
}

// Loads the policy file again and publishes it when it is valid and different. A request keeps
// the snapshot it started with; the next one gets the new one (one atomic pointer swap).
// An invalid file is reported with FILE:LINE:COL and the running policy stays in force.
void reload_policy(tenant_policy& t, std::string_view why, bool name_tenant, audit::writer& audit_log) {
  std::vector<yaml::diagnostic> diags;
  auto next = policy::load_file(t.file, diags);
  const std::string tenant = name_tenant ? " of tenant '" + t.name + "'" : std::string();
  if (!next) {
    log::warn("policy reload (" + std::string(why) + ") failed" + tenant + "; keeping policy " +
              t.snapshot.load()->version + ". Problems:");
    for (const auto& d : diags) log::warn("  " + d.format());
    return;
  }
  const auto current = t.snapshot.load();
  if (next->digest == current->digest) return;
  t.set_base(next);
  note_policy(audit_log, t.name, *next);
  log::info("policy reloaded (" + std::string(why) + "): version " + next->version + tenant + ", " +
            std::to_string(next->rules.size()) + " rules, sha256 " + next->digest.substr(0, 12));
}

// Schedules reload_policy on the admin threads, so that the acceptor and the workers never wait
// for a policy to compile (seconds for pattern-heavy policies). Coalesces requests per tenant.
void schedule_reload(gateway& g, tenant_policy& t, std::string why) {
  t.reload_wanted = true;
  if (t.reload_running.exchange(true)) return;  // the running job picks it up
  asio::post(*g.admin_pool, [&g, &t, why = std::move(why)] {
    for (;;) {
      while (t.reload_wanted.exchange(false)) {
        try {
          reload_policy(t, why, g.tenants.size() > 1, *g.audit);
        } catch (const std::exception& e) {
          log::warn(std::string("policy reload failed: ") + e.what());
        }
      }
      t.reload_running = false;
      // A request that came after the last check but before the flag was cleared.
      if (!t.reload_wanted.load() || t.reload_running.exchange(true)) return;
    }
  });
}

// Cheap change detection for the policy file: modification time and size.
struct file_stamp {
  std::filesystem::file_time_type mtime{};
  std::uintmax_t size = 0;
  bool operator==(const file_stamp&) const = default;
};

file_stamp stamp_of(const std::string& path) {
  std::error_code ec;
  file_stamp s;
  s.mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return {};  // missing or unreadable: reported by the reload attempt itself
  s.size = std::filesystem::file_size(path, ec);
  return s;
}

}  // namespace

worker::worker(gateway& g)
    : ioc(std::make_unique<asio::io_context>(1)),
      pool(std::make_unique<upstream::pool>(*ioc, g.cfg, *g.tls)) {}

worker::~worker() {
  // Sockets must be destroyed before their io_context: close the idle upstream connections
  // first. Destroying the io_context then destroys suspended sessions (their record guards
  // still submit); connections they give back are closed, not pooled.
  pool->shutdown();
  ioc.reset();
  pool.reset();
}

int serve(const std::string& config_path) {
  std::vector<yaml::diagnostic> diags;
  auto cfg = config::load(config_path, config::need::serve, diags);
  if (!cfg) {
    for (const auto& d : diags) std::cerr << d.format() << "\n";
    return 1;
  }
  auto g = std::make_unique<gateway>();
  g->cfg = std::move(*cfg);
  for (const auto& tc : g->cfg.tenants) {
    auto pol = policy::load_file(tc.policy_file, diags);
    if (!pol) {
      for (const auto& d : diags) std::cerr << d.format() << "\n";
      std::cerr << "leitplanke: the policy of tenant '" << tc.name << "' has errors; not starting\n";
      return 1;
    }
    // Policy rules may only name models the configuration routes.
    for (const auto& r : pol->rules) {
      for (const auto& m : r.models) {
        if (!g->cfg.find_model(m)) {
          log::warn("policy rule '" + r.id + "' (tenant '" + tc.name + "') names model '" + m +
                    "', which the configuration does not route");
        }
      }
    }
    auto t = std::make_unique<tenant_policy>();
    t->name = tc.name;
    t->file = tc.policy_file;
    t->set_base(std::move(pol));
    g->tenants.push_back(std::move(t));
  }
  const auto pol = g->default_tenant().snapshot.load();
  try {
    g->detector = redact::detector::create();
    g->tls = std::make_unique<upstream::tls_contexts>(g->cfg);
  } catch (const std::exception& e) {
    std::cerr << "leitplanke: " << e.what() << "\n";
    return 1;
  }
  const rotation rot = g->cfg.pseudonym_rotation == "none"    ? rotation::none
                      : g->cfg.pseudonym_rotation == "month" ? rotation::month
                                                             : rotation::quarter;
  g->keys = std::make_unique<key_cache>(g->cfg.database_url, g->cfg.pseudonym_key, g->cfg.keys_refresh, rot);
  std::string err;
  if (!g->keys->reload(err)) {
    log::warn("cannot load API keys yet (database unreachable?); retrying every keys_refresh_ms: " + err);
  }
  g->keys->start();
  audit::writer_settings ws;
  ws.flush_interval = g->cfg.aud.flush_interval;
  ws.batch_max = g->cfg.aud.batch_max;
  ws.queue_max = g->cfg.aud.queue_max;
  ws.checkpoint_interval = g->cfg.aud.checkpoint_interval;
  ws.spool_dir = g->cfg.aud.spool_dir;
  if (!g->cfg.aud.signing_key_file.empty()) {
    try {
      ws.signing_key = std::make_shared<const audit::ed25519_key>(audit::ed25519_key::load_private(g->cfg.aud.signing_key_file));
    } catch (const std::exception& e) {
      std::cerr << "leitplanke: audit.signing_key_file: " << e.what() << "\n";
      return 1;
    }
  } else {
    log::warn("audit: no signing_key_file: the hash chain is kept, but no checkpoints are signed (a database "
              "administrator could rewrite the whole chain unnoticed)");
  }
  try {
    g->audit = std::make_unique<audit::writer>(g->cfg.database_url, g->cfg.instance, ws);
  } catch (const std::exception& e) {
    std::cerr << "leitplanke: audit.spool_dir: " << e.what() << "\n";
    return 1;
  }
  for (const auto& t : g->tenants) {
    const auto p = t->snapshot.load();
    note_policy(*g->audit, t->name, *p);
  }
  g->audit->start();
  // Daily: partitions of the coming months, and retention as the policies say (the longest of
  // the tenants' periods: partitions are shared).
  audit::maintenance upkeep(g->cfg.database_url, "gateway " + g->cfg.instance, [gw = g.get()] {
    unsigned months = 0;
    for (const auto& t : gw->tenants) {
      if (const auto p = t->snapshot.load()) months = std::max(months, p->retention.decision_log_months);
    }
    return static_cast<int>(months);
  });
  upkeep.start();

  // The dashboard's API: blocking database work on two threads of its own; kill switches set
  // there apply to the policies now and after every change (also those of other gateways).
  g->admin_pool = std::make_unique<asio::thread_pool>(2);
  {
    auto& env = g->admin_env;
    env.database_url = g->cfg.database_url;
    env.lang = g->cfg.lang;
    env.store = &g->admin_sessions;
    env.authenticate = [gw = g.get()](std::string_view key) -> std::optional<admin::key_info> {
      const auto id = gw->keys->authenticate(key);
      if (!id) return std::nullopt;
      return admin::key_info{id->key_id, id->role, id->department, id->tenant};
    };
    env.policy_of = [gw = g.get()](const std::string& name) -> policy::snapshot_ptr {
      const auto* t = gw->tenant(name);
      return t ? t->snapshot.load() : nullptr;
    };
    env.set_services_off = [gw = g.get()](const std::string& name, std::vector<std::string> off) {
      for (auto& t : gw->tenants) {
        if (t->name == name) t->set_off(std::move(off));
      }
    };
    env.post = [gw = g.get()](std::function<void()> f) { asio::post(*gw->admin_pool, std::move(f)); };
    env.spool_pending = [gw = g.get()]() -> std::uint64_t { return gw->audit->spool_pending(); };
    env.tenants = [gw = g.get()] {
      std::vector<std::string> names;
      for (const auto& t : gw->tenants) names.push_back(t->name);
      return names;
    };
  }
  auto sync_switches = [gw = g.get()] {
    try {
      admin::sync_kill_switches(gw->admin_env);
    } catch (const std::exception& e) {
      log::warn(std::string("admin: cannot read the dashboard's kill switches (retrying): ") + e.what());
    }
  };
  asio::post(*g->admin_pool, sync_switches);

  asio::io_context main_ioc(1);
  tcp::acceptor acceptor(main_ioc);
  try {
    tcp::endpoint ep(asio::ip::make_address(g->cfg.listen_host), g->cfg.listen_port);
    acceptor.open(ep.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
  } catch (const std::exception& e) {
    std::cerr << "leitplanke: cannot listen on " << g->cfg.listen_host << ":" << g->cfg.listen_port << " (listen): "
              << e.what() << "\n";
    return 1;
  }

  std::vector<std::unique_ptr<worker>> workers;
  std::vector<std::thread> threads;
  using guard_t = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<guard_t> guards;
  for (unsigned i = 0; i < g->cfg.threads; ++i) {
    workers.push_back(std::make_unique<worker>(*g));
    guards.emplace_back(workers.back()->ioc->get_executor());
  }
  for (auto& w : workers) {
    threads.emplace_back([&w] { w->ioc->run(); });
  }

  asio::co_spawn(main_ioc, accept_loop(*g, acceptor, workers), log_exception);

  // Policy reload: on SIGHUP, and when the file changes (checked every policy_reload_ms).
  asio::signal_set hup(main_ioc, SIGHUP);
  std::function<void()> wait_hup = [&] {
    hup.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      for (auto& t : g->tenants) schedule_reload(*g, *t, "SIGHUP");
      wait_hup();
    });
  };
  wait_hup();
  asio::steady_timer reload_timer(main_ioc);
  std::vector<file_stamp> last_stamps;
  for (const auto& t : g->tenants) last_stamps.push_back(stamp_of(t->file));
  std::function<void()> poll_policy = [&] {
    if (g->cfg.policy_reload.count() == 0) return;
    reload_timer.expires_after(g->cfg.policy_reload);
    reload_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      for (std::size_t i = 0; i < g->tenants.size(); ++i) {
        const file_stamp now = stamp_of(g->tenants[i]->file);
        if (!(now == last_stamps[i])) {
          last_stamps[i] = now;
          schedule_reload(*g, *g->tenants[i], "file changed");
        }
      }
      poll_policy();
    });
  };
  poll_policy();
  asio::steady_timer switch_timer(main_ioc);
  std::function<void()> poll_switches = [&] {
    switch_timer.expires_after(g->cfg.keys_refresh);
    switch_timer.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      asio::post(*g->admin_pool, sync_switches);
      poll_switches();
    });
  };
  poll_switches();

  asio::signal_set signals(main_ioc, SIGTERM, SIGINT);
  asio::steady_timer drain_timer(main_ioc);
  std::chrono::steady_clock::time_point drain_deadline;
  std::function<void()> poll_drain = [&] {
    if (g->stats.in_flight.load() <= 0 || std::chrono::steady_clock::now() >= drain_deadline) {
      main_ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([&](boost::system::error_code) { poll_drain(); });
  };
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    log::info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
              ": draining in-flight requests (limits.drain_timeout_ms)");
    g->draining = true;
    boost::system::error_code ignored;
    hup.cancel(ignored);
    reload_timer.cancel();
    switch_timer.cancel();
    acceptor.close(ignored);  // closing an acceptor cannot fail in a way that matters here
    drain_deadline = std::chrono::steady_clock::now() + g->cfg.lim.drain_timeout;
    poll_drain();
  });

  log::info("leitplanke listening on " + g->cfg.listen_host + ":" + std::to_string(acceptor.local_endpoint().port()) +
            " with " + std::to_string(g->cfg.threads) + " threads, policy " + pol->version + " (" +
            std::to_string(pol->rules.size()) + " rules), " + std::to_string(g->cfg.models.size()) + " models" +
            (g->tenants.size() > 1 ? ", " + std::to_string(g->tenants.size()) + " tenants" : std::string()));
  main_ioc.run();

  const auto left = g->stats.in_flight.load();
  if (left > 0) log::warn(std::to_string(left) + " requests still in flight at the drain deadline; recording them as aborted");
  guards.clear();
  for (auto& w : workers) w->ioc->stop();
  for (auto& t : threads) t.join();
  workers.clear();  // destroys suspended sessions; their records are submitted now
  g->admin_pool->stop();
  g->admin_pool->join();
  g->keys->stop();
  upkeep.stop();
  const auto lost = g->audit->stop(g->cfg.lim.drain_timeout);
  log::info("stopped: " + std::to_string(g->audit->written()) + " decision records written, " + std::to_string(lost) +
            " not written");
  return lost == 0 && g->stats.audit_rejected.load() == 0 ? 0 : 3;
}

}  // namespace lp
