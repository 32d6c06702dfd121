// Writes weft spreads over shards itself: INSERTs whose rows it places (route kinds insert_ids
// and insert_split: keys from the table's global sequence, sharding/global_sequence.h, written
// into the statement; rows of several shards as one INSERT per shard), and UPDATE/DELETE hinted
// /* weft: shards=all */ (write_shards). Each part runs inside a transaction of its own shard,
// committed only when every part succeeded.
#include <algorithm>
#include <cstdio>

#include "protocol/errors.h"
#include "protocol/frame.h"
#include "routing/replication_sql.h"
#include "session/machine.h"
#include "sharding/global_sequence.h"
#include "sharding/insert_rows.h"
#include "sharding/result_view.h"

namespace weft::session {
namespace {

namespace p = protocol;

p::err_packet sequence_error(const sharding::insert_work& work, const std::string& why) {
  return p::make_error(p::er::shard_unroutable,
                       "weft: INSERT into sharded table " + work.table_name() + " without its key `" +
                           work.table.column + "`: " + why);
}

p::err_packet unwritable_keys(const sharding::insert_work& work) {
  return p::make_error(p::er::shard_unroutable, "weft: INSERT into sharded table " + work.table_name() +
                                                    ": the keys from its sequence could not be written into its rows");
}

// The ERR's text, or what else went wrong, of one lane's answer to a statement that answers OK.
std::optional<std::string> failure_of(const gathered_response& r) {
  if (r.result != outcome::ok) return r.error ? r.error->message : std::string("the connection was lost");
  if (r.bytes.size() > p::frame_header_size && r.bytes[p::frame_header_size] == p::err_header) {
    const auto err = p::decode_err_packet(p::bytes_view(r.bytes).subspan(p::frame_header_size));
    return err ? err->message : std::string("an unreadable error");
  }
  return std::nullopt;
}

std::optional<p::ok_packet> ok_of(const gathered_response& r, std::uint64_t caps) {
  if (r.result != outcome::ok || r.bytes.size() <= p::frame_header_size || r.bytes[p::frame_header_size] != p::ok_header) {
    return std::nullopt;
  }
  auto ok = p::decode_ok_packet(p::bytes_view(r.bytes).subspan(p::frame_header_size), caps | p::cap::protocol_41);
  if (!ok) return std::nullopt;
  return *ok;
}

// "Records: r  Duplicates: d  Warnings: w", summed over the parts as the server would count the
// whole statement (a one-row part reports none: a row that was not simply inserted duplicated).
std::string records_info(const std::vector<p::ok_packet>& parts, std::size_t rows) {
  unsigned long records = 0, duplicates = 0, warnings = 0;
  for (const auto& ok : parts) {
    unsigned long r = 0, d = 0, w = 0;
    if (std::sscanf(ok.info.c_str(), "Records: %lu  Duplicates: %lu  Warnings: %lu", &r, &d, &w) == 3) {
      records += r, duplicates += d;
    } else {
      records += 1, duplicates += ok.affected_rows == 1 ? 0 : 1;
    }
    warnings += ok.warnings;
  }
  if (rows < 2) return {};
  return "Records: " + std::to_string(records) + "  Duplicates: " + std::to_string(duplicates) +
         "  Warnings: " + std::to_string(warnings);
}

// The OK of the whole statement: the parts' counts summed; the insert id the server would report
// for explicit keys (the last row's, from its part).
p::ok_packet split_answer(const std::vector<p::ok_packet>& oks, const std::vector<sharding::insert_part>& parts,
                          std::size_t rows) {
  p::ok_packet answer;
  for (std::size_t i = 0; i < oks.size(); ++i) {
    answer.affected_rows += oks[i].affected_rows;
    answer.warnings = static_cast<std::uint16_t>(answer.warnings + oks[i].warnings);
    if (parts[i].has_last_row) answer.last_insert_id = oks[i].last_insert_id;
  }
  answer.status_flags = p::status::autocommit;  // (no transaction, autocommit on: split_insert checks)
  answer.info = records_info(oks, rows);
  return answer;
}

// The OK of an UPDATE/DELETE run on several shards: counts summed, and UPDATE's "Rows matched: m
// Changed: c  Warnings: w" summed when the parts have it.
p::ok_packet summed_answer(const std::vector<p::ok_packet>& oks) {
  p::ok_packet answer;
  unsigned long matched = 0, changed = 0, warnings = 0;
  bool counted = !oks.empty();
  for (const auto& ok : oks) {
    answer.affected_rows += ok.affected_rows;
    answer.warnings = static_cast<std::uint16_t>(answer.warnings + ok.warnings);
    unsigned long m = 0, c = 0, w = 0;
    counted = counted && std::sscanf(ok.info.c_str(), "Rows matched: %lu  Changed: %lu  Warnings: %lu", &m, &c, &w) == 3;
    matched += m, changed += c, warnings += w;
  }
  if (counted) {
    answer.info = "Rows matched: " + std::to_string(matched) + "  Changed: " + std::to_string(changed) +
                  "  Warnings: " + std::to_string(warnings);
  }
  answer.status_flags = p::status::autocommit;
  return answer;
}

}  // namespace

resumable<machine::step> machine::sharded_insert(query_plan& plan, std::string_view client_sql,
                                                 std::uint32_t payload_length) {
  // What the plan was made from: a rule's rewrite, or the client's text (copied: no view of the
  // client's buffer is kept across the lanes' actions).
  const std::string sql(plan.replacement ? std::string_view(*plan.replacement) : client_sql);
  auto& work = *plan.insert;
  if (work.ids_needed() > 0) {
    if (auto refusal = co_await take_ids(work)) {
      co_await finish_stats(payload_length, static_cast<std::uint8_t>(plan.info.kind));
      co_return co_await skip_command_with_error(*refusal);
    }
  }
  const auto shards = sharding::shards_of_rows(work);
  if (shards.size() != 1) co_return co_await split_insert(work, sql, payload_length);
  // One shard: the statement, its keys written in, goes there as any statement routed by key.
  auto parts = sharding::insert_parts(sql, work, true);
  if (parts.empty()) co_return co_await skip_command_with_error(unwritable_keys(work));
  plan.group = work.map.shards[shards[0]].group;
  plan.replacement = std::move(parts[0].sql);
  plan.insert.reset();
  co_return co_await run_query(plan, sql, payload_length);
}

// `work`'s keys from the worker's block of the table's sequence; a new block from the global
// group when it runs out (the table's shards checked first, once per worker).
resumable<std::optional<p::err_packet>> machine::take_ids(sharding::insert_work& work) {
  auto& blocks = world_.planner().sequences;
  const auto name = work.table_name();
  const auto n = work.ids_needed();
  auto first = blocks.take(name, n);
  if (!first) {
    std::uint64_t floor = 1;
    if (!blocks.probed(name)) {
      if (auto refusal = co_await probe_sequence(work, floor)) co_return refusal;
    }
    const auto size = std::max<std::uint64_t>(sharding::sequence_block_size, n);
    scatter_targets_.assign(1, target{routing::target_role::primary, work.map.global_group});
    outgoing_ = p::encode(p::com_query{sharding::allocation_sql(name, floor, size)});
    const auto all = co_await scatter_gather(scatter_targets_, outgoing_);
    const bool ext = settings_.client_capabilities & p::cap::mariadb_extended_type_info;
    auto got = all.all_ok() ? sharding::read_allocation(all.responses[0].bytes, ext)
                            : sharding::allocation{std::nullopt, failure_of(all.responses[0]).value_or("no answer")};
    if (!got.end || *got.end < size) {
      co_return sequence_error(work, "no keys from its sequence in weft.shard_sequences on group '" +
                                         work.map.global_group + "': " + got.problem);
    }
    blocks.add(name, *got.end, size);
    blocks.mark_probed(name);
    first = blocks.take(name, n);
  }
  std::optional<p::err_packet> refusal;
  const auto problem = first ? sharding::place_generated(work, *first) : std::string("no keys left in its block");
  if (!problem.empty()) refusal = sequence_error(work, problem);
  co_return refusal;
}

// Before a worker's first block for a table: weft.shard_sequences exists, the key is
// AUTO_INCREMENT on every shard, and keys start above the highest any shard holds (`floor`).
resumable<std::optional<p::err_packet>> machine::probe_sequence(const sharding::insert_work& work, std::uint64_t& floor) {
  auto& blocks = world_.planner().sequences;
  scatter_targets_.assign(1, target{routing::target_role::primary, work.map.global_group});
  for (const auto ddl : {sharding::sequence_database_sql, sharding::sequence_table_sql}) {
    if (blocks.store_ready) break;
    outgoing_ = p::encode(p::com_query{std::string(ddl)});
    const auto all = co_await scatter_gather(scatter_targets_, outgoing_);
    if (const auto failed = all.complete ? failure_of(all.responses[0]) : std::string("no answer")) {
      co_return sequence_error(work, "weft.shard_sequences could not be created on group '" + work.map.global_group +
                                         "': " + *failed);
    }
  }
  blocks.store_ready = true;
  scatter_targets_.clear();
  for (const auto& shard : work.map.shards) scatter_targets_.push_back({routing::target_role::primary, shard.group});
  outgoing_ = p::encode(p::com_query{sharding::shard_probe_sql(work.table)});
  const auto all = co_await scatter_gather(scatter_targets_, outgoing_);
  const bool ext = settings_.client_capabilities & p::cap::mariadb_extended_type_info;
  for (std::size_t i = 0; i < work.map.shards.size(); ++i) {
    const auto& group = work.map.shards[i].group;
    auto probe = all.complete && all.responses[i].result == outcome::ok
                     ? sharding::read_shard_probe(all.responses[i].bytes, ext)
                     : sharding::shard_probe{std::nullopt, false, failure_of(all.responses[i]).value_or("no answer")};
    if (!probe.problem.empty()) co_return sequence_error(work, "shard group '" + group + "': " + probe.problem);
    if (!probe.auto_increment) {
      co_return sequence_error(work, "the key is not AUTO_INCREMENT on shard group '" + group +
                                         "', so the statement must write it");
    }
    if (probe.highest && *probe.highest >= 0) floor = std::max<std::uint64_t>(floor, *probe.highest + 1);
  }
  co_return std::nullopt;
}

// Rows of several shards: the parts written in a transaction per shard, then one OK that sums
// them (the insert id as the server would give it), or the error that stopped them.
resumable<machine::step> machine::split_insert(const sharding::insert_work& work, std::string_view sql,
                                               std::uint32_t payload_length) {
  const auto parts = sharding::insert_parts(sql, work, false);
  if (parts.empty()) co_return co_await skip_command_with_error(unwritable_keys(work));
  std::vector<std::string> groups, statements;
  for (const auto& part : parts) groups.push_back(work.map.shards[part.shard].group), statements.push_back(part.sql);
  step ended = step::next;
  const auto oks = co_await write_each_group(groups, statements, "INSERT into sharded table " + work.table_name(), ended);
  if (!oks) co_return ended;
  auto answer = split_answer(*oks, parts, work.row_shards.size());
  if (work.first_id) {
    answer.last_insert_id = *work.first_id;  // the first generated key, as LAST_INSERT_ID() now is
    last_insert_id_ = *work.first_id;
    insert_id_exact_on_ = 0;
  }
  co_return co_await reply_written(answer, payload_length);
}

// UPDATE/DELETE hinted /* weft: shards=all */: the statement on each shard, a transaction each.
resumable<machine::step> machine::write_on_shards(const query_plan& plan, std::string_view sql,
                                                  std::uint32_t payload_length) {
  const std::vector<std::string> statements(plan.write_groups.size(),
                                            plan.replacement ? *plan.replacement : std::string(sql));
  step ended = step::next;
  const auto oks = co_await write_each_group(plan.write_groups, statements, "the write on every shard", ended);
  if (!oks) co_return ended;
  co_return co_await reply_written(summed_answer(*oks), payload_length);
}

// Statements for several groups, each in a transaction of its own, committed only when all
// succeeded. nullopt: the client was answered already (refused, the error, or gone: `ended`).
resumable<std::optional<std::vector<p::ok_packet>>> machine::write_each_group(const std::vector<std::string>& groups,
                                                                            const std::vector<std::string>& statements,
                                                                            std::string what, step& ended) {
  std::optional<std::vector<p::ok_packet>> oks;
  co_await end_insert_id_hold();  // a connection kept only for LAST_INSERT_ID() goes first
  if (holds() || !(last_status_ & p::status::autocommit)) {
    ended = co_await skip_command_with_error(p::make_error(
        p::er::shard_transaction, "weft: " + what + " needs " + std::to_string(groups.size()) +
                                      " shards; weft writes them in a transaction per shard, which cannot join the "
                                      "session's transaction (or autocommit=0): COMMIT first, or one statement per shard"));
    co_return oks;
  }
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});
  ended = step::stop;
  if (skipped.result != outcome::ok) co_return oks;
  scatter_targets_.clear();
  for (const auto& g : groups) scatter_targets_.push_back({routing::target_role::primary, g});
  auto run = co_await write_split_parts(statements);
  if (run.server_error) {
    ended = co_await reply_error(*run.server_error);  // every part rolled back, as one server would
  } else if (run.failed) {
    ended = co_await reply_error(p::make_error(p::er::shard_unroutable, "weft: " + what + " over " +
                                                                             std::to_string(groups.size()) +
                                                                             " shards, nothing acknowledged: " + *run.failed));
  } else {
    oks = std::move(run.oks);
  }
  co_return oks;
}

