// The command phase of one client session, as a pure machine: client commands and backend
// events in, actions out (session/action.h). It decides everything about a statement — its plan
// (classified once), rules, where it runs, read-your-writes, LAST_INSERT_ID, retry, the prepared
// statement ids, pin / hold / release, COM_CHANGE_USER's effects — and asks its driver
// (proxy/command_driver) to do the I/O. Written as sequential coroutines (session/resumable.h):
// each `co_await perform(...)` is one action handed out.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "protocol/messages.h"
#include "protocol/response_tracker.h"
#include "routing/topology.h"
#include "session/action.h"
#include "session/prepared_statements.h"
#include "session/resumable.h"
#include "session/scatter.h"
#include "session/statement_plan.h"

namespace weft::session {

// What a session is doing, for the admin's processlist and the worker's watchdog.
struct activity {
  std::string_view command = "Sleep";  // "Query", "Execute", ... or "Sleep" between commands
  std::string statement;                 // the statement in flight, cut at 256 bytes
  std::chrono::steady_clock::time_point since = std::chrono::steady_clock::now();
  // Set by the watchdog when it closed the backend connection under a waiting statement.
  std::string abort_reason;
};

// What the machine reads from the worker around it: snapshots, caches and the pool's occupancy.
// No I/O: every answer is immediate.
class surroundings {
 public:
  virtual ~surroundings() = default;
  // The topology the session routes with (the held connection's snapshot while one is held).
  virtual const routing::topology& topology() = 0;
  virtual const std::vector<routing::query_rule>& rules() = 0;
  // The shard maps statements are routed with (read per statement, like the rules).
  virtual const sharding::catalog& shards() = 0;
  // The user's own read-your-writes setting, if any.
  virtual std::optional<bool> read_your_writes_of(std::string_view user) = 0;
  virtual planner_cache& planner() = 0;
  virtual bool knows_digest(std::uint64_t digest) = 0;
  // The pool could spare the held connection for a while (nobody waits, under half lent out).
  virtual bool pool_has_spare_room() = 0;
  // A statement with this target would run on the held connection's server anyway.
  virtual bool routes_to_held(const target& next) = 0;
  virtual std::chrono::steady_clock::time_point now() = 0;
  // The worker is stopping: the session ends after its current command.
  virtual bool stopping() = 0;
  // Where the machine's coroutine frames are recycled (the worker's, outliving its sessions).
  virtual frame_pool& frames() = 0;
  // The query result cache is on (a size above 0): writes tell it which tables they change.
  virtual bool result_cache_on() = 0;
};

struct machine_settings {
  std::uint64_t client_capabilities = 0;
  std::size_t max_allowed_packet = 64u << 20;
  bool multiplexing = true;  // connections go back to the pool between statements when safe
  std::uint8_t client_charset = 0;  // the collation id of the client's handshake
};

// Who the session is: read at the start, changed by COM_INIT_DB / USE / COM_CHANGE_USER.
struct identity {
  std::string user;
  std::string schema;
  std::string client_address;
};

// Whether SQL text names sql_select_limit (a SET of it, or SET STATEMENT ... FOR).
bool mentions_select_limit(std::string_view sql);
// The statement of `EXPLAIN ROUTE <statement>` (weft's own command on the proxy port), if it is one.
std::optional<std::string_view> explained_statement(std::string_view sql);

class machine {
 public:
  machine(surroundings& world, machine_settings settings, identity who, activity& now_doing);
  machine(const machine&) = delete;
  machine& operator=(const machine&) = delete;

  // Runs to the first action. Then: perform next(), resume(event), until next() is done.
  void start();
  // While it waits for the client's next command (the only action the program can be restarted
  // at), frees the program's coroutine frames: a parked session keeps none. start() takes the
  // same wait up again. False, and nothing freed, when it waits for anything else.
  bool rest();
  const action& next() const { return next_; }
  // What came of next(): written by the driver in place, then resume().
  event& outcome_of_next() { return event_; }
  void resume();
  void resume(const event& outcome) {
    event_ = outcome;
    resume();
  }
  bool finished() const { return next_.kind == action_kind::done; }

