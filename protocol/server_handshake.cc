#include "protocol/server_handshake.h"

#include <openssl/crypto.h>

#include "protocol/client_charset.h"

namespace weft::protocol {

namespace {
// caching_sha2_password's AuthMoreData statuses.
constexpr std::uint8_t more_data = 0x01;
constexpr std::uint8_t fast_auth_success = 0x03;
constexpr std::uint8_t perform_full_authentication = 0x04;
constexpr std::uint8_t request_public_key = 0x02;
}  // namespace

server_handshake::server_handshake(server_greeting_settings settings, user_lookup lookup,
                                   bytes scramble, sha2_support sha2)
    : settings_(std::move(settings)), lookup_(std::move(lookup)), scramble_(std::move(scramble)), sha2_(sha2) {}

bytes server_handshake::greeting() const {
  handshake_v10 g;
  g.server_version = settings_.server_version;
  g.connection_id = settings_.connection_id;
  g.auth_plugin_data = scramble_;
  g.capabilities = settings_.capabilities;
  g.charset = settings_.charset;
  g.status_flags = settings_.status_flags;
  g.auth_plugin_name = settings_.auth_plugin;
  return encode(g);
}

server_handshake::action server_handshake::on_packet(bytes_view payload, std::uint8_t sequence_id) {
  // Each client packet answers weft's last one: its id is the one after (MariaDB: 1156).
  if (state_ != state::finished && sequence_id != next_seq_) {
    return reject_with(er::net_packets_out_of_order, "Got packets out of order");
  }
  next_seq_ = static_cast<std::uint8_t>(sequence_id + 1);
  switch (state_) {
    case state::await_response:
      return on_response(payload);
    case state::await_switch_response:
      return verify(payload);
    case state::await_sha2_full_auth:
      return sha2_full_auth(payload);
    case state::await_sha2_rsa: {
      auto password = sha2_.rsa ? sha2_.rsa->decrypt_password(payload, scramble_) : std::nullopt;
      if (!password) return access_denied(true);
      return verify_clear_password(*password);
    }
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
    return {action::tls_as_server, {}, next_seq_, {}};
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
  denied_step_ = {};
  looked_again_ = false;
  const auto& plugin = response_.auth_plugin_name;
  if (plugin == caching_sha2_plugin && sha2_.cache && (response_.capabilities & cap::plugin_auth)) {
    return sha2_start(response_.auth_response);
  }
  const bool native = plugin.empty() || plugin == native_password_plugin;
  if (native || !(response_.capabilities & cap::plugin_auth)) return verify(response_.auth_response);
  // The client offered another plugin (caching_sha2_password, client_ed25519, ...): ask it to
  // answer our scramble with mysql_native_password instead.
  state_ = state::await_switch_response;
  auth_switch_request sw{std::string(native_password_plugin), scramble_};
  sw.plugin_data.push_back(0);
  return {action::write_and_read, encode(sw), next_seq_++, {}};
}

server_handshake::action server_handshake::verify(bytes_view token) {
  state_ = state::finished;
  auto credentials = lookup_(response_.username);
  std::optional<sha1_digest> stage1;
  if (credentials) stage1 = verify_native_token(credentials->password, token, scramble_);
  if (!stage1) return deny(token, "native");
  // An account that requires TLS is refused over plain TCP with the same message as a bad
  // password, as the server does.
  if (credentials->require_tls && !tls_) return deny(token, {});
  if (auto refused = refused_after_password(*credentials)) return *refused;
  return authenticated_with(*stage1, credentials->password.empty_password, {});
}

// 1045 as the server words it; `step` names what look_again() may check again ("" = nothing).
server_handshake::action server_handshake::deny(bytes_view token, std::string_view step) {
  denied_step_ = step;
  denied_token_.assign(token.begin(), token.end());
  denied_seq_ = next_seq_;
  return access_denied(!token.empty());
}

// 1045, worded as the server words it.
server_handshake::action server_handshake::access_denied(bool password_given) {
  return reject_with(er::access_denied, "Access denied for user '" + response_.username + "'@'" +
                                            settings_.client_host + "' (using password: " +
                                            (password_given ? "YES" : "NO") + ")");
}

std::optional<server_handshake::action> server_handshake::look_again() {
  if (denied_step_.empty() || looked_again_) return std::nullopt;
  looked_again_ = true;
  next_seq_ = denied_seq_;
  const auto token = std::move(denied_token_);
  if (denied_step_ == "sha2") return sha2_start(token);
  if (denied_step_ == "clear" && denied_proof_) return verify_password_proof(denied_proof_->first, denied_proof_->second);
  return verify(token);
}

std::optional<server_handshake::action> server_handshake::refused_after_password(const user_credentials& c) {
  if (c.locked) return reject_with(er::account_locked, "Access denied, this account is locked");
  if (c.password_expired) {
    return reject_with(er::must_change_password_login, "Your password has expired. To log in you must change it "
                                                       "using a client that supports expired passwords.");
  }
  return std::nullopt;
}

server_handshake::action server_handshake::authenticated_with(const sha1_digest& stage1, bool empty_password,
                                                              bytes first_packet) {
  // Checked after the password, as the server does, and before any backend sees the login
  // (backends count refused handshakes against weft's host: max_connect_errors).
  if (const auto refused = charset_refused_for_clients(response_.charset)) {
    return reject_with(er::wrong_value_for_var,
                       "Variable 'character_set_client' can't be set to the value of '" + std::string(*refused) + "'");
  }
  state_ = state::finished;
  stage1_ = stage1;
  empty_password_ = empty_password;
  const auto seq = next_seq_;
  if (!first_packet.empty()) ++next_seq_;  // the OK follows that packet
  return {action::done, std::move(first_packet), seq, {}};
}

server_handshake::action server_handshake::sha2_start(bytes_view token) {
  auto credentials = lookup_(response_.username);
  if (!credentials) return deny(token, "sha2");
  if (credentials->require_tls && !tls_) return deny(token, {});
  if (token.empty()) {
    if (!credentials->password.empty_password) return deny(token, "sha2");
    return authenticated_with(sha1_digest{}, true, {});
  }
  auto cached = sha2_.cache->find(response_.username);
  // Learned from a password the account no longer has: as if nothing were cached.
  if (cached && CRYPTO_memcmp(cached->stage2.data(), credentials->password.stage2.data(), cached->stage2.size()) != 0) {
    cached.reset();
  }
  if (cached) {
    if (!verify_caching_sha2_token(cached->double_hash, token, scramble_)) return deny(token, "sha2");
    if (auto refused = refused_after_password(*credentials)) return *refused;
    auth_method_ = "sha2_fast";
    return authenticated_with(cached->stage1, false, bytes{more_data, fast_auth_success});
  }
  // Nothing cached: the client must send the password itself (over TLS, or RSA-encrypted).
  state_ = state::await_sha2_full_auth;
  return {action::write_and_read, bytes{more_data, perform_full_authentication}, next_seq_++, {}};
}

server_handshake::action server_handshake::sha2_full_auth(bytes_view payload) {
  if (tls_) {
    std::string password(as_chars(payload));
    if (!password.empty() && password.back() == '\0') password.pop_back();
    return verify_clear_password(password);
  }
  if (payload.size() == 1 && payload[0] == request_public_key && sha2_.rsa) {
    state_ = state::await_sha2_rsa;
    bytes key{more_data};
    byte_writer(key).raw(sha2_.rsa->public_pem());
    return {action::write_and_read, std::move(key), next_seq_++, {}};
  }
  return access_denied(true);
}

server_handshake::action server_handshake::verify_clear_password(std::string_view password) {
  // Only what the password proves is kept (for look_again), never the password.
  return verify_password_proof(sha2_entry_for(password), password.empty());
}

server_handshake::action server_handshake::verify_password_proof(const sha2_cache_entry& proof, bool empty) {
  const auto& user = response_.username;
  auto credentials = lookup_(user);
  const bool match = credentials && empty == credentials->password.empty_password &&
                     (empty || CRYPTO_memcmp(proof.stage2.data(), credentials->password.stage2.data(),
                                             proof.stage2.size()) == 0);
  if (!match || (credentials->require_tls && !tls_)) {
    if (!match) denied_proof_.emplace(proof, empty);
    denied_step_ = match ? "" : "clear";
    denied_seq_ = next_seq_;
    return access_denied(true);
  }
  if (auto refused = refused_after_password(*credentials)) return *refused;
  if (!empty) sha2_.cache->store(user, proof);
  auth_method_ = tls_ ? "sha2_full_tls" : "sha2_full_rsa";
  return authenticated_with(empty ? sha1_digest{} : proof.stage1, empty, {});
}

server_handshake::action server_handshake::reject_with(error_spec spec, std::string message) {
  state_ = state::finished;
  return {action::failed, encode(make_error(spec, std::move(message))), next_seq_, {}};
}

}  // namespace weft::protocol
