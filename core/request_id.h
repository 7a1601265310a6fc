// Request ids: accepted from the client when well-formed, otherwise generated.
#pragma once

#include <string>
#include <string_view>

namespace lp {

// Upper bound on a client-supplied X-Request-Id.
inline constexpr std::size_t max_request_id_bytes = 64;

// True when `id` is 1..64 characters of [A-Za-z0-9._-] (safe in logs, headers and SQL text).
bool valid_request_id(std::string_view id);

// A new random request id: 32 lowercase hex characters (128 bits from the OpenSSL DRBG).
// Thread-safe.
std::string new_request_id();

// Lowercase hex encoding of bytes.
std::string to_hex(std::string_view bytes);

// `n` cryptographically random bytes. Aborts if the DRBG fails (nothing safe to do then).
std::string random_bytes(std::size_t n);

}  // namespace lp