// The OK of a write weft spread over shards, and its statistics.
resumable<machine::step> machine::reply_written(const p::ok_packet& answer, std::uint32_t payload_length) {
  outgoing_ = p::encode(answer, settings_.client_capabilities);
  const auto& sent = co_await perform({.kind = action_kind::reply, .payload = outgoing_, .sequence_id = 1});
  if (sent.result != outcome::ok) co_return step::stop;
  record_ = statement_record{digest_, new_digest_text_, payload_length + p::frame_header_size, outgoing_.size(),
                             answer.affected_rows, false, false, static_cast<std::uint8_t>(routing::statement_kind::write),
                             started_};
  co_await perform({.kind = action_kind::record_statement, .record = &record_});
  co_return step::next;
}

// BEGIN on a lane per shard (scatter_targets_), each shard's part, then COMMIT on all when every
// part succeeded, else ROLLBACK on all. A COMMIT that fails after another shard's succeeded is
// reported as such: weft runs no two-phase commit.
resumable<split_outcome> machine::write_split_parts(const std::vector<std::string>& statements) {
  std::vector<p::bytes> commands;
  for (const auto& sql : statements) commands.push_back(p::encode(p::com_query{sql}));
  const std::vector<p::bytes_view> payloads(commands.begin(), commands.end());
  split_outcome run;
  const auto first_failure = [&](const gathered_all& all, bool writes) {
    for (std::size_t i = 0; i < all.responses.size() && !run.failed; ++i) {
      if (!all.complete) run.failed = "a shard did not answer";
      const auto& r = all.responses[i];
      if (auto f = failure_of(r)) {
        run.failed = "shard group '" + std::string(scatter_targets_[i].group) + "': " + *f;
        if (!writes || r.result != outcome::ok) continue;
        if (auto err = p::decode_err_packet(p::bytes_view(r.bytes).subspan(p::frame_header_size))) run.server_error = *err;
      }
    }
  };
  outgoing_ = p::encode(p::com_query{"BEGIN"});
  first_failure(co_await scatter_gather(scatter_targets_, outgoing_, {.keep = true}), false);
  gathered_all written;
  if (!run.failed) {
    written = co_await scatter_gather(scatter_targets_, outgoing_, {.payloads = payloads, .keep = true, .reuse = true});
    first_failure(written, true);
  }
  const bool read_gtids = !run.failed && read_your_writes_;  // the lanes stay for one more question
  outgoing_ = p::encode(p::com_query{run.failed ? "ROLLBACK" : "COMMIT"});
  const auto ended = co_await scatter_gather(scatter_targets_, outgoing_, {.keep = read_gtids, .reuse = true});
  if (!run.failed) {
    first_failure(ended, false);
    if (run.failed) *run.failed = "the rows were written on some shards but COMMIT failed on " + *run.failed;
  }
  if (read_gtids) co_await remember_split_gtids(!run.failed);
  for (std::size_t i = 0; !run.failed && i < statements.size(); ++i) {
    if (auto ok = ok_of(written.responses[i], settings_.client_capabilities)) run.oks.push_back(std::move(*ok));
  }
  if (!run.failed && run.oks.size() != statements.size()) run.failed = "a shard's answer to its INSERT could not be read";
  co_return run;
}

