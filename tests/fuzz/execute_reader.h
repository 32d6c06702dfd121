// A reference reader of COM_STMT_EXECUTE payloads, written from the protocol documentation, to
// judge what the proxy does to them. weft has no decoder of its own for this command: it
// forwards the bytes and reads only the flags byte and the new-params-bound flag.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/bytes.h"

namespace weft::fuzz {

struct execute_view {
  std::uint32_t statement_id = 0;
  std::uint8_t flags = 0;  // cursor type
  std::uint32_t iterations = 0;
  protocol::bytes_view null_bitmap;
  bool types_bound = false;
  protocol::bytes_view types;                               // 2 bytes per parameter
  std::vector<std::optional<protocol::bytes_view>> values;  // nullopt: NULL
};

// params: the statement's parameter count (from its prepare); earlier_types: the types of an
// earlier execute, used when this one binds none. nullopt when the payload is not a complete,
// well-formed execute of that statement.
std::optional<execute_view> read_execute(protocol::bytes_view payload, std::uint16_t params,
                                         protocol::bytes_view earlier_types);

}  // namespace weft::fuzz
