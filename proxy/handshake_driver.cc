#include "proxy/handshake_driver.h"

#include "proxy/packet_io.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
using kind = p::handshake_action;

bool finished(const p::handshake_action& action) { return action.what == kind::done || action.what == kind::failed; }

handshake_result lost(handshake_io where, const error_code& ec) {
  handshake_result result;
  result.end = handshake_end::lost;
  result.broken = where;
  result.error = ec;
  return result;
}

// tls_as_server or tls_as_client.
awaitable<error_code> start_tls(const p::handshake_action& action, stream& peer, io_buffer& in,
                                const handshake_options& options) {
  if (!options.tls) co_return make_error_code(boost::system::errc::operation_not_supported);
  if (action.what == kind::tls_as_server) {
    // A client may send its TLS hello right behind the SSLRequest: hand those bytes over.
    const auto early = in.readable();
    const auto ec = co_await peer.start_tls_server(*options.tls, asio::buffer(early.data(), early.size()));
    in.consume(early.size());
    co_return ec;
  }
  auto ec = co_await write_packet(peer, action.payload, action.sequence_id);  // the SSLRequest
  if (!ec) ec = co_await peer.start_tls_client(*options.tls, options.tls_host, options.tls_verify);
  co_return ec;
}

// done or failed: the packet the action carries, if any, is written; a failure is told first.
awaitable<handshake_result> finish(const p::handshake_action& action, stream& peer, const handshake_options& options) {
  handshake_result result;
  result.end = action.what == kind::done ? handshake_end::done : handshake_end::failed;
  if (result.end == handshake_end::failed && options.on_failed) options.on_failed(action);
  if (!action.payload.empty()) {
    const auto ec = co_await write_packet(peer, action.payload, action.sequence_id);
    if (ec) {
      result.broken = handshake_io::write;
      result.error = ec;
      // A login whose last packet did not go out is not done; a failure stays a failure.
      if (result.end == handshake_end::done) result.end = handshake_end::lost;
    }
  }
  result.last = action;
  co_return result;
}

}  // namespace

awaitable<handshake_result> run_handshake(p::handshake_machine& machine, p::handshake_action first, stream& peer,
                                          io_buffer& in, handshake_options options) {
  auto next = std::move(first);
  p::bytes last_packet;
  for (;;) {
    while (!finished(next)) {
      if (next.what == kind::tls_as_server || next.what == kind::tls_as_client) {
        const auto ec = co_await start_tls(next, peer, in, options);
        if (ec) co_return lost(handshake_io::tls, ec);
        next = machine.after_tls();
        continue;
      }
      if (next.what == kind::write_and_read) {
        const auto ec = co_await write_packet(peer, next.payload, next.sequence_id);
        if (ec) co_return lost(handshake_io::write, ec);
      }
      error_code ec;
      auto packet = co_await read_packet(peer, in, options.max_packet, ec);
      if (!packet) {
        if (options.answer_unreadable) co_await answer_unreadable_handshake(peer, ec);
        co_return lost(handshake_io::read, ec);
      }
      next = machine.on_packet(packet->payload, packet->sequence_id);
      last_packet = std::move(packet->payload);
    }
    if (next.what != kind::failed || !options.before_refusal) break;
    const bool fresher = co_await options.before_refusal(next);
    auto again = fresher ? machine.look_again() : std::nullopt;
    if (!again) break;
    next = std::move(*again);
  }
  auto result = co_await finish(next, peer, options);
  result.last_packet = std::move(last_packet);
  co_return result;
}

}  // namespace weft::proxy
