#!/usr/bin/env bash
# Defect 3 of issue 10: with the primary down (failover off), reads and new logins go on through
# the replicas, which have applied everything the primary was last seen with; writes get a clear
# weft error. The replicas' IO threads reconnect (Seconds_Behind_Master NULL) the whole time.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft
restart_primary() {
  "$REPO/scripts/sandbox" start-server "$PRIMARY_PORT" > /dev/null
  for port in "$REPLICA1_PORT" "$REPLICA2_PORT"; do
    wait_for "slave_status $port | grep -q 'Slave_IO_Running: Yes'" 20 || echo "replica $port did not reconnect" >&2
  done
}
trap 'restart_primary; cleanup_and_check' EXIT
wait_for '[ "$(via_weft -e "select @@port")" != "$PRIMARY_PORT" ]' 10 || fail "no read ever reached a replica"
via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.down_t (id INT PRIMARY KEY); REPLACE INTO weft_test.down_t VALUES (1)"
sleep 0.5  # the monitor sees the primary's position with that write

"$REPO/scripts/sandbox" kill "$PRIMARY_PORT" > /dev/null
killed_at=$SECONDS
reads=0; read_errors=0; logins=0
while [ $((SECONDS - killed_at)) -lt 6 ]; do
  # Each round is a new login (the CLI connects anew) and a read.
  if out="$(via_weft -e 'select @@port, count(*) from weft_test.down_t' 2>&1)"; then
    case "$out" in "$REPLICA1_PORT	1"|"$REPLICA2_PORT	1") ;; *) fail "a read answered '$out'" ;; esac
  else
    read_errors=$((read_errors + 1)); echo "read failed: $out" >&2
  fi
  reads=$((reads + 1))
done
echo "primary down: $reads logins+reads, $read_errors failed"
[ "$read_errors" = 0 ] || fail "$read_errors of $reads logins+reads failed while both replicas were current"
[ "$reads" -ge 20 ] || fail "only $reads rounds in 6 s"
err="$(via_weft -e 'INSERT INTO weft_test.down_t VALUES (2)' 2>&1 || true)"
case "$err" in *"ERROR 9001"*|*"ERROR 9003"*) ;; *) fail "a write with the primary down answered: $err" ;; esac
pass
