// Dotted-quad IPv4 text as a number (query rules' client networks, account host patterns).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace weft::routing {

inline std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t value = 0;
  for (int part = 0; part < 4; ++part) {
    const auto dot = text.find('.');
    const auto piece = text.substr(0, dot);
    unsigned octet = 0;
    const auto [end, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), octet);
    if (ec != std::errc{} || end != piece.data() + piece.size() || piece.empty() || octet > 255) return std::nullopt;
    value = value << 8 | octet;
    if (part < 3 && dot == std::string_view::npos) return std::nullopt;
    text = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  }
  if (!text.empty()) return std::nullopt;
  return value;
}

}  // namespace weft::routing
