#!/usr/bin/env bash
# Reads across shards whose answers are larger than weft should hold: sent on while the shards
# answer (sharding/stream_merge.h). The same 300,000 rows (about 40 MB of text) through weft and on
# one unsharded server: a union and an ORDER BY k-way merge give the same bytes (a union sorted
# first), LIMIT/OFFSET at the far end of the merge, and weft's peak memory grows by far less than
# one answer, also for a client that reads slowly (the shards then wait for it).
source "$(dirname "$0")/lib.sh"
require_sandbox
start_sharded_layout
GLOBAL=23320 SHARD1=23322 SHARD2=23324
start_sharded_weft
on $GLOBAL -e "DROP TABLE IF EXISTS weft_test.big"
direct -e "DROP TABLE IF EXISTS weft_test.big"
trap 'on $GLOBAL -e "DROP TABLE IF EXISTS weft_test.big" || true; direct -e "DROP TABLE IF EXISTS weft_test.big" || true; cleanup_and_check' EXIT

admin -e "CREATE SHARD MAP big_map TYPE HASH GLOBAL GROUP main;
  ADD SHARD TO MAP big_map GROUP shard1; ADD SHARD TO MAP big_map GROUP shard2;
  ADD SHARD TABLE weft_test.big COLUMN id TO MAP big_map"
schema="CREATE TABLE weft_test.big (id INT PRIMARY KEY, k INT NOT NULL, pad CHAR(100) NOT NULL)"
via_weft -e "$schema"
direct -e "$schema"
for p in $SHARD1 $SHARD2; do
  wait_for "[ \"\$(on $p -e \"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name = 'big'\")\" = 1 ]" 20 ||
    fail "the table did not reach shard $p"
done
# 30 INSERTs of 10,000 rows each, split by weft over both shards; the same directly.
/usr/bin/python3 - > "$WORK/load.sql" <<'PY'
for batch in range(30):
    rows = ', '.join("(%d, %d, '%s')" % (i, (i * 7919) % 1000, ('row %d ' % i) * 8)
                     for i in range(batch * 10000 + 1, batch * 10000 + 10001))
    print('INSERT INTO weft_test.big (id, k, pad) VALUES %s;' % rows)
PY
via_weft < "$WORK/load.sql" || fail "loading through weft"
direct < "$WORK/load.sql" || fail "loading directly"
n1="$(on $SHARD1 -e "SELECT count(*) FROM weft_test.big")" n2="$(on $SHARD2 -e "SELECT count(*) FROM weft_test.big")"
[ "$((n1 + n2))" = 300000 ] && [ "$n1" -gt 100000 ] && [ "$n2" -gt 100000 ] || fail "rows split $n1 + $n2"
echo "loaded 300000 rows: $n1 on shard1, $n2 on shard2"

peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$WEFT_PID/status"; }
# md5 of an answer read by the CLI row by row (--quick: the client holds no whole answer);
# `slow` reads it in small bites with pauses, so weft's writes to it block.
answer_md5() {
  local how="$1" port="$2"; shift 2
  local user=(-u"$APP_USER" -p"$APP_PASSWORD")
  if [ "$how" = slow ]; then
    mariadb --protocol=TCP -h127.0.0.1 -P"$port" "${user[@]}" --skip-ssl -N -B --quick "$@" |
      /usr/bin/python3 -c "
import hashlib, sys, time
h = hashlib.md5()
while True:
    b = sys.stdin.buffer.read(65536)
    if not b:
        break
    h.update(b)
    time.sleep(0.01)
print(h.hexdigest())"
  else
    mariadb --protocol=TCP -h127.0.0.1 -P"$port" "${user[@]}" --skip-ssl -N -B --quick "$@" | md5sum | cut -d' ' -f1
  fi
}
sorted_md5() { mariadb --protocol=TCP -h127.0.0.1 -P"$1" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl -N -B --quick -e "$2" | sort | md5sum | cut -d' ' -f1; }

before="$(peak_kb)"
q="SELECT id, k, pad FROM weft_test.big ORDER BY k, id"
[ "$(answer_md5 fast "$WEFT_PORT" -e "$q")" = "$(answer_md5 fast "$PRIMARY_PORT" -e "$q")" ] || fail "ORDER BY k, id: answers differ"
[ "$(answer_md5 slow "$WEFT_PORT" -e "$q")" = "$(answer_md5 fast "$PRIMARY_PORT" -e "$q")" ] || fail "ORDER BY, slow client: answers differ"
q="SELECT id, pad FROM weft_test.big"
[ "$(sorted_md5 "$WEFT_PORT" "$q")" = "$(sorted_md5 "$PRIMARY_PORT" "$q")" ] || fail "the union: answers differ"
[ "$(answer_md5 slow "$WEFT_PORT" -e "SELECT id FROM weft_test.big WHERE k < 500 ORDER BY id DESC")" = \
  "$(answer_md5 fast "$PRIMARY_PORT" -e "SELECT id FROM weft_test.big WHERE k < 500 ORDER BY id DESC")" ] ||
  fail "ORDER BY id DESC: answers differ"
q="SELECT id, k FROM weft_test.big ORDER BY id LIMIT 5 OFFSET 299990"
[ "$(via_weft -e "$q")" = "$(direct -e "$q")" ] || fail "LIMIT at the end of the merge: $(via_weft -e "$q")"
after="$(peak_kb)"
grew=$(((after - before) / 1024))
echo "weft's peak memory grew by $grew MiB over answers of about 40 MB (before: $((before / 1024)) MiB)"
if ldd "$WEFT_BIN" | grep -q libasan; then
  # AddressSanitizer keeps freed memory in quarantine (256 MB): peak memory says nothing there.
  echo "memory bound not checked: this weft is built with AddressSanitizer (scripts/sanitize)"
else
  [ "$grew" -lt 20 ] || fail "weft's peak memory grew by $grew MiB: the answers were held, not streamed"
fi
weft_alive || fail "weft died"
pass
