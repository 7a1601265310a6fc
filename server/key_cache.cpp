#include "server/key_cache.h"

#include <openssl/hmac.h>

#include <cstdio>
#include <ctime>

#include "core/log.h"
#include "core/request_id.h"
#include "db/keys.h"

namespace lp {

namespace {
std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return std::string(reinterpret_cast<const char*>(md), len);
}
}  // namespace

std::string pseudonym_period(std::chrono::system_clock::time_point tp, rotation r) {
  if (r == rotation::none) return {};
  const std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  if (r == rotation::month) {
    std::snprintf(buf, sizeof buf, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
  } else {
    std::snprintf(buf, sizeof buf, "%04dQ%d", tm.tm_year + 1900, tm.tm_mon / 3 + 1);
  }
  return buf;
}

std::string pseudonymise(std::string_view key, std::string_view user_id, std::string_view period) {
  if (period.empty()) return to_hex(std::string_view(hmac_sha256(key, user_id)).substr(0, 16));
  const std::string period_key = hmac_sha256(key, std::string("leitplanke-pseudonym-period:") + std::string(period));
  return std::string(period) + ":" + to_hex(std::string_view(hmac_sha256(period_key, user_id)).substr(0, 16));
}

std::string today_utc() {
  const std::time_t t = std::time(nullptr);
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  if (t != cached_at) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    cached = buf;
    cached_at = t;
  }
  return cached;
}

key_cache::key_cache(std::string database_url, std::string pseudonym_key, std::chrono::milliseconds refresh,
                     rotation rot)
    : database_url_(std::move(database_url)),
      pseudonym_key_(std::move(pseudonym_key)),
      refresh_(refresh),
      rotation_(rot),
      keys_(std::make_shared<const map>()) {}

key_cache::~key_cache() { stop(); }

bool key_cache::reload(std::string& error) {
  try {
    auto m = std::make_shared<map>();
    // the pseudonyms of this period (a reload every keys_refresh moves to the next one)
    const std::string period = pseudonym_period(std::chrono::system_clock::now(), rotation_);
    for (auto& k : db::active_keys(database_url_)) {
      auto id = std::make_shared<identity>();
      id->key_id = k.key_id;
      id->key_hash = std::move(k.key_hash);
      id->user_ref = pseudonymise(pseudonym_key_, k.user_id, period);
      id->department = std::move(k.department);
      id->role = std::move(k.role);
      id->trained_until = std::move(k.trained_until);
      id->tenant = std::move(k.tenant);
      (*m)[id->key_id] = std::move(id);
    }
    keys_.store(std::move(m));
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

void key_cache::start() {
  thread_ = std::thread([this] {
    bool failing = false;
    std::unique_lock lk(mu_);
    while (!stopping_) {
      cv_.wait_for(lk, refresh_, [&] { return stopping_; });
      if (stopping_) break;
      lk.unlock();
      std::string err;
      const bool ok = reload(err);
      if (!ok && !failing) {
        log::warn("keys: cannot refresh API keys from the database, keeping the last known set: " + err);
      } else if (ok && failing) {
        log::info("keys: refresh works again");
      }
      failing = !ok;
      lk.lock();
    }
  });
}

void key_cache::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const identity> key_cache::authenticate(std::string_view key) const {
  const auto id = db::key_id_of(key);
  if (!id) return nullptr;
  const std::string h = db::hash_key(key);
  const auto snapshot = keys_.load();
  const auto it = snapshot->find(std::string(*id));
  if (it == snapshot->end()) return nullptr;
  if (!db::constant_time_equal(h, it->second->key_hash)) return nullptr;
  return it->second;
}

std::size_t key_cache::size() const { return keys_.load()->size(); }

}  // namespace lp
