#include "config/config.h"

#include <boost/url/parse.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace lp::config {
namespace {

bool valid_tenant_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-')) return false;
  }
  return true;
}


bool read_secret_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
  return true;
}

std::string resolve_relative(const std::string& base_file, const std::string& p) {
  namespace fs = std::filesystem;
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(base_file).parent_path() / p).lexically_normal().string();
}

void read_ms(const YAML::Node& n, const char* key, yaml::checker& c, ms& out) {
  if (!n[key]) return;
  long long v = 0;
  if (c.integer(n[key], key, 1, 24LL * 3600 * 1000, v)) out = ms(v);
}

void read_size(const YAML::Node& n, const char* key, yaml::checker& c, long long min, long long max,
               std::size_t& out) {
  if (!n[key]) return;
  long long v = 0;
  if (c.integer(n[key], key, min, max, v)) out = static_cast<std::size_t>(v);
}

void parse_upstream(const std::string& name, const YAML::Node& n, yaml::checker& c, need what,
                    config& cfg) {
  upstream u;
  u.name = name;
  if (!c.is_map(n, "an upstream")) return;
  c.only_keys(n, {"base_url", "api_key_env", "api_key_file", "ca_file", "verify", "connect_timeout_ms",
                  "response_timeout_ms", "idle_timeout_ms", "max_idle_connections", "api_key"});
  if (n["api_key"]) {
    c.error(n["api_key"], "API keys never go into the configuration; use api_key_env or api_key_file");
  }
  std::string url;
  if (!n["base_url"]) {
    c.error(n, "upstream '" + name + "' has no base_url");
  } else if (c.scalar(n["base_url"], "base_url", url)) {
    auto r = boost::urls::parse_uri(url);
    if (!r || (r->scheme() != "http" && r->scheme() != "https") || r->host().empty() ||
        r->has_query() || r->has_fragment()) {
      c.error(n["base_url"], "base_url must be an http:// or https:// URL like https://api.example.org/v1");
    } else {
      u.tls = r->scheme() == "https";
      u.host = std::string(r->host());
      if (r->host_type() == boost::urls::host_type::ipv6) u.host = std::string(r->encoded_host_address());
      u.port = r->has_port() ? std::string(r->port()) : (u.tls ? "443" : "80");
      u.base_path = std::string(r->encoded_path());
      while (!u.base_path.empty() && u.base_path.back() == '/') u.base_path.pop_back();
    }
  }
  if (n["ca_file"]) {
    if (c.scalar(n["ca_file"], "ca_file", u.ca_file)) u.ca_file = resolve_relative(c.file(), u.ca_file);
  }
  if (n["verify"]) c.boolean(n["verify"], "verify", u.verify);
  read_ms(n, "connect_timeout_ms", c, u.connect_timeout);
  read_ms(n, "response_timeout_ms", c, u.response_timeout);
  read_ms(n, "idle_timeout_ms", c, u.idle_timeout);
  read_size(n, "max_idle_connections", c, 0, 100000, u.max_idle_connections);
  if (what == need::serve) {
    std::string env, file;
    if (n["api_key_env"] && c.scalar(n["api_key_env"], "api_key_env", env)) {
      const char* v = std::getenv(env.c_str());
      if (!v || !*v) {
        c.error(n["api_key_env"], "environment variable " + env + " (API key of upstream '" + name + "') is not set");
      } else {
        u.api_key = v;
      }
    } else if (n["api_key_file"] && c.scalar(n["api_key_file"], "api_key_file", file)) {
      file = resolve_relative(c.file(), file);
      if (!read_secret_file(file, u.api_key)) {
        c.error(n["api_key_file"], "cannot read API key file " + file);
      }
    }
    if (!u.ca_file.empty() && !std::filesystem::exists(u.ca_file)) {
      c.error(n["ca_file"], "CA file " + u.ca_file + " does not exist");
    }
  }
  cfg.upstreams.push_back(std::move(u));
}

}  // namespace

const model_route* config::find_model(std::string_view name) const {
  for (const auto& m : models) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

bool parse_listen(std::string_view s, std::string& host, std::uint16_t& port) {
  std::string_view h, p;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') return false;
    h = s.substr(1, close - 1);
    p = s.substr(close + 2);
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos) return false;
    h = s.substr(0, colon);
    p = s.substr(colon + 1);
  }
  if (h.empty() || p.empty() || p.size() > 5) return false;
  unsigned v = 0;
  for (char ch : p) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + static_cast<unsigned>(ch - '0');
  }
  if (v > 65535) return false;
  host = std::string(h);
  port = static_cast<std::uint16_t>(v);
  return true;
}

