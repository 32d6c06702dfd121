// The watchdog's decision, look by look: when a wait on a backend is given up, and why.
#include <gtest/gtest.h>

#include "session/stall_watch.h"

namespace weft::session {
namespace {

using std::chrono::milliseconds;

struct watched {
  backend_wait now;
  stall_watch watch;
  routing::server server;
  watched() {
    server.name = "db1:3306";
    server.status = routing::server_status::online;
    now.read_waiting = true;
  }
  std::optional<std::string> look(milliseconds read_timeout = milliseconds(0), bool holds = true) {
    return watch.look(holds ? now : backend_wait{}, &server, read_timeout);  // no connection: no wait
  }
};

TEST(StallWatch, AWaitThatReadsSomethingBetweenLooksIsNeverGivenUp) {
  watched w;
  w.server.status = routing::server_status::shunned;
  for (int i = 0; i < 10; ++i) {
    ++w.now.reads_ended;  // a row arrived since the last look
    EXPECT_FALSE(w.look(milliseconds(1000))) << i;
  }
}

// Every look that finds the wait with no read completed since the previous look counts one
// second of silence.
TEST(StallWatch, AShunnedServerNeedsTwoLooksWithoutProgress) {
  watched w;
  w.server.status = routing::server_status::shunned;
  w.server.health.last_error = "Lost connection";
  EXPECT_FALSE(w.look());  // one look without progress: a starved monitor could be wrong
  const auto reason = w.look();
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason, "stopped answering (SHUNNED by the monitor: Lost connection)");
}

TEST(StallWatch, TheReadTimeoutCountsLooksWithoutProgress) {
  watched w;
  EXPECT_FALSE(w.look(milliseconds(3000)));  // 1 s
  EXPECT_FALSE(w.look(milliseconds(3000)));  // 2 s
  const auto reason = w.look(milliseconds(3000));
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason, "sent nothing for 3 s ([backend] read_timeout_ms = 3000)");
}

TEST(StallWatch, NoReadTimeoutAndAHealthyServerWaitForever) {
  watched w;
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(w.look(milliseconds(0))) << i;
}

TEST(StallWatch, ProgressOrTheEndOfTheWaitStartsTheCountAgain) {
  watched w;
  EXPECT_FALSE(w.look(milliseconds(2000)));  // 1 s without progress
  ++w.now.reads_ended;
  EXPECT_FALSE(w.look(milliseconds(2000)));  // progress: the count restarts
  EXPECT_FALSE(w.look(milliseconds(2000)));  // 1 s
  w.now.read_waiting = false;                // the response ended, the client is thinking
  EXPECT_FALSE(w.look(milliseconds(2000)));
  w.now.read_waiting = true;
  EXPECT_FALSE(w.look(milliseconds(2000)));  // 1 s
  EXPECT_TRUE(w.look(milliseconds(2000)));   // 2 s
}

TEST(StallWatch, ASessionHoldingNoConnectionHasNothingToGiveUp) {
  watched w;
  w.server.status = routing::server_status::shunned;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(w.look(milliseconds(1000), false)) << i;
}

}  // namespace
}  // namespace weft::session
