// mysql_native_password. The server stores stage2 = SHA1(SHA1(password)); the client sends
// token = SHA1(password) XOR SHA1(scramble || stage2). Verifying a token recovers
// stage1 = SHA1(password), which is all weft needs to log the same user in to a backend with
// that backend's own scramble — so weft never keeps a clear-text password.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/bytes.h"

namespace weft::protocol {

using sha1_digest = std::array<std::uint8_t, 20>;
using sha256_digest = std::array<std::uint8_t, 32>;

// Hashes of a, followed by b when given.
sha1_digest sha1(bytes_view a, bytes_view b = {});
sha256_digest sha256(bytes_view a, bytes_view b = {});

struct native_password_hash {
  sha1_digest stage2{};
  bool empty_password = false;  // an account without password: the client sends no token

  static native_password_hash from_password(std::string_view password);
  // "*" followed by 40 hex digits, as in mysql.user / SHOW CREATE USER; "" = no password.
  static std::optional<native_password_hash> from_hex(std::string_view star_hex);
  std::string to_hex() const;  // "*HEX"
};

// Token a client sends, from the clear password (tests) or from stage1 (weft to a backend).
bytes native_token_from_password(std::string_view password, bytes_view scramble);
bytes native_token_from_stage1(const sha1_digest& stage1, bytes_view scramble);

// Checks a client's token; on success returns stage1. An empty-password account accepts only an
// empty token (and yields no stage1 worth using: the backend login sends an empty token too).
std::optional<sha1_digest> verify_native_token(const native_password_hash& hash, bytes_view token,
                                               bytes_view scramble);

// The first 20 bytes of a plugin scramble (MariaDB sends 20 + a NUL).
bytes_view native_scramble(bytes_view plugin_data);

// Fresh random scramble of printable bytes without NUL (some clients stop at a NUL).
bytes make_scramble();

}  // namespace weft::protocol
