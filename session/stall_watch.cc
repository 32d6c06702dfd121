#include "session/stall_watch.h"

namespace weft::session {

std::optional<std::string> stall_watch::look(backend_wait now, const routing::server* held_server_now,
                                             std::chrono::milliseconds read_timeout) {
  if (!now.read_waiting || now.reads_ended != reads_seen_) {
    reads_seen_ = now.reads_ended;
    stalled_looks_ = 0;
    return std::nullopt;
  }
  ++stalled_looks_;  // waiting, and not one read completed since the last look
  // A shun alone is not proof: a starved machine fails the monitor's 1 s checks of a healthy
  // server (seen in the soak). The wait must also have made no progress for two looks.
  if (held_server_now && held_server_now->status == routing::server_status::shunned && stalled_looks_ >= 2) {
    return "stopped answering (SHUNNED by the monitor: " + held_server_now->health.last_error + ")";
  }
  if (read_timeout.count() > 0 && stalled_looks_ * 1000ull >= static_cast<std::uint64_t>(read_timeout.count())) {
    return "sent nothing for " + std::to_string(stalled_looks_) + " s ([backend] read_timeout_ms = " +
           std::to_string(read_timeout.count()) + ")";
  }
  return std::nullopt;
}

}  // namespace weft::session
