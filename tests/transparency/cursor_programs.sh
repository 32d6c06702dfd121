#!/usr/bin/env bash
# Case 1 of issue 11: a stored program that opened a cursor (MariaDB then sets
# SERVER_STATUS_CURSOR_EXISTS on the EOF packets of the result sets it returns, even after CLOSE)
# and then returns result sets; CALL of a procedure with a cursor followed by SELECTs; an expected
# 1326 ER_SP_CURSOR_NOT_OPEN. Through the mariadb CLI (no CLIENT_DEPRECATE_EOF) and raw, with and
# without CLIENT_DEPRECATE_EOF, and as a prepared CALL.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="cli raw raw_deprecate_eof prepared_call"
MARKERS[cli]='^after_stmt$'
MARKERS[raw]="ERR 1326 24000 'Cursor is not open'"
MARKERS[raw_deprecate_eof]="ERR 1326 24000 'Cursor is not open'"
MARKERS[prepared_call]='row bin x0000067365636f6e6402000000'
CLEANUP_SQL="drop procedure if exists tp_cursor_proc"

PROC="CREATE PROCEDURE tp_cursor_proc() BEGIN DECLARE v INT; DECLARE c CURSOR FOR SELECT seq FROM seq_1_to_3; OPEN c; FETCH c INTO v; SELECT v AS fetched; CLOSE c; SELECT 'second' AS s, 2 AS n; END"
BLOCK="BEGIN NOT ATOMIC DECLARE c CURSOR FOR SELECT 1; OPEN c; CLOSE c; SELECT 1 AS x; END"
NOT_OPEN="BEGIN NOT ATOMIC DECLARE c CURSOR FOR SELECT 1; CLOSE c; SELECT 'unreached'; END"
export PROC BLOCK NOT_OPEN

# The issue's script, and CALL / 1326 / the session state after, for the CLI.
cli_script() {
  printf 'DELIMITER $$\n%s$$\nDELIMITER ;\nSELECT 2 AS after_stmt;\n' "$BLOCK"
  printf 'DELIMITER $$\n%s$$\n%s$$\nDELIMITER ;\n' "$PROC" "$NOT_OPEN"
  printf 'CALL tp_cursor_proc();\nSELECT 3 AS after_call;\nSHOW WARNINGS;\nSHOW ERRORS;\n'
  printf 'SELECT @@autocommit, @@in_transaction, @@warning_count, @@error_count;\n'
  printf 'DROP PROCEDURE tp_cursor_proc;\n'
}
section_cli() { cli_script | cli "$1" --skip-ssl -f -B --show-warnings; }

raw_script() {
  printf '%s\n' "$BLOCK" "SELECT 2 AS after_stmt" "$PROC" "CALL tp_cursor_proc()" \
    "SELECT 3 AS after_call" "$NOT_OPEN" "SHOW WARNINGS" "SHOW ERRORS" "CALL tp_cursor_proc()" state \
    "DROP PROCEDURE tp_cursor_proc"
}
section_raw() { raw_script | wire "$1"; }
section_raw_deprecate_eof() { raw_script | wire "$1" --deprecate-eof; }

section_prepared_call() {
  printf '%s\n' "$PROC" "prepare CALL tp_cursor_proc()" execute "SELECT 4 AS between_calls" execute \
    "prepare $BLOCK" execute state "DROP PROCEDURE tp_cursor_proc" | wire "$1"
}

require_transparency_tools
run_transparency cli_script raw_script
