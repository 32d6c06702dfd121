#include "ops/data_connection.h"

#include <mysql.h>

#include <algorithm>
#include <mutex>

namespace weft::ops {
namespace {

constexpr unsigned binary_charset = 63;

value_kind kind_of(const MYSQL_FIELD& f) {
  switch (f.type) {
    case MYSQL_TYPE_TINY: case MYSQL_TYPE_SHORT: case MYSQL_TYPE_INT24: case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG: case MYSQL_TYPE_YEAR:
      return value_kind::integer;
    case MYSQL_TYPE_DECIMAL: case MYSQL_TYPE_NEWDECIMAL: return value_kind::decimal;
    case MYSQL_TYPE_FLOAT: case MYSQL_TYPE_DOUBLE: return value_kind::floating;
    case MYSQL_TYPE_BIT: return value_kind::bit;
    case MYSQL_TYPE_GEOMETRY: return value_kind::binary;
    case MYSQL_TYPE_STRING: case MYSQL_TYPE_VAR_STRING: case MYSQL_TYPE_VARCHAR: case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_TINY_BLOB: case MYSQL_TYPE_MEDIUM_BLOB: case MYSQL_TYPE_LONG_BLOB:
      return f.charsetnr == binary_charset ? value_kind::binary : value_kind::text;
    default: return value_kind::text;
  }
}

}  // namespace

data_connection::data_connection(const routing::endpoint& address, const std::string& user,
                                 const std::string& password, unsigned connect_timeout_seconds,
                                 unsigned read_timeout_seconds)
    : address_(address) {
  static std::once_flag library;
  std::call_once(library, [] { mysql_library_init(0, nullptr, nullptr); });
  connection_ = mysql_init(nullptr);
  if (!connection_) {
    error_ = "out of memory";
    return;
  }
  const unsigned connect = std::max(1u, connect_timeout_seconds);
  const unsigned read = std::max(connect, read_timeout_seconds);
  mysql_optionsv(connection_, MYSQL_OPT_CONNECT_TIMEOUT, &connect);
  mysql_optionsv(connection_, MYSQL_OPT_READ_TIMEOUT, &read);
  mysql_optionsv(connection_, MYSQL_OPT_WRITE_TIMEOUT, &read);
  mysql_optionsv(connection_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const my_bool no = 0;
  mysql_optionsv(connection_, MYSQL_OPT_RECONNECT, &no);
  if (!mysql_real_connect(connection_, address.host.c_str(), user.c_str(), password.c_str(), nullptr, address.port,
                          nullptr, 0)) {
    fail();
  }
}

data_connection::~data_connection() {
  if (connection_) mysql_close(connection_);
}

void data_connection::fail() {
  error_code_ = mysql_errno(connection_);
  error_ = std::to_string(error_code_) + " " + mysql_error(connection_);
  if (error_code_ != 0 && error_code_ < 2000) return;  // the server refused a statement: still connected
  mysql_close(connection_);
  connection_ = nullptr;
}

std::optional<result_table> data_connection::query(const std::string& sql) {
  if (!connection_) return std::nullopt;
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) {
    fail();
    return std::nullopt;
  }
  result_table out;
  MYSQL_RES* result = mysql_store_result(connection_);
  if (!result) {
    if (mysql_field_count(connection_) == 0) return out;
    fail();
    return std::nullopt;
  }
  const auto* fields = mysql_fetch_fields(result);
  const unsigned count = mysql_num_fields(result);
  for (unsigned i = 0; i < count; ++i) out.columns.push_back({fields[i].name, kind_of(fields[i])});
  out.rows.reserve(mysql_num_rows(result));
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const auto* lengths = mysql_fetch_lengths(result);
    value_row r(count);
    for (unsigned i = 0; i < count; ++i) {
      if (row[i]) r[i] = std::string(row[i], lengths[i]);
    }
    out.rows.push_back(std::move(r));
  }
  mysql_free_result(result);
  return out;
}

bool data_connection::execute(const std::string& sql) { return query(sql).has_value(); }

std::optional<std::string> data_connection::scalar(const std::string& sql) {
  auto t = query(sql);
  if (!t) return std::nullopt;
  if (t->rows.empty() || t->rows[0].empty() || !t->rows[0][0]) return std::string();
  return *t->rows[0][0];
}

}  // namespace weft::ops
