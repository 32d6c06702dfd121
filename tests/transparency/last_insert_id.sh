#!/usr/bin/env bash
# Case 2 of issue 11: LAST_INSERT_ID() after INSERTs that give the AUTO_INCREMENT value or not
# (direct: 0 11 11 for the issue's sequence: the server only makes a GENERATED value the
# LAST_INSERT_ID()), multi-row inserts, INSERT ... SELECT, LAST_INSERT_ID(expr) set by the client,
# a temporary table (a pinned session), a view, and the prepared-statement form. Every statement
# is followed by SELECT LAST_INSERT_ID(), @@identity; each OK's insert id is in the transcript.
# last_insert_id_replicas.sh does the same with reads that weft may send to replicas.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="explicit multi_row insert_select client_expr temporary view prepared"
MARKERS[explicit]="row '11' \| '11'$"
MARKERS[multi_row]="info='Records: 3  Duplicates: 0  Warnings: 0'"
MARKERS[insert_select]="info='Records: 5  Duplicates: 0  Warnings: 0'"
MARKERS[client_expr]="row '42' \| '42'$"
MARKERS[temporary]="row '11' \| '11'$"
MARKERS[view]="row '11' \| '11'$"
MARKERS[prepared]="row bin x00000b"
CLEANUP_SQL="drop view if exists tli_view; drop table if exists tli, tli_src; drop temporary table if exists tli"
export TABLE="CREATE TABLE tli (a INT AUTO_INCREMENT PRIMARY KEY, b INT)"

# each_then_lid STATEMENT...: every statement followed by SELECT LAST_INSERT_ID(), @@identity.
each_then_lid() { local s; for s in "$@"; do printf '%s\nSELECT LAST_INSERT_ID(), @@identity\n' "$s"; done; }
# The issue's sequence on table $1 (direct: 0, 11, 11).
issue_sequence() {
  each_then_lid "INSERT INTO $1 (a,b) VALUES (10,2)" "INSERT INTO $1 (b) VALUES (3)" "INSERT INTO $1 (a,b) VALUES (20,4)"
}

section_explicit() { { echo "$TABLE"; issue_sequence tli; echo state; echo "DROP TABLE tli"; } | wire "$1"; }

section_multi_row() {
  { echo "$TABLE"
    each_then_lid "INSERT INTO tli (b) VALUES (1),(2),(3)" "INSERT INTO tli (a,b) VALUES (100,1),(NULL,2)" \
      "INSERT IGNORE INTO tli (a,b) VALUES (100,9),(NULL,9)" \
      "INSERT INTO tli (a,b) VALUES (1,5) ON DUPLICATE KEY UPDATE b = b + 1" \
      "INSERT INTO tli (a,b) VALUES (500,5) ON DUPLICATE KEY UPDATE b = b + 1" \
      "REPLACE INTO tli (a,b) VALUES (2,7)" "INSERT INTO tli (a,b) VALUES (2,7)"
    echo "SELECT * FROM tli ORDER BY a"; echo state; echo "DROP TABLE tli"; } | wire "$1"
}

section_insert_select() {
  { echo "$TABLE"; echo "CREATE TABLE tli_src (v INT)"; echo "INSERT INTO tli_src VALUES (7),(8)"
    each_then_lid "INSERT INTO tli (b) SELECT seq FROM seq_1_to_5" "INSERT INTO tli (a,b) SELECT v * 10, v FROM tli_src" \
      "INSERT INTO tli (b) SELECT v FROM tli_src WHERE v < 0"
    echo "SELECT * FROM tli ORDER BY a"; echo "DROP TABLE tli, tli_src"; } | wire "$1"
}

section_client_expr() {
  { echo "$TABLE"; echo "INSERT INTO tli (b) VALUES (1)"
    each_then_lid "SELECT LAST_INSERT_ID(42)" "UPDATE tli SET b = LAST_INSERT_ID(b + 100)" \
      "INSERT INTO tli (a,b) VALUES (50,1)" "INSERT INTO tli (b) VALUES (LAST_INSERT_ID(7))" \
      "SET @x = LAST_INSERT_ID(99)" "SET insert_id = 300" "INSERT INTO tli (b) VALUES (2)" "DO 1"
    echo state; echo "DROP TABLE tli"; } | wire "$1"
}

section_temporary() {
  { echo "CREATE TEMPORARY TABLE tli (a INT AUTO_INCREMENT PRIMARY KEY, b INT)"; issue_sequence tli
    echo "DROP TEMPORARY TABLE tli"; issue_sequence nosuch_tli; echo state; } | wire "$1"
}

section_view() {
  { echo "$TABLE"; echo "CREATE VIEW tli_view AS SELECT a, b FROM tli"; issue_sequence tli_view
    echo "SELECT * FROM tli_view ORDER BY a"; echo "DROP VIEW tli_view"; echo "DROP TABLE tli"; } | wire "$1"
}

section_prepared() {
  { echo "$TABLE"; echo "prepare INSERT INTO tli (a,b) VALUES (?,?)"
    printf 'execute %s\nSELECT LAST_INSERT_ID(), @@identity\n' '[10, 2]' '[null, 3]' '[20, 4]'
    echo "prepare SELECT LAST_INSERT_ID()"; echo execute
    echo "use 1"; echo "execute [null, 5]"; echo "use 2"; echo execute
    echo state; echo "DROP TABLE tli"; } | wire "$1"
}

require_transparency_tools
run_transparency each_then_lid issue_sequence