// Read-your-writes after a split: each part's GTID, read on its kept lane (which then goes back).
resumable<void> machine::remember_split_gtids(bool committed) {
  std::vector<p::bytes> questions;
  for (const auto& t : scatter_targets_) {
    const auto* primary = world_.topology().primary_of(t.group);
    const auto flavor = primary ? primary->health.flavor : routing::server_flavor::mariadb;
    questions.push_back(p::encode(p::com_query{std::string(routing::written_gtid_query(flavor))}));
  }
  const std::vector<p::bytes_view> payloads(questions.begin(), questions.end());
  const auto all = co_await scatter_gather(scatter_targets_, {}, {.payloads = payloads, .reuse = true});
  const bool ext = settings_.client_capabilities & p::cap::mariadb_extended_type_info;
  for (std::size_t i = 0; committed && i < all.responses.size(); ++i) {
    const auto& r = all.responses[i];
    const auto answer = sharding::read_result(r.bytes, ext);
    const std::string group(scatter_targets_[i].group);
    std::erase_if(split_gtids_, [&](const auto& s) { return s.group == group; });
    if (r.result != outcome::ok || answer.rows.size() != 1 || answer.rows[0].values.empty() || !answer.rows[0].values[0]) {
      continue;  // (unknown: that group's replicas may serve an older read, as before any write)
    }
    split_gtids_.push_back({group, std::string(*answer.rows[0].values[0]), {}});
  }
}

}  // namespace weft::session
