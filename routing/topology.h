// The servers weft routes to, grouped (one primary, N replicas per group). Plain values: the
// proxy reads an immutable snapshot of this, published by whoever owns the configuration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weft::routing {

struct endpoint {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
  bool operator==(const endpoint&) const = default;
};

// "host:port" (IPv6 as "[::1]:3306"); nullopt when it is not of that form.
std::optional<endpoint> parse_endpoint(std::string_view text);

enum class server_role { primary, replica };
std::string_view to_string(server_role role);
std::optional<server_role> parse_server_role(std::string_view text);

struct server {
  endpoint address;
  std::string group;
  server_role role = server_role::replica;
};

struct topology {
  std::vector<server> servers;

  // The group new sessions use when nothing else decides: the group of the first server.
  std::string_view default_group() const;
  const server* primary_of(std::string_view group) const;
};

}  // namespace weft::routing
