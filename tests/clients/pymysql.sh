#!/usr/bin/env bash
# PyMySQL (Debian's python3-pymysql, run with /usr/bin/python3): the same scenario directly and
# through weft gives the same transcript (result sets with Python types, rowcount, lastrowid,
# warnings, errors with errno and SQLSTATE).
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="query executemany transactions errors multi sscursor ping select_db large local_infile tls"
# Sections for a feature weft does not have yet go here, with a comment saying which; they
# run only with CLIENT_WITH_PENDING=1. Today every section passes and runs by default.
PENDING_SECTIONS=""

MARKERS[query]='^  row: int:1 \| int:-2 \| int:9007199254740993'
MARKERS[executemany]='^executemany insert \(batched\): returned=200 rowcount=200'
MARKERS[transactions]='^rollback$'
MARKERS[errors]='IntegrityError errno=1062 sqlstate=23000'
MARKERS[multi]='^  -- result 5$'
MARKERS[sscursor]='^sscursor 10k rows: n=10000 sum=50005000 '
MARKERS[ping]='^ping: ok$'
MARKERS[select_db]="^  row: str:'sbtest'$"
MARKERS[large]='^  row: int:1 \| bytes\(5242880,'
MARKERS[local_infile]='Records: 1000  Deleted: 0  Skipped: 0  Warnings: 0'
MARKERS[tls]='^client socket is TLS: True$'

require_sandbox
# Debian's python3-pymysql lives in /usr/lib/python3/dist-packages: use the system python, not
# whatever python3 comes first in PATH.
/usr/bin/python3 -c 'import pymysql' 2>/dev/null ||
  fail "PyMySQL not importable by /usr/bin/python3 (scripts/install-deps installs python3-pymysql)"
echo "PyMySQL $(/usr/bin/python3 -c 'import pymysql; print(pymysql.__version__)'), $(/usr/bin/python3 --version)"

scenario() { /usr/bin/python3 "$CLIENTS_DIR/pymysql_scenario.py" 127.0.0.1 "$1" "$2"; }

run_conformance
pass
