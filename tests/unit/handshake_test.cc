// Both connection-phase algorithms, driven by packets captured from MariaDB and its clients:
// no sockets, each step's output compared byte for byte.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "fixture.h"
#include "protocol/client_handshake.h"
#include "protocol/server_handshake.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace weft::protocol {
namespace {

bytes payload(const std::string& fixture) {
  return test::split_frames(test::load_fixture(fixture)).at(0).payload;
}

server_handshake::user_lookup users_with_app() {
  return [](std::string_view user) -> std::optional<user_credentials> {
    if (user == "app") return user_credentials{native_password_hash::from_password("app-secret"), false};
    if (user == "secure") return user_credentials{native_password_hash::from_password("app-secret"), true};
    if (user == "locked") return user_credentials{native_password_hash::from_password("app-secret"), false, true};
    if (user == "expired") {
      return user_credentials{native_password_hash::from_password("app-secret"), false, false, true};
    }
    return std::nullopt;
  };
}

server_greeting_settings weft_greeting() {
  return {"5.5.5-10.11.19-MariaDB-weft", 42, 0x01bfa20d | cap::ssl, 45, status::autocommit, "127.0.0.1"};
}

// A server handshake that uses the scramble of a captured greeting, so captured client
// responses (computed for that scramble) are valid for it.
server_handshake with_scramble_of(const std::string& greeting_fixture) {
  auto g = decode_handshake_v10(payload(greeting_fixture));
  return server_handshake(weft_greeting(), users_with_app(), g->auth_plugin_data);
}

TEST(ServerHandshake, GreetingAdvertisesNativePasswordAndTheScramble) {
  const auto scramble = make_scramble();
  server_handshake hs(weft_greeting(), users_with_app(), scramble);
  auto g = decode_handshake_v10(hs.greeting());
  ASSERT_TRUE(g);
  EXPECT_EQ(g->auth_plugin_data, scramble);
  EXPECT_EQ(g->auth_plugin_name, "mysql_native_password");
  EXPECT_EQ(g->connection_id, 42u);
  EXPECT_EQ(g->server_version, "5.5.5-10.11.19-MariaDB-weft");
  // The login's first action writes that greeting as packet 0, then reads the answer.
  const auto first = hs.start();
  EXPECT_EQ(first.what, handshake_action::write_and_read);
  EXPECT_EQ(first.sequence_id, 0);
  EXPECT_EQ(first.payload, hs.greeting());
}

TEST(ServerHandshake, AcceptsTheMariadbCliLogin) {
  auto hs = with_scramble_of("cli_server_greeting");
  auto step = hs.on_packet(payload("cli_handshake_response"), 1);
  ASSERT_EQ(step.what, handshake_action::done);
  EXPECT_EQ(hs.client().username, "app");
  EXPECT_EQ(hs.stage1(), sha1(as_bytes("app-secret")));
  EXPECT_EQ(hs.next_sequence_id(), 2);
  // The CLI does not ask for DEPRECATE_EOF; weft must not turn it on for it.
  EXPECT_FALSE(hs.negotiated_capabilities() & cap::deprecate_eof);
}

TEST(ServerHandshake, WrongPasswordGetsTheServersAccessDeniedPacket) {
  server_handshake hs(weft_greeting(), users_with_app(), make_scramble());  // token won't match
  auto step = hs.on_packet(payload("handshake_response"), 1);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(step.sequence_id, 2);
  // Byte for byte what MariaDB sent for the same failure.
  EXPECT_EQ(step.payload, payload("err_access_denied"));
}

TEST(ServerHandshake, UnknownUserGetsTheSameMessage) {
  auto hs = with_scramble_of("server_greeting");
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->username = "nobody";
  auto step = hs.on_packet(encode(*response), 1);
  ASSERT_EQ(step.what, handshake_action::failed);
  auto err = decode_err_packet(step.payload);
  EXPECT_EQ(err->error_code, 1045);
  EXPECT_EQ(err->sql_state, "28000");
  EXPECT_EQ(err->message, "Access denied for user 'nobody'@'127.0.0.1' (using password: YES)");
}

TEST(ServerHandshake, SwitchesAnotherPluginToNativePassword) {
  // The client names caching_sha2_password; weft answers like MariaDB did in the capture.
  auto sw_request = decode_auth_switch_request(payload("auth_switch_request"));
  ASSERT_TRUE(sw_request);
  bytes scramble = sw_request->plugin_data;
  scramble.pop_back();  // the trailing NUL
  server_handshake hs(weft_greeting(), users_with_app(), scramble);
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->auth_plugin_name = "caching_sha2_password";
  auto step = hs.on_packet(encode(*response), 1);
  ASSERT_EQ(step.what, handshake_action::write_and_read);
  EXPECT_EQ(step.sequence_id, 2);
  EXPECT_EQ(step.payload, payload("auth_switch_request"));
  auto done = hs.on_packet(payload("auth_switch_response"), 3);
  ASSERT_EQ(done.what, handshake_action::done);
  EXPECT_EQ(hs.next_sequence_id(), 4);
}

// What MariaDB 10.11 answered to the same packets (checked against the sandbox).
TEST(ServerHandshake, OutOfOrderSequenceIdsGet1156) {
  for (std::uint8_t seq : {0, 2, 5}) {
    auto hs = with_scramble_of("cli_server_greeting");
    auto step = hs.on_packet(payload("cli_handshake_response"), seq);
    ASSERT_EQ(step.what, handshake_action::failed) << int(seq);
    EXPECT_EQ(step.sequence_id, 1);
    auto err = decode_err_packet(step.payload);
    EXPECT_EQ(err->error_code, 1156);
    EXPECT_EQ(err->sql_state, "08S01");
    EXPECT_EQ(err->message, "Got packets out of order");
  }
  // The auth switch answer must follow weft's request (sequence 2) with 3.
  auto sw_request = decode_auth_switch_request(payload("auth_switch_request"));
  bytes scramble = sw_request->plugin_data;
  scramble.pop_back();
  server_handshake hs(weft_greeting(), users_with_app(), scramble);
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->auth_plugin_name = "caching_sha2_password";
  ASSERT_EQ(hs.on_packet(encode(*response), 1).what, handshake_action::write_and_read);
  EXPECT_EQ(hs.on_packet(payload("auth_switch_response"), 4).what, handshake_action::failed);
}

TEST(ServerHandshake, AnnouncedAttributesMustBeThere) {
  auto response = decode_handshake_response41(payload("cli_handshake_response"));
  ASSERT_TRUE(response);
  response->capabilities |= cap::connect_attrs;
  auto with_block = encode(*response);
  auto hs = with_scramble_of("cli_server_greeting");
  EXPECT_EQ(hs.on_packet(with_block, 1).what, handshake_action::done);
  // The same response cut before its attribute block: 1043, as MariaDB answers.
  bytes cut(with_block.begin(), with_block.end() - 1);  // the empty block is one 0x00 byte
  auto again = with_scramble_of("cli_server_greeting");
  auto step = again.on_packet(cut, 1);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(decode_err_packet(step.payload)->error_code, 1043);
}

TEST(ServerHandshake, MultiByteOnlyCharsetsAreRefusedAfterThePassword) {
  const struct {
    std::uint8_t id;
    const char* name;  // nullptr: accepted
  } table[] = {{54, "utf16"}, {101, "utf16"}, {35, "ucs2"}, {159, "ucs2"}, {62, "utf16le"}, {60, "utf32"},
               {183, "utf32"}, {45, nullptr}, {33, nullptr}, {63, nullptr}, {0, nullptr}, {250, nullptr}};
  for (const auto& row : table) {
    auto response = decode_handshake_response41(payload("cli_handshake_response"));
    response->charset = row.id;
    auto hs = with_scramble_of("cli_server_greeting");
    auto step = hs.on_packet(encode(*response), 1);
    if (!row.name) {
      EXPECT_EQ(step.what, handshake_action::done) << int(row.id);
      continue;
    }
    ASSERT_EQ(step.what, handshake_action::failed) << int(row.id);
    auto err = decode_err_packet(step.payload);
    EXPECT_EQ(err->error_code, 1231);
    EXPECT_EQ(err->sql_state, "42000");
    EXPECT_EQ(err->message, std::string("Variable 'character_set_client' can't be set to the value of '") + row.name + "'");
  }
  // A wrong password is still 1045, whatever the charset.
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->charset = 54;
  server_handshake hs(weft_greeting(), users_with_app(), make_scramble());
  EXPECT_EQ(decode_err_packet(hs.on_packet(encode(*response), 1).payload)->error_code, 1045);
}

TEST(ServerHandshake, GarbageIsRejectedAsBadHandshake) {
  // 32 zero bytes look like an SSLRequest by size, but without CLIENT_SSL they are not one.
  for (const bytes& junk : {bytes{0x01, 0x02}, bytes(32, 0x00), bytes{}}) {
    server_handshake hs(weft_greeting(), users_with_app(), make_scramble());
    auto step = hs.on_packet(junk, 1);
    ASSERT_EQ(step.what, handshake_action::failed);
    auto err = decode_err_packet(step.payload);
    EXPECT_EQ(err->error_code, 1043);
    EXPECT_EQ(err->sql_state, "08S01");
  }
}

TEST(ServerHandshake, SslRequestStartsTlsThenTheResponseFollows) {
  auto hs = with_scramble_of("server_greeting");
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->capabilities |= cap::ssl;
  auto step = hs.on_packet(encode_ssl_request(*response), 1);
  ASSERT_EQ(step.what, handshake_action::tls_as_server);
  EXPECT_EQ(step.sequence_id, 2);
  // Once TLS is up, the driver reads the full response (nothing to write).
  const auto resumed = hs.after_tls();
  EXPECT_EQ(resumed.what, handshake_action::read);
  EXPECT_EQ(resumed.sequence_id, 2);
  EXPECT_TRUE(resumed.payload.empty());
  auto done = hs.on_packet(encode(*response), 2);
  ASSERT_EQ(done.what, handshake_action::done);
  EXPECT_TRUE(hs.tls());
  EXPECT_EQ(hs.next_sequence_id(), 3);
}

TEST(ServerHandshake, SslRequestIsRefusedWhenTlsIsNotOffered) {
  auto settings = weft_greeting();
  settings.capabilities &= ~cap::ssl;
  server_handshake hs(settings, users_with_app(), make_scramble());
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->capabilities |= cap::ssl;
  auto step = hs.on_packet(encode_ssl_request(*response), 1);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(decode_err_packet(step.payload)->error_code, 1043);
}

TEST(ServerHandshake, AccountRequiringTlsIsDeniedOverPlainTcp) {
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->username = "secure";
  response->capabilities |= cap::ssl;
  auto plain = with_scramble_of("server_greeting");
  auto step = plain.on_packet(encode(*response), 1);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(decode_err_packet(step.payload)->error_code, 1045);

  auto tls = with_scramble_of("server_greeting");
  ASSERT_EQ(tls.on_packet(encode_ssl_request(*response), 1).what, handshake_action::tls_as_server);
  EXPECT_EQ(tls.on_packet(encode(*response), 2).what, handshake_action::done);
}

// ACCOUNT LOCK and an expired password are told only to a client that gave the right password;
// a wrong one gets the usual 1045.
TEST(ServerHandshake, LockedAndExpiredAccountsAreRefusedAfterTheirPassword) {
  struct refusal_case {
    const char* user;
    std::uint16_t code;
    const char* message;
  };
  const refusal_case cases[] = {
      {"locked", 4151, "Access denied, this account is locked"},
      {"expired", 1862, "Your password has expired. To log in you must change it using a client that supports "
                        "expired passwords."},
  };
  for (const auto& c : cases) {
    auto response = decode_handshake_response41(payload("handshake_response"));
    response->username = c.user;
    auto right = with_scramble_of("server_greeting");
    auto step = right.on_packet(encode(*response), 1);
    ASSERT_EQ(step.what, handshake_action::failed) << c.user;
    const auto err = decode_err_packet(step.payload);
    EXPECT_EQ(err->error_code, c.code) << c.user;
    EXPECT_EQ(err->message, c.message) << c.user;

    auto wrong = server_handshake(weft_greeting(), users_with_app(), make_scramble());  // token won't match
    step = wrong.on_packet(encode(*response), 1);
    EXPECT_EQ(decode_err_packet(step.payload)->error_code, 1045) << c.user;
  }
}

backend_login login_like_capture() {
  auto r = decode_handshake_response41(payload("handshake_response"));
  backend_login login;
  login.user = r->username;
  login.stage1 = sha1(as_bytes("app-secret"));
  login.database = r->database;
  login.capabilities = r->capabilities;
  login.charset = r->charset;
  login.max_packet_size = r->max_packet_size;
  login.attributes = r->attributes;
  return login;
}

TEST(ClientHandshake, ProducesTheCapturedResponseFromStage1Alone) {
  client_handshake hs(login_like_capture());
  EXPECT_EQ(client_handshake::start().what, handshake_action::read);  // the greeting comes first
  auto step = hs.on_packet(payload("server_greeting"), 0);
  ASSERT_EQ(step.what, handshake_action::write_and_read);
  EXPECT_EQ(step.sequence_id, 1);
  // The capture script also sent bit 0 (CLIENT_MYSQL), which a MariaDB greeting does not offer;
  // weft keeps only what the server offers. Everything else, token included, is byte-identical.
  auto expected = decode_handshake_response41(payload("handshake_response"));
  auto greeting = decode_handshake_v10(payload("server_greeting"));
  EXPECT_EQ(expected->capabilities & ~greeting->capabilities, cap::long_password);
  expected->capabilities &= greeting->capabilities;
  EXPECT_EQ(step.payload, encode(*expected));
  auto done = hs.on_packet(payload("auth_ok"), 2);
  ASSERT_EQ(done.what, handshake_action::done);
  EXPECT_EQ(hs.final_ok().status_flags & status::autocommit, status::autocommit);
}

TEST(ClientHandshake, AnswersAnAuthSwitchToNativePassword) {
  client_handshake hs(login_like_capture());
  hs.on_packet(payload("server_greeting"), 0);
  auto step = hs.on_packet(payload("auth_switch_request"), 2);
  ASSERT_EQ(step.what, handshake_action::write_and_read);
  EXPECT_EQ(step.sequence_id, 3);
  EXPECT_EQ(step.payload, payload("auth_switch_response"));
}

TEST(ClientHandshake, ReportsTheBackendsError) {
  client_handshake hs(login_like_capture());
  hs.on_packet(payload("server_greeting"), 0);
  auto step = hs.on_packet(payload("err_access_denied"), 2);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(step.error.error_code, 1045);
}

TEST(ClientHandshake, RefusesPluginsItCannotAnswerFromStage1) {
  client_handshake hs(login_like_capture());
  hs.on_packet(payload("server_greeting"), 0);
  auth_switch_request ed{"client_ed25519", bytes(32, 'x')};
  auto step = hs.on_packet(encode(ed), 2);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(step.error.error_code, 9002);
  EXPECT_NE(step.error.message.find("client_ed25519"), std::string::npos);
}

TEST(ClientHandshake, TlsSendsSslRequestThenTheResponseWithTheNextSequenceId) {
  auto login = login_like_capture();
  login.use_tls = true;
  client_handshake hs(login);
  auto first = hs.on_packet(payload("server_greeting"), 0);
  ASSERT_EQ(first.what, handshake_action::tls_as_client);
  EXPECT_EQ(first.sequence_id, 1);
  ASSERT_TRUE(is_ssl_request(first.payload));
  auto second = hs.after_tls();
  ASSERT_EQ(second.what, handshake_action::write_and_read);
  EXPECT_EQ(second.sequence_id, 2);
  auto response = decode_handshake_response41(second.payload);
  ASSERT_TRUE(response);
  EXPECT_TRUE(response->capabilities & cap::ssl);
  EXPECT_EQ(bytes_view(second.payload).first(ssl_request_size).size(), first.payload.size());
  EXPECT_TRUE(std::equal(first.payload.begin(), first.payload.end(), second.payload.begin()));
}

TEST(ClientHandshake, NarrowsCapabilitiesToTheServers) {
  auto login = login_like_capture();
  login.capabilities |= cap::compress;  // the greeting offers it, so it would be kept...
  auto greeting = decode_handshake_v10(payload("server_greeting"));
  greeting->capabilities &= ~cap::compress;  // ...unless the server does not offer it
  client_handshake hs(login);
  hs.on_packet(encode(*greeting), 0);
  EXPECT_FALSE(hs.negotiated_capabilities() & cap::compress);
  EXPECT_TRUE(hs.negotiated_capabilities() & cap::deprecate_eof);
}

}  // namespace
}  // namespace weft::protocol

