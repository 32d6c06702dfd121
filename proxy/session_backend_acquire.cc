// session_backend, taking a connection: which server a route names in the topology snapshot,
// the waits (a paused group, a replaced primary, a full pool), opening a connection and giving it
// the session's state (SETs replayed, stale globals refreshed). Holding and giving back are in
// session_backend.cc.
#include <spdlog/spdlog.h>

#include "protocol/constants.h"
#include "proxy/backend_query.h"
#include "proxy/client_session.h"
#include "proxy/packet_io.h"
#include "proxy/session_backend.h"
#include "proxy/worker_routing.h"

namespace weft::proxy {
namespace p = protocol;

const routing::topology& session_backend::topology() {
  if (!current_) {
    const auto& latest = routing_.topology.current();
    if (latest != topology_) {
      topology_ = latest;
      server_ = nullptr;  // pointed into the old snapshot
    }
  }
  return *topology_;
}

std::optional<p::err_packet> session_backend::choose_server(const route_request& request) {
  const auto& t = topology();
  const std::string_view group = request.group.empty() ? std::string_view(group_) : request.group;
  const routing::server* chosen = nullptr;
  role_ = request.role;
  if (request.role == routing::target_role::replica) {
    chosen = routing::choose_replica(t, group, routing_.rotation++,
                                     [&](const routing::server& s) { return pool_.in_use(s.name); });
    if (!chosen && !t.policy_of(group).reads_fall_back_to_primary) {
      return p::make_error(p::er::no_replica, "weft: no replica of group '" + std::string(group) +
                                                  "' can take reads now (none ONLINE within " +
                                                  std::to_string(t.policy_of(group).max_replication_lag) +
                                                  " s of lag)");
    }
    if (!chosen) role_ = routing::target_role::primary;
  }
  if (!chosen) {
    chosen = t.primary_of(group);
    if (!chosen) return p::make_error(p::er::no_primary, "weft: no primary configured for group '" + std::string(group) + "'");
    if (chosen->status != routing::server_status::online) {
      return p::make_error(p::er::no_primary, "weft: the primary of group '" + std::string(group) + "' (" +
                                                  chosen->name + ") is " + std::string(routing::to_string(chosen->status)) +
                                                  (chosen->health.last_error.empty() ? "" : ": " + chosen->health.last_error));
    }
  }
  if (server_ != chosen) {  // (a new snapshot also resets server_)
    server_ = chosen;
    key_.server = chosen->name;  // reuses the string's storage: no allocation per statement
    const auto limit = chosen->max_connections ? chosen->max_connections : settings_.max_backend_connections;
    const auto workers = std::max(1u, settings_.workers);
    pool_.set_limit(key_.server, std::max<std::size_t>(1, (limit + workers - 1) / workers));
  }
  return std::nullopt;
}

// While a switchover or failover runs, the group's new statements wait here (polling the
// snapshot: this only happens during a switch, never on the normal path).
awaitable<void> session_backend::wait_while_paused(std::string_view group) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (std::chrono::steady_clock::now() < topology().policy_of(group).paused_until) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(use_nothrow);
  }
}

// In a group with automatic failover, a primary that cannot be reached is about to be replaced:
// a statement that has not been sent anywhere waits for the new primary (at most the group's
// hold_on_failure) instead of failing. Whether the old primary comes back or a new one is
// published, the statement is tried once more.
awaitable<bool> session_backend::wait_for_new_primary(std::string_view group, const std::string& failed) {
  const auto failed_at = std::chrono::steady_clock::now();
  const auto deadline = failed_at + topology().policy_of(group).hold_on_failure;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(use_nothrow);
    const auto* primary = topology().primary_of(group);
    if (!primary || primary->status != routing::server_status::online) continue;
    // Another primary, or the same one seen healthy by a check that ended after the failure.
    const auto& h = primary->health;
    if (primary->name != failed || (h.reachable && h.checked_at > failed_at)) co_return true;
  }
  co_return false;
}

// The usual case with no waiting: a fresh idle connection to the chosen server. False (and
// nothing held) when acquire() must run: a pause, no idle connection, a stale one, an error.
bool session_backend::acquire_now(route_request request) {
  if (current_) return true;
  const std::string_view group = request.group.empty() ? std::string_view(group_) : request.group;
  if (topology().policy_of(group).paused_until != std::chrono::steady_clock::time_point{}) return false;
  // acquire() chooses again when this cannot finish: the tie-breaking rotation must move once.
  const auto rotation = routing_.rotation;
  if (!choose_server(request)) {
    current_ = pool_.take_idle(key_, this, false);
    if (current_ && current_->fresh_at >= started_at_) {
      ++acquisitions_;
      return true;
    }
    if (current_) pool_.release(std::move(current_), this);  // acquire() takes it again and refreshes it
  }
  routing_.rotation = rotation;
  return false;
}

