#include "ops/ha_manager.h"

#include <mysql.h>
#include <spdlog/spdlog.h>

#include "ops/ha_operations.h"

namespace weft::ops {

ha_manager::ha_manager(ha_context context) : ctx_(std::move(context)) {
  events_.assign(ctx_.history.begin(), ctx_.history.end());
  ctx_.history.clear();
}

ha_manager::~ha_manager() { stop(); }

void ha_manager::start() {
  watcher_ = std::thread([this] {
    mysql_thread_init();
    watch();
    mysql_thread_end();
  });
}

void ha_manager::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

admin_result ha_manager::run(const ha_command& c) {
  std::lock_guard operation(operation_);
  ha_operation op(*this);
  switch (c.verb) {
    case ha_verb::promote: return op.switchover(c.group, c.server);
    case ha_verb::demote: return op.demote(c.group);
    case ha_verb::rejoin: return op.rejoin(c.server);
    case ha_verb::replicate: return op.replicate(c);
    default: break;
  }
  return ha_refused("weft: not an HA operation");
}

std::vector<failover_event> ha_manager::events() const {
  std::lock_guard lock(mutex_);
  return {events_.begin(), events_.end()};
}

void ha_manager::record(failover_event e) {
  spdlog::info("event=ha_{} group={} old_primary={} new_primary={} outcome={} duration_ms={}{}{}", e.event, e.group,
               e.old_primary.empty() ? "-" : e.old_primary, e.new_primary.empty() ? "-" : e.new_primary, e.outcome,
               e.duration_ms, e.detail.empty() ? "" : " detail=\"", e.detail.empty() ? "" : e.detail + "\"");
  if (ctx_.persist) ctx_.persist(e);
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(e));
  while (events_.size() > 1000) events_.pop_front();
}

void ha_manager::count(ha_outcome done) {
  (done == ha_outcome::failover_done ? failovers_ : switchovers_)++;
}

void ha_manager::pause(const std::string& group, bool on) {
  const auto until = on ? std::chrono::steady_clock::now() + ctx_.settings.hold_timeout
                        : std::chrono::steady_clock::time_point{};
  ctx_.topology->update([&](routing::topology& t) {
    for (auto& g : t.groups) {
      if (g.name == group) {
        g.paused_until = until;
        return;
      }
    }
    routing::group_policy g;  // a group without a [[groups]] entry runs on the defaults
    g.name = group;
    g.paused_until = until;
    t.groups.push_back(std::move(g));
  });
}

// The failure detector: a primary the monitor has SHUNNED (failures_to_shun failed checks in a
// row) is failed over once its replicas confirm they lost it too. It also fences: in a group
// under HA, a server that is not the primary is never left writable.
void ha_manager::watch() {
  const auto period = std::max(std::chrono::milliseconds(50), ctx_.interval / 4);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_for(lock, period, [&] { return stopping_; })) return;
    }
    std::vector<std::string> watched;
    for (const auto& g : ctx_.topology->load()->groups) {
      if (g.failover != routing::failover_mode::off) watched.push_back(g.name);
    }
    for (const auto& name : watched) {
      // Never beside a running operation: between promoting a replica and publishing its new
      // role, the new primary looks like a writable replica, which fencing would undo.
      std::unique_lock operation(operation_, std::try_to_lock);
      if (!operation.owns_lock()) break;
      const auto t = ctx_.topology->load();  // after the lock: what the last operation published
      const auto& g = t->policy_of(name);
      if (g.name == name && g.failover != routing::failover_mode::off) watch_group(*t, g);
    }
  }
}

void ha_manager::watch_group(const routing::topology& t, const routing::group_policy& g) {
  const auto* primary = t.primary_of(g.name);
  if (!primary) return;
  for (const auto& s : t.servers) {
    if (s.group == g.name && s.role == routing::server_role::replica && s.health.checked && s.health.reachable &&
        !s.health.read_only) {
      fence(s);
    }
  }
  const bool failed = primary->status == routing::server_status::shunned && primary->health.checked &&
                      !primary->health.reachable;
  if (!failed) {
    reported_.erase(g.name);
    quiet_until_.erase(g.name);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (const auto it = quiet_until_.find(g.name); it != quiet_until_.end() && now < it->second) return;
  ha_operation op(*this);
  std::string refused;
  const auto result = op.failover(g.name, "", true, &refused);
  if (!result.error && refused.empty()) {
    reported_.erase(g.name);
    return;
  }
  if (refused == "mode fail") {
    quiet_until_[g.name] = std::chrono::steady_clock::time_point::max();  // reported; until the primary is back
  } else if (refused.empty()) {
    quiet_until_[g.name] = now + std::chrono::seconds(5);  // an attempt failed: not again at once
  }
  // Report an incident once, then keep watching quietly (the mode or the replicas may change).
  const std::string why = !refused.empty() ? refused : result.error->message;
  if (reported_[g.name] != primary->name + ": " + why) {
    spdlog::warn("event=failover_not_done group={} primary={} reason=\"{}\"", g.name, primary->name, why);
    reported_[g.name] = primary->name + ": " + why;
  }
}

void ha_manager::fence(const routing::server& s) {
  backend_node node(s.address, ctx_.backend, 2);
  const auto row = node.ok() ? node.first_row("SELECT @@read_only AS ro") : std::nullopt;
  if (!row) return;
  const bool writable = row->count("ro") && row->at("ro") == "0";  // the monitor's view may be older
  if (writable) {
    step_log log;
    if (!node.exec(routing::set_read_only_query(true), log, "fence")) return;
    failover_event e;
    e.at = std::chrono::system_clock::now();
    e.group = s.group;
    e.event = "fenced";
    e.old_primary = s.name;
    e.outcome = "ok";
    e.detail = s.name + " was writable while not the primary: read_only set" +
               (s.status == routing::server_status::offline_hard ? " (out of routing until REJOIN SERVER)" : "");
    record(std::move(e));
  }
  ctx_.topology->update([&](routing::topology& t) {  // until the monitor's next look says the same
    if (auto* x = t.find(s.address)) x->health.read_only = true;
  });
}

}  // namespace weft::ops
