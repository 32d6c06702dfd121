#include "admin/admin_engine.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <memory>

#include "admin/compare_commands.h"
#include "admin/export_commands.h"
#include "admin/ha_commands.h"
#include "admin/help_command.h"
#include "admin/job_commands.h"
#include "protocol/errors.h"
#include "routing/sql_lexer.h"

namespace weft::admin {
namespace {

namespace p = protocol;

// SQLite's failure as the MySQL error a DBA recognizes.
p::err_packet error_from_sqlite(sqlite3* db, int rc) {
  const std::string message = sqlite3_errmsg(db);
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return p::make_error({1062, "23000"}, "Duplicate entry: " + message);
      }
      if (rc == SQLITE_CONSTRAINT_NOTNULL) return p::make_error({1048, "23000"}, message);
      return p::make_error({4025, "23000"}, "Constraint failed: " + message);
    case SQLITE_AUTH:
      return p::make_error({1227, "42000"}, "weft admin: " + message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return p::make_error({1205, "HY000"}, "Lock wait timeout: another admin session is changing the configuration");
    default:
      break;
  }
  if (message.find("no such table") != std::string::npos) return p::make_error({1146, "42S02"}, message);
  if (message.find("no such column") != std::string::npos) return p::make_error({1054, "42S22"}, message);
  if (message.find("syntax error") != std::string::npos || message.find("incomplete input") != std::string::npos) {
    return p::make_error({1064, "42000"}, "You have an error in your SQL syntax: " + message);
  }
  return p::make_error({1105, "HY000"}, message);
}

bool is_config_table(const char* name) {
  if (!name) return false;
  for (const auto& t : config::config_table_names()) {
    if (t == name) return true;
  }
  return false;
}

protocol::column_definition column_for(sqlite3_stmt* s, int i, int first_value_type) {
  const char* declared = sqlite3_column_decltype(s, i);
  std::string name = sqlite3_column_name(s, i);
  const bool integer = declared ? strcasecmp(declared, "INTEGER") == 0 : first_value_type == SQLITE_INTEGER;
  const bool real = declared ? strcasecmp(declared, "REAL") == 0 : first_value_type == SQLITE_FLOAT;
  auto c = integer ? p::integer_column(std::move(name)) : real ? p::real_column(std::move(name))
                                                               : p::text_column(std::move(name));
  if (const char* table = sqlite3_column_table_name(s, i)) c.table = c.org_table = table;
  return c;
}

std::string first_word(std::string_view sql) {
  routing::sql_lexer lexer(sql);
  const auto t = lexer.next();
  std::string w(t.text);
  for (auto& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return t.type == routing::token_type::word ? w : std::string();
}

// PASSWORD('text'): the native hash a users row holds, so a DBA never stores a clear password.
void password_function(sqlite3_context* ctx, int, sqlite3_value** args) {
  const auto* text = sqlite3_value_text(args[0]);
  if (!text) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto hash = p::native_password_hash::from_password(reinterpret_cast<const char*>(text));
  const auto hex = hash.to_hex();
  sqlite3_result_text(ctx, hex.c_str(), static_cast<int>(hex.size()), SQLITE_TRANSIENT);
}

// DATABASE() and USER() as a server answers them (the CLI's `status` asks both in one SELECT):
// the admin port's one schema, and the account logged in (user data: the engine's string).
void database_function(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlite3_result_text(ctx, "weft", -1, SQLITE_STATIC);
}

void user_function(sqlite3_context* ctx, int, sqlite3_value**) {
  const auto* user = static_cast<const std::string*>(sqlite3_user_data(ctx));
  sqlite3_result_text(ctx, user->c_str(), static_cast<int>(user->size()), SQLITE_TRANSIENT);
}

void add_session_functions(sqlite3* db, std::string* session_user) {
  for (const char* name : {"database", "schema"}) {
    sqlite3_create_function(db, name, 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &database_function, nullptr,
                            nullptr);
  }
  for (const char* name : {"user", "current_user", "session_user", "system_user"}) {
    sqlite3_create_function(db, name, 0, SQLITE_UTF8, session_user, &user_function, nullptr, nullptr);
  }
}

}  // namespace

admin_engine::admin_engine(const std::string& state_path, const live_sources& sources, const command_context& commands,
                           admin_hooks hooks)
    : db_(config::open_state(state_path)), sources_(sources), commands_(commands), hooks_(std::move(hooks)) {
  create_live_tables(db_.get());
  sqlite3_create_function(db_.get(), "password", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &password_function,
                          nullptr, nullptr);
  add_session_functions(db_.get(), &session_user_);
  sqlite3_set_authorizer(db_.get(), &admin_engine::authorize, this);
}

// What a DBA's statement may do: read anything; change the config tables' rows; nothing else
// (no DDL, no ATTACH, no writes to live views, no PRAGMA that changes a setting).
int admin_engine::authorize(void* self, int action, const char* a, const char* b, const char* db, const char*) {
  if (static_cast<admin_engine*>(self)->internal_) return SQLITE_OK;
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
      return SQLITE_OK;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      // (for UPDATE, `a` is the table; sqlite_master bookkeeping is SQLite's own)
      return (db == nullptr || std::strcmp(db, "main") == 0) && is_config_table(a) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_PRAGMA:
      return b == nullptr ? SQLITE_OK : SQLITE_DENY;  // reading a pragma, never setting one
    default:
      return SQLITE_DENY;
  }
}

