#!/usr/bin/env bash
# weft's command line: --version, --help, --check-config with line-numbered errors, a clear
# failure when the port is taken, and a clean exit on SIGTERM with sessions open.
source "$(dirname "$0")/lib.sh"
require_sandbox

"$WEFT_BIN" --version | grep -qE '^weft [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$WEFT_BIN" --help | grep -q -- "--check-config" || fail "--help"
"$WEFT_BIN" > /dev/null 2>&1 && fail "no arguments must fail"
"$WEFT_BIN" --bogus > /dev/null 2>&1 && fail "unknown argument must fail"

"$WEFT_BIN" --check-config "$REPO/examples/sandbox.toml" | grep -q ": OK" || fail "example config rejected"

cat > "$WORK/bad.toml" <<'TOML'
[proxy]
listen = "127.0.0.1:6033"
worker = 2

[[users]]
name = "app"
password_hash = "*nothex"

[[servers]]
address = "127.0.0.1"
group = "main"
role = "primary"
TOML
out="$("$WEFT_BIN" --check-config "$WORK/bad.toml" 2>&1)" && fail "bad config accepted"
echo "$out" | grep -q "bad.toml:3:1: unknown key 'worker'" || fail "unknown key not reported with line: $out"
echo "$out" | grep -q "bad.toml:7:17: user 'app': password_hash" || fail "bad hash not reported: $out"
echo "$out" | grep -q "bad.toml:10:11: 'address' must be" || fail "bad address not reported: $out"
echo "$out" | grep -q "3 error(s)" || fail "error count: $out"
"$WEFT_BIN" --config "$WORK/bad.toml" > /dev/null 2>&1 && fail "weft started with a bad config"

# SIGTERM drains: a statement in flight finishes and its client gets the result; one that
# outlasts drain_timeout_ms is cut off, and weft exits 0 promptly after that timeout.
start_weft "" "drain_timeout_ms = 1000"
via_weft -e "select sleep(0.6), 'drained'" > "$WORK/drained.out" 2>&1 &
short_pid=$!
via_weft -e 'select sleep(20)' > /dev/null 2>&1 &
client_pid=$!
sleep 0.3
start=$(date +%s%N)
kill -TERM "$WEFT_PID"
wait "$WEFT_PID"; code=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$code" = 0 ] || fail "weft exit code on SIGTERM: $code"
[ "$elapsed_ms" -lt 3000 ] || fail "weft took ${elapsed_ms} ms to stop (drain_timeout_ms = 1000)"
[ "$elapsed_ms" -ge 900 ] || fail "weft stopped after ${elapsed_ms} ms, before the drain timeout, with a statement running"
grep -q "event=stopped" "$WORK/weft.log" || fail "no stop event in the log"
WEFT_PID=""
wait "$short_pid" || fail "the statement in flight at SIGTERM failed: $(cat "$WORK/drained.out")"
grep -q drained "$WORK/drained.out" || fail "the statement in flight lost its result: $(cat "$WORK/drained.out")"
wait "$client_pid" 2>/dev/null || true

# Two instances on one port: the second fails with a clear message, the first keeps serving.
start_weft
first_pid=$WEFT_PID
out="$("$WEFT_BIN" --config "$WORK/weft.toml" 2>&1)" && fail "second instance on the same port started"
# SO_REUSEPORT lets the same user bind twice, so the check above must come from weft itself.
echo "$out" | grep -q "event=listen_failed" || fail "no clear listen error: $out"
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "first instance disturbed"
kill -0 "$first_pid" || fail "first instance died"

# Passwords never appear in the log, even at debug level.
grep -q "$APP_PASSWORD" "$WORK/weft.log" && fail "password found in log"
pass
