// sharding/statement_route: where a statement on sharded tables goes, as decision tables over a
// catalog of a HASH map (users by id), a RANGE map (orders by order_id, bounds 0 and 1000) and a
// RANGE_STRING map; and the admin's sharding grammar.
#include <gtest/gtest.h>

#include "admin/shard_grammar.h"
#include "sharding/shard_lookup.h"
#include "sharding/statement_route.h"

namespace weft::sharding {
namespace {

catalog test_catalog() {
  catalog c;
  c.maps.push_back({"users_map", map_type::hash, key_kind::integer, "global", {{"s1", {}}, {"s2", {}}}});
  c.maps.push_back({"orders_map", map_type::range, key_kind::integer, "global", {{"s1", {"0"}}, {"s2", {"1000"}}}});
  c.maps.push_back(
      {"names_map", map_type::range_string, key_kind::string, "global", {{"s2", {"M"}}, {"s1", {"A"}}}});
  c.tables = {{"app", "users", "id", "users_map"},
              {"app", "orders", "order_id", "orders_map"},
              {"app", "names", "name", "names_map"}};
  return c;
}

// The shard (group) a users key lands on, by the map itself.
std::string user_group(const catalog& c, const char* key) {
  const auto& map = c.maps[0];
  return map.shards[*shard_of(map, *normalized_key(map.key, key))].group;
}

struct routed {
  route_kind kind;
  std::string groups;  // the shards' groups, comma-separated (global: the global group)
  std::string reason;
};

routed route(const catalog& c, const std::string& sql, parameter_values params = {}) {
  routing::statement_tokens tokens;
  tokens.lex(sql);
  const auto shape = shape_of(tokens);
  const auto r = route_statement({shape, "app", tokens.hint(), params, &tokens}, c);
  routed out{r.kind, {}, r.reason};
  if (r.kind == route_kind::global) out.groups = r.map->global_group;
  for (const auto s : r.shards) out.groups += (out.groups.empty() ? "" : ",") + r.map->shards[s].group;
  return out;
}

TEST(ShardingRoute, ByKey) {
  const auto c = test_catalog();
  const auto u7 = user_group(c, "7"), u8 = user_group(c, "8");
  struct row {
    std::string sql;
    route_kind kind;
    std::string groups;
  };
  const row table[] = {
      {"SELECT * FROM users WHERE id = 7", route_kind::shards, u7},
      {"SELECT * FROM app.users WHERE id = '7'", route_kind::shards, u7},    // the server compares 7 = '7'
      {"SELECT * FROM `app`.`users` WHERE 7 = id AND name = 'x'", route_kind::shards, u7},
      {"select * from users where ID = 007", route_kind::shards, u7},
      // No shard can hold such a row: the first shard answers (no rows, the right columns).
      {"SELECT * FROM orders WHERE order_id = 5 AND order_id = 2000", route_kind::shards, "s1"},
      {"SELECT * FROM users WHERE id IN (7, 7)", route_kind::shards, u7},
      {"SELECT * FROM users WHERE id = 7 OR id = 8", route_kind::shards, "s1,s2"},
      {"SELECT * FROM users", route_kind::shards, "s1,s2"},
      {"SELECT * FROM users WHERE id = 7.5", route_kind::shards, "s1,s2"},  // no integer key: every shard
      {"SELECT * FROM users WHERE id BETWEEN 1 AND 2", route_kind::shards, "s1,s2"},  // HASH: no ranges
      {"SELECT * FROM orders WHERE order_id = 999", route_kind::shards, "s1"},
      {"SELECT * FROM orders WHERE order_id = 1000", route_kind::shards, "s2"},
      {"SELECT * FROM orders WHERE order_id = -1", route_kind::shards, "s1"},  // below every bound
      {"SELECT * FROM orders WHERE order_id BETWEEN 10 AND 999", route_kind::shards, "s1"},
      {"SELECT * FROM orders WHERE order_id BETWEEN 10 AND 1000", route_kind::shards, "s1,s2"},
      {"SELECT * FROM orders WHERE order_id BETWEEN 2000 AND 10", route_kind::shards, "s1"},
      {"SELECT * FROM names WHERE name = 'Zed'", route_kind::shards, "s2"},
      {"SELECT * FROM names WHERE name = 'Bob   '", route_kind::shards, "s1"},  // PAD SPACE
      {"SELECT * FROM names WHERE name = 'zed'", route_kind::shards, "s2"},     // 'zed' = 'Zed' under _ci
      {"SELECT * FROM names WHERE name = 'bob'", route_kind::shards, "s1"},
      {"SELECT * FROM names WHERE name = 5", route_kind::shards, "s2,s1"},      // compared as a number
      {"SELECT * FROM names WHERE name = 'caf\xc3\xa9'", route_kind::shards, "s2,s1"},  // non-ASCII: not placed
      {"SELECT * FROM names WHERE name BETWEEN 'B' AND 'C'", route_kind::shards, "s2,s1"},  // no string pruning
      {"SELECT /* weft: shard_key=1500 */ * FROM orders o JOIN plain p ON p.k = o.amount", route_kind::shards, "s2"},
      {"SELECT * FROM plain WHERE k = 1", route_kind::unsharded, ""},
      {"SELECT * FROM other.users WHERE id = 1", route_kind::unsharded, ""},  // another database's table
      {"SELECT 1", route_kind::unsharded, ""},
      {"CREATE TABLE users (id INT PRIMARY KEY)", route_kind::global, "global"},
      {"ALTER TABLE app.orders ADD COLUMN note TEXT", route_kind::global, "global"},
      {"INSERT INTO users (id, name) VALUES (7, 'a')", route_kind::shards, u7},
      {"INSERT INTO users (name, id) VALUES ('a', 7), ('b', '7')", route_kind::shards, u7},
      {"INSERT INTO orders (order_id, at) VALUES (5, NOW())", route_kind::shards, "s1"},
      {"SHOW CREATE TABLE users", route_kind::unsharded, ""},  // about its definition: any copy answers
      {"UPDATE orders SET amount = amount + 1 WHERE order_id = 5", route_kind::shards, "s1"},
      {"REPLACE INTO orders (order_id) VALUES (1001)", route_kind::shards, "s2"},
      {"UPDATE users SET name = 'x' WHERE id = 8", route_kind::shards, u8},
      {"DELETE FROM orders WHERE order_id IN (1, 2, 3)", route_kind::shards, "s1"},
  };
  for (const auto& r : table) {
    const auto got = route(c, r.sql);
    EXPECT_EQ(got.kind, r.kind) << r.sql << " (" << got.reason << ")";
    EXPECT_EQ(got.groups, r.groups) << r.sql;
  }
}

TEST(ShardingRoute, RefusedWithReasons) {
  const auto c = test_catalog();
  const std::pair<std::string, std::string> table[] = {
      {"UPDATE users SET name = 'x'", "without a condition on its shard key `id`"},
      {"DELETE FROM orders WHERE order_id IN (1, 2000)", "touches 2 shards"},
      {"INSERT INTO orders VALUES (1, 2)", "VALUES without a column list"},
      {"INSERT INTO names (amount) VALUES (2)", "must name the shard key `name`"},  // a string key: no sequence
      {"INSERT INTO names (name) VALUES (NULL)", "row 1: its `name` is not a key"},
      {"INSERT INTO orders (order_id, amount) VALUES (1, 2), (3)", "row 2 has not one value per column"},
      {"INSERT INTO orders (order_id) VALUES (-5)", "row 1"},  // below every RANGE bound
      {"INSERT INTO orders (order_id) VALUES (1 + 1)", "row 1"},
      {"INSERT INTO names (name) VALUES ('caf\xc3\xa9')", "row 1"},
      {"INSERT INTO names (name) VALUES (5)", "row 1"},
      {"INSERT INTO orders (order_id) SELECT 1", "only INSERT ... (columns) VALUES"},
      {"SELECT * FROM users u JOIN orders o ON o.order_id = u.id WHERE u.id = 1", "more than one sharded table"},
      {"SELECT * FROM users WHERE id = (SELECT 1)", "routed only by a hint"},
      {"SELECT * FROM users u JOIN plain p ON p.k = u.id WHERE u.id = 1", "routed only by a hint"},
      {"SELECT /* weft: shard_key=-3 */ * FROM orders", "the hint's shard_key '-3'"},
      {"SELECT * FROM users WHERE id = 1; SELECT 2", "several statements"},
      {"CHECKSUM TABLE users", "names sharded table app.users"},
      {"HANDLER app.orders OPEN", "names sharded table app.orders"},
      {"PREPARE s FROM 'SELECT * FROM users WHERE id = 7'", "names sharded table app.users"},
      {"LOAD DATA LOCAL INFILE 'x' INTO TABLE orders", "names sharded table app.orders"},
      {"CREATE TABLE copy AS SELECT * FROM users", "CREATE ... SELECT"},
      {"UPDATE users SET id = 12 WHERE id = 11", "changes the shard key `id`"},
      {"UPDATE orders SET amount = 1, orders.order_id = 5 WHERE order_id = 3", "changes the shard key"},
      {"INSERT INTO orders (order_id) VALUES (1) ON DUPLICATE KEY UPDATE order_id = 2", "changes the shard key"},
      {"SELECT /* weft: shard_key=1500 */ * FROM orders WHERE order_id = 5", "names another shard"},
  };
  for (const auto& [sql, reason] : table) {
    const auto got = route(c, sql);
    EXPECT_EQ(got.kind, route_kind::refused) << sql;
    EXPECT_NE(got.reason.find(reason), std::string::npos) << sql << ": " << got.reason;
  }
}

// INSERTs whose rows weft places: rows of several shards are split, rows without a key (not
// written, or NULL, or bound as NULL) take one from the global sequence.
TEST(ShardingRoute, InsertsWeftPlaces) {
  const auto c = test_catalog();
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id) VALUES (1), (2000)").kind, route_kind::insert_split);
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id) VALUES (1), (2)").kind, route_kind::shards);
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id) VALUES (NULL)").kind, route_kind::insert_ids);
  EXPECT_EQ(route(c, "INSERT INTO orders (amount) VALUES (5), (6)").kind, route_kind::insert_ids);
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id, amount) VALUES (NULL, 5), (1500, 6)").kind, route_kind::insert_ids);
  const bound_value p1500[] = {{"1500", true}}, null_key[] = {{std::nullopt, false, true}, {"7", true}},
                    unknown[] = {{}, {"7", true}};
  EXPECT_EQ(route(c, "INSERT INTO orders (amount) VALUES (?)", p1500).kind, route_kind::insert_ids);
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id, amount) VALUES (?, ?)", null_key).kind, route_kind::insert_ids);
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id, amount) VALUES (?, ?)", unknown).kind, route_kind::refused);
}

