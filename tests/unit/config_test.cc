#include <gtest/gtest.h>

#include "admin/config_loader.h"

namespace weft::admin {
namespace {

constexpr std::string_view valid = R"(
[proxy]
listen = "127.0.0.1:7033"
workers = 2
connect_timeout_ms = 500

[[users]]
name = "app"
password = "app-secret"

[[users]]
name = "report"
password_hash = "*6C7A370C07660BC788681B3238D93E08BD74303C"

[[servers]]
address = "127.0.0.1:23306"
group = "main"
role = "primary"

[[servers]]
address = "127.0.0.1:23307"
group = "main"
role = "replica"
)";

TEST(ConfigLoader, LoadsAValidFile) {
  auto r = load_config_text(valid, "weft.toml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  const auto& c = *r.config;
  EXPECT_EQ(c.proxy.listen.to_string(), "127.0.0.1:7033");
  EXPECT_EQ(c.proxy.workers, 2u);
  EXPECT_EQ(c.proxy.connect_timeout.count(), 500);
  ASSERT_EQ(c.runtime.users.size(), 2u);
  // Plain and hashed forms of the same password end up identical; the plain text is not kept.
  EXPECT_EQ(c.runtime.users.at("app").password.stage2, c.runtime.users.at("report").password.stage2);
  ASSERT_EQ(c.topology.servers.size(), 2u);
  const auto* primary = c.topology.primary_of("main");
  ASSERT_NE(primary, nullptr);
  EXPECT_EQ(primary->address.port, 23306);
}

struct bad_case {
  std::string name;
  std::string toml;
  std::string expected;  // "file:line:col: message" prefix or substring
};

TEST(ConfigLoader, ReportsEachProblemWithItsLine) {
  const std::vector<bad_case> cases{
      {"syntax", "[proxy]\nlisten = \n", "weft.toml:2:"},
      {"unknown key", "[proxy]\nlisen = \"127.0.0.1:1\"\n", "weft.toml:2:1: unknown key 'lisen'"},
      {"bad listen", "[proxy]\nlisten = \"nope\"\n", "weft.toml:2:10: 'listen' must be \"host:port\""},
      {"bad workers", "[proxy]\nworkers = -1\n", "weft.toml:2:11: 'workers' must be between 0 and 256"},
      {"no servers", "[proxy]\n", "no [[servers]] configured"},
      {"bad role",
       "[[servers]]\naddress = \"127.0.0.1:1\"\ngroup = \"g\"\nrole = \"leader\"\n",
       "weft.toml:4:8: 'role' must be \"primary\" or \"replica\""},
      {"no primary",
       "[[servers]]\naddress = \"127.0.0.1:1\"\ngroup = \"g\"\nrole = \"replica\"\n",
       "group 'g' has no primary"},
      {"two primaries",
       "[[servers]]\naddress = \"127.0.0.1:1\"\ngroup = \"g\"\nrole = \"primary\"\n"
       "[[servers]]\naddress = \"127.0.0.1:2\"\ngroup = \"g\"\nrole = \"primary\"\n",
       "weft.toml:5:1: group 'g' has more than one primary"},
      {"duplicate server",
       "[[servers]]\naddress = \"127.0.0.1:1\"\ngroup = \"g\"\nrole = \"primary\"\n"
       "[[servers]]\naddress = \"127.0.0.1:1\"\ngroup = \"g\"\nrole = \"replica\"\n",
       "weft.toml:5:1: duplicate server 127.0.0.1:1"},
      {"bad hash", "[[users]]\nname = \"u\"\npassword_hash = \"secret\"\n",
       "weft.toml:3:17: user 'u': password_hash must be '*' and 40 hex digits"},
      {"both passwords", "[[users]]\nname = \"u\"\npassword = \"a\"\npassword_hash = \"\"\n",
       "user 'u': give password or password_hash, not both"},
      {"require_tls without tls", "[[users]]\nname = \"u\"\npassword = \"a\"\nrequire_tls = true\n",
       "user 'u' has require_tls = true but [proxy] has no tls_cert/tls_key"},
      {"unreadable cert", "[proxy]\ntls_cert = \"/nonexistent.pem\"\ntls_key = \"/nonexistent.pem\"\n",
       "weft.toml:2:12: cannot read tls_cert file '/nonexistent.pem'"},
      {"backend tls without ca", "[backend]\ntls = true\n", "backend TLS with tls_verify = true needs tls_ca"},
      {"duplicate user", "[[users]]\nname = \"u\"\npassword = \"a\"\n[[users]]\nname = \"u\"\npassword = \"b\"\n",
       "weft.toml:4:1: duplicate user 'u'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = load_config_text(c.toml, "weft.toml");
    EXPECT_FALSE(r.config);
    bool found = false;
    for (const auto& e : r.errors) found |= e.find(c.expected) != std::string::npos;
    EXPECT_TRUE(found) << "errors were: " << (r.errors.empty() ? "(none)" : r.errors[0]);
  }
}

TEST(ConfigLoader, ErrorMessagesNeverContainThePassword) {
  auto r = load_config_text("[[users]]\nname = \"u\"\npassword = \"hunter2\"\npasword = 1\n", "weft.toml");
  ASSERT_FALSE(r.errors.empty());
  for (const auto& e : r.errors) EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
}

TEST(ConfigLoader, ExampleSandboxConfigIsValid) {
  auto r = load_config_file(std::string(WEFT_FIXTURE_DIR) + "/../../../examples/sandbox.toml");
  EXPECT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
}

}  // namespace
}  // namespace weft::admin
