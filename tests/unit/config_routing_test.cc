// weft.toml sections for routing: [monitor], [[groups]], the routing keys of [[servers]] and
// [[users]], and [[rules]].
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/config_loader.h"
#include "routing/query_rules.h"

namespace weft::config {
namespace {

// Two groups, each with its primary; the tests append the sections they are about.
constexpr std::string_view base = R"(
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

[[servers]]
address = "10.0.1.1:3306"
group = "reports"
role = "primary"
)";

config_load_result load(std::string_view extra) {
  return load_config_text(std::string(base) + std::string(extra), "t.toml");
}

std::string errors_of(const config_load_result& r) {
  std::string all;
  for (const auto& e : r.errors) all += e + "\n";
  return all.empty() ? "(none)" : all;
}

const routing::group_policy* policy_named(const bootstrap_config& c, std::string_view name) {
  const auto& groups = c.topology.groups;
  const auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.name == name; });
  return it == groups.end() ? nullptr : &*it;
}

TEST(ConfigRouting, MonitorSection) {
  const auto r = load(R"(
[monitor]
user = "monitor"
password = "monitor-secret"
interval_ms = 250
timeout_ms = 400
failures_to_shun = 5
history = 20
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto& m = r.config->monitor;
  EXPECT_TRUE(m.enabled());
  EXPECT_EQ(m.user, "monitor");
  EXPECT_EQ(m.password, "monitor-secret");
  EXPECT_EQ(m.interval.count(), 250);
  EXPECT_EQ(m.timeout.count(), 400);
  EXPECT_EQ(m.failures_to_shun, 5u);
  EXPECT_EQ(m.history, 20u);
}

TEST(ConfigRouting, NoMonitorSectionMeansNoMonitor) {
  const auto r = load("");
  ASSERT_TRUE(r.config) << errors_of(r);
  EXPECT_FALSE(r.config->monitor.enabled());
  EXPECT_TRUE(r.config->monitor.user.empty());
}

TEST(ConfigRouting, GroupSection) {
  const auto r = load(R"(
[[groups]]
name = "main"
max_replication_lag = 30
reads_without_replica = "error"
read_only_transactions = "replica"
read_your_writes = true
read_your_writes_timeout_ms = 2500
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto* g = policy_named(*r.config, "main");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->max_replication_lag, 30u);
  EXPECT_FALSE(g->reads_fall_back_to_primary);
  EXPECT_TRUE(g->read_only_transactions_on_replica);
  EXPECT_TRUE(g->read_your_writes);
  EXPECT_EQ(g->read_your_writes_timeout.count(), 2500);
  // The topology hands out the same policy.
  EXPECT_EQ(r.config->topology.policy_of("main").max_replication_lag, 30u);
}

TEST(ConfigRouting, GroupFailoverKeysAndTheHaSection) {
  const auto r = load(R"(
[[groups]]
name = "main"
failover = "elect"
candidates = ["10.0.0.2:3306"]
pedantic = true
exec_before = "/usr/local/bin/fence-vip $WEFT_OLD_PRIMARY"
exec_after = "logger switched"

[ha]
replication_user = "repl"
replication_password = "s3cret"
hold_timeout_ms = 2500
catch_up_timeout_ms = 30000
hook_timeout_ms = 4000
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto* g = policy_named(*r.config, "main");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->failover, routing::failover_mode::elect);
  EXPECT_EQ(g->candidates, std::vector<std::string>{"10.0.0.2:3306"});
  EXPECT_TRUE(g->pedantic);
  EXPECT_EQ(g->exec_before, "/usr/local/bin/fence-vip $WEFT_OLD_PRIMARY");
  EXPECT_EQ(g->exec_after, "logger switched");
  EXPECT_EQ(policy_named(*r.config, "reports")->failover, routing::failover_mode::off);  // the default
  const auto& ha = r.config->ha;
  EXPECT_EQ(ha.replication_user, "repl");
  EXPECT_EQ(ha.replication_password, "s3cret");
  EXPECT_EQ(ha.hold_timeout.count(), 2500);
  EXPECT_EQ(ha.catch_up_timeout.count(), 30000);
  EXPECT_EQ(ha.hook_timeout.count(), 4000);
  EXPECT_EQ(load("").config->ha.hold_timeout.count(), 5000);
}

TEST(ConfigRouting, GroupWordsForTheDefaults) {
  const auto r = load(R"(
[[groups]]
name = "main"
reads_without_replica = "primary"
read_only_transactions = "primary"
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto* g = policy_named(*r.config, "main");
  ASSERT_NE(g, nullptr);
  EXPECT_TRUE(g->reads_fall_back_to_primary);
  EXPECT_FALSE(g->read_only_transactions_on_replica);
}

TEST(ConfigRouting, GroupsNotListedGetTheDefaultPolicy) {
  const auto r = load(R"(
[[groups]]
name = "main"
max_replication_lag = 30
read_your_writes = true
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  ASSERT_EQ(r.config->topology.groups.size(), 2u);
  const auto* reports = policy_named(*r.config, "reports");
  ASSERT_NE(reports, nullptr);
  const routing::group_policy defaults;
  EXPECT_EQ(reports->max_replication_lag, defaults.max_replication_lag);
  EXPECT_EQ(reports->reads_fall_back_to_primary, defaults.reads_fall_back_to_primary);
  EXPECT_EQ(reports->read_only_transactions_on_replica, defaults.read_only_transactions_on_replica);
  EXPECT_EQ(reports->read_your_writes, defaults.read_your_writes);
  EXPECT_EQ(reports->read_your_writes_timeout.count(), defaults.read_your_writes_timeout.count());
  const auto* main_policy = policy_named(*r.config, "main");
  ASSERT_NE(main_policy, nullptr);
  EXPECT_EQ(main_policy->max_replication_lag, 30u);

  // Without any [[groups]], every group still has its policy.
  const auto plain = load("");
  ASSERT_TRUE(plain.config) << errors_of(plain);
  EXPECT_EQ(plain.config->topology.groups.size(), 2u);
  EXPECT_NE(policy_named(*plain.config, "main"), nullptr);
  EXPECT_NE(policy_named(*plain.config, "reports"), nullptr);
}

TEST(ConfigRouting, ServerRoutingKeys) {
  const auto r = load(R"(
[[servers]]
address = "10.0.0.3:3306"
group = "main"
role = "replica"
weight = 3
max_connections = 50
status = "offline_soft"

[[servers]]
address = "10.0.0.4:3306"
group = "main"
role = "replica"
status = "offline_hard"
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto& t = r.config->topology;
  const auto* s = t.find(routing::endpoint{"10.0.0.3", 3306});
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->name, "10.0.0.3:3306");
  EXPECT_EQ(s->group, "main");
  EXPECT_EQ(s->role, routing::server_role::replica);
  EXPECT_EQ(s->weight, 3u);
  EXPECT_EQ(s->max_connections, 50u);
  EXPECT_EQ(s->status, routing::server_status::offline_soft);

  const auto* hard = t.find(routing::endpoint{"10.0.0.4", 3306});
  ASSERT_NE(hard, nullptr);
  EXPECT_EQ(hard->status, routing::server_status::offline_hard);

  // Defaults.
  const auto* primary = t.find(routing::endpoint{"10.0.0.1", 3306});
  ASSERT_NE(primary, nullptr);
  EXPECT_EQ(primary->weight, 1u);
  EXPECT_EQ(primary->max_connections, 0u);
  EXPECT_EQ(primary->status, routing::server_status::online);
}

TEST(ConfigRouting, UserReadYourWritesOverride) {
  const auto r = load(R"(
[[users]]
name = "ops"
password = "x"
read_your_writes = true

[[users]]
name = "batch"
password = "y"
read_your_writes = false
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto& users = r.config->runtime.users;
  EXPECT_FALSE(users.at("app").read_your_writes.has_value());
  ASSERT_TRUE(users.at("ops").read_your_writes.has_value());
  EXPECT_TRUE(*users.at("ops").read_your_writes);
  ASSERT_TRUE(users.at("batch").read_your_writes.has_value());
  EXPECT_FALSE(*users.at("batch").read_your_writes);
}

TEST(ConfigRouting, RuleSection) {
  const auto r = load(R"(
[[rules]]
id = 7
user = "report"
match_digest = "^select .* from orders"
route = "replica"
group = "reports"
timeout_ms = 1500
log = true
continue = true

[[rules]]
schema = "secret"
client = "10.0.0.0/8"
error = "not here"
error_code = 1142

[[rules]]
match_pattern = 'FROM\s+orders\b'
replace = "FROM orders_archive"
route = "primary"
)");
  ASSERT_TRUE(r.config) << errors_of(r);
  const auto& rules = r.config->runtime.rules;
  ASSERT_EQ(rules.size(), 3u);

  const auto& first = rules[0];
  EXPECT_EQ(first.id, 7u);
  EXPECT_EQ(first.user, "report");
  EXPECT_TRUE(first.match_digest != nullptr);
  EXPECT_TRUE(first.match_pattern == nullptr);
  ASSERT_TRUE(first.route_role.has_value());
  EXPECT_EQ(*first.route_role, routing::target_role::replica);
  EXPECT_EQ(first.route_group, "reports");
  EXPECT_EQ(first.timeout_ms, 1500u);
  EXPECT_TRUE(first.log);
  EXPECT_TRUE(first.continue_after);
  EXPECT_FALSE(first.block_message.has_value());

  const auto& second = rules[1];
  EXPECT_EQ(second.id, 2u);  // no id: the position in the list
  EXPECT_EQ(second.schema, "secret");
  EXPECT_EQ(second.client, "10.0.0.0/8");
  ASSERT_TRUE(second.block_message.has_value());
  EXPECT_EQ(*second.block_message, "not here");
  EXPECT_EQ(second.block_code, 1142);
  EXPECT_FALSE(second.route_role.has_value());
  EXPECT_TRUE(second.route_group.empty());
  EXPECT_EQ(second.timeout_ms, 0u);
  EXPECT_FALSE(second.log);
  EXPECT_FALSE(second.continue_after);

  const auto& third = rules[2];
  EXPECT_EQ(third.id, 3u);
  EXPECT_TRUE(third.match_pattern != nullptr);
  ASSERT_TRUE(third.replace.has_value());
  EXPECT_EQ(*third.replace, "FROM orders_archive");
  ASSERT_TRUE(third.route_role.has_value());
  EXPECT_EQ(*third.route_role, routing::target_role::primary);

  // The expressions are the ones written.
  EXPECT_EQ(routing::rule_candidates(rules, {"report", "shop", "127.0.0.1"}, "SELECT * FROM orders WHERE id = ?"),
            0b101u);
  EXPECT_EQ(routing::rule_candidates(rules, {"report", "shop", "127.0.0.1"}, "SELECT * FROM customers"), 0b100u);
  const auto out = routing::apply_rules(rules, 0b100, "SELECT * FROM orders WHERE id = 1");
  ASSERT_TRUE(out.rewritten.has_value());
  EXPECT_EQ(*out.rewritten, "SELECT * FROM orders_archive WHERE id = 1");
}

TEST(ConfigRouting, InvalidRegexNamesItsLine) {
  constexpr std::string_view toml = R"([[servers]]
address = "127.0.0.1:3306"
group = "main"
role = "primary"

[[rules]]
match_digest = "orders("

[[rules]]
route = "replica"
match_pattern = "(["
)";
  const auto r = load_config_text(toml, "t.toml");
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.errors.size(), 2u) << errors_of(r);
  EXPECT_TRUE(r.errors[0].starts_with("t.toml:7:16: 'match_digest' is not a valid regular expression"))
      << r.errors[0];
  EXPECT_TRUE(r.errors[1].starts_with("t.toml:11:17: 'match_pattern' is not a valid regular expression"))
      << r.errors[1];
}

struct bad_case {
  std::string name;
  std::string toml;      // appended to `base`
  std::string expected;  // a substring of one of the errors
};

TEST(ConfigRouting, ReportsRoutingProblems) {
  const std::vector<bad_case> cases{
      {"group without servers", "[[groups]]\nname = \"ghost\"\n", "group 'ghost' has no [[servers]]"},
      {"duplicate group", "[[groups]]\nname = \"main\"\n[[groups]]\nname = \"main\"\n", "duplicate group 'main'"},
      {"group without name", "[[groups]]\nmax_replication_lag = 3\n", "missing required key 'name'"},
      {"unknown group key", "[[groups]]\nname = \"main\"\nmax_lag = 3\n", "unknown key 'max_lag'"},
      {"bad reads_without_replica", "[[groups]]\nname = \"main\"\nreads_without_replica = \"fail\"\n",
       "'reads_without_replica' must be one of \"primary\", \"error\""},
      {"bad read_only_transactions", "[[groups]]\nname = \"main\"\nread_only_transactions = \"yes\"\n",
       "'read_only_transactions' must be one of \"primary\", \"replica\""},
      {"negative lag", "[[groups]]\nname = \"main\"\nmax_replication_lag = -1\n",
       "'max_replication_lag' must be between 0 and 86400"},
      {"bad status word",
       "[[servers]]\naddress = \"10.0.0.9:3306\"\ngroup = \"main\"\nrole = \"replica\"\nstatus = \"paused\"\n",
       "'status' must be one of \"online\", \"offline_soft\", \"offline_hard\""},
      {"shunned is the monitor's word",
       "[[servers]]\naddress = \"10.0.0.9:3306\"\ngroup = \"main\"\nrole = \"replica\"\nstatus = \"shunned\"\n",
       "'status' must be one of"},
      {"zero weight",
       "[[servers]]\naddress = \"10.0.0.9:3306\"\ngroup = \"main\"\nrole = \"replica\"\nweight = 0\n",
       "'weight' must be between 1 and 1000000"},
      {"monitor without user", "[monitor]\npassword = \"x\"\n", "missing required key 'user'"},
      {"rule to unknown group", "[[rules]]\ngroup = \"nope\"\n",
       "rule 1 routes to group 'nope', which has no [[servers]]"},
      {"replace without match_pattern", "[[rules]]\nmatch_digest = \"orders\"\nreplace = \"x\"\n",
       "'replace' needs 'match_pattern'"},
      {"bad route", "[[rules]]\nroute = \"standby\"\n", "'route' must be one of \"primary\", \"replica\""},
      {"bad client", "[[rules]]\nclient = \"10.0.0.0/40\"\n", "'client' must be an address or an IPv4 CIDR"},
      {"duplicate rule id", "[[rules]]\nid = 4\n[[rules]]\nid = 4\n", "duplicate rule id 4"},
      {"bad error_code", "[[rules]]\nerror = \"no\"\nerror_code = 5\n", "'error_code' must be between 1000 and 65535"},
      {"bad failover mode", "[[groups]]\nname = \"main\"\nfailover = \"yes\"\n",
       "'failover' must be one of \"off\", \"auto\", \"elect\", \"fail\""},
      {"bad candidate", "[[groups]]\nname = \"main\"\ncandidates = [\"db1\"]\n",
       "'candidates' must hold \"host:port\" strings"},
      {"candidates not a list", "[[groups]]\nname = \"main\"\ncandidates = \"10.0.0.2:3306\"\n",
       "'candidates' must be an array"},
      {"unknown ha key", "[ha]\nreplication_usr = \"r\"\n", "unknown key 'replication_usr'"},
      {"negative hold", "[ha]\nhold_timeout_ms = -5\n", "'hold_timeout_ms' must be between 0 and 600000"},
      {"user read_your_writes not a bool",
       "[[users]]\nname = \"u\"\npassword = \"p\"\nread_your_writes = \"yes\"\n",
       "'read_your_writes' must be true or false"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = load(c.toml);
    EXPECT_FALSE(r.config);
    bool found = false;
    for (const auto& e : r.errors) {
      found |= e.find(c.expected) != std::string::npos;
      EXPECT_TRUE(e.starts_with("t.toml:")) << e;
    }
    EXPECT_TRUE(found) << "errors were: " << errors_of(r);
  }
}

TEST(ConfigRouting, RuleErrorNamesTheRulesLine) {
  // base is 19 lines (the first one empty); after one more empty line, the rule starts on line 21.
  const auto r = load("\n[[rules]]\ngroup = \"nope\"\n");
  ASSERT_EQ(r.errors.size(), 1u) << errors_of(r);
  EXPECT_TRUE(r.errors[0].starts_with("t.toml:21:1: rule 1 routes to group 'nope'")) << r.errors[0];
}

}  // namespace
}  // namespace weft::config
