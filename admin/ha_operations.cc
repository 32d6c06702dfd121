#include "admin/ha_operations.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "protocol/errors.h"
#include "routing/election.h"

namespace weft::admin {
namespace {

namespace p = protocol;
using routing::server_role;
using routing::server_status;

admin_result refused(const std::string& message) { return admin_result::failure(p::make_error(p::er::ha_refused, message)); }

std::string column(const sql_row& row, const char* name) {
  const auto it = row.find(name);
  return it != row.end() && it->second ? *it->second : std::string();
}

// The servers of a group that may become or stay replicas (OFFLINE_HARD ones are out).
std::vector<const routing::server*> replicas_of(const routing::topology& t, const std::string& group) {
  std::vector<const routing::server*> out;
  for (const auto& s : t.servers) {
    if (s.group == group && s.role == server_role::replica && s.status != server_status::offline_hard) out.push_back(&s);
  }
  return out;
}

bool listed(const std::vector<std::string>& candidates, const std::string& name) {
  return candidates.empty() || std::find(candidates.begin(), candidates.end(), name) != candidates.end();
}

// How long a connection must wait for a statement that waits on purpose.
unsigned wait_seconds(const ha_settings& s) { return static_cast<unsigned>(s.catch_up_timeout.count() / 1000 + 3); }

// Every step of a failed operation goes into the error message, so a DBA sees what happened.
admin_result failed_result(const step_log& log, const std::string& what) {
  return refused("weft: " + what + " failed: " + log.last_failure());
}

}  // namespace

std::unique_ptr<backend_node> ha_operation::connect(const routing::endpoint& address) const {
  return std::make_unique<backend_node>(address, ctx_.backend, wait_seconds(ctx_.settings));
}

bool ha_operation::run_hook_step(const std::string& command, const std::string& which, const std::string& group,
                                 const std::string& old_primary, const std::string& new_primary, step_log& log) const {
  if (command.empty()) return true;
  const auto result = run_hook(command,
                               {{"WEFT_EVENT", which}, {"WEFT_GROUP", group}, {"WEFT_OLD_PRIMARY", old_primary},
                                {"WEFT_NEW_PRIMARY", new_primary}},
                               ctx_.settings.hook_timeout);
  if (!result.ok) return log.failed(which, "", command + ": " + result.detail);
  log.ok(which, "", command + ": " + result.detail);
  return true;
}

void ha_operation::commit_primary(const std::string& group, const std::string& new_primary,
                                  const std::string& old_primary, server_status old_status) const {
  ctx_.commit([&](routing::topology& t) {
    for (auto& s : t.servers) {
      if (s.group != group) continue;
      if (s.name == new_primary) {
        s.role = server_role::primary;
        s.status = server_status::online;
      } else if (s.name == old_primary) {
        s.role = server_role::replica;
        s.status = old_status;
      }
    }
  });
}

void ha_operation::record(const std::string& group, const std::string& event, const std::string& old_primary,
                          const std::string& new_primary, const step_log& log, std::int64_t duration_ms) const {
  failover_event e;
  e.at = std::chrono::system_clock::now();
  e.group = group;
  e.event = event;
  e.old_primary = old_primary;
  e.new_primary = new_primary;
  e.outcome = log.any_failed() ? "failed" : "ok";
  e.detail = log.any_failed() ? log.last_failure() : "";
  e.duration_ms = duration_ms;
  manager_.record(std::move(e));
}

// --- switchover -------------------------------------------------------------------------------

admin_result ha_operation::switchover(const std::string& group, const std::string& target) {
  const auto t = ctx_.topology->load();
  const auto* primary = t->primary_of(group);
  if (!primary) return refused("weft: group '" + group + "' has no primary (or does not exist)");
  if (ctx_.settings.replication_user.empty()) {
    return refused("weft: [ha] replication_user is not set: replicas could not be pointed at the new primary");
  }
  auto old = connect(primary->address);
  if (!old->ok()) {
    spdlog::warn("event=promote_unreachable_primary group={} primary={} error=\"{}\" action=failover", group,
                 primary->name, old->error());
    return failover(group, target, false);
  }
  const auto& policy = t->policy_of(group);
  step_log log("switchover");
  log.ok("check primary", primary->name, "reachable");
  if (target == primary->name) {  // the primary itself: only a demoted one can be promoted again
    if (primary->status == server_status::online) return refused("weft: " + target + " is already the primary");
    if (!old->exec(routing::set_read_only_query(false), log, "promote")) return failed_result(log, "promote");
    const std::string name = primary->name;
    ctx_.commit([&](routing::topology& next) {
      for (auto& s : next.servers) {
        if (s.name == name) s.status = server_status::online;
      }
    });
    log.ok("promote", name, "read_only OFF, ONLINE: group '" + group + "' takes writes again");
    record(group, "promoted", name, name, log, -1);
    return log.table();
  }

  // The candidate: the one named, or the most advanced listed replica replicating from the primary.
  std::unique_ptr<backend_node> candidate;
  std::string candidate_position;
  for (const auto* r : replicas_of(*t, group)) {
    if (!target.empty() && r->name != target) continue;
    if (target.empty() && !listed(policy.candidates, r->name)) continue;
    auto node = connect(r->address);
    auto state = node->ok() ? node->replication() : std::nullopt;
    auto position = node->ok() ? node->position() : std::nullopt;
    const bool fit = state && state->configured && state->source == primary->address && state->io_running &&
                     state->sql_running && position;
    if (!fit) {
      const std::string why = !node->ok() ? node->error()
                              : !state || !state->configured ? "not replicating"
                              : !(state->source == primary->address) ? "replicates from another source"
                                                                     : "replication threads not running: " + state->last_error;
      if (!target.empty()) {
        log.failed("check candidate", r->name, why);
        return failed_result(log, "switchover");
      }
      log.warn("check candidate", r->name, "skipped: " + why);
      continue;
    }
    const auto cmp = routing::compare_positions(position->first, candidate_position);
    if (!candidate || (cmp && *cmp > 0)) {
      candidate = std::move(node);
      candidate_position = position->first;
    }
  }
  if (!candidate) {
    if (!target.empty()) return refused("weft: '" + target + "' is not a replica of group '" + group + "'");
    log.failed("check candidate", "", "no replica of group '" + group + "' can take over");
    return failed_result(log, "switchover");
  }
  const std::string next = candidate->name();
  log.ok("check candidate", next, "replicating, position " + candidate_position);
  if (!run_hook_step(policy.exec_before, "exec_before", group, primary->name, next, log)) {
    return failed_result(log, "switchover (nothing was changed)");
  }

  // The switch itself, with the group's new statements held in the proxy.
  const auto paused_at = std::chrono::steady_clock::now();
  manager_.pause(group, true);
  const auto resume = [&] { manager_.pause(group, false); };
  for (int i = 0; i < 100; ++i) {  // statements in flight on the old primary finish first (≤ 1 s)
    auto row = old->first_row(std::string(routing::running_statements_query()));
    if (!row || column(*row, "n") == "0") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!old->exec(routing::set_read_only_query(true), log, "old primary read_only")) {
    resume();
    return failed_result(log, "switchover");
  }
  auto binlog = old->first_row(std::string(routing::binlog_position_query(old->flavor())));
  const std::string position = binlog ? column(*binlog, "gtid") : "";
  log.ok("old primary read_only", primary->name, "final position " + position);
  if (!candidate->wait_for(position, ctx_.settings.catch_up_timeout)) {
    log.failed("candidate catches up", next, "did not reach " + position + " within " +
                                                 std::to_string(ctx_.settings.catch_up_timeout.count()) + " ms");
    old->exec(routing::set_read_only_query(false), log, "undo: old primary writable");
    resume();
    return failed_result(log, "switchover (the old primary is writable again)");
  }
  log.ok("candidate catches up", next, position);
  const auto flavor = candidate->flavor();
  if (!candidate->exec(std::string(routing::stop_replica_query(flavor)), log, "promote") ||
      !candidate->exec(std::string(routing::reset_replica_query(flavor)), log, "promote") ||
      !candidate->exec(routing::set_read_only_query(false), log, "promote")) {
    old->exec(routing::set_read_only_query(false), log, "undo: old primary writable");
    resume();
    return failed_result(log, "switchover (the old primary is writable again)");
  }
  log.ok("promote", next, "replication reset, read_only OFF");
  const auto& user = ctx_.settings.replication_user;
  const auto& password = ctx_.settings.replication_password;
  std::vector<std::unique_ptr<backend_node>> followers;
  for (const auto* r : replicas_of(*t, group)) {
    if (r->name == next) continue;
    auto node = connect(r->address);
    step_log quiet;
    if (node->ok() && node->replicate_from(candidate->address(), user, password, false, quiet)) {
      log.ok("repoint", r->name, "replicates from " + next);
      followers.push_back(std::move(node));
    } else {
      log.warn("repoint", r->name, node->ok() ? quiet.last_failure() : node->error());
    }
  }
  step_log quiet;
  if (old->replicate_from(candidate->address(), user, password, true, quiet)) {
    log.ok("repoint", primary->name, "the old primary replicates from " + next);
    followers.push_back(std::move(old));
  } else {
    log.warn("repoint", primary->name, quiet.last_failure());
  }
  commit_primary(group, next, primary->name, server_status::online);
  resume();
  const auto pause_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - paused_at).count();
  log.ok("routing", next, "group '" + group + "' writes go here; writes paused " + std::to_string(pause_ms) + " ms");
  for (auto& f : followers) {
    if (auto problem = f->wait_replicating(std::chrono::milliseconds(5000))) {
      log.warn("replicating", f->name(), *problem);
    } else {
      log.ok("replicating", f->name(), "IO and SQL threads running");
    }
  }
  run_hook_step(policy.exec_after, "exec_after", group, primary->name, next, log);
  spdlog::info("event=switchover group={} old_primary={} new_primary={} pause_ms={}", group, primary->name, next,
               pause_ms);
  manager_.switchovers_++;
  record(group, "switchover", primary->name, next, log, pause_ms);
  return log.table();
}

