#include "ops/export_users.h"

#include <algorithm>

#include "ops/database_rename.h"
#include "ops/sql_values.h"
#include "routing/sql_lexer.h"

namespace weft::ops {
namespace {

using routing::token_type;

// A database name as SHOW GRANTS writes it: `a``b` or a\_b (a grant made with LIKE escapes).
std::string grant_database(const routing::sql_token& t) {
  std::string raw(t.text);
  if (t.type == token_type::quoted_name) {
    raw = raw.substr(1, raw.size() - 2);
    for (std::size_t at = raw.find("``"); at != std::string::npos; at = raw.find("``", at + 1)) raw.erase(at, 1);
  }
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '_' || raw[i + 1] == '%')) ++i;
    out += raw[i];
  }
  return out;
}

// mysql.db and friends hold a database as granted: plain, or with its _ and % escaped.
std::string database_list(const std::vector<std::string>& databases) {
  std::string list;
  for (const auto& d : databases) {
    std::string escaped;
    for (char c : d) escaped += (c == '_' || c == '%') ? std::string("\\") + c : std::string(1, c);
    list += (list.empty() ? "" : ", ") + sql_value(d, monitor::value_kind::text) + ", " +
            sql_value(escaped, monitor::value_kind::text);
  }
  return list;
}

std::string accounts_query(const std::vector<std::string>& databases, bool all) {
  const std::string not_system = "Host <> '' AND User NOT IN ('', 'root', 'mariadb.sys', 'mysql')";
  if (all) return "SELECT User, Host FROM mysql.user WHERE is_role = 'N' AND " + not_system + " ORDER BY User, Host";
  const auto in = " WHERE Db IN (" + database_list(databases) + ") AND " + not_system;
  return "SELECT User, Host FROM mysql.db" + in + " UNION SELECT User, Host FROM mysql.tables_priv" + in +
         " UNION SELECT User, Host FROM mysql.columns_priv" + in + " UNION SELECT User, Host FROM mysql.procs_priv" +
         in + " ORDER BY User, Host";
}

}  // namespace

bool grant_applies(std::string_view grant, const std::vector<std::string>& databases) {
  routing::sql_lexer lexer(grant);
  auto t = lexer.next();
  if (t.type != token_type::word || !routing::iequals_upper(t.text, "GRANT")) return false;
  int depth = 0;
  for (t = lexer.next(); t.type != token_type::end; t = lexer.next()) {
    depth += t.is('(') - t.is(')');
    if (depth == 0 && t.type == token_type::word && routing::iequals_upper(t.text, "ON")) break;
  }
  t = lexer.next();
  for (const char* kind : {"TABLE", "PROCEDURE", "FUNCTION", "PACKAGE"}) {
    if (t.type == token_type::word && routing::iequals_upper(t.text, kind)) t = lexer.next();
  }
  if (t.type == token_type::word && routing::iequals_upper(t.text, "BODY")) t = lexer.next();
  if (t.is('*')) return lexer.next().is('.') && lexer.next().is('*');  // *.*, not the current database's *
  if (t.type != token_type::quoted_name && t.type != token_type::word) return false;  // a role, PROXY ON ''@''
  if (lexer.peek_raw() != '.') return false;
  return std::find(databases.begin(), databases.end(), grant_database(t)) != databases.end();
}

std::variant<std::vector<manifest_user>, std::string> read_users(monitor::mariadb_client& server,
                                                                 const std::vector<std::string>& databases, bool all) {
  const auto accounts = server.query(accounts_query(databases, all));
  if (!accounts) return "reading the accounts: " + server.error();
  std::vector<manifest_user> out;
  for (const auto& row : accounts->rows) {
    const auto account = quote_name(row[0].value_or("")) + "@" + quote_name(row[1].value_or(""));
    const auto created = server.scalar("SHOW CREATE USER " + account);
    if (!created) return "SHOW CREATE USER " + account + ": " + server.error();
    manifest_user user{account, {*created}};
    const auto grants = server.query("SHOW GRANTS FOR " + account);
    if (!grants) return "SHOW GRANTS FOR " + account + ": " + server.error();
    for (const auto& g : grants->rows) {
      if (g[0] && grant_applies(*g[0], databases)) user.statements.push_back(*g[0]);
    }
    out.push_back(std::move(user));
  }
  return out;
}

std::string account_names(const std::vector<manifest_user>& users) {
  std::string out;
  for (const auto& u : users) out += (out.empty() ? "" : ", ") + u.account;
  return out.empty() ? "none" : out;
}

std::vector<std::string> user_statements(const manifest_user& user,
                                         const std::vector<std::pair<std::string, std::string>>& renames, bool replace) {
  std::vector<std::string> out;
  for (auto statement : user.statements) {
    for (const auto& [from, to] : renames) statement = with_database_renamed(statement, from, to);
    out.push_back(std::move(statement));
  }
  constexpr std::string_view create = "CREATE USER ";
  if (replace && !out.empty() && out[0].starts_with(create)) out[0] = "CREATE OR REPLACE USER " + out[0].substr(create.size());
  return out;
}

}  // namespace weft::ops
