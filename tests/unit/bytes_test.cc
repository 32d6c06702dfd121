#include <gtest/gtest.h>

#include "protocol/bytes.h"

namespace weft::protocol {
namespace {

struct lenenc_case {
  std::uint64_t value;
  bytes wire;
};

TEST(LenencInt, EncodesAndDecodesEachWidthAtItsBoundaries) {
  const std::vector<lenenc_case> cases{
      {0, {0x00}},
      {0xFA, {0xFA}},
      {0xFB, {0xFC, 0xFB, 0x00}},
      {0xFFFF, {0xFC, 0xFF, 0xFF}},
      {0x10000, {0xFD, 0x00, 0x00, 0x01}},
      {0xFFFFFF, {0xFD, 0xFF, 0xFF, 0xFF}},
      {0x1000000, {0xFE, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00}},
  };
  for (const auto& c : cases) {
    bytes out;
    byte_writer(out).lenenc_int(c.value);
    EXPECT_EQ(out, c.wire) << c.value;
    EXPECT_EQ(lenenc_int_size(c.value), c.wire.size());
    byte_reader r(c.wire);
    EXPECT_EQ(r.lenenc_int(), c.value);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.at_end());
  }
}

TEST(LenencInt, NullAndErrMarkersAreNotIntegers) {
  for (std::uint8_t marker : {0xFB, 0xFF}) {
    const bytes wire{marker};
    byte_reader r(wire);
    r.lenenc_int();
    EXPECT_FALSE(r.ok());
  }
}

TEST(ByteReader, TruncatedReadsLatchFailure) {
  const bytes wire{0xFD, 0x01, 0x02};  // a 3-byte integer with only 2 bytes
  byte_reader r(wire);
  EXPECT_EQ(r.lenenc_int(), 0u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.u8(), 0);  // stays failed
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ByteReader, NullStringWithoutTerminatorFails) {
  const bytes wire{'a', 'b', 'c'};
  byte_reader r(wire);
  r.null_string();
  EXPECT_FALSE(r.ok());
}

TEST(ByteReader, LittleEndianIntegers) {
  const bytes wire{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
  byte_reader r(wire);
  EXPECT_EQ(r.u8(), 0x01);
  EXPECT_EQ(r.u16(), 0x0302);
  EXPECT_EQ(r.u24(), 0x060504u);
  EXPECT_EQ(r.u24(), 0x090807u);
  EXPECT_TRUE(r.at_end());
}

}  // namespace
}  // namespace weft::protocol
