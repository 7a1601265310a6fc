#include "core/request_id.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace lp {

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > max_request_id_bytes) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();
  }
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string new_request_id() {
  // A per-thread buffer of randomness keeps RAND_bytes off the per-request path.
  thread_local std::string pool;
  thread_local std::size_t used = 0;
  if (used + 16 > pool.size()) {
    pool = random_bytes(16 * 256);
    used = 0;
  }
  std::string id = to_hex(std::string_view(pool).substr(used, 16));
  used += 16;
  return id;
}

}  // namespace lp
