// The admin engine over a real SQLite state file in a temp directory: SQL on the config tables,
// whole-configuration validation, transactions, the authorizer, the state's diff with a file.
#include <gtest/gtest.h>

#include <filesystem>
#include <unistd.h>

#include "admin/admin_engine.h"
#include "config/config_loader.h"
#include "config/state_store.h"
#include "routing/topology.h"

namespace weft::admin {
namespace {

constexpr std::string_view base_config = R"(
[[users]]
name = "app"
password = "app-secret"

[[servers]]
address = "10.0.0.1:3306"
group = "main"
role = "primary"

[[servers]]
address = "10.0.0.2:3306"
group = "main"
role = "replica"
)";

config::table_config load_base() {
  auto loaded = config::load_config_text(base_config, "t.toml");
  EXPECT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors.front());
  return {loaded.config->runtime, loaded.config->topology};
}

class AdminEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("weft-admin-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "state").string();
    config::state_store(path_).save(load_base());
    topology_ = std::make_unique<proxy::topology_store>(load_base().topology);
    commands_.topology = topology_.get();
    engine_ = std::make_unique<admin_engine>(path_, sources_, commands_,
                                             admin_hooks{[this](const config::table_config& c) { applied_.push_back(c); }, nullptr});
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  // The first column of the first row, or "(error CODE)".
  std::string scalar(std::string_view sql) {
    auto r = engine_->execute(sql);
    if (r.error) return "(error " + std::to_string(r.error->error_code) + ")";
    if (r.rows.empty() || r.rows.front().empty()) return "(no rows)";
    return r.rows.front().front().value_or("NULL");
  }
  std::uint16_t error_of(std::string_view sql) {
    auto r = engine_->execute(sql);
    return r.error ? r.error->error_code : 0;
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<proxy::topology_store> topology_;
  live_sources sources_;
  command_context commands_;
  std::vector<config::table_config> applied_;
  std::unique_ptr<admin_engine> engine_;
};

TEST_F(AdminEngine, ReadsTheConfigTablesWithOrdinarySql) {
  EXPECT_EQ(scalar("SELECT count(*) FROM servers"), "2");
  EXPECT_EQ(scalar("SELECT address FROM servers WHERE role = 'primary'"), "10.0.0.1:3306");
  EXPECT_EQ(scalar("SELECT s.group_name FROM servers s JOIN groups g ON g.name = s.group_name LIMIT 1"), "main");
  EXPECT_EQ(scalar("SELECT password_hash FROM users WHERE name = 'app'"),
            protocol::native_password_hash::from_password("app-secret").to_hex());
  const auto r = engine_->execute("SELECT address, weight FROM servers ORDER BY address");
  ASSERT_EQ(r.columns.size(), 2u);
  EXPECT_EQ(r.columns[1].type, protocol::column_type::longlong);  // INTEGER columns are numbers
  EXPECT_EQ(r.columns[0].type, protocol::column_type::var_string);
}

TEST_F(AdminEngine, AValidChangeCommitsAndIsApplied) {
  const auto r = engine_->execute("UPDATE servers SET status = 'OFFLINE_SOFT' WHERE address = '10.0.0.2:3306'");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.affected, 1u);
  ASSERT_EQ(applied_.size(), 1u);
  EXPECT_EQ(applied_[0].topology.servers[1].status, routing::server_status::offline_soft);
  // Durable: another connection to the file sees it.
  EXPECT_EQ(config::state_store(path_).load().config.topology.servers[1].status, routing::server_status::offline_soft);
}

TEST_F(AdminEngine, AnInvalidChangeIsRolledBackWithTheReason) {
  const auto r = engine_->execute("UPDATE servers SET role = 'replica'");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->error_code, 9010);
  EXPECT_NE(r.error->message.find("group 'main' has no primary"), std::string::npos) << r.error->message;
  EXPECT_EQ(scalar("SELECT role FROM servers WHERE address = '10.0.0.1:3306'"), "primary");
  EXPECT_TRUE(applied_.empty());
  EXPECT_EQ(error_of("INSERT INTO query_rules (id, match_pattern) VALUES (1, '(')"), 9010);
  EXPECT_EQ(error_of("INSERT INTO query_rules (id, group_name) VALUES (1, 'nowhere')"), 9010);
  EXPECT_EQ(scalar("SELECT count(*) FROM query_rules"), "0");
}

