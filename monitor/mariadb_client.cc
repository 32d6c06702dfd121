#include "monitor/mariadb_client.h"

#include <mysql.h>

#include <algorithm>
#include <mutex>

namespace weft::monitor {

std::string column_text(const sql_row& row, std::string_view name) {
  const auto it = row.find(std::string(name));
  return it != row.end() && it->second ? *it->second : std::string();
}

mariadb_client::mariadb_client(const routing::endpoint& address, const std::string& user, const std::string& password,
                               unsigned timeout_seconds, unsigned read_timeout_seconds) {
  static std::once_flag library;
  std::call_once(library, [] { mysql_library_init(0, nullptr, nullptr); });
  connection_ = mysql_init(nullptr);
  if (!connection_) {
    error_ = "out of memory";
    return;
  }
  const unsigned seconds = std::max(1u, timeout_seconds);
  mysql_optionsv(connection_, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
  const unsigned read_seconds = std::max(seconds, read_timeout_seconds);
  mysql_optionsv(connection_, MYSQL_OPT_READ_TIMEOUT, &read_seconds);
  mysql_optionsv(connection_, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  const my_bool no = 0;
  mysql_optionsv(connection_, MYSQL_OPT_RECONNECT, &no);
  if (!mysql_real_connect(connection_, address.host.c_str(), user.c_str(), password.c_str(), nullptr, address.port,
                          nullptr, 0)) {
    fail();
  }
}

mariadb_client::~mariadb_client() {
  if (connection_) mysql_close(connection_);
}

void mariadb_client::fail(bool keep_open) {
  error_code_ = mysql_errno(connection_);
  error_ = std::to_string(error_code_) + " " + mysql_error(connection_);
  if (keep_open) return;
  mysql_close(connection_);
  connection_ = nullptr;
}

std::string mariadb_client::server_version() const { return connection_ ? mysql_get_server_info(connection_) : ""; }

bool mariadb_client::ping() {
  if (!connection_) return false;
  if (mysql_ping(connection_) == 0) return true;
  fail();
  return false;
}

std::optional<std::vector<sql_row>> mariadb_client::rows(const std::string& sql) {
  if (!connection_) return std::nullopt;
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) {
    // The server refused the statement (codes below 2000): the connection is still good.
    fail(mysql_errno(connection_) < 2000);
    return std::nullopt;
  }
  std::vector<sql_row> out;
  MYSQL_RES* result = mysql_store_result(connection_);
  if (!result) {
    if (mysql_field_count(connection_) == 0) return out;  // a statement without a result set
    fail();
    return std::nullopt;
  }
  const auto* fields = mysql_fetch_fields(result);
  const unsigned count = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const auto* lengths = mysql_fetch_lengths(result);
    sql_row r;
    for (unsigned i = 0; i < count; ++i) {
      r[fields[i].name] = row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt;
    }
    out.push_back(std::move(r));
  }
  mysql_free_result(result);
  return out;
}

}  // namespace weft::monitor
