#!/usr/bin/env bash
# Perl DBI + DBD::MariaDB (Debian's libdbd-mariadb-perl, on libmariadb 3.3): the same scenario
# directly and through weft gives the same transcript (result sets with MariaDB/DBI types and the
# Perl scalar kinds, rows affected, insert ids, warnings, err/state/errstr), with server-side
# (mariadb_server_prepare=1) and client-side prepared statements.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="server_prepare client_prepare transactions errors multi insert_id local_infile tls"
# Sections for features of issue 3 being built now; they fail through weft today. Whoever lands a
# feature moves its section into DEFAULT_SECTIONS.
#   compression: the compressed protocol (weft does not offer CLIENT_COMPRESS: Compression=OFF).
#   tls: TLS to clients works, but weft drops a connection whose TLS ClientHello arrives in the same
#        read as the SSLRequest (proxy/client_session.cc), so it fails intermittently.
PENDING_SECTIONS="compression"

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

start_client_weft
run_sections
pass
