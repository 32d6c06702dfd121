// Small helpers around SQLite prepared statements for the state file's code: preparing (throws
// with SQLite's message), stepping, binding text ("" as NULL where asked), reading text.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>

namespace weft::config {

struct statement_closer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using statement = std::unique_ptr<sqlite3_stmt, statement_closer>;

statement prepare(sqlite3* db, const std::string& sql);
// Steps a statement that returns no rows, then resets it for the next bindings.
void step_done(sqlite3* db, sqlite3_stmt* s);
void bind_text(sqlite3_stmt* s, int i, const std::string& v);
void bind_optional_text(sqlite3_stmt* s, int i, const std::string& v);  // "" binds NULL
std::string text_at(sqlite3_stmt* s, int i);                             // NULL reads ""
bool is_null(sqlite3_stmt* s, int i);

}  // namespace weft::config
