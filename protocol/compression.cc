#include "protocol/compression.h"

#include <zlib.h>

#include <algorithm>

#include "protocol/errors.h"
#include "protocol/frame.h"

namespace weft::protocol {
namespace {

void put_u24(bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v >> 16));
}

std::uint32_t get_u24(const std::uint8_t* p) { return p[0] | p[1] << 8 | p[2] << 16; }

}  // namespace

void compress_frames(bytes_view data, std::uint8_t& seq, bytes& out) {
  // The uncompressed length field has 3 bytes: cut the data below 16 MiB per frame.
  std::size_t offset = 0;
  do {
    const auto chunk = data.subspan(offset, std::min<std::size_t>(data.size() - offset, max_frame_payload));
    offset += chunk.size();
    bytes packed;
    if (chunk.size() >= min_compress_length) {
      uLongf packed_size = compressBound(static_cast<uLong>(chunk.size()));
      packed.resize(packed_size);
      if (compress(packed.data(), &packed_size, chunk.data(), static_cast<uLong>(chunk.size())) == Z_OK &&
          packed_size < chunk.size()) {
        packed.resize(packed_size);
      } else {
        packed.clear();
      }
    }
    const bool stored = packed.empty();
    const auto payload = stored ? chunk : bytes_view(packed);
    put_u24(out, payload.size());
    out.push_back(seq++);
    put_u24(out, stored ? 0 : chunk.size());
    byte_writer(out).raw(payload);
  } while (offset < data.size());
}

namespace {
constexpr std::uint64_t max_deflate_ratio = 1032;
}  // namespace

std::size_t decompress_frames(bytes_view raw, bytes& out, std::uint8_t& next_seq, std::error_code& ec) {
  ec.clear();
  std::size_t pos = 0;
  while (raw.size() - pos >= compressed_header_size) {
    const auto* h = raw.data() + pos;
    const auto packed_size = get_u24(h);
    const auto plain_size = get_u24(h + 4);
    if (raw.size() - pos - compressed_header_size < packed_size) break;
    const auto payload = raw.subspan(pos + compressed_header_size, packed_size);
    if (plain_size == 0) {
      byte_writer(out).raw(payload);
    } else {
      // deflate expands at most ~1032:1: a frame claiming more is malformed, and refusing it
      // before the resize keeps a few bytes from making weft zero-fill (and keep) 16 MiB.
      if (plain_size > std::uint64_t{packed_size} * max_deflate_ratio + 64) {
        ec = make_error_code(errc::malformed);
        return pos;
      }
      const auto start = out.size();
      out.resize(start + plain_size);
      uLongf got = plain_size;
      if (uncompress(out.data() + start, &got, payload.data(), static_cast<uLong>(payload.size())) != Z_OK ||
          got != plain_size) {
        out.resize(start);
        ec = make_error_code(errc::malformed);
        return pos;
      }
    }
    next_seq = static_cast<std::uint8_t>(h[3] + 1);
    pos += compressed_header_size + packed_size;
  }
  return pos;
}

}  // namespace weft::protocol
