// A blocking libmariadb connection for weft's own work on backends (health checks, topology
// walks, disk usage, COMPARE's and DIFF SCHEMA's reads): never used on a proxy worker's thread.
// utf8mb4 text; values binary-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/sql_result.h"
#include "routing/topology.h"

struct st_mysql;

namespace weft::monitor {

// The account weft's own connections use on backends, and how long they may take.
struct backend_credentials {
  std::string user;
  std::string password;
  unsigned timeout_seconds = 2;
};

using sql_row = std::map<std::string, std::optional<std::string>>;  // by column name; nullopt: NULL

struct memory_infile;  // what LOAD DATA LOCAL may read: load_local()'s bytes (mariadb_client.cc)

// A column's text; "" when the row lacks it or it is NULL.
std::string column_text(const sql_row& row, std::string_view name);

class mariadb_client {
 public:
  // Connects with timeouts in whole seconds (Connector/C's unit); check ok() / error().
  // read_timeout_seconds: for statements that wait on purpose (MASTER_GTID_WAIT); 0: the same.
  // load_from_memory: LOAD DATA LOCAL allowed, served only from load_local()'s bytes.
  mariadb_client(const routing::endpoint& address, const std::string& user, const std::string& password,
                 unsigned timeout_seconds, unsigned read_timeout_seconds = 0, bool load_from_memory = false);
  ~mariadb_client();
  mariadb_client(const mariadb_client&) = delete;
  mariadb_client& operator=(const mariadb_client&) = delete;

  bool ok() const { return connection_ != nullptr; }
  // "<errno> <message>" of the last failure, and its code (0: none).
  const std::string& error() const { return error_; }
  unsigned error_code() const { return error_code_; }
  const routing::endpoint& address() const { return address_; }
  std::string server_version() const;

  bool ping();
  // All rows of a statement with what each column is; nullopt on failure (error() says why;
  // the connection is closed when it broke, kept when the server only refused the statement).
  std::optional<result_table> query(const std::string& sql);
  // The rows one at a time without keeping them (mysql_use_result): `on_columns` first, then
  // `on_row` for each row, its values valid during the call only. False on failure (error()).
  bool stream(const std::string& sql, const std::function<void(const std::vector<result_column>&)>& on_columns,
              const std::function<void(const std::vector<value_view>&)>& on_row);
  // The same rows by column name (a later column of a repeated name wins).
  std::optional<std::vector<sql_row>> rows(const std::string& sql);
  // A statement without rows (SET, START TRANSACTION, COMMIT, INSERT).
  bool execute(const std::string& sql);
  // Rows the last execute() changed (IMPORT checks each chunk's count).
  std::uint64_t affected_rows() const { return affected_rows_; }
  // The first column of the first row ("" when NULL or none); nullopt on failure.
  std::optional<std::string> scalar(const std::string& sql);
  // A LOAD DATA LOCAL INFILE statement, the server reading `bytes` whatever file it names (no
  // file is ever opened); on a connection made with load_from_memory. The rows it loaded, or
  // nullopt on failure (error()).
  std::optional<std::uint64_t> load_local(const std::string& sql, std::string_view bytes);

 private:
  void fail(bool keep_open = false);
  routing::endpoint address_;
  st_mysql* connection_ = nullptr;
  std::string error_;
  unsigned error_code_ = 0;
  std::uint64_t affected_rows_ = 0;
  std::unique_ptr<memory_infile> infile_;
};

}  // namespace weft::monitor
