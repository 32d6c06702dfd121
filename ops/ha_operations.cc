#include "ops/ha_operations.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "routing/election.h"

namespace weft::ops {

using routing::server_role;
using routing::server_status;

namespace ha_detail {

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

unsigned wait_seconds(const config::ha_settings& s) { return static_cast<unsigned>(s.catch_up_timeout.count() / 1000 + 3); }

admin_result failed_result(const step_log& log, const std::string& what) {
  return ha_refused("weft: " + what + " failed: " + log.failures());
}

}  // namespace ha_detail

using namespace ha_detail;

std::optional<admin_result> ha_operation::cannot_start(const routing::server* primary, const std::string& group) const {
  if (!primary) return ha_refused("weft: group '" + group + "' has no primary (or does not exist)");
  if (ctx_.settings.replication_user.empty()) {
    return ha_refused("weft: [ha] replication_user is not set: replicas could not be pointed at a new primary");
  }
  return std::nullopt;
}

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

// --- a shard group's new primary and the global stream ---------------------------------------

global_source ha_operation::global_source_of(const std::string& group, const std::string& new_primary) const {
  if (!ctx_.global_groups_of) return {};
  return global_source_for(*ctx_.topology->load(), ctx_.global_groups_of(group), new_primary);
}

// Switchover: the old primary stops taking the global stream before its final position is read,
// so nothing it (or a replica of it) holds is ahead of the candidate, which then takes the
// stream from the global primary itself. True: stopped (an undo starts it again).
bool ha_operation::stop_global_stream(backend_node& old, const global_source& global, step_log& log) const {
  if (!global.primary) return false;
  const auto state = old.replication();
  if (!state || !state->configured) return false;
  step_log quiet;
  if (!old.exec(std::string(routing::stop_replica_query(old.flavor())), quiet, "stop global stream")) {
    log.warn("stop global stream", old.name(), quiet.failures());
    return false;
  }
  log.ok("stop global stream", old.name(),
         "replication from " + (state->source ? state->source->to_string() : std::string("its source")) +
             " stopped before its final position is read; the new primary takes the global stream from " +
             global.primary->to_string() + " itself");
  return true;
}

// The new primary replicates from the global group's primary (the password is never logged).
// Whatever happens here, the promotion stands: the step says what to do.
void ha_operation::follow_global_primary(backend_node& primary, const global_source& global, step_log& log) const {
  if (!global.wanted()) return;
  if (!global.primary) {
    log.warn("global stream", primary.name(), global.problem + ": " + primary.name() +
                                                  " receives no global tables or DDL until REPLICATE '" +
                                                  primary.name() + "' FROM the global primary");
    return;
  }
  const auto source = global.primary->to_string();
  step_log quiet;
  if (primary.replicate_from(*global.primary, ctx_.settings.replication_user, ctx_.settings.replication_password,
                             false, quiet)) {
    log.ok("global stream", primary.name(), "replicates from " + source + ", the primary of global group '" +
                                                global.global_group + "' (GTID auto-positioning, as '" +
                                                ctx_.settings.replication_user + "')");
  } else {
    log.warn("global stream", primary.name(), "not pointed at " + source + ": " + quiet.failures() +
                                                  "; the promotion stands: run REPLICATE '" + primary.name() +
                                                  "' FROM '" + source + "'");
  }
}

namespace {
std::string log_replica_updates_query(routing::server_flavor flavor) {
  return flavor == routing::server_flavor::mariadb ? "SELECT @@log_slave_updates AS v" : "SELECT @@log_replica_updates AS v";
}
}  // namespace

// After the new primary took over: is the global stream running, and do its replicas get it?
void ha_operation::report_global_stream(backend_node& primary, const global_source& global, step_log& log) const {
  if (!global.primary) return;
  const auto source = global.primary->to_string();
  if (auto problem = primary.wait_replicating(std::chrono::milliseconds(3000))) {
    log.warn("global stream", primary.name(),
             "not replicating from " + source + ": " + *problem + " (is the global primary unreachable?); the " +
                 "promotion stands and the IO thread keeps retrying; REPLICATE '" + primary.name() + "' FROM '" +
                 source + "' sets it up again");
    return;
  }
  log.ok("global stream", primary.name(), "IO and SQL threads running from " + source);
  const auto row = primary.first_row(log_replica_updates_query(primary.flavor()));
  if (row && column_text(*row, "v") == "0") {
    log.warn("global stream", primary.name(), "log_slave_updates is OFF: its own replicas do not receive the global "
                                              "stream through it");
  }
}

// The shard groups' primaries replicated from the old global primary: they now take the global
// stream from the new one (GTID auto-positioning; a shard primary that holds global transactions
// the new primary lacks cannot, and the step says so). The promotion stands whatever happens.
void ha_operation::move_shard_streams(const std::string& global_group, const backend_node& new_primary,
                                      step_log& log) const {
  if (!ctx_.shard_groups_of) return;
  const auto t = ctx_.topology->load();
  const auto source = new_primary.name();
  for (const auto& group : ctx_.shard_groups_of(global_group)) {
    const auto* primary = t->primary_of(group);
    if (!primary) {
      log.warn("shard stream", group, "shard group '" + group + "' has no primary to point at " + source);
      continue;
    }
    auto node = connect(primary->address);
    step_log quiet;
    if (node->ok() && node->replicate_from(new_primary.address(), ctx_.settings.replication_user,
                                           ctx_.settings.replication_password, false, quiet)) {
      log.ok("shard stream", primary->name, "replicates from " + source + ", the new primary of global group '" +
                                                global_group + "'");
    } else {
      log.warn("shard stream", primary->name,
               "not pointed at " + source + ": " + (node->ok() ? quiet.failures() : node->error()) +
                   "; the promotion stands: run REPLICATE '" + primary->name + "' FROM '" + source + "'");
    }
  }
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
  e.detail = log.any_failed() ? log.failures() : "";
  e.duration_ms = duration_ms;
  host_.record(std::move(e));
}

}  // namespace weft::ops
