// The compressed protocol (protocol/compression.h), whose frames a client or backend using
// CLIENT_COMPRESS sends: any bytes decompressed, and any data compressed then decompressed.
//
// Input: [sequence id][raw compressed-protocol bytes].
// Checks: decompress_frames() consumes whole frames only, never more than given, and on error
// keeps what the complete frames before it produced; what compress_frames() makes of the same
// bytes (taken as plain data) decompresses back to them, every byte consumed, the sequence id
// advanced once per frame.
#include <algorithm>

#include "fuzz_input.h"
#include "protocol/compression.h"

namespace {
using namespace weft::protocol;

std::size_t packed_size_at(bytes_view raw, std::size_t at) { return raw[at] | raw[at + 1] << 8 | raw[at + 2] << 16; }

// raw[0, end) is whole frames, walked by their headers.
bool whole_frames(bytes_view raw, std::size_t end) {
  std::size_t at = 0;
  while (at < end) {
    if (end - at < compressed_header_size) return false;
    at += compressed_header_size + packed_size_at(raw, at);
  }
  return at == end;
}

void check_decompress(bytes_view raw) {
  bytes out;
  std::uint8_t next_seq = 0;
  std::error_code ec;
  const auto used = decompress_frames(raw, out, next_seq, ec);
  FUZZ_EXPECT(used <= raw.size());
  FUZZ_EXPECT(whole_frames(raw, used));
  if (!ec) {
    // It stopped because the next frame is incomplete, not for any other reason.
    const auto left = raw.size() - used;
    FUZZ_EXPECT(left < compressed_header_size || packed_size_at(raw, used) > left - compressed_header_size);
  }
  // What was consumed, decompressed again alone, gives the same bytes without error.
  bytes again;
  std::uint8_t again_seq = 0;
  FUZZ_EXPECT(decompress_frames(raw.first(used), again, again_seq, ec) == used && !ec);
  FUZZ_EXPECT(again == out);
}

void check_round_trip(bytes_view data, std::uint8_t seq) {
  bytes wire;
  auto write_seq = seq;
  compress_frames(data, write_seq, wire);
  FUZZ_EXPECT(write_seq == static_cast<std::uint8_t>(seq + 1));  // test inputs stay below 16 MiB
  bytes out;
  std::uint8_t read_seq = 0;
  std::error_code ec;
  const auto used = decompress_frames(wire, out, read_seq, ec);
  FUZZ_EXPECT(!ec && used == wire.size());
  FUZZ_EXPECT(read_seq == write_seq);
  FUZZ_EXPECT(out.size() == data.size() && std::equal(out.begin(), out.end(), data.begin()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  weft::fuzz::fuzz_input in(data, size);
  const auto seq = in.u8();
  const auto raw = in.rest();
  check_decompress(raw);
  check_round_trip(raw, seq);
  return 0;
}
