-- The corpus of tests/integration/sharding_corpus.sh: one statement per line (several separated by `;` run in
-- one session), run through weft and directly on one unsharded server, in this order; their answers must be
-- the same. Lines starting with "-- " and blank lines are not statements. sharding_corpus.refused lists, by line
-- number, what weft refuses today: inserting or removing a line here renumbers what follows, so update it too.
-- Maps: c_users HASH(id) | c_orders RANGE(order_id) 0: shard1, 5000: shard2 | c_events RANGE_DATETIME(at)
-- '2000-01-01': shard1, '2026-06-01': shard2 | c_regions LIST(region) 'eu','uk': shard1, 'us','ca': shard2.
-- HASH places ids 1 3 7 8 9 12 13 14 24 27 28 30 31 32 36 37 38 39 40 on shard1, 2 4 5 6 10 11 15-23 25 26 29
-- 33 34 35 on shard2.

-- HASH (c_users.id INT): point reads
SELECT * FROM c_users WHERE id = 1
SELECT * FROM c_users WHERE id = 2
SELECT * FROM c_users WHERE id = 3
SELECT * FROM c_users WHERE id = 4
SELECT * FROM c_users WHERE id = 5
SELECT * FROM c_users WHERE id = 6
SELECT * FROM c_users WHERE id = 7
SELECT * FROM c_users WHERE id = 8
SELECT * FROM c_users WHERE id = 9
SELECT * FROM c_users WHERE id = 10
SELECT * FROM c_users WHERE id = 11
SELECT * FROM c_users WHERE id = 12
SELECT * FROM c_users WHERE id = 13
SELECT * FROM c_users WHERE id = 14
SELECT * FROM c_users WHERE id = 15
SELECT * FROM c_users WHERE id = 16
SELECT * FROM c_users WHERE id = 17
SELECT * FROM c_users WHERE id = 18
SELECT * FROM c_users WHERE id = 19
SELECT * FROM c_users WHERE id = 20
SELECT * FROM c_users WHERE id = '7'
SELECT * FROM c_users WHERE id = '007'
SELECT * FROM c_users WHERE id = 007
SELECT * FROM c_users WHERE id = '+7'
SELECT * FROM c_users WHERE id = 7.0
SELECT * FROM c_users WHERE id = '7.0'
SELECT * FROM c_users WHERE id = ' 7'
SELECT * FROM c_users WHERE id = '7 '
SELECT * FROM c_users WHERE id = 7e0
SELECT * FROM c_users WHERE id = '7abc'
SELECT * FROM c_users WHERE id = 'abc'
SELECT * FROM c_users WHERE id = 0x07
SELECT * FROM c_users WHERE id = TRUE
SELECT * FROM c_users WHERE 2 = id
SELECT * FROM c_users WHERE id <=> 2
SELECT * FROM c_users WHERE (id = 2)
SELECT * FROM c_users WHERE ((id = 2) AND (score IS NOT NULL))
SELECT * FROM c_users WHERE id = 7 AND score > 10
SELECT * FROM c_users WHERE id = 7 AND score > 1000
SELECT * FROM c_users WHERE score > 10 AND id = 7
SELECT * FROM c_users WHERE id = 7 AND (city = 'Rome' OR city IS NULL)
SELECT * FROM c_users WHERE id = 7 && score < 100
SELECT name FROM c_users WHERE ID = 9
SELECT `name` FROM `c_users` WHERE `id` = 9
SELECT name FROM weft_test.c_users WHERE id = 9
SELECT name FROM `weft_test`.`c_users` WHERE id = 10
SELECT u.name FROM c_users u WHERE u.id = 10
SELECT c_users.name FROM c_users WHERE c_users.id = 10
SELECT name FROM c_users WHERE weft_test.c_users.id = 10
SELECT * FROM c_users WHERE id = 100000
SELECT * FROM c_users WHERE id = -1
SELECT * FROM c_users WHERE id = 0
SELECT * FROM c_users WHERE id = 2147483647
SELECT * FROM c_users WHERE id = 99999999999999999999
SELECT * FROM c_users WHERE id = 7 AND id = 2
SELECT * FROM c_users WHERE id = 7 AND id = 7
SELECT * FROM c_users WHERE id = 7 LIMIT 1
SELECT * FROM c_users WHERE id = 7 FOR UPDATE
SELECT * FROM c_users WHERE id = 7 LOCK IN SHARE MODE
SELECT id, score * 2 + 1, IFNULL(city, '-'), CONCAT(name, '/', IFNULL(tag, '?')), balance / 3 FROM c_users WHERE id = 8
SELECT id, CASE WHEN score > 50 THEN 'high' ELSE 'low' END, DATE_FORMAT(created, '%Y/%m'), created + INTERVAL 1 DAY FROM c_users WHERE id = 12
SELECT COUNT(*), SUM(score), MAX(balance), AVG(score) FROM c_users WHERE id = 7
SELECT id, ROW_NUMBER() OVER (ORDER BY id) FROM c_users WHERE id = 7
SELECT DISTINCT city FROM c_users WHERE id = 7
SELECT name, LENGTH(name), HEX(name) FROM c_users WHERE id = 6

-- Expressions and odd forms around the key: never routed by a wrong reading
SELECT id FROM c_users WHERE id = 2 + 5
SELECT id FROM c_users WHERE id = 7 + 0
SELECT id FROM c_users WHERE id = (7)
SELECT id FROM c_users WHERE id = - -7
SELECT id FROM c_users WHERE id = --2
SELECT id FROM c_users WHERE id = 7 = 0 AND id < 5
SELECT id FROM c_users WHERE id IN (7) IS FALSE AND id < 5
SELECT id FROM c_users WHERE NOT id = 7 AND id < 10
SELECT id FROM c_users WHERE !(id = 7) AND id < 10
SELECT id FROM c_users WHERE id = 7 IS TRUE
SELECT id FROM c_users WHERE id BETWEEN 7 AND 7
SELECT id FROM c_users WHERE id BETWEEN 10 AND 20
SELECT id FROM c_users WHERE id > 290
SELECT id FROM c_users WHERE id = 7 OR id = 8
SELECT id FROM c_users WHERE id = 7 OR score = 1000
SELECT id FROM c_users WHERE id = 7 || id = 2
SELECT id FROM c_users WHERE id = 7 XOR score > 50
SELECT id FROM c_users WHERE (id = 7 OR id = 2) AND id = 2
SELECT id FROM c_users WHERE id = 7 AND (id = 2 OR score > 0)
SELECT id, 'id = 2' FROM c_users WHERE id = 7
SELECT id FROM c_users WHERE name = 'id = 2' OR id = 7
SELECT id FROM c_users WHERE id = 7 /* id = 2 */
SELECT id FROM c_users WHERE id = 7 -- id = 2
SELECT id FROM c_users WHERE id = 7 # id = 2
SELECT id FROM c_users WHERE id = CAST('7' AS SIGNED)
SELECT id FROM c_users WHERE id = @undefined_variable

