// The SQL COMPARE sends for one table (pure; unit-tested): a chunk of the key's range, the
// chunk's digest, its rows, the next chunk boundary. Nothing here writes on a server.
//
// The digest of a chunk is (row count, sum of the first 64 bits of each row's MD5, sum of the
// last 64 bits): a 128-bit fingerprint that duplicate rows cannot cancel (CRC32 + BIT_XOR
// loses a pair of equal rows: a XOR a = 0) and whose sums are exact (DECIMAL). A row's MD5
// covers every compared column, each written as <byte length>:<bytes> or '-' for NULL, so
// ('a', NULL, 'b') and ('a', 'b', NULL), or NULL and '' and 'NULL', never hash alike.
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

// MD5 of one row's compared columns (`ignore`: names left out).
std::string row_digest_expression(const table_shape& t, const std::vector<std::string>& ignore);

// One row: count, sum of first halves, sum of second halves.
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
// Rows of the table (under `where`).
std::string count_query(const table_shape& t, const std::string& where);

}  // namespace weft::ops