// UPDATE/DELETE over several shards only when hinted shards=all: then on each shard they name.
TEST(ShardingRoute, WritesOnEveryShardOnlyWhenHinted) {
  const auto c = test_catalog();
  EXPECT_EQ(route(c, "DELETE FROM orders").kind, route_kind::refused);
  auto got = route(c, "/* weft: shards=all */ DELETE FROM orders");
  EXPECT_EQ(got.kind, route_kind::write_shards);
  EXPECT_EQ(got.groups, "s1,s2");
  got = route(c, "UPDATE orders SET amount = 0 WHERE order_id IN (1, 2000) /* weft: shards=all */");
  EXPECT_EQ(got.kind, route_kind::write_shards);
  EXPECT_EQ(got.groups, "s1,s2");
  EXPECT_EQ(route(c, "/* weft: shards=all */ UPDATE orders SET amount = 0 WHERE order_id = 5").kind,
            route_kind::shards);  // one shard: as any keyed write
  EXPECT_EQ(route(c, "/* weft: shards=some */ DELETE FROM orders").kind, route_kind::refused);
}

TEST(ShardingRoute, PreparedParameters) {
  const auto c = test_catalog();
  const bound_value p1500[] = {{"1500", true}}, none[] = {{}};
  EXPECT_EQ(route(c, "SELECT * FROM orders WHERE order_id = ?", p1500).groups, "s2");
  EXPECT_EQ(route(c, "SELECT * FROM orders WHERE order_id = ?", none).groups, "s1,s2");  // NULL: every shard
  EXPECT_EQ(route(c, "SELECT * FROM orders WHERE order_id = ?").groups, "s1,s2");        // unbound
  EXPECT_EQ(route(c, "INSERT INTO orders (order_id, amount) VALUES (?, 5)", p1500).groups, "s2");
}