-- IN lists: one shard, several shards
SELECT * FROM c_users WHERE id IN (1, 3, 7) ORDER BY id
SELECT * FROM c_users WHERE id IN (2, 4, 5, 6) ORDER BY id
SELECT * FROM c_users WHERE id IN (7)
SELECT * FROM c_users WHERE id IN (7, 7, 7)
SELECT * FROM c_users WHERE id IN ('1', 3, '7') ORDER BY id
SELECT id FROM c_users WHERE id IN (1, 2)
SELECT id, name FROM c_users WHERE id IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10) ORDER BY id
SELECT COUNT(*) FROM c_users WHERE id IN (1, 3, 7, 8, 9, 12, 13, 14)
SELECT COUNT(*) FROM c_users WHERE id IN (1, 2, 3, 4)
SELECT SUM(score), MIN(balance), MAX(created) FROM c_users WHERE id IN (2, 4, 5, 6, 10, 11)
SELECT id FROM c_users WHERE id IN (1, 2) AND id = 2
SELECT id FROM c_users WHERE id IN (1, 3) AND id IN (2, 4)
SELECT id FROM c_users WHERE id IN (100000, 100001)
SELECT id FROM c_users WHERE id NOT IN (1, 2, 3) AND id < 6
SELECT id FROM c_users WHERE id IN (7, NULL)
SELECT id FROM c_users WHERE id IN (SELECT 7)
SELECT id, name FROM c_users WHERE id IN (1, 3, 7, 8, 9) ORDER BY name LIMIT 2
SELECT id, SUM(score) OVER (PARTITION BY city) FROM c_users WHERE id IN (1, 3, 7, 8, 9) ORDER BY id

-- The key compared with NULL
SELECT * FROM c_users WHERE id = NULL
SELECT * FROM c_users WHERE id IS NULL
SELECT * FROM c_users WHERE id <=> NULL
SELECT * FROM c_users WHERE id IS NULL AND id = 7
SELECT id FROM c_users WHERE id IS NOT NULL AND id = 7
SELECT COUNT(*) FROM c_users WHERE id IS NOT NULL
SELECT * FROM c_orders WHERE order_id IS NULL
SELECT * FROM c_events WHERE at IS NULL
SELECT * FROM c_events WHERE at = NULL
SELECT * FROM c_regions WHERE region IS NULL
SELECT * FROM c_regions WHERE region <=> NULL

-- HASH: reads without the key (every shard)
SELECT COUNT(*) FROM c_users
SELECT COUNT(*), COUNT(city), COUNT(score), COUNT(balance), COUNT(created), COUNT(tag) FROM c_users
SELECT SUM(score), MIN(score), MAX(score), AVG(score) FROM c_users
SELECT SUM(balance), MIN(balance), MAX(balance), AVG(balance) FROM c_users
SELECT MIN(created), MAX(created) FROM c_users
SELECT MIN(name), MAX(name) FROM c_users
SELECT COUNT(*), SUM(score), MAX(score), AVG(score) FROM c_users WHERE score > 1000
SELECT COUNT(DISTINCT city) FROM c_users
SELECT COUNT(DISTINCT tag) FROM c_users
SELECT COUNT(DISTINCT city, tag) FROM c_users
SELECT SUM(DISTINCT score), AVG(DISTINCT score) FROM c_users
SELECT ROUND(STDDEV_POP(score), 6), ROUND(VAR_SAMP(score), 6) FROM c_users
SELECT COUNT(*) + 1, SUM(score) / COUNT(score), MAX(score) - MIN(score) FROM c_users
SELECT BIT_OR(score), BIT_AND(score), BIT_XOR(score) FROM c_users
SELECT * FROM c_users
SELECT id, name FROM c_users WHERE score > 90
SELECT id FROM c_users WHERE city IS NULL
SELECT id FROM c_users WHERE city IS NULL AND score IS NULL
SELECT id, balance FROM c_users WHERE balance < 0
SELECT id, tag FROM c_users WHERE tag = 'b'
SELECT id FROM c_users WHERE tag IS NULL
SELECT id, name FROM c_users WHERE name LIKE 'user 1%'
SELECT id, name FROM c_users WHERE name = '' OR name = 'NULL' OR name LIKE '%\\\\%'
SELECT id FROM c_users WHERE created BETWEEN '2024-03-01' AND '2024-03-31 23:59:59'
SELECT id FROM c_users WHERE created IS NULL OR balance IS NULL
SELECT id FROM c_users WHERE city = 'Cairo' AND score > 50
SELECT id FROM c_users WHERE id IN (1, 2, 3) AND city = 'nowhere'

