#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "routing/classifier.h"
#include "routing/rw_split.h"

namespace weft::routing {
namespace {

// --- role_for -------------------------------------------------------------------------------

target_role role(std::string_view sql, bool pins = false, const group_policy& policy = {}) {
  return role_for(classify(sql), pins, policy);
}

struct role_case {
  std::string_view sql;
  target_role expected;
};

TEST(RoleFor, StatementsWithoutHints) {
  const role_case cases[] = {
      // Plain reads go to a replica.
      {"SELECT c FROM sbtest1 WHERE id = 5", target_role::replica},
      {"SHOW TABLES", target_role::replica},
      {"SELECT * FROM (SELECT id FROM t) AS x", target_role::replica},
      // Writes.
      {"UPDATE t SET a = 1 WHERE id = 2", target_role::primary},
      {"INSERT INTO t VALUES (1)", target_role::primary},
      {"DELETE FROM t WHERE id = 1", target_role::primary},
      {"CREATE TABLE t (id INT)", target_role::primary},
      // Locking reads.
      {"SELECT * FROM t WHERE id = 1 FOR UPDATE", target_role::primary},
      {"SELECT * FROM t WHERE id = 1 LOCK IN SHARE MODE", target_role::primary},
      // Side effects.
      {"SELECT GET_LOCK('m', 10)", target_role::primary},
      {"SELECT LAST_INSERT_ID()", target_role::primary},
      {"SELECT NEXTVAL(seq)", target_role::primary},
      {"SELECT id INTO @v FROM t LIMIT 1", target_role::primary},
      // Several reads in one text are not replica-safe.
      {"SELECT 1; SELECT 2", target_role::primary},
      // Transaction control.
      {"BEGIN", target_role::primary},
      {"START TRANSACTION", target_role::primary},
      {"COMMIT", target_role::primary},
      {"ROLLBACK", target_role::primary},
      // SET and USE.
      {"SET sql_mode = ''", target_role::primary},
      {"USE shop", target_role::primary},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(role(c.sql), c.expected) << c.sql;
  }
}

TEST(RoleFor, PinningStatementGoesToPrimary) {
  EXPECT_EQ(role("SELECT c FROM t WHERE id = 1", /*pins=*/false), target_role::replica);
  EXPECT_EQ(role("SELECT c FROM t WHERE id = 1", /*pins=*/true), target_role::primary);
}

TEST(RoleFor, ReadOnlyTransactionOnReplicaOnlyWhenTheGroupAllowsIt) {
  group_policy policy;
  EXPECT_EQ(role("START TRANSACTION READ ONLY", false, policy), target_role::primary);
  policy.read_only_transactions_on_replica = true;
  EXPECT_EQ(role("START TRANSACTION READ ONLY", false, policy), target_role::replica);
  EXPECT_EQ(role("start transaction read only", false, policy), target_role::replica);
  // Only the READ ONLY form.
  EXPECT_EQ(role("START TRANSACTION", false, policy), target_role::primary);
  EXPECT_EQ(role("START TRANSACTION READ WRITE", false, policy), target_role::primary);
  EXPECT_EQ(role("BEGIN", false, policy), target_role::primary);
  // A pinning statement still goes to the primary.
  EXPECT_EQ(role("START TRANSACTION READ ONLY", true, policy), target_role::primary);
}

TEST(RoleFor, PrimaryHintAlwaysWins) {
  EXPECT_EQ(role("/* weft: route=primary */ SELECT c FROM t WHERE id = 1"), target_role::primary);
  EXPECT_EQ(role("SELECT c FROM t WHERE id = 1 /* weft: route=primary */"), target_role::primary);
  group_policy policy;
  policy.read_only_transactions_on_replica = true;
  EXPECT_EQ(role("/* weft: route=primary */ START TRANSACTION READ ONLY", false, policy), target_role::primary);
}

TEST(RoleFor, ReplicaHintOnlyForReads) {
  EXPECT_EQ(role("/* weft: route=replica */ SELECT c FROM t WHERE id = 1"), target_role::replica);
  // Never a write, a transaction or several statements.
  EXPECT_EQ(role("/* weft: route=replica */ UPDATE t SET a = 1"), target_role::primary);
  EXPECT_EQ(role("/* weft: route=replica */ INSERT INTO t VALUES (1)"), target_role::primary);
  EXPECT_EQ(role("/* weft: route=replica */ BEGIN"), target_role::primary);
  EXPECT_EQ(role("/* weft: route=replica */ SELECT 1; SELECT 2"), target_role::primary);
  // Nor what binds a read to the primary or pins the session.
  EXPECT_EQ(role("/* weft: route=replica */ SELECT * FROM t FOR UPDATE"), target_role::primary);
  EXPECT_EQ(role("/* weft: route=replica */ SELECT GET_LOCK('a', 1)"), target_role::primary);
  EXPECT_EQ(role("/* weft: route=replica */ SELECT @v", true), target_role::primary);
  // A group hint alone does not change the role.
  EXPECT_EQ(role("/* weft: group=reports */ UPDATE t SET a = 1"), target_role::primary);
  EXPECT_EQ(role("/* weft: group=reports */ SELECT c FROM t"), target_role::replica);
}

TEST(RoleFor, ToString) {
  EXPECT_EQ(to_string(target_role::primary), "primary");
  EXPECT_EQ(to_string(target_role::replica), "replica");
}

// --- replica_eligible -----------------------------------------------------------------------

server healthy_replica(const std::string& name, const std::string& group = "main", std::uint32_t weight = 1) {
  server s;
  s.address = *parse_endpoint(name);
  s.name = name;
  s.group = group;
  s.role = server_role::replica;
  s.weight = weight;
  s.status = server_status::online;
  s.health.checked = true;
  s.health.reachable = true;
  s.health.replicating = true;
  s.health.io_running = true;
  s.health.sql_running = true;
  s.health.lag_seconds = 0;
  return s;
}

TEST(ReplicaEligible, HealthyOnlineReplica) {
  EXPECT_TRUE(replica_eligible(healthy_replica("10.0.0.2:3306"), group_policy{}));
}

TEST(ReplicaEligible, EveryHealthFlagIsRequired) {
  const group_policy policy;
  bool server_health::*flags[] = {&server_health::checked, &server_health::reachable, &server_health::replicating,
                                  &server_health::io_running, &server_health::sql_running};
  for (auto flag : flags) {
    auto s = healthy_replica("10.0.0.2:3306");
    s.health.*flag = false;
    EXPECT_FALSE(replica_eligible(s, policy));
  }
}

TEST(ReplicaEligible, OnlyOnlineStatus) {
  const group_policy policy;
  for (auto status : {server_status::shunned, server_status::offline_soft, server_status::offline_hard}) {
    auto s = healthy_replica("10.0.0.2:3306");
    s.status = status;
    EXPECT_FALSE(replica_eligible(s, policy)) << to_string(status);
  }
}

TEST(ReplicaEligible, LagMustBeKnownAndWithinTheBound) {
  group_policy policy;
  policy.max_replication_lag = 5;
  auto s = healthy_replica("10.0.0.2:3306");
  s.health.lag_seconds = 5;
  EXPECT_TRUE(replica_eligible(s, policy));
  s.health.lag_seconds = 6;
  EXPECT_FALSE(replica_eligible(s, policy));
  s.health.lag_seconds.reset();  // SQL thread stopped: unknown lag
  EXPECT_FALSE(replica_eligible(s, policy));
  policy.max_replication_lag = 0;
  s.health.lag_seconds = 0;
  EXPECT_TRUE(replica_eligible(s, policy));
  s.health.lag_seconds = 1;
  EXPECT_FALSE(replica_eligible(s, policy));
}

// A replica whose source died: its IO thread reconnects, Seconds_Behind_Master is NULL. What it
// applied decides, against the last position the monitor saw on the primary.
TEST(ReplicaEligible, SourceGoneJudgedByAppliedPosition) {
  const group_policy policy;
  server primary = healthy_replica("10.0.0.1:3306");
  primary.role = server_role::primary;
  primary.status = server_status::shunned;
  primary.health.reachable = false;
  primary.health.gtid_current_pos = "0-1-120,1-1-7";
  auto s = healthy_replica("10.0.0.2:3306");
  s.health.io_running = false;
  s.health.lag_seconds.reset();
  const struct {
    const char* applied;
    bool eligible;
  } table[] = {
      {"0-1-120,1-1-7", true},   // everything the primary had
      {"0-1-121,1-1-7", true},   // more (the primary's last check was a moment earlier)
      {"0-1-119,1-1-7", false},  // one transaction short
      {"0-1-120", false},        // a domain missing
      {"", false},               // nothing known
  };
  for (const auto& row : table) {
    s.health.gtid_current_pos = row.applied;
    EXPECT_EQ(replica_eligible(s, policy, &primary), row.eligible) << row.applied;
  }
  s.health.gtid_current_pos = "0-1-120,1-1-7";
  EXPECT_FALSE(replica_eligible(s, policy)) << "no primary known: nothing to compare with";
  primary.health.gtid_current_pos.clear();
  EXPECT_FALSE(replica_eligible(s, policy, &primary)) << "the primary's position was never seen";
  s.health.sql_running = false;
  primary.health.gtid_current_pos = "0-1-120,1-1-7";
  EXPECT_FALSE(replica_eligible(s, policy, &primary)) << "the SQL thread must still run";
}

TEST(ReplicaEligible, IoRunningStillJudgedByLag) {
  group_policy policy;
  policy.max_replication_lag = 5;
  server primary = healthy_replica("10.0.0.1:3306");
  primary.role = server_role::primary;
  primary.health.gtid_current_pos = "0-1-10";
  auto s = healthy_replica("10.0.0.2:3306");
  s.health.gtid_current_pos = "0-1-10";
  s.health.lag_seconds = 9;  // covered position, but the running IO thread says it is behind
  EXPECT_FALSE(replica_eligible(s, policy, &primary));
}

// --- choose_replica -------------------------------------------------------------------------

server primary(const std::string& name, const std::string& group = "main") {
  auto s = healthy_replica(name, group);
  s.role = server_role::primary;
  s.health.replicating = s.health.io_running = s.health.sql_running = false;
  s.health.lag_seconds.reset();
  return s;
}

group_policy policy_named(const std::string& name, std::uint32_t max_lag = 10) {
  group_policy p;
  p.name = name;
  p.max_replication_lag = max_lag;
  return p;
}

// Connections in use per server name (0 when not listed).
struct loads {
  std::map<std::string, std::uint64_t> in_use;
  std::uint64_t operator()(const server& s) const {
    const auto it = in_use.find(s.name);
    return it == in_use.end() ? 0 : it->second;
  }
};

std::string chosen(const topology& t, std::string_view group, std::uint64_t rotation, const loads& load) {
  const auto* s = choose_replica(t, group, rotation, load);
  return s ? s->name : "(none)";
}

TEST(ChooseReplica, LeastConnectionsWins) {
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306"), healthy_replica("10.0.0.3:3306"),
               healthy_replica("10.0.0.4:3306")};
  t.groups = {policy_named("main")};
  const loads load{{{"10.0.0.2:3306", 4}, {"10.0.0.3:3306", 1}, {"10.0.0.4:3306", 2}}};
  for (std::uint64_t rotation = 0; rotation < 4; ++rotation) {
    EXPECT_EQ(chosen(t, "main", rotation, load), "10.0.0.3:3306") << rotation;
  }
}

TEST(ChooseReplica, LoadIsWeighed) {
  // Scores in use / weight: .2 -> 1/1 = 1, .3 -> 3/4 = 0.75.
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306", "main", 1),
               healthy_replica("10.0.0.3:3306", "main", 4)};
  t.groups = {policy_named("main")};
  EXPECT_EQ(chosen(t, "main", 0, loads{{{"10.0.0.2:3306", 1}, {"10.0.0.3:3306", 3}}}), "10.0.0.3:3306");
  // 1/1 = 1 against 5/4 = 1.25.
  EXPECT_EQ(chosen(t, "main", 0, loads{{{"10.0.0.2:3306", 1}, {"10.0.0.3:3306", 5}}}), "10.0.0.2:3306");
}

