#include "protocol/frame.h"

#include <algorithm>

#include "protocol/errors.h"

namespace weft::protocol {

frame_header decode_frame_header(const std::uint8_t* p) {
  return {static_cast<std::uint32_t>(p[0] | (p[1] << 8) | (p[2] << 16)), p[3]};
}

void encode_frame_header(frame_header h, std::uint8_t* out) {
  out[0] = static_cast<std::uint8_t>(h.payload_length);
  out[1] = static_cast<std::uint8_t>(h.payload_length >> 8);
  out[2] = static_cast<std::uint8_t>(h.payload_length >> 16);
  out[3] = h.sequence_id;
}

std::uint8_t encode_packet(bytes_view payload, std::uint8_t seq, bytes& out) {
  std::size_t offset = 0;
  for (;;) {
    const auto chunk = static_cast<std::uint32_t>(
        std::min<std::size_t>(payload.size() - offset, max_frame_payload));
    std::uint8_t header[frame_header_size];
    encode_frame_header({chunk, seq++}, header);
    out.insert(out.end(), header, header + frame_header_size);
    out.insert(out.end(), payload.begin() + offset, payload.begin() + offset + chunk);
    offset += chunk;
    // A full-size frame always announces another one, even an empty one.
    if (chunk < max_frame_payload) return seq;
  }
}

bytes encode_packet(bytes_view payload, std::uint8_t seq) {
  bytes out;
  out.reserve(payload.size() + frame_header_size);
  encode_packet(payload, seq, out);
  return out;
}

std::optional<packet> frame_reader::next(std::error_code& ec) {
  ec.clear();
  // Scan frames from pos_ without consuming until the logical packet is complete.
  std::size_t scan = pos_;
  std::size_t total = 0;
  std::optional<std::uint8_t> first_seq;
  std::uint8_t expected_seq = 0;
  for (;;) {
    if (buffer_.size() - scan < frame_header_size) return std::nullopt;
    const auto h = decode_frame_header(buffer_.data() + scan);
    if (!first_seq) {
      first_seq = h.sequence_id;
    } else if (h.sequence_id != expected_seq) {
      ec = errc::bad_sequence;
      return std::nullopt;
    }
    expected_seq = static_cast<std::uint8_t>(h.sequence_id + 1);
    total += h.payload_length;
    if (total > max_payload_) {
      ec = errc::packet_too_large;
      return std::nullopt;
    }
    if (buffer_.size() - scan - frame_header_size < h.payload_length) return std::nullopt;
    scan += frame_header_size + h.payload_length;
    if (h.payload_length < max_frame_payload) break;
  }
  packet p{*first_seq, expected_seq, {}};
  p.payload.reserve(total);
  while (pos_ < scan) {
    const auto h = decode_frame_header(buffer_.data() + pos_);
    pos_ += frame_header_size;
    p.payload.insert(p.payload.end(), buffer_.begin() + pos_, buffer_.begin() + pos_ + h.payload_length);
    pos_ += h.payload_length;
  }
  if (pos_ == buffer_.size()) clear();
  return p;
}

std::size_t packet_boundary::feed(bytes_view data) {
  std::size_t used = 0;
  while (!complete_ && used < data.size()) {
    if (!in_payload_) {
      const auto take = std::min(frame_header_size - header_have_, data.size() - used);
      std::copy_n(data.begin() + used, take, header_ + header_have_);
      header_have_ += take;
      used += take;
      if (header_have_ < frame_header_size) break;
      const auto h = decode_frame_header(header_);
      header_have_ = 0;
      frame_left_ = h.payload_length;
      total_ += h.payload_length;
      more_frames_ = h.payload_length == max_frame_payload;
      in_payload_ = true;
    }
    const auto take = std::min<std::size_t>(frame_left_, data.size() - used);
    frame_left_ -= static_cast<std::uint32_t>(take);
    used += take;
    if (frame_left_ == 0) {
      in_payload_ = false;
      complete_ = !more_frames_;
    }
  }
  return used;
}

}  // namespace weft::protocol
