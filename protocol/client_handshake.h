// Client side of the connection phase (weft logging in to a backend), as a resumable algorithm
// with no I/O. It authenticates with mysql_native_password from stage1 = SHA1(password), which
// weft learned when the application logged in, so no clear-text password is ever needed.
#pragma once

#include <optional>
#include <string>

#include "protocol/auth.h"
#include "protocol/handshake_action.h"
#include "protocol/messages.h"

namespace weft::protocol {

struct backend_login {
  std::string user;
  std::optional<sha1_digest> stage1;  // nullopt: an account without password
  std::string database;
  std::uint64_t capabilities = 0;  // what we would like; the server's greeting narrows it
  std::uint8_t charset = charset_utf8mb4_general_ci;
  std::uint32_t max_packet_size = 1u << 30;
  std::vector<std::pair<std::string, std::string>> attributes;
  bool use_tls = false;  // send an SSLRequest and switch to TLS before logging in
  // Written before anything else on a new connection (protocol/proxy_header.h); empty: none.
  std::string proxy_header;
  // The client address the header names ("" without one): part of what makes a pooled
  // connection interchangeable, as the server's choice of account depends on it.
  std::string proxy_client;
};

class client_handshake final : public handshake_machine {
 public:
  // Its actions: read (the greeting), write_and_read (the login, an auth switch answer),
  // tls_as_client (the payload: an SSLRequest), done, failed (the error: the server's ERR, or
  // weft's own explanation; nothing is written to the server).
  using action = handshake_action;

  explicit client_handshake(backend_login login) : login_(std::move(login)) {}

  // The login starts by reading the server's greeting.
  static action start() { return {action::read, {}, 0, {}}; }
  action on_packet(bytes_view payload, std::uint8_t sequence_id) override;
  action after_tls() override;
  // COM_CHANGE_USER on the logged-in backend connection: returns the command to write; feed the
  // server's answers to on_packet as for a login.
  action change_user(backend_login login);

  const handshake_v10& greeting() const { return greeting_; }
  std::uint64_t negotiated_capabilities() const { return caps_; }
  const ok_packet& final_ok() const { return ok_; }

 private:
  action on_greeting(bytes_view payload);
  action on_auth_result(bytes_view payload);
  bytes token_for(bytes_view scramble) const;
  handshake_response41 make_response() const;
  action fail_with(error_spec spec, std::string message);

  enum class state { await_greeting, await_tls, await_result, finished } state_ = state::await_greeting;
  backend_login login_;
  handshake_v10 greeting_;
  std::uint64_t caps_ = 0;
  ok_packet ok_;
  std::uint8_t next_seq_ = 0;
};

}  // namespace weft::protocol
