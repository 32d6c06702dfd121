#include "protocol/session_track.h"

namespace weft::protocol {

bytes encode_schema_change(std::string_view schema) {
  bytes data;
  byte_writer(data).lenenc_string(schema);
  bytes out;
  byte_writer w(out);
  w.u8(session_track::schema);
  w.lenenc_string(as_chars(data));
  return out;
}

}  // namespace weft::protocol
