// The driver's scatter lanes against the real sandbox (scripts/sandbox start): three groups, one
// server each, asked the same statement at once; each lane's whole response comes from its own
// server, clean connections go back to the pool, a failed lane closes its connection. Run as the
// ctest "integration.scatter_lanes" (it fails, saying so, when the sandbox is not up).
#include <gtest/gtest.h>

#include <string>

#include "config/config_loader.h"
#include "protocol/auth.h"
#include "protocol/constants.h"
#include "proxy/client_session.h"
#include "proxy/settings.h"
#include "proxy/scatter_lanes.h"
#include "proxy/topology_store.h"
#include "proxy/worker_routing.h"

namespace weft::proxy {
namespace {

namespace p = protocol;
using routing::target_role;
using session::outcome;

constexpr const char* three_groups = R"(
[proxy]
listen = "127.0.0.1:16033"
[[users]]
name = "app"
password = "app-secret"
[[servers]]
address = "127.0.0.1:23306"
group = "g1"
role = "primary"
[[servers]]
address = "127.0.0.1:23307"
group = "g2"
role = "primary"
[[servers]]
address = "127.0.0.1:23308"
group = "g3"
role = "primary"
[[servers]]
address = "127.0.0.1:1"
group = "gone"
role = "primary"
)";

// One worker's worth of what a session needs, around the sandbox.
struct sandbox_world {
  config::bootstrap_config config = load();
  topology_store topology{config.topology};
  config_store runtime{config.runtime};
  account_store accounts{weft::routing::account_table({})};
  worker_routing routing{runtime, topology, accounts};
  security_contexts tls;
  backend_pool pool{pool_limits{10, std::chrono::milliseconds(10000), 1}};
  session_backend session{pool, config.proxy, tls, routing};
  asio::io_context io;

  static config::bootstrap_config load() {
    auto loaded = config::load_config_text(three_groups, "lanes.toml");
    if (!loaded.config) throw std::runtime_error(loaded.errors.empty() ? "config" : loaded.errors.front());
    return *loaded.config;
  }
  sandbox_world() {
    p::backend_login login;
    login.user = "app";
    const std::string password = "app-secret";
    login.stage1 = p::sha1(p::bytes_view(reinterpret_cast<const std::uint8_t*>(password.data()), password.size()));
    login.database = "weft_test";
    login.capabilities = p::cap::long_flag | p::cap::protocol_41 | p::cap::transactions | p::cap::secure_connection |
                         p::cap::multi_results | p::cap::ps_multi_results | p::cap::plugin_auth |
                         p::cap::deprecate_eof;
    session.set_identity(std::move(login));
  }