admin_result admin_engine::execute(std::string_view text, const ops::progress_sink& progress) {
  if (auto help = answer_help(text)) return std::move(*help);  // before anything: HELP is never SQL
  std::string sql(text);
  while (!sql.empty() && (std::isspace(static_cast<unsigned char>(sql.back())) || sql.back() == ';')) sql.pop_back();
  if (sql.find_first_not_of(" \t\r\n") == std::string::npos) {
    return admin_result::failure(p::make_error({1065, "42000"}, "Query was empty"));
  }
  if (auto shard = parse_shard_command(sql)) {  // first: ADD SHARD is not ADD SERVER
    if (!shard->command) return admin_result::failure(p::make_error({1064, "42000"}, shard->error));
    return run_shard_command(*shard->command);
  }
  if (auto ha = parse_ha_command(sql)) {
    if (!ha->command) return admin_result::failure(p::make_error({1064, "42000"}, ha->error));
    if (changes_configuration_only(ha->command->verb)) return run_group_change(*ha->command);
    return run_ha_command(*ha->command, commands_);
  }
  if (auto job = run_job_command(sql, commands_)) return std::move(*job);
  if (auto compare = parse_compare_command(sql)) return run_compare_command(sql, *compare, commands_, progress);
  if (auto transfer = parse_export_command(sql)) return run_export_command(sql, *transfer, commands_, progress);
  if (auto answered = run_admin_command(sql, commands_)) return std::move(*answered);
  const auto word = first_word(sql);
  if (word == "SHOW") {  // the MySQL forms of two live views
    std::string upper(sql);
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper.find("PROCESSLIST") != std::string::npos) return run_sql("SELECT * FROM processlist ORDER BY id");
    if (upper.find("VARIABLES") != std::string::npos) {
      return run_sql("SELECT name AS Variable_name, value AS Value FROM variables ORDER BY name");
    }
  }
  if (word == "BEGIN" || word == "START") return begin();
  if (word == "COMMIT") return commit();
  if (word == "ROLLBACK") return rollback();
  if (word == "SET" || word == "USE") return {};  // session settings of clients: nothing to do
  return run_sql(sql);
}

admin_result admin_engine::begin() {
  if (explicit_transaction_) return {};
  try {
    config::exec_sql(db_.get(), "BEGIN IMMEDIATE");
  } catch (const std::exception&) {
    return admin_result::failure(error_from_sqlite(db_.get(), sqlite3_extended_errcode(db_.get())));
  }
  explicit_transaction_ = true;
  return {};
}

