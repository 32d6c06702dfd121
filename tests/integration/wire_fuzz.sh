#!/usr/bin/env bash
# A wire fuzzer against a live weft (tests/integration/wire_fuzz.py): mutated handshake responses
# before login and mutated commands after it (COM_QUERY, COM_STMT_*, COM_CHANGE_USER, frames with
# wrong lengths and sequence ids, 16 MiB packets) from a few connections at once, while a
# bystander session checks every answer it gets is its own. Every mutated connection gets an
# answer or a clean disconnect within a bound, never a hang; weft stays alive.
#   WIRE_FUZZ_SEED=N        repeat a run (the seed is printed)
#   WIRE_FUZZ_SECONDS=40    how long to fuzz; WIRE_FUZZ_CONNECTIONS=5000 at most
#   WIRE_FUZZ_WORKERS=3     fuzzing connections at a time
#   WIRE_FUZZ_CASE=S:W:N    replay one connection's case, printing what it sends
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft "" "max_login_failures = 0  # mutated logins fail by the thousand: no host blocking here (login_throttle.sh tests it)"

rc=0
/usr/bin/python3 "$REPO/tests/integration/wire_fuzz.py" "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" || rc=$?

weft_alive || fail "weft died during the wire fuzz (seed above)"
[ "$(via_weft -e 'select 42')" = 42 ] || fail "a new session after the fuzz did not work"
# weft's log must hold no sign of a crash or of a bug caught by an assertion.
if grep -a -n -E 'terminate called|Assertion|AddressSanitizer|runtime error:|Segmentation' "$WORK/weft.log" | head -n 5 >&2; then
  fail "weft's log shows a crash or an assertion"
fi
[ "$rc" -eq 0 ] || fail "the wire fuzz broke a rule (failures listed above; seed printed at the top)"
pass
