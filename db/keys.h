// API keys. A key is "lp_<key id>_<secret>": the key id (12 hex) names it in lists and logs,
// the secret (32 random bytes, base64url) is shown once at creation. Only SHA-256(key) is stored:
// the key has 256 bits of entropy, so a fast hash is enough (no password stretching needed).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lp::db {

struct key_record {
  std::string key_id;
  std::string key_hash;  // raw SHA-256 of the whole key string (32 bytes)
  std::string user_id;
  std::string department;
  std::string role;
  std::string created_at;
  std::string revoked_at;  // empty while active
  std::string trained_until;  // YYYY-MM-DD (AI-literacy training valid until), empty when none
  std::string tenant = "default";  // the administration the key belongs to (selects its policy)
};

struct new_key {
  std::string key;  // the full key, to be shown once
  std::string key_id;
};

// Splits a presented key into its id; nullopt when it does not have the key format.
std::optional<std::string_view> key_id_of(std::string_view key);

// SHA-256 of the key string (raw bytes).
std::string hash_key(std::string_view key);

// Constant-time equality of two equally long byte strings (false when lengths differ).
bool constant_time_equal(std::string_view a, std::string_view b);

bool valid_role(std::string_view role);

// Database operations; they throw std::exception (pqxx) on connection or SQL failures.
new_key create_key(const std::string& database_url, const std::string& user_id,
                   const std::string& department, const std::string& role, const std::string& trained_until = {},
                   const std::string& tenant = "default");
// True when `name` may name a tenant: 1-64 characters of a-z 0-9 . _ -
bool valid_tenant(std::string_view name);
// Records the key holder's AI-literacy training as valid until `date` (YYYY-MM-DD; empty
// clears it). True when the key exists.
bool set_training(const std::string& database_url, const std::string& key_id, const std::string& date);
// True when `date` is a valid calendar date written YYYY-MM-DD.
bool valid_date(std::string_view date);
std::vector<key_record> list_keys(const std::string& database_url);
// True when a key with that id existed and was active.
bool revoke_key(const std::string& database_url, const std::string& key_id);
// All active keys (for the gateway's in-memory cache).
std::vector<key_record> active_keys(const std::string& database_url);

}  // namespace lp::db
