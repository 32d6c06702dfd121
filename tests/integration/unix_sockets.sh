#!/usr/bin/env bash
# Unix-domain sockets (issue 17, item 5): weft listens on `listen = "unix:/path"` for applications
# on the same host and reaches a local backend by its socket path (`address = "unix:/path"`).
# Through both, statements answer as a direct connection does; the monitor and the admin port see
# the server; the socket file is mode 0777 like mariadbd's, is removed at a clean stop, is replaced
# when a killed weft left it behind, and is never taken from a live weft or when the path is not a
# socket.
source "$(dirname "$0")/lib.sh"
require_sandbox

SOCK="$WORK/weft.sock"
PRIMARY_SOCK="$(as_root "$PRIMARY_PORT" -e 'select @@socket')"
[ -S "$PRIMARY_SOCK" ] || fail "the sandbox primary's socket $PRIMARY_SOCK is not a socket"

# write_config LISTEN [SERVERS]: weft with the admin port; SERVERS (TOML sections) default to the
# primary by its socket path, checked by the monitor.
write_config() {
  cat > "$WORK/weft.toml" <<TOML
[proxy]
listen = "$1"
workers = 2

[log]
level = "debug"

[[users]]
name = "$APP_USER"
password = "$APP_PASSWORD"

${2:-$(primary_on_socket_toml)}

$(admin_toml)
TOML
}
primary_on_socket_toml() {
  cat <<TOML
[[servers]]
address = "unix:$PRIMARY_SOCK"
group = "main"
role = "primary"

[monitor]
user = "monitor"
password = "monitor-secret"
interval_ms = 200
TOML
}
start_on_socket() {
  "$WEFT_BIN" --config "$WORK/weft.toml" > "$WORK/weft.log" 2>&1 &
  WEFT_PID=$!
  wait_for "[ -S '$SOCK' ] && via_socket -e 'select 1' >/dev/null 2>&1" 10 || fail "weft did not answer on $SOCK"
}
via_socket() { mariadb --socket="$SOCK" -u"$APP_USER" -p"$APP_PASSWORD" -N -B "$@"; }

# --- Clients on weft's socket, weft on the primary's socket --------------------------------------
write_config "unix:$SOCK"
start_on_socket
[ "$(stat -c %A "$SOCK")" = srwxrwxrwx ] || fail "socket mode is $(stat -c %A "$SOCK"), not srwxrwxrwx"
for i in $(seq 20); do  # both workers accept on the one socket
  got="$(via_socket -e 'select @@port, user()')"
  [ "$got" = "$(printf '23306\tapp@localhost')" ] || fail "session $i answered '$got'"
done
grep -q 'event=session_open .*client=localhost .*backend=unix:' "$WORK/weft.log" ||
  fail "the log does not name the local client and the socket backend"

via_socket -e "CREATE DATABASE IF NOT EXISTS unix_it; CREATE OR REPLACE TABLE unix_it.t (id INT PRIMARY KEY, v VARCHAR(20));
  INSERT INTO unix_it.t VALUES (1, 'one'), (2, 'two'), (3, NULL)"
through="$(via_socket -e 'SELECT * FROM unix_it.t ORDER BY id; SELECT COUNT(*), SUM(id) FROM unix_it.t')"
straight="$(direct -e 'SELECT * FROM unix_it.t ORDER BY id; SELECT COUNT(*), SUM(id) FROM unix_it.t')"
[ "$through" = "$straight" ] || fail "answers differ: through weft '$through', direct '$straight'"

wait_admin
[ "$(admin -e "SELECT address FROM servers")" = "unix:$PRIMARY_SOCK" ] || fail "servers: $(admin -e 'SELECT * FROM servers')"
wait_for "[ \"\$(admin -e \"SELECT status FROM stats_servers\")\" = ONLINE ]" 5 ||
  fail "the monitor does not see the server on its socket: $(admin -e 'SELECT * FROM stats_servers')"

# A server on its socket path can be added, but never made a replication source (replicas connect
# over TCP); the replica named is left as it was.
REPLICA1_SOCK="$(as_root "$REPLICA1_PORT" -e 'select @@socket')"
admin -e "CREATE GROUP spare; ADD SERVER 'unix:$REPLICA1_SOCK' TO GROUP spare"
[ "$(admin -e "SELECT address FROM servers WHERE group_name = 'spare'")" = "unix:$REPLICA1_SOCK" ] ||
  fail "ADD SERVER by socket path: $(admin -e 'SELECT * FROM servers')"
