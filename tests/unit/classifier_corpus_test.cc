// A corpus of statements as real applications, drivers and tools send them, with the routing
// classification each must get: its kind, whether a replica may answer it, and the transaction
// control it is (if any). A second table checks that digests ignore what they should (literals,
// spacing, case, comments, IN-list and VALUES-row counts) and keep what they must.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "routing/classifier.h"

namespace weft::routing {
namespace {

using K = statement_kind;
using T = transaction_action;

std::string_view name_of(T action) {
  switch (action) {
    case T::none: return "none";
    case T::begin: return "begin";
    case T::begin_read_only: return "begin_read_only";
    case T::commit: return "commit";
    case T::rollback: return "rollback";
    case T::savepoint: return "savepoint";
    case T::xa: return "xa";
  }
  return "?";
}

struct corpus_case {
  std::string_view sql;
  K kind;
  bool replica_safe;
  T transaction = T::none;  // left out: the statement controls no transaction
};

TEST(ClassifierCorpus, RealWorldStatements) {
  const corpus_case corpus[] = {
      // --- mysqldump output, as `mysql < dump.sql` replays it ---
      {"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;", K::set, false},
      {"/*!50503 SET NAMES utf8mb4 */;", K::set, false},
      {"/*M!100616 SET @OLD_NOTE_VERBOSITY=@@NOTE_VERBOSITY, NOTE_VERBOSITY=0 */;", K::set, false},
      {"DROP TABLE IF EXISTS `users`;", K::write, false},
      {"CREATE TABLE `users` (\n"
       "  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n"
       "  `email` varchar(255) NOT NULL,\n"
       "  `created_at` datetime DEFAULT NULL,\n"
       "  PRIMARY KEY (`id`),\n"
       "  UNIQUE KEY `users_email_unique` (`email`)\n"
       ") ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;",
       K::write, false},
      {"LOCK TABLES `users` WRITE;", K::write, false},
      {"/*!40000 ALTER TABLE `users` DISABLE KEYS */;", K::write, false},
      {R"sql(INSERT INTO `users` VALUES (1,'alice@example.com','2024-01-01 10:00:00'),)sql"
       R"sql((2,'o\'brien@example.com',NULL),(3,'semi;colon@example.com','2024-01-02 00:00:00');)sql",
       K::write, false},
      {"UNLOCK TABLES;", K::write, false},
      {"/*!50001 CREATE ALGORITHM=UNDEFINED */\n"
       "/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */\n"
       "/*!50001 VIEW `active_users` AS select `users`.`id` AS `id` from `users` "
       "where (`users`.`created_at` is not null) */;",
       K::write, false},

      // --- mysqldump as a client (--single-transaction) ---
      {"START TRANSACTION /*!40100 WITH CONSISTENT SNAPSHOT */", K::transaction, false, T::begin},
      {R"sql(SHOW VARIABLES LIKE 'gtid\_mode')sql", K::read, true},
      {"SELECT /*!40001 SQL_NO_CACHE */ * FROM `users`", K::read, true},
      {"FLUSH /*!40101 LOCAL */ TABLES", K::write, false},
      {"FLUSH TABLES WITH READ LOCK", K::write, false},

      // --- Rails / ActiveRecord (mysql2), with marginalia comments ---
      {"SET  @@SESSION.sql_mode = CONCAT(CONCAT(@@sql_mode, ',STRICT_ALL_TABLES'), ',NO_AUTO_VALUE_ON_ZERO'),  "
       "@@SESSION.sql_auto_is_null = 0, @@SESSION.wait_timeout = 2147483",
       K::set, false},
      {"SELECT GET_LOCK('2370310706172386595', 0)", K::read, false},
      {"SELECT `users`.* FROM `users` WHERE `users`.`id` = 1 LIMIT 1 "
       "/*application:Shop,controller:users,action:show*/",
       K::read, true},
      {"BEGIN", K::transaction, false, T::begin},
      {"SAVEPOINT active_record_1", K::transaction, false, T::savepoint},
      {"ROLLBACK TO SAVEPOINT active_record_1", K::transaction, false, T::savepoint},
      {"COMMIT", K::transaction, false, T::commit},
      {"SELECT `users`.* FROM `users` WHERE `users`.`id` = 1 LIMIT 1 FOR UPDATE", K::read, false},

      // --- Django ---
      {"SELECT `auth_user`.`id`, `auth_user`.`username` FROM `auth_user` "
       "WHERE `auth_user`.`username` = 'admin' LIMIT 21",
       K::read, true},
      {"SELECT (1) AS `a` FROM `django_session` WHERE `django_session`.`session_key` = 'abc' LIMIT 1", K::read,
       true},
      {"SELECT `shop_order`.`id`, `shop_order`.`status` FROM `shop_order` WHERE `shop_order`.`id` = 7 "
       "FOR UPDATE SKIP LOCKED",
       K::read, false},
      {"SELECT `shop_order`.`id` FROM `shop_order` WHERE `shop_order`.`status` = 'new' "
       "ORDER BY `shop_order`.`id` ASC LIMIT 10 FOR UPDATE NOWAIT",
       K::read, false},

      // --- Hibernate / JPA (5.x aliases like user0_, 6.x like u1_0) ---
      {"select user0_.id as id1_0_0_, user0_.email as email2_0_0_ from users user0_ where user0_.id=?", K::read,
       true},
      {"select order0_.id as id1_3_, order0_.total as total2_3_ from orders order0_ "
       "where order0_.customer_id=? for update",
       K::read, false},
      {"select u1_0.id,u1_0.email,u1_0.version from users u1_0 where u1_0.id=? for share", K::read, false},
      {"select account0_.id as id1_0_ from accounts account0_ where account0_.id=? lock in share mode", K::read,
       false},
      {"select next_val as id_val from hibernate_sequence for update", K::read, false},
      {"select next value for hibernate_sequence", K::read, false},
      {"select count(order0_.id) as col_0_0_ from orders order0_ where order0_.status in (? , ?)", K::read, true},

      // --- Laravel / Eloquent ---
      {"set names 'utf8mb4' collate 'utf8mb4_unicode_ci'", K::set, false},
      {"select * from `users` where `email` = ? and `users`.`deleted_at` is null limit 1", K::read, true},
      {"select exists(select * from `users` where `email` = ?) as `exists`", K::read, true},
      {"select * from `jobs` where `queue` = ? and ((`reserved_at` is null and `available_at` <= ?) "
       "or (`reserved_at` <= ?)) order by `id` asc limit 1 for update skip locked",
       K::read, false},
      {"select `posts`.*, (select count(*) from `comments` where `posts`.`id` = `comments`.`post_id`) "
       "as `comments_count` from `posts`",
       K::read, true},

      // --- WordPress ---
      {"SELECT option_value FROM wp_options WHERE option_name = 'siteurl' LIMIT 1", K::read, true},
      {"SELECT post_id, meta_key, meta_value FROM wp_postmeta WHERE post_id IN (12,15,18) ORDER BY meta_id ASC",
       K::read, true},
      {"SELECT   wp_posts.ID FROM wp_posts  WHERE 1=1  AND wp_posts.post_type = 'post' "
       "AND ((wp_posts.post_status = 'publish')) ORDER BY wp_posts.post_date DESC LIMIT 0, 10",
       K::read, true},
      {R"sql(UPDATE `wp_options` SET `option_value` = 'a:2:{i:0;s:5:\"hello\";i:1;s:5:\"world\";}' )sql"
       "WHERE `option_name` = 'cron'",
       K::write, false},
      {R"sql(DELETE FROM wp_options WHERE option_name LIKE '\_transient\_%')sql", K::write, false},

      // --- Magento ---
      {"SELECT `e`.*, `price_index`.`price`, `price_index`.`final_price` FROM `catalog_product_entity` AS `e` "
       "INNER JOIN `catalog_product_index_price` AS `price_index` ON price_index.entity_id = e.entity_id "
       "AND price_index.website_id = '1' AND price_index.customer_group_id = 0 WHERE (e.entity_id IN (1, 2, 3))",
       K::read, true},
      {"SELECT IS_USED_LOCK('magento_cron_group_default')", K::read, false},
      {"INSERT INTO `sequence_order_1` () VALUES ()", K::write, false},
      {"INSERT INTO `quote_item` (`quote_id`, `product_id`, `qty`) VALUES (?, ?, ?) "
       "ON DUPLICATE KEY UPDATE `qty` = VALUES(`qty`)",
       K::write, false},

      // --- Drupal (sql_mode ANSI: double-quoted identifiers) ---
      {"SET sql_mode = 'ANSI,STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
       "ERROR_FOR_DIVISION_BY_ZERO,ONLY_FULL_GROUP_BY'",
       K::set, false},
      {"SELECT \"base_table\".\"nid\" AS \"nid\" FROM \"node\" \"base_table\" INNER JOIN \"node_field_data\" "
       "\"node_field_data\" ON \"node_field_data\".\"nid\" = \"base_table\".\"nid\" "
       "WHERE \"node_field_data\".\"status\" = 1",
       K::read, true},
      {"INSERT INTO \"semaphore\" (\"name\", \"value\", \"expire\") VALUES ('cron', '12345', 1714560000.123)",
       K::write, false},

      // --- Prisma / Sequelize / TypeORM (backquoted everything, ? placeholders) ---
      {"SELECT `shop`.`User`.`id`, `shop`.`User`.`email` FROM `shop`.`User` WHERE `shop`.`User`.`id` = ? "
       "LIMIT ? OFFSET ?",
       K::read, true},
      {"SELECT GET_LOCK('prisma_migrate', 10)", K::read, false},
      {"SELECT `User`.`id`, `User`.`name` FROM `Users` AS `User` WHERE `User`.`id` = ?;", K::read, true},
      {"INSERT INTO `Users` (`id`,`name`,`createdAt`,`updatedAt`) VALUES (DEFAULT,?,?,?);", K::write, false},
      {"START TRANSACTION;", K::transaction, false, T::begin},

      // --- Go database/sql (go-sql-driver/mysql) ---
      {"SELECT @@max_allowed_packet", K::read, true},
      {"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", K::set, false},
      {"START TRANSACTION READ ONLY", K::transaction, false, T::begin_read_only},

      // --- JDBC (Connector/J, MariaDB Connector/J) and Python drivers: connection setup ---
      {"/* mysql-connector-j-8.0.33 (Revision: 7d6b0800528b6b25c68b52dc10d6c1c8429c100c) */"
       "SELECT  @@session.auto_increment_increment AS auto_increment_increment, "
       "@@character_set_client AS character_set_client, @@character_set_connection AS character_set_connection, "
       "@@character_set_results AS character_set_results, @@character_set_server AS character_set_server, "
       "@@collation_server AS collation_server, @@collation_connection AS collation_connection, "
       "@@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, @@license AS license, "
       "@@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS max_allowed_packet, "
       "@@net_write_timeout AS net_write_timeout, @@performance_schema AS performance_schema, "
       "@@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, @@time_zone AS time_zone, "
       "@@transaction_isolation AS transaction_isolation, @@wait_timeout AS wait_timeout",
       K::read, true},
      {"SET character_set_results = NULL", K::set, false},
      {"SELECT @@session.transaction_isolation", K::read, true},
      {"SET SESSION TRANSACTION READ ONLY", K::set, false},
      {"/* ping */ SELECT 1", K::read, true},
      {"set autocommit=1, sql_mode = concat(@@sql_mode,',STRICT_TRANS_TABLES'), session_track_schema=1", K::set,
       false},

      // --- sysbench (prepared statements) ---
      {"SELECT c FROM sbtest1 WHERE id=?", K::read, true},
      {"SELECT c FROM sbtest7 WHERE id BETWEEN ? AND ? ORDER BY c", K::read, true},
      {"INSERT INTO sbtest1 (id, k, c, pad) VALUES (?, ?, ?, ?)", K::write, false},
      {"CREATE TABLE sbtest1(\n  id INTEGER NOT NULL AUTO_INCREMENT,\n  k INTEGER DEFAULT '0' NOT NULL,\n"
       "  c CHAR(120) DEFAULT '' NOT NULL,\n  pad CHAR(60) DEFAULT '' NOT NULL,\n  PRIMARY KEY (id)\n"
       ") /*! ENGINE = innodb */",
       K::write, false},

      // --- Flyway / Liquibase migrations ---
      {"CREATE TABLE IF NOT EXISTS `flyway_schema_history` (\n"
       "    `installed_rank` INT NOT NULL,\n    `version` VARCHAR(50),\n    `description` VARCHAR(200) NOT NULL,\n"
       "    `script` VARCHAR(1000) NOT NULL,\n    `checksum` INT,\n"
       "    `installed_on` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,\n    `success` BOOL NOT NULL,\n"
       "    CONSTRAINT `flyway_schema_history_pk` PRIMARY KEY (`installed_rank`)\n) ENGINE=InnoDB",
       K::write, false},
      {"SELECT GET_LOCK(?,10)", K::read, false},
      {"SELECT `installed_rank`,`version`,`description`,`type`,`script`,`checksum`,`installed_on`,`installed_by`,"
       "`execution_time`,`success` FROM `flyway_schema_history` WHERE `installed_rank` > ? ORDER BY `installed_rank`",
       K::read, true},
      {"UPDATE DATABASECHANGELOGLOCK SET `LOCKED` = 1, LOCKEDBY = 'build-7 (10.0.0.5)', LOCKGRANTED = NOW() "
       "WHERE ID = 1 AND `LOCKED` = 0",
       K::write, false},
      {"CREATE PROCEDURE refresh_totals(IN p_id INT)\nBEGIN\n"
       "  UPDATE totals SET amount = (SELECT SUM(total) FROM orders WHERE customer_id = p_id) "
       "WHERE customer_id = p_id;\nEND",
       K::write, false},

      // --- Percona Toolkit (pt-table-checksum, pt-online-schema-change, pt-heartbeat) ---
      {"SELECT /*!40001 SQL_NO_CACHE */ `id` FROM `shop`.`orders` FORCE INDEX(`PRIMARY`) "
       "WHERE ((`id` >= '1001')) ORDER BY `id` LIMIT 999, 2 /*next chunk boundary*/",
       K::read, true},
      {"REPLACE INTO `percona`.`checksums` (db, tbl, chunk, chunk_index, lower_boundary, upper_boundary, "
       "this_cnt, this_crc) SELECT 'shop', 'orders', '1', 'PRIMARY', '1', '1000', COUNT(*) AS cnt, "
       "COALESCE(LOWER(CONV(BIT_XOR(CAST(CRC32(CONCAT_WS('#', `id`, `total`)) AS UNSIGNED)), 10, 16)), 0) AS crc "
       "FROM `shop`.`orders` FORCE INDEX(`PRIMARY`) WHERE ((`id` >= '1')) AND ((`id` <= '1000')) "
       "/*checksum chunk*/",
       K::write, false},
      {"INSERT LOW_PRIORITY IGNORE INTO `shop`.`_orders_new` (`id`, `total`) SELECT `id`, `total` "
       "FROM `shop`.`orders` FORCE INDEX(`PRIMARY`) WHERE ((`id` >= '1')) AND ((`id` <= '1000')) "
       "LOCK IN SHARE MODE /*pt-online-schema-change 4242 copy nibble*/",
       K::write, false},
      {"CREATE TRIGGER `pt_osc_shop_orders_upd` AFTER UPDATE ON `shop`.`orders` FOR EACH ROW BEGIN "
       "DELETE IGNORE FROM `shop`.`_orders_new` WHERE !(OLD.`id` <=> NEW.`id`) "
       "AND `shop`.`_orders_new`.`id` <=> OLD.`id`; REPLACE INTO `shop`.`_orders_new` (`id`, `total`) "
       "VALUES (NEW.`id`, NEW.`total`); END",
       K::write, false},
      {"SELECT @rownum := @rownum + 1 AS `rank`, name FROM players, (SELECT @rownum := 0) r ORDER BY score DESC",
       K::read, false},

      // --- Monitoring (mysqld_exporter, pt-stalk, dashboards, health checks) ---
      {"SHOW GLOBAL STATUS", K::read, true},
      {"SHOW /*!50002 GLOBAL */ STATUS", K::read, true},
      {"SELECT ifnull(SCHEMA_NAME, 'NONE') as SCHEMA_NAME, DIGEST, DIGEST_TEXT, COUNT_STAR, SUM_TIMER_WAIT, "
       "SUM_ERRORS, SUM_ROWS_SENT FROM performance_schema.events_statements_summary_by_digest "
       "WHERE SCHEMA_NAME NOT IN ('mysql', 'performance_schema', 'information_schema') "
       "AND LAST_SEEN > DATE_SUB(NOW(), INTERVAL 86400 SECOND) ORDER BY SUM_TIMER_WAIT DESC LIMIT 250",
       K::read, true},
      {"SELECT user, host, db, command, time, state, info FROM information_schema.processlist "
       "WHERE command <> 'Sleep' ORDER BY time DESC",
       K::read, true},
      {"SELECT * FROM sys.x$innodb_lock_waits", K::read, true},

      // --- MariaDB specifics ---
      {"SELECT seq FROM seq_1_to_10", K::read, true},
      {"select nextval(`shop`.`s_order`)", K::read, false},
      {"INSERT INTO orders (id, total) VALUES (NEXT VALUE FOR s_order, 10.50)", K::write, false},
      {"INSERT INTO orders (total) VALUES (10.50) RETURNING id, created_at", K::write, false},
      {"DELETE FROM sessions WHERE expires < NOW() RETURNING id", K::write, false},
      {"SELECT id, total FROM orders ORDER BY id OFFSET 20 ROWS FETCH NEXT 10 ROWS ONLY", K::read, true},
      {"SELECT * FROM prices FOR SYSTEM_TIME AS OF TIMESTAMP '2024-01-01 00:00:00' WHERE sku = 'A1'", K::read,
       true},
      {"ANALYZE FORMAT=JSON SELECT * FROM orders WHERE total > 100", K::write, false},

      // --- Other reads: MySQL 8 TABLE/VALUES, EXPLAIN, HELP, SHOW ---
      {"TABLE orders ORDER BY id LIMIT 10", K::read, true},
      {"VALUES ROW(1, 'a'), ROW(2, 'b')", K::read, true},
      {"EXPLAIN FORMAT=JSON SELECT * FROM orders WHERE id = 1", K::read, true},
      {"explain analyze select * from orders where customer_id = 7", K::write, false},
      {"HELP 'contents'", K::read, true},

      // --- Side effects that bind a read to the primary ---
      {"SELECT COUNT(*) INTO @n FROM users", K::read, false},
      {"SELECT id, email FROM users INTO OUTFILE '/var/lib/mysql-files/users.csv' FIELDS TERMINATED BY ','", K::read,
       false},
      {"SELECT @@last_insert_id", K::read, false},

      // --- CTEs, recursive ones too ---
      {"WITH RECURSIVE cte (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cte WHERE n < 10) SELECT * FROM cte",
       K::read, true},
      {"WITH RECURSIVE tree AS (\n"
       "  SELECT id, parent_id, name, 0 AS depth FROM categories WHERE parent_id IS NULL\n"
       "  UNION ALL\n"
       "  SELECT c.id, c.parent_id, c.name, t.depth + 1 FROM categories c JOIN tree t ON c.parent_id = t.id\n"
       ")\nSELECT * FROM tree ORDER BY depth, name",
       K::read, true},
      {"WITH m AS (SELECT MAX(id) AS id FROM orders) UPDATE orders JOIN m USING (id) SET flagged = 1", K::write,
       false},
      {"WITH c AS (SELECT id FROM jobs WHERE state = 'new' LIMIT 10) "
       "SELECT * FROM jobs WHERE id IN (SELECT id FROM c) FOR UPDATE",
       K::read, false},
      {"WITH x AS (SELECT id FROM t) SELECT id INTO @last FROM x ORDER BY id DESC LIMIT 1", K::read, false},

      // --- Window functions ---
      {"SELECT id, customer_id, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY created_at DESC) AS rn "
       "FROM orders",
       K::read, true},
      {"SELECT day, amount, SUM(amount) OVER w AS running, "
       "AVG(amount) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS avg7 "
       "FROM sales WINDOW w AS (ORDER BY day)",
       K::read, true},
      {"WITH ranked AS (SELECT p.*, RANK() OVER (PARTITION BY category_id ORDER BY sales DESC) AS r "
       "FROM products p) SELECT * FROM ranked WHERE r <= 3",
       K::read, true},

      // --- JSON functions ---
      {"SELECT JSON_EXTRACT(attrs, '$.dimensions.width') AS w FROM products WHERE JSON_CONTAINS(tags, '\"sale\"')",
       K::read, true},
      {"SELECT id, attrs->>'$.color' AS color FROM products WHERE attrs->'$.size' = 'XL'", K::read, true},
      {"SELECT jt.* FROM orders, JSON_TABLE(items, '$[*]' COLUMNS (rownum FOR ORDINALITY, "
       "sku VARCHAR(20) PATH '$.sku', qty INT PATH '$.qty')) AS jt",
       K::read, true},

      // --- Unions and other set operations ---
      {"SELECT id, 'user' AS kind FROM users WHERE name LIKE 'a%' "
       "UNION SELECT id, 'team' FROM teams WHERE name LIKE 'a%' ORDER BY id LIMIT 20",
       K::read, true},
      {"(SELECT id FROM archive_2023 WHERE customer_id = 1) UNION ALL (SELECT id FROM orders WHERE customer_id = 1) "
       "ORDER BY id DESC LIMIT 50",
       K::read, true},
      {"((SELECT 1 AS n) UNION (SELECT 2)) ORDER BY n", K::read, true},
      {"SELECT customer_id FROM orders INTERSECT SELECT id FROM customers WHERE vip = 1", K::read, true},
      {"SELECT id FROM a UNION SELECT id FROM b FOR UPDATE", K::read, false},

      // --- Subqueries in every position ---
      {"SELECT u.id, (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) AS n FROM users u", K::read, true},
      {"SELECT x.day, x.n FROM (SELECT DATE(created_at) AS day, COUNT(*) AS n FROM orders "
       "GROUP BY DATE(created_at)) AS x WHERE x.n > 10",
       K::read, true},
      {"SELECT * FROM users u WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id)", K::read, true},
      {"SELECT c.id, last_o.total FROM customers c JOIN LATERAL (SELECT total FROM orders o "
       "WHERE o.customer_id = c.id ORDER BY id DESC LIMIT 1) AS last_o ON TRUE",
       K::read, true},
      {"SELECT region, SUM(total) FROM orders GROUP BY region WITH ROLLUP", K::read, true},
      {"UPDATE orders SET total = (SELECT SUM(price * qty) FROM order_items WHERE order_id = orders.id) "
       "WHERE id = 9",
       K::write, false},

      // --- Odd spacing, case, newlines, tabs ---
      {"   \n\t  SELECT 1", K::read, true},
      {"sElEcT\t*\nfRoM\r\n  orders\nWHERE\tid = 1", K::read, true},
      {"select * from orders where id = 1\nfor\n  update", K::read, false},
      {"SELECT * FROM orders WHERE id = 1 LOCK\tIN\nSHARE\tMODE", K::read, false},
      {"SELECT * FROM orders WHERE id = 1 FoR sHaRe", K::read, false},
      {"\n\nBEGIN\n", K::transaction, false, T::begin},
      {"SELECT c FROM t WHERE k = 5--1 FOR UPDATE", K::read, false},  // `--1` is no comment: no space after it

      // --- Comments in odd places ---
      {"SELECT a FROM t /* FOR UPDATE */ WHERE id = 1", K::read, true},
      {"SELECT a FROM t # FOR UPDATE\nWHERE id = 1", K::read, true},
      {"SELECT * FROM orders WHERE id = 1 -- ; DELETE FROM orders\n", K::read, true},
      {"/**/SELECT/**/id/**/FROM/**/t", K::read, true},
      {"SELECT * FROM orders WHERE id = 1 FOR /* lock it */ UPDATE", K::read, false},
      {"SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM orders WHERE total > 100", K::read, true},
      {"SELECT a FROM t WHERE b = 1 /*!50000 LOCK IN SHARE MODE */", K::read, false},

      // --- Strings holding keywords, semicolons and escaped quotes ---
      {"SELECT * FROM notes WHERE body = 'BEGIN; DELETE FROM notes; COMMIT'", K::read, true},
      {"INSERT INTO audit (msg) VALUES ('SELECT * FROM t FOR UPDATE; SELECT GET_LOCK(1)')", K::write, false},
      {R"sql(SELECT * FROM authors WHERE name = 'O\'Reilly; FOR UPDATE')sql", K::read, true},
      {R"sql(SELECT * FROM t WHERE a = "say \"FOR UPDATE\"; GET_LOCK(1)")sql", K::read, true},
      {R"sql(SELECT * FROM t WHERE a = "double ""quoted""; NEXTVAL(s)")sql", K::read, true},
      {R"sql(SELECT * FROM files WHERE path = 'C:\\' FOR UPDATE)sql", K::read, false},
      {"SELECT `select`, `for update`, `get_lock` FROM `weird;table`", K::read, true},
      {"SELECT N'naïve ; FOR UPDATE'", K::read, true},

      // --- Hex and bit literals ---
      {"SELECT * FROM devices WHERE mac = X'001A2B3C4D5E' AND flags & b'0101' = b'0001'", K::read, true},
      {"SELECT * FROM t WHERE id = 0x1F OR id = 0b101", K::read, true},
      {"SELECT HEX(id) FROM t WHERE uuid = UNHEX(REPLACE('3f06af63-a93c-11e4-9797-00505690773f', '-', ''))",
       K::read, true},

      // --- Multi-statements (never replica-safe; a write if any part is not a read) ---
      {"SELECT * FROM a; SELECT * FROM b;", K::read, false},
      {"SET NAMES utf8mb4; SELECT * FROM orders", K::write, false},
      {"BEGIN; UPDATE accounts SET balance = balance - 10 WHERE id = 1; "
       "UPDATE accounts SET balance = balance + 10 WHERE id = 2; COMMIT;",
       K::write, false},
      {"USE shop; SELECT * FROM orders", K::write, false},
      // ...but a trailing semicolon, space or comment makes no second statement.
      {"SELECT 1; -- done", K::read, true},
      {"SELECT 1;\n\n/* end */\n", K::read, true},

      // --- Transaction control and session ---
      {"START TRANSACTION READ WRITE", K::transaction, false, T::begin},
      {"START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", K::transaction, false, T::begin_read_only},
      {"rollback to savepoint `s140329834_x1`", K::transaction, false, T::savepoint},
      {"XA START 'trx-7'", K::transaction, false, T::xa},
      {"XA COMMIT 'trx-7'", K::transaction, false, T::xa},
      {"USE `shop`;", K::use, false},
      {"SET @x := 5", K::set, false},

      // --- Administration and routines ---
      {"CREATE DATABASE IF NOT EXISTS `shop` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", K::write,
       false},
      {"TRUNCATE TABLE sessions", K::write, false},
      {"LOAD DATA INFILE '/var/lib/mysql-files/o.csv' INTO TABLE orders FIELDS TERMINATED BY ',' "
       R"sql(ENCLOSED BY '"' LINES TERMINATED BY '\n' IGNORE 1 LINES)sql",
       K::write, false},
      {"PREPARE stmt FROM 'SELECT * FROM t WHERE id = ?'", K::write, false},
      {"CALL shop.place_order(42, @order_id)", K::write, false},
  };
  std::string text;
  for (const auto& c : corpus) {
    const auto info = classify(c.sql);
    EXPECT_EQ(to_string(info.kind), to_string(c.kind)) << c.sql;
    EXPECT_EQ(info.replica_safe(), c.replica_safe) << c.sql;
    EXPECT_EQ(name_of(info.transaction), name_of(c.transaction)) << c.sql;
    // Asking for the digest text changes nothing else, and the hash is the text's.
    const auto with_text = classify(c.sql, &text);
    EXPECT_EQ(with_text.digest, info.digest) << c.sql;
    EXPECT_EQ(digest_of(text), info.digest) << c.sql << "\n  digest text: " << text;
  }
}

struct digest_pair {
  std::string_view a;
  std::string_view b;
};

// Statements that differ only in literals, spacing, case, comments, IN-list length or the
// number of literal VALUES rows: one digest.
TEST(ClassifierCorpus, SameDigest) {
  const digest_pair pairs[] = {
      {"SELECT c FROM sbtest1 WHERE id=5023", "SELECT c FROM sbtest1 WHERE id=?"},
      {"select c from sbtest1 where id = 1", "SELECT C FROM SBTEST1 WHERE ID = 2"},
      {"SELECT c\n\tFROM  sbtest1\r\nWHERE id = 7", "SELECT c FROM sbtest1 WHERE id = 8"},
      {"   \n\tSELECT id FROM t", "SELECT id FROM t"},
      {"SELECT * FROM `users` WHERE `users`.`id` IN (1, 2, 3)", "SELECT * FROM `users` WHERE `users`.`id` IN (42)"},
      {"SELECT * FROM users WHERE id IN (?, ?, ?, ?)", "SELECT * FROM users WHERE id IN(7)"},
      {"SELECT * FROM t WHERE s IN ('a', 'b')", "SELECT * FROM t WHERE s IN (\"c\")"},
      {"SELECT * FROM t WHERE a IN (1, 2) AND b IN ('x')", "SELECT * FROM t WHERE a IN (5) AND b IN ('y', 'z', 'w')"},
      {"select o.id from orders o where o.status in (? , ?)", "select o.id from orders o where o.status in (?)"},
      {"UPDATE t SET s = 1 WHERE id IN (1,2)", "UPDATE t SET s = 'b' WHERE id IN (3)"},
      {"INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')",
       "INSERT INTO t (a, b) VALUES (3, 'z'), (4, 'w'), (5, 'v'), (6, 'u')"},
      {"INSERT INTO `t` VALUES (1,'a'),(2,'b')", "INSERT INTO `t` VALUES (?,?),(?,?),(?,?)"},
      {"INSERT INTO t (a,b) VALUES (1,2)", "INSERT INTO t(a, b) VALUES (?, ?)"},
      {"/* app:web */ SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = 2 -- trailing"},
      {"SELECT `users`.* FROM `users` WHERE `users`.`id` = 1 LIMIT 1 /*application:Shop,controller:users*/",
       "SELECT `users`.* FROM `users` WHERE `users`.`id` = 2 LIMIT 1"},
      {"/* weft: route=primary */ SELECT a FROM t", "SELECT a FROM t"},
      {"SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t", "SELECT * FROM t"},
      {"/*!40101 SET NAMES utf8mb4 */;", "SET NAMES utf8mb4"},
      {R"sql(SELECT * FROM t WHERE name = 'it''s')sql", R"sql(SELECT * FROM t WHERE name = "x")sql"},
      {R"sql(SELECT * FROM t WHERE name = 'O\'Reilly')sql", "SELECT * FROM t WHERE name = N'x'"},
      {"SELECT * FROM t WHERE h = 0xFF", "SELECT * FROM t WHERE h = X'00'"},
      {"SELECT * FROM t WHERE h = b'1'", "SELECT * FROM t WHERE h = 1.5e3"},
      {"SELECT * FROM t LIMIT 10 OFFSET 20", "SELECT * FROM t LIMIT 50 OFFSET 0"},
      {"SELECT * FROM t LIMIT 0, 10", "SELECT * FROM t LIMIT ?, ?"},
      {"SELECT COUNT(*) FROM t WHERE a>=1 AND b<>2", "select count( * ) from t where a >= 1.5 and b <> 'x'"},
      {"SELECT * FROM t WHERE a = -1", "SELECT * FROM t WHERE a = -20"},
      {"SELECT 1;", "SELECT 2"},
      {"SELECT `User`.`id` FROM `Users` AS `User` WHERE `User`.`id` = ?;",
       "SELECT `User`.`id` FROM `Users` AS `User` WHERE `User`.`id` = 5"},
      {"SELECT 1; SELECT 'x'", "SELECT 2;SELECT 3"},
  };
  std::string text_a, text_b;
  for (const auto& p : pairs) {
    const auto a = classify(p.a, &text_a).digest;
    const auto b = classify(p.b, &text_b).digest;
    EXPECT_EQ(a, b) << p.a << "\n  vs " << p.b << "\n  digests: " << text_a << "\n       vs " << text_b;
  }
}

// Statements that do different things: different digests.
TEST(ClassifierCorpus, DifferentDigest) {
  const digest_pair pairs[] = {
      {"SELECT * FROM users WHERE id = 1", "SELECT * FROM orders WHERE id = 1"},
      {"SELECT * FROM users WHERE id = 1", "SELECT * FROM users WHERE email = 1"},
      {"SELECT * FROM db1.t", "SELECT * FROM db2.t"},
      {"SELECT a, b FROM t", "SELECT b, a FROM t"},
      {"SELECT SUM(total) FROM orders", "SELECT AVG(total) FROM orders"},
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id < 1"},
      {"SELECT * FROM t WHERE id > 1", "SELECT * FROM t WHERE id >= 1"},
      {"SELECT * FROM t WHERE a IS NULL", "SELECT * FROM t WHERE a IS NOT NULL"},
      {"SELECT * FROM t WHERE id IN (1, 2)", "SELECT * FROM t WHERE id NOT IN (1, 2)"},
      {"SELECT * FROM t WHERE id IN (1, 2)", "SELECT * FROM t WHERE id IN (SELECT id FROM u)"},
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = 1 FOR UPDATE"},
      {"SELECT * FROM t WHERE id = 1", "SELECT * FROM t WHERE id = 1 LOCK IN SHARE MODE"},
      {"SELECT * FROM t LIMIT 10", "SELECT * FROM t LIMIT 0, 10"},
      {"SELECT * FROM t ORDER BY id ASC", "SELECT * FROM t ORDER BY id DESC"},
      {"SELECT a FROM t1 UNION SELECT a FROM t2", "SELECT a FROM t1 UNION ALL SELECT a FROM t2"},
      {"INSERT INTO t (a) VALUES (1)", "REPLACE INTO t (a) VALUES (1)"},
      {"UPDATE t SET a = 1 WHERE id = 2", "DELETE FROM t WHERE id = 2"},
      {"SELECT `status` FROM t", "SELECT 'status' FROM t"},
      {"SELECT a FROM t /*!40001 FOR UPDATE */", "SELECT a FROM t /* FOR UPDATE */"},
      {"SELECT 1", "SELECT 1; SELECT 2"},
  };
  std::string text_a, text_b;
  for (const auto& p : pairs) {
    const auto a = classify(p.a, &text_a).digest;
    const auto b = classify(p.b, &text_b).digest;
    EXPECT_NE(a, b) << p.a << "\n  vs " << p.b << "\n  digest: " << text_a;
  }
}

}  // namespace
}  // namespace weft::routing
