// The dashboard under /admin: static files (embedded from admin/ui/) and the JSON API
// (admin/api.h), with the session cookie, CSRF and origin checks. The API's database work runs
// on the admin thread pool, so the I/O threads never wait for PostgreSQL.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <array>
#include <map>

#include "admin/api.h"
#include "server/gateway.h"

namespace lp {

namespace admin {
const std::vector<std::pair<std::string, std::string>>& ui_files();
}

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Security headers of every /admin response: no framing, no sniffing, no referrer, and a
// policy that allows only the dashboard's own files (no inline scripts or styles).
constexpr const char* security_headers =
    "Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'\r\n"
    "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: no-referrer\r\n";

// Parameters by value: GCC 12 mishandles references to temporaries in coroutine frames.
asio::awaitable<bool> write(beast::tcp_stream& s, unsigned status, std::string type, std::string body, std::string request_id,
                            std::string extra, bool keep_alive, bool cache = false) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " " +
                     std::string(http::obsolete_reason(static_cast<http::status>(status))) +
                     "\r\nServer: leitplanke\r\nX-Request-Id: " + request_id + "\r\n";
  if (!type.empty()) head += "Content-Type: " + type + "\r\n";
  head += security_headers;
  head += cache ? "Cache-Control: no-cache\r\n" : "Cache-Control: no-store\r\n";
  head += extra;
  if (!keep_alive) head += "Connection: close\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  const std::array<asio::const_buffer, 2> bytes{asio::buffer(head), asio::buffer(body)};
  s.expires_after(std::chrono::seconds(30));
  auto [ec, n] = co_await asio::async_write(s, bytes, use_tuple);
  co_return !ec && keep_alive;
}

std::string cookie_value(const http::request<http::string_body>& req, std::string_view name) {
  for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie; ++it) {
    std::string_view v = it->value();
    while (!v.empty()) {
      const auto semi = v.find(';');
      std::string_view part = v.substr(0, semi);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      if (part.size() > name.size() && part.substr(0, name.size()) == name && part[name.size()] == '=') {
        return std::string(part.substr(name.size() + 1));
      }
      if (semi == std::string_view::npos) break;
      v.remove_prefix(semi + 1);
    }
  }
  return {};
}

const char* content_type(const std::string& file) {
  if (file.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (file.ends_with(".css")) return "text/css; charset=utf-8";
  return "text/html; charset=utf-8";
}

// A request from another site must not act on a session: when the browser names an origin, it
// must be this gateway's (scheme-less comparison of the host).
bool same_origin(const http::request<http::string_body>& req) {
  const auto origin = req.find(http::field::origin);
  if (origin == req.end()) return true;
  const auto host = req.find(http::field::host);
  if (host == req.end()) return false;
  std::string_view o = origin->value();
  const auto scheme = o.find("://");
  if (scheme == std::string_view::npos) return false;
  return o.substr(scheme + 3) == host->value();
}

}  // namespace

asio::awaitable<bool> handle_admin(gateway& g, beast::tcp_stream& stream, const http::request<http::string_body>& req,
                                   std::string request_id, bool keep_alive) {
  std::string_view target = req.target();
  std::string_view path = target.substr(0, target.find('?'));
  const bool english = g.cfg.lang == language::en;
  if (path == "/admin") co_return co_await write(stream, 308, "", "", request_id, "Location: /admin/\r\n", keep_alive);
  if (!path.starts_with("/admin/api/")) {
    // Static files: /admin/ is index.html; others by name.
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      co_return co_await write(stream, 405, "application/json", admin::error_json("method not allowed", "invalid_request_error", "method_not_allowed"),
                               request_id, "Allow: GET\r\n", keep_alive);
    }
    const std::string name = path == "/admin/" ? "index.html" : std::string(path.substr(7));
    for (const auto& [file, content] : admin::ui_files()) {
      if (file == name) co_return co_await write(stream, 200, content_type(file), content, request_id, "", keep_alive, true);
    }
    co_return co_await write(stream, 404, "application/json",
                             admin::error_json(english ? "Not found." : "Nicht gefunden.", "not_found_error", "not_found"), request_id, "",
                             keep_alive);
  }

  admin::request ar;
  ar.method = std::string(req.method_string());
  ar.path = std::string(path.substr(10));  // below /admin/api
  ar.body = req.body();
  if (const auto q = target.find('?'); q != std::string_view::npos) {
    const std::string rel = "?" + std::string(target.substr(q + 1));
    const auto ref = boost::urls::parse_relative_ref(rel);
    if (!ref) {
      co_return co_await write(stream, 400, "application/json",
                               admin::error_json("malformed query string", "invalid_request_error", "invalid_query"), request_id, "",
                               keep_alive);
    }
    for (const auto& p : ref->params()) ar.query[p.key] = p.value;  // percent-decoded
  }
  const std::string sid = cookie_value(req, "lp_admin");
  if (!sid.empty()) ar.who = g.admin_sessions.use(sid);
  const bool changes = req.method() != http::verb::get && req.method() != http::verb::head;
  if (changes) {
    // Cross-site requests cannot act: same origin, JSON only, and the session's CSRF token
    // (except the login itself, which has no session yet).
    const bool login = ar.path == "/session" && req.method() == http::verb::post;
    const auto type = req.find(http::field::content_type);
    const bool json_body = req.body().empty() || (type != req.end() && type->value().starts_with("application/json"));
    std::string why;
    if (!same_origin(req)) why = english ? "Request from another origin." : "Anfrage von einer anderen Herkunft.";
    else if (!json_body) why = english ? "The body must be application/json." : "Der Inhalt muss application/json sein.";
    else if (!login) {
      const auto token = req.find("X-CSRF-Token");
      if (ar.who && (token == req.end() || !admin::same_secret(std::string(token->value()), ar.who->csrf))) {
        why = english ? "Missing or wrong X-CSRF-Token." : "X-CSRF-Token fehlt oder ist falsch.";
      }
    }
    if (!why.empty()) {
      co_return co_await write(stream, 403, "application/json", admin::error_json(why, "permission_error", "csrf"), request_id, "",
                               keep_alive);
    }
  }
  // The handler blocks on PostgreSQL: run it on the admin pool and come back here.
  const admin::response res = co_await asio::co_spawn(
      g.admin_pool->get_executor(), [&]() -> asio::awaitable<admin::response> { co_return admin::handle(g.admin_env, ar); },
      asio::use_awaitable);
  std::string extra;
  for (const auto& [k, v] : res.headers) extra += k + ": " + v + "\r\n";
  co_return co_await write(stream, static_cast<unsigned>(res.status), res.body.empty() ? "" : "application/json", res.body, request_id,
                           extra, keep_alive);
}

}  // namespace lp
