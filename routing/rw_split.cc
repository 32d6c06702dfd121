#include "routing/rw_split.h"

#include "routing/gtid.h"

namespace weft::routing {

std::string_view to_string(target_role role) { return role == target_role::primary ? "primary" : "replica"; }

target_role role_for(const statement_info& info, bool pins_session, const group_policy& policy) {
  if (info.hint == route_hint::primary || pins_session) return target_role::primary;
  if (info.transaction == transaction_action::begin_read_only && policy.read_only_transactions_on_replica) {
    return target_role::replica;
  }
  return info.replica_safe() ? target_role::replica : target_role::primary;
}

bool replica_eligible(const server& s, const group_policy& policy, const server* primary) {
  const auto& h = s.health;
  if (s.status != server_status::online || !h.checked || !h.reachable || !h.replicating || !h.sql_running) {
    return false;
  }
  if (h.io_running) return h.lag_seconds && *h.lag_seconds <= policy.max_replication_lag;
  if (!primary || primary == &s || primary->health.gtid_current_pos.empty()) return false;
  return position_covers(h.gtid_current_pos, primary->health.gtid_current_pos);
}

}  // namespace weft::routing
