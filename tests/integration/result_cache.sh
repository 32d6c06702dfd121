#!/usr/bin/env bash
# The query result cache: a rule with cache_ttl_ms answers matching reads from memory (proved by a
# change made behind weft's back, which the cache does not see until its TTL ends), while every
# write weft forwards to the same table — text, prepared, in a transaction, a CALL — makes the
# answer stale at once: a session never reads a row older than its own write, nor one older than
# another session's committed write. Reads that may not be cached (NOW(), variables, a
# transaction) never are; stats_cache and /metrics count it all.
source "$(dirname "$0")/lib.sh"
require_sandbox
ADMIN_PORT="$(free_port)"
HTTP_PORT="$(free_port)"
start_weft "" "" "$(admin_toml)

[[rules]]
match_digest = 'FROM weft_test\\.cached'
cache_ttl_ms = 60000"
wait_admin

direct -e "drop table if exists weft_test.cached; drop procedure if exists weft_test.bump_cached;
  create table weft_test.cached (id int primary key, v int); insert into weft_test.cached values (1, 10), (2, 20), (3, 30);
  create procedure weft_test.bump_cached() update weft_test.cached set v = v + 1 where id = 2"
read_v() { via_weft -e "select v from weft_test.cached where id = ${1:-1}"; }
stat() { admin -e "select $1 from stats_cache"; }

# A miss, then hits. The row changed behind weft's back is not seen: the answer is the cached one.
[ "$(read_v)" = 10 ] || fail "first read"
[ "$(read_v)" = 10 ] || fail "second read"
direct -e "update weft_test.cached set v = 11 where id = 1"
[ "$(read_v)" = 10 ] || fail "the read was not answered from the cache"
[ "$(stat hits)" -ge 2 ] || fail "hits not counted: $(admin -e 'select * from stats_cache')"
[ "$(stat entries)" -ge 1 ] || fail "no entry kept"

# A write through weft, then the read in the same session: the new row, not the cached one.
out="$(via_weft -e "update weft_test.cached set v = 12 where id = 1; select v from weft_test.cached where id = 1")"
[ "$out" = 12 ] || fail "read after own write: $out"
[ "$(read_v)" = 12 ] || fail "another session read a stale row after a write"
[ "$(read_v)" = 12 ] || fail "the fresh answer"

# A transaction: another session caches the committed row meanwhile; at COMMIT that is stale.
out="$(/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' 2>&1
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
writer, reader = Conn(port), Conn(port)
writer.login(user, password)
reader.login(user, password)
read = 'select v from weft_test.cached where id = 1'
def run(conn, sql):
    conn.query(sql)
    assert conn.result_rows() == [], sql
run(writer, 'begin')
run(writer, 'update weft_test.cached set v = 13 where id = 1')
before = [reader.scalar(read), reader.scalar(read)]  # the committed row, cached
run(writer, 'commit')
after = [reader.scalar(read), writer.scalar(read)]
# XA: the status may say "no transaction" after XA END and PREPARE; the commit still counts.
run(writer, "xa start 'w'")
run(writer, 'update weft_test.cached set v = 133 where id = 1')
run(writer, "xa end 'w'")
before += [reader.scalar(read)]
run(writer, "xa prepare 'w'")
before += [reader.scalar(read)]
run(writer, "xa commit 'w'")
after += [reader.scalar(read)]
run(writer, 'update weft_test.cached set v = 13 where id = 1')
print(*before, *after)
PY
)"
[ "$out" = "12 12 13 13 13 13 133" ] || fail "transaction: $out"

# A prepared UPDATE (COM_STMT_EXECUTE) makes the answer stale too.
out="$(/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' 2>&1
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, execute_body, frame, prepare
c = Conn(int(sys.argv[1]))
c.login(sys.argv[2], sys.argv[3])
read = 'select v from weft_test.cached where id = 1'
first = c.scalar(read)
stmt, _, _ = prepare(c, 'update weft_test.cached set v = ? where id = 1')
c.send(frame(execute_body(stmt, [14]), 0))
_, ok = c.read_packet()
print(first, hex(ok[0]), c.scalar(read))
PY
)"
[ "$out" = "13 0x0 14" ] || fail "prepared write: $out"

