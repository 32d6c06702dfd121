// The query result cache: which statements may be cached and which tables they read or write
// (a decision table over real statements), the key's parts, and the store's freshness rules.
#include <gtest/gtest.h>

#include "proxy/result_cache.h"
#include "routing/statement_analysis.h"
#include "session/prepared_statements.h"
#include "session/result_caching.h"

namespace weft {
namespace {

using session::check_cacheable_read;
using session::tables_written;

session::cacheable_read read_check(std::string_view sql, std::string_view schema = "shop") {
  routing::statement_tokens tokens;
  const auto info = routing::analyze(sql, tokens).info;
  return check_cacheable_read(info, tokens, schema);
}

std::optional<session::written_tables> writes_of(std::string_view sql, std::string_view schema = "shop") {
  routing::statement_tokens tokens;
  const auto info = routing::analyze(sql, tokens).info;
  return tables_written(info, tokens, schema);
}

TEST(ResultCaching, CacheableReadsAndTheirTables) {
  const struct {
    const char* sql;
    std::vector<std::string> tables;
  } cacheable[] = {
      {"SELECT c FROM sbtest1 WHERE id = 5", {"shop.sbtest1"}},
      {"select * from Shop.Orders o join `items` i on i.o = o.id", {"shop.orders", "shop.items"}},
      {"SELECT 1 + 1", {}},
      {"SELECT a FROM t1 WHERE b IN (SELECT b FROM other.t2)", {"shop.t1", "other.t2"}},
      {"SELECT user_name FROM user WHERE id = 1", {"shop.user"}},  // a table named user is no USER()
  };
  for (const auto& c : cacheable) {
    const auto got = read_check(c.sql);
    EXPECT_EQ(got.refusal, "") << c.sql;
    EXPECT_EQ(got.tables, c.tables) << c.sql;
  }
  const char* refused[] = {
      "SELECT NOW(), c FROM t",        "SELECT c FROM t WHERE d > CURRENT_DATE", "SELECT RAND()",
      "SELECT @x",                     "SELECT @@hostname",                      "SELECT c FROM t FOR UPDATE",
      "SELECT c FROM t LOCK IN SHARE MODE", "SELECT c INTO @v FROM t",          "SELECT SQL_NO_CACHE c FROM t",
      "SELECT c FROM t; SELECT 2",     "UPDATE t SET c = 1",                     "SHOW TABLES",
      "SELECT * FROM information_schema.tables", "SELECT user FROM mysql.user",  "BEGIN",
      "SELECT LAST_INSERT_ID()",       "SELECT GET_LOCK('a', 1)",                "SELECT UUID() FROM t",
      "SELECT CONNECTION_ID()",        "SET @a = 1",
  };
  for (const auto* sql : refused) EXPECT_NE(read_check(sql).refusal, "") << sql;
  EXPECT_NE(read_check("SELECT c FROM t", "").refusal, "") << "no schema to place t in";
  EXPECT_EQ(read_check("SELECT c FROM s.t", "").refusal, "") << "qualified: no schema needed";
}

TEST(ResultCaching, TablesAWriteChanges) {
  const struct {
    const char* sql;
    std::vector<std::string> tables;
    bool every;
  } writes[] = {
      {"UPDATE t SET c = 1 WHERE id = 2", {"shop.t"}, false},
      {"insert into Other.T (a) values (1)", {"other.t"}, false},
      {"DELETE FROM t1 USING t1 JOIN t2 ON t1.a = t2.a", {"shop.t1", "shop.t2"}, false},
      {"REPLACE INTO t VALUES (1)", {"shop.t"}, false},
      {"TRUNCATE TABLE t", {"shop.t"}, false},
      {"DROP TABLE a, b", {"shop.a", "shop.b"}, false},
      {"CALL p()", {}, true},
      {"LOAD DATA INFILE 'f' INTO TABLE t", {}, true},
      {"DROP DATABASE shop", {}, true},
      {"SELECT 1; UPDATE t SET c = 2", {}, true},
  };
  for (const auto& w : writes) {
    const auto got = writes_of(w.sql);
    ASSERT_TRUE(got) << w.sql;
    EXPECT_EQ(got->tables, w.tables) << w.sql;
    EXPECT_EQ(got->every, w.every) << w.sql;
  }
  EXPECT_TRUE(writes_of("UPDATE t SET c = 1", "")->every) << "no schema: the table cannot be named";
  for (const auto* sql : {"SELECT c FROM t", "BEGIN", "COMMIT", "SET NAMES utf8mb4", "USE shop"}) {
    EXPECT_FALSE(writes_of(sql)) << sql;
  }
}

TEST(ResultCaching, KeysDifferInEveryPart) {
  const session::cache_key_parts base{"app", "shop", "main", 0, 45, 0x3ffff, "SELECT 1"};
  auto other = [&](auto change) {
    auto parts = base;
    change(parts);
    return session::cache_key(parts);
  };
  const auto key = session::cache_key(base);
  EXPECT_NE(key, other([](auto& p) { p.user = "bob"; }));
  EXPECT_NE(key, other([](auto& p) { p.schema = "shop2"; }));
  EXPECT_NE(key, other([](auto& p) { p.group = "reports"; }));
  EXPECT_NE(key, other([](auto& p) { p.settings = 7; }));
  EXPECT_NE(key, other([](auto& p) { p.charset = 8; }));
  EXPECT_NE(key, other([](auto& p) { p.capabilities = 0x2ffff; }));
  EXPECT_NE(key, other([](auto& p) { p.statement = "SELECT 2"; }));
  // A name's end is marked: "ab" + "c" is not "a" + "bc".
  EXPECT_NE(other([](auto& p) { p.user = "ab", p.schema = "c"; }), other([](auto& p) { p.user = "a", p.schema = "bc"; }));
}

using clock_type = proxy::result_cache::clock;

proxy::result_cache::stored answer(std::string key, std::vector<std::string>& tables, std::uint64_t generation,
                                   clock_type::time_point expires, std::size_t size = 100) {
  return {std::move(key), protocol::bytes(size, 0xAB), 1, tables, generation, expires};
}

TEST(ResultCacheStore, WritesMakeAnswersStale) {
  proxy::result_cache cache(1 << 20);
  std::uint64_t generation = 0;
  const auto now = clock_type::now(), later = now + std::chrono::seconds(60);
  std::vector<std::string> t{"shop.t"}, u{"shop.u"};
  ASSERT_FALSE(cache.find("k1", now, generation)) << "a miss gives the generation store() needs";
  ASSERT_TRUE(cache.store(answer("k1", t, generation, later)));
  ASSERT_TRUE(cache.store(answer("k2", u, generation, later)));
  ASSERT_TRUE(cache.find("k1", now, generation));
  cache.invalidate(t);
  EXPECT_FALSE(cache.find("k1", now, generation)) << "written since it was read";
  EXPECT_TRUE(cache.find("k2", now, generation)) << "another table";
  cache.invalidate({});
  EXPECT_FALSE(cache.find("k2", now, generation)) << "a write to unnamed tables";
  const auto s = cache.stats();
  EXPECT_EQ(s.hits, 2u);
  EXPECT_EQ(s.invalidated, 2u);
  EXPECT_EQ(s.entries, 0u);
  EXPECT_EQ(s.bytes, 0u);
}

TEST(ResultCacheStore, AReadOverlappedByAWriteIsNotKept) {
  proxy::result_cache cache(1 << 20);
  const auto now = clock_type::now(), later = now + std::chrono::seconds(60);
  std::vector<std::string> t{"shop.t"}, u{"shop.u"};
  cache.invalidate(t);  // (an earlier write)
  std::uint64_t began = 0;
  ASSERT_FALSE(cache.find("k", now, began));  // a miss: the read goes to the server
  cache.invalidate(t);  // a write began or ended while the read ran
  EXPECT_FALSE(cache.store(answer("k", t, began, later)));
  EXPECT_EQ(cache.stats().stale_stores, 1u);
  EXPECT_TRUE(cache.store(answer("k", u, began, later))) << "a write to another table does not matter";
}

TEST(ResultCacheStore, TtlAndByteBound) {
  proxy::result_cache cache(8192);
  std::uint64_t generation = 0;
  const auto now = clock_type::now();
  std::vector<std::string> t{"shop.t"};
  ASSERT_TRUE(cache.store(answer("short", t, 0, now + std::chrono::milliseconds(5))));
  EXPECT_FALSE(cache.find("short", now + std::chrono::milliseconds(5), generation)) << "expired";
  EXPECT_EQ(cache.stats().expired, 1u);
  EXPECT_FALSE(cache.store(answer("big", t, 0, now + std::chrono::hours(1), cache.max_entry_bytes() + 1)));
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(cache.store(answer("k" + std::to_string(i), t, 0, now + std::chrono::hours(1), 500)));
  const auto s = cache.stats();
  EXPECT_LE(s.bytes, 8192u);
  EXPECT_GT(s.evictions, 0u);
  EXPECT_TRUE(cache.find("k39", now, generation)) << "the newest stays";
  EXPECT_FALSE(cache.find("k0", now, generation)) << "the least recently used went first";
  EXPECT_FALSE(proxy::result_cache(0).enabled());
}

}  // namespace
}  // namespace weft

