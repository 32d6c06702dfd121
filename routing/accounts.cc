#include "routing/accounts.h"

#include "routing/ipv4.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

namespace weft::routing {
namespace {

constexpr char wild_many = '%';
constexpr char wild_one = '_';
constexpr char wild_prefix = '\\';
constexpr std::uint64_t max_hostname_length = 255;  // the Host column's length

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `%`, `_` and `\` as the server's wildcard compare treats them, case-insensitively.
bool wild_match(std::string_view text, std::string_view pattern) {
  std::size_t t = 0, p = 0;
  std::size_t star = std::string_view::npos, resume = 0;  // the last `%` and where it restarts
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == wild_many) {
      star = ++p;
      resume = t;
      continue;
    }
    if (p < pattern.size()) {
      const bool escaped = pattern[p] == wild_prefix && p + 1 < pattern.size();
      const char want = escaped ? pattern[p + 1] : pattern[p];
      if ((!escaped && want == wild_one) || lower(want) == lower(text[t])) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star;  // the last `%` takes one more character
    t = ++resume;
  }
  while (p < pattern.size() && pattern[p] == wild_many) ++p;
  return p == pattern.size();
}

struct ipv4_network {
  std::uint32_t address = 0, mask = 0;
};

// `a.b.c.d/m.m.m.m` whose address has no bit outside the mask (otherwise the server treats the
// text as a plain pattern).
std::optional<ipv4_network> network_of(std::string_view pattern) {
  const auto slash = pattern.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto address = parse_ipv4(pattern.substr(0, slash));
  const auto mask = parse_ipv4(pattern.substr(slash + 1));
  if (!address || !mask || (*address & *mask) != *address) return std::nullopt;
  return ipv4_network{*address, *mask};
}

// The server's measure of how much a pattern leaves open (larger: more generic): with N plain
// characters, M `_`, K `%` runs and P plain characters before the first wildcard.
std::uint64_t openness(std::string_view pattern) {
  if (pattern.empty()) pattern = "%";  // '' is any host
  std::uint64_t n = 0, m = 0, k = 0, p = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == wild_many) {
      if (!k && !m) p = n;
      ++k;
      while (i + 1 < pattern.size() && pattern[i + 1] == wild_many) ++i;
      continue;
    }
    if (pattern[i] == wild_one) {
      if (!k && !m) p = n;
      ++m;
      continue;
    }
    if (pattern[i] == wild_prefix && i + 1 < pattern.size()) ++i;
    ++n;
  }
  k = std::min<std::uint64_t>(k, 31);
  m = std::min<std::uint64_t>(m, 31);
  const std::uint64_t l = k ? max_hostname_length - std::min(max_hostname_length, n + m) : 0;
  const std::uint64_t d = max_hostname_length + 1, d1 = std::min<std::uint64_t>(d, 32);
  if (l > m) return (((l * 2 + 1) * d + k) * d1 + m) * d + p;
  return (((m * 2) * d + l) * d1 + k) * d + p;
}

// Smaller ranks first: how open the host is, then the anonymous user after a named one.
std::uint64_t rank_key(const account& a) { return (openness(a.host) << 1) + (a.user.empty() ? 1 : 0); }

}  // namespace

std::string_view account_address(std::string_view ip) {
  constexpr std::string_view mapped = "::ffff:";
  if (ip.size() > mapped.size() && ip.substr(0, mapped.size()) == mapped && parse_ipv4(ip.substr(mapped.size()))) {
    return ip.substr(mapped.size());
  }
  return ip;
}

bool host_matches(std::string_view pattern, std::string_view client_ip) {
  if (pattern.empty()) return true;
  if (const auto network = network_of(pattern)) {
    const auto address = parse_ipv4(client_ip);
    if (address && (*address & network->mask) == network->address) return true;
  }
  return wild_match(client_ip, pattern);
}

std::uint64_t host_specificity(std::string_view pattern) { return (std::uint64_t{1} << 32) - openness(pattern); }

bool ranks_before(const account& a, const account& b) {
  const auto ka = rank_key(a), kb = rank_key(b);
  if (ka != kb) return ka < kb;
  return a.host > b.host;
}

// Ordered once per read (each entry's rank computed once), then indexed by user name so that a
// login looks only at its own entries and the anonymous ones.
account_table::account_table(std::vector<account> entries, std::chrono::steady_clock::time_point read_started)
    : read_started_(read_started) {
  std::vector<std::pair<std::uint64_t, std::size_t>> order;  // (rank key, index)
  order.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) order.emplace_back(rank_key(entries[i]), i);
  std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return entries[a.second].host > entries[b.second].host;
  });
  entries_.reserve(entries.size());
  for (const auto& [key, i] : order) {
    by_user_[entries[i].user].push_back({entries_.size(), key});
    entries_.push_back(std::move(entries[i]));
  }
}

const account* account_table::choose(std::string_view user, std::string_view client_ip) const {
  const ranked* named = nullptr;
  if (const auto own = by_user_.find(std::string(user)); own != by_user_.end()) {
    for (const auto& r : own->second) {
      if (host_matches(entries_[r.index].host, client_ip)) {
        named = &r;
        break;
      }
    }
  }
  // An anonymous entry wins only when it ranks strictly above the user's own match.
  if (const auto anonymous = by_user_.find(std::string()); anonymous != by_user_.end()) {
    for (const auto& r : anonymous->second) {
      if (named && r.key >= named->key) break;
      if (host_matches(entries_[r.index].host, client_ip)) return &entries_[r.index];
    }
  }
  return named ? &entries_[named->index] : nullptr;
}

}  // namespace weft::routing
