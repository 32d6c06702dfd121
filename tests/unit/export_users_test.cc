// WITH USERS: which SHOW GRANTS lines belong to an export, the statements IMPORT runs, the
// grammar, and the manifest's round trip of accounts.
#include <gtest/gtest.h>

#include "admin/export_grammar.h"
#include "ops/export_manifest.h"
#include "ops/export_users.h"

namespace weft::ops {
namespace {

const std::vector<std::string> exported{"shop", "my_db", "odd`name"};

TEST(ExportUsers, GrantsThatApply) {
  struct row {
    const char* grant;
    bool applies;
  };
  const row table[] = {
      {"GRANT USAGE ON *.* TO `app`@`%` IDENTIFIED BY PASSWORD '*0123'", true},
      {"GRANT SELECT, INSERT ON `shop`.* TO `app`@`%`", true},
      {"GRANT SELECT ON `shop`.`orders` TO `app`@`%`", true},
      {"GRANT SELECT (`id`, `on`), UPDATE (`on`) ON `shop`.`orders` TO `app`@`%`", true},
      {"GRANT EXECUTE ON PROCEDURE `shop`.`refund` TO `app`@`%`", true},
      {"GRANT EXECUTE ON FUNCTION `shop`.`tax` TO `app`@`%`", true},
      {"GRANT ALL PRIVILEGES ON `my\\_db`.* TO `app`@`%`", true},   // made with LIKE escapes
      {"GRANT ALL PRIVILEGES ON `odd``name`.* TO `app`@`%`", true},  // a doubled backquote
      {"GRANT SELECT ON `crm`.* TO `app`@`%`", false},               // not exported
      {"GRANT SELECT ON `shopping`.* TO `app`@`%`", false},
      {"GRANT SELECT ON `my_db2`.* TO `app`@`%`", false},
      {"GRANT `reporting` TO `app`@`%`", false},                     // a role
      {"GRANT PROXY ON ''@'%' TO 'app'@'%' WITH GRANT OPTION", false},
      {"GRANT SELECT ON * TO `app`@`%`", false},                     // the current database's
      {"REVOKE SELECT ON *.* FROM `app`@`%`", false},
      {"", false},
  };
  for (const auto& r : table) EXPECT_EQ(grant_applies(r.grant, exported), r.applies) << r.grant;
}

TEST(ExportUsers, StatementsRenamedAndReplaced) {
  const manifest_user u{"`app`@`%`",
                        {"CREATE USER `app`@`%` IDENTIFIED BY PASSWORD '*0123'", "GRANT SELECT ON `shop`.* TO `app`@`%`",
                         "GRANT SELECT ON `shop`.`t` TO `app`@`%`"}};
  EXPECT_EQ(user_statements(u, {}, false), u.statements);
  EXPECT_EQ(user_statements(u, {{"shop", "shop2"}}, true),
            (std::vector<std::string>{"CREATE OR REPLACE USER `app`@`%` IDENTIFIED BY PASSWORD '*0123'",
                                      "GRANT SELECT ON `shop2`.* TO `app`@`%`", "GRANT SELECT ON `shop2`.`t` TO `app`@`%`"}));
  EXPECT_EQ(account_names({}), "none");
  EXPECT_EQ(account_names({u, {"`b`@`localhost`", {}}}), "`app`@`%`, `b`@`localhost`");
}

TEST(ExportUsers, ManifestKeepsAccountsOnlyWhenThere) {
  export_manifest m;
  EXPECT_EQ(to_json(m).find("\"users\""), std::string::npos);
  m.users.push_back({"`app`@`%`", {"CREATE USER `app`@`%`", "GRANT USAGE ON *.* TO `app`@`%`"}});
  const auto back = parse_manifest(to_json(m));
  ASSERT_TRUE(std::holds_alternative<export_manifest>(back)) << std::get<std::string>(back);
  ASSERT_EQ(std::get<export_manifest>(back).users.size(), 1u);
  EXPECT_EQ(std::get<export_manifest>(back).users[0].account, "`app`@`%`");
  EXPECT_EQ(std::get<export_manifest>(back).users[0].statements, m.users[0].statements);
}

TEST(ExportUsers, Grammar) {
  const auto e = admin::parse_export_command("EXPORT DATABASE shop FROM '127.0.0.1:1' TO 'x' WITH USERS WITH REPLICATION INFO");
  ASSERT_TRUE(e && e->error.empty()) << (e ? e->error : "not parsed");
  EXPECT_TRUE(std::get<export_command>(e->command).users && std::get<export_command>(e->command).replication_info);
  const auto i = admin::parse_export_command("IMPORT FROM 'x' INTO '127.0.0.1:1' WITH USERS");
  ASSERT_TRUE(i && i->error.empty()) << (i ? i->error : "not parsed");
  EXPECT_TRUE(std::get<import_command>(i->command).users);
  const auto bad = admin::parse_export_command("IMPORT FROM 'x' INTO '127.0.0.1:1' WITH USER");
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->error.find("usage: IMPORT"), std::string::npos) << bad->error;
}

}  // namespace
}  // namespace weft::ops
