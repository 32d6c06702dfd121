#include "fixture.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace weft::test {

protocol::bytes from_hex(const std::string& hex) {
  protocol::bytes out;
  int pending = -1;
  for (char c : hex) {
    int v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    else throw std::runtime_error(std::string("bad hex character '") + c + "'");
    if (pending < 0) {
      pending = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(pending << 4 | v));
      pending = -1;
    }
  }
  if (pending >= 0) throw std::runtime_error("odd number of hex digits");
  return out;
}

protocol::bytes load_fixture(const std::string& name) {
  const std::string path = std::string(WEFT_FIXTURE_DIR) + "/" + name + ".hex";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("missing fixture " + path);
  std::string line, hex;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    hex += line;
  }
  return from_hex(hex);
}

std::vector<frame> split_frames(protocol::bytes_view wire) {
  std::vector<frame> out;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    if (wire.size() - pos < protocol::frame_header_size) throw std::runtime_error("partial header");
    const auto h = protocol::decode_frame_header(wire.data() + pos);
    pos += protocol::frame_header_size;
    if (wire.size() - pos < h.payload_length) throw std::runtime_error("partial payload");
    out.push_back({h, protocol::bytes(wire.begin() + pos, wire.begin() + pos + h.payload_length)});
    pos += h.payload_length;
  }
  return out;
}

}  // namespace weft::test
