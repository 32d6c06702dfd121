// The pieces of the HA operations that need no backend: the step log a DBA reads, and the hooks
// (real /bin/sh processes: environment, exit status, timeout).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "ops/ha_steps.h"

namespace weft::ops {
namespace {

TEST(StepLog, RowsAndFailuresForTheDba) {
  step_log log;
  log.ok("check primary", "10.0.0.1:3306", "reachable");
  log.warn("check candidate", "10.0.0.3:3306", "skipped: not replicating");
  EXPECT_FALSE(log.any_failed());
  EXPECT_FALSE(log.failed("catch up", "10.0.0.2:3306", "timed out"));
  log.failed("promote", "", "1227 Access denied");
  EXPECT_TRUE(log.any_failed());
  EXPECT_EQ(log.failures(), "catch up on 10.0.0.2:3306: timed out; promote: 1227 Access denied");
  const auto t = log.table();
  ASSERT_EQ(t.columns.size(), 5u);
  EXPECT_EQ(t.columns[0].name, "step");
  EXPECT_EQ(t.columns[4].name, "ms");
  ASSERT_EQ(t.rows.size(), 4u);
  EXPECT_EQ(t.rows[0][0], "check primary");
  EXPECT_EQ(t.rows[1][2], "warning");
  EXPECT_EQ(t.rows[2][2], "failed");
  EXPECT_EQ(t.rows[3][1], std::nullopt);  // no server: NULL, not ""
}

class Hook : public ::testing::Test {
 protected:
  void SetUp() override {
    out_ = std::filesystem::temp_directory_path() / ("weft-hook-test-" + std::to_string(::getpid()));
  }
  void TearDown() override { std::filesystem::remove(out_); }
  std::string written() {
    std::ifstream in(out_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::filesystem::path out_;
};

TEST_F(Hook, GetsTheOldAndNewPrimaryInItsEnvironment) {
  const auto r = run_hook("printf '%s %s' \"$WEFT_OLD_PRIMARY\" \"$WEFT_NEW_PRIMARY\" > " + out_.string(),
                          {{"WEFT_OLD_PRIMARY", "10.0.0.1:3306"}, {"WEFT_NEW_PRIMARY", "10.0.0.2:3306"}},
                          std::chrono::milliseconds(5000));
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "exit 0");
  EXPECT_EQ(written(), "10.0.0.1:3306 10.0.0.2:3306");
}

TEST_F(Hook, AFailingCommandSaysHow) {
  const auto r = run_hook("exit 3", {}, std::chrono::milliseconds(5000));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "exit 3");
}

TEST_F(Hook, IsKilledAtItsTimeoutWithItsChildren) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = run_hook("sleep 30 & sleep 30; echo late > " + out_.string(), {}, std::chrono::milliseconds(200));
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "killed after 200 ms");
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(std::filesystem::exists(out_));
}

}  // namespace
}  // namespace weft::ops
