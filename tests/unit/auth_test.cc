#include <gtest/gtest.h>

#include "fixture.h"
#include "protocol/auth.h"
#include "protocol/messages.h"

namespace weft::protocol {
namespace {

bytes payload(const std::string& fixture) {
  return test::split_frames(test::load_fixture(fixture)).at(0).payload;
}

// From the sandbox: SELECT PASSWORD('app-secret').
constexpr std::string_view app_secret_hash = "*6C7A370C07660BC788681B3238D93E08BD74303C";

TEST(NativePassword, HashMatchesTheServersPasswordFunction) {
  EXPECT_EQ(native_password_hash::from_password("app-secret").to_hex(), app_secret_hash);
  auto parsed = native_password_hash::from_hex(app_secret_hash);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->stage2, native_password_hash::from_password("app-secret").stage2);
  auto lower = native_password_hash::from_hex("*6c7a370c07660bc788681b3238d93e08bd74303c");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->stage2, parsed->stage2);
}

TEST(NativePassword, RejectsMalformedHashes) {
  EXPECT_FALSE(native_password_hash::from_hex("6C7A370C07660BC788681B3238D93E08BD74303C"));
  EXPECT_FALSE(native_password_hash::from_hex("*6C7A370C07660BC788681B3238D93E08BD74303"));
  EXPECT_FALSE(native_password_hash::from_hex("*6C7A370C07660BC788681B3238D93E08BD74303G"));
  EXPECT_TRUE(native_password_hash::from_hex("")->empty_password);
}

struct captured_login {
  std::string greeting, response;
};

TEST(NativePassword, TokensSentByRealClientsVerifyAndYieldStage1) {
  for (const auto& c : {captured_login{"server_greeting", "handshake_response"},
                        captured_login{"cli_server_greeting", "cli_handshake_response"}}) {
    SCOPED_TRACE(c.response);
    auto greeting = decode_handshake_v10(payload(c.greeting));
    auto response = decode_handshake_response41(payload(c.response));
    ASSERT_TRUE(greeting && response);
    const auto& scramble = greeting->auth_plugin_data;
    EXPECT_EQ(native_token_from_password("app-secret", scramble), response->auth_response);

    const auto hash = native_password_hash::from_password("app-secret");
    auto stage1 = verify_native_token(hash, response->auth_response, scramble);
    ASSERT_TRUE(stage1);
    EXPECT_EQ(*stage1, sha1(as_bytes("app-secret")));
    // What weft sends a backend, from stage1 alone, is what the client would have sent.
    EXPECT_EQ(native_token_from_stage1(*stage1, scramble), response->auth_response);

    EXPECT_FALSE(verify_native_token(native_password_hash::from_password("other"), response->auth_response, scramble));
    auto other_scramble = scramble;
    other_scramble[0] ^= 1;
    EXPECT_FALSE(verify_native_token(hash, response->auth_response, other_scramble));
  }
}

TEST(NativePassword, AuthSwitchTokenUsesTheSwitchScramble) {
  auto sw = decode_auth_switch_request(payload("auth_switch_request"));
  ASSERT_TRUE(sw);
  EXPECT_EQ(native_token_from_password("app-secret", sw->plugin_data), payload("auth_switch_response"));
}

TEST(NativePassword, EmptyPasswordAccountAcceptsOnlyEmptyToken) {
  const auto hash = native_password_hash::from_password("");
  const auto scramble = make_scramble();
  EXPECT_TRUE(verify_native_token(hash, {}, scramble));
  EXPECT_FALSE(verify_native_token(hash, native_token_from_password("x", scramble), scramble));
  EXPECT_FALSE(verify_native_token(native_password_hash::from_password("x"), {}, scramble));
}

TEST(Scramble, IsTwentyPrintableBytesWithoutNul) {
  const auto s = make_scramble();
  ASSERT_EQ(s.size(), 20u);
  for (auto c : s) {
    EXPECT_GE(c, 0x21);
    EXPECT_LT(c, 0x7F);
  }
  EXPECT_NE(make_scramble(), s);
}

}  // namespace
}  // namespace weft::protocol

#include "protocol/proxy_header.h"

namespace weft::protocol {
namespace {

// The PROXY v1 header byte for byte (HAProxy's proxy-protocol.txt, section 2.1).
TEST(ProxyHeader, Version1ForEachFamily) {
  EXPECT_EQ(proxy_header_v1("192.168.0.1", 56324, "192.168.0.11", 443), "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
  EXPECT_EQ(proxy_header_v1("::ffff:10.0.0.7", 5, "::ffff:127.0.0.1", 6033), "PROXY TCP4 10.0.0.7 127.0.0.1 5 6033\r\n");
  EXPECT_EQ(proxy_header_v1("2001:db8::1", 40000, "::1", 6033), "PROXY TCP6 2001:db8::1 ::1 40000 6033\r\n");
  EXPECT_EQ(proxy_header_v1("10.0.0.7", 1, "::1", 6033), "");  // families differ
  EXPECT_EQ(proxy_header_v1("unknown", 1, "127.0.0.1", 6033), "");
  EXPECT_EQ(proxy_header_v1("10.0.0.7 x", 1, "127.0.0.1", 6033), "");
}

}  // namespace
}  // namespace weft::protocol