-- ORDER BY ... LIMIT m OFFSET n
SELECT id, name FROM c_users ORDER BY id LIMIT 10
SELECT id, name FROM c_users ORDER BY id LIMIT 10 OFFSET 95
SELECT id, name FROM c_users ORDER BY id DESC LIMIT 5
SELECT id, name FROM c_users ORDER BY id LIMIT 95, 10
SELECT id, score FROM c_users ORDER BY score, id LIMIT 15
SELECT id, score FROM c_users ORDER BY score DESC, id LIMIT 15
SELECT id, balance FROM c_users ORDER BY balance DESC, id DESC LIMIT 7 OFFSET 3
SELECT id, created FROM c_users ORDER BY created, id LIMIT 12
SELECT id, created FROM c_users ORDER BY created DESC, id LIMIT 12
SELECT id, name FROM c_users ORDER BY name, id LIMIT 10
SELECT id, city FROM c_users ORDER BY city, id LIMIT 20 OFFSET 30
SELECT id, tag FROM c_users ORDER BY tag, id LIMIT 20
SELECT id, tag FROM c_users ORDER BY tag DESC, id LIMIT 20 OFFSET 40
SELECT id FROM c_users WHERE score > 50 ORDER BY id LIMIT 5 OFFSET 20
SELECT id FROM c_users ORDER BY id LIMIT 0
SELECT id FROM c_users ORDER BY id LIMIT 5 OFFSET 1000
SELECT id, score FROM c_users ORDER BY score IS NULL, score, id LIMIT 5
SELECT id, score + 1 AS s FROM c_users ORDER BY s DESC, id LIMIT 5
SELECT id FROM c_users ORDER BY 1 DESC LIMIT 3
SELECT id, name FROM c_users ORDER BY id
SELECT city, id FROM c_users WHERE city IS NOT NULL ORDER BY city DESC, id ASC LIMIT 8
SELECT id FROM c_users ORDER BY id LIMIT 3 OFFSET 0
SELECT * FROM c_users WHERE id IN (2, 4, 5, 6, 10, 11) ORDER BY score DESC, id LIMIT 2 OFFSET 1

-- GROUP BY, HAVING
SELECT city, COUNT(*) FROM c_users GROUP BY city
SELECT city, COUNT(*), SUM(score), MIN(score), MAX(score), AVG(score) FROM c_users GROUP BY city ORDER BY city
SELECT city, AVG(balance), SUM(balance) FROM c_users GROUP BY city ORDER BY city
SELECT city, COUNT(*) AS n FROM c_users GROUP BY city HAVING n > 35 ORDER BY city
SELECT city, COUNT(*) FROM c_users GROUP BY city HAVING COUNT(*) > 35 ORDER BY COUNT(*) DESC, city
SELECT city, SUM(score) FROM c_users GROUP BY city HAVING SUM(score) > 1800 ORDER BY 2 DESC
SELECT city, MAX(created) FROM c_users GROUP BY city HAVING MAX(created) > '2025-01-01' ORDER BY city
SELECT score, COUNT(*) FROM c_users GROUP BY score ORDER BY COUNT(*) DESC, score LIMIT 5
SELECT city, COUNT(DISTINCT tag) FROM c_users GROUP BY city ORDER BY city
SELECT city, GROUP_CONCAT(id ORDER BY id) FROM c_users WHERE score > 95 GROUP BY city ORDER BY city
SELECT YEAR(created), MONTH(created), COUNT(*) FROM c_users GROUP BY YEAR(created), MONTH(created) ORDER BY 1, 2
SELECT city, COUNT(*) FROM c_users GROUP BY city WITH ROLLUP
SELECT score DIV 10 AS bucket, COUNT(*), SUM(balance) FROM c_users GROUP BY bucket ORDER BY bucket
SELECT city, COUNT(*) FROM c_users WHERE score IS NULL GROUP BY city ORDER BY city
SELECT city, COUNT(*) FROM c_users WHERE id IN (1, 3, 7, 8, 9, 12, 13, 14) GROUP BY city ORDER BY city
SELECT city, COUNT(*) FROM c_users WHERE score > 1000 GROUP BY city
SELECT COUNT(*) FROM c_users HAVING COUNT(*) > 1000
SELECT COUNT(*) FROM c_users HAVING COUNT(*) > 10
SELECT city, ROUND(AVG(score), 1) FROM c_users GROUP BY city ORDER BY AVG(score) DESC, city
SELECT UPPER(TRIM(tag)) AS t, COUNT(*) FROM c_users GROUP BY t ORDER BY t
SELECT city, COUNT(*) FROM c_users GROUP BY city ORDER BY COUNT(*), city LIMIT 3
SELECT city, COUNT(*) FROM c_users GROUP BY city ORDER BY city LIMIT 2 OFFSET 3
SELECT city IS NULL, COUNT(*), SUM(score IS NULL) FROM c_users GROUP BY city IS NULL ORDER BY 1
SELECT city, MIN(name), MAX(name) FROM c_users GROUP BY city ORDER BY city
SELECT city, COUNT(*) FROM c_users GROUP BY city HAVING city LIKE '%o%' ORDER BY city

-- DISTINCT
SELECT DISTINCT city FROM c_users
SELECT DISTINCT city FROM c_users ORDER BY city
SELECT DISTINCT city FROM c_users ORDER BY city LIMIT 3
SELECT DISTINCT city FROM c_users ORDER BY city LIMIT 3 OFFSET 2
SELECT DISTINCT score DIV 10 FROM c_users ORDER BY 1
SELECT DISTINCT city, score > 50 FROM c_users ORDER BY 1, 2
SELECT DISTINCT UPPER(TRIM(tag)) FROM c_users ORDER BY 1
SELECT DISTINCT status FROM c_orders
SELECT DISTINCT kind FROM c_events ORDER BY kind
SELECT DISTINCT region FROM c_regions ORDER BY region
SELECT COUNT(*) FROM (SELECT DISTINCT city FROM c_users) t

