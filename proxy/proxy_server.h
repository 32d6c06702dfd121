// The proxy listener: a set of workers sharing one address.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "proxy/admission_control.h"
#include "proxy/result_cache.h"
#include "proxy/client_session.h"
#include "proxy/live_state.h"
#include "proxy/query_stats.h"
#include "proxy/settings.h"
#include "proxy/topology_store.h"

namespace weft::proxy {

class worker;

class proxy_server {
 public:
  proxy_server(proxy_settings settings, live_state state);
  ~proxy_server();

  void start();  // throws when the address cannot be bound or TLS files cannot be loaded
  void stop();
  // Stops accepting and waits (up to timeout) for sessions to finish their current command.
  void drain(std::chrono::milliseconds timeout);
  std::size_t session_count();
  std::size_t parked_session_count();  // of those, parked (client_session::park_if_idle)
  void join();
  unsigned worker_count() const { return static_cast<unsigned>(workers_.size()); }
  // Every worker's statement statistics, added up (collected on each worker's own thread).
  query_stats collect_stats();
  // Every worker's sessions, and its pools (one row per worker and server).
  std::vector<client_session::description> collect_sessions();
  struct worker_pool {
    unsigned worker;
    pool_stats pool;
  };
  std::vector<worker_pool> collect_pools();
  struct worker_backend {
    unsigned worker;
    backend_connection_info connection;
  };
  std::vector<worker_backend> collect_backend_connections();
  // Closes every worker's idle pooled connections; returns how many.
  std::size_t close_idle_backends();
  // The client connection limit and the failed-login throttle, shared by the workers.
  admission_control& admission() { return admission_; }
  // The query result cache the workers share.
  result_cache& cache() { return cache_; }

 private:
  proxy_settings settings_;
  live_state state_;
  security_contexts tls_;
  std::atomic<std::uint32_t> next_connection_id_{1};
  admission_control admission_;
  result_cache cache_;
  std::vector<std::unique_ptr<worker>> workers_;
};

}  // namespace weft::proxy
