// Accounts as the server keeps them (user@host entries) and the choice the server makes at login:
// which entry a client's user name and address select. Pure: the monitor loads the entries from
// a primary, the proxy asks `choose` with the address it sees.
//
// Matching is the server's with skip_name_resolve: a host pattern is compared with the client's
// IP address (`%` and `_` wildcards, `\` escapes, case-insensitive), `a.b.c.d/m.m.m.m` is an IPv4
// network and mask, `''` is any host. A pattern that names a host (`app.example.com`,
// `localhost`) needs name resolution, which weft does not do: it matches no client.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace weft::routing {

struct account {
  std::string user;  // empty: the anonymous account (any user name)
  std::string host;  // the pattern
  std::string plugin;
  std::string auth_string;  // e.g. "*<40 hex>" for mysql_native_password
  bool locked = false;
  bool password_expired = false;
  std::uint32_t max_user_connections = 0;  // 0: no limit
  bool operator==(const account&) const = default;
};

// The address the server matches a client by: an IPv4-mapped IPv6 address as plain IPv4.
std::string_view account_address(std::string_view ip);

// True when the client address matches the pattern as the server compares them.
bool host_matches(std::string_view pattern, std::string_view client_ip);

// How specific a host pattern is, as the server ranks it (larger: more specific): no wildcard
// first, then by what the wildcards leave open, `%` last.
std::uint64_t host_specificity(std::string_view pattern);

// The server's order of entries: most specific host first, a named user before the anonymous
// one with the same host, then by host text (reverse).
bool ranks_before(const account& a, const account& b);

// A user list in the server's order, with the server's choice for a login.
class account_table {
 public:
  // `read_started`: when the read that produced the entries began (a login refused by a list
  // read before it began may be asked again of a fresher one).
  explicit account_table(std::vector<account> entries, std::chrono::steady_clock::time_point read_started = {});
  // The entry a login as `user` from `client_ip` is checked against, or null (the server then
  // refuses with 1045): the first of the user's own entries whose host matches, unless an
  // anonymous entry ranks above it and matches too.
  const account* choose(std::string_view user, std::string_view client_ip) const;
  const std::vector<account>& entries() const { return entries_; }
  std::chrono::steady_clock::time_point read_started() const { return read_started_; }

 private:
  struct ranked {
    std::size_t index;  // into entries_
    std::uint64_t key;  // smaller ranks first
  };
  std::vector<account> entries_;  // in the server's order
  std::chrono::steady_clock::time_point read_started_;
  std::unordered_map<std::string, std::vector<ranked>> by_user_;  // "" = the anonymous entries
};

}  // namespace weft::routing