# Prepared reads (the binary protocol) are cached too, keyed by their parameters; a write through
# weft makes them stale, one behind its back does not (until the TTL).
out="$(/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$PRIMARY_PORT" <<'PY' 2>&1
import struct, subprocess, sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, execute_body, frame, prepare
c = Conn(int(sys.argv[1]))
c.login(sys.argv[2], sys.argv[3])
stmt, _, _ = prepare(c, 'select v from weft_test.cached where id = ?')
def read(key):
    c.send(frame(execute_body(stmt, [key]), 0))
    rows = c.result_rows()
    return struct.unpack('<i', rows[0][2:6])[0]  # header, null bitmap, then the INT
def behind_weft(sql):
    subprocess.run(['mariadb', '--protocol=TCP', '-h127.0.0.1', '-P' + sys.argv[5], '-u' + sys.argv[2],
                    '-p' + sys.argv[3], '--skip-ssl', '-e', sql], check=True)
seen = [read(3), read(3)]
behind_weft('update weft_test.cached set v = 31 where id = 3')
seen += [read(3), read(2)]
c.query('update weft_test.cached set v = 32 where id = 3')
c.result_rows()
seen.append(read(3))
print(*seen)
PY
)"
[ "$out" = "30 30 30 20 32" ] || fail "prepared reads: $out"

# A CALL names no table: every answer is stale after it.
[ "$(read_v 2)" = 20 ] || fail "row 2"
via_weft -e "call weft_test.bump_cached()"
[ "$(read_v 2)" = 21 ] || fail "a CALL's write was not seen"

# Never cached: a changing function, a variable, a read inside a transaction.
stores="$(stat stores)"
via_weft -e "select v, now() from weft_test.cached where id = 1" > /dev/null
via_weft -e "select v, @@hostname from weft_test.cached where id = 1" > /dev/null
via_weft -e "begin; select v from weft_test.cached where id = 2; commit" > /dev/null
[ "$(stat stores)" = "$stores" ] || fail "an uncacheable read was stored"
# In a transaction the cached answer is not used either: the transaction sees the real row.
direct -e "update weft_test.cached set v = 99 where id = 2"
[ "$(read_v 2)" = 21 ] || fail "row 2 cached"
out="$(via_weft -e "begin; select v from weft_test.cached where id = 2; commit")"
[ "$out" = 99 ] || fail "a read in a transaction was answered from the cache: $out"

# Another user never gets this user's answer.
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -uroot -p"$ROOT_PASSWORD" --skip-ssl -N -B \
  -e "select v from weft_test.cached where id = 2" 2>&1 || true)"
[ "$out" = 99 ] || [[ "$out" == *"Access denied"* ]] || fail "another user got a cached answer: $out"

# FLUSH QUERY CACHE: a change made behind weft's back is seen at once.
[ "$(read_v 2)" = 21 ] || fail "row 2 before the flush (99 behind weft's back)"
out="$(admin -vvv -e "flush query cache" 2>&1)"
grep -q "Query OK, [1-9][0-9]* rows\? affected" <<< "$out" || fail "FLUSH QUERY CACHE: $out"
[ "$(stat entries)" = 0 ] || fail "entries after the flush"
[ "$(read_v 2)" = 99 ] || fail "a flushed answer was served"

# A rule added at runtime on the admin port caches from its next statement on.
[ "$(admin -e "select cache_ttl_ms from query_rules")" = 60000 ] || fail "the rule's cache_ttl_ms"
admin -e "insert into query_rules (id, match_digest, cache_ttl_ms) values (2, 'FROM weft_test\\.runtime', 60000)"
direct -e "drop table if exists weft_test.runtime; create table weft_test.runtime (v int); insert into weft_test.runtime values (1)"
hits="$(stat hits)"
via_weft -e "select v from weft_test.runtime; select v from weft_test.runtime" > /dev/null
[ "$(stat hits)" = $((hits + 1)) ] || fail "a rule added at runtime did not cache: $(admin -e 'select * from stats_cache')"
direct -e "drop table weft_test.runtime"

[ "$(http_code /metrics)" = 200 ] || fail "/metrics"
grep -q '^weft_result_cache_events_total{event="hits"} [1-9]' "$WORK/http.body" || fail "metrics: $(grep result_cache "$WORK/http.body")"
grep -q '^weft_result_cache_bytes [1-9]' "$WORK/http.body" || fail "bytes metric"
direct -e "drop table weft_test.cached; drop procedure weft_test.bump_cached"
pass
