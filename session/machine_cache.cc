// The query result cache, from the machine's side: a read a cache rule marked is answered from
// memory when the cache holds a fresh answer, otherwise run on the primary with its response
// copied and offered to the cache; every write tells the cache the tables it changes, when it
// begins and when it ends (and again when its transaction ends). The storage and the freshness
// check are the driver's (proxy/result_cache.h).
#include <algorithm>

#include "session/machine.h"

namespace weft::session {
namespace {

namespace p = protocol;

// More tables than this written in one transaction: its end makes every table stale.
constexpr std::size_t max_transaction_tables = 64;

}  // namespace

// Only where the session's state cannot change the answer: no transaction (its snapshot and its
// own uncommitted rows), no pin (a temporary table may hide a real one), autocommit on.
bool machine::may_use_cache(const query_plan& plan) const {
  return plan.cache_ttl_ms != 0 && !pinned_ && !(last_status_ & p::status::in_trans) &&
         (last_status_ & p::status::autocommit) && fresh_begin_.empty();
}

// True when the client got the cached answer (the command is skipped, the statistics kept).
resumable<bool> machine::answer_from_cache(const query_plan& plan, std::string_view sql, std::uint32_t payload_length) {
  const auto& group = plan.group.empty() ? group_ : plan.group;
  cache_key_ = cache_key({who_.user, who_.schema, group, settings_digest_, settings_.client_charset,
                          settings_.client_capabilities, sql});
  const auto& answered = co_await perform({.kind = action_kind::cache_answer, .text = cache_key_});
  if (answered.result == outcome::refused) co_return false;
  const bool delivered = answered.result == outcome::ok;
  record_ = statement_record{digest_, new_digest_text_, payload_length + p::frame_header_size, answered.relayed_bytes,
                             answered.rows, !delivered, false, static_cast<std::uint8_t>(plan.info.kind), started_};
  co_await perform({.kind = action_kind::skip_command});
  co_await perform({.kind = action_kind::record_statement, .record = &record_});
  co_return true;
}

// The copied response goes to the cache if it is one whole result set that leaves nothing
// behind on the connection: no warnings (SHOW WARNINGS would differ), no session-state change,
// no transaction opened.
resumable<void> machine::store_answer(const query_plan& plan) {
  constexpr auto leaves_state = p::status::in_trans | p::status::more_results_exists | p::status::session_state_changed;
  const bool whole = tracker_.done() && !tracker_.failed() && tracker_.result_sets() == 1 &&
                     tracker_.warnings() == 0 && !(tracker_.status_flags() & leaves_state);
  co_await perform({.kind = action_kind::cache_store, .bytes = whole ? plan.cache_ttl_ms : 0u, .text = cache_key_,
                    .tables = plan.cache_tables});
}

// A statement that may write begins (ended = false), or any statement has ended. Inside a
// transaction a write's tables are remembered: other sessions may read and cache them before
// the COMMIT, so they are stale again once a statement that is not a plain read (COMMIT, an
// implicit commit, SET autocommit) ends.
resumable<void> machine::note_write(const std::optional<written_tables>& writes, bool ended, bool plain_read) {
  const bool in_transaction = last_status_ & p::status::in_trans;
  if (writes) {
    co_await perform({.kind = action_kind::cache_invalidate, .tables = writes->every ? std::span<const std::string>{}
                                                                                    : std::span{writes->tables}});
    if (ended && in_transaction && !transaction_writes_.every) {
      auto& kept = transaction_writes_.tables;
      for (const auto& t : writes->tables) {
        if (std::find(kept.begin(), kept.end(), t) == kept.end()) kept.push_back(t);
      }
      transaction_writes_.every = writes->every || kept.size() > max_transaction_tables;
    }
  }
  const bool remembered = transaction_writes_.every || !transaction_writes_.tables.empty();
  if (!ended || !remembered || (in_transaction && (writes || plain_read))) co_return;
  co_await perform({.kind = action_kind::cache_invalidate,
                    .tables = transaction_writes_.every ? std::span<const std::string>{}
                                                        : std::span{transaction_writes_.tables}});
  if (!in_transaction) transaction_writes_ = {};
}

}  // namespace weft::session
