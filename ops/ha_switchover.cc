// PROMOTE with a live primary (switchover), and DEMOTE.
#include "ops/ha_operations.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "routing/election.h"

namespace weft::ops {

using namespace ha_detail;
using routing::server_role;
using routing::server_status;

// --- switchover -------------------------------------------------------------------------------

// The primary itself: only a demoted one can be promoted again (read_only off, back ONLINE).
admin_result ha_operation::promote_demoted(const routing::server& primary, backend_node& node, step_log& log) {
  if (primary.status == server_status::online) return ha_refused("weft: " + primary.name + " is already the primary");
  if (!node.exec(routing::set_read_only_query(false), log, "promote")) return failed_result(log, "promote");
  const std::string name = primary.name;
  ctx_.commit([&](routing::topology& next) {
    for (auto& s : next.servers) {
      if (s.name == name) s.status = server_status::online;
    }
  });
  log.ok("promote", name, "read_only OFF, ONLINE: group '" + primary.group + "' takes writes again");
  record(primary.group, "promoted", name, name, log, -1);
  return log.table();
}

// The one named, or the most advanced listed replica that replicates from the primary with both
// threads running.
std::unique_ptr<backend_node> ha_operation::choose_candidate(const routing::topology& t, const routing::server& primary,
                                                             const std::string& target, step_log& log) const {
  const auto& candidates = t.policy_of(primary.group).candidates;
  std::unique_ptr<backend_node> best;
  std::string best_position;
  for (const auto* r : replicas_of(t, primary.group)) {
    if (target.empty() ? !listed(candidates, r->name) : r->name != target) continue;
    if (r->address.is_unix()) {  // the others could not replicate from it
      if (!target.empty()) {
        log.failed("check candidate", r->name, unix_source_refusal);
        return nullptr;
      }
      log.warn("check candidate", r->name, std::string("skipped: ") + unix_source_refusal);
      continue;
    }
    auto node = connect(r->address);
    auto state = node->ok() ? node->replication() : std::nullopt;
    auto position = node->ok() ? node->position() : std::nullopt;
    const bool fit = state && state->configured && state->source == primary.address && state->io_running &&
                     state->sql_running && position;
    if (!fit) {
      const std::string why = !node->ok() ? node->error()
                              : !state || !state->configured ? "not replicating"
                              : !(state->source == primary.address) ? "replicates from another source"
                                                                    : "replication threads not running: " + state->last_error;
      if (!target.empty()) {
        log.failed("check candidate", r->name, why);
        return nullptr;
      }
      log.warn("check candidate", r->name, "skipped: " + why);
      continue;
    }
    const auto cmp = routing::compare_positions(position->first, best_position);
    if (!best || (cmp && *cmp > 0)) {
      best = std::move(node);
      best_position = position->first;
    }
  }
  if (best) {
    log.ok("check candidate", best->name(), "replicating, position " + best_position);
  } else if (!log.any_failed()) {
    log.failed("check candidate", target, target.empty() ? "no replica of group '" + primary.group + "' can take over"
                                                         : "not a replica of group '" + primary.group + "'");
  }
  return best;
}

namespace {

// Statements in flight on the old primary finish first (at most 1 s).
void wait_for_running_statements(backend_node& old) {
  for (int i = 0; i < 100; ++i) {
    auto row = old.first_row(std::string(routing::running_statements_query()));
    if (!row || column_text(*row, "n") == "0") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void report_replicating(node_list& followers, step_log& log) {
  for (auto& f : followers) {
    if (auto problem = f->wait_replicating(std::chrono::milliseconds(5000))) {
      log.warn("replicating", f->name(), *problem);
    } else {
      log.ok("replicating", f->name(), "IO and SQL threads running");
    }
  }
}

}  // namespace

// The group's other replicas, and the old primary, replicate from the new one.
node_list ha_operation::repoint_followers(const routing::topology& t, const std::string& group, backend_node& candidate,
                                          std::unique_ptr<backend_node> old, step_log& log) const {
  node_list followers;
  for (const auto* r : replicas_of(t, group)) {
    if (r->name == candidate.name()) continue;
    auto node = connect(r->address);
    if (!node->ok()) {
      log.warn("repoint", r->name, node->error());
      continue;
    }
    repoint(*node, candidate, false, log);
    followers.push_back(std::move(node));
  }
  repoint(*old, candidate, true, log);  // the old primary's own writes are in its binary log
  followers.push_back(std::move(old));
  return followers;
}

admin_result ha_operation::switchover(const std::string& group, const std::string& target) {
  const auto t = ctx_.topology->load();
  const auto* primary = t->primary_of(group);
  if (auto refused = cannot_start(primary, group)) return *refused;
  auto old = connect(primary->address);
  if (!old->ok()) {
    spdlog::warn("event=promote_unreachable_primary group={} primary={} error=\"{}\" action=failover", group,
                 primary->name, old->error());
    return failover(group, target, false);
  }
  const auto& policy = t->policy_of(group);
  step_log log("switchover");
  log.ok("check primary", primary->name, "reachable");
  if (target == primary->name) return promote_demoted(*primary, *old, log);
  auto candidate = choose_candidate(*t, *primary, target, log);
  if (!candidate) return failed_result(log, "switchover");
  const std::string next = candidate->name();
  if (!run_hook_step(policy.exec_before, "exec_before", group, primary->name, next, log)) {
    return failed_result(log, "switchover (nothing was changed)");
  }

  // The switch itself, with the group's new statements held in the proxy.
  const auto global = global_source_of(group, next);
  const auto paused_at = std::chrono::steady_clock::now();
  host_.pause(group, true);
  bool global_stopped = false;
  const auto undo = [&](const char* what) {
    old->exec(routing::set_read_only_query(false), log, "undo: old primary writable");
    if (global_stopped) old->exec(std::string(routing::start_replica_query(old->flavor())), log, "undo: global stream");
    host_.pause(group, false);
    return failed_result(log, what);
  };
  wait_for_running_statements(*old);
  if (!old->exec(routing::set_read_only_query(true), log, "old primary read_only")) {
    host_.pause(group, false);
    return failed_result(log, "switchover");
  }
  global_stopped = stop_global_stream(*old, global, log);
  auto binlog = old->first_row(std::string(routing::binlog_position_query(old->flavor())));
  const std::string position = binlog ? column_text(*binlog, "gtid") : "";
  log.ok("old primary read_only", primary->name, "final position " + position);
  if (!candidate->wait_for(position, ctx_.settings.catch_up_timeout)) {
    log.failed("candidate catches up", next, "did not reach " + position + " within " +
                                                 std::to_string(ctx_.settings.catch_up_timeout.count()) + " ms");
    return undo("switchover (the old primary is writable again)");
  }
  log.ok("candidate catches up", next, position);
  if (!promote(*candidate, log)) return undo("switchover (the old primary is writable again)");
  auto followers = repoint_followers(*t, group, *candidate, std::move(old), log);
  commit_primary(group, next, primary->name, server_status::online);
  host_.pause(group, false);
  const auto pause_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - paused_at).count();
  return finish_switchover(*primary, *candidate, followers, global, pause_ms, log);
}

admin_result ha_operation::finish_switchover(const routing::server& old, backend_node& candidate, node_list& followers,
                                             const global_source& global, std::int64_t pause_ms, step_log& log) const {
  const auto& group = old.group;
  const std::string next = candidate.name();
  log.ok("routing", next, "group '" + group + "' writes go here; writes paused " + std::to_string(pause_ms) + " ms");
  follow_global_primary(candidate, global, log);  // outside the pause: the followers are not ahead of it
  move_shard_streams(group, candidate, log);
  report_replicating(followers, log);
  report_global_stream(candidate, global, log);
  run_hook_step(ctx_.topology->load()->policy_of(group).exec_after, "exec_after", group, old.name, next, log);
  spdlog::info("event=switchover group={} old_primary={} new_primary={} pause_ms={}", group, old.name, next, pause_ms);
  host_.count(ha_outcome::switchover_done);
  record(group, "switchover", old.name, next, log, pause_ms);
  return log.table();
}

// --- demote ---------------------------------------------------------------------------------

admin_result ha_operation::demote(const std::string& group) {
  const auto t = ctx_.topology->load();
  const auto* primary = t->primary_of(group);
  if (!primary) return ha_refused("weft: group '" + group + "' has no primary (or does not exist)");
  step_log log;
  auto node = connect(primary->address);
  if (!node->ok()) {
    log.warn("read_only", primary->name, "unreachable: " + node->error());
  } else if (node->exec(routing::set_read_only_query(true), log, "read_only")) {
    log.ok("read_only", primary->name, "ON");
  }
  const std::string name = primary->name;
  ctx_.commit([&](routing::topology& next) {
    for (auto& s : next.servers) {
      if (s.name == name) s.status = server_status::offline_soft;
    }
  });
  log.ok("routing", name, "OFFLINE_SOFT: group '" + group + "' takes no writes until PROMOTE GROUP");
  record(group, "demoted", name, "", log, -1);
  return log.table();
}

}  // namespace weft::ops
