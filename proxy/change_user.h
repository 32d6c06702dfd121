// COM_CHANGE_USER on an open session: weft verifies the new credentials against its own user
// list first (the backend is not touched when they are wrong), then re-logs the backend
// connection in as that user, answering any auth switch from stage 1.
#pragma once

#include "protocol/client_handshake.h"
#include "protocol/frame.h"
#include "protocol/server_handshake.h"
#include "proxy/io_buffer.h"
#include "proxy/stream.h"

namespace weft::proxy {

struct change_user_parts {
  stream& client;
  io_buffer& client_in;
  stream& backend;
  io_buffer& backend_in;
  protocol::server_handshake& client_auth;   // the session's login, same scramble
  protocol::client_handshake& backend_auth;  // the backend connection's login
};

enum class change_user_outcome {
  changed,   // the session now runs as the new user
  refused,   // ERR sent, the session goes on as before
  broken,    // ERR sent if possible; the session must end
};

awaitable<change_user_outcome> run_change_user(change_user_parts& parts, protocol::bytes request);

}  // namespace weft::proxy
