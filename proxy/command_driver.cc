#include "proxy/command_driver.h"

#include <spdlog/spdlog.h>

#include "protocol/frame.h"
#include "proxy/backend_query.h"
#include "proxy/change_user.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
using session::action_kind;
using session::event;
using session::outcome;

event failed(outcome why) { return {.result = why}; }

}  // namespace

command_driver::command_driver(stream& client, io_buffer& client_in, session_backend& backend,
                               std::uint64_t capabilities, session_auth auth, driver_context context)
    : client_(client),
      client_in_(client_in),
      backend_(backend),
      caps_(capabilities),
      auth_(auth),
      context_(context),
      machine_(*this, {capabilities, context.max_allowed_packet, backend.multiplexing(), backend.charset()},
               {auth.user, std::string(backend.schema()), std::string(context.client_address)}, context.activity) {}

command_driver::~command_driver() {
  if (scatter_ && !scatter_->all_gathered()) scatter_->abandon();
}

const std::vector<routing::query_rule>& command_driver::rules() { return context_.routing.config_now()->rules; }
const sharding::catalog& command_driver::shards() { return context_.routing.config_now()->shards; }

session::planner_cache& command_driver::planner() {
  context_.routing.config_now();  // (empties the rule cache when the rules changed)
  return context_.routing.planner;
}

std::optional<bool> command_driver::read_your_writes_of(std::string_view user) {
  const auto& users = context_.routing.config_now()->users;
  const auto found = users.find(std::string(user));
  if (found == users.end()) return std::nullopt;
  return found->second.read_your_writes;
}

bool command_driver::routes_to_held(const session::target& next) {
  return backend_.routes_to_held({next.role, next.group});
}

// One action at a time. Those that need no I/O are performed at once (no coroutine, no wait);
// the others are awaited here directly, one coroutine level below the loop. (g++ 12 miscompiles
// a co_await inside a conditional or an argument list: each result is awaited into a local.)
// The hot actions are awaited here; the rest in perform_rare. Each co_await of an event keeps
// its own slot in this frame, which a session holds for its whole life, idle or not: with every
// action here it was 2.6 KB of an idle session's memory (issue 17).
awaitable<void> command_driver::run() {
  if (!std::exchange(started_, true)) machine_.start();
  parked_ = false;
  auto& answer = machine_.outcome_of_next();
  while (!machine_.finished()) {
    const auto& next = machine_.next();
    if (perform_now(next, answer)) {
      machine_.resume();
      continue;
    }
    switch (next.kind) {
      case action_kind::read_command:
      case action_kind::read_client: {
        waiting_for_command_ = next.kind == action_kind::read_command && client_in_.empty();
        const bool have = co_await fill_client(next.kind == action_kind::read_command ? p::frame_header_size : next.bytes);
        waiting_for_command_ = false;
        if (std::exchange(park_requested_, false) && !have) {
          // The machine waits for this action, or starts again at it: the next run() performs it.
          parked_ = true;
          if (machine_.rest()) started_ = false;
          co_return;
        }
        answer = client_bytes(have);
        break;
      }
      case action_kind::acquire: answer = co_await acquire(next.target); break;
      case action_kind::send_command: answer = co_await send_command(); break;
      case action_kind::read_backend: answer = co_await read_backend(next.bytes); break;
      case action_kind::relay: answer = co_await relay(next.copy_response); break;
      default: answer = co_await perform_rare(next); break;
    }
    machine_.resume();
  }
}

awaitable<event> command_driver::perform_rare(const session::action& next) {
  switch (next.kind) {
    case action_kind::skip_command: {
      const bool skipped = co_await skip_command();
      co_return skipped ? event{} : failed(outcome::client_gone);
    }
    case action_kind::send_packet: co_return co_await send_packet(next.payload);
    case action_kind::run_internal: co_return co_await run_internal(next.text);
    case action_kind::prepare_internal: co_return co_await prepare_internal(next.text);
    case action_kind::reply: co_return co_await reply(next.payload, next.sequence_id);
    case action_kind::reply_frames: {
      const auto ec = co_await client_.write_all(asio::buffer(next.payload.data(), next.payload.size()));
      co_return ec ? failed(outcome::client_gone) : event{};
    }
    case action_kind::change_user: co_return co_await change_user();
    case action_kind::cache_answer: co_return co_await answer_from_cache(next.text);
    case action_kind::gather: co_return co_await gather(next.lanes_wanted);
    default: co_return event{};
  }
}

