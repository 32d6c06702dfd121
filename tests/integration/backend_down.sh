#!/usr/bin/env bash
# With the backend unreachable, clients get weft's own error 9001 naming the backend and the
# reason; weft keeps running and serves again as soon as the backend is back.
source "$(dirname "$0")/lib.sh"
require_sandbox

expect_9001() {  # $1 = what the reason must mention
  local out
  out="$(via_weft -e 'select 1' 2>&1 || true)"
  echo "$out" | grep -qE "^ERROR 9001 \(HY000\)( at line 1)?: weft: cannot connect to backend 127\.0\.0\.1:$2 \(primary of group 'main'\): $1" ||
    fail "expected error 9001 ($1), got: $out"
}

# 1. A port where nothing listens: connection refused, at once.
dead_port="$(free_port)"
start_weft "127.0.0.1:$dead_port"
start=$(date +%s%N)
expect_9001 "Connection refused" "$dead_port"
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed_ms" -lt 2000 ] || fail "refused connection took ${elapsed_ms} ms"
weft_alive || fail "weft died"
cleanup_weft() { kill -TERM "$WEFT_PID"; wait "$WEFT_PID" 2>/dev/null || true; WEFT_PID=""; }
cleanup_weft

# 2. The real primary, killed (-9) while weft runs, then restarted.
start_weft
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "primary not reachable at start"
via_weft -e 'select sleep(30)' > "$WORK/long.out" 2>&1 &
long_pid=$!
sleep 0.5
restart_primary() { "$REPO/scripts/sandbox" start > "$WORK/sandbox.out" 2>&1 || true; }
trap 'restart_primary; cleanup_and_check' EXIT
"$REPO/scripts/sandbox" kill 23306 > /dev/null
# A connection pooled less than a second ago is handed out without a liveness check (no syscall
# per statement on the hot path): the first statement may find it dead (9005, connection lost).
# It is dropped, and the next statement connects anew and gets 9001.
first="$(via_weft -e 'select 1' 2>&1 || true)"
grep -qE "^ERROR (9001|9005) " <<< "$first" || fail "first statement after the crash: $first"
# (a connection caught while the process dies is reset instead of refused)
expect_9001 "(Connection refused|connection lost during login)" 23306
# The session that was running a statement when the primary died gets an error, not a hang.
wait "$long_pid" && fail "the in-flight statement did not fail"
grep -qE "ERROR (9005|2013)" "$WORK/long.out" || fail "in-flight statement: $(cat "$WORK/long.out")"
weft_alive || fail "weft died after the primary was killed"

restart_primary
"$REPO/scripts/sandbox" status > /dev/null || fail "sandbox did not come back: $(cat "$WORK/sandbox.out")"
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "weft did not serve again after the primary returned"
pass
