#!/usr/bin/env bash
# With few descriptors (weft run under prlimit --nofile=256:256), a flood of idle admin sockets
# must not starve the proxy port: [admin] max_connections refuses the excess at once (1040) and
# proxy logins stay prompt. When the admin limit is set above the descriptors, accepting fails
# (EMFILE): weft backs off instead of spinning, logs once per burst, and the handshake timeout
# gives the descriptors back so logins recover within seconds (they used to hang 45 s).
source "$(dirname "$0")/lib.sh"
require_sandbox
REAL_WEFT="$WEFT_BIN"
WEFT_BIN="$WORK/weft-256-fds"
printf '#!/bin/sh\nexec prlimit --nofile=256:256 "%s" "$@"\n' "$REAL_WEFT" > "$WEFT_BIN"
chmod +x "$WEFT_BIN"

# flood N: N connections to the admin port, held open (never read) until the process is killed.
flood() {
  /usr/bin/python3 -c '
import socket, sys, time
held = []
for _ in range(int(sys.argv[2])):
    try:
        held.append(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2))
    except OSError:
        pass
print(len(held), flush=True)
time.sleep(60)' "$ADMIN_PORT" "$1" > "$WORK/flood.out" &
  FLOOD_PID=$!
  wait_for "[ -s '$WORK/flood.out' ]" 15 || fail "the flood did not connect"
}
stop_flood() { kill "$FLOOD_PID" 2>/dev/null || true; wait "$FLOOD_PID" 2>/dev/null || true; }
stop_weft() {
  kill -TERM "$WEFT_PID"
  wait_for "! kill -0 $WEFT_PID 2>/dev/null" 15 || fail "weft did not stop"
  WEFT_PID=""
}
# Five logins in a row, each within $1 seconds.
prompt_logins() {
  for i in 1 2 3 4 5; do
    out="$(timeout "$1" mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -p"$APP_PASSWORD" \
      --skip-ssl -N -B -e 'select @@port' 2>&1)" || return 1
    [ "$out" = 23306 ] || return 1
  done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$WEFT_PID/stat"; }

# 1. The default [admin] max_connections (32) keeps a flood of 400 from taking the descriptors.
start_weft "" "" "$(admin_toml)"
wait_admin
flood 400
prompt_logins 3 || fail "a proxy login took over 3 s (or failed) with 400 idle admin sockets: ${out:-}"
grep -q 'event=fd_limit soft=256 hard=256' "$WORK/weft.log" || fail "no fd_limit line: $(grep fd_limit "$WORK/weft.log")"
grep -q 'event=fd_limit_low soft=256' "$WORK/weft.log" || fail "no warning that 256 descriptors are too few"
weft_alive || fail "weft died"
stop_flood
stop_weft

# 2. An admin limit above the descriptors: accept() fails with EMFILE until the timeout frees them.
start_weft "" "handshake_timeout_ms = 2000" "$(admin_toml | sed '/^\[admin\]/a max_connections = 1000')"
wait_admin
flood 400
sleep 0.3
before=$(cpu_ticks)
sleep 2
spent=$(( $(cpu_ticks) - before ))
[ "$spent" -lt 50 ] || fail "weft spun on failing accepts: $spent ticks of CPU in 2 s"
grep -q 'event=accept_failed port=admin' "$WORK/weft.log" || fail "the test did not exhaust the descriptors"
started=$SECONDS
wait_for "prompt_logins 3" 15 || fail "proxy logins did not recover within 15 s"
[ $((SECONDS - started)) -le 8 ] || fail "proxy logins took $((SECONDS - started)) s to recover"
n=$(grep -c 'event=accept_failed' "$WORK/weft.log" || true)
echo "phase 2: cpu ticks in 2 s=$spent, recovered after $((SECONDS - started)) s, accept_failed lines=$n, flood held $(cat "$WORK/flood.out")"
[ "$n" -le 12 ] || fail "accept failures logged $n times (one line per burst expected)"
weft_alive || fail "weft died"
stop_flood
pass
