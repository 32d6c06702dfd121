// One chunk of an EXPORT on disk: zstd-compressed, with the SHA-256 and size of what it holds
// uncompressed, so IMPORT can prove a chunk is the one exported before applying any of it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct ZSTD_CCtx_s;

namespace weft::ops {

struct chunk_digest {
  std::uint64_t bytes = 0;  // uncompressed
  std::string sha256;       // hex, of the uncompressed bytes
  bool operator==(const chunk_digest&) const = default;
};

// Writes `path` through a ".part" file renamed into place by finish(), so a chunk file that
// exists is whole. Every failure (disk full included) is kept in error().
class chunk_writer {
 public:
  explicit chunk_writer(std::filesystem::path path, int level = 3);
  ~chunk_writer();
  chunk_writer(const chunk_writer&) = delete;
  chunk_writer& operator=(const chunk_writer&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  bool write(std::string_view bytes);
  // Flushes, syncs and renames into place; nullopt (error()) on failure.
  std::optional<chunk_digest> finish();
  std::uint64_t compressed_bytes() const { return compressed_; }

 private:
  bool compress(std::string_view in, bool end);
  void fail(const std::string& what);
  std::filesystem::path path_, part_;
  std::FILE* file_ = nullptr;
  ZSTD_CCtx_s* zstd_ = nullptr;
  void* sha_ = nullptr;  // EVP_MD_CTX
  std::uint64_t bytes_ = 0, compressed_ = 0;
  std::string error_;
};

// Writes `bytes` to `path` whole or not at all (a ".part" file, flushed to disk, then renamed):
// error text naming the file and the system's reason (a full disk says so). `owner_only` makes it
// readable by weft's user alone (a manifest holding password hashes).
std::optional<std::string> write_file_atomically(const std::filesystem::path& path, std::string_view bytes,
                                                 bool owner_only = false);

// A whole chunk file, decompressed, with the digest of what it holds; nullopt and `why` when it
// cannot be read or is not a complete zstd stream. Chunks larger than `limit` are refused.
std::optional<std::string> read_chunk(const std::filesystem::path& path, chunk_digest& digest, std::string& why,
                                      std::uint64_t limit = std::uint64_t{1} << 30);

}  // namespace weft::ops
