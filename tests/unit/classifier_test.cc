#include <gtest/gtest.h>

#include "routing/classifier.h"

namespace weft::routing {
namespace {

using K = statement_kind;
using T = transaction_action;

struct kind_case {
  std::string_view sql;
  K kind;
  bool replica_safe;
};

// Statements as ORMs, frameworks, dump tools and sysbench send them.
TEST(Classifier, KindsOfRealWorldStatements) {
  const kind_case cases[] = {
      // sysbench oltp
      {"SELECT c FROM sbtest1 WHERE id=5023", K::read, true},
      {"SELECT c FROM sbtest3 WHERE id BETWEEN 50 AND 149", K::read, true},
      {"SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN 1 AND 100", K::read, true},
      {"SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 1 AND 100 ORDER BY c", K::read, true},
      {"UPDATE sbtest1 SET k=k+1 WHERE id=42", K::write, false},
      {"UPDATE sbtest1 SET c='1234-5678' WHERE id=42", K::write, false},
      {"DELETE FROM sbtest1 WHERE id=42", K::write, false},
      {"INSERT INTO sbtest1 (id, k, c, pad) VALUES (42, 1, 'c', 'pad')", K::write, false},
      // WordPress / PHP
      {"SELECT option_name, option_value FROM wp_options WHERE autoload = 'yes'", K::read, true},
      {"SELECT SQL_CALC_FOUND_ROWS wp_posts.ID FROM wp_posts WHERE 1=1 LIMIT 0, 10", K::read, true},
      {"SELECT FOUND_ROWS()", K::read, false},
      {"INSERT INTO `wp_options` (`option_name`, `option_value`, `autoload`) VALUES ('a', 'b', 'no') "
       "ON DUPLICATE KEY UPDATE `option_name` = VALUES(`option_name`)", K::write, false},
      // Django / Rails / Hibernate
      {"SELECT `auth_user`.`id`, `auth_user`.`password` FROM `auth_user` WHERE `auth_user`.`id` = 1 LIMIT 21",
       K::read, true},
      {"SELECT 1 AS `a` FROM `django_session` WHERE `django_session`.`session_key` = 'x' LIMIT 1", K::read, true},
      {"select user0_.id as id1_0_ from users user0_ where user0_.email=? for update", K::read, false},
      {"SELECT * FROM accounts WHERE id = 7 LOCK IN SHARE MODE", K::read, false},
      {"SELECT * FROM accounts WHERE id = 7 FOR SHARE", K::read, false},
      {"SELECT * FROM jobs WHERE state='new' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED", K::read, false},
      {"SELECT GET_LOCK('migrations', 10)", K::read, false},
      {"SELECT RELEASE_LOCK('migrations')", K::read, false},
      {"SELECT IS_FREE_LOCK('x')", K::read, false},
      {"SELECT LAST_INSERT_ID()", K::read, false},
      {"select last_insert_id() as id", K::read, false},
      {"SELECT NEXTVAL(seq_orders)", K::read, false},
      {"SELECT NEXT VALUE FOR seq_orders", K::read, false},
      {"SELECT PREVIOUS VALUE FOR seq_orders", K::read, false},
      {"SELECT id INTO @last FROM t ORDER BY id DESC LIMIT 1", K::read, false},
      {"SELECT * FROM t INTO OUTFILE '/tmp/t.csv'", K::read, false},
      {"SELECT @n := @n + 1 FROM t", K::read, false},
      {"SELECT @@version, @@port", K::read, true},
      {"SELECT * FROM (SELECT id FROM t) AS x", K::read, true},
      {"(SELECT a FROM t1) UNION ALL (SELECT a FROM t2)", K::read, true},
      {"WITH recent AS (SELECT * FROM orders WHERE ts > NOW() - INTERVAL 1 DAY) SELECT COUNT(*) FROM recent",
       K::read, true},
      {"WITH x AS (SELECT id FROM t) UPDATE t2 JOIN x USING (id) SET t2.a = 1", K::write, false},
      {"WITH x AS (SELECT id FROM t) DELETE FROM t2 WHERE id IN (SELECT id FROM x)", K::write, false},
      {"SHOW TABLES", K::read, true},
      {"SHOW FULL PROCESSLIST", K::read, true},
      {"show create table `orders`", K::read, true},
      {"DESCRIBE orders", K::read, true},
      {"DESC orders", K::read, true},
      {"EXPLAIN SELECT * FROM t WHERE a = 1", K::read, true},
      {"EXPLAIN UPDATE t SET a = 1", K::read, true},
      {"EXPLAIN ANALYZE SELECT * FROM t", K::write, false},
      {"ANALYZE SELECT * FROM t", K::write, false},
      {"HELP 'select'", K::read, true},
      {"VALUES (1, 2), (3, 4)", K::read, true},
      // DDL, maintenance, routines
      {"CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB", K::write, false},
      {"ALTER TABLE t ADD COLUMN b INT", K::write, false},
      {"DROP TABLE IF EXISTS t", K::write, false},
      {"TRUNCATE TABLE t", K::write, false},
      {"RENAME TABLE a TO b", K::write, false},
      {"CREATE INDEX i ON t (a)", K::write, false},
      {"CALL refresh_totals(1)", K::write, false},
      {"DO SLEEP(1)", K::write, false},
      {"GRANT SELECT ON db.* TO 'u'@'%'", K::write, false},
      {"REPLACE INTO t VALUES (1)", K::write, false},
      {"LOAD DATA LOCAL INFILE 'x.csv' INTO TABLE t", K::write, false},
      {"OPTIMIZE TABLE t", K::write, false},
      {"FLUSH TABLES", K::write, false},
      {"BEGIN NOT ATOMIC SELECT 1; END", K::write, false},
      // session
      {"SET NAMES utf8mb4", K::set, false},
      {"SET autocommit=0", K::set, false},
      {"SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", K::set, false},
      {"USE shop", K::use, false},
      {"use `shop`", K::use, false},
      // comments everywhere
      {"/* controller=home */ SELECT 1", K::read, true},
      {"-- leading\nSELECT 1", K::read, true},
      {"# leading\nDELETE FROM t", K::write, false},
      {"SELECT /* FOR UPDATE */ a FROM t", K::read, true},
      {"SELECT 'FOR UPDATE', \"GET_LOCK(\" FROM t", K::read, true},
      {"SELECT `for`, `update` FROM t", K::read, true},
      {"SELECT a FROM t -- FOR UPDATE", K::read, true},
      {"SELECT a FROM t /*! FOR UPDATE */", K::read, false},
      {"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */", K::set, false},
      {"/*M!100100 SELECT 1 */", K::read, true},
      {"SELECT 1;", K::read, true},
      {"", K::read, true},
      // multi-statements
      {"SELECT 1; SELECT 2", K::read, false},
      {"SELECT 1; DELETE FROM t", K::write, false},
      {"INSERT INTO t VALUES (1); SELECT LAST_INSERT_ID()", K::write, false},
  };
  for (const auto& c : cases) {
    const auto info = classify(c.sql);
    EXPECT_EQ(info.kind, c.kind) << c.sql;
    EXPECT_EQ(info.replica_safe(), c.replica_safe) << c.sql;
  }
}

// Cases a review of a larger corpus found (tests/unit/classifier_corpus_test.cc has the rest).
TEST(Classifier, StatementsThatLookLikeOthers) {
  const kind_case cases[] = {
      {"START SLAVE", K::write, false},
      {"START REPLICA SQL_THREAD", K::write, false},
      {"SET STATEMENT max_statement_time=5 FOR SELECT * FROM orders WHERE customer_id = 7", K::read, true},
      {"SET STATEMENT max_statement_time=5 FOR UPDATE t SET a = 1", K::write, false},
      {"SET STATEMENT sql_mode='' FOR INSERT INTO t VALUES (1)", K::write, false},
      {"WITH c AS (SELECT id, REPLACE(phone, ' ', '') AS phone FROM customers) SELECT * FROM c", K::read, true},
      {"WITH c AS (SELECT INSERT('abc', 1, 1, 'x') AS s) SELECT s FROM c", K::read, true},
      {"SELECT @@IDENTITY", K::read, false},
      {"SHOW MASTER STATUS", K::write, false},
      {"SHOW BINARY LOGS", K::write, false},
      {"SHOW BINLOG STATUS", K::write, false},
      {"SHOW SLAVE STATUS", K::read, true},
      {"TABLE t INTO OUTFILE '/tmp/x'", K::read, false},
  };
  for (const auto& c : cases) {
    const auto info = classify(c.sql);
    EXPECT_EQ(info.kind, c.kind) << c.sql;
    EXPECT_EQ(info.replica_safe(), c.replica_safe) << c.sql;
  }
  EXPECT_EQ(classify("START SLAVE").transaction, T::none);
  EXPECT_FALSE(classify("SET STATEMENT x=1 FOR UPDATE t SET a = 1").locking_read);
}

TEST(Classifier, LockingReadsAndSideEffectsAreTold) {
  EXPECT_TRUE(classify("SELECT * FROM t WHERE id=1 FOR UPDATE").locking_read);
  EXPECT_TRUE(classify("select * from t lock in share mode").locking_read);
  EXPECT_FALSE(classify("SELECT * FROM t WHERE id=1").locking_read);
  EXPECT_FALSE(classify("UPDATE t SET a=1").locking_read);
  EXPECT_TRUE(classify("SELECT GET_LOCK('a', 0)").side_effects);
  EXPECT_FALSE(classify("SELECT 'GET_LOCK'").side_effects);
  EXPECT_TRUE(classify("SELECT 1; SELECT 2").multi_statement);
  EXPECT_FALSE(classify("SELECT ';'").multi_statement);
}

struct tx_case {
  std::string_view sql;
  T action;
};

TEST(Classifier, TransactionControl) {
  const tx_case cases[] = {
      {"BEGIN", T::begin},
      {"begin work", T::begin},
      {"START TRANSACTION", T::begin},
      {"START TRANSACTION READ WRITE", T::begin},
      {"START TRANSACTION WITH CONSISTENT SNAPSHOT", T::begin},
      {"START TRANSACTION READ ONLY", T::begin_read_only},
      {"start transaction read only", T::begin_read_only},
      {"COMMIT", T::commit},
      {"COMMIT WORK", T::commit},
      {"ROLLBACK", T::rollback},
      {"ROLLBACK TO SAVEPOINT s1", T::savepoint},
      {"ROLLBACK WORK TO s1", T::savepoint},
      {"SAVEPOINT s1", T::savepoint},
      {"RELEASE SAVEPOINT s1", T::savepoint},
      {"XA START 'x'", T::xa},
      {"XA COMMIT 'x'", T::xa},
      {"SELECT 1", T::none},
      {"BEGIN NOT ATOMIC SELECT 1; END", T::none},
  };
  for (const auto& c : cases) {
    const auto info = classify(c.sql);
    EXPECT_EQ(info.transaction, c.action) << c.sql;
    if (c.action != T::none) {
      EXPECT_EQ(info.kind, K::transaction) << c.sql;
    }
  }
}

TEST(Classifier, HintsInComments) {
  auto info = classify("/* weft: route=primary */ SELECT 1");
  EXPECT_EQ(info.hint, route_hint::primary);
  info = classify("SELECT 1 /* weft:route=replica, group=reports */");
  EXPECT_EQ(info.hint, route_hint::replica);
  EXPECT_EQ(info.hint_group, "reports");
  info = classify("SELECT 1 -- weft: group=g2\n");
  EXPECT_EQ(info.hint, route_hint::none);
  EXPECT_EQ(info.hint_group, "g2");
  info = classify("/* route=primary */ SELECT 1");
  EXPECT_EQ(info.hint, route_hint::none);
  info = classify("SELECT '/* weft: route=primary */'");
  EXPECT_EQ(info.hint, route_hint::none);
}

struct digest_case {
  std::string_view sql;
  std::string_view digest;
};

TEST(Classifier, DigestText) {
  const digest_case cases[] = {
      {"SELECT c FROM sbtest1 WHERE id=5023", "SELECT c FROM sbtest1 WHERE id = ?"},
      {"select  c\n from sbtest1 where id = 'x'", "select c from sbtest1 where id = ?"},
      {"SELECT * FROM t WHERE id IN (1, 2, 3, 4)", "SELECT * FROM t WHERE id IN (...)"},
      {"SELECT * FROM t WHERE id IN (?)", "SELECT * FROM t WHERE id IN (...)"},
      {"SELECT * FROM t WHERE id IN (SELECT a FROM u)", "SELECT * FROM t WHERE id IN (SELECT a FROM u)"},
      {"INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, 'z')", "INSERT INTO t(a, b) VALUES (?, ?), ..."},
      {"INSERT INTO t (a, b) VALUES (1, 'x')", "INSERT INTO t(a, b) VALUES (?, ?)"},
      {"INSERT INTO t VALUES (1, NOW())", "INSERT INTO t VALUES (?, NOW())"},
      {"INSERT INTO t VALUES (1, NULL), (2, DEFAULT), (3, 'x')", "INSERT INTO t VALUES (?, NULL), ..."},
      {"SELECT -1.5e3, 0x1F, X'0F', N'abc'", "SELECT - ?, ?, ?, ?"},
      {"/* c */ SELECT 1 -- x\n", "SELECT ?"},
      {"SELECT `order` FROM `t`", "SELECT `order` FROM `t`"},
      {"SELECT 1; SELECT 2", "SELECT ?; SELECT ?"},
  };
  std::string text;
  for (const auto& c : cases) {
    const auto info = classify(c.sql, &text);
    EXPECT_EQ(text, c.digest) << c.sql;
    EXPECT_EQ(info.digest, digest_of(text)) << c.sql;
  }
}

TEST(Classifier, DigestHashIgnoresLiteralsCaseAndSpacing) {
  EXPECT_EQ(classify("SELECT c FROM t WHERE id=1").digest, classify("select c from t where id = 99").digest);
  EXPECT_EQ(classify("SELECT * FROM t WHERE id IN (1)").digest,
            classify("SELECT * FROM t WHERE id IN (1,2,3,4,5)").digest);
  EXPECT_NE(classify("SELECT c FROM t WHERE id=1").digest, classify("SELECT c FROM u WHERE id=1").digest);
  EXPECT_NE(classify("SELECT c FROM t WHERE id=1").digest, classify("SELECT d FROM t WHERE id=1").digest);
  EXPECT_NE(classify("SELECT 1").digest, 0u);
}

}  // namespace
}  // namespace weft::routing
