#include "audit/signing.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <stdexcept>

#include "audit/chain.h"
#include "core/digest.h"

namespace lp::audit {

namespace {
EVP_PKEY* as_pkey(void* p) { return static_cast<EVP_PKEY*>(p); }

std::string read_bio(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return std::string(data, n > 0 ? static_cast<std::size_t>(n) : 0);
}
}  // namespace

ed25519_key::~ed25519_key() { EVP_PKEY_free(as_pkey(pkey_)); }
ed25519_key::ed25519_key(ed25519_key&& o) noexcept : pkey_(o.pkey_), private_(o.private_) { o.pkey_ = nullptr; }
ed25519_key& ed25519_key::operator=(ed25519_key&& o) noexcept {
  if (this != &o) {
    EVP_PKEY_free(as_pkey(pkey_));
    pkey_ = o.pkey_;
    private_ = o.private_;
    o.pkey_ = nullptr;
  }
  return *this;
}

ed25519_key ed25519_key::load_private(const std::string& pem_file) {
  FILE* f = std::fopen(pem_file.c_str(), "r");
  if (!f) throw std::runtime_error("cannot read signing key " + pem_file);
  EVP_PKEY* k = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(k);
    throw std::runtime_error(pem_file + " is not an Ed25519 private key in PEM (create one with: leitplanke audit keygen)");
  }
  ed25519_key key;
  key.pkey_ = k;
  key.private_ = true;
  return key;
}

ed25519_key ed25519_key::load_public(const std::string& pem_file) {
  FILE* f = std::fopen(pem_file.c_str(), "r");
  if (!f) throw std::runtime_error("cannot read key " + pem_file);
  EVP_PKEY* k = PEM_read_PUBKEY(f, nullptr, nullptr, nullptr);
  bool priv = false;
  if (!k) {  // a private key file also yields the public key
    std::rewind(f);
    k = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    priv = k != nullptr;
  }
  std::fclose(f);
  if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(k);
    throw std::runtime_error(pem_file + " is not an Ed25519 key in PEM");
  }
  ed25519_key key;
  key.pkey_ = k;
  key.private_ = priv;
  return key;
}

ed25519_key ed25519_key::generate() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!k) throw std::runtime_error("Ed25519 key generation failed");
  ed25519_key key;
  key.pkey_ = k;
  key.private_ = true;
  return key;
}

std::string ed25519_key::sign(std::string_view message) const {
  if (!private_) throw std::runtime_error("signing needs the private key");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  const bool ok = ctx && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, as_pkey(pkey_)) == 1 &&
                  EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                                 reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("Ed25519 signing failed");
  sig.resize(len);
  return sig;
}

bool ed25519_key::verify(std::string_view message, std::string_view signature) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, as_pkey(pkey_)) == 1 &&
                  EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                                   reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::string ed25519_key::pem_private() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, as_pkey(pkey_), nullptr, nullptr, 0, nullptr, nullptr);
  std::string out = read_bio(bio);
  BIO_free(bio);
  return out;
}

std::string ed25519_key::pem_public() const {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, as_pkey(pkey_));
  std::string out = read_bio(bio);
  BIO_free(bio);
  return out;
}

std::string ed25519_key::key_id() const {
  unsigned char raw[32];
  std::size_t len = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(as_pkey(pkey_), raw, &len) != 1) return "unknown";
  return sha256_hex(std::string_view(reinterpret_cast<const char*>(raw), len)).substr(0, 16);
}

std::string checkpoint_message(std::string_view instance, std::uint64_t seq, std::string_view hash_raw,
                               std::string_view ts_utc) {
  std::string m = "leitplanke-checkpoint/1\n";
  m += instance;
  m += '\n';
  m += std::to_string(seq);
  m += '\n';
  m += to_hex(hash_raw);
  m += '\n';
  m += ts_utc;
  return m;
}

}  // namespace lp::audit
