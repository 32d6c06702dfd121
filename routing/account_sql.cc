#include "routing/account_sql.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace weft::routing {

std::string_view accounts_query(server_flavor flavor) {
  if (flavor == server_flavor::mysql) {
    return "SELECT User AS user, Host AS host, plugin, authentication_string AS auth, account_locked AS locked, "
           "password_expired AS expired, max_user_connections AS max_conn FROM mysql.user";
  }
  // MariaDB keeps an expired password as password_last_changed 0 (ALTER USER ... PASSWORD EXPIRE);
  // JSON_VALUE gives a JSON true as '1'.
  return "SELECT User AS user, Host AS host, "
         "COALESCE(JSON_VALUE(Priv, '$.plugin'), 'mysql_native_password') AS plugin, "
         "COALESCE(JSON_VALUE(Priv, '$.authentication_string'), '') AS auth, "
         "IF(COALESCE(JSON_VALUE(Priv, '$.account_locked'), '0') IN ('1', 'true'), 'Y', 'N') AS locked, "
         "IF(JSON_VALUE(Priv, '$.password_last_changed') = '0', 'Y', 'N') AS expired, "
         "COALESCE(JSON_VALUE(Priv, '$.max_user_connections'), '0') AS max_conn "
         "FROM mysql.global_priv WHERE COALESCE(JSON_VALUE(Priv, '$.is_role'), '0') NOT IN ('1', 'true')";
}

namespace {

std::optional<bool> yes_no(const std::optional<std::string>& v) {
  if (v == "Y") return true;
  if (v == "N") return false;
  return std::nullopt;
}

std::optional<std::uint32_t> count(const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  std::int64_t n = 0;  // (MariaDB stores -1 for "no limit set" on some paths)
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size()) return std::nullopt;
  return n < 0 ? 0 : static_cast<std::uint32_t>(std::min<std::int64_t>(n, UINT32_MAX));
}

}  // namespace

account_row_result account_from_row(const std::vector<std::optional<std::string>>& row) {
  if (row.size() != 7) return {std::nullopt, "expected 7 columns, got " + std::to_string(row.size())};
  if (!row[0] || !row[1]) return {std::nullopt, "no user or host"};
  account a;
  a.user = *row[0];
  a.host = *row[1];
  const auto who = "'" + a.user + "'@'" + a.host + "'";
  if (!row[2] || row[2]->empty()) return {std::nullopt, who + ": no authentication plugin"};
  a.plugin = *row[2];
  a.auth_string = row[3].value_or("");
  const auto locked = yes_no(row[4]);
  const auto expired = yes_no(row[5]);
  const auto max_conn = count(row[6]);
  if (!locked || !expired || !max_conn) return {std::nullopt, who + ": unreadable locked, expired or max_user_connections"};
  a.locked = *locked;
  a.password_expired = *expired;
  a.max_user_connections = *max_conn;
  return {std::move(a), {}};
}

}  // namespace weft::routing
