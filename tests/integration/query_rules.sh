#!/usr/bin/env bash
# Query rules from weft.toml, through the mariadb CLI: block with a custom error, route by digest
# to the primary or to another group, rewrite with re2, a statement timeout enforced by the
# server, per-user rules, and the log action.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft "" "" '[[servers]]
address = "127.0.0.1:23307"
group = "main"
role = "replica"

[[servers]]
address = "127.0.0.1:23308"
group = "reports"
role = "primary"

[monitor]
user = "monitor"
password = "monitor-secret"
interval_ms = 200

[[users]]
name = "root"
password = "sandbox-root"

[[rules]]
match_pattern = "^\\s*DELETE\\s+FROM\\s+weft_test\\.protected"
error = "weft: deleting from protected is not allowed"
error_code = 1148

[[rules]]
match_digest = "FROM weft_test\\.audit"
route = "primary"
log = true

[[rules]]
match_digest = "^SELECT @@port AS report"
group = "reports"

[[rules]]
match_pattern = "SELECT '"'"'before'"'"'"
replace = "SELECT '"'"'after'"'"'"

[[rules]]
match_pattern = "SLEEP\\(3\\)"
timeout_ms = 500

[[rules]]
user = "root"
match_pattern = "weft_root_only"
error = "weft: not for root"'
# (Group "main" is the primary and 23307; group "reports" is 23308 alone, as its primary.)
wait_for '[ "$(via_weft -e "select @@port")" = 23307 ]' 10 || fail "reads never reached the replica"

via_weft -e "drop table if exists weft_test.protected; create table weft_test.protected (id int); insert into weft_test.protected values (1)"
via_weft -e "drop table if exists weft_test.audit; create table weft_test.audit (id int); insert into weft_test.audit values (1)"
wait_for '[ "$(as_root 23307 -e "select count(*) from weft_test.audit" 2>/dev/null)" = 1 ]' 10 || fail "audit did not replicate"

# Block: the client sees the rule's code, SQLSTATE 42000 and message; the row stays.
out="$(via_weft -e "delete from weft_test.protected" 2>&1 || true)"
grep -qxF "ERROR 1148 (42000) at line 1: weft: deleting from protected is not allowed" <<< "$out" || fail "block: $out"
[ "$(direct -e 'select count(*) from weft_test.protected')" = 1 ] || fail "a blocked DELETE ran"
# The session goes on after a blocked statement.
out="$(/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' 2>&1
import sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, ServerError
c = Conn(int(sys.argv[1]))
c.login(sys.argv[2], sys.argv[3])
try:
    c.scalar('delete from weft_test.protected')
    print('not blocked')
except ServerError as e:
    print(e.args[0][0], c.scalar('select count(*) from weft_test.protected'))
PY
)"
[ "$out" = "1148 1" ] || fail "the session was not usable after a blocked statement: $out"

# Route by digest: reads of audit go to the primary (without the rule they would go to replicas).
for _ in 1 2 3 4; do
  got="$(via_weft -e "select @@port from weft_test.audit")"
  [ "$got" = "$PRIMARY_PORT" ] || fail "a rule-routed read ran on $got"
done
[ "$(via_weft -e "select @@port from weft_test.protected")" = 23307 ] || fail "reads without a rule should reach the replica"
grep -q "event=query_rule rule=2 user=\"$APP_USER\"" "$WORK/weft.log" || fail "the log action wrote nothing"

# Route to another group (its primary: 23308).
[ "$(via_weft -e "select @@port as report")" = 23308 ] || fail "group routing rule not applied"

# Rewrite.
[ "$(via_weft -e "select 'before'")" = after ] || fail "rewrite rule not applied"

# Timeout: MariaDB stops the statement after 500 ms with error 1969.
start=$(date +%s%N)
out="$(via_weft -e "select sleep(3)" 2>&1 || true)"
took_ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "$out" | grep -q "ERROR 1969" || fail "timeout rule: $out"
[ "$took_ms" -lt 2500 ] || fail "the timed-out statement took $took_ms ms"

# Per-user rules: root is blocked, app is not.
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -uroot -p"$ROOT_PASSWORD" --skip-ssl -N -B \
  -e "select 'weft_root_only'" 2>&1 || true)"
echo "$out" | grep -q "weft: not for root" || fail "root was not blocked: $out"
[ "$(via_weft -e "select 'weft_root_only'")" = weft_root_only ] || fail "app was blocked by root's rule"

via_weft -e "drop table weft_test.protected; drop table weft_test.audit"
weft_alive || fail "weft died"
pass
