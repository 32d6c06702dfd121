#include "proxy/proxy_server.h"

#include <thread>

#include "proxy/worker.h"

namespace weft::proxy {

proxy_server::proxy_server(proxy_settings settings, snapshot_ptr snapshot)
    : settings_(std::move(settings)), snapshot_(std::move(snapshot)) {}

proxy_server::~proxy_server() {
  stop();
  join();
}

void proxy_server::start() {
  unsigned n = settings_.workers;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    workers_.push_back(std::make_unique<worker>(i, settings_, snapshot_, next_connection_id_));
    workers_.back()->listen();
  }
  for (auto& w : workers_) w->start();
}

void proxy_server::stop() {
  for (auto& w : workers_) w->stop();
}

void proxy_server::join() {
  for (auto& w : workers_) w->join();
}

}  // namespace weft::proxy