TEST(ChooseReplica, EqualWeightTiesRotate) {
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306"), healthy_replica("10.0.0.3:3306")};
  t.groups = {policy_named("main")};
  const loads idle{};
  EXPECT_EQ(chosen(t, "main", 0, idle), "10.0.0.2:3306");
  EXPECT_EQ(chosen(t, "main", 1, idle), "10.0.0.3:3306");
  EXPECT_EQ(chosen(t, "main", 2, idle), "10.0.0.2:3306");
  EXPECT_EQ(chosen(t, "main", 3, idle), "10.0.0.3:3306");
}

TEST(ChooseReplica, IdleReplicasShareByWeight) {
  // Weights 1 and 3, both idle (score 0): over four rotations, one read and three.
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306", "main", 1),
               healthy_replica("10.0.0.3:3306", "main", 3)};
  t.groups = {policy_named("main")};
  const loads idle{};
  std::map<std::string, int> picks;
  for (std::uint64_t rotation = 0; rotation < 4; ++rotation) ++picks[chosen(t, "main", rotation, idle)];
  EXPECT_EQ(picks["10.0.0.2:3306"], 1);
  EXPECT_EQ(picks["10.0.0.3:3306"], 3);
  EXPECT_EQ(picks.size(), 2u);
  // The rotation is taken modulo the tied weight.
  EXPECT_EQ(chosen(t, "main", 0, idle), "10.0.0.2:3306");
  EXPECT_EQ(chosen(t, "main", 4, idle), "10.0.0.2:3306");
  EXPECT_EQ(chosen(t, "main", 5, idle), "10.0.0.3:3306");
  // Equal non-zero scores tie too: 1/1 == 3/3.
  const loads busy{{{"10.0.0.2:3306", 1}, {"10.0.0.3:3306", 3}}};
  EXPECT_EQ(chosen(t, "main", 0, busy), "10.0.0.2:3306");
  EXPECT_EQ(chosen(t, "main", 1, busy), "10.0.0.3:3306");
}

