#include <gtest/gtest.h>

#include "fixture.h"
#include "protocol/errors.h"
#include "protocol/frame.h"

namespace weft::protocol {
namespace {

bytes payload_of(std::size_t n) {
  bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7);
  return b;
}

TEST(Frame, HeaderIsLengthLittleEndianThenSequence) {
  std::uint8_t h[4];
  encode_frame_header({0x030201, 9}, h);
  EXPECT_EQ(bytes(h, h + 4), (bytes{0x01, 0x02, 0x03, 0x09}));
  EXPECT_EQ(decode_frame_header(h), (frame_header{0x030201, 9}));
}

TEST(Frame, CapturedComQueryIsOneFrameWithSequenceZero) {
  const auto wire = test::load_fixture("com_query_select_1");
  const auto frames = test::split_frames(wire);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].header.sequence_id, 0);
  EXPECT_EQ(encode_packet(frames[0].payload, 0), wire);
}

TEST(Frame, PayloadOfExactlyMaxFrameIsFollowedByAnEmptyFrame) {
  const auto payload = payload_of(max_frame_payload);
  const auto wire = encode_packet(payload, 3);
  const auto frames = test::split_frames(wire);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].header, (frame_header{max_frame_payload, 3}));
  EXPECT_EQ(frames[1].header, (frame_header{0, 4}));
}

TEST(Frame, LargePayloadSplitsAndJoins) {
  const auto payload = payload_of(2 * max_frame_payload + 10);
  const auto wire = encode_packet(payload, 0);
  const auto frames = test::split_frames(wire);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[2].header, (frame_header{10, 2}));

  frame_reader reader(64u << 20);
  reader.feed(wire);
  std::error_code ec;
  auto p = reader.next(ec);
  ASSERT_TRUE(p) << ec.message();
  EXPECT_EQ(p->payload, payload);
  EXPECT_EQ(p->sequence_id, 0);
  EXPECT_EQ(p->next_sequence_id, 3);
  EXPECT_TRUE(reader.pending().empty());
}

TEST(FrameReader, YieldsNothingUntilComplete_AtEverySplit) {
  const auto wire = test::load_fixture("query_rows_deof");
  const auto frames = test::split_frames(wire);
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    frame_reader reader;
    std::vector<bytes> got;
    std::error_code ec;
    reader.feed(bytes_view(wire).first(split));
    while (auto p = reader.next(ec)) got.push_back(p->payload);
    reader.feed(bytes_view(wire).subspan(split));
    while (auto p = reader.next(ec)) got.push_back(p->payload);
    ASSERT_FALSE(ec);
    ASSERT_EQ(got.size(), frames.size()) << "split at " << split;
    for (std::size_t i = 0; i < frames.size(); ++i) EXPECT_EQ(got[i], frames[i].payload);
  }
}

TEST(FrameReader, RejectsOversizedPacketBeforeBufferingIt) {
  frame_reader reader(100);
  const auto wire = encode_packet(payload_of(101), 0);
  reader.feed(bytes_view(wire).first(4));  // the header alone is enough to know
  std::error_code ec;
  EXPECT_FALSE(reader.next(ec));
  EXPECT_EQ(ec, errc::packet_too_large);
}

TEST(FrameReader, RejectsOutOfOrderContinuationFrame) {
  auto wire = encode_packet(payload_of(max_frame_payload + 1), 0);
  wire[frame_header_size + max_frame_payload + 3] = 7;  // second frame should be seq 1
  frame_reader reader(64u << 20);
  reader.feed(wire);
  std::error_code ec;
  EXPECT_FALSE(reader.next(ec));
  EXPECT_EQ(ec, errc::bad_sequence);
}

TEST(PacketBoundary, FindsEndOfMultiFramePacketAtEverySplit) {
  auto wire = encode_packet(payload_of(max_frame_payload + 5), 0);
  const auto next = test::load_fixture("com_ping");
  const auto packet_size = wire.size();
  wire.insert(wire.end(), next.begin(), next.end());
  for (std::size_t split : {std::size_t{1}, std::size_t{3}, std::size_t{4}, std::size_t{5},
                            std::size_t{max_frame_payload + 3}, std::size_t{max_frame_payload + 4},
                            std::size_t{max_frame_payload + 8}, packet_size - 1, packet_size}) {
    packet_boundary b;
    auto used = b.feed(bytes_view(wire).first(split));
    EXPECT_EQ(used, split);
    EXPECT_EQ(b.complete(), split == packet_size) << split;
    used += b.feed(bytes_view(wire).subspan(split));
    EXPECT_TRUE(b.complete()) << split;
    EXPECT_EQ(used, packet_size) << split;
    EXPECT_EQ(b.payload_total(), max_frame_payload + 5u);
  }
}

}  // namespace
}  // namespace weft::protocol
