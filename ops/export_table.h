// One table of an EXPORT: its rows, read inside the worker's snapshot chunk by chunk along its
// key, written as zstd-compressed files of multi-row INSERTs with exact literals, or of
// delimited text (FORMAT CSV | TSV, ops/delimited_text.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "monitor/mariadb_client.h"
#include "ops/export_command.h"
#include "ops/export_manifest.h"

namespace weft::ops {

struct export_settings {
  std::size_t chunk_bytes = 32u << 20;     // about this much SQL per chunk file, uncompressed
  std::size_t statement_bytes = 1u << 20;  // one INSERT at most (well under max_allowed_packet)
  std::size_t max_chunk_rows = 1000000;
  // Fast: the export is bound by reading, not by disk; with coded literals (chunk_file.cc) this
  // keeps level 1's ratio on table text at half its CPU.
  int zstd_level = -3;
  export_format format = export_format::sql;  // what the chunks hold (CLONE: always SQL)
};

// Where a table's chunks go: files (EXPORT) or another server (CLONE).
class chunk_sink {
 public:
  virtual ~chunk_sink() = default;
  // One chunk: its INSERTs (one statement per line) or delimited rows. Fills the manifest entry's
  // file and digest; error text on failure.
  virtual std::optional<std::string> put(std::size_t index, const std::string& statements, manifest_chunk& chunk) = 0;
};

// A table's chunks as zstd files "<stem>.<n>.<format>.zst" under `root` (the export's directory).
class file_sink : public chunk_sink {
 public:
  file_sink(std::filesystem::path root, std::string stem, int zstd_level, export_format format = export_format::sql)
      : root_(std::move(root)), stem_(std::move(stem)), level_(zstd_level), format_(format) {}
  std::optional<std::string> put(std::size_t index, const std::string& statements, manifest_chunk& chunk) override;

 private:
  std::filesystem::path root_;
  std::string stem_;
  int level_;
  export_format format_;
};

// A table's file names inside the export: "<db dir>/<table>", both parts made safe for any
// file system (other bytes as _xx), prefixed by their position so names never collide.
std::string table_file_stem(std::size_t database_index, const std::string& database, std::size_t table_index,
                            const std::string& table);

// Reads `database`.`table` on `worker` (inside its snapshot) chunk by chunk along its key into
// `sink`; `chunk_done` is told each chunk's rows and returns false to stop. The table's
// manifest entry, or error text.
std::variant<manifest_table, std::string> export_table(monitor::mariadb_client& worker, const std::string& database,
                                                       const std::string& table, chunk_sink& sink,
                                                       const export_settings& s,
                                                       const std::function<bool(std::uint64_t)>& chunk_done);

}  // namespace weft::ops
