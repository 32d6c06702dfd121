#!/usr/bin/env bash
# HELP on the admin port through the real mariadb CLI, rendered as the CLI renders the server's
# own help (one command, several matches, a category, nothing found); the schema reported at
# login, so the prompt says weft and table names complete without -D; an unknown or misspelled
# command's error pointing to HELP. The CLI is interactive only on a terminal: cli_session.py
# gives it one.
source "$(dirname "$0")/lib.sh"
require_sandbox

start_weft "" "" "$(admin_toml)"
wait_admin

# The CLI on a terminal, typing stdin's lines; the prompt shows the current database.
interactive() {
  /usr/bin/python3 "$REPO/tests/integration/cli_session.py" 'weft-prompt[' mariadb --protocol=TCP -h127.0.0.1 \
    -P"$ADMIN_PORT" -uadmin -padmin-secret --skip-ssl --no-beep '--prompt=weft-prompt[\d]> ' "$@"
}
has() { grep -qF -- "$2" <<< "$1" || fail "$3 lacks '$2': $1"; }

# --- HELP in batch mode (-e): the CLI prints what the server answers, not its own headings ------
out="$(admin -e 'help compare')"
has "$out" "Name: 'COMPARE DATABASE'" "help compare"
has "$out" "COMPARE DATABASE db [TABLE t [, t ...]] ON server WITH server" "help compare"
has "$out" "server: 'host:port' | PRIMARY OF GROUP g | REPLICA 'host:port'" "help compare"
has "$out" "REPLICATION CLIENT (MySQL) to read GTID positions" "help compare"
has "$out" "Examples:" "help compare"
# The same shape as the real server's help for one statement.
real="$(as_root "$PRIMARY_PORT" -e 'help select' | head -2)"
[ "$(head -2 <<< "$out" | sed 's/^Name: .*/Name/')" = "$(sed 's/^Name: .*/Name/' <<< "$real")" ] ||
  fail "help compare does not start as the server's help select does: $(head -2 <<< "$out") / $real"
out="$(admin -e 'help show')"
for name in "SHOW HEALTH" "SHOW TOPOLOGY" "SHOW DISK USAGE" "SHOW JOBS" "SHOW GROUP SERVERS"; do
  grep -qx "   $name" <<< "$out" || fail "help show does not list $name: $out"
done
out="$(admin -e 'help contents')"
has "$out" 'You asked for help about help category: "Contents"' "help contents"
for name in "High availability" "Data comparison" "PROMOTE GROUP" "FLUSH HOSTS" "RESUME JOB"; do
  grep -qx "   $name" <<< "$out" || fail "help contents does not list $name: $out"
done
has "$(admin -e 'help jobs')" "Name: 'SHOW JOBS'" "help jobs"
has "$(admin -e 'help call group.promote')" "Name: 'PROMOTE GROUP'" "help call group.promote"
[ -z "$(admin -e 'help nosuchthing')" ] || fail "help nosuchthing printed something in batch mode"

# --- The same on a terminal: the CLI's headings, the prompt, completion ----------------------
# (the last two statements use TAB: a table name, then a column of the groups table)
session="$(interactive <<'LINES'
help
help compare
help show
help nosuchthing
help 'high availability'
SELECT count(*) AS failovers FROM failover_l\t;
SELECT max_replication_l\t AS lag FROM groups;
exit
LINES
)"
has "$session" "weft-prompt[weft]> help" "the first prompt (no -D)"
has "$session" "For server side help, type 'help contents'" "the CLI's own help"
has "$session" "Name: 'COMPARE DATABASE'" "help compare"
has "$session" "Many help items for your request exist." "help show"
has "$session" "   SHOW TOPOLOGY" "help show"
has "$session" "Nothing found" "help nosuchthing"
has "$session" "Please try to run 'help contents' for a list of all accessible topics" "help nosuchthing"
has "$session" 'You asked for help about help category: "High availability"' "help 'high availability'"
has "$session" "   DEMOTE GROUP" "help 'high availability'"
has "$session" "FROM failover_log" "a table name completed with TAB"
has "$session" "| failovers |" "a table name completed with TAB"
has "$session" "SELECT max_replication_lag " "a column name completed with TAB"
has "$session" "| lag " "a column name completed with TAB"
grep -q "ERROR" <<< "$session" && fail "an error in the terminal session: $session"

# --- The schema reported at login --------------------------------------------------------------
status="$(admin -e 'status')"
grep -qP '^Current database:\tweft$' <<< "$status" || fail "status without -D: $status"
grep -qP '^Current user:\t+admin@127.0.0.1$' <<< "$status" || fail "status user: $status"
[ "$(admin -e 'SELECT DATABASE()')" = weft ] || fail "SELECT DATABASE()"
[ "$(admin -D weft -e 'SELECT DATABASE()')" = weft ] || fail "a login naming weft"
has "$(admin_error -e 'use nosuchdb')" "ERROR 1049" "use of another database"
has "$(interactive -D weft <<< 'exit')" "weft-prompt[weft]>" "the prompt with -D weft"

# --- Errors point to HELP ----------------------------------------------------------------------
has "$(admin_error -e 'frobnicate the servers')" "HELP lists the admin commands" "an unknown command's error"
has "$(admin_error -e 'frobnicate the servers')" "ERROR 1064 (42000)" "an unknown command's error"
has "$(admin_error -e 'PROMOTE GROUP')" "see HELP 'PROMOTE GROUP'" "a usage error"
has "$(admin_error -e 'COMPAR DATABASE shop')" "see HELP 'COMPARE DATABASE'" "a misspelled command"
has "$(admin_error -e 'SHOW NOSUCH')" "HELP" "an unknown SHOW"
has "$(admin_error -e 'SELECT * FROM nosuch')" "ERROR 1146" "an unknown table (not a syntax error)"

pass
