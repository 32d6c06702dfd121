# Shared helpers for integration tests: each test starts its own weft on a free port in front of
# the sandbox (scripts/sandbox start), and stops it by PID when it exits.
# Usage in a test:  source "$(dirname "$0")/lib.sh"; start_weft; ...; pass
set -euo pipefail
# The Debian packages the tests use (python3 with python3-pymysql) come first, ahead of any other
# python3 an account may put on the PATH.
export PATH="/usr/bin:/bin:$PATH"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WEFT_BIN="${WEFT_BIN:-$REPO/build/bin/weft}"
PRIMARY_PORT=23306
REPLICA1_PORT=23307
REPLICA2_PORT=23308
ROOT_PASSWORD=sandbox-root
APP_USER=app
APP_PASSWORD=app-secret
WEFT_PID=""
WORK="$(mktemp -d "${TMPDIR:-/tmp}/weft-it.XXXXXX")"

fail() { echo "FAIL: $*" >&2; [ -f "$WORK/weft.log" ] && { echo "--- weft log:" >&2; tail -n 40 "$WORK/weft.log" >&2; }; exit 1; }
pass() { echo "PASS: $(basename "$0")"; exit 0; }

# Stops the weft this test started (TERM, then KILL after 5 s) and checks its log.
stop_weft() {
  if [ -n "$WEFT_PID" ] && kill -0 "$WEFT_PID" 2>/dev/null; then
    kill -TERM "$WEFT_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$WEFT_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$WEFT_PID" 2>/dev/null || true
  fi
  # A sanitizer build (scripts/sanitize) reports into weft's log: any report fails the test.
  local report='ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer'
  if [ -f "$WORK/weft.log" ] && grep -qE "$report" "$WORK/weft.log"; then
    echo "FAIL: sanitizer report in weft's log:" >&2
    grep -E -A40 "$report" "$WORK/weft.log" | head -80 >&2
    SANITIZER_REPORT=1
  fi
}
cleanup() {
  stop_weft
  rm -rf "$WORK"
}
# For EXIT traps: cleanup, and fail the test on a sanitizer report.
cleanup_and_check() {
  cleanup
  [ -z "${SANITIZER_REPORT:-}" ] || exit 1
}
trap cleanup_and_check EXIT

# thaw_later "PID..." SECONDS: servers this test freezes (SIGSTOP) get their SIGCONT after
# SECONDS even when the test is killed first (a test timeout): the sender runs in its own
# session, outside the test's process group. Prints the sender's PID, for thaw_cancel once thawed.
thaw_later() {
  setsid bash -c "sleep $2; kill -CONT $1 2>/dev/null" </dev/null >/dev/null 2>&1 &
  echo $!
}
# thaw_cancel PID: ends that sender and its sleep (its own process group, led by PID).
thaw_cancel() { [ -z "$1" ] || kill -- "-$1" 2>/dev/null || true; }

# Fails loudly (never skips) when the sandbox is not up.
require_sandbox() {
  "$REPO/scripts/sandbox" status >/dev/null 2>&1 ||
    fail "the MariaDB sandbox is not running: start it with scripts/sandbox start"
  [ -x "$WEFT_BIN" ] || fail "weft binary not found at $WEFT_BIN (build first)"
}

# A free port below the kernel's ephemeral range (32768+), so that no outgoing connection can be
# given it as its local port between this choice and weft's bind; never the sandbox's 2330x, and
# never a port this test already chose for weft but has not bound yet.
free_port() {
  /usr/bin/python3 -c '
import random, socket, sys
taken = set(sys.argv[1:])
while True:
    p = random.randint(10000, 22999)
    if str(p) in taken:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    print(p)
    break' ${WEFT_PORT:-} ${ADMIN_PORT:-} ${HTTP_PORT:-}
}

