#!/usr/bin/env bash
# EXPORT and IMPORT under faults (issue 15): an IMPORT stopped by KILL JOB and one interrupted by
# a weft restart resume from their loaded chunks; a chunk that committed while its checkpoint was
# lost is found by the row count and never loaded twice, and a table changed outside the IMPORT
# is refused; a full disk on weft's host fails the EXPORT with the system's reason and no
# half-written file, and RESUME JOB finishes it once there is room. The disk is a small tmpfs
# mounted inside this test's own mount namespace (so it needs root, or user namespaces).
if [ -z "${WEFT_IN_MOUNT_NS:-}" ]; then
  if [ "$(id -u)" = 0 ]; then ns=(unshare --mount); else ns=(unshare --map-root-user --mount); fi
  exec "${ns[@]}" env WEFT_IN_MOUNT_NS=1 bash "$0" "$@" ||
    { echo "FAIL: cannot make a mount namespace for the full-disk test (unshare)" >&2; exit 1; }
fi
source "$(dirname "$0")/lib.sh"
require_sandbox

DB=weft_res
KILLED=23315
RESTARTED=23316
on_primary() { as_root "$PRIMARY_PORT" -e "$1"; }
finish() {
  local rc=$?
  as_root "$PRIMARY_PORT" -e "DROP DATABASE IF EXISTS $DB; DROP USER IF EXISTS weft_u1@'%', weft_u2@'127.0.0.1', weft_u3@'%'" || true
  "$REPO/scripts/sandbox" drop "$KILLED" > /dev/null 2>&1 || true
  "$REPO/scripts/sandbox" drop "$RESTARTED" > /dev/null 2>&1 || true
  umount "$WORK/exports/small" 2>/dev/null || true
  cleanup
  exit "$rc"
}
trap finish EXIT
for port in "$KILLED" "$RESTARTED"; do
  "$REPO/scripts/sandbox" fresh "$port" > /dev/null || fail "no fresh server on $port"
done

mkdir -p "$WORK/exports/small"
mount -t tmpfs -o size=256k tmpfs "$WORK/exports/small" || fail "cannot mount a small tmpfs for the full-disk test"
ADMIN_EXTRA="export_dir = \"$WORK/exports\""
export ADMIN_EXTRA
WEFT_TOML="$(admin_toml)

[jobs]
parallel = 1
export_chunk_kb = 64"
start_weft "" "" "$WEFT_TOML"
wait_admin

# `big` is loaded first (largest first, one worker), then `small`, whose first chunk a lock
# held on the target stops: the job is then mid-way at a known point.
on_primary "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB; USE $DB;
CREATE TABLE $DB.big (id INT PRIMARY KEY, v VARCHAR(200));
INSERT INTO $DB.big SELECT seq, CONCAT(MD5(seq), MD5(seq + 1), MD5(seq + 2)) FROM seq_1_to_60000;
CREATE TABLE $DB.small (id INT PRIMARY KEY, v VARCHAR(200));  -- as hold_small makes it
INSERT INTO $DB.small SELECT seq, CONCAT(MD5(-seq), MD5(seq * 7)) FROM seq_1_to_20000;"
admin -e "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'res'" > /dev/null || fail "the EXPORT failed"
small_chunks="$(ls "$WORK/exports/res"/*/*-small.*.sql.zst | wc -l)"
[ "$small_chunks" -ge 5 ] || fail "small has $small_chunks chunks: too few to stop mid-way"
job_field() { admin -e "SHOW JOBS" | awk -F'\t' -v id="$1" -v f="$2" '$1 == id { print $f }'; }
equal_to_primary() {
  admin -r -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:$1'" | grep -qx -- "-- result: equal"
}
# The target gets an empty `small` (as the export defines it: IMPORT accepts an empty table) and
# a transaction that holds its whole key range for `seconds`.
hold_small() {
  local port="$1" seconds="$2"
  as_root "$port" -e "CREATE DATABASE $DB; CREATE TABLE $DB.small (id INT PRIMARY KEY, v VARCHAR(200))"
  as_root "$port" -e "BEGIN; SELECT id FROM $DB.small FOR UPDATE; DO SLEEP($seconds); COMMIT" > /dev/null &
  HOLDER=$!
}
# Waits until the IMPORT's INSERT into `small` waits on the held lock.
wait_blocked() {
  wait_for "[ \"\$(as_root $1 -e \"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO%small%'\")\" = 1 ]" 20 ||
    fail "the IMPORT never reached small: $(admin -e 'SHOW JOBS')"
}

