// The logical packets a peer sends, read from a fuzz input laid out as wire bytes (4-byte frame
// headers included), so captured exchanges serve as seeds unchanged.
#pragma once

#include <system_error>
#include <vector>

#include "protocol/frame.h"

namespace weft::fuzz {

// Stops at the first framing error or incomplete frame, as a connection would stall there.
inline std::vector<protocol::packet> packets_of(protocol::bytes_view wire, std::size_t max_packets = 16) {
  protocol::frame_reader reader(1u << 20);
  reader.feed(wire);
  std::vector<protocol::packet> packets;
  std::error_code ec;
  while (packets.size() < max_packets) {
    auto packet = reader.next(ec);
    if (!packet) break;
    packets.push_back(std::move(*packet));
  }
  return packets;
}

}  // namespace weft::fuzz
