#!/usr/bin/env bash
# Perl DBI + DBD::MariaDB (Debian's libdbd-mariadb-perl, on libmariadb 3.3): the same scenario
# directly and through weft gives the same transcript (result sets with MariaDB/DBI types and the
# Perl scalar kinds, rows affected, insert ids, warnings, err/state/errstr), with server-side
# (mariadb_server_prepare=1) and client-side prepared statements.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="server_prepare client_prepare transactions errors multi insert_id local_infile tls compression"
# Sections for a feature weft does not have yet go here, with a comment saying which; they
# run only with CLIENT_WITH_PENDING=1. Today every section passes and runs by default.
PENDING_SECTIONS=""

MARKERS[server_prepare]='^mariadb_server_prepare=1$'
MARKERS[client_prepare]='^  execute: error err=1146 state=42S02 '
MARKERS[transactions]='^rollback: 1$'
MARKERS[errors]='^do duplicate key 1062: error err=1062 state=23000 '
MARKERS[multi]='^  -- result 5$'
MARKERS[insert_id]='^insert k=3: sth insertid=1002 dbh insertid=1002 last_insert_id=1002$'
MARKERS[local_infile]='Records: 1000  Deleted: 0  Skipped: 0  Warnings: 0'
MARKERS[compression]="PV/bytes:'Compression' \| PV/bytes:'ON'"
MARKERS[tls]='^encrypted: yes$'

require_sandbox
perl -MDBD::MariaDB -e 1 2>/dev/null ||
  fail "DBD::MariaDB not found (scripts/install-deps installs libdbd-mariadb-perl)"
echo "DBI $(perl -MDBI -e 'print $DBI::VERSION'), DBD::MariaDB $(perl -MDBD::MariaDB -e 'print $DBD::MariaDB::VERSION')"

scenario() { perl "$CLIENTS_DIR/dbd_mariadb_scenario.pl" 127.0.0.1 "$1" "$2"; }

run_conformance
pass
