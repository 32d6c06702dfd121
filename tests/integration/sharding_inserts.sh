#!/usr/bin/env bash
# INSERTs whose rows weft places itself, against the sharded sandbox: keys of an AUTO_INCREMENT
# shard key from the table's global sequence (unique over both shards, starting above the highest
# key any shard holds, LAST_INSERT_ID() and the OK packet's insert id as the server gives them),
# multi-row INSERTs whose rows belong to both shards (one transaction per shard: all rows or
# none, checked on the servers directly), UPDATE/DELETE hinted /* weft: shards=all */ (the same),
# read-your-writes after them, and statements over 64 KiB, with their refusals.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_sharded_layout
GLOBAL=23320 GLOBAL_REPLICA=23321 SHARD1=23322 SHARD2=23324

start_sharded_weft
TABLES="weft_test.items, weft_test.ranged, weft_test.fixed, weft_test.ryw_split"
on $GLOBAL -e "DROP TABLE IF EXISTS $TABLES; DELETE FROM weft.shard_sequences WHERE table_name LIKE 'weft_test.%'" 2>/dev/null ||
  on $GLOBAL -e "DROP TABLE IF EXISTS $TABLES"
SLOWER=""
trap 'stop_slower; on $GLOBAL -e "DROP TABLE IF EXISTS $TABLES" || true; cleanup_and_check' EXIT
stop_slower() { if [ -n "$SLOWER" ]; then kill "$SLOWER" 2>/dev/null || true; fi; }

admin -e "CREATE SHARD MAP items_map TYPE HASH GLOBAL GROUP main;
  ADD SHARD TO MAP items_map GROUP shard1; ADD SHARD TO MAP items_map GROUP shard2;
  ADD SHARD TABLE weft_test.items COLUMN id TO MAP items_map;
  ADD SHARD TABLE weft_test.fixed COLUMN id TO MAP items_map;
  CREATE SHARD MAP ranged_map TYPE RANGE GLOBAL GROUP main;
  ADD SHARD TO MAP ranged_map GROUP shard1 BOUND 0; ADD SHARD TO MAP ranged_map GROUP shard2 BOUND 1000;
  ADD SHARD TABLE weft_test.ranged COLUMN id TO MAP ranged_map;
  ADD SHARD TABLE weft_test.ryw_split COLUMN id TO MAP ranged_map"
via_weft -e "CREATE TABLE weft_test.items (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20) NOT NULL UNIQUE);
  CREATE TABLE weft_test.ranged (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20));
  CREATE TABLE weft_test.fixed (id INT PRIMARY KEY, v VARCHAR(20));
  CREATE TABLE weft_test.ryw_split (id INT PRIMARY KEY, who VARCHAR(8))"
for p in $SHARD1 $SHARD2 23323 23325; do
  wait_for "[ \"\$(on $p -e \"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name IN ('items', 'ranged', 'fixed', 'ryw_split')\")\" = 4 ]" 20 ||
    fail "the tables did not reach shard $p"
done
# Where a key's row must be: the shard lookup_servers names for it.
shard_port() { admin -e "CALL sharding.lookup_servers('weft_test.$1', '$2', 'LOCAL')" | awk -F'\t' '$3 == "PRIMARY" {split($1, a, ":"); print a[2]}'; }
# Every row of a table is on the shard its key names, and on no other.
check_placement() {
  local table="$1" id port total=0
  for p in $SHARD1 $SHARD2; do
    total=$((total + $(on $p -e "SELECT count(*) FROM weft_test.$table")))
  done
  [ "$total" = "$(via_weft -e "SELECT count(*) FROM weft_test.$table")" ] || fail "$table: shards hold $total rows"
  for p in $SHARD1 $SHARD2; do
    for id in $(on $p -e "SELECT id FROM weft_test.$table"); do
      port="$(shard_port "$table" "$id")"
      [ "$port" = "$p" ] || fail "$table row $id is on $p, its key names $port"
    done
  done
}

