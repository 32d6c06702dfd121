// The response tracker (where a server's answer to one command ends, read from raw bytes) fed
// any server byte stream, whole and cut at arbitrary points.
//
// Input: [command byte][capabilities choice][split seed][server bytes].
// Checks: feed() never claims more bytes than it was given, and nothing once the response is
// done; the response ends on a frame boundary; fed in pieces, the tracker reaches exactly the
// same end and the same facts (status, error, warnings, insert id, counts) as fed at once — a
// proxy reads whatever the socket returns, so the split must never matter.
#include "fuzz_input.h"
#include "protocol/constants.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"

namespace {
using namespace weft;
using protocol::bytes_view;

struct tracked {
  std::size_t consumed = 0;
  unsigned local_infile_requests = 0;
  bool done = false, failed = false, has_status = false;
  std::uint16_t error_code = 0, status_flags = 0, warnings = 0;
  std::uint64_t last_insert_id = 0, result_sets = 0, rows = 0;
  bool operator==(const tracked&) const = default;
};

// Feeds chunk sizes from `chunks`; a LOCAL INFILE request is answered as the proxy does once
// the client's file went up: resume and keep reading the server.
tracked track(std::uint8_t cmd, std::uint64_t caps, bytes_view server, fuzz::chunker chunks) {
  protocol::response_tracker tracker;
  tracker.start(cmd, caps);
  tracked t;
  while (t.consumed < server.size() && !tracker.done()) {
    if (tracker.wants_local_infile()) {
      ++t.local_infile_requests;
      tracker.resume_after_local_infile();
    }
    const auto chunk = server.subspan(t.consumed, chunks.next(server.size() - t.consumed));
    const auto used = tracker.feed(chunk);
    FUZZ_EXPECT(used <= chunk.size());
    t.consumed += used;
    // Bytes left over in a chunk are only ever the next response's or the client's turn.
    if (used < chunk.size()) FUZZ_EXPECT(tracker.done() || tracker.wants_local_infile());
  }
  if (tracker.done()) FUZZ_EXPECT(tracker.feed(server.subspan(t.consumed)) == 0);
  t.done = tracker.done();
  t.failed = tracker.failed();
  t.has_status = tracker.has_status();
  t.error_code = tracker.error_code();
  t.status_flags = tracker.status_flags();
  t.warnings = tracker.warnings();
  t.last_insert_id = tracker.last_insert_id();
  t.result_sets = tracker.result_sets();
  t.rows = tracker.rows();
  return t;
}

// A finished response is whole frames: walking the headers lands exactly on its end.
bool ends_on_frame_boundary(bytes_view server, std::size_t end) {
  std::size_t at = 0;
  while (at < end) {
    if (end - at < protocol::frame_header_size) return false;
    at += protocol::frame_header_size + protocol::decode_frame_header(server.data() + at).payload_length;
  }
  return at == end;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const auto cmd = in.u8();
  const auto caps_choice = in.u8();
  const std::uint64_t caps = protocol::cap::protocol_41 | protocol::cap::session_track |
                             ((caps_choice & 1) ? protocol::cap::deprecate_eof : 0);
  const auto seed = in.u8();
  const auto server = in.rest();
  const auto whole = track(cmd, caps, server, fuzz::chunker::whole());
  const auto pieces = track(cmd, caps, server, fuzz::chunker(seed));
  FUZZ_EXPECT(pieces == whole);
  if (whole.done) FUZZ_EXPECT(ends_on_frame_boundary(server, whole.consumed));
  return 0;
}
