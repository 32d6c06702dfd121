// The compressed protocol (CLIENT_COMPRESS): the stream of ordinary packets is cut into
// compressed frames, each a 7-byte header — 3 bytes compressed length, 1 byte compressed
// sequence id, 3 bytes uncompressed length (0 = stored as is) — and a zlib payload. A frame may
// hold several packets or part of one; framing here knows nothing about the packets inside.
#pragma once

#include <cstdint>
#include <system_error>

#include "protocol/bytes.h"

namespace weft::protocol {

inline constexpr std::size_t compressed_header_size = 7;
// Payloads shorter than this are sent as is: compressing them costs more than it saves.
inline constexpr std::size_t min_compress_length = 50;

// Appends frames carrying `data` to out; each frame takes sequence id `seq`, which advances.
void compress_frames(bytes_view data, std::uint8_t& seq, bytes& out);

// Decodes the complete frames at the start of `raw`, appending their payload to out. Returns
// the bytes consumed; `next_seq` becomes the last frame's sequence id + 1. ec is set (and
// nothing more consumed) when a frame does not inflate to its announced size (< 16 MiB).
std::size_t decompress_frames(bytes_view raw, bytes& out, std::uint8_t& next_seq, std::error_code& ec);

}  // namespace weft::protocol
