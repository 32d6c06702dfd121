// `[proxy] workers = 0`: the number of event loops weft starts for a machine's core count.
#include <gtest/gtest.h>

#include "proxy/settings.h"

namespace weft::proxy {
namespace {

TEST(WorkerCount, OneLoopPerCoreButOne) {
  struct row {
    unsigned cores, loops;
  };
  for (const auto& [cores, loops] : {row{0, 1}, row{1, 1}, row{2, 1}, row{3, 2}, row{4, 3}, row{16, 15}, row{64, 63}}) {
    EXPECT_EQ(default_worker_count(cores), loops) << cores << " cores";
  }
}

}  // namespace
}  // namespace weft::proxy
