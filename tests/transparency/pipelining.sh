#!/usr/bin/env bash
# Case 5 of issue 11: commands sent before their answers are read. COM_STMT_PREPARE and
# COM_STMT_EXECUTE with statement id 0xFFFFFFFF ("the statement just prepared", as MariaDB's
# connectors send them) in ONE write; the same after a prepare that fails (the execute gets
# whatever the server answers); 100 COM_QUERYs in one write get 100 answers in order. Every
# packet is compared, with its sequence id and status flags.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="prepare_execute failed_prepare hundred_queries hundred_queries_deprecate_eof"
MARKERS[prepare_execute]="row bin x00002a00000000000000"
MARKERS[failed_prepare]="ERR 1146 42S02"
MARKERS[hundred_queries]="^  #4 row '99'$"
MARKERS[hundred_queries_deprecate_eof]="^  #3 row '99'$"

section_prepare_execute() {
  printf '%s\n' pipeline "prepare SELECT ? + 1 AS y" "execute_last [41]" "execute_last [1]" end \
    pipeline "prepare SELECT seq, 'x' AS s FROM seq_1_to_3" execute_last "SELECT 'between' AS b" execute_last end \
    "prepare SELECT ? * 2 AS z" "SELECT 'not pipelined' AS n" "execute_last [21]" \
    pipeline "prepare DO ?" "execute_last [7]" ping end state | wire "$1"
}

section_failed_prepare() {
  printf '%s\n' pipeline "prepare SELECT * FROM tp_no_such_table" "execute_last" end \
    "prepare SELECT 5 AS five" pipeline "prepare SELEC broken" "execute_last" end \
    pipeline "prepare SELECT ? AS one_param" "execute_last" "execute_last [1, 2]" end \
    "execute_last" state | wire "$1"
}

# 100 queries: result sets, an error every 25th, a multi-statement, a SET, a DO.
hundred_script() {
  local i
  echo pipeline
  for i in $(seq 100); do
    case $((i % 25)) in
      0) echo "SELECT no_such_column_$i" ;;
      7) echo "SELECT $i AS n; SELECT $i + 1000 AS m" ;;
      13) echo "SET @v$i = $i" ;;
      *) echo "SELECT $i AS n" ;;
    esac
  done
  printf '%s\n' end "SELECT @v13 + @v38 AS sum" state
}
section_hundred_queries() { hundred_script | wire "$1"; }
section_hundred_queries_deprecate_eof() { hundred_script | wire "$1" --deprecate-eof; }

require_transparency_tools
run_transparency hundred_script
