// One row of the admin's backend_connections table: a backend connection weft holds, idle in a
// worker's pool or lent to a client session. thread_id is the server's own id for it (the
// greeting's connection id: CONNECTION_ID() there, the Id column of SHOW PROCESSLIST), so a
// DBA can match weft's view with the server's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace weft::proxy {

struct backend_connection_info {
  std::string server;  // "host:port"
  std::uint32_t thread_id = 0;
  std::string user;
  std::string schema;
  std::uint32_t session = 0;               // the weft session using it; 0 while idle
  std::optional<std::int64_t> idle_ms;     // how long it has been idle; empty while in use
};

}  // namespace weft::proxy