  // Scatters `sql` to `groups` and gathers every lane, in the order they end.
  std::vector<std::size_t> scatter(const std::vector<std::string>& groups, std::string_view sql,
                                   std::shared_ptr<scatter_run>& run, std::size_t max_bytes = 1u << 20) {
    std::vector<session::target> targets;
    for (const auto& g : groups) targets.push_back({target_role::primary, g});
    const auto payload = p::encode(p::com_query{std::string(sql)});
    run = scatter_run::start(io.get_executor(), session, {targets, payload, {}, max_bytes});
    std::vector<std::size_t> order;
    asio::co_spawn(io, gather_all(run, order), asio::detached);
    io.run_for(std::chrono::seconds(20));
    io.restart();
    return order;
  }
  static awaitable<void> gather_all(std::shared_ptr<scatter_run> run, std::vector<std::size_t>& order) {
    for (;;) {
      auto next = co_await run->next_ended();
      if (!next) co_return;
      order.push_back(*next);
    }
  }
};

std::size_t idle_count(const backend_pool& pool) { return pool.idle_connections().size(); }

bool holds_text(const p::bytes& response, std::string_view text) {
  return std::string_view(reinterpret_cast<const char*>(response.data()), response.size()).find(text) !=
         std::string_view::npos;
}

TEST(SandboxScatterLanes, EveryLaneAnswersFromItsOwnServerAndGoesBackToThePool) {
  sandbox_world w;
  std::shared_ptr<scatter_run> run;
  const auto order = w.scatter({"g1", "g2", "g3"}, "SELECT @@port", run);
  ASSERT_EQ(order.size(), 3u) << "is the sandbox up? (scripts/sandbox start)";
  const char* ports[] = {"23306", "23307", "23308"};
  for (std::size_t i = 0; i < 3; ++i) {
    auto& lane = run->lane(i);
    EXPECT_EQ(lane.result, outcome::ok) << i << (lane.refusal ? " " + lane.refusal->message : "");
    EXPECT_TRUE(holds_text(lane.response, ports[i])) << "lane " << i << " answered from another server";
    EXPECT_TRUE(lane.tracker.done());
    EXPECT_EQ(lane.tracker.rows(), 1u);
  }
  EXPECT_EQ(idle_count(w.pool), 3u);  // each clean connection is back, ready for the next
}

// Kept lanes: the same connections answer the next scatter (a transaction can span the two),
// each lane its own command; they go back to the pool only when the last scatter lets them go.
TEST(SandboxScatterLanes, KeptLanesCarryATransactionToTheNextScatter) {
  sandbox_world w;
  const std::vector<session::target> targets{{target_role::primary, "g1"}, {target_role::primary, "g2"}};
  const auto ask = [&](std::shared_ptr<scatter_run>& run, scatter_request request) {
    run = scatter_run::start(w.io.get_executor(), w.session, request);
    std::vector<std::size_t> order;
    asio::co_spawn(w.io, sandbox_world::gather_all(run, order), asio::detached);
    w.io.run_for(std::chrono::seconds(20));
    w.io.restart();
    return order.size();
  };
  const auto begin = p::encode(p::com_query{"BEGIN"});
  std::shared_ptr<scatter_run> first, second, third;
  ASSERT_EQ(ask(first, {targets, begin, {}, 1u << 20, true}), 2u) << "is the sandbox up? (scripts/sandbox start)";
  EXPECT_EQ(idle_count(w.pool), 0u);  // kept, not pooled
  const auto g1 = p::encode(p::com_query{"SELECT CONCAT('g1 in transaction ', @@in_transaction)"});
  const auto g2 = p::encode(p::com_query{"SELECT CONCAT('g2 in transaction ', @@in_transaction)"});
  const p::bytes_view each[] = {g1, g2};
  ASSERT_EQ(ask(second, {targets, {}, each, 1u << 20, true, first.get()}), 2u);
  EXPECT_TRUE(holds_text(second->lane(0).response, "g1 in transaction 1"));
  EXPECT_TRUE(holds_text(second->lane(1).response, "g2 in transaction 1"));
  second->lane(1).backend->drop();  // as if its connection broke: the lane must not get another
  const auto rollback = p::encode(p::com_query{"ROLLBACK"});
  ASSERT_EQ(ask(third, {targets, rollback, {}, 1u << 20, false, second.get()}), 2u);
  EXPECT_EQ(third->lane(0).result, outcome::ok);
  EXPECT_EQ(third->lane(1).result, outcome::refused);
  EXPECT_EQ(idle_count(w.pool), 1u);  // the clean one is back
}

TEST(SandboxScatterLanes, AServerThatIsGoneFailsOnlyItsLane) {
  sandbox_world w;
  std::shared_ptr<scatter_run> run;
  const auto order = w.scatter({"g1", "gone"}, "SELECT 1", run);
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(run->lane(0).result, outcome::ok);
  EXPECT_EQ(run->lane(1).result, outcome::refused);
  ASSERT_TRUE(run->lane(1).refusal.has_value());
  EXPECT_EQ(run->lane(1).refusal->error_code, p::er::backend_unreachable.code) << run->lane(1).refusal->message;
}

TEST(SandboxScatterLanes, AResponseOverTheBoundFailsItsLaneAndClosesTheConnection) {
  sandbox_world w;
  std::shared_ptr<scatter_run> run;
  const auto order = w.scatter({"g1", "g2"}, "SELECT REPEAT('x', 4096)", run, 1024);
  ASSERT_EQ(order.size(), 2u);
  EXPECT_EQ(run->lane(0).result, outcome::too_large);
  EXPECT_EQ(run->lane(1).result, outcome::too_large);
  EXPECT_EQ(idle_count(w.pool), 0u);  // half-read responses are never pooled
}

// Lanes whose session went away: their connections are closed and their coroutines end.
TEST(SandboxScatterLanes, AnAbandonedScatterEndsItsLanes) {
  sandbox_world w;
  std::vector<session::target> targets{{target_role::primary, "g1"}, {target_role::primary, "g2"}};
  const auto payload = p::encode(p::com_query{"SELECT SLEEP(30)"});
  auto run = scatter_run::start(w.io.get_executor(), w.session, {targets, payload, {}, 1u << 20});
  w.io.run_for(std::chrono::milliseconds(500));  // connected, sent, waiting for the sleep
  run->abandon();
  const std::weak_ptr<scatter_run> watched = run;
  run.reset();
  w.io.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(watched.expired()) << "a lane still runs 5 s after its session went away";
  EXPECT_EQ(idle_count(w.pool), 0u);
}

}  // namespace
}  // namespace weft::proxy
