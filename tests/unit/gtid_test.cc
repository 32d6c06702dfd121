#include <gtest/gtest.h>

#include "routing/gtid.h"

namespace weft::routing {
namespace {

TEST(ParseGtid, DomainServerSequence) {
  const auto g = parse_gtid("0-1-100");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->domain, 0u);
  EXPECT_EQ(g->server_id, 1u);
  EXPECT_EQ(g->sequence, 100u);

  const auto big = parse_gtid("4294967295-7-18446744073709551615");
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->domain, 4294967295u);
  EXPECT_EQ(big->server_id, 7u);
  EXPECT_EQ(big->sequence, 18446744073709551615ull);
}

TEST(ParseGtid, RejectsMalformedText) {
  for (std::string_view text : {"0-1", "a-b-c", "", "0", "0-1-", "-1-100", "0--100", "0-1-100x", "0-1-2-3",
                                "4294967296-1-1", " 0-1-100"}) {
    EXPECT_FALSE(parse_gtid(text).has_value()) << '"' << text << '"';
  }
}

TEST(PositionCovers, SameDomainComparesSequences) {
  EXPECT_TRUE(position_covers("0-1-100", "0-1-99"));
  EXPECT_TRUE(position_covers("0-1-100", "0-1-100"));
  EXPECT_FALSE(position_covers("0-1-100", "0-1-101"));
  // The server id plays no part: sequences are ordered within a domain.
  EXPECT_TRUE(position_covers("0-2-100", "0-1-100"));
  EXPECT_FALSE(position_covers("0-2-100", "0-1-101"));
}

TEST(PositionCovers, MultiDomainPosition) {
  const std::string_view position = "0-1-10,1-2-5";
  EXPECT_TRUE(position_covers(position, "0-1-10"));
  EXPECT_FALSE(position_covers(position, "0-1-11"));
  EXPECT_TRUE(position_covers(position, "1-2-5"));
  EXPECT_TRUE(position_covers(position, "1-9-4"));
  EXPECT_FALSE(position_covers(position, "1-2-6"));
  // Spaces and line breaks as servers print them.
  EXPECT_TRUE(position_covers("0-1-10, 1-2-5\n", "1-2-5"));
}

TEST(PositionCovers, EveryWantedDomainMustBeCovered) {
  const std::string_view position = "0-1-10,1-2-5";
  EXPECT_TRUE(position_covers(position, "0-1-10,1-2-5"));
  EXPECT_TRUE(position_covers(position, "1-2-3, 0-1-2"));
  EXPECT_FALSE(position_covers(position, "0-1-10,1-2-6"));
  EXPECT_FALSE(position_covers(position, "0-1-11,1-2-5"));
}

TEST(PositionCovers, DomainMissingFromPosition) {
  EXPECT_FALSE(position_covers("0-1-10,1-2-5", "2-1-1"));
  EXPECT_FALSE(position_covers("0-1-10,1-2-5", "0-1-1,2-1-1"));
  EXPECT_FALSE(position_covers("", "0-1-1"));
}

TEST(PositionCovers, EmptyWantedIsAlwaysCovered) {
  EXPECT_TRUE(position_covers("0-1-10", ""));
  EXPECT_TRUE(position_covers("", ""));
}

TEST(PositionCovers, MalformedWantedIsNeverCovered) {
  EXPECT_FALSE(position_covers("0-1-10", "garbage"));
  EXPECT_FALSE(position_covers("0-1-10", "0-1"));
  EXPECT_FALSE(position_covers("0-1-10", "0-1-5,junk"));
  EXPECT_FALSE(position_covers("0-1-10", "junk,0-1-5"));
}

}  // namespace
}  // namespace weft::routing
