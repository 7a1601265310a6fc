// In-memory cache of active API keys, so authentication never waits on the database.
// Reloaded from PostgreSQL every `keys_refresh` (and at start): a new or revoked key takes
// effect within that interval. Lookups are lock-free (atomic shared_ptr snapshot).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace lp {

struct identity {
  std::string key_id;
  std::string key_hash;  // SHA-256 of the key
  std::string user_ref;  // pseudonymise(key, user id, period of the last reload)
  std::string department;
  std::string role;
  std::string trained_until;  // YYYY-MM-DD, empty when no AI-literacy training is on record
  std::string tenant;         // the administration the key belongs to (selects its policy)

  // True when the training is valid on `today` (YYYY-MM-DD, UTC).
  bool trained_on(std::string_view today) const { return !trained_until.empty() && today <= trained_until; }
};

// Today's date in UTC as YYYY-MM-DD (cached per second).
std::string today_utc();

// Pseudonyms of staff rotate per period, so that records of different periods cannot be linked
// to one person without the key (no long-term profiles; co-determination).
enum class rotation { none, month, quarter };

// The pseudonym period of `tp` (UTC): "2026Q4", "2026-11", or "" without rotation.
std::string pseudonym_period(std::chrono::system_clock::time_point tp, rotation r);

// The pseudonym of a staff identity in `period`: "<period>:" and 128 bits of
// HMAC-SHA256(HMAC-SHA256(key, "leitplanke-pseudonym-period:" + period), user_id) in hex; without
// a period, HMAC-SHA256(key, user_id) alone.
std::string pseudonymise(std::string_view key, std::string_view user_id, std::string_view period = {});

class key_cache {
 public:
  key_cache(std::string database_url, std::string pseudonym_key, std::chrono::milliseconds refresh,
            rotation rot = rotation::quarter);
  ~key_cache();

  // Loads the keys synchronously. Returns false with `error` set when the database fails.
  bool reload(std::string& error);
  void start();  // background refresh thread
  void stop();

  // The identity for a presented key, or null (unknown, malformed or revoked key). Hashing and
  // comparison take the same time whatever the key (constant-time compare of the hashes).
  std::shared_ptr<const identity> authenticate(std::string_view key) const;

  std::size_t size() const;

 private:
  using map = std::unordered_map<std::string, std::shared_ptr<const identity>>;
  std::string database_url_;
  std::string pseudonym_key_;
  std::chrono::milliseconds refresh_;
  rotation rotation_;
  std::atomic<std::shared_ptr<const map>> keys_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

}  // namespace lp
