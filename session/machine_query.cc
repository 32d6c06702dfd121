// COM_QUERY: planned (rules, split), sent where the plan says, relayed, measured; and where a
// statement runs — the replica→primary fallbacks and read-your-writes.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "routing/gtid.h"
#include "routing/replication_sql.h"
#include "routing/session_effects.h"
#include "session/machine.h"
#include "sharding/shard_catalog.h"

namespace weft::session {
namespace {

namespace p = protocol;

}  // namespace

resumable<machine::step> machine::forward_query(std::uint32_t payload_length) {
  const auto& buffered = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + payload_length});
  if (buffered.result != outcome::ok) co_return step::stop;
  // The text stays in the client buffer until the command is sent or skipped.
  const auto sql = p::as_chars(buffered.client.subspan(p::frame_header_size + 1, payload_length - 1));
  activity_.statement.assign(sql.substr(0, 256));
  if (const auto explained = explained_statement(sql)) co_return co_await explain_route(*explained);
  auto plan = plan_query(sql, facts(), world_.topology(), world_.rules(), world_.shards(), world_.planner());
  if (plan.collation_wanted) plan = co_await plan_with_collation(sql, *plan.collation_wanted);
  begin_stats(plan.info.digest, sql);
  relayed_bytes_ = 0;
  const auto kind = static_cast<std::uint8_t>(plan.info.kind);
  if (plan.refusal) {
    co_await finish_stats(payload_length, kind);
    co_return co_await skip_command_with_error(*plan.refusal);
  }
  if (plan.writes) co_await note_write(plan.writes, false);
  step ran = step::next;
  if (plan.insert) {
    ran = co_await sharded_insert(plan, sql, payload_length);
  } else if (!plan.write_groups.empty()) {
    ran = co_await write_on_shards(plan, sql, payload_length);
  } else if (plan.scatter) {
    ran = co_await scatter_read(plan, payload_length);
  } else {
    ran = co_await run_query(plan, sql, payload_length);
  }
  if (plan.writes || remembers_transaction_writes()) {
    co_await note_write(plan.writes, true, plan.info.kind == routing::statement_kind::read);
  }
  co_return ran;
}

// A string key beyond ASCII needed the table's key collation: learned, then the statement planned
// again (a view of the client's buffer stays valid: learning only talks to a backend), its
// rules' hits not counted twice.
resumable<query_plan> machine::plan_with_collation(std::string_view sql, sharding::sharded_table table) {
  co_await learn_key_collation(table);
  auto again = facts();
  again.may_learn_collations = false;
  auto& cache = world_.planner();
  auto* const hits = std::exchange(cache.hits, nullptr);
  auto plan = plan_query(sql, again, world_.topology(), world_.rules(), world_.shards(), cache);
  cache.hits = hits;
  co_return plan;
}

// A planned statement sent where its plan says (the client's text, or the plan's replacement).
resumable<machine::step> machine::run_query(const query_plan& plan, std::string_view sql, std::uint32_t payload_length) {
  const auto kind = static_cast<std::uint8_t>(plan.info.kind);
  if (plan.pins && plan.pin_reason != routing::last_insert_id_reason) pin(plan.pin_reason);
  if (plan.info.transaction == routing::transaction_action::xa) co_await perform({.kind = action_kind::close_at_end});
  pending_set_.clear();
  if (plan.replayable_set) pending_set_ = plan.replacement ? *plan.replacement : std::string(sql);
  if (plan.info.kind == routing::statement_kind::set && mentions_select_limit(sql)) select_limit_set_ = true;
  pending_use_ = plan.use_schema.has_value();
  if (pending_use_) pending_schema_ = *plan.use_schema;
  // sql points into the client buffer, which later actions may move: what is needed is kept.
  const bool sets_insert_id = plan.reads_insert_id && plan.sets_insert_id;
  if (!plan.replacement && plan.info.replica_safe()) resend_.assign(sql);
  const bool begins = plan.info.transaction == routing::transaction_action::begin ||
                      plan.info.transaction == routing::transaction_action::begin_read_only;
  if (begins) fresh_begin_ = plan.replacement ? *plan.replacement : std::string(sql);
  if (auto refusal = co_await keep_to_one_shard(plan)) {
    co_await finish_stats(payload_length, kind);
    co_return co_await skip_command_with_error(*refusal);
  }
  if (!begins) fresh_begin_.clear();
  const bool caching = may_use_cache(plan.cache_ttl_ms);
  if (caching) {
    // (What is sent: a rule that rewrites it may change, and its old answers must not serve.)
    cache_key_ = cache_key(cache_key_of(plan.group, plan.replacement ? std::string_view(*plan.replacement) : sql));
    const bool answered = co_await answer_from_cache(kind, payload_length);
    if (answered) co_return step::next;
  }
  copy_response_ = caching;
  const step sent = co_await send_and_relay(plan);
  copy_response_ = false;
  if (sent != step::next) co_return sent;
  if (caching) co_await store_answer(plan.cache_ttl_ms, plan.cache_tables);
  co_await remember_written_gtid(held_.role == routing::target_role::primary &&
                                 (plan.info.kind == routing::statement_kind::write || plan.info.side_effects));
  co_await finish_stats(payload_length, kind);
  co_await finish_response(static_cast<std::uint8_t>(p::command::query), sets_insert_id,
                           plan.info.kind == routing::statement_kind::write);
  co_return step::next;
}

