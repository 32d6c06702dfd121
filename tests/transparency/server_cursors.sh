#!/usr/bin/env bash
# Case 7 of issue 11: COM_STMT_EXECUTE with CURSOR_TYPE_READ_ONLY and COM_STMT_FETCH in several
# steps (3 rows per fetch over 10 rows), interleaved with other statements of the same session and
# a second open cursor: the same rows and end markers (SERVER_STATUS_CURSOR_EXISTS,
# SERVER_STATUS_LAST_ROW_SENT) as direct, with and without CLIENT_DEPRECATE_EOF.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="fetch_steps fetch_steps_deprecate_eof two_cursors reexecute"
MARKERS[fetch_steps]='EOF warnings=0 status=0x00[8-9a-f][0-9a-f]'
MARKERS[fetch_steps_deprecate_eof]='OK affected=0 insert_id=0 status=0x00[8-9a-f][0-9a-f]'
MARKERS[two_cursors]="row bin x0000(0a|07)000000"
MARKERS[reexecute]="has no open cursor"
CLEANUP_SQL="drop table if exists tcur"

fetch_script() {
  printf '%s\n' "prepare SELECT seq, CONCAT('r', seq) AS s FROM seq_1_to_10" cursor "fetch 3" \
    "SELECT 'between fetches' AS b" "fetch 3" "DO 1" "fetch 3" "fetch 3" "fetch 3" close_stmt "fetch 1" state
}
section_fetch_steps() { fetch_script | wire "$1"; }
section_fetch_steps_deprecate_eof() { fetch_script | wire "$1" --deprecate-eof; }

# Two statements with open cursors, a table the session writes to, a parameter, a transaction.
section_two_cursors() {
  printf '%s\n' "CREATE TABLE tcur (i INT PRIMARY KEY, v VARCHAR(10))" \
    "INSERT INTO tcur SELECT seq, CONCAT('v', seq) FROM seq_1_to_10" \
    "prepare SELECT i, v FROM tcur WHERE i > ? ORDER BY i" "cursor [2]" \
    "prepare SELECT seq FROM seq_1_to_7" cursor \
    "use 1" "fetch 3" "use 2" "fetch 4" "BEGIN" "INSERT INTO tcur VALUES (11, 'v11')" "use 1" "fetch 3" \
    "use 2" "fetch 4" "COMMIT" "use 1" "fetch 10" "SELECT COUNT(*) FROM tcur" state "DROP TABLE tcur" | wire "$1"
}

# Executing again while a cursor is open, COM_STMT_RESET, a cursor on an empty result.
section_reexecute() {
  printf '%s\n' "prepare SELECT seq FROM seq_1_to_10 WHERE seq > ?" "cursor [0]" "fetch 2" "cursor [5]" "fetch 2" \
    reset_stmt "fetch 2" "cursor [100]" "fetch 1" "execute [8]" "fetch 1" "prepare SELECT 1 FROM DUAL WHERE 0" cursor \
    "fetch 1" "prepare INSERT INTO tcur_none VALUES (1)" cursor state | wire "$1"
}

require_transparency_tools
run_transparency fetch_script
