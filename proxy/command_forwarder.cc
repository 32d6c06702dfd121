#include "proxy/command_forwarder.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "proxy/log_text.h"

#include "protocol/frame.h"
#include "proxy/change_user.h"
#include "proxy/backend_query.h"
#include "proxy/packet_io.h"
#include "routing/gtid.h"
#include "routing/replication_sql.h"
#include "routing/session_effects.h"

namespace weft::proxy {
namespace {

namespace p = protocol;

// Commands a proxy cannot pass through.
bool refused(std::uint8_t cmd) {
  switch (static_cast<p::command>(cmd)) {
    case p::command::binlog_dump:  // replication streams are not proxied
    case p::command::binlog_dump_gtid:
    case p::command::register_slave:
    case p::command::table_dump:
    case p::command::connect_out:
    case p::command::connect:
    case p::command::daemon:
    case p::command::delayed_insert:
    case p::command::time:
    case p::command::sleep:
      return true;
    default:
      return false;
  }
}

// COM_STMT_EXECUTE, _SEND_LONG_DATA, _CLOSE, _RESET, _FETCH and MariaDB's _BULK_EXECUTE: they
// name a prepared statement by id.
bool is_statement_command(std::uint8_t cmd) {
  switch (static_cast<p::command>(cmd)) {
    case p::command::stmt_execute:
    case p::command::stmt_send_long_data:
    case p::command::stmt_close:
    case p::command::stmt_reset:
    case p::command::stmt_fetch:
    case p::command::mariadb_stmt_bulk_execute:
      return true;
    default:
      return false;
  }
}

// Statements longer than this are not scanned for session effects: the session is pinned.
constexpr std::size_t max_scanned_statement = 64 * 1024;

}  // namespace

command_forwarder::command_forwarder(stream& client, io_buffer& client_in, session_backend& backend,
                                     std::uint64_t capabilities, forwarder_limits limits, session_auth auth,
                                     forwarder_context context)
    : client_(client),
      client_in_(client_in),
      backend_(backend),
      caps_(capabilities),
      limits_(limits),
      auth_(auth),
      context_(context) {
  update_read_your_writes();
}

// The user's setting wins over the group's.
void command_forwarder::update_read_your_writes() {
  const auto& users = context_.routing.config_now()->users;
  const auto user = users.find(auth_.user);
  if (user != users.end() && user->second.read_your_writes) {
    read_your_writes_ = *user->second.read_your_writes;
  } else {
    read_your_writes_ = backend_.topology().policy_of(backend_.group()).read_your_writes;
  }
}

session_facts command_forwarder::facts() const {
  return {auth_.user, backend_.schema(), context_.client_address, backend_.group()};
}

awaitable<void> command_forwarder::run() {
  // (g++ 12 miscompiles some co_await inside conditions: results go to variables first.)
  for (;;) {
    const step next = co_await forward_one();
    auto& activity = context_.activity;
    activity.command = "Sleep";
    activity.statement.clear();
    activity.since = std::chrono::steady_clock::now();
    if (next == step::stop || state_lost_ || context_.routing.draining) break;
  }
  // A session that ends in the middle of a response (any path) leaves bytes of it on the
  // connection: never pooled again, whatever state the session thought it had.
  if (!tracker_.done() && backend_.held()) backend_.drop();
}

awaitable<bool> command_forwarder::fill_client(std::size_t at_least) {
  while (client_in_.size() < at_least) {
    auto* dst = client_in_.spare(at_least - client_in_.size());
    auto [ec, n] = co_await client_.read_some(asio::buffer(dst, client_in_.spare_size()));
    if (ec) co_return false;
    client_in_.commit(n);
  }
  co_return true;
}

awaitable<command_forwarder::step> command_forwarder::forward_one() {
  const bool have_header = co_await fill_client(p::frame_header_size);
  if (!have_header) co_return step::stop;  // client went away
  const auto header = p::decode_frame_header(client_in_.readable().data());
  if (header.sequence_id != 0) {
    co_await fail_client(p::make_error(p::er::net_packets_out_of_order, "Got packets out of order"), 1);
    co_return step::stop;
  }
  if (header.payload_length == 0) {
    co_await fail_client(p::make_error(p::er::unknown_com, "Malformed packet: empty command"), 1);
    co_return step::stop;
  }
  if (header.payload_length > limits_.max_allowed_packet) {
    co_await fail_client(p::make_error(p::er::net_packet_too_large,
                                       "Got a packet bigger than 'max_allowed_packet' bytes"), 1);
    co_return step::stop;
  }
  // Small single-frame commands are read whole, so their text can be looked at.
  const bool whole = header.payload_length < p::max_frame_payload && header.payload_length <= max_scanned_statement;
  const bool have_command = co_await fill_client(p::frame_header_size + (whole ? header.payload_length : 1));
  if (!have_command) co_return step::stop;
  const std::uint8_t cmd = client_in_.readable()[p::frame_header_size];
  ++commands_;
  pinned_before_command_ = backend_.pinned();
  context_.activity.command = p::command_name(cmd);
  context_.activity.since = std::chrono::steady_clock::now();
  switch (static_cast<p::command>(cmd)) {
    case p::command::quit:
      co_return step::stop;  // the backend connection stays open for the next session
    case p::command::change_user: {
      const step after = co_await change_user();
      co_return after;
    }
    case p::command::ping:
      if (!backend_.held()) {
        const step after = co_await answer_ping_locally();
        co_return after;
      }
      break;
    default:
      if (refused(cmd)) {
        const step after = co_await refuse_command(cmd);
        co_return after;
      }
  }
  if (cmd == static_cast<std::uint8_t>(p::command::stmt_prepare)) {
    const step after = co_await forward_prepare(header.payload_length);
    co_return after;
  }
  if (is_statement_command(cmd)) {
    const step after = co_await forward_statement_command(cmd, header.payload_length);
    co_return after;
  }
  if (cmd == static_cast<std::uint8_t>(p::command::query) && whole) {
    const step after = co_await forward_query(header.payload_length);
    co_return after;
  }
  note_effects(cmd, header.payload_length);
  auto error = co_await backend_.acquire();
  if (error) {
    const step after = co_await skip_command_with_error(*error);
    co_return after;
  }
  tracker_.start(cmd, backend_.current().link.capabilities);
  const step sent = co_await send_command_to_backend();
  if (sent == step::stop) co_return step::stop;
  if (!p::command_has_response(cmd)) co_return step::next;  // e.g. COM_STMT_CLOSE
  const step relayed = co_await relay_response();
  if (relayed == step::stop) co_return step::stop;
  co_await finish_response(cmd);
  co_return step::next;
}

// A COM_QUERY read whole: planned (rules, split), sent to the planned server, measured.
awaitable<command_forwarder::step> command_forwarder::forward_query(std::uint32_t payload_length) {
  const auto sql = p::as_chars(client_in_.readable().subspan(p::frame_header_size + 1, payload_length - 1));
  context_.activity.statement.assign(sql.substr(0, 256));
  const auto& config = context_.routing.config_now();
  auto plan = plan_query(sql, facts(), backend_.topology(), config->rules, context_.routing);
  begin_stats(plan.info.digest, sql);
  relayed_bytes_ = 0;
  static_assert(static_cast<int>(command_kind::use) == static_cast<int>(routing::statement_kind::use));
  const auto kind = static_cast<command_kind>(plan.info.kind);  // the first five kinds match
  if (plan.refusal) {
    finish_stats(payload_length, kind);
    const step after = co_await skip_command_with_error(*plan.refusal);
    co_return after;
  }
  const bool reads_insert_id = plan.reads_insert_id;
  if (plan.pins && plan.pin_reason != routing::last_insert_id_reason) backend_.pin(plan.pin_reason);
  if (plan.info.transaction == routing::transaction_action::xa) backend_.close_at_end();
  pending_set_.clear();
  if (plan.replayable_set) pending_set_ = plan.replacement ? *plan.replacement : std::string(sql);
  pending_use_ = plan.use_schema.has_value();
  if (pending_use_) pending_schema_ = *plan.use_schema;
  auto error = co_await acquire_for({plan.role, plan.group});
  if (error) {
    const step after = co_await skip_command_with_error(*error);
    co_return after;
  }
  if (reads_insert_id) {
    auto restore_error = co_await restore_insert_id();
    if (restore_error) {
      const step after = co_await skip_command_with_error(*restore_error);
      co_return after;
    }
  }
  const bool wrote = backend_.role() == routing::target_role::primary &&
                     (plan.info.kind == routing::statement_kind::write || plan.info.side_effects);
  retryable_ = backend_.role() == routing::target_role::replica && plan.info.replica_safe() && !backend_.pinned();
  if (retryable_) resend_.assign(plan.replacement ? *plan.replacement : std::string_view(sql));
  tracker_.start(static_cast<std::uint8_t>(p::command::query), backend_.current().link.capabilities);
  step sent = step::next;
  if (plan.replacement) {
    // Rewritten by a rule: the client's packet is dropped, weft's version goes instead.
    const bool skipped = co_await skip_command();
    if (!skipped) co_return step::stop;
    sent = co_await send_text_query(*plan.replacement);
  } else {
    sent = co_await send_command_to_backend();
  }
  if (sent == step::stop) co_return step::stop;
  step relayed = sent;
  if (relayed == step::next) relayed = co_await relay_response();
  if (relayed == step::retry) relayed = co_await retry_read(plan.group);
  retryable_ = false;
  if (relayed != step::next) co_return relayed;
  co_await remember_written_gtid(wrote);
  finish_stats(payload_length, kind);
  co_await finish_response(static_cast<std::uint8_t>(p::command::query), reads_insert_id && plan.sets_insert_id,
                           plan.info.kind == routing::statement_kind::write);
  co_return step::next;
}

awaitable<command_forwarder::step> command_forwarder::send_text_query(const std::string& text) {
  auto& connection = *backend_.current().link.connection;
  connection.start_command();
  const auto command = p::encode(p::com_query{text});
  const auto werr = co_await write_packet(connection, command, 0);
  if (werr) {
    const step after = co_await backend_failed(werr, false);
    co_return after;
  }
  co_return step::next;
}

awaitable<command_forwarder::step> command_forwarder::retry_read(const std::string& group) {
  retryable_ = false;  // once
  spdlog::info("event=read_retried failed_backend={}", backend_.name());
  auto error = co_await acquire_for({routing::target_role::replica, group});
  if (error) {
    co_await fail_client(*error, 1);
    co_return step::next;
  }
  tracker_.start(static_cast<std::uint8_t>(p::command::query), backend_.current().link.capabilities);
  const step sent = co_await send_text_query(resend_);
  if (sent != step::next) co_return sent;
  const step relayed = co_await relay_response();
  co_return relayed;
}

awaitable<std::optional<p::err_packet>> command_forwarder::acquire_for(route_request request) {
  if (backend_.holding()) co_await end_insert_id_hold(request);
  auto error = co_await backend_.acquire(request);
  if (error && error->error_code == p::er::backend_unreachable.code && request.role == routing::target_role::replica &&
      !backend_.held()) {
    // A replica that died since the monitor's last check: the read goes to the primary rather
    // than failing (the monitor shuns the replica after its next checks).
    spdlog::info("event=replica_unreachable replica={} fallback=primary", backend_.name());
    request.role = routing::target_role::primary;
    error = co_await backend_.acquire(request);
  }
  if (error || !read_your_writes_ || last_gtid_.empty() || backend_.role() != routing::target_role::replica) {
    co_return error;
  }
  if (gtid_seen_on_ == backend_.name()) co_return std::nullopt;
  if (routing::position_covers(backend_.server()->health.gtid_current_pos, last_gtid_)) {
    gtid_seen_on_ = backend_.name();  // the monitor already saw it applied there
    co_return std::nullopt;
  }
  const auto& policy = backend_.topology().policy_of(request.group.empty() ? std::string_view(backend_.group()) : request.group);
  const auto wait = routing::gtid_wait_query(backend_.server()->health.flavor, last_gtid_, policy.read_your_writes_timeout);
  const auto answer = co_await run_on_backend(backend_.current(), wait);
  if (!answer.broken && !answer.error && routing::gtid_wait_succeeded(answer.value)) {
    gtid_seen_on_ = backend_.name();
    co_return std::nullopt;
  }
  spdlog::debug("event=read_your_writes_fallback replica={} gtid={} outcome={}", backend_.name(), last_gtid_,
                answer.broken ? "broken" : answer.error ? answer.error->message : answer.value.value_or("NULL"));
  if (answer.broken) {
    backend_.drop();
  } else {
    backend_.release_unused();
  }
  request.role = routing::target_role::primary;  // never an older read than the session's write
  auto primary_error = co_await backend_.acquire(request);
  co_return primary_error;
}

awaitable<void> command_forwarder::remember_written_gtid(bool wrote) {
  if (!read_your_writes_) co_return;
  wrote_since_gtid_ = wrote_since_gtid_ || wrote;
  const auto status = tracker_.has_status() ? tracker_.status_flags() : last_status_;
  if (!wrote_since_gtid_ || (status & p::status::in_trans) || !backend_.held() || !tracker_.done()) co_return;
  // Only the server knows the GTID it gave the write; read it before the connection goes back.
  const auto flavor = backend_.server()->health.flavor;
  const std::string query(routing::written_gtid_query(flavor));
  const auto answer = co_await run_on_backend(backend_.current(), query);
  if (answer.broken) {
    backend_.drop();
    co_return;
  }
  wrote_since_gtid_ = false;
  if (answer.value && routing::valid_gtid_text(flavor, *answer.value) && *answer.value != last_gtid_) {
    last_gtid_ = *answer.value;
    gtid_seen_on_.clear();
  }
}

void command_forwarder::begin_stats(std::uint64_t digest, std::string_view sql) {
  started_ = std::chrono::steady_clock::now();
  digest_ = digest;
  new_digest_text_.clear();
  if (!context_.routing.stats.knows(digest)) new_digest_text_ = digest_text_for_stats(sql, context_.routing);
}

void command_forwarder::finish_stats(std::uint64_t payload_bytes, command_kind kind) {
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_);
  const bool failed = tracker_.failed() || !backend_.held();
  auto& stats = context_.routing.stats;
  stats.record_statement(digest_, new_digest_text_, backend_.schema(), took, tracker_.rows(), failed, backend_.name());
  stats.record_server(backend_.name(), payload_bytes + p::frame_header_size, relayed_bytes_, failed);
  stats.record_command(kind, backend_.held() && backend_.role() == routing::target_role::replica, took, failed);
}

