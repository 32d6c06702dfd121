#!/usr/bin/env bash
# node's mysql2 driver (npm mysql2@3, pinned by package-lock.json): the same scenario directly and
# through weft gives the same transcript (result sets with JS types, OK packets, errors).
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="query execute pool multi transactions errors large change_user local_infile tls extended_metadata compress"
# Sections for a feature weft does not have yet go here, with a comment saying which; they
# run only with CLIENT_WITH_PENDING=1. Today every section passes and runs by default.
PENDING_SECTIONS=""

MARKERS[query]='^  row: i=number:1 \| neg=number:-2'
MARKERS[execute]='^execute execute error \(duplicate key\): error errno=1062 sqlstate=23000'
MARKERS[pool]='^pool.query x50: all correct=true sum=1225$'
MARKERS[multi]='^  -- result 5$'
MARKERS[transactions]='^rollback$'
MARKERS[errors]='errno=1146 sqlstate=42S02'
MARKERS[large]='^  row: id=number:2 \| b=Buffer\(5242880,'
MARKERS[change_user]='^  row: db=string:"sbtest" \| cu=string:"app@%" \| v=null$'
MARKERS[local_infile]='Records: 1000  Deleted: 0  Skipped: 0  Warnings: 0'
MARKERS[compress]='Value=string:"ON"'
MARKERS[tls]='^tls socket encrypted: true$'
MARKERS[extended_metadata]='js=object:\{"k":\[1,2\]\}'

require_sandbox
command -v node >/dev/null || fail "node not found (scripts/install-deps installs nodejs)"
command -v npm >/dev/null || fail "npm not found (scripts/install-deps installs npm)"

# Set-up: mysql2 from the committed package-lock.json into tests/clients/node_modules (gitignored).
if [ ! -f "$CLIENTS_DIR/node_modules/mysql2/package.json" ] ||
   [ "$CLIENTS_DIR/package-lock.json" -nt "$CLIENTS_DIR/node_modules/.package-lock.json" ]; then
  (cd "$CLIENTS_DIR" && npm install --no-audit --no-fund >"$WORK/npm.log" 2>&1) ||
    { tail -n 20 "$WORK/npm.log" >&2; fail "npm install in tests/clients failed"; }
fi
echo "mysql2 $(node -p 'require(process.argv[1]).version' "$CLIENTS_DIR/node_modules/mysql2/package.json"), node $(node --version)"

scenario() { node "$CLIENTS_DIR/mysql2_scenario.js" 127.0.0.1 "$1" "$2"; }

run_conformance
pass
