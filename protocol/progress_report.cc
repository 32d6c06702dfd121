#include "protocol/progress_report.h"

#include <algorithm>

namespace weft::protocol {

bytes encode(const progress_report& r) {
  bytes out;
  byte_writer w(out);
  w.u8(0xFF);
  w.u16(0xFFFF);
  w.u8(1);  // the number of strings after the figures (always one)
  w.u8(r.stage);
  w.u8(std::max(r.stage, r.max_stage));
  w.u24(std::min<std::uint32_t>(r.progress, 100000));
  w.lenenc_string(r.info.substr(0, 200));
  return out;
}

}  // namespace weft::protocol
