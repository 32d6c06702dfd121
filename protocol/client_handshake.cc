#include "protocol/client_handshake.h"

namespace weft::protocol {

client_handshake::action client_handshake::on_packet(bytes_view payload, std::uint8_t sequence_id) {
  next_seq_ = static_cast<std::uint8_t>(sequence_id + 1);
  if (!payload.empty() && payload[0] == err_header) {
    state_ = state::finished;
    auto err = decode_err_packet(payload);
    if (!err) return fail_with(er::backend_protocol, "malformed ERR packet from backend");
    return {action::failed, {}, 0, std::move(*err)};
  }
  switch (state_) {
    case state::await_greeting: return on_greeting(payload);
    case state::await_result: return on_auth_result(payload);
    case state::await_tls:
    case state::finished: break;
  }
  return fail_with(er::backend_protocol, "unexpected packet after login");
}

client_handshake::action client_handshake::on_greeting(bytes_view payload) {
  auto greeting = decode_handshake_v10(payload);
  if (!greeting) {
    return fail_with(er::backend_protocol,
                     "backend greeting not understood: " + greeting.error().message());
  }
  greeting_ = std::move(*greeting);
  caps_ = (login_.capabilities & greeting_.capabilities) & ~cap::ssl;
  if (!login_.database.empty()) caps_ |= cap::connect_with_db & greeting_.capabilities;
  if (login_.use_tls) {
    if (!(greeting_.capabilities & cap::ssl)) {
      return fail_with(er::backend_unreachable, "backend does not offer TLS, which weft is configured to require");
    }
    caps_ |= cap::ssl;
    state_ = state::await_tls;
    return {action::tls_as_client, encode_ssl_request(make_response()), next_seq_++, {}};
  }
  state_ = state::await_result;
  return {action::write_and_read, encode(make_response()), next_seq_, {}};
}

client_handshake::action client_handshake::after_tls() {
  if (state_ != state::await_tls) return fail_with(er::backend_protocol, "TLS started out of turn");
  state_ = state::await_result;
  return {action::write_and_read, encode(make_response()), next_seq_, {}};
}

client_handshake::action client_handshake::change_user(backend_login login) {
  login_ = std::move(login);
  state_ = state::await_result;
  next_seq_ = 0;
  auto request = make_response();
  if (login_.database.empty()) request.database.clear();
  return {action::write_and_read, encode_com_change_user(request, caps_), next_seq_, {}};
}

handshake_response41 client_handshake::make_response() const {
  handshake_response41 r;
  r.capabilities = caps_;
  r.max_packet_size = login_.max_packet_size;
  r.charset = login_.charset;
  r.username = login_.user;
  r.auth_response = token_for(greeting_.auth_plugin_data);
  r.database = login_.database;
  r.auth_plugin_name = std::string(native_password_plugin);
  r.attributes = login_.attributes;
  return r;
}

client_handshake::action client_handshake::on_auth_result(bytes_view payload) {
  const std::uint8_t header = payload.empty() ? 0xFF : payload[0];
  if (header == ok_header) {
    auto ok = decode_ok_packet(payload, caps_);
    if (!ok) return fail_with(er::backend_protocol, "malformed OK packet from backend");
    ok_ = std::move(*ok);
    state_ = state::finished;
    return {action::done, {}, next_seq_, {}};
  }
  if (header == eof_header) {
    auto sw = decode_auth_switch_request(payload);
    if (!sw) return fail_with(er::backend_protocol, "malformed AuthSwitchRequest from backend");
    if (sw->plugin_name != native_password_plugin) {
      return fail_with(er::backend_auth_unsupported,
                       "backend account '" + login_.user + "' uses authentication plugin '" +
                           sw->plugin_name +
                           "'; weft logs in to backends with mysql_native_password only");
    }
    return {action::write_and_read, token_for(sw->plugin_data), next_seq_, {}};
  }
  return fail_with(er::backend_auth_unsupported,
                   "backend asked for an authentication exchange weft does not support");
}

bytes client_handshake::token_for(bytes_view scramble) const {
  if (!login_.stage1) return {};
  return native_token_from_stage1(*login_.stage1, scramble);
}

client_handshake::action client_handshake::fail_with(error_spec spec, std::string message) {
  state_ = state::finished;
  return {action::failed, {}, 0, make_error(spec, std::move(message))};
}

}  // namespace weft::protocol
