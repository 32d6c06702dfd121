#include "config/account_cache.h"

#include "config/config_tables.h"
#include "config/sqlite_statement.h"
#include "config/state_store.h"

namespace weft::config {
namespace {

void create_tables(sqlite3* db) {
  exec_sql(db,
           "CREATE TABLE IF NOT EXISTS backend_accounts (user TEXT NOT NULL, host TEXT NOT NULL, plugin TEXT NOT NULL, "
           "auth_string TEXT NOT NULL, locked INTEGER NOT NULL, password_expired INTEGER NOT NULL, "
           "max_user_connections INTEGER NOT NULL, PRIMARY KEY (user, host)); "
           "CREATE TABLE IF NOT EXISTS backend_accounts_read (id INTEGER PRIMARY KEY CHECK (id = 1), "
           "source TEXT NOT NULL, read_at_ms INTEGER NOT NULL)");
}

std::int64_t to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

void insert_entries(sqlite3* db, const std::vector<routing::account>& entries) {
  auto s = prepare(db, "INSERT OR REPLACE INTO backend_accounts VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const auto& a : entries) {
    bind_text(s.get(), 1, a.user);
    bind_text(s.get(), 2, a.host);
    bind_text(s.get(), 3, a.plugin);
    bind_text(s.get(), 4, a.auth_string);
    sqlite3_bind_int(s.get(), 5, a.locked ? 1 : 0);
    sqlite3_bind_int(s.get(), 6, a.password_expired ? 1 : 0);
    sqlite3_bind_int64(s.get(), 7, a.max_user_connections);
    step_done(db, s.get());
  }
}

}  // namespace

void save_accounts(const std::string& state_path, const cached_accounts& accounts) {
  auto db = open_state(state_path);
  create_tables(db.get());
  exec_sql(db.get(), "BEGIN IMMEDIATE");
  try {
    exec_sql(db.get(), "DELETE FROM backend_accounts; DELETE FROM backend_accounts_read");
    insert_entries(db.get(), accounts.entries);
    auto s = prepare(db.get(), "INSERT INTO backend_accounts_read VALUES (1, ?, ?)");
    bind_text(s.get(), 1, accounts.source);
    sqlite3_bind_int64(s.get(), 2, to_ms(accounts.read_at));
    step_done(db.get(), s.get());
    exec_sql(db.get(), "COMMIT");
  } catch (...) {
    exec_sql(db.get(), "ROLLBACK");
    throw;
  }
}

std::optional<cached_accounts> load_accounts(const std::string& state_path) {
  auto db = open_state(state_path);
  create_tables(db.get());
  auto head = prepare(db.get(), "SELECT source, read_at_ms FROM backend_accounts_read WHERE id = 1");
  if (sqlite3_step(head.get()) != SQLITE_ROW) return std::nullopt;
  cached_accounts out;
  out.source = text_at(head.get(), 0);
  out.read_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(sqlite3_column_int64(head.get(), 1)));
  auto rows = prepare(db.get(), "SELECT user, host, plugin, auth_string, locked, password_expired, "
                                "max_user_connections FROM backend_accounts");
  while (sqlite3_step(rows.get()) == SQLITE_ROW) {
    routing::account a;
    a.user = text_at(rows.get(), 0);
    a.host = text_at(rows.get(), 1);
    a.plugin = text_at(rows.get(), 2);
    a.auth_string = text_at(rows.get(), 3);
    a.locked = sqlite3_column_int(rows.get(), 4) != 0;
    a.password_expired = sqlite3_column_int(rows.get(), 5) != 0;
    a.max_user_connections = static_cast<std::uint32_t>(sqlite3_column_int64(rows.get(), 6));
    out.entries.push_back(std::move(a));
  }
  return out;
}

}  // namespace weft::config
