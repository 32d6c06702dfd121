// Sharding in the session: a read across shards (the statement to one lane per shard group at
// once, their whole answers merged in sharding/ into the answer one server would give), the shard
// of a prepared statement's execute, and EXPLAIN ROUTE answered on the proxy port.
#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/frame.h"
#include "protocol/result_set.h"
#include "protocol/statement_params.h"
#include "routing/rw_split.h"
#include "routing/sql_lexer.h"
#include "session/machine.h"
#include "sharding/bound_statement.h"
#include "sharding/result_binary.h"
#include "sharding/result_merge.h"
#include "sharding/route_explain.h"
#include "sharding/statement_route.h"
#include "sharding/stream_merge.h"

namespace weft::session {
namespace {

namespace p = protocol;

// Rows a read across shards may gather before it is refused (the lanes also bound their bytes).
constexpr std::size_t max_scatter_rows = 1000000;

}  // namespace

std::optional<std::string_view> explained_statement(std::string_view sql) {
  const auto start = sql.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || (sql[start] != 'E' && sql[start] != 'e' && sql[start] != '/')) {
    return std::nullopt;  // (every statement passes here: most leave at once)
  }
  routing::sql_lexer lexer(sql);
  const auto first = lexer.next(), second = lexer.next();
  if (first.type != routing::token_type::word || !routing::iequals_upper(first.text, "EXPLAIN") ||
      second.type != routing::token_type::word || !routing::iequals_upper(second.text, "ROUTE")) {
    return std::nullopt;
  }
  auto rest = sql.substr(lexer.position());
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t' || rest.front() == '\n')) rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ';' || rest.back() == ' ' || rest.back() == '\n')) rest.remove_suffix(1);
  return rest;
}

bool mentions_select_limit(std::string_view sql) {
  constexpr std::string_view name = "SQL_SELECT_LIMIT";
  for (std::size_t i = 0; i + name.size() <= sql.size(); ++i) {
    if (routing::iequals_upper(sql.substr(i, name.size()), name)) return true;
  }
  return false;
}

resumable<machine::step> machine::scatter_read(const query_plan& plan, std::uint32_t payload_length, bool binary) {
  co_await end_insert_id_hold();  // a connection kept only for LAST_INSERT_ID() goes first
  if (holds()) {
    // A transaction (or session state) lives on one connection: a read across shards cannot join it.
    const auto refusal = p::make_error(p::er::shard_transaction,
                                       "weft: a read across shards cannot run inside a transaction or a session "
                                       "pinned to one connection (it would not see the transaction's writes)");
    co_return co_await skip_command_with_error(refusal);
  }
  if (select_limit_set_ || mentions_select_limit(plan.scatter->sql)) {
    // Each shard would apply the limit to its own rows, and the merged answer would hold more.
    const auto refusal = p::make_error(p::er::shard_unroutable,
                                       "weft: a read across shards cannot honour sql_select_limit (set in this session "
                                       "or the statement): use LIMIT");
    co_return co_await skip_command_with_error(refusal);
  }
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});
  if (skipped.result != outcome::ok) co_return step::stop;
  // A session that wrote reads from the primaries (the lanes do not wait for its writes on replicas).
  const bool wrote = read_your_writes_ && (!last_gtid_.empty() || !split_gtids_.empty());
  scatter_targets_.clear();
  for (const auto& group : plan.scatter_groups) {
    const auto role = wrote ? routing::target_role::primary
                            : routing::role_for(plan.info, false, world_.topology().policy_of(group));
    scatter_targets_.push_back({role, group});
  }
  outgoing_ = p::encode(p::com_query{plan.scatter->sql});
  if (!binary && sharding::streams(*plan.scatter)) co_return co_await stream_scatter(plan, payload_length, !wrote);
  const auto all = co_await scatter_gather(scatter_targets_, outgoing_);
  std::vector<p::bytes_view> answers;
  for (std::size_t i = 0; i < all.responses.size(); ++i) {
    const auto& r = all.responses[i];
    if (!all.complete || r.result != outcome::ok) {
      const auto error = r.error ? *r.error
                                 : p::make_error(p::er::backend_lost, "weft: shard group '" + plan.scatter_groups[i] +
                                                                          "' did not answer the read across shards");
      co_return co_await reply_error(error);
    }
    answers.push_back(r.bytes);
  }
  auto merged = sharding::merge_results(answers, *plan.scatter, max_scatter_rows,
                                        settings_.client_capabilities & p::cap::mariadb_extended_type_info);
  if (binary && merged.refusal.empty()) {
    auto rebuilt = sharding::binary_result(merged.frames, settings_.client_capabilities & p::cap::mariadb_extended_type_info);
    merged.refusal = std::move(rebuilt.refusal);
    merged.frames = std::move(rebuilt.frames);
  }
  if (!merged.refusal.empty()) co_return co_await reply_error(p::make_error(p::er::shard_unroutable, "weft: " + merged.refusal));
  outgoing_ = std::move(merged.frames);
  relayed_bytes_ = outgoing_.size();
  const auto& sent = co_await perform({.kind = action_kind::reply_frames, .payload = outgoing_});
  if (sent.result != outcome::ok) co_return step::stop;
  record_ = statement_record{digest_, new_digest_text_, payload_length + p::frame_header_size, relayed_bytes_,
                             merged.rows, false, !wrote, static_cast<std::uint8_t>(plan.info.kind), started_};
  co_await perform({.kind = action_kind::record_statement, .record = &record_});
  co_return step::next;
}

