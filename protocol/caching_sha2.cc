#include "protocol/caching_sha2.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace weft::protocol {

std::optional<sha2_cache_entry> sha2_cache::find(const std::string& user) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(user);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void sha2_cache::store(const std::string& user, const sha2_cache_entry& entry) {
  std::lock_guard lock(mutex_);
  entries_[user] = entry;
}

void sha2_cache::forget(const std::string& user) {
  std::lock_guard lock(mutex_);
  entries_.erase(user);
}

bytes caching_sha2_token(std::string_view password, bytes_view scramble) {
  if (password.empty()) return {};
  const auto p1 = sha256(as_bytes(password));
  const auto p2 = sha256(p1);
  const auto mix = sha256(p2, native_scramble(scramble));
  bytes token(p1.begin(), p1.end());
  for (std::size_t i = 0; i < token.size(); ++i) token[i] ^= mix[i];
  return token;
}

bool verify_caching_sha2_token(const sha256_digest& double_hash, bytes_view token, bytes_view scramble) {
  if (token.size() != 32) return false;
  const auto mix = sha256(double_hash, native_scramble(scramble));
  sha256_digest p1;
  for (std::size_t i = 0; i < p1.size(); ++i) p1[i] = token[i] ^ mix[i];
  const auto check = sha256(p1);
  return CRYPTO_memcmp(check.data(), double_hash.data(), check.size()) == 0;
}

sha2_cache_entry sha2_entry_for(std::string_view password) {
  sha2_cache_entry entry;
  entry.double_hash = sha256(sha256(as_bytes(password)));
  entry.stage1 = sha1(as_bytes(password));
  entry.stage2 = sha1(entry.stage1);
  return entry;
}

rsa_key rsa_key::generate() {
  rsa_key key;
  EVP_PKEY* pkey = EVP_RSA_gen(2048);
  if (!pkey) throw std::runtime_error("RSA key generation failed");
  key.key_ = pkey;
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, pkey);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  key.public_pem_.assign(data, static_cast<std::size_t>(n));
  BIO_free(bio);
  return key;
}

rsa_key::rsa_key(rsa_key&& other) noexcept : key_(other.key_), public_pem_(std::move(other.public_pem_)) {
  other.key_ = nullptr;
}

rsa_key& rsa_key::operator=(rsa_key&& other) noexcept {
  std::swap(key_, other.key_);
  std::swap(public_pem_, other.public_pem_);
  return *this;
}

rsa_key::~rsa_key() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

std::optional<std::string> rsa_key::decrypt_password(bytes_view ciphertext, bytes_view scramble) const {
  auto* ctx = EVP_PKEY_CTX_new(static_cast<EVP_PKEY*>(key_), nullptr);
  if (!ctx) return std::nullopt;
  std::optional<std::string> result;
  std::size_t out_len = 0;
  if (EVP_PKEY_decrypt_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1 &&
      EVP_PKEY_decrypt(ctx, nullptr, &out_len, ciphertext.data(), ciphertext.size()) == 1) {
    bytes plain(out_len);
    if (EVP_PKEY_decrypt(ctx, plain.data(), &out_len, ciphertext.data(), ciphertext.size()) == 1) {
      plain.resize(out_len);
      const auto mask = native_scramble(scramble);
      for (std::size_t i = 0; i < plain.size() && !mask.empty(); ++i) plain[i] ^= mask[i % mask.size()];
      std::string password(as_chars(plain));
      if (!password.empty() && password.back() == '\0') password.pop_back();
      result = std::move(password);
    }
  }
  EVP_PKEY_CTX_free(ctx);
  return result;
}

}  // namespace weft::protocol
