#!/usr/bin/env bash
# Sharding through the mariadb CLI, against the sharded sandbox (scripts/sandbox shards: a global
# group 23320+23321 replicating to shard1 23322+23323 and shard2 23324+23325): shard maps made on
# the admin port (weft's grammar and Fabric's CALL sharding.*), DDL sent to the global group and
# replicated to the shards, rows written by key to the shard the map names (checked on the
# servers directly), point reads equal to the same rows on one unsharded server, refusals with
# their errors, and a transaction kept on one shard.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_sharded_layout
GLOBAL=23320 SHARD1=23322 SHARD2=23324

start_weft "127.0.0.1:$GLOBAL" "" "$(admin_toml)
$(sharded_servers_toml)

[monitor]
user = \"monitor\"
password = \"monitor-secret\"
interval_ms = 200"
wait_admin
# Tables of this test, on every server of the layout (dropped on the global primary: replicated).
on $GLOBAL -e "DROP TABLE IF EXISTS weft_test.users, weft_test.orders, weft_test.names, weft_test.plain"
on $PRIMARY_PORT -e "DROP TABLE IF EXISTS weft_test.users_ref"
trap 'on $GLOBAL -e "DROP TABLE IF EXISTS weft_test.users, weft_test.orders, weft_test.names, weft_test.plain" || true; on $PRIMARY_PORT -e "DROP TABLE IF EXISTS weft_test.users_ref" || true; cleanup_and_check' EXIT

# --- Maps on the admin port -------------------------------------------------------------------
admin -e "CREATE SHARD MAP users_map TYPE HASH GLOBAL GROUP main;
  ADD SHARD TO MAP users_map GROUP shard1; ADD SHARD TO MAP users_map GROUP shard2;
  ADD SHARD TABLE weft_test.users COLUMN id TO MAP users_map;
  CREATE SHARD MAP orders_map TYPE RANGE GLOBAL GROUP main;
  ADD SHARD TO MAP orders_map GROUP shard1 BOUND 0; ADD SHARD TO MAP orders_map GROUP shard2 BOUND 1000;
  ADD SHARD TABLE weft_test.orders COLUMN order_id TO MAP orders_map"
maps="$(admin -e 'SHOW SHARD MAPS')"
grep -qP '^orders_map\tRANGE\tINTEGER\tmain\t2\t1$' <<<"$maps" || fail "SHOW SHARD MAPS: $maps"
grep -qP '^users_map\tHASH\tINTEGER\tmain\t2\t1$' <<<"$maps" || fail "SHOW SHARD MAPS: $maps"
shards="$(admin -e 'SHOW SHARDS FROM MAP orders_map')"
grep -qP '^orders_map\t\d+\tshard2\t1000\t127.0.0.1:23324$' <<<"$shards" || fail "SHOW SHARDS: $shards"
err="$(admin_error -e 'ADD SHARD TO MAP nosuch GROUP shard1')"
grep -q "ERROR 9016.*no shard map 'nosuch'" <<<"$err" || fail "ADD SHARD to an unknown map: $err"
err="$(admin_error -e 'CREATE SHARD MAP m2 TYPE HASH GLOBAL GROUP nowhere')"
grep -q "ERROR 9010.*global group 'nowhere' has no \[\[servers\]\]" <<<"$err" || fail "a map on an unknown group: $err"
err="$(admin_error -e "ADD SHARD TO MAP orders_map GROUP main BOUND 'abc'")"
grep -q "ERROR 9010" <<<"$err" || fail "a RANGE bound that is no integer: $err"
[ "$(admin -e 'SELECT count(*) FROM shard_maps')" = 2 ] || fail "a refused change was kept"

# Fabric's forms: a RANGE_STRING map by number.
id="$(admin -e "CALL sharding.create_definition('RANGE_STRING', 'main')")"
[[ "$id" =~ ^[0-9]+$ ]] || fail "create_definition answered: $id"
admin -e "CALL sharding.add_table($id, 'weft_test.names', 'name');
  CALL sharding.add_shard($id, 'shard1/A, shard2/M', 'ENABLED')"