TEST(ShardingRoute, HintValues) {
  EXPECT_EQ(hint_value("route=primary shard_key=42", "shard_key"), "42");
  EXPECT_EQ(hint_value("shard_key='abc'", "shard_key"), "abc");
  EXPECT_EQ(hint_value("SHARD_KEY=7,route=replica", "shard_key"), "7");
  EXPECT_EQ(hint_value("route=primary", "shard_key"), std::nullopt);
  EXPECT_EQ(hint_value("shard_key='2027-03-16 18:08:32' route=primary", "shard_key"), "2027-03-16 18:08:32");
  EXPECT_EQ(hint_value("group=g shard_key=\"a b\"", "shard_key"), "a b");
  EXPECT_EQ(hint_value("shard_key='open", "shard_key"), std::nullopt);
}

TEST(ShardingRoute, EmptyCatalogRoutesNothing) {
  const catalog none;
  EXPECT_EQ(route(none, "SELECT * FROM users WHERE id = 1").kind, route_kind::unsharded);
}

}  // namespace
}  // namespace weft::sharding

namespace weft::admin {
namespace {

TEST(ShardGrammar, WeftForms) {
  auto c = parse_shard_command("CREATE SHARD MAP m TYPE range_string GLOBAL GROUP gg");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->verb, shard_verb::create_map);
  EXPECT_EQ(c->command->map, "m");
  EXPECT_EQ(c->command->type, "range_string");
  EXPECT_EQ(c->command->group, "gg");
  c = parse_shard_command("CREATE SHARD MAP m TYPE HASH KEY STRING GLOBAL GROUP gg");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->key_type, "STRING");
  c = parse_shard_command("ADD SHARD TABLE db.t COLUMN c TO MAP m");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->table, "db.t");
  EXPECT_EQ(c->command->column, "c");
  c = parse_shard_command("ADD SHARD TO MAP m GROUP g BOUND -5");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->bounds, std::vector<std::string>{"-5"});
  c = parse_shard_command("ADD SHARD TO MAP m GROUP g BOUND 'a', 'b c'");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->bounds, (std::vector<std::string>{"a", "b c"}));
  c = parse_shard_command("SHOW SHARDS FROM MAP m");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->verb, shard_verb::show_shards);
  EXPECT_EQ(c->command->map, "m");
  EXPECT_FALSE(parse_shard_command("ADD SERVER '127.0.0.1:1' TO GROUP g"));  // not sharding
  EXPECT_FALSE(parse_shard_command("SHOW GROUPS"));
  for (const char* bad : {"ADD SHARD TABLE t COLUMN c TO MAP m", "CREATE SHARD MAP m TYPE HASH", "SHOW SHARD",
                          "ADD SHARD TO MAP m GROUP g BOUND", "DROP SHARD MAP"}) {
    const auto p = parse_shard_command(bad);
    ASSERT_TRUE(p) << bad;
    EXPECT_FALSE(p->command) << bad;
    EXPECT_NE(p->error.find("usage"), std::string::npos) << bad << ": " << p->error;
  }
}