// The actions that need no I/O as things stand: bookkeeping, bytes already buffered, an idle
// connection at hand. False: run() must await it.
bool command_driver::perform_now(const session::action& next, event& answer) {
  switch (next.kind) {
    case action_kind::read_command:
      if (client_in_.size() < p::frame_header_size) return false;
      answer = client_bytes(true);
      return true;
    case action_kind::read_client:
      if (client_in_.size() < next.bytes) return false;
      answer = client_bytes(true);
      return true;
    case action_kind::read_backend: {
      auto& in = backend_.current().in;
      if (in.size() < next.bytes) return false;
      answer = event{.backend = std::span<std::uint8_t>(in.readable_data(), in.size())};
      return true;
    }
    case action_kind::consume_backend:
      backend_.current().in.consume(next.bytes);
      answer = event{};
      return true;
    case action_kind::acquire:
      if (!backend_.acquire_now({next.target.role, next.target.group})) return false;
      answer = held_event();
      return true;
    case action_kind::scatter:  // (the lanes start on their own coroutines)
      answer = scatter(next);
      return true;
    default:
      if (next.kind < action_kind::release || next.kind == action_kind::done) return false;
      perform_local(next);
      answer = event{};
      return true;
  }
}

// The actions that change only the session's bookkeeping here (pool, login, statistics).
void command_driver::perform_local(const session::action& next) {
  switch (next.kind) {
    case action_kind::release:
      return backend_.give_back(next.soft_owned);
    case action_kind::drop:
      return backend_.drop();
    case action_kind::schema_changed:
      return backend_.schema_changed(std::string(next.text));
    case action_kind::set_remembered:
      return backend_.session_variables_set(std::string(next.text));
    case action_kind::state_reset:
      return backend_.reset_state();
    case action_kind::close_at_end:
      return backend_.close_at_end();
    case action_kind::record_statement:
      return record(*next.record);
    case action_kind::cache_store:
      return store_in_cache(next);
    case action_kind::cache_invalidate:
      if (context_.routing.cache) context_.routing.cache->invalidate(next.tables);
      return;
    default:
      return;
  }
}

event command_driver::client_bytes(bool ok) {
  if (!ok) return failed(outcome::client_gone);
  return {.client = std::span<std::uint8_t>(client_in_.readable_data(), client_in_.size())};
}

awaitable<bool> command_driver::fill_client(std::size_t at_least) {
  while (client_in_.size() < at_least) {
    auto* dst = client_in_.spare(at_least - client_in_.size());
    auto [ec, n] = co_await client_.read_some(asio::buffer(dst, client_in_.spare_size()));
    if (ec) co_return false;
    client_in_.commit(n);
  }
  co_return true;
}

awaitable<bool> command_driver::fill_backend(std::size_t at_least) {
  auto& held = backend_.current();
  while (held.in.size() < at_least) {
    auto* dst = held.in.spare(at_least - held.in.size());
    auto [ec, n] = co_await held.link.connection->read_some(asio::buffer(dst, held.in.spare_size()));
    if (ec) co_return false;
    held.in.commit(n);
  }
  co_return true;
}

// Drops the current command's bytes (all its frames).
awaitable<bool> command_driver::skip_command() {
  p::packet_boundary boundary;
  for (;;) {
    client_in_.consume(boundary.feed(client_in_.readable()));
    if (boundary.complete()) co_return true;
    const bool more = co_await fill_client(1);
    if (!more) co_return false;
  }
}

