#include "routing/topology.h"

#include <charconv>

namespace weft::routing {

std::optional<endpoint> parse_endpoint(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto host = text.substr(0, colon);
  const auto port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return endpoint{std::string(host), static_cast<std::uint16_t>(port)};
}

std::string_view to_string(server_role role) {
  return role == server_role::primary ? "primary" : "replica";
}

std::optional<server_role> parse_server_role(std::string_view text) {
  if (text == "primary") return server_role::primary;
  if (text == "replica") return server_role::replica;
  return std::nullopt;
}

std::string_view topology::default_group() const {
  return servers.empty() ? std::string_view{} : std::string_view{servers.front().group};
}

const server* topology::primary_of(std::string_view group) const {
  for (const auto& s : servers) {
    if (s.group == group && s.role == server_role::primary) return &s;
  }
  return nullptr;
}

}  // namespace weft::routing