TEST(ShardGrammar, FabricForms) {
  auto c = parse_shard_command("CALL sharding.add_shard(3, 'g1/0, g2/1000', 'ENABLED')");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->map, "3");
  const std::vector<std::pair<std::string, std::string>> pairs{{"g1", "0"}, {"g2", "1000"}};
  EXPECT_EQ(c->command->fabric_shards, pairs);
  c = parse_shard_command("CALL sharding.lookup_servers('db.t', -7, 'GLOBAL')");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->key, "-7");
  EXPECT_TRUE(c->command->global);
  c = parse_shard_command("CALL sharding.create_definition('HASH', 'gg')");
  ASSERT_TRUE(c && c->command);
  EXPECT_EQ(c->command->verb, shard_verb::create_map);
  EXPECT_TRUE(c->command->fabric_form);
  EXPECT_TRUE(c->command->map.empty());
  for (const char* bad : {"CALL sharding.add_table(1, 'db.t')", "CALL sharding.nope()",
                          "CALL sharding.lookup_servers('db.t', 1, 'NEAR')"}) {
    const auto p = parse_shard_command(bad);
    ASSERT_TRUE(p) << bad;
    EXPECT_FALSE(p->command) << bad;
  }
  EXPECT_FALSE(parse_shard_command("CALL group.create('g')"));
}

}  // namespace
}  // namespace weft::admin

namespace weft::sharding {
namespace {

TEST(ShardingCatalog, WhichWritesReachWhichGroups) {
  catalog c;
  c.maps.push_back({"m", map_type::hash, key_kind::integer, "global", {{"s1", {}}, {"s2", {}}}});
  EXPECT_TRUE(stream_reaches(c, "s1", "s1"));
  EXPECT_FALSE(stream_reaches(c, "s1", "s2"));     // one shard's writes never reach another
  EXPECT_FALSE(stream_reaches(c, "s1", "global"));
  EXPECT_TRUE(stream_reaches(c, "global", "s2"));  // the global primary replicates to every shard
  EXPECT_TRUE(stream_reaches(c, "other", "s1"));   // outside every map: as without sharding
  EXPECT_TRUE(stream_reaches(catalog{}, "a", "b"));
}

}  // namespace
}  // namespace weft::sharding
