// backend_pool without a server: each pooled connection is one end of a local socketpair, the
// other end plays the backend (it can close, or send bytes nobody asked for), and tells whether
// the pool closed the connection (it then reads end-of-file).
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "proxy/backend_pool.h"

namespace weft::proxy {
namespace {

using namespace std::chrono_literals;
using std::chrono::steady_clock;
using wait_result = backend_pool::wait_result;
// Long enough to be still waiting when the test looks, even on a loaded machine; short enough to
// let the test end by timing the wait out.
constexpr auto short_patience = 200ms;

const char session_a = 'a', session_b = 'b';
const void* const A = &session_a;  // two client sessions, as soft owners and requesters
const void* const B = &session_b;

const pool_key K{"db1:3306", "app", {}, "", 0x000fa68f, 45, "shop", 0};
pool_key with_user(std::string user) { auto k = K; k.user = std::move(user); return k; }
pool_key with_password(std::string_view password) {
  auto k = K;
  k.credential = protocol::native_password_hash::from_password(password).stage2;
  return k;
}
pool_key from_client(std::string address) { auto k = K; k.client_address = std::move(address); return k; }
pool_key with_schema(std::string schema) { auto k = K; k.database = std::move(schema); return k; }
pool_key with_state(std::uint64_t state) { auto k = K; k.session_state = state; return k; }
pool_key with_capabilities(std::uint64_t caps) { auto k = K; k.capabilities = caps; return k; }
pool_key on_server(std::string server) { auto k = K; k.server = std::move(server); return k; }

awaitable<void> wait_into(backend_pool& pool, pool_key key, steady_clock::time_point deadline,
                          std::optional<wait_result>& out) {
  out = co_await pool.wait(key, deadline);
}

// One worker's pool, its event loop, and the backend end of every connection it was given.
struct pool_bench {
  asio::io_context io;
  backend_pool pool;
  std::map<std::uint32_t, int> backend_end;  // by connection id
  std::deque<std::optional<wait_result>> waits;
  std::uint32_t next_id = 1;

  explicit pool_bench(pool_limits limits = {10, 10000ms, 1}) : pool(limits) {}
  ~pool_bench() {
    for (const auto& [id, fd] : backend_end) {
      if (fd >= 0) ::close(fd);
    }
  }

  // A new connection, without asking the pool for room (the room was reserved already).
  backend_ptr connect(const pool_key& key) {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    auto backend = std::make_unique<pooled_backend>();
    backend->key = key;
    backend->link.connection_id = next_id++;
    backend->link.connection = std::make_unique<stream>(tcp::socket(io, tcp::v4(), fds[0]));
    backend_end[backend->link.connection_id] = fds[1];
    return backend;
  }
  // A connection lent out, as a session gets it: room reserved, then opened.
  backend_ptr open(const pool_key& key) {
    EXPECT_TRUE(pool.reserve(key));
    return connect(key);
  }
  // A connection opened, used, and given back idle; its id.
  std::uint32_t idle(const pool_key& key, const void* owner = nullptr) {
    auto backend = open(key);
    const auto id = backend->link.connection_id;
    pool.release(std::move(backend), owner);
    return id;
  }

