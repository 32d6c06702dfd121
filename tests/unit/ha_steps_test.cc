// The pieces of the HA operations that need no backend: the step log a DBA reads, the hooks
// (real /bin/sh processes: environment, exit status, timeout), and where a shard group's new
// primary takes the global group's stream from.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "ops/ha_global_stream.h"
#include "ops/ha_steps.h"

namespace weft::ops {
namespace {

TEST(StepLog, RowsAndFailuresForTheDba) {
  step_log log;
  log.ok("check primary", "10.0.0.1:3306", "reachable");
  log.warn("check candidate", "10.0.0.3:3306", "skipped: not replicating");
  EXPECT_FALSE(log.any_failed());
  EXPECT_FALSE(log.failed("catch up", "10.0.0.2:3306", "timed out"));
  log.failed("promote", "", "1227 Access denied");
  EXPECT_TRUE(log.any_failed());
  EXPECT_EQ(log.failures(), "catch up on 10.0.0.2:3306: timed out; promote: 1227 Access denied");
  const auto t = log.table();
  ASSERT_EQ(t.columns.size(), 5u);
  EXPECT_EQ(t.columns[0].name, "step");
  EXPECT_EQ(t.columns[4].name, "ms");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0][0], "check primary");
  EXPECT_EQ(t.rows[1][2], "warning");
  EXPECT_EQ(t.rows[2][2], "failed");
  EXPECT_EQ(t.rows[3][1], std::nullopt);  // no server: NULL, not ""
}

class Hook : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = std::filesystem::temp_directory_path() / ("weft-hook-test-" + std::to_string(::getpid()));
  }
  void TearDown() override { std::filesystem::remove(out_); }
  std::string written() {
    std::ifstream in(out_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::filesystem::path out_;
};

TEST_F(Hook, GetsTheOldAndNewPrimaryInItsEnvironment) {
  const auto r = run_hook("printf '%s %s' \"$WEFT_OLD_PRIMARY\" \"$WEFT_NEW_PRIMARY\" > " + out_.string(),
                          {{"WEFT_OLD_PRIMARY", "10.0.0.1:3306"}, {"WEFT_NEW_PRIMARY", "10.0.0.2:3306"}},
                          std::chrono::milliseconds(5000));
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "exit 0");
  EXPECT_EQ(written(), "10.0.0.1:3306 10.0.0.2:3306");
}

TEST_F(Hook, AFailingCommandSaysHow) {
  const auto r = run_hook("exit 3", {}, std::chrono::milliseconds(5000));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "exit 3");
}

TEST_F(Hook, IsKilledAtItsTimeoutWithItsChildren) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = run_hook("sleep 30 & sleep 30; echo late > " + out_.string(), {}, std::chrono::milliseconds(200));
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "killed after 200 ms");
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(std::filesystem::exists(out_));
}

// --- a shard group's new primary and the global stream ---------------------------------------

sharding::shard_map map_of(std::string name, std::string global, std::vector<std::string> shard_groups) {
  sharding::shard_map m;
  m.name = std::move(name);
  m.global_group = std::move(global);
  for (auto& g : shard_groups) m.shards.push_back({std::move(g), {}});
  return m;
}

routing::server server_at(const std::string& name, const std::string& group, routing::server_role role) {
  routing::server s;
  s.address = *routing::parse_endpoint(name);
  s.name = name;
  s.group = group;
  s.role = role;
  return s;
}

// The sharded sandbox: global 23320 (+23321), shard1 23323 promoted (23322 the old primary), shard2 23324.
routing::topology sharded_layout() {
  using routing::server_role;
  routing::topology t;
  t.servers = {server_at("127.0.0.1:23320", "global", server_role::primary),
               server_at("127.0.0.1:23321", "global", server_role::replica),
               server_at("127.0.0.1:23322", "shard1", server_role::replica),
               server_at("127.0.0.1:23323", "shard1", server_role::primary),
               server_at("127.0.0.1:23324", "shard2", server_role::primary)};
  return t;
}

