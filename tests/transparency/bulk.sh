#!/usr/bin/env bash
# Case 6 of issue 11: MariaDB bulk execution. Connector/C's array binding (STMT_ATTR_ARRAY_SIZE,
# sent as COM_STMT_BULK_EXECUTE when the server offers MARIADB_CLIENT_STMT_BULK_OPERATIONS)
# inserts 10,000 rows with NULL and DEFAULT indicators, then updates and deletes by arrays, and
# hits a duplicate key mid-bulk. bulk.c, compiled here with cc against libmariadb, prints each
# bulk's affected rows / insert id / error and the table's CHECKSUM and aggregates.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="insert update_delete duplicate"
MARKERS[insert]='^  OK affected=10000 '
MARKERS[update_delete]='^  OK affected=50 '
MARKERS[duplicate]='^  ERR 1062 23000 '
CLEANUP_SQL="drop table if exists tbulk"

require_transparency_tools cc pkg-config
pkg-config --exists libmariadb || fail "libmariadb not found by pkg-config (scripts/install-deps installs libmariadb-dev)"
# shellcheck disable=SC2046
cc -O1 -Wall -o "$WORK/bulk" "$TRANSPARENCY_DIR/bulk.c" $(pkg-config --cflags --libs libmariadb) 2> "$WORK/cc.log" ||
  { cat "$WORK/cc.log" >&2; fail "cannot compile tests/transparency/bulk.c"; }
export BULK="$WORK/bulk"

section_insert() { "$BULK" "$1" insert; }
section_update_delete() { "$BULK" "$1" update_delete; }
section_duplicate() { "$BULK" "$1" duplicate; }

run_transparency
