#include "proxy/change_user.h"

#include <spdlog/spdlog.h>

#include "proxy/backend_connector.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
constexpr std::size_t max_auth_packet = 1 << 20;

// Client side: verify the new user (maybe through an auth switch). Returns the final action.
awaitable<p::server_handshake::action> verify_client(change_user_parts& parts, p::handshake_response41 request) {
  auto step = parts.client_auth.on_change_user(std::move(request));
  while (step.what == p::server_handshake::action::write_and_read) {
    const auto werr = co_await write_packet(parts.client, step.payload, step.sequence_id);
    if (werr) co_return p::server_handshake::action{p::server_handshake::action::reject, {}, 0};
    error_code ec;
    auto packet = co_await read_packet(parts.client, parts.client_in, max_auth_packet, ec);
    if (!packet) co_return p::server_handshake::action{p::server_handshake::action::reject, {}, 0};
    step = parts.client_auth.on_client_packet(packet->payload, packet->sequence_id);
  }
  co_return step;
}

// Backend side: COM_CHANGE_USER as the new user; returns the backend's final OK or ERR payload.
awaitable<std::optional<p::bytes>> relogin_backend(change_user_parts& parts) {
  const auto& client = parts.client_auth.client();
  p::backend_login login;
  login.user = client.username;
  if (!parts.client_auth.empty_password()) login.stage1 = parts.client_auth.stage1();
  login.database = client.database;
  login.charset = client.charset;
  login.attributes = backend_attributes(client.attributes);  // the server takes them anew, as at login
  auto step = parts.backend_auth.change_user(std::move(login));
  for (;;) {
    if (step.what == p::client_handshake::action::fail) co_return encode(step.error);
    if (step.what != p::client_handshake::action::write_and_read) co_return std::nullopt;
    const auto werr = co_await write_packet(parts.backend, step.payload, step.sequence_id);
    if (werr) co_return std::nullopt;
    error_code ec;
    auto packet = co_await read_packet(parts.backend, parts.backend_in, max_auth_packet, ec);
    if (!packet) co_return std::nullopt;
    step = parts.backend_auth.on_server_packet(packet->payload, packet->sequence_id);
    if (step.what == p::client_handshake::action::done) co_return std::move(packet->payload);
  }
}

}  // namespace

awaitable<change_user_outcome> run_change_user(change_user_parts& parts, p::bytes request) {
  auto decoded = p::decode_com_change_user(request, parts.client_auth.negotiated_capabilities());
  if (!decoded) {
    co_await write_error(parts.client, p::make_error(p::er::handshake_error, "Bad handshake"), 1);
    co_return change_user_outcome::broken;
  }
  const auto verified = co_await verify_client(parts, std::move(*decoded));
  if (verified.what == p::server_handshake::action::reject) {
    if (!verified.payload.empty()) co_await write_packet(parts.client, verified.payload, verified.sequence_id);
    co_return verified.payload.empty() ? change_user_outcome::broken : change_user_outcome::refused;
  }
  const auto seq = parts.client_auth.next_sequence_id();
  auto answer = co_await relogin_backend(parts);
  if (!answer) {
    co_await write_error(parts.client, p::make_error(p::er::backend_lost, "weft: lost the backend during COM_CHANGE_USER"), seq);
    co_return change_user_outcome::broken;
  }
  const auto werr = co_await write_packet(parts.client, *answer, seq);
  if (werr) co_return change_user_outcome::broken;
  // A backend that refused the new user is in an unknown state: end the session cleanly.
  co_return (!answer->empty() && (*answer)[0] == p::ok_header) ? change_user_outcome::changed
                                                                 : change_user_outcome::broken;
}

}  // namespace weft::proxy