  // The response being relayed (the driver feeds it the backend's bytes).
  protocol::response_tracker& tracker() { return tracker_; }
  std::uint64_t commands() const { return commands_; }
  const identity& who() const { return who_; }
  bool pinned() const { return pinned_; }
  const held_connection& held() const { return held_; }
  bool holds() const { return held_.server.data() != nullptr; }
  frame_pool& frames() { return frames_; }  // (the worker's, shared by its sessions)

 private:
  enum class step { next, stop, retry };
  struct awaited_action {
    machine& m;
    bool answered;  // by the machine itself: no suspension
    bool await_ready() const noexcept { return answered; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> waiting) noexcept;
    event& await_resume() noexcept { return m.event_; }
  };
  // Hands one action to the driver; the event is the awaited value. (Written to next_ at once:
  // the driver reads it only once the machine is suspended.) A read of client bytes already
  // seen buffered is answered at once, without a round through the driver.
  [[gnu::always_inline]] awaited_action perform(const action& what) {
    if (what.kind == action_kind::read_client && client_view_.size() >= what.bytes) {
      event_ = event{.client = client_view_};
      return {*this, true};
    }
    next_ = what;
    return {*this, false};
  }

  resumable<void> run();
  resumable<step> forward_one();
  resumable<step> dispatch(std::uint8_t cmd, std::uint32_t payload_length, bool whole);
  resumable<step> forward_other(std::uint8_t cmd, std::uint32_t payload_length);
  resumable<std::optional<protocol::err_packet>> unplanned_shard_statement(std::uint32_t payload_length);
  resumable<step> forward_query(std::uint32_t payload_length);
  resumable<step> send_and_relay(const query_plan& plan);
  resumable<step> retry_read(std::string_view group);
  resumable<std::optional<protocol::err_packet>> move_fresh_transaction(const query_plan& plan);
  resumable<std::optional<protocol::err_packet>> keep_to_one_shard(const query_plan& plan);
  std::optional<protocol::err_packet> global_write_refusal() const;
  resumable<std::optional<protocol::err_packet>> acquire(target where);
  resumable<std::optional<protocol::err_packet>> acquire_for(target where);
  resumable<std::optional<protocol::err_packet>> wait_for_written_gtid(target where);
  resumable<std::optional<protocol::err_packet>> wait_for_gtid(target where, std::string_view gtid, std::string& seen_on);
  resumable<void> remember_split_gtids(bool committed);  // (machine_inserts.cc)
  resumable<void> remember_written_gtid(bool wrote);
  resumable<step> relay_response();
  resumable<step> backend_failed(const event& failure);
  resumable<step> skip_command_with_error(const protocol::err_packet& err);
  resumable<step> reply_error(const protocol::err_packet& err, std::uint8_t sequence_id = 1);
  resumable<step> answer_ping_locally();
  resumable<step> change_user();
  // Scatter-gather (machine_scatter.cc): `payload` to every target at once, every response kept.
  // Sharding's scatter reads call it; a unit test reaches it through machine_probe.
  resumable<gathered_all> scatter_gather(std::span<const target> targets, protocol::bytes_view payload,
                                         lane_use use = {});
  // A read across shards, merged (machine_shards.cc).
  // `binary`: answered as to COM_STMT_EXECUTE (rows in the binary protocol).
  resumable<step> scatter_read(const query_plan& plan, std::uint32_t payload_length, bool binary = false);
  // The read's answer merged and sent on as the shards' answers arrive (machine_stream.cc).
  resumable<step> stream_scatter(const query_plan& plan, std::uint32_t payload_length, bool on_replicas);
  resumable<step> explain_route(std::string_view statement);
  // An INSERT whose rows weft places (machine_inserts.cc): keys from the global sequence, and
  // rows of several shards as one INSERT per shard, each in a transaction of its own.
  resumable<step> sharded_insert(query_plan& plan, std::string_view sql, std::uint32_t payload_length);
  resumable<std::optional<protocol::err_packet>> take_ids(sharding::insert_work& work);
  // A sharded table's key collation, learned from its first shard once per worker
  // (machine_collations.cc); when it cannot be, keys beyond ASCII stay unplaced.
  resumable<void> learn_key_collation(const sharding::sharded_table& table);
  resumable<std::optional<protocol::bytes>> answer_on_target(std::string sql);
  resumable<query_plan> plan_with_collation(std::string_view sql, sharding::sharded_table table);
  resumable<std::optional<protocol::err_packet>> probe_sequence(const sharding::insert_work& work, std::uint64_t& floor);
  resumable<step> split_insert(const sharding::insert_work& work, std::string_view sql, std::uint32_t payload_length);
  resumable<step> write_on_shards(const query_plan& plan, std::string_view sql, std::uint32_t payload_length);
  resumable<std::optional<std::vector<protocol::ok_packet>>> write_each_group(const std::vector<std::string>& groups,
                                                                             const std::vector<std::string>& statements,
                                                                             std::string what, step& ended);
  resumable<split_outcome> write_split_parts(const std::vector<std::string>& statements);
  resumable<step> reply_written(const protocol::ok_packet& answer, std::uint32_t payload_length);
  resumable<step> run_query(const query_plan& plan, std::string_view sql, std::uint32_t payload_length);
  // The query result cache (machine_cache.cc).
  bool may_use_cache(std::uint32_t ttl_ms) const;
  bool remembers_transaction_writes() const { return transaction_writes_.every || !transaction_writes_.tables.empty(); }
  cache_key_parts cache_key_of(std::string_view group, std::string_view sql) const;
  resumable<bool> answer_from_cache(std::uint8_t kind, std::uint32_t payload_length);
  resumable<void> store_answer(std::uint32_t ttl_ms, std::span<const std::string> tables);
  resumable<bool> answer_execute_from_cache(client_statement& statement, std::uint32_t payload_length, bool& caching);
  resumable<void> note_write(const std::optional<written_tables>& writes, bool ended, bool plain_read = false);
  friend struct machine_probe;
  // Prepared statements (machine_statements.cc).
  resumable<step> forward_prepare(std::uint32_t payload_length);
  std::string shard_prepare_group(std::string_view sql);
  void describe_sharding(client_statement& statement);
  resumable<sharding::shard_route> route_execute(const client_statement& statement, sharding::parameter_values values);
  std::optional<std::string> execute_text(protocol::bytes_view payload, const client_statement& statement,
                                          std::string& why) const;
  // A prepared statement's execute run as its text with the values written in (several shards).
  resumable<step> execute_as_text(const std::string& sql, std::uint32_t payload_length, bool opens_cursor);
  resumable<std::optional<protocol::err_packet>> execute_target(protocol::command command, std::uint32_t payload_length,
                                                                client_statement& statement, std::string& group,
                                                                std::string& as_text);
  resumable<step> rename_prepared(std::string& sql, std::optional<std::uint32_t>& replaced);
  resumable<step> forward_statement_command(std::uint8_t cmd, std::uint32_t payload_length);
  resumable<step> refuse_statement_command(protocol::command command, std::uint32_t client_id, bool too_short);
  resumable<step> execute_statement(protocol::command command, std::uint32_t payload_length, client_statement& statement,
                                    std::uint32_t id_sent, bool opens_cursor);
  resumable<std::optional<std::uint32_t>> send_statement_command(protocol::command command, std::uint32_t payload_length,
                                                                 client_statement& statement, std::uint32_t id_sent,
                                                                 bool opens_cursor, step& ended);
  resumable<std::optional<step>> send_instead_of_command();
  resumable<std::optional<step>> send_command_as(std::uint32_t statement_id);
  resumable<std::optional<std::uint32_t>> prepare_on_held(const std::string& sql, bool& broken);
  resumable<step> relay_statement_response(std::uint32_t backend_id, std::uint32_t client_id);
  void forget_statements();
  // LAST_INSERT_ID() across pooled connections (machine_insert_id.cc).
  resumable<std::optional<protocol::err_packet>> restore_insert_id();
  resumable<void> settle_insert_id();
  void note_insert_id_effects(bool statement_sets_it, bool statement_writes);
  void forget_insert_id();
  resumable<void> end_insert_id_hold(const std::optional<target>& next = std::nullopt);  // none: lanes
  // What a response leaves behind (machine_effects.cc).
  resumable<void> finish_response(std::uint8_t cmd, bool sets_insert_id = false, bool writes = false);
  resumable<void> apply_response_effects(std::uint8_t cmd);
  resumable<void> note_effects(std::uint8_t cmd, std::uint32_t payload_length);
  resumable<void> after_response(std::uint16_t status_flags, std::uint16_t warnings, bool failed, bool affected_rows);
  resumable<void> release(bool soft_owned);
  resumable<void> drop();
  resumable<void> reset_state();
  bool keeps_connection(std::uint16_t status_flags) const;
  void pin(std::string_view reason);
  void update_read_your_writes();
  session_facts facts() const;
  void begin_stats(std::uint64_t digest, std::string_view sql);
  resumable<void> finish_stats(std::uint64_t payload_bytes, std::uint8_t kind);