  // End of file, or a reset when the pool closed it with bytes unread (as TCP would).
  bool closed_by_pool(std::uint32_t id) {
    char byte;
    const auto n = ::recv(backend_end.at(id), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }
  void backend_closes(std::uint32_t id) {
    ::close(backend_end.at(id));
    backend_end[id] = -1;
  }
  void backend_sends(std::uint32_t id) {
    ASSERT_EQ(::send(backend_end.at(id), "\xff", 1, MSG_NOSIGNAL), 1);
  }

  // A session queues; returns where its result will be.
  std::optional<wait_result>& start_wait(const pool_key& key, steady_clock::duration patience = 10s) {
    auto& out = waits.emplace_back();
    asio::co_spawn(io, wait_into(pool, key, steady_clock::now() + patience, out), asio::detached);
    settle();
    return out;
  }
  void settle() {  // runs whatever is ready, without waiting for timers
    io.restart();
    io.poll();
  }
  void run_until_all_waits_end() {
    io.restart();
    io.run_for(5s);
  }

  std::size_t open_count() { return pool.stats().open; }
  std::size_t idle_count() { return pool.stats().idle; }
  std::size_t waiting() { return pool.stats().waiting; }
};

std::uint32_t id_of(const backend_ptr& backend) { return backend ? backend->link.connection_id : 0; }

// --- take_idle --------------------------------------------------------------------------------

enum class backend_does { nothing, close, send_bytes };
struct idle_connection {
  pool_key key;
  const void* owner = nullptr;
  backend_does backend = backend_does::nothing;
};

TEST(BackendPool, TakeIdleChoosesByOwnerKeyAgeAndLiveness) {
  struct row {
    const char* name;
    std::vector<idle_connection> idle;  // released in this order: the last is the most recent
    const void* requester;
    bool allow_steal;
    int taken;  // index into idle, -1: none
    int closed;  // index of the one found dead and closed, -1: none
  };
  const row rows[] = {
      {"own before a newer free one", {{K, A}, {K}}, A, false, 0, -1},
      {"own before a newer free one, stealing allowed", {{K, A}, {K}, {K, B}}, A, true, 0, -1},
      {"free before a newer one of another session", {{K}, {K, B}}, A, true, 0, -1},
      {"another session's only without allow_steal: none", {{K, B}}, A, false, -1, -1},
      {"another session's with allow_steal", {{K, B}}, A, true, 0, -1},
      // What the code does today (the header says "most recently used first"): see the report.
      {"the least recent of other sessions' when stealing", {{K, B}, {K, B}}, A, true, 0, -1},
      {"most recently used free one first", {{K}, {K}, {K}}, A, false, 2, -1},
      {"no owner asks: a free one", {{K, B}, {K}}, nullptr, false, 1, -1},
      {"another user never", {{with_user("other"), A}}, A, true, -1, -1},
      {"another schema never", {{with_schema("hr"), A}}, A, true, -1, -1},
      {"the same user with another password never", {{with_password("other-account"), A}}, A, true, -1, -1},
      {"another client address (PROXY protocol) never", {{from_client("10.0.0.7"), A}}, A, true, -1, -1},
      {"another session state never", {{with_state(77)}}, A, true, -1, -1},
      {"other capabilities never", {{with_capabilities(0x200)}}, A, true, -1, -1},
      {"another server never", {{on_server("db2:3306")}}, A, true, -1, -1},
      {"the matching one among others", {{with_user("x")}, {K}, {with_schema("y")}}, A, false, 1, -1},
      {"backend closed it: closed, none", {{K, nullptr, backend_does::close}}, A, false, -1, 0},
      {"backend sent bytes: closed, none", {{K, nullptr, backend_does::send_bytes}}, A, false, -1, 0},
      {"own one dead: closed, none", {{K}, {K, A, backend_does::close}}, A, false, -1, 1},
      {"a dead one of another key stays (not looked at)", {{with_user("x"), nullptr, backend_does::close}, {K}}, A, false, 1, -1},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    pool_bench bench;
    std::vector<std::uint32_t> ids;
    for (const auto& c : r.idle) ids.push_back(bench.idle(c.key, c.owner));
    for (std::size_t i = 0; i < r.idle.size(); ++i) {
      if (r.idle[i].backend == backend_does::close) bench.backend_closes(ids[i]);
      if (r.idle[i].backend == backend_does::send_bytes) bench.backend_sends(ids[i]);
    }
    const auto taken = bench.pool.take_idle(K, r.requester, r.allow_steal);
    EXPECT_EQ(id_of(taken), r.taken < 0 ? 0 : ids[r.taken]);
    if (taken) {
      EXPECT_EQ(taken->soft_owner, nullptr);
    }
    const std::size_t dead = r.closed < 0 ? 0 : 1;
    EXPECT_EQ(bench.open_count(), r.idle.size() - dead);  // a dead one's room is freed
    EXPECT_EQ(bench.idle_count(), r.idle.size() - dead - (taken ? 1 : 0));
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (r.idle[i].backend == backend_does::close) continue;  // its backend end is gone
      EXPECT_EQ(bench.closed_by_pool(ids[i]), static_cast<int>(i) == r.closed) << "connection " << i;
    }
  }
}

TEST(BackendPool, TakeIdleTreatsUnreadBufferedBytesAsDead) {
  pool_bench bench;
  auto backend = bench.open(K);
  const auto id = backend->link.connection_id;
  const std::uint8_t stray[] = {0x07, 0x00, 0x00, 0x01};
  std::memcpy(backend->in.spare(sizeof stray), stray, sizeof stray);
  backend->in.commit(sizeof stray);
  bench.pool.release(std::move(backend));
  EXPECT_EQ(bench.pool.take_idle(K, A, false), nullptr);
  EXPECT_TRUE(bench.closed_by_pool(id));
  EXPECT_EQ(bench.open_count(), 0u);
}

// --- reserve and limits ----------------------------------------------------------------------

TEST(BackendPool, ReserveStopsAtTheLimitUnlessAnIdleOneCanGo) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 2);
  auto first = bench.open(K);
  auto second = bench.open(K);
  EXPECT_FALSE(bench.pool.reserve(K));  // both lent out: nothing to close
  EXPECT_EQ(bench.open_count(), 2u);
  EXPECT_TRUE(bench.pool.reserve(on_server("db2:3306")));  // another server has its own limit (the default)
}

