// sharding/stream_merge: the answers of shards fed in pieces cut anywhere give the bytes
// merge_results gives for the whole answers (ORDER BY, OFFSET, LIMIT), or the same rows (a
// union); shard errors before and after the header; refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "protocol/errors.h"
#include "protocol/frame.h"
#include "protocol/messages.h"
#include "protocol/result_set.h"
#include "routing/statement_tokens.h"
#include "sharding/result_merge.h"
#include "sharding/scatter_plan.h"
#include "sharding/select_parts.h"
#include "sharding/statement_shape.h"
#include "sharding/stream_merge.h"

namespace weft::sharding {
namespace {

namespace p = protocol;

std::vector<p::column_definition> columns() {
  auto id = p::text_column("id"), name = p::text_column("name");
  id.type = p::column_type::longlong;
  id.charset = 63;  // binary: ordered as numbers
  name.charset = 63;
  return {id, name};
}

p::bytes shard(std::vector<int> ids) {
  std::vector<p::text_row> rows;
  for (const int id : ids) rows.push_back({std::to_string(id), "n" + std::string(static_cast<std::size_t>(id % 7), 'x')});
  return p::encode_text_result(columns(), rows, 0, 0x0002);
}

scatter_plan plan_of(const std::string& sql) {
  routing::statement_tokens tokens;
  tokens.lex(sql);
  auto decision = plan_scatter(shape_of(tokens), select_parts_of(tokens), sql);
  EXPECT_TRUE(decision.plan) << decision.refusal;
  return *decision.plan;
}

// The shards' answers fed round-robin in pieces of random sizes (1 to 40 bytes).
p::bytes streamed(const scatter_plan& plan, const std::vector<p::bytes>& answers, unsigned seed,
                  std::size_t max_pending = 1 << 20) {
  stream_merge merge(plan, answers.size(), false, max_pending);
  std::mt19937 rng(seed);
  std::vector<std::size_t> at(answers.size(), 0);
  p::bytes out;
  for (bool more = true; more;) {
    more = false;
    for (std::size_t i = 0; i < answers.size(); ++i) {
      if (at[i] == answers[i].size()) continue;
      const auto n = std::min<std::size_t>(1 + rng() % 40, answers[i].size() - at[i]);
      merge.add(i, p::bytes_view(answers[i]).subspan(at[i], n), at[i] + n == answers[i].size());
      at[i] += n;
      more = true;
      const auto piece = merge.take();
      out.insert(out.end(), piece.begin(), piece.end());
    }
  }
  EXPECT_TRUE(merge.finished());
  return out;
}

p::bytes whole(const scatter_plan& plan, const std::vector<p::bytes>& answers) {
  const std::vector<p::bytes_view> views(answers.begin(), answers.end());
  return merge_results(views, plan, 1000).frames;
}

TEST(ShardingStream, OrderedMergeIsTheWholeMerge) {
  const std::vector<p::bytes> answers{shard({1, 4, 5, 9, 12}), shard({2, 3, 10, 11}), shard({}), shard({6, 7, 8})};
  for (const char* sql : {"SELECT id, name FROM t ORDER BY id", "SELECT id, name FROM t ORDER BY id LIMIT 4",
                          "SELECT id, name FROM t ORDER BY id LIMIT 3 OFFSET 5",
                          "SELECT id, name FROM t ORDER BY id LIMIT 100 OFFSET 11"}) {
    const auto plan = plan_of(sql);
    for (unsigned seed = 1; seed <= 20; ++seed) {
      ASSERT_EQ(p::to_hex(streamed(plan, answers, seed)), p::to_hex(whole(plan, answers))) << sql << " seed " << seed;
    }
  }
  const std::vector<p::bytes> descending{shard({12, 9, 5}), shard({11, 3, 2})};
  const auto plan = plan_of("SELECT id, name FROM t ORDER BY id DESC");
  EXPECT_EQ(p::to_hex(streamed(plan, descending, 7)), p::to_hex(whole(plan, descending)));
}

std::vector<std::string> rows_of(const p::bytes& frames) {
  const auto v = read_result(frames);
  EXPECT_EQ(v.what, result_view::kind::rows) << v.problem;
  std::vector<std::string> out;
  for (const auto& r : v.rows) out.push_back(std::string(r.values[0].value_or("NULL")));
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ShardingStream, UnionHasTheSameRows) {
  const std::vector<p::bytes> answers{shard({1, 4, 5}), shard({2, 3}), shard({6})};
  const auto plan = plan_of("SELECT id, name FROM t");
  for (unsigned seed = 1; seed <= 10; ++seed) {
    EXPECT_EQ(rows_of(streamed(plan, answers, seed)), rows_of(whole(plan, answers))) << seed;
  }
  EXPECT_EQ(rows_of(streamed(plan_of("SELECT id, name FROM t LIMIT 4"), answers, 3)).size(), 4u);
}

TEST(ShardingStream, ShardErrors) {
  const auto plan = plan_of("SELECT id, name FROM t ORDER BY id");
  const auto err = p::encode_packet(p::encode(p::make_error({1146, "42S02"}, "Table 't' doesn't exist")), 1);
  // Before any header went out: the shard's ERR is the whole answer.
  auto out = streamed(plan, std::vector<p::bytes>{shard({1, 2}), err}, 5);
  EXPECT_EQ(p::to_hex(out), p::to_hex(err));
  // After: the rows so far, then the ERR in place of the closing packet.
  stream_merge merge(plan, 2, false, 1 << 20);
  const auto a = shard({1, 2}), b = shard({3});
  merge.add(0, a, true);
  merge.add(1, p::bytes_view(b).first(b.size() - 9), false);  // up to its row, not its EOF
  auto sent = merge.take();
  merge.fail(p::encode(p::make_error(p::er::backend_lost, "weft: lost")));
  const auto tail = merge.take();
  EXPECT_TRUE(merge.finished());
  sent.insert(sent.end(), tail.begin(), tail.end());
  const auto hex = p::to_hex(sent);
  EXPECT_NE(hex.find(p::to_hex(p::encode(p::make_error(p::er::backend_lost, "weft: lost")))), std::string::npos);
  EXPECT_EQ(hex.substr(0, 10), "0100000102");  // the column count went out first, with 2 columns
}

TEST(ShardingStream, Refusals) {
  const auto plan = plan_of("SELECT id, name FROM t ORDER BY id");
  // The answer's last packet as an error (before or after rows).
  const auto refused = [&](std::vector<p::bytes> answers, std::size_t max_pending = 1 << 20) {
    const auto out = streamed(plan, answers, 3, max_pending);
    std::size_t at = 0, last = 0;
    while (at + 4 <= out.size()) last = at, at += 4 + (out[at] | (out[at + 1] << 8) | (out[at + 2] << 16));
    const auto err = p::decode_err_packet(p::bytes_view(out).subspan(last + 4));
    return err ? err->message : std::string("(no error)");
  };
  auto one = p::text_column("id");
  one.type = p::column_type::longlong;
  const std::vector<p::column_definition> just_id{one};
  const auto narrow = p::encode_text_result(just_id, std::vector<p::text_row>{{"1"}}, 0, 2);
  EXPECT_EQ(refused({shard({1}), narrow}), "weft: the shards answered with different columns");
  EXPECT_EQ(refused({shard({5, 1}), shard({2})}), "weft: a shard's rows did not come in weft's ORDER BY order");
  // One shard answers whole before the other's first packet: its rows pile up in the merge.
  std::vector<int> many(400);
  for (int i = 0; i < 400; ++i) many[static_cast<std::size_t>(i)] = i + 10;
  stream_merge merge(plan, 2, false, 2000);
  merge.add(0, shard(many), true);
  const auto out = merge.take();
  const auto err = p::decode_err_packet(p::bytes_view(out).subspan(4));
  ASSERT_TRUE(err);
  EXPECT_EQ(err->message, "weft: one shard's rows ran more than 2000 bytes ahead of another's in the merge: narrow "
                          "the read (a key, a LIMIT)");
}

}  // namespace
}  // namespace weft::sharding
