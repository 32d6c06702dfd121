// The one vocabulary between the session machine and its driver: what the machine asks for
// (action) and what came of it (event). The driver (proxy/command_driver) performs each action
// with sockets and the pool; a unit test performs it by writing the event by hand.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "protocol/bytes.h"
#include "protocol/messages.h"
#include "routing/rw_split.h"
#include "routing/topology.h"
#include "session/connection_statements.h"

namespace weft::session {

enum class action_kind : std::uint8_t {
  read_command,    // wait for the client's next command: its header, and the whole of a small one
  read_client,     // at least `bytes` bytes of the current command buffered (from its header on);
                   // the bytes shown stay where they are until skip_command, send_command,
                   // relay or change_user (the machine reuses them without asking again)
  skip_command,    // drop the rest of the client's current command (all its frames)
  acquire,         // hold a backend connection for `target` (the one held, or one from the pool)
  send_command,    // the client's current command, as it is (all its frames), to the backend
  send_packet,     // `payload` as a new command (sequence 0) to the backend
  read_backend,    // at least `bytes` bytes of the backend's answer buffered
  relay,           // the backend's response to the client until the tracker sees its end
  consume_backend, // drop `bytes` buffered bytes of the backend's answer (the machine used them)
  run_internal,    // weft's own statement `sql` on the held connection; the answer is decoded
  prepare_internal,  // COM_STMT_PREPARE of `sql` on the held connection (weft's, not forwarded)
  reply,           // `payload` to the client with `sequence_id`
  reply_frames,    // `payload` to the client as it is: whole frames, sequence ids set (a merged answer)
  change_user,     // the COM_CHANGE_USER exchange (client ↔ held connection)
  cache_answer,    // the answer kept under the key `text` in the result cache to the client (ok),
                   // or refused when there is none; a later relay with `copy_response` keeps a
                   // copy for cache_store
  scatter,         // `payload` as a new command to one connection per `targets` entry (not the
                   // held one), sent concurrently; their responses are read whole, each on its own.
                   // `payloads`: one command per target instead. `keep_lanes`: the connections
                   // stay with the scatter after their answers (a transaction open on them);
                   // `reuse_lanes`: this scatter runs on the last scatter's kept connections (same
                   // targets; a lane whose connection broke fails, it is never replaced).
                   // `stream_lanes`: responses come in pieces (gather's `piece`), each lane
                   // waiting until the machine's next action before it reads on
  gather,          // the next target's whole response, in the order they end (one per target);
                   // when streaming, also the pieces before it
  release,         // the held connection goes back to the pool (`soft_owned`: kept for us)
  drop,            // the held connection is closed, never reused
  schema_changed,  // the session's schema is now `text` (new connections log in there)
  set_remembered,  // `text` is a SET to replay on every new connection of the session
  state_reset,     // the server session restarted: no SETs to replay
  close_at_end,    // close, not reset, the held connection when the session ends
  record_statement,  // statistics of the statement that just ended (see statement_record)
  cache_store,     // the copy of the last response kept under the key `text` for `bytes` ms, as
                   // the answer of a read of `tables` (0 ms: dropped); kept only if no write to
                   // them began or ended since the cache_answer that missed
  cache_invalidate,  // a write to `tables` begins or ends (none: to any table)
  done,            // the session ends
};

// Where a statement should run when no connection is held.
struct target {
  routing::target_role role = routing::target_role::primary;
  std::string_view group{};  // empty: the session's group
};

// What the statistics keep of one statement.
struct statement_record {
  std::uint64_t digest = 0;
  std::string_view new_digest_text{};  // set only for a digest the worker has not seen yet
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
  std::uint64_t rows = 0;
  bool failed = false;
  bool on_replica = false;
  std::uint8_t kind = 0;  // proxy's command_kind (execute_kind for prepared statements)
  std::chrono::steady_clock::time_point started{};
};
inline constexpr std::uint8_t execute_kind = 5;

struct action {
  action_kind kind = action_kind::done;
  std::size_t bytes = 0;           // read_client, read_backend
  session::target target{};          // acquire
  protocol::bytes_view payload{};    // send_packet, reply (owned by the machine until resumed)
  std::uint8_t sequence_id = 0;    // reply
  std::string_view text{};           // run_internal / prepare_internal (SQL), schema_changed, set_remembered
  bool soft_owned = false;         // release
  const statement_record* record = nullptr;  // record_statement (the machine's, until resumed)
  std::span<const session::target> targets{};  // scatter (the machine's, until all are gathered)
  std::span<const protocol::bytes_view> payloads{};  // scatter: one per target (else `payload` to all)
  bool keep_lanes = false, reuse_lanes = false;      // scatter
  bool stream_lanes = false;                         // scatter
  // gather, streaming: the lanes that may read on (1) after handing over a piece; the others wait
  // (the merge holds enough of theirs). Empty: all.
  std::span<const std::uint8_t> lanes_wanted{};
  std::span<const std::string> tables{};  // cache_store, cache_invalidate ("schema.table")
  bool copy_response = false;             // relay: keep a copy for cache_store
};
static_assert(std::is_trivially_copyable_v<action>);

enum class outcome : std::uint8_t {
  ok,
  client_gone,     // the client closed or a write to it failed
  backend_failed,  // the held connection broke (it is closed)
  refused,         // acquire, a gathered target: no connection (error); run/prepare_internal: the server's ERR
  too_large,       // send_command: the command is bigger than max_allowed_packet; a gathered
                   // response: over the driver's bound (its connection is closed)
  extra_bytes,     // relay: the backend sent bytes after its response ended
};

// What the machine knows of the connection it holds.
struct held_connection {
  std::string_view server{};  // "host:port"
  routing::target_role role = routing::target_role::primary;
  const routing::server* info = nullptr;  // in the session's topology snapshot
  std::uint64_t capabilities = 0;
  std::uint64_t acquisition = 0;  // a different number: another connection (or the same, reused)
  connection_statements* statements = nullptr;  // prepared on this connection
};

// What came of an action. Trivially copyable on purpose (one is handed over per action, several
// per statement): text and errors are views into the driver's storage, valid until the machine
// hands out its next action — the machine copies what it keeps before that.
struct event {
  outcome result = outcome::ok;
  bool response_started = false;    // relay: part of the response reached the client
  bool command_incomplete = false;  // send_command failed before the command's end
  bool user_changed = false;        // change_user: the session runs as the new user...
  std::string_view new_user{}, new_schema{};  // ...with this name, in this schema
  std::string_view failure{};       // backend_failed: what broke
  std::string_view abort_reason{};  // the watchdog closed the connection under a wait
  std::span<std::uint8_t> client{};   // read_command / read_client: the buffered command bytes (may be rewritten)
  std::span<std::uint8_t> backend{};  // read_backend: the buffered answer (may be rewritten); gather: the whole response
  const protocol::err_packet* error = nullptr;  // acquire refused, a server's ERR
  std::optional<std::string_view> value{};      // run_internal: first column of the first row
  std::uint32_t statement_id = 0;               // prepare_internal: the backend's id
  std::uint32_t target_index = 0;               // gather: which of the scatter's targets
  bool piece = false;                           // gather: a piece of the response, more follows
  std::uint64_t relayed_bytes = 0;              // relay, cache_answer
  std::uint64_t rows = 0;                       // cache_answer: rows of the answer
  held_connection connection{};                 // acquire
};
static_assert(std::is_trivially_copyable_v<event>);

}  // namespace weft::session
