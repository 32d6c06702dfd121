// MariaDB GTIDs ("domain-server-sequence") and positions (one GTID per domain, comma-separated):
// enough to tell whether a server has applied a given transaction. MariaDB has no GTID_SUBTRACT;
// within a domain, sequence numbers are ordered, so "has applied" is a per-domain comparison.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace weft::routing {

struct gtid {
  std::uint32_t domain = 0;
  std::uint32_t server_id = 0;
  std::uint64_t sequence = 0;
  bool operator==(const gtid&) const = default;
};

std::optional<gtid> parse_gtid(std::string_view text);

// True when `position` holds, for the domain of every GTID in `wanted` (a list), a sequence
// number at least as high. An empty `wanted` is always covered; a malformed one never is.
bool position_covers(std::string_view position, std::string_view wanted);

}  // namespace weft::routing
