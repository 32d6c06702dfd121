// Server side of the connection phase, as a resumable algorithm with no I/O: weft greets a
// client, checks its mysql_native_password token against weft's own user list (switching the
// client to that plugin when it offers another), and returns the next thing to write.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "protocol/auth.h"
#include "protocol/messages.h"

namespace weft::protocol {

struct server_greeting_settings {
  std::string server_version;
  std::uint32_t connection_id = 0;
  std::uint64_t capabilities = 0;
  std::uint8_t charset = charset_utf8mb4_general_ci;
  std::uint16_t status_flags = status::autocommit;
  std::string client_host;  // named in "Access denied for user 'u'@'host'"
};

struct user_credentials {
  native_password_hash password;
  bool require_tls = false;
};

class server_handshake {
 public:
  // Returns the account's credentials, or nullopt when the user is unknown.
  using user_lookup = std::function<std::optional<user_credentials>(std::string_view user)>;

  struct action {
    // start_tls: the client sent an SSLRequest; do the TLS handshake, then keep reading.
    enum kind { write_and_read, start_tls, authenticated, reject } what;
    bytes payload;           // AuthSwitchRequest or ERR; empty when authenticated
    std::uint8_t sequence_id = 0;
  };

  server_handshake(server_greeting_settings settings, user_lookup lookup, bytes scramble);

  // The first packet to send (sequence id 0).
  bytes greeting() const;
  // Feed each packet the client sends until the action is authenticated or reject.
  action on_client_packet(bytes_view payload, std::uint8_t sequence_id);
  // COM_CHANGE_USER re-runs authentication on an open session (same scramble): start it with
  // the decoded request, then feed further packets (an auth switch answer) as above.
  action on_change_user(handshake_response41 request);

  // Valid once authenticated:
  const handshake_response41& client() const { return response_; }
  std::uint64_t negotiated_capabilities() const { return response_.capabilities & settings_.capabilities; }
  const sha1_digest& stage1() const { return stage1_; }
  bool empty_password() const { return empty_password_; }
  bool tls() const { return tls_; }
  // Sequence id for the OK (or ERR) weft sends to finish the connection phase.
  std::uint8_t next_sequence_id() const { return next_seq_; }

 private:
  action on_response(bytes_view payload);
  action start_auth(handshake_response41 response);
  action verify(bytes_view token);
  action reject_with(error_spec spec, std::string message);

  enum class state { await_response, await_switch_response, finished } state_ = state::await_response;
  server_greeting_settings settings_;
  user_lookup lookup_;
  bytes scramble_;
  handshake_response41 response_;
  sha1_digest stage1_{};
  bool empty_password_ = false;
  bool tls_ = false;
  std::uint8_t next_seq_ = 1;
};

}  // namespace weft::protocol
