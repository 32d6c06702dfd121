// sharding/route_explain (EXPLAIN ROUTE): what it says for each kind of statement over a catalog
// of a HASH map (users by id) and a RANGE map (orders by order_id, bounds 0 and 1000); that it
// decides as the proxy's planner does (session::apply_shard_route on the same statements); and
// the admin grammar's EXPLAIN ROUTE [IN db] form.
#include <gtest/gtest.h>

#include "admin/shard_grammar.h"
#include "routing/statement_analysis.h"
#include "session/statement_plan.h"
#include "sharding/route_explain.h"
#include "sharding/shard_lookup.h"

namespace weft::sharding {
namespace {

catalog test_catalog() {
  catalog c;
  c.maps.push_back({"users_map", map_type::hash, key_kind::integer, "global", {{"s1", {}}, {"s2", {}}}});
  c.maps.push_back({"orders_map", map_type::range, key_kind::integer, "global", {{"s1", {"0"}}, {"s2", {"1000"}}}});
  c.tables = {{"app", "users", "id", "users_map"}, {"app", "orders", "order_id", "orders_map"}};
  return c;
}

// Where a users key lands, by the map itself: its group and its 1-based position.
std::pair<std::string, std::size_t> user_shard(const catalog& c, const char* key) {
  const auto& map = c.maps[0];
  const auto s = *shard_of(map, *normalized_key(map.key, key));
  return {map.shards[s].group, s + 1};
}

TEST(ShardingExplain, PointReadGoesToTheKeysShard) {
  const auto c = test_catalog();
  const auto [group, n] = user_shard(c, "7");
  const std::string sql = "SELECT * FROM users WHERE id = 7";
  const auto e = explain_route(sql, "app", c);
  EXPECT_EQ(e.route, "one shard");
  EXPECT_EQ(e.map, "users_map");
  EXPECT_EQ(e.table, "app.users");
  ASSERT_EQ(e.steps.size(), 1u);
  EXPECT_EQ(e.steps[0].target, group);
  EXPECT_EQ(e.steps[0].sql, sql);
  EXPECT_EQ(e.steps[0].detail, "shard " + std::to_string(n) + " of map users_map (key 7)");
  EXPECT_TRUE(e.merge.empty());
  EXPECT_TRUE(e.refusal.empty());
}

TEST(ShardingExplain, DecisionTable) {
  const auto c = test_catalog();
  struct row {
    std::string sql;
    std::string route, target, detail;
  };
  const row table[] = {
      {"INSERT INTO app.orders (order_id, amount) VALUES (1500, 3)", "one shard", "s2",
       "shard 2 of map orders_map (key 1500)"},
      {"INSERT INTO app.orders (amount, order_id) VALUES (1, 5), (2, '7')", "one shard", "s1",
       "shard 1 of map orders_map (keys 5, '7')"},
      {"UPDATE app.orders SET amount = 0 WHERE order_id IN (1, 2)", "one shard", "s1",
       "shard 1 of map orders_map (keys 1, 2)"},
      {"SELECT * FROM app.orders WHERE order_id BETWEEN 10 AND 999", "one shard", "s1",
       "shard 1 of map orders_map (keys 10 to 999)"},
      {"ALTER TABLE app.users ADD COLUMN note TEXT", "global group", "global",
       "DDL on sharded table app.users of map users_map: its global group replicates it to every shard"},
      {"CREATE TABLE app.orders (order_id INT PRIMARY KEY)", "global group", "global",
       "DDL on sharded table app.orders of map orders_map: its global group replicates it to every shard"},
      {"SELECT /* weft: shard_key=1500 */ * FROM app.orders o JOIN app.plain p ON p.k = o.amount", "one shard", "s2",
       "shard 2 of map orders_map (key 1500, from the hint)"},
      {"SELECT * FROM app.plain WHERE k = 1", "unsharded", "(session's group)",
       "names no sharded table (no schema: only db.table names can be sharded): routed as without sharding"},
      // Unqualified names are in no database unless IN db says which.
      {"SELECT * FROM users WHERE id = 7", "unsharded", "(session's group)",
       "names no sharded table (no schema: only db.table names can be sharded): routed as without sharding"},
      {"SELECT /* weft: group=reports */ count(*) FROM app.plain", "unsharded", "reports",
       "names no sharded table (no schema: only db.table names can be sharded): the hint's group"},
  };
  for (const auto& r : table) {
    const auto e = explain_route(r.sql, "", c);
    EXPECT_EQ(e.route, r.route) << r.sql << " (" << e.refusal << ")";
    ASSERT_EQ(e.steps.size(), 1u) << r.sql;
    EXPECT_EQ(e.steps[0].target, r.target) << r.sql;
    EXPECT_EQ(e.steps[0].sql, r.sql) << r.sql;
    EXPECT_EQ(e.steps[0].detail, r.detail) << r.sql;
  }
  const auto in_app = explain_route("SELECT * FROM plain", "app", c);
  EXPECT_EQ(in_app.steps.at(0).detail,
            "names no sharded table (unqualified names are in app): routed as without sharding");
  const auto none = explain_route("SELECT * FROM app.users WHERE id = 7", "app", catalog{});
  EXPECT_EQ(none.route, "unsharded");
  EXPECT_EQ(none.steps.at(0).detail, "no shard maps: routed as without sharding");
}

TEST(ShardingExplain, ScatterSendsLimitOffsetPlusCountToEveryShard) {
  const auto c = test_catalog();
  const auto e = explain_route("SELECT order_id, amount FROM orders ORDER BY amount DESC LIMIT 20, 10", "app", c);
  EXPECT_EQ(e.route, "2 shards (scatter-gather)");
  EXPECT_EQ(e.map, "orders_map");
  ASSERT_EQ(e.steps.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(e.steps[i].target, i == 0 ? "s1" : "s2");
    EXPECT_EQ(e.steps[i].sql, "SELECT order_id, amount FROM orders ORDER BY amount DESC LIMIT 30");
    EXPECT_EQ(e.steps[i].detail, "shard " + std::to_string(i + 1) +
                                     " of map orders_map (no key condition narrows it), read across shards: merged");
  }
  EXPECT_EQ(e.merge, "union, then sort by ORDER BY, then OFFSET 20 LIMIT 10");
}

TEST(ShardingExplain, ScatterAddsAvgsHiddenColumns) {
  const auto c = test_catalog();
  const auto e =
      explain_route("SELECT country, AVG(age) FROM app.users WHERE id IN (1, 2, 3, 4, 5, 6) GROUP BY country", "", c);
  EXPECT_EQ(e.route, "2 shards (scatter-gather)");
  ASSERT_EQ(e.steps.size(), 2u);
  // SUM and COUNT of AVG's argument added at the end of the select list (before FROM).
  EXPECT_EQ(e.steps[0].sql,
            "SELECT country, AVG(age) , SUM(age), COUNT(age) FROM app.users WHERE id IN (1, 2, 3, 4, 5, 6) GROUP BY "
            "country");
  EXPECT_EQ(e.steps[0].sql, e.steps[1].sql);
  EXPECT_EQ(e.steps[0].detail, "shard 1 of map users_map (keys 1, 2, 3, 4, 5, 6), read across shards: merged");
  EXPECT_EQ(e.merge, "re-aggregate by 1 group column(s) (2 hidden columns for AVG)");
}

TEST(ShardingExplain, RefusalsSayTheProxysReason) {
  const auto c = test_catalog();
  const std::pair<std::string, std::string> table[] = {
      {"UPDATE app.users SET name = 'x'",
       "UPDATE on sharded table app.users without a condition on its shard key `id` would write to every shard: "
       "refused"},
      {"INSERT INTO app.orders VALUES (1, 2)",
       "INSERT into sharded table app.orders: only INSERT ... (columns) VALUES (...) is routed"},
      {"SELECT country, count(*) FROM app.users GROUP BY country HAVING count(*) > 1",
       "the statement needs 2 shards of map 'users_map', and HAVING across shards is not merged yet (it would filter "
       "each shard's partial groups)"},
      {"SELECT * FROM app.users u JOIN app.orders o ON o.order_id = u.id", "the statement names more than one sharded"},
  };
  for (const auto& [sql, reason] : table) {
    const auto e = explain_route(sql, "", c);
    EXPECT_EQ(e.route, "refused") << sql;
    EXPECT_TRUE(e.steps.empty()) << sql;
    EXPECT_EQ(e.refusal.substr(0, reason.size()), reason) << sql;
  }
}

// EXPLAIN ROUTE says what the proxy does: the planner's groups, SQL and error on the same text.
TEST(ShardingExplain, DecidesAsTheProxyPlans) {
  const auto c = test_catalog();
  const char* statements[] = {
      "SELECT * FROM users WHERE id = 7",
      "SELECT * FROM users WHERE id IN (7, 8, 9, 10)",
      "SELECT * FROM orders WHERE order_id BETWEEN 10 AND 1000 ORDER BY order_id LIMIT 3",
      "SELECT count(*), sum(amount), avg(amount) FROM orders",
      "SELECT DISTINCT amount FROM orders",
      "SELECT amount FROM orders FOR UPDATE",
      "SELECT * FROM orders WHERE order_id = 5 OR order_id = 2000",
      "INSERT INTO orders (order_id) VALUES (1), (2)",
      "INSERT INTO orders (order_id) VALUES (1), (2000)",
      "UPDATE users SET name = 'x' WHERE id = 3",
      "DELETE FROM orders",
      "/* weft: shards=all */ DELETE FROM orders",
      "UPDATE users SET name = 'x' WHERE id IN (7, 8, 9, 10) /* weft: shards=all */",
      "DROP TABLE users",
      "SELECT 1",
      "SELECT * FROM plain",
      "SELECT /* weft: shard_key=9 */ u.name FROM users u JOIN plain p USING (k)",
      "SELECT * FROM users WHERE id = 1; SELECT 2",
  };
  for (const char* sql : statements) {
    const auto e = explain_route(sql, "app", c);
    session::planner_cache cache;
    session::query_plan plan;
    routing::analyze(sql, cache.tokens);
    session::apply_shard_route(plan, {"app", "app", "127.0.0.1", "main", "utf8mb4", false}, c, cache);
    if (plan.refusal) {
      EXPECT_EQ(e.route, "refused") << sql;
      EXPECT_EQ("weft: " + e.refusal, plan.refusal->message) << sql;
      continue;
    }
    std::vector<std::string> targets, sent;
    for (const auto& s : e.steps) targets.push_back(s.target), sent.push_back(s.sql);
    if (!plan.write_groups.empty()) {  // hinted shards=all: the statement on each
      EXPECT_EQ(targets, plan.write_groups) << sql;
      EXPECT_EQ(sent, std::vector<std::string>(targets.size(), sql)) << sql;
    } else if (plan.insert) {  // the parts the machine sends (insert_parts, as EXPLAIN shows them)
      std::vector<std::string> groups, parts;
      for (const auto& part : insert_parts(sql, *plan.insert, false)) {
        groups.push_back(plan.insert->map.shards[part.shard].group), parts.push_back(part.sql);
      }
      EXPECT_EQ(targets, groups) << sql;
      EXPECT_EQ(sent, parts) << sql;
    } else if (plan.scatter) {
      EXPECT_EQ(targets, plan.scatter_groups) << sql;
      EXPECT_EQ(sent, std::vector<std::string>(targets.size(), plan.scatter->sql)) << sql;
      EXPECT_EQ(e.merge, plan.scatter->describe()) << sql;
    } else if (plan.sharded) {
      EXPECT_EQ(targets, std::vector<std::string>{plan.group}) << sql;
      EXPECT_EQ(sent, std::vector<std::string>{sql}) << sql;
    } else {
      EXPECT_EQ(e.route, "unsharded") << sql;
      EXPECT_EQ(targets, std::vector<std::string>{"(session's group)"}) << sql;
    }
  }
}

}  // namespace
}  // namespace weft::sharding

