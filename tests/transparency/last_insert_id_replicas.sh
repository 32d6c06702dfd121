#!/usr/bin/env bash
# Case 2 of issue 11, with replicas: inserts interleaved with reads that weft may send to a replica
# (the sandbox's two, monitored); LAST_INSERT_ID() and @@identity after each must be what the
# session's primary connection says directly. The reads touch no table written here (a replica
# may lag), only the SEQUENCE engine and constants.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="interleaved prepared_interleaved"
MARKERS[interleaved]="row '11' \| '11'$"
MARKERS[prepared_interleaved]="row '11' \| '11'$"
CLEANUP_SQL="drop table if exists tlr"
export WEFT_REPLICAS=1

section_interleaved() {
  local s
  { echo "CREATE TABLE tlr (a INT AUTO_INCREMENT PRIMARY KEY, b INT)"
    for s in "INSERT INTO tlr (a,b) VALUES (10,2)" "INSERT INTO tlr (b) VALUES (3)" "INSERT INTO tlr (a,b) VALUES (20,4)" \
      "INSERT INTO tlr (b) VALUES (5),(6)" "SELECT LAST_INSERT_ID(42)"; do
      printf '%s\n' "$s" "SELECT COUNT(*) AS n FROM seq_1_to_5" "SELECT 'read' AS r" "SELECT LAST_INSERT_ID(), @@identity"
    done
    echo state; echo "DROP TABLE tlr"; } | wire "$1"
}

section_prepared_interleaved() {
  local v
  { echo "CREATE TABLE tlr (a INT AUTO_INCREMENT PRIMARY KEY, b INT)"; echo "prepare INSERT INTO tlr (a,b) VALUES (?,?)"
    for v in '[10, 2]' '[null, 3]' '[20, 4]'; do
      printf '%s\n' "execute $v" "SELECT COUNT(*) AS n FROM seq_1_to_5" "SELECT LAST_INSERT_ID(), @@identity"
    done
    echo state; echo "DROP TABLE tlr"; } | wire "$1"
}

require_transparency_tools
run_transparency
