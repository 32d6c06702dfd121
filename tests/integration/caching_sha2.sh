#!/usr/bin/env bash
# caching_sha2_password towards clients, with the real mariadb CLI (libmariadb's plugin): the
# first login is a full authentication (RSA key exchange without TLS, clear password over TLS),
# later ones take the fast path; wrong passwords get 1045; the backend login still works from
# the native hash weft keeps.
source "$(dirname "$0")/lib.sh"
require_sandbox
TLS_DIR="${WEFT_SANDBOX_DIR:-$REPO/.sandbox}/tls"
extra="auth_plugin = \"caching_sha2_password\"
tls_cert = \"$TLS_DIR/server-cert.pem\"
tls_key = \"$TLS_DIR/server-key.pem\""
auth_of_last_session() { grep "event=session_open" "$WORK/weft.log" | tail -1 | sed -n 's/.* auth=\([a-z0-9_]*\) .*/\1/p'; }

WEFT_WORKERS=1 start_weft "" "$extra"
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "first login (no TLS) failed"
[ "$(auth_of_last_session)" = sha2_full_rsa ] || fail "first plain login was not an RSA full authentication: $(auth_of_last_session)"
[ "$(via_weft -e 'select 2')" = 2 ] || fail "second login failed"
[ "$(auth_of_last_session)" = sha2_fast ] || fail "second login was not the fast path: $(auth_of_last_session)"
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -pwrong --skip-ssl -e 'select 1' 2>&1 || true)"
[ "$out" = "ERROR 1045 (28000): Access denied for user 'app'@'127.0.0.1' (using password: YES)" ] ||
  fail "wrong password: got '$out'"

# A fresh weft has an empty cache: over TLS the client sends the password itself.
kill -TERM "$WEFT_PID"; wait "$WEFT_PID" 2>/dev/null || true; WEFT_PID=""
WEFT_WORKERS=1 start_weft "" "$extra"
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --ssl \
  --ssl-verify-server-cert --ssl-ca="$TLS_DIR/ca.pem" -N -B -e 'select 3' 2>&1)"
[ "$out" = 3 ] || fail "TLS full authentication: $out"
[ "$(auth_of_last_session)" = sha2_full_tls ] || fail "TLS login was not a full authentication: $(auth_of_last_session)"
[ "$(via_weft -e 'select 4')" = 4 ] || fail "fast path after TLS login"
[ "$(auth_of_last_session)" = sha2_fast ] || fail "login after the TLS one was not the fast path"
grep -q "$APP_PASSWORD" "$WORK/weft.log" && fail "the password reached the log"
pass
