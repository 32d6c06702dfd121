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

# COM_CHANGE_USER naming caching_sha2_password, with the account in the cache: "fast auth success"
# (sequence 1) and then the OK (sequence 2), as the server answers it; the session goes on.
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" <<'PY' || fail "COM_CHANGE_USER on the fast path"
import hashlib, struct, sys
sys.path.insert(0, sys.argv[4])
from wire_client import Conn, frame
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = Conn(port)
assert c.login(user, pw)[0] == 0, 'login failed'
p1 = hashlib.sha256(pw.encode()).digest()
mix = hashlib.sha256(hashlib.sha256(p1).digest() + c.scramble).digest()
token = bytes(a ^ b for a, b in zip(p1, mix))
c.send(frame(b'\x11' + user.encode() + b'\0' + bytes([len(token)]) + token + b'\0' + struct.pack('<H', 45) +
             b'caching_sha2_password\0', 0))
first = c.read_packet()
assert first == (1, b'\x01\x03'), 'expected fast auth success with sequence 1, got %r' % (first,)
seq, ok = c.read_packet()
assert seq == 2 and ok[:1] == b'\x00', 'expected the OK with sequence 2, got %d %r' % (seq, ok)
assert c.scalar('select 5') == '5', 'the session did not go on'
PY

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
