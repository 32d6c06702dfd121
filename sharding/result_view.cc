#include "sharding/result_view.h"

#include "protocol/messages.h"

namespace weft::sharding {
namespace {

namespace p = protocol;
constexpr std::uint16_t more_results = 0x0008;

// The payloads of a response's frames, in order; nullopt for a frame of 16 MiB or more (a
// packet split over frames) or a cut frame.
std::optional<std::vector<p::bytes_view>> payloads_of(p::bytes_view response) {
  std::vector<p::bytes_view> out;
  std::size_t at = 0;
  while (at + 4 <= response.size()) {
    const std::size_t length = response[at] | (response[at + 1] << 8) | (response[at + 2] << 16);
    if (length == 0xFFFFFF || at + 4 + length > response.size()) return std::nullopt;
    out.push_back(response.subspan(at + 4, length));
    at += 4 + length;
  }
  if (at != response.size()) return std::nullopt;
  return out;
}

result_view unreadable(std::string why) {
  result_view v;
  v.problem = std::move(why);
  return v;
}

}  // namespace

std::optional<column_info> read_column_definition(p::bytes_view payload, bool extended_type_info) {
  p::byte_reader r(payload);
  column_info c;
  c.payload = payload;
  for (int i = 0; i < 4; ++i) r.lenenc_string();  // catalog, schema, table, org_table
  c.name = r.lenenc_string();
  r.lenenc_string();  // org_name
  if (extended_type_info) r.skip(r.lenenc_int());
  r.lenenc_int();     // length of the fixed fields
  c.charset = r.u16();
  r.u32();
  c.type = r.u8();
  c.flags = r.u16();
  c.decimals = r.u8();
  if (!r.ok()) return std::nullopt;
  return c;
}

std::optional<row_values> read_text_row(p::bytes_view payload, std::size_t columns) {
  p::byte_reader r(payload);
  row_values values;
  values.reserve(columns);
  for (std::size_t i = 0; i < columns; ++i) {
    if (r.peek() == 0xFB) {
      r.skip(1);
      values.push_back(std::nullopt);
    } else {
      values.push_back(r.lenenc_string());
    }
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return values;
}

// The closing packet's status and warnings (EOF: 5 bytes; an OK with the 0xFE header: longer).
bool read_closing(p::bytes_view payload, result_view& out) {
  p::byte_reader r(payload);
  r.skip(1);
  if (payload.size() == 5) {
    out.warnings = r.u16();
    out.status = r.u16();
  } else {
    r.lenenc_int();
    r.lenenc_int();
    out.status = r.u16();
    out.warnings = r.u16();
  }
  out.terminator = payload;
  return r.ok();
}

result_view read_result(p::bytes_view response, bool extended_type_info) {
  const auto packets = payloads_of(response);
  if (!packets || packets->empty()) return unreadable("a shard's answer holds a packet of 16 MiB or more, or is cut");
  result_view v;
  const auto& first = (*packets)[0];
  if (!first.empty() && first[0] == 0xFF) {
    v.what = result_view::kind::error;
    v.error = first;
    return v;
  }
  p::byte_reader count_reader(first);
  const auto count = count_reader.lenenc_int();
  if (first.empty() || first[0] == 0x00 || !count_reader.ok() || count == 0 || count + 1 > packets->size()) {
    return unreadable("a shard answered without a result set");
  }
  v.column_count = first;
  std::size_t i = 1;
  for (; i <= count; ++i) {
    auto c = read_column_definition((*packets)[i], extended_type_info);
    if (!c) return unreadable("a shard's column definition is unreadable");
    v.columns.push_back(*c);
  }
  if (i < packets->size() && (*packets)[i].size() == 5 && (*packets)[i][0] == 0xFE && i + 1 < packets->size()) {
    v.columns_eof = (*packets)[i++];
  }
  for (; i + 1 < packets->size(); ++i) {
    const auto& payload = (*packets)[i];
    if (!payload.empty() && payload[0] == 0xFF) return v.what = result_view::kind::error, v.error = payload, v;
    auto values = read_text_row(payload, v.columns.size());
    if (!values) return unreadable("a shard's row is unreadable");
    v.rows.push_back({payload, std::move(*values)});
  }
  const auto& last = packets->back();
  if (!last.empty() && last[0] == 0xFF) return v.what = result_view::kind::error, v.error = last, v;
  if (last.empty() || last[0] != 0xFE || !read_closing(last, v)) return unreadable("a shard's answer has no end");
  if (v.status & more_results) return unreadable("a shard answered with more than one result set");
  v.what = result_view::kind::rows;
  return v;
}

std::optional<row_values> single_row(const result_view& r, std::size_t columns, std::string& problem) {
  if (r.what == result_view::kind::error) {
    const auto err = p::decode_err_packet(r.error);
    problem = err ? err->message : "the server answered with an error";
    return std::nullopt;
  }
  if (r.what != result_view::kind::rows || r.rows.size() != 1 || r.rows[0].values.size() != columns) {
    problem = r.problem.empty() ? "the answer was not one row" : r.problem;
    return std::nullopt;
  }
  return r.rows[0].values;
}

p::bytes terminator_with(const result_view& like, std::uint16_t warnings) {
  p::bytes out(like.terminator.begin(), like.terminator.end());
  const std::uint16_t status = like.status & ~more_results;
  if (out.size() == 5) {
    out[1] = warnings & 0xFF, out[2] = warnings >> 8, out[3] = status & 0xFF, out[4] = status >> 8;
    return out;
  }
  p::byte_reader r(like.terminator);
  r.skip(1);
  r.lenenc_int();
  r.lenenc_int();
  const auto at = like.terminator.size() - r.remaining();
  out[at] = status & 0xFF, out[at + 1] = status >> 8, out[at + 2] = warnings & 0xFF, out[at + 3] = warnings >> 8;
  return out;
}

}  // namespace weft::sharding
