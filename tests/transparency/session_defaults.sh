#!/usr/bin/env bash
# Case 3 of issue 11: a new client session starts with what a new direct session gets. weft is
# warmed first (4 sessions at once, so its pool holds connections opened before the change), then
# root runs SET GLOBAL default_storage_engine=Aria on the primary, and 10 NEW sessions each read
# @@default_storage_engine and create a table (SHOW CREATE TABLE, information_schema's ENGINE).
# The global is restored when the section ends and, whatever happens, when the test exits.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="new_sessions"
MARKERS[new_sessions]="row 'Aria'$"
CLEANUP_SQL="$(printf 'drop table if exists tsd_%s;' $(seq 10) | sed 's/;$//')"

require_transparency_tools
ENGINE_BEFORE="$(root_sql -e 'SELECT @@GLOBAL.default_storage_engine')" || fail "cannot read the global as root"
export ENGINE_BEFORE
trap 'root_sql -e "SET GLOBAL default_storage_engine = $ENGINE_BEFORE" || echo "could not restore default_storage_engine" >&2; cleanup_and_check' EXIT

# Sessions at once, each holding a backend connection for a moment: the pool then has several.
warm_pool() {
  local i
  for i in 1 2 3 4; do printf 'BEGIN\nSELECT 1\nsleep 0.5\nCOMMIT\n' | wire "$1" > /dev/null & done
  wait
}

new_session() {
  printf '%s\n' "SELECT @@default_storage_engine" "CREATE TABLE tsd_$2 (i INT)" "SHOW CREATE TABLE tsd_$2" \
    "SELECT engine FROM information_schema.tables WHERE table_schema = 'weft_test' AND table_name = 'tsd_$2'" \
    "DROP TABLE tsd_$2" | wire "$1"
}

section_new_sessions() {
  local i
  warm_pool "$1"
  root_sql -e "SET GLOBAL default_storage_engine = Aria"
  for i in $(seq 10); do new_session "$1" "$i"; done
  root_sql -e "SET GLOBAL default_storage_engine = $ENGINE_BEFORE"
}

run_transparency warm_pool new_session