TEST(GlobalStream, AGlobalGroupsShardGroupsFollowItsPrimary) {
  sharding::catalog c;
  c.maps = {map_of("users", "global", {"shard1", "shard2"}), map_of("orders", "global", {"shard2", "shard3"}),
            map_of("logs", "global2", {"shard4"})};
  EXPECT_EQ(shard_groups_of(c, "global"), (std::vector<std::string>{"shard1", "shard2", "shard3"}));  // each once
  EXPECT_EQ(shard_groups_of(c, "global2"), std::vector<std::string>{"shard4"});
  EXPECT_TRUE(shard_groups_of(c, "shard1").empty());  // a shard group is no map's global group
  EXPECT_TRUE(shard_groups_of(sharding::catalog{}, "global").empty());
}

TEST(GlobalStream, AGroupsGlobalGroupsComeFromTheMapsItIsAShardOf) {
  sharding::catalog c;
  c.maps = {map_of("users", "global", {"shard1", "shard2"}), map_of("orders", "global", {"shard2", "shard1"}),
            map_of("logs", "global2", {"shard3"})};
  EXPECT_EQ(global_groups_of(c, "shard1"), std::vector<std::string>{"global"});  // two maps, one global group
  EXPECT_EQ(global_groups_of(c, "shard3"), std::vector<std::string>{"global2"});
  EXPECT_TRUE(global_groups_of(c, "global").empty());  // a global group is no shard
  EXPECT_TRUE(global_groups_of(c, "main").empty());
  EXPECT_TRUE(global_groups_of(sharding::catalog{}, "shard1").empty());
  c.maps.push_back(map_of("events", "global2", {"shard1"}));
  EXPECT_EQ(global_groups_of(c, "shard1"), (std::vector<std::string>{"global", "global2"}));
}

TEST(GlobalStream, TheNewPrimaryReplicatesFromTheGlobalGroupsCurrentPrimary) {
  auto t = sharded_layout();
  auto g = global_source_for(t, {"global"}, "127.0.0.1:23323");
  EXPECT_TRUE(g.wanted());
  EXPECT_EQ(g.global_group, "global");
  ASSERT_TRUE(g.primary);
  EXPECT_EQ(g.primary->to_string(), "127.0.0.1:23320");
  EXPECT_EQ(g.problem, "");
  // After the global group failed over too, its new primary.
  t.servers[0].role = routing::server_role::replica;
  t.servers[1].role = routing::server_role::primary;
  g = global_source_for(t, {"global"}, "127.0.0.1:23323");
  ASSERT_TRUE(g.primary);
  EXPECT_EQ(g.primary->to_string(), "127.0.0.1:23321");
}

TEST(GlobalStream, NotAShardGroupNothingToDo) {
  const auto g = global_source_for(sharded_layout(), {}, "127.0.0.1:23320");
  EXPECT_FALSE(g.wanted());
  EXPECT_FALSE(g.primary);
  EXPECT_EQ(g.problem, "");
}

TEST(GlobalStream, NoSourceToPointAtIsSaidNeverGuessed) {
  auto t = sharded_layout();
  auto g = global_source_for(t, {"global", "global2"}, "127.0.0.1:23323");
  EXPECT_TRUE(g.wanted());
  EXPECT_FALSE(g.primary);
  EXPECT_EQ(g.problem, "the group is a shard of maps with different global groups (global, global2): a server "
                       "replicates from one source; choose it with REPLICATE");
  t.servers[0].role = routing::server_role::replica;  // the global group without a primary
  g = global_source_for(t, {"global"}, "127.0.0.1:23323");
  EXPECT_FALSE(g.primary);
  EXPECT_EQ(g.problem, "the global group 'global' has no primary");
  g = global_source_for(sharded_layout(), {"global"}, "127.0.0.1:23320");
  EXPECT_FALSE(g.primary);
  EXPECT_EQ(g.problem, "127.0.0.1:23320 is the global group's primary itself");
}

}  // namespace
}  // namespace weft::ops