TEST_F(AdminEngine, ConstraintsNameTheMistake) {
  EXPECT_EQ(error_of("INSERT INTO servers (address, group_name, role) VALUES ('10.0.0.1:3306', 'main', 'replica')"),
            1062);
  EXPECT_EQ(error_of("UPDATE servers SET status = 'BAD'"), 4025);
  EXPECT_EQ(error_of("SELECT * FROM nowhere"), 1146);
  EXPECT_EQ(error_of("SELEKT 1"), 1064);
  EXPECT_EQ(error_of(""), 1065);
}

TEST_F(AdminEngine, ATransactionIsValidatedAtCommit) {
  ASSERT_EQ(error_of("BEGIN"), 0);
  // Alone, this leaves group 'main' without a primary...
  ASSERT_EQ(error_of("UPDATE servers SET role = 'replica' WHERE address = '10.0.0.1:3306'"), 0);
  // ...this fixes it: a switch of roles in one transaction.
  ASSERT_EQ(error_of("UPDATE servers SET role = 'primary' WHERE address = '10.0.0.2:3306'"), 0);
  EXPECT_TRUE(applied_.empty());
  ASSERT_EQ(error_of("COMMIT"), 0);
  ASSERT_EQ(applied_.size(), 1u);
  EXPECT_EQ(scalar("SELECT address FROM servers WHERE role = 'primary'"), "10.0.0.2:3306");
  // An invalid transaction is rolled back at COMMIT.
  ASSERT_EQ(error_of("BEGIN"), 0);
  ASSERT_EQ(error_of("DELETE FROM servers WHERE role = 'primary'"), 0);
  EXPECT_EQ(error_of("COMMIT"), 9010);
  EXPECT_EQ(scalar("SELECT count(*) FROM servers"), "2");
}

TEST_F(AdminEngine, OnlyConfigRowsCanChange) {
  EXPECT_EQ(error_of("CREATE TABLE x (a)"), 1227);
  EXPECT_EQ(error_of("DROP TABLE servers"), 1227);
  EXPECT_EQ(error_of("INSERT INTO stats_digest (digest) VALUES ('x')"), 1227);
  EXPECT_EQ(error_of("ATTACH DATABASE '/tmp/x' AS x"), 1227);
  EXPECT_EQ(error_of("PRAGMA journal_mode = DELETE"), 1227);
  EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
}

TEST_F(AdminEngine, PasswordMakesANativeHash) {
  EXPECT_EQ(scalar("SELECT PASSWORD('sandbox-root')"), "*0A2267EE638508E20E395B10D444B352BEF6DBF1");
  ASSERT_EQ(error_of("INSERT INTO users (name, password_hash) VALUES ('bob', PASSWORD('bob-secret'))"), 0);
  ASSERT_EQ(applied_.size(), 1u);
  const auto& bob = applied_[0].runtime.users.at("bob");
  EXPECT_EQ(bob.password.to_hex(), protocol::native_password_hash::from_password("bob-secret").to_hex());
}

TEST_F(AdminEngine, LoginQueriesOfClients) {
  EXPECT_EQ(scalar("select @@version_comment limit 1"), "weft admin");
  EXPECT_EQ(scalar("SELECT DATABASE()"), "weft");
  EXPECT_EQ(engine_->execute("SHOW TABLES").rows.size(), 19u);  // 7 config tables, 12 live views
  EXPECT_EQ(error_of("SET NAMES utf8mb4"), 0);
}

