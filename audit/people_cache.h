// Which report dimension rows of active_users the database has (audit/rollup.h).
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace lp::audit {

// The report dimension rows of active_users (a person used a model, a purpose, a month, …) are
// memberships: each needs writing once per pseudonym period, and again only when the person's
// training turns valid. The writer remembers which rows the database has, so that a batch
// writes only new ones. Single-threaded (the writer thread).
class people_cache {
 public:
  // Rows the current transaction writes; remembered by commit() once it has committed.
  std::vector<std::pair<std::string, bool>> pending;

  // True when the row `key` with `trained` is in the database already.
  bool known(const std::string& key, bool trained) const {
    const auto it = seen_.find(key);
    return it != seen_.end() && (it->second || !trained);
  }
  void commit();
  void rollback() { pending.clear(); }

 private:
  std::unordered_map<std::string, bool> seen_;
};

}  // namespace lp::audit
