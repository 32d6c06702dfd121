// Host patterns and the choice of account at login, as the server (skip_name_resolve) makes them.
// (Checked against the server itself, CURRENT_USER() from several loopback addresses, once weft
// loads the accounts: tests/integration, issue 13.)
#include <gtest/gtest.h>

#include "routing/account_sql.h"
#include "routing/accounts.h"

namespace weft::routing {
namespace {

struct host_case {
  const char* pattern;
  const char* ip;
  bool matches;
};

TEST(HostPattern, MatchesAsTheServerComparesAddresses) {
  const host_case cases[] = {
      {"%", "10.1.2.3", true},
      {"", "10.1.2.3", true},
      {"10.0.%", "10.0.7.9", true},
      {"10.0.%", "10.10.7.9", false},
      {"10.0.0._", "10.0.0.7", true},
      {"10.0.0._", "10.0.0.17", false},
      {"127.0.0.1", "127.0.0.1", true},
      {"127.0.0.1", "127.0.0.10", false},
      {"10.0.0.0/255.255.255.0", "10.0.0.200", true},
      {"10.0.0.0/255.255.255.0", "10.0.1.1", false},
      {"10.0.0.1/255.255.255.0", "10.0.0.1", false},   // bits outside the mask: no network, a plain
      {"10.0.0.1/255.255.255.0", "10.0.0.2", false},   // pattern that no address spells
      {"FE80::1", "fe80::1", true},                    // case-insensitive
      {"fe80::%", "fe80::abcd", true},
      {"10.0.0.\\_", "10.0.0._", true},                // an escaped wildcard is a plain character
      {"10.0.0.\\_", "10.0.0.7", false},
      {"localhost", "127.0.0.1", false},               // names need resolution: never matched
      {"%.example.com", "10.0.0.1", false},
      {"1%1", "1.2.3.1", true},
      {"1%1", "1.2.3.4", false},
      {"%%", "8.8.8.8", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(host_matches(c.pattern, c.ip), c.matches) << c.pattern << " vs " << c.ip;
  }
}

TEST(HostPattern, SpecificityOrdersAsTheServer) {
  // From most to least specific (each strictly more specific than the next).
  const char* order[] = {"127.0.0.1", "10.0.0._", "10.0.0.%", "10.0.%", "%"};
  for (std::size_t i = 0; i + 1 < std::size(order); ++i) {
    EXPECT_GT(host_specificity(order[i]), host_specificity(order[i + 1])) << order[i] << " vs " << order[i + 1];
  }
  EXPECT_EQ(host_specificity(""), host_specificity("%"));
  EXPECT_EQ(host_specificity("10.0.0.0/255.255.255.0"), host_specificity("10.0.0.1"));  // no wildcard
}

account entry(std::string user, std::string host) {
  account a;
  a.user = std::move(user);
  a.host = std::move(host);
  return a;
}

struct choice_case {
  const char* user;
  const char* ip;
  const char* chosen_host;  // nullptr: no account (1045)
  const char* chosen_user;
};

TEST(AccountTable, ChoosesTheEntryTheServerWould) {
  const account_table table({entry("app", "%"), entry("app", "127.0.0.%"), entry("app", "127.0.0.1"),
                             entry("", "10.0.0.5"), entry("ops", "10.%"), entry("", "%")});
  const choice_case cases[] = {
      {"app", "127.0.0.1", "127.0.0.1", "app"},  // the exact address beats the patterns
      {"app", "127.0.0.2", "127.0.0.%", "app"},
      {"app", "192.168.1.1", "%", "app"},
      {"app", "10.0.0.5", "10.0.0.5", ""},       // a more specific anonymous entry shadows app@%
      {"ops", "10.0.0.5", "10.0.0.5", ""},       // ...and ops@10.%
      {"ops", "10.9.9.9", "10.%", "ops"},
      {"nobody", "10.9.9.9", "%", ""},           // anonymous for any other name
      {"ops", "192.168.1.1", "%", ""},           // ops has no entry for this address
  };
  for (const auto& c : cases) {
    const auto* chosen = table.choose(c.user, c.ip);
    ASSERT_NE(chosen, nullptr) << c.user << "@" << c.ip;
    EXPECT_EQ(chosen->host, c.chosen_host) << c.user << "@" << c.ip;
    EXPECT_EQ(chosen->user, c.chosen_user) << c.user << "@" << c.ip;
  }
}

TEST(AccountTable, NoEntryNoAccount) {
  const account_table table({entry("app", "127.0.0.%"), entry("ops", "%")});
  EXPECT_EQ(table.choose("app", "10.0.0.1"), nullptr);
  EXPECT_EQ(table.choose("App", "127.0.0.1"), nullptr);  // user names are case-sensitive
  EXPECT_EQ(table.choose("", "127.0.0.1"), nullptr);
}

TEST(AccountTable, AnAnonymousEntryWithTheSameHostRanksAfterTheNamedOne) {
  const account_table table({entry("", "127.0.0.1"), entry("app", "127.0.0.1")});
  EXPECT_EQ(table.entries().front().user, "app");
  EXPECT_EQ(table.choose("app", "127.0.0.1")->user, "app");
  EXPECT_EQ(table.choose("bob", "127.0.0.1")->user, "");
}

}  // namespace
}  // namespace weft::routing

namespace weft::routing {
namespace {

using row = std::vector<std::optional<std::string>>;

TEST(AccountRows, ReadsWhatTheQueryReturns) {
  const auto r = account_from_row(row{"app", "127.0.0.%", "mysql_native_password",
                                      "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19", "N", "Y", "10"});
  ASSERT_TRUE(r.entry) << r.problem;
  EXPECT_EQ(r.entry->user, "app");
  EXPECT_EQ(r.entry->host, "127.0.0.%");
  EXPECT_EQ(r.entry->plugin, "mysql_native_password");
  EXPECT_EQ(r.entry->auth_string, "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
  EXPECT_FALSE(r.entry->locked);
  EXPECT_TRUE(r.entry->password_expired);
  EXPECT_EQ(r.entry->max_user_connections, 10u);
}

TEST(AccountRows, ARowThatCannotBeReadIsSkippedWithItsReason) {
  struct bad_case {
    row input;
    const char* problem;
  };
  const bad_case cases[] = {
      {row{"app", "%"}, "expected 7 columns, got 2"},
      {row{std::nullopt, "%", "p", "", "N", "N", "0"}, "no user or host"},
      {row{"app", "%", "", "", "N", "N", "0"}, "'app'@'%': no authentication plugin"},
      {row{"app", "%", "ed25519", "x", "maybe", "N", "0"}, "'app'@'%': unreadable locked, expired or max_user_connections"},
      {row{"app", "%", "ed25519", "x", "N", "N", "many"}, "'app'@'%': unreadable locked, expired or max_user_connections"},
  };
  for (const auto& c : cases) {
    const auto r = account_from_row(c.input);
    EXPECT_FALSE(r.entry) << c.problem;
    EXPECT_EQ(r.problem, c.problem);
  }
}

TEST(AccountRows, EachFlavorReadsItsOwnTable) {
  EXPECT_NE(accounts_query(server_flavor::mariadb).find("mysql.global_priv"), std::string_view::npos);
  EXPECT_NE(accounts_query(server_flavor::mysql).find("mysql.user"), std::string_view::npos);
}

}  // namespace
}  // namespace weft::routing