TEST_F(AdminEngine, ShowHealthReadsTheTopology) {
  topology_->update([](routing::topology& t) {
    t.servers[1].health.checked = t.servers[1].health.reachable = true;
    t.servers[1].health.replicating = t.servers[1].health.io_running = true;
    t.servers[1].health.lag_seconds = 3;
  });
  const auto r = engine_->execute("SHOW HEALTH FOR GROUP main");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][6], "unknown (no monitor)");
  EXPECT_EQ(r.rows[1][6], "SQL thread stopped");
  EXPECT_EQ(r.rows[1][7], "3");
  EXPECT_EQ(engine_->execute("SHOW HEALTH FOR GROUP other").rows.size(), 0u);
}

TEST(StateStore, DiffListsRowsThatDiffer) {
  const auto path = std::filesystem::temp_directory_path() / ("weft-state-diff-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  {
    config::state_store state(path.string());
    EXPECT_TRUE(state.empty());
    auto config = load_base();
    state.save(config);
    EXPECT_FALSE(state.empty());
    EXPECT_TRUE(state.diff(config).empty());
    config.topology.servers[1].weight = 7;
    routing::server extra;
    extra.address = {"10.0.0.3", 3306};
    extra.group = "main";
    config.topology.servers.push_back(extra);
    const auto diff = state.diff(config);
    ASSERT_EQ(diff.size(), 2u);
    EXPECT_EQ(diff[0].table, "servers");
    EXPECT_EQ(diff[0].key, "10.0.0.2:3306");
    EXPECT_NE(diff[0].in_file.find("weight=7"), std::string::npos) << diff[0].in_file;
    EXPECT_NE(diff[0].in_state.find("weight=1"), std::string::npos) << diff[0].in_state;
    EXPECT_EQ(diff[1].key, "10.0.0.3:3306");
    EXPECT_EQ(diff[1].in_state, "");
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST(Readiness, EveryGroupNeedsAReachablePrimary) {
  auto config = load_base();
  auto& t = config.topology;
  EXPECT_EQ(routing::unready_reason(t), std::nullopt);  // not checked: ready
  t.servers[0].health.checked = true;
  t.servers[0].health.reachable = false;
  t.servers[0].health.last_error = "2002 Can't connect";
  EXPECT_EQ(routing::unready_reason(t), "group 'main': primary 10.0.0.1:3306 is unreachable: 2002 Can't connect");
  t.servers[0].health.reachable = true;
  t.servers[0].status = routing::server_status::shunned;
  EXPECT_EQ(routing::unready_reason(t), "group 'main': primary 10.0.0.1:3306 is SHUNNED");
  t.servers[0].status = routing::server_status::online;
  t.servers[0].role = routing::server_role::replica;
  EXPECT_EQ(routing::unready_reason(t), "group 'main' has no primary");
}

}  // namespace
}  // namespace weft::admin