# start_weft [PRIMARY_ADDRESS] [EXTRA_TOML] [TAIL_TOML]: writes a config, starts weft, waits for
# its port. EXTRA_TOML goes into [proxy]; TAIL_TOML at the end (sections of its own). With
# WEFT_REPLICAS=1 the sandbox's replicas join group "main" and the monitor checks every
# WEFT_MONITOR_MS (default 200) ms. WEFT_NO_USERS=1 leaves out the [[users]] entry of the
# application account (accounts then come from the primary: give a [monitor] in TAIL_TOML).
start_weft() {
  local primary="${1:-127.0.0.1:$PRIMARY_PORT}" extra="${2:-}" tail="${3:-}"
  WEFT_PORT="$(free_port)"
  cat > "$WORK/weft.toml" <<TOML
[proxy]
listen = "127.0.0.1:$WEFT_PORT"
workers = ${WEFT_WORKERS:-2}
connect_timeout_ms = ${WEFT_CONNECT_TIMEOUT_MS:-2000}
$extra

[log]
level = "debug"
$([ "${WEFT_NO_USERS:-0}" = 1 ] || printf '\n[[users]]\nname = "%s"\npassword = "%s"\n' "$APP_USER" "$APP_PASSWORD")

[[servers]]
address = "$primary"
group = "main"
role = "primary"
TOML
  if [ "${WEFT_REPLICAS:-0}" = 1 ]; then
    cat >> "$WORK/weft.toml" <<TOML

[[servers]]
address = "127.0.0.1:$REPLICA1_PORT"
group = "main"
role = "replica"

[[servers]]
address = "127.0.0.1:$REPLICA2_PORT"
group = "main"
role = "replica"

[monitor]
user = "monitor"
password = "monitor-secret"
interval_ms = ${WEFT_MONITOR_MS:-200}
timeout_ms = 1000
failures_to_shun = ${WEFT_FAILURES_TO_SHUN:-2}
TOML
  fi
  printf '\n%s\n' "$tail" >> "$WORK/weft.toml"
  "$WEFT_BIN" --config "$WORK/weft.toml" > "$WORK/weft.log" 2>&1 &
  WEFT_PID=$!
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$WEFT_PORT") 2>/dev/null; then return 0; fi
    kill -0 "$WEFT_PID" 2>/dev/null || fail "weft exited at start"
    sleep 0.05
  done
  fail "weft did not listen on $WEFT_PORT"
}

weft_alive() { kill -0 "$WEFT_PID" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$WEFT_PID/stat")" != Z ]; }

# Backend connections of the application user on the primary, not counting the one asking.
app_connections() {
  direct -e "select count(*) - 1 from information_schema.processlist where user = '$APP_USER'"
}

# Runs the mariadb CLI through weft (TCP, no TLS), extra args passed through.
via_weft() { mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl -N -B "$@"; }
# expect_error CODE SQL: through weft, the statement fails with CODE (its output is echoed).
expect_error() {
  local out; out="$(via_weft -e "$2" 2>&1)" && fail "no error for: $2 (got: $out)"
  grep -q "ERROR $1 " <<<"$out" || fail "expected error $1 for: $2; got: $out"
  echo "$out"
}
# The sandbox servers directly as root (to stop replication threads and the like).
as_root() { local port="$1"; shift; mariadb --protocol=TCP -h127.0.0.1 -P"$port" -uroot -p"$ROOT_PASSWORD" --skip-ssl -N -B "$@"; }
on() { local port="$1"; shift; as_root "$port" "$@"; }  # on PORT ARGS...: as_root

