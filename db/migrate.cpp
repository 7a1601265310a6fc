#include "db/migrate.h"

#include <pqxx/pqxx>

#include "core/digest.h"

namespace lp::db {
namespace {
// Arbitrary constant for pg_advisory_lock: "lp" migrations.
constexpr long long migrate_lock_key = 0x6c70'6d69'6772;
}  // namespace

migrate_result migrate(const std::string& database_url, const std::vector<migration>& migrations) {
  migrate_result res;
  try {
    pqxx::connection cx(database_url);
    {
      pqxx::nontransaction nt(cx);
      nt.exec("SET client_min_messages = warning");
      nt.exec("SELECT pg_advisory_lock(" + std::to_string(migrate_lock_key) + ")");
      nt.exec(
          "CREATE TABLE IF NOT EXISTS schema_migrations ("
          " name text PRIMARY KEY, checksum text NOT NULL,"
          " applied_at timestamptz NOT NULL DEFAULT now())");
    }
    std::vector<std::pair<std::string, std::string>> applied;
    {
      pqxx::read_transaction tx(cx);
      for (const auto& row : tx.exec("SELECT name, checksum FROM schema_migrations ORDER BY name")) {
        applied.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
      }
    }
    for (const auto& [name, sum] : applied) {
      const migration* m = nullptr;
      for (const auto& x : migrations) {
        if (x.name == name) m = &x;
      }
      if (!m) {
        res.error = "the database has migration " + name +
                    " which this binary does not know (is this binary older than the database?)";
        return res;
      }
      if (sha256_hex(m->sql) != sum) {
        res.error = "migration " + name +
                    " was changed after it was applied (checksum differs); add a new migration instead";
        return res;
      }
    }
    for (const auto& m : migrations) {
      bool done = false;
      for (const auto& a : applied) done = done || a.first == m.name;
      if (done) {
        ++res.already;
        continue;
      }
      try {
        pqxx::work tx(cx);
        tx.exec(m.sql);
        tx.exec_params("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", m.name,
                       sha256_hex(m.sql));
        tx.commit();
        ++res.applied;
      } catch (const pqxx::sql_error& e) {
        res.error = "migration " + m.name + " failed: " + e.what();
        return res;
      }
    }
    pqxx::nontransaction nt(cx);
    nt.exec("SELECT pg_advisory_unlock(" + std::to_string(migrate_lock_key) + ")");
  } catch (const std::exception& e) {
    res.error = std::string("database error: ") + e.what();
  }
  return res;
}


std::string with_database(const std::string& url, const std::string& db) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  const auto q = url.find('?', slash == std::string::npos ? 0 : slash);
  std::string out = slash == std::string::npos ? url + "/" : url.substr(0, slash + 1);
  out += db;
  if (q != std::string::npos) out += url.substr(q);
  return out;
}

}  // namespace lp::db
