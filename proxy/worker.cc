#include "proxy/worker.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <future>

#include "proxy/client_session.h"
#include "proxy/listener.h"

namespace weft::proxy {

namespace {
// A session with no command for this long parks (client_session::park_if_idle): waking one costs
// a few allocations, so a session between the queries of a busy client never pays it. Short
// enough that the sessions of a crowd logging in do not all hold their frames at once: what they
// free when they park stays in the heap, a hole between the others' memory (issue 17).
constexpr std::chrono::milliseconds park_after_idle{250};
constexpr std::chrono::milliseconds park_sweep_every{250};
constexpr auto park_sweeps_per_second = std::chrono::seconds(1) / park_sweep_every;  // 4

// Each worker owns a share of every server's connection limit (rounded up).
std::size_t per_worker_share(const proxy_settings& settings) {
  const auto workers = std::max<std::size_t>(1, settings.workers);
  return std::max<std::size_t>(1, (settings.max_backend_connections + workers - 1) / workers);
}
}  // namespace

worker::worker(unsigned index, const proxy_settings& settings, const security_contexts& tls,
               const live_state& state, std::atomic<std::uint32_t>& next_connection_id,
               admission_control& admission, result_cache& cache)
    : index_(index),
      settings_(settings),
      tls_(tls),
      next_connection_id_(next_connection_id),
      admission_(admission),
      pool_(pool_limits{per_worker_share(settings), settings.idle_timeout, settings.min_idle_backend_connections}),
      routing_(state.config, state.topology, state.accounts),
      accounts_stale_(state.accounts_stale) {
  routing_.cache = &cache;
}

worker::~worker() {
  stop();
  join();
}

void worker::listen(worker* shared) {
  if (shared) return share_listener(acceptor_, shared->acceptor_);
  open_listener(acceptor_, settings_.listen, true);
}

void worker::start() {
  asio::co_spawn(io_, accept_loop(), asio::detached);
  asio::co_spawn(io_, sweep_pool(), asio::detached);
  thread_ = std::thread([this] { io_.run(); });
}

void worker::stop() {
  asio::post(io_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
    stopping_ = true;
    for (auto& weak : sessions_) {
      if (auto s = weak.lock()) s->shutdown();
    }
    pool_.clear();
  });
}


// Runs f on the worker's thread and waits for its result (the admin's thread calls this).
template <class F>
auto on_worker_thread(asio::io_context& io, const std::thread& thread, F f) -> decltype(f()) {
  if (!thread.joinable() || io.stopped()) return f();
  std::promise<decltype(f())> result;
  auto done = result.get_future();
  asio::post(io, [&] { result.set_value(f()); });
  return done.get();
}

std::vector<client_session::description> worker::sessions() {
  return on_worker_thread(io_, thread_, [this] {
    std::vector<client_session::description> out;
    for (const auto& weak : sessions_) {
      if (auto s = weak.lock()) out.push_back(s->describe());
    }
    return out;
  });
}

query_stats worker::stats() {
  return on_worker_thread(io_, thread_, [this] { return routing_.stats; });
}

std::vector<pool_stats> worker::pools() {
  return on_worker_thread(io_, thread_, [this] { return pool_.per_server(); });
}

std::vector<backend_connection_info> worker::backend_connections() {
  return on_worker_thread(io_, thread_, [this] {
    auto out = pool_.idle_connections();
    for (const auto& weak : sessions_) {
      auto s = weak.lock();
      if (!s) continue;
      if (auto held = s->backend_in_use()) out.push_back(std::move(*held));
    }
    return out;
  });
}

std::size_t worker::close_idle_backends() {
  return on_worker_thread(io_, thread_, [this] { return pool_.clear(); });
}

void worker::drain() {
  asio::post(io_, [this] {
    error_code ignored;
    acceptor_.close(ignored);
    routing_.draining = true;
    for (auto& weak : sessions_) {
      auto s = weak.lock();
      if (s && s->describe().command == "Sleep") s->shutdown();
    }
  });
}

std::size_t worker::session_count() {
  return on_worker_thread(io_, thread_, [this] { return sessions_.size(); });
}

std::size_t worker::parked_session_count() {
  return on_worker_thread(io_, thread_, [this] { return parked_sessions_; });
}

void worker::join() {
  if (thread_.joinable()) thread_.join();
}

awaitable<void> worker::accept_loop() {
  log_limiter accept_errors(std::chrono::seconds(5));
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
    if (ec) {
      if (!acceptor_.is_open()) co_return;  // stopping
      if (const auto n = accept_errors.note()) {
        spdlog::warn("event=accept_failed worker={} error=\"{}\" failures={}", index_, ec.message(), *n);
      }
      // Out of descriptors and the like: back off briefly rather than spin.
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(use_nothrow);
      continue;
    }
    auto place = admission_.admit(socket);
    if (!place) continue;  // refused with 1040 or 1129, already closed
    const auto id = next_connection_id_.fetch_add(1, std::memory_order_relaxed);
    auto session = std::make_shared<client_session>(
        std::move(socket), session_context{settings_, tls_, pool_, routing_, routing_.config_now(), id, admission_, accounts_stale_,
                                          parked_sessions_});
    auto it = sessions_.insert(sessions_.end(), session);
    session->hold_until_end(std::move(*place), [this, it] { sessions_.erase(it); });
    asio::co_spawn(io_, client_session::live(std::move(session)), asio::detached);
  }
}

// Every 250 ms, parks the sessions idle since the last look. Once a second, closes idle
// connections past the idle timeout (beyond the floor) or closed by the server, and lets each
// session's watchdog look at its backend; no per-query timers. Every 10 s it logs client
// sessions against backend connections (the admin port shows them too: stats_pools,
// backend_connections).
awaitable<void> worker::sweep_pool() {
  asio::steady_timer timer(io_);
  for (unsigned tick = 1; !stopping_; ++tick) {
    timer.expires_after(park_sweep_every);
    co_await timer.async_wait(use_nothrow);
    const bool whole_second = tick % park_sweeps_per_second == 0;
    if (whole_second) pool_.sweep();
    const auto& latest = routing_.topology.current();
    const auto now = std::chrono::steady_clock::now();
    for (const auto& weak : sessions_) {
      auto s = weak.lock();
      if (!s) continue;
      if (whole_second) s->watch_backend(*latest, settings_.backend_read_timeout);
      s->park_if_idle(now, park_after_idle);
    }
    if (tick % (10 * park_sweeps_per_second) == 0 && !sessions_.empty()) {
      const auto stats = pool_.stats();
      spdlog::info("event=pool_stats worker={} client_sessions={} backend_connections={} idle={} waiting={}",
                   index_, sessions_.size(), stats.open, stats.idle, stats.waiting);
    }
  }
  pool_.clear();
}

// `place` holds the session's place under max_client_connections until the session ends.
}  // namespace weft::proxy
