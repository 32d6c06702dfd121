// The whole-configuration checks are one function (config_validation): the file and the tables
// report a problem in the same words, each saying only where it lies.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <string>
#include <vector>

#include "config/config_loader.h"
#include "config/config_tables.h"
#include "config/config_validation.h"

namespace weft::config {
namespace {

// A group whose only server is a replica, and a rule routing to a group without servers.
constexpr std::string_view broken_toml = R"([[servers]]
address = "10.0.0.2:3306"
group = "main"
role = "replica"

[[rules]]
id = 1
group = "nope"
)";

table_config broken_tables() {
  table_config c;
  routing::server s;
  s.address = {"10.0.0.2", 3306};
  s.name = s.address.to_string();
  s.group = "main";
  s.role = routing::server_role::replica;
  c.topology.servers.push_back(s);
  routing::query_rule r;
  r.id = 1;
  r.route_group = "nope";
  c.runtime.rules.push_back(r);
  return c;
}

std::vector<std::string> read_back(const table_config& c) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  create_config_tables(db);
  write_config_tables(db, c);
  auto errors = read_config_tables(db).errors;
  sqlite3_close(db);
  return errors;
}

bool has(const std::vector<std::string>& errors, const std::string& text) {
  for (const auto& e : errors) {
    if (e == text) return true;
  }
  return false;
}

TEST(ConfigValidation, FileAndTablesSayTheSameWords) {
  const auto file = load_config_text(broken_toml, "w.toml").errors;
  EXPECT_TRUE(has(file, "w.toml:1:1: group 'main' has no primary")) << testing::PrintToString(file);
  EXPECT_TRUE(has(file, "w.toml:6:1: rule 1 routes to group 'nope', which has no [[servers]]"))
      << testing::PrintToString(file);
  const auto tables = read_back(broken_tables());
  EXPECT_TRUE(has(tables, "servers: group 'main' has no primary")) << testing::PrintToString(tables);
  EXPECT_TRUE(has(tables, "query_rules: rule 1 routes to group 'nope', which has no [[servers]]"))
      << testing::PrintToString(tables);
}

TEST(ConfigValidation, AtMost64RulesNamesTheFirstOneTooMany) {
  auto c = broken_tables();
  c.topology.servers[0].role = routing::server_role::primary;
  c.runtime.rules.clear();
  for (std::uint32_t id = 1; id <= 65; ++id) {
    routing::query_rule r;
    r.id = id;
    c.runtime.rules.push_back(r);
  }
  const auto problems = validate_whole(c.topology, c.runtime);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "at most 64 rules");
  EXPECT_EQ(problems[0].in, config_problem::place::rules);
  EXPECT_EQ(problems[0].row, 64u);
  c.runtime.rules.pop_back();
  EXPECT_TRUE(validate_whole(c.topology, c.runtime).empty());
}

TEST(ConfigValidation, GroupsWithoutServersOnlyInTheFile) {
  auto c = broken_tables();
  c.topology.servers[0].role = routing::server_role::primary;
  c.runtime.rules.clear();
  routing::group_policy ghost;
  ghost.name = "ghost";
  c.topology.groups.push_back(ghost);
  EXPECT_TRUE(validate_whole(c.topology, c.runtime).empty());
  const auto strict = validate_whole(c.topology, c.runtime, {.groups_need_servers = true});
  ASSERT_EQ(strict.size(), 1u);
  EXPECT_EQ(strict[0].message, "group 'ghost' has no [[servers]]");
  add_default_policies(c.topology);
  ASSERT_EQ(c.topology.groups.size(), 2u);
  EXPECT_EQ(c.topology.groups[1].name, "main");
}

}  // namespace
}  // namespace weft::config