// What a command does to the session's hold on its backend, decided before it runs.
void command_forwarder::note_effects(std::uint8_t cmd, std::uint32_t payload_length) {
  pending_set_.clear();
  const auto body = client_in_.readable().subspan(p::frame_header_size + 1);
  const bool whole = body.size() >= payload_length - 1;
  switch (static_cast<p::command>(cmd)) {
    case p::command::query:  // a whole one goes through forward_query()
      return backend_.pin("statement too long to inspect");
    case p::command::init_db:
      if (!whole) return backend_.pin("COM_INIT_DB too long to inspect");
      pending_schema_ = p::as_chars(body.first(payload_length - 1));
      return;
    case p::command::reset_connection:
    case p::command::ping:
    case p::command::statistics:
    case p::command::field_list:
    case p::command::stmt_execute:
    case p::command::stmt_fetch:
    case p::command::stmt_reset:
    case p::command::stmt_close:
    case p::command::stmt_send_long_data:
      return;
    default:
      return backend_.pin(p::command_name(cmd));
  }
}

// What the response tells: the transaction state, warnings to keep readable, a new schema.
void command_forwarder::apply_response_effects(std::uint8_t cmd) {
  const bool ok = !tracker_.failed();
  const bool schema_command = cmd == static_cast<std::uint8_t>(p::command::init_db) ||
                              (cmd == static_cast<std::uint8_t>(p::command::query) && pending_use_);
  if (ok && schema_command) backend_.schema_changed(pending_schema_);
  pending_use_ = false;
  if (ok && !pending_set_.empty()) backend_.session_variables_set(std::move(pending_set_));
  pending_set_.clear();
  if (ok && cmd == static_cast<std::uint8_t>(p::command::reset_connection)) {
    backend_.reset_state();
    forget_statements();  // the server closed them all
    forget_insert_id();
  }
  if (!tracker_.done()) backend_.pin("unfinished response");
  if (tracker_.failed() && p::server_closes_after(tracker_.error_code())) {
    // The server closes this connection after such an error: the client saw it; a session whose
    // state lived there ends as a direct connection would, the others go on elsewhere.
    // (A pin this very command took does not count: it failed, so its state never existed.)
    state_lost_ = pinned_before_command_ || (last_status_ & p::status::in_trans);
    backend_.drop();
    return;
  }
  if (tracker_.has_status()) last_status_ = tracker_.status_flags();
  backend_.after_response(last_status_, tracker_.warnings(), tracker_.failed(), tracker_.result_sets() == 0);
}