TEST(BackendPool, ReserveAtTheLimitClosesTheLeastRecentlyUsedIdleOne) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 2);
  const auto older = bench.idle(with_user("x"));
  const auto newer = bench.idle(with_user("y"));
  EXPECT_TRUE(bench.pool.reserve(K));
  EXPECT_TRUE(bench.closed_by_pool(older));
  EXPECT_FALSE(bench.closed_by_pool(newer));
  EXPECT_EQ(bench.open_count(), 2u);  // the reserved room and the newer idle one
  EXPECT_EQ(bench.idle_count(), 1u);
  EXPECT_EQ(bench.pool.in_use("db1:3306"), 1u);
}

// The sequence of session_backend::open_or_wait at the limit: reserve, then steal. The only idle
// connection has the requester's key but is kept for another session: it is taken over, not
// closed for a new login (before, reserve closed it whatever its key, so the steal never found one).
TEST(BackendPool, AtTheLimitAnIdleConnectionOfTheRequestersKeyIsStolenNotClosed) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 1);
  const auto of_b = bench.idle(K, B);
  EXPECT_FALSE(bench.pool.reserve(K));
  EXPECT_FALSE(bench.closed_by_pool(of_b));
  EXPECT_EQ(id_of(bench.pool.take_idle(K, A, true)), of_b);
  EXPECT_EQ(bench.open_count(), 1u);
}

TEST(BackendPool, AtTheLimitReserveClosesTheOldestIdleOneOfAnotherKeyOnly) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 3);
  const auto same_key = bench.idle(K, B);  // the least recently used, but of the requester's key
  const auto other1 = bench.idle(with_user("x"));
  const auto other2 = bench.idle(with_schema("hr"));
  EXPECT_TRUE(bench.pool.reserve(K));
  EXPECT_FALSE(bench.closed_by_pool(same_key));
  EXPECT_TRUE(bench.closed_by_pool(other1));
  EXPECT_FALSE(bench.closed_by_pool(other2));
  EXPECT_EQ(bench.open_count(), 3u);
  EXPECT_EQ(bench.idle_count(), 2u);
}

TEST(BackendPool, TheDefaultLimitComesFromPoolLimits) {
  pool_bench bench({3, 10000ms, 1});
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(bench.pool.reserve(K)) << i;
  EXPECT_FALSE(bench.pool.reserve(K));
  bench.pool.set_limit("db1:3306", 4);
  EXPECT_TRUE(bench.pool.reserve(K));
  EXPECT_FALSE(bench.pool.reserve(K));
}

