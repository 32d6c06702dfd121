// A libmariadb connection for reading data (COMPARE, and later EXPORT/CLONE): binary-safe
// values with what each column is (so every value can be written back as an exact SQL
// literal), utf8mb4 text. Blocking; used on the admin job threads only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "routing/topology.h"

struct st_mysql;

namespace weft::ops {

// What a result column holds, as far as writing its values back as SQL literals goes.
enum class value_kind : std::uint8_t {
  integer,   // TINYINT ... BIGINT, YEAR: digits as the server prints them
  decimal,   // DECIMAL: exact digits
  floating,  // FLOAT, DOUBLE
  bit,       // BIT(n): raw bytes
  binary,    // BINARY, VARBINARY, BLOB, GEOMETRY and strings in the binary character set
  text,      // CHAR, VARCHAR, TEXT, ENUM, SET, JSON, dates and times (utf8mb4 on the wire)
};

struct result_column {
  std::string name;
  value_kind kind = value_kind::text;
};

using value = std::optional<std::string>;  // nullopt: NULL
using value_row = std::vector<value>;

struct result_table {
  std::vector<result_column> columns;
  std::vector<value_row> rows;
};

class data_connection {
 public:
  data_connection(const routing::endpoint& address, const std::string& user, const std::string& password,
                  unsigned connect_timeout_seconds, unsigned read_timeout_seconds);
  ~data_connection();
  data_connection(const data_connection&) = delete;
  data_connection& operator=(const data_connection&) = delete;

  bool ok() const { return connection_ != nullptr; }
  // "<errno> <message>" of the last failure, and its code (0: none).
  const std::string& error() const { return error_; }
  unsigned error_code() const { return error_code_; }
  const routing::endpoint& address() const { return address_; }

  // All rows of a statement; nullopt on failure (error() says why; the connection is closed
  // when it broke, kept when the server only refused the statement).
  std::optional<result_table> query(const std::string& sql);
  // A statement without rows (SET, START TRANSACTION, COMMIT).
  bool execute(const std::string& sql);
  // The first column of the first row ("" when NULL or none); nullopt on failure.
  std::optional<std::string> scalar(const std::string& sql);

 private:
  void fail();
  routing::endpoint address_;
  st_mysql* connection_ = nullptr;
  std::string error_;
  unsigned error_code_ = 0;
};

}  // namespace weft::ops
