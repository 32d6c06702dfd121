#include "monitor/mariadb_client.h"

#include <errmsg.h>
#include <mysql.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <mutex>

namespace weft::monitor {

// The bytes of the load_local() in progress; none between loads, so a server asking for a file
// at any other time gets an error, and at no time can it name a file to read.
struct memory_infile {
  std::optional<std::string_view> bytes;
  std::size_t at = 0;
};

namespace {

int infile_init(void** state, const char* /*file name: ignored*/, void* source) {
  *state = source;
  auto& in = *static_cast<memory_infile*>(source);
  in.at = 0;
  return in.bytes ? 0 : 1;
}

int infile_read(void* state, char* buffer, unsigned size) {
  auto& in = *static_cast<memory_infile*>(state);
  const auto n = std::min<std::size_t>(size, in.bytes->size() - in.at);
  std::memcpy(buffer, in.bytes->data() + in.at, n);
  in.at += n;
  return static_cast<int>(n);
}

void infile_end(void*) {}

int infile_error(void*, char* message, unsigned size) {
  std::snprintf(message, size, "weft sends LOAD DATA LOCAL only the bytes it is loading");
  return CR_UNKNOWN_ERROR;
}

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

// Whether the server refused the statement (its error codes are below 2000; Connector/C's own,
// for a connection that broke, start there): then the connection is still good.
bool refused_only(MYSQL* connection) {
  const unsigned code = mysql_errno(connection);
  return code != 0 && code < 2000;
}

// Every row of a stored result, values cut by their lengths (so bytes with NULs survive).
result_table table_of(MYSQL_RES* result) {
  result_table out;
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
  return out;
}

}  // namespace

std::string column_text(const sql_row& row, std::string_view name) {
  const auto it = row.find(std::string(name));
  return it != row.end() && it->second ? *it->second : std::string();
}

mariadb_client::mariadb_client(const routing::endpoint& address, const std::string& user, const std::string& password,
                               unsigned timeout_seconds, unsigned read_timeout_seconds, bool load_from_memory)
    : address_(address) {
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
  // A server reads a statement as it arrives; only its answer may wait on purpose (the read
  // timeout's job), so a write that stalls for the short timeout means the server is stuck.
  mysql_optionsv(connection_, MYSQL_OPT_WRITE_TIMEOUT, &seconds);
  // Named, not left to the library's compiled-in default (latin1 in some builds): COMPARE's
  // values and names must reach weft as utf8mb4, and so do account and schema names.
  mysql_optionsv(connection_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const my_bool no = 0;
  mysql_optionsv(connection_, MYSQL_OPT_RECONNECT, &no);
  // Connector/C offers LOAD DATA LOCAL by default, reading any file a server names: a backend
  // could read weft's own files (its config's passwords). Offered only when asked for, and then
  // served from memory; the handler is set on every connection, so no file is ever read.
  const unsigned local_infile = load_from_memory ? 1 : 0;
  mysql_optionsv(connection_, MYSQL_OPT_LOCAL_INFILE, &local_infile);
  infile_ = std::make_unique<memory_infile>();
  mysql_set_local_infile_handler(connection_, infile_init, infile_read, infile_end, infile_error, infile_.get());
  // A server reached by its socket path: host "localhost" tells Connector/C to use the socket.
  const char* host = address.is_unix() ? "localhost" : address.host.c_str();
  const char* socket_path = address.is_unix() ? address.host.c_str() : nullptr;
  if (address.is_unix()) {
    const unsigned protocol = MYSQL_PROTOCOL_SOCKET;
    mysql_optionsv(connection_, MYSQL_OPT_PROTOCOL, &protocol);
  }
  if (!mysql_real_connect(connection_, host, user.c_str(), password.c_str(), nullptr, address.port, socket_path,
                          0)) {
    fail();  // even a refused login: no session to keep
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

std::optional<result_table> mariadb_client::query(const std::string& sql) {
  if (!connection_) return std::nullopt;
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) {
    fail(refused_only(connection_));
    return std::nullopt;
  }
  MYSQL_RES* result = mysql_store_result(connection_);
  if (!result) {
    if (mysql_field_count(connection_) == 0) return result_table{};  // a statement without a result set
    fail(refused_only(connection_));  // an error the server sent amid the rows leaves it usable
    return std::nullopt;
  }
  auto out = table_of(result);
  mysql_free_result(result);
  return out;
}

bool mariadb_client::stream(const std::string& sql,
                            const std::function<void(const std::vector<result_column>&)>& on_columns,
                            const std::function<void(const std::vector<value_view>&)>& on_row) {
  if (!connection_) return false;
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) return fail(refused_only(connection_)), false;
  MYSQL_RES* result = mysql_use_result(connection_);
  if (!result) return fail(refused_only(connection_)), false;
  const auto* fields = mysql_fetch_fields(result);
  const unsigned count = mysql_num_fields(result);
  std::vector<result_column> columns;
  for (unsigned i = 0; i < count; ++i) columns.push_back({fields[i].name, kind_of(fields[i])});
  on_columns(columns);
  std::vector<value_view> values(count);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const auto* lengths = mysql_fetch_lengths(result);
    for (unsigned i = 0; i < count; ++i) {
      values[i] = row[i] ? value_view(std::string_view(row[i], lengths[i])) : std::nullopt;
    }
    on_row(values);
  }
  const bool cut_short = mysql_errno(connection_) != 0;  // the rows stopped on an error
  if (cut_short) fail(refused_only(connection_));
  mysql_free_result(result);
  return !cut_short;
}

std::optional<std::vector<sql_row>> mariadb_client::rows(const std::string& sql) {
  auto table = query(sql);
  if (!table) return std::nullopt;
  std::vector<sql_row> out;
  out.reserve(table->rows.size());
  for (auto& row : table->rows) {
    sql_row r;
    for (std::size_t i = 0; i < row.size(); ++i) r[table->columns[i].name] = std::move(row[i]);
    out.push_back(std::move(r));
  }
  return out;
}

bool mariadb_client::execute(const std::string& sql) {
  affected_rows_ = 0;
  if (!query(sql)) return false;
  affected_rows_ = mysql_affected_rows(connection_);
  return true;
}

std::optional<std::uint64_t> mariadb_client::load_local(const std::string& sql, std::string_view bytes) {
  if (!connection_) return std::nullopt;
  infile_->bytes = bytes;
  const bool loaded = mysql_real_query(connection_, sql.data(), sql.size()) == 0;
  infile_->bytes.reset();
  if (!loaded) return fail(refused_only(connection_)), std::nullopt;
  affected_rows_ = mysql_affected_rows(connection_);
  return affected_rows_;
}

std::optional<std::string> mariadb_client::scalar(const std::string& sql) {
  auto t = query(sql);
  if (!t) return std::nullopt;
  if (t->rows.empty() || t->rows[0].empty() || !t->rows[0][0]) return std::string();
  return *t->rows[0][0];
}

}  // namespace weft::monitor
