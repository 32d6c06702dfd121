#include "proxy/change_user.h"

#include <spdlog/spdlog.h>

#include "proxy/backend_connector.h"
#include "proxy/handshake_driver.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
constexpr std::size_t max_auth_packet = 1 << 20;

// Client side: verify the new user (maybe through an auth switch); a refusal's ERR is written.
awaitable<handshake_result> verify_client(change_user_parts& parts, p::handshake_response41 request) {
  auto first = parts.client_auth.on_change_user(std::move(request));
  handshake_options options;
  options.max_packet = max_auth_packet;
  auto result = co_await run_handshake(parts.client_auth, std::move(first), parts.client, parts.client_in,
                                       std::move(options));
  co_return result;
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
  auto first = parts.backend_auth.change_user(std::move(login));
  handshake_options options;
  options.max_packet = max_auth_packet;
  auto result = co_await run_handshake(parts.backend_auth, std::move(first), parts.backend, parts.backend_in,
                                       std::move(options));
  if (result.end == handshake_end::failed) co_return encode(result.last.error);
  if (result.end != handshake_end::done) co_return std::nullopt;
  co_return std::move(result.last_packet);
}

}  // namespace

awaitable<change_user_outcome> run_change_user(change_user_parts& parts, p::bytes request) {
  auto decoded = p::decode_com_change_user(request, parts.client_auth.negotiated_capabilities());
  if (!decoded) {
    co_await write_error(parts.client, p::make_error(p::er::handshake_error, "Bad handshake"), 1);
    co_return change_user_outcome::broken;
  }
  const auto verified = co_await verify_client(parts, std::move(*decoded));
  // A refusal was answered (the session goes on); a lost client ends it.
  if (verified.end == handshake_end::failed) co_return change_user_outcome::refused;
  if (verified.end != handshake_end::done) co_return change_user_outcome::broken;
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