namespace {

// The bound values of one execute, as text (every value unknown when they cannot be read).
std::vector<sharding::bound_value> bound_values(p::bytes_view payload, const client_statement& statement) {
  std::vector<sharding::bound_value> values(statement.params);
  const auto execute = p::decode_stmt_execute(payload, statement.params);
  if (!execute) return values;
  const auto types = execute->types_bound() ? execute->param_types.view : p::bytes_view(statement.param_types);
  auto texts = p::parameter_texts(*execute, types);
  for (std::size_t i = 0; texts && i < texts->size() && i < values.size(); ++i) {
    values[i] = {std::move((*texts)[i].text), (*texts)[i].number, (*texts)[i].null};
  }
  return values;
}

}  // namespace

// EXPLAIN ROUTE <statement> on the proxy port: answered by weft, as the admin port answers it,
// for this session's database; nothing is sent to a server.
resumable<machine::step> machine::explain_route(std::string_view statement) {
  const std::string text(statement);  // (the client's bytes go with skip_command)
  sharding::key_folding folding(&world_.planner().collations, key_charset_);
  auto explained = sharding::explain_route(text, who_.schema, world_.shards(), &folding);
  if (folding.wanted) {  // explained as the statement would run: its key's collation learned first
    co_await learn_key_collation(sharding::sharded_table(*folding.wanted));
    folding = sharding::key_folding(&world_.planner().collations, key_charset_, false);
    explained = sharding::explain_route(text, who_.schema, world_.shards(), &folding);
  }
  const auto rows = sharding::explanation_rows(explained, text);
  const auto& skipped = co_await perform({.kind = action_kind::skip_command});
  if (skipped.result != outcome::ok) co_return step::stop;
  std::vector<p::column_definition> columns;
  for (const char* name : sharding::explain_columns) columns.push_back(p::text_column(name));
  outgoing_ = p::encode_text_result(columns, rows, settings_.client_capabilities, last_status_);
  const auto& sent = co_await perform({.kind = action_kind::reply_frames, .payload = outgoing_});
  co_return sent.result == outcome::ok ? step::next : step::stop;
}

// The route of an execute by its bound values and the shape read at PREPARE (what only the
// tokens tell was settled there too); a key beyond ASCII has its column's collation learned first.
resumable<sharding::shard_route> machine::route_execute(const client_statement& statement,
                                                       sharding::parameter_values values) {
  sharding::key_folding folding(&world_.planner().collations, key_charset_);
  auto route = sharding::route_statement(
      {*statement.shard_shape, who_.schema, statement.shard_hint, values, nullptr, &folding}, world_.shards());
  if (folding.wanted) {
    co_await learn_key_collation(sharding::sharded_table(*folding.wanted));
    folding = sharding::key_folding(&world_.planner().collations, key_charset_, false);
    route = sharding::route_statement(
        {*statement.shard_shape, who_.schema, statement.shard_hint, values, nullptr, &folding}, world_.shards());
  }
  co_return route;
}

// The statement with one execute's values written in, as the server would read them; nullopt
// and why when they cannot be (unreadable values, bytes beyond ASCII in a character set weft
// does not know to quote in).
std::optional<std::string> machine::execute_text(p::bytes_view payload, const client_statement& statement,
                                                 std::string& why) const {
  const auto execute = p::decode_stmt_execute(payload, statement.params);
  const auto types = execute && execute->types_bound() ? execute->param_types.view : p::bytes_view(statement.param_types);
  const auto literals = execute ? p::parameter_literals(*execute, types, last_status_ & p::status::no_backslash_escapes)
                                : std::nullopt;
  if (!literals) {
    why = "its bound values could not be read";
    return std::nullopt;
  }
  for (const auto& literal : *literals) {
    const bool ascii = std::all_of(literal.begin(), literal.end(), [](char c) { return (c & 0x80) == 0; });
    if (!ascii && key_charset_.empty()) {
      why = "a value beyond ASCII cannot be written into its text in the connection's character set";
      return std::nullopt;
    }
  }
  auto text = sharding::with_parameters(statement.sql, *literals);
  if (!text) why = "its placeholders are not its bound values";
  return text;
}

