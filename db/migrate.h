// Versioned schema migrations. The SQL files under migrations/ are embedded into the binary at
// build time, so the binary always carries the schema it expects.
#pragma once

#include <string>
#include <vector>

namespace lp::db {

struct migration {
  std::string name;  // file name, e.g. "0001_init.sql"; the order key
  std::string sql;
};

const std::vector<migration>& embedded_migrations();

struct migrate_result {
  int applied = 0;        // newly applied in this run
  int already = 0;        // applied before
  std::string error;      // non-empty on failure (nothing of the failing file is applied)
};

// Applies, in name order, each migration not yet recorded in schema_migrations, each in its own
// transaction together with its record (name, SHA-256 checksum). Refuses (error, nothing done)
// when an applied migration's checksum differs from the embedded file, or when the database
// has a migration this binary does not know. Concurrent runs are serialised by an advisory lock.
// Throws nothing; connection problems are reported in `error`.
migrate_result migrate(const std::string& database_url, const std::vector<migration>& migrations);

// `url` (postgresql://user@host:port/db?params) with the database name replaced by `db`: for
// tools that create a throwaway database next to a given one (benchmarks).
std::string with_database(const std::string& url, const std::string& db);

}  // namespace lp::db
