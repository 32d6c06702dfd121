#include "sharding/result_binary.h"

#include <vector>

#include "protocol/binary_row.h"
#include "protocol/frame.h"
#include "sharding/result_view.h"

namespace weft::sharding {

namespace p = protocol;

binary_answer binary_result(p::bytes_view text_frames, bool extended_type_info) {
  binary_answer out;
  const auto r = read_result(text_frames, extended_type_info);
  if (r.what == result_view::kind::error) {
    out.frames.assign(text_frames.begin(), text_frames.end());
    return out;
  }
  if (r.what != result_view::kind::rows) {
    out.refusal = "the merged answer could not be read again: " + r.problem;
    return out;
  }
  std::vector<p::binary_column> columns;
  for (const auto& c : r.columns) {
    columns.push_back({c.type, c.flags});
    if (const auto why = p::binary_unavailable(columns.back()); !why.empty()) {
      out.refusal = "column `" + std::string(c.name) + "`: " + why + " (CAST it to DOUBLE, or use the text protocol)";
      return out;
    }
  }
  std::uint8_t seq = p::encode_packet(r.column_count, 1, out.frames);
  for (const auto& c : r.columns) seq = p::encode_packet(c.payload, seq, out.frames);
  if (!r.columns_eof.empty()) seq = p::encode_packet(r.columns_eof, seq, out.frames);
  for (const auto& row : r.rows) {
    const auto binary = p::binary_row(columns, row.values, out.refusal);
    if (!binary) return out;
    seq = p::encode_packet(*binary, seq, out.frames);
  }
  p::encode_packet(r.terminator, seq, out.frames);
  return out;
}

}  // namespace weft::sharding
