#include "proxy/scatter_lanes.h"

#include <spdlog/spdlog.h>

#include "proxy/packet_io.h"

namespace weft::proxy {

namespace p = protocol;
using session::outcome;

std::shared_ptr<scatter_run> scatter_run::start(asio::any_io_executor executor, const session_backend& session,
                                                std::span<const session::target> targets, p::bytes_view payload,
                                                std::size_t max_response_bytes) {
  auto run = std::make_shared<scatter_run>(executor, targets.size());
  run->payload_.assign(payload.begin(), payload.end());
  run->max_response_bytes_ = max_response_bytes;
  run->lanes_.resize(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto& lane = run->lanes_[i];
    lane.backend = session.lane();
    lane.group = std::string(targets[i].group);
    lane.role = targets[i].role;
  }
  for (std::size_t i = 0; i < targets.size(); ++i) asio::co_spawn(executor, run_lane(run, i), asio::detached);
  return run;
}

awaitable<void> scatter_run::run_lane(std::shared_ptr<scatter_run> run, std::size_t i) {
  auto& lane = run->lanes_[i];
  auto refusal = co_await lane.backend->acquire({lane.role, lane.group});
  if (refusal) {
    lane.result = outcome::refused;
    lane.refusal = std::move(refusal);
  } else if (run->abandoned_) {
    lane.backend->drop();
    lane.result = outcome::backend_failed;
  } else {
    lane.running = true;
    lane.result = co_await run->exchange(lane);
    lane.running = false;
  }
  run->ended_.try_send(error_code{}, i);
}

// Sends the command, reads the whole response; the connection goes back to the pool only when
// it ended cleanly (anything else leaves unknown bytes or state on it: closed).
awaitable<outcome> scatter_run::exchange(scatter_lane& lane) {
  auto& held = lane.backend->current();
  held.link.connection->start_command();
  const auto ec = co_await write_packet(*held.link.connection, payload_, 0);
  outcome result = outcome::backend_failed;
  if (!ec) {
    lane.tracker.start(payload_.empty() ? 0 : payload_[0], held.link.capabilities);
    result = co_await read_response(lane);
  }
  if (result == outcome::ok && held.in.empty()) {
    lane.backend->give_back(false);
  } else {
    if (result == outcome::ok) result = outcome::extra_bytes;
    lane.backend->drop();
  }
  co_return result;
}

awaitable<outcome> scatter_run::read_response(scatter_lane& lane) {
  auto& held = lane.backend->current();
  while (!lane.tracker.done()) {
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

awaitable<std::optional<std::size_t>> scatter_run::next_ended() {
  if (all_gathered()) co_return std::nullopt;
  auto [ec, i] = co_await ended_.async_receive(use_nothrow);
  if (ec) co_return std::nullopt;
  ++gathered_;
  co_return i;
}

void scatter_run::abandon() {
  abandoned_ = true;
  for (auto& lane : lanes_) {
    if (lane.running) lane.backend->current().link.connection->close();
  }
}

}  // namespace weft::proxy
