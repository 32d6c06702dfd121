#include <gtest/gtest.h>

#include "config/config_loader.h"

namespace weft::config {
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

// Unix-domain sockets: "unix:/absolute/path" for the proxy's listener and for servers, kept as
// host = path, port 0 (ProxySQL's shape); the admin port stays TCP.
TEST(ConfigLoader, UnixSocketAddresses) {
  const auto ep = routing::parse_endpoint("unix:/run/mysqld/mysqld.sock");
  ASSERT_TRUE(ep);
  EXPECT_TRUE(ep->is_unix());
  EXPECT_EQ(ep->host, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(ep->port, 0);
  EXPECT_EQ(ep->to_string(), "unix:/run/mysqld/mysqld.sock");
  EXPECT_EQ(routing::parse_endpoint(ep->to_string()), ep);
  EXPECT_FALSE(routing::parse_endpoint("127.0.0.1:3306")->is_unix());
  for (const auto* bad : {"unix:", "unix:/", "unix:relative.sock", "/run/mysqld.sock:0", "/run/mysqld.sock",
                          "[unix:/x]:3306", "[unix:[::1]]:3", "[unix]:33"}) {
    EXPECT_FALSE(routing::parse_endpoint(bad)) << bad;
  }
  EXPECT_FALSE(routing::parse_endpoint("unix:/" + std::string(107, 'a'))) << "longer than sun_path";

  std::string text(valid);
  text.replace(text.find("127.0.0.1:7033"), 14, "unix:/tmp/weft.sock");
  text.replace(text.find("127.0.0.1:23307"), 15, "unix:/tmp/replica.sock");
  auto r = load_config_text(text, "weft.toml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.config->proxy.listen.to_string(), "unix:/tmp/weft.sock");
  EXPECT_EQ(r.config->topology.servers.at(1).address.host, "/tmp/replica.sock");

  auto admin = load_config_text(std::string(valid) + "[admin]\nlisten = \"unix:/tmp/admin.sock\"\n", "weft.toml");
  ASSERT_FALSE(admin.errors.empty());
  EXPECT_NE(admin.errors[0].find("'listen' must be \"host:port\""), std::string::npos) << admin.errors[0];
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

// Connection limits and the failed-login throttle: defaults, values, and one rule for both ports
// (handshake timeout and throttle come from [proxy]).
TEST(ConfigLoader, ConnectionLimitsAndLoginThrottle) {
  auto defaults = load_config_text(valid, "weft.toml");
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(defaults.config->proxy.max_client_connections, 10000u);
  EXPECT_EQ(defaults.config->proxy.login_throttle.max_failures, 10u);
  EXPECT_EQ(defaults.config->proxy.login_throttle.window.count(), 60000);
  EXPECT_EQ(defaults.config->proxy.login_throttle.block_for.count(), 60000);
  EXPECT_EQ(defaults.config->admin.max_connections, 32u);

  // The keys go into the [proxy] table of `valid` (a second [proxy] would be a TOML error).
  std::string merged(valid);
  merged.insert(merged.find("connect_timeout_ms"),
                "handshake_timeout_ms = 3000\nmax_client_connections = 50\nmax_login_failures = 0\n"
                "login_failure_window_ms = 5000\nhost_block_ms = 2000\n");
  merged += "[admin]\nuser = \"a\"\npassword = \"p\"\nmax_connections = 4\n";
  auto r = load_config_text(merged, "weft.toml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  const auto& c = *r.config;
  EXPECT_EQ(c.proxy.max_client_connections, 50u);
  EXPECT_EQ(c.proxy.login_throttle.max_failures, 0u);
  EXPECT_EQ(c.admin.max_connections, 4u);
  EXPECT_EQ(c.admin.handshake_timeout.count(), 3000);
  EXPECT_EQ(c.admin.login_throttle.window.count(), 5000);
  EXPECT_EQ(c.admin.login_throttle.block_for.count(), 2000);
  EXPECT_EQ(c.http.request_timeout.count(), 3000);

  auto bad = load_config_text("[proxy]\nmax_client_connections = 0\n[admin]\nuser = \"a\"\npassword = \"p\"\n"
                              "max_connections = 0\n",
                              "weft.toml");
  ASSERT_GE(bad.errors.size(), 2u);
  EXPECT_NE(bad.errors[0].find("'max_client_connections' must be between 1 and 1000000"), std::string::npos);
  EXPECT_NE(bad.errors[1].find("'max_connections' must be between 1 and 100000"), std::string::npos);
}

// Idle pooled connections: 10 s and a floor of one per server and worker unless configured.
TEST(ConfigLoader, IdlePoolTimeoutAndFloor) {
  auto defaults = load_config_text(valid, "weft.toml");
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(defaults.config->proxy.idle_timeout.count(), 10000);
  EXPECT_EQ(defaults.config->proxy.min_idle_backend_connections, 1u);

  auto r = load_config_text(std::string(valid) + "[backend]\nidle_timeout_ms = 2500\nmin_idle_connections = 0\n",
                            "weft.toml");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0]);
  EXPECT_EQ(r.config->proxy.idle_timeout.count(), 2500);
  EXPECT_EQ(r.config->proxy.min_idle_backend_connections, 0u);

  auto bad = load_config_text(std::string(valid) + "[backend]\nmin_idle_connections = -1\n", "weft.toml");
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_NE(bad.errors[0].find("'min_idle_connections' must be between 0 and 100000"), std::string::npos) << bad.errors[0];
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
}  // namespace weft::config

namespace weft::config {
namespace {

// [auth]: who reads the backends' accounts (the monitor by default), how often, how long a
// refused login waits for a fresh read.
TEST(ConfigLoader, AuthReadsAccountsAsTheMonitorUnlessToldOtherwise) {
  const std::string monitor = "\n[monitor]\nuser = \"monitor\"\npassword = \"monitor-secret\"\n";
  auto defaults = load_config_text(std::string(valid) + monitor, "weft.toml");
  ASSERT_TRUE(defaults.config) << defaults.errors.front();
  EXPECT_TRUE(defaults.config->auth.from_backends);
  EXPECT_EQ(defaults.config->auth.user, "monitor");
  EXPECT_EQ(defaults.config->auth.password, "monitor-secret");
  EXPECT_EQ(defaults.config->auth.refresh.count(), 60000);
  EXPECT_EQ(defaults.config->proxy.login_account_wait.count(), 2000);

  auto own = load_config_text(std::string(valid) + monitor +
                                  "\n[auth]\nuser = \"reader\"\npassword = \"r\"\nrefresh_ms = 5000\nlogin_wait_ms = 0\n",
                              "weft.toml");
  ASSERT_TRUE(own.config) << own.errors.front();
  EXPECT_EQ(own.config->auth.user, "reader");
  EXPECT_EQ(own.config->auth.refresh.count(), 5000);
  EXPECT_EQ(own.config->proxy.login_account_wait.count(), 0);

  auto off = load_config_text(std::string(valid) + "\n[auth]\nfrom_backends = false\n", "weft.toml");
  ASSERT_TRUE(off.config) << off.errors.front();
  EXPECT_FALSE(off.config->auth.from_backends);

  auto too_fast = load_config_text(std::string(valid) + "\n[auth]\nrefresh_ms = 10\n", "weft.toml");
  ASSERT_FALSE(too_fast.errors.empty());
  EXPECT_NE(too_fast.errors.front().find("refresh_ms"), std::string::npos) << too_fast.errors.front();
}

}  // namespace
}  // namespace weft::config
