#!/usr/bin/env bash
# Defect 10 of issue 10: a frozen backend (SIGSTOP) never holds a statement in flight beyond a
# stated bound. Once the monitor shuns the server, statements waiting on it fail with 9013
# within the watchdog's second; [backend] read_timeout_ms bounds a backend that sends nothing.
# A session on another server is not disturbed.
source "$(dirname "$0")/lib.sh"
require_sandbox
WEFT_REPLICAS=1 start_weft "" "" "[backend]
read_timeout_ms = 6000"
PRIMARY_PID="$(cat "$REPO/.sandbox/$PRIMARY_PORT/mariadbd.pid")"
trap 'kill -CONT "$PRIMARY_PID" 2>/dev/null; cleanup_and_check' EXIT
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
read_port="$(via_weft -e 'SELECT @@port' 2>&1 || true)"
sleep $(( (10000 - took) / 1000 ))
kill -CONT "$PRIMARY_PID"
case "$out" in *"9013"*SHUNNED*) ;; *) fail "an INSERT on a frozen primary: '$out' after $took ms" ;; esac
[ "$took" -lt 6000 ] || fail "the frozen primary held the INSERT $took ms"
case "$read_port" in "$REPLICA1_PORT"|"$REPLICA2_PORT") ;; *) fail "a read while the primary was frozen: $read_port" ;; esac
echo "frozen primary: '$out' after $took ms; reads went to $read_port"
grep -q "event=backend_wait_aborted" "$WORK/weft.log" || fail "no backend_wait_aborted in the log"
wait_for '[ "$(via_weft -e "INSERT INTO weft_test.frozen_t (v) VALUES (2); SELECT 1" 2>/dev/null)" = 1 ]' 15 ||
  fail "writes did not come back after SIGCONT"
pass
