#include "admin/sessions.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "core/request_id.h"

namespace lp::admin {

namespace {

std::string random_hex() {
  unsigned char b[32];
  if (RAND_bytes(b, sizeof b) != 1) throw std::runtime_error("no randomness for a session");
  return to_hex(std::string_view(reinterpret_cast<const char*>(b), sizeof b));
}

}  // namespace

std::chrono::system_clock::time_point session::expires() const {
  return std::min(last_used + sessions::idle, created + sessions::absolute);
}

session sessions::create(std::string role, std::string department, std::string key_id, std::string tenant, std::string lang) {
  session s;
  s.id = random_hex();
  s.csrf = random_hex();
  s.role = std::move(role);
  s.department = std::move(department);
  s.key_id = std::move(key_id);
  s.tenant = std::move(tenant);
  s.lang = std::move(lang);
  s.created = s.last_used = std::chrono::system_clock::now();
  std::lock_guard lk(mu_);
  if (by_id_.size() >= max_sessions) {
    // Drop expired ones; if still full, the oldest.
    const auto now = s.created;
    std::erase_if(by_id_, [&](const auto& kv) { return kv.second.expires() <= now; });
    if (by_id_.size() >= max_sessions) {
      auto oldest = by_id_.begin();
      for (auto it = by_id_.begin(); it != by_id_.end(); ++it) {
        if (it->second.created < oldest->second.created) oldest = it;
      }
      by_id_.erase(oldest);
    }
  }
  by_id_.emplace(s.id, s);
  return s;
}

std::optional<session> sessions::use(const std::string& id) {
  std::lock_guard lk(mu_);
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  const auto now = std::chrono::system_clock::now();
  if (it->second.expires() <= now) {
    by_id_.erase(it);
    return std::nullopt;
  }
  it->second.last_used = now;
  return it->second;
}

void sessions::remove(const std::string& id) {
  std::lock_guard lk(mu_);
  by_id_.erase(id);
}

void sessions::remove_key(const std::string& key_id) {
  std::lock_guard lk(mu_);
  std::erase_if(by_id_, [&](const auto& kv) { return kv.second.key_id == key_id; });
}

bool same_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace lp::admin