TEST(BackendPool, CancelReservationGivesTheRoomBack) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 1);
  EXPECT_TRUE(bench.pool.reserve(K));
  bench.pool.cancel_reservation("db1:3306");
  EXPECT_EQ(bench.open_count(), 0u);
  EXPECT_TRUE(bench.pool.reserve(K));
  auto& waiter = bench.start_wait(K);
  bench.pool.cancel_reservation("db1:3306");  // someone waits: the room is theirs
  bench.settle();
  ASSERT_TRUE(waiter);
  EXPECT_EQ(waiter->what, wait_result::room_reserved);
  EXPECT_EQ(bench.open_count(), 1u);
}

// --- has_spare_room and in_use ---------------------------------------------------------------

TEST(BackendPool, SpareRoomMeansNobodyWaitsAndUnderHalfTheLimitLentOut) {
  struct row {
    std::size_t limit, lent, idle;
    bool someone_waits, spare;
  };
  const row rows[] = {
      {4, 0, 0, false, true}, {4, 1, 0, false, true},  {4, 2, 0, false, false},
      {4, 3, 0, false, false}, {4, 1, 3, false, true}, {4, 1, 0, true, false},
      {1, 0, 0, false, true}, {1, 1, 0, false, false}, {5, 2, 0, false, true},
      {5, 3, 0, false, false},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(testing::Message() << "limit " << r.limit << ", lent " << r.lent << ", idle " << r.idle
                                    << (r.someone_waits ? ", a waiter" : ""));
    pool_bench bench;
    bench.pool.set_limit("db1:3306", r.limit);
    for (std::size_t i = 0; i < r.idle; ++i) bench.idle(K);
    std::vector<backend_ptr> lent;
    for (std::size_t i = 0; i < r.lent; ++i) lent.push_back(bench.open(K));
    if (r.someone_waits) bench.start_wait(with_user("x"), short_patience);
    EXPECT_EQ(bench.pool.in_use("db1:3306"), r.lent);
    EXPECT_EQ(bench.pool.has_spare_room("db1:3306"), r.spare);
    bench.run_until_all_waits_end();
  }
}

TEST(BackendPool, AnUnknownServerHasRoomAndNothingInUse) {
  pool_bench bench;
  EXPECT_TRUE(bench.pool.has_spare_room("db9:3306"));
  EXPECT_EQ(bench.pool.in_use("db9:3306"), 0u);
}

// --- waiting ---------------------------------------------------------------------------------

TEST(BackendPool, ReleaseHandsTheConnectionToTheFirstWaiterOfItsKey) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 1);
  auto backend = bench.open(K);
  const auto id = backend->link.connection_id;
  auto& other_key = bench.start_wait(with_schema("hr"));
  auto& first = bench.start_wait(K);
  auto& second = bench.start_wait(K);
  EXPECT_EQ(bench.waiting(), 3u);
  bench.pool.release(std::move(backend), A);
  bench.settle();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->what, wait_result::handed);
  EXPECT_EQ(id_of(first->backend), id);
  EXPECT_EQ(first->backend->soft_owner, nullptr);  // a waiter needs it more than A's warnings
  EXPECT_FALSE(second);
  EXPECT_FALSE(other_key);
  EXPECT_EQ(bench.waiting(), 2u);
  EXPECT_EQ(bench.idle_count(), 0u);
  EXPECT_EQ(bench.open_count(), 1u);
  EXPECT_FALSE(bench.closed_by_pool(id));
}

TEST(BackendPool, ReleaseAtTheLimitClosesAConnectionNoWaiterCanUseAndGivesItsRoom) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 1);
  auto backend = bench.open(K);
  const auto id = backend->link.connection_id;
  auto& waiter = bench.start_wait(with_user("other"));
  bench.pool.release(std::move(backend));
  bench.settle();
  ASSERT_TRUE(waiter);
  EXPECT_EQ(waiter->what, wait_result::room_reserved);
  EXPECT_EQ(waiter->backend, nullptr);
  EXPECT_TRUE(bench.closed_by_pool(id));
  EXPECT_EQ(bench.open_count(), 1u);  // the room now belongs to the waiter
  EXPECT_EQ(bench.idle_count(), 0u);
  EXPECT_EQ(bench.waiting(), 0u);
}

