#!/usr/bin/env bash
# Accounts from the backends (issue 13): weft runs with no [[users]] at all and checks logins
# against the accounts it reads from the primary (the [monitor] user's SELECT on
# mysql.global_priv). Every answer is compared with the one the primary gives the same client
# directly: accounts created, changed, locked and dropped on the server; host patterns; two
# entries for one user; a plugin weft cannot check.
source "$(dirname "$0")/lib.sh"
require_sandbox

ACCOUNTS=(acct_before acct_after acct_host acct_two acct_ed acct_reader)
# Account statements on the primary alone (sql_log_bin = 0): the replicas never see them, so a
# plugin only the primary loads cannot stop their replication.
on_primary() { as_root "$PRIMARY_PORT" -e "SET SESSION sql_log_bin = 0; $1"; }
drop_accounts() {
  for u in "${ACCOUNTS[@]}"; do
    on_primary "DROP USER IF EXISTS '$u'@'127.0.0.%', '$u'@'%', '$u'@'10.9.9.%'" 2>/dev/null || true
  done
}
trap 'drop_accounts; cleanup_and_check' EXIT
drop_accounts

# The mariadb CLI's answer (its output, errors included) for a login, directly or through weft.
# From another local address, PyMySQL's (the CLI cannot bind one).
login() { # login PORT USER PASSWORD [BIND_ADDRESS]
  if [ -n "${4:-}" ]; then
    /usr/bin/python3 "$REPO/tests/integration/login_from.py" "$@" 2>&1 || true
    return
  fi
  mariadb --protocol=TCP -h127.0.0.1 -P"$1" -u"$2" -p"$3" --skip-ssl -N -B -e 'SELECT CURRENT_USER()' 2>&1 || true
}
# Through weft, retried for up to 3 s until it says what the primary says (a refresh away).
same_answer() { # same_answer WHAT USER PASSWORD [BIND_ADDRESS]
  local want got
  want="$(login "$PRIMARY_PORT" "$2" "$3" "${4:-}")"
  for _ in $(seq 12); do
    got="$(login "$WEFT_PORT" "$2" "$3" "${4:-}")"
    [ "$got" = "$want" ] && return 0
    sleep 0.25
  done
  fail "$1: through weft '$got', directly '$want'"
}

# Until weft reads the accounts again, a changed account may still log in through a pooled
# connection: after a change, wait for two reads (the second one began after the change).
refreshed() {
  local before now
  before="$(refreshes)"
  for _ in $(seq 50); do
    now="$(refreshes)"
    [ "${now:-0}" -ge $(( ${before:-0} + 2 )) ] && return 0
    sleep 0.1
  done
  fail "weft did not read the accounts again within 5 s"
}
refreshes() { curl -s "127.0.0.1:$HTTP_PORT/metrics" | sed -n 's/^weft_account_refreshes_total{result="ok"} //p'; }

on_primary "
  CREATE USER 'acct_before'@'127.0.0.%' IDENTIFIED BY 'pw-before';
  GRANT SELECT ON weft_test.* TO 'acct_before'@'127.0.0.%';"

# (This test fails logins on purpose, many times: the failed-login throttle is off.)
WEFT_NO_USERS=1 start_weft "" "max_login_failures = 0" "
[monitor]
user = \"monitor\"
password = \"monitor-secret\"
interval_ms = 1000

[auth]
refresh_ms = 1000

$(admin_toml)"
wait_admin

# 1. An account that existed when weft started logs in with no entry in weft's configuration.
[ "$(login "$WEFT_PORT" acct_before pw-before)" = "acct_before@127.0.0.%" ] ||
  fail "acct_before through weft: $(login "$WEFT_PORT" acct_before pw-before)"
same_answer "wrong password" acct_before not-the-password

# The admin's accounts view says where it came from (and never shows a hash).
[ "$(admin -e "SELECT source, plugin FROM accounts WHERE user = 'acct_before'")" = "$(printf 'backend\tmysql_native_password')" ] ||
  fail "accounts view: $(admin -e "SELECT * FROM accounts WHERE user = 'acct_before'")"
admin -e "SELECT * FROM accounts" | grep -q '\*[0-9A-F]\{40\}' && fail "the accounts view shows a password hash"

# 2. One created after weft started logs in at its first attempt: the refused login waits for
# weft's next read of the accounts (asked for at once) and is checked again.
on_primary "
  CREATE USER 'acct_after'@'127.0.0.%' IDENTIFIED BY 'pw-after';
  GRANT SELECT ON weft_test.* TO 'acct_after'@'127.0.0.%';"
first="$(login "$WEFT_PORT" acct_after pw-after)"
[ "$first" = "acct_after@127.0.0.%" ] || fail "an account created a moment ago, first login through weft: $first"

# 3. A changed password: the new one is accepted at once (the same wait), the old one refused
# once weft has read the accounts again.
on_primary "ALTER USER 'acct_after'@'127.0.0.%' IDENTIFIED BY 'pw-changed'"
first="$(login "$WEFT_PORT" acct_after pw-changed)"
[ "$first" = "acct_after@127.0.0.%" ] || fail "a password changed a moment ago, first login through weft: $first"
refreshed
same_answer "old password" acct_after pw-after