# --- Keys from the global sequence ------------------------------------------------------------
# Rows written with their keys first: the sequence starts above the highest key of both shards.
via_weft -e "INSERT INTO weft_test.items (id, v) VALUES (41, 'k41'); INSERT INTO weft_test.items (id, v) VALUES (7, 'k7')"
got="$(via_weft -e "INSERT INTO weft_test.items (v) VALUES ('one'); SELECT LAST_INSERT_ID(); SELECT id FROM weft_test.items WHERE v = 'one'")"
first="$(sed -n 1p <<<"$got")"
[ "$first" -gt 41 ] || fail "the first generated key $first is not above the highest key 41: $got"
[ "$(sed -n 2p <<<"$got")" = "$first" ] || fail "LAST_INSERT_ID() $first is not the row's key: $got"
# The OK packet's insert id and LAST_INSERT_ID() through a driver (PyMySQL), with NULL keys and
# a multi-row INSERT whose consecutive keys fall on both shards (HASH).
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" <<'PY' || fail "the driver's view of generated keys"
import sys, pymysql
c = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], autocommit=True)
cur = c.cursor()
cur.execute("INSERT INTO weft_test.items (id, v) VALUES (NULL, 'null-key')")
one = cur.lastrowid
cur.execute("SELECT id FROM weft_test.items WHERE v = 'null-key'")
assert cur.fetchone()[0] == one, ("insert id", one)
n = cur.execute("INSERT INTO weft_test.items (v) VALUES ('m1'), ('m2'), ('m3'), ('m4'), ('m5'), ('m6')")
assert n == 6, ("affected rows", n)
first = cur.lastrowid
cur.execute("SELECT LAST_INSERT_ID()")
assert cur.fetchone()[0] == first, "LAST_INSERT_ID() after a multi-row INSERT"
cur.execute("SELECT v, id FROM weft_test.items WHERE v LIKE 'm_' ORDER BY id")
rows = cur.fetchall()
assert [r[0] for r in rows] == ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'], rows
assert [r[1] for r in rows] == list(range(first, first + 6)), ("consecutive keys", first, rows)
assert first > one, (first, one)
print("driver: insert ids", one, first)
PY
# The same through prepared statements (COM_STMT_EXECUTE): a key bound as NULL, and rows of both
# shards in one execute; the OK's insert id is the first generated key.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "prepared INSERTs with generated keys"
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame, execute_body, prepare
c = Conn(int(sys.argv[1]))
assert c.login(sys.argv[2], sys.argv[3], 'weft_test')[:1] == b'\x00'
def ok_of(stmt, values):
    c.send(frame(execute_body(stmt, values), 0))
    _, ok = c.read_packet()
    assert ok[0] == 0, ok
    return ok[1], ok[2:]  # affected rows (under 251), then the insert id (length-encoded)
one, _, _ = prepare(c, "INSERT INTO items (id, v) VALUES (?, ?)")
affected, rest = ok_of(one, [None, 'ps-null'])
assert affected == 1 and rest[0] > 0, (affected, rest)
many, _, _ = prepare(c, "INSERT INTO items (v) VALUES (?), (?), (?), (?), (?), (?)")
affected, rest = ok_of(many, ['p%d' % i for i in range(1, 7)])
assert affected == 6, affected
assert rest[0] < 251, rest
c.query("SELECT LAST_INSERT_ID()")
assert c.result_rows()[0][1:].decode() == str(rest[0]), "LAST_INSERT_ID() is the OK's insert id"
print("prepared: first generated key", rest[0])
PY
got="$(via_weft -e "SELECT id FROM weft_test.items WHERE v LIKE 'p_' ORDER BY id" | tr '\n' ' ')"
first_p="${got%% *}"
[ "$got" = "$(seq -s ' ' "$first_p" $((first_p + 5))) " ] || fail "six prepared rows did not get six consecutive keys: $got"
check_placement items
shards_used=0
for p in $SHARD1 $SHARD2; do
  [ "$(on $p -e "SELECT count(*) FROM weft_test.items WHERE v LIKE 'm_'")" -gt 0 ] && shards_used=$((shards_used + 1))