TEST(BackendPool, ReleaseUnderTheLimitKeepsAConnectionNoWaiterCanUse) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 2);
  auto backend = bench.open(K);
  const auto id = backend->link.connection_id;
  auto& waiter = bench.start_wait(with_user("other"), short_patience);
  bench.pool.release(std::move(backend));
  EXPECT_FALSE(bench.closed_by_pool(id));
  EXPECT_EQ(bench.idle_count(), 1u);
  bench.run_until_all_waits_end();
  ASSERT_TRUE(waiter);
  EXPECT_EQ(waiter->what, wait_result::timed_out);
}

TEST(BackendPool, AWaitPastItsDeadlineTimesOutAndLeavesTheQueue) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 1);
  auto backend = bench.open(K);
  const auto started = steady_clock::now();
  auto& waiter = bench.start_wait(K, 20ms);
  EXPECT_EQ(bench.waiting(), 1u);
  bench.run_until_all_waits_end();
  ASSERT_TRUE(waiter);
  EXPECT_EQ(waiter->what, wait_result::timed_out);
  EXPECT_EQ(waiter->backend, nullptr);
  EXPECT_GE(steady_clock::now() - started, 20ms);
  EXPECT_EQ(bench.waiting(), 0u);
  bench.pool.release(std::move(backend));  // nobody left to hand it to: idle
  EXPECT_EQ(bench.idle_count(), 1u);
}

TEST(BackendPool, DiscardGivesItsRoomToTheFirstWaiterOnly) {
  pool_bench bench;
  bench.pool.set_limit("db1:3306", 1);
  auto backend = bench.open(K);
  const auto id = backend->link.connection_id;
  auto& first = bench.start_wait(with_user("x"));
  auto& second = bench.start_wait(K);
  bench.pool.discard(std::move(backend));
  bench.settle();
  EXPECT_TRUE(bench.closed_by_pool(id));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->what, wait_result::room_reserved);
  EXPECT_FALSE(second);
  EXPECT_EQ(bench.open_count(), 1u);
  // The first opens its connection on the room, fails with it later: the second gets the room.
  auto opened = bench.connect(with_user("x"));
  bench.pool.discard(std::move(opened));
  bench.settle();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->what, wait_result::room_reserved);
  EXPECT_EQ(bench.open_count(), 1u);
  bench.pool.discard(bench.connect(K));  // nobody waits: the room is freed
  EXPECT_EQ(bench.open_count(), 0u);
}

// --- disown, sweep, clear --------------------------------------------------------------------

TEST(BackendPool, DisownMakesASessionsIdleConnectionsFree) {
  pool_bench bench;
  const auto of_a = bench.idle(K, A);
  const auto of_b = bench.idle(with_user("u"), B);
  EXPECT_EQ(bench.pool.take_idle(K, B, false), nullptr);
  bench.pool.disown(A);
  EXPECT_EQ(bench.pool.take_idle(with_user("u"), A, false), nullptr);  // B still owns its own
  EXPECT_EQ(id_of(bench.pool.take_idle(K, B, false)), of_a);
  EXPECT_EQ(id_of(bench.pool.take_idle(with_user("u"), B, false)), of_b);
}

TEST(BackendPool, SweepClosesDeadAndExpiredIdleConnectionsAboveTheFloor) {
  struct row {
    const char* name;
    std::size_t min_idle;
    int old_ones, fresh_ones;  // released before / after the idle timeout passes
    std::vector<int> dead;     // indexes the backend closed
    std::vector<int> kept;     // indexes still idle after the sweep
  };
  const row rows[] = {
      {"expired ones go, the newest min_idle stay", 1, 3, 0, {}, {2}},
      {"a floor of two keeps the two newest", 2, 3, 0, {}, {1, 2}},
      {"a floor of zero lets all expired go", 0, 3, 0, {}, {}},
      {"fresh ones stay above the floor", 0, 1, 2, {}, {1, 2}},
      {"the floor is counted with fresh ones", 1, 2, 1, {}, {2}},
      {"dead ones go even inside the floor", 3, 0, 3, {1}, {0, 2}},
      {"the floor counts live ones only", 2, 3, 0, {2}, {0, 1}},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    pool_bench bench({10, 100ms, r.min_idle});
    std::vector<std::uint32_t> ids;
    for (int i = 0; i < r.old_ones; ++i) ids.push_back(bench.idle(K));
    std::this_thread::sleep_for(150ms);  // fresh ones stay fresh for 100 ms: room for a slow machine
    for (int i = 0; i < r.fresh_ones; ++i) ids.push_back(bench.idle(K));
    for (const int i : r.dead) bench.backend_closes(ids[i]);
    bench.pool.sweep();
    EXPECT_EQ(bench.idle_count(), r.kept.size());
    EXPECT_EQ(bench.open_count(), r.kept.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (std::count(r.dead.begin(), r.dead.end(), static_cast<int>(i))) continue;
      const bool kept = std::count(r.kept.begin(), r.kept.end(), static_cast<int>(i)) > 0;
      EXPECT_EQ(bench.closed_by_pool(ids[i]), !kept) << "connection " << i;
    }
  }
}

