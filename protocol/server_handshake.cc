#include "protocol/server_handshake.h"

namespace weft::protocol {

server_handshake::server_handshake(server_greeting_settings settings, user_lookup lookup,
                                   bytes scramble)
    : settings_(std::move(settings)), lookup_(std::move(lookup)), scramble_(std::move(scramble)) {}

bytes server_handshake::greeting() const {
  handshake_v10 g;
  g.server_version = settings_.server_version;
  g.connection_id = settings_.connection_id;
  g.auth_plugin_data = scramble_;
  g.capabilities = settings_.capabilities;
  g.charset = settings_.charset;
  g.status_flags = settings_.status_flags;
  g.auth_plugin_name = std::string(native_password_plugin);
  return encode(g);
}

server_handshake::action server_handshake::on_client_packet(bytes_view payload,
                                                            std::uint8_t sequence_id) {
  next_seq_ = static_cast<std::uint8_t>(sequence_id + 1);
  switch (state_) {
    case state::await_response:
      return on_response(payload);
    case state::await_switch_response:
      return verify(payload);
    case state::finished:
      break;
  }
  return reject_with(er::handshake_error, "Bad handshake");
}

server_handshake::action server_handshake::on_response(bytes_view payload) {
  if (is_ssl_request(payload)) {
    const bool asks_tls = payload.size() > 1 && (payload[1] & (cap::ssl >> 8));
    if (!asks_tls || !(settings_.capabilities & cap::ssl) || tls_) {
      return reject_with(er::handshake_error, "Bad handshake: TLS is not enabled on this listener");
    }
    tls_ = true;  // the full response follows, encrypted, with the next sequence id
    return {action::start_tls, {}, next_seq_};
  }
  auto decoded = decode_handshake_response41(payload);
  if (!decoded) return reject_with(er::handshake_error, "Bad handshake");
  return start_auth(std::move(*decoded));
}

server_handshake::action server_handshake::on_change_user(handshake_response41 request) {
  next_seq_ = 1;  // the command was sequence 0
  state_ = state::await_response;
  const auto caps = response_.capabilities;  // the session keeps its capabilities
  request.capabilities = caps;
  return start_auth(std::move(request));
}

server_handshake::action server_handshake::start_auth(handshake_response41 response) {
  response_ = std::move(response);
  const auto& plugin = response_.auth_plugin_name;
  const bool native = plugin.empty() || plugin == native_password_plugin;
  if (native || !(response_.capabilities & cap::plugin_auth)) return verify(response_.auth_response);
  // The client offered another plugin (caching_sha2_password, client_ed25519, ...): ask it to
  // answer our scramble with mysql_native_password instead.
  state_ = state::await_switch_response;
  auth_switch_request sw{std::string(native_password_plugin), scramble_};
  sw.plugin_data.push_back(0);
  return {action::write_and_read, encode(sw), next_seq_++};
}

server_handshake::action server_handshake::verify(bytes_view token) {
  state_ = state::finished;
  const auto& user = response_.username;
  auto credentials = lookup_(user);
  std::optional<sha1_digest> stage1;
  if (credentials) stage1 = verify_native_token(credentials->password, token, scramble_);
  // An account that requires TLS is refused over plain TCP with the same message as a bad
  // password, as the server does.
  if (!stage1 || (credentials->require_tls && !tls_)) {
    return reject_with(er::access_denied, "Access denied for user '" + user + "'@'" +
                                              settings_.client_host + "' (using password: " +
                                              (token.empty() ? "NO" : "YES") + ")");
  }
  stage1_ = *stage1;
  empty_password_ = credentials->password.empty_password;
  return {action::authenticated, {}, next_seq_};
}

server_handshake::action server_handshake::reject_with(error_spec spec, std::string message) {
  state_ = state::finished;
  return {action::reject, encode(make_error(spec, std::move(message))), next_seq_};
}

}  // namespace weft::protocol
