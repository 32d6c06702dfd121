// The backend side of one client session: the connection it holds right now, taken from the pool
// (or opened) for the server a route asks for, and given back when the session machine says so
// (session/machine decides whether the connection's state lets it go).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "protocol/client_handshake.h"
#include "protocol/messages.h"
#include "proxy/backend_pool.h"
#include "proxy/settings.h"
#include "proxy/topology_store.h"
#include "routing/rw_split.h"
#include "routing/topology.h"
#include "session/stall_watch.h"

namespace weft::proxy {

struct security_contexts;
struct worker_routing;

// Where the next command should run when the session holds no connection.
struct route_request {
  routing::target_role role = routing::target_role::primary;
  std::string_view group;  // empty: the session's group
};

class session_backend {
 public:
  session_backend(backend_pool& pool, const proxy_settings& settings, const security_contexts& tls,
                  worker_routing& routing)
      : pool_(pool), settings_(settings), tls_(tls), routing_(routing) {}
  ~session_backend();

  // Who the session logs in as; a new connection is opened with this login. The session's
  // group is the topology's default group.
  void set_identity(protocol::backend_login login);

  // Holds a connection: the one already held (whatever the request says), or one to a server
  // of the requested group and role (from the pool or new). On failure, the ERR for the client.
  awaitable<std::optional<protocol::err_packet>> acquire(route_request request = {});
  // acquire() when it needs no I/O and no wait (a fresh idle connection); false: call acquire().
  bool acquire_now(route_request request);
  bool held() const { return current_ != nullptr; }
  // Counts the connections the session took: a different number means another connection
  // (or the same one after others used it).
  std::uint64_t acquisitions() const { return acquisitions_; }
  pooled_backend& current() { return *current_; }
  const std::string& name() const { return key_.server; }
  // The server of the held (or last) connection, and the role it plays.
  const routing::server* server() const { return server_; }
  // The watchdog's look at the held connection's wait (none held: no wait), its server as the
  // latest topology has it: why to give the wait up, or nullopt (session::stall_watch).
  std::optional<std::string> stalled(session::stall_watch& watch, const routing::topology& latest,
                                     std::chrono::milliseconds read_timeout) const;
  routing::target_role role() const { return role_; }
  const std::string& group() const { return group_; }
  const std::string& schema() const { return login_.database; }
  std::uint8_t charset() const { return login_.charset; }  // the collation id of the client's handshake
  // The held connection goes back to the pool; soft-owned: marked as this session's, which
  // others take only when nothing else is left (its warnings, ROW_COUNT() stay readable).
  void give_back(bool soft_owned);
  bool multiplexing() const { return settings_.multiplexing; }
  // The pool could spare the held connection's server a connection kept a little longer.
  bool pool_has_spare_room() const { return current_ && pool_.has_spare_room(key_.server); }
  // The topology snapshot the session routes with (refreshed whenever no connection is held).
  const routing::topology& topology();

  // The held connection is closed, not reset, when the session ends: the server then does what
  // it does when a direct client leaves (an XA transaction the session prepared stays for XA
  // RECOVER; COM_RESET_CONNECTION would not treat it as a disconnect).
  void close_at_end() { close_at_end_ = true; }
  // Would a statement with this route run on the held connection's server anyway?
  bool routes_to_held(const route_request& request);
  // After COM_RESET_CONNECTION: the connection is back to a fresh login's state.
  void reset_state();
  // After COM_INIT_DB succeeded: the connection's schema, and the session's, changed.
  void schema_changed(const std::string& schema);
  // After a SET of session variables succeeded on the held connection: remembered, and replayed
  // on any new connection this session uses.
  void session_variables_set(std::string statement);
  // After COM_CHANGE_USER succeeded on the held connection.
  void user_changed(protocol::backend_login login);

  // Another backend side for the same session (its login, its SETs to replay) holding a
  // connection of its own: one lane of a scatter.
  std::unique_ptr<session_backend> lane() const;

  // After the login: the connection goes back marked as this session's, so the first
  // statement finds it again (it may have been reset for this client already).
  void after_login();
  // The connection broke: close it, never reuse it.
  void drop();
  // Session end: a connection with session state is reset before it goes back to the pool.
  awaitable<void> finish();

 private:
  awaitable<std::optional<protocol::err_packet>> open_new();
  awaitable<void> wait_while_paused(std::string_view group);
  awaitable<std::optional<protocol::err_packet>> open_or_wait();
  bool current_primary_failed(const protocol::err_packet& error, std::string_view group);
  awaitable<bool> wait_for_new_primary(std::string_view group, const std::string& failed);
  std::optional<protocol::err_packet> choose_server(const route_request& request);
  awaitable<std::optional<protocol::err_packet>> replay_session_variables();
  awaitable<std::optional<protocol::err_packet>> refresh_if_stale();
  awaitable<bool> reset_connection();
  void release(const void* soft_owner);

  backend_pool& pool_;
  const proxy_settings& settings_;
  const security_contexts& tls_;
  worker_routing& routing_;
  topology_ptr topology_;                // kept alive while server_ points into it
  const routing::server* server_ = nullptr;
  routing::target_role role_ = routing::target_role::primary;
  std::string group_;
  protocol::backend_login login_;
  pool_key key_;
  backend_ptr current_;
  std::vector<std::string> session_sets_;  // SET statements to replay, oldest first
  // When the client logged in: what a direct session would have inherited from the server's
  // globals is what they were then.
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();
  std::uint64_t acquisitions_ = 0;
  bool close_at_end_ = false;
};

}  // namespace weft::proxy