admin_result admin_engine::commit() {
  if (!explicit_transaction_) return {};
  explicit_transaction_ = false;
  return validate_and_commit({});
}

admin_result admin_engine::rollback() {
  if (!explicit_transaction_) return {};
  explicit_transaction_ = false;
  config::exec_sql(db_.get(), "ROLLBACK");
  return {};
}

admin_result admin_engine::validate_and_commit(admin_result done) {
  auto read = config::read_config_tables(db_.get());
  if (!read.errors.empty()) {
    config::exec_sql(db_.get(), "ROLLBACK");
    std::string message = "weft: the change was not applied: ";
    for (std::size_t i = 0; i < read.errors.size(); ++i) message += (i ? "; " : "") + read.errors[i];
    return admin_result::failure(p::make_error(p::er::config_rejected, message));
  }
  std::unique_lock<std::mutex> lock;
  if (hooks_.apply_mutex) lock = std::unique_lock(*hooks_.apply_mutex);
  try {
    config::exec_sql(db_.get(), "COMMIT");  // durable before it takes effect
  } catch (const std::exception&) {
    const auto err = error_from_sqlite(db_.get(), sqlite3_extended_errcode(db_.get()));
    config::exec_sql(db_.get(), "ROLLBACK");
    return admin_result::failure(err);
  }
  if (hooks_.apply) hooks_.apply(read.config);
  spdlog::info("event=config_changed source=admin servers={} users={} rules={}", read.config.topology.servers.size(),
               read.config.runtime.users.size(), read.config.runtime.rules.size());
  return done;
}

admin_result admin_engine::run_sql(const std::string& sql) {
  internal_ = true;
  try {
    refresh_live_tables(db_.get(), sql, sources_);
  } catch (const std::exception& e) {
    spdlog::warn("event=admin_refresh_failed error=\"{}\"", e.what());
  }
  internal_ = false;
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
  if (rc != SQLITE_OK) return admin_result::failure(error_from_sqlite(db_.get(), sqlite3_extended_errcode(db_.get())));
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(raw, &sqlite3_finalize);
  if (!stmt) return {};  // only a comment
  if (tail && std::string_view(tail).find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    return admin_result::failure(p::make_error({1064, "42000"}, "weft admin: one statement per query"));
  }
  const bool changes = !sqlite3_stmt_readonly(stmt.get());
  const bool own_transaction = changes && !explicit_transaction_;
  if (own_transaction) {
    try {
      config::exec_sql(db_.get(), "BEGIN IMMEDIATE");
    } catch (const std::exception&) {
      return admin_result::failure(error_from_sqlite(db_.get(), sqlite3_extended_errcode(db_.get())));
    }
  }
  admin_result result;
  const int columns = sqlite3_column_count(stmt.get());
  std::vector<int> first_types(static_cast<std::size_t>(columns), SQLITE_NULL);
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    protocol::text_row row;
    for (int i = 0; i < columns; ++i) {
      const int type = sqlite3_column_type(stmt.get(), i);
      if (type != SQLITE_NULL && first_types[static_cast<std::size_t>(i)] == SQLITE_NULL) {
        first_types[static_cast<std::size_t>(i)] = type;
      }
      const auto* v = sqlite3_column_text(stmt.get(), i);
      row.push_back(v ? std::optional<std::string>(reinterpret_cast<const char*>(v)) : std::nullopt);
    }
    result.rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    const auto err = error_from_sqlite(db_.get(), sqlite3_extended_errcode(db_.get()));
    stmt.reset();
    if (own_transaction) config::exec_sql(db_.get(), "ROLLBACK");
    return admin_result::failure(err);
  }
  for (int i = 0; i < columns; ++i) result.columns.push_back(column_for(stmt.get(), i, first_types[static_cast<std::size_t>(i)]));
  if (changes) result.affected = static_cast<std::uint64_t>(sqlite3_changes(db_.get()));
  stmt.reset();
  if (own_transaction) return validate_and_commit(std::move(result));
  return result;
}

}  // namespace weft::admin
