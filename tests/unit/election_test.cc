#include <gtest/gtest.h>

#include "routing/election.h"

namespace weft::routing {
namespace {

replica_position replica(std::string name, std::uint32_t id, std::string position, bool healthy = true,
                         bool candidate = true) {
  return {std::move(name), id, std::move(position), healthy, candidate};
}

TEST(ComparePositions, PerDomain) {
  EXPECT_EQ(compare_positions("0-1-10", "0-1-10"), 0);
  EXPECT_EQ(compare_positions("0-1-11", "0-1-10"), 1);
  EXPECT_EQ(compare_positions("0-1-9", "0-1-10"), -1);
  EXPECT_EQ(compare_positions("0-1-10,1-1-5", "0-1-10"), 1);  // an extra domain
  EXPECT_EQ(compare_positions("0-1-11,1-1-4", "0-1-10,1-1-5"), std::nullopt);  // diverged
  EXPECT_EQ(compare_positions("", ""), 0);
}

TEST(Elect, TheMostAdvancedHealthyReplicaWins) {
  const auto r = elect({replica("a:1", 2, "0-1-100"), replica("b:1", 3, "0-1-105"), replica("c:1", 4, "0-1-200", false)},
                       1, election_mode::automatic, false);
  ASSERT_TRUE(r.chosen);
  EXPECT_EQ(*r.chosen, "b:1");
  EXPECT_EQ(r.catch_up_from, std::nullopt);  // the unhealthy c cannot give anything
  EXPECT_TRUE(r.errant.empty());
}

TEST(Elect, ElectModeOnlyPromotesCandidatesAndCatchesUpFromOthers) {
  const auto r = elect({replica("a:1", 2, "0-1-100", true, true), replica("b:1", 3, "0-1-105", true, false)}, 1,
                       election_mode::elect, false);
  ASSERT_TRUE(r.chosen);
  EXPECT_EQ(*r.chosen, "a:1");
  EXPECT_EQ(r.catch_up_from, "b:1");  // b holds transactions a lacks
}

TEST(Elect, FailModeNeverPromotes) {
  const auto r = elect({replica("a:1", 2, "0-1-100")}, 1, election_mode::fail, false);
  EXPECT_FALSE(r.chosen);
  EXPECT_NE(r.reason.find("fail"), std::string::npos);
}

TEST(Elect, ErrantTransactionsAreReportedAndRefusedWhenPedantic) {
  const std::vector<replica_position> replicas{replica("a:1", 2, "0-2-101"), replica("b:1", 3, "0-1-100")};
  auto r = elect(replicas, 1, election_mode::automatic, false);
  ASSERT_EQ(r.errant.size(), 1u);
  EXPECT_EQ(r.errant[0], "a:1: 0-2-101");
  ASSERT_TRUE(r.chosen);
  EXPECT_EQ(*r.chosen, "a:1");  // most advanced, errant reported
  r = elect(replicas, 1, election_mode::automatic, true);
  ASSERT_TRUE(r.chosen);
  EXPECT_EQ(*r.chosen, "b:1");  // pedantic: a refused
}

TEST(Elect, NobodyHealthy) {
  const auto r = elect({replica("a:1", 2, "0-1-100", false)}, 1, election_mode::automatic, false);
  EXPECT_FALSE(r.chosen);
  EXPECT_NE(r.reason.find("no healthy replica"), std::string::npos);
}

}  // namespace
}  // namespace weft::routing
