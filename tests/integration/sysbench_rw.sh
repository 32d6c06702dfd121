#!/usr/bin/env bash
# sysbench oltp_read_write through weft: 10 s with prepared statements (--db-ps-mode default, auto)
# and 3 s with COM_QUERY (--db-ps-mode=disable), 4 threads, in a database of its own (sbtest_it,
# recreated directly on the primary). Proves: no errors, ignored errors or reconnects; the writes
# were committed; and every table reads the same through weft as directly (count, sum(k) and an
# md5 of the full ordered contents).
source "$(dirname "$0")/lib.sh"

DB="${SYSBENCH_IT_DB:-sbtest_it}"
TABLES=4
TABLE_SIZE=10000
THREADS=4
# sysbench's default --rand-type=special sends most statements to ~1% of the rows: real InnoDB
# deadlocks then show up as "ignored errors" once in a few runs whatever the proxy. Uniform ids make
# them vanishingly rare, so any ignored error counts as a failure.

require_sandbox
start_weft

# limit SECS via_weft|direct ARGS...: the lib.sh function under GNU timeout (which kills its whole
# process group), so a hung proxy fails the test instead of stalling it.
export -f via_weft direct
export WEFT_PORT PRIMARY_PORT APP_USER APP_PASSWORD
limit() { local secs="$1"; shift; timeout --kill-after=5 "$secs" bash -c '"$@"' limit "$@"; }

sb() { # sb PORT WORKLOAD COMMAND [sysbench options...]
  local port="$1" workload="$2" command="$3"
  shift 3
  timeout --kill-after=5 "${SB_TIMEOUT:-90}" sysbench "$workload" --mysql-host=127.0.0.1 \
    --mysql-port="$port" --mysql-user="$APP_USER" --mysql-password="$APP_PASSWORD" \
    --mysql-db="$DB" --tables="$TABLES" --table-size="$TABLE_SIZE" --mysql-ssl=off \
    --rand-type=uniform "$@" "$command"
}

# The value of a sysbench summary line ("    reconnects:   0   (0.00 per sec.)") or "" if absent.
sb_field() { sed -n -E "s/^[[:space:]]*$2:[[:space:]]+([0-9]+).*/\1/p" "$1" | head -n1; }

# check_run LOG EXIT_CODE NAME: fails unless sysbench ran clean and did real reads and writes.
check_run() {
  local log="$1" rc="$2" name="$3" tx writes reads ign rec
  sed -n -E '/^SQL statistics/,/^Latency/p' "$log" | sed '$d'
  [ "$rc" -eq 0 ] || { tail -n 20 "$log" >&2; fail "$name: sysbench exited with $rc"; }
  if grep -q -E 'FATAL|ALERT' "$log"; then
    grep -E 'FATAL|ALERT' "$log" | head -n 5 >&2
    fail "$name: sysbench reported fatal errors"
  fi
  tx="$(sb_field "$log" transactions)"; writes="$(sb_field "$log" write)"
  reads="$(sb_field "$log" read)"; ign="$(sb_field "$log" 'ignored errors')"
  rec="$(sb_field "$log" reconnects)"
  [ -n "$tx" ] && [ -n "$ign" ] && [ -n "$rec" ] && [ -n "$writes" ] ||
    { cat "$log" >&2; fail "$name: cannot parse sysbench's summary"; }
  [ "$tx" -gt 0 ] || fail "$name: 0 transactions"
  [ "$reads" -gt 0 ] && [ "$writes" -gt 0 ] || fail "$name: reads=$reads writes=$writes"
  [ "$ign" -eq 0 ] || fail "$name: $ign ignored errors (deadlocks/lock waits: 1213, 1020, 1205)"
  [ "$rec" -eq 0 ] || fail "$name: $rec reconnects"
  # sysbench 1.0.20 has no plain "errors:" line (errors not ignored are FATAL); newer ones do.
  local err
  err="$(sed -n -E 's/^[[:space:]]*errors:[[:space:]]+([0-9]+).*/\1/p' "$log" | head -n1)"
  [ -z "$err" ] || [ "$err" -eq 0 ] || fail "$name: $err errors"
  weft_alive || fail "$name: weft is not running after the run"
}

