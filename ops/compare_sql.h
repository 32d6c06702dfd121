// The SQL COMPARE sends for one table (pure; unit-tested): a chunk of the key's range, the
// chunk's digest, its rows, the next chunk boundary. Nothing here writes on a server.
//
// The digest of a chunk is its row count and the SHA-256 of its rows' SHA-256s (32 bytes each),
// concatenated in key order (a keyed chunk is read along its key) or sorted (a keyless table):
// duplicate rows cannot cancel as with CRC32 + BIT_XOR (a XOR a = 0). Were two servers ever to
// read a keyed chunk in different orders, the digests differ and the rows, compared one by one,
// show the chunk equal: slower, never wrong. A row's hash covers every compared column: numbers
// and temporal values as printed, other values as <byte length>:<bytes>, NULL as '-', joined
// by '|', so ('a', NULL, 'b') and ('a', 'b', NULL), or NULL and '' and 'NULL', never hash alike.
// (Measured here on 1M sysbench rows: this form costs a third of MD5s sorted by hash, and
// MariaDB's SHA2 is faster than its MD5; summing 64-bit halves needs CONV, as slow again.)
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace weft::ops {

struct column_shape {
  std::string name;
  bool generated = false;  // VIRTUAL / STORED: compared, never written
  bool is_string = false;  // CHAR/VARCHAR/TEXT/ENUM/SET: keys compare by collation weight
  std::string type;        // COLUMN_TYPE and collation, as information_schema says
};

struct table_shape {
  std::string database;
  std::string table;
  std::vector<column_shape> columns;  // in table order
  std::vector<std::size_t> key;       // positions in columns of the chunking key (empty: none)
  std::string key_index;              // PRIMARY or a NOT NULL unique index
};

// A boundary: the key's values as SQL literals.
using key_literals = std::vector<std::string>;

// (key) > lower AND (key) <= upper, either side open; "1" when both are.
std::string chunk_condition(const table_shape& t, const std::optional<key_literals>& lower,
                            const std::optional<key_literals>& upper);

// The SHA-256 of one row's compared columns as 32 bytes (`ignore`: names left out).
std::string row_digest_expression(const table_shape& t, const std::vector<std::string>& ignore);

// One row: count, digest (hex). The session needs a group_concat_max_len that holds 32 bytes
// per row of a chunk (digest_session_settings).
std::string digest_query(const table_shape& t, const std::string& condition, const std::string& where,
                         const std::vector<std::string>& ignore);
// The digest of the first `rows` rows by key: times a chunk to size the others.
std::string sample_digest_query(const table_shape& t, const std::string& where, const std::vector<std::string>& ignore,
                                std::size_t rows);
// Every column, then the key's merge values (collation weights for strings), ordered by key.
std::string rows_query(const table_shape& t, const std::string& condition, const std::string& where);
// The key of the row `rows` rows after `lower` (the next chunk's upper boundary).
std::string boundary_query(const table_shape& t, const std::optional<key_literals>& lower, std::size_t rows);
// Share-locks the chunk's key range on a replication source for the length of a transaction,
// so no write to it commits until the replica read the same rows.
std::string lock_query(const table_shape& t, const std::string& condition);
// What a session runs before digests: GROUP_CONCAT room for any chunk (4 GB).
inline constexpr const char* digest_session_settings = "SET SESSION group_concat_max_len = 4294967295";

}  // namespace weft::ops
