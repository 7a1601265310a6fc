// SHA-256 helpers (OpenSSL). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace lp {

// Raw 32-byte SHA-256 digest of `data`.
std::string sha256(std::string_view data);

// Lowercase hex SHA-256 digest of `data` (64 characters).
std::string sha256_hex(std::string_view data);

}  // namespace lp
