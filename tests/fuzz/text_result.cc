// Text result sets weft builds itself (the admin port's answers), checked by weft's own reader
// of responses: what encode_text_result() writes, the response tracker must see end exactly at
// its last byte, with the row count and status written.
//
// Input: [capabilities choice][status flags: 2][first sequence id][split seed]
//        [column count][row count] then, per column a name and per value a length/NULL choice
//        (values and names take their bytes from the input, padded when it runs out).
// Checks: the frames are consecutive from the first sequence id, one per column definition,
// row and terminator; fed in pieces, the tracker ends at the last byte, not failed, with one
// result set, every row counted and the status flags that were encoded.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "protocol/frame.h"
#include "protocol/response_tracker.h"
#include "protocol/result_set.h"

namespace {
using namespace weft;
using protocol::bytes_view;

// Large values reach the 3- and 4-byte length encodings; the total stays bounded.
std::optional<std::string> value_from(fuzz::fuzz_input& in, std::size_t& budget) {
  const auto choice = in.u8();
  if (choice == 0xFF) return std::nullopt;
  std::size_t length = choice < 0xFA ? choice : 0xFA + in.u16() + (choice == 0xFE ? 0x10000u : 0u);
  length = std::min(length, budget);
  budget -= length;
  std::string value(protocol::as_chars(in.take(length)));
  value.resize(length, 'x');
  return value;
}

struct result_input {
  std::vector<protocol::column_definition> columns;
  std::vector<protocol::text_row> rows;
};

result_input result_from(fuzz::fuzz_input& in) {
  result_input r;
  const std::size_t columns = 1 + in.u8() % 8;
  const std::size_t rows = in.u8() % 32;
  for (std::size_t c = 0; c < columns; ++c) {
    r.columns.push_back(protocol::text_column(std::string(protocol::as_chars(in.take(in.u8() % 16)))));
  }
  std::size_t budget = 1 << 20;
  for (std::size_t i = 0; i < rows; ++i) {
    protocol::text_row row;
    for (std::size_t c = 0; c < columns; ++c) row.push_back(value_from(in, budget));
    r.rows.push_back(std::move(row));
  }
  return r;
}

void check_frames(bytes_view wire, std::uint8_t first_seq, std::size_t expected_packets) {
  protocol::frame_reader reader;
  reader.feed(wire);
  std::error_code ec;
  std::size_t packets = 0;
  std::uint8_t seq = first_seq;
  while (auto p = reader.next(ec)) {
    FUZZ_EXPECT(p->sequence_id == seq);
    seq = p->next_sequence_id;
    ++packets;
  }
  FUZZ_EXPECT(!ec && reader.pending().empty());
  FUZZ_EXPECT(packets == expected_packets);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::fuzz_input in(data, size);
  const bool deprecate_eof = in.u8() & 1;
  const std::uint64_t caps = protocol::cap::protocol_41 | (deprecate_eof ? protocol::cap::deprecate_eof : 0);
  // weft's results are single and open no cursor: those two flags would announce more.
  const std::uint16_t status = in.u16() & ~(protocol::status::more_results_exists | protocol::status::cursor_exists);
  const auto first_seq = in.u8();
  fuzz::chunker chunks(in.u8());
  const auto result = result_from(in);
  const auto wire = protocol::encode_text_result(result.columns, result.rows, caps, status, first_seq);
  check_frames(wire, first_seq, 1 + result.columns.size() + (deprecate_eof ? 0 : 1) + result.rows.size() + 1);

  protocol::response_tracker tracker;
  tracker.start(static_cast<std::uint8_t>(protocol::command::query), caps);
  std::size_t consumed = 0;
  while (consumed < wire.size() && !tracker.done()) {
    consumed += tracker.feed(bytes_view(wire).subspan(consumed, chunks.next(wire.size() - consumed)));
  }
  FUZZ_EXPECT(tracker.done() && consumed == wire.size());
  FUZZ_EXPECT(!tracker.failed());
  FUZZ_EXPECT(tracker.result_sets() == 1);
  FUZZ_EXPECT(tracker.rows() == result.rows.size());
  FUZZ_EXPECT(tracker.has_status() && tracker.status_flags() == status);
  return 0;
}
