// The manifest of an EXPORT (manifest.json in its directory): where and when it was taken, the
// source's GTID position, and per database its definitions and per table its chunks with their
// row counts and digests. IMPORT trusts nothing that the manifest does not vouch for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ops/chunk_file.h"

namespace weft::ops {

inline constexpr int manifest_version = 1;

struct manifest_chunk {
  std::string file;  // relative to the export's directory
  std::uint64_t rows = 0;
  chunk_digest digest;
};

struct manifest_table {
  std::string name;
  std::string definition;  // CREATE TABLE
  std::vector<std::string> columns;  // the columns each chunk holds, in order (no generated ones)
  std::uint64_t rows = 0;
  std::vector<manifest_chunk> chunks;
};

struct manifest_database {
  std::string name;
  std::string collation;  // the database's default
  std::vector<std::string> before_data;  // CREATE TABLE / SEQUENCE, in dependency order
  std::vector<std::string> after_data;   // views, routines, triggers, events: after the rows
  std::vector<manifest_table> tables;
};

// An account exported WITH USERS: its CREATE USER (with the password's hash, never the
// password) and its grants on *.* and on the exported databases.
struct manifest_user {
  std::string account;  // `user`@`host`
  std::vector<std::string> statements;
};

struct export_manifest {
  std::string source;          // host:port
  std::string server_version;  // SELECT VERSION()
  std::string gtid_position;   // @@gtid_binlog_pos at the snapshot ("" without a binary log)
  std::string binlog_file;
  std::uint64_t binlog_position = 0;
  std::string snapshot;        // how every worker's snapshot was taken at one point
  double commit_pause_ms = 0;  // how long commits on the source were blocked for it
  std::string data_format = "sql";
  bool definitions = true, data = true;
  std::string started_at, finished_at;  // UTC, ISO 8601
  std::vector<manifest_database> databases;
  std::vector<manifest_user> users;  // WITH USERS; absent from the file otherwise
};

std::string to_json(const export_manifest& m);
// The manifest, or why the text is not one (named field, wrong version).
std::variant<export_manifest, std::string> parse_manifest(std::string_view json);

}  // namespace weft::ops