# One line per table: "sbtestN COUNT SUM(k) MD5-of-ordered-rows", read through $1 (via_weft|direct).
table_state() {
  local via="$1" i stats sum
  for i in $(seq "$TABLES"); do
    stats="$(limit 60 "$via" -e "SELECT COUNT(*), SUM(k) FROM $DB.sbtest$i")" ||
      fail "$via: SELECT COUNT(*), SUM(k) FROM sbtest$i failed"
    sum="$(limit 60 "$via" -e "SELECT id, k, c, pad FROM $DB.sbtest$i ORDER BY id" | md5sum)" ||
      fail "$via: reading $DB.sbtest$i failed"
    [ "$(awk '{print $1}' <<<"$sum")" != d41d8cd98f00b204e9800998ecf8427e ] ||
      fail "$via: $DB.sbtest$i read back empty"
    printf 'sbtest%s %s %s\n' "$i" "$(tr '\t' ' ' <<<"$stats")" "${sum%% *}"
  done
}

# compare_with_direct NAME: weft and direct see identical tables, each still TABLE_SIZE rows
# (oltp_read_write deletes and re-inserts the same ids).
compare_with_direct() {
  local name="$1" via direct_state
  via="$(table_state via_weft)" || fail "$name: reading the tables through weft failed"
  direct_state="$(table_state direct)" || fail "$name: reading the tables directly failed"
  echo "$via" | sed 's/^/  weft:   /'
  [ "$via" = "$direct_state" ] ||
    fail "$name: tables differ through weft and direct:"$'\n'"weft:"$'\n'"$via"$'\n'"direct:"$'\n'"$direct_state"
  awk -v n="$TABLE_SIZE" '$2 != n { bad = bad " " $1 "=" $2 } END { if (bad) { print bad; exit 1 } }' \
    <<<"$via" >/dev/null || fail "$name: row counts are not $TABLE_SIZE: $(awk '{print $1 "=" $2}' <<<"$via" | xargs)"
  LAST_STATE="$via"
}

stmt_executes() { direct -e "SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'" | awk '{print $2}'; }

echo "== preparing $DB ($TABLES x $TABLE_SIZE rows) directly on the primary"
direct -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB" || fail "cannot create database $DB"
sb "$PRIMARY_PORT" oltp_read_write prepare --threads=1 > "$WORK/prepare.log" 2>&1 ||
  { tail -n 20 "$WORK/prepare.log" >&2; fail "sysbench prepare (direct) failed"; }
compare_with_direct "before any run"
BEFORE="$LAST_STATE"

echo "== oltp_read_write through weft: 10 s, $THREADS threads, --db-ps-mode default (auto)"
EXEC0="$(stmt_executes)"
rc=0
sb "$WEFT_PORT" oltp_read_write run --threads="$THREADS" --time=10 --report-interval=0 \
  > "$WORK/rw-ps.log" 2>&1 || rc=$?
check_run "$WORK/rw-ps.log" "$rc" "oltp_read_write (prepared statements)"
EXEC1="$(stmt_executes)"
queries="$(sb_field "$WORK/rw-ps.log" queries)"
# ps-mode auto sends every statement (BEGIN and COMMIT included) as COM_STMT_EXECUTE.
[ $((EXEC1 - EXEC0)) -ge "$queries" ] ||
  fail "the server counted $((EXEC1 - EXEC0)) COM_STMT_EXECUTE for $queries sysbench queries: the run did not use prepared statements"
compare_with_direct "after the prepared-statement run"
[ "$LAST_STATE" != "$BEFORE" ] || fail "no table changed after the prepared-statement run: its writes were not committed"
AFTER_PS="$LAST_STATE"

echo "== oltp_read_write through weft: 3 s, $THREADS threads, --db-ps-mode=disable (COM_QUERY)"
rc=0
sb "$WEFT_PORT" oltp_read_write run --threads="$THREADS" --time=3 --report-interval=0 \
  --db-ps-mode=disable > "$WORK/rw-text.log" 2>&1 || rc=$?
check_run "$WORK/rw-text.log" "$rc" "oltp_read_write (--db-ps-mode=disable)"
compare_with_direct "after the COM_QUERY run"
[ "$LAST_STATE" != "$AFTER_PS" ] || fail "no table changed after the COM_QUERY run: its writes were not committed"

direct -e "DROP DATABASE IF EXISTS $DB" || true
pass
