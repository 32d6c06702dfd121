// The read/write split: which role of a group a statement needs, and which replica takes a
// read. Pure decisions over a statement's classification and a topology snapshot.
#pragma once

#include <cstdint>
#include <string_view>

#include "routing/classifier.h"
#include "routing/topology.h"

namespace weft::routing {

enum class target_role : std::uint8_t { primary, replica };
std::string_view to_string(target_role role);

// For a session that holds no connection (a held one is used as it is). Writes, locking reads,
// side effects, anything that pins the session and transactions go to the primary; plain reads
// (and, if the group allows it, START TRANSACTION READ ONLY) to a replica. A hint may send to
// the primary what would go to a replica, never the other way round.
target_role role_for(const statement_info& info, bool pins_session, const group_policy& policy);

// A replica that may take reads now: ONLINE, replicating with its SQL thread running, and
// current enough. With its IO thread running, current enough is Seconds_Behind_Master within
// the group's bound. With the IO thread stopped or reconnecting (its source died or cannot be
// reached), Seconds_Behind_Master is NULL and says nothing: the replica is then judged by what it
// has applied — eligible when that covers the last position the monitor saw on the group's
// primary (it has everything the primary was known to have, so it counts as 0 s behind).
bool replica_eligible(const server& s, const group_policy& policy, const server* primary = nullptr);

// Weighted least-connections among the group's eligible replicas: the lowest in-use / weight
// wins; ties go round by weight, starting from `rotation` (so idle replicas, all at 0, share
// reads by weight). load_of(server) is the number of connections in use to it. Null when none
// qualifies.
template <class LoadOf>
const server* choose_replica(const topology& t, std::string_view group, std::uint64_t rotation, LoadOf&& load_of) {
  const auto& policy = t.policy_of(group);
  const server* primary = t.primary_of(group);
  // Scores compared as fractions: a_load / a_weight < b_load / b_weight.
  const server* best = nullptr;
  std::uint64_t best_load = 0, best_weight = 1, tied_weight = 0;
  for (const auto& s : t.servers) {
    if (s.group != group || s.role != server_role::replica || !replica_eligible(s, policy, primary)) continue;
    const std::uint64_t load = load_of(s), weight = s.weight == 0 ? 1 : s.weight;
    if (!best || load * best_weight < best_load * weight) {
      best = &s;
      best_load = load;
      best_weight = weight;
      tied_weight = weight;
    } else if (load * best_weight == best_load * weight) {
      tied_weight += weight;
    }
  }
  if (!best || tied_weight == best_weight) return best;
  // Several tie: pick one by weight, the rotation saying which.
  auto ticket = rotation % tied_weight;
  for (const auto& s : t.servers) {
    if (s.group != group || s.role != server_role::replica || !replica_eligible(s, policy, primary)) continue;
    const std::uint64_t load = load_of(s), weight = s.weight == 0 ? 1 : s.weight;
    if (load * best_weight != best_load * weight) continue;
    if (ticket < weight) return &s;
    ticket -= weight;
  }
  return best;
}

}  // namespace weft::routing