// A transaction (or pinned session) holds a connection: a statement for another shard moves a
// fresh transaction or is refused; a write to an unsharded table would run on the shard's copy of
// the global group's tables (the global primary's replication would then break), so it is refused.
resumable<std::optional<p::err_packet>> machine::keep_to_one_shard(const query_plan& plan) {
  std::optional<p::err_packet> refusal;
  if (holding_) co_await end_insert_id_hold(target{plan.role, plan.group});  // kept for LAST_INSERT_ID() only
  if (!holds() || !held_.info || world_.shards().empty()) co_return refusal;
  const auto& held_group = held_.info->group;
  if (plan.sharded && held_group != plan.group) co_return co_await move_fresh_transaction(plan);
  const bool writes = plan.info.kind == routing::statement_kind::write || plan.info.side_effects;
  if (!plan.sharded && writes && plan.info.transaction == routing::transaction_action::none) {
    refusal = global_write_refusal();
  }
  co_return refusal;
}

// A write to an unsharded table while a shard group's connection is held (a transaction or a
// pinned session there): it would run on the shard's copy of the global group's tables.
std::optional<p::err_packet> machine::global_write_refusal() const {
  if (!holds() || !held_.info || !world_.shards().is_shard_group(held_.info->group)) return std::nullopt;
  return p::make_error(p::er::shard_transaction,
                       "weft: the transaction runs on shard group '" + held_.info->group +
                           "'; a write to a table that is not sharded belongs to the global group and cannot join it: "
                           "COMMIT or ROLLBACK first");
}

// A statement for another shard than the held connection's: a transaction that has run only its
// BEGIN moves there (rolled back, begun again on the shard); anything else would span two
// shards, which weft refuses (no distributed transactions).
resumable<std::optional<p::err_packet>> machine::move_fresh_transaction(const query_plan& plan) {
  std::optional<p::err_packet> refusal;
  const std::string from = held_.info->group;
  if (pinned_ || fresh_begin_.empty()) {
    refusal = p::make_error(p::er::shard_transaction,
                            "weft: the transaction runs on group '" + from + "'; a statement for group '" + plan.group +
                                "' cannot join it (weft does not run transactions across shards): COMMIT or ROLLBACK first");
    co_return refusal;
  }
  const auto& rolled = co_await perform({.kind = action_kind::run_internal, .text = "ROLLBACK"});
  if (rolled.result == outcome::backend_failed) {
    co_await drop();
  } else {
    co_await release(false);
  }
  const std::string begin = fresh_begin_;
  refusal = co_await acquire({routing::target_role::primary, plan.group});
  if (refusal) co_return refusal;
  const auto& begun = co_await perform({.kind = action_kind::run_internal, .text = begin});
  if (begun.result != outcome::ok) {
    refusal = begun.error ? *begun.error : p::make_error(p::er::backend_lost, "weft: BEGIN failed on group '" + plan.group + "'");
  }
  co_return refusal;
}