awaitable<std::optional<p::err_packet>> session_backend::acquire(route_request request) {
  if (current_) co_return std::nullopt;
  const std::string_view group = request.group.empty() ? std::string_view(group_) : request.group;
  // (the checks come first so the usual path awaits no extra coroutine: no allocation)
  if (topology().policy_of(group).paused_until != std::chrono::steady_clock::time_point{}) {
    co_await wait_while_paused(group);
  }
  for (int attempt = 0;; ++attempt) {
    auto error = choose_server(request);
    if (!error) {
      ++acquisitions_;
      current_ = pool_.take_idle(key_, this, false);
      if (!current_) error = co_await open_or_wait();
      if (!error) error = co_await refresh_if_stale();
      if (!error) co_return std::nullopt;
    }
    if (attempt > 0 || role_ != routing::target_role::primary || !current_primary_failed(*error, group)) {
      co_return error;
    }
    const auto* primary = topology().primary_of(group);
    const std::string failed = primary ? primary->name : std::string();
    const bool replaced = co_await wait_for_new_primary(group, failed);
    if (!replaced) co_return error;
    spdlog::debug("event=statement_held reason=\"primary {} failed\" group={}", failed, group);
  }
}

// The primary cannot take the statement (unreachable, or SHUNNED by the monitor) in a group
// whose failover is on.
bool session_backend::current_primary_failed(const p::err_packet& error, std::string_view group) {
  if (topology().policy_of(group).hold_on_failure.count() == 0) return false;
  return error.error_code == p::er::backend_unreachable.code || error.error_code == p::er::no_primary.code;
}

// No idle connection: a new one, or (at the server's limit) one handed over by the pool.
awaitable<std::optional<p::err_packet>> session_backend::open_or_wait() {
  if (!pool_.reserve(key_)) {
    // At the limit, a connection kept only for another session's warnings is fair game.
    current_ = pool_.take_idle(key_, this, true);
    if (current_) co_return std::nullopt;
    // At the limit: queue, first come first served, for a connection or for room for one.
    const auto deadline = std::chrono::steady_clock::now() + settings_.pool_wait_timeout;
    auto waited = co_await pool_.wait(key_, deadline);
    if (waited.what == backend_pool::wait_result::handed) {
      current_ = std::move(waited.backend);
      co_return std::nullopt;
    }
    if (waited.what == backend_pool::wait_result::timed_out) {
      co_return p::make_error(p::er::pool_exhausted,
                              "weft: no connection to backend " + key_.server + " became free within " +
                                  std::to_string(settings_.pool_wait_timeout.count()) + " ms (limit " +
                                  std::to_string(settings_.max_backend_connections) + " per server)");
    }
  }
  auto error = co_await open_new();  // room was reserved for this connection
  if (error) pool_.cancel_reservation(key_.server);
  co_return error;
}

// A new direct session inherits the server's global defaults as they are at its login
// (default_storage_engine, sql_mode, ...: sql_class.cc copies global_system_variables into the
// THD). A pooled connection whose server session is older than this client's login may carry
// older ones, so it is reset first (COM_RESET_CONNECTION copies the globals again) and the
// client's own SETs are replayed. A connection fresh since the login is used as it is: a session
// started long ago never pays this, a connect-per-request client pays one round trip.
awaitable<std::optional<p::err_packet>> session_backend::refresh_if_stale() {
  if (current_->fresh_at >= started_at_) co_return std::nullopt;
  const bool reset = co_await reset_connection();
  if (!reset) {
    // It died while idle (a KILL, a restart): the statement was not sent, a new one serves.
    auto opened = co_await open_or_wait();
    co_return opened;
  }
  auto error = co_await replay_session_variables();
  if (!error) current_->key.session_state = key_.session_state;
  co_return error;
}

awaitable<std::optional<p::err_packet>> session_backend::open_new() {
  const backend_tls tls{tls_.backend.get(), settings_.backend_tls.verify};
  const auto logging_in_at = std::chrono::steady_clock::now();
  auto result = co_await connect_backend(*server_, login_, settings_.connect_timeout, tls,
                                         settings_.backend_tcp_user_timeout);
  if (!result.connection) co_return std::move(result.error);
  current_ = std::make_unique<pooled_backend>();
  current_->fresh_at = logging_in_at;
  current_->link = std::move(*result.connection);
  current_->key = key_;
  auto error = co_await replay_session_variables();
  co_return error;
}

// Runs the session's SET statements on a fresh connection (their OK is not forwarded).
awaitable<std::optional<p::err_packet>> session_backend::replay_session_variables() {
  for (const auto& statement : session_sets_) {
    const auto answer = co_await run_on_backend(*current_, statement);
    if (answer.broken || answer.error) {
      drop();
      co_return p::make_error(p::er::backend_lost, "weft: could not restore the session's variables on backend " +
                                                       key_.server);
    }
  }
  co_return std::nullopt;
}

}  // namespace weft::proxy