// Streams the client's command (one logical packet, any number of frames) to the backend.
awaitable<command_forwarder::step> command_forwarder::send_command_to_backend() {
  auto& backend = *backend_.current().link.connection;
  backend.start_command();
  p::packet_boundary boundary;
  for (;;) {
    const auto n = boundary.feed(client_in_.readable());
    if (boundary.payload_total() > limits_.max_allowed_packet) {
      // A local, not a temporary: g++ 12 destroys temporaries of a co_await in a loop twice.
      const auto too_large = p::make_error(p::er::net_packet_too_large,
                                           "Got a packet bigger than 'max_allowed_packet' bytes");
      co_await fail_client(too_large, 1);
      co_return step::stop;
    }
    if (n > 0) {
      const auto ec = co_await backend.write_all(asio::buffer(client_in_.readable().data(), n));
      client_in_.consume(n);
      if (ec) {
        // The rest of a multi-frame command would be read as new commands: end the session.
        const step after = co_await backend_failed(ec, false);
        co_return boundary.complete() ? after : step::stop;
      }
    }
    if (boundary.complete()) co_return step::next;
    const bool more = co_await fill_client(1);
    if (!more) co_return step::stop;
  }
}

awaitable<command_forwarder::step> command_forwarder::relay_response() {
  auto& backend = *backend_.current().link.connection;
  auto& in = backend_.current().in;
  bool sent_any = false;
  for (;;) {
    if (in.empty()) {
      auto* dst = in.spare(16 * 1024);
      context_.activity.awaiting_backend = true;
      auto [ec, n] = co_await backend.read_some(asio::buffer(dst, in.spare_size()));
      context_.activity.awaiting_backend = false;
      ++context_.activity.backend_reads;
      if (ec) {
        const step after = co_await backend_failed(ec, sent_any);
        co_return after;
      }
      in.commit(n);
    }
    const auto n = tracker_.feed(in.readable());
    relayed_bytes_ += n;
    const auto ec = co_await client_.write_all(asio::buffer(in.readable().data(), n));
    if (ec) {
      // The rest of the response is still on its way: this connection can never be reused.
      backend_.drop();
      co_return step::stop;
    }
    sent_any = true;
    in.consume(n);
    if (tracker_.done()) {
      if (!in.empty()) {
        spdlog::warn("event=backend_extra_bytes backend={} bytes={}", backend_.name(), in.size());
        backend_.drop();
        co_return step::stop;
      }
      co_return step::next;
    }
    if (tracker_.wants_local_infile()) {
      // The file always comes from the client, never from weft's host: relay its packets.
      const step sent = co_await forward_local_infile();
      if (sent == step::stop) co_return step::stop;
      tracker_.resume_after_local_infile();
    }
  }
}

