// Choosing the replica that replaces a failed primary, from what each replica reports: the
// most advanced GTID position (compared per replication domain: MariaDB has no GTID_SUBTRACT),
// honouring a candidates list, refusing (in pedantic mode) or reporting replicas with errant
// transactions (GTIDs they wrote themselves, which the primary never had). Pure; the failover
// code gathers the positions and acts on the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weft::routing {

struct replica_position {
  std::string name;         // host:port
  std::uint32_t server_id = 0;
  std::string gtid_position;  // gtid_current_pos (MariaDB): one GTID per domain
  bool healthy = false;       // reachable, replicating from the failed primary (IO may be down), SQL ok
  bool in_candidates = true;  // listed as a candidate (an empty list makes everyone one)
};

enum class election_mode : std::uint8_t { automatic, elect, fail };

struct election_result {
  std::optional<std::string> chosen;       // nullopt: nobody may be promoted
  std::string reason;                      // why (for the log and failover_log)
  std::vector<std::string> errant;         // "replica: gtid" for transactions a replica wrote itself
  std::optional<std::string> catch_up_from;  // a replica holding transactions the chosen one lacks
};

// Compares two positions: +1 when a has everything b has and more, -1 the other way, 0 when
// equal, nullopt when each has something the other lacks (diverged).
std::optional<int> compare_positions(const std::string& a, const std::string& b);

// primary_server_id: the failed primary's server_id (GTIDs with another server_id that a replica
// wrote itself are errant).
election_result elect(const std::vector<replica_position>& replicas, std::uint32_t primary_server_id,
                      election_mode mode, bool pedantic);

}  // namespace weft::routing
