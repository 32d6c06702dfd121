// The driver's longer exchanges: relaying a response (with LOAD DATA LOCAL INFILE inside it),
// COM_CHANGE_USER's handshake, and scatter-gather over lanes of their own (scatter_lanes.h).
#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "proxy/change_user.h"
#include "proxy/command_driver.h"
#include "proxy/packet_io.h"
#include "session/log_text.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
using session::event;
using session::outcome;

event with_bytes(event e, std::uint64_t relayed) {
  e.relayed_bytes = relayed;
  return e;
}

}  // namespace

// Reads from the backend when nothing is buffered, writes what belongs to the response, until
// the tracker sees its end.
awaitable<event> command_driver::relay(bool copy) {
  auto& backend = *backend_.current().link.connection;
  auto& in = backend_.current().in;
  auto& tracker = machine_.tracker();
  event relayed;
  if (copy) {
    response_copy_.clear();
    copy_overflowed_ = false;
  }
  for (;;) {
    if (in.empty()) {
      auto* dst = in.spare(16 * 1024);
      auto [ec, n] = co_await backend.read_some(asio::buffer(dst, in.spare_size()));
      if (ec) co_return with_bytes(backend_failure(ec, relayed.relayed_bytes > 0), relayed.relayed_bytes);
      in.commit(n);
    }
    const auto n = tracker.feed(in.readable());
    if (copy) copy_response(p::bytes_view(in.readable().data(), n));
    const auto ec = co_await client_.write_all(asio::buffer(in.readable().data(), n));
    relayed.relayed_bytes += n;
    if (ec) co_return with_bytes(event{.result = outcome::client_gone}, relayed.relayed_bytes);
    in.consume(n);
    if (tracker.done()) {
      if (in.empty()) co_return relayed;
      spdlog::warn("event=backend_extra_bytes backend={} bytes={}", backend_.name(), in.size());
      co_return with_bytes(event{.result = outcome::extra_bytes}, relayed.relayed_bytes);
    }
    if (tracker.wants_local_infile()) {
      // The file always comes from the client, never from weft's host: relay its packets.
      const bool sent = co_await forward_local_infile();
      if (!sent) co_return with_bytes(event{.result = outcome::client_gone}, relayed.relayed_bytes);
      tracker.resume_after_local_infile();
    }
  }
}

// LOAD DATA LOCAL INFILE: the client sends the file as packets, then an empty packet.
awaitable<bool> command_driver::forward_local_infile() {
  auto& backend = *backend_.current().link.connection;
  for (;;) {
    const bool more = co_await fill_client(1);
    if (!more) co_return false;
    p::packet_boundary boundary;
    for (;;) {
      const auto n = boundary.feed(client_in_.readable());
      const auto ec = co_await backend.write_all(asio::buffer(client_in_.readable().data(), n));
      if (ec) co_return false;
      client_in_.consume(n);
      if (boundary.complete()) break;
      const bool rest = co_await fill_client(1);
      if (!rest) co_return false;
    }
    if (boundary.payload_total() == 0) co_return true;
  }
}

// The exchange runs between the client and the held connection; the new login is remembered
// for connections opened later.
awaitable<event> command_driver::change_user() {
  error_code ec;
  auto request = co_await read_packet(client_, client_in_, context_.max_allowed_packet, ec);
  if (!request) co_return event{.result = outcome::client_gone};
  auto& held = backend_.current();
  change_user_parts parts{client_, client_in_, *held.link.connection, held.in, auth_.client, *held.link.login};
  const auto outcome_of_exchange = co_await run_change_user(parts, std::move(request->payload));
  if (outcome_of_exchange == change_user_outcome::broken) co_return event{.result = outcome::backend_failed};
  if (outcome_of_exchange != change_user_outcome::changed) co_return event{};
  const auto& now = auth_.client.client();
  auth_.user = now.username;
  p::backend_login login;
  login.user = now.username;
  if (!auth_.client.empty_password()) login.stage1 = auth_.client.stage1();
  login.database = now.database;
  login.capabilities = caps_ & ~p::cap::connect_with_db;
  login.charset = now.charset;
  login.attributes = now.attributes;
  backend_.user_changed(std::move(login));
  co_return event{.user_changed = true, .new_user = now.username, .new_schema = now.database};
}

}  // namespace weft::proxy

namespace weft::proxy {

session::event command_driver::scatter(const session::action& asked) {
  if (scatter_ && !scatter_->all_gathered()) scatter_->abandon();
  scatter_request request{asked.targets, asked.payload, asked.payloads, max_gathered_bytes, asked.keep_lanes};
  if (asked.stream_lanes) request.piece_bytes = streamed_piece_bytes;
  if (asked.reuse_lanes) request.previous = scatter_.get();
  scatter_ = scatter_run::start(client_.socket().get_executor(), backend_, request);
  return {};
}

awaitable<session::event> command_driver::gather(std::span<const std::uint8_t> lanes_wanted) {
  std::optional<std::size_t> ended;
  if (scatter_) ended = co_await scatter_->next_ended(lanes_wanted);
  if (!ended) co_return session::event{.result = session::outcome::refused};  // nothing left to gather
  auto& lane = scatter_->lane(*ended);
  session::event got{.result = lane.result,
                     .backend = std::span<std::uint8_t>(lane.response),
                     .target_index = static_cast<std::uint32_t>(*ended),
                     .piece = lane.piece_ready};
  if (lane.refusal) {
    held_text_.error = *lane.refusal;
    got.error = &held_text_.error;
  }
  co_return got;
}

}  // namespace weft::proxy