namespace weft::admin {
namespace {

TEST(ShardGrammar, ExplainRoute) {
  auto p = parse_shard_command("EXPLAIN ROUTE SELECT * FROM app.users WHERE id = 7");
  ASSERT_TRUE(p && p->command) << (p ? p->error : "");
  EXPECT_EQ(p->command->verb, shard_verb::explain_route);
  EXPECT_EQ(p->command->schema, "");
  EXPECT_EQ(p->command->statement, "SELECT * FROM app.users WHERE id = 7");

  // IN db, then the statement verbatim: its hint comment, case and inner spacing kept.
  p = parse_shard_command("explain route in `app`  /* weft: shard_key=7 */ select *  FROM users u JOIN t ;  ");
  ASSERT_TRUE(p && p->command) << (p ? p->error : "");
  EXPECT_EQ(p->command->schema, "app");
  EXPECT_EQ(p->command->statement, "/* weft: shard_key=7 */ select *  FROM users u JOIN t");

  for (const char* bad : {"EXPLAIN ROUTE", "EXPLAIN ROUTE IN", "EXPLAIN ROUTE IN app", "EXPLAIN ROUTE IN ( SELECT 1"}) {
    p = parse_shard_command(bad);
    ASSERT_TRUE(p) << bad;
    EXPECT_FALSE(p->command) << bad;
    EXPECT_NE(p->error.find("EXPLAIN ROUTE [IN db] statement"), std::string::npos) << bad;
  }
  EXPECT_FALSE(parse_shard_command("EXPLAIN SELECT 1"));  // SQLite's EXPLAIN, not weft's
}

}  // namespace
}  // namespace weft::admin
