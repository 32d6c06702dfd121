#!/usr/bin/env bash
# Pool timeouts: idle backend connections are closed after idle_timeout_ms (no floor here:
# min_idle_connections = 0; idle_pool.sh tests the floor) (and the next
# statement simply opens a new one); a backend that accepts but never greets is given up after
# connect_timeout_ms with weft's 9001 naming the timeout, and weft keeps serving.
source "$(dirname "$0")/lib.sh"
require_sandbox

WEFT_WORKERS=1 start_weft "" "[backend]
idle_timeout_ms = 500
min_idle_connections = 0"
[ "$(via_weft -e 'select 1')" = 1 ] || fail "first statement"
[ "$(app_connections)" -ge 1 ] || fail "no pooled connection after the first session"
sleep 2.5  # the sweep runs once a second
[ "$(app_connections)" = 0 ] || fail "idle connections were not closed after idle_timeout_ms: $(app_connections) open"
[ "$(via_weft -e 'select 2')" = 2 ] || fail "statement after the idle close"
kill -TERM "$WEFT_PID"; wait "$WEFT_PID" 2>/dev/null || true; WEFT_PID=""

# A "backend" that accepts connections and never sends a greeting.
silent_port="$(free_port)"
/usr/bin/python3 -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $silent_port)); s.listen(16)
held = []
while True:
    c, _ = s.accept(); held.append(c)
" &
SILENT_PID=$!
trap 'kill $SILENT_PID 2>/dev/null; cleanup_and_check' EXIT
sleep 0.3
WEFT_CONNECT_TIMEOUT_MS=700 start_weft "127.0.0.1:$silent_port"
start=$(date +%s%N)
out="$(via_weft -e 'select 1' 2>&1 || true)"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$out" | grep -q "^ERROR 9001 (HY000).*127.0.0.1:$silent_port.*timed out after 700 ms" ||
  fail "silent backend: got '$out'"
[ "$elapsed_ms" -ge 650 ] && [ "$elapsed_ms" -lt 3000 ] || fail "connect timeout took ${elapsed_ms} ms"
weft_alive || fail "weft died"
pass
