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
#include "sharding/result_merge.h"
#include "sharding/route_explain.h"
#include "sharding/statement_route.h"

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

resumable<machine::step> machine::scatter_read(const query_plan& plan, std::uint32_t payload_length) {
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
    values[i] = {std::move((*texts)[i].text), (*texts)[i].number};
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

// Where an execute of a statement on sharded tables runs: the shard its bound values name (a
// refusal when they name none or several, or when the statement cannot be routed).
resumable<std::optional<p::err_packet>> machine::execute_target(p::command command, std::uint32_t payload_length,
                                                               client_statement& statement, std::string& group) {
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
  const auto values = bound_values(whole.client.subspan(p::frame_header_size), statement);
  // The shape read at PREPARE; what only the tokens tell was settled there too.
  sharding::key_folding folding(&world_.planner().collations, key_charset_);
  const auto route_now = [&] {
    return sharding::route_statement({*statement.shard_shape, who_.schema, statement.shard_hint, values, nullptr, &folding},
                                     world_.shards());
  };
  auto route = route_now();
  if (folding.wanted) {
    co_await learn_key_collation(sharding::sharded_table(*folding.wanted));
    folding = sharding::key_folding(&world_.planner().collations, key_charset_, false);
    route = route_now();
  }
  if (route.kind == sharding::route_kind::refused) {
    refuse(route.reason);
  } else if (route.kind == sharding::route_kind::insert_ids || route.kind == sharding::route_kind::insert_split ||
             route.kind == sharding::route_kind::write_shards) {
    refuse("a prepared write that takes keys from the global sequence or needs several shards is not run: bind "
           "keys of one shard, or use the text protocol");
  } else if (route.kind == sharding::route_kind::shards && !route.single()) {
    refuse("this execute needs " + std::to_string(route.shards.size()) + " shards of map '" + route.map->name +
           "'; prepared reads across shards are not merged yet (use the text protocol, or bind a shard key)");
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
