#include "protocol/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include <stdexcept>

namespace weft::protocol {
namespace {
constexpr std::size_t scramble_size = 20;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

namespace {
// EVP, not SHA1_Init/SHA256_Init: the low-level calls are deprecated in OpenSSL 3.
template <class Digest>
Digest evp_digest(const EVP_MD* md, bytes_view a, bytes_view b) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Digest out{};
  const bool ok = ctx && EVP_DigestInit_ex(ctx, md, nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
                  (b.empty() || EVP_DigestUpdate(ctx, b.data(), b.size()) == 1) &&
                  EVP_DigestFinal_ex(ctx, out.data(), nullptr) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw std::runtime_error("message digest failed");
  return out;
}
}  // namespace

sha1_digest sha1(bytes_view a, bytes_view b) { return evp_digest<sha1_digest>(EVP_sha1(), a, b); }
sha256_digest sha256(bytes_view a, bytes_view b) { return evp_digest<sha256_digest>(EVP_sha256(), a, b); }

native_password_hash native_password_hash::from_password(std::string_view password) {
  native_password_hash h;
  if (password.empty()) {
    h.empty_password = true;
    return h;
  }
  const auto stage1 = sha1(as_bytes(password));
  h.stage2 = sha1(stage1);
  return h;
}

std::optional<native_password_hash> native_password_hash::from_hex(std::string_view star_hex) {
  native_password_hash h;
  if (star_hex.empty()) {
    h.empty_password = true;
    return h;
  }
  if (star_hex.size() != 41 || star_hex[0] != '*') return std::nullopt;
  for (std::size_t i = 0; i < 20; ++i) {
    const int hi = hex_value(star_hex[1 + 2 * i]);
    const int lo = hex_value(star_hex[2 + 2 * i]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h.stage2[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return h;
}

std::string native_password_hash::to_hex() const {
  if (empty_password) return {};
  std::string s(1, '*');
  s += protocol::to_hex(stage2);
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bytes_view native_scramble(bytes_view plugin_data) {
  return plugin_data.first(std::min(plugin_data.size(), scramble_size));
}

bytes native_token_from_stage1(const sha1_digest& stage1, bytes_view scramble) {
  const auto stage2 = sha1(stage1);
  const auto mask = sha1(native_scramble(scramble), stage2);
  bytes token(stage1.begin(), stage1.end());
  for (std::size_t i = 0; i < token.size(); ++i) token[i] ^= mask[i];
  return token;
}

bytes native_token_from_password(std::string_view password, bytes_view scramble) {
  if (password.empty()) return {};
  return native_token_from_stage1(sha1(as_bytes(password)), scramble);
}

std::optional<sha1_digest> verify_native_token(const native_password_hash& hash, bytes_view token,
                                               bytes_view scramble) {
  if (hash.empty_password) {
    if (token.empty()) return sha1_digest{};
    return std::nullopt;
  }
  if (token.size() != scramble_size) return std::nullopt;
  const auto mask = sha1(native_scramble(scramble), hash.stage2);
  sha1_digest stage1;
  for (std::size_t i = 0; i < scramble_size; ++i) stage1[i] = token[i] ^ mask[i];
  const auto check = sha1(stage1);
  if (CRYPTO_memcmp(check.data(), hash.stage2.data(), check.size()) != 0) return std::nullopt;
  return stage1;
}

bytes make_scramble() {
  bytes s(scramble_size);
  if (RAND_bytes(s.data(), static_cast<int>(s.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  // Printable ASCII range without NUL, as servers do.
  for (auto& c : s) c = static_cast<std::uint8_t>(0x21 + c % 0x5E);
  return s;
}

}  // namespace weft::protocol
