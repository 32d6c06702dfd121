#include "proxy/client_session.h"

#include <spdlog/spdlog.h>

#include "session/log_text.h"

#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/proxy_header.h"
#include "proxy/command_driver.h"
#include "proxy/deadline.h"
#include "proxy/handshake_driver.h"
#include "proxy/packet_io.h"

namespace weft::proxy {
using session::quoted;
namespace {

namespace p = protocol;

constexpr std::size_t max_handshake_packet = 1 << 20;

// Capabilities that change how bytes on the wire are laid out: client and backend must agree
// on them, because responses are forwarded without rewriting.
constexpr std::uint64_t wire_format_caps = p::cap::protocol_41 | p::cap::deprecate_eof |
                                           p::cap::session_track | p::cap::multi_results |
                                           p::cap::ps_multi_results | p::cap::transactions |
                                           p::cap::long_flag | p::cap::mariadb_extended_type_info;

}  // namespace

std::uint64_t proxy_capabilities() {
  using namespace p::cap;
  // Like MariaDB, bit 0 stays clear so MariaDB clients send their extended capabilities. Of
  // those, weft offers extended type info (JSON, INET6, UUID... in column definitions): it only
  // adds a field to column definitions, which weft forwards untouched. Metadata caching and
  // progress reports change response shapes and are not offered (yet); bulk execution is
  // offered per session (bulk_capability).
  return mariadb_extended_type_info | compress | found_rows | long_flag | connect_with_db | ignore_space | protocol_41 |
         interactive | ignore_sigpipe | transactions | secure_connection | multi_statements |
         multi_results | ps_multi_results | plugin_auth | connect_attrs | plugin_auth_lenenc_data |
         session_track | deprecate_eof;
}

// MariaDB's bulk execution (COM_STMT_BULK_EXECUTE) is offered when the servers have it: the
// default group's primary is a MariaDB (the monitor reads the flavor; MySQL has no such command).
std::uint64_t client_session::bulk_capability() const {
  const auto& topology = *context_.routing.topology.current();
  const auto* primary = topology.primary_of(topology.default_group());
  const bool mysql = primary && primary->health.flavor == routing::server_flavor::mysql;
  return mysql ? 0 : p::cap::mariadb_stmt_bulk_operations;
}

client_session::client_session(net_socket socket, session_context context)
    : client_(std::move(socket)),
      context_(std::move(context)),
      peer_(peer_host(client_.socket())),
      backend_(context_.pool, context_.settings, context_.tls, context_.routing) {}

client_session::~client_session() = default;

void client_session::hold_until_end(connection_limit::slot place, std::function<void()> ended) {
  place_.emplace(std::move(place));
  ended_ = std::move(ended);
}

client_session::description client_session::describe() const {
  description d;
  d.id = context_.connection_id;
  d.user = user_;
  d.client = peer_;
  d.schema = backend_.schema();
  d.command = auth_ ? activity_.command : "Connect";
  d.statement = activity_.statement;
  d.backend = backend_.held() ? backend_.name() : "";
  d.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - activity_.since).count();
  return d;
}

std::optional<backend_connection_info> client_session::backend_in_use() {
  if (!backend_.held()) return std::nullopt;
  const auto& b = backend_.current();
  return backend_connection_info{b.key.server, b.link.connection_id, b.key.user, b.key.database,
                                 context_.connection_id, std::nullopt};
}

void client_session::shutdown() {
  client_.close();
  if (backend_.held()) backend_.current().link.connection->close();
}

void client_session::watch_backend(const routing::topology& latest, std::chrono::milliseconds read_timeout) {
  if (driver_) driver_->watch_lanes(latest, read_timeout);  // (a parked driver has none running)
  auto reason = backend_.stalled(stall_watch_, latest, read_timeout);
  if (!reason) return;
  spdlog::warn("event=backend_wait_aborted id={} backend={} reason={}", context_.connection_id, backend_.name(),
               quoted{*reason});
  activity_.abort_reason = std::move(*reason);
  backend_.current().link.connection->close();
}

awaitable<void> client_session::live(std::shared_ptr<client_session> self) {
  bool parked = false;
  try {
    if (!self->driver_) {
      const bool logged_in = co_await self->log_in();
      parked = logged_in && self->may_park();  // most pooled connections wait long for their first command
      if (parked) self->park("login");
      if (logged_in && !parked) parked = co_await self->commands();
    } else {
      self->unpark();
      parked = co_await self->commands();
    }
  } catch (const std::exception& e) {
    spdlog::error("event=session_crashed id={} error=\"{}\"", self->context_.connection_id, e.what());
    parked = false;
  }
  if (!parked) self->end();
}