// Acquires the planned server and sends the statement (the client's bytes, or a rule's text);
// a replica read whose connection failed before any answer goes once more elsewhere.
resumable<machine::step> machine::send_and_relay(const query_plan& plan) {
  auto error = co_await acquire_for({plan.role, plan.group});
  if (!error && plan.reads_insert_id) error = co_await restore_insert_id();
  if (error) co_return co_await skip_command_with_error(*error);
  retryable_ = held_.role == routing::target_role::replica && plan.info.replica_safe() && !pinned_;
  if (retryable_ && plan.replacement) resend_ = *plan.replacement;
  tracker_.start(static_cast<std::uint8_t>(p::command::query), held_.capabilities);
  step outcome_step = step::next;
  if (plan.replacement) {
    // Rewritten by a rule: the client's packet is dropped, weft's version goes instead.
    const auto& skipped = co_await perform({.kind = action_kind::skip_command});
    if (skipped.result != outcome::ok) co_return step::stop;
    outgoing_ = p::encode(p::com_query{*plan.replacement});
    const auto& sent = co_await perform({.kind = action_kind::send_packet, .payload = outgoing_});
    if (sent.result != outcome::ok) outcome_step = co_await backend_failed(sent);
  } else {
    const auto& sent = co_await perform({.kind = action_kind::send_command});
    if (sent.result != outcome::ok) {
      outcome_step = co_await backend_failed(sent);
    }
  }
  if (outcome_step == step::next) outcome_step = co_await relay_response();
  if (outcome_step == step::retry) outcome_step = co_await retry_read(plan.group);
  retryable_ = false;
  co_return outcome_step;
}

resumable<machine::step> machine::retry_read(std::string_view group) {
  retryable_ = false;  // once
  spdlog::info("event=read_retried failed_backend={}", held_.server);
  auto error = co_await acquire_for({routing::target_role::replica, group});
  if (error) {
    co_await reply_error(*error);
    co_return step::next;
  }
  tracker_.start(static_cast<std::uint8_t>(p::command::query), held_.capabilities);
  outgoing_ = p::encode(p::com_query{resend_});
  const auto& sent = co_await perform({.kind = action_kind::send_packet, .payload = outgoing_});
  if (sent.result != outcome::ok) co_return co_await backend_failed(sent);
  co_return co_await relay_response();
}

// The held connection, or one for `where` from the driver.
resumable<std::optional<p::err_packet>> machine::acquire(target where) {
  if (holds()) co_return std::nullopt;
  const auto& got = co_await perform({.kind = action_kind::acquire, .target = where});
  if (got.result != outcome::ok) {
    std::optional<p::err_packet> refusal;  // (copied: the event's error lives until the next action)
    refusal = got.error ? *got.error : p::make_error(p::er::backend_unreachable, "weft: no backend connection");
    co_return refusal;
  }
  held_ = got.connection;
  co_return std::nullopt;
}

// acquire() plus the fallbacks and read-your-writes: a replica read first waits there for the
// session's last write (MASTER_GTID_WAIT), or goes to the primary when the wait times out.
resumable<std::optional<p::err_packet>> machine::acquire_for(target where) {
  if (holding_) co_await end_insert_id_hold(where);
  auto error = co_await acquire(where);
  if (error && error->error_code == p::er::backend_unreachable.code && where.role == routing::target_role::replica &&
      !holds()) {
    // A replica that died since the monitor's last check: the read goes to the primary rather
    // than failing (the monitor shuns the replica after its next checks).
    spdlog::info("event=replica_unreachable fallback=primary");
    where.role = routing::target_role::primary;
    error = co_await acquire(where);
  }
  if (error || !read_your_writes_ || (last_gtid_.empty() && split_gtids_.empty()) ||
      held_.role != routing::target_role::replica) {
    co_return error;
  }
  co_return co_await wait_for_written_gtid(where);
}