// A backend connection broke during a command. The client gets an error if it has not seen
// part of the response; a session whose state lived on that connection cannot go on.
awaitable<command_forwarder::step> command_forwarder::backend_failed(const error_code& ec, bool response_started) {
  const bool had_state = backend_.pinned() || (tracker_.status_flags() & p::status::in_trans);
  const auto name = backend_.name();
  backend_.drop();
  const std::string aborted = std::exchange(context_.activity.abort_reason, {});
  if (!response_started && retryable_ && aborted.empty()) co_return step::retry;
  if (response_started) co_return step::stop;
  const auto error = aborted.empty()
                         ? p::make_error(p::er::backend_lost, "weft: lost connection to backend " + name + ": " + ec.message())
                         : p::make_error(p::er::backend_timeout, "weft: backend " + name + " " + aborted +
                                                                     "; the statement may or may not have run there");
  co_await fail_client(error, 1);
  co_return had_state ? step::stop : step::next;
}

// LOAD DATA LOCAL INFILE: the client sends the file as packets, then an empty packet.
awaitable<command_forwarder::step> command_forwarder::forward_local_infile() {
  auto& backend = *backend_.current().link.connection;
  for (;;) {
    const bool more = co_await fill_client(1);
    if (!more) co_return step::stop;
    p::packet_boundary boundary;
    for (;;) {
      const auto n = boundary.feed(client_in_.readable());
      const auto ec = co_await backend.write_all(asio::buffer(client_in_.readable().data(), n));
      if (ec) co_return step::stop;
      client_in_.consume(n);
      if (boundary.complete()) break;
      const bool rest = co_await fill_client(1);
      if (!rest) co_return step::stop;
    }
    if (boundary.payload_total() == 0) co_return step::next;
  }
}

