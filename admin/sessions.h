// Dashboard sessions: a random session id (the HttpOnly cookie) and a random CSRF token per
// login, held in memory (a restart logs everyone out). 30 minutes idle, 8 hours at most.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace lp::admin {

struct session {
  std::string id;    // cookie value: 256 random bits, hex
  std::string csrf;  // X-CSRF-Token: 256 random bits, hex
  std::string role;  // dpo | admin | council
  std::string department, key_id, tenant;
  std::string lang = "de";
  std::chrono::system_clock::time_point created, last_used;
  std::chrono::system_clock::time_point expires() const;  // the earlier of idle and absolute end
};

class sessions {
 public:
  static constexpr std::chrono::minutes idle{30};
  static constexpr std::chrono::hours absolute{8};
  static constexpr std::size_t max_sessions = 10000;

  session create(std::string role, std::string department, std::string key_id, std::string tenant, std::string lang);
  // The live session `id` (its idle time restarted), or nothing.
  std::optional<session> use(const std::string& id);
  void remove(const std::string& id);
  // Ends every session of a key (revoked keys).
  void remove_key(const std::string& key_id);

 private:
  std::mutex mu_;
  std::unordered_map<std::string, session> by_id_;
};

// Constant-time comparison of secrets.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace lp::admin