TEST(BackendPool, ClearClosesEveryIdleConnectionAndCountsThem) {
  pool_bench bench;
  const auto idle1 = bench.idle(K);
  const auto idle2 = bench.idle(with_user("x"), A);
  const auto idle3 = bench.idle(on_server("db2:3306"));
  auto lent = bench.open(K);
  EXPECT_EQ(bench.pool.clear(), 3u);
  for (const auto id : {idle1, idle2, idle3}) EXPECT_TRUE(bench.closed_by_pool(id)) << id;
  EXPECT_FALSE(bench.closed_by_pool(lent->link.connection_id));
  EXPECT_EQ(bench.open_count(), 1u);
  EXPECT_EQ(bench.idle_count(), 0u);
  EXPECT_EQ(bench.pool.clear(), 0u);
}

// --- what the admin sees ---------------------------------------------------------------------

TEST(BackendPool, StatsAndPerServerCountOpenIdleWaitingAndLimit) {
  pool_bench bench({10, 10000ms, 1});
  bench.pool.set_limit("db1:3306", 2);
  auto lent = bench.open(K);
  bench.idle(K, A);
  bench.idle(on_server("db2:3306"));
  bench.idle(on_server("db2:3306"));
  auto lent2 = bench.open(on_server("db2:3306"));
  bench.start_wait(with_user("x"), short_patience);
  const auto total = bench.pool.stats();
  EXPECT_EQ(total.server, "");
  EXPECT_EQ(total.open, 5u);
  EXPECT_EQ(total.idle, 3u);
  EXPECT_EQ(total.waiting, 1u);
  auto servers = bench.pool.per_server();
  ASSERT_EQ(servers.size(), 2u);
  std::sort(servers.begin(), servers.end(), [](const auto& x, const auto& y) { return x.server < y.server; });
  EXPECT_EQ(servers[0].server, "db1:3306");
  EXPECT_EQ(servers[0].open, 2u);
  EXPECT_EQ(servers[0].idle, 1u);
  EXPECT_EQ(servers[0].waiting, 1u);
  EXPECT_EQ(servers[0].limit, 2u);
  EXPECT_EQ(servers[1].server, "db2:3306");
  EXPECT_EQ(servers[1].open, 3u);
  EXPECT_EQ(servers[1].idle, 2u);
  EXPECT_EQ(servers[1].waiting, 0u);
  EXPECT_EQ(servers[1].limit, 10u);
  bench.run_until_all_waits_end();
  EXPECT_EQ(bench.pool.stats().waiting, 0u);
}

TEST(BackendPool, IdleConnectionsListsWhoIsIdleAndForHowLong) {
  pool_bench bench;
  auto lent = bench.open(K);
  const auto id = bench.idle(with_schema("hr"));
  const auto rows = bench.pool.idle_connections();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].server, "db1:3306");
  EXPECT_EQ(rows[0].thread_id, id);
  EXPECT_EQ(rows[0].user, "app");
  EXPECT_EQ(rows[0].schema, "hr");
  EXPECT_EQ(rows[0].session, 0u);
  ASSERT_TRUE(rows[0].idle_ms);
  EXPECT_GE(*rows[0].idle_ms, 0);
}

}  // namespace
}  // namespace weft::proxy