resumable<std::optional<p::err_packet>> machine::wait_for_written_gtid(target where) {
  const auto split = std::find_if(split_gtids_.begin(), split_gtids_.end(),
                                  [&](const auto& s) { return s.group == held_.info->group; });
  if (split != split_gtids_.end()) {
    if (auto error = co_await wait_for_gtid(where, split->gtid, split->seen_on)) co_return error;
    if (held_.role != routing::target_role::replica) co_return std::nullopt;  // (fell back to the primary)
  }
  // A write on one shard never reaches another shard's replicas: nothing to wait for there.
  if (last_gtid_.empty() || !sharding::stream_reaches(world_.shards(), last_gtid_group_, held_.info->group)) {
    co_return std::nullopt;
  }
  co_return co_await wait_for_gtid(where, last_gtid_, gtid_seen_on_);
}

// The held replica has applied `gtid` (seen by the monitor, or waited for); otherwise the primary
// of the group is held instead.
resumable<std::optional<p::err_packet>> machine::wait_for_gtid(target where, std::string_view gtid,
                                                               std::string& seen_on) {
  if (seen_on == held_.server) co_return std::nullopt;
  if (routing::position_covers(held_.info->health.gtid_current_pos, gtid)) {
    seen_on = held_.server;  // the monitor already saw it applied there
    co_return std::nullopt;
  }
  const auto& policy = world_.topology().policy_of(where.group.empty() ? std::string_view(group_) : where.group);
  const auto wait = routing::gtid_wait_query(held_.info->health.flavor, gtid, policy.read_your_writes_timeout);
  const auto& answer = co_await perform({.kind = action_kind::run_internal, .text = wait});
  if (answer.result == outcome::ok && routing::gtid_wait_succeeded(answer.value)) {
    seen_on = held_.server;
    co_return std::nullopt;
  }
  spdlog::debug("event=read_your_writes_fallback replica={} gtid={} outcome={}", held_.server, gtid,
                answer.result == outcome::backend_failed ? "broken"
                : answer.error                           ? answer.error->message
                                                         : answer.value.value_or("NULL"));
  if (answer.result == outcome::backend_failed) {
    co_await drop();
  } else if (!pinned_) {
    co_await release(false);
  }
  where.role = routing::target_role::primary;  // never an older read than the session's write
  co_return co_await acquire(where);
}

// After a write outside a transaction (or a COMMIT): remember the session's last GTID.
resumable<void> machine::remember_written_gtid(bool wrote) {
  if (!read_your_writes_) co_return;
  wrote_since_gtid_ = wrote_since_gtid_ || wrote;
  const auto status = tracker_.has_status() ? tracker_.status_flags() : last_status_;
  if (!wrote_since_gtid_ || (status & p::status::in_trans) || !holds() || !tracker_.done()) co_return;
  // Only the server knows the GTID it gave the write; read it before the connection goes back.
  const auto flavor = held_.info->health.flavor;
  const auto& answer = co_await perform({.kind = action_kind::run_internal, .text = routing::written_gtid_query(flavor)});
  if (answer.result == outcome::backend_failed) {
    co_await drop();
    co_return;
  }
  wrote_since_gtid_ = false;
  if (answer.value && routing::valid_gtid_text(flavor, *answer.value) && *answer.value != last_gtid_) {
    last_gtid_ = *answer.value;
    last_gtid_group_ = held_.info->group;
    gtid_seen_on_.clear();
    std::erase_if(split_gtids_, [&](const auto& s) { return s.group == last_gtid_group_; });  // (older in its stream)
  }
}

void machine::begin_stats(std::uint64_t digest, std::string_view sql) {
  started_ = world_.now();
  digest_ = digest;
  new_digest_text_.clear();
  if (!world_.knows_digest(digest)) new_digest_text_ = digest_text_for_stats(sql, world_.planner());
}

resumable<void> machine::finish_stats(std::uint64_t payload_bytes, std::uint8_t kind) {
  const bool failed = tracker_.failed() || !holds();
  record_ = statement_record{digest_, new_digest_text_, payload_bytes + p::frame_header_size, relayed_bytes_,
                          tracker_.rows(), failed, holds() && held_.role == routing::target_role::replica, kind,
                          started_};
  co_await perform({.kind = action_kind::record_statement, .record = &record_});
}

}  // namespace weft::session