# 4. Locked, then dropped: the server's own refusals, byte for byte.
on_primary "ALTER USER 'acct_after'@'127.0.0.%' ACCOUNT LOCK"
refreshed
same_answer "locked account" acct_after pw-changed
[[ "$(login "$WEFT_PORT" acct_after pw-changed)" == "ERROR 4151 "* ]] || fail "a locked account is not refused with 4151: $(login "$WEFT_PORT" acct_after pw-changed)"
on_primary "DROP USER 'acct_after'@'127.0.0.%'"
refreshed
same_answer "dropped account" acct_after pw-changed

# 5. An account for another host, and two entries for one user with different host patterns:
# the same entry as the server picks, from two client addresses.
on_primary "
  CREATE USER 'acct_host'@'10.9.9.%' IDENTIFIED BY 'pw-host';
  CREATE USER 'acct_two'@'127.0.0.%' IDENTIFIED BY 'pw-near';
  CREATE USER 'acct_two'@'%' IDENTIFIED BY 'pw-far';"
refreshed
same_answer "account for another host" acct_host pw-host
for from in 127.0.0.1 127.0.0.2; do
  same_answer "two entries, near password, from $from" acct_two pw-near "$from"
  same_answer "two entries, far password, from $from" acct_two pw-far "$from"
done

# 6. An ed25519 account: weft cannot check it without the password. A clear 1045, and a log line
# naming the account and the plugin.
if on_primary "INSTALL SONAME 'auth_ed25519'" 2>/dev/null ||
   as_root "$PRIMARY_PORT" -e "SELECT 1 FROM information_schema.plugins WHERE plugin_name = 'ed25519'" | grep -q 1; then
  on_primary "CREATE USER 'acct_ed'@'127.0.0.%' IDENTIFIED VIA ed25519 USING PASSWORD('pw-ed')"
  got="$(login "$WEFT_PORT" acct_ed pw-ed)"
  sleep 1.2  # (the failed login's refresh)
  got="$(login "$WEFT_PORT" acct_ed pw-ed)"
  [ "$got" = "ERROR 1045 (28000): Access denied for user 'acct_ed'@'127.0.0.1' (using password: YES)" ] ||
    fail "ed25519 account: $got"
  grep -q 'event=account_refused user="acct_ed" host="127.0.0.%" plugin="ed25519"' "$WORK/weft.log" ||
    fail "no log line names the ed25519 account and its plugin"
else
  fail "the sandbox's MariaDB has no auth_ed25519 plugin (mariadb-server ships it)"
fi

# The reads are counted for monitoring.
metrics="$(curl -s "127.0.0.1:$HTTP_PORT/metrics")"
refreshes="$(echo "$metrics" | sed -n 's/^weft_account_refreshes_total{result="ok"} //p')"
[ "${refreshes:-0}" -ge 2 ] || fail "weft_account_refreshes_total{result=\"ok\"} is '${refreshes:-}' after several refreshes"
[[ "$metrics" == *$'\nweft_accounts '[1-9]* ]] || fail "weft_accounts is not counted"

# 7. The sandbox's application account, with no [[users]] entry here, comes from the primary too.
[ "$(login "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD")" = "app@%" ] || fail "app through weft"

# 8. Another reader: [auth] user instead of the monitor. One that cannot read the account
# tables, with no [[users]] to fall back on, stops weft at start with the reason.
stop_weft
WEFT_NO_USERS=1 start_weft "" "" "
[auth]
user = \"root\"
password = \"$ROOT_PASSWORD\""
[ "$(login "$WEFT_PORT" acct_before pw-before)" = "acct_before@127.0.0.%" ] || fail "accounts read as [auth] user root"
stop_weft

# 9. A weft that reads no accounts ([[users]] only) has no fresher list to wait for: a refused
# login is answered at once.
start_weft
t0=$(date +%s%N)
got="$(login "$WEFT_PORT" nobody_here whatever)"
took_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[[ "$got" == "ERROR 1045 "* ]] || fail "an unknown user without account loading: $got"
[ "$took_ms" -lt 1000 ] || fail "a refused login took $took_ms ms with no account loader to wait for"
stop_weft
on_primary "CREATE USER 'acct_reader'@'127.0.0.%' IDENTIFIED BY 'pw-reader'"
cat > "$WORK/noread.toml" <<TOML
[proxy]
listen = "127.0.0.1:$(free_port)"
[auth]
user = "acct_reader"
password = "pw-reader"
[[servers]]
address = "127.0.0.1:$PRIMARY_PORT"
group = "main"
role = "primary"
TOML
out="$(timeout 20 "$WEFT_BIN" --config "$WORK/noread.toml" 2>&1)" && fail "weft started with no way to check a login"
[[ "$out" == *"cannot read the accounts on 127.0.0.1:$PRIMARY_PORT"*"no client could log in"*"SELECT on mysql.global_priv"* ]] ||
  fail "weft's refusal to start does not say why: $out"
pass