# --- KILL JOB mid-IMPORT; a lost checkpoint; a table changed outside the IMPORT ----------------
hold_small "$KILLED" 3
id="$(admin -e "IMPORT FROM 'res' INTO '127.0.0.1:$KILLED' ASYNC" | cut -f1)"
[ -n "$id" ] || fail "IMPORT ... ASYNC gave no job id"
wait_blocked "$KILLED"
admin -e "KILL JOB $id"
wait "$HOLDER"
wait_for "[ \"\$(job_field $id 3)\" = killed ]" 20 || fail "KILL JOB did not stop the IMPORT: $(admin -e 'SHOW JOBS')"
loaded="$(as_root "$KILLED" -e "SELECT COUNT(*) FROM $DB.small")"
[ "$loaded" -gt 0 ] && [ "$loaded" -lt 20000 ] || fail "the killed IMPORT left $loaded rows of small, not part of them"
# Chunk 2 committed but its checkpoint lost (weft stopped between the two): apply it by hand.
second="$(ls "$WORK/exports/res"/*/*-small.00002.sql.zst)"
{ echo "SET NAMES binary; USE $DB; BEGIN;"; zstd -dc "$second"; echo "COMMIT;"; } | as_root "$KILLED" ||
  fail "applying chunk 2 by hand"
as_root "$KILLED" -e "INSERT INTO $DB.small VALUES (100000, 'not from the export')"
admin -e "RESUME JOB $id" > /dev/null
wait_for "[ \"\$(job_field $id 3)\" = failed ]" 20 || fail "RESUME with an extra row did not fail: $(admin -e 'SHOW JOBS')"
admin -e "SHOW JOBS" | grep -q "\`$DB\`.\`small\`: holds [0-9]* rows where its loaded chunks hold $loaded: it changed outside the IMPORT" ||
  fail "the changed table was not named: $(admin -e 'SHOW JOBS')"
as_root "$KILLED" -e "DELETE FROM $DB.small WHERE id = 100000"
admin -e "RESUME JOB $id" > /dev/null
wait_for "[ \"\$(job_field $id 3)\" = done ]" 30 || fail "the resumed IMPORT did not finish: $(admin -e 'SHOW JOBS')"
grep -q "event=job_started job=$id resumed_checkpoints=[1-9]" "$WORK/weft.log" || fail "RESUME JOB did not start from the saved chunks"
equal_to_primary "$KILLED" || fail "the IMPORT resumed after KILL JOB differs: $(admin -e "COMPARE DATABASE $DB ON PRIMARY OF GROUP main WITH '127.0.0.1:$KILLED'")"
echo "PASS: KILL JOB mid-IMPORT, RESUME JOB: chunk 2 not loaded twice, an outside change refused, the copy equal"

# --- A weft restart mid-IMPORT -----------------------------------------------------------------
hold_small "$RESTARTED" 3
id="$(admin -e "IMPORT FROM 'res' INTO '127.0.0.1:$RESTARTED' ASYNC" | cut -f1)"
wait_blocked "$RESTARTED"
stop_weft
wait "$HOLDER"
start_weft "" "" "$WEFT_TOML"
wait_admin
wait_for "[ \"\$(job_field $id 3)\" = done ]" 30 || fail "the IMPORT interrupted by a restart did not finish: $(admin -e 'SHOW JOBS')"
grep -q "event=job_started job=$id resumed_checkpoints=[1-9]" "$WORK/weft.log" || fail "the restart did not resume the IMPORT"
equal_to_primary "$RESTARTED" || fail "the IMPORT resumed after a restart differs"
echo "PASS: a weft restart mid-IMPORT resumes it: the copy equal"

# --- A full disk on weft's host ----------------------------------------------------------------
id="$(admin -e "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'small/x' ASYNC" | cut -f1)"
wait_for "[ \"\$(job_field $id 3)\" = failed ]" 30 || fail "the EXPORT onto a full disk did not fail: $(admin -e 'SHOW JOBS')"
admin -e "SHOW JOBS" | awk -F'\t' -v id="$id" '$1 == id' | grep -q "cannot write .*small/x/.*\.part: No space left on device" ||
  fail "the full disk was not named: $(admin -e 'SHOW JOBS')"
