// Where logins are checked ([auth] in weft.toml): the accounts of the default group's primary,
// read by this account (by default the [monitor] user), and any [[users]] entries over them.
#pragma once

#include <chrono>
#include <string>

namespace weft::config {

struct auth_settings {
  bool from_backends = true;  // false: only [[users]] entries log in
  std::string user;           // empty: the [monitor] user reads the accounts
  std::string password;
  // How often the accounts are read again (and at once, at most once a second, after a login
  // fails); a refused login waits at most login_wait for that read (proxy_settings).
  std::chrono::milliseconds refresh{60000};
};

}  // namespace weft::config