-- RANGE (c_orders.order_id BIGINT, bounds 0 and 5000): point reads, IN, BETWEEN
SELECT * FROM c_orders WHERE order_id = 0
SELECT * FROM c_orders WHERE order_id = 1
SELECT * FROM c_orders WHERE order_id = 21
SELECT * FROM c_orders WHERE order_id = 4998
SELECT * FROM c_orders WHERE order_id = 4999
SELECT * FROM c_orders WHERE order_id = 5000
SELECT * FROM c_orders WHERE order_id = 5001
SELECT * FROM c_orders WHERE order_id = 5075
SELECT * FROM c_orders WHERE order_id = 5577
SELECT * FROM c_orders WHERE order_id = '5000'
SELECT * FROM c_orders WHERE order_id = '4999'
SELECT * FROM c_orders WHERE order_id = 5000.0
SELECT * FROM c_orders WHERE order_id = '5e3'
SELECT * FROM c_orders WHERE order_id = -1
SELECT * FROM c_orders WHERE order_id = 20000
SELECT * FROM c_orders WHERE order_id = 9223372036854775807
SELECT * FROM c_orders WHERE order_id = 9223372036854775808
SELECT * FROM c_orders WHERE order_id IN (21, 33, 46) ORDER BY order_id
SELECT * FROM c_orders WHERE order_id IN (5075, 5128) ORDER BY order_id
SELECT * FROM c_orders WHERE order_id IN (4999, 5000) ORDER BY order_id
SELECT order_id FROM c_orders WHERE order_id IN (21, 5075) AND order_id = 5075
SELECT order_id FROM c_orders WHERE order_id = 21 AND order_id = 5075
SELECT order_id FROM c_orders WHERE order_id IN (21, 5075) AND order_id BETWEEN 5000 AND 6000
SELECT order_id FROM c_orders WHERE order_id BETWEEN 0 AND 100 ORDER BY order_id
SELECT order_id, amount FROM c_orders WHERE order_id BETWEEN 4900 AND 4999 ORDER BY order_id
SELECT order_id FROM c_orders WHERE order_id BETWEEN 4990 AND 5010 ORDER BY order_id
SELECT order_id FROM c_orders WHERE order_id BETWEEN 5000 AND 5200 ORDER BY order_id
SELECT order_id FROM c_orders WHERE order_id BETWEEN -100 AND 50 ORDER BY order_id
SELECT order_id FROM c_orders WHERE order_id BETWEEN 5200 AND 5000
SELECT order_id FROM c_orders WHERE order_id BETWEEN '100' AND '300' ORDER BY order_id
SELECT order_id FROM c_orders WHERE order_id BETWEEN 4999 AND 4999
SELECT order_id FROM c_orders WHERE order_id > 4990 AND order_id < 5010
SELECT order_id FROM c_orders WHERE order_id NOT BETWEEN 10 AND 19900
SELECT order_id FROM c_orders WHERE order_id >= 0 AND order_id BETWEEN 10 AND 60 ORDER BY order_id

-- RANGE: aggregates, ORDER BY, full scans
SELECT COUNT(*), SUM(amount), AVG(amount) FROM c_orders WHERE order_id BETWEEN 0 AND 4999
SELECT COUNT(*), SUM(amount), MIN(order_id), MAX(order_id) FROM c_orders WHERE order_id BETWEEN 5000 AND 99999
SELECT COUNT(*), SUM(amount), MIN(amount), MAX(amount), AVG(amount), SUM(qty) FROM c_orders
SELECT MAX(order_id), MIN(order_id), COUNT(user_id), COUNT(DISTINCT user_id) FROM c_orders
SELECT status, COUNT(*), SUM(amount), AVG(qty) FROM c_orders GROUP BY status ORDER BY status
SELECT status, COUNT(*) FROM c_orders WHERE order_id BETWEEN 0 AND 4999 GROUP BY status ORDER BY status
SELECT status, COUNT(*) FROM c_orders WHERE order_id BETWEEN 5000 AND 30000 GROUP BY status HAVING COUNT(*) > 35
SELECT user_id, COUNT(*) FROM c_orders GROUP BY user_id HAVING COUNT(*) > 2 ORDER BY user_id
SELECT qty, SUM(amount) FROM c_orders GROUP BY qty ORDER BY SUM(amount) DESC LIMIT 3
SELECT order_id FROM c_orders WHERE user_id IS NULL
SELECT order_id, amount FROM c_orders WHERE amount IS NULL ORDER BY order_id
SELECT order_id FROM c_orders WHERE status IS NULL AND qty > 7
SELECT order_id, amount FROM c_orders ORDER BY amount DESC, order_id LIMIT 10
SELECT order_id, amount FROM c_orders ORDER BY amount, order_id LIMIT 10
SELECT order_id FROM c_orders ORDER BY order_id LIMIT 6 OFFSET 197
SELECT order_id FROM c_orders ORDER BY order_id DESC LIMIT 3
SELECT * FROM c_orders
SELECT order_id, status FROM c_orders WHERE status = 'cancelled' ORDER BY order_id
SELECT status, MIN(order_id), MAX(order_id) FROM c_orders GROUP BY status

