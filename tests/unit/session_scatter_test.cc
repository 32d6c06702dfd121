// Scatter-gather on the machine's side: one scatter action naming every target, then one gather
// per target, answered in whatever order the targets end; each response lands in its own slot.
#include "tests/unit/session_harness.h"

namespace weft::session {

namespace p = protocol;

// Reaches the machine's scatter-gather before sharding calls it from a statement path.
struct machine_probe {
  static resumable<void> scatter(machine& m, std::vector<target> targets, p::bytes payload, gathered_all& out) {
    out = co_await m.scatter_gather(targets, payload);
  }
  static void run(machine& m, resumable<void> program) {
    m.program_.emplace(std::move(program));
    m.program_->start();
    if (m.program_->finished()) m.next_ = action{};  // (done without asking anything)
  }
};

namespace testing {
namespace {

using routing::target_role;

struct scatter_test : ::testing::Test {
  session_under_test s;
  gathered_all out;
  std::vector<target> targets{{target_role::primary, "shard1"}, {target_role::primary, "shard2"},
                              {target_role::replica, "shard3"}};
  p::bytes query = p::encode(p::com_query{"SELECT COUNT(*) FROM t"});

  void start() { machine_probe::run(s.m, machine_probe::scatter(s.m, targets, query, out)); }
  void gathered(std::uint32_t index, p::bytes& response, outcome result = outcome::ok,
                const p::err_packet* error = nullptr) {
    ASSERT_EQ(s.next().kind, action_kind::gather);
    s.give({.result = result, .backend = std::span<std::uint8_t>(response), .error = error, .target_index = index});
  }
};

TEST_F(scatter_test, OneScatterThenAGatherPerTargetInTheOrderTheyEnd) {
  start();
  ASSERT_EQ(s.next().kind, action_kind::scatter);
  ASSERT_EQ(s.next().targets.size(), 3u);
  EXPECT_EQ(s.next().targets[1].group, "shard2");
  EXPECT_EQ(s.next().targets[2].role, target_role::replica);
  EXPECT_TRUE(std::ranges::equal(s.next().payload, query));
  s.give();
  auto third = ok_response(p::status::autocommit, 3);
  auto first = ok_response(p::status::autocommit, 1);
  auto second = ok_response(p::status::autocommit, 2);
  gathered(2, third);
  third.assign(third.size(), 0);  // the event's view dies with the next action: the machine copied it
  gathered(0, first);
  gathered(1, second);
  EXPECT_TRUE(s.m.finished());
  ASSERT_TRUE(out.complete);
  EXPECT_TRUE(out.all_ok());
  EXPECT_EQ(out.responses[0].bytes, ok_response(p::status::autocommit, 1));
  EXPECT_EQ(out.responses[1].bytes, ok_response(p::status::autocommit, 2));
  EXPECT_EQ(out.responses[2].bytes, ok_response(p::status::autocommit, 3));
}

TEST_F(scatter_test, ATargetWithoutAConnectionKeepsItsError) {
  start();
  s.give();
  auto ok = ok_response(p::status::autocommit, 0);
  p::bytes none;
  const auto down = p::make_error(p::er::backend_unreachable, "weft: no server for shard2");
  gathered(1, none, outcome::refused, &down);
  gathered(0, ok);
  gathered(2, none, outcome::too_large);
  ASSERT_TRUE(out.complete);
  EXPECT_FALSE(out.all_ok());
  EXPECT_EQ(out.responses[0].result, outcome::ok);
  EXPECT_EQ(out.responses[1].result, outcome::refused);
  ASSERT_TRUE(out.responses[1].error.has_value());
  EXPECT_EQ(out.responses[1].error->message, "weft: no server for shard2");
  EXPECT_EQ(out.responses[2].result, outcome::too_large);
}

// A driver that reports a target twice (or one that does not exist) broke its word: the
// gathering stops there, incomplete, rather than merge something wrong.
TEST_F(scatter_test, ATargetReportedTwiceOrUnknownLeavesItIncomplete) {
  for (const std::uint32_t wrong : {0u, 7u}) {
    session_under_test fresh;
    gathered_all got;
    machine_probe::run(fresh.m, machine_probe::scatter(fresh.m, targets, query, got));
    fresh.give();
    auto ok = ok_response(p::status::autocommit, 0);
    fresh.give({.backend = std::span<std::uint8_t>(ok), .target_index = 0});
    fresh.give({.backend = std::span<std::uint8_t>(ok), .target_index = wrong});
    EXPECT_TRUE(fresh.m.finished()) << wrong;
    EXPECT_FALSE(got.complete) << wrong;
  }
}

TEST_F(scatter_test, AScatterThatCannotStartGathersNothing) {
  start();
  s.give({.result = outcome::client_gone});
  EXPECT_TRUE(s.m.finished());
  EXPECT_FALSE(out.complete);
}

TEST_F(scatter_test, NoTargetsNeedNoAction) {
  targets.clear();
  start();
  EXPECT_TRUE(s.m.finished());
  EXPECT_TRUE(out.complete);
}

}  // namespace
}  // namespace testing
}  // namespace weft::session