done
[ "$shards_used" = 2 ] || fail "six consecutive keys did not spread over both HASH shards (the split was not exercised)"
# The sequence lives in the global group and replicates with it.
seq="$(on $GLOBAL -e "SELECT next_value FROM weft.shard_sequences WHERE table_name = 'weft_test.items'")"
[ -n "$seq" ] && [ "$seq" -gt "$first" ] || fail "weft.shard_sequences holds '$seq' for weft_test.items"
wait_for "[ \"\$(on $GLOBAL_REPLICA -e \"SELECT next_value FROM weft.shard_sequences WHERE table_name = 'weft_test.items'\")\" = $seq ]" 20 ||
  fail "the sequence did not replicate to the global group's replica"
# A RANGE map: keys start above both shards' highest (shard2 holds 1500).
via_weft -e "INSERT INTO weft_test.ranged (id, v) VALUES (1500, 'high'), (3, 'low')"
got="$(via_weft -e "INSERT INTO weft_test.ranged (v) VALUES ('r1'), ('r2'); SELECT LAST_INSERT_ID()")"
[ "$got" = 1501 ] || fail "RANGE: first generated key $got, expected 1501"
check_placement ranged
# A key that is not AUTO_INCREMENT must be written.
expect_error 9017 "INSERT INTO weft_test.fixed (v) VALUES ('x')" | grep -q "not AUTO_INCREMENT" || fail "non-AUTO_INCREMENT key"
echo "global sequences: ok (first keys $first, 1501)"

# --- Rows of several shards: one transaction per shard ----------------------------------------
via_weft -e "INSERT INTO weft_test.ranged (id, v) VALUES (10, 'a'), (2000, 'b'), (11, 'c'), (2001, 'd')"
[ "$(on $SHARD1 -e "SELECT group_concat(id ORDER BY id) FROM weft_test.ranged WHERE id IN (10, 11)")" = "10,11" ] || fail "split rows on shard1"
[ "$(on $SHARD2 -e "SELECT group_concat(id ORDER BY id) FROM weft_test.ranged WHERE id IN (2000, 2001)")" = "2000,2001" ] || fail "split rows on shard2"
# One part fails (a duplicate on shard2): the server's own error, and nothing is written, on either shard.
out="$(expect_error 1062 "INSERT INTO weft_test.ranged (id, v) VALUES (12, 'e'), (2000, 'dup')")"
grep -q "(23000).*Duplicate entry '2000' for key 'PRIMARY'" <<<"$out" || fail "the failed split's error: $out"
[ "$(on $SHARD1 -e "SELECT count(*) FROM weft_test.ranged WHERE id = 12")" = 0 ] || fail "a failed split left its shard1 row"
# IGNORE and ON DUPLICATE KEY UPDATE go to each part.
via_weft -e "INSERT IGNORE INTO weft_test.ranged (id, v) VALUES (12, 'e'), (2000, 'dup')"
[ "$(on $SHARD1 -e "SELECT v FROM weft_test.ranged WHERE id = 12")" = e ] || fail "INSERT IGNORE's shard1 row"
[ "$(on $SHARD2 -e "SELECT v FROM weft_test.ranged WHERE id = 2000")" = b ] || fail "INSERT IGNORE overwrote a row"
via_weft -e "INSERT INTO weft_test.ranged (id, v) VALUES (12, 'x'), (2000, 'y') ON DUPLICATE KEY UPDATE v = CONCAT(v, '!')"
[ "$(via_weft -e "SELECT v FROM weft_test.ranged WHERE id = 12; SELECT v FROM weft_test.ranged WHERE id = 2000" | tr '\n' ,)" = 'e!,b!,' ] ||
  fail "ON DUPLICATE KEY UPDATE over two shards"
# Inside a transaction the split is refused (it cannot join it), and the transaction goes on.
out="$(via_weft -e "BEGIN; INSERT INTO weft_test.ranged (id, v) VALUES (13, 't'); INSERT INTO weft_test.ranged (id, v) VALUES (14, 'u'), (2002, 'v'); COMMIT" 2>&1)" &&
  fail "a split inside a transaction ran: $out"
