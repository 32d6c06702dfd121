// Scatter-gather: one command sent to several backends at once, each answer kept whole until the
// caller merges them (sharding's scatter reads). The machine asks with `scatter` and one `gather`
// per target (action.h); this is what it keeps of each target meanwhile.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocol/bytes.h"
#include "protocol/messages.h"
#include "session/action.h"

namespace weft::session {

struct gathered_response {
  bool arrived = false;
  outcome result = outcome::ok;  // refused (error says why), backend_failed or too_large
  protocol::bytes bytes;         // the whole response, frames as the server sent them
  std::optional<protocol::err_packet> error;
};

// Every target's response, by target index. False when the driver broke its word (a target
// reported twice or out of range): nothing gathered can be trusted then.
struct gathered_all {
  std::vector<gathered_response> responses;
  bool complete = false;
  bool all_ok() const {
    if (!complete) return false;
    for (const auto& r : responses) {
      if (r.result != outcome::ok) return false;
    }
    return true;
  }
};

// How a scatter uses its lanes' connections (action.h, scatter).
struct lane_use {
  std::span<const protocol::bytes_view> payloads{};  // one command per target (else one for all)
  bool keep = false;   // the connections stay with the lanes (a transaction is open on them)
  bool reuse = false;  // run on the last scatter's kept connections
};

// What came of writing a split INSERT's parts (a transaction per shard): every part's OK, or why
// nothing was acknowledged (and the server's own ERR when a part was refused).
struct split_outcome {
  std::vector<protocol::ok_packet> oks;
  std::optional<std::string> failed;
  std::optional<protocol::err_packet> server_error;
};

// Keeps one gather event (its views die with the next action).
bool keep_gathered(const event& e, gathered_all& into);

}  // namespace weft::session
