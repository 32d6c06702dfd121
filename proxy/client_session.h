// One application connection: the connection phase (weft authenticates the client against its
// own user list), the backend login as that user, then the command phase.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "protocol/server_handshake.h"
#include "proxy/admission_control.h"
#include "proxy/asio.h"
#include "proxy/backend_pool.h"
#include "proxy/worker_routing.h"
#include "session/machine.h"
#include "session/stall_watch.h"
#include "proxy/session_backend.h"
#include "proxy/io_buffer.h"
#include "proxy/settings.h"
#include "proxy/stream.h"

namespace weft::proxy {

// TLS contexts and the caching_sha2 state, built once at startup and shared by every session
// (null when off).
struct security_contexts {
  std::unique_ptr<asio::ssl::context> client;   // weft's listener
  std::unique_ptr<asio::ssl::context> backend;  // weft towards backends
  // caching_sha2_password (null unless configured): the shared fast-path cache and RSA key.
  std::unique_ptr<protocol::sha2_cache> sha2_cache;
  std::unique_ptr<protocol::rsa_key> rsa;
};

struct session_context {
  const proxy_settings& settings;
  const security_contexts& tls;
  backend_pool& pool;
  worker_routing& routing;
  snapshot_ptr snapshot;
  std::uint32_t connection_id;
  admission_control& admission;  // told about failed logins
  const std::function<void()>& accounts_stale;  // ...and so is the account loader (may be empty)
  std::size_t& parked_sessions;                 // the worker's count of parked sessions
};

class client_session : public std::enable_shared_from_this<client_session> {
 public:
  client_session(net_socket socket, session_context context);
  ~client_session();

  // The session's life on the worker: `place` (its admission slot) is held, and `ended` called,
  // when the session ends, however late: a parked session ends from its own wake-up.
  void hold_until_end(connection_limit::slot place, std::function<void()> ended);
  // Login, then commands until the client leaves or the session parks. One broken session never
  // takes the worker down (an exception ends that session only).
  static awaitable<void> live(std::shared_ptr<client_session> self);

  // Parking (issue 17): a session waiting for its client's next command gives up its coroutine
  // frames and its read buffer, and waits with one readiness wait on the socket; the client's
  // next bytes start it again where it was. Right after the login, and (the worker's sweep)
  // after `idle` without a command. Plain connections only: a TLS or compressed read keeps
  // state that a cancelled read could cut.
  void park_if_idle(std::chrono::steady_clock::time_point now, std::chrono::milliseconds idle);
  // One processlist row (on the worker's thread).
  struct description {
    std::uint32_t id = 0;
    std::string user, client, schema, command, statement, backend;
    double seconds = 0;  // in the current command, or idle
  };
  description describe() const;
  // The backend connection the session holds now, for the admin's backend_connections table.
  std::optional<backend_connection_info> backend_in_use();
  // Closes both sockets; pending operations end with errors and the session ends.
  void shutdown();
  // Once a second, from the worker: a statement waiting on a backend that the monitor has shunned
  // (with no progress for two looks),
  // or that sent nothing for read_timeout (0: no limit), is failed with 9013 — its connection is
  // closed under it.
  void watch_backend(const routing::topology& latest, std::chrono::milliseconds read_timeout);

 private:
  awaitable<bool> log_in();    // true: logged in, the driver made
  awaitable<bool> commands();  // true: parked (the session goes on later)
  bool may_park() const;
  void park(std::string_view after);  // "login" or "idle"
  void unpark();
  void end();
  awaitable<bool> authenticate();
  awaitable<bool> accounts_read_since(std::chrono::steady_clock::time_point began);
  protocol::server_greeting_settings greeting_settings() const;
  protocol::server_handshake::user_lookup user_lookup();
  std::optional<protocol::user_credentials> backend_account(std::string_view name);
  std::uint64_t bulk_capability() const;
  awaitable<bool> open_backend(const protocol::server_handshake& handshake);
  protocol::backend_login login_for(const protocol::server_handshake& handshake) const;
  void name_client_to_backend(protocol::backend_login& login);
  std::uint8_t next_seq_ = 0;

  stream client_;
  session_context context_;
  std::string peer_;
  std::string user_;
  // Grows to the biggest command the client sent; 1 KiB holds any OLTP statement and keeps idle
  // sessions cheap (issue 17: 3 KiB of an idle session's 13.9).
  io_buffer client_in_{1024};
  std::optional<protocol::server_handshake> auth_;
  session_backend backend_;
  session::activity activity_;
  session::stall_watch stall_watch_;  // the worker's once-a-second look at a backend wait
  // The session's commands (made at login): outside any coroutine frame, so a parked session
  // keeps its state (the machine, prepared statements, SETs) without its frames.
  std::unique_ptr<class command_driver> driver_;
  std::optional<connection_limit::slot> place_;
  std::function<void()> ended_;
  bool parked_ = false;
};

// Capabilities weft offers to clients; the backend login narrows nothing a client relies on.
std::uint64_t proxy_capabilities();

}  // namespace weft::proxy
