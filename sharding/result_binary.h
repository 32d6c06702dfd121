// A merged answer in the text protocol rewritten as the server answers COM_STMT_EXECUTE: the
// same column definitions and closing packet, each row rebuilt in the binary protocol
// (protocol/binary_row.h). An error answer is the same in both protocols.
#pragma once

#include <string>

#include "protocol/bytes.h"

namespace weft::sharding {

struct binary_answer {
  protocol::bytes frames;  // the whole answer, sequence ids from 1
  std::string refusal;     // why it cannot be rebuilt (a FLOAT column, an unreadable value)
};

binary_answer binary_result(protocol::bytes_view text_frames, bool extended_type_info);

}  // namespace weft::sharding
