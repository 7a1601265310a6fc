// The gateway's configuration (deploy/leitplanke.yaml): where to listen, the database, the
// policy file, limits, the audit writer, upstream AI services and which model goes where.
// Secrets (upstream API keys, the pseudonymisation key) are never in the YAML: they are read
// from environment variables or files named there.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/yaml_diag.h"
#include "schema/errors.h"

namespace lp::config {

using ms = std::chrono::milliseconds;

struct upstream {
  std::string name;
  bool tls = false;
  std::string host;
  std::string port;       // "80"/"443" when the URL has none
  std::string base_path;  // e.g. "/v1" (no trailing slash)
  std::string api_key;    // resolved secret; empty = send no Authorization header
  std::string ca_file;    // extra CA bundle (PEM); empty = system store
  bool verify = true;     // verify the peer certificate and host name
  ms connect_timeout{5000};
  ms response_timeout{60000};  // request sent -> response headers
  ms idle_timeout{60000};      // max gap between body chunks
  std::size_t max_idle_connections = 64;  // per gateway thread
};

struct model_route {
  std::string name;            // as clients ask for it
  std::size_t upstream_index;  // into config::upstreams
  std::string upstream_model;  // name sent upstream (defaults to `name`)
};

struct limits {
  std::size_t max_body_bytes = 1 << 20;
  ms header_timeout{10000};   // whole request (headers + body) must arrive within this
  ms idle_timeout{60000};     // keep-alive connection idle time
  ms request_timeout{300000}; // total deadline of one proxied request
  ms drain_timeout{30000};    // SIGTERM: how long in-flight requests may finish
  std::size_t max_connections = 10000;
};

struct audit {
  ms flush_interval{200};
  std::size_t batch_max = 2000;
  std::size_t queue_max = 200000;
  // Ed25519 private key (PEM) that signs chain checkpoints; empty: no checkpoints (absolute).
  std::string signing_key_file;
  ms checkpoint_interval{60000};
  // Directory of the local spool: records go there while PostgreSQL cannot take them (absolute;
  // empty: no spool, requests are refused when the queue is full).
  std::string spool_dir;
  // Refuse AI requests while neither the database nor the spool can take records.
  bool fail_closed = true;
};

// An administration on this installation with its own policy (multi-tenancy). Keys belong to
// one tenant; its policy decides their requests.
struct tenant {
  std::string name;
  std::string policy_file;  // absolute
};

struct config {
  std::string file;
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8080;
  unsigned threads = 0;  // 0 = number of cores
  std::string database_url;
  std::string policy_file;  // the default tenant's policy (absolute)
  // Every tenant, the default one (named by `tenant`, "default" unless set) first, with
  // policy_file; further ones from `tenants:`.
  std::vector<tenant> tenants;
  language lang = language::de;
  std::string pseudonym_key;  // resolved secret
  std::string pseudonym_rotation = "quarter";  // quarter | month | none: staff pseudonyms change per period
  std::string instance;       // name of this gateway instance in audit records
  ms keys_refresh{5000};
  // How often the policy file is checked for changes (0: only on SIGHUP). A changed, valid
  // policy replaces the running one; an invalid one is reported and the old one stays.
  ms policy_reload{1000};
  limits lim;
  audit aud;
  std::vector<upstream> upstreams;
  std::vector<model_route> models;

  const model_route* find_model(std::string_view name) const;
};

// What the caller needs resolved.
enum class need : unsigned char {
  database,   // migrate/keys: database_url only; upstream secrets are not resolved
  pseudonyms,  // audit reidentify: the database and the pseudonymisation key, no upstream secrets
  serve,       // everything, including secrets
};

// Loads `path`, applies LEITPLANKE_DATABASE_URL / LEITPLANKE_LISTEN /
// LEITPLANKE_PSEUDONYM_KEY overrides, validates. Returns nullopt with diagnostics on error.
std::optional<config> load(const std::string& path, need what, std::vector<yaml::diagnostic>& diags);

// Parses "host:port" (IPv6 as "[::1]:port"). Returns false on a malformed value.
bool parse_listen(std::string_view s, std::string& host, std::uint16_t& port);

}  // namespace lp::config
