// One schema per configuration table (config_schema) drives the DDL, the INSERT and SELECT lists
// and the keys and words the file accepts: what one side holds, the other reads back the same.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <string>

#include "config/config_loader.h"
#include "config/config_schema.h"
#include "config/config_tables.h"

namespace weft::config {
namespace {

struct memory_db {
  memory_db() {
    EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    create_config_tables(db);
  }
  ~memory_db() { sqlite3_close(db); }
  sqlite3* db = nullptr;
};

// The SQL defaults are the C++ types' defaults: a row given only its required columns reads back
// as a default-constructed group, server, user and rule.
TEST(ConfigSchema, SqlDefaultsAreTheTypesDefaults) {
  memory_db m;
  exec_sql(m.db, "INSERT INTO servers (address, group_name, role) VALUES ('10.0.0.1:3306', 'g', 'primary')");
  exec_sql(m.db, "INSERT INTO groups (name) VALUES ('g')");
  exec_sql(m.db, "INSERT INTO users (name, password_hash) VALUES ('u', '')");
  exec_sql(m.db, "INSERT INTO query_rules (id) VALUES (1)");
  const auto read = read_config_tables(m.db);
  ASSERT_TRUE(read.errors.empty()) << read.errors[0];
  const routing::server server_defaults;
  const auto& s = read.config.topology.servers.at(0);
  EXPECT_EQ(s.weight, server_defaults.weight);
  EXPECT_EQ(s.max_connections, server_defaults.max_connections);
  EXPECT_EQ(s.status, server_defaults.status);
  const routing::group_policy group_defaults;
  const auto& g = read.config.topology.groups.at(0);
  EXPECT_EQ(g.max_replication_lag, group_defaults.max_replication_lag);
  EXPECT_EQ(g.reads_fall_back_to_primary, group_defaults.reads_fall_back_to_primary);
  EXPECT_EQ(g.read_only_transactions_on_replica, group_defaults.read_only_transactions_on_replica);
  EXPECT_EQ(g.read_your_writes, group_defaults.read_your_writes);
  EXPECT_EQ(g.read_your_writes_timeout, group_defaults.read_your_writes_timeout);
  EXPECT_EQ(g.failover, group_defaults.failover);
  EXPECT_EQ(g.pedantic, group_defaults.pedantic);
  const auto& u = read.config.runtime.users.at("u");
  EXPECT_FALSE(u.require_tls);
  EXPECT_FALSE(u.read_your_writes);
  const routing::query_rule rule_defaults;
  const auto& r = read.config.runtime.rules.at(0);
  EXPECT_EQ(r.block_code, rule_defaults.block_code);
  EXPECT_EQ(r.timeout_ms, rule_defaults.timeout_ms);
  EXPECT_EQ(r.log, rule_defaults.log);
  EXPECT_EQ(r.continue_after, rule_defaults.continue_after);
}

// Every key of the file's [[servers]], [[groups]], [[users]], [[rules]] survives a trip through
// the tables.
TEST(ConfigSchema, WhatTheFileSaysTheTablesKeep) {
  const auto loaded = load_config_text(R"([[users]]
name = "u"
password = "p"
require_tls = false
read_your_writes = true

[[servers]]
address = "10.0.0.1:3306"
group = "g"
role = "primary"
weight = 7
max_connections = 0
status = "offline_soft"

[[groups]]
name = "g"
max_replication_lag = 3
reads_without_replica = "error"
read_only_transactions = "replica"
read_your_writes = true
read_your_writes_timeout_ms = 250
failover = "elect"
candidates = ["10.0.0.1:3306"]
pedantic = true
exec_before = "true"
exec_after = "false"

[[rules]]
id = 9
user = "u"
schema = "s"
client = "10.0.0.0/8"
match_digest = "^SELECT"
match_pattern = "x"
group = "g"
route = "replica"
replace = "y"
error = "no"
error_code = 1234
timeout_ms = 5
log = true
continue = true
)",
                                       "t.toml");
  ASSERT_TRUE(loaded.config) << loaded.errors[0];
  memory_db m;
  const table_config file{loaded.config->runtime, loaded.config->topology};
  write_config_tables(m.db, file);
  const auto read = read_config_tables(m.db);
  ASSERT_TRUE(read.errors.empty()) << read.errors[0];
  const auto& s = read.config.topology.servers.at(0);
  EXPECT_EQ(s.weight, 7u);
  EXPECT_EQ(s.status, routing::server_status::offline_soft);
  const auto& g = read.config.topology.groups.at(0);
  EXPECT_EQ(g.max_replication_lag, 3u);
  EXPECT_FALSE(g.reads_fall_back_to_primary);
  EXPECT_TRUE(g.read_only_transactions_on_replica);
  EXPECT_TRUE(g.read_your_writes);
  EXPECT_EQ(g.read_your_writes_timeout.count(), 250);
  EXPECT_EQ(g.failover, routing::failover_mode::elect);
  EXPECT_EQ(g.candidates, std::vector<std::string>{"10.0.0.1:3306"});
  EXPECT_TRUE(g.pedantic);
  EXPECT_EQ(g.exec_before, "true");
  EXPECT_EQ(g.exec_after, "false");
  EXPECT_EQ(read.config.runtime.users.at("u").read_your_writes, true);
  const auto& r = read.config.runtime.rules.at(0);
  EXPECT_EQ(r.id, 9u);
  EXPECT_EQ(r.user, "u");
  EXPECT_EQ(r.schema, "s");
  EXPECT_EQ(r.client, "10.0.0.0/8");
  EXPECT_EQ(routing::pattern_of(r.match_digest), "^SELECT");
  EXPECT_EQ(routing::pattern_of(r.match_pattern), "x");
  EXPECT_EQ(r.route_group, "g");
  EXPECT_EQ(r.route_role, routing::target_role::replica);
  EXPECT_EQ(r.replace, "y");
  EXPECT_EQ(r.block_message, "no");
  EXPECT_EQ(r.block_code, 1234);
  EXPECT_EQ(r.timeout_ms, 5u);
  EXPECT_TRUE(r.log);
  EXPECT_TRUE(r.continue_after);
}

// The file's ranges and words are the columns' CHECKs.
TEST(ConfigSchema, FileAndTablesRefuseTheSameValues) {
  memory_db m;
  EXPECT_THROW(
      exec_sql(m.db, "INSERT INTO servers (address, group_name, role, weight) VALUES ('h:1', 'g', 'primary', 0)"),
      std::runtime_error);
  EXPECT_THROW(exec_sql(m.db, "INSERT INTO groups (name, failover) VALUES ('g', 'yes')"), std::runtime_error);
  const auto weight =
      load_config_text("[[servers]]\naddress = \"h:1\"\ngroup = \"g\"\nrole = \"primary\"\nweight = 0\n", "t.toml");
  ASSERT_FALSE(weight.errors.empty());
  EXPECT_NE(weight.errors[0].find("'weight' must be between 1 and 1000000"), std::string::npos) << weight.errors[0];
  const auto& failover = groups_table().column("failover");
  EXPECT_EQ(failover.words, (std::vector<std::string_view>{"off", "auto", "elect", "fail"}));
  EXPECT_EQ(file_keys(servers_table()),
            (std::vector<std::string_view>{"address", "group", "role", "weight", "max_connections", "status"}));
}

}  // namespace
}  // namespace weft::config