[ -z "$(find "$WORK/exports/small" -name '*.part')" ] || fail "half-written files left behind: $(find "$WORK/exports/small")"
mount -o remount,size=64m "$WORK/exports/small" || fail "cannot grow the tmpfs"
admin -e "RESUME JOB $id" > /dev/null
wait_for "[ \"\$(job_field $id 3)\" = done ]" 30 || fail "the EXPORT did not finish once there was room: $(admin -e 'SHOW JOBS')"
[ -f "$WORK/exports/small/x/manifest.json" ] || fail "no manifest after the resumed EXPORT"
echo "PASS: a full disk fails the EXPORT with the system's reason, nothing half-written; RESUME JOB finishes it"

# --- WITH USERS ----------------------------------------------------------------------------------
# weft_u1 and weft_u2 hold privileges on the database, weft_u3 only elsewhere: not exported.
on_primary "CREATE USER weft_u1@'%' IDENTIFIED BY 'u1-secret'; GRANT SELECT, INSERT ON $DB.* TO weft_u1@'%';
CREATE USER weft_u2@'127.0.0.1' IDENTIFIED BY 'u2-secret'; GRANT SELECT (id) ON $DB.small TO weft_u2@'127.0.0.1';
GRANT PROCESS ON *.* TO weft_u2@'127.0.0.1';
CREATE USER weft_u3@'%' IDENTIFIED BY 'u3-secret'; GRANT SELECT ON mysql.* TO weft_u3@'%'"
hash="$(on_primary "SELECT PASSWORD('u1-secret')")"
out="$(admin -e "EXPORT DATABASE $DB FROM PRIMARY OF GROUP main TO 'users' DEFINITIONS ONLY WITH USERS")" || fail "EXPORT WITH USERS: $out"
grep -qxF "users	\`weft_u1\`@\`%\`, \`weft_u2\`@\`127.0.0.1\`" <<< "$out" || fail "the exported accounts: $out"
grep -q "$hash" "$WORK/exports/users/manifest.json" || fail "the manifest lacks weft_u1's password hash"
[ "$(stat -c %a "$WORK/exports/users/manifest.json")" = 600 ] || fail "a manifest with password hashes is readable by others"
! grep -qF "$hash" <<< "$out" && ! grep -qF "$hash" "$WORK/weft.log" || fail "a password hash in an answer or the log"
admin_error -e "IMPORT FROM 'res' INTO '127.0.0.1:$RESTARTED' DATABASE $DB AS weft_res_u WITH USERS" |
  grep -q "ERROR 9015 .*this export holds no accounts (EXPORT ... WITH USERS takes them)" || fail "IMPORT WITH USERS of an export without them"
out="$(admin -e "IMPORT FROM 'users' INTO '127.0.0.1:$RESTARTED' DATABASE $DB AS weft_res_u WITH USERS")" || fail "IMPORT WITH USERS: $out"
grep -qxF "users	2 created (\`weft_u1\`@\`%\`, \`weft_u2\`@\`127.0.0.1\`)" <<< "$out" || fail "the created accounts: $out"
mariadb --protocol=TCP -h127.0.0.1 -P"$RESTARTED" -uweft_u1 -pu1-secret --skip-ssl -N -B -e "SELECT COUNT(*) FROM weft_res_u.small" |
  grep -qx 0 || fail "weft_u1 cannot log in with its password and read the renamed database"
grants="$(as_root "$RESTARTED" -e "SHOW GRANTS FOR weft_u2@'127.0.0.1'")"
grep -q "GRANT PROCESS ON \*\.\*" <<< "$grants" && grep -qF "GRANT SELECT (\`id\`) ON \`weft_res_u\`.\`small\`" <<< "$grants" ||
  fail "weft_u2's grants on the target: $grants"
[ -z "$(as_root "$RESTARTED" -e "SELECT User FROM mysql.user WHERE User = 'weft_u3'")" ] || fail "weft_u3 was exported"
as_root "$RESTARTED" -e "DROP DATABASE weft_res_u"
out="$(admin -e "IMPORT FROM 'users' INTO '127.0.0.1:$RESTARTED' DATABASE $DB AS weft_res_u WITH USERS")" || fail "a second IMPORT WITH USERS: $out"
grep -qxF "users	0 created; already there, kept as they are: \`weft_u1\`@\`%\`, \`weft_u2\`@\`127.0.0.1\`" <<< "$out" ||
  fail "accounts already there: $out"
echo "PASS: WITH USERS: the accounts of the database and their grants copied (renamed), hashes only in the manifest"

pass
