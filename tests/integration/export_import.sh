#!/usr/bin/env bash
# EXPORT and IMPORT through the mariadb CLI on the admin port (issue 15). A database of many
# types, with a generated column, a foreign key, a keyless table, a view, a trigger and
# routines, exported from the primary and imported into a fresh empty server: COMPARE and DIFF
# SCHEMA find the copy equal, and the trigger did not fire on imported rows. DATABASE a AS b
# renames qualifiers. A transfer workload runs during an EXPORT: the exported total is exact. A
# second IMPORT into non-empty tables, a damaged or missing chunk and paths outside export_dir
# are refused with clear errors and nothing half-applied; a failed IMPORT resumes from its
# loaded chunks. The same database in FORMAT TSV and CSV imports equal through LOAD DATA LOCAL;
# a csv chunk LOAD DATA would warn about, or with a row too many, fails naming it.
source "$(dirname "$0")/lib.sh"
require_sandbox

DB=weft_exp
FRESH=23310
REPLICA_TO_BE=23312
TSV_PORT=23313
CSV_PORT=23314
F="127.0.0.1:$FRESH"
on_primary() { as_root "$PRIMARY_PORT" -e "$1"; }
on_fresh() { as_root "$FRESH" -e "$1"; }
finish() {
  local rc=$?
  if [ -n "${LOAD_PID:-}" ]; then kill "$LOAD_PID" 2>/dev/null || true; fi  # not `[ ] && kill`: its failure would end the trap
  as_root "$PRIMARY_PORT" -e "DROP DATABASE IF EXISTS $DB; DROP DATABASE IF EXISTS weft_tx" || true
  "$REPO/scripts/sandbox" drop "$FRESH" > /dev/null 2>&1 || true
  "$REPO/scripts/sandbox" drop "$REPLICA_TO_BE" > /dev/null 2>&1 || true
  "$REPO/scripts/sandbox" drop "$TSV_PORT" > /dev/null 2>&1 || true
  "$REPO/scripts/sandbox" drop "$CSV_PORT" > /dev/null 2>&1 || true
  cleanup
  exit "$rc"
}
trap finish EXIT
"$REPO/scripts/sandbox" fresh "$FRESH" > /dev/null || fail "no fresh server on $FRESH"
[ -z "$(on_fresh "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'weft%'")" ] ||
  fail "the fresh server is not empty"

mkdir -p "$WORK/exports"
ADMIN_EXTRA="export_dir = \"$WORK/exports\""
start_weft "" "" "$(admin_toml)

[jobs]
parallel = 2
export_chunk_kb = 64

[ha]
replication_user = \"repl\"
replication_password = \"repl-secret\""
wait_admin

# --- A database of many types and objects ------------------------------------------------------
on_primary "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB COLLATE utf8mb4_unicode_ci;
CREATE TABLE $DB.types (id INT PRIMARY KEY, s VARCHAR(20) COLLATE utf8mb4_general_ci, n VARCHAR(20) NULL,
  blb BLOB, d DECIMAL(30,10), dt DATETIME(6), ts TIMESTAMP(3) NULL, j JSON, bt BIT(8), f DOUBLE, vb VARBINARY(16),
  g INT AS (id * 2) VIRTUAL, gs VARCHAR(40) AS (CONCAT(s, '!')) STORED,
  l VARCHAR(20) CHARACTER SET latin1 DEFAULT 'défaut', u8 VARCHAR(20) CHARACTER SET utf8mb3);