before="$(slave_status "$REPLICA2_PORT" | grep -E 'Slave_(IO|SQL)_Running:')"
err="$(admin_error -e "REPLICATE '127.0.0.1:$REPLICA2_PORT' FROM 'unix:$PRIMARY_SOCK' USER 'repl' PASSWORD 'repl-secret'")"
echo "$err" | grep -q 'cannot be a replication source' || fail "REPLICATE from a socket path: $err"
[ "$(slave_status "$REPLICA2_PORT" | grep -E 'Slave_(IO|SQL)_Running:')" = "$before" ] ||
  fail "the refused REPLICATE changed the replica"

# --- A second weft on the same path is refused; the first keeps serving --------------------------
out="$("$WEFT_BIN" --config "$WORK/weft.toml" 2>&1)" && fail "a second weft took the live socket"
echo "$out" | grep -q 'event=listen_failed .*another process is listening' || fail "no clear listen error: $out"
[ "$(via_socket -e 'select 1')" = 1 ] || fail "the first weft was disturbed"

# --- A clean stop removes the file; a killed weft's file is replaced ----------------------------
stop_weft
[ ! -e "$SOCK" ] || fail "the socket file is left after a clean stop"
start_on_socket
kill -KILL "$WEFT_PID"; wait "$WEFT_PID" 2>/dev/null || true
[ -S "$SOCK" ] || fail "expected the killed weft's socket file to remain"
start_on_socket
[ "$(via_socket -e 'select @@port')" = 23306 ] || fail "weft did not start again over a stale socket file"
stop_weft

# --- A path that is not a socket is never touched -------------------------------------------------
echo "keep me" > "$SOCK"
out="$("$WEFT_BIN" --config "$WORK/weft.toml" 2>&1)" && fail "weft started over a regular file"
echo "$out" | grep -q 'is not a socket' || fail "no clear error for a regular file: $out"
[ "$(cat "$SOCK")" = "keep me" ] || fail "the regular file was changed"
rm -f "$SOCK"

# --- TCP clients, socket backend; a relative socket path is a config error ------------------------
WEFT_PORT="$(free_port)"
write_config "127.0.0.1:$WEFT_PORT"
"$WEFT_BIN" --config "$WORK/weft.toml" > "$WORK/weft.log" 2>&1 &
WEFT_PID=$!
wait_for "via_weft -e 'select 1' >/dev/null 2>&1" 10 || fail "weft on TCP did not answer"
[ "$(via_weft -e 'select user()')" = app@localhost ] || fail "TCP client did not reach the primary by its socket"
stop_weft
# A replica named by its socket path is never promoted (the others could not replicate from it):
# PROMOTE refuses it before changing anything. (Its own state file: the admin's state of the runs
# above would otherwise be loaded instead of this config's servers.)
WEFT_PORT="$(free_port)"
ADMIN_EXTRA="state_file = \"$WORK/promote.state\"" write_config "127.0.0.1:$WEFT_PORT" "[[servers]]
address = \"127.0.0.1:$PRIMARY_PORT\"
group = \"main\"
role = \"primary\"

[[servers]]
address = \"unix:$REPLICA1_SOCK\"
group = \"main\"
role = \"replica\"

[ha]
replication_user = \"repl\"
replication_password = \"repl-secret\""
"$WEFT_BIN" --config "$WORK/weft.toml" > "$WORK/weft.log" 2>&1 &
WEFT_PID=$!
wait_admin
before="$(slave_status "$REPLICA1_PORT" | grep -E 'Slave_(IO|SQL)_Running:|Master_Port:')"
err="$(admin_error -e "PROMOTE GROUP main TO 'unix:$REPLICA1_SOCK'")"
echo "$err" | grep -q 'cannot be a replication source' || fail "PROMOTE to a socket-path replica: $err"
[ "$(weft_primary)" = "127.0.0.1:$PRIMARY_PORT" ] || fail "the primary changed: $(weft_primary)"
[ "$(slave_status "$REPLICA1_PORT" | grep -E 'Slave_(IO|SQL)_Running:|Master_Port:')" = "$before" ] ||
  fail "the refused PROMOTE changed the replica"
stop_weft

write_config "unix:relative/weft.sock"
out="$("$WEFT_BIN" --check-config "$WORK/weft.toml" 2>&1)" && fail "a relative socket path was accepted"
echo "$out" | grep -q 'unix:/absolute/path' || fail "no clear config error: $out"

direct -e "DROP DATABASE unix_it"
pass