-- RANGE_DATETIME (c_events.at, bounds 2000-01-01 and 2026-06-01)
SELECT * FROM c_events WHERE at = '2000-01-01 00:00:00'
SELECT * FROM c_events WHERE at = '2026-05-31 23:59:59'
SELECT * FROM c_events WHERE at = '2026-06-01 00:00:00'
SELECT * FROM c_events WHERE at = '2026-06-01 00:00:01'
SELECT * FROM c_events WHERE at = '2026-06-01'
SELECT * FROM c_events WHERE at = '2000-01-01'
SELECT * FROM c_events WHERE at = '2014-02-18 18:19:29'
SELECT * FROM c_events WHERE at = '2014-02-18 18:19:29.000000'
SELECT * FROM c_events WHERE at = '2014-02-18 18:19:29.5'
SELECT * FROM c_events WHERE at = 20140218181929
SELECT * FROM c_events WHERE at = '2014-02-18T18:19:29'
SELECT * FROM c_events WHERE at = '2014/02/18 18:19:29'
SELECT * FROM c_events WHERE at = '2014-02-18 18:19'
SELECT * FROM c_events WHERE at = TIMESTAMP '2014-02-18 18:19:29'
SELECT * FROM c_events WHERE at = '1999-12-31 23:59:59'
SELECT * FROM c_events WHERE at = '2015-11-13 08:17:03' ORDER BY id
SELECT * FROM c_events WHERE at = '2029-02-05 08:03:29' ORDER BY id
SELECT * FROM c_events WHERE at = '2027-03-16 18:08:32'
SELECT id FROM c_events WHERE at IN ('2014-02-18 18:19:29', '2020-02-16 18:26:02') ORDER BY id
SELECT id FROM c_events WHERE at IN ('2027-03-16 18:08:32', '2029-11-12 01:08:44') ORDER BY id
SELECT id FROM c_events WHERE at IN ('2014-02-18 18:19:29', '2027-03-16 18:08:32') ORDER BY id
SELECT id, at FROM c_events WHERE at BETWEEN '2010-01-01' AND '2012-12-31 23:59:59' ORDER BY at, id
SELECT id, at FROM c_events WHERE at BETWEEN '2026-01-01' AND '2026-12-31' ORDER BY at, id
SELECT id, at FROM c_events WHERE at BETWEEN '2027-01-01' AND '2028-01-01' ORDER BY at, id
SELECT id, at FROM c_events WHERE at BETWEEN '1990-01-01' AND '2001-01-01' ORDER BY at, id
SELECT id, at FROM c_events WHERE at BETWEEN '2026-06-01 00:00:00' AND '2026-06-01 00:00:01' ORDER BY id
SELECT id, at FROM c_events WHERE at BETWEEN '2026-05-31 23:59:59' AND '2026-06-01 00:00:00' ORDER BY id
SELECT id FROM c_events WHERE at >= '2026-06-01'
SELECT id FROM c_events WHERE YEAR(at) = 2027
SELECT COUNT(*), MIN(at), MAX(at) FROM c_events
SELECT COUNT(*), MIN(at), MAX(at), SUM(weight) FROM c_events WHERE at BETWEEN '2000-01-01' AND '2026-05-31 23:59:59'
SELECT kind, COUNT(*), SUM(weight), AVG(weight), COUNT(weight) FROM c_events GROUP BY kind ORDER BY kind
SELECT kind, COUNT(*), SUM(weight) FROM c_events WHERE at BETWEEN '2027-01-01' AND '2031-01-01' GROUP BY kind ORDER BY kind
SELECT YEAR(at) AS y, COUNT(*) FROM c_events GROUP BY y ORDER BY y
SELECT id, at FROM c_events ORDER BY at, id LIMIT 10
SELECT id, at FROM c_events ORDER BY at DESC, id LIMIT 10 OFFSET 5
SELECT id, at FROM c_events ORDER BY at, id LIMIT 4 OFFSET 98
SELECT COUNT(*) FROM c_events WHERE at >= '2026-06-01'
SELECT DATE(at), COUNT(*) FROM c_events GROUP BY DATE(at) HAVING COUNT(*) > 1 ORDER BY 1
SELECT id FROM c_events WHERE weight IS NULL OR user_id IS NULL
SELECT * FROM c_events

-- LIST (c_regions.region latin1_bin: eu, uk | us, ca)
SELECT * FROM c_regions WHERE region = 'eu' ORDER BY id
SELECT * FROM c_regions WHERE region = 'uk' ORDER BY id
SELECT * FROM c_regions WHERE region = 'us' ORDER BY id
SELECT * FROM c_regions WHERE region = 'ca' ORDER BY id
SELECT * FROM c_regions WHERE region = 'eu ' ORDER BY id
SELECT * FROM c_regions WHERE region = 'EU'
SELECT * FROM c_regions WHERE region = 'fr'
SELECT * FROM c_regions WHERE region = ''
SELECT id FROM c_regions WHERE region = X'6575' ORDER BY id
SELECT id FROM c_regions WHERE region = 0x7573 ORDER BY id
SELECT id FROM c_regions WHERE region = _latin1'ca' ORDER BY id
SELECT id FROM c_regions WHERE region = N'us' ORDER BY id
SELECT id FROM c_regions WHERE region = 'u' 'k' ORDER BY id
SELECT id FROM c_regions WHERE region = "uk" ORDER BY id
SELECT id FROM c_regions WHERE region = _latin1'eu' COLLATE latin1_general_ci ORDER BY id
SELECT id FROM c_regions WHERE region = BINARY 'eu' ORDER BY id
SELECT id FROM c_regions WHERE 'ca' = region ORDER BY id
SELECT id, region FROM c_regions WHERE region IN ('eu', 'uk') ORDER BY id
SELECT id, region FROM c_regions WHERE region IN ('us', 'ca') ORDER BY id
SELECT id, region FROM c_regions WHERE region IN ('eu', 'us') ORDER BY id
SELECT id, region FROM c_regions WHERE region IN ('eu', 'fr') ORDER BY id
SELECT id FROM c_regions WHERE region LIKE 'u%' ORDER BY id
SELECT id FROM c_regions WHERE region BETWEEN 'a' AND 'f' ORDER BY id
SELECT id FROM c_regions WHERE region > 'm'
SELECT region, COUNT(*), SUM(pop), AVG(pop), MIN(name), MAX(name) FROM c_regions GROUP BY region ORDER BY region
SELECT region, COUNT(*), SUM(pop) FROM c_regions WHERE region IN ('us', 'ca') GROUP BY region ORDER BY region
SELECT COUNT(*), SUM(pop), COUNT(name) FROM c_regions WHERE region = 'uk'
SELECT COUNT(*), SUM(pop) FROM c_regions
SELECT id, pop FROM c_regions WHERE pop IS NULL
SELECT id, name FROM c_regions WHERE name IS NULL ORDER BY id
SELECT id, pop FROM c_regions ORDER BY pop DESC, id LIMIT 5
SELECT id, pop FROM c_regions WHERE region = 'ca' ORDER BY pop DESC, id LIMIT 2 OFFSET 1
SELECT region, MAX(pop) FROM c_regions GROUP BY region HAVING MAX(pop) > 900

