// Which collation ids a client may not use as its connection character set: those of ucs2,
// utf16, utf16le and utf32, whose characters are never one byte (MariaDB answers 1231 for them,
// read off information_schema.collations of 10.11). Unknown ids are the server's business: it
// falls back to its default, and weft passes them on unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace weft::protocol {

// The character set's name when the collation id cannot be a client's, else nullopt.
constexpr std::optional<std::string_view> charset_refused_for_clients(std::uint8_t id) {
  if (id == 35 || id == 90 || (id >= 128 && id <= 151) || id == 159) return "ucs2";
  if (id == 54 || id == 55 || (id >= 101 && id <= 124)) return "utf16";
  if (id == 56 || id == 62) return "utf16le";
  if (id == 60 || id == 61 || (id >= 160 && id <= 183)) return "utf32";
  return std::nullopt;
}

}  // namespace weft::protocol
