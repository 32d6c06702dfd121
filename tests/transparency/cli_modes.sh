#!/usr/bin/env bash
# Issue 11's CLI case: the mariadb CLI with --skip-ssl, without any TLS option (weft offers TLS
# with the sandbox's certificate, as the server does), with verified TLS, and with --compress (with and
# without TLS), running a small script with result sets, warnings, a multi-statement line and an
# error (--force goes on), with -vvv --table --show-warnings. Timings are removed.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="skip_ssl default_tls ssl_verified compress compress_ssl"
for s in $DEFAULT_SECTIONS; do MARKERS[$s]='^ERROR 1146 \(42S02\) at line 5'; done
CLEANUP_SQL="drop table if exists tcli"

cli_sql() {
  cat <<'SQL'
CREATE TABLE tcli (i INT PRIMARY KEY, s VARCHAR(5));
INSERT INTO tcli VALUES (1, 'one'), (2, 'two');
INSERT INTO tcli VALUES (3, 'toolong');
SELECT * FROM tcli ORDER BY i; SELECT 1 / 0 AS d, CAST('x' AS INT) AS c;
SELECT * FROM tcli_missing;
INSERT INTO tcli VALUES (1, 'dup');
SELECT COUNT(*) AS n, @@in_transaction AS tx, @@autocommit AS ac FROM tcli;
DROP TABLE tcli;
SQL
}
cli_run() { cli_sql | cli "$@" -f -vvv --table --show-warnings; }
section_skip_ssl() { cli_run "$1" --skip-ssl; }
section_default_tls() { cli_run "$1"; }
section_ssl_verified() { cli_run "$1" --ssl --ssl-ca="$CLIENT_TLS_CA" --ssl-verify-server-cert; }
section_compress() { cli_run "$1" --skip-ssl --compress; }
section_compress_ssl() { cli_run "$1" --compress --ssl --ssl-ca="$CLIENT_TLS_CA"; }

require_transparency_tools
run_transparency cli_sql cli_run
