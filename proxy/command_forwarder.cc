#include "proxy/command_forwarder.h"

#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "protocol/messages.h"
#include "proxy/change_user.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
namespace {

namespace p = protocol;

// Commands a transparent hop cannot pass through as-is yet.
bool refused(std::uint8_t cmd) {
  switch (static_cast<p::command>(cmd)) {
    case p::command::binlog_dump:       // replication streams are not proxied
    case p::command::binlog_dump_gtid:
    case p::command::register_slave:
    case p::command::table_dump:
    case p::command::connect_out:
    case p::command::connect:
    case p::command::daemon:
    case p::command::delayed_insert:
    case p::command::time:
    case p::command::sleep:
      return true;
    default:
      return false;
  }
}

}  // namespace

command_forwarder::command_forwarder(stream& client, io_buffer& client_in, stream& backend,
                                     std::uint64_t capabilities, forwarder_limits limits,
                                     std::string backend_name, session_auth auth)
    : client_(client),
      client_in_(client_in),
      backend_(backend),
      caps_(capabilities),
      limits_(limits),
      backend_name_(std::move(backend_name)),
      auth_(auth) {}

awaitable<void> command_forwarder::run() {
  // (g++ 12 miscompiles some co_await inside conditions: results go to variables first.)
  for (;;) {
    const step next = co_await forward_one();
    if (next == step::stop) co_return;
  }
}

awaitable<bool> command_forwarder::fill_client(std::size_t at_least) {
  while (client_in_.size() < at_least) {
    auto* dst = client_in_.spare(at_least - client_in_.size());
    auto [ec, n] = co_await client_.read_some(asio::buffer(dst, client_in_.spare_size()));
    if (ec) co_return false;
    client_in_.commit(n);
  }
  co_return true;
}

awaitable<command_forwarder::step> command_forwarder::forward_one() {
  const bool have_header = co_await fill_client(p::frame_header_size);
  if (!have_header) co_return step::stop;  // client went away
  const auto header = p::decode_frame_header(client_in_.readable().data());
  if (header.sequence_id != 0) {
    co_await fail_client(p::make_error(p::er::net_packets_out_of_order, "Got packets out of order"), 1);
    co_return step::stop;
  }
  if (header.payload_length == 0) {
    co_await fail_client(p::make_error(p::er::unknown_com, "Malformed packet: empty command"), 1);
    co_return step::stop;
  }
  if (header.payload_length > limits_.max_allowed_packet) {
    co_await fail_client(p::make_error(p::er::net_packet_too_large,
                                       "Got a packet bigger than 'max_allowed_packet' bytes"), 1);
    co_return step::stop;
  }
  const bool have_command = co_await fill_client(p::frame_header_size + 1);
  if (!have_command) co_return step::stop;
  const std::uint8_t cmd = client_in_.readable()[p::frame_header_size];
  ++commands_;
  if (cmd == static_cast<std::uint8_t>(p::command::change_user)) {
    const step after = co_await change_user();
    co_return after;
  }
  if (refused(cmd)) {
    const step after = co_await refuse_command(cmd);
    co_return after;
  }
  tracker_.start(cmd, caps_);
  const step sent = co_await send_command_to_backend();
  if (sent == step::stop) co_return step::stop;
  if (cmd == static_cast<std::uint8_t>(p::command::quit)) co_return step::stop;
  if (!p::command_has_response(cmd)) co_return step::next;
  const step relayed = co_await relay_response();
  co_return relayed;
}

// Streams the client's command (one logical packet, any number of frames) to the backend.
awaitable<command_forwarder::step> command_forwarder::send_command_to_backend() {
  p::packet_boundary boundary;
  for (;;) {
    const auto n = boundary.feed(client_in_.readable());
    if (boundary.payload_total() > limits_.max_allowed_packet) {
      co_await fail_client(p::make_error(p::er::net_packet_too_large,
                                         "Got a packet bigger than 'max_allowed_packet' bytes"), 1);
      co_return step::stop;
    }
    if (n > 0) {
      const auto ec = co_await backend_.write_all(asio::buffer(client_in_.readable().data(), n));
      if (ec) {
        co_await fail_client(p::make_error(p::er::backend_lost, "weft: lost connection to backend " +
                                                                    backend_name_ + ": " + ec.message()), 1);
        co_return step::stop;
      }
      client_in_.consume(n);
    }
    if (boundary.complete()) co_return step::next;
    const bool more = co_await fill_client(1);
    if (!more) co_return step::stop;
  }
}