namespace weft::admin {
namespace {

// The HA commands that only change the configuration, in weft's and Fabric's forms.
TEST_F(AdminEngine, GroupsAreCreatedAndFilledWithServers) {
  EXPECT_EQ(error_of("CREATE GROUP shard1"), 0);
  EXPECT_EQ(error_of("CALL group.create('shard1')"), 9012);  // exists
  EXPECT_EQ(scalar("SELECT failover FROM groups WHERE name = 'shard1'"), "off");
  EXPECT_EQ(error_of("ADD SERVER '10.0.1.1:3306' TO GROUP nowhere"), 9012);
  EXPECT_EQ(error_of("ADD SERVER '10.0.1.1:3306' TO GROUP shard1"), 0);
  EXPECT_EQ(error_of("CALL group.add('shard1', '10.0.1.2:3306')"), 0);
  // The first server of a group is its primary; later ones are replicas.
  EXPECT_EQ(scalar("SELECT group_concat(address || '=' || role, ' ') FROM servers WHERE group_name = 'shard1'"),
            "10.0.1.1:3306=primary 10.0.1.2:3306=replica");
  EXPECT_EQ(error_of("ADD SERVER '10.0.1.2:3306' TO GROUP shard1"), 1062);
  ASSERT_FALSE(applied_.empty());
  const auto& t = applied_.back().topology;
  EXPECT_EQ(t.primary_of("shard1")->name, "10.0.1.1:3306");

  EXPECT_EQ(error_of("ACTIVATE GROUP shard1"), 0);
  EXPECT_EQ(scalar("SELECT failover FROM groups WHERE name = 'shard1'"), "auto");
  EXPECT_EQ(applied_.back().topology.policy_of("shard1").failover, routing::failover_mode::automatic);
  EXPECT_EQ(error_of("UPDATE groups SET failover = 'elect' WHERE name = 'shard1'"), 0);
  EXPECT_EQ(error_of("CALL group.activate('shard1')"), 0);  // keeps a mode already chosen
  EXPECT_EQ(scalar("SELECT failover FROM groups WHERE name = 'shard1'"), "elect");
  EXPECT_EQ(error_of("DEACTIVATE GROUP shard1"), 0);
  EXPECT_EQ(scalar("SELECT failover FROM groups WHERE name = 'shard1'"), "off");
  // "main" has no groups row (defaults): ACTIVATE creates one.
  EXPECT_EQ(error_of("ACTIVATE GROUP main"), 0);
  EXPECT_EQ(scalar("SELECT failover FROM groups WHERE name = 'main'"), "auto");

  // Removing a primary that still has replicas leaves the group without one: refused whole.
  EXPECT_EQ(error_of("REMOVE SERVER '10.0.1.1:3306'"), 9010);
  EXPECT_EQ(error_of("CALL group.remove('shard1', '10.0.1.2:3306')"), 0);
  EXPECT_EQ(error_of("REMOVE SERVER '10.0.1.2:3306'"), 9011);
  EXPECT_EQ(error_of("REMOVE SERVER '10.0.1.1:3306' FROM GROUP shard1"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM servers WHERE group_name = 'shard1'"), "0");
  EXPECT_EQ(error_of("PROMOTE GROUP"), 1064);
}

TEST_F(AdminEngine, ShowGroupsAndTheirServers) {
  EXPECT_EQ(error_of("CREATE GROUP empty"), 0);
  topology_->update([&](routing::topology& t) { t = applied_.back().topology; });
  auto r = engine_->execute("SHOW GROUPS");
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][0], "main");
  EXPECT_EQ(r.rows[0][1], "10.0.0.1:3306");
  EXPECT_EQ(r.rows[0][2], "1");
  EXPECT_EQ(r.rows[0][4], "INACTIVE");
  EXPECT_EQ(r.rows[1][0], "empty");
  EXPECT_EQ(r.rows[1][5], "no servers");
  auto fabric = engine_->execute("CALL group.lookup_servers('main')");
  ASSERT_FALSE(fabric.error);
  ASSERT_EQ(fabric.columns.size(), 5u);
  EXPECT_EQ(fabric.columns[1].name, "address");
  ASSERT_EQ(fabric.rows.size(), 2u);
  EXPECT_EQ(fabric.rows[0][2], "PRIMARY");
  EXPECT_EQ(fabric.rows[1][2], "SECONDARY");
  EXPECT_EQ(fabric.rows[1][3], "READ_ONLY");
  EXPECT_EQ(engine_->execute("SHOW GROUP main HEALTH").rows.size(), 2u);
  EXPECT_EQ(error_of("SHOW GROUP nope HEALTH"), 9012);
  EXPECT_EQ(error_of("CALL group.lookup_groups()"), 0);
}

}  // namespace
}  // namespace weft::admin