// --- failover ---------------------------------------------------------------------------------

admin_result ha_operation::failover(const std::string& group, const std::string& target, bool confirmed_by_detector,
                                    std::string* refused_reason) {
  const auto started = std::chrono::steady_clock::now();
  const auto t = ctx_.topology->load();
  const auto* primary = t->primary_of(group);
  if (!primary) return refused("weft: group '" + group + "' has no primary (or does not exist)");
  if (ctx_.settings.replication_user.empty()) {
    return refused("weft: [ha] replication_user is not set: replicas could not be pointed at a new primary");
  }
  const auto& policy = t->policy_of(group);
  const std::string old_name = primary->name;
  step_log log("failover");
  const auto refuse = [&](const std::string& why) {
    if (refused_reason) *refused_reason = why;
    log.failed("confirm", "", why);
    return failed_result(log, "failover");
  };

  // The failure, confirmed by the replicas' own view of their source: a blip between weft and the
  // primary alone is not a reason to fail over.
  std::vector<std::unique_ptr<backend_node>> nodes;
  for (const auto* r : replicas_of(*t, group)) {
    auto node = connect(r->address);
    if (!node->ok()) {
      log.warn("confirm", r->name, "unreachable: " + node->error());
      continue;
    }
    auto state = node->replication();
    if (confirmed_by_detector && state && state->io_running && state->source == primary->address) {
      return refuse("replica " + r->name + " is still connected to the primary " + old_name +
                    ": weft alone lost it; no failover");
    }
    nodes.push_back(std::move(node));
  }
  if (nodes.empty()) return refuse("no replica of group '" + group + "' is reachable");
  log.ok("confirm", old_name,
         confirmed_by_detector ? "unreachable for weft, and " + std::to_string(nodes.size()) + " replica(s) lost it too"
                               : "unreachable (PROMOTE)");
  if (confirmed_by_detector && policy.failover == routing::failover_mode::fail) {
    log.warn("elect", "", "failover mode is 'fail': reported, nobody promoted");
    record(group, "failure_detected", old_name, "", log, -1);
    if (refused_reason) *refused_reason = "mode fail";
    return log.table();
  }

  manager_.pause(group, true);
  // Each replica applies what it received before the positions are compared.
  std::vector<routing::replica_position> positions;
  for (auto& n : nodes) {
    if (n->exec(std::string(routing::stop_io_thread_query(n->flavor())), log, "stop IO thread")) {
      log.ok("stop IO thread", n->name(), "no more retries towards " + old_name);
    }
    auto state = n->replication();
    const bool applied = state && n->wait_for(state->received, ctx_.settings.catch_up_timeout);
    auto position = n->position();
    routing::replica_position rp;
    rp.name = n->name();
    rp.server_id = position ? position->second : 0;
    rp.gtid_position = position ? position->first : "";
    rp.healthy = applied && position && state && state->sql_running;
    rp.in_candidates = target.empty() ? listed(policy.candidates, rp.name) : rp.name == target;
    if (rp.healthy) {
      log.ok("apply relay log", rp.name, "position " + rp.gtid_position);
    } else {
      log.warn("apply relay log", rp.name, !state ? n->error() : state->last_error.empty() ? "not applied" : state->last_error);
    }
    positions.push_back(std::move(rp));
  }
  const auto mode = !target.empty() || policy.failover == routing::failover_mode::elect ? routing::election_mode::elect
                                                                                         : routing::election_mode::automatic;
  const auto election = routing::elect(positions, primary->health.server_id, mode, policy.pedantic);
  for (const auto& e : election.errant) log.warn("errant transaction", "", e);
  const auto restart_all = [&] {
    for (auto& n : nodes) {
      step_log quiet;
      n->exec(std::string(routing::start_replica_query(n->flavor())), quiet, "restart replication");
    }
    manager_.pause(group, false);
  };
  if (!election.chosen) {
    log.failed("elect", "", election.reason);
    restart_all();
    record(group, "failover_failed", old_name, "", log, -1);
    return failed_result(log, "failover");
  }
  const std::string next = *election.chosen;
  log.ok("elect", next, election.reason);
  if (!run_hook_step(policy.exec_before, "exec_before", group, old_name, next, log)) {
    restart_all();
    record(group, "failover_failed", old_name, next, log, -1);
    return failed_result(log, "failover (exec_before refused it; nothing was promoted)");
  }
  backend_node* chosen = nullptr;
  for (auto& n : nodes) {
    if (n->name() == next) chosen = n.get();
  }
  const auto& user = ctx_.settings.replication_user;
  const auto& password = ctx_.settings.replication_password;
  if (election.catch_up_from) {  // another replica holds transactions the chosen one lacks
    for (auto& n : nodes) {
      if (n->name() != *election.catch_up_from) continue;
      const auto wanted = n->position();
      step_log quiet;
      const bool caught_up = chosen->replicate_from(n->address(), user, password, false, quiet) && wanted &&
                             chosen->wait_for(wanted->first, ctx_.settings.catch_up_timeout);
      if (caught_up) {
        log.ok("catch up", next, "from " + n->name() + " to " + wanted->first);
      } else {
        log.warn("catch up", next, "from " + n->name() + ": " + (quiet.any_failed() ? quiet.last_failure() : "timed out"));
      }
    }
  }
  const auto flavor = chosen->flavor();
  if (!chosen->exec(std::string(routing::stop_replica_query(flavor)), log, "promote") ||
      !chosen->exec(std::string(routing::reset_replica_query(flavor)), log, "promote") ||
      !chosen->exec(routing::set_read_only_query(false), log, "promote")) {
    restart_all();
    record(group, "failover_failed", old_name, next, log, -1);
    return failed_result(log, "failover");
  }
  log.ok("promote", next, "replication reset, read_only OFF");
  for (auto& n : nodes) {
    if (n.get() == chosen) continue;
    step_log quiet;
    if (n->replicate_from(chosen->address(), user, password, false, quiet)) {
      log.ok("repoint", n->name(), "replicates from " + next);
    } else {
      log.warn("repoint", n->name(), quiet.last_failure());
    }
  }
  // The old primary leaves routing; when it comes back it is kept read_only until REJOIN SERVER.
  commit_primary(group, next, old_name, server_status::offline_hard);
  manager_.pause(group, false);
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  log.ok("routing", next, "group '" + group + "' writes go here; " + old_name + " is OFFLINE_HARD until REJOIN SERVER");

  // What the old primary had that the new one lacks, as far as the monitor last saw it.
  const auto new_position = chosen->position();
  const auto& last_seen = primary->health.gtid_current_pos;
  const auto cmp = new_position ? routing::compare_positions(last_seen, new_position->first) : std::nullopt;
  if (!new_position || !cmp || *cmp > 0) {
    log.warn("lost transactions", old_name,
             "the old primary was last seen at " + last_seen + ", the new primary holds " +
                 (new_position ? new_position->first : "?") + ": the difference is missing (semi-sync prevents this)");
  } else {
    log.ok("lost transactions", old_name, "none: the new primary holds " + new_position->first +
                                              " (the old primary was last seen at " + last_seen + ")");
  }
  for (auto& n : nodes) {
    if (n.get() == chosen) continue;
    if (auto problem = n->wait_replicating(std::chrono::milliseconds(3000))) log.warn("replicating", n->name(), *problem);
  }
  run_hook_step(policy.exec_after, "exec_after", group, old_name, next, log);
  spdlog::warn("event=failover group={} old_primary={} new_primary={} took_ms={} trigger={}", group, old_name, next,
               took, confirmed_by_detector ? "detector" : "promote");
  manager_.failovers_++;
  record(group, "failover", old_name, next, log, took);
  return log.table();
}

