// Idle backend connections of one worker, ready for reuse. A connection is interchangeable
// only with one logged in the same way: same server, user, password proof, capabilities,
// character set and current schema (pool_key). The pool also enforces the per-server connection limit and lets
// sessions wait (bounded) for a connection when the limit is reached. Single-threaded: it
// belongs to one worker's event loop, so it takes no lock.
#pragma once

#include <chrono>
#include <deque>
#include <vector>
#include <memory>
#include <string>
#include <unordered_map>

#include "protocol/auth.h"
#include "proxy/asio.h"
#include "proxy/backend_connection_info.h"
#include "proxy/backend_connector.h"
#include "proxy/io_buffer.h"
#include "session/connection_statements.h"

namespace weft::proxy {

struct pool_key {
  std::string server;  // "host:port"
  std::string user;
  // SHA1(stage1), the account's stored hash (zero: no password). One user name may be several
  // accounts (user@host entries with their own passwords): a connection logged in with one
  // password never serves a client that proved another.
  protocol::sha1_digest credential{};
  std::string client_address;  // with the PROXY protocol: the address the server saw ("" without)
  std::uint64_t capabilities = 0;
  std::uint8_t charset = 0;
  std::string database;
  std::uint64_t session_state = 0;  // hash of the SET statements applied on it (0 = none)
  bool operator==(const pool_key&) const = default;
};

// A backend connection and what the pool needs to know about it.
struct pooled_backend {
  backend_connection link;
  pool_key key;
  io_buffer in{16 * 1024};  // bytes read from the backend, not yet forwarded
  std::chrono::steady_clock::time_point idle_since;
  // When its server session last started fresh (login or COM_RESET_CONNECTION): it inherited
  // the server's global defaults as they were then.
  std::chrono::steady_clock::time_point fresh_at = std::chrono::steady_clock::now();
  session::connection_statements statements;  // prepared on it, by SQL text
  // Set while idle for a session that would like it back (its warnings are readable there);
  // others take it only when no other connection can be had.
  const void* soft_owner = nullptr;
};
using backend_ptr = std::unique_ptr<pooled_backend>;

struct pool_limits {
  std::size_t max_per_server = 100;  // this worker's share of the server's limit
  std::chrono::milliseconds idle_timeout{10000};
  // Idle connections per server kept past idle_timeout (the most recently used): the next
  // client's first statement finds one ready; 0 lets every idle connection go.
  std::size_t min_idle = 1;
};

struct pool_stats {
  std::string server;       // empty for a total
  std::size_t open = 0;     // connections of this worker, idle or in use
  std::size_t idle = 0;
  std::size_t waiting = 0;  // sessions waiting for a connection
  std::size_t limit = 0;    // this worker's share of the server's limit
};

class backend_pool {
 public:
  explicit backend_pool(pool_limits limits) : limits_(limits) {}

  // An idle connection with this key that still looks alive, or null: the requester's own
  // (soft-owned) one first, then a free one; one soft-owned by another session only if
  // allow_steal (when the limit allows no new connection).
  backend_ptr take_idle(const pool_key& key, const void* requester, bool allow_steal);
  // Claims room for one new connection to key.server; at the limit, closes the least recently
  // used idle connection of another key for it, or returns false if there is none.
  bool reserve(const pool_key& key);
  // This worker's share of a server's connection limit (default: pool_limits::max_per_server).
  void set_limit(const std::string& server, std::size_t limit) { servers_[server].limit = limit; }
  // Connections to the server this worker has lent out now (for least-connections).
  std::size_t in_use(const std::string& server) const;
  // Nobody waits and under half of the limit is lent out: a session may keep a connection a
  // little longer than it must.
  bool has_spare_room(const std::string& server) const;
  void cancel_reservation(const std::string& server);  // the connection could not be opened
  // To the first waiter that can use it, else idle (soft-owned by `owner` when given).
  void release(backend_ptr backend, const void* owner = nullptr);
  // A session ends: its soft-owned idle connections become ordinary idle ones.
  void disown(const void* owner);
  void discard(backend_ptr backend);  // closes it; its room goes to the first waiter

  // Waiting, first come first served: a released connection with the waiter's key is handed
  // to it directly, or the room of a closed one is reserved for it (so it can open its own).
  // Sessions arriving later cannot overtake a waiting one.
  struct wait_result {
    enum kind { timed_out, handed, room_reserved } what = timed_out;
    backend_ptr backend;  // for handed
  };
  awaitable<wait_result> wait(const pool_key& key, std::chrono::steady_clock::time_point deadline);
  // Closes idle connections the server closed (KILL, wait_timeout), and those idle for longer
  // than the idle timeout beyond the floor (min_idle per server).
  void sweep();
  // Closes all idle connections (shutdown, the admin's FLUSH BACKEND CONNECTIONS); how many.
  std::size_t clear();

  pool_stats stats() const;
  std::vector<pool_stats> per_server() const;
  // The idle connections, for the admin's backend_connections table.
  std::vector<backend_connection_info> idle_connections() const;

 private:
  struct waiter {
    const pool_key* key;
    asio::steady_timer* timer;
    wait_result result;
  };
  struct server_state {
    std::size_t open = 0;
    std::size_t limit = 0;  // 0: limits_.max_per_server
    std::vector<backend_ptr> idle;  // most recently used at the back
    std::deque<waiter*> waiters;
  };
  // Gives a closed connection's room to the first waiter; false when nobody waits.
  static bool give_room(server_state& state);
  std::size_t limit_of(const server_state& state) const { return state.limit ? state.limit : limits_.max_per_server; }
  static bool looks_alive(pooled_backend& backend);

  pool_limits limits_;
  std::unordered_map<std::string, server_state> servers_;
};

}  // namespace weft::proxy