namespace weft::admin {
namespace {

// failover_log's history in the state file: newest last, bounded reads, empty fields as NULL.
TEST_F(AdminEngine, FailoverHistoryOutlivesTheProcess) {
  {
    config::state_store store(path_);
    for (int i = 1; i <= 3; ++i) {
      config::failover_event e;
      e.at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'000 + i));
      e.group = "main";
      e.event = i == 3 ? "fenced" : "failover";
      e.old_primary = "10.0.0." + std::to_string(i) + ":3306";
      e.new_primary = i == 3 ? "" : "10.0.0.9:3306";
      e.outcome = "ok";
      e.duration_ms = i == 3 ? -1 : 20 + i;
      store.record_event(e);
    }
  }
  config::state_store reopened(path_);
  const auto events = reopened.recent_events(2);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].old_primary, "10.0.0.2:3306");
  EXPECT_EQ(events[0].duration_ms, 22);
  EXPECT_EQ(events[1].event, "fenced");
  EXPECT_EQ(events[1].new_primary, "");
  EXPECT_EQ(events[1].duration_ms, -1);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(events[1].at.time_since_epoch()).count(),
            1'700'000'000'003);
  EXPECT_EQ(scalar("SELECT count(*) FROM failover_history WHERE new_primary IS NULL"), "1");
  EXPECT_EQ(error_of("DELETE FROM failover_history"), 1227);  // the DBA reads it, never edits it
}

}  // namespace
}  // namespace weft::admin

