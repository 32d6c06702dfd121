// The query result cache, from the machine's side: a read a cache rule marked is answered from
// memory when the cache holds a fresh answer, otherwise run on the primary with its response
// copied and offered to the cache; every write tells the cache the tables it changes, when it
// begins and when it ends (and again when its transaction ends). The storage and the freshness
// check are the driver's (proxy/result_cache.h).
#include <algorithm>

#include "protocol/frame.h"
#include "protocol/statement_messages.h"
#include "session/machine.h"

namespace weft::session {
namespace {

namespace p = protocol;

// More tables than this written in one transaction: its end makes every table stale.
constexpr std::size_t max_transaction_tables = 64;

}  // namespace

// Only where the session's state cannot change the answer: no transaction (its snapshot and its
// own uncommitted rows), no pin (a temporary table may hide a real one), autocommit on.
bool machine::may_use_cache(std::uint32_t ttl_ms) const {
  return ttl_ms != 0 && !pinned_ && !(last_status_ & p::status::in_trans) &&
         (last_status_ & p::status::autocommit) && fresh_begin_.empty();
}

cache_key_parts machine::cache_key_of(std::string_view group, std::string_view sql) const {
  return {who_.user, who_.schema, group.empty() ? std::string_view(group_) : group, settings_digest_,
          settings_.client_charset, settings_.client_capabilities, sql};
}

// True when the client got the answer kept under cache_key_ (the command is skipped, the
// statistics kept).
resumable<bool> machine::answer_from_cache(std::uint8_t kind, std::uint32_t payload_length) {
  const auto& answered = co_await perform({.kind = action_kind::cache_answer, .text = cache_key_});
  if (answered.result == outcome::refused) co_return false;
  const bool delivered = answered.result == outcome::ok;
  record_ = statement_record{digest_, new_digest_text_, payload_length + p::frame_header_size, answered.relayed_bytes,
                             answered.rows, !delivered, false, kind, started_};
  co_await perform({.kind = action_kind::skip_command});
  co_await perform({.kind = action_kind::record_statement, .record = &record_});
  co_return true;
}

// The copied response goes to the cache if it is one whole result set that leaves nothing
// behind on the connection: no warnings (SHOW WARNINGS would differ), no session-state change,
// no transaction opened.
resumable<void> machine::store_answer(std::uint32_t ttl_ms, std::span<const std::string> tables) {
  constexpr auto leaves_state = p::status::in_trans | p::status::more_results_exists | p::status::session_state_changed;
  const bool whole = tracker_.done() && !tracker_.failed() && tracker_.result_sets() == 1 &&
                     tracker_.warnings() == 0 && !(tracker_.status_flags() & leaves_state);
  co_await perform({.kind = action_kind::cache_store, .bytes = whole ? ttl_ms : 0u, .text = cache_key_, .tables = tables});
}

// A prepared statement's execute that a cache rule marked (cursors and sharded statements
// aside): keyed by its text and the parameters as sent. True when answered from the cache;
// `caching`: the execute runs on the primary and its response is offered to the cache.
resumable<bool> machine::answer_execute_from_cache(client_statement& statement, std::uint32_t payload_length,
                                                   bool& caching) {
  caching = false;
  if (statement.sharded || payload_length >= p::max_frame_payload || !world_.result_cache_on()) co_return false;
  if (statement.cache_rules_version != world_.planner().rules_version) {
    auto plan = plan_statement_caching(statement.sql, facts(), world_.rules(), world_.planner());
    statement.cache_ttl_ms = plan.ttl_ms;
    statement.cache_tables = std::move(plan.tables);
    statement.cache_rules_version = world_.planner().rules_version;
  }
  if (!may_use_cache(statement.cache_ttl_ms)) co_return false;
  const auto& whole = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + payload_length});
  if (whole.result != outcome::ok) co_return false;
  const auto payload = whole.client.subspan(p::frame_header_size, payload_length);
  auto parts = cache_key_of({}, statement.sql);
  parts.binary = true;
  // After the command byte and the statement id: flags, iteration count, then the parameters.
  parts.parameters = p::as_chars(payload.subspan(5));
  const auto carried = p::stmt_execute_param_types(payload, statement.params);
  if (statement.params > 0 && (!carried || carried->empty())) {
    parts.parameter_types = p::as_chars(statement.param_types);  // the types sent before
  }
  cache_key_ = cache_key(parts);
  note_carried_types(payload, statement);
  caching = true;
  co_return co_await answer_from_cache(execute_kind, payload_length);
}

// A statement that may write begins (ended = false), or any statement has ended. Inside a
// transaction a write's tables are remembered: other sessions may read and cache them before
// the COMMIT, so they are stale again once a statement that is not a plain read (COMMIT, an
// implicit commit, SET autocommit, XA COMMIT: the server's status says a transaction until
// then, XA END and PREPARE included) ends.
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
  if (!ended || !remembers_transaction_writes() || (in_transaction && (writes || plain_read))) co_return;
  co_await perform({.kind = action_kind::cache_invalidate,
                    .tables = transaction_writes_.every ? std::span<const std::string>{}
                                                        : std::span{transaction_writes_.tables}});
  if (!in_transaction) transaction_writes_ = {};
}

}  // namespace weft::session
