#!/usr/bin/env bash
# The differential test of sharding (issue 16): the same rows loaded into one unsharded server
# (the sandbox primary, 23306) and, through weft, into the sharded layout (scripts/sandbox
# shards) under four maps: HASH (c_users.id INT), RANGE (c_orders.order_id BIGINT, bounds 0 and
# 5000), RANGE_DATETIME (c_events.at, bounds 2000-01-01 and 2026-06-01) and LIST (c_regions.region
# latin1_bin: eu, uk | us, ca), with c_plain unsharded. Then every statement of
# sharding_corpus.sql runs through weft and directly, in order, and the answers must be the same
# (as printed under ORDER BY, as sorted lines without). What weft refuses today is listed in
# sharding_corpus.refused (line, error code): a refusal not listed fails, and so does a listed
# statement that weft now answers. A write weft refuses is not applied directly either. At the
# end every row must be on the shard its map names and nowhere else. The driver is
# sharding_corpus.py. SHARDING_CORPUS=FILE.sql runs another corpus (its refusals in FILE.refused).
source "$(dirname "$0")/lib.sh"
require_sandbox
start_sharded_layout
GLOBAL=23320 SHARD1=23322 SHARD2=23324
HERE="$REPO/tests/integration"
CORPUS="${SHARDING_CORPUS:-$HERE/sharding_corpus.sql}"
PY=(/usr/bin/python3 "$HERE/sharding_corpus.py")
TABLES="weft_test.c_users, weft_test.c_orders, weft_test.c_events, weft_test.c_regions, weft_test.c_plain"
started=$SECONDS

# The test's tables, on the global primary (replicated to the shards) and on the direct server.
drop_tables() {
  as_root $GLOBAL -e "DROP TABLE IF EXISTS $TABLES" || true
  as_root $PRIMARY_PORT -e "DROP TABLE IF EXISTS $TABLES" || true
}
finish() {
  local rc=$?
  drop_tables
  cleanup
  [ -z "${SANITIZER_REPORT:-}" ] || exit 1
  exit "$rc"
}
trap finish EXIT
drop_tables

start_weft "127.0.0.1:$GLOBAL" "" "$(admin_toml)
$(sharded_servers_toml)

[monitor]
user = \"monitor\"
password = \"monitor-secret\"
interval_ms = 200"
wait_admin

# --- The maps -----------------------------------------------------------------------------------
admin -e "CREATE SHARD MAP c_users_map TYPE HASH GLOBAL GROUP main;
  ADD SHARD TO MAP c_users_map GROUP shard1; ADD SHARD TO MAP c_users_map GROUP shard2;
  ADD SHARD TABLE weft_test.c_users COLUMN id TO MAP c_users_map;
  CREATE SHARD MAP c_orders_map TYPE RANGE GLOBAL GROUP main;
  ADD SHARD TO MAP c_orders_map GROUP shard1 BOUND 0; ADD SHARD TO MAP c_orders_map GROUP shard2 BOUND 5000;
  ADD SHARD TABLE weft_test.c_orders COLUMN order_id TO MAP c_orders_map;
  CREATE SHARD MAP c_events_map TYPE RANGE_DATETIME GLOBAL GROUP main;
  ADD SHARD TO MAP c_events_map GROUP shard1 BOUND '2000-01-01 00:00:00';
  ADD SHARD TO MAP c_events_map GROUP shard2 BOUND '2026-06-01 00:00:00';
  ADD SHARD TABLE weft_test.c_events COLUMN at TO MAP c_events_map;
  CREATE SHARD MAP c_regions_map TYPE LIST KEY STRING GLOBAL GROUP main;
  ADD SHARD TO MAP c_regions_map GROUP shard1 BOUND 'eu', 'uk';
  ADD SHARD TO MAP c_regions_map GROUP shard2 BOUND 'us', 'ca';
  ADD SHARD TABLE weft_test.c_regions COLUMN region TO MAP c_regions_map"
maps="$(admin -e 'SHOW SHARD MAPS')"
for m in 'c_users_map\tHASH\tINTEGER' 'c_orders_map\tRANGE\tINTEGER' 'c_events_map\tRANGE_DATETIME\tDATETIME' \
  'c_regions_map\tLIST\tSTRING'; do
  grep -qP "^$m\tmain\t2\t1$" <<<"$maps" || fail "SHOW SHARD MAPS has no '$m': $maps"
done

# --- Tables: through weft (the global group, replicated to the shards) and directly -------------
"${PY[@]}" schema > "$WORK/schema.sql"
via_weft -D weft_test < "$WORK/schema.sql" || fail "CREATE TABLE through weft"
direct -D weft_test < "$WORK/schema.sql" || fail "CREATE TABLE on the direct server"
for p in $SHARD1 $SHARD2; do
  wait_for "[ \"\$(as_root $p -e \"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name LIKE 'c\\_%'\")\" = 5 ]" 20 ||
    fail "the tables created through weft did not reach shard $p"
done

# --- Rows: one single-row INSERT each, through weft and directly --------------------------------
"${PY[@]}" data > "$WORK/data.sql"
rows=$(wc -l < "$WORK/data.sql")
via_weft -D weft_test < "$WORK/data.sql" || fail "loading the rows through weft"
direct -D weft_test < "$WORK/data.sql" || fail "loading the rows on the direct server"
"${PY[@]}" sync || fail "the sharded layout's replicas did not catch up"
for t in c_users c_orders c_events c_regions; do
  want="$(as_root $PRIMARY_PORT -e "SELECT count(*) FROM weft_test.$t")"
  n1="$(as_root $SHARD1 -e "SELECT count(*) FROM weft_test.$t")" n2="$(as_root $SHARD2 -e "SELECT count(*) FROM weft_test.$t")"
  [ "$((n1 + n2))" = "$want" ] && [ "$n1" -gt 0 ] && [ "$n2" -gt 0 ] || fail "$t: $want rows split $n1 + $n2 over the shards"
  echo "$t: $want rows, $n1 on shard1, $n2 on shard2"
done
echo "loaded $rows rows in $((SECONDS - started)) s"

# --- The corpus, then every row where its map places it, once --------------------------------------
corpus_ok=1 placement_ok=1
"${PY[@]}" run "$WEFT_PORT" "$PRIMARY_PORT" "$CORPUS" "${CORPUS%.sql}.refused" || corpus_ok=0
weft_alive || fail "weft died during the corpus"
# The same reads again as prepared statements (binary rows), and bound values over several shards.
prepared_ok=1
/usr/bin/python3 "$HERE/sharding_prepared.py" "$WEFT_PORT" "$PRIMARY_PORT" "$CORPUS" "${CORPUS%.sql}.refused" ||
  prepared_ok=0
weft_alive || fail "weft died during the prepared statements"
"${PY[@]}" sync || fail "the sharded layout's replicas did not catch up"
"${PY[@]}" placement "$ADMIN_PORT" "$PRIMARY_PORT" $GLOBAL $SHARD1 $SHARD2 || placement_ok=0
[ $corpus_ok = 1 ] || fail "the corpus: weft's answers differ from one unsharded server's (PROBLEMS above)"
[ $placement_ok = 1 ] || fail "rows are not where their maps place them (above)"
[ $prepared_ok = 1 ] || fail "prepared statements: weft's answers differ from one unsharded server's (above)"
echo "done in $((SECONDS - started)) s"
pass
