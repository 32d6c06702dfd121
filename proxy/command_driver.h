// The one driver of a session's command phase: it runs session::machine and performs each action
// it hands out with the client's socket, the held backend connection and the pool. Decisions live
// in the machine; this file only moves bytes. Responses stream from backend to client as raw
// bytes (the tracker finds where they end): nothing is copied beyond the session and connection
// buffers, and the client's pace throttles the backend.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/server_handshake.h"
#include "proxy/asio.h"
#include "proxy/io_buffer.h"
#include "proxy/scatter_lanes.h"
#include "proxy/session_backend.h"
#include "proxy/stream.h"
#include "proxy/worker_routing.h"
#include "session/machine.h"

namespace weft::proxy {

// The client's login, needed to re-authenticate on COM_CHANGE_USER.
struct session_auth {
  protocol::server_handshake& client;
  std::string& user;  // the session's current user, updated by COM_CHANGE_USER
};

struct driver_context {
  worker_routing& routing;
  std::string_view client_address;
  session::activity& activity;
  std::size_t max_allowed_packet;
};

class command_driver final : public session::surroundings {
 public:
  command_driver(stream& client, io_buffer& client_in, session_backend& backend, std::uint64_t capabilities,
                 session_auth auth, driver_context context);
  ~command_driver() override;
  command_driver(const command_driver&) = delete;
  command_driver& operator=(const command_driver&) = delete;

  // Bytes of one target's response a scatter keeps at most (beyond: that target fails).
  static constexpr std::size_t max_gathered_bytes = 64u << 20;
  static constexpr std::size_t streamed_piece_bytes = 64u << 10;  // a streamed lane's hand-over size

  // Runs until the client quits or disconnects, or the session cannot go on, or it parks.
  awaitable<void> run();
  // Parking (client_session::park_if_idle): true while run() waits for the first bytes of the
  // client's next command; stop_waiting_for_command() before cancelling that read makes run()
  // return with parked() true, and the next run() takes the same wait up again.
  bool waits_for_command() const { return waiting_for_command_; }
  void stop_waiting_for_command() { park_requested_ = true; }
  bool parked() const { return parked_; }
  std::uint64_t commands() const { return machine_.commands(); }
  // The watchdog's look at the last scatter's lanes (their connections are not the session's).
  void watch_lanes(const routing::topology& latest, std::chrono::milliseconds read_timeout) {
    if (scatter_) scatter_->watch(latest, read_timeout);
  }

  // session::surroundings
  const routing::topology& topology() override { return backend_.topology(); }
  const std::vector<routing::query_rule>& rules() override;
  const sharding::catalog& shards() override;
  std::optional<bool> read_your_writes_of(std::string_view user) override;
  session::planner_cache& planner() override;
  bool knows_digest(std::uint64_t digest) override { return context_.routing.stats.knows(digest); }
  bool pool_has_spare_room() override { return backend_.pool_has_spare_room(); }
  bool routes_to_held(const session::target& next) override;
  std::chrono::steady_clock::time_point now() override { return std::chrono::steady_clock::now(); }
  bool stopping() override { return context_.routing.draining; }
  session::frame_pool& frames() override { return context_.routing.frames; }
  bool result_cache_on() override { return context_.routing.cache && context_.routing.cache->enabled(); }

 private:
  bool perform_now(const session::action& next, session::event& answer);
  awaitable<session::event> perform_rare(const session::action& next);
  session::event held_event();
  void perform_local(const session::action& next);
  session::event client_bytes(bool ok);
  awaitable<bool> fill_client(std::size_t at_least);
  awaitable<bool> fill_backend(std::size_t at_least);
  awaitable<bool> skip_command();
  awaitable<session::event> acquire(const session::target& where);
  awaitable<session::event> send_command();
  awaitable<session::event> send_packet(protocol::bytes_view payload);
  awaitable<session::event> read_backend(std::size_t at_least);
  awaitable<session::event> relay(bool copy);
  // The result cache (command_driver_cache.cc).
  awaitable<session::event> answer_from_cache(std::string_view key);
  void store_in_cache(const session::action& asked);
  void copy_response(protocol::bytes_view piece);
  awaitable<bool> forward_local_infile();
  awaitable<session::event> run_internal(std::string_view sql);
  awaitable<session::event> prepare_internal(std::string_view sql);
  awaitable<session::event> reply(protocol::bytes_view payload, std::uint8_t sequence_id);
  awaitable<session::event> change_user();
  session::event scatter(const session::action& asked);
  awaitable<session::event> gather(std::span<const std::uint8_t> lanes_wanted);
  void record(const session::statement_record& record);
  session::event backend_failure(const error_code& ec, bool response_started);

  stream& client_;
  io_buffer& client_in_;
  session_backend& backend_;
  std::uint64_t caps_;
  session_auth auth_;
  driver_context context_;
  session::machine machine_;
  std::shared_ptr<scatter_run> scatter_;  // the last scatter (its responses are the events' views)
  bool started_ = false;
  bool waiting_for_command_ = false;
  bool park_requested_ = false;
  bool parked_ = false;
  // A cached read that missed: its response as relayed (dropped past the cache's entry bound),
  // and the cache's generation when the read began.
  protocol::bytes response_copy_;
  bool copy_overflowed_ = false;
  std::uint64_t read_generation_ = 0;
  // What the last event's views point at (alive until the machine's next action).
  struct event_text {
    std::string failure, abort_reason, value;
    protocol::err_packet error;
  } held_text_;
};

}  // namespace weft::proxy