namespace weft::session {
namespace {

// COM_STMT_EXECUTE of a one-parameter statement: with the type (new_params_bound = 1) or without.
// (id 7, no cursor, 1 iteration, no NULLs; the value a string "5", which as a LONGLONG the
// server would read as 8 bytes.)
protocol::bytes execute_payload(std::optional<std::uint8_t> type) {
  if (type) return {0x17, 7, 0, 0, 0, 0x00, 1, 0, 0, 0, 0x00, 0x01, *type, 0x00, 0x01, '5'};
  return {0x17, 7, 0, 0, 0, 0x00, 1, 0, 0, 0, 0x00, 0x00, 0x01, '5'};
}

// Two sessions share one server's statement; each bound its own types on other connections.
// An execute that relies on earlier types gets them added when the server holds others.
TEST(PreparedTypes, AServerHoldingAnotherSessionsTypesGetsThisOnes) {
  constexpr std::uint8_t longlong = 0x08, varstring = 0xFD;
  backend_statement on_server;
  client_statement first, second;
  first.params = second.params = 1;
  EXPECT_FALSE(with_types_for_server(protocol::command::stmt_execute, execute_payload(longlong), first, on_server));
  const protocol::bytes other_connection_types{varstring, 0x00};
  second.param_types = other_connection_types;  // bound on another connection
  const auto sent = with_types_for_server(protocol::command::stmt_execute, execute_payload(std::nullopt), second, on_server);
  ASSERT_TRUE(sent) << "the server would read the value as the first session's LONGLONG";
  EXPECT_EQ(*sent, execute_payload(varstring));
  EXPECT_FALSE(with_types_for_server(protocol::command::stmt_execute, execute_payload(std::nullopt), second, on_server))
      << "sent once";
  // An execute answered from the cache binds types no server saw.
  note_carried_types(execute_payload(longlong), second);
  EXPECT_TRUE(with_types_for_server(protocol::command::stmt_execute, execute_payload(std::nullopt), second, on_server));
}

}  // namespace
}  // namespace weft::session