INSERT INTO $DB.types (id, s, n, blb, d, dt, ts, j, bt, f, vb) VALUES
  (1, 'plain', NULL, X'00010203', 12345678901234567890.0123456789, '2026-12-02 10:11:12.000123', '2026-06-01 12:00:00.125', '{\"k\": [1, \"v\"]}', b'101', 1.5e-7, X'FF00'),
  (2, 'it''s', '', X'', -0.0000000001, '1970-01-01 00:00:01.000000', NULL, 'null', b'0', -2.25, X''),
  (3, 'back\\\\slash', 'NULL', X'0A0B0C0D0E0F', 0, '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999', '[]', b'11111111', 0, X'00'),
  (4, 'ünï ✓ line\nbreak', 'tab\there', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE $DB.types SET l = CASE id WHEN 1 THEN 'café ü' WHEN 2 THEN 'a\\\\b''c' ELSE l END, u8 = CONCAT('ß', id);
CREATE TABLE $DB.zero (id INT PRIMARY KEY AUTO_INCREMENT, v INT);
SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO');
INSERT INTO $DB.zero VALUES (0, 10), (5, 50);
CREATE TABLE $DB.parent (id INT PRIMARY KEY, name VARCHAR(10));
CREATE TABLE $DB.child (id INT PRIMARY KEY, parent_id INT, FOREIGN KEY (parent_id) REFERENCES $DB.parent (id));
INSERT INTO $DB.parent VALUES (1, 'a'), (2, 'b');
INSERT INTO $DB.child VALUES (10, 1), (11, 2), (12, 2);
CREATE TABLE $DB.nokey (x INT, y VARCHAR(10));
INSERT INTO $DB.nokey VALUES (5, 'a'), (5, 'a'), (7, NULL);
CREATE TABLE $DB.big (id INT PRIMARY KEY AUTO_INCREMENT, v INT, pad VARCHAR(50));
INSERT INTO $DB.big (v, pad) SELECT seq, REPEAT('x', 40) FROM $DB.seq_1_to_20000;
CREATE TABLE $DB.audit (id INT PRIMARY KEY AUTO_INCREMENT, what VARCHAR(40));
CREATE TRIGGER $DB.parent_added AFTER INSERT ON $DB.parent FOR EACH ROW INSERT INTO $DB.audit (what) VALUES (CONCAT('parent ', NEW.id));
INSERT INTO $DB.parent VALUES (3, 'c');
CREATE VIEW $DB.child_names AS SELECT c.id, p.name FROM $DB.child c JOIN $DB.parent p ON p.id = c.parent_id;
CREATE FUNCTION $DB.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
CREATE PROCEDURE $DB.count_big(OUT n INT) SELECT COUNT(*) INTO n FROM $DB.big;"
[ "$(on_primary "SELECT COUNT(*) FROM $DB.audit")" = 1 ] || fail "the trigger did not run on the source"

# --- EXPORT, then IMPORT into the fresh server: COMPARE equal ----------------------------------
out="$(admin -e "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'full' WITH REPLICATION INFO")" ||
  fail "EXPORT failed: $out"
echo "$out"
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' <<< "$2"; }
[ "$(value rows "$out")" = $((4 + 2 + 3 + 3 + 3 + 20000 + 1)) ] || fail "EXPORT counted $(value rows "$out") rows"
big_chunks="$(ls "$WORK"/exports/full/1-$DB/*-big.*.sql.zst | wc -l)"
[ "$big_chunks" -ge 3 ] || fail "big was not cut into chunks: $big_chunks files"
[ "$(value snapshot "$out")" = "BACKUP STAGE BLOCK_COMMIT" ] || fail "the snapshot: $(value snapshot "$out")"
grep -q "^SET GLOBAL gtid_slave_pos = '$(on_primary 'SELECT @@gtid_binlog_pos')'; CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $PRIMARY_PORT" <<< "$(value replicate_with "$out")" ||
  fail "WITH REPLICATION INFO: $(value replicate_with "$out")"
[ -f "$WORK/exports/full/manifest.json" ] || fail "no manifest.json"
ls "$WORK"/exports/full/*/*.sql.zst > /dev/null || fail "no chunk files"

out="$(admin -e "IMPORT FROM 'full' INTO '$F'")" || fail "IMPORT failed: $out"
echo "$out"
[ "$(value rows_loaded "$out")" = $((4 + 2 + 3 + 3 + 3 + 20000 + 1)) ] || fail "IMPORT loaded $(value rows_loaded "$out") rows"
cmp="$(admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '$F'")"
grep -qx -- "-- result: equal" <<< "$cmp" || fail "the imported copy differs: $cmp"
diff="$(admin -r -e "DIFF SCHEMA $DB ON PRIMARY OF GROUP main WITH '$F'")"
grep -q -- "-- no differences between 127.0.0.1:$PRIMARY_PORT and $F" <<< "$diff" || fail "the imported definitions differ: $diff"
[ "$(on_fresh "SELECT COUNT(*) FROM $DB.audit")" = 1 ] || fail "the trigger fired on imported rows"
[ "$(on_fresh "SELECT $DB.twice(21)")" = 42 ] || fail "the function was not imported"
[ "$(on_fresh "SELECT COUNT(*) FROM $DB.child_names")" = 3 ] || fail "the view was not imported"
[ "$(on_fresh "SELECT v FROM $DB.zero WHERE id = 0")" = 10 ] || fail "the row with id 0 got another id"
echo "PASS: EXPORT then IMPORT into a fresh server: COMPARE and DIFF SCHEMA equal"

# --- Refusals: a second IMPORT into non-empty tables, paths outside export_dir ------------------
err() { admin_error -e "$1"; }
before="$(on_fresh "SELECT COUNT(*) FROM $DB.big")"
err "IMPORT FROM 'full' INTO '$F'" | grep -q "ERROR 9015 .*\`$DB\`.\`\(big\|types\|audit\|child\|nokey\|parent\|zero\)\` on '$F' is not empty (OVERWRITE replaces it; nothing was imported)" ||
  fail "a second IMPORT was not refused: $(err "IMPORT FROM 'full' INTO '$F'")"
[ "$(on_fresh "SELECT COUNT(*) FROM $DB.big")" = "$before" ] || fail "the refused IMPORT changed big"
out="$(admin -e "IMPORT FROM 'full' INTO '$F' OVERWRITE")" || fail "IMPORT ... OVERWRITE failed: $out"
grep -qx -- "-- result: equal" <<< "$(admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '$F'")" ||
  fail "IMPORT ... OVERWRITE did not leave an equal copy"
for bad in "../escape" "/tmp/weft-escape" "full/../../escape"; do
  err "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO '$bad'" | grep -q "ERROR 9015 .*is not a directory inside \[admin\] export_dir" ||
    fail "EXPORT TO '$bad' was not refused: $(err "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO '$bad'")"
done
[ ! -e "$WORK/escape" ] && [ ! -e /tmp/weft-escape ] || fail "a refused EXPORT wrote outside export_dir"
ln -s /etc "$WORK/exports/etc_link"
err "IMPORT FROM 'etc_link' INTO '$F'" | grep -q "ERROR 9015 .*is not a directory inside" || fail "a link out of export_dir was followed"
err "IMPORT FROM 'nothing_here' INTO '$F'" | grep -q "ERROR 9015 .*holds no finished export" || fail "IMPORT of no export"
err "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'full'" | grep -q "ERROR 9015 .*'full' is not empty" ||
  fail "EXPORT over an export was not refused"
err "EXPORT DATABASE nosuchdb FROM PRIMARY OF GROUP main TO 'x'" | grep -q "ERROR 1049 .*Unknown database 'nosuchdb'" ||
  fail "EXPORT of an unknown database"
err "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main" | grep -q "ERROR 1064 .*usage: EXPORT" || fail "EXPORT without TO"
echo "PASS: non-empty targets and paths outside export_dir are refused"

# --- DATABASE a AS b: the copy's definitions name b --------------------------------------------
out="$(admin -e "IMPORT FROM 'full' INTO '$F' DATABASE $DB AS weft_copy PARALLEL 3")" || fail "IMPORT ... AS failed: $out"
for t in types big nokey child; do
  [ "$(as_root "$PRIMARY_PORT" -e "CHECKSUM TABLE $DB.$t EXTENDED" | cut -f2)" = "$(on_fresh "CHECKSUM TABLE weft_copy.$t EXTENDED" | cut -f2)" ] ||
    fail "weft_copy.$t differs from $DB.$t"
done
on_fresh "SHOW CREATE VIEW weft_copy.child_names" | grep -q "from (\`weft_copy\`.\`child\` \`c\` join \`weft_copy\`.\`parent\` \`p\`" ||
  fail "the renamed view does not read weft_copy: $(on_fresh "SHOW CREATE VIEW weft_copy.child_names")"
on_fresh "SHOW TRIGGERS FROM weft_copy" | grep -q "parent_added" || fail "the renamed database lacks its trigger"
echo "PASS: IMPORT ... DATABASE a AS b"

# --- A damaged or missing chunk: the job fails naming it, nothing of that table is applied -----
# With PARALLEL 1 the largest table (big) loads first; types, damaged, fails after it.
cp -r "$WORK/exports/full" "$WORK/exports/bad"
victim="$(ls "$WORK"/exports/bad/1-$DB/*-types.00001.sql.zst)"
printf '\x00' | dd of="$victim" bs=1 seek=40 conv=notrunc status=none
out="$(err "IMPORT FROM 'bad' INTO '$F' DATABASE $DB AS weft_bad PARALLEL 1")"
grep -q "ERROR 9014 .*\`weft_bad\`.\`types\`: .*$(basename "$victim")" <<< "$out" || fail "a damaged chunk: $out"
[ "$(on_fresh "SELECT COUNT(*) FROM weft_bad.types")" = 0 ] || fail "rows of types were applied from a damaged chunk"
[ "$(on_fresh "SELECT COUNT(*) FROM weft_bad.big")" = 20000 ] || fail "big was not loaded before types failed"
cp "$WORK/exports/full/1-$DB/$(basename "$victim")" "$victim"
job="$(admin -e "SHOW JOBS" | awk -F'\t' '$3 == "failed" { id = $1 } END { print id }')"
admin -e "RESUME JOB $job"
wait_for "[ \"\$(admin -e 'SHOW JOBS' | awk -F'\t' -v id=$job '\$1 == id { print \$3 }')\" = done ]" 30 ||
  fail "the resumed IMPORT did not finish: $(admin -e 'SHOW JOBS')"
admin -e "SHOW JOB $job" | grep -qP "^chunks\t\d+ \([1-9]\d* loaded by an earlier run\)$" ||
  fail "the resumed IMPORT did not skip the loaded chunks: $(admin -e "SHOW JOB $job")"
for t in types big; do
  [ "$(as_root "$PRIMARY_PORT" -e "CHECKSUM TABLE $DB.$t EXTENDED" | cut -f2)" = "$(on_fresh "CHECKSUM TABLE weft_bad.$t EXTENDED" | cut -f2)" ] ||
    fail "the resumed IMPORT left $t different"
done
rm "$WORK"/exports/bad/1-$DB/*-nokey.00001.sql.zst
err "IMPORT FROM 'bad' INTO '$F' DATABASE $DB AS weft_missing" | grep -q "ERROR 9014 .*chunk 1-$DB/[0-9]*-nokey.00001.sql.zst of \`$DB\`.\`nokey\` is missing" ||
  fail "a missing chunk: $(err "IMPORT FROM 'bad' INTO '$F' DATABASE $DB AS weft_missing")"
[ -z "$(on_fresh "SHOW DATABASES LIKE 'weft_missing'")" ] || fail "an IMPORT with a missing chunk applied something"
echo "PASS: a damaged or missing chunk fails the IMPORT before any row of it; RESUME JOB finishes it"

# --- FORMAT TSV and FORMAT CSV: LOAD DATA LOCAL reads them back exactly -------------------------
# The same database in each format into a fresh server: COMPARE and DIFF SCHEMA find it equal.
# The manifest lists the columns the files hold (no generated ones), a row per line.
manifest_table() {  # data_format, then table $2's columns, of export $1
  /usr/bin/python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
t = [t for d in m["databases"] for t in d["tables"] if t["name"] == sys.argv[2]][0]
print(m["data_format"], ",".join(t["columns"]))' "$WORK/exports/$1/manifest.json" "$2"
}
for fmt in tsv csv; do
  port=$TSV_PORT; [ "$fmt" = csv ] && port=$CSV_PORT
  "$REPO/scripts/sandbox" fresh "$port" > /dev/null || fail "no fresh server on $port"
  FMT="${fmt^^}"
  out="$(admin -e "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'as_$fmt' FORMAT $FMT")" || fail "EXPORT FORMAT $FMT: $out"
  [ -z "$(find "$WORK/exports/as_$fmt" -name '*.sql.zst')" ] || fail "FORMAT $FMT wrote .sql.zst chunks"
  chunk="$(ls "$WORK"/exports/as_$fmt/1-$DB/*-types.00001.$fmt.zst)" || fail "FORMAT $FMT: no types.00001.$fmt.zst"
  [ "$(manifest_table "as_$fmt" types)" = "$fmt id,s,n,blb,d,dt,ts,j,bt,f,vb,l,u8" ] ||
    fail "FORMAT $FMT manifest: $(manifest_table "as_$fmt" types)"
  sep=$'\t'; [ "$fmt" = csv ] && sep=,
  text="$(zstd -dcq "$chunk")"
  [ "$(wc -l <<< "$text")" = 4 ] || fail "FORMAT $FMT: types is not a row per line: $text"
  # Row 4 as LOAD DATA reads it: newline and tab escaped, NULLs as \N, latin1's é as its own byte.
  q='"'; [ "$fmt" = tsv ] && q=''
  row4="4$sep${q}ünï ✓ line\\nbreak$q$sep${q}tab\\there$q$(printf "$sep%s" '\N' '\N' '\N' '\N' '\N' '\N' '\N' '\N')"
  row4+="$sep${q}d"$'\xe9'"faut$q$sep${q}ß4$q"
  LC_ALL=C grep -aqxF "$row4" <<< "$text" ||
    fail "FORMAT $FMT: row 4 of types is not as LOAD DATA reads it: $(LC_ALL=C grep -a '^4' <<< "$text")"
  LC_ALL=C grep -aq "^1${sep}.*${sep}5${sep}0.00000015${sep}" <<< "$text" ||
    fail "FORMAT $FMT: BIT is not its integer: $(LC_ALL=C grep -a '^1' <<< "$text")"
  out="$(admin -e "IMPORT FROM 'as_$fmt' INTO '127.0.0.1:$port'")" || fail "IMPORT of FORMAT $FMT: $out"
  [ "$(value rows_loaded "$out")" = $((4 + 2 + 3 + 3 + 3 + 20000 + 1)) ] || fail "IMPORT of $FMT loaded $(value rows_loaded "$out") rows"
  cmp="$(admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:$port'")"
  grep -qx -- "-- result: equal" <<< "$cmp" || fail "the copy imported from $FMT differs: $cmp"
  diff="$(admin -r -e "DIFF SCHEMA $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:$port'")"
  grep -q -- "-- no differences" <<< "$diff" || fail "the definitions imported from $FMT differ: $diff"
  echo "PASS: EXPORT ... FORMAT $FMT then IMPORT into a fresh server: COMPARE and DIFF SCHEMA equal"
done

# A csv chunk damaged on disk fails by its digest; one rewritten with a value too long for its
# column (or a row too many) and a matching digest fails in LOAD DATA: the server's warning (or
# the row count) names the chunk, and nothing of the table is applied.
C="127.0.0.1:$CSV_PORT"
on_csv() { as_root "$CSV_PORT" -e "$1"; }
rewrite_chunk() {  # export $1, chunk file $2, Python bytes expression $3 of `text`; the manifest follows
  /usr/bin/python3 - "$WORK/exports/$1" "$2" "$3" <<'PY'
import hashlib, json, subprocess, sys
d, f, change = sys.argv[1:]
text = subprocess.run(["zstd", "-dcq", f"{d}/{f}"], check=True, capture_output=True).stdout
text = eval(change)
subprocess.run(["zstd", "-qfo", f"{d}/{f}"], input=text, check=True)
m = json.load(open(f"{d}/manifest.json"))
for c in [c for db in m["databases"] for t in db["tables"] for c in t["chunks"] if c["file"] == f]:
    c["bytes"], c["sha256"] = len(text), hashlib.sha256(text).hexdigest()
json.dump(m, open(f"{d}/manifest.json", "w"))
PY
}
types_chunk="1-$DB/$(basename "$(ls "$WORK"/exports/as_csv/1-$DB/*-types.00001.csv.zst)")"
nokey_chunk="1-$DB/$(basename "$(ls "$WORK"/exports/as_csv/1-$DB/*-nokey.00001.csv.zst)")"
cp -r "$WORK/exports/as_csv" "$WORK/exports/csv_flipped"
printf '\x00' | dd of="$WORK/exports/csv_flipped/$types_chunk" bs=1 seek=30 conv=notrunc status=none
out="$(err "IMPORT FROM 'csv_flipped' INTO '$C' DATABASE $DB AS weft_flipped")"
grep -q "ERROR 9014 .*\`weft_flipped\`.\`types\`: .*$types_chunk" <<< "$out" || fail "a damaged csv chunk: $out"
cp -r "$WORK/exports/as_csv" "$WORK/exports/csv_long"
rewrite_chunk csv_long "$types_chunk" 'text.replace(b"\"plain\"", b"\"plain and far longer than twenty\"")'
out="$(err "IMPORT FROM 'csv_long' INTO '$C' DATABASE $DB AS weft_long")"
grep -q "ERROR 9014 .*\`weft_long\`.\`types\`: chunk $types_chunk: the server reported 1 warning(s), the first: Warning 1265 Data truncated for column 's' at row 1" <<< "$out" ||
  fail "a csv value too long for its column: $out"
[ "$(on_csv "SELECT COUNT(*) FROM weft_long.types")" = 0 ] || fail "rows of a chunk that warned were applied"
cp -r "$WORK/exports/as_csv" "$WORK/exports/csv_extra"
rewrite_chunk csv_extra "$nokey_chunk" 'text + text.splitlines(True)[0]'
out="$(err "IMPORT FROM 'csv_extra' INTO '$C' DATABASE $DB AS weft_extra")"
grep -q "ERROR 9014 .*\`weft_extra\`.\`nokey\`: chunk $nokey_chunk: loaded 4 rows where 3 were expected" <<< "$out" ||
  fail "a csv chunk with a row too many: $out"
[ "$(on_csv "SELECT COUNT(*) FROM weft_extra.nokey")" = 0 ] || fail "rows of a chunk with a row too many were applied"
echo "PASS: a damaged csv chunk, a value LOAD DATA would cut and a row too many fail naming the chunk, nothing applied"

# --- Consistency under load: money moves between two tables while they are exported ------------
# Each table goes to its own worker (PARALLEL 2); only one snapshot point for both keeps the total.
on_primary "DROP DATABASE IF EXISTS weft_tx; CREATE DATABASE weft_tx;
CREATE TABLE weft_tx.acct_a (id INT PRIMARY KEY, bal BIGINT NOT NULL, pad CHAR(100) NOT NULL DEFAULT '');
CREATE TABLE weft_tx.acct_b LIKE weft_tx.acct_a;
INSERT INTO weft_tx.acct_a (id, bal) SELECT seq, 1000 FROM weft_tx.seq_1_to_20000;
INSERT INTO weft_tx.acct_b (id, bal) SELECT seq, 1000 FROM weft_tx.seq_1_to_20000;"
/usr/bin/python3 - "$PRIMARY_PORT" "$ROOT_PASSWORD" "$WORK/transfers" <<'PY' &
import pymysql, random, sys, time
conn = pymysql.connect(host='127.0.0.1', port=int(sys.argv[1]), user='root', password=sys.argv[2], autocommit=False)
cur = conn.cursor()
done, end = 0, time.time() + 20
while time.time() < end:
    a, b, x = random.randint(1, 20000), random.randint(1, 20000), random.randint(1, 50)
    src, dst = ('acct_a', 'acct_b') if random.random() < 0.5 else ('acct_b', 'acct_a')
    cur.execute(f"UPDATE weft_tx.{src} SET bal = bal - %s WHERE id = %s", (x, a))
    cur.execute(f"UPDATE weft_tx.{dst} SET bal = bal + %s WHERE id = %s", (x, b))
    conn.commit()
    done += 1
open(sys.argv[3], 'w').write(str(done))
PY
LOAD_PID=$!
sleep 1
for round in 1 2 3; do
  admin -e "EXPORT DATABASE weft_tx FROM PRIMARY OF GROUP main TO 'tx$round' PARALLEL 2" > "$WORK/tx$round.out" ||
    fail "EXPORT under load failed: $(cat "$WORK/tx$round.out")"
  admin -e "IMPORT FROM 'tx$round' INTO '$F' DATABASE weft_tx AS weft_tx$round WITHOUT BINLOG" > /dev/null || fail "IMPORT of tx$round failed"
  total="$(on_fresh "SELECT (SELECT SUM(bal) FROM weft_tx$round.acct_a) + (SELECT SUM(bal) FROM weft_tx$round.acct_b)")"
  [ "$total" = 40000000 ] || fail "round $round: the exported total is $total, not 40000000"
  pause="$(awk -F'\t' '$1 == "commit_pause_ms" { print $2 }' "$WORK/tx$round.out")"
  echo "round $round: total exact; commits paused $pause ms"
done
kill -0 "$LOAD_PID" 2>/dev/null || fail "the transfer load ended before the exports did: they proved nothing"
wait "$LOAD_PID" || fail "the transfer load failed"
LOAD_PID=""
echo "PASS: the exported total is exact under a transfer load ($(cat "$WORK/transfers") transfers)"

# --- A donor that dies mid-export: a clear failure; RESUME JOB exports again -------------------
# A table lock held on the donor stops the export at its snapshot; the donor is killed there.
as_root "$FRESH" -e "LOCK TABLES $DB.big WRITE; DO SLEEP(30)" > /dev/null 2>&1 &
HOLDER=$!
sleep 0.3
id="$(admin -e "EXPORT DATABASE $DB FROM '$F' TO 'donor' ASYNC" | cut -f1)"
[ -n "$id" ] || fail "EXPORT ... ASYNC gave no job id"
job_field() { admin -e "SHOW JOBS" | awk -F'\t' -v id="$1" -v f="$2" '$1 == id { print $f }'; }
wait_for "[ \"\$(job_field $id 4)\" = 'taking the snapshot' ]" 10 || fail "the export did not reach its snapshot: $(admin -e 'SHOW JOBS')"
"$REPO/scripts/sandbox" kill "$FRESH" > /dev/null
wait "$HOLDER" || true
wait_for "[ \"\$(job_field $id 3)\" = failed ]" 20 || fail "the export did not fail when its donor died: $(admin -e 'SHOW JOBS')"
why="$(job_field "$id" 13)"
grep -q "^weft: EXPORT from '$F': .*(RESUME JOB exports again from a new snapshot)$" <<< "$why" || fail "the donor's death: $why"
[ ! -e "$WORK/exports/donor/manifest.json" ] || fail "a failed export left a manifest"
"$REPO/scripts/sandbox" start-server "$FRESH" > /dev/null
admin -e "RESUME JOB $id"
wait_for "[ \"\$(job_field $id 3)\" = done ]" 30 || fail "the resumed export did not finish: $(admin -e 'SHOW JOBS')"
[ -f "$WORK/exports/donor/manifest.json" ] || fail "the resumed export wrote no manifest"
admin -e "IMPORT FROM 'donor' INTO '$F' DATABASE $DB AS weft_again" > /dev/null || fail "the resumed export does not import"
[ "$(on_fresh "CHECKSUM TABLE $DB.big EXTENDED" | cut -f2)" = "$(on_fresh "CHECKSUM TABLE weft_again.big EXTENDED" | cut -f2)" ] ||
  fail "the resumed export's copy of big differs"
echo "PASS: a donor dying mid-export fails the job clearly; RESUME JOB exports again"

# --- IMPORT ... AS REPLICA OF: the copy replicates from the export's point, no gap --------------
"$REPO/scripts/sandbox" fresh "$REPLICA_TO_BE" > /dev/null || fail "no fresh server on $REPLICA_TO_BE"
admin -e "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'rep'" > /dev/null || fail "EXPORT rep"
on_primary "INSERT INTO $DB.big (v, pad) VALUES (-1, 'after the export'); UPDATE $DB.types SET n = 'later' WHERE id = 4"
out="$(admin -e "IMPORT FROM 'rep' INTO '127.0.0.1:$REPLICA_TO_BE' AS REPLICA OF PRIMARY OF GROUP main")" || fail "IMPORT AS REPLICA OF: $out"
grep -qP "^replicating_from\t127.0.0.1:$PRIMARY_PORT from " <<< "$out" || fail "IMPORT AS REPLICA OF did not replicate: $out"
pos="$(on_primary 'SELECT @@gtid_binlog_pos')"
[ "$(as_root "$REPLICA_TO_BE" -e "SELECT MASTER_GTID_WAIT('$pos', 20)")" = 0 ] || fail "the imported replica did not catch up"
grep -qx -- "-- result: equal" <<< "$(admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:$REPLICA_TO_BE'")" ||
  fail "the imported replica differs from the primary"
echo "PASS: IMPORT ... AS REPLICA OF replicates from the export's point with no gap"