defs="$(admin -e 'CALL sharding.list_definitions()')"
grep -qP "^$id\tRANGE_STRING\tmain$" <<<"$defs" || fail "list_definitions: $defs"
tables="$(admin -e "CALL sharding.list_tables('RANGE_STRING')")"
grep -qP "^$id\tmain\tweft_test.names\tname\tRANGE_STRING$" <<<"$tables" || fail "list_tables: $tables"
servers="$(admin -e "CALL sharding.lookup_servers('weft_test.names', 'Zed', 'LOCAL')")"
grep -qP '^127.0.0.1:23324\t127.0.0.1:23324\tPRIMARY\tREAD_WRITE\t1$' <<<"$servers" || fail "lookup_servers Zed: $servers"
grep -qP '^127.0.0.1:23325\t127.0.0.1:23325\tSECONDARY\tREAD_ONLY\t1$' <<<"$servers" || fail "lookup_servers Zed: $servers"
servers="$(admin -e "CALL sharding.lookup_servers('weft_test.names', 'Bob', 'LOCAL')")"
grep -q '127.0.0.1:23322' <<<"$servers" || fail "lookup_servers Bob: $servers"
servers="$(admin -e "CALL sharding.lookup_servers('weft_test.names', 'x', 'GLOBAL')")"
grep -q '127.0.0.1:23320' <<<"$servers" || fail "lookup_servers GLOBAL: $servers"
err="$(admin_error -e "CALL sharding.add_shard($id, 'shard1/Q', 'DISABLED')")"
grep -q "ERROR 1064.*no disabled shards" <<<"$err" || fail "a DISABLED shard: $err"
echo "maps, shards and Fabric's forms: ok"

# --- DDL goes to the global group and reaches every shard ----------------------------------------
via_weft -e "CREATE TABLE weft_test.users (id INT PRIMARY KEY, name VARCHAR(40), score INT)"
via_weft -e "CREATE TABLE weft_test.orders (order_id BIGINT PRIMARY KEY, amount INT)"
via_weft -e "CREATE TABLE weft_test.plain (k INT PRIMARY KEY, v VARCHAR(10))"
for p in $SHARD1 $SHARD2; do
  wait_for "[ \"\$(on $p -e \"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name IN ('users', 'orders', 'plain')\")\" = 3 ]" 20 ||
    fail "the tables created through weft did not reach shard $p"
done

# --- Writes by key land on the shard the map names ---------------------------------------------
on $PRIMARY_PORT -e "CREATE TABLE weft_test.users_ref (id INT PRIMARY KEY, name VARCHAR(40), score INT)"
sql=""
for i in $(seq 1 40); do
  sql+="INSERT INTO weft_test.users (id, name, score) VALUES ($i, 'user $i', $((i * 7 % 13)));"
  on $PRIMARY_PORT -e "INSERT INTO weft_test.users_ref VALUES ($i, 'user $i', $((i * 7 % 13)))"
