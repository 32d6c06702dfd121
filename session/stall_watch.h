// The once-a-second look at a session waiting for its backend (the worker's timer calls it): a
// wait in which not one read completed for two looks on a server the monitor now shuns, or for
// the read timeout, is given up. Pure: the caller closes the connection under the wait, and the
// machine then answers the client with 9013 and the reason.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "routing/topology.h"

namespace weft::session {

// The held backend connection as the watchdog sees it at one look.
struct backend_wait {
  bool read_waiting = false;  // a read of it is waiting now (any code's: a statement, a reset)
  std::uint64_t reads_ended = 0;
};

class stall_watch {
 public:
  // Why the wait should be given up now, or nullopt. `reads_ended` counts the held connection's
  // completed reads (it moves whenever the server sends something); `held_server_now`: its
  // server in the latest topology (the session's own snapshot is older); read_timeout 0: none.
  std::optional<std::string> look(backend_wait now, const routing::server* held_server_now,
                                  std::chrono::milliseconds read_timeout);

 private:
  std::uint64_t reads_seen_ = 0;  // by the last look
  unsigned stalled_looks_ = 0;    // looks in a row that saw a wait with no read
};

}  // namespace weft::session
