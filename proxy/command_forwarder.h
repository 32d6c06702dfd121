// The command phase of a session: each client command is forwarded to a backend connection
// as raw frames, and the backend's response is streamed back as raw bytes until the response
// tracker sees its end. Nothing is copied beyond the session and connection buffers; the
// client's pace throttles the backend (the next chunk is read only after the previous one was
// written). Between statements the connection may go back to the pool (session_backend).
#pragma once

#include <cstdint>
#include <string>

#include "protocol/messages.h"
#include "protocol/response_tracker.h"
#include "protocol/server_handshake.h"
#include "proxy/asio.h"
#include "proxy/io_buffer.h"
#include "proxy/prepared_statements.h"
#include "proxy/session_backend.h"
#include "proxy/statement_router.h"
#include "proxy/stream.h"

namespace weft::proxy {

struct forwarder_limits {
  std::size_t max_allowed_packet = 64u << 20;
};

// What a session is doing, for the admin's processlist and the worker's once-a-second watchdog
// (read on the worker's thread only).
struct session_activity {
  std::string_view command = "Sleep";  // "Query", "Execute", ... or "Sleep" between commands
  std::string statement;                 // the statement in flight, cut at 256 bytes
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
  // Waiting for the backend's answer, and a count of the reads that brought some: the watchdog
  // sees a frozen backend as a wait whose count does not move (no timer per statement).
  bool awaiting_backend = false;
  std::uint64_t backend_reads = 0;
  // Set by the watchdog when it closed the backend connection under a waiting statement.
  std::string abort_reason;
};

// What routing needs from the session's surroundings.
struct forwarder_context {
  worker_routing& routing;  // and through it, the current users (read_your_writes) and rules
  std::string_view client_address;
  session_activity& activity;
};

// The client's login, needed to re-authenticate on COM_CHANGE_USER.
struct session_auth {
  protocol::server_handshake& client;
  std::string& user;  // the session's current user, updated by COM_CHANGE_USER
};

class command_forwarder {
 public:
  command_forwarder(stream& client, io_buffer& client_in, session_backend& backend,
                    std::uint64_t capabilities, forwarder_limits limits, session_auth auth,
                    forwarder_context context);

  // Runs until the client quits or disconnects, or the session cannot go on.
  awaitable<void> run();

  std::uint64_t commands() const { return commands_; }

 private:
  // retry: the backend failed before answering a read that may run again elsewhere.
  enum class step { next, stop, retry };
  awaitable<step> forward_one();
  awaitable<step> forward_query(std::uint32_t payload_length);
  // Sends a COM_QUERY weft built (a rule's rewrite, a read sent again) instead of client bytes.
  awaitable<step> send_text_query(const std::string& text);
  // A read whose replica failed before answering: once more, on another server.
  awaitable<step> retry_read(const std::string& group);
  // acquire() plus read-your-writes: a replica read first waits there for the session's last
  // write (MASTER_GTID_WAIT), or goes to the primary when the wait times out.
  awaitable<std::optional<protocol::err_packet>> acquire_for(route_request request);
  // After a write outside a transaction (or a COMMIT): remember the session's last GTID.
  awaitable<void> remember_written_gtid(bool wrote);
  void update_read_your_writes();
  // LAST_INSERT_ID() across pooled connections (command_forwarder_insert_id.cc): set where a
  // statement reads it, read back where one may have changed it before the connection goes.
  awaitable<std::optional<protocol::err_packet>> restore_insert_id();
  awaitable<void> settle_insert_id();
  void note_insert_id_effects(bool statement_sets_it, bool statement_writes);
  void forget_insert_id();
  awaitable<void> end_insert_id_hold(const route_request& next);
  // The response's effects (apply_response_effects), after what must be read from the
  // connection before it may go back to the pool.
  awaitable<void> finish_response(std::uint8_t cmd, bool sets_insert_id = false, bool writes = false);
  session_facts facts() const;
  void begin_stats(std::uint64_t digest, std::string_view sql);
  void finish_stats(std::uint64_t payload_bytes, command_kind kind);
  awaitable<bool> fill_client(std::size_t at_least);
  awaitable<step> send_command_to_backend();
  awaitable<step> relay_response();
  awaitable<step> refuse_command(std::uint8_t cmd);
  awaitable<step> skip_command_with_error(const protocol::err_packet& err);
  awaitable<bool> skip_command();
  awaitable<step> change_user();
  awaitable<step> forward_local_infile();
  awaitable<step> answer_ping_locally();
  awaitable<step> backend_failed(const error_code& ec, bool response_started);
  void note_effects(std::uint8_t cmd, std::uint32_t payload_length);
  // Prepared statements (command_forwarder_statements.cc): weft's ids towards the client.
  awaitable<step> forward_prepare(std::uint32_t payload_length);
  awaitable<step> forward_statement_command(std::uint8_t cmd, std::uint32_t payload_length);
  awaitable<boost::system::result<std::uint32_t, step>> send_statement_command(
      protocol::command command, std::uint32_t payload_length, client_statement& statement, std::uint32_t id_sent,
      bool opens_cursor);
  awaitable<bool> fill_backend(std::size_t at_least);
  // relay_response(), except that an ERR naming the backend's statement id names the client's.
  awaitable<step> relay_statement_response(std::uint32_t backend_id, std::uint32_t client_id);
  void forget_statements();
  void pin_if_cursor_opened();
  void apply_response_effects(std::uint8_t cmd);
  awaitable<void> fail_client(const protocol::err_packet& err, std::uint8_t sequence_id);

  stream& client_;
  io_buffer& client_in_;
  session_backend& backend_;
  std::uint64_t caps_;
  forwarder_limits limits_;
  session_auth auth_;
  protocol::response_tracker tracker_;
  std::string pending_schema_;  // of a COM_INIT_DB (or a plain USE) in flight
  bool pending_use_ = false;    // the COM_QUERY in flight is a plain USE
  std::string pending_set_;     // of a replayable SET in flight
  statement_registry statements_;
  std::uint16_t last_status_ = protocol::status::autocommit;  // of the last response that had one
  std::uint64_t commands_ = 0;
  bool state_lost_ = false;  // the server closed the connection that held the session's state
  bool pinned_before_command_ = false;
  // LAST_INSERT_ID(): the session's value while no held connection has it, whether the held
  // connection holds exactly it (restored there: acquisition number), and whether a statement
  // there may have changed it since (read back before the connection goes back).
  std::uint64_t last_insert_id_ = 0;
  std::uint64_t insert_id_exact_on_ = 0;
  bool insert_id_unsettled_ = false;
  forwarder_context context_;
  // Read-your-writes.
  bool read_your_writes_ = false;
  bool wrote_since_gtid_ = false;  // a write ran on the primary since the last @@last_gtid
  std::string last_gtid_;          // of the session's last write
  std::string gtid_seen_on_;       // a replica known to have applied it
  // Statistics of the statement in flight.
  std::chrono::steady_clock::time_point started_;
  std::uint64_t digest_ = 0;
  std::string new_digest_text_;  // set only for a digest the worker has not seen yet
  std::uint64_t relayed_bytes_ = 0;
  // A replica read that may be sent again if its connection fails before any answer.
  bool retryable_ = false;
  std::string resend_;
};

}  // namespace weft::proxy