done
via_weft -e "$sql"
n1="$(on $SHARD1 -e 'SELECT count(*) FROM weft_test.users')"
n2="$(on $SHARD2 -e 'SELECT count(*) FROM weft_test.users')"
[ "$((n1 + n2))" = 40 ] && [ "$n1" -gt 5 ] && [ "$n2" -gt 5 ] || fail "40 rows split $n1 + $n2 over the shards"
[ "$(on $GLOBAL -e 'SELECT count(*) FROM weft_test.users')" = 0 ] || fail "sharded rows reached the global group"
for i in $(seq 1 40); do  # each row where lookup_servers says it is
  primary="$(admin -e "CALL sharding.lookup_servers('weft_test.users', '$i', 'LOCAL')" | awk '$3 == "PRIMARY" {print $2}')"
  [ "$(on "${primary##*:}" -e "SELECT count(*) FROM weft_test.users WHERE id = $i")" = 1 ] ||
    fail "row $i is not on $primary, where lookup_servers places it"
done
via_weft -e "INSERT INTO weft_test.orders (order_id, amount) VALUES (5, 50), (999, 90); INSERT INTO weft_test.orders (order_id, amount) VALUES (1000, 100), (123456, 7)"
[ "$(on $SHARD1 -e 'SELECT group_concat(order_id ORDER BY order_id) FROM weft_test.orders')" = "5,999" ] || fail "orders below 1000 are not all on shard1"
[ "$(on $SHARD2 -e 'SELECT group_concat(order_id ORDER BY order_id) FROM weft_test.orders')" = "1000,123456" ] || fail "orders from 1000 are not all on shard2"
via_weft -e "INSERT INTO weft_test.plain VALUES (1, 'g')"
[ "$(on $GLOBAL -e 'SELECT v FROM weft_test.plain WHERE k = 1')" = g ] || fail "an unsharded table was not written on the global group"
echo "writes by key: shard1 $n1 rows, shard2 $n2 rows: ok"

# --- Reads by key answer as one unsharded server does ---------------------------------------------
for i in $(seq 0 41) "'7'" "7 AND score > 2" "7 OR id = 8"; do
  [[ "$i" == *OR* ]] && continue
  got="$(via_weft -e "SELECT * FROM weft_test.users WHERE id = $i")"
  want="$(on $PRIMARY_PORT -e "SELECT * FROM weft_test.users_ref WHERE id = $i")"
  [ "$got" = "$want" ] || fail "WHERE id = $i: weft gave '$got', one server '$want'"
done
for list in "3, 17" "4" "2, 2, 2"; do
  got="$(via_weft -e "SELECT id, name FROM weft_test.users WHERE id IN ($list) ORDER BY id" 2>&1 || true)"
  want="$(on $PRIMARY_PORT -e "SELECT id, name FROM weft_test.users_ref WHERE id IN ($list) ORDER BY id")"
  # IN over two shards needs scatter-gather (refused until it merges); one shard is routed.
  [ "$got" = "$want" ] || grep -q "ERROR 9017" <<<"$got" || fail "IN ($list): weft gave '$got', one server '$want'"
done
via_weft -e "UPDATE weft_test.users SET score = score + 100 WHERE id = 9"
on $PRIMARY_PORT -e "UPDATE weft_test.users_ref SET score = score + 100 WHERE id = 9"
[ "$(via_weft -e 'SELECT score FROM weft_test.users WHERE id = 9')" = "$(on $PRIMARY_PORT -e 'SELECT score FROM weft_test.users_ref WHERE id = 9')" ] ||
  fail "an UPDATE by key did not change its row"
via_weft -e "DELETE FROM weft_test.users WHERE id = 40"
on $PRIMARY_PORT -e "DELETE FROM weft_test.users_ref WHERE id = 40"
[ -z "$(via_weft -e 'SELECT * FROM weft_test.users WHERE id = 40')" ] || fail "a DELETE by key did not delete"
[ "$(via_weft --comments -e "SELECT /* weft: shard_key=12 */ name FROM weft_test.users u JOIN weft_test.plain p ON p.k = 1 WHERE u.id = 12")" = "user 12" ] ||
  fail "a join with the global table on the hinted shard"
echo "reads, updates and deletes by key: ok"
plan="$(via_weft -e "EXPLAIN ROUTE SELECT id FROM users ORDER BY id LIMIT 5 OFFSET 10" -D weft_test)"
grep -qP '^1\tshard1\tSELECT id FROM users ORDER BY id LIMIT 15\t' <<<"$plan" || fail "EXPLAIN ROUTE on the proxy port: $plan"
grep -qP '^merge\tweft\tNULL\tunion, then sort by ORDER BY, then OFFSET 10 LIMIT 5$' <<<"$plan" || fail "EXPLAIN ROUTE merge: $plan"
plan="$(admin -e "EXPLAIN ROUTE IN weft_test UPDATE users SET score = 1 WHERE id = 7")"
grep -qP '^1\tshard\d\tUPDATE users SET score = 1 WHERE id = 7\tshard \d of map users_map \(key 7\)$' <<<"$plan" ||
  fail "EXPLAIN ROUTE on the admin port: $plan"
plan="$(admin -e "EXPLAIN ROUTE UPDATE weft_test.users SET score = 1")"
grep -qP '^refused\tNULL\t.*without a condition on its shard key' <<<"$plan" || fail "EXPLAIN ROUTE of a refusal: $plan"

# --- Refused with a reason, never a wrong answer ------------------------------------------------
expect_error 9017 "SELECT name FROM weft_test.users ORDER BY name" | grep -q "not ordered across shards" || fail "ORDER BY a _ci string"
expect_error 9017 "SELECT score, count(*) FROM weft_test.users GROUP BY score HAVING count(*) > 1" | grep -q "HAVING" || fail "HAVING text"
expect_error 9017 "SELECT sum(score) + 1 FROM weft_test.users" | grep -q "aggregate inside an expression" || fail "aggregate in an expression"
expect_error 9017 "SELECT count(DISTINCT score) FROM weft_test.users" | grep -q "DISTINCT values" || fail "COUNT(DISTINCT)"
expect_error 9017 "UPDATE weft_test.users SET score = 0" | grep -q "without a condition on its shard key" || fail "keyless UPDATE text"
expect_error 9017 "DELETE FROM weft_test.users WHERE id IN (1, 2, 3, 4, 5, 6)" | grep -q "touches 2 shards" || fail "two-shard DELETE text"
expect_error 9017 "INSERT INTO weft_test.users (id, name) VALUES (101, 'a'), (100 + 2, 'b')" |
  grep -q "row 2: its \`id\` is not a key a shard holds" || fail "INSERT with an expression key"
expect_error 9017 "INSERT INTO weft_test.users VALUES (106, 'a', 1)" | grep -q "VALUES without a column list" || fail "INSERT without columns"
expect_error 9017 "SELECT * FROM weft_test.users u JOIN weft_test.orders o ON o.order_id = u.id WHERE u.id = 1" |
  grep -q "more than one sharded table" || fail "join of two sharded tables"
[ -z "$(via_weft -e 'SELECT * FROM weft_test.users WHERE id IN (101, 102, 103, 104, 105, 106)' 2>/dev/null)" ] || fail "a refused INSERT wrote rows"
echo "refusals: ok"

# --- Reads across shards: merged as one server answers --------------------------------------------
same() {  # same SQL [sorted]: weft's answer on users equals one server's on users_ref
  local got want
  got="$(via_weft -e "$1" 2>&1)" || fail "through weft: $1: $got"
  want="$(on $PRIMARY_PORT -e "${1//weft_test.users/weft_test.users_ref}")"
  if [ "${2:-}" = sorted ]; then got="$(sort <<<"$got")"; want="$(sort <<<"$want")"; fi
  [ "$got" = "$want" ] || fail "$1: weft gave
$got
one server:
$want"
}
same "SELECT count(*), sum(score), min(score), max(score), avg(score), count(name) FROM weft_test.users WHERE id < 1000"
expect_error 9017 "SELECT min(name) FROM weft_test.users" | grep -q "not ordered across shards" || fail "MIN of a _ci string"
same "SELECT * FROM weft_test.users" sorted
same "SELECT id, name FROM weft_test.users WHERE id IN (3, 17, 25) ORDER BY id"
same "SELECT id, score FROM weft_test.users ORDER BY score DESC, id LIMIT 5"
same "SELECT id, score FROM weft_test.users ORDER BY score, id DESC LIMIT 7 OFFSET 4"
same "SELECT id FROM weft_test.users ORDER BY 1 LIMIT 3, 2"
same "SELECT score, count(*), sum(id), avg(id), max(id) FROM weft_test.users GROUP BY score"
same "SELECT score AS s, count(*) AS n FROM weft_test.users GROUP BY s ORDER BY n DESC, s"
same "SELECT DISTINCT score FROM weft_test.users ORDER BY score"
same "SELECT count(*) FROM weft_test.users WHERE score > 100"
same "SELECT sum(score), avg(score) FROM weft_test.users WHERE id > 1000"
echo "reads across shards: ok"

# --- Prepared statements: each execute's bound key picks the shard --------------------------------
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "prepared statements on a sharded table"
import struct, sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, ServerError, frame, execute_body, prepare
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = Conn(port)
assert c.login(user, pw, 'weft_test')[:1] == b'\x00'
def run(stmt, values):
    c.send(frame(execute_body(stmt, values), 0))
    return c.result_rows()
read, _, _ = prepare(c, "SELECT name FROM users WHERE id = ?")
for i in range(1, 40):
    rows = run(read, [i])
    assert len(rows) == 1 and rows[0].endswith(b'user %d' % i), (i, rows)
    rows = run(read, [str(i)])  # the key as a string binds the same row
    assert len(rows) == 1, (i, rows)
write, _, _ = prepare(c, "INSERT INTO users (id, name, score) VALUES (?, ?, 1)")
for i in (201, 202, 203, 204):
    assert run(write, [i, 'ps %d' % i]) == []
# Reads over both shards: merged, in binary rows (COUNT(*) is a LONGLONG: 8 bytes after the
# row's header and NULL bitmap).
# (The text count may be read on a replica that has not caught up with the INSERTs above yet:
# the two are compared until it has, for at most 5 s.)
import time
counter = prepare(c, "SELECT count(*) FROM users WHERE score > ?")[0]
for attempt in range(50):
    c.query("SELECT count(*) FROM users WHERE score > 0")
    text = int(c.result_rows()[0][1:].decode())
    rows = run(counter, [0])
    assert len(rows) == 1, rows
    if struct.unpack('<q', rows[0][2:10])[0] == text:
        break
    time.sleep(0.1)
else:
    sys.exit('a prepared COUNT(*) across shards answered %r, the text one %d' % (rows, text))
try:
    run(prepare(c, "UPDATE users SET id = ? WHERE id = ?")[0], [300, 1])
    sys.exit('a prepared UPDATE of the shard key was answered')
except ServerError as e:
    assert e.args[0][0] == 9017 and 'changes the shard key' in e.args[0][2], e
assert run(read, [None]) == [], 'id = NULL matches no row, on any shard'
print('prepared statements: ok')
PY
for i in 201 202 203 204; do
  primary="$(admin -e "CALL sharding.lookup_servers('weft_test.users', '$i', 'LOCAL')" | awk '$3 == "PRIMARY" {print $2}')"
  [ "$(on "${primary##*:}" -e "SELECT name FROM weft_test.users WHERE id = $i")" = "ps $i" ] ||
    fail "the prepared INSERT of $i is not on $primary"
done
via_weft -e "DELETE FROM weft_test.users WHERE id = 201; DELETE FROM weft_test.users WHERE id = 202; DELETE FROM weft_test.users WHERE id = 203; DELETE FROM weft_test.users WHERE id = 204"

# --- A transaction stays on the shard it first touched -------------------------------------------
s1=""; s2=""
for i in $(seq 1 39); do
  [ "$(admin -e "CALL sharding.lookup_servers('weft_test.users', '$i', 'LOCAL')" | awk '$3 == "PRIMARY" {print $2}')" = "127.0.0.1:$SHARD1" ] && s1=${s1:-$i} || s2=${s2:-$i}
done
out="$(via_weft -e "BEGIN; UPDATE weft_test.users SET name = 'in tx' WHERE id = $s1; UPDATE weft_test.users SET name = 'other' WHERE id = $s2; COMMIT" 2>&1)" &&
  fail "a transaction over two shards was accepted"
grep -q "ERROR 9018" <<<"$out" || fail "a second shard in a transaction: $out"
[ "$(on $SHARD1 -e "SELECT name FROM weft_test.users WHERE id = $s1")" = "user $s1" ] || fail "the refused transaction's first statement was committed"
via_weft -e "BEGIN; UPDATE weft_test.users SET name = 'tx one' WHERE id = $s1; SELECT name FROM weft_test.users WHERE id = $s1; COMMIT" | grep -q "tx one" ||
  fail "a transaction on one shard"
[ "$(on $SHARD1 -e "SELECT name FROM weft_test.users WHERE id = $s1")" = "tx one" ] || fail "a committed one-shard transaction is not on its shard"
out="$(via_weft -e "BEGIN; UPDATE weft_test.users SET score = 0 WHERE id = $s1; UPDATE weft_test.plain SET v = 'shard' WHERE k = 1; COMMIT" 2>&1)" &&
  fail "a write to a global table inside a shard's transaction was accepted"
grep -q "ERROR 9018.*not sharded belongs to the global group" <<<"$out" || fail "a global write in a shard transaction: $out"
[ "$(on $SHARD1 -e 'SELECT v FROM weft_test.plain WHERE k = 1')" = g ] || fail "a shard's copy of a global table was written"
echo "transactions: ok"

# --- A frozen shard: its lane of a read across shards is given up (9013), never held ---------------
# Both servers of shard2 stop (SIGSTOP) while the read runs; once the monitor shuns them, the
# worker's watchdog closes the lane's connection and the client gets 9013 naming the server.
frozen=""
for port in $SHARD2 $((SHARD2 + 1)); do frozen+=" $(cat "$REPO/.sandbox/$port/mariadbd.pid")"; done
thaw="$(thaw_later "$frozen" 60)"
trap 'kill -CONT $frozen 2>/dev/null; thaw_cancel "$thaw"; on $GLOBAL -e "DROP TABLE IF EXISTS weft_test.users, weft_test.orders, weft_test.names, weft_test.plain" || true; on $PRIMARY_PORT -e "DROP TABLE IF EXISTS weft_test.users_ref" || true; cleanup_and_check' EXIT
started=$(date +%s%N)
via_weft -e "SELECT COUNT(*) FROM weft_test.users WHERE SLEEP(0.2) = 0" > "$WORK/frozen.out" 2>&1 &
reader=$!
sleep 1
kill -STOP $frozen
wait "$reader" || true
took=$(( ($(date +%s%N) - started) / 1000000 ))
kill -CONT $frozen
out="$(cat "$WORK/frozen.out")"
grep -q "ERROR 9013.*backend 127.0.0.1:2332[45] stopped answering (SHUNNED" <<<"$out" ||
  fail "a read across shards with shard2 frozen: '$out' after $took ms"
[ "$took" -lt 15000 ] || fail "a frozen shard held a read across shards $took ms"
wait_for '[[ "$(via_weft -e "SELECT COUNT(*) FROM weft_test.users" 2>/dev/null)" =~ ^[1-9][0-9]*$ ]]' 20 ||
  fail "reads across shards did not come back after SIGCONT"
echo "a frozen shard: 9013 after $took ms"
pass