grep -q "ERROR 9018 .*transaction per shard" <<<"$out" || fail "a split inside a transaction: $out"
check_placement ranged
# EXPLAIN ROUTE shows the parts.
plan="$(via_weft -e "EXPLAIN ROUTE INSERT INTO weft_test.ranged (id, v) VALUES (20, 'p'), (2020, 'q')")"
grep -qP "^1\tshard1\tINSERT INTO weft_test.ranged \(id, v\) VALUES  ?\(20, 'p'\)" <<<"$plan" || fail "EXPLAIN ROUTE of a split: $plan"
grep -qP "^2\tshard2\t.*\(2020, 'q'\)" <<<"$plan" || fail "EXPLAIN ROUTE of a split: $plan"
plan="$(admin -e "EXPLAIN ROUTE INSERT INTO weft_test.items (v) VALUES ('z')")"
grep -q "weft.shard_sequences" <<<"$plan" || fail "EXPLAIN ROUTE of keys from the sequence: $plan"
echo "split INSERTs: ok"

# --- Read-your-writes after a split --------------------------------------------------------------
# Both shards' replicas are slowed (their SQL threads wait on a table lock 30 ms out of every 40
# ms). A session that split-inserts rows (i, 2000 + i) and reads each back by key must always see
# both with read_your_writes on (the session's group, main), and does not with it off (root), which shows
# the loop can catch a stale read.
/usr/bin/python3 - "$ROOT_PASSWORD" > "$WORK/slow.out" 2>&1 <<'PY' &
import sys, time, pymysql
conns = [pymysql.connect(host='127.0.0.1', port=p, user='root', password=sys.argv[1]) for p in (23323, 23325)]
end = time.time() + 120
while time.time() < end:
    for c in conns: c.cursor().execute('LOCK TABLES weft_test.ryw_split WRITE')
    time.sleep(0.03)
    for c in conns: c.cursor().execute('UNLOCK TABLES')
    time.sleep(0.01)
PY
SLOWER=$!
rounds() {  # rounds USER PASSWORD FIRST N -> "stale=S replica_reads=R"
  /usr/bin/python3 - "$WEFT_PORT" "$@" <<'PY'
import sys, pymysql
c = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], autocommit=True)
cur = c.cursor()
first, n = int(sys.argv[4]), int(sys.argv[5])
stale = replica = 0
for i in range(first, first + n):
    cur.execute("INSERT INTO weft_test.ryw_split (id, who) VALUES (%s, %s), (%s, %s)", (i, sys.argv[2], 2000 + i, sys.argv[2]))
    for key in (i, 2000 + i):
        cur.execute("SELECT count(*), @@port FROM weft_test.ryw_split WHERE id = %s", (key,))
        found, port = cur.fetchone()
        stale += found != 1
        replica += port in (23323, 23325)
print(f"stale={stale} replica_reads={replica}")
PY
}
with="$(rounds "$APP_USER" "$APP_PASSWORD" 1 150)" || fail "read-your-writes loop: $with"
without="$(rounds root "$ROOT_PASSWORD" 500 150)" || fail "loop without read-your-writes: $without"
stop_slower
echo "after split INSERTs, read_your_writes on: $with; off: $without"
[[ "$with" == stale=0\ * ]] || fail "stale reads after split INSERTs with read_your_writes on: $with"
[[ "$without" != stale=0\ * ]] || fail "the loop caught no stale read with read_your_writes off (it cannot fail): $without"
[[ "$with" != *replica_reads=0 ]] || fail "no read went to a replica: the check proves nothing: $with"
echo "read-your-writes after splits: ok"

