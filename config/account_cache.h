// The last account list read from the backends, kept in the state file: a weft restarted while
// the primary cannot be read still checks the logins of the accounts it knew (and says so in
// /ready). The entries hold password hashes, as mysql.global_priv does: the state file is
// readable by weft's user alone.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "routing/accounts.h"

namespace weft::config {

struct cached_accounts {
  std::vector<routing::account> entries;
  std::string source;                              // the server they were read from
  std::chrono::system_clock::time_point read_at;  // when
};

// Replaces the cached list (one transaction).
void save_accounts(const std::string& state_path, const cached_accounts& accounts);
// The cached list, or nullopt when none was saved.
std::optional<cached_accounts> load_accounts(const std::string& state_path);

}  // namespace weft::config
