// Aggregates of the decision log for reports (migration 0012: usage_daily, rule_daily,
// entity_daily, active_users), added to in the same transaction as the records they count, so
// that they always equal aggregates over `decisions` (tested against SQL over the rows).
#pragma once

#include <vector>

#include <pqxx/pqxx>

#include "audit/people_cache.h"
#include "audit/record.h"

namespace lp::audit {

// Adds `recs` (records just inserted, each exactly once) to the aggregates. With `cache`, the
// dimension rows of active_users it knows are skipped and the others added to cache->pending.
void add_rollups(pqxx::work& tx, const std::vector<const record*>& recs, people_cache* cache = nullptr);

}  // namespace lp::audit
