// sharding/insert_rows and sharding/global_sequence: the INSERTs weft writes for rows it places
// (byte-exact), keys handed out from blocks, and the SQL and answers of the sequence's table.
#include <gtest/gtest.h>

#include "protocol/errors.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "protocol/result_set.h"
#include "routing/statement_tokens.h"
#include "sharding/global_sequence.h"
#include "sharding/insert_rows.h"

namespace weft::sharding {
namespace {

namespace p = protocol;

catalog orders_catalog() {
  catalog c;
  c.maps.push_back({"orders_map", map_type::range, key_kind::integer, "global", {{"s1", {"0"}}, {"s2", {"1000"}}}});
  c.tables = {{"app", "orders", "order_id", "orders_map"}};
  return c;
}

insert_work work_for(const catalog& c, const std::string& sql) {
  routing::statement_tokens tokens;
  tokens.lex(sql);
  auto shape = shape_of(tokens);
  const auto route = route_statement({shape, "app", tokens.hint(), {}, &tokens}, c);
  EXPECT_TRUE(route.kind == route_kind::insert_ids || route.kind == route_kind::insert_split) << route.reason;
  return insert_work_of(route, std::move(shape));
}

TEST(ShardingInserts, RowsOfTwoShardsSplit) {
  const auto c = orders_catalog();
  const std::string sql = "INSERT IGNORE INTO orders (order_id, amount) VALUES (1, 'a'), (2000, 'b'),(3,'c') ;";
  const auto work = work_for(c, sql);
  EXPECT_EQ(work.ids_needed(), 0u);
  const auto parts = insert_parts(sql, work, false);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].sql, "INSERT IGNORE INTO orders (order_id, amount) VALUES (1, 'a'), (3,'c') ;");
  EXPECT_EQ(parts[1].sql, "INSERT IGNORE INTO orders (order_id, amount) VALUES (2000, 'b') ;");
  EXPECT_TRUE(parts[0].has_last_row);
  EXPECT_FALSE(parts[1].has_last_row);
}

TEST(ShardingInserts, KeysFromTheSequenceWrittenIn) {
  const auto c = orders_catalog();
  const std::string sql = "INSERT INTO orders (amount) VALUES (5), (6) ON DUPLICATE KEY UPDATE amount = 1";
  auto work = work_for(c, sql);
  EXPECT_EQ(work.ids_needed(), 2u);
  EXPECT_EQ(place_generated(work, 999), "");
  EXPECT_EQ(shards_of_rows(work), (std::vector<std::size_t>{0, 1}));
  const auto parts = insert_parts(sql, work, false);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].sql, "INSERT INTO orders (amount, `order_id`) VALUES (5, 999) ON DUPLICATE KEY UPDATE amount = 1");
  EXPECT_EQ(parts[1].sql, "INSERT INTO orders (amount, `order_id`) VALUES (6, 1000) ON DUPLICATE KEY UPDATE amount = 1");
}

TEST(ShardingInserts, NullKeysReplacedAndTheFirstSetsLastInsertId) {
  const auto c = orders_catalog();
  const std::string sql = "INSERT INTO orders (`order_id`, amount) VALUES ( NULL , f(1, 2)), (20, 3), (null, 4)";
  auto work = work_for(c, sql);
  EXPECT_EQ(work.ids_needed(), 2u);
  EXPECT_EQ(place_generated(work, 7), "");
  const auto parts = insert_parts(sql, work, true);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].sql, "INSERT INTO orders (`order_id`, amount) VALUES ( LAST_INSERT_ID(7) , f(1, 2)), (20, 3), (8, 4)");
}

TEST(ShardingInserts, AGeneratedKeyNoShardHolds) {
  catalog c = orders_catalog();
  c.maps[0].shards[0].bounds = {"100"};  // keys below 100 are on no shard
  const std::string sql = "INSERT INTO orders (amount) VALUES (5)";
  auto work = work_for(c, sql);
  EXPECT_NE(place_generated(work, 5).find("generated key 5 is held by no shard of map 'orders_map'"), std::string::npos);
}

TEST(ShardingInserts, BlocksOfKeys) {
  sequence_blocks blocks;
  EXPECT_EQ(blocks.take("app.t", 1), std::nullopt);  // no block yet
  blocks.add("app.t", 200, 100);
  EXPECT_EQ(blocks.take("app.t", 1), 100u);
  EXPECT_EQ(blocks.take("app.t", 98), 101u);
  EXPECT_EQ(blocks.take("app.t", 2), std::nullopt);  // one left: consecutive keys need a new block
  EXPECT_EQ(blocks.take("app.t", 1), 199u);
  EXPECT_EQ(blocks.take("app.u", 1), std::nullopt);  // per table
  EXPECT_FALSE(blocks.probed("app.t"));
  blocks.mark_probed("app.t");
  blocks.add("app.t", 500, 100);
  EXPECT_TRUE(blocks.probed("app.t"));
  EXPECT_EQ(blocks.take("app.t", 1), 400u);
}

TEST(ShardingInserts, SequenceStatements) {
  EXPECT_EQ(allocation_sql("app.o'x", 42, 100),
            "INSERT INTO weft.shard_sequences (table_name, next_value) VALUES ('app.o''x', 42 + 100) ON DUPLICATE "
            "KEY UPDATE next_value = GREATEST(next_value, 42) + 100 RETURNING next_value");
  EXPECT_EQ(shard_probe_sql({"app", "or`d", "id", "m"}),
            "SELECT (SELECT MAX(`id`) FROM `app`.`or``d`), (SELECT COUNT(*) FROM information_schema.COLUMNS WHERE "
            "TABLE_SCHEMA = 'app' AND TABLE_NAME = 'or`d' AND COLUMN_NAME = 'id' AND EXTRA LIKE '%auto_increment%')");
}

TEST(ShardingInserts, SequenceAnswers) {
  const std::vector<p::column_definition> one{p::text_column("next_value")};
  const auto end = p::encode_text_result(one, std::vector<p::text_row>{{"4200"}}, 0, 2);
  EXPECT_EQ(read_allocation(end, false).end, 4200u);
  const std::vector<p::column_definition> two{p::text_column("a"), p::text_column("b")};
  const auto probe = read_shard_probe(p::encode_text_result(two, std::vector<p::text_row>{{"41", "1"}}, 0, 2), false);
  EXPECT_EQ(probe.highest, 41);
  EXPECT_TRUE(probe.auto_increment);
  const auto empty = read_shard_probe(p::encode_text_result(two, std::vector<p::text_row>{{std::nullopt, "0"}}, 0, 2), false);
  EXPECT_EQ(empty.highest, std::nullopt);
  EXPECT_FALSE(empty.auto_increment);
  EXPECT_EQ(empty.problem, "");
  auto err = p::encode_packet(p::encode(p::make_error({1142, "42000"}, "INSERT command denied")), 1);
  EXPECT_EQ(read_allocation(err, false).problem, "INSERT command denied");
}

}  // namespace
}  // namespace weft::sharding
