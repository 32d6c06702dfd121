#include "protocol/result_set.h"

#include "protocol/constants.h"
#include "protocol/frame.h"
#include "protocol/messages.h"

namespace weft::protocol {

namespace {
constexpr std::uint16_t binary_flag = 0x0080;
constexpr std::uint16_t num_flag = 0x8000;
constexpr std::uint16_t binary_charset = 63;
}  // namespace

bytes encode(const column_definition& c, bool extended_type_info) {
  bytes out;
  byte_writer w(out);
  w.lenenc_string("def");
  w.lenenc_string(c.schema);
  w.lenenc_string(c.table);
  w.lenenc_string(c.org_table);
  w.lenenc_string(c.name);
  w.lenenc_string(c.org_name);
  if (extended_type_info) w.lenenc_int(0);  // MariaDB's extended type info: none
  w.lenenc_int(0x0c);  // length of the fixed fields that follow
  w.u16(c.charset);
  w.u32(c.length);
  w.u8(static_cast<std::uint8_t>(c.type));
  w.u16(c.flags);
  w.u8(c.decimals);
  w.u16(0);
  return out;
}

column_definition text_column(std::string name) {
  column_definition c;
  c.name = std::move(name);
  c.length = 1024;
  return c;
}

column_definition integer_column(std::string name) {
  column_definition c;
  c.name = std::move(name);
  c.charset = binary_charset;
  c.length = 21;
  c.type = column_type::longlong;
  c.flags = binary_flag | num_flag;
  return c;
}

column_definition real_column(std::string name) {
  column_definition c;
  c.name = std::move(name);
  c.charset = binary_charset;
  c.length = 22;
  c.type = column_type::double_;
  c.flags = binary_flag | num_flag;
  c.decimals = 31;  // as the server describes a DOUBLE of unknown scale
  return c;
}

bytes encode_text_row(const text_row& row) {
  bytes out;
  byte_writer w(out);
  for (const auto& value : row) {
    if (value) {
      w.lenenc_string(*value);
    } else {
      w.u8(0xFB);
    }
  }
  return out;
}

bytes encode_text_result(std::span<const column_definition> columns, std::span<const text_row> rows,
                         std::uint64_t caps, std::uint16_t status_flags, std::uint8_t first_seq) {
  bytes out, payload;
  std::uint8_t seq = first_seq;
  const auto frame = [&](const bytes& p) { seq = encode_packet(p, seq, out); };
  byte_writer(payload).lenenc_int(columns.size());
  frame(payload);
  for (const auto& c : columns) frame(encode(c, caps & cap::mariadb_extended_type_info));
  const bool deprecate_eof = caps & cap::deprecate_eof;
  if (!deprecate_eof) frame(encode(eof_packet{0, status_flags}));
  for (const auto& r : rows) frame(encode_text_row(r));
  if (deprecate_eof) {
    ok_packet end;
    end.header = eof_header;
    end.status_flags = status_flags;
    frame(encode(end, caps));
  } else {
    frame(encode(eof_packet{0, status_flags}));
  }
  return out;
}

}  // namespace weft::protocol
