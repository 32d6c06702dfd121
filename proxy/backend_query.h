// Statements weft itself runs on a backend connection between the client's commands (replaying
// SETs, reading @@last_gtid, MASTER_GTID_WAIT): whole packets, the answer decoded, nothing
// forwarded to the client.
#pragma once

#include <optional>
#include <string>

#include "protocol/messages.h"
#include "proxy/asio.h"
#include "proxy/backend_pool.h"

namespace weft::proxy {

struct backend_answer {
  bool broken = false;                     // the connection failed: drop it
  std::optional<protocol::err_packet> error;  // the server refused the statement
  std::optional<std::string> value;        // first column of the first row (nullopt: none or NULL)
};

awaitable<backend_answer> run_on_backend(pooled_backend& backend, const std::string& sql);

struct prepare_answer {
  bool broken = false;                // the connection failed: drop it
  std::optional<std::uint32_t> id{};  // the server's statement id (nullopt: it refused)
};

// COM_STMT_PREPARE of weft's own: the whole response is read, only the statement id kept.
awaitable<prepare_answer> prepare_on_backend(pooled_backend& backend, std::string_view sql);

}  // namespace weft::proxy
