#include "proxy/packet_io.h"

#include <boost/asio/read.hpp>

#include "protocol/errors.h"

namespace weft::proxy {

namespace {
// Bytes of the first logical packet in buf, or 0 if it is not complete yet.
std::size_t complete_packet_size(protocol::bytes_view buf, std::size_t max_payload, bool& too_large) {
  std::size_t pos = 0, total = 0;
  for (;;) {
    if (buf.size() - pos < protocol::frame_header_size) return 0;
    const auto h = protocol::decode_frame_header(buf.data() + pos);
    total += h.payload_length;
    if (total > max_payload) {
      too_large = true;
      return 0;
    }
    if (buf.size() - pos - protocol::frame_header_size < h.payload_length) return 0;
    pos += protocol::frame_header_size + h.payload_length;
    if (h.payload_length < protocol::max_frame_payload) return pos;
  }
}
}  // namespace

awaitable<std::optional<protocol::packet>> read_packet(stream& socket, io_buffer& buffer,
                                                       std::size_t max_payload, error_code& ec) {
  for (;;) {
    bool too_large = false;
    const auto n = complete_packet_size(buffer.readable(), max_payload, too_large);
    if (too_large) {
      ec = make_error_code(boost::system::errc::message_size);
      co_return std::nullopt;
    }
    if (n > 0) {
      protocol::frame_reader reader(max_payload);
      reader.feed(buffer.readable().first(n));
      std::error_code perr;
      auto p = reader.next(perr);
      buffer.consume(n);
      if (!p) {
        ec = make_error_code(boost::system::errc::protocol_error);
        co_return std::nullopt;
      }
      co_return p;
    }
    // Whatever room the buffer has (a small one keeps idle sessions small); 4 KiB more when full.
    auto* dst = buffer.spare(buffer.size() < buffer.capacity() ? 1 : 4096);
    auto [err, got] = co_await socket.read_some(asio::buffer(dst, buffer.spare_size()));
    if (err) {
      ec = err;
      co_return std::nullopt;
    }
    buffer.commit(got);
  }
}

awaitable<error_code> write_packet(stream& socket, protocol::bytes_view payload,
                                   std::uint8_t sequence_id) {
  if (sequence_id == 0) socket.start_command();  // weft as a client: a new command
  const auto frame = protocol::encode_packet(payload, sequence_id);
  const auto err = co_await socket.write_all(asio::buffer(frame));
  co_return err;
}

awaitable<error_code> write_error(stream& socket, const protocol::err_packet& err,
                                  std::uint8_t sequence_id) {
  const auto ec = co_await write_packet(socket, protocol::encode(err), sequence_id);
  co_return ec;
}

awaitable<void> answer_unreadable_handshake(stream& socket, const error_code& read_error) {
  if (read_error != boost::system::errc::message_size && read_error != boost::system::errc::protocol_error) co_return;
  const auto bad = protocol::make_error(protocol::er::handshake_error, "Bad handshake");
  co_await write_error(socket, bad, 2);
}

}  // namespace weft::proxy
