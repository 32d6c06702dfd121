#include "proxy/backend_pool.h"

#include <sys/socket.h>

#include <spdlog/spdlog.h>

namespace weft::proxy {

bool backend_pool::looks_alive(pooled_backend& backend) {
  // One non-blocking peek, no round trip: an idle connection must have nothing to read.
  // 0 = the server closed it; data = it sent something unasked (e.g. an ERR before closing).
  std::uint8_t probe;
  const auto fd = backend.link.connection->socket().native_handle();
  const auto n = ::recv(fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

backend_ptr backend_pool::take_idle(const pool_key& key) {
  auto it = servers_.find(key.server);
  if (it == servers_.end()) return nullptr;
  auto& state = it->second;
  const auto now = std::chrono::steady_clock::now();
  for (auto c = state.idle.begin(); c != state.idle.end();) {
    if ((*c)->key != key) {
      ++c;
      continue;
    }
    backend_ptr backend = std::move(*c);
    c = state.idle.erase(c);
    if (now - backend->idle_since <= limits_.idle_timeout && looks_alive(*backend)) return backend;
    backend->link.connection->close();
    --state.open;
  }
  return nullptr;
}

bool backend_pool::reserve(const std::string& server) {
  auto& state = servers_[server];
  if (state.open >= limits_.max_per_server) {
    // At the limit, an idle connection of another user/schema is worth less than a new one
    // for a session that is waiting now: close the least recently used.
    if (state.idle.empty()) return false;
    state.idle.back()->link.connection->close();
    state.idle.pop_back();
    --state.open;
  }
  ++state.open;
  return true;
}

void backend_pool::cancel_reservation(const std::string& server) {
  auto& state = servers_[server];
  --state.open;
  wake_one(state);
}

void backend_pool::release(backend_ptr backend) {
  auto& state = servers_[backend->key.server];
  backend->idle_since = std::chrono::steady_clock::now();
  state.idle.push_front(std::move(backend));
  wake_one(state);
}

void backend_pool::discard(backend_ptr backend) {
  auto& state = servers_[backend->key.server];
  backend->link.connection->close();
  --state.open;
  wake_one(state);
}

void backend_pool::wake_one(server_state& state) {
  if (state.waiters.empty()) return;
  state.waiters.front()->cancel();  // the waiter re-checks the pool
  state.waiters.pop_front();
}

awaitable<bool> backend_pool::wait(const std::string& server, std::chrono::steady_clock::time_point deadline) {
  auto& state = servers_[server];
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(deadline);
  state.waiters.push_back(&timer);
  auto [ec] = co_await timer.async_wait(use_nothrow);
  if (!ec) {  // timed out: we are still in the queue
    auto& waiters = servers_[server].waiters;
    std::erase(waiters, &timer);
    co_return false;
  }
  co_return true;
}

void backend_pool::sweep() {
  const auto now = std::chrono::steady_clock::now();
  for (auto& [server, state] : servers_) {
    while (!state.idle.empty() && now - state.idle.back()->idle_since > limits_.idle_timeout) {
      state.idle.back()->link.connection->close();
      state.idle.pop_back();
      --state.open;
    }
  }
}

void backend_pool::clear() {
  for (auto& [server, state] : servers_) {
    for (auto& backend : state.idle) backend->link.connection->close();
    state.open -= state.idle.size();
    state.idle.clear();
  }
}

pool_stats backend_pool::stats() const {
  pool_stats s;
  for (const auto& [server, state] : servers_) {
    s.open += state.open;
    s.idle += state.idle.size();
    s.waiting += state.waiters.size();
  }
  return s;
}

}  // namespace weft::proxy
