#include "proxy/proxy_server.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

#include "proxy/asio.h"
#include "proxy/listener.h"
#include "proxy/stream.h"
#include "proxy/worker.h"

namespace weft::proxy {

proxy_server::proxy_server(proxy_settings settings, live_state state)
    : settings_(std::move(settings)),
      state_(std::move(state)),
      admission_("proxy", settings_.max_client_connections, settings_.login_throttle),
      cache_(settings_.result_cache_bytes) {}

proxy_server::~proxy_server() {
  stop();
  join();
}

void proxy_server::start() {
  ensure_listen_address_free(settings_.listen);
  if (settings_.client_tls.enabled()) {
    tls_.client = std::make_unique<asio::ssl::context>(
        make_server_tls_context(settings_.client_tls.cert_file, settings_.client_tls.key_file));
  }
  if (settings_.auth_plugin == protocol::caching_sha2_plugin) {
    tls_.sha2_cache = std::make_unique<protocol::sha2_cache>();
    tls_.rsa = std::make_unique<protocol::rsa_key>(protocol::rsa_key::generate());
  }
  if (settings_.backend_tls.enabled) {
    tls_.backend = std::make_unique<asio::ssl::context>(make_client_tls_context(settings_.backend_tls.ca_file));
  }
  unsigned n = settings_.workers;
  if (n == 0) n = default_worker_count(std::thread::hardware_concurrency());
  settings_.workers = n;  // resolved, so each worker computes its share of the limits
  for (unsigned i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<worker>(i, settings_, tls_, state_, next_connection_id_, admission_, cache_));
    // A Unix socket path is bound once; the other workers accept on the first one's socket.
    workers_.back()->listen(settings_.listen.is_unix() && i > 0 ? workers_.front().get() : nullptr);
  }
  for (auto& w : workers_) w->start();
}

void proxy_server::drain(std::chrono::milliseconds timeout) {
  for (auto& w : workers_) w->drain();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (session_count() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::size_t proxy_server::session_count() {
  std::size_t n = 0;
  for (auto& w : workers_) n += w->session_count();
  return n;
}

std::size_t proxy_server::parked_session_count() {
  std::size_t n = 0;
  for (auto& w : workers_) n += w->parked_session_count();
  return n;
}

void proxy_server::stop() {
  for (auto& w : workers_) w->stop();
  if (!workers_.empty()) remove_listener_file(settings_.listen);  // only a path this weft bound
}

query_stats proxy_server::collect_stats() {
  query_stats total;
  for (auto& w : workers_) total.merge(w->stats());
  return total;
}

std::vector<client_session::description> proxy_server::collect_sessions() {
  std::vector<client_session::description> all;
  for (auto& w : workers_) {
    auto some = w->sessions();
    all.insert(all.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
  }
  return all;
}

std::vector<proxy_server::worker_pool> proxy_server::collect_pools() {
  std::vector<worker_pool> all;
  for (unsigned i = 0; i < workers_.size(); ++i) {
    for (auto& p : workers_[i]->pools()) all.push_back({i, std::move(p)});
  }
  return all;
}

std::vector<proxy_server::worker_backend> proxy_server::collect_backend_connections() {
  std::vector<worker_backend> all;
  for (unsigned i = 0; i < workers_.size(); ++i) {
    for (auto& c : workers_[i]->backend_connections()) all.push_back({i, std::move(c)});
  }
  return all;
}

std::size_t proxy_server::close_idle_backends() {
  std::size_t closed = 0;
  for (auto& w : workers_) closed += w->close_idle_backends();
  return closed;
}

void proxy_server::join() {
  for (auto& w : workers_) w->join();
}

}  // namespace weft::proxy
