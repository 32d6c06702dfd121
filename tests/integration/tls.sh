#!/usr/bin/env bash
# TLS on both legs, configured independently: clients to weft (TLS 1.2 and 1.3, certificate
# verified by the client, a per-user require_tls) and weft to the backend (CA verified).
source "$(dirname "$0")/lib.sh"
require_sandbox
TLS_DIR="${WEFT_SANDBOX_DIR:-$REPO/.sandbox}/tls"
[ -r "$TLS_DIR/ca.pem" ] || fail "sandbox TLS files missing in $TLS_DIR"

start_weft "" "tls_cert = \"$TLS_DIR/server-cert.pem\"
tls_key = \"$TLS_DIR/server-key.pem\"

[backend]
tls = true
tls_ca = \"$TLS_DIR/ca.pem\"

[[users]]
name = \"root\"
password = \"sandbox-root\"
require_tls = true"

tls_client() { mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" --ssl --ssl-verify-server-cert \
  --ssl-ca="$TLS_DIR/ca.pem" -N -B "$@"; }

# Client leg: the client verifies weft's certificate; both TLS versions work.
for version in TLSv1.2 TLSv1.3; do
  out="$(tls_client -u"$APP_USER" -p"$APP_PASSWORD" --tls-version="$version" -e 'status' 2>&1)" ||
    fail "TLS client ($version) could not connect: $out"
  echo "$out" | grep -qE "^SSL:[[:space:]]+Cipher in use is" || fail "no TLS cipher on the client leg ($version): $out"
  grep -q "tls=$version" "$WORK/weft.log" || fail "weft did not log a $version session"
done

# Backend leg: the backend sees a TLS session from weft (its own Ssl_version status).
[ "$(tls_client -u"$APP_USER" -p"$APP_PASSWORD" -e "show status like 'Ssl_version'" | cut -f2)" = TLSv1.3 ] ||
  fail "the backend connection is not TLS"
# Plain clients still work (TLS to clients is offered, not forced) and get the same data.
[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "plain client refused"

# require_tls: root over plain TCP is denied like a bad password; over TLS it logs in.
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -uroot -psandbox-root --skip-ssl -e 'select 1' 2>&1 || true)"
[ "$out" = "ERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: YES)" ] ||
  fail "require_tls over plain TCP: got '$out'"
[ "$(tls_client -uroot -psandbox-root -e 'select current_user()')" = "root@%" ] || fail "require_tls over TLS"

# A client speaking garbage after its SSLRequest does no harm.
/usr/bin/python3 - "$WEFT_PORT" "$REPO/tests/integration" <<'PY' || fail "garbage TLS check"
import sys, struct
sys.path.insert(0, sys.argv[2])
from wire_client import Conn, frame
c = Conn(int(sys.argv[1]))
c.greeting_scramble()
c.send(frame(struct.pack('<IIB', 0x00000a00 | 0x8000 | 0x80000, 1 << 24, 45) + b'\0' * 23, 1))
c.send(b'this is not a TLS ClientHello' * 10)
sys.exit(0 if c.closed_by_peer() else 1)
PY
weft_alive || fail "weft died"
[ "$(tls_client -u"$APP_USER" -p"$APP_PASSWORD" -e 'select @@port')" = 23306 ] || fail "TLS after garbage"
pass