  surroundings& world_;
  machine_settings settings_;
  identity who_;
  activity& activity_;
  frame_pool& frames_;  // the coroutine frames live in it (it outlives every session)
  std::optional<resumable<void>> program_;
  std::coroutine_handle<> suspended_;
  action next_;
  event event_;
  // The current command's bytes the driver last showed buffered (read_command / read_client),
  // valid until an action that reads or consumes client bytes (action.h).
  std::span<std::uint8_t> client_view_;

  held_connection held_;
  protocol::response_tracker tracker_;
  std::string group_;           // the session's group (the topology's default)
  std::string pending_schema_;  // of a COM_INIT_DB (or a plain USE) in flight
  bool pending_use_ = false;    // the COM_QUERY in flight is a plain USE
  std::string pending_set_;     // of a replayable SET in flight
  std::string key_charset_;     // the character set of the client's strings, for shard keys ("": unknown)
  std::size_t sets_remembered_ = 0;
  statement_registry statements_;
  std::uint16_t last_status_ = protocol::status::autocommit;  // of the last response that had one
  std::uint64_t commands_ = 0;
  bool state_lost_ = false;  // the server closed the connection that held the session's state
  // Pin / hold.
  bool pinned_ = false;
  bool pinned_before_command_ = false;
  bool holding_ = false;
  // LAST_INSERT_ID(): the session's value while no held connection has it, whether the held
  // connection holds exactly it (restored there: acquisition number), and whether a statement
  // there may have changed it since (read back before the connection goes back).
  std::uint64_t last_insert_id_ = 0;
  std::uint64_t insert_id_exact_on_ = 0;
  bool insert_id_unsettled_ = false;
  // The session set sql_select_limit: reads across shards are refused (they would exceed it).
  bool select_limit_set_ = false;
  // The BEGIN of a transaction that has run nothing else yet (it may still move to a shard).
  std::string fresh_begin_;
  // Read-your-writes.
  bool read_your_writes_ = false;
  bool wrote_since_gtid_ = false;  // a write ran on the primary since the last @@last_gtid
  std::string last_gtid_;          // of the session's last write
  std::string last_gtid_group_;    // the group it was written in
  std::string gtid_seen_on_;       // a replica known to have applied it
  // The GTIDs a split INSERT's parts got, by shard group (each shard has its own stream): a
  // replica read in that group waits for its group's one too. Dropped when the group's next
  // write is read back.
  struct split_gtid {
    std::string group, gtid, seen_on;
  };
  std::vector<split_gtid> split_gtids_;
  // Statistics of the statement in flight.
  std::chrono::steady_clock::time_point started_;
  std::uint64_t digest_ = 0;
  std::string new_digest_text_;
  std::uint64_t relayed_bytes_ = 0;
  statement_record record_;  // handed to the driver by record_statement
  // A replica read that may be sent again if its connection fails before any answer.
  bool retryable_ = false;
  std::string resend_;
  protocol::bytes outgoing_;  // a packet weft built, alive until its action was performed
  std::vector<target> scatter_targets_;  // of the scatter in flight (the action views them)
  // The result cache: the key of the read in flight, whether its response is copied, a digest of
  // the replayed SETs (part of every key), and the tables written in the open transaction
  // (stale again when it ends: other sessions may have cached them before its COMMIT).
  std::string cache_key_;
  bool copy_response_ = false;
  std::uint64_t settings_digest_ = 0;
  written_tables transaction_writes_;
};

}  // namespace weft::session
