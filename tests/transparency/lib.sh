# Shared by tests/transparency/*.sh (issue 11): each case ("section") runs the same input directly
# against the sandbox's primary (127.0.0.1:23306) and through a weft in front of it (multiplexing
# on, weft's default), and fails unless the two transcripts are byte-identical and the direct one
# has the case's marker. The comparison is tests/clients/lib.sh's run_sections.
#
# A script defines, for each SECTION in DEFAULT_SECTIONS, a function `section_SECTION PORT` that
# prints the transcript (usually with `wire PORT < script` or `cli PORT ...`), sets MARKERS[...],
# and ends with `run_transparency`.
source "$(dirname "${BASH_SOURCE[0]}")/../clients/lib.sh"

export TRANSPARENCY_DIR="$REPO/tests/transparency" ROOT_PASSWORD
PENDING_SECTIONS=""

# wire PORT [--deprecate-eof]: the raw-protocol script on stdin, transcript on stdout.
wire() { /usr/bin/python3 "$TRANSPARENCY_DIR/wire.py" "$@"; }

# cli PORT ARGS...: the mariadb CLI on PORT, database weft_test; stdout, then "--- stderr (exit N)"
# and stderr, with timings removed.
cli() {
  local port="$1" out err rc=0
  shift
  out="$(mktemp)"; err="$(mktemp)"
  mariadb --protocol=TCP -h127.0.0.1 -P"$port" -u"$APP_USER" -p"$APP_PASSWORD" -D weft_test \
    --default-character-set=utf8mb4 "$@" > "$out" 2> "$err" || rc=$?
  sed -E 's/ \([0-9]+\.[0-9]+ sec\)//' "$out"
  echo "--- stderr (exit $rc)"
  cat "$err"
  rm -f "$out" "$err"
}

# root_sql SQL...: as root on the primary (SET GLOBAL, KILL, XA clean-up).
root_sql() { as_root "$PRIMARY_PORT" "$@"; }

# scenario PORT SECTION: what run_sections calls; the section's function between the markers.
scenario() {
  echo "== $2"
  "section_$2" "$1"
  echo "== end $2"
}

# Fails, never skips, without the sandbox, weft or a tool.
require_transparency_tools() {
  require_sandbox
  local tool
  for tool in mariadb /usr/bin/python3 "$@"; do
    command -v "$tool" >/dev/null || fail "$tool not found (scripts/install-deps installs it)"
  done
}

# Starts weft, exports the helpers the sections use (they run in a child bash) and runs every
# section directly, then through weft.
run_transparency() {
  export -f wire cli root_sql as_root $(compgen -A function section_) "$@"
  start_client_weft
  export WEFT_PORT WEFT_PID
  run_sections
  pass
}