# --- Big statements ------------------------------------------------------------------------------
# An INSERT over 64 KiB is planned like any other (it once went to the session's group unplanned,
# which would have copied its rows to every shard through the global stream).
/usr/bin/python3 - > "$WORK/big.sql" <<'PY'
rows = ', '.join("(%d, 'big %d')" % (i if i % 2 else 3000 + i, i) for i in range(100, 500))
print("INSERT INTO weft_test.ranged (id, v) /* " + 'x' * 80000 + " */ VALUES " + rows)
PY
[ "$(stat -c %s "$WORK/big.sql")" -gt 80000 ] || fail "the big INSERT is not over 64 KiB"
via_weft --comments < "$WORK/big.sql" || fail "the big INSERT over two shards"
[ "$(on $GLOBAL -e "SELECT count(*) FROM weft_test.ranged")" = 0 ] || fail "the big INSERT wrote rows on the global group"
[ "$(on $SHARD1 -e "SELECT count(*) FROM weft_test.ranged WHERE id BETWEEN 100 AND 499")" = 200 ] || fail "the big INSERT's shard1 rows"
[ "$(on $SHARD2 -e "SELECT count(*) FROM weft_test.ranged WHERE id BETWEEN 3100 AND 3499")" = 200 ] || fail "the big INSERT's shard2 rows"
check_placement ranged
# One of 16 MiB or more is relayed frame by frame, unread: naming a sharded table, it is refused.
/usr/bin/python3 - > "$WORK/huge.sql" <<'PY'
print("INSERT INTO weft_test.ranged (id, v) VALUES (600, '" + 'z' * 20 + "'), (3600, '" + 'z' * (17 << 20) + "')")
PY
out="$(via_weft --max-allowed-packet=64M < "$WORK/huge.sql" 2>&1)" && fail "a 17 MiB INSERT into a sharded table ran: $out"
grep -q "ERROR 9017 .*16 MiB or more naming sharded table weft_test.ranged" <<<"$out" || fail "the 17 MiB INSERT: ${out:0:300}"
[ "$(via_weft -e "SELECT count(*) FROM weft_test.ranged WHERE id IN (600, 3600)")" = 0 ] || fail "the refused 17 MiB INSERT wrote rows"
echo "big statements: ok"

# --- UPDATE/DELETE on every shard, hinted -----------------------------------------------------------
expect_error 9017 "DELETE FROM weft_test.ranged WHERE v LIKE 'big%'" | grep -q "hint /\* weft: shards=all \*/" ||
  fail "an unhinted DELETE without a key"
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" <<'PY' || fail "a hinted UPDATE over both shards"
import sys, pymysql
c = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user=sys.argv[2], password=sys.argv[3], autocommit=True)
cur = c.cursor()
n = cur.execute("/* weft: shards=all */ UPDATE weft_test.ranged SET v = CONCAT('all ', id) WHERE v LIKE 'big%'")
assert n == 400, ("affected rows over both shards", n)
# One shard's part fails (too long for VARCHAR(20) on shard2's rows only): nothing changes anywhere.
try:
    cur.execute("/* weft: shards=all */ UPDATE weft_test.ranged SET v = IF(id >= 1000, REPEAT('x', 30), 'changed') "
                "WHERE v LIKE 'all %'")
    raise SystemExit("the failing UPDATE was acknowledged")
except pymysql.err.DataError as e:
    assert e.args[0] == 1406, e.args  # the server's own error
print("hinted UPDATE: 400 rows, and a failed part changed nothing")
PY
[ "$(on $SHARD1 -e "SELECT count(*) FROM weft_test.ranged WHERE v = 'changed'")" = 0 ] ||
  fail "a failed hinted UPDATE left its shard1 part"
[ "$(on $SHARD1 -e "SELECT count(*) FROM weft_test.ranged WHERE v LIKE 'all %'")" = 200 ] || fail "the hinted UPDATE on shard1"
[ "$(on $SHARD2 -e "SELECT count(*) FROM weft_test.ranged WHERE v LIKE 'all %'")" = 200 ] || fail "the hinted UPDATE on shard2"
out="$(via_weft --comments -e "BEGIN; /* weft: shards=all */ DELETE FROM weft_test.ranged WHERE v LIKE 'all %'" 2>&1)" &&
  fail "a hinted DELETE inside a transaction ran: $out"
grep -q "ERROR 9018 " <<<"$out" || fail "a hinted DELETE inside a transaction: $out"
via_weft --comments -e "/* weft: shards=all */ DELETE FROM weft_test.ranged WHERE v LIKE 'all %'"
[ "$(via_weft -e "SELECT count(*) FROM weft_test.ranged WHERE v LIKE 'all %'")" = 0 ] || fail "the hinted DELETE"
echo "hinted writes on every shard: ok"
pass
