#include "routing/rw_split.h"

namespace weft::routing {

std::string_view to_string(target_role role) { return role == target_role::primary ? "primary" : "replica"; }

target_role role_for(const statement_info& info, bool pins_session, const group_policy& policy) {
  if (info.hint == route_hint::primary || pins_session) return target_role::primary;
  if (info.transaction == transaction_action::begin_read_only && policy.read_only_transactions_on_replica) {
    return target_role::replica;
  }
  return info.replica_safe() ? target_role::replica : target_role::primary;
}

bool replica_eligible(const server& s, const group_policy& policy) {
  const auto& h = s.health;
  return s.status == server_status::online && h.checked && h.reachable && h.replicating && h.io_running &&
         h.sql_running && h.lag_seconds && *h.lag_seconds <= policy.max_replication_lag;
}

}  // namespace weft::routing
