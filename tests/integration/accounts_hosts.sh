#!/usr/bin/env bash
# Which account entry a login selects, weft against the server (issue 13): one user with eight
# host patterns, each with its own password, and an anonymous entry for one address. From five
# client addresses, every password is tried directly and through weft (no [[users]]), and the
# answers (CURRENT_USER() or the error) must be the same; again after the three most specific
# entries are dropped. weft tells the backends each client's address with the PROXY protocol
# ([backend] proxy_protocol; the sandbox's servers list 127.0.0.0/8 in proxy_protocol_networks),
# so the backend login is checked against the entry weft chose, not the one for weft's address.
source "$(dirname "$0")/lib.sh"
require_sandbox

# pattern=password; on the primary alone (sql_log_bin = 0).
ENTRIES=("127.0.0.1=pw-exact" "127.0.0.%=pw-c" "127.0.%=pw-b" "127.%=pw-a" "127.0.0.0/255.255.255.0=pw-net24"
         "127.0.0.0/255.255.0.0=pw-net16" "127.0.0._=pw-under" "%=pw-any")
ADDRESSES=(127.0.0.1 127.0.0.2 127.0.0.5 127.0.1.9 127.1.2.3)
on_primary() { as_root "$PRIMARY_PORT" -e "SET SESSION sql_log_bin = 0; $1"; }
drop_accounts() {
  local e
  for e in "${ENTRIES[@]}"; do on_primary "DROP USER IF EXISTS 'acct_many'@'${e%%=*}'" 2>/dev/null || true; done
  on_primary "DROP USER IF EXISTS ''@'127.0.0.2'" 2>/dev/null || true
}
trap 'drop_accounts; cleanup_and_check' EXIT
drop_accounts

create_accounts() {
  local e sql=""
  for e in "${ENTRIES[@]}"; do sql+="CREATE USER 'acct_many'@'${e%%=*}' IDENTIFIED BY '${e#*=}'; "; done
  # An anonymous entry more specific than most: the server picks it for any user from 127.0.0.2.
  on_primary "$sql CREATE USER ''@'127.0.0.2' IDENTIFIED BY 'pw-anon'"
}
# (PyMySQL: the mariadb CLI cannot choose its local address.)
login() { /usr/bin/python3 "$REPO/tests/integration/login_from.py" "$@" 2>&1 || true; }  # PORT USER PASSWORD BIND
refreshes() { curl -s "127.0.0.1:$HTTP_PORT/metrics" | sed -n 's/^weft_account_refreshes_total{result="ok"} //p'; }
refreshed() {  # two reads after a change: the second began after it
  local before
  before="$(refreshes)"
  wait_for "[ \"\$(refreshes)\" -ge $(( ${before:-0} + 2 )) ]" 10 || fail "weft did not read the accounts again"
}
# Every password from every address, directly and through weft.
compare_all() { # compare_all ROUND
  local from e password want got checked=0 logged_in=0
  for from in "${ADDRESSES[@]}"; do
    for e in "${ENTRIES[@]}" "anon=pw-anon"; do
      password="${e#*=}"
      want="$(login "$PRIMARY_PORT" acct_many "$password" "$from")"
      got="$(login "$WEFT_PORT" acct_many "$password" "$from")"
      [ "$got" = "$want" ] || fail "$1: acct_many/$password from $from: through weft '$got', directly '$want'"
      checked=$((checked + 1))
      [[ "$want" == ERROR* ]] || logged_in=$((logged_in + 1))
    done
  done
  # Each address logs in with exactly one password (the entry the server chose).
  [ "$logged_in" -eq "${#ADDRESSES[@]}" ] || fail "$1: $logged_in logins succeeded over ${#ADDRESSES[@]} addresses"
  echo "$1: $checked logins, the same answer directly and through weft"
}

create_accounts
# Refused logins are the point here: no wait for a fresh read, no throttle.
WEFT_NO_USERS=1 start_weft "" "max_login_failures = 0" "
[auth]
user = \"monitor\"
password = \"monitor-secret\"
refresh_ms = 1000
login_wait_ms = 0

[backend]
proxy_protocol = true

[http]
listen = \"127.0.0.1:$HTTP_PORT\""
compare_all "all entries"

on_primary "DROP USER 'acct_many'@'127.0.0.1'; DROP USER 'acct_many'@'127.0.0.%'; DROP USER 'acct_many'@'127.0.0._'"
refreshed
compare_all "without the three most specific"
pass
