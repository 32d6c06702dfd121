// weft's server side of the login (protocol/server_handshake.h) fed any client packets: the
// HandshakeResponse41, an SSLRequest, the answer to an auth switch, caching_sha2_password's
// exchanges (fast path, full authentication over "TLS" or RSA), and a COM_CHANGE_USER after login.
//
// Input: [options][scramble: 20][client packets as wire frames]. Options, bit by bit: the
// listener offers TLS; the greeting offers caching_sha2_password; sha2 support (a cache); an
// RSA key; the cache already knows every account; a COM_CHANGE_USER follows a login.
// Checks: no input logs in without the account's password: a success names a known account and
// yields SHA1(its password) (or marks the empty one), an account that requires TLS only
// succeeds after the SSLRequest, and never with a character set no client may use (1231
// instead, only for those); every answer is one of the packets the protocol allows there (an
// ERR with 1043/1045, an AuthSwitchRequest to mysql_native_password carrying the scramble,
// AuthMoreData) with the next sequence id; a packet out of sequence gets 1156 with the id weft
// expected; TLS starts only where offered, once.
#include <optional>
#include <string_view>

#include "fuzz_input.h"
#include "protocol/client_charset.h"
#include "protocol/server_handshake.h"
#include "wire_packets.h"

namespace {
using namespace weft;
using namespace weft::protocol;

struct account {
  std::string_view name;
  std::string_view password;
  bool require_tls;
};
constexpr account accounts[] = {{"app", "app-secret", false}, {"root", "", false}, {"secure", "tls-secret", true}};

const account* find_account(std::string_view name) {
  for (const auto& a : accounts) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::optional<user_credentials> lookup(std::string_view user) {
  const auto* a = find_account(user);
  if (!a) return std::nullopt;
  return user_credentials{native_password_hash::from_password(a->password), a->require_tls};
}

// Generating a 2048-bit key takes a while: one for the whole run.
const rsa_key& shared_rsa_key() {
  static const rsa_key key = rsa_key::generate();
  return key;
}

struct options {
  bool tls, offer_sha2, sha2, rsa, cache_filled, change_user, look_again;
};

struct connection {
  sha2_cache cache;
  std::optional<server_handshake> handshake;
  bool tls_started = false;
  std::uint8_t expected_seq = 1;  // the client's next sequence id (the greeting was 0)
  bool logged_in = false;
  bool changed_user = false;
};

void check_authenticated(const server_handshake& hs) {
  const auto* a = find_account(hs.client().username);
  FUZZ_EXPECT(a != nullptr);
  if (a->password.empty()) {
    FUZZ_EXPECT(hs.empty_password());
  } else {
    FUZZ_EXPECT(!hs.empty_password());
    FUZZ_EXPECT(hs.stage1() == sha1(as_bytes(a->password)));
  }
  if (a->require_tls) FUZZ_EXPECT(hs.tls());
  FUZZ_EXPECT(!charset_refused_for_clients(hs.client().charset));
}

void check_rejected(const handshake_action& act, error_spec expected, std::uint8_t seq) {
  FUZZ_EXPECT(act.what == handshake_action::failed && act.sequence_id == seq);
  auto err = decode_err_packet(act.payload);
  FUZZ_EXPECT(err.has_value() && err->error_code == expected.code);
}

void check_write(const handshake_action& act, bytes_view scramble) {
  FUZZ_EXPECT(!act.payload.empty());
  if (act.payload[0] == 0x01) return;  // AuthMoreData (caching_sha2_password)
  auto sw = decode_auth_switch_request(act.payload);
  FUZZ_EXPECT(sw.has_value());
  FUZZ_EXPECT(sw->plugin_name == native_password_plugin);
  FUZZ_EXPECT(sw->plugin_data.size() == scramble.size() + 1);
  FUZZ_EXPECT(std::equal(scramble.begin(), scramble.end(), sw->plugin_data.begin()));
}

void check_action(connection& c, const handshake_action& act, std::uint8_t expected_seq,
                  const options& opt, bytes_view scramble) {
  using kind = handshake_action;
  FUZZ_EXPECT(act.sequence_id == expected_seq);
  switch (act.what) {
    case kind::failed: {
      auto err = decode_err_packet(act.payload);
      FUZZ_EXPECT(err.has_value());
      const auto code = err->error_code;
      FUZZ_EXPECT(code == er::access_denied.code || code == er::handshake_error.code ||
                  code == er::wrong_value_for_var.code);
      // 1231 only for a character set no client may use, after its password was right.
      if (code == er::wrong_value_for_var.code) FUZZ_EXPECT(charset_refused_for_clients(c.handshake->client().charset));
      break;
    }
    case kind::tls_as_server:
      FUZZ_EXPECT(opt.tls && !c.tls_started);
      c.tls_started = true;
      // After TLS the driver reads the full response, with the id the SSLRequest's answer would have had.
      FUZZ_EXPECT(c.handshake->after_tls().what == kind::read && c.handshake->after_tls().sequence_id == act.sequence_id);
      break;
    case kind::write_and_read:
      check_write(act, scramble);
      break;
    case kind::done:
      check_authenticated(*c.handshake);
      break;
    case kind::read:           // weft's side always answers a packet...
    case kind::tls_as_client:  // ...and is never the TLS client
      FUZZ_EXPECT(false);
  }
}

options options_from(std::uint8_t bits) {
  return {bool(bits & 1),  bool(bits & 2),  bool(bits & 4), bool(bits & 8),
          bool(bits & 16), bool(bits & 32), bool(bits & 64)};
}

server_handshake make_handshake(connection& c, const options& opt, bytes_view scramble) {
  server_greeting_settings settings;
  settings.server_version = "5.5.5-10.11.19-MariaDB-weft";
  settings.capabilities = cap::protocol_41 | cap::secure_connection | cap::plugin_auth | cap::connect_with_db |
                          cap::connect_attrs | cap::plugin_auth_lenenc_data | cap::deprecate_eof |
                          (opt.tls ? cap::ssl : 0);
  settings.client_host = "10.0.0.1";
  if (opt.offer_sha2) settings.auth_plugin = std::string(caching_sha2_plugin);
  sha2_support sha2;
  if (opt.sha2) sha2.cache = &c.cache;
  if (opt.rsa) sha2.rsa = &shared_rsa_key();
  if (opt.cache_filled) {
    for (const auto& a : accounts) c.cache.store(std::string(a.name), sha2_entry_for(a.password));
  }
  return server_handshake(settings, lookup, bytes(scramble.begin(), scramble.end()), sha2);
}

// The sequence id the client's next packet must carry after weft's answer.
std::uint8_t next_client_seq(const handshake_action& act, std::uint8_t current) {
  if (act.what == handshake_action::write_and_read) return static_cast<std::uint8_t>(act.sequence_id + 1);
  if (act.what == handshake_action::tls_as_server) return act.sequence_id;  // weft wrote nothing
  return current;
}

// Feeds one client packet as the proxy would; false once the connection is over.
bool feed(connection& c, const options& opt, bytes_view scramble, protocol::packet& packet) {
  using kind = handshake_action;
  auto& hs = *c.handshake;
  handshake_action act;
  if (c.logged_in) {
    // A logged-in session may go on with one COM_CHANGE_USER, decoded as the proxy does.
    if (!opt.change_user || c.changed_user) return false;
    c.changed_user = true;
    auto request = decode_com_change_user(packet.payload, hs.negotiated_capabilities());
    if (!request) return false;  // the proxy answers "Bad handshake" and closes
    act = hs.on_change_user(std::move(*request));
    check_action(c, act, 1, opt, scramble);
  } else {
    act = hs.on_packet(packet.payload, packet.sequence_id);
    if (packet.sequence_id != c.expected_seq) {  // as MariaDB: 1156, with the id weft expected
      check_rejected(act, er::net_packets_out_of_order, c.expected_seq);
      return false;
    }
    check_action(c, act, static_cast<std::uint8_t>(packet.sequence_id + 1), opt, scramble);
  }
  if (act.what == kind::failed) {
    // Looked at again against the same user list, a refusal stays the same refusal; and only once.
    if (opt.look_again) {
      if (auto again = hs.look_again()) {
        FUZZ_EXPECT(again->what == kind::failed && again->payload == act.payload &&
                    again->sequence_id == act.sequence_id);
        FUZZ_EXPECT(!hs.look_again());
      }
    }
    return false;
  }
  c.expected_seq = next_client_seq(act, c.expected_seq);
  c.logged_in = act.what == kind::done || (c.logged_in && act.what != kind::write_and_read);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const auto opt = options_from(in.u8());
  bytes scramble(20, 'x');
  const auto given = in.take(20);
  std::copy(given.begin(), given.end(), scramble.begin());
  connection c;
  c.handshake.emplace(make_handshake(c, opt, scramble));
  FUZZ_EXPECT(decode_handshake_v10(c.handshake->greeting()).has_value());
  for (auto& packet : fuzz::packets_of(in.rest())) {
    if (!feed(c, opt, scramble, packet)) break;
  }
  return 0;
}
