// The command phase of a session: each client command is forwarded to the backend as raw
// frames, and the backend's response is streamed back as raw bytes until the response tracker
// sees its end. Nothing is copied beyond the two session buffers; the client's pace throttles
// the backend (we read the next chunk only after the previous one was written).
#pragma once

#include <cstdint>
#include <string>

#include "protocol/messages.h"
#include "protocol/client_handshake.h"
#include "protocol/response_tracker.h"
#include "protocol/server_handshake.h"
#include "proxy/asio.h"
#include "proxy/io_buffer.h"
#include "proxy/stream.h"

namespace weft::proxy {

struct forwarder_limits {
  std::size_t max_allowed_packet = 64u << 20;
};

// The two logins of the session, needed to re-authenticate on COM_CHANGE_USER.
struct session_auth {
  protocol::server_handshake& client;
  protocol::client_handshake& backend;
  std::string& user;  // the session's current user, updated by COM_CHANGE_USER
};

class command_forwarder {
 public:
  command_forwarder(stream& client, io_buffer& client_in, stream& backend, std::uint64_t capabilities,
                    forwarder_limits limits, std::string backend_name, session_auth auth);

  // Runs until the client quits or disconnects, or either side fails.
  awaitable<void> run();

  std::uint64_t commands() const { return commands_; }

 private:
  enum class step { next, stop };
  awaitable<step> forward_one();
  awaitable<bool> fill_client(std::size_t at_least);
  awaitable<step> send_command_to_backend();
  awaitable<step> relay_response();
  awaitable<step> refuse_command(std::uint8_t cmd);
  awaitable<step> change_user();
  awaitable<step> forward_local_infile();
  awaitable<void> fail_client(const protocol::err_packet& err, std::uint8_t sequence_id);

  stream& client_;
  io_buffer& client_in_;
  stream& backend_;
  io_buffer backend_in_{64 * 1024};
  std::uint64_t caps_;
  forwarder_limits limits_;
  std::string backend_name_;
  session_auth auth_;
  protocol::response_tracker tracker_;
  std::uint64_t commands_ = 0;
};

}  // namespace weft::proxy
