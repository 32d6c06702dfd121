#include "routing/topology.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

namespace weft::routing {

std::optional<endpoint> parse_endpoint(std::string_view text) {
  constexpr std::string_view unix_prefix = "unix:";
  if (text.substr(0, unix_prefix.size()) == unix_prefix) {
    const auto path = text.substr(unix_prefix.size());
    // sun_path holds 108 bytes with its NUL
    if (path.size() < 2 || path.front() != '/' || path.size() > 107 || path.find('\0') != path.npos) {
      return std::nullopt;
    }
    return endpoint{std::string(path), 0};
  }
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  auto host = text.substr(0, colon);
  const auto port_text = text.substr(colon + 1);
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return std::nullopt;
    host = host.substr(1, host.size() - 2);
  }
  // such a host would print as a socket address ("unix:..." or "unix:PORT") and read back as one
  if (host.substr(0, unix_prefix.size()) == unix_prefix || host == "unix") return std::nullopt;
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

std::string_view to_string(server_status status) {
  switch (status) {
    case server_status::online: return "ONLINE";
    case server_status::shunned: return "SHUNNED";
    case server_status::offline_soft: return "OFFLINE_SOFT";
    case server_status::offline_hard: return "OFFLINE_HARD";
  }
  return "ONLINE";
}

std::string_view to_string(failover_mode mode) {
  switch (mode) {
    case failover_mode::off: return "off";
    case failover_mode::automatic: return "auto";
    case failover_mode::elect: return "elect";
    case failover_mode::fail: return "fail";
  }
  return "off";
}

std::optional<failover_mode> parse_failover_mode(std::string_view text) {
  for (auto m : {failover_mode::off, failover_mode::automatic, failover_mode::elect, failover_mode::fail}) {
    if (text == to_string(m)) return m;
  }
  return std::nullopt;
}

std::optional<server_status> parse_server_status(std::string_view text) {
  for (auto s : {server_status::online, server_status::shunned, server_status::offline_soft,
                 server_status::offline_hard}) {
    const auto name = to_string(s);
    if (text.size() == name.size() &&
        std::equal(text.begin(), text.end(), name.begin(), [](char a, char b) { return std::toupper(a) == b; })) {
      return s;
    }
  }
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

const server* topology::find(const endpoint& address) const {
  for (const auto& s : servers) {
    if (s.address == address) return &s;
  }
  return nullptr;
}

server* topology::find(const endpoint& address) {
  return const_cast<server*>(std::as_const(*this).find(address));
}

const group_policy& topology::policy_of(std::string_view group) const {
  for (const auto& g : groups) {
    if (g.name == group) return g;
  }
  static const group_policy defaults;
  return defaults;
}

std::optional<std::string> unready_reason(const topology& t) {
  std::vector<std::string_view> groups;
  for (const auto& s : t.servers) {
    if (std::find(groups.begin(), groups.end(), s.group) == groups.end()) groups.push_back(s.group);
  }
  for (const auto group : groups) {
    const auto* p = t.primary_of(group);
    const std::string g(group);
    if (!p) return "group '" + g + "' has no primary";
    if (p->status != server_status::online) {
      return "group '" + g + "': primary " + p->name + " is " + std::string(to_string(p->status));
    }
    if (p->health.checked && !p->health.reachable) {
      return "group '" + g + "': primary " + p->name + " is unreachable" +
             (p->health.last_error.empty() ? "" : ": " + p->health.last_error);
    }
  }
  return std::nullopt;
}

}  // namespace weft::routing
