#include "core/digest.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "core/request_id.h"

namespace lp {
namespace {
// OpenSSL 3 looks an algorithm up by name on every implicit use (EVP_sha256() in EVP_Digest);
// fetching it once takes that lookup off the per-request path (API keys are hashed per request).
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* m = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
    if (!m) std::abort();  // no SHA-256 in the default provider: OpenSSL is unusable
    return m;
  }();
  return md;
}
}  // namespace

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, sha256_md(), nullptr) != 1) std::abort();
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }

}  // namespace lp