awaitable<bool> client_session::log_in() {
  set_no_delay(client_.socket());
  const bool authenticated = co_await authenticate();
  if (!authenticated) co_return false;
  const bool opened = co_await open_backend(*auth_);
  if (!opened) co_return false;
  spdlog::info("event=session_open id={} user={} client={} tls={} auth={} backend={}", context_.connection_id,
               quoted{user_}, peer_, client_.is_tls() ? client_.tls_version() : "off", auth_->auth_method(), backend_.name());
  driver_ = std::make_unique<command_driver>(
      client_, client_in_, backend_, auth_->negotiated_capabilities(), session_auth{*auth_, user_},
      driver_context{context_.routing, peer_, activity_, context_.settings.max_allowed_packet});
  co_return true;
}

awaitable<bool> client_session::commands() {
  co_await driver_->run();
  if (driver_->parked()) {
    park("idle");
    co_return true;
  }
  spdlog::info("event=session_close id={} user={} commands={}", context_.connection_id, quoted{user_},
               driver_->commands());
  client_.close();
  co_await backend_.finish();
  co_return false;
}

bool client_session::may_park() const {
  return client_in_.empty() && !client_.is_tls() && !client_.is_compressed();
}

void client_session::park_if_idle(std::chrono::steady_clock::time_point now, std::chrono::milliseconds idle) {
  if (!driver_ || !driver_->waits_for_command() || !may_park() || now - activity_.since < idle) return;
  driver_->stop_waiting_for_command();
  error_code ignored;
  client_.socket().cancel(ignored);  // the driver's read ends (operation_aborted) and run() returns parked
}

// The frames are gone; the session object, its driver and machine stay, kept alive by the wait.
void client_session::park(std::string_view after) {
  spdlog::debug("event=session_parked id={} after={}", context_.connection_id, after);
  parked_ = true;
  ++context_.parked_sessions;
  client_in_ = io_buffer(0);
  client_.socket().async_wait(asio::socket_base::wait_read, [self = shared_from_this()](const error_code&) {
    // Readable, closed, or shut down (the wait ends with an error): the driver's read tells which.
    auto executor = self->client_.socket().get_executor();
    asio::co_spawn(executor, live(self), asio::detached);
  });
}

void client_session::unpark() {
  if (std::exchange(parked_, false)) --context_.parked_sessions;
  client_in_ = io_buffer(1024);  // (given back when it parked)
}

void client_session::end() {
  if (std::exchange(parked_, false)) --context_.parked_sessions;
  shutdown();
  if (auto ended = std::exchange(ended_, nullptr)) ended();
  place_.reset();
}

awaitable<bool> client_session::authenticate() {
  deadline watchdog(client_, context_.settings.handshake_timeout);
  auto& handshake = auth_.emplace(greeting_settings(), user_lookup(), p::make_scramble(),
                                  p::sha2_support{context_.tls.sha2_cache.get(), context_.tls.rsa.get()});
  const auto began = std::chrono::steady_clock::now();
  handshake_options options;
  options.max_packet = max_handshake_packet;
  options.tls = context_.tls.client.get();
  options.answer_unreadable = true;
  options.before_refusal = [this, &handshake, began](const p::handshake_action& refusal) -> awaitable<bool> {
    if (!denies_access(refusal.payload) || context_.snapshot->users.contains(handshake.client().username)) {
      co_return false;  // a [[users]] entry does not come from the backends: nothing fresher to wait for
    }
    co_return co_await accounts_read_since(began);
  };
  options.on_failed = [this, &handshake](const p::handshake_action& refusal) {
    spdlog::info("event=auth_failed user={} client={}", quoted{handshake.client().username}, peer_);
    if (denies_access(refusal.payload)) context_.admission.login_failed(peer_);
  };
  const auto result = co_await run_handshake(handshake, handshake.start(), client_, client_in_, std::move(options));
  if (result.end == handshake_end::done) user_ = handshake.client().username;
  if (result.end != handshake_end::lost) co_return result.end == handshake_end::done;
  if (result.broken == handshake_io::read) {
    spdlog::debug("event=handshake_aborted client={} reason=\"{}\"", peer_,
                  watchdog.expired() ? "timeout" : result.error.message());
  } else if (result.broken == handshake_io::tls) {
    spdlog::info("event=tls_handshake_failed client={} error=\"{}\"", peer_, result.error.message());
  }
  co_return false;
}

p::server_greeting_settings client_session::greeting_settings() const {
  const auto caps = proxy_capabilities() | (context_.tls.client ? p::cap::ssl : 0) |
                    (context_.settings.local_infile ? p::cap::local_files : 0) | bulk_capability();
  return {context_.settings.server_version, context_.connection_id, caps, p::charset_utf8mb4_general_ci,
          p::status::autocommit, peer_, context_.settings.auth_plugin};
}

