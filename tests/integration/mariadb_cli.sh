#!/usr/bin/env bash
# The mariadb CLI through weft: it reaches the primary, sees the same results and the same
# errors as direct, and bad credentials get MariaDB's own 1045.
source "$(dirname "$0")/lib.sh"
require_sandbox
start_weft

[ "$(via_weft -e 'select @@port')" = 23306 ] || fail "select @@port through weft did not answer 23306"

# Same output, byte for byte, direct and through weft (errors included; -f continues after them).
script="$WORK/script.sql"
cat > "$script" <<'SQL'
select 1, 'two', null, 3.5, now() is not null;
select seq, repeat('r', seq) from seq_1_to_20;
select 1 as a; select 'x' as b, 2 as c;
use weft_test;
select database();
drop table if exists cli_t;
create table cli_t (id int auto_increment primary key, v varchar(20));
begin;
insert into cli_t (v) values ('a'), ('b');
select @@in_transaction, last_insert_id(), row_count();
rollback;
select count(*) from cli_t;
insert into cli_t (v) values ('c');
select id, v from cli_t;
selec 1;
select * from no_such_table;
show warnings;
select 'after errors';
drop table cli_t;
SQL
direct_out="$(direct -f --table < "$script" 2>&1 || true)"
weft_out="$(via_weft -f --table < "$script" 2>&1 || true)"
[ -n "$direct_out" ] || fail "direct run printed nothing"
if [ "$direct_out" != "$weft_out" ]; then
  diff <(echo "$direct_out") <(echo "$weft_out") >&2 || true
  fail "output through weft differs from direct"
fi
echo "$weft_out" | grep -q "ERROR 1064 (42000)" || fail "syntax error not forwarded"
echo "$weft_out" | grep -q "ERROR 1146 (42S02)" || fail "missing-table error not forwarded"

# LOAD DATA LOCAL INFILE: the file is read by the client and relayed by weft.
seq 1 50000 | awk '{print $1 "," $1 * 3}' > "$WORK/rows.csv"
load_sql="drop table if exists weft_test.cli_li; create table weft_test.cli_li (a int, b int);
load data local infile '$WORK/rows.csv' into table weft_test.cli_li fields terminated by ',';
select count(*), sum(b) from weft_test.cli_li; drop table weft_test.cli_li;"
[ "$(via_weft --local-infile=1 -e "$load_sql")" = "50000	3750075000" ] || fail "LOAD DATA LOCAL INFILE through weft"
via_weft -e 'create table if not exists weft_test.cli_t2 (a int, b int)'
out="$(via_weft --local-infile=1 -e "load data local infile '$WORK/missing.csv' into table weft_test.cli_t2" 2>&1 || true)"
echo "$out" | grep -q "not found" || fail "missing local file: got '$out'"
via_weft -e 'drop table weft_test.cli_t2'

# Wrong password and unknown user: 1045 / 28000 with MariaDB's message.
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -pwrong --skip-ssl -e 'select 1' 2>&1 || true)"
[ "$out" = "ERROR 1045 (28000): Access denied for user 'app'@'127.0.0.1' (using password: YES)" ] ||
  fail "wrong password: got '$out'"
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -unobody -pwhatever --skip-ssl -e 'select 1' 2>&1 || true)"
[ "$out" = "ERROR 1045 (28000): Access denied for user 'nobody'@'127.0.0.1' (using password: YES)" ] ||
  fail "unknown user: got '$out'"
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" --skip-password --skip-ssl -e 'select 1' 2>&1 || true)"
[ "$out" = "ERROR 1045 (28000): Access denied for user 'app'@'127.0.0.1' (using password: NO)" ] ||
  fail "no password: got '$out'"

# A database given at connect time, and an unknown one (the backend's own 1049).
[ "$(via_weft -D weft_test -e 'select database()')" = weft_test ] || fail "connect with database"
out="$(via_weft -D no_such_db -e 'select 1' 2>&1 || true)"
echo "$out" | grep -q "ERROR 1049 (42000)" || fail "unknown database at connect: got '$out'"

# COM_PING, COM_STATISTICS, COM_INIT_DB via mariadb-admin and the CLI.
mariadb-admin --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl ping |
  grep -q "is alive" || fail "mariadb-admin ping"
mariadb-admin --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl status |
  grep -q "Uptime:" || fail "mariadb-admin status (COM_STATISTICS)"

# A client that asks for another auth plugin is switched to mysql_native_password.
out="$(mariadb --protocol=TCP -h127.0.0.1 -P"$WEFT_PORT" -u"$APP_USER" -p"$APP_PASSWORD" --skip-ssl \
  --default-auth=client_ed25519 -N -B -e 'select @@port' 2>&1 || true)"
[ "$out" = 23306 ] || fail "auth switch from client_ed25519: got '$out'"

weft_alive || fail "weft died"
pass