-- Joins with the unsharded c_plain: refused without a hint, routed by /* weft: shard_key=v */
SELECT u.id, u.city, p.country FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id = 7
SELECT u.id, p.country FROM c_users u, c_plain p WHERE p.city = u.city AND u.id = 7
SELECT r.id, p.city FROM c_regions r JOIN c_plain p ON p.region = r.region WHERE r.region = 'uk' ORDER BY r.id, p.city
SELECT /* weft: shard_key=7 */ u.id, u.city, p.country, p.tier FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id = 7
SELECT /* weft: shard_key=2 */ u.id, p.country FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id = 2
SELECT /* weft: shard_key=8 */ u.id, p.country FROM c_users u LEFT JOIN c_plain p ON p.city = u.city WHERE u.id = 8
SELECT /* weft: shard_key=15 */ u.id, u.city, p.country FROM c_users u LEFT JOIN c_plain p ON p.city = u.city WHERE u.id = 15
SELECT /* weft: shard_key=1 */ u.id, p.country FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id IN (1, 3, 7, 8, 9) ORDER BY u.id
SELECT /* weft: shard_key=1 */ p.country, COUNT(*) FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id IN (1, 3, 7, 9, 12, 13, 14) GROUP BY p.country ORDER BY p.country
SELECT /* weft: shard_key='7' */ u.name, p.tier FROM c_users u JOIN c_plain p USING (city) WHERE u.id = 7
SELECT /* weft: shard_key=1 */ o.order_id, p.city FROM c_orders o JOIN c_plain p ON p.tier = o.qty WHERE o.order_id = 1 ORDER BY p.city
SELECT /* weft: shard_key=5577 */ o.order_id, p.city FROM c_orders o JOIN c_plain p ON p.tier = o.qty WHERE o.order_id = 5577 ORDER BY p.city
SELECT /* weft: shard_key='uk' */ r.id, r.name, p.city FROM c_regions r JOIN c_plain p ON p.region = r.region WHERE r.region = 'uk' ORDER BY r.id, p.city
SELECT /* weft: shard_key=us */ r.id, p.country FROM c_regions r JOIN c_plain p ON p.region = r.region WHERE r.region = 'us' ORDER BY r.id
SELECT /* weft: shard_key=2014-02-18 */ e.id, e.at, p.city FROM c_events e JOIN c_plain p ON p.city = 'Oslo' WHERE e.at = '2014-02-18 18:19:29'
SELECT /* weft: shard_key='2027-03-16 18:08:32' */ e.id, p.city FROM c_events e JOIN c_plain p ON p.city = 'Oslo' WHERE e.at = '2027-03-16 18:08:32'
SELECT /* weft: shard_key=7 */ id, name FROM c_users WHERE id = 7 AND city IN (SELECT city FROM c_plain WHERE tier IS NOT NULL)
SELECT /* weft: shard_key=7 */ id, (SELECT country FROM c_plain p WHERE p.city = u.city) FROM c_users u WHERE id = 7
SELECT /* weft: shard_key=9 */ name FROM c_users WHERE id = 9
SELECT /* weft: shard_key=abc */ u.id FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id = 7
SELECT /* weft: shard_key=-5 */ o.order_id FROM c_orders o JOIN c_plain p ON p.tier = o.qty WHERE o.order_id = 1
SELECT /* weft: shard_key=fr */ r.id FROM c_regions r JOIN c_plain p USING (region) WHERE r.region = 'eu'
SELECT * FROM c_plain ORDER BY city
SELECT country, COUNT(*) FROM c_plain GROUP BY country ORDER BY country

-- Refused shapes: two sharded tables, subqueries, derived tables, CTEs, windows, UNION
SELECT u.id, o.order_id FROM c_users u JOIN c_orders o ON o.user_id = u.id WHERE u.id = 7
SELECT COUNT(*) FROM c_users u JOIN c_orders o ON o.user_id = u.id
SELECT e.id, r.id FROM c_events e, c_regions r WHERE e.id = r.id AND r.region = 'eu' AND e.at = '2014-02-18 18:19:29'
SELECT COUNT(*) FROM c_users WHERE id IN (SELECT user_id FROM c_orders)
SELECT id FROM c_users WHERE id = 7 AND EXISTS (SELECT 1 FROM c_plain WHERE city = 'Oslo')
SELECT id FROM c_users WHERE score = (SELECT MAX(score) FROM c_users)
SELECT * FROM (SELECT id, name FROM c_users WHERE id = 7) t
WITH t AS (SELECT id FROM c_users WHERE id = 7) SELECT * FROM t
SELECT id, RANK() OVER (ORDER BY score DESC) FROM c_users
SELECT id, score, SUM(score) OVER (PARTITION BY city ORDER BY id) FROM c_users WHERE id IN (1, 2, 3, 4) ORDER BY id
SELECT id FROM c_users WHERE id = 7 UNION SELECT id FROM c_users WHERE id = 2
SELECT id FROM c_users WHERE id = 7 UNION SELECT id FROM c_users WHERE id = 3
SELECT id FROM c_users WHERE id = 7 UNION ALL SELECT order_id FROM c_orders WHERE order_id = 21
SELECT city FROM c_users WHERE id = 7 UNION SELECT city FROM c_plain
SELECT city FROM c_plain UNION SELECT city FROM c_users WHERE id = 7
(SELECT id FROM c_users WHERE id = 7) UNION (SELECT id FROM c_users WHERE id = 8)
SELECT id FROM c_users WHERE id = 7 INTERSECT SELECT id FROM c_users WHERE score > 10

-- Statements naming no sharded table, and other verbs
DESCRIBE c_users
SHOW CREATE TABLE c_regions
SHOW COLUMNS FROM c_orders
SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'weft_test' AND table_name LIKE 'c\\_%' ORDER BY 1, 2
SELECT 1 + 1, 'weft', NULL
SELECT COUNT(*) FROM c_plain WHERE tier IS NULL
CHECKSUM TABLE c_regions
PREPARE s FROM 'SELECT name FROM c_users WHERE id = 7'; EXECUTE s
SET @k = 7; SELECT name FROM c_users WHERE id = @k
SELECT name INTO @n FROM c_users WHERE id = 7; SELECT @n
BEGIN; SELECT name FROM c_users WHERE id = 1; SELECT name FROM c_users WHERE id = 3; COMMIT
BEGIN; SELECT name FROM c_users WHERE id = 1; SELECT name FROM c_users WHERE id = 2; COMMIT
HANDLER c_users OPEN; HANDLER c_users READ `PRIMARY` FIRST; HANDLER c_users CLOSE
SET SESSION sql_select_limit = 5; SELECT id FROM c_users ORDER BY id
SET SESSION sql_select_limit = 3; SELECT id FROM c_users ORDER BY id LIMIT 10
SET NAMES utf8mb4 COLLATE utf8mb4_bin; SELECT id, tag FROM c_users ORDER BY tag, id LIMIT 20 OFFSET 40
SET NAMES binary; SELECT id, name, tag FROM c_users WHERE id IN (5, 6) ORDER BY id

