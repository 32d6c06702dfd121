// Packet framing: a 3-byte payload length and a 1-byte sequence id before every payload;
// payloads of 16 MiB - 1 or more are split into several frames (the last one shorter, possibly
// empty). frame_reader joins them back; encode_packet splits.
#pragma once

#include <cstdint>
#include <optional>
#include <system_error>

#include "protocol/bytes.h"
#include "protocol/constants.h"

namespace weft::protocol {

struct frame_header {
  std::uint32_t payload_length = 0;
  std::uint8_t sequence_id = 0;
  bool operator==(const frame_header&) const = default;
};

// Reads a header from the first 4 bytes (caller guarantees 4 are there).
frame_header decode_frame_header(const std::uint8_t* p);
void encode_frame_header(frame_header h, std::uint8_t* out);

// Appends payload to out as one logical packet starting at sequence id seq; returns the
// sequence id after the last frame written.
std::uint8_t encode_packet(bytes_view payload, std::uint8_t seq, bytes& out);
bytes encode_packet(bytes_view payload, std::uint8_t seq);

// One logical packet: payload joined across frames; seq is the id of its first frame.
struct packet {
  std::uint8_t sequence_id = 0;
  std::uint8_t next_sequence_id = 0;  // what the peer's reply (or our next frame) must use
  bytes payload;
};

// Incremental reader: feed() any byte chunks, next() yields whole logical packets.
// Used where a whole message is needed (handshakes, admin); the hot path does not copy.
class frame_reader {
 public:
  explicit frame_reader(std::size_t max_payload = 64u << 20) : max_payload_(max_payload) {}

  void feed(bytes_view data) { buffer_.insert(buffer_.end(), data.begin(), data.end()); }
  // A packet, nothing yet (nullopt with no error), or an error (too large / bad sequence).
  std::optional<packet> next(std::error_code& ec);
  // Bytes received but not yet returned as a packet (e.g. a pipelined command).
  bytes_view pending() const { return {buffer_.data() + pos_, buffer_.size() - pos_}; }
  void clear() { buffer_.clear(); pos_ = 0; }

 private:
  bytes buffer_;
  std::size_t pos_ = 0;
  std::size_t max_payload_;
};

// Walks frame boundaries of a byte stream without copying: tells where logical packets end.
// Used to forward a client's command (possibly many frames) to a backend as raw bytes.
class packet_boundary {
 public:
  // Consumes up to data.size() bytes; returns how many belong to the current logical packet.
  // After complete() is true, the rest of data starts the next packet.
  std::size_t feed(bytes_view data);
  bool complete() const { return complete_; }
  std::uint64_t payload_total() const { return total_; }
  void reset() { *this = packet_boundary{}; }

 private:
  std::uint8_t header_[frame_header_size] = {};
  std::size_t header_have_ = 0;
  std::uint32_t frame_left_ = 0;
  bool in_payload_ = false;
  bool more_frames_ = false;
  bool complete_ = false;
  std::uint64_t total_ = 0;
};

}  // namespace weft::protocol