// A login refused by an account list read before the login began (an account created or changed
// a moment ago on the primary): asks the loader for a fresh read and waits for it, at most
// login_account_wait. True when a list read since `began` is there to check the login again.
awaitable<bool> client_session::accounts_read_since(std::chrono::steady_clock::time_point began) {
  auto& accounts = context_.routing.accounts;
  if (!context_.accounts_stale || accounts.current()->read_started() >= began) co_return false;
  context_.accounts_stale();
  const auto until = std::chrono::steady_clock::now() + context_.settings.login_account_wait;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (accounts.current()->read_started() < began) {
    if (std::chrono::steady_clock::now() >= until) co_return false;
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(use_nothrow);
  }
  co_return true;
}

// weft's own user list, as the session's snapshot has it.
// A [[users]] entry of the configuration wins over the accounts loaded from the backends.
p::server_handshake::user_lookup client_session::user_lookup() {
  return [this](std::string_view name) -> std::optional<p::user_credentials> {
    const auto& users = context_.snapshot->users;
    if (auto it = users.find(std::string(name)); it != users.end()) {
      return p::user_credentials{it->second.password, it->second.require_tls};
    }
    return backend_account(name);
  };
}

// The account the server would check this login against, when weft can check it too: a
// mysql_native_password hash is all weft needs; any other plugin would need the password.
std::optional<p::user_credentials> client_session::backend_account(std::string_view name) {
  const auto& table = context_.routing.accounts.current();
  const auto* account = table->choose(name, routing::account_address(peer_));
  if (!account) return std::nullopt;
  if (account->plugin != "mysql_native_password") {
    spdlog::warn("event=account_refused user={} host={} plugin={} reason=\"weft checks only mysql_native_password "
                 "accounts (another plugin needs the clear password)\"", quoted{account->user}, quoted{account->host},
                 quoted{account->plugin});
    return std::nullopt;
  }
  auto hash = p::native_password_hash::from_hex(account->auth_string);
  if (!hash) {
    spdlog::warn("event=account_refused user={} host={} reason=\"unreadable password hash\"", quoted{account->user},
                 quoted{account->host});
    return std::nullopt;
  }
  return p::user_credentials{*hash, false, account->locked, account->password_expired};
}

p::backend_login client_session::login_for(const p::server_handshake& handshake) const {
  const auto& client = handshake.client();
  p::backend_login login;
  login.user = client.username;
  if (!handshake.empty_password()) login.stage1 = handshake.stage1();
  login.database = client.database;
  login.capabilities = handshake.negotiated_capabilities() & ~p::cap::connect_with_db;
  login.charset = client.charset;
  login.attributes = client.attributes;
  login.attributes.emplace_back("_weft_client_address", peer_);
  return login;
}

// [backend] proxy_protocol: the backend is told the client's address, and matches its accounts
// against it as it would for a direct connection.
void client_session::name_client_to_backend(p::backend_login& login) {
  if (!context_.settings.backend_proxy_protocol) return;
  error_code ec_remote, ec_local;
  const auto remote = as_tcp(client_.socket().remote_endpoint(ec_remote));
  const auto local = as_tcp(client_.socket().local_endpoint(ec_local));
  if (ec_remote || ec_local || !remote || !local) return;  // a local client: the backend sees weft's address
  login.proxy_header = p::proxy_header_v1(remote->address().to_string(), remote->port(), local->address().to_string(),
                                          local->port());
  login.proxy_client = std::string(routing::account_address(peer_));
}

awaitable<bool> client_session::open_backend(const p::server_handshake& handshake) {
  const auto seq = handshake.next_sequence_id();
  // Logging in needs a backend now: it checks the account and the schema the client asked for.
  auto login = login_for(handshake);
  name_client_to_backend(login);
  backend_.set_identity(std::move(login));
  auto error = co_await backend_.acquire();
  if (error && (error->error_code == p::er::no_primary.code || error->error_code == p::er::backend_unreachable.code)) {
    // Without a primary, a replica can still check the login: the session may read.
    auto on_replica = co_await backend_.acquire({routing::target_role::replica, {}});
    if (!on_replica) error.reset();
  }
  if (error) {
    spdlog::warn("event=backend_login_failed backend={} user={} code={} message={}", backend_.name(),
                 quoted{user_}, error->error_code, quoted{error->message});
    co_await write_error(client_, *error, seq);
    co_return false;
  }
  const auto client_caps = handshake.negotiated_capabilities();
  if ((client_caps ^ backend_.current().link.capabilities) & wire_format_caps) {
    co_await write_error(client_, p::make_error(p::er::backend_protocol,
                                                "weft: backend " + backend_.name() +
                                                    " lacks protocol capabilities this client uses"), seq);
    co_return false;
  }
  p::ok_packet ok;
  ok.status_flags = p::status::autocommit;
  const auto ok_error = co_await write_packet(client_, p::encode(ok, client_caps), seq);
  if (ok_error) co_return false;
  if (client_caps & p::cap::compress) client_.enable_compression();
  backend_.after_login();
  co_return true;
}

}  // namespace weft::proxy
