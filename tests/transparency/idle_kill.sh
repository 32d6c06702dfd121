#!/usr/bin/env bash
# Case 4 of issue 11: a server-side KILL of weft's idle pooled backend connections never surfaces
# as an error to the next statements of a client, whether that client was connected during the
# KILL or comes after. On the weft path the KILL targets exactly weft's own connections (their
# local ports, from ss, matched to information_schema.processlist's HOST, user app, Command
# Sleep); directly there is nothing of weft's to kill, and the statements must answer the same.
source "$(dirname "$0")/lib.sh"

DEFAULT_SECTIONS="killed_idle"
MARKERS[killed_idle]="row 'after kill, new session'$"

# Prints a line (which then differs from direct) only when the weft path found nothing to kill:
# a run that killed nothing tested nothing.
kill_idle_backends() {
  [ "$PORT" = "$WEFT_PORT" ] || return 0
  local ports hosts ids id
  ports="$(ss -Htn state established "( dport = :$PRIMARY_PORT )" -p | grep "pid=$WEFT_PID," | awk '{ print $3 }' | sed 's/.*://')"
  hosts="$(for p in $ports; do printf "'127.0.0.1:%s'," "$p"; done)"
  ids="$(root_sql -e "SELECT id FROM information_schema.processlist WHERE user = 'app' AND command = 'Sleep' AND host IN (${hosts:-''}'')")"
  [ -n "$ids" ] || { echo "no idle weft backend connection to kill"; return 0; }
  echo "killing weft's idle backend connections: $(echo $ids)" >&2
  for id in $ids; do root_sql -e "KILL $id" 2>/dev/null || true; done
  for _ in $(seq 50); do
    [ "$(root_sql -e "SELECT COUNT(*) FROM information_schema.processlist WHERE id IN ($(echo $ids | tr ' ' ,))")" = 0 ] && return 0
    sleep 0.1
  done
  echo "killed connections did not go away"
}

warm_pool() {
  local i
  for i in 1 2 3 4; do printf 'BEGIN\nSELECT 1\nsleep 0.5\nCOMMIT\n' | wire "$1" > /dev/null & done
  wait
}

section_killed_idle() {
  warm_pool "$1"
  printf '%s\n' "SELECT 'warm' AS w" "shell kill_idle_backends" "SELECT 'after kill, same session' AS s" state \
    "prepare SELECT ? AS p" "execute [4]" "shell kill_idle_backends" "execute [5]" "SELECT 'again' AS s" \
    "shell kill_idle_backends" connect "SELECT 'after kill, new session' AS s" state | wire "$1"
  warm_pool "$1"
  kill_idle_backends_on "$1"
  printf '%s\n' "SELECT 'first statement of a session after a kill' AS s" | wire "$1"
}
kill_idle_backends_on() { PORT="$1" kill_idle_backends; }

require_transparency_tools ss
run_transparency kill_idle_backends kill_idle_backends_on warm_pool