std::optional<config> load(const std::string& path, need what, std::vector<yaml::diagnostic>& diags) {
  yaml::checker c(path);
  config cfg;
  cfg.file = path;
  std::string text;
  if (!yaml::read_file(path, text, c)) {
    diags = c.diagnostics();
    return std::nullopt;
  }
  const YAML::Node root = yaml::load(text, c);
  if (!c.ok()) {
    diags = c.diagnostics();
    return std::nullopt;
  }
  if (!c.is_map(root, "the configuration")) {
    diags = c.diagnostics();
    return std::nullopt;
  }
  c.only_keys(root, {"listen", "threads", "database_url", "policy", "tenant", "tenants", "language",
                     "pseudonym_key_file", "pseudonym_rotation", "instance", "keys_refresh_ms", "policy_reload_ms", "limits", "audit",
                     "upstreams", "models"});
  std::string s;
  if (root["listen"] && c.scalar(root["listen"], "listen", s) &&
      !parse_listen(s, cfg.listen_host, cfg.listen_port)) {
    c.error(root["listen"], "listen must be host:port, e.g. 127.0.0.1:8080");
  }
  if (root["threads"]) {
    long long v = 0;
    if (c.integer(root["threads"], "threads", 0, 256, v)) cfg.threads = static_cast<unsigned>(v);
  }
  if (root["database_url"]) c.scalar(root["database_url"], "database_url", cfg.database_url);
  if (root["policy"] && c.scalar(root["policy"], "policy", cfg.policy_file)) {
    cfg.policy_file = resolve_relative(path, cfg.policy_file);
  }
  {
    tenant t{"default", cfg.policy_file};
    if (root["tenant"] && c.scalar(root["tenant"], "tenant", t.name) && !valid_tenant_name(t.name)) {
      c.error(root["tenant"], "tenant name '" + t.name + "' must be 1-64 characters of a-z 0-9 . _ -");
    }
    cfg.tenants.push_back(std::move(t));
  }
  if (const auto ts = root["tenants"]; ts && c.is_map(ts, "tenants")) {
    for (const auto& kv : ts) {
      tenant t;
      t.name = kv.first.Scalar();
      if (!valid_tenant_name(t.name)) {
        c.error(kv.first, "tenant name '" + t.name + "' must be 1-64 characters of a-z 0-9 . _ -");
      }
      for (const auto& other : cfg.tenants) {
        if (other.name == t.name) c.error(kv.first, "tenant '" + t.name + "' is defined twice");
      }
      if (!c.is_map(kv.second, "a tenant")) continue;
      c.only_keys(kv.second, {"policy"});
      if (!kv.second["policy"]) {
        c.error(kv.second, "tenant '" + t.name + "' needs a 'policy' file");
      } else if (c.scalar(kv.second["policy"], "policy", t.policy_file)) {
        t.policy_file = resolve_relative(path, t.policy_file);
      }
      cfg.tenants.push_back(std::move(t));
    }
  }
  if (root["language"] && c.scalar(root["language"], "language", s)) {
    if (s == "de") {
      cfg.lang = language::de;
    } else if (s == "en") {
      cfg.lang = language::en;
    } else {
      c.error(root["language"], "language must be de or en");
    }
  }
  if (root["instance"]) c.scalar(root["instance"], "instance", cfg.instance);
  if (root["pseudonym_rotation"] && c.scalar(root["pseudonym_rotation"], "pseudonym_rotation", cfg.pseudonym_rotation) &&
      cfg.pseudonym_rotation != "quarter" && cfg.pseudonym_rotation != "month" && cfg.pseudonym_rotation != "none") {
    c.error(root["pseudonym_rotation"], "pseudonym_rotation must be quarter, month or none");
  }
  read_ms(root, "keys_refresh_ms", c, cfg.keys_refresh);
  if (root["policy_reload_ms"]) {
    long long v = 0;
    if (c.integer(root["policy_reload_ms"], "policy_reload_ms", 0, 24LL * 3600 * 1000, v)) cfg.policy_reload = ms(v);
  }
  if (const auto l = root["limits"]) {
    if (c.is_map(l, "limits")) {
      c.only_keys(l, {"max_body_bytes", "header_timeout_ms", "idle_timeout_ms", "request_timeout_ms",
                      "drain_timeout_ms", "max_connections"});
      read_size(l, "max_body_bytes", c, 1024, 1LL << 30, cfg.lim.max_body_bytes);
      read_ms(l, "header_timeout_ms", c, cfg.lim.header_timeout);
      read_ms(l, "idle_timeout_ms", c, cfg.lim.idle_timeout);
      read_ms(l, "request_timeout_ms", c, cfg.lim.request_timeout);
      read_ms(l, "drain_timeout_ms", c, cfg.lim.drain_timeout);
      read_size(l, "max_connections", c, 1, 1000000, cfg.lim.max_connections);
    }
  }
  if (const auto a = root["audit"]) {
    if (c.is_map(a, "audit")) {
      c.only_keys(a, {"flush_interval_ms", "batch_max", "queue_max", "signing_key_file", "checkpoint_interval_ms",
                      "spool_dir", "fail_closed"});
      read_ms(a, "flush_interval_ms", c, cfg.aud.flush_interval);
      read_size(a, "batch_max", c, 1, 1000000, cfg.aud.batch_max);
      read_size(a, "queue_max", c, 1, 100000000, cfg.aud.queue_max);
      read_ms(a, "checkpoint_interval_ms", c, cfg.aud.checkpoint_interval);
      if (a["signing_key_file"] && c.scalar(a["signing_key_file"], "signing_key_file", cfg.aud.signing_key_file)) {
        cfg.aud.signing_key_file = resolve_relative(path, cfg.aud.signing_key_file);
      }
      if (a["spool_dir"] && c.scalar(a["spool_dir"], "spool_dir", cfg.aud.spool_dir)) {
        cfg.aud.spool_dir = resolve_relative(path, cfg.aud.spool_dir);
      }
      if (a["fail_closed"]) c.boolean(a["fail_closed"], "fail_closed", cfg.aud.fail_closed);
    }
  }
  if (const auto u = root["upstreams"]) {
    if (c.is_map(u, "upstreams")) {
      for (const auto& kv : u) parse_upstream(kv.first.Scalar(), kv.second, c, what, cfg);
    }
  }
  if (const auto m = root["models"]) {
    if (c.is_map(m, "models")) {
      for (const auto& kv : m) {
        model_route r;
        r.name = kv.first.Scalar();
        std::string up;
        if (kv.second.IsScalar()) {
          up = kv.second.Scalar();
        } else if (c.is_map(kv.second, "a model")) {
          c.only_keys(kv.second, {"upstream", "upstream_model"});
          if (kv.second["upstream"]) c.scalar(kv.second["upstream"], "upstream", up);
          if (kv.second["upstream_model"]) c.scalar(kv.second["upstream_model"], "upstream_model", r.upstream_model);
        }
        if (r.upstream_model.empty()) r.upstream_model = r.name;
        bool found = false;
        for (std::size_t i = 0; i < cfg.upstreams.size(); ++i) {
          if (cfg.upstreams[i].name == up) {
            r.upstream_index = i;
            found = true;
          }
        }
        if (!found) {
          c.error(kv.second, "model '" + r.name + "' refers to unknown upstream '" + up + "'");
          continue;
        }
        cfg.models.push_back(std::move(r));
      }
    }
  }

  if (const char* v = std::getenv("LEITPLANKE_DATABASE_URL"); v && *v) cfg.database_url = v;
  // the audit trail's local files (containers, the demo): override the YAML
  if (const char* v = std::getenv("LEITPLANKE_AUDIT_SIGNING_KEY_FILE"); v && *v) cfg.aud.signing_key_file = v;
  if (const char* v = std::getenv("LEITPLANKE_AUDIT_SPOOL_DIR"); v && *v) cfg.aud.spool_dir = v;
  if (const char* v = std::getenv("LEITPLANKE_LISTEN"); v && *v) {
    if (!parse_listen(v, cfg.listen_host, cfg.listen_port)) {
      c.error(YAML::Mark::null_mark(), "LEITPLANKE_LISTEN must be host:port, e.g. 127.0.0.1:8080");
    }
  }
  if (cfg.database_url.empty()) {
    c.error(root, "no database_url (set it here or in LEITPLANKE_DATABASE_URL)");
  }
  if (what == need::serve) {
    if (cfg.policy_file.empty()) c.error(root, "no 'policy' file configured");
    if (cfg.models.empty()) c.error(root, "no 'models' configured: clients could not use any AI service");
  }
  if (what == need::serve || what == need::pseudonyms) {
    if (const char* v = std::getenv("LEITPLANKE_PSEUDONYM_KEY"); v && *v) {
      cfg.pseudonym_key = v;
    } else if (root["pseudonym_key_file"] && c.scalar(root["pseudonym_key_file"], "pseudonym_key_file", s)) {
      s = resolve_relative(path, s);
      if (!read_secret_file(s, cfg.pseudonym_key)) c.error(root["pseudonym_key_file"], "cannot read " + s);
    }
    if (cfg.pseudonym_key.size() < 16) {
      c.error(root, "no pseudonymisation key of at least 16 bytes (pseudonym_key_file or LEITPLANKE_PSEUDONYM_KEY)");
    }
  }
  if (what == need::serve) {
    if (cfg.threads == 0) cfg.threads = std::max(1u, std::thread::hardware_concurrency());
  }
  if (cfg.instance.empty()) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
    // host and port: unique per gateway on a host, stable across restarts (the audit chain of
    // an instance continues where it stopped)
    cfg.instance = std::string(host[0] ? host : "gateway") + ":" + std::to_string(cfg.listen_port);
  }
  diags = c.diagnostics();
  if (!c.ok()) return std::nullopt;
  return cfg;
}

}  // namespace lp::config
