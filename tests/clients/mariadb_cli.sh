#!/usr/bin/env bash
# The mariadb CLI (10.11, libmariadb 3.3): a script of statements (mariadb_cli.sql) with --table,
# -f (go on after errors), -vvv (rows affected, "Records:" lines) and --show-warnings gives the same
# output directly and through weft, without TLS and with --ssl. Timings "(0.001 sec)" are
# removed; stdout and stderr are kept apart, stderr (the ERROR lines) after stdout.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="plain column_info batch auth_switch local_infile ssl compress"
# Sections for a feature weft does not have yet go here, with a comment saying which; they
# run only with CLIENT_WITH_PENDING=1. Today every section passes and runs by default.
PENDING_SECTIONS=""

MARKERS[plain]='^ERROR 1062 \(23000\) at line '
MARKERS[column_info]='^Type:[[:space:]]+LONGLONG$'
MARKERS[batch]='^after errors$'
MARKERS[auth_switch]='^app@%$'
MARKERS[ssl]='^SSL: in use$'
MARKERS[compress]='^\| Compression +\| ON +\|$'
MARKERS[local_infile]='^Records: 1000  Deleted: 0  Skipped: 0  Warnings: 0$'

CLEANUP_SQL="drop table if exists mcli_t, mcli_infile; drop procedure if exists mcli_proc"

require_sandbox
command -v mariadb >/dev/null || fail "mariadb client not found (scripts/install-deps installs mariadb-client)"
mariadb --version

# cli PORT ARGS...: the CLI on PORT, database weft_test; the transcript is stdout, then
# "--- stderr", then stderr, with timings removed.
cli() {
  local port="$1" rc=0
  shift
  mariadb --protocol=TCP -h127.0.0.1 -P"$port" -u"$APP_USER" -p"$APP_PASSWORD" -D weft_test \
    --default-character-set=utf8mb4 "$@" > "$WORK/cli.$port.out" 2> "$WORK/cli.$port.err" || rc=$?
  sed -E 's/ \([0-9]+\.[0-9]+ sec\)//' "$WORK/cli.$port.out"
  echo "--- stderr (exit $rc)"
  cat "$WORK/cli.$port.err"
}

export SQL="$CLIENTS_DIR/mariadb_cli.sql"
scenario() {
  local port="$1" section="$2"
  echo "== $section"
  case "$section" in
    plain) cli "$port" --skip-ssl --table -f -vvv --show-warnings < "$SQL" ;;
    column_info)
      cli "$port" --skip-ssl --column-type-info --table -e "select 1 as i, 9007199254740993 as big, 2.5 as d,
        1e3 as f, 'x' as s, null as n, x'00' as b, date'2024-02-29' as dt, now(6) is not null as nn;
        select seq, seq * 1.5 as half from seq_1_to_3; show warnings" ;;
    batch) cli "$port" --skip-ssl -B -f --show-warnings < "$SQL" ;;
    # A client that answers with another plugin first (caching_sha2_password) is switched to
    # mysql_native_password, by the server directly and by weft.
    auth_switch)
      cli "$port" --skip-ssl --default-auth=caching_sha2_password -N -B -e "select current_user(); select 'switched'" ;;
    ssl)
      # TLS verified against the sandbox's CA; the cipher may legitimately differ, its presence not.
      cli "$port" --ssl --ssl-ca="$CLIENT_TLS_CA" --ssl-verify-server-cert -e 'status' |
        sed -n -E 's/^SSL:.*Cipher in use.*/SSL: in use/p; s/^SSL:.*Not in use.*/SSL: not in use/p; /^(ERROR|---)/p'
      cli "$port" --ssl --ssl-ca="$CLIENT_TLS_CA" --ssl-verify-server-cert --table -f -vvv --show-warnings < "$SQL" ;;
    compress)
      cli "$port" --skip-ssl --compress --table -e "show session status like 'Compression'; select repeat('z', 100000) = repeat('z', 100000) as same, md5(repeat('ab', 200000)) as m"
      cli "$port" --skip-ssl --compress --table -f -vvv --show-warnings < "$SQL" ;;
    local_infile)
      seq 1 1000 | awk '{ print $1 ",line " $1 }' > "$WORK/mcli-infile.csv"
      cli "$port" --skip-ssl --local-infile=1 -f -vvv --table -e "drop table if exists mcli_infile;
        create table mcli_infile (id int primary key, v varchar(20));
        load data local infile '$WORK/mcli-infile.csv' into table mcli_infile fields terminated by ',' (id, v);
        select count(*), sum(id), max(v) from mcli_infile; drop table mcli_infile" |
        sed "s|$WORK|WORK|g" ;;
    *) echo "FATAL unknown section $section"; return 2 ;;
  esac
  echo "== end $section"
}
export -f cli

run_conformance
pass
