// session_backend: the login and state it gives its connections, holding one, giving it back.
// Taking one (server choice, waits, opening) is session_backend_acquire.cc.
#include "proxy/session_backend.h"

#include <spdlog/spdlog.h>

#include "protocol/constants.h"
#include "proxy/client_session.h"
#include "proxy/backend_query.h"
#include "proxy/packet_io.h"
#include "proxy/worker_routing.h"

namespace weft::proxy {
namespace p = protocol;

session_backend::~session_backend() {
  if (current_) pool_.discard(std::move(current_));  // finish() was not reached: do not reuse
  pool_.disown(this);
}

void session_backend::set_identity(p::backend_login login) {
  started_at_ = std::chrono::steady_clock::now();
  login_ = std::move(login);
  group_ = topology().default_group();
  const auto credential = login_.stage1 ? p::sha1(*login_.stage1) : p::sha1_digest{};
  key_ = pool_key{key_.server,          login_.user,    credential,          login_.proxy_client,
                  login_.capabilities, login_.charset, login_.database};
}

std::unique_ptr<session_backend> session_backend::lane() const {
  auto other = std::make_unique<session_backend>(pool_, settings_, tls_, routing_);
  other->set_identity(login_);
  other->session_sets_ = session_sets_;
  other->key_.session_state = key_.session_state;  // pooled connections with these SETs only
  other->started_at_ = started_at_;
  return other;
}

void session_backend::session_variables_set(std::string statement) {
  std::erase(session_sets_, statement);  // the same SET again: keep the latest position only
  session_sets_.push_back(std::move(statement));
  std::uint64_t state = 14695981039346656037ull;  // FNV-1a over the statements, in order
  for (const auto& text : session_sets_) {
    for (unsigned char c : text) state = (state ^ c) * 1099511628211ull;
    state = (state ^ 0xFF) * 1099511628211ull;
  }
  key_.session_state = state;
  if (current_) current_->key.session_state = state;
}

void session_backend::reset_state() {
  session_sets_.clear();
  key_.session_state = 0;
  if (current_) current_->key.session_state = 0;
}

void session_backend::schema_changed(const std::string& schema) {
  login_.database = schema;
  key_.database = schema;
  if (current_) current_->key.database = schema;
}

void session_backend::user_changed(p::backend_login login) {
  const auto state = key_.session_state;
  login.proxy_header = login_.proxy_header;  // the same client, from the same address
  login.proxy_client = login_.proxy_client;
  set_identity(std::move(login));
  key_.session_state = state;
  if (current_) current_->key = key_;
}

bool session_backend::routes_to_held(const route_request& request) {
  const auto& t = topology();  // the held connection's snapshot
  const std::string_view group = request.group.empty() ? std::string_view(group_) : request.group;
  if (request.role == routing::target_role::replica) {
    const auto* replica = routing::choose_replica(t, group, routing_.rotation,
                                                  [&](const routing::server& s) { return pool_.in_use(s.name); });
    if (replica || !t.policy_of(group).reads_fall_back_to_primary) return false;
  }
  return server_ && t.primary_of(group) == server_;
}

std::optional<std::string> session_backend::stalled(session::stall_watch& watch, const routing::topology& latest,
                                                    std::chrono::milliseconds read_timeout) const {
  session::backend_wait wait;
  const routing::server* held_server = nullptr;
  if (current_) {
    const auto& connection = *current_->link.connection;
    wait = {connection.read_waiting(), connection.reads_ended()};
    if (server_) held_server = latest.find(server_->address);
  }
  return watch.look(wait, held_server, read_timeout);
}

void session_backend::after_login() {
  if (current_ && settings_.multiplexing) release(this);
}

void session_backend::give_back(bool soft_owned) {
  if (current_) release(soft_owned ? this : nullptr);
}

void session_backend::release(const void* soft_owner) {
  // A buffer grown by a big response goes; a normal one stays (no allocation per statement).
  if (current_->in.capacity() > 64 * 1024) current_->in = io_buffer(16 * 1024);
  pool_.release(std::move(current_), soft_owner);
}

void session_backend::drop() {
  if (current_) pool_.discard(std::move(current_));
}

awaitable<void> session_backend::finish() {
  if (!current_) co_return;
  // Bytes nobody asked for leave its state unknown; an XA session leaves it as a direct client.
  if (!current_->in.empty() || close_at_end_) {
    drop();
    co_return;
  }
  const bool reset = co_await reset_connection();
  if (!reset) co_return;
  release(nullptr);
}

// COM_RESET_CONNECTION clears variables, temporary tables, locks, prepared statements and
// rolls back a transaction, keeping the login and schema: the connection is like new. False
// (and the connection dropped) when it did not answer as it should.
awaitable<bool> session_backend::reset_connection() {
  const auto sent_at = std::chrono::steady_clock::now();
  auto& connection = *current_->link.connection;
  const p::bytes reset{static_cast<std::uint8_t>(p::command::reset_connection)};
  const auto werr = co_await write_packet(connection, reset, 0);
  error_code ec;
  std::optional<p::packet> answer;
  if (!werr) answer = co_await read_packet(connection, current_->in, 1 << 20, ec);
  // Exactly one OK, numbered 1, and nothing behind it: anything else is not the reset's answer.
  if (!answer || answer->sequence_id != 1 || answer->payload.empty() || answer->payload[0] != p::ok_header ||
      !current_->in.empty()) {
    drop();
    co_return false;
  }
  current_->statements.clear();  // the reset closed them on the server...
  current_->key.session_state = 0;  // ...and reset the session variables
  current_->fresh_at = sent_at;
  co_return true;
}

}  // namespace weft::proxy
