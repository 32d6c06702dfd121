// Server side of the connection phase, as a resumable algorithm with no I/O: weft greets a
// client, checks its mysql_native_password token against weft's own user list (switching the
// client to that plugin when it offers another), and returns the next thing to write.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "protocol/auth.h"
#include "protocol/caching_sha2.h"
#include "protocol/handshake_action.h"
#include "protocol/messages.h"

namespace weft::protocol {

struct server_greeting_settings {
  std::string server_version;
  std::uint32_t connection_id = 0;
  std::uint64_t capabilities = 0;
  std::uint8_t charset = charset_utf8mb4_general_ci;
  std::uint16_t status_flags = status::autocommit;
  std::string client_host;  // named in "Access denied for user 'u'@'host'"
  std::string auth_plugin = std::string(native_password_plugin);  // offered in the greeting
};

// What caching_sha2_password needs; without it, clients are switched to mysql_native_password.
struct sha2_support {
  sha2_cache* cache = nullptr;
  const rsa_key* rsa = nullptr;  // for full authentication without TLS
};

struct user_credentials {
  native_password_hash password;
  bool require_tls = false;
  // Refused once the password was right: ACCOUNT LOCK (4151), an expired password (1862; weft
  // has no sandbox mode for clients that could change it).
  bool locked = false;
  bool password_expired = false;
};

class server_handshake final : public handshake_machine {
 public:
  // Returns the account's credentials, or nullopt when the user is unknown.
  using user_lookup = std::function<std::optional<user_credentials>(std::string_view user)>;

  // Its actions: write_and_read (AuthSwitchRequest, AuthMoreData), tls_as_server (after an
  // SSLRequest), done (the payload: caching_sha2's "fast auth success" before the final OK, or
  // empty; the OK itself is the caller's), failed (the payload: the ERR for the client).
  using action = handshake_action;

  server_handshake(server_greeting_settings settings, user_lookup lookup, bytes scramble,
                   sha2_support sha2 = {});

  // The first packet to send (sequence id 0).
  bytes greeting() const;
  // The login starts with the greeting, then reads the client's answer.
  action start() const { return {action::write_and_read, greeting(), 0, {}}; }
  // Feed each packet the client sends until the action is done or failed.
  action on_packet(bytes_view payload, std::uint8_t sequence_id) override;
  // After TLS, the full response follows, encrypted.
  action after_tls() override { return {action::read, {}, next_seq_, {}}; }
  // A login refused as unknown user or wrong password (1045), checked once more against what
  // the lookup answers now (an account created or changed a moment ago). Once per login.
  std::optional<action> look_again() override;
  // COM_CHANGE_USER re-runs authentication on an open session (same scramble): start it with
  // the decoded request, then feed further packets (an auth switch answer) as above.
  action on_change_user(handshake_response41 request);

  // Valid once authenticated:
  const handshake_response41& client() const { return response_; }
  std::uint64_t negotiated_capabilities() const { return response_.capabilities & settings_.capabilities; }
  const sha1_digest& stage1() const { return stage1_; }
  bool empty_password() const { return empty_password_; }
  bool tls() const { return tls_; }
  // How the client proved itself: native, sha2_fast, sha2_full_tls or sha2_full_rsa.
  std::string_view auth_method() const { return auth_method_; }
  // Sequence id for the OK (or ERR) weft sends to finish the connection phase.
  std::uint8_t next_sequence_id() const { return next_seq_; }

 private:
  action on_response(bytes_view payload);
  action start_auth(handshake_response41 response);
  action verify(bytes_view token);
  action sha2_start(bytes_view token);
  action sha2_full_auth(bytes_view payload);
  action verify_clear_password(std::string_view password);
  action verify_password_proof(const sha2_cache_entry& proof, bool empty);
  std::optional<action> refused_after_password(const user_credentials& c);
  action authenticated_with(const sha1_digest& stage1, bool empty_password, bytes first_packet);
  action reject_with(error_spec spec, std::string message);
  action deny(bytes_view token, std::string_view step);
  action access_denied(bool password_given);


  enum class state {
    await_response,
    await_switch_response,
    await_sha2_full_auth,  // after "perform full authentication": a password (TLS) or 0x02
    await_sha2_rsa,        // after sending the public key: the encrypted password
    finished,
  } state_ = state::await_response;
  server_greeting_settings settings_;
  user_lookup lookup_;
  bytes scramble_;
  sha2_support sha2_;
  handshake_response41 response_;
  sha1_digest stage1_{};
  bool empty_password_ = false;
  bool tls_ = false;
  std::string_view auth_method_ = "native";
  std::uint8_t next_seq_ = 1;
  // The step a 1045 came from ("native", "sha2", "clear") and the client's answer, for look_again().
  std::string_view denied_step_;
  bytes denied_token_;
  std::optional<std::pair<sha2_cache_entry, bool>> denied_proof_;  // "clear": the proof and emptiness
  std::uint8_t denied_seq_ = 0;
  bool looked_again_ = false;
};

}  // namespace weft::protocol
