// `[proxy] workers = 0`: the number of event loops weft starts for a machine's core count.
#include <gtest/gtest.h>

#include "proxy/settings.h"

namespace weft::proxy {
namespace {

TEST(WorkerCount, OneLoopPerCore) {
  struct row {
    unsigned cores, loops;
  };
  // (0: the core count is unknown)
  for (const auto& [cores, loops] : {row{0, 1}, row{1, 1}, row{2, 2}, row{3, 3}, row{16, 16}, row{64, 64}}) {
    EXPECT_EQ(default_worker_count(cores), loops) << cores << " cores";
  }
}

}  // namespace
}  // namespace weft::proxy
