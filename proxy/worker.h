// One event loop on its own thread with its own listening socket (SO_REUSEPORT: the kernel
// spreads new connections over the workers), so sessions never hop between threads and the hot
// path takes no lock.
#pragma once

#include <atomic>
#include <list>
#include <memory>
#include <thread>

#include "proxy/admission_control.h"
#include "proxy/asio.h"
#include "proxy/backend_pool.h"
#include "proxy/client_session.h"
#include "proxy/settings.h"
#include "proxy/worker_routing.h"
#include "proxy/topology_store.h"

namespace weft::proxy {

class client_session;

class worker {
 public:
  worker(unsigned index, const proxy_settings& settings, const security_contexts& tls, const live_state& state,
         std::atomic<std::uint32_t>& next_connection_id, admission_control& admission, result_cache& cache);
  ~worker();

  // Binds the listener (throws on failure, so startup errors surface before threads run); with
  // `shared`, accepts on that worker's listening socket instead (a Unix socket path).
  void listen(worker* shared = nullptr);
  void start();
  // Stops accepting and closes every session; the thread ends when its loop runs dry.
  void stop();
  // Stops accepting; idle sessions close now, busy ones after their current command.
  void drain();
  std::size_t session_count();
  std::size_t parked_session_count();
  void join();
  // A copy of this worker's statistics, taken on its thread (blocks the caller until then).
  query_stats stats();
  // The worker's sessions and its pools, copied on its thread.
  std::vector<client_session::description> sessions();
  std::vector<pool_stats> pools();
  // Every backend connection of this worker: idle in its pool or held by one of its sessions.
  std::vector<backend_connection_info> backend_connections();
  // Closes the idle pooled connections (held ones are left alone); returns how many.
  std::size_t close_idle_backends();

 private:
  awaitable<void> accept_loop();
  awaitable<void> sweep_pool();

  unsigned index_;
  const proxy_settings& settings_;
  const security_contexts& tls_;
  std::atomic<std::uint32_t>& next_connection_id_;
  admission_control& admission_;
  asio::io_context io_{1};
  backend_pool pool_;
  worker_routing routing_;
  std::function<void()> accounts_stale_;
  net_acceptor acceptor_{io_};
  std::list<std::weak_ptr<client_session>> sessions_;  // touched only on this worker's thread
  std::size_t parked_sessions_ = 0;                     // of them (each session counts itself)
  std::thread thread_;
  bool stopping_ = false;  // touched only on this worker's thread
};

}  // namespace weft::proxy
