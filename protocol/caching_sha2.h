// caching_sha2_password, server side (weft towards clients). The client proves it knows the
// password with token = SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) || scramble). weft keeps only
// the native hash, so the first login of a user is a "full authentication": the client sends the
// password itself, over TLS or RSA-encrypted with weft's public key; weft checks it against the
// native hash and caches SHA256(SHA256(pw)) (and SHA1(pw) for the backend login) in memory. Later
// logins take the fast path against that cache, as on a MySQL 8 server.
#pragma once

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "protocol/auth.h"

namespace weft::protocol {

inline constexpr std::string_view caching_sha2_plugin = "caching_sha2_password";

// Fast-path data learned from a full authentication; memory only, lost at restart.
struct sha2_cache_entry {
  sha256_digest double_hash{};  // SHA256(SHA256(password))
  sha1_digest stage1{};         // SHA1(password), for logging in to backends
  sha1_digest stage2{};         // SHA1(SHA1(password)): the fast path holds only while the
                                // account's native hash is still this one (a changed password
                                // must not keep working from the cache)
};

// Shared by all workers; only touched during logins.
class sha2_cache {
 public:
  std::optional<sha2_cache_entry> find(const std::string& user) const;
  void store(const std::string& user, const sha2_cache_entry& entry);
  void forget(const std::string& user);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, sha2_cache_entry> entries_;
};

// The token a client sends for password and scramble (tests; clients compute it themselves).
bytes caching_sha2_token(std::string_view password, bytes_view scramble);

// Fast path: checks a token against the cached double hash.
bool verify_caching_sha2_token(const sha256_digest& double_hash, bytes_view token, bytes_view scramble);

sha2_cache_entry sha2_entry_for(std::string_view password);

// An RSA key pair for full authentication without TLS. Generated at startup (2048 bits).
class rsa_key {
 public:
  static rsa_key generate();
  rsa_key(rsa_key&&) noexcept;
  rsa_key& operator=(rsa_key&&) noexcept;
  ~rsa_key();
  const std::string& public_pem() const { return public_pem_; }
  // RSA-OAEP decryption of what the client sent: the password XOR the scramble (repeated).
  std::optional<std::string> decrypt_password(bytes_view ciphertext, bytes_view scramble) const;

 private:
  rsa_key() = default;
  void* key_ = nullptr;  // EVP_PKEY*
  std::string public_pem_;
};

}  // namespace weft::protocol
