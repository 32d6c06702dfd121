// Whole-packet reads and writes over a socket, for the connection phase where messages are
// decoded (the command phase forwards raw bytes instead, see command_driver).
#pragma once

#include <optional>

#include "protocol/frame.h"
#include "protocol/messages.h"
#include "proxy/asio.h"
#include "proxy/io_buffer.h"
#include "proxy/stream.h"

namespace weft::proxy {

// Reads one logical packet; nullopt with ec set on I/O error, EOF or a framing error.
awaitable<std::optional<protocol::packet>> read_packet(stream& socket, io_buffer& buffer,
                                                       std::size_t max_payload, error_code& ec);

awaitable<error_code> write_packet(stream& socket, protocol::bytes_view payload,
                                   std::uint8_t sequence_id);

awaitable<error_code> write_error(stream& socket, const protocol::err_packet& err,
                                  std::uint8_t sequence_id);

// A login packet read_packet refused as oversized or out of order gets 1043 Bad handshake (both
// ports answer it so); other read failures (EOF, reset, timeout) get nothing.
awaitable<void> answer_unreadable_handshake(stream& socket, const error_code& read_error);

}  // namespace weft::proxy