TEST(ChooseReplica, IneligibleReplicasAreSkipped) {
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306"), healthy_replica("10.0.0.3:3306"),
               healthy_replica("10.0.0.4:3306"), healthy_replica("10.0.0.5:3306")};
  t.groups = {policy_named("main", 5)};
  t.servers[1].status = server_status::offline_soft;
  t.servers[2].health.lag_seconds = 6;  // over the group's bound of 5
  t.servers[3].health.sql_running = false;
  // The idle ones are ineligible; the busy one is the only choice.
  const loads load{{{"10.0.0.5:3306", 9}}};
  for (std::uint64_t rotation = 0; rotation < 3; ++rotation) {
    EXPECT_EQ(chosen(t, "main", rotation, load), "10.0.0.5:3306") << rotation;
  }
}

TEST(ChooseReplica, UsesTheGroupsOwnLagBound) {
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306")};
  t.servers[1].health.lag_seconds = 20;
  t.groups = {policy_named("main", 30)};
  EXPECT_EQ(chosen(t, "main", 0, loads{}), "10.0.0.2:3306");
  t.groups = {policy_named("main", 15)};
  EXPECT_EQ(chosen(t, "main", 0, loads{}), "(none)");
}

TEST(ChooseReplica, OtherGroupsAndPrimariesAreIgnored) {
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306"), primary("10.0.1.1:3306", "reports"),
               healthy_replica("10.0.1.2:3306", "reports")};
  t.groups = {policy_named("main"), policy_named("reports")};
  // The idle replica of the other group never takes main's reads.
  const loads load{{{"10.0.0.2:3306", 50}}};
  for (std::uint64_t rotation = 0; rotation < 3; ++rotation) {
    EXPECT_EQ(chosen(t, "main", rotation, load), "10.0.0.2:3306");
    EXPECT_EQ(chosen(t, "reports", rotation, load), "10.0.1.2:3306");
  }
  EXPECT_EQ(chosen(t, "nope", 0, load), "(none)");
}

TEST(ChooseReplica, NullWhenNoneIsEligible) {
  topology t;
  t.servers = {primary("10.0.0.1:3306"), healthy_replica("10.0.0.2:3306"), healthy_replica("10.0.0.3:3306")};
  t.groups = {policy_named("main")};
  t.servers[1].status = server_status::shunned;
  t.servers[2].health.reachable = false;
  EXPECT_EQ(choose_replica(t, "main", 0, loads{}), nullptr);

  topology only_primary;
  only_primary.servers = {primary("10.0.0.1:3306")};
  EXPECT_EQ(choose_replica(only_primary, "main", 0, loads{}), nullptr);
}

}  // namespace
}  // namespace weft::routing
