#include "proxy/backend_pool.h"

#include <sys/socket.h>

#include <algorithm>

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

backend_ptr backend_pool::take_idle(const pool_key& key, const void* requester, bool allow_steal) {
  auto it = servers_.find(key.server);
  if (it == servers_.end()) return nullptr;
  auto& state = it->second;
  // Most recently used first: usually the connection this very session just gave back.
  std::size_t pick = state.idle.size();
  for (auto i = state.idle.size(); i-- > 0;) {
    const auto& candidate = *state.idle[i];
    if (candidate.key != key) continue;
    if (candidate.soft_owner == requester) {
      pick = i;
      break;
    }
    const bool usable = candidate.soft_owner == nullptr || allow_steal;
    if (usable && (pick == state.idle.size() || state.idle[pick]->soft_owner != nullptr)) pick = i;
  }
  if (pick == state.idle.size()) return nullptr;
  backend_ptr backend = std::move(state.idle[pick]);
  state.idle.erase(state.idle.begin() + static_cast<std::ptrdiff_t>(pick));
  backend->soft_owner = nullptr;
  // Every borrow is checked, however short the idle time: a server that closed the connection
  // (after an ERR such as 1156, or a DBA's KILL) or sent bytes nobody asked for must not get the
  // next statement, which would fail with 9005 although it never reached the server. Dead
  // connections are closed (the caller then opens a new one). Age is the sweep's business: a
  // connection past idle_timeout may be one the floor (min_idle) keeps on purpose.
  if (backend->in.empty() && looks_alive(*backend)) return backend;
  backend->link.connection->close();
  --state.open;
  return nullptr;
}

bool backend_pool::reserve(const pool_key& key) {
  auto& state = servers_[key.server];
  if (state.open >= limit_of(state)) {
    // At the limit, an idle connection of another user/schema is worth less than a new one
    // for a session that is waiting now: close the least recently used. One with the
    // requester's key stays: it is kept for another session's warnings, and the requester
    // can take it over (take_idle with allow_steal) instead of logging in anew.
    const auto other_key = std::find_if(state.idle.begin(), state.idle.end(),
                                        [&](const backend_ptr& backend) { return backend->key != key; });
    if (other_key == state.idle.end()) return false;
    (*other_key)->link.connection->close();
    state.idle.erase(other_key);
    --state.open;
  }
  ++state.open;
  return true;
}

std::size_t backend_pool::in_use(const std::string& server) const {
  const auto it = servers_.find(server);
  return it == servers_.end() ? 0 : it->second.open - it->second.idle.size();
}

bool backend_pool::has_spare_room(const std::string& server) const {
  const auto it = servers_.find(server);
  if (it == servers_.end()) return true;
  const auto& state = it->second;
  return state.waiters.empty() && 2 * (state.open - state.idle.size()) < limit_of(state);
}

void backend_pool::cancel_reservation(const std::string& server) {
  auto& state = servers_[server];
  if (!give_room(state)) --state.open;
}

void backend_pool::disown(const void* owner) {
  for (auto& [server, state] : servers_) {
    for (auto& backend : state.idle) {
      if (backend->soft_owner == owner) backend->soft_owner = nullptr;
    }
  }
}

void backend_pool::release(backend_ptr backend, const void* owner) {
  auto& state = servers_[backend->key.server];
  backend->idle_since = std::chrono::steady_clock::now();
  backend->soft_owner = owner;
  for (auto it = state.waiters.begin(); it != state.waiters.end(); ++it) {
    waiter* w = *it;
    if (*w->key != backend->key) continue;
    backend->soft_owner = nullptr;  // someone waiting needs it more than its warnings
    w->result = {wait_result::handed, std::move(backend)};
    state.waiters.erase(it);
    w->timer->cancel();
    return;
  }
  if (!state.waiters.empty() && state.open >= limit_of(state)) {
    // Nobody waiting can use this login, but someone waits for room: close it for them.
    backend->link.connection->close();
    give_room(state);
    return;
  }
  state.idle.push_back(std::move(backend));
}

void backend_pool::discard(backend_ptr backend) {
  auto& state = servers_[backend->key.server];
  backend->link.connection->close();
  if (!give_room(state)) --state.open;
}

bool backend_pool::give_room(server_state& state) {
  if (state.waiters.empty()) return false;
  waiter* w = state.waiters.front();
  state.waiters.pop_front();
  w->result = {wait_result::room_reserved, nullptr};
  w->timer->cancel();
  return true;
}

awaitable<backend_pool::wait_result> backend_pool::wait(const pool_key& key,
                                                        std::chrono::steady_clock::time_point deadline) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_at(deadline);
  waiter me{&key, &timer, {}};
  servers_[key.server].waiters.push_back(&me);
  co_await timer.async_wait(use_nothrow);
  if (me.result.what == wait_result::timed_out) std::erase(servers_[key.server].waiters, &me);
  co_return std::move(me.result);
}

void backend_pool::sweep() {
  const auto now = std::chrono::steady_clock::now();
  for (auto& [server, state] : servers_) {
    const auto before = state.idle.size();
    // Connections the server closed (a DBA's KILL, wait_timeout) leave the pool within a second,
    // so neither the floor nor the admin's backend_connections table counts dead ones.
    std::erase_if(state.idle, [](backend_ptr& backend) {
      if (backend->in.empty() && looks_alive(*backend)) return false;
      backend->link.connection->close();
      return true;
    });
    std::size_t expired = 0;  // the oldest are at the front; the newest min_idle stay
    while (state.idle.size() - expired > limits_.min_idle &&
           now - state.idle[expired]->idle_since > limits_.idle_timeout) {
      state.idle[expired++]->link.connection->close();
    }
    state.idle.erase(state.idle.begin(), state.idle.begin() + static_cast<std::ptrdiff_t>(expired));
    state.open -= before - state.idle.size();
  }
}

std::size_t backend_pool::clear() {
  std::size_t closed = 0;
  for (auto& [server, state] : servers_) {
    for (auto& backend : state.idle) backend->link.connection->close();
    closed += state.idle.size();
    state.open -= state.idle.size();
    state.idle.clear();
  }
  return closed;
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

std::vector<pool_stats> backend_pool::per_server() const {
  std::vector<pool_stats> out;
  for (const auto& [server, state] : servers_) {
    out.push_back({server, state.open, state.idle.size(), state.waiters.size(), limit_of(state)});
  }
  return out;
}

std::vector<backend_connection_info> backend_pool::idle_connections() const {
  const auto now = std::chrono::steady_clock::now();
  std::vector<backend_connection_info> out;
  for (const auto& [server, state] : servers_) {
    for (const auto& b : state.idle) {
      const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - b->idle_since);
      out.push_back({server, b->link.connection_id, b->key.user, b->key.database, 0, idle.count()});
    }
  }
  return out;
}

}  // namespace weft::proxy
