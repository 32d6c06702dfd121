// The HTTP port (Boost.Beast) for load balancers, orchestrators and Prometheus, on its own
// thread: GET /health (200 while the process serves), GET /ready (200 when every group has a
// reachable primary, else 503 with a JSON reason), GET /metrics (Prometheus text), GET /topology
// (JSON).
#pragma once

#include "ops/job_registry.h"

#include <functional>
#include <string>
#include <thread>

#include "config/admin_settings.h"
#include "monitor/account_loader.h"
#include "proxy/admission_control.h"
#include "proxy/asio.h"
#include "proxy/proxy_server.h"
#include "proxy/topology_store.h"

namespace weft::admin {

struct http_sources {
  proxy::topology_store* topology = nullptr;
  std::function<proxy::query_stats()> stats;
  std::function<std::vector<proxy::proxy_server::worker_pool>()> pools;
  std::function<std::size_t()> client_sessions;
  std::function<std::size_t()> parked_sessions;  // of those, parked (waiting without frames)
  // Failovers and switchovers done so far (empty: none can happen).
  std::function<std::pair<std::uint64_t, std::uint64_t>()> ha_counts;
  // The ports' connection limits and failed-login throttles (null: that port is off).
  proxy::admission_control* proxy_admission = nullptr;
  proxy::admission_control* admin_admission = nullptr;
  // The query result cache's counters (empty: no proxy).
  std::function<proxy::result_cache_stats()> cache;
  // Reads of the backends' accounts so far (empty: weft reads none).
  std::function<monitor::account_load_status()> accounts;
  // The admin's jobs (empty: no admin port).
  std::function<std::vector<ops::job_view>()> jobs;
};

// The response bodies, also used by tests.
std::string metrics_text(const http_sources& sources);
std::string accounts_note(const http_sources& sources);
std::string ready_json(const std::optional<std::string>& unready_reason, const std::string& accounts_note);
std::string topology_json(const routing::topology& topology);

class http_server {
 public:
  http_server(config::http_settings settings, http_sources sources);
  ~http_server();
  void start();  // binds (throws on failure) and starts the thread
  void stop();

 private:
  proxy::awaitable<void> accept_loop();
  proxy::awaitable<void> serve(proxy::tcp::socket socket, proxy::connection_limit::slot place);

  config::http_settings settings_;
  http_sources sources_;
  proxy::asio::io_context io_{1};
  proxy::tcp::acceptor acceptor_{io_};
  std::thread thread_;
  // Probes and scrapes need a handful; more are closed on accept so the port cannot take every
  // descriptor.
  proxy::connection_limit connections_{128};
};

}  // namespace weft::admin
