#!/usr/bin/env bash
# Fault drill (issue 10): a half-open backend. weft runs in a network namespace of this test and
# reaches the primary over a veth link and a relay; the link is then cut silently (the root side
# goes down: weft's packets vanish, nothing answers, no RST). A statement in flight fails once
# TCP_USER_TIMEOUT ([backend] tcp_user_timeout_ms = 3000) gives up on the unacknowledged send,
# not minutes later; weft stays up and serves again when the link comes back.
source "$(dirname "$0")/lib.sh"
require_sandbox
[ "$(id -u)" = 0 ] || fail "this drill needs root to create a network namespace (ip netns)"
NS="weftbh$$"; HOST_IF="wbh$$a"; NS_IF="wbh$$b"
NET="10.253.$(( $$ % 250 ))"
RELAY_PORT="$(free_port)"; WEFT_PORT="$(free_port)"
teardown() {
  if [ -n "${RELAY_PID:-}" ]; then kill "$RELAY_PID" 2>/dev/null || true; fi
  cleanup
  ip link del "$HOST_IF" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
}
trap 'teardown; [ -z "${SANITIZER_REPORT:-}" ] || exit 1' EXIT
ip netns add "$NS" || fail "cannot create a network namespace"
ip link add "$HOST_IF" type veth peer name "$NS_IF" || fail "cannot create a veth pair"
ip link set "$NS_IF" netns "$NS"
ip addr add "$NET.1/30" dev "$HOST_IF"; ip link set "$HOST_IF" up
ip netns exec "$NS" ip addr add "$NET.2/30" dev "$NS_IF"
ip netns exec "$NS" ip link set "$NS_IF" up
ip netns exec "$NS" ip link set lo up
/usr/bin/python3 "$REPO/tests/integration/tcp_relay.py" "$NET.1" "$RELAY_PORT" "$PRIMARY_PORT" > "$WORK/relay.log" 2>&1 &
RELAY_PID=$!

cat > "$WORK/weft.toml" <<TOML
[proxy]
listen = "127.0.0.1:$WEFT_PORT"
workers = 1
[backend]
tcp_user_timeout_ms = 3000
[log]
level = "debug"
[[users]]
name = "$APP_USER"
password = "$APP_PASSWORD"
[[servers]]
address = "$NET.1:$RELAY_PORT"
group = "main"
role = "primary"
TOML
ip netns exec "$NS" "$WEFT_BIN" --config "$WORK/weft.toml" > "$WORK/weft.log" 2>&1 &
WEFT_PID=$!
in_ns() { ip netns exec "$NS" "$@"; }
wait_for "in_ns bash -c 'exec 3<>/dev/tcp/127.0.0.1/$WEFT_PORT' 2>/dev/null" 10 || fail "weft did not listen in the namespace"

in_ns /usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$WORK/ready" <<'PY' > "$WORK/client.out" 2>&1 &
import sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, parse_err
c = Conn(int(sys.argv[1]), timeout=60); c.login(sys.argv[2], sys.argv[3])
assert c.scalar('SELECT 1') == '1'
c.query('BEGIN'); c.read_packet()  # the transaction holds this backend connection
open(sys.argv[5], 'w').close()
time.sleep(1.0)                     # the test cuts the link now
started = time.time()
c.query('SELECT 2')
try:
    _, p = c.read_packet(); answer = parse_err(p) or p.hex()
except Exception as e:
    answer = repr(e)
print('%d %s' % ((time.time() - started) * 1000, answer))
PY
CLIENT_PID=$!
wait_for "[ -e '$WORK/ready' ]" 10 || fail "the client did not start: $(cat "$WORK/client.out")"
ip link set "$HOST_IF" down
wait "$CLIENT_PID" || fail "the client failed: $(cat "$WORK/client.out")"
out="$(cat "$WORK/client.out")"; took="${out%% *}"
echo "half-open backend: $out"
case "$out" in *9005*) ;; *) fail "a statement on a blackholed backend answered: $out" ;; esac
[ "$took" -lt 8000 ] || fail "the blackholed backend held the statement $took ms (tcp_user_timeout_ms 3000)"
weft_alive || fail "weft died"
ip link set "$HOST_IF" up
wait_for "[ \"\$(in_ns mariadb --protocol=TCP -h127.0.0.1 -P$WEFT_PORT -u$APP_USER -p$APP_PASSWORD --skip-ssl -N -B -e 'select 7' 2>/dev/null)\" = 7 ]" 15 ||
  fail "weft did not serve again once the link was back"
pass
