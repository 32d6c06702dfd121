// The driver's side of scatter-gather: one lane per target, each with a connection of its own
// (a session_backend::lane), sending the same command and reading its whole response on its own
// coroutine, so the round trips overlap. Lanes report on a channel in the order they end.
//
// The lanes' coroutines share the run with the driver: a session that ends mid-scatter abandons
// it (the lanes' connections are closed, so their reads end at once) and the coroutines finish
// without touching the session.
#pragma once

#include <boost/asio/experimental/channel.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "protocol/bytes.h"
#include "protocol/messages.h"
#include "protocol/response_tracker.h"
#include "proxy/asio.h"
#include "proxy/session_backend.h"
#include "session/action.h"
#include "session/stall_watch.h"

namespace weft::proxy {

struct scatter_lane {
  std::unique_ptr<session_backend> backend;
  std::string group;  // of the target (the machine's view of it dies with the scatter action)
  routing::target_role role = routing::target_role::primary;
  protocol::response_tracker tracker;
  protocol::bytes response;  // the whole response, frames as the server sent them
  session::outcome result = session::outcome::ok;
  std::optional<protocol::err_packet> refusal;  // no connection for this target
  bool running = false;  // holds a connection mid-exchange
  bool reused = false;   // runs on the last scatter's kept connection (never a new one)
  protocol::bytes payload;  // its own command (empty: the run's)
  // Streaming: `response` holds a piece the machine has not taken yet; the lane reads on once
  // resumed (a signal on `resume`).
  bool piece_ready = false;
  bool piece_taken = false;  // the machine has it: the lane reads on once wanted
  std::unique_ptr<asio::experimental::channel<void(error_code)>> resume;
  session::stall_watch watch;  // the worker's once-a-second look, as for the session's own connection
  std::string abort_reason;    // set when that look closed the lane's connection
};

struct scatter_request {
  std::span<const session::target> targets;
  protocol::bytes_view payload;                        // to every target...
  std::span<const protocol::bytes_view> payloads;      // ...or one per target
  std::size_t max_response_bytes = 0;
  bool keep_lanes = false;             // connections stay held after their answers
  class scatter_run* previous = nullptr;  // reuse its (kept) connections, lane by lane
  std::size_t piece_bytes = 0;         // streaming: a lane hands over what it read at this size
};

class scatter_run {
 public:
  using channel = asio::experimental::channel<void(error_code, std::size_t)>;
  scatter_run(asio::any_io_executor executor, std::size_t targets) : ended_(executor, targets) {}

  // Starts one lane per target (each a lane of `session`, or the previous run's lane).
  static std::shared_ptr<scatter_run> start(asio::any_io_executor executor, const session_backend& session,
                                            const scatter_request& request);
  // The index of the next lane to end, or (streaming) to hand over a piece (waits for it). First,
  // lanes whose pieces were taken read on if `wanted` (empty: all).
  awaitable<std::optional<std::size_t>> next_ended(std::span<const std::uint8_t> wanted = {});
  scatter_lane& lane(std::size_t i) { return lanes_[i]; }
  std::size_t size() const { return lanes_.size(); }
  bool all_gathered() const { return gathered_ == lanes_.size(); }
  // The session went away before gathering all: lanes mid-exchange close their connections.
  void abandon();
  // The watchdog's look at every lane (client_session::watch_backend): a lane waiting on a server
  // that stopped answering has its connection closed, and its answer says why (9013).
  void watch(const routing::topology& latest, std::chrono::milliseconds read_timeout);

 private:
  static awaitable<void> run_lane(std::shared_ptr<scatter_run> run, std::size_t i);
  awaitable<session::outcome> exchange(scatter_lane& lane, std::size_t i);
  awaitable<session::outcome> read_response(scatter_lane& lane, std::size_t i);
  awaitable<bool> hand_over_piece(scatter_lane& lane, std::size_t i);

  std::vector<scatter_lane> lanes_;
  protocol::bytes payload_;
  std::size_t max_response_bytes_ = 0;
  std::size_t piece_bytes_ = 0;

  bool keep_lanes_ = false;
  channel ended_;
  std::size_t gathered_ = 0;
  bool abandoned_ = false;
};

}  // namespace weft::proxy
