// The one driver of the connection phase: it runs a handshake algorithm (protocol::
// server_handshake or client_handshake, see protocol/handshake_action.h) over a stream to its
// end, performing each action it asks for: reads (up to a maximum packet size), writes, the TLS
// upgrade. Decisions stay in the algorithm; what a caller does around a login (its deadline, its
// logs, the final OK) stays at the call site. Used by the client login, the admin login, the
// backend login and both sides of COM_CHANGE_USER.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "protocol/handshake_action.h"
#include "proxy/asio.h"
#include "proxy/io_buffer.h"
#include "proxy/stream.h"

namespace weft::proxy {

struct handshake_options {
  std::size_t max_packet = 1 << 20;
  // For tls_as_server: weft's listener context; for tls_as_client: the backend context, the
  // host named in the certificate check and whether to check it. Null: TLS cannot start.
  asio::ssl::context* tls = nullptr;
  std::string tls_host;
  bool tls_verify = true;
  // A login port: a packet refused as oversized or garbled gets 1043 "Bad handshake" before the
  // connection ends, as the server answers it.
  bool answer_unreadable = false;
  // Told of a failed action before its ERR is written (a client that hangs up at once still
  // counts as a failed login).
  std::function<void(const protocol::handshake_action&)> on_failed;
  // Asked before a failure is final: true when what the machine checked may have changed since
  // (a fresher account list), so the machine looks at the same answer again (once).
  std::function<awaitable<bool>(const protocol::handshake_action&)> before_refusal;
};

// How the exchange ended.
enum class handshake_end : std::uint8_t {
  done,    // the algorithm finished well (its done packet, if any, written)
  failed,  // the algorithm refused or failed (its ERR, if any, written, or tried)
  lost,    // a read, a write or the TLS handshake failed first (the deadline closes the stream)
};

// Which operation broke the exchange (lost) or the writing of a final packet.
enum class handshake_io : std::uint8_t { none, read, write, tls };

struct handshake_result {
  handshake_end end = handshake_end::lost;
  protocol::handshake_action last;  // done, failed: the algorithm's final action
  protocol::bytes last_packet;      // the last packet read (a backend's final OK, as received)
  handshake_io broken = handshake_io::none;  // tls also covers the SSLRequest written before it
  error_code error;
};

// Performs `first`, then whatever the machine answers, until it is done or failed.
awaitable<handshake_result> run_handshake(protocol::handshake_machine& machine, protocol::handshake_action first,
                                          stream& peer, io_buffer& in, handshake_options options);

}  // namespace weft::proxy
