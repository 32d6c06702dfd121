// A read across shards whose answer is sent on while the shards' answers arrive
// (sharding/stream_merge.h): each lane hands over its answer in pieces and waits, so weft holds
// at most a piece per shard and what an ORDER BY merge cannot send yet.
#include "protocol/errors.h"
#include "protocol/frame.h"
#include "session/machine.h"
#include "sharding/stream_merge.h"

namespace weft::session {
namespace {

namespace p = protocol;

// The rows an ORDER BY merge may hold of one shard ahead of the slowest, as the whole answers of
// a gathered merge may be.
constexpr std::size_t max_pending_bytes = 64u << 20;

}  // namespace

resumable<machine::step> machine::stream_scatter(const query_plan& plan, std::uint32_t payload_length,
                                                 bool on_replicas) {
  const auto& asked = co_await perform(
      {.kind = action_kind::scatter, .payload = outgoing_, .targets = scatter_targets_, .stream_lanes = true});
  const bool started = asked.result == outcome::ok;  // (the event is overwritten by the next action)
  const auto lanes = scatter_targets_.size();
  sharding::stream_merge merge(*plan.scatter, lanes, settings_.client_capabilities & p::cap::mariadb_extended_type_info,
                               max_pending_bytes);
  if (!started) {
    merge.fail(p::encode(p::make_error(p::er::backend_lost, "weft: the read across shards could not start")));
  }
  relayed_bytes_ = 0;
  std::vector<std::uint8_t> wanted(lanes, 1);
  for (std::size_t ended = 0; ended < lanes && started;) {
    for (std::size_t i = 0; i < lanes; ++i) wanted[i] = merge.wants(i) ? 1 : 0;
    const auto& got = co_await perform({.kind = action_kind::gather, .lanes_wanted = wanted});
    const auto i = got.target_index;
    if (got.result == outcome::refused && !got.error) {  // the driver has nothing left: not expected
      merge.fail(p::encode(p::make_error(p::er::backend_lost, "weft: a shard's answer was lost")));
      break;
    }
    if (!got.piece) ++ended;
    if (got.result == outcome::ok) {
      merge.add(i, got.backend, !got.piece);
    } else {
      const auto error = got.error ? *got.error
                                   : p::make_error(p::er::backend_lost, "weft: shard group '" + plan.scatter_groups[i] +
                                                                            "' did not answer the read across shards");
      merge.fail(p::encode(error));
    }
    outgoing_ = merge.take();
    if (outgoing_.empty()) continue;
    relayed_bytes_ += outgoing_.size();
    const auto& sent = co_await perform({.kind = action_kind::reply_frames, .payload = outgoing_});
    if (sent.result != outcome::ok) co_return step::stop;  // the client is gone: the lanes are abandoned
  }
  if (!merge.finished()) {
    merge.fail(p::encode(p::make_error(p::er::backend_lost, "weft: the read across shards ended early")));
    outgoing_ = merge.take();
    const auto& sent = co_await perform({.kind = action_kind::reply_frames, .payload = outgoing_});
    if (sent.result != outcome::ok) co_return step::stop;
  }
  record_ = statement_record{digest_, new_digest_text_, payload_length + p::frame_header_size, relayed_bytes_,
                             merge.rows_sent(), false, on_replicas, static_cast<std::uint8_t>(plan.info.kind), started_};
  co_await perform({.kind = action_kind::record_statement, .record = &record_});
  co_return step::next;
}

}  // namespace weft::session
