#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "proxy/admission_control.h"
#include "proxy/log_limiter.h"
#include "proxy/login_throttle.h"

namespace weft::proxy {
namespace {

using namespace std::chrono_literals;

// A clock the test moves by hand.
struct manual_clock {
  login_throttle::clock::time_point now = login_throttle::clock::time_point{} + 1000h;
  login_throttle::now_function function() {
    return [this] { return now; };
  }
};

struct LoginThrottle : ::testing::Test {
  manual_clock clock;
  login_throttle throttle{{3, 10s, 60s}, clock.function()};

  void fail(const std::string& host, int times) {
    for (int i = 0; i < times; ++i) throttle.failed(host);
  }
};

TEST_F(LoginThrottle, BlocksAtTheNthFailureAndSaysSoOnce) {
  EXPECT_FALSE(throttle.failed("10.0.0.1"));
  EXPECT_FALSE(throttle.failed("10.0.0.1"));
  EXPECT_FALSE(throttle.blocked("10.0.0.1"));
  EXPECT_TRUE(throttle.failed("10.0.0.1"));   // the third: blocked, reported once
  EXPECT_FALSE(throttle.failed("10.0.0.1"));  // a login already under way when the block began
  EXPECT_TRUE(throttle.blocked("10.0.0.1"));
  EXPECT_TRUE(throttle.blocked("10.0.0.1"));
  const auto c = throttle.counts();
  EXPECT_EQ(c.failed_logins, 4u);
  EXPECT_EQ(c.refused, 2u);
  EXPECT_EQ(c.blocked_hosts, 1u);
}

TEST_F(LoginThrottle, NeverBlocksAnotherHost) {
  fail("10.0.0.1", 3);
  EXPECT_TRUE(throttle.blocked("10.0.0.1"));
  EXPECT_FALSE(throttle.blocked("10.0.0.2"));
  EXPECT_FALSE(throttle.blocked("::1"));
  EXPECT_EQ(throttle.counts().refused, 1u);
}

TEST_F(LoginThrottle, FailuresOutsideTheWindowDoNotAddUp) {
  fail("10.0.0.1", 2);
  clock.now += 10s;  // the window (10 s from the first failure) is over: counting starts again
  EXPECT_FALSE(throttle.failed("10.0.0.1"));
  EXPECT_FALSE(throttle.failed("10.0.0.1"));
  EXPECT_FALSE(throttle.blocked("10.0.0.1"));
  clock.now += 9s;  // still inside the new window
  EXPECT_TRUE(throttle.failed("10.0.0.1"));
}

TEST_F(LoginThrottle, TheBlockEndsAfterItsPeriodAndCountingStartsAgain) {
  fail("10.0.0.1", 3);
  clock.now += 59s;
  EXPECT_TRUE(throttle.blocked("10.0.0.1"));
  clock.now += 1s;
  EXPECT_FALSE(throttle.blocked("10.0.0.1"));
  EXPECT_EQ(throttle.counts().blocked_hosts, 0u);
  EXPECT_FALSE(throttle.failed("10.0.0.1"));  // one failure after the block is not a new block
  EXPECT_FALSE(throttle.blocked("10.0.0.1"));
}

TEST_F(LoginThrottle, FlushUnblocksEveryHostAndCountsThem) {
  fail("10.0.0.1", 3);
  fail("10.0.0.2", 3);
  fail("10.0.0.3", 1);
  EXPECT_EQ(throttle.flush(), 2u);
  EXPECT_FALSE(throttle.blocked("10.0.0.1"));
  EXPECT_FALSE(throttle.blocked("10.0.0.2"));
  EXPECT_FALSE(throttle.failed("10.0.0.3"));  // its earlier failure is forgotten too
  EXPECT_FALSE(throttle.failed("10.0.0.3"));
  EXPECT_EQ(throttle.counts().failed_logins, 9u);  // totals are counters: they stay
}

TEST(LoginThrottleOff, ZeroFailuresNeverBlocks) {
  manual_clock clock;
  login_throttle throttle({0, 10s, 60s}, clock.function());
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(throttle.failed("10.0.0.1"));
  EXPECT_FALSE(throttle.blocked("10.0.0.1"));
  EXPECT_EQ(throttle.counts().failed_logins, 100u);
}

TEST_F(LoginThrottle, ManyHostsAreForgottenOnceTheirWindowPassed) {
  for (int i = 0; i < 5000; ++i) throttle.failed("10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  fail("10.0.0.1", 3);
  clock.now += 11s;
  // The next failures sweep the hosts whose window ended; the blocked one stays blocked.
  for (int i = 0; i < 5000; ++i) throttle.failed("10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  EXPECT_TRUE(throttle.blocked("10.0.0.1"));
  EXPECT_FALSE(throttle.blocked("10.1.0.1"));
  EXPECT_EQ(throttle.hosts_tracked(), 5001u);  // the 5,000 recent ones and the blocked one
}

TEST(ConnectionLimit, RefusesOverTheLimitAndFreesOnRelease) {
  connection_limit limit(2);
  auto a = limit.try_acquire();
  auto b = limit.try_acquire();
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(limit.try_acquire());
  EXPECT_EQ(limit.open(), 2u);
  EXPECT_EQ(limit.refused(), 1u);
  {
    auto moved = std::move(*a);  // a place moves with its session; only the last owner frees it
    a.reset();
    EXPECT_EQ(limit.open(), 2u);
  }
  EXPECT_EQ(limit.open(), 1u);
  EXPECT_TRUE(limit.try_acquire());
}

TEST(LogLimiter, OneLinePerBurstWithTheCount) {
  log_limiter limiter(5s);
  const auto t0 = log_limiter::clock::time_point{} + 1h;
  EXPECT_EQ(limiter.note(t0), 1u);  // the first event is said at once
  for (int i = 1; i < 893; ++i) EXPECT_FALSE(limiter.note(t0 + std::chrono::milliseconds(i)));
  EXPECT_EQ(limiter.note(t0 + 6s), 893u);  // the next line carries the events it stands for
  EXPECT_EQ(limiter.note(t0 + 12s), 1u);
}

}  // namespace
}  // namespace weft::proxy
