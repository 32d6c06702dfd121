#!/usr/bin/env bash
# Packets over 16 MiB in both directions, big result sets streamed with back-pressure: weft
# keeps no copy of a result (its memory stays flat while a slow client reads 50 MB).
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft

big=(--max-allowed-packet=64M -D weft_test)

# Server -> client: one 20 MiB value (two frames), and 200k rows; same bytes as direct.
q1="select md5(v), length(v) from (select repeat('x', 20 * 1024 * 1024) as v) t"
q2="select repeat('x', 20 * 1024 * 1024) as v"
q3="select seq, repeat(char(65 + seq % 26), 1 + seq % 300) from seq_1_to_200000"
for q in "$q2" "$q3"; do
  d="$(direct "${big[@]}" --quick -e "$q" | md5sum)"
  w="$(via_weft "${big[@]}" --quick -e "$q" | md5sum)"
  [ "$d" = "$w" ] || fail "result differs through weft for: ${q:0:60}"
done
[ "$(via_weft "${big[@]}" -e "$q1" | cut -f2)" = 20971520 ] || fail "20 MiB value length"
# The same through the compressed protocol (both legs compressed), a 16 MiB+ value included.
for q in "$q2" "$q3"; do
  d="$(direct "${big[@]}" -C --quick -e "$q" | md5sum)"
  w="$(via_weft "${big[@]}" -C --quick -e "$q" | md5sum)"
  [ "$d" = "$w" ] || fail "compressed result differs through weft for: ${q:0:60}"
done

# Client -> server: a 20 MiB statement (multi-frame COM_QUERY) arrives intact.
direct -e "drop table if exists weft_test.big; create table weft_test.big (id int primary key, v longtext)"
/usr/bin/python3 -c "
import random, string
random.seed(7)
v = ''.join(random.choice(string.ascii_letters) for _ in range(20 * 1024 * 1024))
open('$WORK/big.sql', 'w').write(\"insert into weft_test.big values (1, '\" + v + \"');\n\")
import hashlib; open('$WORK/big.md5', 'w').write(hashlib.md5(v.encode()).hexdigest())
"
via_weft "${big[@]}" < "$WORK/big.sql" || fail "20 MiB insert through weft failed"
[ "$(direct -e 'select md5(v) from weft_test.big where id = 1')" = "$(cat "$WORK/big.md5")" ] ||
  fail "20 MiB value stored through weft is not what was sent"
direct -e "drop table weft_test.big"

# Back-pressure: a client that stops reading a 50 MB result must not make weft buffer it.
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$WEFT_PID/status"; }
before="$(rss_kb)"
/usr/bin/python3 - "$WEFT_PORT" "$APP_USER" "$APP_PASSWORD" "$REPO/tests/integration" "$WEFT_PID" "$before" <<'PY' || fail "back-pressure check failed"
import sys, time
sys.path.insert(0, sys.argv[4])
from wire_client import Conn
port, user, pw, pid, before = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[5], int(sys.argv[6])
def rss():
    for line in open(f'/proc/{pid}/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1])
c = Conn(port, timeout=60)
c.login(user, pw, db='weft_test')
c.query("select repeat('z', 1000) from seq_1_to_50000")
for _ in range(5):         # column count, definition, EOF and two rows; then stall
    c.read_packet()
time.sleep(2)
stalled = rss()
print(f'weft RSS before {before} kB, while the client stalls {stalled} kB')
c.sock.settimeout(30)
eofs, rows = 0, 0
raw = c.sock
data = c.buf
while eofs < 1:            # now drain everything: the stream resumes where it stopped
    chunk = raw.recv(1 << 20)
    if not chunk:
        break
    data += chunk
    # Walk complete frames: rows of 1000+ bytes, up to the final 5-byte EOF.
    pos = 0
    while len(data) - pos >= 4:
        n = data[pos] | data[pos + 1] << 8 | data[pos + 2] << 16
        if len(data) - pos - 4 < n:
            break
        if n == 5 and data[pos + 4] == 0xFE:
            eofs += 1
        elif n > 1000:
            rows += 1
        pos += 4 + n
    data = data[pos:]
print(f'weft streamed {rows} more rows after the stall')
sys.exit(0 if stalled - before < 8 * 1024 and rows > 49_000 and eofs >= 1 else 1)
PY
weft_alive || fail "weft died"
pass