awaitable<event> command_driver::acquire(const session::target& where) {
  auto error = co_await backend_.acquire({where.role, where.group});
  // A watchdog close while taking the connection (a reset on a frozen server) was answered there:
  // the connection was replaced, or the error says why none could be had.
  context_.activity.abort_reason.clear();
  if (error) {
    held_text_.error = std::move(*error);
    co_return event{.result = outcome::refused, .error = &held_text_.error};
  }
  co_return held_event();
}

event command_driver::held_event() {
  auto& held = backend_.current();
  event got;
  got.connection = {backend_.name(), backend_.role(), backend_.server(), held.link.capabilities,
                    backend_.acquisitions(), &held.statements};
  return got;
}

event command_driver::backend_failure(const error_code& ec, bool response_started) {
  held_text_.failure = ec.message();
  held_text_.abort_reason = std::exchange(context_.activity.abort_reason, {});
  return {.result = outcome::backend_failed,
          .response_started = response_started,
          .failure = held_text_.failure,
          .abort_reason = held_text_.abort_reason};
}

// Streams the client's command (one logical packet, any number of frames) to the backend.
awaitable<event> command_driver::send_command() {
  auto& backend = *backend_.current().link.connection;
  backend.start_command();
  p::packet_boundary boundary;
  for (;;) {
    const auto n = boundary.feed(client_in_.readable());
    if (boundary.payload_total() > context_.max_allowed_packet) co_return failed(outcome::too_large);
    if (n > 0) {
      const auto ec = co_await backend.write_all(asio::buffer(client_in_.readable().data(), n));
      client_in_.consume(n);
      if (ec) {
        // The rest of a multi-frame command would be read as new commands: the session ends.
        auto broke = backend_failure(ec, false);
        broke.command_incomplete = !boundary.complete();
        co_return broke;
      }
    }
    if (boundary.complete()) co_return event{};
    const bool more = co_await fill_client(1);
    if (!more) co_return failed(outcome::client_gone);
  }
}

awaitable<event> command_driver::send_packet(p::bytes_view payload) {
  auto& connection = *backend_.current().link.connection;
  connection.start_command();
  const auto ec = co_await write_packet(connection, payload, 0);
  co_return ec ? backend_failure(ec, false) : event{};
}

awaitable<event> command_driver::read_backend(std::size_t at_least) {
  const bool have = co_await fill_backend(at_least);
  if (!have) co_return backend_failure(make_error_code(boost::system::errc::connection_reset), false);
  auto& in = backend_.current().in;
  co_return event{.backend = std::span<std::uint8_t>(in.readable_data(), in.size())};
}

awaitable<event> command_driver::run_internal(std::string_view sql) {
  const std::string statement(sql);
  auto answer = co_await run_on_backend(backend_.current(), statement);
  if (answer.broken) co_return failed(outcome::backend_failed);
  if (answer.error) {
    held_text_.error = std::move(*answer.error);
    co_return event{.result = outcome::refused, .error = &held_text_.error};
  }
  if (!answer.value) co_return event{};
  held_text_.value = std::move(*answer.value);
  co_return event{.value = held_text_.value};
}

awaitable<event> command_driver::prepare_internal(std::string_view sql) {
  const auto prepared = co_await prepare_on_backend(backend_.current(), sql);
  if (prepared.broken) co_return failed(outcome::backend_failed);
  if (!prepared.id) co_return failed(outcome::refused);
  co_return event{.statement_id = *prepared.id};
}

awaitable<event> command_driver::reply(p::bytes_view payload, std::uint8_t sequence_id) {
  const auto ec = co_await write_packet(client_, payload, sequence_id);
  co_return ec ? failed(outcome::client_gone) : event{};
}

void command_driver::record(const session::statement_record& r) {
  const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - r.started);
  auto& stats = context_.routing.stats;
  stats.record_statement(r.digest, r.new_digest_text, backend_.schema(), took, r.rows, r.failed, backend_.name());
  stats.record_server(backend_.name(), r.request_bytes, r.response_bytes, r.failed);
  stats.record_command(static_cast<command_kind>(r.kind), r.on_replica, took, r.failed);
}

}  // namespace weft::proxy