-- Writes by key, each followed by a read that shows it (HASH)
UPDATE c_users SET score = score + 5 WHERE id = 7
SELECT id, score FROM c_users WHERE id = 7
UPDATE c_users SET city = NULL, tag = 'Z' WHERE id = '9'
SELECT * FROM c_users WHERE id = 9
UPDATE c_users SET balance = balance * 2 WHERE id IN (2, 4, 5)
SELECT id, balance FROM c_users WHERE id IN (2, 4, 5) ORDER BY id
UPDATE c_users SET score = 0 WHERE id = 12 AND score > 1000
SELECT id, score FROM c_users WHERE id = 12
UPDATE c_users SET score = NULL WHERE id = 13 AND city = 'Kyiv'
SELECT id, score FROM c_users WHERE id = 13
UPDATE c_users SET name = CONCAT(name, ' (x)') WHERE 17 = id
SELECT id, name FROM c_users WHERE id = 17
DELETE FROM c_users WHERE id = 14
SELECT * FROM c_users WHERE id = 14
DELETE FROM c_users WHERE id IN (24, 27)
SELECT id FROM c_users WHERE id IN (24, 27, 28) ORDER BY id
DELETE FROM c_users WHERE id = 100000
INSERT INTO c_users (id, name, city, score) VALUES (301, 'new 301', 'Oslo', 77)
SELECT * FROM c_users WHERE id = 301
INSERT INTO c_users (id, name, city, score) VALUES ('302', 'new 302', NULL, NULL)
SELECT * FROM c_users WHERE id = 302
INSERT INTO c_users (name, id) VALUES ('new 303', 303)
SELECT * FROM c_users WHERE id = 303
INSERT INTO c_users (id, name) VALUES (304, 'new 304'), (308, 'new 308')
SELECT id, name FROM c_users WHERE id IN (304, 308) ORDER BY id
INSERT INTO c_users (id, name) VALUES (305, 'new 305'), (311, 'new 311')
SELECT * FROM c_users WHERE id = 305
SELECT * FROM c_users WHERE id = 311
INSERT INTO c_users VALUES (306, 'no columns', NULL, NULL, NULL, NULL, NULL)
SELECT * FROM c_users WHERE id = 306
INSERT INTO c_users (id, name) VALUES (300 + 7, 'expression')
INSERT INTO c_users (id, name) SELECT 309, 'select'
INSERT INTO c_users SET id = 310, name = 'set'
SELECT id FROM c_users WHERE id IN (307, 309, 310)
REPLACE INTO c_users (id, name, city, score) VALUES (7, 'replaced 7', 'Lima', 1)
SELECT * FROM c_users WHERE id = 7
INSERT INTO c_users (id, name, score) VALUES (8, 'dup', 1) ON DUPLICATE KEY UPDATE score = IFNULL(score, 0) + 100
SELECT id, name, score FROM c_users WHERE id = 8
INSERT IGNORE INTO c_users (id, name) VALUES (10, 'ignored')
SELECT id, name FROM c_users WHERE id = 10
UPDATE c_users SET score = 1
UPDATE c_users SET score = 1 WHERE city = 'Oslo'
UPDATE c_users SET score = 1 WHERE id IN (1, 2)
UPDATE c_users SET score = 1 WHERE id = 1 OR id = 3
DELETE FROM c_users WHERE score IS NULL
DELETE FROM c_users WHERE id > 250
SELECT COUNT(*), SUM(score) FROM c_users
UPDATE c_users SET id = 312 WHERE id = 11
SELECT * FROM c_users WHERE id = 312
SELECT * FROM c_users WHERE id = 11

-- Writes by key (RANGE)
UPDATE c_orders SET status = 'paid' WHERE order_id = 0
SELECT * FROM c_orders WHERE order_id = 0
UPDATE c_orders SET qty = qty + 1 WHERE order_id BETWEEN 0 AND 100
SELECT order_id, qty FROM c_orders WHERE order_id BETWEEN 0 AND 100 ORDER BY order_id
UPDATE c_orders SET qty = 0 WHERE order_id BETWEEN 4990 AND 5010
SELECT order_id, qty FROM c_orders WHERE order_id BETWEEN 4990 AND 4999 ORDER BY order_id
DELETE FROM c_orders WHERE order_id = 5001
SELECT * FROM c_orders WHERE order_id = 5001
DELETE FROM c_orders WHERE order_id IN (4998, 4999)
SELECT order_id FROM c_orders WHERE order_id BETWEEN 4900 AND 4999 ORDER BY order_id
INSERT INTO c_orders (order_id, user_id, amount, status, qty) VALUES (20001, 7, 10.50, 'new', 1)
SELECT * FROM c_orders WHERE order_id = 20001
INSERT INTO c_orders (order_id, qty) VALUES (2, 1), (3, 1)
SELECT * FROM c_orders WHERE order_id IN (2, 3) ORDER BY order_id
INSERT INTO c_orders (order_id, qty) VALUES (4997, 1), (5002, 1)
SELECT * FROM c_orders WHERE order_id = 4997
INSERT INTO c_orders (order_id, qty) VALUES (-5, 1)
SELECT * FROM c_orders WHERE order_id = -5
UPDATE c_orders SET amount = NULL WHERE user_id IS NULL
UPDATE c_orders SET order_id = 7000 WHERE order_id = 21
SELECT * FROM c_orders WHERE order_id = 7000
SELECT COUNT(*), SUM(amount), SUM(qty) FROM c_orders