namespace weft::protocol {
namespace {

// caching_sha2_password, driven packet by packet like a MySQL 8 client would.
struct sha2_fixture {
  sha2_cache cache;
  rsa_key rsa = rsa_key::generate();
  bytes scramble = make_scramble();
  server_handshake make() {
    auto settings = weft_greeting();
    settings.auth_plugin = std::string(caching_sha2_plugin);
    return server_handshake(settings, users_with_app(), scramble, sha2_support{&cache, &rsa});
  }
  bytes response(std::string_view password) {
    auto r = decode_handshake_response41(payload("handshake_response"));
    r->auth_plugin_name = std::string(caching_sha2_plugin);
    r->auth_response = caching_sha2_token(password, scramble);
    r->capabilities |= cap::ssl;
    return encode(*r);
  }
};

const bytes perform_full_auth{0x01, 0x04};

TEST(CachingSha2, FirstLoginOverTlsSendsThePasswordThenTheFastPathWorks) {
  sha2_fixture f;
  auto hs = f.make();
  auto r = decode_handshake_response41(f.response("app-secret"));
  ASSERT_EQ(hs.on_packet(encode_ssl_request(*r), 1).what, handshake_action::tls_as_server);
  auto step = hs.on_packet(f.response("app-secret"), 2);
  ASSERT_EQ(step.what, handshake_action::write_and_read);
  EXPECT_EQ(step.payload, perform_full_auth);
  EXPECT_EQ(step.sequence_id, 3);
  const std::string password = "app-secret";
  bytes clear(password.begin(), password.end());
  clear.push_back(0);
  auto done = hs.on_packet(clear, 4);
  ASSERT_EQ(done.what, handshake_action::done);
  EXPECT_EQ(hs.auth_method(), "sha2_full_tls");
  EXPECT_EQ(hs.stage1(), sha1(as_bytes("app-secret")));  // what the backend login needs
  EXPECT_EQ(hs.next_sequence_id(), 5);

  auto again = f.make();  // next login, plain TCP: fast path from the cache
  auto fast = again.on_packet(f.response("app-secret"), 1);
  ASSERT_EQ(fast.what, handshake_action::done);
  EXPECT_EQ(fast.payload, (bytes{0x01, 0x03}));
  EXPECT_EQ(fast.sequence_id, 2);
  EXPECT_EQ(again.next_sequence_id(), 3);
  EXPECT_EQ(again.auth_method(), "sha2_fast");
  EXPECT_EQ(again.stage1(), sha1(as_bytes("app-secret")));

  auto wrong = f.make();
  EXPECT_EQ(wrong.on_packet(f.response("nope"), 1).what, handshake_action::failed);
}

TEST(CachingSha2, WithoutTlsThePasswordComesRsaEncrypted) {
  sha2_fixture f;
  auto hs = f.make();
  ASSERT_EQ(hs.on_packet(f.response("app-secret"), 1).payload, perform_full_auth);
  auto key = hs.on_packet(bytes{0x02}, 3);
  ASSERT_EQ(key.what, handshake_action::write_and_read);
  ASSERT_GT(key.payload.size(), 100u);
  EXPECT_EQ(key.payload[0], 0x01);
  const std::string pem(as_chars(bytes_view(key.payload).subspan(1)));
  EXPECT_EQ(pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  // Encrypt as a client does: (password + NUL) XOR scramble, RSA-OAEP with that key.
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  EVP_PKEY* pub = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(pub, nullptr);
  bytes plain{'a', 'p', 'p', '-', 's', 'e', 'c', 'r', 'e', 't', 0};
  for (std::size_t i = 0; i < plain.size(); ++i) plain[i] ^= f.scramble[i % 20];
  auto* ctx = EVP_PKEY_CTX_new(pub, nullptr);
  std::size_t len = 0;
  ASSERT_EQ(EVP_PKEY_encrypt_init(ctx), 1);
  ASSERT_EQ(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING), 1);
  ASSERT_EQ(EVP_PKEY_encrypt(ctx, nullptr, &len, plain.data(), plain.size()), 1);
  bytes cipher(len);
  ASSERT_EQ(EVP_PKEY_encrypt(ctx, cipher.data(), &len, plain.data(), plain.size()), 1);
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(pub);
  auto done = hs.on_packet(cipher, 5);
  ASSERT_EQ(done.what, handshake_action::done);
  EXPECT_EQ(hs.auth_method(), "sha2_full_rsa");
  EXPECT_TRUE(f.cache.find("app"));
}

TEST(CachingSha2, ClearPasswordWithoutTlsIsRefused) {
  sha2_fixture f;
  auto hs = f.make();
  hs.on_packet(f.response("app-secret"), 1);
  auto step = hs.on_packet(bytes{'a', 'p', 'p', '-', 's', 'e', 'c', 'r', 'e', 't', 0}, 3);
  ASSERT_EQ(step.what, handshake_action::failed);
  EXPECT_EQ(decode_err_packet(step.payload)->error_code, 1045);
  EXPECT_FALSE(f.cache.find("app"));
}

}  // namespace
}  // namespace weft::protocol

