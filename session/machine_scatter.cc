// Scatter-gather on the machine's side: one `scatter`, then a `gather` per target; each target's
// response is kept whole, in its own slot, whatever order they end in.
#include "session/machine.h"
#include "session/scatter.h"

namespace weft::session {

bool keep_gathered(const event& e, gathered_all& into) {
  if (e.target_index >= into.responses.size()) return false;
  auto& slot = into.responses[e.target_index];
  if (slot.arrived) return false;
  slot.arrived = true;
  slot.result = e.result;
  slot.bytes.assign(e.backend.begin(), e.backend.end());
  if (e.error) slot.error = *e.error;
  return true;
}

resumable<gathered_all> machine::scatter_gather(std::span<const target> targets, protocol::bytes_view payload,
                                                lane_use use) {
  gathered_all all;
  all.responses.resize(targets.size());
  if (targets.empty()) {
    all.complete = true;
    co_return all;
  }
  const auto& started = co_await perform({.kind = action_kind::scatter,
                                          .payload = payload,
                                          .targets = targets,
                                          .payloads = use.payloads,
                                          .keep_lanes = use.keep,
                                          .reuse_lanes = use.reuse});
  if (started.result != outcome::ok) co_return all;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const auto& got = co_await perform({.kind = action_kind::gather});
    if (!keep_gathered(got, all)) co_return all;
  }
  all.complete = true;
  co_return all;
}

}  // namespace weft::session
