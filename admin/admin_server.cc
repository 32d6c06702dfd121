#include "admin/admin_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include <boost/asio/post.hpp>

#include "admin/help_command.h"
#include "protocol/constants.h"
#include "protocol/errors.h"
#include "protocol/progress_report.h"
#include "protocol/frame.h"
#include "protocol/server_handshake.h"
#include "protocol/session_track.h"
#include "proxy/deadline.h"
#include "proxy/handshake_driver.h"
#include "proxy/listener.h"
#include "session/log_text.h"
#include "proxy/packet_io.h"
#include "proxy/stream.h"
#include "routing/sql_lexer.h"

namespace weft::admin {
namespace {

namespace p = protocol;
using proxy::awaitable;

// What the admin port offers: enough for the mariadb/mysql clients and drivers; no TLS,
// compression, LOCAL INFILE or multi-statements. Session tracking reports the schema.
// Without the CLIENT_MYSQL bit (long_password), as a MariaDB server: the client then reads
// MariaDB's extended capabilities, among them progress reports (a COMPARE waited for).
constexpr std::uint64_t admin_capabilities =
    p::cap::mariadb_progress | p::cap::progress_obsolete | p::cap::long_flag | p::cap::connect_with_db | p::cap::protocol_41 |
    p::cap::transactions | p::cap::secure_connection | p::cap::plugin_auth | p::cap::connect_attrs |
    p::cap::plugin_auth_lenenc_data | p::cap::session_track | p::cap::deprecate_eof;

// The admin port's one database, every session's schema from the start. A server reports a
// session's schema in the OK after login (and after USE) when the client tracks session state;
// the mariadb CLI takes it as its current database (prompt, table-name completion), as with -D.
constexpr std::string_view admin_schema = "weft";

p::ok_packet ok_reporting_schema(std::uint64_t caps) {
  p::ok_packet ok;
  ok.status_flags = p::status::autocommit;
  if (caps & p::cap::session_track) {
    ok.status_flags |= p::status::session_state_changed;
    ok.session_state_info = p::encode_schema_change(admin_schema);
  }
  return ok;
}

constexpr std::size_t max_admin_packet = 16u << 20;
constexpr std::size_t max_admin_login_packet = 64 * 1024;

// The admin login as the driver performs it: a failed login is logged and counted by the throttle.
proxy::handshake_options login_options(proxy::asio::ssl::context* tls, proxy::admission_control& admission,
                                       const p::server_handshake& handshake, const std::string& peer) {
  proxy::handshake_options options;
  options.max_packet = max_admin_login_packet;
  options.tls = tls;
  options.answer_unreadable = true;  // as the proxy port answers it
  options.on_failed = [&admission, &handshake, &peer](const p::handshake_action& refusal) {
    spdlog::info("event=admin_auth_failed user={} client={}", session::quoted{handshake.client().username}, peer);
    if (proxy::denies_access(refusal.payload)) admission.login_failed(peer);
  };
  return options;
}

}  // namespace

admin_server::admin_server(config::admin_settings settings, std::string state_path, const live_sources& sources,
                           const command_context& commands, admin_hooks hooks)
    : settings_(std::move(settings)),
      state_path_(std::move(state_path)),
      sources_(sources),
      commands_(commands),
      hooks_(std::move(hooks)),
      admission_("admin", settings_.max_connections, settings_.login_throttle) {}

admin_server::~admin_server() { stop(); }

void admin_server::start() {
  if (!settings_.tls_cert.empty()) {
    tls_ = std::make_unique<proxy::asio::ssl::context>(proxy::make_server_tls_context(settings_.tls_cert, settings_.tls_key));
  }
  try {
    proxy::open_listener(acceptor_, settings_.listen, false);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(std::string("the admin port: ") + e.what());
  }
  proxy::asio::co_spawn(io_, accept_loop(), proxy::asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

void admin_server::stop() {
  if (!thread_.joinable()) return;
  proxy::asio::post(io_, [this] {
    proxy::error_code ignored;
    acceptor_.close(ignored);
    io_.stop();
  });
  thread_.join();
  statements_.join();  // a statement still running finishes before its session's engine goes
}

namespace {
p::progress_report progress_packet(const ops::progress_note& note) {
  p::progress_report r;
  r.stage = static_cast<std::uint8_t>(note.stage);
  r.max_stage = static_cast<std::uint8_t>(note.max_stage);
  r.progress = static_cast<std::uint32_t>(std::clamp(note.fraction, 0.0, 1.0) * 100000);
  r.info = note.info;
  return r;
}

admin_result execute_contained(admin_engine& engine, const std::string& sql, const ops::progress_sink& progress = {}) {
  try {
    return point_to_help(engine.execute(sql, progress), sql);  // a syntax error says where the commands are
  } catch (const std::exception& e) {
    return admin_result::failure(p::make_error({1105, "HY000"}, std::string("weft admin: ") + e.what()));
  }
}
}  // namespace

// (g++ 12 destroys temporaries of a co_await expression twice inside loops: the caller keeps
// `sql` alive across the wait, and the task is built into a local first.)
awaitable<admin_result> admin_server::run_statement(admin_engine& engine, const std::string& sql) {
  auto task = [&engine, &sql]() -> awaitable<admin_result> { co_return execute_contained(engine, sql); };
  auto result = co_await proxy::asio::co_spawn(statements_, std::move(task), proxy::asio::use_awaitable);
  co_return result;
}

// A statement on the pool while this session's thread sends the client MariaDB progress
// reports (at most one each 500 ms, only when the statement reported something new); the
// statement's answer then continues the sequence numbers in `seq`.
struct admin_server::reported_run {
  explicit reported_run(proxy::asio::io_context& io) : timer(io) {}
  proxy::asio::steady_timer timer;
  bool done = false;  // (this session's thread only)
  admin_result result;
  std::mutex mutex;
  std::optional<ops::progress_note> latest;  // (written by the statement's thread)
};

awaitable<admin_result> admin_server::run_reporting(proxy::stream& client, admin_engine& engine, const std::string& sql,
                                                    std::uint8_t& seq) {
  auto run = std::make_shared<reported_run>(io_);
  proxy::asio::post(statements_, [this, run, &engine, sql] {
    auto result = execute_contained(engine, sql, [run](const ops::progress_note& note) {
      std::lock_guard lock(run->mutex);
      run->latest = note;
    });
    proxy::asio::post(io_, [run, result = std::move(result)]() mutable {
      run->result = std::move(result);
      run->done = true;
      run->timer.cancel();
    });
  });
  bool client_gone = false;
  while (!run->done) {
    run->timer.expires_after(std::chrono::milliseconds(500));
    co_await run->timer.async_wait(proxy::use_nothrow);
    std::optional<ops::progress_note> note;
    {
      std::lock_guard lock(run->mutex);
      note = std::exchange(run->latest, std::nullopt);
    }
    if (run->done || !note || client_gone) continue;
    const auto packet = p::encode(progress_packet(*note));
    client_gone = static_cast<bool>(co_await proxy::write_packet(client, packet, seq));
    ++seq;
  }
  co_return std::move(run->result);
}

awaitable<void> admin_server::accept_loop() {
  proxy::log_limiter accept_errors(std::chrono::seconds(5));
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(proxy::use_nothrow);
    if (ec) {
      if (!acceptor_.is_open()) co_return;
      if (const auto n = accept_errors.note()) {
        spdlog::warn("event=accept_failed port=admin error=\"{}\" failures={}", ec.message(), *n);
      }
      // Out of descriptors and the like: back off briefly rather than spin.
      proxy::asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(proxy::use_nothrow);
      continue;
    }
    auto place = admission_.admit(socket);
    if (!place) continue;  // refused with 1040 or 1129, already closed
    proxy::asio::co_spawn(io_, run_session(std::move(socket), next_id_++, std::move(*place)), proxy::asio::detached);
  }
}

// `place` holds the session's place under [admin] max_connections until it ends.
awaitable<void> admin_server::run_session(proxy::net_socket socket, std::uint32_t id,
                                          [[maybe_unused]] proxy::connection_limit::slot place) {
  const auto peer = proxy::peer_host(socket);
  proxy::stream client(std::move(socket));
  proxy::io_buffer in(4096);
  const auto caps = co_await authenticate(client, in, id, peer);
  if (caps) co_await serve(client, in, *caps, id, peer);
  client.close();
}

awaitable<std::optional<std::uint64_t>> admin_server::authenticate(proxy::stream& client, proxy::io_buffer& in,
                                                                   std::uint32_t id, const std::string& peer) {
  proxy::deadline watchdog(client, settings_.handshake_timeout);  // a stalled client is closed
  p::server_greeting_settings greeting{"5.5.5-10.11.0-weft-admin", id, admin_capabilities | (tls_ ? p::cap::ssl : 0),
                                       p::charset_utf8mb4_general_ci, p::status::autocommit, peer};
  const auto& expected = settings_;
  p::server_handshake handshake(
      greeting,
      [&expected](std::string_view user) -> std::optional<p::user_credentials> {
        if (user != expected.user) return std::nullopt;
        return p::user_credentials{expected.password, expected.require_tls};
      },
      p::make_scramble());
  auto options = login_options(tls_.get(), admission_, handshake, peer);
  const auto result = co_await proxy::run_handshake(handshake, handshake.start(), client, in, std::move(options));
  if (result.end != proxy::handshake_end::done) co_return std::nullopt;
  const auto caps = handshake.negotiated_capabilities();
  const auto welcome = ok_reporting_schema(caps);
  const auto ok_error = co_await proxy::write_packet(client, p::encode(welcome, caps), handshake.next_sequence_id());
  if (ok_error) co_return std::nullopt;
  spdlog::info("event=admin_session_open id={} user={} client={} progress_reports={}", id,
               session::quoted{handshake.client().username}, peer,
               (caps & (p::cap::mariadb_progress | p::cap::progress_obsolete)) != 0);
  co_return caps;
}

namespace {
awaitable<proxy::error_code> write_result(proxy::stream& client, const admin_result& result, std::uint64_t caps,
                                          std::uint8_t seq = 1) {
  proxy::error_code werr;
  if (result.error) {
    werr = co_await proxy::write_error(client, *result.error, seq);
  } else if (!result.columns.empty()) {
    const auto bytes = p::encode_text_result(result.columns, result.rows, caps, p::status::autocommit, seq);
    werr = co_await client.write_all(proxy::asio::buffer(bytes.data(), bytes.size()));
  } else {
    p::ok_packet ok;
    ok.affected_rows = result.affected;
    ok.status_flags = p::status::autocommit;
    ok.info = result.info;
    werr = co_await proxy::write_packet(client, p::encode(ok, caps), seq);
  }
  co_return werr;
}

// COM_INIT_DB (the CLI's USE): the admin port has one database, reported as a server reports
// the new schema; any other name is unknown, as on a server.
awaitable<proxy::error_code> answer_init_db(proxy::stream& client, std::string_view schema, std::uint64_t caps) {
  if (routing::iequals_upper(schema, "WEFT")) {
    const auto ok = p::encode(ok_reporting_schema(caps), caps);
    co_return co_await proxy::write_packet(client, ok, 1);
  }
  const auto err = p::make_error({1049, "42000"}, "Unknown database '" + std::string(schema) + "'");
  co_return co_await proxy::write_error(client, err, 1);
}

// COM_FIELD_LIST's table (the wildcard after its NUL is left out) as a query for its columns.
std::string field_list_query(p::bytes_view argument) {
  const auto text = p::as_chars(argument);
  std::string quoted = "`";
  for (const char c : text.substr(0, text.find('\0'))) quoted += c == '`' ? std::string("``") : std::string(1, c);
  return "SELECT * FROM " + quoted + "` LIMIT 0";
}

// The answer to COM_FIELD_LIST: each column's definition with its default value (NULL), then
// the end of the list.
p::bytes field_list_response(const admin_result& table, std::uint64_t caps) {
  p::bytes out;
  std::uint8_t seq = 1;
  for (const auto& c : table.columns) {
    auto definition = p::encode(c);
    definition.push_back(0xFB);
    seq = p::encode_packet(definition, seq, out);
  }
  const auto end = (caps & p::cap::deprecate_eof)
                       ? p::encode(p::ok_packet{p::eof_header, 0, 0, p::status::autocommit, 0, {}, {}}, caps)
                       : p::encode(p::eof_packet{0, p::status::autocommit});
  p::encode_packet(end, seq, out);
  return out;
}

}  // namespace

awaitable<proxy::error_code> admin_server::answer_field_list(proxy::stream& client, admin_engine& engine,
                                                             const std::string& sql, std::uint64_t caps) {
  const auto table = co_await run_statement(engine, sql);
  if (table.error) co_return co_await proxy::write_error(client, *table.error, 1);
  const auto bytes = field_list_response(table, caps);
  co_return co_await client.write_all(proxy::asio::buffer(bytes.data(), bytes.size()));
}

awaitable<void> admin_server::serve(proxy::stream& client, proxy::io_buffer& in, std::uint64_t caps, std::uint32_t id,
                                    const std::string& peer) {
  std::unique_ptr<admin_engine> engine;
  std::string open_error;
  try {
    engine = std::make_unique<admin_engine>(state_path_, sources_, commands_, hooks_);
  } catch (const std::exception& e) {
    open_error = e.what();
  }
  if (!engine) {  // (no co_await inside a catch handler)
    const auto err = p::make_error({1105, "HY000"}, "weft admin: " + open_error);
    co_await proxy::write_error(client, err, 1);
    co_return;
  }
  engine->set_session_user(settings_.user + "@" + peer);  // the only account the port accepts
  for (;;) {
    proxy::error_code ec;
    auto packet = co_await proxy::read_packet(client, in, max_admin_packet, ec);
    if (!packet || packet->payload.empty()) break;
    const auto cmd = static_cast<p::command>(packet->payload[0]);
    if (cmd == p::command::quit) break;
    const auto argument = p::bytes_view(packet->payload).subspan(1);
    if (cmd == p::command::field_list) {  // the CLI's completion asks each table's columns
      const auto sql = field_list_query(argument);
      if (co_await answer_field_list(client, *engine, sql, caps)) break;
      continue;
    }
    if (cmd == p::command::init_db) {
      if (co_await answer_init_db(client, p::as_chars(argument), caps)) break;
      continue;
    }
    admin_result result;
    std::uint8_t seq = 1;
    if (cmd == p::command::query) {
      const std::string sql(p::as_chars(argument));
      if (caps & (p::cap::mariadb_progress | p::cap::progress_obsolete)) {
        result = co_await run_reporting(client, *engine, sql, seq);
      } else {
        result = co_await run_statement(*engine, sql);
      }
      if (result.error) {
        spdlog::debug("event=admin_error id={} code={} message={}", id, result.error->error_code,
                      session::quoted{result.error->message});
      }
    } else if (cmd != p::command::ping) {
      result = admin_result::failure(p::make_error({1047, "08S01"}, "Unknown command"));
    }
    const auto werr = co_await write_result(client, result, caps, seq);
    if (werr) break;
  }
  spdlog::info("event=admin_session_close id={}", id);
}

}  // namespace weft::admin
