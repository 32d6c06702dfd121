// Reading the accounts of a server, per flavor, in one place: the query (MariaDB:
// mysql.global_priv, whose Priv column is JSON; MySQL 8: mysql.user) and the reading of its rows
// into accounts. Pure text; unit-tested. Roles (MariaDB is_role, which cannot log in) are left
// out by the query; proxy users (PROXY grants) are not read: a login is checked against its own
// account only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "routing/accounts.h"
#include "routing/replication_sql.h"

namespace weft::routing {

// Columns: user, host, plugin, auth, locked ('Y'/'N'), expired ('Y'/'N'), max_conn.
std::string_view accounts_query(server_flavor flavor);

// One row of accounts_query, or why it cannot be used (the row is skipped, with a warning).
struct account_row_result {
  std::optional<account> entry;
  std::string problem;
};
account_row_result account_from_row(const std::vector<std::optional<std::string>>& row);

}  // namespace weft::routing