namespace weft::protocol {
namespace {

// A user list a test changes between two looks, as a refresh of the backends' accounts does.
struct changing_users {
  std::shared_ptr<std::map<std::string, std::string>> passwords = std::make_shared<std::map<std::string, std::string>>();
  server_handshake::user_lookup lookup() const {
    return [p = passwords](std::string_view user) -> std::optional<user_credentials> {
      auto it = p->find(std::string(user));
      if (it == p->end()) return std::nullopt;
      return user_credentials{native_password_hash::from_password(it->second), false};
    };
  }
};

std::uint16_t error_code_of(const handshake_action& a) {
  auto err = decode_err_packet(a.payload);
  return err ? err->error_code : 0;
}

TEST(ServerHandshake, LookAgainChecksTheSameAnswerAgainstAFresherList) {
  struct change_case {
    const char* what;
    const char* before;  // the account's password in the first list ("" = no such account)
    const char* after;   // ... in the fresher one
    handshake_action::kind outcome;
  };
  const change_case cases[] = {
      {"created a moment ago", "", "app-secret", handshake_action::done},
      {"password changed a moment ago", "old-secret", "app-secret", handshake_action::done},
      {"still unknown", "", "", handshake_action::failed},
      {"still another password", "old-secret", "other", handshake_action::failed},
  };
  for (const auto& c : cases) {
    changing_users users;
    if (*c.before) (*users.passwords)["app"] = c.before;
    auto g = decode_handshake_v10(payload("server_greeting"));
    server_handshake hs(weft_greeting(), users.lookup(), g->auth_plugin_data);
    const auto refused = hs.on_packet(payload("handshake_response"), 1);
    ASSERT_EQ(refused.what, handshake_action::failed) << c.what;
    EXPECT_EQ(error_code_of(refused), 1045) << c.what;
    users.passwords->erase("app");
    if (*c.after) (*users.passwords)["app"] = c.after;
    const auto again = hs.look_again();
    ASSERT_TRUE(again) << c.what;
    EXPECT_EQ(again->what, c.outcome) << c.what;
    EXPECT_EQ(again->sequence_id, refused.sequence_id) << c.what;  // the answer to the same packet
    EXPECT_FALSE(hs.look_again()) << c.what << ": once per login";
  }
}

TEST(ServerHandshake, NothingToLookAgainAtForRefusalsAListCannotChange) {
  auto response = decode_handshake_response41(payload("handshake_response"));
  response->username = "secure";  // requires TLS; this login is plain TCP
  auto hs = with_scramble_of("server_greeting");
  EXPECT_EQ(error_code_of(hs.on_packet(encode(*response), 1)), 1045);
  EXPECT_FALSE(hs.look_again());
  auto bad = with_scramble_of("server_greeting");
  EXPECT_EQ(error_code_of(bad.on_packet(bytes{0x01, 0x02}, 1)), 1043);
  EXPECT_FALSE(bad.look_again());
}

// caching_sha2's fast path must not outlive a password change: the cache entry is learned from
// the old password, the account now has another.
TEST(CachingSha2, AFastPathLearnedFromAnOldPasswordIsNotUsed) {
  sha2_cache cache;
  changing_users users;
  (*users.passwords)["app"] = "app-secret";
  auto settings = weft_greeting();
  settings.auth_plugin = std::string(caching_sha2_plugin);
  const auto scramble = make_scramble();
  auto response = [&](std::string_view password) {
    auto r = decode_handshake_response41(payload("handshake_response"));
    r->auth_plugin_name = std::string(caching_sha2_plugin);
    r->auth_response = caching_sha2_token(password, scramble);
    return encode(*r);
  };
  cache.store("app", sha2_entry_for("app-secret"));
  server_handshake fast(settings, users.lookup(), scramble, sha2_support{&cache, nullptr});
  ASSERT_EQ(fast.on_packet(response("app-secret"), 1).what, handshake_action::done);

  (*users.passwords)["app"] = "new-secret";
  server_handshake old(settings, users.lookup(), scramble, sha2_support{&cache, nullptr});
  const auto step = old.on_packet(response("app-secret"), 1);
  EXPECT_EQ(step.what, handshake_action::write_and_read);  // the client must prove the password again
  EXPECT_EQ(step.payload, (bytes{0x01, 0x04}));
}

}  // namespace
}  // namespace weft::protocol