awaitable<command_forwarder::step> command_forwarder::change_user() {
  error_code ec;
  auto request = co_await read_packet(client_, client_in_, limits_.max_allowed_packet, ec);
  if (!request) co_return step::stop;
  auto error = co_await backend_.acquire();
  if (error) {
    co_await fail_client(*error, 1);
    co_return step::next;
  }
  auto& held = backend_.current();
  change_user_parts parts{client_, client_in_, *held.link.connection, held.in, auth_.client, *held.link.login};
  const auto outcome = co_await run_change_user(parts, std::move(request->payload));
  if (outcome == change_user_outcome::broken) {
    backend_.drop();
    co_return step::stop;
  }
  if (outcome == change_user_outcome::changed) {
    const auto& now = auth_.client.client();
    spdlog::info("event=change_user from={} to={}", quoted{auth_.user}, quoted{now.username});
    auth_.user = now.username;
    p::backend_login login;
    login.user = now.username;
    if (!auth_.client.empty_password()) login.stage1 = auth_.client.stage1();
    login.database = now.database;
    login.capabilities = caps_ & ~p::cap::connect_with_db;
    login.charset = now.charset;
    login.attributes = now.attributes;
    backend_.user_changed(std::move(login));
    backend_.reset_state();  // a changed user starts from a fresh session
    forget_statements();
    forget_insert_id();
    update_read_your_writes();
    last_gtid_.clear();
    gtid_seen_on_.clear();
  }
  backend_.after_response(p::status::autocommit, 0, outcome != change_user_outcome::changed);
  co_return step::next;
}

