// The failover procedure: confirm the failure through the replicas, let them apply what they
// received, elect, catch up, promote, repoint the others, take the old primary out of routing.
#include "ops/ha_operations.h"

#include <spdlog/spdlog.h>

#include "routing/election.h"

namespace weft::ops {

using namespace ha_detail;
using routing::server_status;

// The failure, confirmed by the replicas' own view of their source: a blip between weft and the
// primary alone is not a reason to fail over. Fills `nodes` with the replicas weft reaches;
// returns why there is no failover, if so.
std::optional<std::string> ha_operation::confirm_failure(const routing::topology& t, const routing::server& primary,
                                                         bool by_detector, node_list& nodes, step_log& log) const {
  for (const auto* r : replicas_of(t, primary.group)) {
    auto node = connect(r->address);
    if (!node->ok()) {
      log.warn("confirm", r->name, "unreachable: " + node->error());
      continue;
    }
    auto state = node->replication();
    if (by_detector && state && state->io_running && state->source == primary.address) {
      return "replica " + r->name + " is still connected to the primary " + primary.name + ": weft alone lost it; no failover";
    }
    nodes.push_back(std::move(node));
  }
  if (nodes.empty()) return "no replica of group '" + primary.group + "' is reachable";
  log.ok("confirm", primary.name,
         by_detector ? "unreachable for weft, and " + std::to_string(nodes.size()) + " replica(s) lost it too"
                     : "unreachable (PROMOTE)");
  return std::nullopt;
}

// Each replica stops asking the dead source and applies what it received; then the positions
// can be compared.
std::vector<routing::replica_position> ha_operation::apply_relay_logs(node_list& nodes, const routing::server& primary,
                                                                      const std::vector<std::string>& candidates,
                                                                      step_log& log) const {
  std::vector<routing::replica_position> positions;
  for (auto& n : nodes) {
    if (n->exec(std::string(routing::stop_io_thread_query(n->flavor())), log, "stop IO thread")) {
      log.ok("stop IO thread", n->name(), "no more retries towards " + primary.name);
    }
    auto state = n->replication();
    const bool applied = state && n->wait_for(state->received, ctx_.settings.catch_up_timeout);
    auto position = n->position();
    routing::replica_position rp;
    rp.name = n->name();
    rp.server_id = position ? position->second : 0;
    rp.gtid_position = position ? position->first : "";
    rp.healthy = applied && position && state && state->sql_running;
    rp.in_candidates = listed(candidates, rp.name);
    if (rp.healthy) {
      log.ok("apply relay log", rp.name, "position " + rp.gtid_position);
    } else {
      log.warn("apply relay log", rp.name, !state ? n->error() : state->last_error.empty() ? "not applied" : state->last_error);
    }
    positions.push_back(std::move(rp));
  }
  return positions;
}

// The chosen replica takes from `source` the transactions it lacks (a warning if it cannot).
void ha_operation::catch_up(backend_node& chosen, backend_node& source, step_log& log) const {
  const auto wanted = source.position();
  step_log quiet;
  const bool caught_up = chosen.replicate_from(source.address(), ctx_.settings.replication_user,
                                               ctx_.settings.replication_password, false, quiet) &&
                         wanted && chosen.wait_for(wanted->first, ctx_.settings.catch_up_timeout);
  if (caught_up) {
    log.ok("catch up", chosen.name(), "from " + source.name() + " to " + wanted->first);
  } else {
    log.warn("catch up", chosen.name(),
             "from " + source.name() + ": " + (quiet.any_failed() ? quiet.failures() : "timed out"));
  }
}

bool ha_operation::promote(backend_node& chosen, step_log& log) const {
  const auto flavor = chosen.flavor();
  if (!chosen.exec(std::string(routing::stop_replica_query(flavor)), log, "promote") ||
      !chosen.exec(std::string(routing::reset_replica_query(flavor)), log, "promote") ||
      !chosen.exec(routing::set_read_only_query(false), log, "promote")) {
    return false;
  }
  log.ok("promote", chosen.name(), "replication reset, read_only OFF");
  return true;
}

void ha_operation::repoint(backend_node& node, const backend_node& primary, bool from_own_binlog, step_log& log) const {
  step_log quiet;
  if (node.replicate_from(primary.address(), ctx_.settings.replication_user, ctx_.settings.replication_password,
                          from_own_binlog, quiet)) {
    log.ok("repoint", node.name(), "replicates from " + primary.name());
  } else {
    log.warn("repoint", node.name(), quiet.failures());
  }
}

// What the old primary had that the new one lacks, as far as the monitor last saw it.
void ha_operation::report_lost(const routing::server& old, backend_node& chosen, step_log& log) const {
  const auto now = chosen.position();
  const auto& last_seen = old.health.gtid_current_pos;
  const auto cmp = now ? routing::compare_positions(last_seen, now->first) : std::nullopt;
  if (!now || !cmp || *cmp > 0) {
    log.warn("lost transactions", old.name,
             "the old primary was last seen at " + last_seen + ", the new primary holds " + (now ? now->first : "?") +
                 ": the difference is missing (semi-sync prevents this)");
  } else {
    log.ok("lost transactions", old.name,
           "none: the new primary holds " + now->first + " (the old primary was last seen at " + last_seen + ")");
  }
}

namespace {

// A replica named by its socket path is never elected: the others could not replicate from it.
void exclude_socket_paths(std::vector<routing::replica_position>& positions, step_log& log) {
  for (auto& p : positions) {
    const auto ep = routing::parse_endpoint(p.name);
    if (!ep || !ep->is_unix() || !p.in_candidates) continue;
    p.in_candidates = false;
    log.warn("elect", p.name, std::string("not a candidate: ") + unix_source_refusal);
  }
}

backend_node* node_named(node_list& nodes, const std::string& name) {
  for (auto& n : nodes) {
    if (n->name() == name) return n.get();
  }
  return nullptr;
}

void check_replicating(node_list& nodes, const backend_node* chosen, step_log& log) {
  for (auto& n : nodes) {
    if (n.get() == chosen) continue;
    if (auto problem = n->wait_replicating(std::chrono::milliseconds(3000))) log.warn("replicating", n->name(), *problem);
  }
}

}  // namespace

// Failover mode 'fail': the failure is recorded, nobody is promoted.
admin_result ha_operation::report_only(const std::string& group, const std::string& old_name, step_log& log) const {
  log.warn("elect", "", "failover mode is 'fail': reported, nobody promoted");
  record(group, "failure_detected", old_name, "", log, -1);
  return log.table();
}

// Nobody was promoted: the replicas go back to waiting for the old primary, as before.
admin_result ha_operation::abandon_failover(node_list& nodes, const std::string& group, const std::string& old_name,
                                            const std::string& next, step_log& log, const std::string& what) const {
  for (auto& n : nodes) {
    step_log quiet;
    n->exec(std::string(routing::start_replica_query(n->flavor())), quiet, "restart replication");
  }
  host_.pause(group, false);
  record(group, "failover_failed", old_name, next, log, -1);
  return failed_result(log, what);
}

admin_result ha_operation::failover(const std::string& group, const std::string& target, bool confirmed_by_detector,
                                    std::string* refused_reason) {
  const auto started = std::chrono::steady_clock::now();
  const auto t = ctx_.topology->load();
  const auto* primary = t->primary_of(group);
  if (auto refused = cannot_start(primary, group)) return *refused;
  const auto& policy = t->policy_of(group);
  const std::string old_name = primary->name;
  step_log log("failover");
  node_list nodes;
  if (auto why = confirm_failure(*t, *primary, confirmed_by_detector, nodes, log)) {
    if (refused_reason) *refused_reason = *why;
    log.failed("confirm", "", *why);
    return failed_result(log, "failover");
  }
  if (confirmed_by_detector && policy.failover == routing::failover_mode::fail) {
    if (refused_reason) *refused_reason = "mode fail";
    return report_only(group, old_name, log);
  }

  host_.pause(group, true);
  const auto candidates = target.empty() ? policy.candidates : std::vector<std::string>{target};
  auto positions = apply_relay_logs(nodes, *primary, candidates, log);
  exclude_socket_paths(positions, log);
  const auto mode = !target.empty() || policy.failover == routing::failover_mode::elect ? routing::election_mode::elect
                                                                                         : routing::election_mode::automatic;
  const auto election = routing::elect(positions, primary->health.server_id, mode, policy.pedantic);
  for (const auto& e : election.errant) log.warn("errant transaction", "", e);
  const auto give_up = [&](const std::string& next, const std::string& what) {
    return abandon_failover(nodes, group, old_name, next, log, what);
  };
  if (!election.chosen) {
    log.failed("elect", "", election.reason);
    return give_up("", "failover");
  }
  const std::string next = *election.chosen;
  log.ok("elect", next, election.reason);
  if (!run_hook_step(policy.exec_before, "exec_before", group, old_name, next, log)) {
    return give_up(next, "failover (exec_before refused it; nothing was promoted)");
  }
  auto* chosen = node_named(nodes, next);
  auto* ahead = election.catch_up_from ? node_named(nodes, *election.catch_up_from) : nullptr;  // holds what chosen lacks
  if (ahead) catch_up(*chosen, *ahead, log);
  if (!promote(*chosen, log)) return give_up(next, "failover");
  for (auto& n : nodes) {
    if (n.get() != chosen) repoint(*n, *chosen, false, log);
  }
  // The old primary leaves routing; when it comes back it is kept read_only until REJOIN SERVER.
  commit_primary(group, next, old_name, server_status::offline_hard);
  host_.pause(group, false);
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  return finish_failover(*primary, *chosen, nodes, confirmed_by_detector, took, log);
}

// Writes go to the new primary again; a shard group's new primary takes the global stream (no
// replica of the group is ahead of it in that stream: their IO threads stopped before the election).
admin_result ha_operation::finish_failover(const routing::server& old, backend_node& chosen, node_list& nodes,
                                           bool by_detector, std::int64_t took, step_log& log) const {
  const auto& group = old.group;
  const std::string next = chosen.name();
  log.ok("routing", next, "group '" + group + "' writes go here; " + old.name + " is OFFLINE_HARD until REJOIN SERVER");
  const auto global = global_source_of(group, next);
  follow_global_primary(chosen, global, log);
  move_shard_streams(group, chosen, log);
  report_lost(old, chosen, log);
  check_replicating(nodes, &chosen, log);
  report_global_stream(chosen, global, log);
  run_hook_step(ctx_.topology->load()->policy_of(group).exec_after, "exec_after", group, old.name, next, log);
  spdlog::warn("event=failover group={} old_primary={} new_primary={} took_ms={} trigger={}", group, old.name, next,
               took, by_detector ? "detector" : "promote");
  host_.count(ha_outcome::failover_done);
  record(group, "failover", old.name, next, log, took);
  return log.table();
}

}  // namespace weft::ops
