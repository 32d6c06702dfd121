#include <gtest/gtest.h>

#include <zlib.h>

#include "fixture.h"
#include "protocol/compression.h"
#include "protocol/errors.h"
#include "protocol/frame.h"

namespace weft::protocol {
namespace {

bytes text_of(std::size_t n) {
  bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>('a' + i % 7);
  return b;
}

TEST(Compression, ShortPayloadIsStoredWithZeroUncompressedLength) {
  const auto ping = test::load_fixture("com_ping");  // 5 bytes: below min_compress_length
  std::uint8_t seq = 0;
  bytes out;
  compress_frames(ping, seq, out);
  bytes expected{0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  expected.insert(expected.end(), ping.begin(), ping.end());
  EXPECT_EQ(out, expected);
  EXPECT_EQ(seq, 1);
}

TEST(Compression, LongPayloadIsZlibCompressedAndAnnouncesItsSize) {
  const auto data = text_of(1000);
  std::uint8_t seq = 3;
  bytes out;
  compress_frames(data, seq, out);
  ASSERT_GT(out.size(), compressed_header_size);
  const std::uint32_t packed = out[0] | out[1] << 8 | out[2] << 16;
  EXPECT_EQ(packed, out.size() - compressed_header_size);
  EXPECT_EQ(out[3], 3);
  EXPECT_EQ(out[4] | out[5] << 8 | out[6] << 16, 1000);
  // Independently inflated by zlib itself.
  bytes plain(1000);
  uLongf got = plain.size();
  ASSERT_EQ(uncompress(plain.data(), &got, out.data() + 7, packed), Z_OK);
  EXPECT_EQ(plain, data);
}

TEST(Compression, RoundTripsAcrossFramesWhateverTheChunking) {
  // Captured packets (a result set) plus a long text, as one compressed stream of two writes.
  auto data = test::load_fixture("query_rows_deof");
  const auto more = text_of(5000);
  std::uint8_t seq = 0;
  bytes wire;
  compress_frames(data, seq, wire);
  compress_frames(more, seq, wire);
  data.insert(data.end(), more.begin(), more.end());
  for (std::size_t split = 0; split <= wire.size(); split += 7) {
    bytes plain;
    std::uint8_t next = 0;
    std::error_code ec;
    const auto first = decompress_frames(bytes_view(wire).first(split), plain, next, ec);
    ASSERT_FALSE(ec);
    bytes rest(wire.begin() + static_cast<std::ptrdiff_t>(first), wire.end());
    EXPECT_EQ(decompress_frames(rest, plain, next, ec), rest.size());
    EXPECT_EQ(plain, data) << "split at " << split;
    EXPECT_EQ(next, 2);
  }
}

TEST(Compression, DataOverSixteenMebibytesTakesTwoFrames) {
  const auto data = text_of(max_frame_payload + 100);
  std::uint8_t seq = 0;
  bytes wire;
  compress_frames(data, seq, wire);
  EXPECT_EQ(seq, 2);
  bytes plain;
  std::uint8_t next = 0;
  std::error_code ec;
  EXPECT_EQ(decompress_frames(wire, plain, next, ec), wire.size());
  EXPECT_EQ(plain, data);
}

TEST(Compression, CorruptPayloadIsAnError) {
  std::uint8_t seq = 0;
  bytes wire;
  compress_frames(text_of(1000), seq, wire);
  wire[10] ^= 0xFF;
  bytes plain;
  std::uint8_t next = 0;
  std::error_code ec;
  EXPECT_EQ(decompress_frames(wire, plain, next, ec), 0u);
  EXPECT_EQ(ec, errc::malformed);
  EXPECT_TRUE(plain.empty());
}

// A 7-byte header and a few bytes claiming 16 MiB once inflated: refused before any allocation
// (deflate cannot expand past ~1032:1), so a client cannot make weft hold 16 MiB per connection.
TEST(Compression, ImpossibleExpansionIsRefusedBeforeAllocating) {
  const bytes wire{0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x78, 0x9c, 0x03, 0x00};
  bytes plain;
  std::uint8_t next = 0;
  std::error_code ec;
  EXPECT_EQ(decompress_frames(wire, plain, next, ec), 0u);
  EXPECT_EQ(ec, errc::malformed);
  EXPECT_LT(plain.capacity(), 1u << 20);
  // The most compressible data (zeros) still round-trips: the bound is not too tight.
  std::uint8_t seq = 0;
  bytes packed;
  compress_frames(bytes(8u << 20, 0), seq, packed);
  std::uint8_t after = 0;
  EXPECT_EQ(decompress_frames(packed, plain, after, ec), packed.size());
  EXPECT_FALSE(ec);
  EXPECT_EQ(plain.size(), 8u << 20);
}

}  // namespace
}  // namespace weft::protocol
