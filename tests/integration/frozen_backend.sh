#!/usr/bin/env bash
# Defect 10 of issue 10: a frozen backend (SIGSTOP) never holds a statement in flight beyond a
# stated bound. Once the monitor shuns the server, statements waiting on it fail with 9013
# within the watchdog's second; [backend] read_timeout_ms bounds a backend that sends nothing.
# A session on another server is not disturbed. Part 3: a login that resets a pooled connection
# to a frozen server the monitor does not shun is bounded too (it hung in CI once).
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft "" "" "[backend]
read_timeout_ms = 6000"
PRIMARY_PID="$(cat "$REPO/.sandbox/$PRIMARY_PORT/mariadbd.pid")"
THAW_PID=""
trap 'kill -CONT "$PRIMARY_PID" 2>/dev/null; thaw_cancel "$THAW_PID"; cleanup_and_check' EXIT
via_weft -e "CREATE TABLE IF NOT EXISTS weft_test.frozen_t (id INT AUTO_INCREMENT PRIMARY KEY, v INT)"

# 1. read_timeout_ms: a statement whose backend sends nothing for 6 s fails with 9013.
started=$(date +%s%N)
out="$(via_weft -e '/* weft: route=primary */ SELECT SLEEP(9)' 2>&1 || true)"
took=$(( ($(date +%s%N) - started) / 1000000 ))
case "$out" in *"ERROR 9013"*"sent nothing"*) ;; *) fail "a silent backend: '$out' after $took ms" ;; esac
[ "$took" -ge 4900 ] && [ "$took" -lt 8000 ] || fail "a silent backend held the statement $took ms (read_timeout_ms 6000)"
echo "silent backend: 9013 after $took ms"

# 2. The primary frozen while an INSERT waits in a transaction (its connection already held):
# 9013 once the monitor shuns the server (2 failed checks of at most 1 s each, 200 ms apart),
# not when the server wakes up 10 s later.
THAW_PID="$(thaw_later "$PRIMARY_PID" 60)"
out="$(/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$PRIMARY_PID" <<'PY'
import os, signal, sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
c = Conn(int(sys.argv[1]), timeout=30); c.login(sys.argv[2], sys.argv[3])
c.query('BEGIN'); c.read_packet()
os.kill(int(sys.argv[5]), signal.SIGSTOP)
started = time.time()
c.query('INSERT INTO weft_test.frozen_t (v) VALUES (1)')
try:
    _, p = c.read_packet(); answer = parse_err(p) or p.hex()
except Exception as e:
    answer = repr(e)
print('%d %s' % ((time.time() - started) * 1000, answer))
PY
)"
took="${out%% *}"
# Reads go on through the replicas meanwhile.
read_port="$(timeout 20 mariadb --connect-timeout=10 --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" \
  -p"$APP_PASSWORD" --skip-ssl -N -B -e 'SELECT @@port' 2>&1 || true)"
sleep $(( (10000 - took) / 1000 ))
kill -CONT "$PRIMARY_PID"
case "$out" in *"9013"*SHUNNED*) ;; *) fail "an INSERT on a frozen primary: '$out' after $took ms" ;; esac
[ "$took" -lt 6000 ] || fail "the frozen primary held the INSERT $took ms"
case "$read_port" in "$REPLICA1_PORT"|"$REPLICA2_PORT") ;; *) fail "a read while the primary was frozen: $read_port" ;; esac
echo "frozen primary: '$out' after $took ms; reads went to $read_port"
grep -q "event=backend_wait_aborted" "$WORK/weft.log" || fail "no backend_wait_aborted in the log"
wait_for '[ "$(via_weft -e "INSERT INTO weft_test.frozen_t (v) VALUES (2); SELECT 1" 2>/dev/null)" = 1 ]' 15 ||
  fail "writes did not come back after SIGCONT"

# 3. A monitor that does not shun the frozen primary (failures_to_shun out of reach): a new
# client's login takes the primary's idle pooled connection, older than the login, and resets
# it (COM_RESET_CONNECTION; one worker: its pool). The reset's wait is bounded by read_timeout_ms like a statement's;
# the login then falls back to a replica and the read is answered there.
stop_weft
WEFT_WORKERS=1 WEFT_REPLICAS=1 WEFT_FAILURES_TO_SHUN=1000 WEFT_CONNECT_TIMEOUT_MS=1000 start_weft "" "" "[backend]
read_timeout_ms = 3000"
via_weft -e "INSERT INTO weft_test.frozen_t (v) VALUES (3)"  # leaves an idle primary connection
sleep 0.2
kill -STOP "$PRIMARY_PID"
started=$(date +%s%N)
read_port="$(timeout 30 mariadb --connect-timeout=25 --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" \
  -p"$APP_PASSWORD" --skip-ssl -N -B -e 'SELECT @@port' 2>&1 || true)"
took=$(( ($(date +%s%N) - started) / 1000000 ))
kill -CONT "$PRIMARY_PID"
case "$read_port" in "$REPLICA1_PORT"|"$REPLICA2_PORT") ;; *) fail "a login beside a frozen primary: '$read_port' after $took ms" ;; esac
[ "$took" -lt 9000 ] || fail "a login beside a frozen primary took $took ms (read_timeout 3 s, connect 1 s)"
grep -q 'event=backend_wait_aborted.*sent nothing' "$WORK/weft.log" || fail "no backend_wait_aborted for the reset in the log"
echo "a login beside a frozen (not shunned) primary: read on $read_port after $took ms"
pass
