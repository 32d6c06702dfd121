// weft logging in to a backend (protocol/client_handshake.h) fed any server packets: greeting,
// AuthSwitchRequest, OK, ERR, in any order, then a COM_CHANGE_USER on the logged-in connection.
//
// Input: [options][login capabilities: 4][server packets as wire frames]. Options, bit by bit:
// TLS required; the login has a password (stage1); a database; a COM_CHANGE_USER follows.
// Checks: what weft writes is a HandshakeResponse41 (or its SSLRequest head, or a
// COM_CHANGE_USER) that decodes to this login's user, database and native plugin, or a 20-byte
// native token; the negotiated capabilities never include one the server did not offer, nor
// one weft did not ask for (TLS when required, the database flag when one is given); TLS starts
// only when required and offered; a failure carries an ERR that encodes.
#include "fuzz_input.h"
#include "protocol/client_handshake.h"
#include "wire_packets.h"

namespace {
using namespace weft;
using namespace weft::protocol;

backend_login login_from(std::uint8_t bits, std::uint32_t caps) {
  backend_login login;
  login.user = "app";
  if (bits & 2) login.stage1 = sha1(as_bytes(std::string_view("app-secret")));
  if (bits & 4) login.database = "sbtest";
  login.capabilities = caps | cap::protocol_41;
  login.attributes = {{"_client_name", "weft"}};
  login.use_tls = bits & 1;
  return login;
}

void check_caps(const client_handshake& hs, const backend_login& login) {
  const auto caps = hs.negotiated_capabilities();
  const auto offered = hs.greeting().capabilities;
  FUZZ_EXPECT((caps & ~offered) == 0);
  FUZZ_EXPECT((caps & ~(login.capabilities | cap::ssl | cap::connect_with_db)) == 0);
  if (caps & cap::ssl) FUZZ_EXPECT(login.use_tls);
  if (caps & cap::connect_with_db) FUZZ_EXPECT(!login.database.empty() || (login.capabilities & cap::connect_with_db));
}

void check_response(bytes_view payload, const backend_login& login, std::uint64_t caps) {
  // Without SECURE_CONNECTION (pre-4.1 servers) the token goes NUL-terminated, and a binary
  // token holding a 0 byte cannot be read back: the checks hold for the length-prefixed forms,
  // which every MySQL and MariaDB server since 4.1 offers.
  if (!(caps & (cap::secure_connection | cap::plugin_auth_lenenc_data))) return;
  auto r = decode_handshake_response41(payload);
  FUZZ_EXPECT(r.has_value());
  FUZZ_EXPECT(r->username == login.user);
  FUZZ_EXPECT(r->capabilities == caps);
  if (caps & cap::connect_with_db) FUZZ_EXPECT(r->database == login.database);
  if (caps & cap::plugin_auth) FUZZ_EXPECT(r->auth_plugin_name == native_password_plugin);
  FUZZ_EXPECT(r->auth_response.size() == (login.stage1 ? 20u : 0u));
}

// A write is the login packet right after the greeting; later ones answer an auth switch.
void check_write(const client_handshake& hs, const handshake_action& act, const backend_login& login,
                 bool first_write) {
  using kind = handshake_action;
  check_caps(hs, login);
  if (act.what == kind::tls_as_client) {
    FUZZ_EXPECT(login.use_tls && (hs.greeting().capabilities & cap::ssl));
    FUZZ_EXPECT(is_ssl_request(act.payload));
    return;
  }
  if (first_write) return check_response(act.payload, login, hs.negotiated_capabilities());
  FUZZ_EXPECT(act.payload.size() == (login.stage1 ? 20u : 0u));
}

void check_change_user(client_handshake& hs, const backend_login& login) {
  const auto act = hs.change_user(login);
  FUZZ_EXPECT(act.what == handshake_action::write_and_read && act.sequence_id == 0);
  if (!(hs.negotiated_capabilities() & cap::secure_connection)) return;  // as in check_response
  auto r = decode_com_change_user(act.payload, hs.negotiated_capabilities());
  FUZZ_EXPECT(r.has_value());
  FUZZ_EXPECT(r->username == login.user && r->database == login.database);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using kind = handshake_action;
  fuzz::fuzz_input in(data, size);
  const auto bits = in.u8();
  const auto login = login_from(bits, in.u32());
  client_handshake hs(login);
  bool first_write = true, changed_user = false;
  for (auto& packet : fuzz::packets_of(in.rest())) {
    auto act = hs.on_packet(packet.payload, packet.sequence_id);
    if (act.what == kind::tls_as_client) {
      check_write(hs, act, login, first_write);
      act = hs.after_tls();
    }
    if (act.what == kind::failed) {
      FUZZ_EXPECT(decode_err_packet(encode(act.error)).has_value());
      break;
    }
    if (act.what == kind::write_and_read) {
      check_write(hs, act, login, first_write);
      first_write = false;
      continue;
    }
    // done: the connection is logged in; a COM_CHANGE_USER may follow, once.
    FUZZ_EXPECT(act.what == kind::done);
    if (!(bits & 8) || changed_user) break;
    changed_user = true;
    check_change_user(hs, login);
  }
  return 0;
}