-- Writes by key (RANGE_DATETIME)
UPDATE c_events SET kind = 'edited' WHERE at = '2014-02-18 18:19:29'
SELECT * FROM c_events WHERE at = '2014-02-18 18:19:29'
DELETE FROM c_events WHERE at = '2026-06-01 00:00:01'
SELECT id FROM c_events WHERE at BETWEEN '2026-06-01' AND '2026-06-02' ORDER BY id
UPDATE c_events SET weight = weight * 10 WHERE at BETWEEN '2027-01-01' AND '2027-12-31 23:59:59'
SELECT id, weight FROM c_events WHERE at BETWEEN '2027-01-01' AND '2027-12-31 23:59:59' ORDER BY id
INSERT INTO c_events (id, at, kind) VALUES (201, '2026-06-01 00:00:00', 'new')
SELECT * FROM c_events WHERE at = '2026-06-01 00:00:00' ORDER BY id
INSERT INTO c_events (id, at, kind) VALUES (206, '2020-01-01', 'date only')
SELECT * FROM c_events WHERE at = '2020-01-01 00:00:00'
INSERT INTO c_events (id, at, kind) VALUES (202, '1999-12-31 23:59:59', 'too old')
INSERT INTO c_events (id, at) VALUES (203, NULL)
INSERT INTO c_events (id, at) VALUES (204, NOW())
INSERT INTO c_events (id, at) VALUES (205, '2020-01-01 00:00')
SELECT id FROM c_events WHERE id BETWEEN 201 AND 210
UPDATE c_events SET weight = 0 WHERE kind = 'buy'

-- Writes by key (LIST) and on the unsharded table
UPDATE c_regions SET pop = pop + 1 WHERE region = 'uk'
SELECT id, pop FROM c_regions WHERE region = 'uk' ORDER BY id
DELETE FROM c_regions WHERE region IN ('us', 'ca') AND pop < 200
SELECT id, region, pop FROM c_regions WHERE region IN ('us', 'ca') ORDER BY id
INSERT INTO c_regions (id, region, name, pop) VALUES (41, 'eu', 'new eu', 5)
INSERT INTO c_regions (id, region, name) VALUES (42, 'eu ', 'padded')
SELECT id, region, CONCAT('[', region, ']'), name FROM c_regions WHERE region = 'eu' ORDER BY id
INSERT INTO c_regions (id, region) VALUES (43, 'fr')
INSERT INTO c_regions (id, region) VALUES (44, 'EU')
UPDATE c_regions SET pop = 0 WHERE region IN ('eu', 'us')
DELETE FROM c_regions WHERE region = 'fr'
SELECT region, COUNT(*), SUM(pop) FROM c_regions GROUP BY region ORDER BY region
UPDATE c_plain SET tier = 9 WHERE city = 'Oslo'
INSERT INTO c_plain (city, country, region, tier) VALUES ('Cairo', 'Egypt', NULL, 4)
DELETE FROM c_plain WHERE city = 'Boston'
SELECT * FROM c_plain ORDER BY city
SELECT /* weft: shard_key=15 */ u.id, u.city, p.country, p.tier FROM c_users u LEFT JOIN c_plain p ON p.city = u.city WHERE u.id = 15
SELECT /* weft: shard_key=10 */ u.id, p.tier FROM c_users u JOIN c_plain p ON p.city = u.city WHERE u.id = 10
SELECT /* weft: shard_key=us */ r.id, p.city FROM c_regions r LEFT JOIN c_plain p USING (region) WHERE r.region = 'us' ORDER BY r.id

-- Transactions: one shard commits, a second shard is refused (and nothing of it stays)
BEGIN; UPDATE c_users SET score = 11 WHERE id = 30; UPDATE c_users SET score = 22 WHERE id = 31; COMMIT
SELECT id, score FROM c_users WHERE id IN (30, 31) ORDER BY id
BEGIN; UPDATE c_users SET score = 33 WHERE id = 32; UPDATE c_users SET score = 44 WHERE id = 33; COMMIT
SELECT id, score FROM c_users WHERE id = 32
SELECT id, score FROM c_users WHERE id = 33
START TRANSACTION; SELECT score FROM c_users WHERE id = 36; UPDATE c_users SET score = score + 1 WHERE id = 36; SELECT score FROM c_users WHERE id = 36; COMMIT
SELECT id, score FROM c_users WHERE id = 36
BEGIN; UPDATE c_users SET score = 55 WHERE id = 37; ROLLBACK
SELECT id, score FROM c_users WHERE id = 37
BEGIN; UPDATE c_plain SET tier = 5 WHERE city = 'Lima'; UPDATE c_users SET score = 5 WHERE id = 38; COMMIT
SELECT * FROM c_plain WHERE city = 'Lima'
SELECT id, score FROM c_users WHERE id = 38
BEGIN; UPDATE c_orders SET qty = 9 WHERE order_id = 33; UPDATE c_orders SET qty = 9 WHERE order_id = 5075; COMMIT
SELECT order_id, qty FROM c_orders WHERE order_id = 33
SELECT order_id, qty FROM c_orders WHERE order_id = 5075

-- Multi-row INSERTs over both shards (one INSERT per shard, in a transaction each)
INSERT INTO c_users (id, name, score) VALUES (401, 'split 401', 1), (402, 'split 402', 2), (403, 'split 403', 3), (404, 'split 404', 4)
SELECT id, name, score FROM c_users WHERE id BETWEEN 401 AND 404 ORDER BY id
INSERT IGNORE INTO c_users (id, name) VALUES (401, 'dup'), (405, 'split 405'), (406, 'split 406')
SELECT id, name FROM c_users WHERE id BETWEEN 401 AND 406 ORDER BY id
INSERT INTO c_users (id, name, score) VALUES (402, 'x', 0), (406, 'y', 0), (407, 'split 407', 7) ON DUPLICATE KEY UPDATE score = IFNULL(score, 0) + 10
SELECT id, name, score FROM c_users WHERE id BETWEEN 401 AND 407 ORDER BY id
REPLACE INTO c_orders (order_id, qty) VALUES (2, 7), (5003, 7), (4, 7)
SELECT order_id, qty, status FROM c_orders WHERE order_id IN (2, 4, 5003) ORDER BY order_id
INSERT INTO c_events (id, at, kind, weight) VALUES (301, '2019-06-01 10:00:00', 'buy', 1), (302, '2027-06-01 10:00:00', 'buy', 2)
SELECT id, at, kind, weight FROM c_events WHERE id IN (301, 302) ORDER BY id

-- The end state, read through weft
SELECT COUNT(*), SUM(score), SUM(balance), MIN(id), MAX(id) FROM c_users
SELECT * FROM c_users ORDER BY id
SELECT * FROM c_orders ORDER BY order_id
SELECT * FROM c_events ORDER BY id
SELECT * FROM c_regions ORDER BY id
