// The admin port: the MySQL protocol (weft's own handshake code) on its own thread and event
// loop, one admin_engine (its own SQLite connection) per session. A session's statements run one
// at a time on a small pool of threads, so one that talks to backends for a while (PROMOTE,
// REPLICATE, SHOW TOPOLOGY) does not hold up the other sessions: a DBA's port, not a hot path.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "admin/admin_engine.h"
#include "config/admin_settings.h"
#include "proxy/admission_control.h"
#include "proxy/asio.h"
#include "proxy/io_buffer.h"
#include "proxy/stream.h"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

namespace weft::admin {

class admin_server {
 public:
  admin_server(config::admin_settings settings, std::string state_path, const live_sources& sources,
               const command_context& commands, admin_hooks hooks);
  ~admin_server();

  void start();  // binds (throws on failure) and starts the thread
  void stop();
  // The admin connection limit and failed-login throttle (FLUSH HOSTS, /metrics).
  proxy::admission_control& admission() { return admission_; }

 private:
  proxy::awaitable<void> accept_loop();
  proxy::awaitable<void> run_session(proxy::net_socket socket, std::uint32_t id, proxy::connection_limit::slot place);
  // The connection phase, within the handshake timeout: the negotiated capabilities, or nullopt.
  proxy::awaitable<std::optional<std::uint64_t>> authenticate(proxy::stream& client, proxy::io_buffer& in,
                                                              std::uint32_t id, const std::string& peer);
  proxy::awaitable<void> serve(proxy::stream& client, proxy::io_buffer& in, std::uint64_t caps, std::uint32_t id,
                               const std::string& peer);
  proxy::awaitable<admin_result> run_statement(admin_engine& engine, const std::string& sql);
  struct reported_run;
  proxy::awaitable<admin_result> run_reporting(proxy::stream& client, admin_engine& engine, const std::string& sql,
                                               std::uint8_t& seq);
  // COM_FIELD_LIST: the columns `sql` (SELECT * FROM t LIMIT 0) reports, or its error.
  proxy::awaitable<proxy::error_code> answer_field_list(proxy::stream& client, admin_engine& engine,
                                                        const std::string& sql, std::uint64_t caps);

  config::admin_settings settings_;
  std::string state_path_;
  const live_sources& sources_;
  const command_context& commands_;
  admin_hooks hooks_;
  std::unique_ptr<proxy::asio::ssl::context> tls_;
  proxy::asio::io_context io_{1};
  proxy::net_acceptor acceptor_{io_};
  std::thread thread_;
  boost::asio::thread_pool statements_{4};
  std::uint32_t next_id_ = 1;
  proxy::admission_control admission_;
};

}  // namespace weft::admin
