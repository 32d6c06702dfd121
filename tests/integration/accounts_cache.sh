#!/usr/bin/env bash
# The accounts weft read from the primary are kept in its state file: restarted while the
# primary cannot answer (its process stopped with SIGSTOP, so replication is left as it was),
# weft starts with that copy, logs known accounts in on a replica, and says so in /ready, the
# metrics and the admin's accounts view; once the primary answers again, a read replaces it.
source "$(dirname "$0")/lib.sh"
require_sandbox

PRIMARY_PID="$("$REPO/scripts/sandbox" status | awk -v p="$PRIMARY_PORT" '$1 == p { sub("pid=", "", $2); print $2 }')"
[[ "$PRIMARY_PID" =~ ^[0-9]+$ ]] || fail "no pid for the sandbox primary in: $("$REPO/scripts/sandbox" status)"
THAW_PID=""
trap 'kill -CONT "$PRIMARY_PID" 2>/dev/null; thaw_cancel "$THAW_PID"; cleanup_and_check' EXIT

login() { # login USER PASSWORD
  mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$1" -p"$2" --skip-ssl -N -B -e 'SELECT CURRENT_USER()' 2>&1 || true
}
start() {
  WEFT_REPLICAS=1 WEFT_NO_USERS=1 start_weft "" "" "
[auth]
refresh_ms = 1000

$(admin_toml)"
  wait_admin
}
metric() { curl -s "127.0.0.1:$HTTP_PORT/metrics" | sed -n "s/^$1 //p"; }

# A first run reads the accounts from the primary and keeps them.
start
[ "$(login "$APP_USER" "$APP_PASSWORD")" = "app@%" ] || fail "app through weft: $(login "$APP_USER" "$APP_PASSWORD")"
[ "$(metric weft_accounts_from_state_file)" = 0 ] || fail "accounts said to come from the state file while the primary answers"
stop_weft

# The primary stops answering; weft starts again with what its state file kept.
THAW_PID="$(thaw_later "$PRIMARY_PID" 120)"
kill -STOP "$PRIMARY_PID"
start
grep -q 'event=accounts_from_cache' "$WORK/weft.log" || fail "weft did not say it uses the state file's accounts"
wait_for "[ \"\$(login '$APP_USER' '$APP_PASSWORD')\" = 'app@%' ]" 15 ||
  fail "a known account cannot log in while the primary is down: $(login "$APP_USER" "$APP_PASSWORD")"
[[ "$(login "$APP_USER" not-the-password)" == "ERROR 1045 (28000): Access denied for user 'app'@'127.0.0.1' (using password: YES)" ]] ||
  fail "a wrong password against the cached accounts: $(login "$APP_USER" not-the-password)"
ready="$(curl -s "127.0.0.1:$HTTP_PORT/ready")"
[[ "$ready" == *"accounts cached in the state file"* ]] || fail "/ready does not say the accounts are the state file's: $ready"
[ "$(metric weft_accounts_from_state_file)" = 1 ] || fail "weft_accounts_from_state_file is not 1"
[ "$(admin -e "SELECT DISTINCT source FROM accounts WHERE user = 'app'")" = "state file" ] ||
  fail "admin accounts view: $(admin -e "SELECT user, host, source FROM accounts")"

# The primary answers again: the next read replaces the copy.
kill -CONT "$PRIMARY_PID"
wait_for "[ \"\$(metric weft_accounts_from_state_file)\" = 0 ]" 20 || fail "the accounts were not read again from the primary"
[ "$(admin -e "SELECT DISTINCT source FROM accounts WHERE user = 'app'")" = "backend" ] || fail "accounts view after the read"
pass