namespace weft::admin {
namespace {

// The accounts view: weft's own [[users]] first, then the backends' entries in the server's
// order, each with where it came from and why weft would not use it; never a hash.
TEST_F(AdminEngine, AccountsShowEachSourceAndNoHash) {
  proxy::config_store config(load_base().runtime);
  routing::account native{"app", "%", "mysql_native_password", "*0A2267EE638508E20E395B10D444B352BEF6DBF1"};
  routing::account ed{"edd", "127.0.0.%", "ed25519", "secret-looking-key"};
  routing::account shop{"shop", "10.0.%", "mysql_native_password", "*0A2267EE638508E20E395B10D444B352BEF6DBF1", true};
  proxy::account_store accounts(routing::account_table({native, ed, shop}));
  sources_.config = &config;
  sources_.accounts = &accounts;
  sources_.account_status = [] {
    monitor::account_load_status s;
    s.source = "10.0.0.1:3306";
    s.last_refresh = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    return s;
  };
  const auto r = engine_->execute(
      "SELECT user, host, source, plugin, locked, note, read_from, last_refresh FROM accounts ORDER BY rowid");
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(r.rows.size(), 4u);
  const auto at = [&](std::size_t row, std::size_t col) { return r.rows[row][col].value_or("NULL"); };
  EXPECT_EQ(at(0, 0) + "@" + at(0, 1) + " " + at(0, 2), "app@% config");
  EXPECT_EQ(at(1, 0) + "@" + at(1, 1) + " " + at(1, 2), "edd@127.0.0.% backend");  // most specific host first
  EXPECT_EQ(at(1, 5), "refused by weft: this plugin needs the clear password");
  EXPECT_EQ(at(2, 0) + " " + at(2, 4), "shop 1");
  EXPECT_EQ(at(3, 0) + " " + at(3, 5), "app a [[users]] entry of weft's configuration wins");
  EXPECT_EQ(at(3, 6), "10.0.0.1:3306");
  EXPECT_EQ(at(3, 7), "2027-01-15 08:00:00.000");
  for (const auto& row : r.rows) {
    for (const auto& value : row) EXPECT_EQ(value.value_or("").find("*0A22"), std::string::npos);
  }
  EXPECT_EQ(error_of("SELECT * FROM accounts WHERE auth_string IS NOT NULL"), 1054);
}

// EXPLAIN ROUTE reads the shard maps of the admin state: a map made with the admin's commands,
// then statements explained one row per shard, the merge, a refusal and a usage error.
TEST_F(AdminEngine, ExplainRouteReadsTheShardMaps) {
  for (const char* sql : {"CREATE GROUP global", "ADD SERVER '10.0.2.1:3306' TO GROUP global", "CREATE GROUP shard1",
                          "ADD SERVER '10.0.3.1:3306' TO GROUP shard1", "CREATE GROUP shard2",
                          "ADD SERVER '10.0.4.1:3306' TO GROUP shard2",
                          "CREATE SHARD MAP orders_map TYPE RANGE GLOBAL GROUP global",
                          "ADD SHARD TO MAP orders_map GROUP shard1 BOUND 0",
                          "ADD SHARD TO MAP orders_map GROUP shard2 BOUND 1000",
                          "ADD SHARD TABLE app.orders COLUMN order_id TO MAP orders_map"}) {
    ASSERT_EQ(error_of(sql), 0) << sql;
  }
  const auto rows_of = [&](std::string_view sql) {
    const auto r = engine_->execute(sql);
    EXPECT_FALSE(r.error) << sql << ": " << (r.error ? r.error->message : "");
    std::vector<std::string> out;
    for (const auto& row : r.rows) {
      std::string line;
      for (const auto& v : row) line += (line.empty() ? "" : " | ") + v.value_or("NULL");
      out.push_back(line);
    }
    return out;
  };
  const auto point = engine_->execute("EXPLAIN ROUTE SELECT * FROM app.orders WHERE order_id = 1500;");
  ASSERT_EQ(point.columns.size(), 4u);
  EXPECT_EQ(point.columns[0].name + " " + point.columns[1].name + " " + point.columns[2].name + " " +
                point.columns[3].name,
            "step target sql detail");
  using lines = std::vector<std::string>;
  EXPECT_EQ(rows_of("EXPLAIN ROUTE SELECT * FROM app.orders WHERE order_id = 1500"),
            lines{"1 | shard2 | SELECT * FROM app.orders WHERE order_id = 1500 | shard 2 of map orders_map (key 1500)"});
  EXPECT_EQ(rows_of("EXPLAIN ROUTE IN app SELECT order_id FROM orders ORDER BY order_id LIMIT 5, 5"),
            (lines{"1 | shard1 | SELECT order_id FROM orders ORDER BY order_id LIMIT 10 | shard 1 of map orders_map (no "
                   "key condition narrows it), read across shards: merged",
                   "2 | shard2 | SELECT order_id FROM orders ORDER BY order_id LIMIT 10 | shard 2 of map orders_map (no "
                   "key condition narrows it), read across shards: merged",
                   "merge | weft | NULL | union, then sort by ORDER BY, then OFFSET 5 LIMIT 5"}));
  EXPECT_EQ(rows_of("EXPLAIN ROUTE /* weft: shard_key=5 */ SELECT * FROM app.orders o JOIN app.notes n USING (id)"),
            lines{"1 | shard1 | /* weft: shard_key=5 */ SELECT * FROM app.orders o JOIN app.notes n USING (id) | "
                  "shard 1 of map orders_map (key 5, from the hint)"});
  EXPECT_EQ(rows_of("EXPLAIN ROUTE ALTER TABLE app.orders ADD COLUMN note TEXT").at(0).substr(0, 11), "1 | global ");
  EXPECT_EQ(rows_of("EXPLAIN ROUTE DELETE FROM app.orders"),
            lines{"refused | NULL | DELETE FROM app.orders | DELETE on sharded table app.orders without a condition on "
                  "its shard key `order_id` would write to every shard: refused (hint /* weft: shards=all */ to run it "
                  "on each shard, outside a transaction)"});
  EXPECT_EQ(rows_of("EXPLAIN ROUTE /* weft: shards=all */ DELETE FROM app.orders"),
            (lines{"1 | shard1 | /* weft: shards=all */ DELETE FROM app.orders | shard 1 of map orders_map (no key "
                   "condition narrows it): in a transaction of its own, committed only when every shard's part succeeded",
                   "2 | shard2 | /* weft: shards=all */ DELETE FROM app.orders | shard 2 of map orders_map (no key "
                   "condition narrows it): in a transaction of its own, committed only when every shard's part succeeded"}));
  EXPECT_EQ(rows_of("EXPLAIN ROUTE SELECT * FROM orders WHERE order_id = 1"),  // no IN db: not app's table
            lines{"1 | (session's group) | SELECT * FROM orders WHERE order_id = 1 | names no sharded table (no "
                  "schema: only db.table names can be sharded): routed as without sharding"});
  EXPECT_EQ(error_of("EXPLAIN ROUTE IN app"), 1064);
  EXPECT_EQ(scalar("SELECT count(*) FROM shards"), "2");  // explaining changed nothing
}

}  // namespace
}  // namespace weft::admin
