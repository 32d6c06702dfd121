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
