#!/usr/bin/env bash
# String shard keys beyond ASCII, placed as their column's collation compares them
# (sharding/key_collation.h), against the sharded sandbox and one unsharded server: the same keys
# written through weft and directly must give the same rows, found by keys the collation finds
# equal ('ÉMILE' for 'émile' under unicode_ci), through text and prepared statements; the
# character set of the connection is followed (SET NAMES); a collation weft does not fold
# (czech_ci) and a connection in another character set than the column's place nothing (reads go
# to every shard, writes are refused with the reason).
source "$(dirname "$0")/lib.sh"
require_sandbox
start_sharded_layout
GLOBAL=23320 SHARD1=23322 SHARD2=23324
start_sharded_weft
TABLES="weft_test.names_u, weft_test.names_5, weft_test.names_g, weft_test.names_b, weft_test.names_l, weft_test.names_cz"
on $GLOBAL -e "DROP TABLE IF EXISTS $TABLES"
direct -e "DROP TABLE IF EXISTS $TABLES"
trap 'on $GLOBAL -e "DROP TABLE IF EXISTS $TABLES" || true; direct -e "DROP TABLE IF EXISTS $TABLES" || true; cleanup_and_check' EXIT

admin -e "CREATE SHARD MAP names_map TYPE HASH KEY STRING GLOBAL GROUP main;
  ADD SHARD TO MAP names_map GROUP shard1; ADD SHARD TO MAP names_map GROUP shard2;
  CREATE SHARD MAP names_range TYPE RANGE_STRING GLOBAL GROUP main;
  ADD SHARD TO MAP names_range GROUP shard1 BOUND 'A'; ADD SHARD TO MAP names_range GROUP shard2 BOUND 'M'"
for t in u g b l cz; do admin -e "ADD SHARD TABLE weft_test.names_$t COLUMN name TO MAP names_map"; done
admin -e "ADD SHARD TABLE weft_test.names_5 COLUMN name TO MAP names_range"

python3 "$REPO/tests/integration/sharding_collations.py" "$WEFT_PORT" "$PRIMARY_PORT" "$SHARD1" "$SHARD2" ||
  fail "keys beyond ASCII (sharding_collations.py, above)"

# The proxy learned each table's key collation once, and says which it does not fold.
grep -q 'event=shard_key_collation table="weft_test.names_u" collation="utf8mb4_unicode_ci" folds=yes' "$WORK/weft.log" ||
  fail "no learned collation for names_u in the log"
grep -q 'event=shard_key_collation table="weft_test.names_cz" collation="utf8mb4_czech_ci" folds=no' "$WORK/weft.log" ||
  fail "no refused collation for names_cz in the log"
pass