awaitable<command_forwarder::step> command_forwarder::relay_response() {
  bool sent_any = false;
  for (;;) {
    if (backend_in_.empty()) {
      auto* dst = backend_in_.spare(16 * 1024);
      auto [ec, n] = co_await backend_.read_some(asio::buffer(dst, backend_in_.spare_size()));
      if (ec) {
        if (!sent_any) {
          co_await fail_client(p::make_error(p::er::backend_lost, "weft: lost connection to backend " +
                                                                      backend_name_ + ": " + ec.message()), 1);
        }
        co_return step::stop;
      }
      backend_in_.commit(n);
    }
    const auto n = tracker_.feed(backend_in_.readable());
    const auto ec = co_await client_.write_all(asio::buffer(backend_in_.readable().data(), n));
    if (ec) co_return step::stop;
    sent_any = true;
    backend_in_.consume(n);
    if (tracker_.done()) {
      if (!backend_in_.empty()) {
        spdlog::warn("event=backend_extra_bytes backend={} bytes={}", backend_name_, backend_in_.size());
        co_return step::stop;
      }
      co_return step::next;
    }
    if (tracker_.wants_local_infile()) {
      // The file always comes from the client, never from weft's host: relay its packets.
      const step sent = co_await forward_local_infile();
      if (sent == step::stop) co_return step::stop;
      tracker_.resume_after_local_infile();
    }
  }
}

// LOAD DATA LOCAL INFILE: the client sends the file as packets, then an empty packet.
awaitable<command_forwarder::step> command_forwarder::forward_local_infile() {
  for (;;) {
    const bool more = co_await fill_client(1);
    if (!more) co_return step::stop;
    p::packet_boundary boundary;
    for (;;) {
      const auto n = boundary.feed(client_in_.readable());
      const auto ec = co_await backend_.write_all(asio::buffer(client_in_.readable().data(), n));
      if (ec) co_return step::stop;
      client_in_.consume(n);
      if (boundary.complete()) break;
      const bool rest = co_await fill_client(1);
      if (!rest) co_return step::stop;
    }
    if (boundary.payload_total() == 0) co_return step::next;
  }
}

awaitable<command_forwarder::step> command_forwarder::change_user() {
  error_code ec;
  auto request = co_await read_packet(client_, client_in_, limits_.max_allowed_packet, ec);
  if (!request) co_return step::stop;
  change_user_parts parts{client_, client_in_, backend_, backend_in_, auth_.client, auth_.backend};
  const auto outcome = co_await run_change_user(parts, std::move(request->payload));
  if (outcome == change_user_outcome::changed) {
    spdlog::info("event=change_user from={} to={}", auth_.user, auth_.client.client().username);
    auth_.user = auth_.client.client().username;
  }
  co_return outcome == change_user_outcome::broken ? step::stop : step::next;
}

awaitable<command_forwarder::step> command_forwarder::refuse_command(std::uint8_t cmd) {
  // Drop the command's bytes, then answer like a server that lacks the feature.
  p::packet_boundary boundary;
  for (;;) {
    client_in_.consume(boundary.feed(client_in_.readable()));
    if (boundary.complete()) break;
    const bool more = co_await fill_client(1);
    if (!more) co_return step::stop;
  }
  auto err = p::make_error(p::er::not_supported_yet, "This version of weft doesn't yet support '" +
                                                         std::string(p::command_name(cmd)) + "'");
  const auto write_failed = co_await write_error(client_, err, 1);
  if (write_failed) co_return step::stop;
  co_return step::next;
}

awaitable<void> command_forwarder::fail_client(const p::err_packet& err, std::uint8_t sequence_id) {
  spdlog::debug("event=session_error code={} message=\"{}\"", err.error_code, err.message);
  co_await write_error(client_, err, sequence_id);
}

}  // namespace weft::proxy