// An execute that needs several shards or keys from the global sequence, run as its text with
// the values written in: merged reads answered in the binary protocol, writes with their OK (the
// same in both). Rules applied at PREPARE are not applied again to the values.
resumable<machine::step> machine::execute_as_text(const std::string& sql, std::uint32_t payload_length,
                                                  bool opens_cursor) {
  static const std::vector<routing::query_rule> no_rules;
  auto plan = plan_query(sql, facts(), world_.topology(), no_rules, world_.shards(), world_.planner());
  if (plan.collation_wanted) plan = co_await plan_with_collation(sql, *plan.collation_wanted);
  std::optional<p::err_packet> refusal = plan.refusal;
  if (!refusal && opens_cursor && plan.scatter) {
    refusal = p::make_error(p::er::shard_unroutable, "weft: a cursor over a read across shards is not offered: execute "
                                                     "it without one (the rows are merged whole)");
  }
  const bool runs_here = plan.insert || !plan.write_groups.empty() || plan.scatter;
  if (!refusal && !runs_here) {
    refusal = p::make_error(p::er::shard_unroutable, "weft: with its values written in, this execute routes otherwise "
                                                     "than bound: bind the values as text or use the text protocol");
  }
  if (refusal) {
    co_await finish_stats(payload_length, execute_kind);
    co_return co_await skip_command_with_error(*refusal);
  }
  if (plan.insert) co_return co_await sharded_insert(plan, sql, payload_length);
  if (!plan.write_groups.empty()) co_return co_await write_on_shards(plan, sql, payload_length);
  co_return co_await scatter_read(plan, payload_length, true);
}

// Where an execute of a statement on sharded tables runs: the shard its bound values name; or,
// in `as_text`, the statement with its values written in when it needs several shards or keys
// from the global sequence; or a refusal.
resumable<std::optional<p::err_packet>> machine::execute_target(p::command command, std::uint32_t payload_length,
                                                               client_statement& statement, std::string& group,
                                                               std::string& as_text) {
  std::optional<p::err_packet> refusal;
  const auto refuse = [&](std::string why) { refusal = p::make_error(p::er::shard_unroutable, "weft: " + why); };
  if (command != p::command::stmt_execute) {
    refuse("only COM_STMT_EXECUTE runs a prepared statement on sharded tables (not bulk execution)");
    co_return refusal;
  }
  if (statement.long_data || payload_length >= p::max_frame_payload) {
    refuse("a prepared statement on sharded tables cannot take long data (COM_STMT_SEND_LONG_DATA) or 16 MiB");
    co_return refusal;
  }
  const auto& whole = co_await perform({.kind = action_kind::read_client, .bytes = p::frame_header_size + payload_length});
  if (whole.result != outcome::ok) co_return refusal;  // the client is gone: the next action says so
  if (!statement.shard_refusal.empty() || !statement.shard_shape) {
    refuse(statement.shard_refusal.empty() ? "the statement was prepared before its table was sharded: prepare it again"
                                           : statement.shard_refusal);
    co_return refusal;
  }
  // (A view of the client's buffer: the backend actions below leave it as it is.)
  const auto payload = whole.client.subspan(p::frame_header_size);
  const auto values = bound_values(payload, statement);
  const auto route = co_await route_execute(statement, values);
  if (route.kind == sharding::route_kind::refused) {
    refuse(route.reason);
  } else if (route.kind != sharding::route_kind::shards || !route.single()) {
    // Several shards or keys from a sequence: the text protocol's machinery runs it.
    std::string why;
    if (auto text = execute_text(payload, statement, why)) {
      as_text = std::move(*text);
    } else {
      refuse("this execute needs several shards or keys from the global sequence, and " + why);
    }
  } else {
    group = std::string(route.group());
    if (holding_) co_await end_insert_id_hold(target{routing::target_role::primary, group});
    if (holds() && held_.info && held_.info->group != group && !group.empty()) {
      query_plan plan;
      plan.group = group;
      refusal = co_await move_fresh_transaction(plan);
    }
  }
  co_return refusal;
}

}  // namespace weft::session
