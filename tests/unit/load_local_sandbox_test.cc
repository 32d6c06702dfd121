// mariadb_client::load_local against the sandbox's primary (scripts/sandbox start): LOAD DATA
// LOCAL reads the bytes weft hands it, never a file, whatever file name the statement (or a
// server) asks for. Run by the ctest "integration.scatter_lanes" with the other Sandbox* tests.
#include <gtest/gtest.h>

#include "monitor/mariadb_client.h"

namespace weft::monitor {
namespace {

const routing::endpoint primary{"127.0.0.1", 23306};

std::unique_ptr<mariadb_client> root(bool load_from_memory) {
  return std::make_unique<mariadb_client>(primary, "root", "sandbox-root", 5, 0, load_from_memory);
}

TEST(SandboxLoadLocal, ServesOnlyItsBytesWhateverFileIsNamed) {
  auto c = root(true);
  ASSERT_TRUE(c->ok()) << "the sandbox is not up (scripts/sandbox start): " << c->error();
  ASSERT_TRUE(c->execute("DROP DATABASE IF EXISTS weft_load_local") && c->execute("CREATE DATABASE weft_load_local") &&
              c->execute("CREATE TABLE weft_load_local.t (v VARBINARY(4000))"))
      << c->error();
  const auto loaded = c->load_local("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE weft_load_local.t", "one\ntwo\n");
  ASSERT_TRUE(loaded) << c->error();
  EXPECT_EQ(*loaded, 2u);
  EXPECT_EQ(c->scalar("SELECT GROUP_CONCAT(v ORDER BY v) FROM weft_load_local.t"), "one,two");
  // Outside load_local the file request is refused: nothing is read, nothing loaded.
  EXPECT_FALSE(c->execute("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE weft_load_local.t"));
  EXPECT_NE(c->error().find("only the bytes it is loading"), std::string::npos) << c->error();
  auto plain = root(false);
  EXPECT_FALSE(plain->execute("LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE weft_load_local.t"));
  EXPECT_FALSE(plain->load_local("LOAD DATA LOCAL INFILE 'x' INTO TABLE weft_load_local.t", "three\n"));
  auto check = root(false);
  EXPECT_EQ(check->scalar("SELECT COUNT(*) FROM weft_load_local.t"), "2");
  check->execute("DROP DATABASE weft_load_local");
}

}  // namespace
}  // namespace weft::monitor
