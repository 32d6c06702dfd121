// EXPORT ... WITH USERS and IMPORT ... WITH USERS: the accounts that hold privileges on the
// exported databases (with ALL DATABASES, every account but the server's own), kept as the
// statements that recreate them: CREATE USER with the password's hash, and the grants on *.*
// and on the exported databases. Roles and PROXY grants are not copied.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "monitor/mariadb_client.h"
#include "ops/export_manifest.h"

namespace weft::ops {

std::variant<std::vector<manifest_user>, std::string> read_users(monitor::mariadb_client& server,
                                                                 const std::vector<std::string>& databases, bool all);

// "`a`@`%`, `b`@`localhost`" (or "none"): what an answer says of the accounts.
std::string account_names(const std::vector<manifest_user>& users);

// Whether a SHOW GRANTS line grants on *.* or inside one of `databases` (a role or PROXY grant
// does not).
bool grant_applies(std::string_view grant, const std::vector<std::string>& databases);

// What IMPORT runs for one account: its statements with the databases renamed; with `replace`,
// CREATE OR REPLACE USER (OVERWRITE) where the first is CREATE USER.
std::vector<std::string> user_statements(const manifest_user& user,
                                         const std::vector<std::pair<std::string, std::string>>& renames, bool replace);

}  // namespace weft::ops
