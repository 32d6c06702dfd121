#include "protocol/proxy_header.h"

#include <arpa/inet.h>

namespace weft::protocol {
namespace {

enum class family { none, v4, v6 };

std::string_view unmapped(std::string_view ip) {
  constexpr std::string_view mapped = "::ffff:";
  if (ip.size() > mapped.size() && ip.substr(0, mapped.size()) == mapped && ip.find('.') != std::string_view::npos) {
    return ip.substr(mapped.size());
  }
  return ip;
}

family family_of(std::string_view ip) {
  const std::string text(ip);
  unsigned char buffer[16];
  if (inet_pton(AF_INET, text.c_str(), buffer) == 1) return family::v4;
  if (inet_pton(AF_INET6, text.c_str(), buffer) == 1) return family::v6;
  return family::none;
}

}  // namespace

std::string proxy_header_v1(std::string_view source_ip, std::uint16_t source_port, std::string_view destination_ip,
                            std::uint16_t destination_port) {
  const auto source = unmapped(source_ip);
  const auto destination = unmapped(destination_ip);
  const auto f = family_of(source);
  if (f == family::none || family_of(destination) != f) return {};
  std::string header = f == family::v4 ? "PROXY TCP4 " : "PROXY TCP6 ";
  header.append(source).append(" ").append(destination);
  header += " " + std::to_string(source_port) + " " + std::to_string(destination_port) + "\r\n";
  return header;
}

}  // namespace weft::protocol
