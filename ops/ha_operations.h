// The procedures behind PROMOTE (switchover, or failover when the primary is gone), automatic
// failover, DEMOTE, REJOIN and REPLICATE. Each returns the steps it took as rows for the DBA.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ops/admin_result.h"
#include "ops/ha_command.h"
#include "ops/ha_context.h"
#include "ops/ha_global_stream.h"
#include "ops/ha_steps.h"
#include "routing/election.h"

namespace weft::ops {

// Helpers shared by the operations' files (ha_switchover.cc, ha_failover.cc, ha_replicate.cc).
namespace ha_detail {
// The servers of a group that may become or stay replicas (OFFLINE_HARD ones are out).
std::vector<const routing::server*> replicas_of(const routing::topology& t, const std::string& group);
bool listed(const std::vector<std::string>& candidates, const std::string& name);  // empty: everyone
// How long a connection must wait for a statement that waits on purpose.
unsigned wait_seconds(const config::ha_settings& s);
// The failed step goes into the error message, so a DBA sees what happened.
admin_result failed_result(const step_log& log, const std::string& what);
}  // namespace ha_detail

using node_list = std::vector<std::unique_ptr<backend_node>>;

class ha_operation {
 public:
  explicit ha_operation(operation_host& host) : host_(host), ctx_(host.context()) {}

  // Planned promotion: the old primary turns read_only, the candidate catches up to it and takes
  // over, everyone else (the old primary too) replicates from it. With an unreachable primary,
  // a failover instead.
  admin_result switchover(const std::string& group, const std::string& target);
  // The primary failed. `confirmed_by_detector` false: a DBA's PROMOTE, which needs no replica to
  // confirm the failure. `refused_reason` tells the detector why nothing happened.
  admin_result failover(const std::string& group, const std::string& target, bool confirmed_by_detector,
                        std::string* refused_reason = nullptr);
  admin_result demote(const std::string& group);
  admin_result rejoin(const std::string& server);
  admin_result replicate(const ha_command& command);

 private:
  std::unique_ptr<backend_node> connect(const routing::endpoint& address) const;
  // Steps of a failover (ha_failover.cc).
  std::optional<std::string> confirm_failure(const routing::topology& t, const routing::server& primary,
                                             bool by_detector, node_list& nodes, step_log& log) const;
  std::vector<routing::replica_position> apply_relay_logs(node_list& nodes, const routing::server& primary,
                                                          const std::vector<std::string>& candidates,
                                                          step_log& log) const;
  void catch_up(backend_node& chosen, backend_node& source, step_log& log) const;
  void report_lost(const routing::server& old, backend_node& chosen, step_log& log) const;
  // Why a switchover or failover cannot start in this group (no primary, no replication user).
  std::optional<admin_result> cannot_start(const routing::server* primary, const std::string& group) const;
  admin_result report_only(const std::string& group, const std::string& old_name, step_log& log) const;
  admin_result abandon_failover(node_list& nodes, const std::string& group, const std::string& old_name,
                                const std::string& next, step_log& log, const std::string& what) const;
  // After the new primary took over: the global stream, the reports, exec_after, the event.
  admin_result finish_failover(const routing::server& old, backend_node& chosen, node_list& nodes, bool by_detector,
                               std::int64_t took, step_log& log) const;
  // Shared by switchover and failover.
  bool promote(backend_node& chosen, step_log& log) const;
  void repoint(backend_node& node, const backend_node& primary, bool from_own_binlog, step_log& log) const;
  // Steps of a switchover (ha_switchover.cc): the candidate, connected, or nullptr (log says why).
  std::unique_ptr<backend_node> choose_candidate(const routing::topology& t, const routing::server& primary,
                                                 const std::string& target, step_log& log) const;
  admin_result promote_demoted(const routing::server& primary, backend_node& node, step_log& log);
  node_list repoint_followers(const routing::topology& t, const std::string& group, backend_node& candidate,
                              std::unique_ptr<backend_node> old, step_log& log) const;
  admin_result finish_switchover(const routing::server& old, backend_node& candidate, node_list& followers,
                                 const global_source& global, std::int64_t pause_ms, step_log& log) const;
  // A shard group's new primary and the global group's stream (ha_operations.cc): once writes
  // go to the new primary (the pause is not made longer), it replicates from the global primary.
  global_source global_source_of(const std::string& group, const std::string& new_primary) const;
  bool stop_global_stream(backend_node& old, const global_source& global, step_log& log) const;
  void follow_global_primary(backend_node& primary, const global_source& global, step_log& log) const;
  void report_global_stream(backend_node& primary, const global_source& global, step_log& log) const;
  // A global group's new primary: every shard group's primary replicates from it.
  void move_shard_streams(const std::string& global_group, const backend_node& new_primary, step_log& log) const;
  // REPLICATE's part that changes the replica (ha_replicate.cc).
  bool configure_replica(backend_node& replica, backend_node& source, const ha_command& c,
                         const sql_row& replica_settings, const std::string& user, const std::string& password,
                         step_log& log) const;
  bool run_hook_step(const std::string& command, const std::string& which, const std::string& group,
                     const std::string& old_primary, const std::string& new_primary, step_log& log) const;
  void commit_primary(const std::string& group, const std::string& new_primary, const std::string& old_primary,
                      routing::server_status old_status) const;
  void record(const std::string& group, const std::string& event, const std::string& old_primary,
              const std::string& new_primary, const step_log& log, std::int64_t duration_ms) const;

  operation_host& host_;
  const ha_context& ctx_;
};

}  // namespace weft::ops