// --- demote, rejoin ---------------------------------------------------------------------------

admin_result ha_operation::demote(const std::string& group) {
  const auto t = ctx_.topology->load();
  const auto* primary = t->primary_of(group);
  if (!primary) return refused("weft: group '" + group + "' has no primary (or does not exist)");
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

admin_result ha_operation::rejoin(const std::string& server) {
  const auto t = ctx_.topology->load();
  const auto ep = routing::parse_endpoint(server);
  const auto* s = ep ? t->find(*ep) : nullptr;
  if (!s) return refused("weft: no server '" + server + "'");
  const auto* primary = t->primary_of(s->group);
  if (!primary) return refused("weft: group '" + s->group + "' has no primary to rejoin");
  if (primary == s) return refused("weft: " + server + " is the primary of group '" + s->group + "'");
  if (ctx_.settings.replication_user.empty()) return refused("weft: [ha] replication_user is not set");
  step_log log;
  auto node = connect(s->address);
  if (!node->ok()) {
    log.failed("connect", server, node->error());
    return failed_result(log, "rejoin");
  }
  if (!node->exec(routing::set_read_only_query(true), log, "read_only")) return failed_result(log, "rejoin");
  log.ok("read_only", server, "ON");
  // From its own executed GTIDs: an old primary's writes are in its binary log, not in gtid_slave_pos.
  if (!node->replicate_from(primary->address, ctx_.settings.replication_user, ctx_.settings.replication_password, true,
                            log)) {
    return failed_result(log, "rejoin");
  }
  if (auto problem = node->wait_replicating(ctx_.settings.catch_up_timeout)) {
    const bool diverged = problem->find("1236") != std::string::npos;
    log.failed("replicating", server,
               *problem + (diverged ? " -- it holds transactions the primary never had (diverged): reseed it from " +
                                          primary->name + " (dump, RESET MASTER, load), then REJOIN"
                                    : ""));
    record(s->group, "rejoin_failed", server, primary->name, log, -1);
    return failed_result(log, "rejoin");
  }
  log.ok("replicating", server, "from " + primary->name);
  const std::string name = s->name;
  ctx_.commit([&](routing::topology& next) {
    for (auto& x : next.servers) {
      if (x.name == name) {
        x.role = server_role::replica;
        x.status = server_status::online;
      }
    }
  });
  log.ok("routing", server, "ONLINE replica");
  record(s->group, "rejoined", server, primary->name, log, -1);
  return log.table();
}

// --- REPLICATE --------------------------------------------------------------------------------

admin_result ha_operation::replicate(const ha_command& c) {
  step_log log;
  const auto replica_ep = routing::parse_endpoint(c.server), source_ep = routing::parse_endpoint(c.source);
  if (!replica_ep || !source_ep) return refused("weft: REPLICATE needs two host:port addresses");
  auto replica = connect(*replica_ep), source = connect(*source_ep);
  if (!source->ok()) log.failed("connect", c.source, source->error());
  if (!replica->ok()) log.failed("connect", c.server, replica->error());
  if (log.any_failed()) return log.table();
  const auto r = replica->first_row(std::string(routing::server_identity_query(replica->flavor())));
  const auto s = source->first_row(std::string(routing::server_identity_query(source->flavor())));
  if (!r || !s) {
    log.failed("read settings", !r ? c.server : c.source, !r ? replica->error() : source->error());
    return log.table();
  }
  const auto on = [](const std::string& v) { return v == "1" || v == "ON"; };
  if (column(*r, "sid") == column(*s, "sid")) {
    log.failed("check server_id", "", "both servers have server_id " + column(*r, "sid"));
  } else {
    log.ok("check server_id", "", "source " + column(*s, "sid") + ", replica " + column(*r, "sid"));
  }
  if (!on(column(*s, "log_bin"))) {
    log.failed("check binary log", c.source, "log_bin is OFF on the source");
  } else {
    log.ok("check binary log", c.source, "log_bin ON");
  }
  if (!on(column(*s, "gtid_mode")) || !on(column(*r, "gtid_mode"))) {
    log.failed("check GTID", "", "gtid_mode must be ON on both (source " + column(*s, "gtid_mode") + ", replica " +
                                     column(*r, "gtid_mode") + ")");
  } else {
    log.ok("check GTID", "", "GTID auto-positioning available");
  }
  for (const char* setting : {"engine", "page_size"}) {
    if (column(*r, setting) != column(*s, setting)) {
      log.warn("compare settings", "", std::string(setting) + ": source " + column(*s, setting) + ", replica " +
                                           column(*r, setting));
    }
  }
  if (column(*r, "version").substr(0, 4) != column(*s, "version").substr(0, 4)) {
    log.warn("compare settings", "", "versions differ: source " + column(*s, "version") + ", replica " +
                                         column(*r, "version"));
  }
  const std::string replica_gtid = column(*r, "gtid"), source_gtid = column(*s, "gtid");
  if (c.start == replicate_start::replica_position && replica->flavor() == routing::server_flavor::mariadb) {
    const auto cmp = routing::compare_positions(source_gtid, replica_gtid);
    if (!cmp || *cmp < 0) {
      log.failed("check GTID state", c.server, "the replica holds " + replica_gtid +
                                                   ", which the source (" + source_gtid +
                                                   ") lacks: it would diverge (reseed it, or START FROM CURRENT)");
    } else {
      log.ok("check GTID state", c.server, "replica at " + (replica_gtid.empty() ? "nothing" : replica_gtid) +
                                               ", source at " + source_gtid);
    }
  }
  const std::string user = c.user.empty() ? ctx_.settings.replication_user : c.user;
  const std::string password = c.user.empty() ? ctx_.settings.replication_password : c.password;
  if (user.empty()) log.failed("replication user", "", "no USER given and [ha] replication_user is not set");
  if (log.any_failed()) return log.table();

  if (!source->exec(routing::create_replication_user_query(source->flavor(), user, password), log, "replication user") ||
      !source->exec(routing::grant_replication_query(user), log, "replication user")) {
    return log.table();
  }
  log.ok("replication user", c.source, "'" + user + "' exists with REPLICATION SLAVE");
  const auto flavor = replica->flavor();
  if (!replica->exec(std::string(routing::stop_replica_query(flavor)), log, "configure replica")) return log.table();
  bool own_binlog = false;
  if (c.start == replicate_start::beginning) {
    if (!replica->exec(routing::start_from_position_query(flavor, ""), log, "configure replica")) return log.table();
  } else if (c.start == replicate_start::current) {
    auto pos = source->first_row(std::string(routing::binlog_position_query(source->flavor())));
    if (!pos || !replica->exec(routing::start_from_position_query(flavor, column(*pos, "gtid")), log, "configure replica")) {
      return log.table();
    }
  } else {
    own_binlog = column(*r, "slave_pos").empty() && !replica_gtid.empty();
  }
  routing::source_settings settings{source_ep->host, source_ep->port, user, password, own_binlog};
  if (!replica->exec(routing::change_source_query(flavor, settings), log, "configure replica") ||
      !replica->exec(std::string(routing::start_replica_query(flavor)), log, "configure replica")) {
    return log.table();
  }
  log.ok("configure replica", c.server,
         std::string("GTID auto-positioning from ") + (c.start == replicate_start::beginning ? "the source's first binary log"
                                                       : c.start == replicate_start::current ? "the source's current position"
                                                                                             : "the replica's own position"));
  if (auto problem = replica->wait_replicating(ctx_.settings.catch_up_timeout)) {
    log.failed("replicating", c.server, *problem);
    return log.table();
  }
  log.ok("replicating", c.server, "IO and SQL threads running");
  if (replica->exec(routing::set_read_only_query(true), log, "read_only")) log.ok("read_only", c.server, "ON");
  spdlog::info("event=replicate replica={} source={} user={}", c.server, c.source, user);
  return log.table();
}

}  // namespace weft::admin
