#!/usr/bin/env bash
# Issue 11's further cases: stored procedures with several result sets and OUT/INOUT parameters
# (text CALL, and a prepared CALL in the binary protocol, whose OUT parameters come as a result
# set flagged SERVER_PS_OUT_PARAMS), a procedure that SIGNALs in the middle of its results, and
# SELECT ... INTO @v; SHOW WARNINGS and SHOW ERRORS after each statement.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="text_call binary_call signal select_into"
MARKERS[text_call]="row '40' \| 'a\+'$"
MARKERS[binary_call]='status=0x1[0-9a-f]{3}$'
MARKERS[signal]="ERR 1644 45000 'boom mid-results'"
MARKERS[select_into]="ERR 1172 42000"
CLEANUP_SQL="drop procedure if exists tp_multi; drop procedure if exists tp_signal"

MULTI="CREATE PROCEDURE tp_multi(IN n INT, OUT total INT, INOUT acc VARCHAR(20)) BEGIN SELECT seq FROM seq_1_to_3; SELECT n AS n_in, 'two' AS s; SET total = n * 10; SET acc = CONCAT(acc, '+'); SELECT 1 / 0 AS div0; END"
SIGNAL="CREATE PROCEDURE tp_signal(IN fatal INT) BEGIN SELECT 'before' AS b; IF fatal THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom mid-results', MYSQL_ERRNO = 1644; ELSE SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = 'only a warning', MYSQL_ERRNO = 1642; END IF; SELECT 'after' AS a; END"
export MULTI SIGNAL

# with_diag LINE...: each script line followed by SHOW WARNINGS and SHOW ERRORS.
with_diag() { local s; for s in "$@"; do printf '%s\nSHOW WARNINGS\nSHOW ERRORS\n' "$s"; done; }

section_text_call() {
  { echo "$MULTI"; with_diag "SET @acc = 'a'" "CALL tp_multi(4, @t, @acc)" "SELECT @t, @acc" "CALL tp_multi(1, @t)"
    echo state; echo "DROP PROCEDURE tp_multi"; } | wire "$1"
}

section_binary_call() {
  { echo "$MULTI"; echo "prepare CALL tp_multi(?, ?, ?)"
    with_diag 'execute [4, null, "a"]' 'execute [5, 0, "b"]' "SELECT 'between' AS b" 'execute [6, null, null]'
    echo "prepare CALL tp_multi(7, @t2, @acc2)"; with_diag execute "SELECT @t2, @acc2"
    echo state; echo "DROP PROCEDURE tp_multi"; } | wire "$1"
}

section_signal() {
  { echo "$SIGNAL"; with_diag "CALL tp_signal(1)" "SELECT 'next' AS n" "CALL tp_signal(0)"
    echo "prepare CALL tp_signal(?)"; with_diag "execute [1]" "execute [0]"
    echo state; echo "DROP PROCEDURE tp_signal"; } | wire "$1"
}

section_select_into() {
  with_diag "SELECT 42, 'x' INTO @a, @b" "SELECT @a, @b" "SELECT seq INTO @c FROM seq_1_to_3" \
    "SELECT seq INTO @d FROM seq_1_to_3 WHERE seq > 5" "SELECT @c, @d" "prepare SELECT ? INTO @e" "execute [7]" \
    "SELECT @e" state | wire "$1"
}

require_transparency_tools
run_transparency with_diag