awaitable<command_forwarder::step> command_forwarder::answer_ping_locally() {
  const bool skipped = co_await skip_command();  // the whole packet, even with stray bytes
  if (!skipped) co_return step::stop;
  p::ok_packet ok;
  ok.status_flags = p::status::autocommit;
  const auto ec = co_await write_packet(client_, p::encode(ok, caps_), 1);
  co_return ec ? step::stop : step::next;
}

// Drops the command's bytes, then answers with an error; the session goes on.
awaitable<command_forwarder::step> command_forwarder::skip_command_with_error(const p::err_packet& err) {
  const bool skipped = co_await skip_command();
  if (!skipped) co_return step::stop;
  const auto write_failed = co_await write_error(client_, err, 1);
  co_return write_failed ? step::stop : step::next;
}

// Drops the current command's bytes (all its frames).
awaitable<bool> command_forwarder::skip_command() {
  p::packet_boundary boundary;
  for (;;) {
    client_in_.consume(boundary.feed(client_in_.readable()));
    if (boundary.complete()) co_return true;
    const bool more = co_await fill_client(1);
    if (!more) co_return false;
  }
}

awaitable<command_forwarder::step> command_forwarder::refuse_command(std::uint8_t cmd) {
  const step after = co_await skip_command_with_error(
      p::make_error(p::er::not_supported_yet,
                    "This version of weft doesn't yet support '" + std::string(p::command_name(cmd)) + "'"));
  co_return after;
}

awaitable<void> command_forwarder::fail_client(const p::err_packet& err, std::uint8_t sequence_id) {
  spdlog::debug("event=session_error code={} message={}", err.error_code, quoted{err.message});
  co_await write_error(client_, err, sequence_id);
}

}  // namespace weft::proxy
