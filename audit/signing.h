// Ed25519 signatures for audit checkpoints (OpenSSL). The private key is a PEM file outside
// the database (config audit.signing_key_file); verification needs only the public key.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace lp::audit {

class ed25519_key {
 public:
  // Loads a PEM private key (PKCS#8) or public key (SubjectPublicKeyInfo). Throws
  // std::runtime_error naming the file when it cannot be read or is not an Ed25519 key.
  static ed25519_key load_private(const std::string& pem_file);
  static ed25519_key load_public(const std::string& pem_file);
  // A new key pair; pem_private()/pem_public() export it.
  static ed25519_key generate();

  ~ed25519_key();
  ed25519_key(ed25519_key&&) noexcept;
  ed25519_key& operator=(ed25519_key&&) noexcept;

  bool has_private() const { return private_; }
  std::string sign(std::string_view message) const;  // 64 raw bytes; needs the private key
  bool verify(std::string_view message, std::string_view signature) const;
  std::string pem_private() const;
  std::string pem_public() const;
  // First 16 hex characters of SHA-256 over the raw public key: names the key in checkpoints.
  std::string key_id() const;

 private:
  ed25519_key() = default;
  void* pkey_ = nullptr;  // EVP_PKEY*
  bool private_ = false;
};

// The message a checkpoint signs: instance, sequence number, chain hash (hex) and time.
std::string checkpoint_message(std::string_view instance, std::uint64_t seq, std::string_view hash_raw,
                               std::string_view ts_utc);

}  // namespace lp::audit