# Waits (up to $2 s, default 10) until `$1` (a shell condition) holds.
wait_for() {
  local deadline=$((SECONDS + ${2:-10}))
  until eval "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

direct() { mariadb --protocol=TCP -h127.0.0.1 -P"$PRIMARY_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl -N -B "$@"; }

# --- The admin port ([admin] in the config) ------------------------------------------------
# admin_toml prints [admin] (and [http]) sections on fresh ports for start_weft's TAIL_TOML;
# ADMIN_PORT and HTTP_PORT are chosen once per test, so a restarted weft keeps them.
ADMIN_PORT="$(free_port)"
HTTP_PORT="$(free_port)"
admin_toml() {
  cat <<TOML
[admin]
listen = "127.0.0.1:$ADMIN_PORT"
user = "admin"
password = "admin-secret"
backend_user = "root"
backend_password = "$ROOT_PASSWORD"
${ADMIN_EXTRA:-}

[http]
listen = "127.0.0.1:$HTTP_PORT"
TOML
}
admin() { mariadb --protocol=TCP -h127.0.0.1 -P"$ADMIN_PORT" -uadmin -padmin-secret --skip-ssl -N -B "$@"; }
admin_error() { admin "$@" 2>&1 && echo "(no error)"; true; }  # the error an admin statement gets
wait_admin() { wait_for "admin -e 'select 1' >/dev/null 2>&1" 10 || fail "admin port did not answer"; }
http_code() { curl -s -o "$WORK/http.body" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT$1"; }

# --- HA drills ---------------------------------------------------------------------------------
# weft in front of the sandbox with replicas, the admin port and [ha] (more [ha] keys, then other
# sections, in $1), waiting for the admin port.
start_weft_ha() {
  export WEFT_REPLICAS=1
  start_weft "" "" "$(admin_toml)

[ha]
replication_user = \"repl\"
replication_password = \"repl-secret\"
${1:-}"
  wait_admin
}
# A drill changes which server is the primary; reset_sandbox_at_exit makes the sandbox the usual
# primary + 2 replicas again (fresh data) when the test ends, whatever happened.
reset_sandbox_at_exit() {
  trap 'cleanup_ha' EXIT
}
cleanup_ha() {
  local rc=$?
  cleanup
  "$REPO/scripts/sandbox" reset > "${TMPDIR:-/tmp}/weft-sandbox-reset.log" 2>&1 ||
    { echo "sandbox reset failed:" >&2; cat "${TMPDIR:-/tmp}/weft-sandbox-reset.log" >&2; exit 1; }
  [ -z "${SANITIZER_REPORT:-}" ] || exit 1
  exit "$rc"
}
# SHOW SLAVE STATUS of a sandbox server, vertical, with the field names.
slave_status() { mariadb --protocol=TCP -h127.0.0.1 -P"$1" -uroot -p"$ROOT_PASSWORD" --skip-ssl --vertical -e 'SHOW SLAVE STATUS'; }
# The group's primary as weft routes it now.
weft_primary() { admin -e "SELECT address FROM servers WHERE group_name = 'main' AND role = 'primary'"; }

# --- The sharded layout (scripts/sandbox shards) -------------------------------------------------
# A global group (23320 primary, 23321 replica) replicating to shard1 (23322 + 23323) and shard2
# (23324 + 23325). start_sharded_layout makes or starts it (never a skip: it fails if it cannot);
# sharded_servers_toml prints every server but the global primary, which is start_weft's first
# argument, so the global group is weft's default group "main".
start_sharded_layout() {
  "$REPO/scripts/sandbox" shards > "$WORK/shards.log" 2>&1 ||
    { cat "$WORK/shards.log" >&2; fail "the sharded sandbox did not start"; }
}
# weft in front of the sharded layout: the global group "main" with read-your-writes, the shard
# groups with their own timeouts, and root (the tests' checks) without.
start_sharded_weft() {
  start_weft "127.0.0.1:23320" "" "$(admin_toml)
$(sharded_servers_toml)

[monitor]
user = \"monitor\"
password = \"monitor-secret\"
interval_ms = 200

[[groups]]
name = \"main\"
read_your_writes = true

[[groups]]
name = \"shard1\"
read_your_writes_timeout_ms = 2000

[[groups]]
name = \"shard2\"
read_your_writes_timeout_ms = 2000

[[users]]
name = \"root\"
password = \"$ROOT_PASSWORD\"
read_your_writes = false"
  wait_admin
}
sharded_servers_toml() {
  local p g r
  for p in 23321 23322 23323 23324 23325; do
    case $p in 23321) g=main ;; 23322 | 23323) g=shard1 ;; *) g=shard2 ;; esac
    case $p in 23322 | 23324) r=primary ;; *) r=replica ;; esac
    printf '\n[[servers]]\naddress = "127.0.0.1:%s"\ngroup = "%s"\nrole = "%s"\n' "$p" "$g" "$r"
  done
}
