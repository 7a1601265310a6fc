// The dashboard's JSON API (schema/admin.openapi.yaml): sessions, overview, decisions, services
// and kill switches. Handlers are blocking (libpqxx) and run on the admin thread pool, never on
// the gateway's I/O threads. This module knows nothing of the HTTP server: the server passes
// what it needs in an `environment`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "admin/sessions.h"
#include "policy/policy.h"
#include "schema/errors.h"

namespace lp::admin {

struct key_info {
  std::string key_id, role, department, tenant;
};

struct environment {
  std::string database_url;
  language lang = language::de;
  sessions* store = nullptr;
  // The key's holder, or nothing for unknown and revoked keys.
  std::function<std::optional<key_info>(std::string_view key)> authenticate;
  // The policy in force for a tenant (kill switches applied), or null.
  std::function<policy::snapshot_ptr(const std::string& tenant)> policy_of;
  // Applies the set of services switched off in the dashboard to a tenant's policy.
  std::function<void(const std::string& tenant, std::vector<std::string> off)> set_services_off;
  std::function<std::vector<std::string>()> tenants;
  // Runs work on the admin threads later (background refresh of the overview).
  std::function<void(std::function<void()>)> post;
  // Records of this gateway waiting in its local spool (database outages).
  std::function<std::uint64_t()> spool_pending;
};

struct request {
  std::string method;  // GET, POST, PUT, DELETE
  std::string path;    // below /admin/api, e.g. "/decisions/abc"
  std::map<std::string, std::string> query;
  std::string body;
  std::optional<session> who;  // the caller's session (checked by the server, CSRF included)
};

struct response {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

response handle(const environment& env, const request& req);

// Reads the kill switches set in the dashboard and applies them to every tenant's policy (at
// start and periodically, so that all gateways on one database agree).
void sync_kill_switches(const environment& env);

// "ERROR" JSON in the gateway's error format.
std::string error_json(const std::string& message, const std::string& type, const std::string& code);

}  // namespace lp::admin
