#include "db/keys.h"

#include <openssl/crypto.h>

#include <pqxx/pqxx>

#include "core/digest.h"
#include "core/request_id.h"

namespace lp::db {
namespace {
std::string base64url(std::string_view bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned val = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    val = (val << 8) | c;
    bits += 8;
    while (bits >= 6) {
      out += alphabet[(val >> (bits - 6)) & 63];
      bits -= 6;
    }
  }
  if (bits > 0) out += alphabet[(val << (6 - bits)) & 63];
  return out;
}
}  // namespace

std::optional<std::string_view> key_id_of(std::string_view key) {
  // lp_ + 12 hex + _ + 43 base64url characters
  if (key.size() != 3 + 12 + 1 + 43 || !key.starts_with("lp_") || key[15] != '_') return std::nullopt;
  const auto id = key.substr(3, 12);
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return id;
}

std::string hash_key(std::string_view key) { return sha256(key); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool valid_role(std::string_view role) { return role == "staff" || role == "dpo" || role == "admin" || role == "council"; }

bool valid_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  const int y = std::stoi(std::string(d.substr(0, 4))), m = std::stoi(std::string(d.substr(5, 2))),
            day = std::stoi(std::string(d.substr(8, 2)));
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || day < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

bool set_training(const std::string& database_url, const std::string& key_id, const std::string& date) {
  pqxx::connection cx(database_url);
  pqxx::work tx(cx);
  pqxx::result r;
  if (date.empty()) {
    r = tx.exec_params("UPDATE api_keys SET trained_until = NULL WHERE key_id = $1", key_id);
  } else {
    r = tx.exec_params("UPDATE api_keys SET trained_until = $2::date WHERE key_id = $1", key_id, date);
  }
  tx.commit();
  return r.affected_rows() == 1;
}

bool valid_tenant(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

new_key create_key(const std::string& database_url, const std::string& user_id,
                   const std::string& department, const std::string& role, const std::string& trained_until,
                   const std::string& tenant) {
  new_key k;
  k.key_id = to_hex(random_bytes(6));
  k.key = "lp_" + k.key_id + "_" + base64url(random_bytes(32));
  const std::string h = hash_key(k.key);
  pqxx::connection cx(database_url);
  pqxx::work tx(cx);
  // NULLIF: an empty trained_until means no training on record.
  tx.exec_params(
      "INSERT INTO api_keys (key_id, key_hash, user_id, department, role, trained_until, tenant) "
      "VALUES ($1, $2, $3, $4, $5, NULLIF($6, '')::date, $7)",
      k.key_id, pqxx::binarystring(h), user_id, department, role, trained_until, tenant);
  tx.commit();
  return k;
}

namespace {
std::vector<key_record> query_keys(const std::string& database_url, const char* where) {
  pqxx::connection cx(database_url);
  pqxx::read_transaction tx(cx);
  std::vector<key_record> out;
  const std::string sql =
      std::string(
          "SELECT key_id, key_hash, user_id, department, role, "
          "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
          "coalesce(to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), "
          "coalesce(to_char(trained_until, 'YYYY-MM-DD'), ''), tenant "
          "FROM api_keys ") +
      where + " ORDER BY created_at, key_id";
  for (const auto& row : tx.exec(sql)) {
    key_record r;
    r.key_id = row[0].as<std::string>();
    pqxx::binarystring bs(row[1]);
    r.key_hash = bs.str();
    r.user_id = row[2].as<std::string>();
    r.department = row[3].as<std::string>();
    r.role = row[4].as<std::string>();
    r.created_at = row[5].as<std::string>();
    r.revoked_at = row[6].as<std::string>();
    r.trained_until = row[7].as<std::string>();
    r.tenant = row[8].as<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}
}  // namespace

std::vector<key_record> list_keys(const std::string& database_url) { return query_keys(database_url, ""); }

std::vector<key_record> active_keys(const std::string& database_url) {
  return query_keys(database_url, "WHERE revoked_at IS NULL");
}

bool revoke_key(const std::string& database_url, const std::string& key_id) {
  pqxx::connection cx(database_url);
  pqxx::work tx(cx);
  auto r = tx.exec_params("UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL",
                          key_id);
  tx.commit();
  return r.affected_rows() == 1;
}

}  // namespace lp::db
