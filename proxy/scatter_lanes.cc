#include "proxy/scatter_lanes.h"

#include <spdlog/spdlog.h>

#include "protocol/errors.h"
#include "proxy/packet_io.h"
#include "session/log_text.h"

namespace weft::proxy {

namespace p = protocol;
using session::outcome;

std::shared_ptr<scatter_run> scatter_run::start(asio::any_io_executor executor, const session_backend& session,
                                                const scatter_request& request) {
  const auto& targets = request.targets;
  auto run = std::make_shared<scatter_run>(executor, targets.size());
  run->payload_.assign(request.payload.begin(), request.payload.end());
  run->max_response_bytes_ = request.max_response_bytes;
  run->piece_bytes_ = request.piece_bytes;
  run->keep_lanes_ = request.keep_lanes;
  run->lanes_.resize(targets.size());
  auto* previous = request.previous;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto& lane = run->lanes_[i];
    lane.reused = previous != nullptr;
    if (previous && i < previous->lanes_.size() && previous->lanes_[i].backend) {
      lane.backend = std::move(previous->lanes_[i].backend);
    } else {
      lane.backend = session.lane();
    }
    lane.group = std::string(targets[i].group);
    lane.role = targets[i].role;
    if (i < request.payloads.size()) lane.payload.assign(request.payloads[i].begin(), request.payloads[i].end());
    if (run->piece_bytes_) lane.resume = std::make_unique<asio::experimental::channel<void(error_code)>>(executor, 1);
  }
  for (std::size_t i = 0; i < targets.size(); ++i) asio::co_spawn(executor, run_lane(run, i), asio::detached);
  return run;
}

awaitable<void> scatter_run::run_lane(std::shared_ptr<scatter_run> run, std::size_t i) {
  auto& lane = run->lanes_[i];
  std::optional<p::err_packet> refusal;
  if (lane.reused && !lane.backend->held()) {
    // Its connection (and the transaction on it) is gone: another would not hold that work.
    refusal = p::make_error(p::er::backend_lost, "weft: the connection to group '" + lane.group + "' was lost");
  } else {
    refusal = co_await lane.backend->acquire({lane.role, lane.group});
    lane.abort_reason.clear();  // a close under the acquire's own reset: it took another connection
  }
  if (refusal) {
    lane.result = outcome::refused;
    lane.refusal = std::move(refusal);
  } else if (run->abandoned_) {
    lane.backend->drop();
    lane.result = outcome::backend_failed;
  } else {
    lane.running = true;
    lane.result = co_await run->exchange(lane, i);
    lane.running = false;
    if (lane.result == outcome::backend_failed && !lane.abort_reason.empty()) {
      lane.refusal = p::make_error(p::er::backend_timeout,
                                   lane.abort_reason + "; the statement may or may not have run there");
    }
  }
  run->ended_.try_send(error_code{}, i);
}

// Sends the command, reads the whole response; the connection goes back to the pool only when
// it ended cleanly (anything else leaves unknown bytes or state on it: closed), or stays with the
// lane when the run keeps its lanes.
awaitable<outcome> scatter_run::exchange(scatter_lane& lane, std::size_t i) {
  auto& held = lane.backend->current();
  const auto& payload = lane.payload.empty() ? payload_ : lane.payload;
  held.link.connection->start_command();
  const auto ec = co_await write_packet(*held.link.connection, payload, 0);
  outcome result = outcome::backend_failed;
  if (!ec) {
    lane.tracker.start(payload.empty() ? 0 : payload[0], held.link.capabilities);
    result = co_await read_response(lane, i);
  }
  if (result == outcome::ok && held.in.empty()) {
    if (!keep_lanes_) lane.backend->give_back(false);
  } else {
    if (result == outcome::ok) result = outcome::extra_bytes;
    lane.backend->drop();
  }
  co_return result;
}

awaitable<outcome> scatter_run::read_response(scatter_lane& lane, std::size_t i) {
  auto& held = lane.backend->current();
  while (!lane.tracker.done()) {
    if (piece_bytes_ && lane.response.size() >= piece_bytes_ && !co_await hand_over_piece(lane, i)) {
      co_return outcome::backend_failed;
    }
    if (held.in.empty()) {
      auto* dst = held.in.spare(16 * 1024);
      auto [ec, n] = co_await held.link.connection->read_some(asio::buffer(dst, held.in.spare_size()));
      if (ec || abandoned_) co_return outcome::backend_failed;
      held.in.commit(n);
    }
    const auto n = lane.tracker.feed(held.in.readable());
    if (lane.response.size() + n > max_response_bytes_) co_return outcome::too_large;
    const auto bytes = held.in.readable().first(n);
    lane.response.insert(lane.response.end(), bytes.begin(), bytes.end());
    held.in.consume(n);
    // A scattered command never carries a client's file: LOAD DATA LOCAL is not answered.
    if (lane.tracker.wants_local_infile()) co_return outcome::backend_failed;
  }
  co_return outcome::ok;
}

// Streaming: what the lane read so far goes to the machine; the lane waits until it was taken
// (the machine's next gather), so a lane is never more than a piece ahead of the client. False:
// the run was abandoned meanwhile.
awaitable<bool> scatter_run::hand_over_piece(scatter_lane& lane, std::size_t i) {
  lane.piece_ready = true;
  ended_.try_send(error_code{}, i);
  co_await lane.resume->async_receive(use_nothrow);
  lane.piece_ready = false;
  lane.response.clear();
  co_return !abandoned_;
}

awaitable<std::optional<std::size_t>> scatter_run::next_ended(std::span<const std::uint8_t> wanted) {
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    auto& lane = lanes_[i];
    if (!lane.piece_taken || (i < wanted.size() && !wanted[i])) continue;
    lane.piece_taken = false;
    lane.resume->try_send(error_code{});
  }
  if (all_gathered()) co_return std::nullopt;
  auto [ec, i] = co_await ended_.async_receive(use_nothrow);
  if (ec) co_return std::nullopt;
  if (lanes_[i].piece_ready) {
    lanes_[i].piece_taken = true;
  } else {
    ++gathered_;
  }
  co_return i;
}

void scatter_run::watch(const routing::topology& latest, std::chrono::milliseconds read_timeout) {
  for (auto& lane : lanes_) {
    auto reason = lane.backend->stalled(lane.watch, latest, read_timeout);
    if (!reason) continue;
    spdlog::warn("event=backend_wait_aborted backend={} group={} reason={}", lane.backend->name(), session::quoted{lane.group},
                 session::quoted{*reason});
    lane.abort_reason = "weft: backend " + lane.backend->name() + " " + *reason;
    lane.backend->current().link.connection->close();
  }
}

void scatter_run::abandon() {
  abandoned_ = true;
  for (auto& lane : lanes_) {
    if (lane.running) lane.backend->current().link.connection->close();
    if (lane.resume) lane.resume->try_send(error_code{});  // a lane waiting with a piece ends
  }
}

}  // namespace weft::proxy
