// Captured wire bytes from the sandbox's MariaDB (see fixtures/README.md), and helpers to
// split them into frames.
#pragma once

#include <string>
#include <vector>

#include "protocol/bytes.h"
#include "protocol/frame.h"

namespace weft::test {

// Bytes of tests/unit/fixtures/<name>.hex; fails the test (throws) when missing.
protocol::bytes load_fixture(const std::string& name);

struct frame {
  protocol::frame_header header;
  protocol::bytes payload;
};
// Splits concatenated frames; throws if the bytes do not end on a frame boundary.
std::vector<frame> split_frames(protocol::bytes_view wire);

protocol::bytes from_hex(const std::string& hex);

}  // namespace weft::test
