// frame_reader and packet_boundary fed any byte stream, cut into arbitrary pieces.
//
// Input: [max payload choice][split seed][wire bytes].
// Checks: each packet the reader returns, encoded again from its payload and first sequence id,
// is exactly the bytes it was read from (so nothing is lost, reordered or invented across frame
// joins); the announced next sequence id is the one after the last frame; no payload exceeds the
// reader's limit; packet_boundary, which walks the same stream without copying, ends the same
// packets at the same byte with the same payload totals.
#include <algorithm>
#include <vector>

#include "fuzz_input.h"
#include "protocol/frame.h"

namespace {
using namespace weft;

struct read_outcome {
  std::vector<std::size_t> wire_sizes;     // bytes each packet occupied on the wire
  std::vector<std::size_t> payload_sizes;
};

read_outcome read_packets(protocol::bytes_view wire, std::size_t max_payload, std::uint8_t seed) {
  protocol::frame_reader reader(max_payload);
  fuzz::chunker chunks(seed);
  read_outcome out;
  protocol::bytes reencoded;
  std::size_t fed = 0;
  std::error_code ec;
  while (fed < wire.size() && !ec) {
    const auto n = chunks.next(wire.size() - fed);
    reader.feed(wire.subspan(fed, n));
    fed += n;
    while (auto packet = reader.next(ec)) {
      FUZZ_EXPECT(packet->payload.size() <= max_payload);
      const auto before = reencoded.size();
      const auto next_seq = protocol::encode_packet(packet->payload, packet->sequence_id, reencoded);
      FUZZ_EXPECT(next_seq == packet->next_sequence_id);
      out.wire_sizes.push_back(reencoded.size() - before);
      out.payload_sizes.push_back(packet->payload.size());
    }
  }
  FUZZ_EXPECT(reencoded.size() <= fed);
  FUZZ_EXPECT(std::equal(reencoded.begin(), reencoded.end(), wire.begin()));
  if (!ec) FUZZ_EXPECT(reencoded.size() + reader.pending().size() == fed);
  return out;
}

void check_boundaries(protocol::bytes_view wire, std::uint8_t seed, const read_outcome& expected) {
  protocol::packet_boundary boundary;
  fuzz::chunker chunks(seed);
  std::size_t fed = 0, packet_bytes = 0, packets = 0;
  while (fed < wire.size() && packets < expected.wire_sizes.size()) {
    auto chunk = wire.subspan(fed, chunks.next(wire.size() - fed));
    fed += chunk.size();
    while (!chunk.empty() && packets < expected.wire_sizes.size()) {
      const auto used = boundary.feed(chunk);
      FUZZ_EXPECT(used <= chunk.size());
      packet_bytes += used;
      chunk = chunk.subspan(used);
      if (!boundary.complete()) {
        FUZZ_EXPECT(chunk.empty());
        continue;
      }
      FUZZ_EXPECT(packet_bytes == expected.wire_sizes[packets]);
      FUZZ_EXPECT(boundary.payload_total() == expected.payload_sizes[packets]);
      ++packets;
      packet_bytes = 0;
      boundary.reset();
    }
  }
  FUZZ_EXPECT(packets == expected.wire_sizes.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const auto limit_choice = in.u8();
  // Small limits reach the "too large" path with small inputs; the rest use the default.
  const std::size_t max_payload = limit_choice < 128 ? limit_choice * 8u : std::size_t{64} << 20;
  const auto seed = in.u8();
  const auto wire = in.rest();
  const auto outcome = read_packets(wire, max_payload, seed);
  check_boundaries(wire, seed, outcome);
  return 0;
}
